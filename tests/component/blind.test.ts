/**
 * Blind coding holds where the data is chosen (issue 11, §1): the analysis requests carry the blind coder and
 * the worker answers from that coder's work alone, whatever the options say; agreement refuses; the project view
 * offers only "you" in its coder lists, hides other coders' memos and counts, shows a panel instead of agreement,
 * and unblinding asks first.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ProjectView from '../../src/ui/project/project-view.svelte';
import ShareDialog from '../../src/ui/project/share-dialog.svelte';
import { ExchangeState, type ExchangeWorkerLike } from '../../src/lib/state/exchange.svelte';
import { AppState } from '../../src/lib/state/app.svelte';
import { database } from '../../src/lib/db/database';
import { commitImport } from '../../src/lib/db/commit-import';
import { smallBatch } from '../../src/lib/db/test-helpers';
import { loadProjectOverview } from '../../src/lib/db/projects';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { answerId, type Code, type Coding } from '../../src/lib/model/types';
import { AnalysisState } from '../../src/lib/state/analysis.svelte';
import { AgreementState, BLIND_AGREEMENT_MESSAGE, type AgreementWorkerLike } from '../../src/lib/state/agreement.svelte';
import { CodingWorkspace } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { AnalysisSession } from '../../src/workers/analysis-handler';
import type { AnalysisRequest } from '../../src/workers/analysis-protocol';
import { InProcessAnalysisWorker } from './in-process-analysis-worker';

HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.setAttribute('open', '');
};

const ADA = { id: 'ada', name: 'Ada Lead', color: '#2454a6' };
const BEA = { id: 'bea', name: 'Bea Second', color: '#a63d24' };

/** Ada codes r1–r3 with the marker code and writes a memo; Bea codes r4 with Rewards. Bea is the coder here. */
async function setup() {
  localStorage.clear();
  localStorage.setItem('codebench.coder', JSON.stringify(BEA));
  const db = database();
  const summary = await commitImport(
    db,
    smallBatch('Baseline', ['r1', 'r2', 'r3', 'r4']),
    { kind: 'new', name: 'Pilot' },
    { fileName: 'a.csv', format: 'generic' },
  );
  const projectId = summary.projectId;
  const overview = (await loadProjectOverview(db, projectId))!;
  const q1 = overview.questions.find((q) => q.key === 'q1')!.id;
  const base = overview.waves[0].id;
  const code = (id: string, name: string, order: number): Code => ({
    projectId,
    id,
    parentId: null,
    name,
    color: '#336699',
    definition: '',
    inclusion: '',
    exclusion: '',
    example: '',
    order,
  });
  await db.codes.bulkPut([code('zephyr', 'Zephyr marker', 0), code('rewards', 'Rewards', 1)]);
  await db.coders.bulkPut([
    { projectId, ...ADA },
    { projectId, ...BEA },
  ]);
  const coding = (id: string, respondent: string, codeId: string, coderId: string): Coding => ({
    projectId,
    id,
    answerId: answerId(q1, base, respondent),
    codeId,
    coderId,
    start: null,
    end: null,
    createdAt: 1,
  });
  const codings = [
    coding('a1', 'r1', 'zephyr', 'ada'),
    coding('a2', 'r2', 'zephyr', 'ada'),
    coding('a3', 'r3', 'zephyr', 'ada'),
    { ...coding('a4', 'r1', 'rewards', 'ada'), exemplar: true },
    coding('b1', 'r4', 'rewards', 'bea'),
  ];
  await db.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));
  await db.memos.put({
    projectId,
    id: 'm1',
    target: { kind: 'answer', id: answerId(q1, base, 'r1') },
    text: 'MARKER-MEMO-7Q',
    coderId: 'ada',
    coderName: 'Ada Lead',
    createdAt: 1,
    updatedAt: 1,
  });
  return { projectId, overview, q1, base };
}

