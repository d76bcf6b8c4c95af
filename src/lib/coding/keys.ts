/**
 * Code keys: the digit or letter that applies a code. A key belongs to its code
 * and is stored with it (`Code.shortcut`), so moving, splitting or merging codes
 * never shifts another code's key. A new code takes the first free key.
 *
 * `shortcut` on a code: a key from SHORTCUT_KEYS; "" when the code has none
 * (the coder cleared it, or every key was taken); absent on codes stored before
 * keys were kept with codes, which get theirs once on loading (keysForUnkeyed).
 */
import { KEYMAP } from './keymap';

/** Keys the app keeps for its own shortcuts while coding; never available for a code. */
export const RESERVED_KEYS: readonly string[] = ['j', 'k', 'u', '?'];

/**
 * Letters the keymap uses without Ctrl/⌘, Alt or Shift where code keys act (the answers, and everywhere): a code
 * key there would be shadowed by the app's own. Shift + a letter is never a code key (keys are kept in lower
 * case), so the assistant's Shift + A and Shift + X leave A and X to codes. Read from the table, so a new binding
 * takes its letter from codes.
 */
const KEYMAP_LETTERS: readonly string[] = KEYMAP.filter((b) => b.context === 'answers' || b.context === 'everywhere').flatMap((b) =>
  b.chords.filter((c) => !c.mod && !c.alt && !c.shift && /^[a-z]$/i.test(c.key)).map((c) => c.key.toLowerCase()),
);

/** Keys a code may have, in the order new codes take them: 1–9, then a–z less the reserved ones. */
export const SHORTCUT_KEYS: readonly string[] = [...'123456789abcdefghijklmnopqrstuvwxyz'].filter(
  (key) => !RESERVED_KEYS.includes(key) && !KEYMAP_LETTERS.includes(key),
);

const ALLOWED = new Set(SHORTCUT_KEYS);

/** Why a key cannot be assigned. */
export type ShortcutProblem = 'invalid' | 'reserved' | 'taken';

/** Thrown by {@link checkShortcut}. The message is fit to show; `takenBy` is the id of the code that has the key. */
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

/** The key as stored: a letter typed with Shift or Caps Lock ("A") is the same key as "a". */
export function normalizeShortcutKey(key: string): string {
  return key.toLowerCase();
}

/** True when `key` (after {@link normalizeShortcutKey}) may be given to a code. */
export function isAssignableKey(key: string): boolean {
  return ALLOWED.has(normalizeShortcutKey(key));
}

/** The code's key, or null when it has none (cleared, or not yet given one). */
export function keyOf(code: { shortcut?: string }): string | null {
  return code.shortcut ? code.shortcut : null;
}

/** The first key in SHORTCUT_KEYS order that no code holds; "" when all are taken. */
export function firstFreeKey(codes: Iterable<{ shortcut?: string }>): string {
  const taken = new Set<string>();
  for (const code of codes) if (code.shortcut) taken.add(code.shortcut);
  return SHORTCUT_KEYS.find((key) => !taken.has(key)) ?? '';
}

/** Code id → key for the codes that have one, in the order given (pass the tree order to list codes as shown). */
export function shortcutMap(codes: Iterable<{ id: string; shortcut?: string }>): Map<string, string> {
  const shortcuts = new Map<string, string>();
  for (const code of codes) if (code.shortcut) shortcuts.set(code.id, code.shortcut);
  return shortcuts;
}

/** The inverse of a shortcut map, for the keydown handler: key → code id. */
export function codeByShortcut(shortcuts: ReadonlyMap<string, string>): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const [codeId, key] of shortcuts) if (!byKey.has(key)) byKey.set(key, codeId);
  return byKey;
}

function describeKey(key: string): string {
  return key === ' ' ? 'Space' : `“${key}”`;
}

/**
 * The key as stored when `codeId` may take it: normalised, "" to clear.
 *
 * @throws {ShortcutError} when the key is not a single digit 1–9 or letter a–z, is the app's own, or is
 *   another code's key (`takenBy` names that code).
 */
