import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ProjectList from '../../src/ui/home/project-list.svelte';
import { AppState } from '../../src/lib/state/app.svelte';
import { database } from '../../src/lib/db/database';
import { commitImport } from '../../src/lib/db/commit-import';
import { smallBatch } from '../../src/lib/db/test-helpers';

HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.setAttribute('open', '');
};

const source = { fileName: 'f.csv', format: 'generic' };

async function seeded() {
  const db = database();
  await db.delete();
  await db.open();
  await commitImport(db, smallBatch('Baseline', ['a', 'b', 'c']), { kind: 'new', name: 'Mentoring study' }, source);
  await commitImport(db, smallBatch('Baseline', ['x']), { kind: 'new', name: 'Pilot' }, source);
  const app = new AppState();
  await app.projects.refresh();
  render(ProjectList, { app });
  return { app, db };
}

describe('ProjectList', () => {
  beforeEach(() => {
    location.hash = '#/';
  });

  it('lists projects with their counts', async () => {
    await seeded();
    const rows = screen.getAllByTestId('project-row');
    expect(rows).toHaveLength(2);
    const mentoring = rows.find((r) => r.textContent?.includes('Mentoring study'))!;
    expect(within(mentoring).getAllByRole('cell')[1].textContent).toBe('3');
    expect(within(mentoring).getAllByRole('cell')[2].textContent).toBe('5');
  });

  it('renames a project, refusing an empty name with a message', async () => {
    const { db } = await seeded();
    await userEvent.click(screen.getByRole('button', { name: 'Rename Pilot' }));
    const input = screen.getByLabelText('Project name');
    await userEvent.clear(input);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/needs a name/);
    await userEvent.type(input, 'Pilot round{Enter}');
    expect(await screen.findByText('Pilot round')).toBeInTheDocument();
    expect((await db.projects.toArray()).map((p) => p.name).sort()).toEqual(['Mentoring study', 'Pilot round']);
  });

  it('asks before deleting, and cancelling keeps the project', async () => {
    const { db } = await seeded();
    await userEvent.click(screen.getByRole('button', { name: 'Delete Mentoring study' }));
    expect(screen.getByTestId('confirm-dialog').textContent).toMatch(/5 answers from 3 respondents/);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await db.projects.count()).toBe(2);

    await userEvent.click(screen.getByRole('button', { name: 'Delete Mentoring study' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete project' }));
    await expect.poll(() => screen.queryAllByTestId('project-row').length).toBe(1);
    expect((await db.projects.toArray()).map((p) => p.name)).toEqual(['Pilot']);
    expect(await db.answerChunks.count()).toBe(2);
  });
});
