/**
 * The analysis worker opens a project without its answer texts (the
 * text-less copies in `answerKeys`) and reads texts per question when a
 * request needs them. Every result must be what it was when every text was
 * read at open: the reference session below reads a copy of the same project
 * whose text-less copies were removed, which loadProjectDataWithoutTexts
 * reads with every text (the old way).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { commitImport } from '../../src/lib/db/commit-import';
import { exportProjectFile, importProjectFile, loadProjectData } from '../../src/lib/db/exchange-store';
import { AnalysisProject } from '../../src/lib/analysis';
import { exportFile } from '../../src/lib/export';
import { saveRound } from '../../src/lib/db/rounds';
import { freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import { loadProjectOverview } from '../../src/lib/db/projects';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { answerId, type Code, type Coding } from '../../src/lib/model/types';
import { readProjectFile } from '../../src/lib/exchange';
import { AnalysisSession, textsNeeded } from '../../src/workers/analysis-handler';
import { LongCsvWorkerPool } from '../../src/workers/long-csv-writers';
import { InProcessLongCsvWorker } from './in-process-long-csv-worker';
import type { ViewFilter } from '../../src/lib/analysis/view-filter';
import type { AnalysisRequest, AnalysisRequestBody, CoderChoice, ExportSettings } from '../../src/workers/analysis-protocol';

/** Off: the handler writes the long CSV the way it did before streaming (every text read, then the whole file). */
const longCsv = vi.hoisted(() => ({ streamed: true }));
vi.mock('../../src/lib/export/export-file', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/lib/export/export-file')>();
  return { ...original, longCsvPlan: (...args: Parameters<typeof original.longCsvPlan>) => (longCsv.streamed ? original.longCsvPlan(...args) : null) };
});

const ALL: CoderChoice = { kind: 'all' };
let textless: CodebenchDatabase;
let reference: CodebenchDatabase;
let projectId = '';
let q1 = '';
let q2 = '';
let base = '';
let later = '';
/** Questions whose answer chunks (with texts) the text-less database was asked for. */
let textReads: unknown[][] = [];

