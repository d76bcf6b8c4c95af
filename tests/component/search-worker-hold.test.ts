/**
 * The search worker itself, over fake-indexeddb: keying a project's answers ahead of the first search waits while
 * the page says the user is busy; a search never waits.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { database } from '../../src/lib/db/database';
import { loadProjectOverview } from '../../src/lib/db/projects';
import type { FromSearchWorker, ToSearchWorker } from '../../src/workers/search-protocol';
import { freshSmallProject, loadWorker } from './worker-harness';

let received: FromSearchWorker[] = [];
let send: (message: ToSearchWorker) => void;

beforeAll(async () => {
  ({ received, send } = await loadWorker<ToSearchWorker, FromSearchWorker>(() => import('../../src/workers/search-worker')));
});

let projectId = '';
let questionIds: string[] = [];

beforeEach(async () => {
  projectId = await freshSmallProject();
  questionIds = (await loadProjectOverview(database(), projectId))!.questions.map((q) => q.id);
});

/** The questions every one of whose answers the worker has said it keyed. */
const keyed = () => new Set(received.filter((m) => m.type === 'indexing' && m.done === m.total).map((m) => (m.type === 'indexing' ? m.questionId : '')));

afterEach(async () => {
  // The worker keys in the background: let it finish this project before the next test's database replaces it, or
  // it would still be posting once the file's environment is gone (not 'forget' either: the project is still the
  // one wanted, and the worker would read it again).
  send({ type: 'hold', held: false });
  await vi.waitFor(() => expect([...keyed()].sort()).toEqual([...questionIds].sort()), { timeout: 15_000 });
  received.length = 0;
});

const runFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('search worker: keying ahead while the user is busy', () => {
  it('keys nothing ahead while the user is busy, and every question once they stop', async () => {
    send({ type: 'hold', held: true });
    send({ type: 'prepare', projectId, questionId: questionIds[0], questionIds });
    await runFor(200);
    expect(received.filter((m) => m.type === 'indexing')).toEqual([]);
    send({ type: 'hold', held: false });
    await vi.waitFor(() => expect([...keyed()].sort()).toEqual([...questionIds].sort()), { timeout: 15_000 });
  });

  it('answers a search while the user is busy', async () => {
    send({ type: 'hold', held: true });
    send({ type: 'prepare', projectId, questionId: questionIds[0], questionIds });
    send({ type: 'search', requestId: 7, projectId, questionId: questionIds[0], query: 'answer' });
    await vi.waitFor(() => expect(received.find((m) => m.type === 'results')).toMatchObject({ requestId: 7, count: 3 }), { timeout: 15_000 });
  });
});
