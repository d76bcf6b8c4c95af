// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { renameCode, updateCode } from '../codebook/operations';
import type { SyncConflict } from './conflicts';
import { watchOverwrites } from './overwrites';
import { Replica, change, code, sync } from './test-replicas';

/** Two replicas with one code "Reward"; b has the higher client id, so Yjs keeps b's value of a field both set. */
function pairWatched() {
  const a = new Replica(1, 'c0', ['c0']);
  const b = new Replica(2, 'c1', ['c1']);
  a.write(change({ putCodes: [code('x', null, 0, 'Reward'), code('p', null, 1, 'Parent'), code('q', null, 2, 'Other')] }));
  sync(a, b);
  const reported = { a: [] as SyncConflict[], b: [] as SyncConflict[] };
  const stops = [watchOverwrites(a.shared, (c) => reported.a.push(c)), watchOverwrites(b.shared, (c) => reported.b.push(c))];
  return { a, b, reported, stop: () => stops.forEach((s) => s()) };
}

describe('watchOverwrites', () => {
  it('reports a concurrent rename on the side whose rename lost, and both sides show the same name', () => {
    const { a, b, reported } = pairWatched();
    a.write(renameCode(a.codingState(), 'x', 'Rewards').forward);
    b.write(renameCode(b.codingState(), 'x', 'Benefits').forward);
    sync(a, b);
    expect(a.materialize().codes.find((c) => c.id === 'x')!.name).toBe('Benefits');
    expect(b.materialize()).toEqual(a.materialize());
    expect(reported.a).toEqual([{ kind: 'overwritten', codeId: 'x', field: 'name', lost: 'Rewards', kept: 'Benefits' }]);
    expect(reported.b).toEqual([]);
  });

  it('does not report a remote edit made after seeing ours', () => {
    const { a, b, reported } = pairWatched();
    a.write(renameCode(a.codingState(), 'x', 'Rewards').forward);
    sync(a, b);
    b.write(renameCode(b.codingState(), 'x', 'Benefits').forward);
    sync(a, b);
    expect(a.materialize().codes.find((c) => c.id === 'x')!.name).toBe('Benefits');
    expect(reported).toEqual({ a: [], b: [] });
  });

  it('does not report concurrent edits of different fields, nor our own writes', () => {
    const { a, b, reported } = pairWatched();
    a.write(renameCode(a.codingState(), 'x', 'Rewards').forward);
    b.write(updateCode(b.codingState(), 'x', { color: '#d55e00' }).forward);
    sync(a, b);
    expect(reported).toEqual({ a: [], b: [] });
  });

  it('reports a lost move and a lost definition', () => {
    const { a, b, reported } = pairWatched();
    a.write(change({ putCodes: [code('x', 'p', 0, 'Reward', { definition: 'Pay' })] }));
    b.write(change({ putCodes: [code('x', 'q', 0, 'Reward', { definition: 'Money' })] }));
    sync(a, b);
    expect(reported.a).toEqual([
      { kind: 'overwritten', codeId: 'x', field: 'parentId', lost: 'p', kept: 'q' },
      { kind: 'overwritten', codeId: 'x', field: 'definition', lost: 'Pay', kept: 'Money' },
    ]);
  });

  it('does not report the same value set on both sides, and stops when asked', () => {
    const { a, b, reported, stop } = pairWatched();
    a.write(renameCode(a.codingState(), 'x', 'Same').forward);
    b.write(renameCode(b.codingState(), 'x', 'Same').forward);
    sync(a, b);
    expect(reported.a).toEqual([]);
    stop();
    a.write(renameCode(a.codingState(), 'x', 'One').forward);
    b.write(renameCode(b.codingState(), 'x', 'Two').forward);
    sync(a, b);
    expect(reported.a).toEqual([]);
  });

  it('recognises values this machine wrote under an earlier client id when told', () => {
    const { a, b } = pairWatched();
    const reported: SyncConflict[] = [];
    const earlier = a.shared.clientID;
    a.write(renameCode(a.codingState(), 'x', 'Rewards').forward);
    b.write(renameCode(b.codingState(), 'x', 'Benefits').forward);
    // As if a's doc had been restored from storage with a fresh client id.
    a.shared.clientID = 7;
    watchOverwrites(a.shared, (c) => reported.push(c), { isOwnClient: (id) => id === earlier || id === 7 });
    sync(a, b);
    expect(reported.map((c) => c.kind)).toEqual(['overwritten']);
  });
});
