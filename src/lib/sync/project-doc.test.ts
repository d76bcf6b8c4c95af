// @vitest-environment node
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCode, deleteCode, mergeCodes, moveCode, removeCoding, renameCode } from '../codebook/operations';
import type { CodebookVersion, Coder, Resolution, Round, Theme } from '../model/types';
import { materialize } from './materialize';
import {
  LOCAL_ORIGIN,
  clearBlind,
  reveal,
  seedFromProject,
  setBlind,
  writeCodebookVersions,
  writeCoders,
  writeMemos,
  writeProjectMeta,
  writeRounds,
  type SpaceDocs,
  type SyncedMemo,
} from './project-doc';
import { PROJECT, Replica, change, code, coding, newDoc, sync } from './test-replicas';

const codeMap = (r: Replica, id: string) => r.shared.getMap('codes').get(id) as Y.Map<unknown>;

describe('the layout written by writeChange', () => {
  it('keeps a code as a Y.Map of fields with its state, and leaves absent optional fields out', () => {
    const r = new Replica(1, 'c0', ['c0']);
    r.write(change({ putCodes: [code('x', null, 0, 'Reward', { shortcut: '1', mergedFromIds: ['old'] })] }));
    const fields = codeMap(r, 'x');
    expect(fields).toBeInstanceOf(Y.Map);
    expect(fields.toJSON()).toEqual({
      name: 'Reward',
      parentId: null,
      color: '#009e73',
      definition: '',
      inclusion: '',
      exclusion: '',
      example: '',
      order: 0,
      shortcut: '1',
      mergedFromIds: ['old'],
      state: 'live',
    });
  });

  it('keeps codings in their coder’s space without coder or project, and skips spaces it may not write', () => {
    const r = new Replica(1, 'c0', ['c0', 'c1']);
    r.write(change({ putCodings: [{ ...coding('k1', 'x', 'c0', 'a1', 2, 5), exemplar: true }, coding('k2', 'x', 'c1')] }));
    expect(r.spaces.get('c0')!.getMap('codings').toJSON()).toEqual({ k1: { answerId: 'a1', codeId: 'x', start: 2, end: 5, createdAt: 1, exemplar: true } });
    expect(r.spaces.get('c1')!.getMap('codings').size).toBe(0);
    r.write(change({ deleteCodings: [coding('k1', 'x', 'c0')] }));
    expect(r.spaces.get('c0')!.getMap('codings').size).toBe(0);
  });

  it('writes each doc in one transaction with LOCAL_ORIGIN', () => {
    const r = new Replica(1, 'c0', ['c0']);
    const origins: unknown[] = [];
    r.shared.on('afterTransaction', (t: Y.Transaction) => origins.push(['shared', t.origin]));
    r.spaces.get('c0')!.on('afterTransaction', (t: Y.Transaction) => origins.push(['c0', t.origin]));
    r.write(change({ putCodes: [code('x', null, 0), code('y', null, 1)], putCodings: [coding('k1', 'x', 'c0'), coding('k2', 'y', 'c0')] }));
    expect(origins).toEqual([
      ['shared', LOCAL_ORIGIN],
      ['c0', LOCAL_ORIGIN],
    ]);
  });

  it('keeps resolutions by answer and themes by id as whole records, and deletes them', () => {
    const r = new Replica(1, 'c0', ['c0']);
    const resolution: Resolution = { projectId: PROJECT, answerId: 'a1', decision: 'first', coderIds: ['c0', 'c1'], codeIds: ['x'], resolvedBy: 'c0', at: 5 };
    const theme: Theme = { projectId: PROJECT, id: 't1', name: 'Growth', description: '', codeIds: ['x'], withSubcodes: false, order: 0 };
    r.write(change({ putCodes: [code('x', null, 0)], putResolutions: [resolution], putThemes: [theme] }));
    const { projectId: _p1, ...storedResolution } = resolution;
    const { projectId: _p2, ...storedTheme } = theme;
    expect(r.shared.getMap('resolutions').get('a1')).toEqual(storedResolution);
    expect(r.shared.getMap('themes').get('t1')).toEqual(storedTheme);
    r.write(change({ deleteResolutions: [resolution], deleteThemes: [theme] }));
    expect(r.shared.getMap('resolutions').size).toBe(0);
    expect(r.shared.getMap('themes').size).toBe(0);
  });
});

