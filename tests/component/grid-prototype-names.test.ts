/**
 * The survey grid with a question whose id is "constructor": a respondent who
 * did not answer it shows an empty cell, not Object.prototype's constructor.
 */
import { describe, expect, it } from 'vitest';
import { commitImport } from '../../src/lib/db/commit-import';
import { loadProjectOverview, loadRespondents } from '../../src/lib/db/projects';
import { freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import { database } from '../../src/lib/db/database';
import { AnswerView } from '../../src/lib/state/answer-view.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { GridState } from '../../src/lib/state/grid.svelte';
import { ProjectState } from '../../src/lib/state/project.svelte';

describe('GridState with a question called "constructor"', () => {
  it('shows only the answers given', async () => {
    const db = freshDatabase();
    const batch = smallBatch('Baseline', ['r1', 'r2']);
    batch.questions[1].key = 'constructor';
    batch.answers[1].questionKey = 'constructor';
    const { projectId } = await commitImport(db, batch, { kind: 'new', name: 'S' }, { fileName: 'a.csv', format: 'generic' });
    const overview = (await loadProjectOverview(db, projectId))!;
    expect(overview.questions.map((q) => q.id)).toEqual(['q1', 'constructor']);
    const project = new ProjectState(() => db);
    project.projectId = projectId;
    project.overview = overview;
    project.respondents = await loadRespondents(db, projectId);
    const coder = new CoderState();
    const grid = new GridState(() => db, project, new AnswerView(project, new CodingWorkspace(database, coder), coder));
    await grid.load();
    const wave = overview.waves[0].id;
    expect(grid.text({ respondentId: 'r1', waveId: wave }, 'constructor')).toBe('hard for r1');
    expect(grid.text({ respondentId: 'r2', waveId: wave }, 'constructor')).toBeUndefined();
    expect(grid.text({ respondentId: 'r2', waveId: wave }, 'q1')).toBe('Baseline answer of r2');
  });
});