describe('analysis while blind', () => {
  beforeEach(() => localStorage.clear());

  async function blindAnalysis() {
    const { projectId, overview } = await setup();
    const workspace = new CodingWorkspace(database, new CoderState());
    await workspace.load(projectId);
    workspace.setBlind(true);
    const worker = new InProcessAnalysisWorker(new AnalysisSession(database));
    const downloads: { fileName: string; text: Promise<string> }[] = [];
    const analysis = new AnalysisState(
      () => worker,
      // The long CSV comes as a Blob, the rest as bytes.
      (fileName, _mime, bytes) => downloads.push({ fileName, text: new Blob([bytes as Uint8Array<ArrayBuffer> | Blob]).text() }),
    );
    analysis.restrictTo = () => workspace.blindCoderId;
    analysis.attach(projectId, workspace.version, overview);
    return { workspace, worker, analysis, downloads };
  }

  it('every request carries only the current coder, and a stale choice of another coder is read as "yours"', async () => {
    const { worker, analysis } = await blindAnalysis();
    analysis.countsOptions = { ...analysis.countsOptions, coders: { kind: 'coder', coderId: 'ada' } };
    analysis.select('counts');
    await waitFor(() => expect(analysis.counts).not.toBeNull());
    // Control messages (invalidate; hold, while the view's warm-up is awaited) carry no project data.
    const requests = worker.posted.filter(
      (m): m is Exclude<AnalysisRequest, { type: 'import-qdpx' | 'import-qdc-project' }> =>
        m.type !== 'invalidate' && m.type !== 'hold' && m.type !== 'import-qdpx' && m.type !== 'import-qdc-project',
    );
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) expect(request.blindCoderId).toBe('bea');
    const counts = requests.find((m) => m.type === 'counts');
    expect(counts && counts.type === 'counts' && counts.options.coders).toEqual({ kind: 'coder', coderId: 'bea' });
    expect(analysis.counts!.data.rows.map((r) => [r.label, r.answersCoded])).toEqual([
      ['Zephyr marker', 0],
      ['Rewards', 1],
    ]);
    expect(JSON.stringify(analysis.counts!.data)).not.toContain('Ada Lead');
  });

  it('a cell panel, the quotes and the exports rest on the coder’s own codings only', async () => {
    const { analysis, downloads } = await blindAnalysis();
    analysis.openCell('Zephyr marker', {
      kind: 'coded',
      target: { kind: 'code', codeId: 'zephyr' },
      attribute: null,
      coders: { kind: 'all' },
      questionId: null,
    });
    await waitFor(() => expect(analysis.cell?.total).toBe(0));
    analysis.select('quotes');
    await waitFor(() => expect(analysis.quotes).not.toBeNull());
    expect(JSON.stringify(analysis.quotes!.data)).not.toMatch(/Ada Lead|answer of r1/);
    for (const kind of ['long-csv', 'wide-csv', 'report-md', 'qdpx'] as const) analysis.export(kind);
    await waitFor(() => expect(downloads).toHaveLength(4));
    for (const file of downloads) {
      expect(await file.text, file.fileName).not.toContain('Ada Lead');
      expect(await file.text, file.fileName).not.toContain('MARKER-MEMO-7Q');
    }
  });

  it('the worker itself answers from the blind coder’s work whatever the request asks (defence in depth)', async () => {
    const { projectId } = await setup();
    const session = new AnalysisSession(database);
    const reply = await session.handle({
      type: 'counts',
      requestId: 1,
      projectId,
      version: 0,
      blindCoderId: 'bea',
      options: { targets: 'codes', groupBy: { kind: 'coder' }, coders: { kind: 'coder', coderId: 'ada' }, questionId: null },
    });
    expect(reply.message.type).toBe('result');
    const text = JSON.stringify(reply.message);
    expect(text).not.toContain('Ada Lead');
    const open = await session.handle({
      type: 'counts',
      requestId: 2,
      projectId,
      version: 0,
      options: { targets: 'codes', groupBy: { kind: 'none' }, coders: { kind: 'all' }, questionId: null },
    });
    // Not blind: Ada's three answers count.
    expect(JSON.stringify(open.message)).toMatch(/"label":"Zephyr marker"[^}]*"answersCoded":3/);
  });

  it('turning blind on drops tables computed before', async () => {
    const { workspace, analysis } = await blindAnalysis();
    workspace.setBlind(false);
    analysis.restrict(null);
    analysis.select('counts');
    await waitFor(() => expect(analysis.counts?.data.rows[0].answersCoded).toBe(3));
    workspace.setBlind(true);
    analysis.restrict(workspace.blindCoderId);
    expect(analysis.counts?.data.rows[0].answersCoded ?? 0).toBe(0);
    await waitFor(() => expect(analysis.counts).not.toBeNull());
    expect(analysis.counts!.data.rows[0].answersCoded).toBe(0);
  });
});

