/**
 * Every real survey export in ../shared/real-files/survey/ (see its README)
 * run as the import worker runs it: readSource → proposePlan → validatePlan →
 * buildBatch, asserting what a user of that file needs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBatch } from './build-batch';
import { nothingToCodeNote, proposePlan, validatePlan } from './propose-plan';
import { readSource } from './read-source';
import type { ColumnPlan, ImportPlan, SourceTable } from './types';

const NO_QUESTION = 'Choose at least one question column: the open-text answers you want to code.';

interface Run {
  table: SourceTable;
  plan: ImportPlan;
  problems: string[];
  column: (key: string) => ColumnPlan;
  byLabel: (label: string) => ColumnPlan;
}

async function run(name: string): Promise<Run> {
  const bytes = new Uint8Array(readFileSync(path.resolve('..', 'shared', 'real-files', 'survey', name)));
  const table = await readSource(bytes, name);
  const plan = proposePlan(table);
  const find = (test: (key: string, label: string) => boolean, what: string) => {
    const source = table.columns.find((c) => test(c.key, c.label));
    const column = source && plan.columns.find((c) => c.index === source.index);
    if (!column) throw new Error(`${name}: no column ${what}`);
    return column;
  };
  return {
    table,
    plan,
    problems: validatePlan(table, plan),
    column: (key) => find((k) => k === key, `"${key}"`),
    byLabel: (label) => find((_, l) => l.trim() === label, `labelled "${label}"`),
  };
}

const roles = (plan: ImportPlan, role: ColumnPlan['role']) => plan.columns.filter((c) => c.role === role).map((c) => c.name);

/** No personal-data column is an attribute or a question, and every flagged one is ignored. */
function expectPersonalDataKeptOut(plan: ImportPlan) {
  for (const c of plan.columns) if (c.personal) expect(c.role, c.name).toBe('ignore');
}

describe('Google Forms: no respondent ID column', () => {
  it('gforms-hotdog-sp25-formresponses1.csv imports as downloaded, each row a respondent', async () => {
    const { table, plan, problems, byLabel } = await run('gforms-hotdog-sp25-formresponses1.csv');
    expect(table.format).toBe('google-forms');
    expect(problems).toEqual([]);
    expect(plan.idSource).toEqual({ kind: 'row-number' });
    expect(plan.idChoices?.[0].reason).toMatch(/same people in the same order/);
    // Its timestamps are to the second and all differ: offered, with the warning about waves.
    const timestamp = plan.idChoices?.find((c) => c.label === 'Timestamp');
    expect(timestamp?.reason).toMatch(/cannot join a later wave/);
    expect(byLabel('What is the rationale behind your opinion?').role).toBe('question');
    expect(byLabel('What is your field of study or major?').role).toBe('question');
    expect(byLabel('Gender: How do you identify?').role).toBe('attribute');
    const batch = buildBatch(table, plan);
    expect(batch.respondents).toHaveLength(table.rows.length);
    expect(batch.respondents[0].id).toBe(`Row ${table.firstRowNumber}`);
  });

  it('gforms-hotdog-sp24.csv (minute timestamps, 10 repeats) imports without editing', async () => {
    const { table, plan, problems, byLabel } = await run('gforms-hotdog-sp24.csv');
    expect(problems).toEqual([]);
    expect(plan.idSource).toEqual({ kind: 'row-number' });
    // Repeated timestamps are no way to tell people apart: not offered.
    expect(plan.idChoices?.map((c) => c.label)).toEqual(['Row number']);
    expect(byLabel('What state or country were you born in?')).toMatchObject({ role: 'question', reason: 'Phrased as a question, with 42 different answers' });
    expect(byLabel('Do you believe that a hotdog falls under the category of a sandwich?').role).toBe('attribute');
    expect(new Set(buildBatch(table, plan).respondents.map((r) => r.id)).size).toBe(91);
  });

  it('gforms-hotdog-fa25.xlsx (same-second timestamps) needs no ID; it has no open question to code', async () => {
    const { table, plan, problems, byLabel } = await run('gforms-hotdog-fa25.xlsx');
    expect(plan.idSource).toEqual({ kind: 'row-number' });
    expect(plan.idChoices?.map((c) => c.label)).toEqual(['Row number']);
    // Year and yes/no: nothing typed, so the only thing asked of the user is to pick a column to code.
    expect(problems).toEqual([NO_QUESTION]);
    expect(nothingToCodeNote(table, plan)).toMatch(/looks like typed answers to code/);
    const chosen = { ...plan, columns: plan.columns.map((c) => (c.name === 'Is hotdog a sandwich?' ? { ...c, role: 'question' as const } : c)) };
    expect(byLabel('What year are you in?').role).toBe('attribute');
    expect(buildBatch(table, chosen).respondents).toHaveLength(207);
  });
});

