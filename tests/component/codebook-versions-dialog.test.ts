import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import CodebookPanel from '../../src/ui/project/codebook-panel.svelte';
import { AppState } from '../../src/lib/state/app.svelte';
import { database } from '../../src/lib/db/database';
import { loadCodebookVersions } from '../../src/lib/db/rounds';
import type { Code } from '../../src/lib/model/types';

// jsdom has no <dialog> methods.
HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.setAttribute('open', '');
};

const ANA = { id: 'coder-ana', name: 'Ana', color: '#2454a6' };
let projectCount = 0;
let PID = '';

function code(id: string, name: string, parentId: string | null, order: number): Code {
  return { projectId: PID, id, parentId, name, color: '#1f78b4', definition: `Definition of ${name}`, inclusion: '', exclusion: '', example: '', order };
}

async function setup() {
  await database().codes.bulkAdd([
    code('c-cha', 'Challenges', null, 0),
    code('c-tim', 'Time', 'c-cha', 0),
    code('c-wor', 'Workload', 'c-cha', 1),
    code('c-rew', 'Rewards', null, 1),
  ]);
  localStorage.setItem('codebench.coder', JSON.stringify(ANA));
  const app = new AppState();
  app.workspace.isOnScreen = () => true;
  app.notifications.scope = PID;
  await app.workspace.load(PID);
  render(CodebookPanel, { app });
  return { app, user: userEvent.setup() };
}

describe('Codebook versions dialog', () => {
  beforeEach(async () => {
    PID = `versions-project-${++projectCount}`;
    localStorage.clear();
    await database().delete();
    await database().open();
  });

  it('saves versions, and after a rename and a merge shows what changed between them', async () => {
    const { app, user } = await setup();
    await user.click(screen.getByTestId('codebook-versions-open'));
    const dialog = await screen.findByTestId('codebook-versions');
    expect(await within(dialog).findByTestId('no-versions')).toHaveTextContent('No versions yet');

    await user.type(within(dialog).getByTestId('version-label'), 'Pilot');
    await user.click(within(dialog).getByTestId('save-version'));
    await waitFor(() => expect(within(dialog).getAllByTestId('version-row')).toHaveLength(1));
    expect(within(dialog).getByTestId('version-label')).toHaveValue('');
    // One version compared with itself: nothing changed.
    expect(within(dialog).getByTestId('diff-empty')).toBeInTheDocument();

    // Saving again with nothing changed stores no identical version and says so.
    await user.type(within(dialog).getByTestId('version-label'), 'Again');
    await user.click(within(dialog).getByTestId('save-version'));
    await waitFor(() => expect(app.notifications.shown.map((n) => n.text)).toContain('The codebook has not changed since version 1.'));
    expect(within(dialog).getAllByTestId('version-row')).toHaveLength(1);
    expect(within(dialog).getByTestId('version-label')).toHaveValue('Again');
    expect(await loadCodebookVersions(database(), PID)).toHaveLength(1);
    await user.clear(within(dialog).getByTestId('version-label'));

    expect(await app.workspace.renameCode('c-rew', 'Recognition')).toBe(true);
    expect(await app.workspace.mergeCodes('c-tim', 'c-wor')).toBe(true);
    await user.click(within(dialog).getByTestId('save-version'));
    await waitFor(() => expect(within(dialog).getAllByTestId('version-row')).toHaveLength(2));

    const lines = within(dialog)
      .getAllByTestId('diff-line')
      .map((li) => li.textContent);
    expect(lines).toEqual(['Merged “Challenges › Time” into “Challenges › Workload”', 'Renamed “Rewards” to “Recognition” (now “Recognition”)']);

    // Newest first, with the label and the code count.
    const rows = within(dialog).getAllByTestId('version-row');
    expect(
      within(rows[0])
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['—', expect.any(String), '3', '—']);
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['Pilot', expect.any(String), '4', '—']);

    const stored = await loadCodebookVersions(database(), PID);
    expect(stored.map((v) => [v.number, v.label, v.createdBy, v.codes.length])).toEqual([
      [1, 'Pilot', ANA.id, 4],
      [2, '', ANA.id, 3],
    ]);
    expect(stored[1].codes.find((c) => c.id === 'c-wor')?.mergedFromIds).toEqual(['c-tim']);
    expect('projectId' in stored[1].codes[0]).toBe(false);

    // Choosing the same version on both sides shows no change.
    await user.selectOptions(within(dialog).getByTestId('diff-older'), stored[1].id);
    expect(within(dialog).getByTestId('diff-empty')).toBeInTheDocument();

    await user.click(within(dialog).getByTestId('close-versions'));
    expect(screen.queryByTestId('codebook-versions')).toBeNull();
  });

  it('keeps the dialog as it was and says why when the version cannot be stored', async () => {
    const { app, user } = await setup();
    await user.click(screen.getByTestId('codebook-versions-open'));
    const dialog = await screen.findByTestId('codebook-versions');
    await within(dialog).findByTestId('no-versions');
    const db = database();
    const put = db.codebookVersions.put.bind(db.codebookVersions);
    db.codebookVersions.put = (() => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))) as unknown as typeof put;
    try {
      await user.click(within(dialog).getByTestId('save-version'));
      await waitFor(() => expect(app.notifications.shown.map((n) => n.text).join('\n')).toMatch(/^Saving codebook version 1 failed: .*Nothing was stored\./m));
    } finally {
      db.codebookVersions.put = put;
    }
    expect(within(dialog).getByTestId('no-versions')).toBeInTheDocument();
    expect(await loadCodebookVersions(database(), PID)).toEqual([]);
  });
});