beforeEach(async () => {
  textless = freshDatabase();
  const source = { fileName: 'a.csv', format: 'generic' as const };
  ({ projectId } = await commitImport(textless, smallBatch('Baseline', ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']), { kind: 'new', name: 'Study' }, source));
  await commitImport(textless, smallBatch('6 months', ['r1', 'r2', 'r3', 'r4']), { kind: 'existing', projectId }, source);
  const overview = (await loadProjectOverview(textless, projectId))!;
  q1 = overview.questions.find((q) => q.key === 'q1')!.id;
  q2 = overview.questions.find((q) => q.key === 'q2')!.id;
  base = overview.waves.find((w) => w.name === 'Baseline')!.id;
  later = overview.waves.find((w) => w.name === '6 months')!.id;
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
  await textless.codes.bulkPut([code('time', 'Time', 0), code('pay', 'Pay', 1)]);
  await textless.coders.bulkPut([
    { projectId, id: 'ana', name: 'Ana', color: '#000000' },
    { projectId, id: 'ben', name: 'Ben', color: '#000000' },
  ]);
  let n = 0;
  const c = (q: string, respondent: string, wave: string, codeId: string, coderId: string, exemplar = false): Coding => ({
    projectId,
    id: `k${++n}`,
    answerId: answerId(q, wave, respondent),
    codeId,
    coderId,
    start: null,
    end: null,
    createdAt: 1,
    ...(exemplar ? { exemplar: true } : {}),
  });
  const codings = [
    c(q1, 'r1', base, 'time', 'ana', true),
    c(q1, 'r2', base, 'time', 'ben'),
    c(q2, 'r3', base, 'pay', 'ana', true),
    c(q2, 'r1', later, 'pay', 'ben', true),
    c(q1, 'r4', later, 'time', 'ana'),
  ];
  await textless.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));

  reference = freshDatabase();
  await importProjectFile(reference, readProjectFile(await exportProjectFile(textless, projectId)));
  await reference.answerKeys.clear();
  expect(await reference.answerChunks.count()).toBe(await textless.answerChunks.count());

  textReads = [];
  const table = textless.answerChunks;
  const where = table.where.bind(table);
  table.where = ((index: string) => {
    const clause = where(index as '[projectId+questionId]');
    const equals = clause.equals.bind(clause);
    clause.equals = ((key: unknown) => {
      textReads.push([index, key]);
      return equals(key as [string, string]);
    }) as typeof clause.equals;
    return clause;
  }) as typeof table.where;
});

function settings(): ExportSettings {
  return {
    coders: ALL,
    includeSubcodes: false,
    bom: false,
    counts: { targets: 'codes', groupBy: { kind: 'none' }, coders: ALL, questionId: null },
    crosstab: { targets: 'codes', attribute: 'role', unit: 'respondents', percentOf: 'answered', coders: ALL, questionId: null },
    attributionAttribute: 'role',
  };
}

/** A file's bytes whether it came as a Blob (the long CSV, written piece by piece) or as bytes: toEqual sees no Blob's content. */
async function bytesOf<T extends { type: string }>(message: T): Promise<T> {
  const bytes = (message as { bytes?: unknown }).bytes;
  return bytes instanceof Blob ? { ...message, bytes: new Uint8Array(await bytes.arrayBuffer()) } : message;
}

/** A reply without its timings: the request's ms, and a warm reply's times (WarmResult.times). */
function untimed<T extends { type: string }>(message: T): T {
  const result = (message as { result?: { kind?: string; times?: unknown } }).result;
  if (result?.kind !== 'warm') return { ...message, ms: 0 };
  const { times: _times, ...rest } = result;
  return { ...message, ms: 0, result: rest };
}

type Step = AnalysisRequestBody & { filter?: ViewFilter; blindCoderId?: string };

/** Runs the same requests in both sessions and gives each pair of replies, without their timings. */
async function both(steps: Step[]) {
  const sessions = [new AnalysisSession(textless), new AnalysisSession(reference)];
  const replies: [unknown, unknown][] = [];
  let requestId = 0;
  for (const step of steps) {
    const request = { ...step, requestId: ++requestId, projectId, version: 1 } as unknown as AnalysisRequest;
    const [a, b] = await Promise.all(sessions.map(async (s) => untimed(await bytesOf((await s.handle(request)).message))));
    expect(a.type, JSON.stringify(a).slice(0, 300)).not.toBe('error');
    replies.push([a, b]);
  }
  return replies;
}

const mentees: ViewFilter = { questionIds: null, waveIds: [base], attributes: [{ name: 'role', values: ['mentee'] }] };

describe('answer texts read on demand', () => {
  it('warm and the tables read no answer text', async () => {
    const replies = await both([
      { type: 'warm' },
      { type: 'warm', filter: mentees },
      { type: 'warm', blindCoderId: 'ana' },
      { type: 'counts', options: { targets: 'codes', groupBy: { kind: 'attribute', name: 'role' }, coders: ALL, questionId: null } },
      { type: 'crosstab', options: { targets: 'codes', attribute: 'role', unit: 'respondents', percentOf: 'answered', coders: ALL, questionId: null } },
      { type: 'wave-change', options: { targets: 'codes', waveA: base, waveB: later, coders: ALL, questionId: null } },
      { type: 'export', kind: 'counts-csv', settings: settings() },
      { type: 'export', kind: 'crosstab-csv', settings: settings(), filter: mentees },
      { type: 'export', kind: 'codebook-md', settings: settings() },
      { type: 'export', kind: 'codebook-json', settings: settings() },
      { type: 'export', kind: 'qdc', settings: settings() },
      { type: 'export', kind: 'pseudonym-key-csv', settings: settings() },
    ]);
    for (const [a, b] of replies) expect(a).toEqual(b);
    expect(textReads).toEqual([]);
  });

  it('words, keywords in context, distinctive words, quotes, a cell’s answers and exports after a text-less warm give the results of a full read', async () => {
    const replies = await both([
      { type: 'warm' },
      { type: 'warm', filter: mentees },
      { type: 'warm', blindCoderId: 'ana' },
      { type: 'words', scope: { questionId: q1, group: { kind: 'all' }, coders: ALL }, limit: 20, filter: mentees },
      { type: 'kwic', scope: { questionId: null, group: { kind: 'all' }, coders: ALL }, word: 'hard', limit: 10, blindCoderId: 'ana' },
      {
        type: 'answers',
        select: { kind: 'ids', answerIds: [answerId(q2, base, 'r3')], highlight: { [answerId(q2, base, 'r3')]: [0, 4] } },
        offset: 0,
        limit: 10,
      },
      {
        type: 'answers',
        select: { kind: 'coded', target: { kind: 'code', codeId: 'time' }, attribute: null, coders: ALL, questionId: null },
        offset: 0,
        limit: 50,
      },
      { type: 'distinctive', target: { kind: 'code', codeId: 'time' }, coders: ALL, questionId: q1, limit: 5 },
      { type: 'words', scope: { questionId: null, group: { kind: 'all' }, coders: ALL }, limit: 20 },
      { type: 'quotes', by: 'code', coders: ALL, attributionAttribute: 'role' },
      { type: 'quotes', by: 'code', coders: ALL, attributionAttribute: null, filter: mentees },
      { type: 'export', kind: 'long-csv', settings: settings() },
      { type: 'export', kind: 'wide-csv', settings: settings(), filter: mentees },
      { type: 'export', kind: 'report-md', settings: settings() },
      { type: 'export', kind: 'codebook-md', settings: settings() },
    ]);
    for (const [a, b] of replies) expect(a).toEqual(b);
    // Texts were read, and not the same question twice.
    expect(textReads.length).toBeGreaterThan(0);
    expect(new Set(textReads.map((r) => JSON.stringify(r))).size).toBe(textReads.length);
  });

  it('the long CSV written while its texts are read is byte for byte the one written from every text, for every option', async () => {
    const variants: Step[] = [
      { type: 'export', kind: 'long-csv', settings: settings() },
      { type: 'export', kind: 'long-csv', settings: { ...settings(), respondentIds: 'raw', bom: true } },
      { type: 'export', kind: 'long-csv', settings: { ...settings(), neutraliseFormulas: false } },
      { type: 'export', kind: 'long-csv', settings: { ...settings(), coders: { kind: 'final' } } },
      { type: 'export', kind: 'long-csv', settings: { ...settings(), coders: { kind: 'coder', coderId: 'ben' } } },
      { type: 'export', kind: 'long-csv', settings: { ...settings(), coders: { kind: 'consensus' } } },
      { type: 'export', kind: 'long-csv', settings: settings(), filter: mentees },
      { type: 'export', kind: 'long-csv', settings: { ...settings(), respondentIds: 'raw' }, filter: { questionIds: [q2], waveIds: null, attributes: [] } },
      { type: 'export', kind: 'long-csv', settings: settings(), blindCoderId: 'ana' },
    ];
    const streamed = new AnalysisSession(textless);
    const whole = new AnalysisSession(textless);
    // Written as two parts by long-CSV writers (csv-long-parts.ts), here in this thread.
    const writers: InProcessLongCsvWorker[] = [];
    const pool = new LongCsvWorkerPool(2, () => {
      const writer = new InProcessLongCsvWorker(textless);
      writers.push(writer);
      return writer;
    });
    const inParts = new AnalysisSession(textless, -1, undefined, pool);
    let requestId = 0;
    const ask = async (session: AnalysisSession, step: Step) => {
      const message = (await session.handle({ ...step, requestId: ++requestId, projectId, version: 1 } as unknown as AnalysisRequest)).message;
      if (message.type !== 'file') throw new Error(JSON.stringify(message).slice(0, 300));
      return { fileName: message.fileName, mime: message.mime, text: await new Blob([message.bytes as Uint8Array<ArrayBuffer> | Blob]).text() };
    };
    const lines: number[] = [];
    for (const step of variants) {
      longCsv.streamed = true;
      const a = await ask(streamed, step);
      longCsv.streamed = false;
      const b = await ask(whole, step);
      longCsv.streamed = true;
      expect(a, JSON.stringify(step)).toEqual(b);
      expect(await ask(inParts, step), JSON.stringify(step)).toEqual(b);
      lines.push(a.text.split('\r\n').length - 2);
    }
    // Rows were written (the consensus coder coded nothing here); every coding of the project, in the first.
    expect(lines[0]).toBe(5);
    // Made ahead by the Export tab's warm-up: kept for those settings, and the file is the same.
    const ahead = settings();
    await inParts.handle({ type: 'warm', requestId: ++requestId, projectId, version: 1, longCsv: ahead } as unknown as AnalysisRequest);
    expect(inParts.longCsvMadeFor(projectId)?.key).toContain(JSON.stringify(ahead.coders));
    const made = inParts.longCsvMadeFor(projectId);
    const readsBefore = writers.flatMap((w) => w.posted).length;
    expect(await ask(inParts, variants[0])).toEqual(await ask(whole, variants[0]));
    expect(inParts.longCsvMadeFor(projectId)).toEqual(made);
    // Twice: the kept rows are sent as copies, so they are whole the second time.
    expect(await ask(inParts, variants[0])).toEqual(await ask(whole, variants[0]));
    expect(writers.flatMap((w) => w.posted).length).toBeGreaterThan(readsBefore);
    // Read again after a change (a rename, at the same version): the kept rows were made from the old project.
    await textless.codes.update([projectId, 'time'], { name: 'Time spent' });
    const reread = (await inParts.handle({ ...variants[0], requestId: ++requestId, projectId, version: 1, reread: true } as unknown as AnalysisRequest))
      .message;
    if (reread.type !== 'file') throw new Error('expected a file');
    const renamed = await new Blob([reread.bytes as Blob]).text();
    expect(renamed).toContain('Time spent');
    expect(renamed).toBe((await ask(new AnalysisSession(textless), variants[0])).text);
    // Other settings are not those rows.
    await inParts.handle({ type: 'warm', requestId: ++requestId, projectId, version: 1, longCsv: ahead } as unknown as AnalysisRequest);
    expect(await ask(inParts, variants[1])).toEqual(await ask(new AnalysisSession(textless), variants[1]));
    // The writers wrote: every file's chunks were read by them, and every part was given its rows.
    const posted = writers.flatMap((w) => w.posted);
    expect(writers).toHaveLength(2);
    expect(posted.filter((m) => m.type === 'read').length).toBeGreaterThanOrEqual(variants.length + 2);
    expect(posted.filter((m) => m.type === 'write').length + posted.filter((m) => m.type === 'cancel').length).toBe(
      posted.filter((m) => m.type === 'read').length,
    );
    expect(lines.filter((n) => n > 0).length).toBeGreaterThanOrEqual(variants.length - 1);
  });

  it('the reports read the texts they quote alone, from the chunks that hold them, and are what a full read gives', async () => {
    // A double-coded round (its agreement reads its answers' texts) in both databases, and spans marked as exemplars.
    for (const db of [textless, reference]) {
      await saveRound(
        db,
        {
          projectId,
          id: 'round1',
          number: 1,
          name: 'Pilot',
          createdAt: 1,
          createdBy: 'ana',
          sample: { size: { kind: 'count', count: 3 }, seed: 7, questionIds: [], waveIds: [], strata: [] },
          answerIds: [answerId(q1, base, 'r1'), answerId(q1, base, 'r2'), answerId(q2, base, 'r3'), answerId(q1, base, 'gone')],
          codebookVersionId: 'v1',
          coderIds: ['ana', 'ben'],
        },
        { projectId, id: 'v1', number: 1, label: 'Version 1', createdAt: 1, createdBy: 'ana', codes: [] },
      );
    }
    const gets: unknown[] = [];
    const get = textless.answerChunks.get.bind(textless.answerChunks);
    textless.answerChunks.get = ((key: unknown) => (gets.push(key), get(key as never))) as typeof textless.answerChunks.get;
    const replies = await both([
      { type: 'warm' },
      { type: 'export', kind: 'report-md', settings: settings() },
      { type: 'export', kind: 'report-html', settings: { ...settings(), coders: { kind: 'final' } } },
      { type: 'export', kind: 'report-docx', settings: settings() },
      { type: 'export', kind: 'report-md', settings: settings(), filter: mentees },
      { type: 'export', kind: 'report-md', settings: { ...settings(), coders: { kind: 'coder', coderId: 'ben' } }, blindCoderId: 'ben' },
    ]);
    for (const [a, b] of replies) expect(a).toEqual(b);
    const md = new TextDecoder().decode((replies[1][0] as { bytes: Uint8Array }).bytes);
    // The exemplars are quoted, and the round is measured on its three answers still in the project.
    expect(md.split('\n').filter((line) => /^> \w/.test(line) && !line.startsWith('> —'))).toEqual([
      '> Baseline answer of r1',
      '> hard for r3',
      '> hard for r1',
    ]);
    expect(md).toMatch(/on the 3 answers of the round/);
    // No question's texts were read whole: only the chunks holding a quoted or compared answer, by key.
    expect(textReads).toEqual([]);
    expect(gets.length).toBeGreaterThan(0);
    // The same bytes as the report made from a project read whole, with every text in its answers.
    const readWhole = new AnalysisProject(projectId, 1, await loadProjectData(textless, projectId));
    expect(md).toBe(new TextDecoder().decode(exportFile(readWhole, 'report-md', settings(), () => {}).bytes));
  });

  it('a cell’s answers read only the questions of the page shown', async () => {
    const [[a, b]] = await both([
      { type: 'answers', select: { kind: 'ids', answerIds: [answerId(q2, base, 'r3'), answerId(q2, later, 'r1')] }, offset: 0, limit: 10 },
    ]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ result: { rows: [{ text: 'hard for r3' }, { text: 'hard for r1' }] } });
    expect(textReads).toEqual([['[projectId+questionId]', [projectId, q2]]]);
  });

  it('names every request that reads no text, and reads every text for one it does not know', () => {
    const r = (body: object) => ({ ...body, requestId: 1, projectId: 'p', version: 1 }) as unknown as AnalysisRequest;
    expect(textsNeeded(r({ type: 'warm' }))).toBe('none');
    expect(textsNeeded(r({ type: 'counts' }))).toBe('none');
    expect(textsNeeded(r({ type: 'words', scope: { questionId: 'q' } }))).toEqual(['q']);
    expect(textsNeeded(r({ type: 'kwic', scope: { questionId: null } }))).toBe('all');
    expect(textsNeeded(r({ type: 'distinctive', questionId: 'q' }))).toEqual(['q']);
    expect(textsNeeded(r({ type: 'quotes' }))).toBe('all');
    expect(textsNeeded(r({ type: 'export', kind: 'counts-csv' }))).toBe('none');
    // The long CSV reads its texts chunk by chunk as it writes (csv-long-stream.ts).
    expect(textsNeeded(r({ type: 'export', kind: 'long-csv' }))).toBe('none');
    // The reports read the few texts they quote themselves (chunk-texts.ts).
    expect(textsNeeded(r({ type: 'export', kind: 'report-docx' }))).toBe('none');
    expect(textsNeeded(r({ type: 'export', kind: 'wide-csv' }))).toBe('all');
    expect(textsNeeded(r({ type: 'something-new' }))).toBe('all');
  });
});
