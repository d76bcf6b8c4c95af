/**
 * Analysis ready on open (issue 15): the worker reads and indexes a project
 * ahead of the view (`AnalysisState.prepare`, asked by the app once the code
 * counts are shown), builds the index from the text-less answer chunks and
 * makes no answer object until a request reads one. None of it may change a
 * figure: a warm-up read before a coding, code or answer change never answers
 * a later request with what it read, and its own reply is never shown.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '@testing-library/svelte';
import { database } from '../../src/lib/db/database';
import { commitImport } from '../../src/lib/db/commit-import';
import { newRevision } from '../../src/lib/db/revision';
import { loadProjectData, loadProjectDataWithoutTexts } from '../../src/lib/db/exchange-store';
import { smallBatch } from '../../src/lib/db/test-helpers';
import { loadProjectOverview } from '../../src/lib/db/projects';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { AnalysisProject, counts, crosstabOf, warm } from '../../src/lib/analysis';
import { answerId, type Code, type Coding } from '../../src/lib/model/types';
import { AnalysisState } from '../../src/lib/state/analysis.svelte';
import { AnalysisSession } from '../../src/workers/analysis-handler';
import type { AnalysisRequest, AnalysisRequestBody, CountsOptions, FromAnalysisWorker } from '../../src/workers/analysis-protocol';
import { InProcessAnalysisWorker } from './in-process-analysis-worker';
import { userActivity } from '../../src/lib/state/user-activity';
import { longCsvPlan, reportAnswerIdsOf, reportDocument, type LongCsvSettings } from '../../src/lib/export/export-file';
import { textsFromChunks } from '../../src/lib/export/chunk-texts';
import type { ExportSettings } from '../../src/lib/export/export-settings';
import { longCsvToString } from '../../src/lib/export/csv-long';
import { longCsvColumnStream, type AnswerChunkColumns } from '../../src/lib/export/csv-long-columns';
import { answerChunkReader } from '../../src/lib/db/answer-text-reader';
import { CODINGS_KEY, packCodings } from '../../src/lib/db/stored-codings';
import { projectRevision, writeDerived } from '../../src/lib/db/derived-store';

let projectId = '';
let q1 = '';
let q2 = '';
let base = '';

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

let serial = 0;
const coding = (question: string, respondent: string, codeId: string, coderId = 'ana'): Coding => ({
  projectId,
  id: `k${++serial}`,
  answerId: answerId(question, base, respondent),
  codeId,
  coderId,
  start: null,
  end: null,
  createdAt: 1,
});

/** Replaces the codings' pages, and moves the project's revision as every writer of codings in the app does (stored-codings.ts reads by it). */
async function storeCodings(codings: Coding[]) {
  const db = database();
  await db.codingPages.where('projectId').equals(projectId).delete();
  await db.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));
  await db.projects.update(projectId, { revision: newRevision() });
}

const COUNTS: CountsOptions = { targets: 'codes', groupBy: { kind: 'none' }, coders: { kind: 'all' }, questionId: null };

async function setup() {
  const db = database();
  await db.delete();
  await db.open();
  const source = { fileName: 'a.csv', format: 'generic' as const };
  ({ projectId } = await commitImport(db, smallBatch('Baseline', ['r1', 'r2', 'r3', 'r4', 'r5']), { kind: 'new', name: 'Pilot' }, source));
  const overview = (await loadProjectOverview(db, projectId))!;
  q1 = overview.questions.find((q) => q.key === 'q1')!.id;
  q2 = overview.questions.find((q) => q.key === 'q2')!.id;
  base = overview.waves[0].id;
  await db.codes.bulkPut([code('time', 'Time', 0), code('pay', 'Pay', 1)]);
  await db.coders.bulkPut([
    { projectId, id: 'ana', name: 'Ana', color: '#000000' },
    { projectId, id: 'ben', name: 'Ben', color: '#000000' },
  ]);
  await storeCodings([coding(q1, 'r1', 'time'), coding(q1, 'r2', 'time', 'ben'), coding(q2, 'r3', 'pay')]);
  return { overview };
}

let requestId = 0;
const request = (body: AnalysisRequestBody, version: number, extra: Partial<AnalysisRequest> = {}) =>
  ({ ...body, requestId: ++requestId, projectId, version, ...extra }) as AnalysisRequest;

