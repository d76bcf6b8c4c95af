/**
 * The Analysis view with a fake worker: what it shows of the worker's results,
 * what it asks for when a cell, a tab or an export is chosen, and the theme
 * editor driving the real coding workspace (fake-indexeddb).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import AnalysisView from '../../src/ui/analysis/analysis-view.svelte';
import { AnalysisState, type AnalysisWorkerLike } from '../../src/lib/state/analysis.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { database } from '../../src/lib/db/database';
import { loadThemes } from '../../src/lib/db/coding-store';
import { answerId, type Attribute, type Code, type Question, type Wave } from '../../src/lib/model/types';
import type { AnalysisResult, CountsResult, CrosstabResult, FromAnalysisWorker, QuotesResult, ToAnalysisWorker } from '../../src/workers/analysis-protocol';

let projectCount = 0;
let PID = '';

const WAVES: Wave[] = [
  { projectId: '', id: 'base', name: 'Baseline', order: 0, importedAt: 0, sourceFile: 'a.csv', sourceFormat: 'generic' },
  { projectId: '', id: 'six', name: '6 months', order: 1, importedAt: 0, sourceFile: 'b.csv', sourceFormat: 'generic' },
];
const QUESTIONS: Question[] = [{ projectId: '', id: 'q1', key: 'Q1', label: 'What changed?', text: '', order: 0, answerCounts: { base: 6, six: 4 } }];
const ATTRIBUTES: Attribute[] = [{ projectId: '', name: 'role', order: 0, values: ['mentee', 'mentor'] }];

function code(id: string, name: string, parentId: string | null, order: number): Code {
  return { projectId: PID, id, parentId, name, color: '#1f78b4', definition: '', inclusion: '', exclusion: '', example: '', order };
}

const TIME = { kind: 'code', codeId: 'time' } as const;

function countsResult(): CountsResult {
  const row = (label: string, key: string, codeId: string, answersCoded: number, respondentsCoded: number, share: number | null) => ({
    key,
    target: { kind: 'code' as const, codeId },
    label,
    breakdown: 'overall' as const,
    attribute: null,
    group: null,
    groupLabel: null,
    answersCoded,
    answersInScope: 10,
    answerShare: answersCoded / 10,
    respondentsCoded,
    respondentsAnswered: 6,
    respondentShare: share,
    spansCoded: 1,
    codingsTotal: answersCoded + 1,
  });
  return {
    kind: 'counts',
    options: { targets: 'codes', groupBy: { kind: 'none' }, coders: { kind: 'all' }, questionId: null },
    rows: [row('Time', 'code:time', 'time', 3, 2, 2 / 6), row('Pay', 'code:pay', 'pay', 0, 0, 0)],
    answersInScope: 10,
    respondentsAnswered: 6,
    basis: 'Counts use the codings of every coder together.',
  };
}

function crosstabResult(): CrosstabResult {
  return {
    kind: 'crosstab',
    options: { targets: 'codes', attribute: 'role', unit: 'respondents', percentOf: 'answered', coders: { kind: 'all' }, questionId: null },
    columns: [
      { value: 'mentee', label: 'mentee', answered: 3, mentions: 1, coded: 1 },
      { value: 'mentor', label: 'mentor', answered: 3, mentions: 1, coded: 1 },
    ],
    rows: [
      {
        key: 'code:time',
        target: TIME,
        label: 'Time',
        cells: [
          { count: 1, base: 3, share: 1 / 3 },
          { count: 1, base: 3, share: 1 / 3 },
        ],
        total: { count: 2, base: 6, share: 1 / 3 },
      },
    ],
    total: { answered: 6, mentions: 2, coded: 2 },
    basis: 'Each cell counts respondents coded with the row.',
  };
}

function quotesResult(): QuotesResult {
  return {
    kind: 'quotes',
    by: 'code',
    rule: 'Each quote is attributed as: the respondent’s role…',
    groups: [
      {
        key: 'code:time',
        label: 'Time',
        depth: 0,
        quotes: [
          {
            codingIds: ['k1'],
            answerId: answerId('q1', 'six', '7'),
            text: 'I finally had time\n to think.',
            attribution: 'Mentee 7, 6 months',
            questionLabel: 'What changed?',
            coderNames: ['Ana'],
            original: 'I finally had time\n to think.',
            spans: [],
            pseudonym: 'Mentee 7',
          },
        ],
      },
    ],
  };
}

/** Answers what the view asks with canned results, unless told to hold them. */
class FakeWorker implements AnalysisWorkerLike {
  onmessage: ((event: MessageEvent<FromAnalysisWorker>) => void) | null = null;
  onerror?: ((event: Event) => void) | null;
  posted: ToAnalysisWorker[] = [];
  terminated = false;
  hold = false;

