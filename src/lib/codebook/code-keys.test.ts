// @vitest-environment node
/** Code keys through codebook operations: a key belongs to its code (issue 14). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHORTCUT_KEYS } from '../coding/keys';
import type { Code, Coding } from '../model/types';
import {
  CodebookOperationError,
  applyChange,
  createCode,
  deleteCode,
  mergeCodes,
  moveCode,
  setCodeShortcut,
  splitCode,
  type CodingState,
  type IdSource,
} from './operations';

const P = 'p';

function counterIds(): IdSource {
  let n = 0;
  return { newId: () => `new-${++n}`, now: () => 1000 + n };
}

function create(state: CodingState, ids: IdSource, name: string, parentId: string | null = null): CodingState {
  return applyChange(state, createCode(state, ids, { name, parentId, projectId: P }).forward);
}

const keyOf = (state: CodingState, id: string) => state.codes.find((c) => c.id === id)?.shortcut;

function starter(n: number): { state: CodingState; ids: IdSource } {
  const ids = counterIds();
  let state: CodingState = { codes: [], codings: [] };
  for (let i = 0; i < n; i++) state = create(state, ids, `Code ${i + 1}`);
  return { state, ids };
}

describe('code keys through codebook operations', () => {
  it('a new code takes the first free key, so 18 codes all get one', () => {
    const { state } = starter(18);
    expect(state.codes.map((c) => c.shortcut)).toEqual([...'123456789abcdefghi']);
  });

  it('a split-off code gets a fresh key; the original and every later code keep theirs', () => {
    const { state: s0, ids } = starter(5);
    const first = s0.codes[0];
    const coding: Coding = { projectId: P, id: 'g1', answerId: 'a1', codeId: first.id, coderId: 'me', start: null, end: null, createdAt: 1 };
    const state = { codes: s0.codes, codings: [coding] };
    const after = applyChange(state, splitCode(state, first.id, ['g1'], 'Split off', ids).forward);
    for (const code of s0.codes) expect(keyOf(after, code.id)).toBe(code.shortcut);
    const created = after.codes.find((c) => c.splitFromId === first.id)!;
    expect(created.shortcut).toBe('6');
    // Placed right after the original: positions shift, keys do not.
    expect(created.order).toBe(1);
  });

  it('a merge keeps the target’s key and frees the merged code’s', () => {
    const { state, ids } = starter(3);
    const [a, b] = state.codes;
    const merged = applyChange(state, mergeCodes(state, a.id, b.id).forward);
    expect(keyOf(merged, b.id)).toBe(b.shortcut);
    expect(keyOf(merged, a.id)).toBeUndefined();
    expect(keyOf(create(merged, ids, 'Next'), 'new-4')).toBe(a.shortcut);
  });

  it('moving a code changes no key', () => {
    const { state } = starter(4);
    const moved = applyChange(state, moveCode(state, state.codes[3].id, null, 0).forward);
    for (const code of state.codes) expect(keyOf(moved, code.id)).toBe(code.shortcut);
  });

  it('setting a key is an undoable code edit; a taken or reserved key is refused, naming the holder', () => {
    const { state } = starter(2);
    const [a, b] = state.codes;
    const change = setCodeShortcut(state, a.id, 'Q');
    expect(change.label).toBe('Give “Code 1” the key q');
    const after = applyChange(state, change.forward);
    expect(keyOf(after, a.id)).toBe('q');
    expect(keyOf(applyChange(after, change.inverse), a.id)).toBe('1');
    expect(keyOf(applyChange(state, setCodeShortcut(state, a.id, '').forward), a.id)).toBe('');
    expect(() => setCodeShortcut(state, a.id, b.shortcut!)).toThrow(new CodebookOperationError('“2” is already the key of “Code 2”.'));
    expect(() => setCodeShortcut(state, a.id, 'j')).toThrow(CodebookOperationError);
  });

  type Step =
    | { kind: 'create'; parent: number | null }
    | { kind: 'move'; code: number; parent: number | null; index: number }
    | { kind: 'split'; code: number }
    | { kind: 'merge'; source: number; target: number }
    | { kind: 'delete'; code: number }
    | { kind: 'set'; code: number; key: string }
    | { kind: 'undo' };

  const pick = fc.nat({ max: 60 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('create' as const), parent: fc.option(pick, { nil: null }) }),
    fc.record({ kind: fc.constant('move' as const), code: pick, parent: fc.option(pick, { nil: null }), index: fc.nat({ max: 10 }) }),
    fc.record({ kind: fc.constant('split' as const), code: pick }),
    fc.record({ kind: fc.constant('merge' as const), source: pick, target: pick }),
    fc.record({ kind: fc.constant('delete' as const), code: pick }),
    fc.record({ kind: fc.constant('set' as const), code: pick, key: fc.constantFrom('', ...SHORTCUT_KEYS, 'j') }),
    fc.constant({ kind: 'undo' as const }),
  );

  it('after any sequence of create, move, split, merge, delete (and undo): keys stay unique, and no surviving code’s key changes unless the user set it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.array(step, { maxLength: 40 }), (n, steps) => {
        const { state: initial, ids } = starter(n);
        let state = initial;
        let codingSeq = 0;
        // One coding per code, so a split has something to move.
        state = {
          codes: state.codes,
          codings: state.codes.map((c) => ({
            projectId: P,
            id: `g${++codingSeq}`,
            answerId: 'a',
            codeId: c.id,
            coderId: 'me',
            start: null,
            end: null,
            createdAt: codingSeq,
          })),
        };
        const history: CodingState[] = [];
        const at = (i: number) => (state.codes.length === 0 ? undefined : state.codes[i % state.codes.length]);
        let name = 0;
        for (const s of steps) {
          const before = state;
          let userSet: string | null = null;
          try {
            let change;
            switch (s.kind) {
              case 'create':
                change = createCode(state, ids, { name: `N${++name}`, parentId: s.parent === null ? null : (at(s.parent)?.id ?? null), projectId: P });
                break;
              case 'move': {
                const code = at(s.code);
                if (!code) continue;
                change = moveCode(state, code.id, s.parent === null ? null : (at(s.parent)?.id ?? null), s.index);
                break;
              }
              case 'split': {
                const code = at(s.code);
                const coding = code && state.codings.find((c) => c.codeId === code.id);
                if (!code || !coding) continue;
                change = splitCode(state, code.id, [coding.id], `S${++name}`, ids);
                break;
              }
              case 'merge': {
                const source = at(s.source);
                const target = at(s.target);
                if (!source || !target) continue;
                change = mergeCodes(state, source.id, target.id);
                break;
              }
              case 'delete': {
                const code = at(s.code);
                if (!code) continue;
                change = deleteCode(state, code.id);
                break;
              }
              case 'set': {
                const code = at(s.code);
                if (!code) continue;
                change = setCodeShortcut(state, code.id, s.key);
                userSet = code.id;
                break;
              }
              case 'undo': {
                const previous = history.pop();
                if (!previous) continue;
                state = previous;
                continue;
              }
            }
            state = applyChange(state, change.forward);
            // The inverse takes it back exactly (undo restores the keys as they were).
            expect(byId(applyChange(state, change.inverse).codes)).toEqual(byId(before.codes));
            history.push(before);
          } catch (error) {
            if (error instanceof CodebookOperationError) continue;
            throw error;
          }
          const held = state.codes.map((c) => c.shortcut).filter((k): k is string => k !== undefined && k !== '');
          expect(new Set(held).size).toBe(held.length);
          for (const code of state.codes) {
            const was = before.codes.find((c) => c.id === code.id);
            if (was && code.id !== userSet) expect(code.shortcut).toBe(was.shortcut);
            if (!was) expect(code.shortcut).toBeDefined();
          }
        }
      }),
    );
  });
});

const byId = (codes: readonly Code[]) => [...codes].sort((a, b) => (a.id < b.id ? -1 : 1));