export function checkShortcut(codes: Iterable<{ id: string; shortcut?: string }>, codeId: string, key: string): string {
  if (key === '') return '';
  const normalized = normalizeShortcutKey(key);
  if (RESERVED_KEYS.includes(normalized) || KEYMAP_LETTERS.includes(normalized)) {
    throw new ShortcutError('reserved', normalized, `${describeKey(normalized)} is reserved: j, k, u and ? are Codebench’s own shortcuts.`);
  }
  if (!ALLOWED.has(normalized)) {
    throw new ShortcutError('invalid', normalized, `${describeKey(key)} cannot be a shortcut: use a single digit 1–9 or letter a–z.`);
  }
  for (const other of codes) {
    if (other.id !== codeId && other.shortcut === normalized) {
      throw new ShortcutError('taken', normalized, `${describeKey(normalized)} is already the shortcut for another code.`, other.id);
    }
  }
  return normalized;
}

export interface KeyingOptions {
  /** Keys to try first for a code that needs one (code id → key): a coder's old per-browser keys, a key the code had. */
  preferred?: Readonly<Record<string, string>>;
  /** Give the first nine codes in the order given 1–9 by position where free, as keys once were (before the first free key). */
  positional?: boolean;
}

/**
 * Keys for the codes that need one, as code id → key ("" when every key is taken): codes never given a key
 * (`shortcut` absent), and codes whose stored key is not a valid key or repeats one held by a code earlier in
 * `codesInOrder`. Codes with a sound key (or a cleared one, "") are not in the result and keep theirs. Each
 * code needing a key takes, in turn: its preferred key, its position's digit (with `positional`), the first
 * free key.
 */
export function keysForUnkeyed(codesInOrder: readonly { id: string; shortcut?: string }[], options: KeyingOptions = {}): Map<string, string> {
  const taken = new Set<string>();
  const needing: string[] = [];
  const position = new Map<string, number>();
  for (const code of codesInOrder) {
    if (position.has(code.id)) continue;
    position.set(code.id, position.size);
    const key = code.shortcut;
    if (key === '') continue;
    if (key !== undefined && ALLOWED.has(key) && !taken.has(key)) taken.add(key);
    else needing.push(code.id);
  }
  const given = new Map<string, string>();
  const give = (codeId: string, key: string) => {
    given.set(codeId, key);
    if (key !== '') taken.add(key);
  };
  const preferred = options.preferred ?? {};
  for (const codeId of needing) {
    if (!Object.hasOwn(preferred, codeId)) continue;
    const key = normalizeShortcutKey(String(preferred[codeId]));
    if (ALLOWED.has(key) && !taken.has(key)) give(codeId, key);
  }
  if (options.positional) {
    for (const codeId of needing) {
      const index = position.get(codeId)!;
      const key = String(index + 1);
      if (!given.has(codeId) && index < 9 && !taken.has(key)) give(codeId, key);
    }
  }
  for (const codeId of needing) {
    if (given.has(codeId)) continue;
    give(codeId, SHORTCUT_KEYS.find((key) => !taken.has(key)) ?? '');
  }
  return given;
}

/**
 * Incoming codes (a loaded codebook, a coder's new codes) keyed beside `existing`: the existing codes keep
 * their keys; an incoming code keeps the key it came with when that is free, and otherwise, or when it came
 * without one, takes the first free key. An incoming code that came with "" (no key) stays without.
 */
export function keyIncoming<T extends { id: string; shortcut?: string }>(existing: readonly { id: string; shortcut?: string }[], incoming: readonly T[]): T[] {
  const given = keysForUnkeyed([...existing.map((c) => ({ id: c.id, shortcut: c.shortcut ?? '' })), ...incoming]);
  return incoming.map((c) => (given.has(c.id) ? { ...c, shortcut: given.get(c.id)! } : c));
}
