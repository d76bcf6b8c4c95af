// @vitest-environment node
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CODEBOOK_MAX_DEPTH } from '../codebook/codebook-json';
import { applyCode, createCode, deleteCode, mergeCodes, moveCode, splitCode, type IdSource } from '../codebook/operations';
import type { Theme } from '../model/types';
import { describeConflict, diffSyncedState, isEmptyDiff, materialize, type SyncConflict, type SyncedState } from './materialize';
import { writeChange } from './project-doc';
import { PROJECT, Replica, change, code, coding, newDoc, sync } from './test-replicas';

function ids(prefix: string): IdSource {
  let n = 0;
  return { newId: () => `${prefix}${++n}`, now: () => 1 };
}

/** Two replicas that start from the same codebook: a writes coder c0's space, b coder c1's. */
function pair(...codes: ReturnType<typeof code>[]) {
  const a = new Replica(1, 'c0', ['c0', 'c1']);
  const b = new Replica(2, 'c1', ['c0', 'c1']);
  a.write(change({ putCodes: codes }));
  sync(a, b);
  return { a, b };
}

function applyWhole(r: Replica, codeId: string, answerId: string, idSource: IdSource) {
  r.write(applyCode(r.codingState(), idSource, { projectId: PROJECT, answerId, codeId, coderId: r.ownCoderId, start: null, end: null }).forward);
}

const shape = (s: SyncedState) => ({
  codes: s.codes.map((c) => [c.id, c.parentId, c.order]),
  codings: s.codings.map((c) => [c.id, c.coderId, c.codeId]),
});

describe('merges and splits made while another machine codes', () => {
  it('applies a merge to the codings the other machine made to the merged code meanwhile', () => {
    const { a, b } = pair(code('x', null, 0, 'Time'), code('y', null, 1, 'Workload'));
    applyWhole(b, 'x', 'a1', ids('b'));
    applyWhole(b, 'y', 'a2', ids('bb'));
    applyWhole(a, 'x', 'a3', ids('a'));
    a.write(mergeCodes(a.codingState(), 'x', 'y').forward);
    sync(a, b);
    const state = a.materialize();
    expect(b.materialize()).toEqual(state);
    expect(shape(state)).toEqual({
      codes: [['y', null, 0]],
      codings: [
        ['a1', 'c0', 'y'],
        ['b1', 'c1', 'y'],
        ['bb1', 'c1', 'y'],
      ],
    });
    expect(state.conflicts).toEqual([]);
  });

  it('collapses a redirected coding into an identical one of the same coder, keeping the smallest id', () => {
    const { a, b } = pair(code('x', null, 0), code('y', null, 1));
    b.write(change({ putCodings: [coding('k2', 'x', 'c1', 'a1'), coding('k1', 'y', 'c1', 'a1'), coding('k3', 'x', 'c1', 'a1', 0, 3)] }));
    a.write(mergeCodes(a.codingState(), 'x', 'y').forward);
    sync(a, b);
    expect(a.materialize().codings.map((c) => [c.id, c.codeId, c.start])).toEqual([
      ['k1', 'y', null],
      ['k3', 'y', 0],
    ]);
    expect(b.materialize()).toEqual(a.materialize());
  });

  it('ends equal on both sides after a split on one while the other codes with the original', () => {
    const { a, b } = pair(code('x', null, 0, 'Reward'));
    applyWhole(a, 'x', 'a1', ids('a'));
    applyWhole(a, 'x', 'a2', ids('aa'));
    sync(a, b);
    a.write(splitCode(a.codingState(), 'x', ['aa1'], 'Money', ids('s')).forward);
    applyWhole(b, 'x', 'a3', ids('b'));
    sync(a, b);
    const state = a.materialize();
    expect(b.materialize()).toEqual(state);
    expect(state.codes.map((c) => [c.id, c.name, c.order, c.splitFromId])).toEqual([
      ['s1', 'Money', 1, 'x'],
      ['x', 'Reward', 0, undefined],
    ]);
    expect(state.codings.map((c) => [c.id, c.codeId])).toEqual([
      ['a1', 'x'],
      ['aa1', 's1'],
      ['b1', 'x'],
    ]);
  });
});

