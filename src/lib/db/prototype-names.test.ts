/**
 * Names people give that happen to be Object.prototype members (`__proto__`,
 * `constructor`, `toString`…) must behave as ordinary names from the survey file
 * through storage, project files, coder files and REFI-QDA, and back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyChange } from '../coding/change';
import { EXCHANGE_VERSION, PROJECT_FORMAT, readCoderFile, readProjectFile } from '../exchange';
import { buildBatch, proposePlan, readSource, type ColumnRole } from '../import';
import { answerId, type Code, type Coding, type Theme } from '../model/types';
import { longTable, projectWorkbook } from '../export';
import { AnalysisProject } from '../analysis';
import { DEFAULT_REPORT_SETTINGS } from '../export/write-up-report';
import { reportDocument } from '../export/export-file';
import { readQdpx, writeQdpx } from '../refi';
import { commitImport } from './commit-import';
import { commitChange, loadCodings } from './coding-store';
import { exportCoderFile, exportProjectFile, importCoderFile, importProjectFile, loadProjectData } from './exchange-store';
import { loadProjectOverview, loadRespondents } from './projects';
import type { CodebenchDatabase } from './schema';
import { unpackOpening } from './packed-columns';
import { freshDatabase } from './test-helpers';

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'isPrototypeOf', '__defineGetter__'];
const NAMES = [...PROTOTYPE_NAMES, 'role', 'Pair', 'Q5', 'Baseline'];

interface Survey {
  attributeNames: string[];
  questionKeys: string[];
  waveName: string;
  /** Per respondent, per attribute: the value. */
  values: string[][];
  codeNames: string[];
  coderNames: string[];
  themeNames: string[];
}

const csvCell = (text: string) => `"${text.replaceAll('"', '""')}"`;

function surveyCsv(survey: Survey): Uint8Array {
  const header = ['id', ...survey.attributeNames, ...survey.questionKeys];
  const lines = [header.map(csvCell).join(',')];
  survey.values.forEach((values, r) => {
    const answers = survey.questionKeys.map((key) => `Respondent ${r + 1} wrote a long answer about ${key}, with several words in it.`);
    lines.push([`R${r + 1}`, ...values, ...answers].map(csvCell).join(','));
  });
  return new TextEncoder().encode(lines.join('\r\n') + '\r\n');
}

/** Import the survey as a user would (every guess set to what the test means), then code it. */
async function importAndCode(db: CodebenchDatabase, survey: Survey) {
  const table = await readSource(surveyCsv(survey), 'survey.csv');
  const plan = proposePlan(table);
  plan.waveName = survey.waveName;
  const roles: ColumnRole[] = ['id', ...survey.attributeNames.map((): ColumnRole => 'attribute'), ...survey.questionKeys.map((): ColumnRole => 'question')];
  for (const column of plan.columns) {
    column.role = roles[column.index];
    column.name = table.columns[column.index].key;
  }
  const batch = buildBatch(table, plan);
  const { projectId } = await commitImport(db, batch, { kind: 'new', name: 'constructor' }, { fileName: 'survey.csv', format: 'generic' });
  const overview = (await loadProjectOverview(db, projectId))!;
  const codes: Code[] = survey.codeNames.map((name, order) => ({
    projectId,
    id: `code-${order}`,
    parentId: null,
    name,
    color: '#aa0000',
    definition: name,
    inclusion: '',
    exclusion: '',
    example: '',
    order,
  }));
  const coders = survey.coderNames.map((name, i) => ({ projectId, id: `coder-${i}`, name, color: '#2454a6' }));
  const codings: Coding[] = [];
  overview.questions.forEach((question, q) => {
    survey.values.forEach((_, r) => {
      const code = codes[(q + r) % codes.length];
      const coder = coders[r % coders.length];
      codings.push({
        projectId,
        id: `c-${q}-${r}`,
        answerId: answerId(question.id, overview.waves[0].id, `R${r + 1}`),
        codeId: code.id,
        coderId: coder.id,
        start: r % 2 ? null : 0,
        end: r % 2 ? null : 10,
        createdAt: 1,
      });
    });
  });
  const themes: Theme[] = survey.themeNames.map((name, order) => ({
    projectId,
    id: `theme-${order}`,
    name,
    description: name,
    codeIds: [codes[order % codes.length].id],
    withSubcodes: false,
    order,
  }));
  await commitChange(db, projectId, {
    label: 'set up',
    forward: { ...emptyChange(), putCodes: codes, putCodings: codings, putThemes: themes },
    inverse: { ...emptyChange(), deleteCodes: codes, deleteCodings: codings, deleteThemes: themes },
  });
  await db.coders.bulkPut(coders);
  return projectId;
}

