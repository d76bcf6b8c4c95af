import { describe, expect, it, vi } from 'vitest';
import { afterPaint } from '../../src/lib/state/after-paint';
import { SearchState, type SearchWorkerLike } from '../../src/lib/state/search.svelte';
import type { AnswerView } from '../../src/lib/state/answer-view.svelte';
import type { FromSearchWorker, ToSearchWorker } from '../../src/workers/search-protocol';

function setup() {
  const posted: ToSearchWorker[] = [];
  let created = 0;
  const worker: SearchWorkerLike = { postMessage: (m) => posted.push(m), terminate() {}, onmessage: null };
  const view = { answerIds: ['a', 'b', 'c'], visible: [0, 2], set: vi.fn() };
  const search = new SearchState(view as unknown as AnswerView, () => (created++, worker));
  const reply = (message: FromSearchWorker) => worker.onmessage!({ data: message } as MessageEvent<FromSearchWorker>);
  const lastSearch = () => posted.filter((m) => m.type === 'search').at(-1) as Extract<ToSearchWorker, { type: 'search' }>;
  const rangeRequests = () => posted.filter((m) => m.type === 'ranges') as Extract<ToSearchWorker, { type: 'ranges' }>[];
  return { search, view, worker, posted, reply, lastSearch, rangeRequests, created: () => created };
}

// Queued behind the state's own afterPaint (same frame, then tasks in order): no sleep racing it on a slow machine.
const painted = () => new Promise<void>((resolve) => afterPaint(resolve));

describe('SearchState', () => {
  it('narrows the list at once and asks for highlights only after that list is painted', async () => {
    const { search, view, reply, lastSearch, rangeRequests } = setup();
    search.setContext('p', 'q');
    search.setQuery('men');
    const mask = new Uint8Array([1, 0, 1]);
    reply({ type: 'results', requestId: lastSearch().requestId, mask, count: 2, ms: 1 });
    expect(view.set).toHaveBeenCalledWith({ searchMask: mask });
    expect(search.hitCount).toBe(2);
    // A reply landing before the frame would make it render the rows twice.
    expect(rangeRequests()).toEqual([]);
    await painted();
    expect(rangeRequests().map((r) => r.answerIds)).toEqual([['a', 'c']]);
  });

  it('asks no highlights for a search the coder has typed past', async () => {
    const { search, reply, lastSearch, rangeRequests } = setup();
    search.setContext('p', 'q');
    search.setQuery('me');
    reply({ type: 'results', requestId: lastSearch().requestId, mask: new Uint8Array([1, 1, 1]), count: 3, ms: 1 });
    search.setQuery('men');
    await painted();
    expect(rangeRequests()).toEqual([]);
  });

  it('says so when the worker crashes while indexing, and searches again in a new worker', () => {
    const { search, worker, reply, lastSearch, created } = setup();
    search.setContext('p', 'q');
    search.setQuery('men');
    reply({ type: 'indexing', projectId: 'p', questionId: 'q', done: 10, total: 100 });
    expect(search.indexing).toEqual({ done: 10, total: 100 });
    worker.onerror?.({ type: 'error', message: 'Uncaught RangeError: Invalid string length' } as ErrorEvent);
    expect(search.indexing).toBeNull();
    expect(search.error).toBe('The search worker stopped unexpectedly (Uncaught RangeError: Invalid string length). Search again.');
    search.setQuery('mentor');
    expect(created()).toBe(2);
    expect(search.error).toBeNull();
    expect(lastSearch()).toMatchObject({ query: 'mentor' });
  });

  it('reports a worker error for the shown search, and ignores one for a search typed past', () => {
    const { search, reply, lastSearch } = setup();
    search.setContext('p', 'q');
    search.setQuery('me');
    const older = lastSearch().requestId;
    search.setQuery('men');
    reply({ type: 'error', requestId: older, message: 'old' });
    expect(search.error).toBeNull();
    reply({ type: 'error', requestId: lastSearch().requestId, message: 'The index could not be read.' });
    expect(search.error).toBe('Search failed: The index could not be read.');
  });

  it('asks the worker to prepare the shown question as soon as it is shown, before any search, and again after a crash', () => {
    const { search, worker, posted, created } = setup();
    search.setContext('p', 'q2', ['q1', 'q2', 'q3']);
    expect(created()).toBe(1);
    expect(posted).toEqual([{ type: 'prepare', projectId: 'p', questionId: 'q2', questionIds: ['q1', 'q2', 'q3'] }]);
    // The page still reading the next question's answers: not yet; once it has: then.
    search.setContext('p', 'q1', ['q1', 'q2', 'q3'], false);
    expect(posted).toHaveLength(1);
    search.setContext('p', 'q1', ['q1', 'q2', 'q3'], true);
    expect(posted.at(-1)).toEqual({ type: 'prepare', projectId: 'p', questionId: 'q1', questionIds: ['q1', 'q2', 'q3'] });
    search.setContext('p', 'q2', ['q1', 'q2', 'q3']);
    expect(posted).toHaveLength(3);
    // The same question again (the overview reloaded): nothing new to prepare.
    search.setContext('p', 'q2', ['q1', 'q2', 'q3']);
    expect(posted).toHaveLength(3);
    search.setContext('p', 'q3', ['q1', 'q2', 'q3']);
    expect(posted.at(-1)).toEqual({ type: 'prepare', projectId: 'p', questionId: 'q3', questionIds: ['q1', 'q2', 'q3'] });
    worker.onerror?.({ type: 'error', message: 'boom' } as ErrorEvent);
    search.setQuery('men');
    expect(created()).toBe(2);
    expect(posted.slice(-2).map((m) => m.type)).toEqual(['prepare', 'search']);
  });

  it('is ready once the worker has keyed the shown question, and shows progress only while a search waits', () => {
    const { search, reply } = setup();
    search.setContext('p', 'q', ['q', 'r']);
    reply({ type: 'indexing', projectId: 'p', questionId: 'q', done: 10, total: 100 });
    expect(search.ready).toBe(false);
    expect(search.indexing).toBeNull();
    search.setQuery('men');
    reply({ type: 'indexing', projectId: 'p', questionId: 'q', done: 50, total: 100 });
    expect(search.indexing).toEqual({ done: 50, total: 100 });
    // Another question's progress is not the shown one's.
    reply({ type: 'indexing', projectId: 'p', questionId: 'r', done: 100, total: 100 });
    expect(search.ready).toBe(false);
    reply({ type: 'indexing', projectId: 'p', questionId: 'q', done: 100, total: 100 });
    expect(search.ready).toBe(true);
    expect(search.indexing).toBeNull();
    search.setContext('p', 'r', ['q', 'r']);
    expect(search.ready).toBe(false);
  });
});
