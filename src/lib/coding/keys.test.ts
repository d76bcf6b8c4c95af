// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RESERVED_KEYS,
  SHORTCUT_KEYS,
  ShortcutError,
  assignShortcut,
  clearShortcut,
  codeByShortcut,
  defaultShortcuts,
  isAssignableKey,
  pruneShortcuts,
  resolveShortcuts,
} from './keys';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i + 1}`);

function caught(fn: () => unknown): ShortcutError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ShortcutError) return error;
    throw error;
  }
  throw new Error('expected a ShortcutError');
}

describe('shortcut keys', () => {
  it('are 1–9 and a–z without the reserved j, k, u', () => {
    expect(SHORTCUT_KEYS).toHaveLength(9 + 26 - 3);
    for (const key of ['j', 'k', 'u', '?', '0', ' ', 'ab', '', 'é']) expect(SHORTCUT_KEYS).not.toContain(key);
    expect(RESERVED_KEYS).toEqual(['j', 'k', 'u', '?']);
    expect(isAssignableKey('A')).toBe(true);
    expect(isAssignableKey('J')).toBe(false);
  });
});

describe('defaultShortcuts', () => {
  it('gives 1–9 to the first nine codes in tree order', () => {
    const shortcuts = defaultShortcuts(ids(12));
    expect([...shortcuts]).toEqual(ids(9).map((id, i) => [id, String(i + 1)]));
    expect(defaultShortcuts([])).toEqual(new Map());
    expect([...defaultShortcuts(['x', 'y'])]).toEqual([
      ['x', '1'],
      ['y', '2'],
    ]);
  });

  it('counts a repeated id once', () => {
    expect([...defaultShortcuts(['a', 'a', 'b'])]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });
});

describe('resolveShortcuts', () => {
  it('is the defaults when the user assigned nothing', () => {
    expect(resolveShortcuts(ids(10), {})).toEqual(defaultShortcuts(ids(10)));
  });

  it('lets a user key replace the code’s default and take a digit from another code', () => {
    const resolved = resolveShortcuts(ids(4), { c1: 'w', c4: '2' });
    expect([...resolved]).toEqual([
      ['c1', 'w'],
      ['c3', '3'],
      ['c4', '2'],
    ]);
    expect(resolved.has('c2')).toBe(false); // its digit went to c4; defaults do not shift
    expect(codeByShortcut(resolved).get('2')).toBe('c4');
  });

  it('gives user keys to codes beyond the ninth', () => {
    expect(resolveShortcuts(ids(12), { c12: 'z' }).get('c12')).toBe('z');
  });

  it('ignores assignments to unknown codes, unassignable keys, and keeps the first code on a collision', () => {
    const resolved = resolveShortcuts(['a', 'b', 'c'], { gone: '1', a: 'j', b: 'x', c: 'X' });
    expect(resolved.get('a')).toBe('1'); // "j" is reserved: a keeps its default
    expect(resolved.get('b')).toBe('x');
    expect(resolved.get('c')).toBe('3'); // "X" is "x", already b's
  });

  it('never gives a key to two codes, and gives every user key that is valid and free', () => {
    const key = fc.constantFrom(...SHORTCUT_KEYS, 'j', '?', '0', 'A', 'ab');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.dictionary(fc.constantFrom(...ids(15), 'gone'), key), (n, assigned) => {
        const codeIds = ids(n);
        const resolved = resolveShortcuts(codeIds, assigned);
        const keys = [...resolved.values()];
        expect(new Set(keys).size).toBe(keys.length);
        for (const k of keys) expect(SHORTCUT_KEYS).toContain(k);
        for (const id of resolved.keys()) expect(codeIds).toContain(id);
        expect([...resolved.keys()]).toEqual(codeIds.filter((id) => resolved.has(id)));
        const claimed = new Set<string>();
        for (const id of codeIds) {
          if (!(id in assigned)) continue;
          const k = assigned[id].toLowerCase();
          if (!SHORTCUT_KEYS.includes(k) || claimed.has(k)) continue;
          claimed.add(k);
          expect(resolved.get(id)).toBe(k);
        }
      }),
    );
  });
});

describe('assignShortcut', () => {
  it('returns a copy with the key, replacing the code’s previous key', () => {
    const current = { a: 'x' };
    const next = assignShortcut(current, 'a', 'y');
    expect(next).toEqual({ a: 'y' });
    expect(current).toEqual({ a: 'x' });
    expect(assignShortcut(next, 'b', '5')).toEqual({ a: 'y', b: '5' });
    expect(assignShortcut(next, 'a', 'y')).toEqual({ a: 'y' });
  });

  it('stores a capital letter as lower case', () => {
    expect(assignShortcut({}, 'a', 'Q')).toEqual({ a: 'q' });
  });

  it('refuses a reserved key with a clear message', () => {
    for (const key of ['j', 'k', 'u', '?', 'J']) {
      const error = caught(() => assignShortcut({}, 'a', key));
      expect(error.problem).toBe('reserved');
      expect(error.message).toMatch(/is reserved/);
    }
  });

  it('refuses keys that are not one digit 1–9 or letter a–z', () => {
    for (const key of ['0', 'ab', '', ' ', 'é', '!', 'Enter']) {
      const error = caught(() => assignShortcut({}, 'a', key));
      expect(error.problem).toBe('invalid');
      expect(error.message).toMatch(/single digit 1–9 or letter a–z/);
    }
  });

  it('refuses a key another code already has, naming that code', () => {
    const error = caught(() => assignShortcut({ other: 'w' }, 'a', 'W'));
    expect(error.problem).toBe('taken');
    expect(error.takenBy).toBe('other');
    expect(error.message).toMatch(/already the shortcut for another code/);
    expect(error).toBeInstanceOf(Error);
  });
});

describe('clearShortcut / pruneShortcuts', () => {
  it('clear one code’s key, or the keys of codes that no longer exist', () => {
    expect(clearShortcut({ a: 'x', b: 'y' }, 'a')).toEqual({ b: 'y' });
    expect(clearShortcut({ b: 'y' }, 'a')).toEqual({ b: 'y' });
    const pruned = pruneShortcuts({ a: 'x', gone: 'y' }, ['a', 'b']);
    expect(pruned).toEqual({ a: 'x' });
    expect(assignShortcut(pruned, 'b', 'y')).toEqual({ a: 'x', b: 'y' });
  });
});