  postMessage(message: ToAnalysisWorker) {
    this.posted.push(structuredClone(message));
    if (this.hold || message.type === 'invalidate' || message.type === 'import-qdpx' || message.type === 'hold') return;
    setTimeout(() => this.answer(message), 0);
  }

  emit(data: FromAnalysisWorker) {
    this.onmessage?.({ data } as MessageEvent<FromAnalysisWorker>);
  }

  answer(message: Exclude<ToAnalysisWorker, { type: 'invalidate' | 'import-qdpx' | 'hold' }>) {
    const { requestId } = message;
    const result = (r: AnalysisResult) => this.emit({ type: 'result', requestId, result: r, ms: 4 });
    switch (message.type) {
      case 'warm':
        return result({ kind: 'warm', answers: 10, codings: 5 });
      case 'counts':
        return result(countsResult());
      case 'crosstab':
        return result(crosstabResult());
      case 'quotes':
        return result(quotesResult());
      case 'answers':
        return result({
          kind: 'answers',
          total: 1,
          offset: 0,
          rows: [
            {
              answerId: answerId('q1', 'base', 'r2'),
              respondentId: 'r2',
              waveId: 'base',
              waveName: 'Baseline',
              questionId: 'q1',
              questionLabel: 'What changed?',
              attributes: [['role', 'mentor']],
              text: 'No time for anything.',
              highlight: null,
            },
          ],
        });
      case 'export':
        return this.emit({
          type: 'file',
          requestId,
          fileName: 'study-codings.csv',
          mime: 'text/csv;charset=utf-8',
          bytes: new TextEncoder().encode('respondent\r\n'),
          ms: 3,
        });
      default:
        return;
    }
  }

  terminate() {
    this.terminated = true;
  }
}

async function setup() {
  const db = database();
  await db.codes.bulkAdd([code('time', 'Time', null, 0), code('short', 'Short time', 'time', 0), code('pay', 'Pay', null, 1)]);
  await db.coders.bulkAdd([{ projectId: PID, id: 'ana', name: 'Ana', color: '#2454a6' }]);
  const workspace = new CodingWorkspace(database, new CoderState());
  await workspace.load(PID);
  const worker = new FakeWorker();
  const downloads: { fileName: string; mime: string; text: string }[] = [];
  let created = 0;
  const analysis = new AnalysisState(
    () => (created++, worker),
    (fileName, mime, bytes) => downloads.push({ fileName, mime, text: new TextDecoder().decode(bytes as Uint8Array) }),
  );
  const onopenproject = vi.fn();
  render(AnalysisView, { workspace, projectId: PID, overview: { waves: WAVES, questions: QUESTIONS, attributes: ATTRIBUTES }, analysis, onopenproject });
  return { workspace, worker, analysis, downloads, created: () => created, user: userEvent.setup() };
}

const posted = (worker: FakeWorker, type: ToAnalysisWorker['type']) => worker.posted.filter((m) => m.type === type);

