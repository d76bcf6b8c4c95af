import { ImportError } from '../import/types';

/**
 * How much IndexedDB space a batch of texts needs, roughly: UTF-16 in memory, about as much on disk, plus overhead.
 * A number stands for a text of that many UTF-16 units (an answer still kept as bytes).
 */
export function estimateStoredBytes(texts: Iterable<string | number>): number {
  let chars = 0;
  for (const text of texts) chars += (typeof text === 'number' ? text : text.length) + 16;
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

/**
 * How many bytes of browser storage a survey file takes once imported, per
 * byte of file. Answer texts are stored as JavaScript strings (up to two bytes
 * a character, see estimateStoredBytes), beside respondents, attributes and
 * the database's own records; the sample study's 37 KB of CSV used 189 KB in
 * Chromium (much of it fixed overhead), so 3 is a cautious figure for large files.
 */
export const FILE_EXPANSION = 3;

const mb = (bytes: number) => `${Math.max(1, Math.round(bytes / 1e6)).toLocaleString('en')} MB`;

/** A warning before an import that will probably not fit, or null. */
export function importRoomWarning(fileBytes: number, estimate: { usage?: number; quota?: number } | null | undefined): string | null {
  if (!estimate?.quota) return null;
  const free = Math.max(0, estimate.quota - (estimate.usage ?? 0));
  const needed = fileBytes * FILE_EXPANSION;
  if (needed <= free) return null;
  return (
    `This file will need about ${mb(needed)} of browser storage, but only ${mb(free)} is free: the import will probably fail. ` +
    'Free some disk space or delete projects you no longer need first.'
  );
}

/** The room left, for the project list: "About 812 MB free for Codebench in this browser (12 MB used)." */
export function describeRoom(estimate: { usage?: number; quota?: number } | null | undefined): string | null {
  if (!estimate?.quota) return null;
  const used = estimate.usage ?? 0;
  const free = Math.max(0, estimate.quota - used);
  const size = (bytes: number) => (bytes < 1e9 ? mb(bytes) : `${(bytes / 1e9).toLocaleString('en', { maximumFractionDigits: 1 })} GB`);
  return `About ${size(free)} free for Codebench in this browser (${size(used)} used).`;
}
