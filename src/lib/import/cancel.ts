/**
 * Cancellation for the import pipeline.
 *
 * A cancelled import throws a `DOMException` named "AbortError" (the same thing
 * `fetch` throws), never an ImportError: the UI shows ImportError messages to the
 * user as problems with the file, and a cancel is not a problem with the file.
 */

/** Message of the AbortError thrown when an import is cancelled. */
export const CANCELLED_MESSAGE = 'Import cancelled';

/** Throws an AbortError if the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  // Not signal.throwIfAborted(): that throws signal.reason, which can be any value
  // the caller passed to abort(); a fixed AbortError is easier to recognise.
  if (signal?.aborted) throw new DOMException(CANCELLED_MESSAGE, 'AbortError');
}

/** True for the error an import throws when it was cancelled. */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * Lets the event loop run (so a worker can receive a "cancel" message) before
 * the next slice of work. setTimeout is the one scheduler both workers and Node
 * have; the 4 ms clamp browsers apply after nested timeouts costs ~0.1 s per
 * 100 MB at the chunk sizes used here.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
