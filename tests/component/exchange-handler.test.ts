// @vitest-environment node
/**
 * The exchange worker's request handling over fake-indexeddb: a damaged file,
 * a file of the other kind than the one chosen, and a coder file under the
 * user's own coder id each end in a message and leave the database exactly as
 * it was (a full dump compared before and after).
 */
import { describe, expect, it } from 'vitest';
import { emptyChange } from '../../src/lib/coding/change';
import { commitImport } from '../../src/lib/db/commit-import';
import { commitChange, loadCodings } from '../../src/lib/db/coding-store';
import { exportProjectFile } from '../../src/lib/db/exchange-store';
import { dumpDatabase, freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { DAMAGED_CHECKSUM_MESSAGE, DAMAGED_GZIP_MESSAGE, gzipExchange, NO_CHECKSUM_WARNING } from '../../src/lib/exchange';
import { answerId, type Code, type Coding } from '../../src/lib/model/types';
import { handleExchangeRequest } from '../../src/workers/exchange-handler';
import type { ExchangeIntent, FromExchangeWorker, ToExchangeWorker } from '../../src/workers/exchange-protocol';

const ME = { id: 'me', name: 'Mia', color: '#2454a6' };

async function codedProject(db = freshDatabase()) {
  const { projectId } = await commitImport(
    db,
    smallBatch('Baseline', ['r1', 'r2', 'r3', 'r4', 'r5']),
    { kind: 'new', name: 'Study' },
    { fileName: 'f.csv', format: 'generic' },
  );
  const code: Code = {
    projectId,
    id: 'rewards',
    parentId: null,
    name: 'Rewards',
    color: '#aa0000',
    definition: '',
    inclusion: '',
    exclusion: '',
    example: '',
    order: 0,
  };
  const coding = (id: string, respondent: string): Coding => ({
    projectId,
    id,
    answerId: answerId('q1', 'baseline', respondent),
    codeId: 'rewards',
    coderId: ME.id,
    start: null,
    end: null,
    createdAt: 5,
  });
  const codings = ['r1', 'r2', 'r3', 'r4'].map((r, i) => coding(`k${i}`, r));
  await commitChange(db, projectId, {
    label: 'set up',
    forward: { ...emptyChange(), putCodes: [code], putCodings: codings },
    inverse: { ...emptyChange(), deleteCodes: [code], deleteCodings: codings },
  });
  await db.coders.put({ projectId, ...ME });
  return { db, projectId };
}

let requestId = 0;
type Request = ToExchangeWorker extends infer T ? (T extends unknown ? Omit<T, 'requestId'> : never) : never;

/** Runs one request; returns every reply but progress. */
async function run(db: CodebenchDatabase, message: Request): Promise<FromExchangeWorker[]> {
  const replies: FromExchangeWorker[] = [];
  await handleExchangeRequest(db, { ...message, requestId: ++requestId } as ToExchangeWorker, (reply) => {
    if (reply.type !== 'progress') replies.push(reply);
  });
  return replies;
}

async function exported(db: CodebenchDatabase, message: Request): Promise<Uint8Array> {
  const [reply] = await run(db, message);
  if (reply.type !== 'file') throw new Error(`expected a file, got ${JSON.stringify(reply)}`);
  return reply.bytes;
}

function importing(bytes: Uint8Array, intent: ExchangeIntent, extra: Partial<Extract<ToExchangeWorker, { type: 'import' }>> = {}) {
  return {
    type: 'import' as const,
    file: new Blob([bytes as Uint8Array<ArrayBuffer>]),
    intent,
    projectId: null,
    localCoder: null,
    asCopy: false,
    ownCoderConfirmed: false,
    ...extra,
  };
}

async function expectRefused(db: CodebenchDatabase, message: Request, text: string | RegExp) {
  const before = await dumpDatabase(db);
  const replies = await run(db, message);
  expect(replies).toHaveLength(1);
  expect(replies[0].type).toBe('error');
  if (replies[0].type === 'error') expect(replies[0].message).toMatch(text);
  expect(await dumpDatabase(db)).toEqual(before);
}

describe('exchange worker: damaged project files', () => {
  it('writes a project file with a checksum that opens elsewhere without a warning', async () => {
    const { db, projectId } = await codedProject();
    const gz = await exported(db, { type: 'export-project', projectId });
    const elsewhere = freshDatabase();
    const replies = await run(elsewhere, importing(gz, 'project'));
    expect(replies).toEqual([{ type: 'project-imported', requestId, projectId, name: 'Study', warnings: [] }]);
    expect(await loadCodings(elsewhere, projectId)).toHaveLength(4);
  });

  it('refuses a backup with one flipped byte, storing nothing', async () => {
    const { db, projectId } = await codedProject();
    const gz = await exported(db, { type: 'export-project', projectId });
    const elsewhere = freshDatabase();
    await codedProject(elsewhere); // a profile that already holds work
    let refused = 0;
    // A flip in the deflate data inflates to damaged text or fails to inflate: every one is refused.
    for (const at of [20, Math.floor(gz.length / 3), Math.floor(gz.length / 2), gz.length - 12, gz.length - 6]) {
      const damaged = gz.slice();
      damaged[at] ^= 0x04;
      await expectRefused(elsewhere, importing(damaged, 'project'), /damaged/);
      refused++;
    }
    expect(refused).toBe(5);
    const damaged = gz.slice();
    damaged[gz.length - 7] ^= 0x01; // in the CRC itself
    await expectRefused(elsewhere, importing(damaged, 'project'), DAMAGED_GZIP_MESSAGE);
  });

  it('refuses a file whose text was changed after it was written, storing nothing', async () => {
    const { db, projectId } = await codedProject();
    const sealed = await exported(db, { type: 'export-coder', projectId, coder: ME });
    const text = new TextDecoder().decode(sealed).replace('"createdAt":5', '"createdAt":6');
    const other = (await codedProject()).db;
    await expectRefused(other, importing(new TextEncoder().encode(text), 'coder', { projectId }), DAMAGED_CHECKSUM_MESSAGE);
    const project = await exported(db, { type: 'export-project', projectId });
    const { gunzipSync } = await import('fflate');
    const changed = new TextDecoder().decode(gunzipSync(project)).replace('Baseline answer of r2', 'Baseline answer of r9');
    await expectRefused(freshDatabase(), importing(gzipExchange(changed), 'project'), DAMAGED_CHECKSUM_MESSAGE);
  });

  it('opens a file written before checksums, and says damage could not be ruled out', async () => {
    const { db, projectId } = await codedProject();
    const old = gzipExchange(await exportProjectFile(db, projectId));
    const replies = await run(freshDatabase(), importing(old, 'project'));
    expect(replies).toEqual([{ type: 'project-imported', requestId, projectId, name: 'Study', warnings: [NO_CHECKSUM_WARNING] }]);
  });
});

describe('exchange worker: a project file over the limit', () => {
  it('names its size and the limit before reading it', async () => {
    const MB = 1024 * 1024;
    const huge = {
      size: 944 * MB,
      arrayBuffer: () => Promise.reject(new Error('a 944 MB file must not be read')),
      slice: () => Promise.reject(new Error('a 944 MB file must not be read')),
    } as unknown as Blob;
    const db = (await codedProject()).db;
    await expectRefused(
      db,
      { ...importing(new Uint8Array(), 'project'), file: huge },
      'This project file is 944 MB; Codebench can open project files up to 500 MB (uncompressed), the most text a browser can read in one piece.',
    );
  });
});

describe('exchange worker: a file of the other kind than the one chosen', () => {
  it('refuses a project file chosen as a coder file, creating no project', async () => {
    const { db, projectId } = await codedProject();
    const project = await exported(db, { type: 'export-project', projectId });
    const here = await codedProject(freshDatabase());
    await expectRefused(
      here.db,
      importing(project, 'coder', { projectId: here.projectId, localCoder: ME }),
      "This is a project file (“Study”), not a coder file: it holds a whole project, not one coder's codings. Nothing was imported. To open it as a project of its own, use “Open a project file…” on the start page.",
    );
  });

  it('refuses a coder file chosen as a project file, saying what it is', async () => {
    const { db, projectId } = await codedProject();
    const coder = await exported(db, { type: 'export-coder', projectId, coder: ME });
    await expectRefused(
      db,
      importing(coder, 'project'),
      "This is a coder file (Mia's codings from “Study”), not a project file. Nothing was opened. Open the project it belongs to, then merge it with Share… → “Import a coder file…”.",
    );
  });
});

describe('exchange worker: a coder file under your own coder id', () => {
  it('asks first, storing nothing, then reports what importing it as yours did', async () => {
    const source = await codedProject();
    const file = await exported(source.db, { type: 'export-coder', projectId: source.projectId, coder: ME });
    // The same respondents in another project where "me" has coded nothing yet.
    const { db, projectId } = await codedProject(freshDatabase());
    await db.codingPages.clear();
    const before = await dumpDatabase(db);
    const asked = await run(db, importing(file, 'coder', { projectId, localCoder: { id: ME.id, name: ME.name } }));
    expect(asked).toEqual([{ type: 'own-coder-file', requestId, fileCoderName: 'Mia', codings: 4, memos: 0 }]);
    expect(await dumpDatabase(db)).toEqual(before);

    const merged = await run(db, importing(file, 'coder', { projectId, localCoder: { id: ME.id, name: ME.name }, ownCoderConfirmed: true }));
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ type: 'coder-imported', asYours: true, report: { codingsAdded: 4 } });
    expect((await loadCodings(db, projectId)).filter((c) => c.coderId === ME.id)).toHaveLength(4);
  });

  it("merges another coder's file without asking", async () => {
    const source = await codedProject();
    const file = await exported(source.db, { type: 'export-coder', projectId: source.projectId, coder: ME });
    const { db, projectId } = await codedProject(freshDatabase());
    const replies = await run(db, importing(file, 'coder', { projectId, localCoder: { id: 'someone-else', name: 'Sam' } }));
    expect(replies[0]).toMatchObject({ type: 'coder-imported', asYours: false, report: { codingsAdded: 0, codingsAlreadyPresent: 4 } });
    expect(replies[0].type === 'coder-imported' && replies[0].warnings).not.toContain(NO_CHECKSUM_WARNING);
  });
});

