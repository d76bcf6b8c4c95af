/**
 * Full-text search over the open question's answers. The index lives in the
 * search worker; this class sends what the coder types and keeps the hits (which
 * narrow the answer list) and the highlight ranges of the first hits.
 *
 * It also tells the worker which question is shown as soon as it is (a project
 * opened, another question chosen), so the worker prepares its answers before
 * the first keystroke rather than after it.
 */
import { forwardHolds, userActivity, type UserActivity } from './user-activity';
import type { FromSearchWorker, ToSearchWorker } from '../../workers/search-protocol';
import { WorkerClient, type WorkerLike } from '../../workers/worker-client';
import type { AnswerView } from './answer-view.svelte';
import { afterPaint } from './after-paint';

export type SearchWorkerLike = WorkerLike<ToSearchWorker, FromSearchWorker>;

/** Hits whose words are highlighted; beyond this the list still narrows but is not marked. */
export const HIGHLIGHTED_HITS = 500;

export function defaultSearchWorker(): SearchWorkerLike {
  return new Worker(new URL('../../workers/search-worker.ts', import.meta.url), { type: 'module' }) as SearchWorkerLike;
}

export class SearchState {
  query = $state('');
  /** How many answers the last search found, or null when there is none. */
  hitCount = $state<number | null>(null);
  ranges = $state.raw<Map<string, [number, number][]>>(new Map());
  /** A search waits for the shown question's answers to be keyed: how far that is. */
  indexing = $state<{ done: number; total: number } | null>(null);
  /** The shown question's answers are keyed: a search answers without preparing anything first. */
  ready = $state(false);
  error = $state<string | null>(null);
  /** Worker time of the last search, for the bench. */
  lastMs = $state(0);

  #view: AnswerView;
  #worker: WorkerClient<ToSearchWorker, FromSearchWorker>;
  /** The search whose results the list shows or waits for; 0 when there is none. */
  #searchId = 0;
  #context: { projectId: string; questionId: string } | null = null;
  /** The project's questions, the shown one first: what the worker is asked to prepare. */
  #questionIds: readonly string[] = [];
  /** The context the worker was last asked to prepare (a new worker, after a crash, has to be asked again). */
  #prepared: string | null = null;
  /** Tells a worker just started that the user is busy (forwardHolds). */
  #holdIfBusy: () => void;

  constructor(view: AnswerView, createWorker: () => SearchWorkerLike = defaultSearchWorker, activity: UserActivity = userActivity()) {
    this.#view = view;
    // The worker's keying ahead waits while the user scrolls or drags (a search itself never waits).
    this.#holdIfBusy = forwardHolds(activity, (message) => this.#worker.notify(message));
    this.#worker = new WorkerClient({
      name: 'search',
      create: createWorker,
      isFinal: () => true,
      // An index's build progress is shared by every search waiting for it.
      onNotice: (reply) => {
        if (reply.type !== 'indexing') return;
        const context = this.#context;
        if (reply.projectId !== context?.projectId || reply.questionId !== context.questionId) return;
        this.ready = reply.done >= reply.total;
        this.indexing = reply.done >= reply.total || !this.active ? null : { done: reply.done, total: reply.total };
      },
      onWorkerLost: () => {
        this.#prepared = null;
        this.ready = false;
      },
    });
  }

  active = $derived(this.query.trim() !== '');

  /**
   * The question shown changed (or a project opened): have the worker prepare
   * it (and then `questionIds`, the project's other questions), and search it
   * for the same words. With `prepareNow` false the worker is not asked yet
   * (the page is still reading the question's answers, and the worker's own read
   * would compete with it); a later call with true asks it.
   */
  setContext(projectId: string | null, questionId: string | null, questionIds: readonly string[] = [], prepareNow = true) {
    const next = projectId && questionId ? { projectId, questionId } : null;
    this.#questionIds = questionIds;
    if (next?.projectId === this.#context?.projectId && next?.questionId === this.#context?.questionId) {
      if (prepareNow) this.#prepare();
      return;
    }
    this.#context = next;
    this.ready = false;
    this.indexing = null;
    if (prepareNow) this.#prepare();
    this.#run();
  }

  #prepare() {
    const context = this.#context;
    const key = context ? `${context.projectId}\u001f${context.questionId}` : null;
    if (!context || key === this.#prepared) return;
    this.#prepared = key;
    try {
      this.#worker.notify({ type: 'prepare', ...context, questionIds: [...this.#questionIds] }, true);
      this.#holdIfBusy();
    } catch {
      // Preparing only saves the first search time. Where no worker can start (jsdom has no Worker), the first
      // search asks for it again, and its failure is reported to the user.
      this.#prepared = null;
    }
  }

  setQuery(query: string) {
    this.query = query;
    this.#run();
  }

  clear() {
    this.setQuery('');
  }

  /** The project's answers changed (an import): its indexes must be rebuilt. */
  forget(projectId: string) {
    this.#worker.notify({ type: 'forget', projectId });
    if (this.#context?.projectId === projectId) {
      this.#prepared = null;
      this.ready = false;
      this.#prepare();
    }
    this.#run();
  }

  #run() {
    this.error = null;
    const context = this.#context;
    if (!this.active || !context) {
      this.#searchId = 0;
      this.hitCount = null;
      this.ranges = new Map();
      this.#view.set({ searchMask: null });
      return;
    }
    // A worker started anew (after a crash) has prepared nothing.
    this.#prepare();
    const query = this.query;
    this.#searchId = this.#worker.request((requestId) => ({ type: 'search', requestId, ...context, query }), {
      onReply: (reply) => this.#results(reply),
      onFailure: (message) => this.#failed(message),
      consequence: 'Search again.',
      // Only the newest search matters.
      replaces: 'search',
    });
  }

  #failed(message: string) {
    this.indexing = null;
    this.error = message;
  }

  #results(message: FromSearchWorker) {
    if (message.type === 'indexing' || message.requestId !== this.#searchId || !this.#context) return;
    if (message.type === 'error') {
      this.error = `Search failed: ${message.message}`;
      return;
    }
    if (message.type !== 'results') return;
    if (message.mask.length !== this.#view.answerIds.length) {
      // The worker indexed another version of the answers (an import landed
      // in between): rebuild its index rather than mark the wrong rows.
      this.forget(this.#context.projectId);
      return;
    }
    this.hitCount = message.count;
    this.lastMs = message.ms;
    this.#view.set({ searchMask: message.mask });
    // Highlight the first hits in list order: those the coder sees first. Asked for
    // once the narrowed list is painted: a reply landing before that frame made the
    // frame render the rows twice, and the bench saw the list appear 20-40 ms later.
    const searchId = message.requestId;
    afterPaint(() => {
      const context = this.#context;
      if (searchId !== this.#searchId || !context) return;
      const answerIds = this.#view.visible.slice(0, HIGHLIGHTED_HITS).map((p) => this.#view.answerIds[p]);
      const query = this.query;
      this.#worker.request((requestId) => ({ type: 'ranges', requestId, ...context, query, answerIds }), {
        onReply: (reply) => {
          if (searchId !== this.#searchId) return;
          if (reply.type === 'ranges') this.ranges = new Map(Object.entries(reply.ranges));
          else if (reply.type === 'error') this.error = `Search failed: ${reply.message}`;
        },
        onFailure: (failure) => this.#failed(failure),
        consequence: 'Search again.',
        replaces: 'ranges',
      });
    });
  }
}
