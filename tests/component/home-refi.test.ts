/**
 * The start page's "Open a project file…" card with REFI-QDA files: what the file is comes from its content, the
 * analysis worker (here in-process) restores or makes the project, and the card shows the result with a button to
 * open it, "Restore as a copy" when the project is already here, and a plain refusal for anything else.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Home from '../../src/ui/home/home.svelte';
import { AppState } from '../../src/lib/state/app.svelte';
import { AnalysisState } from '../../src/lib/state/analysis.svelte';
import { database } from '../../src/lib/db/database';
import { writeQdc, writeQdpx } from '../../src/lib/refi';
import { refiProject } from '../../src/lib/refi/test-fixtures';
import { AnalysisSession } from '../../src/workers/analysis-handler';
import { InProcessAnalysisWorker } from './in-process-analysis-worker';

async function start() {
  const db = database();
  await db.delete();
  await db.open();
  const app = new AppState();
  const worker = new InProcessAnalysisWorker(new AnalysisSession(database));
  app.analysis = new AnalysisState(
    () => worker,
    () => {},
  );
  await app.projects.refresh();
  render(Home, { app });
  return { app, user: userEvent.setup() };
}

const CODEBOOK = writeQdc([
  { id: 'calm', parentId: null, name: 'Calm', color: '#336699', definition: 'At ease.', inclusion: '', exclusion: '', example: '', order: 0 },
  { id: 'very', parentId: 'calm', name: 'Very calm', color: '#336699', definition: '', inclusion: '', exclusion: '', example: '', order: 0 },
]);

describe('Home: "Open a project file…" with REFI-QDA files', () => {
  beforeEach(() => {
    location.hash = '#/';
  });

  it('makes a project of a .qdc (even saved as .xml), lists it and opens it', async () => {
    const { user } = await start();
    await user.upload(screen.getByTestId('home-open-project-input'), new File([CODEBOOK], 'Moods.xml', { type: 'text/xml' }));
    await waitFor(() => expect(screen.getByTestId('home-refi-notice').textContent).toMatch(/Made the project “Moods” with this codebook/));
    expect(screen.getByTestId('home-refi-notice').textContent).toMatch(/2 codes \(1 at the top level\)/);
    await waitFor(() => expect(screen.getAllByTestId('project-row').map((r) => r.textContent)).toEqual([expect.stringContaining('Moods')]));
    await user.click(screen.getByTestId('home-refi-open'));
    await waitFor(() => expect(location.hash).toMatch(/^#\/project\//));
  });

  it('restores a .qdpx, then offers "Restore as a copy" for the same file', async () => {
    const { user } = await start();
    const file = new File([writeQdpx(refiProject()) as Uint8Array<ArrayBuffer>], 'study.zip', { type: 'application/zip' });
    const input = screen.getByTestId('home-open-project-input');
    await user.upload(input, file);
    await waitFor(() => expect(screen.getByTestId('home-refi-notice').textContent).toMatch(/Restored “.+” as a project of its own\./));
    expect(screen.getByTestId('home-refi-notice').textContent).toMatch(/Kept: .*5 answers/);
    await user.upload(input, file);
    await waitFor(() => expect(screen.getByTestId('home-refi-notice').textContent).toMatch(/is already in this browser/));
    await user.click(screen.getByTestId('home-refi-restore-copy'));
    await waitFor(() => expect(screen.getByTestId('home-refi-notice').textContent).toMatch(/\(copy\)” as a project of its own/));
    await waitFor(() => expect(screen.getAllByTestId('project-row')).toHaveLength(2));
  });

  it("shows only the start page's own notices: a project's Analysis notice afterwards stays out of the card", async () => {
    const { app, user } = await start();
    await user.upload(screen.getByTestId('home-open-project-input'), new File([CODEBOOK], 'Moods.qdc'));
    await waitFor(() => expect(screen.getByTestId('home-refi-notice').textContent).toMatch(/Made the project “Moods”/));
    const made = app.analysis.notice!.openProject!.id;
    // The project's Analysis view opens and exports a file: its "Saved …" belongs there, not here.
    app.analysis.attach(made, 0, { waves: [], attributes: [] });
    app.analysis.export('codebook-md');
    await waitFor(() => expect(app.analysis.notice?.text).toMatch(/^Saved .+ to your downloads\.$/));
    expect(screen.queryByTestId('home-refi-notice')).toBeNull();
    expect(screen.queryByText(/Saved .+ to your downloads/)).toBeNull();
  });

  it('refuses a file that is none of them, saying what to choose', async () => {
    const { user } = await start();
    await user.upload(screen.getByTestId('home-open-project-input'), new File(['id,answer\n1,yes\n'], 'answers.qdpx'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/“answers\.qdpx” is not a project file Codebench can open/));
    await user.click(screen.getByTestId('home-refi-dismiss'));
    expect(screen.queryByTestId('home-refi-notice')).toBeNull();
  });
});