describe('deletes', () => {
  it('leaves out and reports the codings made to a code deleted meanwhile, and brings them back on undo', () => {
    const { a, b } = pair(code('x', null, 0, 'Reward'), code('y', null, 1));
    const del = deleteCode(a.codingState(), 'x');
    a.write(del.forward);
    applyWhole(b, 'x', 'a1', ids('b'));
    applyWhole(b, 'x', 'a2', ids('bb'));
    sync(a, b);
    const state = a.materialize();
    expect(b.materialize()).toEqual(state);
    expect(state.codes.map((c) => c.id)).toEqual(['y']);
    expect(state.codings).toEqual([]);
    expect(state.conflicts).toEqual([{ kind: 'orphaned-codings', codeId: 'x', codeName: 'Reward', coderId: 'c1', count: 2 }]);

    a.write(del.inverse);
    sync(a, b);
    expect(b.materialize().codings.map((c) => [c.id, c.codeId])).toEqual([
      ['b1', 'x'],
      ['bb1', 'x'],
    ]);
    expect(b.materialize().conflicts).toEqual([]);
  });

  it('reports codings whose code was never seen, and codings merged into a code deleted meanwhile', () => {
    const { a, b } = pair(code('x', null, 0, 'X'), code('y', null, 1, 'Y'));
    b.write(change({ putCodings: [coding('k1', 'ghost', 'c1'), coding('k2', 'x', 'c1')] }));
    a.write(mergeCodes(a.codingState(), 'x', 'y').forward);
    a.write(deleteCode(a.codingState(), 'y').forward);
    sync(a, b);
    expect(a.materialize().conflicts).toEqual([
      { kind: 'orphaned-codings', codeId: 'ghost', codeName: '', coderId: 'c1', count: 1 },
      { kind: 'orphaned-codings', codeId: 'y', codeName: 'Y', coderId: 'c1', count: 1 },
    ]);
  });

  it('puts a code whose parent was deleted meanwhile at the top level, and one whose parent was merged under the merge target', () => {
    const { a, b } = pair(code('p', null, 0), code('q', null, 1), code('r', null, 2));
    a.write(createCode(a.codingState(), ids('a'), { name: 'Under p', parentId: 'p', projectId: PROJECT }).forward);
    a.write(createCode(a.codingState(), ids('aa'), { name: 'Under q', parentId: 'q', projectId: PROJECT }).forward);
    b.write(deleteCode(b.codingState(), 'p').forward);
    b.write(mergeCodes(b.codingState(), 'q', 'r').forward);
    sync(a, b);
    const state = a.materialize();
    expect(b.materialize()).toEqual(state);
    // a1 keeps the order it had under p (0), r has 0 at the top level too: the tie goes by id.
    expect(state.codes.map((c) => [c.id, c.parentId, c.order])).toEqual([
      ['a1', null, 0],
      ['aa1', 'r', 0],
      ['r', null, 1],
    ]);
  });
});

describe('concurrent edits the codebook rules forbid', () => {
  it('breaks a parent cycle from concurrent moves at the smallest id', () => {
    const { a, b } = pair(code('m', null, 0), code('n', null, 1));
    a.write(moveCode(a.codingState(), 'm', 'n', 0).forward);
    b.write(moveCode(b.codingState(), 'n', 'm', 0).forward);
    sync(a, b);
    const state = a.materialize();
    expect(b.materialize()).toEqual(state);
    expect(state.codes.map((c) => [c.id, c.parentId])).toEqual([
      ['m', null],
      ['n', 'm'],
    ]);
    expect(state.conflicts).toEqual([{ kind: 'parent-cycle', codeIds: ['m', 'n'], detachedId: 'm' }]);
  });

  it('keeps the smallest id of a concurrent merge loop and redirects both sides’ codings to it', () => {
    const { a, b } = pair(code('x', null, 0, 'X'), code('y', null, 1, 'Y'), code('xc', 'x', 0), code('yc', 'y', 0));
    applyWhole(a, 'x', 'a1', ids('a'));
    applyWhole(b, 'y', 'a2', ids('b'));
    a.write(mergeCodes(a.codingState(), 'x', 'y').forward);
    b.write(mergeCodes(b.codingState(), 'y', 'x').forward);
    sync(a, b);
    const state = a.materialize();
    expect(b.materialize()).toEqual(state);
    expect(state.codes.map((c) => [c.id, c.parentId])).toEqual([
      ['x', null],
      ['xc', 'x'],
      ['yc', 'x'],
    ]);
    expect(state.codings.map((c) => [c.id, c.codeId])).toEqual([
      ['a1', 'x'],
      ['b1', 'x'],
    ]);
    expect(state.conflicts).toEqual([{ kind: 'merge-cycle', codeIds: ['x', 'y'], keptId: 'x' }]);
  });

  it('moves a code nested too deep by concurrent moves to the top level', () => {
    const depth = CODEBOOK_MAX_DEPTH / 2;
    const chain = (prefix: string, order: number) =>
      Array.from({ length: depth }, (_, i) => code(`${prefix}${i}`, i === 0 ? null : `${prefix}${i - 1}`, i === 0 ? order : 0));
    const { a, b } = pair(...chain('l', 0), ...chain('m', 1), code('t', null, 2));
    // Each move alone keeps within the limit; together they nest the lowest code one level too deep.
    a.write(moveCode(a.codingState(), 'm0', `l${depth - 1}`, 0).forward);
    b.write(moveCode(b.codingState(), 'l0', 't', 0).forward);
    sync(a, b);
    const state = a.materialize();
    expect(b.materialize()).toEqual(state);
    const last = `m${depth - 1}`;
    expect(state.codes.find((c) => c.id === last)!.parentId).toBeNull();
    expect(state.conflicts).toEqual([{ kind: 'too-deep', codeId: last }]);
  });

  it('keeps both codes created with the same name on two machines, reports them, and gives the later id another key', () => {
    const { a, b } = pair(code('x', null, 0, 'Reward', { shortcut: '1' }));
    a.write(createCode(a.codingState(), ids('e'), { name: 'Empathy', parentId: null, projectId: PROJECT }).forward);
    b.write(createCode(b.codingState(), ids('f'), { name: ' empathy', parentId: null, projectId: PROJECT }).forward);
    sync(a, b);
    const state = a.materialize();
    expect(b.materialize()).toEqual(state);
    // Both were created last (order 1): the tie goes by id.
    expect(state.codes.map((c) => [c.id, c.name, c.order, c.shortcut])).toEqual([
      ['e1', 'Empathy', 1, '2'],
      ['f1', 'empathy', 2, '3'],
      ['x', 'Reward', 0, '1'],
    ]);
    expect(state.conflicts).toEqual([
      { kind: 'shortcut-taken', codeId: 'f1', key: '2', keptBy: 'e1', given: '3' },
      { kind: 'duplicate-name', parentId: null, name: 'Empathy', codeIds: ['e1', 'f1'] },
    ]);
  });
});