type Result = Extract<FromAnalysisWorker, { type: 'result' }>['result'];

/** A request's result from a session (a failure fails the test). */
async function ask(session: AnalysisSession, body: AnalysisRequestBody, version: number, extra: Partial<AnalysisRequest> = {}): Promise<Result> {
  const { message } = await session.handle(request(body, version, extra));
  if (message.type !== 'result') throw new Error(`no result: ${JSON.stringify(message)}`);
  return message.result;
}

describe('the text-less open makes no answer object', () => {
  beforeEach(() => localStorage.clear());

  it('warms from the columns without reading an answer, with the figures of a project read whole', async () => {
    await setup();
    const { data, columns } = await loadProjectDataWithoutTexts(database(), projectId);
    let made = 0;
    const made0 = Object.getOwnPropertyDescriptor(data, 'answers')!;
    expect(made0.get).toBeTypeOf('function');
    Object.defineProperty(data, 'answers', { ...made0, get: () => (made++, made0.get!.call(data)) });
    const project = new AnalysisProject(projectId, 1, data);
    project.columns = columns;
    warm(project);
    const options = { targets: 'codes', attribute: 'role', unit: 'respondents', percentOf: 'answered', coders: { kind: 'all' }, questionId: null } as const;
    const fromColumns = [counts(project, COUNTS), counts(project, { ...COUNTS, questionId: q2 }), crosstabOf(project, options)];
    // A blind copy and a change of codings keep the answers unmade too.
    warm(project.blindTo('ana'));
    const { codes, coders, themes, memos, resolutions } = project.data;
    project.replaceCodings(2, { codes, coders, themes, memos, resolutions, codings: project.data.codings.slice(1) });
    warm(project);
    expect(made).toBe(0);
    expect(project.answerCount).toBe(8);

    const whole = new AnalysisProject(projectId, 1, await loadProjectData(database(), projectId));
    expect(fromColumns).toEqual([counts(whole, COUNTS), counts(whole, { ...COUNTS, questionId: q2 }), crosstabOf(whole, options)]);
    // Read when asked for: every answer, in the same order as a whole read gives them.
    expect(project.data.answers.map((a) => a.id)).toEqual(whole.data.answers.map((a) => a.id));
    expect(made).toBe(1);
  });
});

describe('the long CSV of a project read as columns', () => {
  beforeEach(() => localStorage.clear());

  it('is written from the stored chunks without making an answer, the same bytes as from a project read whole', async () => {
    await setup();
    // The codings kept for the worker (lib/db/stored-codings.ts), as it writes them after a read from the pages.
    const first = await loadProjectDataWithoutTexts(database(), projectId);
    const placed = new AnalysisProject(projectId, 1, first.data);
    placed.columns = first.columns;
    const index = placed.index(null);
    const packed = packCodings(first.data.codings, index.codingAnswers.subarray(0, first.data.codings.length), index.answerCount)!;
    await writeDerived(database(), projectId, CODINGS_KEY, (await projectRevision(database(), projectId))!, packed);
    const { data, columns, codingAnswers } = await loadProjectDataWithoutTexts(database(), projectId);
    expect(codingAnswers).not.toBeNull();
    let made = 0;
    const made0 = Object.getOwnPropertyDescriptor(data, 'answers')!;
    Object.defineProperty(data, 'answers', { ...made0, get: () => (made++, made0.get!.call(data)) });
    const project = new AnalysisProject(projectId, 1, data);
    project.columns = columns;
    project.codingAnswers = codingAnswers;
    const whole = new AnalysisProject(projectId, 1, await loadProjectData(database(), projectId));
    const variants: LongCsvSettings[] = [
      { coders: { kind: 'all' }, bom: false },
      { coders: { kind: 'final' }, bom: true, respondentIds: 'raw' },
      { coders: { kind: 'coder', coderId: 'ben' }, bom: false, neutraliseFormulas: false },
    ];
    const written = async (target: AnalysisProject, settings: LongCsvSettings) => {
      const plan = longCsvPlan(target, settings, true)!;
      if (!plan.columns) return longCsvToString(plan.source, plan.options);
      const reader = answerChunkReader(database(), projectId);
      let text = '';
      for await (const part of longCsvColumnStream(plan.source, plan.columns.placement, plan.columns.placed, plan.options, reader, plan.lookup)) text += part;
      return text;
    };
    for (const settings of variants) {
      expect(longCsvPlan(project, settings)?.columns, JSON.stringify(settings)).toBeDefined();
      expect(await written(project, settings)).toBe(await written(whole, settings));
    }
    // After a change of codings the positions come from the index (the stored codings' no longer hold).
    const { codes, coders, themes, memos, resolutions } = project.data;
    const fewer = project.data.codings.slice(1);
    project.replaceCodings(2, { codes, coders, themes, memos, resolutions, codings: fewer });
    whole.replaceCodings(2, { codes, coders, themes, memos, resolutions, codings: fewer });
    expect(project.codingAnswers).toBeNull();
    expect(longCsvPlan(project, variants[0])?.columns).toBeDefined();
    expect(await written(project, variants[0])).toBe(await written(whole, variants[0]));
    expect(made).toBe(0);
  });
});