describe('exchange worker: a file for a second coder', () => {
  it('is written without codings or coders, and opening it says it is for a second coder', async () => {
    const { db, projectId } = await codedProject();
    const [reply] = await run(db, { type: 'export-project', projectId, secondCoder: { roundId: null } });
    if (reply.type !== 'file') throw new Error(`expected a file, got ${JSON.stringify(reply)}`);
    expect(reply.fileName).toBe('Study.second-coder.codebench.json.gz');
    const elsewhere = freshDatabase();
    const replies = await run(elsewhere, importing(reply.bytes, 'project'));
    expect(replies).toEqual([{ type: 'project-imported', requestId, projectId, name: 'Study', warnings: [], secondCoder: { roundId: null } }]);
    expect(await loadCodings(elsewhere, projectId)).toEqual([]);
    expect(await elsewhere.coders.count()).toBe(0);
  });

  it('refuses a file whose purpose was tampered with, storing nothing', async () => {
    const { db, projectId } = await codedProject();
    const text = await exportProjectFile(db, projectId);
    // An unchecked file (no checksum line), relabelled: a backup with codings that claims to be a second coder's.
    const relabelled = text.replace(/\n\}\n$/, ',\n  "purpose": "second-coder"\n}\n');
    const elsewhere = freshDatabase();
    await expectRefused(elsewhere, importing(gzipExchange(new TextEncoder().encode(relabelled)), 'project'), /says it is for a second coder but carries/);
    const unknown = text.replace(/\n\}\n$/, ',\n  "purpose": "everything"\n}\n');
    await expectRefused(elsewhere, importing(gzipExchange(new TextEncoder().encode(unknown)), 'project'), /"purpose" must be "second-coder" when present/);
  });
});