describe('agreement while blind', () => {
  it('is not computed: no request reaches the worker', async () => {
    const posted: unknown[] = [];
    const worker: AgreementWorkerLike = { onmessage: null, postMessage: (m) => posted.push(m), terminate() {} } as AgreementWorkerLike;
    const agreement = new AgreementState({ codes: [], coders: [ADA, BEA].map((c) => ({ projectId: 'p', ...c })), blind: true }, () => worker);
    agreement.run('p');
    expect(posted).toEqual([]);
    expect(agreement.error).toBe(BLIND_AGREEMENT_MESSAGE);
  });
});

describe('the project view while blind', () => {
  beforeEach(() => {
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  async function openBlind() {
    const { projectId } = await setup();
    const app = new AppState();
    await app.follow({ name: 'project', projectId });
    await app.workspace.whenLoaded();
    render(ProjectView, { app });
    await screen.findAllByTestId('answer');
    const user = userEvent.setup();
    await user.click(screen.getByTestId('blind-toggle'));
    expect(app.workspace.blind).toBe(true);
    return { app, user };
  }

  it('offers only you in the coder filter, hides other coders’ memos and counts, and shows a panel instead of agreement', async () => {
    const { app, user } = await openBlind();
    const coderFilter = screen.getByTestId('filter-coder') as HTMLSelectElement;
    expect([...coderFilter.options].map((o) => o.textContent)).toEqual(['Any coder', 'Bea Second']);
    expect(document.body.textContent).not.toContain('Ada Lead');
    expect(document.body.textContent).not.toContain('MARKER-MEMO-7Q');
    expect(app.workspace.memosOf('answer', app.workspace.memos[0].target.id)).toEqual([]);
    expect(app.workspace.counts('zephyr')).toEqual({ codings: 0, answers: 0, respondents: 0 });
    await user.click(screen.getByTestId('layout-agreement'));
    expect(screen.getByTestId('agreement-blind').textContent).toContain('Blind: agreement is hidden until you unblind.');
    expect(screen.queryByTestId('agreement-run')).toBeNull();
  });

  it('unblinding asks first: Cancel keeps blind, Unblind shows everyone’s work', async () => {
    const { app, user } = await openBlind();
    await user.click(screen.getByTestId('blind-toggle'));
    const dialog = screen.getByTestId('confirm-dialog');
    expect(dialog.textContent).toMatch(/Every coder’s codings will be shown/);
    expect(app.workspace.blind).toBe(true);
    expect((screen.getByTestId('blind-toggle') as HTMLInputElement).checked).toBe(true);
    await user.click(within(dialog).getByText('Cancel'));
    expect(app.workspace.blind).toBe(true);
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();

    await user.click(screen.getByTestId('blind-toggle'));
    await user.click(within(screen.getByTestId('confirm-dialog')).getByText('Unblind'));
    expect(app.workspace.blind).toBe(false);
    expect(localStorage.getItem(`codebench.blind.${app.workspace.projectId}`)).toBe('0');
    await waitFor(() => expect(document.body.textContent).toContain('Ada Lead'));
  });
});

describe('opening a file for a second coder', () => {
  beforeEach(() => localStorage.clear());

  it('asks the name first: another name is a new coder, the same name keeps the identity, Cancel still goes on', () => {
    localStorage.setItem('codebench.coder', JSON.stringify(ADA));
    const coder = new CoderState();
    const got: (string | null)[] = [];
    coder.askSecondCoder((c) => got.push(c?.name ?? null));
    expect(coder.asking).toBe(true);
    expect(coder.askingFor).toBe('second-coder');
    expect(coder.setName('Bea Second')).toBeNull();
    expect(got).toEqual(['Bea Second']);
    // Ada's identity is not renamed: Bea is a coder of her own.
    expect(coder.current?.id).not.toBe(ADA.id);
    const beaId = coder.current!.id;
    coder.askSecondCoder((c) => got.push(c?.id ?? null));
    coder.setName('Bea Second');
    expect(got.at(-1)).toBe(beaId);
    coder.askSecondCoder((c) => got.push(c === null ? 'cancelled' : c.id));
    coder.cancelAsking();
    expect(got.at(-1)).toBe('cancelled');
    expect(coder.asking).toBe(false);
    expect(coder.askingFor).toBeNull();
  });

  it('starts the project blind before it first shows, even when the browser cannot keep the setting', async () => {
    const { projectId } = await setup();
    const workspace = new CodingWorkspace(database, new CoderState());
    workspace.notifications.scope = projectId;
    const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    try {
      workspace.startBlind(projectId);
    } finally {
      setItem.mockRestore();
    }
    await workspace.load(projectId);
    expect(workspace.blind).toBe(true);
    expect(workspace.blindCoderId).toBe('bea');
    expect(workspace.notifications.text).toContain('Blind mode could not be remembered in this browser');
  });
});

describe('the Share dialog', () => {
  const rounds = [
    { id: 'r1', number: 1, name: 'Pilot', answerIds: ['a', 'b'] },
    { id: 'r2', number: 2, name: 'Main', answerIds: ['c', 'd', 'e'] },
  ];
  const exchange = () =>
    new ExchangeState({ onMerged: () => {}, onRestored: () => {} }, () => ({ onmessage: null, postMessage() {}, terminate() {} }) as ExchangeWorkerLike);

  it('exports for a second coder with the newest round, another round, or none', async () => {
    const chosen: (string | null)[] = [];
    render(ShareDialog, {
      exchange: exchange(),
      projectName: 'Pilot',
      coderName: 'Bea Second',
      onexportcoder: () => {},
      onexportproject: () => {},
      onimport: () => {},
      onclose: () => {},
      loadRounds: async () => rounds,
      onexportsecond: (roundId: string | null) => chosen.push(roundId),
    });
    const user = userEvent.setup();
    const select = (await screen.findByTestId('exchange-second-round')) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Round 1 · Pilot (2 answers)',
      'Round 2 · Main (3 answers)',
      'No round: every answer, the current codebook',
    ]);
    await waitFor(() => expect(select.value).toBe('r2'));
    await user.click(screen.getByTestId('exchange-export-second'));
    await user.selectOptions(select, 'r1');
    await user.click(screen.getByTestId('exchange-export-second'));
    await user.selectOptions(select, '');
    await user.click(screen.getByTestId('exchange-export-second'));
    expect(chosen).toEqual(['r2', 'r1', null]);
    expect((screen.getByTestId('exchange-export-project') as HTMLButtonElement).disabled).toBe(false);
  });

  it('while blind, the backup and the merge wait until the coder unblinds', async () => {
    const exported: string[] = [];
    render(ShareDialog, {
      exchange: exchange(),
      projectName: 'Pilot',
      coderName: 'Bea Second',
      onexportcoder: () => exported.push('coder'),
      onexportproject: () => exported.push('project'),
      onimport: () => {},
      onclose: () => {},
      blind: true,
    });
    expect((screen.getByTestId('exchange-export-project') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('exchange-backup-blind').textContent).toMatch(/not written while you code blind/);
    expect(screen.queryByTestId('exchange-import-input')).toBeNull();
    expect(screen.getByTestId('exchange-merge-blind')).toBeTruthy();
    // No round: the second coder's file holds every answer.
    expect(screen.queryByTestId('exchange-second-round')).toBeNull();
    await userEvent.setup().click(screen.getByTestId('exchange-export-coder'));
    expect(exported).toEqual(['coder']);
  });
});
