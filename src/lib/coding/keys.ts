/**
 * Keyboard shortcuts for applying codes. The first nine codes get 1–9 by
 * position so a new project is fast to code without any setup; evaluators can
 * then give any code a digit or letter of their own, stored as a record from
 * code id to key.
 */

/** Keys the app keeps for its own shortcuts while coding; never available for a code. */
export const RESERVED_KEYS: readonly string[] = ['j', 'k', 'u', '?'];

/** Keys a code may have: the digits 1–9 and the letters a–z, less the reserved ones. */
export const SHORTCUT_KEYS: readonly string[] = [...'123456789abcdefghijklmnopqrstuvwxyz'].filter((key) => !RESERVED_KEYS.includes(key));

const ALLOWED = new Set(SHORTCUT_KEYS);

/** Why a key cannot be assigned. */
export type ShortcutProblem = 'invalid' | 'reserved' | 'taken';

/**
 * Thrown by {@link assignShortcut}. The message is fit to show; `takenBy` lets
 * the UI name the code that already has the key.
 */
export class ShortcutError extends Error {
  readonly problem: ShortcutProblem;
  readonly key: string;
  readonly takenBy: string | null;

  constructor(problem: ShortcutProblem, key: string, message: string, takenBy: string | null = null) {
    super(message);
    this.name = 'ShortcutError';
    this.problem = problem;
    this.key = key;
    this.takenBy = takenBy;
  }
}

/**
 * The key as stored: a letter typed with Shift or Caps Lock ("A") is the same
 * shortcut as "a", since shortcuts ignore case when pressed.
 */
export function normalizeShortcutKey(key: string): string {
  return key.toLowerCase();
}

/** True when `key` (after {@link normalizeShortcutKey}) may be given to a code. */
export function isAssignableKey(key: string): boolean {
  return ALLOWED.has(normalizeShortcutKey(key));
}

/** "1".."9" for the first nine codes in tree order, by position. Map from code id to key. */
export function defaultShortcuts(codeIdsInTreeOrder: readonly string[]): Map<string, string> {
  const shortcuts = new Map<string, string>();
  const distinct = [...new Set(codeIdsInTreeOrder)];
  for (let i = 0; i < Math.min(9, distinct.length); i++) shortcuts.set(distinct[i], String(i + 1));
  return shortcuts;
}

/**
 * The shortcut of each code (code id → key), user assignments merged over the
 * defaults. A user-assigned key wins: the code keeps it in place of its
 * default digit, and a code whose default digit the user gave elsewhere goes
 * without (defaults stay by position rather than shifting, so "3" never
 * silently moves to another code). Each key belongs to one code: should stored
 * assignments collide, the code earlier in tree order keeps the key.
 * Assignments to codes not in `codeIds` (deleted codes) and keys that are not
 * assignable are ignored.
 */
export function resolveShortcuts(codeIds: readonly string[], assigned: Readonly<Record<string, string>>): Map<string, string> {
  const known = new Set(codeIds);
  const shortcuts = new Map<string, string>();
  const taken = new Set<string>();
  for (const codeId of known) {
    if (!Object.hasOwn(assigned, codeId)) continue;
    const key = normalizeShortcutKey(assigned[codeId]);
    if (!ALLOWED.has(key) || taken.has(key)) continue;
    shortcuts.set(codeId, key);
    taken.add(key);
  }
  for (const [codeId, key] of defaultShortcuts(codeIds)) {
    if (shortcuts.has(codeId) || taken.has(key)) continue;
    shortcuts.set(codeId, key);
    taken.add(key);
  }
  // Re-insert in tree order so iterating the map lists codes as the tree shows them.
  const ordered = new Map<string, string>();
  for (const codeId of known) {
    const key = shortcuts.get(codeId);
    if (key !== undefined) ordered.set(codeId, key);
  }
  return ordered;
}

/** The inverse of a shortcut map, for the keydown handler: key → code id. */
export function codeByShortcut(shortcuts: ReadonlyMap<string, string>): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const [codeId, key] of shortcuts) byKey.set(key, codeId);
  return byKey;
}

function describeKey(key: string): string {
  return key === ' ' ? 'Space' : `“${key}”`;
}

/**
 * A copy of the user's assignments with `key` given to `codeId`, replacing the
 * code's previous key (a code has one key). Assigning a code the key it
 * already has changes nothing. The key may override a default digit held by
 * another code (see {@link resolveShortcuts}), but not another code's
 * user-assigned key.
 *
 * @throws {ShortcutError} when the key is not a single digit 1–9 or letter a–z,
 *   is reserved by the app, or is already assigned to another code.
 */
export function assignShortcut(current: Readonly<Record<string, string>>, codeId: string, key: string): Record<string, string> {
  const normalized = normalizeShortcutKey(key);
  if (RESERVED_KEYS.includes(normalized)) {
    throw new ShortcutError('reserved', normalized, `${describeKey(normalized)} is reserved: j, k, u and ? are Codebench’s own shortcuts.`);
  }
  if (!ALLOWED.has(normalized)) {
    throw new ShortcutError(
      'invalid',
      normalized,
      `${key === '' ? 'An empty key' : describeKey(key)} cannot be a shortcut: use a single digit 1–9 or letter a–z.`,
    );
  }
  for (const [otherId, otherKey] of Object.entries(current)) {
    if (otherId !== codeId && normalizeShortcutKey(otherKey) === normalized) {
      throw new ShortcutError('taken', normalized, `${describeKey(normalized)} is already the shortcut for another code.`, otherId);
    }
  }
  return { ...current, [codeId]: normalized };
}

/** A copy of the user's assignments without `codeId`'s key, so the code falls back to its default (if any). */
export function clearShortcut(current: Readonly<Record<string, string>>, codeId: string): Record<string, string> {
  const { [codeId]: _removed, ...rest } = current;
  return rest;
}

/**
 * A copy of the user's assignments keeping only codes that still exist, so a
 * deleted code's key does not stay "taken" by a code nobody can see.
 */
export function pruneShortcuts(current: Readonly<Record<string, string>>, codeIds: Iterable<string>): Record<string, string> {
  const known = new Set(codeIds);
  return Object.fromEntries(Object.entries(current).filter(([codeId]) => known.has(codeId)));
}
