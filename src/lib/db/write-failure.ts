/**
 * What a failed write means, in words a coder can act on. IndexedDB (through
 * Dexie) fails a write in a handful of ways; each is classified here, and the
 * work that was not saved is counted by kind, so the one "not saved" message
 * says what is missing and what to do about it.
 *
 * Pure: no Dexie import, errors are recognised by name (Dexie's errors and
 * the browser's DOMExceptions both carry one, and Dexie keeps the browser's
 * error as `inner`).
 */
import type { ReversibleChange } from '../coding/change';

export type WriteFailureKind =
  /** QuotaExceededError, directly or inside Dexie's AbortError: the disk or the origin's quota is full. */
  | 'no-room'
  /** DatabaseClosedError or InvalidStateError: the connection was closed (by the browser, after an error). */
  | 'closed'
  /** AbortError without a quota cause: the browser aborted the transaction. */
  | 'aborted'
  /** UnknownError: the browser's storage failed (often a full disk or a damaged profile). */
  | 'unknown'
  /** Anything else: a bug rather than the storage, named in the message. */
  | 'other';

interface NamedError {
  name?: unknown;
  message?: unknown;
  inner?: unknown;
}

/**
 * The error and the errors it wraps (Dexie's `inner`, the standard `cause`,
 * a BulkError's `failures`), outermost first.
 */
function chain(error: unknown): NamedError[] {
  const list: NamedError[] = [];
  const visit = (current: unknown) => {
    if (!current || typeof current !== 'object' || list.length >= 8 || list.includes(current as NamedError)) return;
    list.push(current as NamedError);
    visit((current as NamedError).inner ?? (current as { cause?: unknown }).cause);
    const failures = (current as { failures?: unknown }).failures;
    if (Array.isArray(failures)) for (const failure of failures.slice(0, 2)) visit(failure);
  };
  visit(error);
  return list;
}

export function classifyWriteFailure(error: unknown): WriteFailureKind {
  const errors = chain(error);
  const names = errors.map((e) => String(e.name ?? ''));
  // Chromium aborts the transaction on a full disk; Dexie's AbortError then says "QuotaExceededError …".
  if (names.includes('QuotaExceededError') || errors.some((e) => /QuotaExceeded/.test(String(e.message ?? '')))) return 'no-room';
  if (names[0] === 'DatabaseClosedError' || names.includes('InvalidStateError')) return 'closed';
  if (names.includes('UnknownError')) return 'unknown';
  if (names[0] === 'AbortError' || (names[0] === 'BulkError' && names.includes('AbortError'))) return 'aborted';
  if (names.includes('DatabaseClosedError')) return 'closed';
  return 'other';
}

/** Less free room than this, by the browser's own estimate, is a full disk. */
export const LOW_ROOM_BYTES = 1_000_000;

/**
 * Chromium reports a full disk as QuotaExceededError only when its quota
 * check catches it first; when the disk fills under it, the write fails as
 * UnknownError (or the connection closes). With the browser's estimate of the
 * room left, a storage failure on a full disk is named for what it is.
 */
export function withRoom(error: unknown, estimate: { usage?: number; quota?: number } | null | undefined): unknown {
  if (!estimate?.quota) return error;
  const kind = classifyWriteFailure(error);
  if (kind === 'no-room' || kind === 'other') return error;
  if (estimate.quota - (estimate.usage ?? 0) >= LOW_ROOM_BYTES) return error;
  return { name: 'QuotaExceededError', message: 'The browser estimates no room left for this site.', inner: error };
}

/** True for the failures of the storage itself (as opposed to a bug in what was written). */
export function isStorageFailure(error: unknown): boolean {
  return classifyWriteFailure(error) !== 'other';
}

/** Why a write failed, as the start of a sentence ("the browser has no room left"). */
export function failureReason(error: unknown): string {
  switch (classifyWriteFailure(error)) {
    case 'no-room':
      return 'the browser has no room left';
    case 'closed':
      return 'the database connection was closed';
    case 'aborted':
      return 'the browser stopped the write';
    case 'unknown':
      return 'the browser could not write to its storage';
    case 'other': {
      const first = chain(error)[0];
      const name = first?.name ? String(first.name) : 'Error';
      const message = first?.message ? String(first.message) : String(error);
      return `saving failed (${name}: ${message})`;
    }
  }
}

/** What to do about it, as a sentence of its own. */
export function failureAdvice(error: unknown, again = 'Retry'): string {
  switch (classifyWriteFailure(error)) {
    case 'no-room':
      return `Free some disk space, then ${again}.`;
    case 'closed':
      return again === 'Retry' ? 'Retry reopens it.' : 'Try again: the connection is opened again.';
    // Chromium gives a full disk as either, depending on where its storage ran out (measured: the same full
    // tmpfs gave QuotaExceededError with one schema and a bare AbortError with two more stores).
    case 'unknown':
    case 'aborted':
      return `If the disk is nearly full, free some space; then ${again}.`;
    default:
      return `${again.charAt(0).toUpperCase()}${again.slice(1)}.`;
  }
}

