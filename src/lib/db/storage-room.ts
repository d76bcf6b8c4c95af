import { ImportError } from '../import/types';

/** How much IndexedDB space a batch of texts needs, roughly: UTF-16 in memory, about as much on disk, plus overhead. */
export function estimateStoredBytes(texts: Iterable<string>): number {
  let chars = 0;
  for (const text of texts) chars += text.length + 16;
  return chars * 2;
}

/**
 * Refuses an import the browser has no room for, before a transaction starts
 * (the browser would otherwise fail it only at the end, after seconds of work).
 */
export function checkStorageRoom(neededBytes: number, estimate: { usage?: number; quota?: number } | undefined) {
  if (!estimate?.quota) return;
  const free = estimate.quota - (estimate.usage ?? 0);
  if (neededBytes > free) {
    const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString('en')} MB`;
    throw new ImportError(
      `This file needs about ${mb(neededBytes)} of browser storage, but only ${mb(free)} is free. ` +
        'Nothing was stored. Free disk space or delete projects you no longer need, then import again.',
    );
  }
}
