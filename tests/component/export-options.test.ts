/**
 * The Export tab's "Neutralise formulas" option and the respondent × code
 * export: the option is on by default, says what it does, is sent with every
 * export, survives a change of project, and the new export is offered with its
 * one-line explanation.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ExportTab from '../../src/ui/analysis/export-tab.svelte';
import { AnalysisState, type AnalysisWorkerLike } from '../../src/lib/state/analysis.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { database } from '../../src/lib/db/database';
import type { FromAnalysisWorker, ToAnalysisWorker } from '../../src/workers/analysis-protocol';

let n = 0;

/** Answers every export with a small file named as the worker would name it. */
class FakeWorker implements AnalysisWorkerLike {
  onmessage: ((event: MessageEvent<FromAnalysisWorker>) => void) | null = null;
  onerror?: ((event: Event) => void) | null;
  posted: ToAnalysisWorker[] = [];

  postMessage(message: ToAnalysisWorker) {
    this.posted.push(structuredClone(message));
    if (message.type !== 'export') return;
    const raw = message.settings.neutraliseFormulas === false ? '-raw' : '';
    const fileName = message.kind === 'respondent-matrix-csv' ? 'study-respondents-by-code.zip' : `study-codings${raw}.csv`;
    setTimeout(
      () =>
        this.onmessage?.({
          data: { type: 'file', requestId: message.requestId, fileName, mime: 'text/csv', bytes: new Uint8Array([1]), ms: 1 },
        } as MessageEvent<FromAnalysisWorker>),
      0,
    );
  }

  terminate() {}
}

async function setup() {
  const pid = `export-options-${++n}`;
  const workspace = new CodingWorkspace(database, new CoderState());
  await workspace.load(pid);
  const worker = new FakeWorker();
  const downloads: string[] = [];
  const analysis = new AnalysisState(
    () => worker,
    (fileName) => downloads.push(fileName),
  );
  analysis.attach(pid, 1, { waves: [], attributes: [] });
  render(ExportTab, { analysis, workspace });
  const exports = () => worker.posted.filter((m): m is Extract<ToAnalysisWorker, { type: 'export' }> => m.type === 'export');
  return { analysis, worker, downloads, exports, user: userEvent.setup() };
}

describe('Export tab: formulas and the respondent table', () => {
  beforeEach(async () => {
    localStorage.clear();
    await database().delete();
    await database().open();
  });

  it('neutralises formulas by default, says so, and sends the choice with each export', async () => {
    const { downloads, exports, user } = await setup();
    const box = screen.getByRole('checkbox', { name: 'Neutralise formulas (recommended for Excel; turn off for R/SPSS)' });
    expect(box).toBeChecked();
    expect(box).toHaveAccessibleDescription(/apostrophe in front, so Excel cannot run it as a formula/);
    await user.click(screen.getByTestId('export-long-csv'));
    expect(exports().at(-1)).toMatchObject({ kind: 'long-csv', settings: { neutraliseFormulas: true } });
    await waitFor(() => expect(downloads).toEqual(['study-codings.csv']));

    await user.click(box);
    expect(box).not.toBeChecked();
    expect(box).toHaveAccessibleDescription(/exactly as stored, and the file is named “…-raw.csv”/);
    await waitFor(() => expect(screen.getByTestId('export-long-csv')).toBeEnabled());
    await user.click(screen.getByTestId('export-long-csv'));
    expect(exports().at(-1)).toMatchObject({ kind: 'long-csv', settings: { neutraliseFormulas: false } });
    await waitFor(() => expect(downloads).toEqual(['study-codings.csv', 'study-codings-raw.csv']));
  });

  it('keeps the choice when another project is opened: it is how the user works, not the project', async () => {
    const { analysis, user } = await setup();
    await user.click(screen.getByTestId('export-neutralise'));
    analysis.attach('another-project', 1, { waves: [], attributes: [] });
    expect(analysis.exportOptions.neutraliseFormulas).toBe(false);
    expect(analysis.exportSettings().neutraliseFormulas).toBe(false);
  });

  it('offers the respondent × code table for R/SPSS with a one-line explanation', async () => {
    const { downloads, exports, user } = await setup();
    const button = screen.getByRole('button', { name: 'Respondents × codes (CSV, for R/SPSS)' });
    expect(button.closest('li')).toHaveTextContent('One row per respondent and wave, a 0/1 column per code and theme');
    expect(button.closest('li')).toHaveTextContent('with a data dictionary: two CSVs in a .zip');
    await user.click(button);
    expect(exports().at(-1)).toMatchObject({ kind: 'respondent-matrix-csv' });
    await waitFor(() => expect(downloads).toEqual(['study-respondents-by-code.zip']));
  });
});
