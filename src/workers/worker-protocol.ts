/**
 * What every worker protocol shares. A request that expects replies carries a
 * `requestId`; every reply to it carries the same id; a message without one
 * (forget, invalidate, discard, cancel) expects no reply.
 */

/** A request's failure, in words for the user. Each protocol's reply union includes it. */
export interface ErrorReply {
  type: 'error';
  requestId: number;
  message: string;
}

/**
 * The worker went wrong outside any one request (a promise nobody awaited was
 * rejected, a notification threw): nothing it holds can be trusted, so the page
 * ends every pending request and starts a new worker.
 */
export interface WorkerFault {
  type: 'worker-fault';
  message: string;
}

export function isWorkerFault(data: unknown): data is WorkerFault {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'worker-fault';
}

export function requestIdOf(data: unknown): number | null {
  const id = typeof data === 'object' && data !== null ? (data as { requestId?: unknown }).requestId : undefined;
  return typeof id === 'number' ? id : null;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return String(error);
}
