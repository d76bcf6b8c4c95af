/**
 * The analysis worker's request handling over a small project in
 * fake-indexeddb: counts and cells checked against hand-worked numbers,
 * exports read back (CSV text, the XLSX unzipped, REFI-QDA round trips).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_REPORT_SETTINGS } from '../../src/lib/export/write-up-report';
import { strFromU8, unzipSync } from 'fflate';
import { commitImport } from '../../src/lib/db/commit-import';
import { freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import { loadAnswers, loadProjectOverview } from '../../src/lib/db/projects';
import { saveWriteUpSettings } from '../../src/lib/db/write-up-store';
import { loadThemes } from '../../src/lib/db/coding-store';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { newRevision } from '../../src/lib/db/revision';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { answerId, CONSENSUS_CODER_ID, type Code, type Coding } from '../../src/lib/model/types';
import { readQdc, readQdpx } from '../../src/lib/refi';
import { AnalysisSession } from '../../src/workers/analysis-handler';
import type { ViewFilter } from '../../src/lib/analysis/view-filter';
import { emptyWriteUpSettings } from '../../src/lib/analysis/publishing';
import type {
  AnalysisRequest,
  AnalysisRequestBody,
  AnalysisResult,
  CoderChoice,
  ExportKind,
  ExportSettings,
  FromAnalysisWorker,
} from '../../src/workers/analysis-protocol';

let db: CodebenchDatabase;
let session: AnalysisSession;
let projectId = '';
let q1 = '';
let q2 = '';
let base = '';
let later = '';
let requestId = 0;
const ALL: CoderChoice = { kind: 'all' };

function code(id: string, name: string, parentId: string | null, order: number): Code {
  return { projectId, id, parentId, name, color: '#336699', definition: `About ${name}.`, inclusion: '', exclusion: '', example: '', order };
}

/** Writes the codings' pages, and moves the project's revision as every writer of codings in the app does (stored-codings.ts reads by it). */
async function putCodings(codings: Coding[]) {
  const pages = groupByPage(codings);
  await db.codingPages.bulkPut([...pages].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));
  await db.projects.update(projectId, { revision: newRevision() });
}

/**
 * Baseline: r1–r6 answer q1, r1/r3/r5 answer q2. 6 months: r1–r4 answer q1, r1/r3 answer q2 (15 answers).
 * Roles: r1, r3, r5 mentee; r2, r4, r6 mentor. Codes: Time (with Short time under it) and Pay.
 */
function codings(): Coding[] {
  let n = 0;
  const c = (respondent: string, wave: string, codeId: string, coderId: string, span: [number, number] | null, exemplar = false): Coding => ({
    projectId,
    id: `k${++n}`,
    answerId: answerId(q1, wave, respondent),
    codeId,
    coderId,
    start: span ? span[0] : null,
    end: span ? span[1] : null,
    createdAt: 1,
    ...(exemplar ? { exemplar: true } : {}),
  });
  return [
    c('r1', base, 'time', 'ana', null), // k1
    c('r2', base, 'short', 'ana', [0, 8]), // k2
    c('r2', base, 'short', 'ben', [0, 8]), // k3
    c('r3', later, 'pay', 'ana', null, true), // k4
    c('r1', later, 'time', 'ben', null), // k5
    c('r4', base, 'pay', 'ana', [2, 10], true), // k6
    c('r4', base, 'time', CONSENSUS_CODER_ID, null), // k7
  ];
}