describe('writing only what differs', () => {
  it('lets a rename on one machine and a recolour on another both survive', () => {
    const a = new Replica(1, 'c0', ['c0']);
    const b = new Replica(2, 'c1', ['c1']);
    a.write(change({ putCodes: [code('x', null, 0, 'Reward')] }));
    sync(a, b);
    a.write(change({ putCodes: [code('x', null, 0, 'Rewards')] }));
    b.write(change({ putCodes: [code('x', null, 0, 'Reward', { color: '#d55e00' })] }));
    sync(a, b);
    const { projectId: _, ...expected } = code('x', null, 0, 'Rewards', { color: '#d55e00' });
    for (const r of [a, b]) expect(r.materialize().codes).toEqual([expected]);
  });

  it('writes nothing for a put that changes nothing', () => {
    const r = new Replica(1, 'c0', ['c0']);
    r.write(change({ putCodes: [code('x', null, 0)], putCodings: [coding('k1', 'x', 'c0')] }));
    let updates = 0;
    r.shared.on('update', () => updates++);
    r.spaces.get('c0')!.on('update', () => updates++);
    r.write(change({ putCodes: [code('x', null, 0)], putCodings: [coding('k1', 'x', 'c0')] }));
    expect(updates).toBe(0);
  });

  it('clears an optional field the app removed', () => {
    const r = new Replica(1, 'c0', ['c0']);
    r.write(change({ putCodes: [code('x', null, 0, 'X', { splitFromId: 'y' })] }));
    r.write(change({ putCodes: [code('x', null, 0, 'X')] }));
    expect(codeMap(r, 'x').has('splitFromId')).toBe(false);
  });
});

describe('deleting codes', () => {
  it('leaves a tombstone, and undoing the delete makes the code live again', () => {
    const r = new Replica(1, 'c0', ['c0']);
    r.write(change({ putCodes: [code('x', null, 0), code('y', null, 1)] }));
    const state = r.codingState();
    const del = deleteCode(state, 'x');
    r.write(del.forward);
    expect(codeMap(r, 'x').get('state')).toBe('deleted');
    expect(codeMap(r, 'x').has('mergedInto')).toBe(false);
    expect(r.materialize().codes.map((c) => c.id)).toEqual(['y']);
    r.write(del.inverse);
    expect(codeMap(r, 'x').get('state')).toBe('live');
    expect(r.materialize().codes.map((c) => [c.id, c.order])).toEqual([
      ['x', 0],
      ['y', 1],
    ]);
  });

  it('marks a merged code with the code it went into, and undoing the merge clears it', () => {
    const r = new Replica(1, 'c0', ['c0']);
    r.write(change({ putCodes: [code('x', null, 0), code('y', null, 1)] }));
    const merge = mergeCodes(r.codingState(), 'x', 'y');
    r.write(merge.forward);
    expect(codeMap(r, 'x').get('state')).toBe('deleted');
    expect(codeMap(r, 'x').get('mergedInto')).toBe('y');
    r.write(merge.inverse);
    expect(codeMap(r, 'x').get('state')).toBe('live');
    expect(codeMap(r, 'x').has('mergedInto')).toBe(false);
  });

  it('marks a subcode merged into its counterpart as merged into that counterpart', () => {
    const r = new Replica(1, 'c0', ['c0']);
    r.write(change({ putCodes: [code('x', null, 0), code('y', null, 1), code('xs', 'x', 0, 'Same'), code('ys', 'y', 0, 'Same')] }));
    r.write(mergeCodes(r.codingState(), 'x', 'y').forward);
    expect(codeMap(r, 'x').get('mergedInto')).toBe('y');
    expect(codeMap(r, 'xs').get('mergedInto')).toBe('ys');
  });

  it('puts a code that one change both deletes and puts', () => {
    const r = new Replica(1, 'c0', ['c0']);
    r.write(change({ putCodes: [code('x', null, 0)] }));
    r.write(change({ deleteCodes: [code('x', null, 0)], putCodes: [code('x', null, 0, 'Back')] }));
    expect(codeMap(r, 'x').get('state')).toBe('live');
    expect(r.materialize().codes.map((c) => c.name)).toEqual(['Back']);
  });
});

