// @vitest-environment node
/**
 * Random interleavings of the app's real operations on three replicas, some offline for a while: once everyone
 * has synced, every replica must mean the same project, with a well-formed codebook and no coding duplicated or
 * lost. Each replica runs the operations on its own materialized state, exactly as the app does, and right after
 * writing a change must show what the operation computed (the app applies it at once; a difference would flicker).
 *
 * Seedable: SYNC_PROPERTY_SEED=<n> npx vitest run src/lib/sync/convergence.property.test.ts
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Change } from '../coding/change';
import { CODEBOOK_MAX_DEPTH, CODEBOOK_PALETTE } from '../codebook/codebook-json';
import {
  CodebookOperationError,
  applyChange,
  applyCode,
  createCode,
  deleteCode,
  mergeCodes,
  moveCode,
  removeCoding,
  renameCode,
  splitCode,
  toggleWholeAnswerCode,
  updateCode,
  type CodingState,
  type IdSource,
} from '../codebook/operations';
import type { Coding } from '../model/types';
import type { SyncedState } from './materialize';
import { PROJECT, Replica, change, code, sync, syncAll } from './test-replicas';

const CODERS = ['c0', 'c1', 'c2'];
const ANSWERS = ['a1', 'a2', 'a3'];
// Names that clash ignoring case, so concurrent creates and renames make duplicates.
const NAMES = ['Reward', 'reward', 'Time', 'Empathy', 'Money', 'Growth', 'Trust', 'Pay'];
const OPS = ['create', 'rename', 'move', 'merge', 'split', 'delete', 'apply', 'toggle', 'remove', 'recolour'] as const;

type Op = { type: (typeof OPS)[number]; a: number; b: number; c: number; name: string };
type Step =
  | { kind: 'op'; replica: number; op: Op }
  | { kind: 'undo'; replica: number }
  | { kind: 'sync' }
  | { kind: 'sync-pair'; first: number; second: number }
  | { kind: 'offline'; replica: number }
  | { kind: 'online'; replica: number };

const replicaArb = fc.integer({ min: 0, max: 2 });
// Coding is what coders do most; the codebook operations are the ones that conflict.
const OP_WEIGHTS: Record<Op['type'], number> = { create: 3, rename: 1, move: 2, merge: 2, split: 1, delete: 1, apply: 4, toggle: 2, remove: 1, recolour: 1 };
const opArb: fc.Arbitrary<Op> = fc.record({
  type: fc.oneof(...OPS.map((type) => ({ weight: OP_WEIGHTS[type], arbitrary: fc.constant(type) }))),
  a: fc.nat(20),
  b: fc.nat(20),
  c: fc.nat(20),
  name: fc.constantFrom(...NAMES),
});
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 16, arbitrary: fc.record({ kind: fc.constant('op' as const), replica: replicaArb, op: opArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('undo' as const), replica: replicaArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sync' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync-pair' as const), first: replicaArb, second: replicaArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('offline' as const), replica: replicaArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('online' as const), replica: replicaArb }) },
);

const seed = process.env.SYNC_PROPERTY_SEED ? Number(process.env.SYNC_PROPERTY_SEED) : undefined;

const sortById = <T extends { id: string }>(list: readonly T[]) => [...list].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length === 0 ? undefined : list[n % list.length];
}

/** The operation an Op stands for on `state`, or null when the state offers nothing to apply it to. */
function operate(state: CodingState, coderId: string, ids: IdSource, op: Op): Change | null {
  const codes = state.codes;
  const code = pick(codes, op.a);
  const other = pick(codes, op.b);
  const parent = op.b % (codes.length + 1) === codes.length ? null : codes[op.b % (codes.length + 1)].id;
  const answerId = pick(ANSWERS, op.b)!;
  switch (op.type) {
    case 'create':
      return createCode(state, ids, { name: op.name, parentId: parent, projectId: PROJECT, index: op.c }).forward;
    case 'rename':
      return code ? renameCode(state, code.id, op.name).forward : null;
    case 'move':
      return code ? moveCode(state, code.id, parent, op.c).forward : null;
    case 'merge':
      return code && other ? mergeCodes(state, code.id, other.id).forward : null;
    case 'split': {
      if (!code) return null;
      // Any coder's codings, as the app offers them: another coder's stay where they are (only they write them).
      const ofCode = state.codings.filter((c) => c.codeId === code.id);
      const chosen = ofCode.filter((_, i) => (i + op.c) % 2 === 0).map((c) => c.id);
      return splitCode(state, code.id, chosen.length > 0 ? chosen : ofCode.slice(0, 1).map((c) => c.id), op.name, ids).forward;
    }
    case 'delete':
      return code ? deleteCode(state, code.id).forward : null;
    case 'apply': {
      if (!code) return null;
      const whole = op.c % 3 === 0;
      const start = op.c % 7;
      const input = { projectId: PROJECT, answerId, codeId: code.id, coderId, start: whole ? null : start, end: whole ? null : start + 1 + (op.c % 4) };
      return applyCode(state, ids, input).forward;
    }
    case 'toggle':
      return code ? toggleWholeAnswerCode(state, ids, { projectId: PROJECT, answerId, codeId: code.id, coderId }).forward : null;
    case 'remove': {
      const mine = pick(
        state.codings.filter((c) => c.coderId === coderId),
        op.a,
      );
      return mine ? removeCoding(state, mine.id).forward : null;
    }
    case 'recolour':
      return code ? updateCode(state, code.id, { color: pick(CODEBOOK_PALETTE, op.c)! }).forward : null;
  }
}

