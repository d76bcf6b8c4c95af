/**
 * The exports of issue 13, part 6, through the analysis worker's request
 * handling over a small project in fake-indexeddb: the respondent × code table
 * with its dictionary, CSVs with and without formula neutralising, the
 * workbook's verbatim text, and report charts with plain labels and intervals.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { commitImport } from '../../src/lib/db/commit-import';
import { freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import { loadProjectOverview } from '../../src/lib/db/projects';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { answerId, CONSENSUS_CODER_ID, type Code, type Coding } from '../../src/lib/model/types';
import { parseCsv } from '../../src/lib/export/test-data';
import { readCells } from '../../src/lib/export/xlsx-test-helpers';
import { AnalysisSession } from '../../src/workers/analysis-handler';
import type { AnalysisRequest, AnalysisRequestBody, CoderChoice, ExportKind, ExportSettings, FromAnalysisWorker } from '../../src/workers/analysis-protocol';

let db: CodebenchDatabase;
let session: AnalysisSession;
let projectId = '';
let q1 = '';
let base = '';
let later = '';
let requestId = 0;
const ALL: CoderChoice = { kind: 'all' };
const HOSTILE = '-2+3 meetings a month';

function code(id: string, name: string, parentId: string | null, order: number): Code {
  return { projectId, id, parentId, name, color: '#336699', definition: `About ${name}.`, inclusion: '', exclusion: '', example: '', order };
}

/** The codings of analysis-handler.test.ts: Time (Short time under it) and Pay, by Ana, Ben and the consensus coder. */
function codings(): Coding[] {
  let n = 0;
  const c = (respondent: string, wave: string, codeId: string, coderId: string): Coding => ({
    projectId,
    id: `k${++n}`,
    answerId: answerId(q1, wave, respondent),
    codeId,
    coderId,
    start: null,
    end: null,
    createdAt: 1,
  });
  return [
    c('r1', base, 'time', 'ana'),
    c('r2', base, 'short', 'ana'),
    c('r2', base, 'short', 'ben'),
    c('r3', later, 'pay', 'ana'),
    c('r1', later, 'time', 'ben'),
    c('r4', base, 'pay', 'ana'),
    c('r4', base, 'time', CONSENSUS_CODER_ID),
  ];
}

beforeEach(async () => {
  db = freshDatabase();
  session = new AnalysisSession(db);
  const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
  const batch = smallBatch('Baseline', ids);
  // r2's baseline answer starts like a formula.
  batch.answers[0] = { ...batch.answers[0], texts: ids.map((id) => (id === 'r2' ? HOSTILE : `Baseline answer of ${id}`)) };
  const first = await commitImport(db, batch, { kind: 'new', name: 'Mentoring study' }, { fileName: 'a.csv', format: 'generic' });
  projectId = first.projectId;
  await commitImport(db, smallBatch('6 months', ['r1', 'r2', 'r3', 'r4']), { kind: 'existing', projectId }, { fileName: 'b.csv', format: 'generic' });
  const overview = (await loadProjectOverview(db, projectId))!;
  q1 = overview.questions.find((q) => q.key === 'q1')!.id;
  base = overview.waves.find((w) => w.name === 'Baseline')!.id;
  later = overview.waves.find((w) => w.name === '6 months')!.id;
  await db.codes.bulkPut([code('time', 'Time', null, 0), code('short', 'Short time', 'time', 0), code('pay', 'Pay', null, 1)]);
  await db.coders.bulkPut([
    { projectId, id: 'ana', name: 'Ana', color: '#000000' },
    { projectId, id: 'ben', name: 'Ben', color: '#000000' },
    { projectId, id: CONSENSUS_CODER_ID, name: 'Consensus', color: '#555555' },
  ]);
  await db.themes.put({ projectId, id: 'th1', name: 'Resources', description: 'Time and money.', codeIds: ['time', 'pay'], withSubcodes: true, order: 0 });
  const pages = groupByPage(codings());
  await db.codingPages.bulkPut([...pages].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));
});

async function ask(body: AnalysisRequestBody): Promise<FromAnalysisWorker> {
  const request = { ...body, requestId: ++requestId, projectId, version: 1 } as unknown as AnalysisRequest;
  return (await session.handle(request)).message;
}

