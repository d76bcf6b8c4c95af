/**
 * The write-up requests (prevalence, pairs, transitions and their cells)
 * through the analysis worker's handler over fake-indexeddb, on the AIMMS-like
 * study of src/lib/analysis/aimms-fixture.ts imported as two survey files: the
 * numbers are the ones counted by hand in the pure modules' tests, now with the
 * labels, method text and filter the page shows.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AIMMS_CODES, AIMMS_TABLE, AIMMS_THEMES, aimmsInput } from '../../src/lib/analysis/aimms-fixture';
import { methodText } from '../../src/lib/analysis';
import { defaultDimensions } from '../../src/lib/analysis/default-dimensions';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { commitImport } from '../../src/lib/db/commit-import';
import { loadProjectOverview } from '../../src/lib/db/projects';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { freshDatabase } from '../../src/lib/db/test-helpers';
import type { ImportBatch } from '../../src/lib/import/types';
import { ANSWER_ID_SEPARATOR, answerId, type Coding } from '../../src/lib/model/types';
import { AnalysisSession } from '../../src/workers/analysis-handler';
import type { AnalysisRequest, AnalysisRequestBody, AnalysisResult, CoderChoice, FromAnalysisWorker } from '../../src/workers/analysis-protocol';

let db: CodebenchDatabase;
let session: AnalysisSession;
let projectId = '';
let requestId = 0;
/** Fixture id → stored id, for waves and questions. */
const ids: Record<string, string> = {};
const ALL: CoderChoice = { kind: 'all' };
const fixture = aimmsInput();

function batch(waveName: string, column: 3 | 4): ImportBatch {
  const rows = AIMMS_TABLE.filter((row) => row[column] !== '-');
  const respondentIds = rows.map((row) => row[0]);
  const q2 = column === 3 ? respondentIds.filter((id) => /^E\d[13579]$/.test(id)) : [];
  return {
    waves: [{ name: waveName, rowCount: rows.length }],
    questions: [
      { key: 'Q1', label: 'What helped?', text: 'What helped you most?' },
      { key: 'Q2', label: 'What was hard?', text: 'What was hard?' },
    ],
    attributes: ['role', 'pair', 'weight'],
    respondents: respondentIds.map((id) => ({
      id,
      attributes: Object.fromEntries(['role', 'pair', 'weight'].map((name) => [name, fixture.attributeOf(id, name)]).filter(([, v]) => v !== '')),
      waves: [waveName],
    })),
    answers: [
      { questionKey: 'Q1', waveName, respondentIds, texts: respondentIds.map((id) => `${id} at ${waveName}, Q1`) },
      ...(q2.length > 0 ? [{ questionKey: 'Q2', waveName, respondentIds: q2, texts: q2.map((id) => `${id} at ${waveName}, Q2`) }] : []),
    ],
    blankAnswerCount: respondentIds.length * 2 - respondentIds.length - q2.length,
  };
}

/** A fixture answer id ("Q1␟base␟E01") as stored. */
function stored(fixtureAnswerId: string): string {
  const [q, w, r] = fixtureAnswerId.split(ANSWER_ID_SEPARATOR);
  return answerId(ids[q], ids[w], r);
}
const aid = (r: string, q: string, w: string) => answerId(ids[q], ids[w], r);

beforeEach(async () => {
  db = freshDatabase();
  session = new AnalysisSession(db);
  const first = await commitImport(db, batch('Baseline', 3), { kind: 'new', name: 'AIMMS-like study' }, { fileName: 'baseline.csv', format: 'generic' });
  projectId = first.projectId;
  await commitImport(db, batch('6 months', 4), { kind: 'existing', projectId }, { fileName: 'six-months.csv', format: 'generic' });
  const overview = (await loadProjectOverview(db, projectId))!;
  for (const q of overview.questions) ids[q.key] = q.id;
  ids.base = overview.waves.find((w) => w.name === 'Baseline')!.id;
  ids.m6 = overview.waves.find((w) => w.name === '6 months')!.id;
  await db.codes.bulkPut(AIMMS_CODES.map((c) => ({ ...c, projectId })));
  await db.themes.bulkPut(AIMMS_THEMES.map((t) => ({ ...t, projectId })));
  await db.coders.bulkPut([
    { projectId, id: 'alice', name: 'Alice', color: '#000000' },
    { projectId, id: 'bob', name: 'Bob', color: '#000000' },
  ]);
  const codings: Coding[] = [...fixture.codings].map((c) => ({ ...c, projectId, answerId: stored(c.answerId) }));
  await db.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));
});