describe('materialize', () => {
  it('gives dense sibling orders, ties broken by id', () => {
    const r = new Replica(1, 'c0', ['c0']);
    r.write(change({ putCodes: [code('b', null, 3), code('a', null, 3), code('c', null, -1), code('d', 'a', 7)] }));
    expect(r.materialize().codes.map((c) => [c.id, c.order])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 0],
      ['d', 0],
    ]);
  });

  it('redirects a theme’s codes through merges and leaves deleted codes out', () => {
    const r = new Replica(1, 'c0', ['c0']);
    const theme: Theme = { projectId: PROJECT, id: 't', name: 'T', description: '', codeIds: ['x', 'y', 'z', 'ghost'], withSubcodes: false, order: 0 };
    r.write(change({ putCodes: [code('x', null, 0), code('y', null, 1), code('z', null, 2)], putThemes: [theme] }));
    r.write(mergeCodes(r.codingState(), 'x', 'y').forward);
    r.write(deleteCode(r.codingState(), 'z').forward);
    expect(r.materialize().themes).toEqual([{ id: 't', name: 'T', description: '', codeIds: ['y'], withSubcodes: false, order: 0 }]);
  });

  it('skips malformed entries another client may have written', () => {
    const shared = newDoc(1);
    const space = newDoc(1);
    shared.getMap('codes').set('bad', 'not a map');
    shared.getMap('coders').set('c0', 42);
    space.getMap('codings').set('k1', { answerId: 'a1' });
    space.getMap('memos').set('m1', { text: 'no target' });
    const state = materialize(shared, new Map([['c0', space]]));
    expect([state.codes, state.coders, state.codings, state.memos, state.conflicts]).toEqual([[], [], [], [], []]);
  });

  it('gives a memo its space’s coder and returns copies the app may change freely', () => {
    const r = new Replica(1, 'c0', ['c0']);
    r.spaces
      .get('c0')!
      .getMap('memos')
      .set('m1', { id: 'm1', target: { kind: 'answer', id: 'a1' }, text: 'x', coderId: 'someone', coderName: 'A', createdAt: 1, updatedAt: 1 });
    const memo = r.materialize().memos[0];
    expect(memo.coderId).toBe('c0');
    memo.target.id = 'changed';
    expect(r.materialize().memos[0].target.id).toBe('a1');
  });

  it('handles 20 coders × 5,000 codings', () => {
    const shared = newDoc(1);
    const spaces = new Map<string, Y.Doc>();
    const codings = [];
    for (let c = 0; c < 20; c++) {
      spaces.set(`coder${c}`, newDoc(1));
      for (let i = 0; i < 5000; i++) codings.push(coding(`k${c}-${i}`, `code${i % 50}`, `coder${c}`, `answer${i}`));
    }
    const codes = Array.from({ length: 50 }, (_, i) => code(`code${i}`, null, i));
    writeChange({ shared, coderSpace: (id) => spaces.get(id) ?? null }, change({ putCodes: codes, putCodings: codings }));
    const state = materialize(shared, spaces);
    expect(state.codes).toHaveLength(50);
    expect(state.codings).toHaveLength(100_000);
    expect(state.codings.every((c, i) => i === 0 || state.codings[i - 1].id < c.id)).toBe(true);
    expect(isEmptyDiff(diffSyncedState(state, materialize(shared, spaces)))).toBe(true);
  });
});