describe('the report of a project read as columns', () => {
  beforeEach(() => localStorage.clear());

  it('reads its quotes from the chunks holding them and makes no answer object, the same report as from a project read whole', async () => {
    await setup();
    await storeCodings([{ ...coding(q1, 'r1', 'time'), exemplar: true }, { ...coding(q2, 'r3', 'pay'), exemplar: true }, coding(q1, 'r2', 'time', 'ben')]);
    const { data, columns } = await loadProjectDataWithoutTexts(database(), projectId);
    let made = 0;
    const made0 = Object.getOwnPropertyDescriptor(data, 'answers')!;
    Object.defineProperty(data, 'answers', { ...made0, get: () => (made++, made0.get!.call(data)) });
    const project = new AnalysisProject(projectId, 1, data);
    project.columns = columns;
    const settings: ExportSettings = {
      coders: { kind: 'all' },
      includeSubcodes: false,
      bom: false,
      counts: COUNTS,
      crosstab: { targets: 'codes', attribute: 'role', unit: 'respondents', percentOf: 'answered', coders: { kind: 'all' }, questionId: null },
      attributionAttribute: 'role',
    };
    const ids = reportAnswerIdsOf(project, settings);
    expect([...ids].sort()).toEqual([answerId(q1, base, 'r1'), answerId(q2, base, 'r3')].sort());
    const texts = await textsFromChunks(columns as AnswerChunkColumns[], ids, answerChunkReader(database(), projectId));
    const at = new Date(0);
    const report = reportDocument(project, settings, at, texts);
    expect(made).toBe(0);
    const whole = new AnalysisProject(projectId, 1, await loadProjectData(database(), projectId));
    expect(report).toEqual(reportDocument(whole, settings, at));
    expect(JSON.stringify(report)).toContain('Baseline answer of r1');
  });
});

describe('a warm-up read ahead never answers with what changed since', () => {
  beforeEach(() => localStorage.clear());

  it('counts codings changed after the warm-up (a new version) as a fresh read does', async () => {
    await setup();
    const session = new AnalysisSession(database());
    expect(await ask(session, { type: 'warm' }, 1)).toMatchObject({ kind: 'warm', answers: 8, codings: 3 });
    // Codings added and removed, and a code renamed, while Analysis was not open.
    await storeCodings([coding(q1, 'r1', 'pay'), coding(q1, 'r4', 'pay'), coding(q2, 'r5', 'time', 'ben')]);
    await database().codes.put({ ...code('pay', 'Salary', 1) });
    const after = await ask(session, { type: 'counts', options: COUNTS }, 2);
    const fresh = await ask(new AnalysisSession(database()), { type: 'counts', options: COUNTS }, 2);
    expect(after).toEqual(fresh);
    expect(after.kind === 'counts' && after.rows.map((r) => [r.label, r.answersCoded])).toEqual([
      ['Time', 1],
      ['Salary', 2],
    ]);
    // Blind: only the coder's own codings, as a fresh read gives them.
    const blind = { blindCoderId: 'ben' };
    expect(await ask(session, { type: 'counts', options: COUNTS }, 2, blind)).toEqual(
      await ask(new AnalysisSession(database()), { type: 'counts', options: COUNTS }, 2, blind),
    );
  });

  it('reads the answers again after an import into the project (invalidate)', async () => {
    await setup();
    const session = new AnalysisSession(database());
    await ask(session, { type: 'warm' }, 1);
    await commitImport(database(), smallBatch('6 months', ['r1', 'r2', 'r3']), { kind: 'existing', projectId }, { fileName: 'b.csv', format: 'generic' });
    session.invalidate(projectId);
    const after = await ask(session, { type: 'counts', options: COUNTS }, 1);
    expect(after).toEqual(await ask(new AnalysisSession(database()), { type: 'counts', options: COUNTS }, 1));
    expect(after.kind === 'counts' && after.answersInScope).toBe(8 + 5);
  });
});

