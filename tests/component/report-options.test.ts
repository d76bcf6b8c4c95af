/**
 * The Export tab's Report section: role × wave by default where the project
 * has them, the author's choices of sections, parts, dimensions, unit and
 * quotes sent with the report, and a Word report packed on the page from the
 * document the worker returns.
 */
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { strFromU8, unzipSync } from 'fflate';
import ExportTab from '../../src/ui/analysis/export-tab.svelte';
import { AnalysisState, type AnalysisWorkerLike } from '../../src/lib/state/analysis.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { database } from '../../src/lib/db/database';
import { BLIND_CODER_CONTEXT } from '../../src/ui/analysis/labels';
import type { ReportDocument } from '../../src/lib/export/document';
import type { FromAnalysisWorker, ToAnalysisWorker } from '../../src/workers/analysis-protocol';

let n = 0;

const DOCUMENT: ReportDocument = {
  title: 'Study: coding report',
  meta: ['Project: Study'],
  sections: [
    {
      id: 'findings',
      title: 'Findings',
      chosen: true,
      blocks: [
        {
          kind: 'table',
          caption: 'Support by role',
          header: [[{ text: '' }, { text: 'mentee' }]],
          rows: [{ cells: ['Support', '8 of 16, 50% (28–72%)'] }],
        },
        { kind: 'quote', text: 'She listened.', attribution: 'Mentee 7, 6 months' },
      ],
    },
  ],
};

/** Answers a Word report with its document, every other export with a small file. */
class FakeWorker implements AnalysisWorkerLike {
  onmessage: ((event: MessageEvent<FromAnalysisWorker>) => void) | null = null;
  onerror?: ((event: Event) => void) | null;
  posted: ToAnalysisWorker[] = [];

  postMessage(message: ToAnalysisWorker) {
    this.posted.push(structuredClone(message));
    if (message.type !== 'export') return;
    const reply: FromAnalysisWorker =
      message.kind === 'report-docx'
        ? { type: 'document', requestId: message.requestId, fileName: 'study-report.docx', document: structuredClone(DOCUMENT), ms: 1 }
        : { type: 'file', requestId: message.requestId, fileName: 'study-report.md', mime: 'text/markdown', bytes: new Uint8Array([1]), ms: 1 };
    setTimeout(() => this.onmessage?.({ data: reply } as MessageEvent<FromAnalysisWorker>), 0);
  }

  terminate() {}
}

async function setup(blindCoderId: string | null = null) {
  const pid = `report-options-${++n}`;
  const workspace = new CodingWorkspace(database, new CoderState());
  await workspace.load(pid);
  const worker = new FakeWorker();
  const downloads: { fileName: string; bytes: Uint8Array }[] = [];
  const analysis = new AnalysisState(
    () => worker,
    (fileName, _mime, bytes) => downloads.push({ fileName, bytes: bytes as Uint8Array }),
  );
  const attributes = [
    { name: 'role', order: 0 },
    { name: 'pair', order: 1 },
  ];
  analysis.attach(pid, 1, {
    waves: [
      { id: 'b', order: 0 },
      { id: 'm6', order: 1 },
    ],
    attributes,
  });
  render(ExportTab, {
    props: {
      analysis,
      workspace,
      attributes,
      waves: [
        { id: 'm6', order: 1, name: '6 months' },
        { id: 'b', order: 0, name: 'Baseline' },
      ],
      questions: [{ id: 'q1', order: 0, key: 'Q1', label: 'Expectations' }],
    },
    context: new Map([[BLIND_CODER_CONTEXT, () => blindCoderId]]),
  });
  const exports = () => worker.posted.filter((m): m is Extract<ToAnalysisWorker, { type: 'export' }> => m.type === 'export');
  return { analysis, downloads, exports, user: userEvent.setup() };
}