describe('sibling orders the app computed against the materialized codebook', () => {
  it('stores the rest of a sibling list as the app saw it, so a code created last stays last', () => {
    const a = new Replica(1, 'c0', ['c0']);
    // Stored orders with a gap and a tie, as concurrent moves leave them; materialized they are 0, 1, 2.
    a.write(change({ putCodes: [code('p', null, 0), code('q', null, 5), code('r', null, 5)] }));
    expect(a.materialize().codes.map((c) => [c.id, c.order])).toEqual([
      ['p', 0],
      ['q', 1],
      ['r', 2],
    ]);
    const ids = { newId: () => 's', now: () => 1 };
    a.write(createCode(a.codingState(), ids, { name: 'S', parentId: null, projectId: PROJECT }).forward);
    expect(a.materialize().codes.map((c) => [c.id, c.order])).toEqual([
      ['p', 0],
      ['q', 1],
      ['r', 2],
      ['s', 3],
    ]);
  });
});

describe('keeping what the app shows equal to what its change computed', () => {
  const created = (r: Replica, id: string, name: string) =>
    r.write(createCode(r.codingState(), { newId: () => id, now: () => 1 }, { name, parentId: null, projectId: PROJECT }).forward);

  it('stores a key settled between codes created at the same time, so it does not change back later', () => {
    const a = new Replica(1, 'c0', ['c0']);
    const b = new Replica(2, 'c1', ['c1']);
    created(a, 'e', 'Empathy');
    created(b, 'f', 'Fairness');
    sync(a, b);
    const keyOf = (r: Replica, id: string) => r.materialize().codes.find((c) => c.id === id)?.shortcut;
    expect([keyOf(a, 'e'), keyOf(a, 'f')]).toEqual(['1', '2']);
    expect(codeMap(a, 'f').get('shortcut')).toBe('1');
    // Deleting the code that kept the key would otherwise give it back to the other one.
    a.write(deleteCode(a.codingState(), 'e').forward);
    expect(keyOf(a, 'f')).toBe('2');
    expect(codeMap(a, 'f').get('shortcut')).toBe('2');
  });

  it('stores a parent loop as settled, so the conflict is gone once anyone changes the codebook', () => {
    const a = new Replica(1, 'c0', ['c0']);
    const b = new Replica(2, 'c1', ['c1']);
    a.write(change({ putCodes: [code('m', null, 0), code('n', null, 1), code('o', null, 2)] }));
    sync(a, b);
    a.write(moveCode(a.codingState(), 'm', 'n', 0).forward);
    b.write(moveCode(b.codingState(), 'n', 'm', 0).forward);
    sync(a, b);
    expect(a.materialize().conflicts.map((c) => c.kind)).toEqual(['parent-cycle']);
    a.write(renameCode(a.codingState(), 'o', 'Other').forward);
    sync(a, b);
    expect(codeMap(b, 'm').get('parentId')).toBeNull();
    expect(b.materialize().conflicts).toEqual([]);
    expect(b.materialize().codes.map((c) => [c.id, c.parentId])).toEqual([
      ['m', null],
      ['n', 'm'],
      ['o', null],
    ]);
  });

  it('removes, with a coding the coder removes, its twin that a merge elsewhere had hidden behind it', () => {
    const coder = new Replica(1, 'c0', ['c0']);
    const lead = new Replica(2, 'lead', ['c0', 'lead']);
    lead.write(change({ putCodes: [code('x', null, 0), code('y', null, 1)] }));
    sync(coder, lead);
    coder.write(change({ putCodings: [coding('k1', 'y', 'c0', 'a1'), coding('k2', 'x', 'c0', 'a1'), coding('k3', 'x', 'c0', 'a2')] }));
    lead.write(mergeCodes(lead.codingState(), 'x', 'y').forward);
    sync(coder, lead);
    expect(coder.materialize().codings.map((c) => [c.id, c.codeId])).toEqual([
      ['k1', 'y'],
      ['k3', 'y'],
    ]);
    coder.write(removeCoding(coder.codingState(), 'k1').forward);
    expect(coder.materialize().codings.map((c) => c.id)).toEqual(['k3']);
    expect([...coder.spaces.get('c0')!.getMap('codings').keys()]).toEqual(['k3']);
  });
});