describe('AnalysisState.prepare', () => {
  beforeEach(() => localStorage.clear());

  it('warms the project ahead of the view, shows nothing of it, and the view then asks at its own version', async () => {
    const { overview } = await setup();
    const worker = new InProcessAnalysisWorker(new AnalysisSession(database()));
    const analysis = new AnalysisState(() => worker);
    analysis.prepare(projectId, 1);
    expect(worker.posted).toEqual([expect.objectContaining({ type: 'warm', projectId, version: 1 })]);
    expect(worker.posted[0]).not.toHaveProperty('blindCoderId');
    expect(analysis.preparing).toBe(projectId);
    // Asked again while under way: nothing more.
    analysis.prepare(projectId, 1);
    expect(worker.posted).toHaveLength(1);
    await waitFor(() => expect(analysis.preparing).toBeNull());
    // Its reply is not the view's: the view is not ready until its own warm-up answers.
    expect(analysis.warmed).toBeNull();

    // A coding changed meanwhile (version 2): the view asks at 2, blind as the workspace now is, and counts it.
    await storeCodings([coding(q1, 'r1', 'time'), coding(q1, 'r2', 'time', 'ben'), coding(q2, 'r3', 'pay'), coding(q2, 'r5', 'pay')]);
    analysis.restrictTo = () => 'ana';
    analysis.attach(projectId, 2, overview);
    const viewWarm = worker.posted.at(-1);
    expect(viewWarm).toMatchObject({ type: 'warm', projectId, version: 2, blindCoderId: 'ana' });
    await waitFor(() => expect(analysis.warmed).not.toBeNull());
    expect(analysis.warmed).toMatchObject({ answers: 8, codings: 3 });
    analysis.select('counts');
    await waitFor(() => expect(analysis.counts).not.toBeNull());
    expect(analysis.counts!.data.rows.map((r) => [r.label, r.answersCoded])).toEqual([
      ['Time', 1],
      ['Pay', 2],
    ]);
    // The view has the project: nothing more is prepared for it.
    const posted = worker.posted.length;
    analysis.prepare(projectId, 2);
    expect(worker.posted).toHaveLength(posted);
  });

  it('keeps a warm-up of the project the view opens, and drops one of another project', async () => {
    const { overview } = await setup();
    const worker = new InProcessAnalysisWorker(new AnalysisSession(database()));
    let stopped = 0;
    worker.terminate = () => void stopped++;
    const analysis = new AnalysisState(() => worker);
    analysis.prepare(projectId, 1);
    // The view opens this project while the warm-up is under way: it is not stopped (the worker would read again).
    analysis.attach(projectId, 1, overview);
    expect(stopped).toBe(0);
    await waitFor(() => expect(analysis.warmed).not.toBeNull());

    const other = new AnalysisState(() => worker);
    other.prepare('elsewhere', 1);
    other.attach(projectId, 1, overview);
    expect(other.preparing).toBeNull();
  });

  it("holds the page's background work while the view's own warm-up is under way, and lets it go with the reply", async () => {
    const { overview } = await setup();
    const worker = new InProcessAnalysisWorker(new AnalysisSession(database()));
    // The worker's replies wait until released, so the wait can be seen.
    const held: (() => void)[] = [];
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message: never) => void held.push(() => post(message));
    const analysis = new AnalysisState(() => worker);
    expect(userActivity().busy).toBe(false);
    analysis.attach(projectId, 1, overview);
    expect(userActivity().busy).toBe(true);
    const counted: string[] = [];
    userActivity().afterWaiting(() => counted.push('count'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counted).toEqual([]);
    for (const release of held.splice(0)) release();
    await waitFor(() => expect(analysis.warmed).not.toBeNull());
    await waitFor(() => expect(userActivity().busy).toBe(false));
    await waitFor(() => expect(counted).toEqual(['count']));
  });

  it('keeps the worker that finished a warm-up when the view opens that project, and lets go of one never opened', async () => {
    const { overview } = await setup();
    const worker = new InProcessAnalysisWorker(new AnalysisSession(database()));
    let stopped = 0;
    worker.terminate = () => void stopped++;
    const analysis = new AnalysisState(() => worker);
    analysis.prepare(projectId, 1);
    await waitFor(() => expect(analysis.preparing).toBeNull());
    // Asked again once it is over (the Analysis button asks too): the worker holds the project, nothing is posted.
    const posted = worker.posted.length;
    analysis.prepare(projectId, 1);
    expect(worker.posted).toHaveLength(posted);
    // The warm-up is over when the view opens: the worker, which holds the project, is not stopped.
    analysis.attach(projectId, 1, overview);
    expect(stopped).toBe(0);
    await waitFor(() => expect(analysis.warmed).not.toBeNull());
    expect(analysis.warmed).toMatchObject({ answers: 8 });

    // A project prepared and never opened is let go when another is prepared.
    const other = new AnalysisState(() => worker);
    other.prepare(projectId, 1);
    await waitFor(() => expect(other.preparing).toBeNull());
    other.prepare('elsewhere', 1);
    expect(worker.posted).toContainEqual({ type: 'invalidate', projectId });
  });
});