/**
 * A worker's failed import or file operation, named rather than raw:
 * "The import failed: the browser has no room left. Nothing was stored. Free
 * some disk space, then try again."
 */
export function storageFailureMessage(action: string, error: unknown, nothingStored = true): string {
  return `${action} failed: ${failureReason(error)}.${nothingStored ? ' Nothing was stored.' : ''} ${failureAdvice(error, 'try again')}`;
}

/** Work not saved, counted by kind. */
export interface UnsavedTally {
  codingsAdded: number;
  codingsRemoved: number;
  codingsChanged: number;
  exemplars: number;
  codebookChanges: number;
  themeChanges: number;
  resolutions: number;
  memos: number;
  memosDeleted: number;
  coders: number;
}

export const emptyTally = (): UnsavedTally => ({
  codingsAdded: 0,
  codingsRemoved: 0,
  codingsChanged: 0,
  exemplars: 0,
  codebookChanges: 0,
  themeChanges: 0,
  resolutions: 0,
  memos: 0,
  memosDeleted: 0,
  coders: 0,
});

export function addTallies(a: UnsavedTally, b: Partial<UnsavedTally>): UnsavedTally {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof UnsavedTally)[]) sum[key] += b[key] ?? 0;
  return sum;
}

export function tallySize(tally: UnsavedTally): number {
  return Object.values(tally).reduce((sum, n) => sum + n, 0);
}

/** What one undoable step holds: codings it adds, removes or changes, and the codebook, themes and resolutions it touches. */
export function tallyChange(change: ReversibleChange): UnsavedTally {
  const tally = emptyTally();
  const { forward, inverse } = change;
  const before = new Map(inverse.putCodings.map((c) => [c.id, c]));
  for (const coding of forward.putCodings) {
    const old = before.get(coding.id);
    if (!old) tally.codingsAdded++;
    // An exemplar mark is a step of its own only when nothing else about the coding changed (its `suggested` mark too).
    else if (
      old.codeId === coding.codeId &&
      old.start === coding.start &&
      old.end === coding.end &&
      Boolean(old.suggested) === Boolean(coding.suggested) &&
      Boolean(old.exemplar) !== Boolean(coding.exemplar)
    )
      tally.exemplars++;
    else tally.codingsChanged++;
  }
  const put = new Set(forward.putCodings.map((c) => c.id));
  for (const coding of forward.deleteCodings) if (!put.has(coding.id)) tally.codingsRemoved++;
  if (forward.putCodes.length + forward.deleteCodes.length > 0) tally.codebookChanges++;
  if ((forward.putThemes?.length ?? 0) + (forward.deleteThemes?.length ?? 0) > 0) tally.themeChanges++;
  tally.resolutions += forward.putResolutions?.length ?? 0;
  if (!forward.putResolutions?.length && forward.deleteResolutions?.length) tally.resolutions += forward.deleteResolutions.length;
  return tally;
}

const WORDS: [keyof UnsavedTally, string, string][] = [
  ['codingsAdded', 'coding', 'codings'],
  ['codingsRemoved', 'coding removal', 'coding removals'],
  ['codingsChanged', 'coding change', 'coding changes'],
  ['exemplars', 'exemplar mark', 'exemplar marks'],
  ['codebookChanges', 'codebook change', 'codebook changes'],
  ['themeChanges', 'theme change', 'theme changes'],
  ['resolutions', 'resolved disagreement', 'resolved disagreements'],
  ['memos', 'memo', 'memos'],
  ['memosDeleted', 'memo deletion', 'memo deletions'],
  ['coders', 'coder name', 'coder names'],
];

/** "9 codings and 1 memo" (the count of each kind, in a fixed order). */
export function describeTally(tally: UnsavedTally): string {
  const parts = WORDS.filter(([key]) => tally[key] > 0).map(([key, one, many]) => `${tally[key].toLocaleString('en')} ${tally[key] === 1 ? one : many}`);
  if (parts.length === 0) return 'no changes';
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/**
 * The one "not saved" message: "The browser has no room left: 9 codings and
 * 1 memo were not saved. Free some disk space, then Retry."
 */
export function unsavedMessage(error: unknown, tally: UnsavedTally): string {
  const reason = failureReason(error);
  const plural = tallySize(tally) !== 1;
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}: ${describeTally(tally)} ${plural ? 'were' : 'was'} not saved. ${failureAdvice(error)}`;
}