describe('the other writers', () => {
  const coder: Coder = { projectId: PROJECT, id: 'c0', name: 'Ana', color: '#1f78b4' };
  const round = {
    projectId: PROJECT,
    id: 'r1',
    number: 1,
    name: 'Pilot',
    createdAt: 1,
    createdBy: 'c0',
    answerIds: ['a1'],
    codebookVersionId: 'v1',
    coderIds: [],
  } as unknown as Round;
  const version: CodebookVersion = { projectId: PROJECT, id: 'v1', number: 1, label: 'v1', createdAt: 1, createdBy: 'c0', codes: [] };
  const memo: SyncedMemo = { id: 'm1', target: { kind: 'answer', id: 'a1' }, text: 'Note', coderId: 'c0', coderName: 'Ana', createdAt: 1, updatedAt: 2 };

  it('writes coders, rounds, versions and memos, and deletes them by record or id', () => {
    const r = new Replica(1, 'c0', ['c0', 'c1']);
    writeCoders(r.docs, [coder]);
    writeRounds(r.shared, [round]);
    writeCodebookVersions(r.shared, [version]);
    writeMemos(r.docs, [
      { ...memo, projectId: PROJECT },
      { ...memo, id: 'm2', coderId: 'c1' },
    ]);
    const state = r.materialize();
    expect(state.coders).toEqual([{ id: 'c0', name: 'Ana', color: '#1f78b4' }]);
    expect(state.rounds.map((x) => x.id)).toEqual(['r1']);
    expect(state.codebookVersions.map((x) => x.id)).toEqual(['v1']);
    expect(state.memos).toEqual([memo]);
    writeCoders(r.docs, [], [coder]);
    writeRounds(r.shared, [], ['r1']);
    writeCodebookVersions(r.shared, [], [{ id: 'v1' }]);
    writeMemos(r.docs, [], [{ id: 'm1', coderId: 'c0' }]);
    const after = r.materialize();
    expect([after.coders, after.rounds, after.codebookVersions, after.memos]).toEqual([[], [], [], []]);
  });

  it('writes the project meta', () => {
    const r = new Replica(1, 'c0', ['c0']);
    writeProjectMeta(r.shared, { name: 'Mentoring', primaryCoderId: 'c0' });
    expect(r.materialize().project).toEqual({ name: 'Mentoring', primaryCoderId: 'c0' });
    writeProjectMeta(r.shared, { primaryCoderId: null });
    expect(r.materialize().project).toEqual({ name: 'Mentoring' });
  });

  it('lists blind coders and reveals one or all, keeping the time of an earlier reveal', () => {
    const r = new Replica(1, 'c0', ['c0']);
    setBlind(r.shared, 'c1', 'r1', 10);
    setBlind(r.shared, 'c2', null, 11);
    setBlind(r.shared, 'c3', null, 12);
    reveal(r.shared, 'c1', 20);
    expect(r.materialize().blind.get('c1')).toEqual({ roundId: 'r1', since: 10, revealedAt: 20 });
    expect(r.materialize().blind.get('c2')).toEqual({ roundId: null, since: 11, revealedAt: null });
    reveal(r.shared, 'all', 30);
    clearBlind(r.shared, 'c3');
    expect([...r.materialize().blind]).toEqual([
      ['c1', { roundId: 'r1', since: 10, revealedAt: 20 }],
      ['c2', { roundId: null, since: 11, revealedAt: 30 }],
    ]);
  });
});