function settings(extra: Partial<ExportSettings> = {}): ExportSettings {
  return {
    coders: ALL,
    includeSubcodes: false,
    bom: false,
    counts: { targets: 'codes', groupBy: { kind: 'none' }, coders: ALL, questionId: null },
    crosstab: { targets: 'codes', attribute: 'role', unit: 'respondents', percentOf: 'answered', coders: ALL, questionId: null },
    attributionAttribute: 'role',
    // The tables' contents are checked by respondent ID; pseudonyms (the default) are checked below.
    respondentIds: 'raw',
    ...extra,
  };
}

async function file(kind: ExportKind, extra: Partial<ExportSettings> = {}) {
  const message = await ask({ type: 'export', kind, settings: settings(extra) });
  if (message.type !== 'file') throw new Error(`expected a file, got ${JSON.stringify(message).slice(0, 300)}`);
  // The long CSV comes as a Blob (written piece by piece), the rest as bytes.
  return { ...message, bytes: message.bytes instanceof Blob ? new Uint8Array(await message.bytes.arrayBuffer()) : message.bytes };
}

describe('the respondent × code table', () => {
  it('downloads as a zip of the table, its dictionary and a read-me', async () => {
    const zip = await file('respondent-matrix-csv');
    expect(zip.fileName).toBe('Mentoring-study-respondents-by-code.zip');
    expect(zip.mime).toBe('application/zip');
    const entries = unzipSync(zip.bytes);
    expect(Object.keys(entries).sort()).toEqual([
      'Mentoring-study-respondents-by-code-dictionary.csv',
      'Mentoring-study-respondents-by-code.csv',
      'README.txt',
    ]);
    const table = parseCsv(strFromU8(entries['Mentoring-study-respondents-by-code.csv']));
    expect(table[0]).toEqual(['respondent', 'wave', 'wave_number', 'role', 'n_answered', 'code_time', 'code_time_short_time', 'code_pay', 'theme_resources']);
    expect(table.slice(1).map((r) => r.join(' '))).toEqual([
      'r1 Baseline 1 mentee 2 1 0 0 1',
      'r1 6 months 2 mentee 2 1 0 0 1',
      'r2 Baseline 1 mentor 1 0 1 0 1',
      'r2 6 months 2 mentor 1 0 0 0 0',
      'r3 Baseline 1 mentee 2 0 0 0 0',
      'r3 6 months 2 mentee 2 0 0 1 1',
      // r4's Time is the consensus coder's only: "all coders" leaves it out.
      'r4 Baseline 1 mentor 1 0 0 1 1',
      'r4 6 months 2 mentor 1 0 0 0 0',
      'r5 Baseline 1 mentee 2 0 0 0 0',
      // r5 and r6 were not in the 6-month wave: blank, not 0.
      'r5 6 months 2 mentee 0    ',
      'r6 Baseline 1 mentor 1 0 0 0 0',
      'r6 6 months 2 mentor 0    ',
    ]);
    const dictionary = parseCsv(strFromU8(entries['Mentoring-study-respondents-by-code-dictionary.csv']));
    expect(dictionary[0]).toEqual(['column', 'label', 'kind', 'values', 'coding set']);
    expect(dictionary.map((r) => r[0])).toEqual(['column', ...table[0]]);
    expect(dictionary.find((r) => r[0] === 'code_time_short_time')).toEqual([
      'code_time_short_time',
      'Time › Short time',
      'code',
      '0 = not coded, 1 = coded; blank = answered no question in scope in this wave',
      'any coder (the consensus coder left out)',
    ]);
    expect(strFromU8(entries['README.txt'])).toContain('blank where the respondent answered none');
  });

  it('uses the chosen coding set, with subcodes when asked', async () => {
    const zip = await file('respondent-matrix-csv', { coders: { kind: 'consensus' }, includeSubcodes: true });
    const entries = unzipSync(zip.bytes);
    const table = parseCsv(strFromU8(entries['Mentoring-study-respondents-by-code.csv']));
    expect(table[7].join(' ')).toBe('r4 Baseline 1 mentor 1 1 0 0 1');
    const dictionary = parseCsv(strFromU8(entries['Mentoring-study-respondents-by-code-dictionary.csv']));
    expect(dictionary.find((r) => r[0] === 'code_time')?.slice(1, 2)).toEqual(['Time (or any of its subcodes)']);
    expect(dictionary.find((r) => r[0] === 'code_time')?.[4]).toBe('the consensus (adjudicated) codings');
  });

  it('obeys the filter bar, and says so in the read-me', async () => {
    const request = {
      type: 'export',
      kind: 'respondent-matrix-csv',
      settings: settings(),
      requestId: ++requestId,
      projectId,
      version: 1,
      filter: { questionIds: null, waveIds: [later], attributes: [{ name: 'role', values: ['mentee'] }] },
    } as unknown as AnalysisRequest;
    const message = (await session.handle(request)).message;
    if (message.type !== 'file') throw new Error(`expected a file, got ${JSON.stringify(message).slice(0, 300)}`);
    expect(message.fileName).toBe('Mentoring-study-Wave-6-months-role-mentee-respondents-by-code.zip');
    const entries = unzipSync(message.bytes as Uint8Array);
    const table = parseCsv(strFromU8(entries['Mentoring-study-Wave-6-months-role-mentee-respondents-by-code.csv']));
    expect(table.slice(1).map((r) => r.join(' '))).toEqual(['r1 6 months 2 mentee 2 1 0 0 1', 'r3 6 months 2 mentee 2 0 0 1 1', 'r5 6 months 2 mentee 0    ']);
    expect(strFromU8(entries['README.txt'])).toContain('Filtered to: Wave: 6 months · role: mentee.');
    const whole = unzipSync((await file('respondent-matrix-csv')).bytes);
    expect(strFromU8(whole['README.txt'])).not.toContain('Filtered to');
  });

  it('names respondents by their pseudonyms unless raw IDs are asked for', async () => {
    const entries = unzipSync((await file('respondent-matrix-csv', { respondentIds: 'pseudonyms' })).bytes);
    const table = parseCsv(strFromU8(entries['Mentoring-study-respondents-by-code.csv']));
    expect(table.slice(1, 3).map((r) => r[0])).toEqual(['Mentee 1', 'Mentee 1']);
    expect(table.flat()).not.toContain('r1');
  });
});

