/**
 * ExchangeState and the Share dialog driving the real exchange handling
 * in-process (a stand-in for the worker over fake-indexeddb): a wrong pick
 * never restores a project, and a coder file under your own coder id waits
 * for an answer before anything is stored. And a worker that fails ends the
 * request with a message.
 */
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { emptyChange } from '../../src/lib/coding/change';
import { commitImport } from '../../src/lib/db/commit-import';
import { commitChange, loadCodings } from '../../src/lib/db/coding-store';
import { exportCoderFile, exportProjectFile } from '../../src/lib/db/exchange-store';
import { dumpDatabase, freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { sealExchange } from '../../src/lib/exchange';
import { answerId, type Code, type Coding } from '../../src/lib/model/types';
import { ExchangeState, type ExchangeWorkerLike } from '../../src/lib/state/exchange.svelte';
import ShareDialog from '../../src/ui/project/share-dialog.svelte';
import { handleExchangeRequest } from '../../src/workers/exchange-handler';
import type { FromExchangeWorker, ToExchangeWorker } from '../../src/workers/exchange-protocol';

const ME = { id: 'me', name: 'Mia', color: '#2454a6' };

/** The worker's message handling, in this thread. */
class InProcessWorker implements ExchangeWorkerLike {
  onmessage: ((event: MessageEvent<FromExchangeWorker>) => void) | null = null;
  constructor(private readonly db: CodebenchDatabase) {}

  postMessage(message: ToExchangeWorker) {
    void handleExchangeRequest(this.db, message, (data) => this.onmessage?.({ data } as MessageEvent<FromExchangeWorker>));
  }

  terminate() {}
}

async function project(db: CodebenchDatabase, withCodings: boolean) {
  const { projectId } = await commitImport(
    db,
    smallBatch('Baseline', ['r1', 'r2', 'r3', 'r4']),
    { kind: 'new', name: 'Study' },
    { fileName: 'f.csv', format: 'generic' },
  );
  if (withCodings) {
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
    const codings = ['r1', 'r2', 'r3', 'r4'].map((r, i): Coding => ({
      projectId,
      id: `k${i}`,
      answerId: answerId('q1', 'baseline', r),
      codeId: 'rewards',
      coderId: ME.id,
      start: null,
      end: null,
      createdAt: 5,
    }));
    await commitChange(db, projectId, {
      label: 'set up',
      forward: { ...emptyChange(), putCodes: [code], putCodings: codings },
      inverse: { ...emptyChange(), deleteCodes: [code], deleteCodings: codings },
    });
    await db.coders.put({ projectId, ...ME });
  }
  return projectId;
}

/** A coded project elsewhere, its files, and a project here with the same answers and no codings. */
async function setUp() {
  const source = freshDatabase();
  const sourceId = await project(source, true);
  const coderFile = new Blob([(await sealExchange(await exportCoderFile(source, sourceId, ME))) as Uint8Array<ArrayBuffer>]);
  const projectFile = new Blob([(await sealExchange(await exportProjectFile(source, sourceId))) as Uint8Array<ArrayBuffer>]);
  const db = freshDatabase();
  const projectId = await project(db, false);
  const onMerged = vi.fn();
  const onRestored = vi.fn();
  const exchange = new ExchangeState({ onMerged, onRestored }, () => new InProcessWorker(db));
  return { db, projectId, coderFile, projectFile, exchange, onMerged, onRestored };
}

async function settled(exchange: ExchangeState) {
  await waitFor(() => expect(exchange.busy).toBe(false));
}

describe('ExchangeState: the file the user chose', () => {
  it('refuses a project file picked as a coder file: no project is restored or opened', async () => {
    const { db, projectId, projectFile, exchange, onRestored, onMerged } = await setUp();
    const before = await dumpDatabase(db);
    exchange.importFile(projectFile, projectId, ME, 'coder');
    await settled(exchange);
    expect(exchange.message).toMatchObject({ tone: 'error', text: expect.stringMatching(/^This is a project file \(“Study”\), not a coder file/) });
    expect(onRestored).not.toHaveBeenCalled();
    expect(onMerged).not.toHaveBeenCalled();
    expect(await dumpDatabase(db)).toEqual(before);
  });

  it('asks before merging a coder file under your own id, and stores nothing when told not to', async () => {
    const { db, projectId, coderFile, exchange, onMerged } = await setUp();
    const before = await dumpDatabase(db);
    exchange.importFile(coderFile, projectId, { id: ME.id, name: ME.name }, 'coder');
    await settled(exchange);
    expect(exchange.message?.text).toBe(
      "This coder file was made under your own name and coder id (“Mia”). Import its 4 codings as yours? Codings here with the same ids are replaced by the file's version.",
    );
    expect(exchange.pendingOwnCoder).not.toBeNull();
    expect(await dumpDatabase(db)).toEqual(before);
    exchange.answerOwnCoder(false);
    expect(exchange.message?.text).toBe('Nothing was imported: the coder file was left out.');
    expect(onMerged).not.toHaveBeenCalled();
    expect(await dumpDatabase(db)).toEqual(before);
  });

  it('merges it as yours once confirmed, and says exactly what it added', async () => {
    const { db, projectId, coderFile, exchange, onMerged } = await setUp();
    exchange.importFile(coderFile, projectId, { id: ME.id, name: 'Mia B.' }, 'coder');
    await settled(exchange);
    expect(exchange.message?.text).toMatch(
      /^This coder file was made under your own coder id \(as “Mia”; you are “Mia B\.”\)\. Import its 4 codings as yours\?/,
    );
    exchange.answerOwnCoder(true);
    await settled(exchange);
    expect(exchange.message?.text).toBe('Imported the coder file as your own codings: 4 codings added in your name; 1 code added (Rewards).');
    expect(onMerged).toHaveBeenCalledWith(projectId);
    expect((await loadCodings(db, projectId)).filter((c) => c.coderId === ME.id)).toHaveLength(4);
  });
});

describe('ShareDialog: a coder file under your own id', () => {
  it('offers "Import as mine" and "Don\'t import", and imports on the first', async () => {
    const { db, projectId, coderFile, exchange } = await setUp();
    render(ShareDialog, {
      props: { exchange, projectName: 'Study', coderName: ME.name, onexportcoder: () => {}, onexportproject: () => {}, onimport: () => {}, onclose: () => {} },
    });
    exchange.importFile(coderFile, projectId, { id: ME.id, name: ME.name }, 'coder');
    await fireEvent.click(await screen.findByTestId('own-coder-confirm'));
    await waitFor(() =>
      expect(screen.getByTestId('exchange-message').textContent).toContain('Imported the coder file as your own codings: 4 codings added in your name;'),
    );
    expect(screen.queryByTestId('own-coder-confirm')).toBeNull();
    expect(await loadCodings(db, projectId)).toHaveLength(4);
  });
});

/** A worker that only records what it is sent: the test plays its replies and its failures. */
function withFakeWorker() {
  const posted: ToExchangeWorker[] = [];
  let created = 0;
  const worker: ExchangeWorkerLike = { postMessage: (m) => posted.push(m), terminate() {}, onmessage: null };
  const handlers = { onMerged: vi.fn(), onRestored: vi.fn() };
  const exchange = new ExchangeState(handlers, () => (created++, worker));
  const reply = (data: FromExchangeWorker) => worker.onmessage!({ data } as MessageEvent<FromExchangeWorker>);
  return { exchange, worker, posted, handlers, reply, created: () => created };
}

describe('ExchangeState: a worker that fails', () => {
  it('ends a project import the worker dies in with a message, and starts a new worker for the next file', () => {
    const { exchange, worker, posted, reply, created } = withFakeWorker();
    exchange.importFile(new Blob(['x']), null, null, 'project');
    const request = posted[0] as Extract<ToExchangeWorker, { type: 'import' }>;
    reply({ type: 'progress', requestId: request.requestId, phase: 'Storing the project' });
    expect(exchange.busy).toBe(true);
    worker.onerror?.({ type: 'error', message: 'Uncaught RangeError: Array buffer allocation failed' } as ErrorEvent);
    expect(exchange.busy).toBe(false);
    expect(exchange.phase).toBe('');
    expect(exchange.message).toEqual({
      text: 'The exchange worker stopped unexpectedly (Uncaught RangeError: Array buffer allocation failed). Nothing was stored; try again.',
      tone: 'error',
      warnings: [],
    });
    exchange.exportProject('p');
    expect(created()).toBe(2);
    expect(exchange.busy).toBe(true);
  });

  it('ends an export whose reply could not be read', () => {
    const { exchange, worker } = withFakeWorker();
    exchange.exportProject('p');
    worker.onmessageerror?.(new MessageEvent('messageerror'));
    expect(exchange.busy).toBe(false);
    expect(exchange.message?.text).toBe('The exchange worker sent a reply the page could not read. No file was written; try again.');
  });

  it('shows only the newest request', () => {
    const { exchange, posted, reply } = withFakeWorker();
    exchange.exportProject('p');
    exchange.exportProject('p');
    const [older, newer] = posted.map((m) => m.requestId);
    reply({ type: 'error', requestId: older, message: 'old' });
    expect(exchange.busy).toBe(true);
    reply({ type: 'error', requestId: newer, message: 'The project is no longer here.' });
    expect(exchange.message?.text).toBe('The project is no longer here.');
  });
});