describe('Microsoft Forms', () => {
  it('msforms-hotdog-fa24.csv: Windows-1252 decoded, Name/Email not attributes, the major a question', async () => {
    const { table, plan, problems, column, byLabel } = await run('msforms-hotdog-fa24.csv');
    expect(table.format).toBe('microsoft-forms');
    expect(table.encoding).toBe('windows-1252');
    expect(problems).toEqual([]);
    expect(column('Id').role).toBe('id');
    expect(column('Email')).toMatchObject({ role: 'ignore', personal: 'Email addresses' });
    expect(column('Name').role).toBe('ignore');
    expect(byLabel('What is your major?')).toMatchObject({ role: 'question', reason: 'Phrased as a question, with 88 different answers' });
    expect(byLabel('Is a hotdog a sandwich').role).toBe('attribute');
    const batch = buildBatch(table, plan);
    expect(batch.attributes).not.toContain('Email');
    expect(batch.attributes).not.toContain('Name');
    expect(batch.respondents).toHaveLength(187);
    expectPersonalDataKeptOut(plan);
  });
});

describe('QualCoder examples: Age kept as an attribute', () => {
  it.each([
    ['qualcoder-survey456.csv', 'Age', '24'],
    ['qualcoder-survey-old.csv', 'Age', '24'],
    ['qualcoder-survey789.xlsx', 'Age', '33'],
  ])('%s', async (name, key, firstAge) => {
    const { table, plan, problems, column } = await run(name);
    expect(problems).toEqual([]);
    expect(column(key)).toMatchObject({ role: 'attribute', reason: 'Numbers, kept as an attribute (an age, a score)' });
    const batch = buildBatch(table, plan);
    expect(batch.attributes).toContain(key);
    expect(batch.respondents[0].attributes[key]).toBe(firstAge);
    expect(batch.questions.length).toBeGreaterThan(0);
  });
});

describe('Qualtrics', () => {
  it('qualtrics-de-sample.csv: the one free-text question (one row) is a question', async () => {
    const { table, plan, problems, column } = await run('qualtrics-de-sample.csv');
    expect(table.rows).toHaveLength(1);
    expect(problems).toEqual([]);
    expect(column('Q2').role).toBe('question');
    expect(column('Q1').role).toBe('attribute');
    expect(column('IPAddress')).toMatchObject({ role: 'ignore', personal: 'IP addresses' });
    expect(column('LocationLatitude')).toMatchObject({ role: 'ignore', personal: 'Locations' });
    const batch = buildBatch(table, plan);
    expect(batch.answers.map((a) => a.texts)).toEqual([['Hello World!']]);
    expectPersonalDataKeptOut(plan);
  });

  it.each(['qualtrics-coded-comments.csv', 'qualtrics-text-entry-components.csv', 'qualtrics-insights-many-types.csv'])(
    '%s (2016): contact details and location flagged, typed answers are questions, imports',
    async (name) => {
      const { table, plan, problems, column } = await run(name);
      expect(table.format).toBe('qualtrics');
      expect(problems).toEqual([]);
      for (const key of ['IPAddress', 'RecipientEmail', 'RecipientFirstName', 'RecipientLastName', 'LocationLatitude', 'LocationLongitude']) {
        expect(column(key).role, key).toBe('ignore');
      }
      expect(column('LocationLatitude').personal).toBe('Locations');
      expect(roles(plan, 'question').length).toBeGreaterThan(0);
      expectPersonalDataKeptOut(plan);
      expect(buildBatch(table, plan).respondents.length).toBeGreaterThan(0);
    },
  );
});

