/**
 * Full-text search over the open question's answers. The index lives in the
 * search worker; this class sends what the coder types and keeps the hits (which
 * narrow the answer list) and the highlight ranges of the first hits.
 */
import type { FromSearchWorker, ToSearchWorker } from '../../workers/search-protocol';
import type { AnswerView } from './answer-view.svelte';
import { afterPaint } from './after-paint';

export interface SearchWorkerLike {
  postMessage(message: ToSearchWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromSearchWorker>) => void) | null;
}

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
  indexing = $state<{ done: number; total: number } | null>(null);
  error = $state<string | null>(null);
  /** Worker time of the last search, for the bench. */
  lastMs = $state(0);

  #view: AnswerView;
  #createWorker: () => SearchWorkerLike;
  #worker: SearchWorkerLike | null = null;
  #requestId = 0;
  #context: { projectId: string; questionId: string } | null = null;

  constructor(view: AnswerView, createWorker: () => SearchWorkerLike = defaultSearchWorker) {
    this.#view = view;
    this.#createWorker = createWorker;
  }

  active = $derived(this.query.trim() !== '');

  /** The question searched changed: search it for the same words. */
  setContext(projectId: string | null, questionId: string | null) {
    const next = projectId && questionId ? { projectId, questionId } : null;
    if (next?.projectId === this.#context?.projectId && next?.questionId === this.#context?.questionId) return;
    this.#context = next;
    this.#run();
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
    this.#worker?.postMessage({ type: 'forget', projectId });
    this.#run();
  }

  #run() {
    const requestId = ++this.#requestId;
    this.error = null;
    if (!this.active || !this.#context) {
      this.hitCount = null;
      this.ranges = new Map();
      this.#view.set({ searchMask: null });
      return;
    }
    this.#send({ type: 'search', requestId, ...this.#context, query: this.query });
  }

  #send(message: ToSearchWorker) {
    if (!this.#worker) {
      this.#worker = this.#createWorker();
      this.#worker.onmessage = (event) => this.#receive(event.data);
    }
    this.#worker.postMessage(message);
  }

  #receive(message: FromSearchWorker) {
    switch (message.type) {
      case 'indexing':
        this.indexing = message.done >= message.total ? null : { done: message.done, total: message.total };
        break;
      case 'results': {
        if (message.requestId !== this.#requestId || !this.#context) return;
        if (message.mask.length !== this.#view.answerIds.length) {
          // The worker indexed another version of the answers (an import landed
          // in between): rebuild its index rather than mark the wrong rows.
          this.#worker?.postMessage({ type: 'forget', projectId: this.#context.projectId });
          this.#run();
          return;
        }
        this.hitCount = message.count;
        this.lastMs = message.ms;
        this.#view.set({ searchMask: message.mask });
        // Highlight the first hits in list order: those the coder sees first. Asked for
        // once the narrowed list is painted: a reply landing before that frame made the
        // frame render the rows twice, and the bench saw the list appear 20-40 ms later.
        const { requestId } = message;
        afterPaint(() => {
          if (requestId !== this.#requestId || !this.#context) return;
          const inList = this.#view.visible.slice(0, HIGHLIGHTED_HITS).map((p) => this.#view.answerIds[p]);
          this.#send({ type: 'ranges', requestId, ...this.#context, query: this.query, answerIds: inList });
        });
        break;
      }
      case 'ranges':
        if (message.requestId === this.#requestId) this.ranges = new Map(Object.entries(message.ranges));
        break;
      case 'error':
        if (message.requestId === this.#requestId) this.error = `Search failed: ${message.message}`;
        break;
    }
  }
}
