import { afterEach, describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Dexie from 'dexie';
import RoundsDialog from '../../src/ui/project/rounds-dialog.svelte';
import { RoundsState } from '../../src/lib/state/rounds.svelte';
import { Notifications } from '../../src/lib/state/notifications.svelte';
import { commitImport } from '../../src/lib/db/commit-import';
import { loadProjectOverview, loadRespondents } from '../../src/lib/db/projects';
import { loadCodebookVersions, loadRounds } from '../../src/lib/db/rounds';
import { freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import type { Code, Coding } from '../../src/lib/model/types';

// jsdom has no <dialog> methods.
HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.setAttribute('open', '');
};

const opened: CodebenchDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const code = (projectId: string, id: string, name: string): Code => ({
  projectId,
  id,
  parentId: null,
  name,
  color: '#336699',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order: 0,
});

async function setUp() {
  const db = freshDatabase();
  opened.push(db);
  const ids = Array.from({ length: 12 }, (_, i) => `r${i + 1}`);
  const { projectId } = await commitImport(db, smallBatch('Baseline', ids), { kind: 'new', name: 'Study' }, { fileName: 'f.csv', format: 'csv' });
  const overview = (await loadProjectOverview(db, projectId))!;
  const project = { overview, respondents: await loadRespondents(db, projectId) };
  const codings: Coding[] = [];
  const workspace = { codes: [code(projectId, 'c1', 'Rewards')], version: 0, index: { forAnswer: (id: string) => codings.filter((c) => c.answerId === id) } };
  const notifications = new Notifications();
  const rounds = new RoundsState(
    () => db,
    project,
    workspace,
    () => 'lead',
    notifications,
  );
  await rounds.load(projectId);
  render(RoundsDialog, { rounds, questions: overview.questions, waves: overview.waves, attributes: overview.attributes, onclose: () => {} });
  return { db, projectId, rounds, notifications, workspace };
}

describe('the rounds dialog', () => {
  it('draws a stratified round from the form, stores it with a frozen codebook and lists it with the coder’s progress', async () => {
    const user = userEvent.setup();
    const { db, projectId, notifications } = await setUp();
    notifications.scope = projectId;
    expect(screen.getByTestId('rounds-empty').textContent).toBe('No round drawn yet.');

    await user.type(screen.getByTestId('round-name'), 'Pilot');
    const count = screen.getByTestId('round-count');
    await user.clear(count);
    await user.type(count, '6');
    await user.tab();
    const seed = screen.getByTestId('round-seed');
    await user.clear(seed);
    await user.type(seed, '1234');
    await user.tab();
    await user.click(screen.getByTestId('round-stratum-question'));
    await user.click(screen.getByTestId('round-draw'));

    const row = await screen.findByTestId('round-row');
    expect(within(row).getByRole('rowheader').textContent).toBe('Round 1 · Pilot');
    expect(within(row).getByTestId('round-progress').textContent).toBe('0 of 6 coded');

    const [stored] = await loadRounds(db, projectId);
    expect(stored).toMatchObject({ number: 1, name: 'Pilot', createdBy: 'lead', coderIds: [] });
    expect(stored.sample).toEqual({ size: { kind: 'count', count: 6 }, seed: 1234, questionIds: [], waveIds: [], strata: [{ kind: 'question' }] });
    expect(stored.answerIds).toHaveLength(6);
    // q1 has 12 answers and q2 6: spread 4 and 2.
    const perQuestion = stored.answerIds.map((id) => id.split('\u001f')[0]);
    expect(new Set(perQuestion).size).toBe(2);
    expect(perQuestion.filter((q) => q === perQuestion[0]).length).toBe(4);

    const versions = await loadCodebookVersions(db, projectId);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ id: stored.codebookVersionId, number: 1, codes: [{ id: 'c1', name: 'Rewards' }] });
    expect(versions[0].codes[0]).not.toHaveProperty('projectId');
    expect(notifications.shown.at(-1)?.text).toContain('Round 1 · Pilot: 6 answers drawn, coded with the codebook frozen as version 1.');
  });

  it('draws a main round after the pilot from new answers with the same codebook version', async () => {
    const user = userEvent.setup();
    const { db, projectId } = await setUp();
    const count = screen.getByTestId('round-count');
    await user.clear(count);
    await user.type(count, '5');
    await user.tab();
    await user.click(screen.getByTestId('round-draw'));
    await screen.findByTestId('round-row');
    await user.type(screen.getByTestId('round-name'), 'Main');
    await user.click(screen.getByTestId('round-draw'));
    await expect.poll(() => screen.queryAllByTestId('round-row').length).toBe(2);

    const [pilot, main] = await loadRounds(db, projectId);
    expect(main.number).toBe(2);
    expect(main.answerIds.filter((id) => pilot.answerIds.includes(id))).toEqual([]);
    expect([pilot.answerIds.length, main.answerIds.length]).toEqual([5, 5]);
    expect(main.codebookVersionId).toBe(pilot.codebookVersionId);
    expect(await loadCodebookVersions(db, projectId)).toHaveLength(1);
  });

  it('says what to change when the draw cannot run, and stores nothing more', async () => {
    const user = userEvent.setup();
    const { db, projectId } = await setUp();
    // 60 asked of 18: all drawn, which the message says.
    await user.click(screen.getByTestId('round-draw'));
    await screen.findByTestId('round-row');
    await user.click(screen.getByTestId('round-draw'));
    expect((await screen.findByTestId('round-draw-error')).textContent).toBe(
      'Every one of the 18 answers in scope is already in an earlier round: widen the scope, or include answers of earlier rounds.',
    );
    expect(await loadRounds(db, projectId)).toHaveLength(1);
    // Including earlier rounds' answers, the same scope can be drawn again.
    await user.click(screen.getByTestId('round-exclude-earlier'));
    await user.click(screen.getByTestId('round-draw'));
    await expect.poll(() => screen.queryAllByTestId('round-row').length).toBe(2);
    expect(screen.queryByTestId('round-draw-error')).toBeNull();
  });

  it('deletes a round after asking', async () => {
    const user = userEvent.setup();
    const { db, projectId } = await setUp();
    await user.click(screen.getByTestId('round-draw'));
    await user.click(await screen.findByTestId('round-delete'));
    const confirm = await screen.findByTestId('confirm-dialog');
    await user.click(within(confirm).getByRole('button', { name: 'Delete the round' }));
    await expect.poll(() => screen.queryAllByTestId('round-row').length).toBe(0);
    expect(await loadRounds(db, projectId)).toEqual([]);
  });
});
