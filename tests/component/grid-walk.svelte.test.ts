/**
 * The survey grid's window of answers while its directory is still being walked: an effect that shows rows placed
 * only by the walk runs again once the directory is whole, so their text is read without another scroll.
 */
import { expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { commitImport } from '../../src/lib/db/commit-import';
import { loadProjectOverview, loadRespondents } from '../../src/lib/db/projects';
import { ANSWER_CHUNK_SIZE } from '../../src/lib/db/schema';
import { freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import { database } from '../../src/lib/db/database';
import { AnswerView } from '../../src/lib/state/answer-view.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { GridState } from '../../src/lib/state/grid.svelte';
import { ProjectState } from '../../src/lib/state/project.svelte';

it('reads the text of rows the walk placed, once the directory is whole, with no new scroll', async () => {
  const db = freshDatabase();
  const ids = Array.from({ length: Math.round(ANSWER_CHUNK_SIZE * 1.5) }, (_, i) => `p${String(i).padStart(6, '0')}`);
  const { projectId } = await commitImport(db, smallBatch('W', ids), { kind: 'new', name: 'S' }, { fileName: 'a.csv', format: 'generic' });
  const overview = (await loadProjectOverview(db, projectId))!;
  const project = new ProjectState(() => db);
  project.projectId = projectId;
  project.overview = overview;
  project.respondents = await loadRespondents(db, projectId);
  const coder = new CoderState();
  const grid = new GridState(() => db, project, new AnswerView(project, new CodingWorkspace(database, coder), coder));
  const last = ids[ids.length - 1];
  const row = { respondentId: last, waveId: overview.waves[0].id, position: project.respondents!.positionOf.get(last)! };

  const loading = grid.load();
  // As the grid view does: an effect shows the rows on screen, here a row in the second chunk of q1.
  const stop = $effect.root(() => {
    $effect(() => grid.show([row], ['q1']));
  });
  flushSync();
  await loading;
  flushSync();
  await expect.poll(async () => (await grid.settled(), grid.text(row, 'q1'))).toBe(`W answer of ${last}`);
  stop();
});