beforeEach(async () => {
  db = freshDatabase();
  session = new AnalysisSession(db);
  const first = await commitImport(
    db,
    smallBatch('Baseline', ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']),
    { kind: 'new', name: 'Mentoring study' },
    { fileName: 'a.csv', format: 'generic' },
  );
  projectId = first.projectId;
  await commitImport(db, smallBatch('6 months', ['r1', 'r2', 'r3', 'r4']), { kind: 'existing', projectId }, { fileName: 'b.csv', format: 'generic' });
  const overview = (await loadProjectOverview(db, projectId))!;
  q1 = overview.questions.find((q) => q.key === 'q1')!.id;
  q2 = overview.questions.find((q) => q.key === 'q2')!.id;
  base = overview.waves.find((w) => w.name === 'Baseline')!.id;
  later = overview.waves.find((w) => w.name === '6 months')!.id;
  await db.codes.bulkPut([code('time', 'Time', null, 0), code('short', 'Short time', 'time', 0), code('pay', 'Pay', null, 1)]);
  await db.coders.bulkPut([
    { projectId, id: 'ana', name: 'Ana', color: '#000000' },
    { projectId, id: 'ben', name: 'Ben', color: '#000000' },
    { projectId, id: CONSENSUS_CODER_ID, name: 'Consensus', color: '#555555' },
  ]);
  await db.themes.put({ projectId, id: 'th1', name: 'Resources', description: 'Time and money.', codeIds: ['time', 'pay'], withSubcodes: true, order: 0 });
  await putCodings(codings());
});

async function ask(body: AnalysisRequestBody, version = 1): Promise<FromAnalysisWorker> {
  const request = { ...body, requestId: ++requestId, projectId, version } as unknown as AnalysisRequest;
  return (await session.handle(request)).message;
}

async function result<K extends AnalysisResult['kind']>(kind: K, body: AnalysisRequestBody, version = 1): Promise<Extract<AnalysisResult, { kind: K }>> {
  const message = await ask(body, version);
  if (message.type === 'error') throw new Error(message.message);
  if (message.type !== 'result' || message.result.kind !== kind) throw new Error(`expected a ${kind} result, got ${JSON.stringify(message).slice(0, 200)}`);
  return message.result as Extract<AnalysisResult, { kind: K }>;
}

function settings(extra: Partial<ExportSettings> = {}): ExportSettings {
  return {
    coders: ALL,
    includeSubcodes: false,
    bom: false,
    counts: { targets: 'codes', groupBy: { kind: 'none' }, coders: ALL, questionId: null },
    crosstab: { targets: 'codes', attribute: 'role', unit: 'respondents', percentOf: 'answered', coders: ALL, questionId: null },
    attributionAttribute: 'role',
    ...extra,
  };
}

async function file(kind: ExportKind, extra: Partial<ExportSettings> = {}) {
  const message = await ask({ type: 'export', kind, settings: settings(extra) });
  if (message.type !== 'file') throw new Error(`expected a file, got ${JSON.stringify(message).slice(0, 300)}`);
  // The long CSV comes as a Blob (written piece by piece), the rest as bytes.
  return { ...message, bytes: message.bytes instanceof Blob ? new Uint8Array(await message.bytes.arrayBuffer()) : message.bytes };
}

describe('analysis requests', () => {
  it('counts answers, respondents and spans with their denominators', async () => {
    const counts = await result('counts', { type: 'counts', options: { targets: 'codes', groupBy: { kind: 'none' }, coders: ALL, questionId: null } });
    expect(counts.answersInScope).toBe(15);
    expect(counts.respondentsAnswered).toBe(6);
    const row = (label: string) => counts.rows.find((r) => r.label === label)!;
    // Time: r1 at both waves (k1, k5); the consensus coding on r4 is left out.
    expect(row('Time')).toMatchObject({ answersCoded: 2, respondentsCoded: 1, spansCoded: 0, codingsTotal: 2, respondentsAnswered: 6 });
    expect(row('Time').respondentShare).toBeCloseTo(1 / 6);
    expect(row('Short time')).toMatchObject({ answersCoded: 1, respondentsCoded: 1, spansCoded: 2, codingsTotal: 2 });
    expect(row('Pay')).toMatchObject({ answersCoded: 2, respondentsCoded: 2, spansCoded: 1 });

    const rolled = await result('counts', {
      type: 'counts',
      options: { targets: 'codes-with-subcodes', groupBy: { kind: 'wave' }, coders: ALL, questionId: null },
    });
    const time = rolled.rows.filter((r) => r.label === 'Time (with subcodes)');
    expect(time.map((r) => [r.groupLabel, r.answersCoded, r.respondentsCoded, r.respondentsAnswered])).toEqual([
      [null, 3, 2, 6],
      ['Baseline', 2, 2, 6],
      ['6 months', 1, 1, 4],
    ]);

    const consensus = await result('counts', {
      type: 'counts',
      options: { targets: 'themes', groupBy: { kind: 'none' }, coders: { kind: 'consensus' }, questionId: q1 },
    });
    expect(consensus.rows).toHaveLength(1);
    expect(consensus.rows[0]).toMatchObject({ label: 'Resources', answersCoded: 1, respondentsCoded: 1, answersInScope: 10 });
  });

  it('cross-tabulates by role, and a cell opens the answers behind it', async () => {
    const table = await result('crosstab', {
      type: 'crosstab',
      options: { targets: 'codes', attribute: 'role', unit: 'respondents', percentOf: 'answered', coders: ALL, questionId: null },
    });
    expect(table.columns.map((c) => [c.label, c.answered])).toEqual([
      ['mentee', 3],
      ['mentor', 3],
    ]);
    const pay = table.rows.find((r) => r.label === 'Pay')!;
    expect(pay.cells.map((c) => [c.count, c.base])).toEqual([
      [1, 3],
      [1, 3],
    ]);
    expect(pay.cells[1].share).toBeCloseTo(1 / 3);

    const answers = await result('answers', {
      type: 'answers',
      select: { kind: 'coded', target: pay.target, attribute: { name: 'role', value: 'mentor' }, coders: ALL, questionId: null },
      offset: 0,
      limit: 50,
    });
    expect(answers.total).toBe(1);
    expect(answers.rows[0]).toMatchObject({
      answerId: answerId(q1, base, 'r4'),
      respondentId: 'r4',
      waveName: 'Baseline',
      questionLabel: 'Question one',
      text: 'Baseline answer of r4',
      attributes: [['role', 'mentor']],
    });
  });

  it('pairs codes in the same answer or respondent, and follows respondents across waves', async () => {
    const byRespondent = await result('cooccurrence', {
      type: 'cooccurrence',
      options: { targets: 'top-level', level: 'respondent', coders: ALL, questionId: null },
    });
    expect(byRespondent.labels).toEqual(['Time (with subcodes)', 'Pay']);
    expect(byRespondent.counts).toEqual([
      [2, 0],
      [0, 2],
    ]);

    const change = await result('wave-change', {
      type: 'wave-change',
      options: { targets: 'codes', waveA: base, waveB: later, coders: ALL, questionId: null },
    });
    expect(change.rows.find((r) => r.label === 'Time')).toMatchObject({ answeredBoth: 4, both: 1, onlyA: 0, onlyB: 0, neither: 3 });
    expect(change.rows.find((r) => r.label === 'Pay')).toMatchObject({ onlyA: 1, onlyB: 1, both: 0, neither: 2 });
    const onlyB = await result('answers', {
      type: 'answers',
      select: { kind: 'wave-change', target: { kind: 'code', codeId: 'pay' }, group: 'onlyB', waveA: base, waveB: later, coders: ALL, questionId: null },
      offset: 0,
      limit: 10,
    });
    expect(onlyB.rows.map((r) => r.answerId)).toEqual([answerId(q1, later, 'r3')]);
  });

  it("answers the Counts tab's first table with the warm-up's counts, the same as counted afresh", async () => {
    const options = { targets: 'codes', groupBy: { kind: 'none' }, coders: ALL, questionId: null } as const;
    await ask({ type: 'warm' } as unknown as AnalysisRequestBody);
    const first = await result('counts', { type: 'counts', options });
    expect(first.rows.find((r) => r.label === 'Pay')!.answersCoded).toBe(2);
    // A session that never warmed up counts the same table. (A coding change counting again: the next test.)
    const fresh = new AnalysisSession(() => db, -1);
    const cold = await fresh.handle({ type: 'counts', requestId: ++requestId, projectId, version: 1, options } as unknown as AnalysisRequest);
    expect(cold.message.type === 'result' && cold.message.result).toEqual(first);
  });

  it('re-reads the codings when the workspace version changes', async () => {
    const options = { targets: 'codes', groupBy: { kind: 'none' }, coders: ALL, questionId: null } as const;
    const before = await result('counts', { type: 'counts', options }, 1);
    expect(before.rows.find((r) => r.label === 'Pay')!.answersCoded).toBe(2);
    await putCodings([
      ...codings(),
      { projectId, id: 'extra', answerId: answerId(q2, base, 'r5'), codeId: 'pay', coderId: 'ben', start: null, end: null, createdAt: 2 },
    ]);
    const same = await result('counts', { type: 'counts', options }, 1);
    expect(same.rows.find((r) => r.label === 'Pay')!.answersCoded).toBe(2);
    const after = await result('counts', { type: 'counts', options }, 2);
    expect(after.rows.find((r) => r.label === 'Pay')!.answersCoded).toBe(3);
  });

  it('lists exemplar quotes as published: attributed to pseudonyms, the author’s words redacted, the stored text kept', async () => {
    const quotes = await result('quotes', { type: 'quotes', by: 'code', coders: ALL, attributionAttribute: 'role' });
    expect(quotes.groups.map((g) => g.label)).toEqual(['Pay']);
    // The role attribute is found by its name: r1, r3, r5 mentees and r2, r4, r6 mentors, numbered in id order.
    expect(quotes.groups[0].quotes.map((q) => [q.text, q.attribution])).toEqual([
      ['seline a', 'Mentor 2, Baseline'],
      ['6 months answer of r3', 'Mentee 2, 6 months'],
    ]);
    expect(quotes.rule).toMatch(/pseudonym numbered within the respondent’s role/);
    const byTheme = await result('quotes', { type: 'quotes', by: 'theme', coders: ALL, attributionAttribute: null });
    expect(byTheme.groups[0]).toMatchObject({ label: 'Resources' });

    // The author chooses no role and lists a word: the worker reads the settings again when asked to reread.
    await saveWriteUpSettings(db, projectId, { roleAttribute: null, redactionList: ['answer'], kept: [], showQuestion: true });
    const stale = await result('quotes', { type: 'quotes', by: 'code', coders: ALL, attributionAttribute: null });
    expect(stale.groups[0].quotes[1].attribution).toBe('Mentee 2, 6 months');
    const request = { type: 'quotes', by: 'code', coders: ALL, attributionAttribute: null, requestId: ++requestId, projectId, version: 1, reread: true };
    const message = (await session.handle(request as unknown as AnalysisRequest)).message;
    if (message.type !== 'result' || message.result.kind !== 'quotes') throw new Error('expected quotes');
    const quote = message.result.groups[0].quotes[1];
    expect(quote).toMatchObject({ text: '6 months [name] of r3', original: '6 months answer of r3', attribution: 'Respondent 3, 6 months, Question one' });
    expect(quote.spans).toMatchObject([{ kind: 'listed', text: 'answer', start: 9, end: 15, kept: false }]);
    // The stored answer is unchanged.
    expect((await loadAnswers(db, projectId, q1, [base, later])).texts).toContain('6 months answer of r3');
  });

  it('counts words by lemma and shows a keyword in context at its place in the answer', async () => {
    const scope = { questionId: q1, group: { kind: 'all' as const }, coders: ALL };
    const words = await result('words', { type: 'words', scope, limit: 20 });
    expect(words.texts).toBe(10);
    expect(words.top.find((w) => w.lemma === 'answer')).toMatchObject({ count: 10, answers: 10 });
    expect(words.top.some((w) => w.lemma === 'of')).toBe(false);

    const kwic = await result('kwic', { type: 'kwic', scope, word: 'answers', limit: 3 });
    expect(kwic.lines).toHaveLength(3);
    expect(kwic.truncated).toBe(true);
    expect(kwic.lines[0]).toMatchObject({ answerId: answerId(q1, base, 'r1'), start: 9, end: 15, match: 'answer' });

    // Passages keep their place in the answer: "seline a" starts at code point 2 of "Baseline answer of r4".
    const passages = await result('kwic', {
      type: 'kwic',
      scope: { questionId: null, group: { kind: 'target', target: { kind: 'code', codeId: 'pay' } }, coders: ALL },
      word: 'seline',
      limit: 10,
    });
    expect(passages.lines.map((l) => [l.answerId, l.start, l.end])).toEqual([[answerId(q1, base, 'r4'), 2, 8]]);

    const distinctive = await result('distinctive', { type: 'distinctive', target: { kind: 'code', codeId: 'time' }, coders: ALL, questionId: q1, limit: 5 });
    expect(distinctive.groupAnswers).toBe(2);
    expect(distinctive.restAnswers).toBe(8);
    expect(distinctive.method).toMatch(/log-odds/);
  });

  it('reports a request it cannot do as a plain message', async () => {
    const message = await ask({ type: 'wave-change', options: { targets: 'codes', waveA: base, waveB: base, coders: ALL, questionId: null } });
    expect(message).toMatchObject({ type: 'error', message: 'Choose two different waves to compare.' });
  });
});

describe('exports', () => {
  it('writes the long CSV, one row per coding, and the wide CSV', async () => {
    const long = await file('long-csv');
    expect(long.fileName).toBe('Mentoring-study-codings.csv');
    const lines = strFromU8(long.bytes).trimEnd().split('\r\n');
    expect(lines[0]).toBe('respondent,role,question,wave,code,themes,coder,quote,start,end,exemplar,origin');
    expect(lines).toHaveLength(1 + 7);
    // Pseudonyms by default (r4 is the second mentor); the raw IDs when the author asks for their own analysis.
    expect(lines).toContain('Mentor 2,mentor,Question one,Baseline,Pay,Resources,Ana,seline a,2,10,yes,hand');
    expect(lines.join('\n')).not.toMatch(/^r\d,/m);
    const rawLines = strFromU8((await file('long-csv', { respondentIds: 'raw' })).bytes).split('\r\n');
    expect(rawLines).toContain('r4,mentor,Question one,Baseline,Pay,Resources,Ana,seline a,2,10,yes,hand');

    const wideBytes = (await file('wide-csv', { bom: true })).bytes;
    expect([...wideBytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const wide = strFromU8(wideBytes);
    expect(wide.startsWith('respondent,role,question,wave,answer,Time,Time › Short time,Pay\r\n')).toBe(true);
    expect(wide.split('\r\n').filter(Boolean)).toHaveLength(1 + 15);
    expect(wide).toContain('\r\nMentee 1,mentee,Question one,Baseline,Baseline answer of r1,');
  });

  it('writes the pseudonym key on its own, opening with the warning that it re-identifies respondents', async () => {
    const key = await file('pseudonym-key-csv');
    expect(key.fileName).toBe('Mentoring-study-pseudonym-key.csv');
    const lines = strFromU8(key.bytes).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^This file links pseudonyms to respondent IDs: it re-identifies respondents/);
    expect(lines[1]).toBe('respondent ID,role (role),pseudonym');
    expect(lines.slice(2)).toEqual([
      'r1,mentee,Mentee 1',
      'r2,mentor,Mentor 1',
      'r3,mentee,Mentee 2',
      'r4,mentor,Mentor 2',
      'r5,mentee,Mentee 3',
      'r6,mentor,Mentor 3',
    ]);
  });

  it('writes the counts and crosstab tables as CSV', async () => {
    const counts = strFromU8((await file('counts-csv')).bytes).split('\r\n');
    expect(counts[0]).toBe(
      'target,kind,group by,group,answers coded,answers in scope,share of answers,respondents coded,respondents who answered,share of respondents,spans coded,codings',
    );
    expect(counts).toContain('Short time,code,overall,all,1,15,0.06666666666666667,1,6,0.16666666666666666,2,2');
    const crosstab = strFromU8((await file('crosstab-csv')).bytes).split('\r\n');
    expect(crosstab[0]).toBe(
      'target,kind,mentee: respondents coded,mentee: base,mentee: share,mentor: respondents coded,mentor: base,mentor: share,total: respondents coded,total: base,total: share',
    );
    expect(crosstab[3]).toBe('Pay,code,1,3,0.3333333333333333,1,3,0.3333333333333333,2,6,0.3333333333333333');
  });

  it('writes a workbook with a sheet each', async () => {
    const xlsx = await file('xlsx');
    const entries = unzipSync(xlsx.bytes);
    const workbook = strFromU8(entries['xl/workbook.xml']);
    expect([...workbook.matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1])).toEqual(['Codings', 'Answers', 'Codebook', 'Counts', 'Crosstab role', 'Themes']);
    expect(strFromU8(entries['xl/worksheets/sheet1.xml'])).toContain('seline a');
    expect(strFromU8(entries['xl/worksheets/sheet1.xml'])).toContain('Mentor 2');
    expect(strFromU8(entries['xl/worksheets/sheet1.xml'])).not.toContain('>r4<');
  });

  it('writes the report and the codebook', async () => {
    const html = strFromU8((await file('report-html')).bytes);
    expect(html).toContain('<h2 dir="auto">Coding process</h2>');
    expect(html).toContain('Resources');
    expect(html).toContain('Mentor 2, Baseline');
    expect(html).not.toContain('Mentor r4');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script/i);
    const md = strFromU8((await file('report-md')).bytes);
    expect(md).toContain('# Mentoring study: coding report');
    const codebook = strFromU8((await file('codebook-md')).bytes);
    expect(codebook).toContain('About Short time.');
    const json = JSON.parse(strFromU8((await file('codebook-json')).bytes));
    expect(JSON.stringify(json)).toContain('Short time');
  });

  it('answers a Word report with the report document, for the page to draw its charts and pack', async () => {
    const message = await ask({ type: 'export', kind: 'report-docx', settings: settings({ report: { ...DEFAULT_REPORT_SETTINGS, sections: ['findings'] } }) });
    if (message.type !== 'document') throw new Error(`expected a document, got ${JSON.stringify(message).slice(0, 300)}`);
    expect(message.fileName).toMatch(/-report\.docx$/);
    expect(message.document.sections.map((s) => s.id)).toEqual(['findings']);
    expect(message.document.sections[0].blocks.some((b) => b.kind === 'chart' && b.svg.startsWith('<svg'))).toBe(true);
  });

  it('exports REFI-QDA files that read back, and restores a .qdpx as a copy', async () => {
    const qdc = readQdc(strFromU8((await file('qdc')).bytes));
    expect(qdc.codes.map((c) => c.name).sort()).toEqual(['Pay', 'Short time', 'Time']);
    expect(qdc.themes.map((t) => t.name)).toEqual(['Resources']);

    const qdpx = await file('qdpx');
    expect(readQdpx(qdpx.bytes).project.answers).toHaveLength(15);

    const blob = new Blob([qdpx.bytes as Uint8Array<ArrayBuffer>]);
    const exists = (await session.handle({ type: 'import-qdpx', requestId: ++requestId, file: blob, fileName: 'study.qdpx', asCopy: false })).message;
    expect(exists).toMatchObject({ type: 'project-exists', name: 'Mentoring study' });
    const copy = (await session.handle({ type: 'import-qdpx', requestId: ++requestId, file: blob, fileName: 'study.qdpx', asCopy: true })).message;
    if (copy.type !== 'qdpx-imported') throw new Error(JSON.stringify(copy));
    expect(copy.projectId).not.toBe(projectId);
    expect(copy.name).toBe('Mentoring study (copy)');
    expect((await loadProjectOverview(db, copy.projectId))!.codes).toHaveLength(3);

    const read = await ask({ type: 'read-qdc', file: new Blob([(await file('qdc')).bytes as Uint8Array<ArrayBuffer>]), fileName: 'book.qdc' });
    expect(read).toMatchObject({ type: 'qdc', fileName: 'book.qdc' });
  });

  it('writes a .qdpx for NVivo when asked (named so, marked so), and the standard one by default', async () => {
    const standard = await file('qdpx');
    const nvivo = await file('qdpx', { qdpxOffsets: 'nvivo' });
    expect(standard.fileName).toBe('Mentoring-study.qdpx');
    expect(nvivo.fileName).toBe('Mentoring-study-for-nvivo.qdpx');
    expect(strFromU8(unzipSync(standard.bytes)['project.qde'])).toContain('origin="Codebench"');
    expect(strFromU8(unzipSync(nvivo.bytes)['project.qde'])).toContain('origin="Codebench (for NVivo)"');
    expect(readQdpx(nvivo.bytes).project.codings).toEqual(readQdpx(standard.bytes).project.codings);
  });

  it('makes a new project of a .qdc (the start page): named after the file, its codes and themes, no answers', async () => {
    const qdc = new Blob([(await file('qdc')).bytes as Uint8Array<ArrayBuffer>]);
    const made = (await session.handle({ type: 'import-qdc-project', requestId: ++requestId, file: qdc, fileName: 'Team codebook.qdc' })).message;
    if (made.type !== 'qdpx-imported') throw new Error(JSON.stringify(made));
    expect(made.name).toBe('Team codebook');
    expect(made.projectId).not.toBe(projectId);
    expect(made.report.kept).toEqual(['3 codes (2 at the top level)', '1 theme (set of codes)']);
    const overview = (await loadProjectOverview(db, made.projectId))!;
    expect(overview.codes.map((c) => c.name).sort()).toEqual(['Pay', 'Short time', 'Time']);
    expect((await loadThemes(db, made.projectId)).map((t) => t.name)).toEqual(['Resources']);
    expect(overview.questions).toEqual([]);
    const notXml = (await session.handle({ type: 'import-qdc-project', requestId: ++requestId, file: new Blob(['<Project/>']), fileName: 'x.qdc' })).message;
    expect(notXml).toMatchObject({ type: 'error' });
  });

  it('reads a .qdc saved as UTF-16 with a byte-order mark, both into a project and as a new project', async () => {
    const utf8 = strFromU8((await file('qdc')).bytes).replace(/encoding="utf-8"/i, 'encoding="UTF-16"');
    const utf16le = new Uint8Array(2 + utf8.length * 2);
    utf16le.set([0xff, 0xfe]);
    for (let i = 0; i < utf8.length; i++) {
      const unit = utf8.charCodeAt(i);
      utf16le[2 + i * 2] = unit & 0xff;
      utf16le[3 + i * 2] = unit >> 8;
    }
    const blob = () => new Blob([utf16le]);
    const read = await ask({ type: 'read-qdc', file: blob(), fileName: 'wide.qdc' });
    if (read.type !== 'qdc') throw new Error(JSON.stringify(read));
    expect(read.codes.map((c) => c.name).sort()).toEqual(['Pay', 'Short time', 'Time']);
    const made = (await session.handle({ type: 'import-qdc-project', requestId: ++requestId, file: blob(), fileName: 'Wide.qdc' })).message;
    if (made.type !== 'qdpx-imported') throw new Error(JSON.stringify(made));
    expect(made.report.kept).toEqual(['3 codes (2 at the top level)', '1 theme (set of codes)']);
  });
});

