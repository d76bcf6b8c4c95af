// @vitest-environment node
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import { codingGroupsOf, materialize, MaterializeCache } from './materialize';
import { externalChange } from './external-change';
import { writeChange, type SpaceDocs } from './project-doc';
import type { Code, Coding } from '../model/types';

const CODERS = ['c0', 'c1', 'c2'];
const code = (id: string, fields: Partial<Code> = {}): Code => ({
  projectId: 'p',
  id,
  parentId: null,
  name: `Code ${id}`,
  color: '#000000',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order: Number(id.slice(1)),
  shortcut: '',
  ...fields,
});
const coding = (id: string, coderId: string, answer: number, codeId: string): Coding => ({
  projectId: 'p',
  id,
  answerId: `q\u001fw\u001fR${answer}`,
  codeId,
  coderId,
  start: null,
  end: null,
  createdAt: 1,
});

type Step =
  | { kind: 'code'; coder: number; answer: number; code: number; id: number }
  | { kind: 'uncode'; coder: number; id: number }
  | { kind: 'merge'; from: number; into: number }
  | { kind: 'delete'; code: number }
  | { kind: 'restore'; code: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('code' as const), coder: fc.nat(2), answer: fc.nat(5), code: fc.nat(3), id: fc.nat(30) }),
  fc.record({ kind: fc.constant('uncode' as const), coder: fc.nat(2), id: fc.nat(30) }),
  fc.record({ kind: fc.constant('merge' as const), from: fc.nat(3), into: fc.nat(3) }),
  fc.record({ kind: fc.constant('delete' as const), code: fc.nat(3) }),
  fc.record({ kind: fc.constant('restore' as const), code: fc.nat(3) }),
);

describe('the materialize cache', () => {
  it('gives what an uncached materialize gives, and the same team changes, after any sequence of edits', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const shared = new Y.Doc();
        const spaces = new Map(CODERS.map((c) => [c, new Y.Doc()] as const));
        const docs: SpaceDocs = { shared, coderSpace: (id) => spaces.get(id) ?? null };
        writeChange(docs, { putCodes: [0, 1, 2, 3].map((i) => code(`k${i}`)), deleteCodes: [], putCodings: [], deleteCodings: [] });
        const held = new Map<string, Coding>();
        const cache = new MaterializeCache();
        let before = materialize(shared, spaces, cache);
        for (const s of steps) {
          if (s.kind === 'code') {
            const c = coding(`x${s.id}-${s.coder}`, CODERS[s.coder], s.answer, `k${s.code}`);
            held.set(c.id, c);
            writeChange(docs, { putCodes: [], deleteCodes: [], putCodings: [c], deleteCodings: [] });
          } else if (s.kind === 'uncode') {
            const c = held.get(`x${s.id}-${CODERS[s.coder]}`);
            if (!c) continue;
            held.delete(c.id);
            writeChange(docs, { putCodes: [], deleteCodes: [], putCodings: [], deleteCodings: [c] });
          } else if (s.kind === 'merge' && s.from !== s.into) {
            // The tombstone alone, as a remote merge arrives: codings of the source are redirected by materialize.
            shared.getMap<Y.Map<unknown>>('codes').get(`k${s.from}`)?.set('mergedInto', `k${s.into}`);
          } else if (s.kind === 'delete') {
            shared.getMap<Y.Map<unknown>>('codes').get(`k${s.code}`)?.set('state', 'deleted');
          } else if (s.kind === 'restore') {
            shared.getMap<Y.Map<unknown>>('codes').get(`k${s.code}`)?.set('state', 'live');
          }
          const after = materialize(shared, spaces, cache);
          expect(after).toEqual(materialize(shared, spaces));
          expect(codingGroupsOf(after)).toBeDefined();
          // By space (reference-skipping) and over all codings (copies: nothing shared) give the same changes.
          const grouped = externalChange('p', before, after).change.change;
          const full = externalChange('p', structuredClone(before), structuredClone(after)).change.change;
          const ids = (list: readonly { id: string }[]) => list.map((c) => c.id).sort();
          expect(ids(grouped.putCodings)).toEqual(ids(full.putCodings));
          expect(ids(grouped.deleteCodings)).toEqual(ids(full.deleteCodings));
          before = after;
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reuses an unchanged space’s codings as the same array', () => {
    const shared = new Y.Doc();
    const spaces = new Map(CODERS.map((c) => [c, new Y.Doc()] as const));
    const docs: SpaceDocs = { shared, coderSpace: (id) => spaces.get(id) ?? null };
    writeChange(docs, { putCodes: [code('k0')], deleteCodes: [], putCodings: [coding('a', 'c0', 1, 'k0'), coding('b', 'c1', 1, 'k0')], deleteCodings: [] });
    const cache = new MaterializeCache();
    const first = codingGroupsOf(materialize(shared, spaces, cache))!;
    writeChange(docs, { putCodes: [], deleteCodes: [], putCodings: [coding('c', 'c1', 2, 'k0')], deleteCodings: [] });
    const second = codingGroupsOf(materialize(shared, spaces, cache))!;
    expect(second.get('c0')).toBe(first.get('c0'));
    expect(second.get('c1')).not.toBe(first.get('c1'));
  });
});