async function ask(body: AnalysisRequestBody, extra: Partial<AnalysisRequest> = {}): Promise<FromAnalysisWorker> {
  const request = { ...body, requestId: ++requestId, projectId, version: 1, ...extra } as unknown as AnalysisRequest;
  return (await session.handle(request)).message;
}

async function result<K extends AnalysisResult['kind']>(
  kind: K,
  body: AnalysisRequestBody,
  extra: Partial<AnalysisRequest> = {},
): Promise<Extract<AnalysisResult, { kind: K }>> {
  const message = await ask(body, extra);
  if (message.type === 'error') throw new Error(message.message);
  if (message.type !== 'result' || message.result.kind !== kind) throw new Error(`expected a ${kind} result, got ${JSON.stringify(message).slice(0, 200)}`);
  return message.result as Extract<AnalysisResult, { kind: K }>;
}

async function error(body: AnalysisRequestBody): Promise<string> {
  const message = await ask(body);
  if (message.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(message).slice(0, 200)}`);
  return message.message;
}

const counts = (cells: { count: number; base: number }[]) => cells.map((c) => `${c.count}/${c.base}`);
const ROLE_BY_WAVE = [{ kind: 'attribute' as const, name: 'role' }, { kind: 'wave' as const }];

describe('prevalence', () => {
  it('worked out ahead by a background warm-up (role × wave, the defaults), is the same table', async () => {
    const options = { targets: 'codes' as const, coders: ALL, questionId: null, unit: 'respondents' as const, dimensions: ROLE_BY_WAVE };
    expect(
      defaultDimensions({
        attributes: [
          { name: 'weight', order: 2 },
          { name: 'role', order: 0 },
        ],
        waves: [1, 2],
      }),
    ).toEqual(ROLE_BY_WAVE);
    const cold = await result('prevalence', { type: 'prevalence', options });
    session = new AnalysisSession(db);
    await result('warm', { type: 'warm', background: true });
    const ahead = await result('prevalence', { type: 'prevalence', options });
    expect(ahead).toEqual(cold);
    for (const unit of ['answers', 'respondents'] as const) {
      const fresh = new AnalysisSession(db);
      const other = (
        await fresh.handle({ type: 'prevalence', options: { ...options, unit }, requestId: ++requestId, projectId, version: 1 } as unknown as AnalysisRequest)
      ).message;
      expect(await result('prevalence', { type: 'prevalence', options: { ...options, unit } })).toEqual((other as { result: unknown }).result);
    }
  });

  it('role × wave: counts, labels, differences and the method text', async () => {
    const t = await result('prevalence', {
      type: 'prevalence',
      options: { targets: 'codes', coders: ALL, questionId: null, unit: 'respondents', dimensions: ROLE_BY_WAVE },
    });
    expect(t.dimensionLabels).toEqual(['role', 'Wave']);
    expect(t.columns.map((c) => c.labels.join(' · '))).toEqual(['Mentee · Baseline', 'Mentee · 6 months', 'Mentor · Baseline', 'Mentor · 6 months']);
    expect(t.columns.map((c) => c.values)).toEqual([
      ['Mentee', ids.base],
      ['Mentee', ids.m6],
      ['Mentor', ids.base],
      ['Mentor', ids.m6],
    ]);
    const support = t.rows.find((r) => r.label === 'Support')!;
    expect(counts(support.cells)).toEqual(['8/17', '6/12', '6/16', '8/16']);
    expect(support.total).toMatchObject({ count: 21, base: 34 });
    expect(t.comparisons.map((c) => c.label)).toEqual(['Mentee: 6 months − Baseline', 'Mentor: 6 months − Baseline']);
    // Rewards itself is never coded (only its subcode Career is).
    expect(t.hiddenEmptyRows).toBe(1);
    expect(t.method).toContain(methodText().wilson);
    expect(t.method).toContain('treats the two groups as independent');
    expect(t.basis).toContain('every question');
    expect(t.filterLabel).toBe('');
  });

  it('obeys the filter bar (the envelope’s filter) and names it', async () => {
    const t = await result(
      'prevalence',
      {
        type: 'prevalence',
        options: { targets: 'codes', coders: ALL, questionId: null, unit: 'respondents', dimensions: [{ kind: 'attribute', name: 'role' }] },
      },
      { filter: { questionIds: null, waveIds: [ids.m6], attributes: [{ name: 'role', values: ['Mentee'] }] } },
    );
    expect(t.columns.map((c) => c.labels)).toEqual([['Mentee']]);
    expect(counts(t.rows.find((r) => r.label === 'Support')!.cells)).toEqual(['6/12']);
    expect(t.filterLabel).toBe('Wave: 6 months · role: Mentee');
    expect(t.basis).toMatch(/^Filtered to: Wave: 6 months · role: Mentee\. /);
    const pairs = await result(
      'dyads',
      { type: 'dyads', options: { targets: 'codes', coders: ALL, questionId: null, groupAttribute: 'pair', roleAttribute: 'role' } },
      { filter: { questionIds: null, waveIds: [ids.base], attributes: [] } },
    );
    // Baseline only: M16 answered at 6 months only, so Pair 16 has one member.
    expect([pairs.groups, pairs.singletons]).toEqual([15, 2]);
    expect(pairs.filterLabel).toBe('Wave: Baseline');
  });

  it('weights by a numeric attribute, and says which', async () => {
    const t = await result('prevalence', {
      type: 'prevalence',
      options: {
        targets: 'codes',
        coders: ALL,
        questionId: null,
        unit: 'respondents',
        dimensions: [{ kind: 'attribute', name: 'role' }],
        weightAttribute: 'weight',
      },
    });
    expect(t.weighted).toBe(true);
    expect(t.rows.find((r) => r.label === 'Support')!.cells[0].weighted!.estimate).toBeCloseTo(10.5 / 16.5, 12);
    expect(t.basis).toContain('Weighted by “weight”.');
    expect(t.method).toContain('Kish');
  });

  it('refuses a weight that is not a number with the respondent named, as it is', async () => {
    const message = await error({
      type: 'prevalence',
      options: { targets: 'codes', coders: ALL, questionId: null, unit: 'respondents', dimensions: [], weightAttribute: 'pair' },
    });
    expect(message).toMatch(/^Respondent E01 has the weight "Pair 1" in "pair", which is not a number\. .*choose another weight column\.$/);
  });

  it('refuses an attribute the project does not have', async () => {
    expect(
      await error({
        type: 'prevalence',
        options: { targets: 'codes', coders: ALL, questionId: null, unit: 'respondents', dimensions: [{ kind: 'attribute', name: 'site' }] },
      }),
    ).toBe('The project has no attribute “site”: choose another one for the columns.');
  });

  it('opens a cell and the total column', async () => {
    const cell = await result('answers', {
      type: 'answers',
      select: {
        kind: 'prevalence-cell',
        target: { kind: 'code', codeId: 'S' },
        dimensions: ROLE_BY_WAVE,
        values: ['Mentor', ids.m6],
        coders: ALL,
        questionId: null,
      },
      offset: 0,
      limit: 50,
    });
    expect(cell.rows.map((r) => r.respondentId)).toEqual(['M01', 'M02', 'M07', 'M09', 'M11', 'M12', 'M15', 'M16']);
    expect(cell.rows[0]).toMatchObject({ waveName: '6 months', questionLabel: 'What helped?', text: 'M01 at 6 months, Q1' });
    const total = await result('answers', {
      type: 'answers',
      select: { kind: 'prevalence-cell', target: { kind: 'code', codeId: 'T' }, dimensions: ROLE_BY_WAVE, values: null, coders: ALL, questionId: null },
      offset: 0,
      limit: 50,
    });
    expect(total.total).toBe(4);
  });

  it('in blind mode counts only the blind coder’s codings, whatever the options say', async () => {
    const t = await result(
      'prevalence',
      { type: 'prevalence', options: { targets: 'codes', coders: ALL, questionId: null, unit: 'respondents', dimensions: ROLE_BY_WAVE } },
      { blindCoderId: 'bob' },
    );
    expect(t.rows.map((r) => r.label)).toEqual(['Time']);
    expect(counts(t.rows[0].cells)).toEqual(['0/17', '0/12', '0/16', '1/16']);
  });
});

describe('pairs', () => {
  it('counts pair concordance with roles, and says what was left out', async () => {
    const t = await result('dyads', {
      type: 'dyads',
      options: { targets: 'codes', coders: ALL, questionId: null, groupAttribute: 'pair', roleAttribute: 'role' },
    });
    expect([t.groups, t.singletons, t.withoutGroup, t.roles]).toEqual([16, 1, 1, ['Mentee', 'Mentor']]);
    const support = t.rows.find((r) => r.label === 'Support')!;
    expect(support.roles).toEqual({ both: 6, onlyA: 4, onlyB: 4, neither: 2, pairs: 16 });
    expect(t.basis).toContain('Left out: 1 group has one member who answered; 1 respondent has no “pair”.');
    expect(t.basis).toContain('agreement is both plus neither');
  });

  it('refuses the same attribute for groups and roles', async () => {
    expect(await error({ type: 'dyads', options: { targets: 'codes', coders: ALL, questionId: null, groupAttribute: 'pair', roleAttribute: 'pair' } })).toMatch(
      /another attribute/,
    );
  });

  it('opens a cell: the answers of the pairs where neither mentioned Support', async () => {
    const cell = await result('answers', {
      type: 'answers',
      select: {
        kind: 'dyad-cell',
        target: { kind: 'code', codeId: 'S' },
        groupAttribute: 'pair',
        roleAttribute: 'role',
        cell: 'neither',
        coders: ALL,
        questionId: null,
      },
      offset: 0,
      limit: 50,
    });
    expect(cell.rows.map((r) => `${r.respondentId} ${r.waveName}`)).toEqual([
      'E08 Baseline',
      'E14 Baseline',
      'M08 Baseline',
      'M14 Baseline',
      'E08 6 months',
      'M08 6 months',
      'M14 6 months',
    ]);
  });
});

describe('transitions', () => {
  it('splits change from baseline to 6 months by role', async () => {
    const t = await result('transitions', {
      type: 'transitions',
      options: { targets: 'codes', coders: ALL, questionId: null, waveA: ids.base, waveB: ids.m6, splitBy: 'role' },
    });
    expect([t.waveAName, t.waveBName]).toEqual(['Baseline', '6 months']);
    expect(t.splitLabels).toEqual(['Mentee', 'Mentor']);
    const support = t.rows.find((r) => r.label === 'Support')!;
    expect(support.groups).toEqual([
      { answeredBoth: 12, kept: 3, gained: 3, lost: 2, never: 4 },
      { answeredBoth: 15, kept: 4, gained: 3, lost: 2, never: 6 },
    ]);
    expect(t.basis).toContain('gained: in 6 months only');
  });

  it('refuses the same wave twice', async () => {
    expect(
      await error({ type: 'transitions', options: { targets: 'codes', coders: ALL, questionId: null, waveA: ids.base, waveB: ids.base, splitBy: null } }),
    ).toBe('Choose two different waves to compare.');
  });

  it('says when the filter leaves out a wave it compares', async () => {
    const message = await ask(
      { type: 'transitions', options: { targets: 'codes', coders: ALL, questionId: null, waveA: ids.base, waveB: ids.m6, splitBy: null } },
      { filter: { questionIds: null, waveIds: [ids.m6], attributes: [] } },
    );
    expect(message).toMatchObject({
      type: 'error',
      message: 'The filter leaves out a wave this table compares: add both waves to the filter, or choose other waves.',
    });
  });

  it('opens a cell as pairs, paged by respondent, each with their baseline and 6-month answers', async () => {
    const select = {
      kind: 'transition-cell' as const,
      target: { kind: 'code' as const, codeId: 'S' },
      waveA: ids.base,
      waveB: ids.m6,
      splitBy: 'role',
      splitValue: 'Mentee',
      group: 'gained' as const,
      coders: ALL,
      questionId: null,
    };
    const page = await result('answers', { type: 'answers', select, offset: 0, limit: 2 });
    expect(page.total).toBe(3);
    expect(page.pairs).toEqual([
      { respondentId: 'E05', answerIdsA: [aid('E05', 'Q1', 'base'), aid('E05', 'Q2', 'base')], answerIdsB: [aid('E05', 'Q1', 'm6')] },
      { respondentId: 'E07', answerIdsA: [aid('E07', 'Q1', 'base'), aid('E07', 'Q2', 'base')], answerIdsB: [aid('E07', 'Q1', 'm6')] },
    ]);
    expect(page.rows.map((r) => r.text)).toEqual([
      'E05 at Baseline, Q1',
      'E05 at Baseline, Q2',
      'E05 at 6 months, Q1',
      'E07 at Baseline, Q1',
      'E07 at Baseline, Q2',
      'E07 at 6 months, Q1',
    ]);
    const rest = await result('answers', { type: 'answers', select, offset: 2, limit: 2 });
    expect(rest.pairs!.map((p) => p.respondentId)).toEqual(['E10']);
  });
});