describe('seedFromProject', () => {
  it('writes a whole project so that it materializes as it was, on the replica that joins too', () => {
    const docs: SpaceDocs = { shared: newDoc(1), coderSpace: () => null };
    const spaces = new Map(['c0', 'c1', 'consensus'].map((id) => [id, newDoc(1)]));
    docs.coderSpace = (id) => spaces.get(id) ?? null;
    const codes = [code('x', null, 0, 'Reward', { shortcut: '1' }), code('y', 'x', 0, 'Money', { splitFromId: 'x' }), code('z', null, 1, 'Time')];
    const codings = [coding('k1', 'x', 'c0'), coding('k2', 'y', 'c1', 'a2', 0, 4), coding('k3', 'x', 'consensus')];
    const memos: SyncedMemo[] = [{ id: 'm1', target: { kind: 'code', id: 'x' }, text: 'Hm', coderId: 'c1', coderName: 'Ben', createdAt: 1, updatedAt: 1 }];
    const coders: Coder[] = [{ projectId: PROJECT, id: 'c0', name: 'Ana', color: '#1f78b4' }];
    const resolutions: Resolution[] = [
      { projectId: PROJECT, answerId: 'a1', decision: 'both', coderIds: ['c0', 'c1'], codeIds: ['x'], resolvedBy: 'c0', at: 1 },
    ];
    const themes: Theme[] = [{ projectId: PROJECT, id: 't1', name: 'T', description: 'd', codeIds: ['x', 'z'], withSubcodes: true, order: 0 }];
    seedFromProject(docs, {
      codes,
      codings,
      memos,
      coders,
      rounds: [],
      codebookVersions: [],
      resolutions,
      themes,
      project: { name: 'Study', primaryCoderId: 'c0' },
    });

    const strip = <T extends { projectId?: string }>(list: T[]) => list.map(({ projectId: _, ...rest }) => rest);
    const expected = {
      codes: strip(codes),
      codings: strip(codings),
      memos,
      coders: strip(coders),
      rounds: [],
      codebookVersions: [],
      resolutions: strip(resolutions),
      themes: strip(themes),
      project: { name: 'Study', primaryCoderId: 'c0' },
      blind: new Map(),
      conflicts: [],
    };
    expect(materialize(docs.shared, spaces)).toEqual(expected);

    const joiner = new Replica(2, 'c1', ['c0', 'c1', 'consensus']);
    Y.applyUpdate(joiner.shared, Y.encodeStateAsUpdate(docs.shared));
    for (const [id, doc] of spaces) Y.applyUpdate(joiner.spaces.get(id)!, Y.encodeStateAsUpdate(doc));
    expect(joiner.materialize()).toEqual(expected);
  });

  it('skips the spaces this client may not write', () => {
    const r = new Replica(1, 'c0', ['c0', 'c1']);
    seedFromProject(r.docs, {
      codes: [code('x', null, 0)],
      codings: [coding('k1', 'x', 'c0'), coding('k2', 'x', 'c1')],
      memos: [],
      coders: [],
      rounds: [],
      codebookVersions: [],
      resolutions: [],
      themes: [],
      project: { name: 'Study' },
    });
    expect(r.materialize().codings.map((c) => c.id)).toEqual(['k1']);
  });
});