/** What must survive, by name: every attribute value, every coding's code, coder and span, every theme. */
async function contentByName(db: CodebenchDatabase, projectId: string) {
  const overview = (await loadProjectOverview(db, projectId))!;
  const respondents = await loadRespondents(db, projectId);
  const codings = await loadCodings(db, projectId);
  const codeName = new Map(overview.codes.map((c) => [c.id, c.name]));
  const coderName = new Map(overview.coders.map((c) => [c.id, c.name]));
  const questionKey = new Map(overview.questions.map((q) => [q.id, q.key]));
  const waveName = new Map(overview.waves.map((w) => [w.id, w.name]));
  const themes = await db.themes.where('projectId').equals(projectId).toArray();
  return {
    attributes: overview.attributes.map((a) => ({ name: a.name, values: a.values })),
    respondents: respondents.ids.map((id, i) => [
      id,
      overview.attributes.map((a) => [a.name, Object.hasOwn(respondents.attributes, a.name) ? respondents.attributes[a.name][i] : undefined]),
    ]),
    questions: overview.questions.map((q) => [q.key, Object.entries(q.answerCounts).map(([wave, count]) => [waveName.get(wave), count])]),
    codes: overview.codes.map((c) => c.name).sort(),
    codings: codings
      .map((c) => {
        const [questionId, waveId, respondentId] = c.answerId.split('\u001f');
        return [questionKey.get(questionId), waveName.get(waveId), respondentId, codeName.get(c.codeId), coderName.get(c.coderId), c.start, c.end].join('|');
      })
      .sort(),
    themes: themes.map((t) => [t.name, t.codeIds.map((id) => codeName.get(id))]).sort(),
  };
}

function expected(survey: Survey) {
  return {
    attributes: survey.attributeNames.map((name, a) => ({ name, values: [...new Set(survey.values.map((v) => v[a]))] })),
    respondents: survey.values.map((values, r) => [`R${r + 1}`, survey.attributeNames.map((name, a) => [name, values[a]])]),
    questions: survey.questionKeys.map((key) => [key, [[survey.waveName, survey.values.length]]]),
  };
}

