import { describe, expect, it } from 'vitest';
import { AnswerView } from '../../src/lib/state/answer-view.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { ProjectState } from '../../src/lib/state/project.svelte';
import { database } from '../../src/lib/db/database';
import { answerId } from '../../src/lib/model/types';
import { withPositions } from '../../src/lib/db/projects';

function setup() {
  const project = new ProjectState(database);
  project.projectId = 'p';
  project.questionId = 'q1';
  project.answers = { respondentIds: ['E01', 'E02', 'E03'], waveIds: ['b', 'b', 'b'], texts: ['one', 'two', 'three'] };
  const coder = new CoderState();
  const workspace = new CodingWorkspace(database, coder);
  workspace.projectId = 'p';
  const view = new AnswerView(project, workspace, coder);
  return { project, workspace, view };
}

const change = (respondent: string) => ({
  putCodes: [],
  deleteCodes: [],
  putCodings: [
    { projectId: 'p', id: `c-${respondent}`, answerId: answerId('q1', 'b', respondent), codeId: 'x', coderId: 'ana', start: null, end: null, createdAt: 0 },
  ],
  deleteCodings: [],
});

describe('AnswerView', () => {
  // Found by the bench: every coding rebuilt the list, and the list scrolled back to the top.
  it('keeps the same list, and the same list key, when a code is applied and nothing filters on codings', () => {
    const { workspace, view } = setup();
    const before = view.visible;
    const key = view.listKey;
    workspace.index.apply(change('E02'));
    workspace.version++;
    expect(view.visible).toBe(before);
    expect(view.listKey).toBe(key);
  });

  it('recomputes the list when it filters on codings, without changing the list key', () => {
    const { workspace, view } = setup();
    view.set({ uncodedOnly: true });
    expect(view.visible).toEqual([0, 1, 2]);
    const key = view.listKey;
    workspace.index.apply(change('E02'));
    workspace.version++;
    expect(view.visible).toEqual([0, 2]);
    expect(view.listKey).toBe(key);
    view.set({ uncodedOnly: false });
    expect(view.listKey).not.toBe(key);
  });
});

describe('AnswerView order', () => {
  it('orders the filtered answers, starts the list afresh, and keeps a coded order still while the coder codes', () => {
    const { workspace, view, project } = setup();
    project.answers = { respondentIds: ['E10', 'E2', 'E1'], waveIds: ['b', 'b', 'b'], texts: ['ten', 'a', 'longest'] };
    const key = view.listKey;
    view.sort = 'respondent';
    expect(view.visible).toEqual([2, 1, 0]);
    // Ranked through the project's respondents (once per project), with the same order.
    project.respondents = withPositions({ ids: ['E9', 'E10', 'E1', 'E2', 'E0'], attributes: {}, waves: [] });
    project.answers = { ...project.answers };
    expect(view.visible).toEqual([2, 1, 0]);
    expect(view.listKey).not.toBe(key);
    view.sort = 'longest';
    expect(view.visible).toEqual([2, 0, 1]);
    view.set({ searchMask: Uint8Array.from([1, 1, 0]) });
    expect(view.visible).toEqual([0, 1]);
    view.set({ searchMask: null });
    workspace.index.apply({ ...change('E2'), putCodings: change('E2').putCodings.map((c) => ({ ...c, answerId: answerId('q1', 'b', 'E2') })) });
    workspace.version++;
    view.sort = 'coded';
    expect(view.visible).toEqual([1, 0, 2]);
    // The answer just coded does not jump away from under the coder: the order is taken again on the next choice.
    workspace.index.apply({ ...change('E1'), putCodings: change('E1').putCodings.map((c) => ({ ...c, answerId: answerId('q1', 'b', 'E1') })) });
    workspace.version++;
    expect(view.visible).toEqual([1, 0, 2]);
    view.sort = 'uncoded';
    expect(view.visible).toEqual([0, 1, 2]);
  });
});

describe('AnswerView and search', () => {
  it('narrows to the positions a search mask marks, and starts the list afresh for each new search', () => {
    const { view } = setup();
    view.set({ searchMask: Uint8Array.from([1, 0, 1]) });
    expect(view.visible).toEqual([0, 2]);
    const key = view.listKey;
    view.set({ searchMask: Uint8Array.from([1, 0, 1]) });
    expect(view.listKey).not.toBe(key);
    view.set({ searchMask: null });
    expect(view.visible).toEqual([0, 1, 2]);
  });
});

describe('ProjectState.open after an import', () => {
  it('takes the respondents and first answers the import handed over, once, and reads the database after that', async () => {
    const { freshDatabase, smallBatch } = await import('../../src/lib/db/test-helpers');
    const { commitImport } = await import('../../src/lib/db/commit-import');
    const db = freshDatabase();
    const summary = await commitImport(db, smallBatch('Baseline', ['r1', 'r2']), { kind: 'new', name: 'S' }, { fileName: 'f.csv', format: 'generic' });
    const project = new ProjectState(() => db);
    // A marked copy shows which source the view was filled from.
    const { packStrings, unpackStrings } = await import('../../src/lib/db/packed-columns');
    const opening = structuredClone(summary.opening!);
    opening.answers.texts = packStrings(unpackStrings(opening.answers.texts).map((t) => `primed: ${t}`));
    project.prime(summary.projectId, opening);
    await project.open(summary.projectId);
    expect(project.answers?.texts).toEqual(['primed: Baseline answer of r1', 'primed: Baseline answer of r2']);
    expect(project.respondents?.ids).toEqual(['r1', 'r2']);
    await project.open(summary.projectId);
    expect(project.answers?.texts).toEqual(['Baseline answer of r1', 'Baseline answer of r2']);
  });
});