describe('the Final coding set', () => {
  const FINAL: CoderChoice = { kind: 'final' };
  const countsOf = async (version: number) => {
    const counts = await result(
      'counts',
      { type: 'counts', options: { targets: 'codes', groupBy: { kind: 'none' }, coders: FINAL, questionId: null } },
      version,
    );
    return { counts, answers: (label: string) => counts.rows.find((r) => r.label === label)!.answersCoded };
  };

  beforeEach(async () => {
    // Ben also applied Time on r2 and r4 at baseline: two disagreements with Ana. r2's is adjudicated ("second").
    const r2 = answerId(q1, base, 'r2');
    await putCodings([
      ...codings(),
      { projectId, id: 'b1', answerId: r2, codeId: 'time', coderId: 'ben', start: null, end: null, createdAt: 2 },
      { projectId, id: 'b2', answerId: answerId(q1, base, 'r4'), codeId: 'time', coderId: 'ben', start: null, end: null, createdAt: 2 },
      { projectId, id: 'c1', answerId: r2, codeId: 'short', coderId: CONSENSUS_CODER_ID, start: 0, end: 8, createdAt: 3 },
      { projectId, id: 'c2', answerId: r2, codeId: 'time', coderId: CONSENSUS_CODER_ID, start: null, end: null, createdAt: 3 },
    ]);
    await db.resolutions.put({
      projectId,
      answerId: r2,
      decision: 'second',
      coderIds: ['ana', 'ben'],
      codeIds: ['time', 'short', 'pay'],
      resolvedBy: 'Ana',
      at: 3,
    });
  });

  it('counts agreed codings plus adjudications, follows the primary on open disagreements, and says so', async () => {
    const { counts, answers } = await countsOf(1);
    // Time: r1 at both waves (one coder each) and r2 (adjudicated); r4's dispute follows Ana (Pay), as does the stray consensus coding there.
    expect([answers('Time'), answers('Short time'), answers('Pay')]).toEqual([3, 1, 2]);
    expect(counts.basis).toContain(
      'Coding set: Final — agreed codings plus 1 adjudication; 1 disagreement not yet adjudicated follow Ana (primary: first coder listed)',
    );
    // All coders together never counts the Final codings twice.
    const all = await result('counts', { type: 'counts', options: { targets: 'codes', groupBy: { kind: 'none' }, coders: ALL, questionId: null } }, 1);
    expect(all.rows.find((r) => r.label === 'Time')!.codingsTotal).toBe(4);

    await db.projects.update(projectId, { primaryCoderId: 'ben' });
    const after = await countsOf(2);
    expect([after.answers('Time'), after.answers('Short time'), after.answers('Pay')]).toEqual([4, 1, 1]);
    expect(after.counts.basis).toContain('follow Ben (primary)');
  });

  it('prepares the long CSV once idle, once per codings version, and writes the same file from what it prepared', async () => {
    const unprepared = new AnalysisSession(db, -1);
    const longFile = async (on: AnalysisSession, version: number, extra: Partial<ExportSettings> = {}) => {
      const request = { type: 'export', kind: 'long-csv', settings: settings(extra), requestId: ++requestId, projectId, version } as unknown as AnalysisRequest;
      const message = (await on.handle(request)).message;
      if (message.type !== 'file') throw new Error('expected a file');
      return new Blob([message.bytes as Blob]).text();
    };
    const expected = await longFile(unprepared, 1);

    // Idle for 0 ms: the timer prepares the project the warm-up read.
    const eager = new AnalysisSession(db, 0);
    await eager.handle({ type: 'warm', requestId: ++requestId, projectId, version: 1 } as unknown as AnalysisRequest);
    await vi.waitFor(() => expect(eager.preparedVersion(projectId)).toBe(1));
    expect(await eager.prepareIdle()).toBe(false);
    expect(await longFile(eager, 1)).toBe(expected);
    expect(await longFile(eager, 1, { respondentIds: 'raw', coders: { kind: 'coder', coderId: 'ana' } })).toBe(
      await longFile(unprepared, 1, { respondentIds: 'raw', coders: { kind: 'coder', coderId: 'ana' } }),
    );

    // A coding change: prepared again at the new version, and the file has the new coding.
    const manual = new AnalysisSession(db, -1);
    await manual.handle({ type: 'warm', requestId: ++requestId, projectId, version: 1 } as unknown as AnalysisRequest);
    expect(manual.preparedVersion(projectId)).toBeUndefined();
    // A request arriving between two steps stops it, unprepared; the next idle spell prepares it.
    const stopped = manual.prepareIdle();
    await manual.handle({ type: 'warm', requestId: ++requestId, projectId, version: 1 } as unknown as AnalysisRequest);
    expect(await stopped).toBe(false);
    expect(manual.preparedVersion(projectId)).toBeUndefined();
    expect(await manual.prepareIdle()).toBe(true);
    expect(await manual.prepareIdle()).toBe(false);
    await putCodings([...codings(), { ...codings()[0], id: 'k99', codeId: 'pay', coderId: 'ben' }]);
    await manual.handle({ type: 'warm', requestId: ++requestId, projectId, version: 2 } as unknown as AnalysisRequest);
    expect(await manual.prepareIdle()).toBe(true);
    expect(manual.preparedVersion(projectId)).toBe(2);
    const recoded = await longFile(manual, 2);
    expect(recoded).toBe(await longFile(new AnalysisSession(db, -1), 2));
    expect(recoded).not.toBe(expected);
  });

  it('exports name the Final set: the long CSV as the coder, the report in its basis', async () => {
    const long = strFromU8((await file('long-csv', { coders: FINAL })).bytes)
      .trimEnd()
      .split('\r\n');
    expect(long).toHaveLength(1 + 6);
    expect(long.slice(1).every((line) => line.split(',')[6] === 'Final (adjudicated)')).toBe(true);
    const every = strFromU8((await file('long-csv')).bytes);
    expect(every).not.toContain('Final (adjudicated)');
    const report = strFromU8((await file('report-md', { coders: FINAL })).bytes);
    expect(report).toContain('Coding set: Final — agreed codings plus 1 adjudication');
  });
});