describe('the app prepares the analysis of a project it opens', () => {
  beforeEach(() => localStorage.clear());

  it('once the code counts are shown, at the workspace version', async () => {
    await setup();
    const { AppState } = await import('../../src/lib/state/app.svelte');
    const app = new AppState();
    const asked: { projectId: string; version: number; countsReady: boolean }[] = [];
    app.analysis.prepare = (id, version) => {
      asked.push({ projectId: id, version, countsReady: app.workspace.countsReady });
      return Promise.resolve();
    };
    await app.follow({ name: 'project', projectId });
    await waitFor(() => expect(asked).toHaveLength(1));
    expect(asked[0]).toEqual({ projectId, version: app.workspace.version, countsReady: true });
  });

  it('at once when the Analysis view is asked for, and shows it', async () => {
    await setup();
    const { AppState } = await import('../../src/lib/state/app.svelte');
    const app = new AppState();
    const asked: { projectId: string; version: number; asked?: string }[] = [];
    let warmed = () => {};
    app.analysis.prepare = (id, version, how) => {
      asked.push({ projectId: id, version, asked: how });
      return new Promise<void>((resolve) => (warmed = resolve));
    };
    // Before the project is open nothing is read (the view is only chosen).
    app.showAnalysis();
    expect(asked).toEqual([]);
    await app.follow({ name: 'project', projectId });
    await waitFor(() => expect(app.workspace.loaded).toBe(true));
    asked.length = 0;
    app.layout = 'question';
    app.showAnalysis();
    expect(app.layout).toBe('analysis');
    // The user waits for this one: it is not background work the worker would hold behind a scroll.
    expect(asked).toEqual([{ projectId, version: app.workspace.version, asked: 'now' }]);
    // And the page's background work (the search worker's keying ahead) holds until it is read.
    expect(userActivity().busy).toBe(true);
    warmed();
    await waitFor(() => expect(userActivity().busy).toBe(false));
  });

  it('asks ahead as background work, held behind a scroll, and the Analysis button lets a held one go on', async () => {
    await setup();
    const worker = new InProcessAnalysisWorker(new AnalysisSession(database()));
    const analysis = new AnalysisState(() => worker);
    analysis.prepare(projectId, 1);
    expect(worker.posted).toEqual([expect.objectContaining({ type: 'warm', projectId, background: true })]);
    analysis.prepare(projectId, 1, 'now');
    expect(worker.posted.at(-1)).toEqual({ type: 'hold', held: false });
    await waitFor(() => expect(analysis.preparing).toBeNull());
    const second = new InProcessAnalysisWorker(new AnalysisSession(database()));
    const now = new AnalysisState(() => second);
    now.prepare(projectId, 1, 'now');
    expect(second.posted).toEqual([expect.objectContaining({ type: 'warm', projectId, background: false })]);
  });
});