describe('REDCap', () => {
  it('redcap-simple-data.csv: record_id is the ID; names, address, telephone, email are personal data', async () => {
    const { table, plan, problems, column } = await run('redcap-simple-data.csv');
    expect(problems).toEqual([]);
    expect(column('record_id').role).toBe('id');
    expect(column('name_first')).toMatchObject({ role: 'ignore', personal: 'Names' });
    expect(column('name_last')).toMatchObject({ role: 'ignore', personal: 'Names' });
    expect(column('address')).toMatchObject({ role: 'ignore', personal: 'Postal addresses' });
    expect(column('telephone')).toMatchObject({ role: 'ignore', personal: 'Telephone numbers' });
    expect(column('email')).toMatchObject({ role: 'ignore', personal: 'Email addresses' });
    expect(column('dob')).toMatchObject({ role: 'ignore', personal: 'Dates of birth' });
    expect(column('comments').role).toBe('question');
    expect(nothingToCodeNote(table, plan)).toBeUndefined();
    expect(column('age').role).toBe('attribute');
    const batch = buildBatch(table, plan);
    expect(batch.respondents.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);
    for (const key of ['name_first', 'name_last', 'address', 'telephone', 'email']) expect(batch.attributes).not.toContain(key);
    expectPersonalDataKeptOut(plan);
  });

  it('redcap-survey-data.csv: nothing to code, and the email is not shown', async () => {
    const { table, plan, problems, column } = await run('redcap-survey-data.csv');
    expect(problems).toEqual([NO_QUESTION]);
    expect(nothingToCodeNote(table, plan)).toMatch(/^Nothing in "redcap-survey-data.csv" looks like typed answers to code: its columns hold choices, numbers/);
    expect(column('participant_id').role).toBe('id');
    expect(column('email')).toMatchObject({ role: 'ignore', personal: 'Email addresses' });
    expectPersonalDataKeptOut(plan);
  });
});

describe('exports with several header rows, and REDCap', () => {
  it.each([
    ['qualtrics-legacy-sample.csv', 1],
    ['qualtrics-legacy-no-basis.csv', 15],
  ])('%s: Qualtrics legacy, row 2 is question text; Name/Email/IP are not attributes', async (name, respondents) => {
    const { table, plan, problems, byLabel } = await run(name);
    expect(table.format).toBe('qualtrics-legacy');
    expect(table.rows).toHaveLength(respondents);
    expect(table.rows.some((row) => row.includes('ResponseID'))).toBe(false);
    // Empty in these files (so not flagged), but ignored either way.
    for (const label of ['Name', 'EmailAddress', 'IPAddress']) expect(byLabel(label).role, label).toBe('ignore');
    expect(byLabel('ResponseID').role).toBe('id');
    expectPersonalDataKeptOut(plan);
    if (name === 'qualtrics-legacy-sample.csv') {
      expect(byLabel('IPAddress').personal).toBe('IP addresses');
      expect(problems).toEqual([]);
      expect(byLabel('This is a free text question.').role).toBe('question');
      expect(buildBatch(table, plan).answers.map((a) => a.texts)).toEqual([['Hello World!']]);
    } else {
      // Choices and matrices only: said plainly, and one column chosen imports it.
      expect(problems).toEqual([NO_QUESTION]);
      expect(nothingToCodeNote(table, plan)).toMatch(/looks like typed answers to code/);
    }
  });

  it.each(['qualtrics-coded-comments.csv', 'qualtrics-text-entry-components.csv', 'qualtrics-insights-many-types.csv'])(
    '%s: all three header rows removed, no phantom respondent',
    async (name) => {
      const { table, plan } = await run(name);
      expect(table.rows.some((row) => row.some((cell) => cell.startsWith("{'ImportId'")))).toBe(false);
      expect(buildBatch(table, plan).respondents.every((r) => /^R_/.test(r.id))).toBe(true);
    },
  );

  it('qualtrics-de-sample.csv: Q2 is typed text by the export itself', async () => {
    const { column } = await run('qualtrics-de-sample.csv');
    expect(column('Q2')).toMatchObject({ role: 'question', reason: 'Typed answers (the export marks this column as text entry)' });
  });

  it.each(['redcap-simple-data.csv', 'redcap-survey-data.csv'])('%s is recognised as REDCap', async (name) => {
    const { table } = await run(name);
    expect(table.format).toBe('redcap');
  });
});