describe('AnalysisView', () => {
  beforeEach(async () => {
    PID = `analysis-${++projectCount}`;
    localStorage.clear();
    await database().delete();
    await database().open();
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('starts reading the project, and shows the counts table with numerators and denominators', async () => {
    const { worker, user } = await setup();
    expect(worker.posted[0]).toMatchObject({ type: 'warm', projectId: PID });
    await user.click(screen.getByRole('tab', { name: 'Counts' }));
    expect(posted(worker, 'counts')[0]).toMatchObject({ options: { targets: 'codes', groupBy: { kind: 'none' }, coders: { kind: 'all' }, questionId: null } });
    const table = await screen.findByTestId('counts-table');
    const rows = within(table).getAllByTestId('counts-row');
    expect(rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent!.trim()))).toEqual([
      ['Time', '3 / 10', '2 / 6', '33.3%', '1', '4'],
      ['Pay', '0 / 10', '0 / 6', '0.0%', '1', '1'],
    ]);
    expect(document.body.textContent).not.toMatch(/NaN/);
    const chart = within(screen.getByTestId('counts-chart')).getByRole('img');
    expect(chart.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(chart).toHaveAccessibleName('Respondents coded');

    // Another grouping asks again.
    await user.selectOptions(screen.getByTestId('counts-group'), 'attribute:role');
    expect(posted(worker, 'counts').at(-1)).toMatchObject({ options: { groupBy: { kind: 'attribute', name: 'role' } } });
  });

  it('creates a theme through the workspace', async () => {
    const { workspace, user } = await setup();
    const create = vi.spyOn(workspace, 'createTheme');
    await user.click(screen.getByTestId('theme-new'));
    await user.type(screen.getByTestId('theme-name'), 'Resources');
    await user.type(screen.getByTestId('theme-description'), 'Time and money.');
    const boxes = screen.getAllByTestId('theme-code');
    await user.click(boxes.find((b) => b.dataset.codeId === 'time')!);
    await user.click(boxes.find((b) => b.dataset.codeId === 'pay')!);
    await user.click(screen.getByTestId('theme-save'));
    expect(create).toHaveBeenCalledWith({ name: 'Resources', description: 'Time and money.', codeIds: ['time', 'pay'], withSubcodes: true });
    const row = await screen.findByTestId('theme-row');
    expect(row).toHaveTextContent('Resources');
    expect(row).toHaveTextContent('Time (with subcodes)');
    await waitFor(async () => expect((await loadThemes(database(), PID)).map((t) => t.name)).toEqual(['Resources']));

    // A name already taken is refused with the workspace's message.
    await user.click(await screen.findByTestId('theme-new'));
    await user.type(screen.getByTestId('theme-name'), 'resources');
    await user.click(screen.getAllByTestId('theme-code')[0]);
    await user.click(screen.getByTestId('theme-save'));
    expect(await screen.findByTestId('theme-error')).toHaveTextContent('There is already a theme called “Resources”.');
  });

  it('moves between tabs with the arrow keys', async () => {
    const { user } = await setup();
    const first = screen.getByRole('tab', { name: 'Themes' });
    expect(first).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tab', { name: 'Prevalence' })).toHaveAttribute('tabindex', '-1');
    first.focus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Prevalence' })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('tab', { name: 'Prevalence' })).toHaveFocus();
    await user.keyboard('{End}');
    expect(screen.getByRole('tab', { name: 'Export' })).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Themes' })).toHaveFocus();
    expect(screen.getByRole('tabpanel')).toHaveAttribute('aria-labelledby', 'analysis-tab-themes');
  });

  it('copies a quote formatted for a paper, and says so when the clipboard is refused', async () => {
    const { user } = await setup();
    // userEvent.setup() puts its own clipboard on navigator: watch that one.
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    await user.click(screen.getByRole('tab', { name: 'Quotes' }));
    const bank = await screen.findByTestId('quote-bank');
    await waitFor(() => expect(within(bank).getAllByTestId('quote')).toHaveLength(1));
    await user.click(within(bank).getByTestId('copy-quote'));
    expect(writeText).toHaveBeenCalledWith('“I finally had time to think.” (Mentee 7, 6 months)');
    expect(within(bank).getByTestId('copy-quote')).toHaveTextContent('Copied');

    writeText.mockRejectedValueOnce(new Error('denied'));
    await user.click(within(bank).getByTestId('copy-quote'));
    expect(await screen.findByTestId('analysis-notice')).toHaveTextContent('did not let Codebench use the clipboard');
  });

  it("leaves the start page's notices to the start page: a refused file, a project restored there", async () => {
    const { worker, analysis } = await setup();
    analysis.refuseFile('“answers.qdpx” is not a project file Codebench can open.');
    await Promise.resolve();
    expect(screen.queryByTestId('analysis-notice')).toBeNull();
    analysis.importQdpx(new Blob(['PK']), 'study.qdpx', false, 'home');
    const request = posted(worker, 'import-qdpx')[0] as { requestId: number };
    expect(screen.queryByTestId('analysis-progress')).toBeNull();
    worker.emit({
      type: 'qdpx-imported',
      requestId: request.requestId,
      projectId: 'p-restored',
      name: 'Study',
      report: { kept: [], dropped: [], warnings: [] },
    });
    await waitFor(() => expect(analysis.notice?.text).toBe('Restored “Study” as a project of its own.'));
    expect(screen.queryByTestId('analysis-notice')).toBeNull();
    // One asked for here shows here.
    analysis.importQdpx(new Blob(['PK']), 'again.qdpx', false, 'project');
    expect(await screen.findByTestId('analysis-progress')).toHaveTextContent('Importing');
    const again = posted(worker, 'import-qdpx')[1] as { requestId: number };
    worker.emit({ type: 'qdpx-imported', requestId: again.requestId, projectId: 'p-again', name: 'Again', report: { kept: [], dropped: [], warnings: [] } });
    expect(await screen.findByTestId('analysis-notice')).toHaveTextContent('Restored “Again” as a project of its own.');
  });

  it('exports through the worker and downloads the file', async () => {
    const { worker, downloads, user } = await setup();
    await user.click(screen.getByRole('tab', { name: 'Export' }));
    await user.click(screen.getByTestId('export-long-csv'));
    expect(posted(worker, 'export')[0]).toMatchObject({ kind: 'long-csv', settings: { coders: { kind: 'all' }, bom: true, includeSubcodes: false } });
    await waitFor(() => expect(downloads).toEqual([{ fileName: 'study-codings.csv', mime: 'text/csv;charset=utf-8', text: 'respondent\r\n' }]));
    expect(screen.getByTestId('analysis-notice')).toHaveTextContent('Saved study-codings.csv');
    for (const kind of ['wide-csv', 'counts-csv', 'crosstab-csv', 'xlsx', 'report-md', 'report-html', 'codebook-md', 'codebook-json', 'qdc', 'qdpx']) {
      expect(screen.getByTestId(`export-${kind}`)).toBeInTheDocument();
    }
  });

  it('offers the .qdpx positions for NVivo beside the project export, by keyboard, and sends the choice with the export', async () => {
    const { worker, user } = await setup();
    await user.click(screen.getByRole('tab', { name: 'Export' }));
    const group = screen.getByRole('group', { name: 'Positions in the .qdpx' });
    const standard = within(group).getByRole('radio', { name: 'Standard (REFI-QDA: code points)' });
    const nvivo = within(group).getByRole('radio', { name: 'For NVivo (UTF-16 units, CRLF line breaks)' });
    expect(standard).toBeChecked();
    await user.click(screen.getByTestId('export-qdpx'));
    expect(posted(worker, 'export').at(-1)).toMatchObject({ kind: 'qdpx', settings: { qdpxOffsets: 'code-points' } });
    // Radios move with the arrow keys.
    standard.focus();
    await user.keyboard('{ArrowDown}');
    expect(nvivo).toBeChecked();
    await waitFor(() => expect(screen.getByTestId('export-qdpx')).toBeEnabled());
    await user.click(screen.getByTestId('export-qdpx'));
    expect(posted(worker, 'export').at(-1)).toMatchObject({ kind: 'qdpx', settings: { qdpxOffsets: 'nvivo' } });
  });

  it('shows the progress of a long request and cancels it by stopping the worker', async () => {
    const { worker, analysis, user } = await setup();
    worker.hold = true;
    await user.click(screen.getByRole('tab', { name: 'Counts' }));
    const request = posted(worker, 'counts')[0];
    worker.emit({ type: 'progress', requestId: (request as { requestId: number }).requestId, phase: 'Reading the project', done: 0, total: 1 });
    const progress = await screen.findByTestId('analysis-progress');
    expect(progress).toHaveTextContent('Reading the project…');
    await user.click(within(progress).getByTestId('analysis-cancel'));
    expect(worker.terminated).toBe(true);
    expect(screen.queryByTestId('analysis-progress')).toBeNull();
    expect(analysis.running.size).toBe(0);
  });

  it('stops the spinner with a message when the worker crashes, and asks a new worker next time', async () => {
    const { worker, analysis, created, user } = await setup();
    worker.hold = true;
    await user.click(screen.getByRole('tab', { name: 'Counts' }));
    expect(created()).toBe(1);
    const request = posted(worker, 'counts')[0] as { requestId: number };
    worker.emit({ type: 'progress', requestId: request.requestId, phase: 'Reading the project', done: 0, total: 1 });
    expect(await screen.findByTestId('analysis-progress')).toBeInTheDocument();
    worker.onerror?.({ type: 'error', message: 'Uncaught RangeError: Maximum call stack size exceeded' } as ErrorEvent);
    await waitFor(() => expect(screen.queryByTestId('analysis-progress')).toBeNull());
    expect(analysis.running.size).toBe(0);
    expect(worker.terminated).toBe(true);
    expect(screen.getByTestId('analysis-error')).toHaveTextContent(
      'The analysis worker stopped unexpectedly (Uncaught RangeError: Maximum call stack size exceeded). Try again: the next request reads the project again.',
    );
    worker.hold = false;
    const before = worker.posted.length;
    await user.click(screen.getByRole('tab', { name: 'Quotes' }));
    await waitFor(() => expect(worker.posted.length).toBeGreaterThan(before));
    expect(created()).toBe(2);
  });
});