describe('Export tab: the report', () => {
  it('defaults to role × wave, and sends the sections, parts, dimensions, unit and quotes chosen', async () => {
    const { exports, user } = await setup();
    expect((screen.getByTestId('report-dimension-1') as HTMLSelectElement).value).toBe('attribute:role');
    expect((screen.getByTestId('report-dimension-2') as HTMLSelectElement).value).toBe('wave');
    await user.click(screen.getByTestId('report-section-appendix'));
    await user.click(screen.getByTestId('report-part-versions'));
    await user.selectOptions(screen.getByTestId('report-dimension-2'), 'question');
    await user.selectOptions(screen.getByTestId('report-unit'), 'answers');
    await user.clear(screen.getByTestId('report-quotes'));
    await user.type(screen.getByTestId('report-quotes'), '5');
    await user.tab();
    await user.click(screen.getByTestId('export-report-md'));
    await waitFor(() => expect(exports()).toHaveLength(1));
    expect(exports()[0].settings.report).toEqual({
      sections: ['data', 'codebook', 'process', 'findings'],
      omit: ['versions'],
      dimensions: [{ kind: 'attribute', name: 'role' }, { kind: 'question' }],
      unit: 'answers',
      quotesPerTheme: 5,
    });
  });

  it('cannot make a report of no sections, and says so', async () => {
    const { user } = await setup();
    for (const id of ['data', 'codebook', 'process', 'findings', 'appendix']) await user.click(screen.getByTestId(`report-section-${id}`));
    expect(screen.getByTestId('export-report-docx')).toBeDisabled();
    expect(screen.getByText('Choose at least one section for the report.')).toBeInTheDocument();
  });

  it('packs the Word report on the page from the document the worker returns', async () => {
    const { downloads, user } = await setup();
    await user.click(screen.getByTestId('export-report-docx'));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(downloads[0].fileName).toBe('study-report.docx');
    const xml = strFromU8(unzipSync(downloads[0].bytes)['word/document.xml']);
    expect(xml).toContain('8 of 16, 50% (28–72%)');
    expect(xml).toContain('— Mentee 7, 6 months');
  });

  it('names the filter bar’s filter and coding set, not controls that are gone', async () => {
    const { analysis } = await setup();
    const report = screen.getByTestId('report-options');
    expect(report).toHaveTextContent('over every question, wave and respondent');
    analysis.filter.setWaves(['m6']);
    analysis.filter.setAttribute('role', ['mentee']);
    analysis.filter.setCoders({ kind: 'final' });
    await waitFor(() => expect(report).toHaveTextContent('the answers the filter keeps (Wave: 6 months · role: mentee)'));
    expect(report).toHaveTextContent('Counts use the Final set (agreed codings plus adjudications)');
    analysis.filter.setCoders({ kind: 'consensus' });
    await waitFor(() => expect(report).toHaveTextContent('Counts use the consensus codings'));
    expect(report.textContent).not.toContain('chosen above');
    const tab = screen.getByTestId('export-tab');
    expect(tab.textContent).not.toContain('Crosstab tab');
    expect(screen.getByTestId('export-crosstab-csv')).toHaveTextContent('Codes by role (CSV)');
  });

  it('in blind mode counts “your codings”', async () => {
    const { analysis } = await setup('ana');
    analysis.filter.setCoders({ kind: 'final' });
    await waitFor(() => expect(screen.getByTestId('report-options')).toHaveTextContent('Counts use your codings'));
    expect(screen.getByTestId('report-options').textContent).not.toContain('Final');
  });

  it('starts with the same role-like attribute as the Prevalence tab', () => {
    const analysis = new AnalysisState(() => new FakeWorker());
    analysis.attach(`report-options-role-${++n}`, 1, {
      waves: [
        { id: 'b', order: 0 },
        { id: 'm6', order: 1 },
      ],
      attributes: [
        { name: 'site', order: 0 },
        { name: 'Respondent type', order: 1 },
      ],
    });
    expect(analysis.reportOptions.dimensions).toEqual([{ kind: 'attribute', name: 'Respondent type' }, { kind: 'wave' }]);
    expect(analysis.writeUp.prevalenceOptions.dimensions).toEqual(analysis.reportOptions.dimensions);
  });
});
