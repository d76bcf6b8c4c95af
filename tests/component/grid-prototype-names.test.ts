/**
 * The survey grid's answers: a question whose id is "constructor" (a
 * respondent who did not answer it shows an empty cell, not
 * Object.prototype's constructor), and answers read by window of rows (only
 * the chunks that cover the rows shown are held, not the project's).
 */
import { describe, expect, it } from 'vitest';
import { commitImport } from '../../src/lib/db/commit-import';
import { loadProjectOverview, loadRespondents } from '../../src/lib/db/projects';
import { ANSWER_CHUNK_SIZE } from '../../src/lib/db/schema';
import { freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import { database } from '../../src/lib/db/database';
import type { ImportBatch } from '../../src/lib/import/types';
import { AnswerView } from '../../src/lib/state/answer-view.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { GridState } from '../../src/lib/state/grid.svelte';
import { ProjectState } from '../../src/lib/state/project.svelte';

async function gridOf(batch: ImportBatch) {
  const db = freshDatabase();
  const { projectId } = await commitImport(db, batch, { kind: 'new', name: 'S' }, { fileName: 'a.csv', format: 'generic' });
  const overview = (await loadProjectOverview(db, projectId))!;
  const project = new ProjectState(() => db);
  project.projectId = projectId;
  project.overview = overview;
  project.respondents = await loadRespondents(db, projectId);
  const coder = new CoderState();
  const grid = new GridState(() => db, project, new AnswerView(project, new CodingWorkspace(database, coder), coder));
  await grid.load();
  const wave = overview.waves[0].id;
  const row = (respondentId: string) => ({ respondentId, waveId: wave, position: project.respondents!.positionOf.get(respondentId)! });
  return { grid, overview, row };
}

describe('GridState', () => {
  it('shows only the answers given, with a question called "constructor"', async () => {
    const batch = smallBatch('Baseline', ['r1', 'r2']);
    batch.questions[1].key = 'constructor';
    batch.answers[1].questionKey = 'constructor';
    const { grid, overview, row } = await gridOf(batch);
    expect(overview.questions.map((q) => q.id)).toEqual(['q1', 'constructor']);
    grid.show([row('r1'), row('r2')], ['q1', 'constructor']);
    await grid.settled();
    expect(grid.text(row('r1'), 'constructor')).toBe('hard for r1');
    expect(grid.has(row('r2'), 'constructor')).toBe(false);
    expect(grid.text(row('r2'), 'constructor')).toBeUndefined();
    expect(grid.text(row('r2'), 'q1')).toBe('Baseline answer of r2');
  });

  it('reads the chunks that cover the rows shown, not every answer', async () => {
    // Two questions of 2.5 chunks each; q2 is answered by every other respondent.
    const ids = Array.from({ length: Math.round(ANSWER_CHUNK_SIZE * 2.5) }, (_, i) => `p${String(i).padStart(6, '0')}`);
    const { grid, row } = await gridOf(smallBatch('W', ids));
    expect(grid.complete).toBe(true);
    // The first chunk of each question is read with the directory (the rows the grid opens on); no other.
    expect(grid.cachedChunks).toBe(2);
    // Known from the directory before its text is read.
    const late = ids[ANSWER_CHUNK_SIZE * 2 + 1];
    expect(grid.has(row(late), 'q1')).toBe(true);
    expect(grid.has(row(late), 'q2')).toBe(false);
    expect(grid.text(row(late), 'q1')).toBeUndefined();

    grid.show([row(ids[0]), row(ids[1])], ['q1', 'q2']);
    await grid.settled();
    expect(grid.cachedChunks).toBe(2);
    expect(grid.text(row(ids[1]), 'q1')).toBe(`W answer of ${ids[1]}`);
    expect(grid.text(row(ids[2]), 'q2')).toBe(`hard for ${ids[2]}`);
    // The last rows are in other chunks: not read until shown.
    const last = ids[ids.length - 1];
    expect(grid.text(row(last), 'q1')).toBeUndefined();

    grid.show([row(last)], ['q1']);
    await grid.settled();
    expect(grid.cachedChunks).toBe(3);
    expect(grid.text(row(last), 'q1')).toBe(`W answer of ${last}`);
    // A row in the middle of q1's second chunk.
    const middle = ids[ANSWER_CHUNK_SIZE + 7];
    grid.show([row(middle)], ['q1', 'q2']);
    await grid.settled();
    expect(grid.text(row(middle), 'q1')).toBe(`W answer of ${middle}`);
    expect(grid.has(row(middle), 'q2')).toBe(false);
  });

  it('forgets what it read when the project is imported into again', async () => {
    const { grid, row } = await gridOf(smallBatch('W', ['a', 'b']));
    grid.show([row('a')], ['q1']);
    await grid.settled();
    expect(grid.text(row('a'), 'q1')).toBe('W answer of a');
    grid.invalidate();
    expect(grid.cachedChunks).toBe(0);
    expect(grid.directory).toBeNull();
    expect(grid.text(row('a'), 'q1')).toBeUndefined();
  });
});