describe('diffSyncedState', () => {
  const base = (): SyncedState => ({
    codes: [code('x', null, 0), code('y', null, 1)].map(({ projectId: _, ...c }) => c),
    codings: [coding('k1', 'x', 'c0'), coding('k2', 'y', 'c0')].map(({ projectId: _, ...c }) => c),
    memos: [],
    coders: [{ id: 'c0', name: 'Ana', color: '#1f78b4' }],
    rounds: [],
    codebookVersions: [],
    resolutions: [],
    themes: [],
    project: { name: 'Study' },
    blind: new Map(),
    conflicts: [],
  });

  it('puts everything when nothing was written yet', () => {
    const diff = diffSyncedState(null, base());
    expect(diff.codes.puts).toHaveLength(2);
    expect(diff.codings.puts).toHaveLength(2);
    expect(diff.project).toEqual({ name: 'Study' });
    expect(diff.blind).toEqual(new Map());
    expect(diff.conflicts).toEqual([]);
  });

  it('gives only what changed, by deep comparison, and what is gone as it was', () => {
    const before = base();
    const after = base();
    after.codes[1] = { ...after.codes[1], name: 'Renamed' };
    const { projectId: _, ...added } = coding('k3', 'x', 'c0');
    after.codings = [after.codings[0], added];
    after.blind = new Map([['c1', { roundId: null, since: 1, revealedAt: null }]]);
    const diff = diffSyncedState(before, after);
    expect(diff.codes).toEqual({ puts: [after.codes[1]], deletes: [] });
    expect(diff.codings.puts.map((c) => c.id)).toEqual(['k3']);
    expect(diff.codings.deletes.map((c) => c.id)).toEqual(['k2']);
    expect(diff.coders).toEqual({ puts: [], deletes: [] });
    expect(diff.project).toBeNull();
    expect(diff.blind).toEqual(after.blind);
    expect(diff.conflicts).toBeNull();
    expect(isEmptyDiff(diff)).toBe(false);
    expect(isEmptyDiff(diffSyncedState(before, base()))).toBe(true);
  });
});

describe('describeConflict', () => {
  const names = { code: (id: string) => ({ x: 'Reward', y: 'Benefits', z: 'Time' })[id] ?? id, coder: (id: string) => ({ c1: 'Ben' })[id] ?? id };
  const cases: Array<[SyncConflict, string]> = [
    [
      { kind: 'parent-cycle', codeIds: ['x', 'y'], detachedId: 'x' },
      '“Reward” and “Benefits” were moved under each other at the same time on different machines; “Reward” is now at the top level.',
    ],
    [
      { kind: 'merge-cycle', codeIds: ['x', 'y'], keptId: 'x' },
      '“Reward” and “Benefits” were merged into each other at the same time on different machines; they are now one code, “Reward”.',
    ],
    [
      { kind: 'too-deep', codeId: 'z' },
      `“Time” is now at the top level: moves made at the same time on different machines would have nested it more than ${CODEBOOK_MAX_DEPTH} levels deep.`,
    ],
    [
      { kind: 'duplicate-name', parentId: null, name: 'Empathy', codeIds: ['e', 'f'] },
      'There are 2 codes called “Empathy” at the top level, made at the same time on different machines. Merge them if they mean the same.',
    ],
    [
      { kind: 'orphaned-codings', codeId: 'gone', codeName: 'Money', coderId: 'c1', count: 3 },
      '3 codings by Ben with “Money” are not shown: the code was deleted while they were made. Restoring the code (undo its deletion) brings them back.',
    ],
    [
      { kind: 'overwritten', codeId: 'y', field: 'name', lost: 'Rewards', kept: 'Benefits' },
      'Your rename of a code to “Rewards” was replaced by “Benefits”, made at the same time on another machine.',
    ],
    [
      { kind: 'overwritten', codeId: 'x', field: 'parentId', lost: 'z', kept: null },
      'Your move of “Reward” under “Time” was replaced by a move to the top level, made at the same time on another machine.',
    ],
    [
      { kind: 'overwritten', codeId: 'x', field: 'definition', lost: 'Pay', kept: 'Money' },
      'Your edit of the definition of “Reward” was replaced by an edit made at the same time on another machine. Your text was: “Pay”',
    ],
    [
      { kind: 'shortcut-taken', codeId: 'y', key: '2', keptBy: 'x', given: '3' },
      '“Benefits” and “Reward” were given the key 2 at the same time on different machines; “Benefits” now has the key 3.',
    ],
  ];
  it.each(cases)('says %j in plain words', (conflict, words) => {
    expect(describeConflict(conflict, names)).toBe(words);
  });
});