/** Ids and clocks per replica, reproducible run to run. */
function idSource(replica: number): IdSource {
  let n = 0;
  return { newId: () => `r${replica}-${String(++n).padStart(3, '0')}`, now: () => n };
}

function inverseOf(before: CodingState, forward: Change): Change {
  const byId = <T extends { id: string }>(list: readonly T[]) => new Map(list.map((x) => [x.id, x]));
  const codes = byId(before.codes);
  const codings = byId(before.codings);
  const inverse = change({});
  for (const c of forward.putCodes) {
    const old = codes.get(c.id);
    if (old) inverse.putCodes.push(old);
    else inverse.deleteCodes.push(c);
  }
  for (const c of forward.deleteCodes) inverse.putCodes.push(c);
  for (const c of forward.putCodings) {
    const old = codings.get(c.id);
    if (old) inverse.putCodings.push(old);
    else inverse.deleteCodings.push(c);
  }
  for (const c of forward.deleteCodings) inverse.putCodings.push(c);
  return inverse;
}

function treeProblems(state: SyncedState): string[] {
  const problems: string[] = [];
  const live = new Map(state.codes.map((c) => [c.id, c]));
  const groups = new Map<string | null, number[]>();
  const keys = new Set<string>();
  for (const c of state.codes) {
    if (c.parentId !== null && !live.has(c.parentId)) problems.push(`${c.id}: parent ${c.parentId} is not a live code`);
    let depth = 1;
    const seen = new Set([c.id]);
    for (let p = c.parentId; p !== null; p = live.get(p)?.parentId ?? null) {
      if (seen.has(p)) {
        problems.push(`${c.id}: parent cycle`);
        break;
      }
      seen.add(p);
      depth++;
    }
    if (depth > CODEBOOK_MAX_DEPTH) problems.push(`${c.id}: nested ${depth} deep`);
    groups.set(c.parentId, [...(groups.get(c.parentId) ?? []), c.order]);
    if (c.shortcut) {
      if (keys.has(c.shortcut)) problems.push(`key ${c.shortcut} twice`);
      keys.add(c.shortcut);
    }
  }
  for (const [parent, orders] of groups) {
    if (orders.sort((x, y) => x - y).some((o, i) => o !== i)) problems.push(`orders under ${parent} not dense: ${orders}`);
  }
  const identities = new Set<string>();
  for (const c of state.codings) {
    const identity = JSON.stringify([c.coderId, c.answerId, c.codeId, c.start, c.end]);
    if (identities.has(identity)) problems.push(`coding ${identity} twice`);
    identities.add(identity);
    if (!live.has(c.codeId)) problems.push(`coding ${c.id} of a code that is not live`);
  }
  return problems;
}

/** Where a coding's code went: the live code its merge chain ends at, or the deleted (or unknown) code it ends at. */
function followMerges(replica: Replica, state: SyncedState, codeId: string): { live: boolean; id: string } {
  const live = new Set(state.codes.map((c) => c.id));
  const codes = replica.shared.getMap('codes');
  const seen = new Set<string>();
  let id = codeId;
  while (!live.has(id) && !seen.has(id)) {
    seen.add(id);
    const fields = codes.get(id) as { get(key: string): unknown } | undefined;
    const next = fields?.get('mergedInto');
    if (typeof next !== 'string') return { live: false, id };
    id = next;
  }
  return { live: live.has(id), id };
}