describe('text kept exact', () => {
  it('neutralises formulas in CSV by default, and writes them verbatim in a "-raw.csv" when asked', async () => {
    const guarded = await file('wide-csv');
    expect(guarded.fileName).toBe('Mentoring-study-answers-by-code.csv');
    expect(parseCsv(strFromU8(guarded.bytes)).map((r) => r[4])).toContain(`'${HOSTILE}`);
    const raw = await file('wide-csv', { neutraliseFormulas: false });
    expect(raw.fileName).toBe('Mentoring-study-answers-by-code-raw.csv');
    expect(parseCsv(strFromU8(raw.bytes)).map((r) => r[4])).toContain(HOSTILE);
    expect((await file('long-csv', { neutraliseFormulas: false })).fileName).toBe('Mentoring-study-codings-raw.csv');
    expect((await file('counts-csv', { neutraliseFormulas: false })).fileName).toBe('Mentoring-study-counts-raw.csv');
    expect((await file('crosstab-csv', { neutraliseFormulas: false })).fileName).toBe('Mentoring-study-crosstab-role-raw.csv');
    const zip = unzipSync((await file('respondent-matrix-csv', { neutraliseFormulas: false })).bytes);
    expect(Object.keys(zip)).toContain('Mentoring-study-respondents-by-code-raw.csv');
  });

  it('writes the text verbatim in the workbook, as a string with the quote-prefix style', async () => {
    const entries = unzipSync((await file('xlsx')).bytes);
    const answers = strFromU8(entries['xl/worksheets/sheet2.xml']);
    const cell = readCells(answers).find((c) => c.value === HOSTILE);
    expect(cell).toMatchObject({ type: 'inlineStr', style: '2' });
    expect(answers).not.toContain(`'${HOSTILE}`);
    expect(answers).not.toMatch(/<f[\s>]/);
  });
});

describe('report charts', () => {
  it('label codes by name alone and draw 95% intervals', async () => {
    const html = strFromU8((await file('report-html')).bytes);
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    // One chart per theme (or top-level code) in the report's findings.
    expect(svgs.length).toBeGreaterThanOrEqual(1);
    for (const svg of svgs) expect(svg).not.toContain('(with subcodes)');
    expect(svgs[0]).toContain('class="error-bar"');
    expect(svgs[0]).toContain('95% confidence interval (Wilson)');
    expect(html).toContain('error bars: 95% confidence intervals (Wilson)');
  });
});
