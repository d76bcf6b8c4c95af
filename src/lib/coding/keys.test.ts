// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RESERVED_KEYS,
  SHORTCUT_KEYS,
  ShortcutError,
  checkShortcut,
  codeByShortcut,
  firstFreeKey,
  isAssignableKey,
  keyIncoming,
  keysForUnkeyed,
  shortcutMap,
} from './keys';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i + 1}`);
const unkeyed = (n: number) => ids(n).map((id) => ({ id }));

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
  it('are 1–9 and a–z without the reserved j, k, u, digits first', () => {
    expect(SHORTCUT_KEYS).toHaveLength(9 + 26 - 3);
    expect(SHORTCUT_KEYS.slice(0, 10)).toEqual([...'123456789a']);
    for (const key of ['j', 'k', 'u', '?', '0', ' ', 'ab', '', 'é']) expect(SHORTCUT_KEYS).not.toContain(key);
    expect(RESERVED_KEYS).toEqual(['j', 'k', 'u', '?']);
    expect(isAssignableKey('A')).toBe(true);
    expect(isAssignableKey('J')).toBe(false);
  });
});

describe('firstFreeKey', () => {
  it('is the first key no code holds, digits then letters, "" when all are taken', () => {
    expect(firstFreeKey([])).toBe('1');
    expect(firstFreeKey([{ shortcut: '1' }, { shortcut: '' }, {}, { shortcut: '3' }])).toBe('2');
    expect(firstFreeKey(SHORTCUT_KEYS.slice(0, 9).map((shortcut) => ({ shortcut })))).toBe('a');
    expect(firstFreeKey(SHORTCUT_KEYS.map((shortcut) => ({ shortcut })))).toBe('');
  });

  it('gives 18 codes created one after another 18 different keys (the starter codebook)', () => {
    const codes: { id: string; shortcut: string }[] = [];
    for (const id of ids(18)) codes.push({ id, shortcut: firstFreeKey(codes) });
    expect(codes.map((c) => c.shortcut)).toEqual([...'123456789abcdefghi']);
  });
});

describe('shortcutMap / codeByShortcut', () => {
  it('lists the codes that have a key, in the order given, and inverts it', () => {
    const map = shortcutMap([{ id: 'b', shortcut: 'x' }, { id: 'a', shortcut: '' }, { id: 'c' }, { id: 'd', shortcut: '2' }]);
    expect([...map]).toEqual([
      ['b', 'x'],
      ['d', '2'],
    ]);
    expect(codeByShortcut(map).get('2')).toBe('d');
  });
});

describe('keysForUnkeyed (projects from before keys were kept with codes)', () => {
  it('gives 1–9 by position as the defaults did, then the first free keys: every code gets one', () => {
    const given = keysForUnkeyed(unkeyed(18), { positional: true });
    expect([...given]).toEqual(ids(18).map((id, i) => [id, [...'123456789abcdefghi'][i]]));
  });

  it('keeps the coder’s own keys first, then positional digits where free, so no shown key changes', () => {
    // As resolveShortcuts showed it: c1 had "w", c4 had "2" (so c2 had none), c3 had "3".
    const given = keysForUnkeyed(unkeyed(4), { preferred: { c1: 'w', c4: '2', gone: '5', c3: 'J' }, positional: true });
    expect(given.get('c1')).toBe('w');
    expect(given.get('c3')).toBe('3');
    expect(given.get('c4')).toBe('2');
    expect(given.get('c2')).toBe('1'); // had none; now the first free key
  });

  it('leaves codes with a sound key or a cleared one alone, and re-keys a repeated or invalid key', () => {
    const given = keysForUnkeyed([{ id: 'a', shortcut: '1' }, { id: 'b', shortcut: '' }, { id: 'c', shortcut: '1' }, { id: 'd', shortcut: 'j' }, { id: 'e' }]);
    expect([...given]).toEqual([
      ['c', '2'],
      ['d', '3'],
      ['e', '4'],
    ]);
  });

  it('gives "" once every key is taken', () => {
    const given = keysForUnkeyed(unkeyed(SHORTCUT_KEYS.length + 2));
    expect([...given.values()].filter((k) => k === '')).toHaveLength(2);
  });

  it('never gives a key twice, keeps every sound key, and keys every code while keys last', () => {
    const key = fc.option(fc.constantFrom(...SHORTCUT_KEYS, '', 'j', '0'), { nil: undefined });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 40 }), fc.dictionary(fc.constantFrom(...ids(40)), fc.constantFrom(...SHORTCUT_KEYS, 'j')), (keys, preferred) => {
        const codes = keys.map((shortcut, i) => (shortcut === undefined ? { id: `c${i + 1}` } : { id: `c${i + 1}`, shortcut }));
        const given = keysForUnkeyed(codes, { preferred, positional: true });
        const after = codes.map((c) => ({ ...c, shortcut: given.get(c.id) ?? c.shortcut }));
        const held = after.map((c) => c.shortcut).filter((k) => k !== '');
        expect(new Set(held).size).toBe(held.length);
        for (const k of held) expect(SHORTCUT_KEYS).toContain(k);
        const seen = new Set<string>();
        for (const c of codes) {
          if (c.shortcut && SHORTCUT_KEYS.includes(c.shortcut) && !seen.has(c.shortcut)) {
            seen.add(c.shortcut);
            expect(given.has(c.id)).toBe(false);
          }
          if (c.shortcut === '') expect(given.has(c.id)).toBe(false);
        }
        if (held.length < SHORTCUT_KEYS.length) for (const c of after) expect(c.shortcut).toBeDefined();
      }),
    );
  });
});

describe('keyIncoming', () => {
  it('keeps the existing codes’ keys; an incoming code keeps its key when free, else takes a free one', () => {
    const existing = [{ id: 'a', shortcut: '1' }, { id: 'b', shortcut: 'x' }, { id: 'c' }];
    const incoming = [{ id: 'n1', shortcut: '1' }, { id: 'n2', shortcut: 'y' }, { id: 'n3' }, { id: 'n4', shortcut: '' }, { id: 'n5', shortcut: 'y' }];
    expect(keyIncoming(existing, incoming).map((c) => c.shortcut)).toEqual(['2', 'y', '3', '', '4']);
  });
});

describe('checkShortcut', () => {
  const codes = [
    { id: 'a', shortcut: 'x' },
    { id: 'other', shortcut: 'w' },
  ];

  it('gives the key as stored, and "" to clear', () => {
    expect(checkShortcut(codes, 'a', 'Q')).toBe('q');
    expect(checkShortcut(codes, 'a', 'x')).toBe('x');
    expect(checkShortcut(codes, 'a', '')).toBe('');
  });

  it('refuses a reserved key with a clear message', () => {
    for (const key of ['j', 'k', 'u', '?', 'J']) {
      const error = caught(() => checkShortcut(codes, 'a', key));
      expect(error.problem).toBe('reserved');
      expect(error.message).toMatch(/is reserved/);
    }
  });

  it('refuses keys that are not one digit 1–9 or letter a–z', () => {
    for (const key of ['0', 'ab', ' ', 'é', '!', 'Enter']) {
      const error = caught(() => checkShortcut(codes, 'a', key));
      expect(error.problem).toBe('invalid');
      expect(error.message).toMatch(/single digit 1–9 or letter a–z/);
    }
  });

  it('refuses a key another code has, naming that code', () => {
    const error = caught(() => checkShortcut(codes, 'a', 'W'));
    expect(error.problem).toBe('taken');
    expect(error.takenBy).toBe('other');
    expect(error).toBeInstanceOf(Error);
  });
});
