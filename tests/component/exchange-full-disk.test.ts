// @vitest-environment node
/**
 * Issue 10 §1: restoring a project file or merging a coder file on a full disk
 * (or a closed connection) says so by name, not with Dexie's raw message, and
 * stores nothing.
 */
import { describe, expect, it } from 'vitest';
import { commitImport } from '../../src/lib/db/commit-import';
import { dumpDatabase, faultyDatabase, freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import { handleExchangeRequest } from '../../src/workers/exchange-handler';
import type { FromExchangeWorker, ToExchangeWorker } from '../../src/workers/exchange-protocol';

let requestId = 0;
async function run(db: Parameters<typeof handleExchangeRequest>[0], message: Record<string, unknown>): Promise<FromExchangeWorker[]> {
  const replies: FromExchangeWorker[] = [];
  await handleExchangeRequest(db, { ...message, requestId: ++requestId } as ToExchangeWorker, (reply) => {
    if (reply.type !== 'progress') replies.push(reply);
  });
  return replies;
}

describe('a project file restored on a full disk', () => {
  it('is refused by name and stores nothing', async () => {
    const source = freshDatabase();
    const { projectId } = await commitImport(
      source,
      smallBatch('Baseline', ['r1', 'r2']),
      { kind: 'new', name: 'Study' },
      { fileName: 'f.csv', format: 'generic' },
    );
    const [file] = await run(source, { type: 'export-project', projectId });
    if (file.type !== 'file') throw new Error(`expected a file, got ${JSON.stringify(file)}`);

    const { db, fail } = faultyDatabase();
    await db.open();
    const before = await dumpDatabase(db);
    fail('quota');
    const replies = await run(db, {
      type: 'import',
      file: new Blob([file.bytes as Uint8Array<ArrayBuffer>]),
      intent: 'project',
      projectId: null,
      localCoder: null,
      asCopy: false,
      ownCoderConfirmed: false,
    });
    expect(replies).toEqual([
      { type: 'error', requestId, message: 'Storing the file failed: the browser has no room left. Nothing was stored. Free some disk space, then try again.' },
    ]);
    expect(await dumpDatabase(db)).toEqual(before);
  });
});