describe('the filter bar', () => {
  async function filtered<K extends AnalysisResult['kind']>(kind: K, body: AnalysisRequestBody, filter: ViewFilter) {
    const request = { ...body, requestId: ++requestId, projectId, version: 1, filter } as unknown as AnalysisRequest;
    const message = (await session.handle(request)).message;
    if (message.type !== 'result' || message.result.kind !== kind) throw new Error(`expected a ${kind} result, got ${JSON.stringify(message).slice(0, 200)}`);
    return message.result as Extract<AnalysisResult, { kind: K }>;
  }

  it('counts only the answers of the respondents, waves and questions it keeps, and names itself', async () => {
    const options = { targets: 'codes', groupBy: { kind: 'none' }, coders: ALL, questionId: null } as const;
    const mentees: ViewFilter = { questionIds: null, waveIds: null, attributes: [{ name: 'role', values: ['mentee'] }] };
    const counts = await filtered('counts', { type: 'counts', options }, mentees);
    // Mentees r1, r3, r5: q1 at baseline (3) and 6 months (r1, r3), q2 at baseline (r1, r3, r5) and 6 months (r1, r3): 3 + 2 + 3 + 2.
    expect(counts.answersInScope).toBe(10);
    expect(counts.respondentsAnswered).toBe(3);
    expect(counts.rows.find((r) => r.label === 'Pay')).toMatchObject({ respondentsCoded: 1, answersCoded: 1 });
    expect(counts.basis).toMatch(/^Filtered to: role: mentee\. /);

    const later6: ViewFilter = { questionIds: [q1], waveIds: [later], attributes: [] };
    const laterCounts = await filtered('counts', { type: 'counts', options }, later6);
    expect(laterCounts.answersInScope).toBe(4);
    expect(laterCounts.rows.find((r) => r.label === 'Time')).toMatchObject({ respondentsCoded: 1 });
    expect(laterCounts.basis).toContain('Wave: 6 months');

    // The unfiltered project is untouched by a filtered request.
    const all = await result('counts', { type: 'counts', options });
    expect(all.answersInScope).toBe(15);
    expect(all.basis).not.toContain('Filtered');
  });

  it('leaves the report’s coding process whole: coders and agreement are the project’s, whatever the filter', async () => {
    const report = async (filter?: ViewFilter) => {
      const request = { type: 'export', kind: 'report-md', settings: settings(), requestId: ++requestId, projectId, version: 1, filter };
      const message = (await session.handle(request as unknown as AnalysisRequest)).message;
      if (message.type !== 'file') throw new Error(`expected a file, got ${JSON.stringify(message).slice(0, 300)}`);
      return strFromU8(message.bytes as Uint8Array);
    };
    const process = (md: string) => md.slice(md.indexOf('## Coding process'), md.indexOf('## Findings'));
    const whole = await report();
    const narrowed = await report({ questionIds: null, waveIds: [later], attributes: [] });
    expect(narrowed).toContain('Filter: Wave: 6 months');
    // Ana coded 4 answers (k1, k2, k4, k6), only one of them at 6 months.
    expect(process(narrowed)).toMatch(/\| Ana \| 4 \| 4 \|/);
    expect(process(narrowed)).toBe(process(whole));
  });

  it('counts a blind coder’s report process on their own whole copy, never the filtered one nor the others’ codings', async () => {
    const request = {
      type: 'export',
      kind: 'report-md',
      settings: settings({ coders: { kind: 'coder', coderId: 'ben' } }),
      requestId: ++requestId,
      projectId,
      version: 1,
      blindCoderId: 'ben',
      filter: { questionIds: null, waveIds: [base], attributes: [] },
    };
    const message = (await session.handle(request as unknown as AnalysisRequest)).message;
    if (message.type !== 'file') throw new Error(`expected a file, got ${JSON.stringify(message).slice(0, 300)}`);
    const md = strFromU8(message.bytes as Uint8Array);
    const process = md.slice(md.indexOf('## Coding process'), md.indexOf('## Findings'));
    // Ben coded k3 (baseline) and k5 (6 months): both counted, though the filter keeps Baseline only; Ana is never named.
    expect(process).toMatch(/\| Ben \| 2 \| 2 \|/);
    expect(process).not.toContain('Ana');
  });

  it('narrows exports too', async () => {
    const request = {
      type: 'export',
      kind: 'long-csv',
      settings: settings(),
      requestId: ++requestId,
      projectId,
      version: 1,
      filter: { questionIds: null, waveIds: [base], attributes: [] },
    } as unknown as AnalysisRequest;
    const message = (await session.handle(request)).message;
    if (message.type !== 'file') throw new Error('expected a file');
    expect(message.fileName).toBe('Mentoring-study-Wave-Baseline-codings.csv');
    const text = await new Blob([message.bytes as Blob]).text();
    expect(text).toContain('Baseline');
    expect(text).not.toContain('6 months');
  });
});

