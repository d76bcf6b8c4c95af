/**
 * A worker's module run in the test's own scope, over fake-indexeddb: what it posts is kept (structured-cloned, as
 * a real postMessage would), and `send` hands it a message as the page would. Each test file loads one worker.
 */
import { vi } from 'vitest';
import { commitImport } from '../../src/lib/db/commit-import';
import { database } from '../../src/lib/db/database';
import { smallBatch } from '../../src/lib/db/test-helpers';

export interface LoadedWorker<ToWorker, FromWorker> {
  /** Everything the worker posted, in order. */
  received: FromWorker[];
  send(message: ToWorker): void;
}

export async function loadWorker<ToWorker, FromWorker>(load: () => Promise<unknown>): Promise<LoadedWorker<ToWorker, FromWorker>> {
  const received: FromWorker[] = [];
  vi.stubGlobal('postMessage', (message: FromWorker) => received.push(structuredClone(message)));
  await load();
  const send = (message: ToWorker) => (self.onmessage as (event: MessageEvent<ToWorker>) => void)({ data: message } as MessageEvent<ToWorker>);
  return { received, send };
}

/** An empty database with one project of three respondents (smallBatch); its id. */
export async function freshSmallProject(): Promise<string> {
  await database().delete();
  await database().open();
  const summary = await commitImport(
    database(),
    smallBatch('Baseline', ['r1', 'r2', 'r3']),
    { kind: 'new', name: 'S' },
    { fileName: 'f.csv', format: 'generic' },
  );
  return summary.projectId;
}
