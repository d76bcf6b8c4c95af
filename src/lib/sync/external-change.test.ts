// @vitest-environment node
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { externalChange, heldPushes } from './external-change';
import type { SyncedState } from './materialize';
import { materialize } from './materialize';
import type { SpaceDocs } from './project-doc';

function state(parts: Partial<SyncedState> = {}): SyncedState {
  return {
    codes: [],
    codings: [],
    memos: [],
    coders: [],
    rounds: [],
    codebookVersions: [],
    resolutions: [],
    themes: [],
    project: {},
    blind: new Map(),
    conflicts: [],
    ...parts,
  };
}

const coding = (id: string, coderId = 'ada', codeId = 'k1') => ({ id, answerId: `q\u001fw\u001f${id}`, codeId, coderId, start: null, end: null, createdAt: 1 });
const round = (id: string, name = 'Pilot') => ({
  id,
  number: 1,
  name,
  createdAt: 1,
  createdBy: 'ada',
  sample: { size: { kind: 'count' as const, count: 1 }, seed: 1, questionIds: [], waveIds: [], strata: [] },
  answerIds: [],
  codebookVersionId: 'v1',
  coderIds: [],
});

describe('externalChange', () => {
  it('is what the team added, changed and removed, in the project’s terms', () => {
    const before = state({ codings: [coding('a'), coding('b')], rounds: [round('r1')] });
    const after = state({ codings: [coding('a', 'ada', 'k2'), coding('c')], rounds: [round('r1', 'Main')], project: { name: 'Renamed' } });
    const { change, empty, heldChanged } = externalChange('p', before, after);
    expect(empty).toBe(false);
    expect(heldChanged).toBe(true);
    expect(change.change.putCodings.map((c) => [c.id, c.codeId, c.projectId])).toEqual([
      ['a', 'k2', 'p'],
      ['c', 'k1', 'p'],
    ]);
    expect(change.change.deleteCodings.map((c) => c.id)).toEqual(['b']);
    expect(change.rounds.put.map((r) => r.name)).toEqual(['Main']);
    expect(change.project).toEqual({ name: 'Renamed' });
  });

  it('is empty when nothing changed', () => {
    const same = state({ codings: [coding('a')], rounds: [round('r1')], project: { name: 'P' } });
    expect(externalChange('p', same, structuredClone(same)).empty).toBe(true);
  });
});

describe('heldPushes', () => {
  function docs(): SpaceDocs & { spaces: Map<string, Y.Doc> } {
    const shared = new Y.Doc();
    const spaces = new Map<string, Y.Doc>();
    return {
      shared,
      spaces,
      coderSpace: (coderId) => {
        if (!spaces.has(coderId)) spaces.set(coderId, new Y.Doc());
        return spaces.get(coderId)!;
      },
    };
  }

  it('sends what changed here and the team lacks: a round drawn here, a coder file’s codings', () => {
    const baseline = state({ codings: [coding('a')] });
    const team = state({ codings: [coding('a')] });
    const held = state({ codings: [coding('a'), coding('z', 'ben')], rounds: [round('r1')] });
    const pushes = heldPushes(baseline, team, held);
    expect(pushes.empty).toBe(false);
    expect(pushes.coderIds).toEqual(['ben']);
    const target = docs();
    pushes.write(target);
    const result = materialize(target.shared, target.spaces);
    expect(result.rounds.map((r) => r.id)).toEqual(['r1']);
    expect(result.codings.map((c) => c.id)).toEqual([]); // its code k1 is not in the shared space here
    expect([...target.spaces.get('ben')!.getMap('codings').keys()]).toEqual(['z']);
  });

  it('never puts back what another coder removed from the team while it was still held here', () => {
    // Taken in last: a and b. Since, Ben removed b (the team no longer has it); this browser still holds b.
    const baseline = state({ codings: [coding('a'), coding('b', 'ben')] });
    const team = state({ codings: [coding('a')] });
    const held = state({ codings: [coding('a'), coding('b', 'ben')] });
    expect(heldPushes(baseline, team, held).empty).toBe(true);
  });

  it('removes for the team a round removed here, and only that', () => {
    const baseline = state({ rounds: [round('r1'), round('r2')] });
    const team = state({ rounds: [round('r1'), round('r2')] });
    const held = state({ rounds: [round('r1')] });
    const pushes = heldPushes(baseline, team, held);
    const target = docs();
    target.shared.getMap('rounds').set('r1', { ...round('r1') });
    target.shared.getMap('rounds').set('r2', { ...round('r2') });
    pushes.write(target);
    expect([...target.shared.getMap('rounds').keys()]).toEqual(['r1']);
  });
});
