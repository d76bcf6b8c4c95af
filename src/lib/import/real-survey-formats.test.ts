/**
 * Every survey export in ../shared/real-files/survey/ (files real tools wrote,
 * see its README), read as the import worker reads it: the tool is recognised,
 * its header rows are removed and none of them becomes a respondent, and columns
 * carry the names, labels and text/choice hints the plan relies on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource } from './read-source';
import type { SourceColumn, SourceTable } from './types';

/** vitest runs at the repository root; the shared files sit beside it. */
const SURVEY_DIR = path.resolve('..', 'shared', 'real-files', 'survey');

async function read(name: string): Promise<SourceTable> {
  const bytes = new Uint8Array(readFileSync(path.join(SURVEY_DIR, name)));
  return readSource(bytes, name);
}

function column(table: SourceTable, key: string): SourceColumn {
  const found = table.columns.find((c) => c.key === key);
  if (!found) throw new Error(`no column "${key}" in ${table.fileName}: ${table.columns.map((c) => c.key).join(', ')}`);
  return found;
}

const HEADER_CELL = /^\{\s*["']ImportId["']|^(?:ResponseI[dD]|Respondent ID|Response ID|StartDate|V\d+)$/;

/** No data row is a header row: no ImportId cells, and no row naming its own columns. */
function expectNoHeaderRows(table: SourceTable) {
  table.rows.forEach((row, r) => {
    const where = `${table.fileName}, row ${table.firstRowNumber + r}`;
    expect(
      row.filter((cell) => HEADER_CELL.test(cell.trim())),
      where,
    ).toEqual([]);
    const naming = table.columns.filter((c) => {
      const cell = row[c.index].trim().toLowerCase();
      return cell !== '' && (cell === c.key.toLowerCase() || cell === c.label.toLowerCase());
    });
    expect(
      naming.map((c) => c.key),
      where,
    ).toEqual([]);
  });
}

describe('real Qualtrics exports', () => {
  it('qualtrics-de-sample.csv (current format, German labels): 3 header rows, Q2 is typed text, Q1 a choice', async () => {
    const table = await read('qualtrics-de-sample.csv');
    expect(table).toMatchObject({ format: 'qualtrics', firstRowNumber: 4 });
    expect(table.rows).toHaveLength(1);
    expect(table.notes[0]).toBe('Recognised a Qualtrics export (3 header rows): 16 metadata columns will be ignored.');
    expect(column(table, 'Q2')).toMatchObject({ label: 'This is a free text question.', source: 'text' });
    expect(column(table, 'Q1')).toMatchObject({ label: 'This is a multiple choice question.', source: 'choice' });
    // The Text iQ topics column and the metadata say nothing about typed text or choices.
    expect(column(table, 'Q2 - Topics').source).toBeUndefined();
    expect(column(table, 'StartDate').source).toBeUndefined();
    expect(table.rows[0][column(table, 'Q2').index]).toBe('Hello World!');
    expect(table.incomplete).toBeUndefined();
    expectNoHeaderRows(table);
  });

  it('qualtrics-legacy-sample.csv (V1…V10 over ResponseID…): legacy, row 2 is question text, V columns take their row-2 names', async () => {
    const table = await read('qualtrics-legacy-sample.csv');
    expect(table).toMatchObject({ format: 'qualtrics-legacy', firstRowNumber: 3 });
    expect(table.rows).toHaveLength(1);
    expect(table.notes[0]).toMatch(/^Recognised a Qualtrics \(legacy\) export \(2 header rows\)/);
    expect(table.columns.slice(0, 12).map((c) => c.key)).toEqual([
      'ResponseID',
      'ResponseSet',
      'Name',
      'ExternalDataReference',
      'EmailAddress',
      'IPAddress',
      'Status',
      'StartDate',
      'EndDate',
      'Finished',
      'Q1',
      'Q2',
    ]);
    expect(column(table, 'Q2').label).toBe('This is a free text question.');
    expect(table.rows[0][0]).toBe('R_2YPOQ602ER1jkf1');
    expect(table.rows[0][column(table, 'Q2').index]).toBe('Hello World!');
    expectNoHeaderRows(table);
  });

  it('qualtrics-legacy-no-basis.csv: legacy, 15 respondents from row 3, question text as labels', async () => {
    const table = await read('qualtrics-legacy-no-basis.csv');
    expect(table).toMatchObject({ format: 'qualtrics-legacy', firstRowNumber: 3 });
    expect(table.rows).toHaveLength(15);
    expect(table.columns[0].key).toBe('ResponseID');
    expect(table.columns[4].key).toBe('EmailAddress');
    expect(column(table, 'Q1').label).toBe('Indicate how you feel about squash');
    expect(column(table, 'Q2_1').label).toBe('Check all statements you agree with-Squash are great');
    expect(table.rows.every((row) => /^R_\w+$/.test(row[0]))).toBe(true);
    expectNoHeaderRows(table);
  });

  it('qualtrics-coded-comments.csv (2016, single-quoted ImportIds): 3 header rows, no phantom respondent, text/choice from the ImportIds', async () => {
    const table = await read('qualtrics-coded-comments.csv');
    expect(table).toMatchObject({ format: 'qualtrics', firstRowNumber: 4 });
    expect(table.rows).toHaveLength(10);
    expect(table.notes[0]).toMatch(/^Recognised a Qualtrics export \(3 header rows\)/);
    expect(column(table, 'Q1')).toMatchObject({ label: 'This question has multiple "other please specify" options', source: 'choice' });
    expect(column(table, 'Q1_TEXT').source).toBe('text');
    expect(column(table, 'Q2')).toMatchObject({ label: "What's up home skillets?", source: 'text' });
    expect(table.rows[0][0]).toBe('R_bdygJsbbIhnpYz3');
    expectNoHeaderRows(table);
  });

  it('qualtrics-text-entry-components.csv (2016): text entry boxes of every question type are marked text, their choices choice', async () => {
    const table = await read('qualtrics-text-entry-components.csv');
    expect(table).toMatchObject({ format: 'qualtrics', firstRowNumber: 4 });
    expect(table.rows).toHaveLength(15);
    expect(column(table, 'MCSA_single_text').source).toBe('choice');
    expect(column(table, 'MCSA_single_text_TEXT').source).toBe('text');
    expect(column(table, 'MCMA_text_2').source).toBe('choice');
    expect(column(table, 'MCMA_text_2_TEXT').source).toBe('text');
    expect(column(table, 'Matrix_text_1_TEXT').source).toBe('text');
    expect(column(table, 'SBS_text#1_1').source).toBe('choice');
    expect(column(table, 'SBS_text#3_2_1_TEXT').source).toBe('text');
    expect(column(table, 'ResponseID').source).toBeUndefined();
    expectNoHeaderRows(table);
  });

  it('qualtrics-insights-many-types.csv (2016, 190 columns): 5 respondents, free-response questions marked text', async () => {
    const table = await read('qualtrics-insights-many-types.csv');
    expect(table).toMatchObject({ format: 'qualtrics', firstRowNumber: 4 });
    expect(table.rows).toHaveLength(5);
    expect(table.columns).toHaveLength(190);
    expect(column(table, 'Q18')).toMatchObject({ source: 'text' });
    expect(column(table, 'Q18').label).toMatch(/^This is a free response text entry question/);
    expect(column(table, 'fruits').source).toBe('choice');
    expect(column(table, 'Q11#1_1_1_TEXT').source).toBe('text');
    expect(column(table, 'Q2_1').source).toBe('choice');
    // The ImportId row has 28 cells ending in TEXT.
    expect(table.columns.filter((c) => c.source === 'text')).toHaveLength(28);
    expectNoHeaderRows(table);
  });
});

describe('real Google Forms, Microsoft Forms and QualCoder files', () => {
  it.each([
    ['gforms-hotdog-sp25-formresponses1.csv', 64],
    ['gforms-hotdog-sp24.csv', 91],
    ['gforms-hotdog-fa25.xlsx', 207],
  ])('%s is Google Forms with one header row (%i responses)', async (name, count) => {
    const table = await read(name);
    expect(table).toMatchObject({ format: 'google-forms', firstRowNumber: 2 });
    expect(table.rows).toHaveLength(count);
    expect(table.columns[0].key).toBe('Timestamp');
    expect(table.columns.every((c) => c.source === undefined)).toBe(true);
    expectNoHeaderRows(table);
  });

  it('msforms-hotdog-fa24.csv is Microsoft Forms (Windows-1252), 187 responses', async () => {
    const table = await read('msforms-hotdog-fa24.csv');
    expect(table).toMatchObject({ format: 'microsoft-forms', encoding: 'windows-1252', firstRowNumber: 2 });
    expect(table.rows).toHaveLength(187);
    expect(table.columns.map((c) => c.key).slice(0, 5)).toEqual(['Id', 'Start time', 'Completion time', 'Email', 'Name']);
    expectNoHeaderRows(table);
  });

  it.each(['qualcoder-survey456.csv', 'qualcoder-survey-old.csv', 'qualcoder-survey789.xlsx'])(
    '%s is a generic file with one header row and 3 respondents',
    async (name) => {
      const table = await read(name);
      expect(table).toMatchObject({ format: 'generic', firstRowNumber: 2 });
      expect(table.rows).toHaveLength(3);
      expect(table.columns[1].key).toBe('Age');
      expect(table.notes).toEqual([]);
      expectNoHeaderRows(table);
    },
  );
});

describe('real REDCap exports', () => {
  it('redcap-simple-data.csv: REDCap, record_id first, form status columns are metadata', async () => {
    const table = await read('redcap-simple-data.csv');
    expect(table).toMatchObject({ format: 'redcap', firstRowNumber: 2 });
    expect(table.rows).toHaveLength(5);
    expect(table.columns[0].key).toBe('record_id');
    // demographics_complete, health_complete, race_and_ethnicity_complete, and email.
    expect(table.notes[0]).toBe('Recognised a REDCap export: 4 metadata columns will be ignored.');
    // A multi-line street address stays one cell.
    expect(table.rows[0][column(table, 'address').index]).toBe('14 Rose Cottage St.\nKenning UK, 323232');
    expectNoHeaderRows(table);
  });

  it('redcap-survey-data.csv: REDCap survey export (participant_id, redcap_survey_identifier)', async () => {
    const table = await read('redcap-survey-data.csv');
    expect(table).toMatchObject({ format: 'redcap', firstRowNumber: 2 });
    expect(table.rows).toHaveLength(2);
    expect(table.columns.slice(0, 2).map((c) => c.key)).toEqual(['participant_id', 'redcap_survey_identifier']);
    expect(table.notes[0]).toMatch(/^Recognised a REDCap export: \d+ metadata columns will be ignored\.$/);
    expectNoHeaderRows(table);
  });
});