describe('pseudonyms under a filter', () => {
  it('number respondents among everyone, whichever view asked first', async () => {
    // No role attribute: everyone is "Respondent N", numbered across the project, so a subset would number differently.
    await saveWriteUpSettings(db, projectId, { ...emptyWriteUpSettings(), roleAttribute: null });
    const mentors: ViewFilter = { questionIds: null, waveIds: null, attributes: [{ name: 'role', values: ['mentor'] }] };
    const ask = async (filter?: ViewFilter) => {
      const request = {
        type: 'export',
        kind: 'pseudonym-key-csv',
        settings: settings(),
        requestId: ++requestId,
        projectId,
        version: 1,
        ...(filter ? { filter } : {}),
      } as unknown as AnalysisRequest;
      const message = (await session.handle(request)).message;
      if (message.type !== 'file') throw new Error(`expected a file, got ${JSON.stringify(message).slice(0, 300)}`);
      const lines = new TextDecoder()
        .decode(message.bytes as Uint8Array)
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/);
      return new Map(lines.slice(2).map((line) => [line.split(',')[0], line.split(',').at(-1)!] as [string, string]));
    };
    const filtered = await ask(mentors);
    const whole = await ask();
    // Every respondent of the project in the whole key, each with a label of their own.
    expect([...whole.keys()].sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(new Set(whole.values()).size).toBe(6);
    // A mentor reads the same in the filtered key as in the whole one.
    for (const [id, label] of filtered) expect(whole.get(id)).toBe(label);
  });
});