describe('names that are Object.prototype members', () => {
  const example: Survey = {
    attributeNames: ['__proto__', 'constructor', 'toString'],
    questionKeys: ['valueOf', 'hasOwnProperty'],
    waveName: 'constructor',
    values: [
      ['__proto__', 'toString', 'constructor'],
      ['valueOf', '__proto__', 'prototype'],
    ],
    codeNames: ['__proto__', 'constructor'],
    coderNames: ['toString', '__proto__'],
    themeNames: ['hasOwnProperty', '__proto__'],
  };

  it('are imported and stored as ordinary names', async () => {
    const db = freshDatabase();
    const projectId = await importAndCode(db, example);
    expect(await contentByName(db, projectId)).toMatchObject(expected(example));
  });

  it('hand a new project its opening with every attribute column', async () => {
    const db = freshDatabase();
    const table = await readSource(surveyCsv(example), 'survey.csv');
    const plan = proposePlan(table);
    plan.columns.forEach((c) => (c.role = c.index === 0 ? 'id' : c.index <= 3 ? 'attribute' : 'question'));
    const summary = await commitImport(db, buildBatch(table, plan), { kind: 'new', name: 'S' }, { fileName: 'survey.csv', format: 'generic' });
    const opening = unpackOpening(summary.opening!);
    expect(Object.keys(opening.respondents.attributes)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(opening.respondents.attributes['__proto__']).toEqual(['__proto__', 'valueOf']);
    expect(Object.getOwnPropertyNames(unpackOpening(structuredClone(summary.opening!)).respondents.attributes)).toEqual([
      '__proto__',
      'constructor',
      'toString',
    ]);
  });

  it('survive a project file, a coder file and a REFI-QDA project', async () => {
    await roundTrips(example);
  });
});

const name = fc.constantFrom(...NAMES);
const names = (min: number, max: number) => fc.uniqueArray(name, { minLength: min, maxLength: max });

const surveys: fc.Arbitrary<Survey> = fc
  .record({
    columns: fc.uniqueArray(name, { minLength: 2, maxLength: 7 }),
    attributeCount: fc.nat(),
    waveName: name,
    respondentCount: fc.integer({ min: 1, max: 4 }),
    codeNames: names(1, 4),
    coderNames: names(1, 3),
    themeNames: names(0, 3),
  })
  .chain((drawn) => {
    // At least one question; the other columns are attributes.
    const attributeCount = drawn.attributeCount % drawn.columns.length;
    const attributeNames = drawn.columns.slice(0, attributeCount);
    return fc
      .array(fc.array(name, { minLength: attributeCount, maxLength: attributeCount }), { minLength: drawn.respondentCount, maxLength: drawn.respondentCount })
      .map((values) => ({
        attributeNames,
        questionKeys: drawn.columns.slice(attributeCount),
        waveName: drawn.waveName,
        values,
        codeNames: drawn.codeNames,
        coderNames: drawn.coderNames,
        themeNames: drawn.themeNames,
      }));
  });

describe('any mix of prototype and ordinary names', () => {
  it('survives import, storage, project and coder files and REFI-QDA', async () => {
    await fc.assert(fc.asyncProperty(surveys, roundTrips), { numRuns: 20 });
    // Each run writes four databases; the outcome does not depend on how fast that is.
  }, 180_000);
});

async function roundTrips(survey: Survey) {
  const db = freshDatabase();
  const projectId = await importAndCode(db, survey);
  const original = await contentByName(db, projectId);
  expect(original).toMatchObject(expected(survey));

  const restored = freshDatabase();
  await importProjectFile(restored, readProjectFile(await exportProjectFile(db, projectId)));
  expect(await contentByName(restored, projectId)).toEqual(original);

  // A second copy that lost one coder's codings gets them back from that coder's file.
  const second = freshDatabase();
  const file = readProjectFile(await exportProjectFile(db, projectId));
  const coder = file.coders[0];
  await importProjectFile(second, { ...file, codings: file.codings.filter((c) => c.coderId !== coder.id) });
  const coderFile = readCoderFile(await exportCoderFile(db, projectId, coder));
  await importCoderFile(second, projectId, coderFile);
  expect(await contentByName(second, projectId)).toEqual(original);

  const data = await loadProjectData(db, projectId);
  exportsAgree(data, survey);
  const { project } = readQdpx(writeQdpx({ format: PROJECT_FORMAT, version: EXCHANGE_VERSION, ...data }));
  const fromRefi = freshDatabase();
  const { projectId: refiId } = await importProjectFile(fromRefi, project);
  expect(await contentByName(fromRefi, refiId)).toEqual(original);
  exportsAgree(await loadProjectData(fromRefi, refiId), survey);
}

/** The long table carries every respondent's own values; the workbook and the report are written. */
function exportsAgree(data: Awaited<ReturnType<typeof loadProjectData>>, survey: Survey) {
  const n = survey.attributeNames.length;
  const long = longTable(data);
  expect(long.header.slice(1, 1 + n)).toEqual(survey.attributeNames);
  const byRespondent = new Map([...long.rows].map((row) => [row[0], row.slice(1, 1 + n)]));
  survey.values.forEach((values, r) => expect(byRespondent.get(`R${r + 1}`)).toEqual(values));
  expect(projectWorkbook(data).length).toBeGreaterThan(0);
  const all = { kind: 'all' } as const;
  const report = JSON.stringify(
    reportDocument(new AnalysisProject(data.project.id, 0, data), {
      coders: all,
      includeSubcodes: false,
      bom: false,
      counts: { targets: 'codes', groupBy: { kind: 'none' }, coders: all, questionId: null },
      crosstab: { targets: 'codes', attribute: '', unit: 'respondents', percentOf: 'answered', coders: all, questionId: null },
      attributionAttribute: survey.attributeNames[0],
      report: { ...DEFAULT_REPORT_SETTINGS, dimensions: [{ kind: 'attribute', name: survey.attributeNames[0] }] },
    }),
  );
  expect(report).not.toContain('[native code]');
}
