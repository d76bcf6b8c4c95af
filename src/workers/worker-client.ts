/**
 * The page's side of a worker, written once for all five: request ids, replies
 * routed to the request they answer, stale replies dropped, cancel, and what
 * happens when the worker itself fails.
 *
 * A worker can fail in ways no reply reports: its code does not load, it throws
 * outside a handler (an `error` event on the Worker), a reply cannot be
 * deserialised (`messageerror`), a promise nobody awaited rejects (the router
 * posts a WorkerFault), or a request cannot be cloned for it. Without this,
 * the request never gets a final reply and its dialog or spinner waits forever.
 * So every such failure ends every pending request with a message naming what
 * happened, the worker is terminated, and the next request starts a new one.
 *
 * Not comlink: it has no progress stream or cancel of its own, and its pending
 * calls never settle when the worker dies (GoogleChromeLabs/comlink#601), which
 * is the very case this is for; it would need these wrappers anyway.
 */
import { errorText, isWorkerFault, requestIdOf } from './worker-protocol';

/** What the client needs of a Worker; component tests pass fakes of this shape. */
export interface WorkerLike<ToWorker, FromWorker> {
  postMessage(message: ToWorker, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onerror?: ((event: Event) => void) | null;
  onmessageerror?: ((event: MessageEvent) => void) | null;
}

export interface RequestHandlers<FromWorker> {
  /** Every reply to the request, progress included, until the final one. */
  onReply(reply: FromWorker): void;
  /** The worker failed before the final reply; `message` says what happened and what it means. */
  onFailure(message: string): void;
  /** What a failure means for this request, in words for the user ("Nothing was stored; try again."). */
  consequence: string;
  /** A key: a newer request with the same key drops this one (only the newest search matters). */
  replaces?: string;
}

export interface WorkerClientOptions<ToWorker, FromWorker> {
  /** Names the worker in failure messages: "The import worker stopped unexpectedly…". */
  name: string;
  create: () => WorkerLike<ToWorker, FromWorker>;
  /** Whether a reply ends its request; progress and partial results do not. */
  isFinal: (reply: FromWorker) => boolean;
  /** Replies that answer no request (a search index's build progress, shared by the searches waiting for it). */
  onNotice?: (reply: FromWorker) => void;
  /**
   * The worker failed, whether or not a request was pending: for what it kept
   * between requests (the import's parsed file), which is gone with it.
   */
  onWorkerLost?: (message: string) => void;
}

interface Pending<FromWorker> extends RequestHandlers<FromWorker> {
  requestId: number;
}

export class WorkerClient<ToWorker, FromWorker> {
  #options: WorkerClientOptions<ToWorker, FromWorker>;
  #worker: WorkerLike<ToWorker, FromWorker> | null = null;
  #lastId = 0;
  #pending = new Map<number, Pending<FromWorker>>();

  constructor(options: WorkerClientOptions<ToWorker, FromWorker>) {
    this.#options = options;
  }

  /** Whether a worker is running (notifications reach only a running one). */
  get running(): boolean {
    return this.#worker !== null;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  isPending(requestId: number): boolean {
    return this.#pending.has(requestId);
  }

  /** Starts the worker ahead of need: loading its code would otherwise delay the first reply. */
  start() {
    this.#ensureWorker();
  }

  /**
   * Sends the request `build` makes with a fresh id, and routes its replies to
   * `handlers` until one is final. Returns the id. When the request cannot be
   * sent, `onFailure` is called before this returns.
   */
  request(build: (requestId: number) => ToWorker, handlers: RequestHandlers<FromWorker>, transfer: Transferable[] = []): number {
    const requestId = ++this.#lastId;
    if (handlers.replaces !== undefined) {
      for (const pending of this.#pending.values()) if (pending.replaces === handlers.replaces) this.#pending.delete(pending.requestId);
    }
    const pending: Pending<FromWorker> = { ...handlers, requestId };
    this.#pending.set(requestId, pending);
    try {
      this.#ensureWorker().postMessage(build(requestId), transfer);
    } catch (error) {
      // A DataCloneError (a proxy, a function): the worker is fine, only this request never reached it.
      this.#pending.delete(requestId);
      pending.onFailure(`The ${this.#options.name} worker could not be sent this request (${errorText(error)}). ${pending.consequence}`);
    }
    return requestId;
  }

  /**
   * Posts a message that expects no reply, to a running worker only (a new one
   * has nothing to forget or cancel), or with `start` to a worker started for
   * it (work to begin before any request: the search worker preparing a question).
   */
  notify(message: ToWorker, start = false, transfer: Transferable[] = []): boolean {
    if (!this.#worker && !start) return false;
    this.#ensureWorker().postMessage(message, transfer);
    return true;
  }

  /** Stops listening to a request: whatever the worker still sends for it is dropped. */
  drop(requestId: number) {
    this.#pending.delete(requestId);
  }

  dropAll() {
    this.#pending.clear();
  }

  /**
   * Stops the worker at once (the only way to interrupt a computation) and
   * drops every pending request without a word: the caller knows why. The
   * next request starts a new worker.
   */
  terminate() {
    this.#pending.clear();
    this.#stopWorker();
  }

  #ensureWorker(): WorkerLike<ToWorker, FromWorker> {
    if (this.#worker) return this.#worker;
    const worker = this.#options.create();
    worker.onmessage = (event) => {
      if (this.#worker === worker) this.#receive(event.data);
    };
    worker.onerror = (event) => {
      if (this.#worker === worker) this.#fail(`stopped unexpectedly (${errorEventReason(event)})`);
    };
    worker.onmessageerror = () => {
      if (this.#worker === worker) this.#fail('sent a reply the page could not read');
    };
    this.#worker = worker;
    return worker;
  }

  #stopWorker() {
    const worker = this.#worker;
    this.#worker = null;
    if (!worker) return;
    worker.onmessage = null;
    worker.onerror = null;
    worker.onmessageerror = null;
    worker.terminate();
  }

  #receive(data: FromWorker) {
    if (isWorkerFault(data)) {
      this.#fail(`stopped unexpectedly (${data.message})`);
      return;
    }
    const requestId = requestIdOf(data);
    if (requestId === null) {
      this.#options.onNotice?.(data);
      return;
    }
    const pending = this.#pending.get(requestId);
    if (!pending) return;
    if (this.#options.isFinal(data)) this.#pending.delete(requestId);
    pending.onReply(data);
  }

  /** Ends every pending request with the failure, and the worker with it: what it holds can no longer be trusted. */
  #fail(what: string) {
    const failed = [...this.#pending.values()];
    this.#pending.clear();
    this.#stopWorker();
    for (const pending of failed) pending.onFailure(`The ${this.#options.name} worker ${what}. ${pending.consequence}`);
    this.#options.onWorkerLost?.(`The ${this.#options.name} worker ${what}.`);
  }
}

function errorEventReason(event: Event): string {
  const message = (event as ErrorEvent).message;
  // A worker whose code fails to load fires a plain Event, with nothing to say.
  return typeof message === 'string' && message !== '' ? message : 'its code could not be loaded or run';
}