describe('three replicas, random operations, disconnects and reconnects', () => {
  it('show each change as computed, then end with the same state everywhere, a sound codebook, no coding duplicated or lost', () => {
    let applied = 0;
    let conflicts = 0;
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 20, maxLength: 60 }), (steps) => {
        const replicas = CODERS.map((coderId, i) => new Replica(i + 1, coderId, CODERS));
        const ids = replicas.map((_, i) => idSource(i));
        replicas[0].write(change({ putCodes: [code('k-a', null, 0, 'Alpha'), code('k-b', null, 1, 'Beta'), code('k-c', 'k-a', 0, 'Gamma')] }));
        syncAll(replicas);
        const online = new Set([0, 1, 2]);
        const undo = replicas.map(() => [] as Change[]);
        // The last thing each coder's own client wrote about each of their codings (null: removed).
        const written = new Map<string, Coding | null>();
        const write = (i: number, c: Change) => {
          const r = replicas[i];
          const shown = new Set(r.materialize().codings.map((x) => x.id));
          r.write(c);
          const own = (x: Coding) => x.coderId === r.ownCoderId;
          for (const x of c.deleteCodings.filter(own)) written.set(x.id, null);
          for (const x of c.putCodings.filter(own)) written.set(x.id, x);
          // A coding gone that the change did not remove must have been a twin hidden behind one it touched.
          const stored = r.spaces.get(r.ownCoderId)!.getMap('codings');
          for (const [id, last] of written) {
            if (last === null || !own(last) || stored.has(id)) continue;
            expect(shown.has(id), `coding ${id} was shown, and the change did not remove it`).toBe(false);
            written.set(id, null);
          }
        };

        for (const step of steps) {
          if (step.kind === 'op') {
            const r = replicas[step.replica];
            const state = r.codingState();
            let forward: Change | null;
            try {
              forward = operate(state, r.ownCoderId, ids[step.replica], step.op);
            } catch (error) {
              if (error instanceof CodebookOperationError) continue;
              throw error;
            }
            if (!forward) continue;
            applied++;
            write(step.replica, forward);
            undo[step.replica].push(inverseOf(state, forward));
            // What the app shows right after its own change is what the operation computed: nothing flickers.
            // (Other coders' codings the change rewrote are theirs to write: materialize redirects them alike.)
            const shown = r.codingState();
            const computed = applyChange(state, forward);
            const own = (s: CodingState) => sortById(s.codings.filter((c) => c.coderId === r.ownCoderId));
            expect(sortById(shown.codes)).toEqual(sortById(computed.codes));
            expect(own(shown)).toEqual(own(computed));
          } else if (step.kind === 'undo') {
            const inverse = undo[step.replica].pop();
            if (inverse) write(step.replica, inverse);
          } else if (step.kind === 'sync') {
            syncAll(replicas.filter((_, i) => online.has(i)));
          } else if (step.kind === 'sync-pair') {
            if (online.has(step.first) && online.has(step.second)) sync(replicas[step.first], replicas[step.second]);
          } else if (step.kind === 'offline') online.delete(step.replica);
          else online.add(step.replica);
        }

        syncAll(replicas);
        const states = replicas.map((r) => r.materialize());
        expect(states[1]).toEqual(states[0]);
        expect(states[2]).toEqual(states[0]);
        const state = states[0];
        conflicts += state.conflicts.length;
        expect(treeProblems(state)).toEqual([]);

        const orphaned = new Set(state.conflicts.flatMap((c) => (c.kind === 'orphaned-codings' ? [`${c.codeId}/${c.coderId}`] : [])));
        const present = new Set(state.codings.map((c) => JSON.stringify([c.coderId, c.answerId, c.codeId, c.start, c.end])));
        for (const [id, last] of written) {
          if (last === null) continue;
          const target = followMerges(replicas[0], state, last.codeId);
          if (!target.live) {
            expect(orphaned.has(`${target.id}/${last.coderId}`), `coding ${id} of deleted ${target.id} is reported`).toBe(true);
            continue;
          }
          // Present as written (code redirected through merges), or collapsed into an identical coding.
          expect(present.has(JSON.stringify([last.coderId, last.answerId, target.id, last.start, last.end])), `coding ${id} is kept`).toBe(true);
        }
      }),
      { numRuns: 100, seed },
    );
    // The generator reaches the operations, not only refusals.
    expect(applied).toBeGreaterThan(1000);
    expect(conflicts).toBeGreaterThan(0);
  });
});

describe('one replica alone', () => {
  it('materializes exactly what the operations computed, so the app never sees its own change undone', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 6, arbitrary: opArb }, { weight: 1, arbitrary: fc.constant('undo' as const) }), { maxLength: 30 }), (steps) => {
        const r = new Replica(1, 'c0', ['c0']);
        const ids = idSource(0);
        const history: Change[] = [];
        let expected: CodingState = { codes: [], codings: [] };
        const norm = (s: CodingState) => ({ codes: sortById(s.codes), codings: sortById(s.codings) });
        for (const step of steps) {
          let c: Change | null = null;
          if (step === 'undo') c = history.pop() ?? null;
          else {
            try {
              c = operate(r.codingState(), 'c0', ids, step);
            } catch (error) {
              if (!(error instanceof CodebookOperationError)) throw error;
            }
            if (c) history.push(inverseOf(expected, c));
          }
          if (!c) continue;
          r.write(c);
          expected = applyChange(expected, c);
          expect(norm(r.codingState())).toEqual(norm(expected));
        }
      }),
      { numRuns: 100, seed },
    );
  });
});
