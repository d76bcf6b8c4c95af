// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import {
  csvField,
  csvLine,
  mulberry32,
  syntheticRespondentId,
  syntheticSurveyLines,
  writeSyntheticSurvey,
  type SyntheticSurveyOptions,
} from '../../scripts/lib/synthetic-survey';

const text = (opts: SyntheticSurveyOptions) => [...syntheticSurveyLines(opts)].join('');

function parse(csv: string): string[][] {
  const result = Papa.parse<string[]>(csv, { skipEmptyLines: false });
  expect(result.errors).toEqual([]);
  // The file ends with "\n", which papaparse reports as one trailing empty row.
  const rows = result.data;
  expect(rows[rows.length - 1]).toEqual(['']);
  return rows.slice(0, -1);
}

const PLAIN_HEADER = [
  'respondent_id',
  'role',
  'institution',
  'wave',
  'Expectations',
  'Satisfaction',
  'Rewards',
  'Challenges',
  'Organisation and improvements',
  'Personal development',
  'Professional development',
  'Shared background',
];

describe('helpers', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });

  it('csvField quotes only when needed', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('')).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvLine(['a', 'b,c', ''])).toBe('a,"b,c",\n');
  });

  it('respondent ids are zero-padded and widen past a million', () => {
    expect(syntheticRespondentId(1, 100)).toBe('R000001');
    expect(syntheticRespondentId(100000, 100000)).toBe('R100000');
    expect(syntheticRespondentId(7, 2_000_000)).toBe('R0000007');
  });
});

describe('syntheticSurveyLines', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    const a = text({ respondents: 500, seed: 1 });
    expect(text({ respondents: 500, seed: 1 })).toBe(a);
    expect(text({ respondents: 500, seed: 2 })).not.toBe(a);
    const q = text({ respondents: 300, seed: 9, format: 'qualtrics' });
    expect(text({ respondents: 300, seed: 9, format: 'qualtrics' })).toBe(q);
  });

  it('yields records that each end with a newline', () => {
    for (const line of syntheticSurveyLines({ respondents: 200, seed: 3 })) expect(line.endsWith('\n')).toBe(true);
  });

  it('writes 2,000 respondents as a clean plain CSV', () => {
    const rows = parse(text({ respondents: 2000, seed: 1 }));
    expect(rows[0]).toEqual(PLAIN_HEADER);
    const data = rows.slice(1);
    expect(data).toHaveLength(2000);
    for (const row of data) expect(row).toHaveLength(12);
    const ids = data.map((r) => r[0]);
    expect(new Set(ids).size).toBe(2000);
    expect(ids[0]).toBe('R000001');
    expect(ids[1999]).toBe('R002000');
    expect(new Set(data.map((r) => r[1]))).toEqual(new Set(['mentor', 'mentee']));
    const institutions = new Set(data.map((r) => r[2]));
    expect(institutions.size).toBeGreaterThanOrEqual(10);
    expect(institutions.size).toBeLessThanOrEqual(14);
    const waves = data.map((r) => r[3]);
    expect(new Set(waves)).toEqual(new Set(['Baseline', '6 months']));
    expect(waves.filter((w) => w === 'Baseline').length / waves.length).toBeGreaterThan(0.6);
  });

  it('composes answers with realistic lengths and awkward characters', () => {
    const data = parse(text({ respondents: 2000, seed: 5 })).slice(1);
    const answers = data.flatMap((r) => r.slice(4));
    expect(answers).toHaveLength(16000);
    const blank = answers.filter((a) => a === '').length / answers.length;
    expect(blank).toBeGreaterThan(0.05);
    expect(blank).toBeLessThan(0.11);
    const mean = answers.reduce((n, a) => n + a.length, 0) / answers.length;
    expect(mean).toBeGreaterThanOrEqual(150);
    expect(mean).toBeLessThanOrEqual(250);
    expect(answers).toContain('N/A');
    expect(answers.some((a) => a.length > 0 && a.length < 20)).toBe(true);
    expect(answers.some((a) => a.length > 400)).toBe(true);
    expect(answers.some((a) => a.includes(','))).toBe(true);
    expect(answers.some((a) => a.includes('"'))).toBe(true);
    expect(answers.some((a) => a.includes('\n'))).toBe(true);
    expect(answers.some((a) => /[^\x00-\x7f]/.test(a))).toBe(true);
  });

  it('honours the questions option', () => {
    const rows = parse(text({ respondents: 50, seed: 1, questions: 3 }));
    expect(rows[0]).toEqual(PLAIN_HEADER.slice(0, 7));
    for (const row of rows) expect(row).toHaveLength(7);
    const wide = parse(text({ respondents: 10, seed: 1, questions: 10 }));
    expect(wide[0].slice(-2)).toEqual(['Question 9', 'Question 10']);
  });

  it('writes a Qualtrics-style file with three header rows', () => {
    const rows = parse(text({ respondents: 2000, seed: 1, format: 'qualtrics' }));
    const [keys, labels, importIds, ...data] = rows;
    expect(keys.slice(0, 2)).toEqual(['StartDate', 'EndDate']);
    expect(keys.slice(17)).toEqual(['participant_id', 'role', 'institution', 'wave', 'Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q7', 'Q8']);
    expect(labels[0]).toBe('Start Date');
    expect(labels[21]).toMatch(/expectations/i);
    expect(JSON.parse(importIds[8])).toEqual({ ImportId: '_recordId' });
    expect(JSON.parse(importIds[21])).toEqual({ ImportId: 'QID1_TEXT' });
    expect(data).toHaveLength(2000);
    for (const row of data) expect(row).toHaveLength(keys.length);
    expect(new Set(data.map((r) => r[17])).size).toBe(2000);
    expect(new Set(data.map((r) => r[8])).size).toBe(2000);
  });

  it('gives the same answers in both formats for a seed', () => {
    const plain = parse(text({ respondents: 300, seed: 4 })).slice(1);
    const qualtrics = parse(text({ respondents: 300, seed: 4, format: 'qualtrics' })).slice(3);
    expect(qualtrics.map((r) => r.slice(17))).toEqual(plain);
  });

  it('rejects bad options', () => {
    expect(() => syntheticSurveyLines({ respondents: -1, seed: 1 }).next()).toThrow(RangeError);
    expect(() => syntheticSurveyLines({ respondents: 1.5, seed: 1 }).next()).toThrow(RangeError);
    expect(() => syntheticSurveyLines({ respondents: 1, seed: 1, questions: 0 }).next()).toThrow(RangeError);
  });
});

describe('writeSyntheticSurvey', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codebench-synthetic-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams exactly the generated text to a file and reports bytes and rows', async () => {
    const opts = { respondents: 3000, seed: 11 };
    const path = join(dir, 'nested', 'survey.csv');
    const result = await writeSyntheticSurvey(path, opts);
    const expected = text(opts);
    expect(readFileSync(path, 'utf8')).toBe(expected);
    expect(result).toEqual({ bytes: Buffer.byteLength(expected, 'utf8'), rows: 3000 });
    expect(statSync(path).size).toBe(result.bytes);
  });

  it('counts data rows only for the Qualtrics format', async () => {
    const result = await writeSyntheticSurvey(join(dir, 'q.csv'), { respondents: 25, seed: 1, format: 'qualtrics' });
    expect(result.rows).toBe(25);
  });
});
