/**
 * The worker's side of the plumbing, written once: every message goes to one
 * handler, and whatever it throws or rejects with becomes an error reply
 * carrying the request's id, so the page's request ends instead of waiting.
 * A rejection nobody awaited, or a failing message without a request id,
 * belongs to no request: it is posted as a WorkerFault, and the page ends
 * every pending request and starts a new worker (see worker-client.ts).
 */
import { errorText, requestIdOf, type ErrorReply, type WorkerFault } from './worker-protocol';

/** The part of a worker's global scope the router uses; tests pass a fake. */
export interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
}

export interface RouterOptions<ToWorker, FromWorker> {
  /**
   * The reply for an error the handler did not turn into one itself (a worker
   * may name a cancel or an error's row); by default an ErrorReply with its message.
   */
  errorReply?: (error: unknown, message: ToWorker, requestId: number) => FromWorker;
  scope?: WorkerScope;
}

export function routeRequests<ToWorker, FromWorker>(
  handle: (message: ToWorker) => void | Promise<void>,
  options: RouterOptions<ToWorker, FromWorker> = {},
) {
  const scope = options.scope ?? workerScope();
  const fault = (error: unknown) => {
    console.error(error);
    const message: WorkerFault = { type: 'worker-fault', message: errorText(error) };
    scope.postMessage(message);
  };
  const report = (error: unknown, message: ToWorker) => {
    const requestId = requestIdOf(message);
    if (requestId === null) return fault(error);
    try {
      const reply: FromWorker | ErrorReply = options.errorReply?.(error, message, requestId) ?? { type: 'error', requestId, message: errorText(error) };
      scope.postMessage(reply);
    } catch (failed) {
      // Even the error could not be said (an uncloneable error reply): the page must still hear something.
      fault(failed);
    }
  };
  scope.onmessage = (event: MessageEvent) => {
    const message = event.data as ToWorker;
    try {
      const done = handle(message);
      if (done instanceof Promise) done.catch((error: unknown) => report(error, message));
    } catch (error) {
      report(error, message);
    }
  };
  scope.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    fault(event.reason);
  });
}

/** The worker's own scope, read through the globals the workers have always used (tests stub them). */
function workerScope(): WorkerScope {
  return {
    postMessage: (message) => postMessage(message),
    get onmessage() {
      return self.onmessage;
    },
    set onmessage(handler) {
      self.onmessage = handler;
    },
    addEventListener: (type, listener) => self.addEventListener(type, listener),
  };
}
