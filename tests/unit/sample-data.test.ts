// @vitest-environment node
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { buildSampleData } from '../../scripts/build-sample-data';

const dir = resolve(__dirname, '../../sample-data');
const read = (name: string) => readFileSync(resolve(dir, name), 'utf8');

const baselineText = read('aimms-baseline-qualtrics.csv');
const sixMonthText = read('aimms-6month-qualtrics.csv');
const plainText = read('aimms-plain.csv');

function parse(text: string): string[][] {
  const result = Papa.parse<string[]>(text, { skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return result.data;
}

const QUESTION_HEADERS = [
  'Expectations',
  'Satisfaction',
  'Rewards',
  'Challenges',
  'Organisation and improvements',
  'Personal development',
  'Professional development',
  'Shared background',
];

interface QualtricsFile {
  header: string[];
  labels: string[];
  importIds: string[];
  rows: Record<string, string>[];
}

function qualtrics(text: string): QualtricsFile {
  const [header, labels, importIds, ...data] = parse(text);
  for (const row of data) expect(row).toHaveLength(header.length);
  return {
    header,
    labels,
    importIds,
    rows: data.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]]))),
  };
}

const baseline = qualtrics(baselineText);
const sixMonth = qualtrics(sixMonthText);
const plainRows = parse(plainText);
const plainHeader = plainRows[0];
const plain = plainRows.slice(1).map((row) => Object.fromEntries(plainHeader.map((h, i) => [h, row[i]])));

describe('sample data files', () => {
  it('are exactly what scripts/build-sample-data.ts writes', () => {
    const built = buildSampleData();
    expect(Object.keys(built).sort()).toEqual(['aimms-6month-qualtrics.csv', 'aimms-baseline-qualtrics.csv', 'aimms-plain.csv']);
    for (const [name, text] of Object.entries(built)) expect(read(name), name).toBe(text);
  });

  it('are UTF-8 without BOM, with LF line endings only', () => {
    for (const name of ['aimms-baseline-qualtrics.csv', 'aimms-6month-qualtrics.csv', 'aimms-plain.csv']) {
      const bytes = readFileSync(resolve(dir, name));
      expect(bytes[0], name).not.toBe(0xef);
      expect(bytes.includes(0x0d), name).toBe(false);
      expect(new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toBe(read(name));
      expect(read(name).endsWith('\n')).toBe(true);
    }
  });

  it('has a README that says the data are synthetic', () => {
    const readme = read('README.md');
    expect(readme).toMatch(/synthetic|invented/i);
    expect(readme).toContain('10.1371/journal.pone.0318326');
  });
});

describe('Qualtrics-style exports', () => {
  it('have three header rows: short names, full text and ImportIds', () => {
    for (const file of [baseline, sixMonth]) {
      expect(file.header.slice(0, 9)).toEqual([
        'StartDate',
        'EndDate',
        'Status',
        'IPAddress',
        'Progress',
        'Duration (in seconds)',
        'Finished',
        'RecordedDate',
        'ResponseId',
      ]);
      expect(file.header.slice(17)).toEqual(['participant_id', 'role', 'pair', 'institution', 'Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6', 'Q7', 'Q8']);
      expect(file.labels.slice(0, 4)).toEqual(['Start Date', 'End Date', 'Response Type', 'IP Address']);
      expect(file.labels[8]).toBe('Response ID');
      expect(file.labels.slice(17, 21)).toEqual(['Participant ID', 'Role', 'Pair', 'Institution']);
      for (const text of file.labels.slice(21)) expect(text.length).toBeGreaterThan(40);
      expect(file.labels[28]).toMatch(/ethnicity or gender/);
      const ids = file.importIds.map((j) => JSON.parse(j) as { ImportId: string; timeZone?: string });
      expect(ids[0]).toEqual({ ImportId: 'startDate', timeZone: 'Europe/London' });
      expect(ids[8]).toEqual({ ImportId: '_recordId' });
      expect(ids.slice(21).map((i) => i.ImportId)).toEqual([
        'QID1_TEXT',
        'QID2_TEXT',
        'QID3_TEXT',
        'QID4_TEXT',
        'QID5_TEXT',
        'QID6_TEXT',
        'QID7_TEXT',
        'QID8_TEXT',
      ]);
    }
    // The same questions in both waves.
    expect(sixMonth.labels).toEqual(baseline.labels);
  });

  it('have 32 baseline rows and 14 six-month rows (10 mentees, 4 mentors)', () => {
    expect(baseline.rows).toHaveLength(32);
    expect(baseline.rows.filter((r) => r.role === 'mentor')).toHaveLength(16);
    expect(sixMonth.rows).toHaveLength(14);
    expect(sixMonth.rows.filter((r) => r.role === 'mentee')).toHaveLength(10);
    expect(sixMonth.rows.filter((r) => r.role === 'mentor')).toHaveLength(4);
  });

  it('use M01..M16 / E01..E16 pairs that join the waves', () => {
    const ids = baseline.rows.map((r) => r.participant_id).sort();
    const expected = Array.from({ length: 16 }, (_, i) => String(i + 1).padStart(2, '0'))
      .flatMap((n) => [`E${n}`, `M${n}`])
      .sort();
    expect(ids).toEqual(expected);
    const byId = new Map(baseline.rows.map((r) => [r.participant_id, r]));
    for (const row of baseline.rows) {
      expect(row.role).toBe(row.participant_id.startsWith('M') ? 'mentor' : 'mentee');
      expect(row.pair).toBe(String(Number(row.participant_id.slice(1))));
    }
    const sixIds = sixMonth.rows.map((r) => r.participant_id);
    expect(new Set(sixIds).size).toBe(14);
    for (const row of sixMonth.rows) {
      const before = byId.get(row.participant_id);
      expect(before, row.participant_id).toBeDefined();
      expect([row.role, row.pair, row.institution]).toEqual([before!.role, before!.pair, before!.institution]);
      expect(row.ResponseId).not.toBe(before!.ResponseId);
    }
    const institutions = new Set(baseline.rows.map((r) => r.institution));
    expect(institutions.size).toBeGreaterThanOrEqual(6);
    expect(institutions.size).toBeLessThanOrEqual(8);
  });

  it('have plausible metadata', () => {
    const responseIds = new Set<string>();
    for (const [file, month] of [
      [baseline, '2024-01'],
      [sixMonth, '2024-07'],
    ] as const) {
      for (const row of file.rows) {
        expect(row.StartDate).toMatch(new RegExp(`^${month}-\\d\\d \\d\\d:\\d\\d:\\d\\d$`));
        expect(row.EndDate >= row.StartDate).toBe(true);
        expect(row.RecordedDate >= row.EndDate).toBe(true);
        expect(row.IPAddress).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$/);
        expect(row.Progress).toBe('100');
        expect(row.Finished).toBe('True');
        expect(row.ResponseId).toMatch(/^R_[0-9A-Za-z]{15}$/);
        responseIds.add(row.ResponseId);
      }
      const starts = file.rows.map((r) => r.StartDate);
      expect(starts).toEqual([...starts].sort());
    }
    expect(responseIds.size).toBe(46);
  });
});

describe('plain CSV', () => {
  it('has the long-form header and 46 rows', () => {
    expect(plainHeader).toEqual(['respondent_id', 'role', 'pair', 'institution', 'wave', ...QUESTION_HEADERS]);
    expect(plain).toHaveLength(46);
    expect(plain.filter((r) => r.wave === 'Baseline')).toHaveLength(32);
    expect(plain.filter((r) => r.wave === '6 months')).toHaveLength(14);
    const keys = plain.map((r) => `${r.wave}/${r.respondent_id}`);
    expect(new Set(keys).size).toBe(46);
  });

  it('agrees with the Qualtrics files answer by answer', () => {
    let compared = 0;
    for (const [wave, file] of [
      ['Baseline', baseline],
      ['6 months', sixMonth],
    ] as const) {
      const rows = plain.filter((r) => r.wave === wave);
      expect(rows).toHaveLength(file.rows.length);
      for (const q of file.rows) {
        const p = rows.find((r) => r.respondent_id === q.participant_id);
        expect(p, `${wave} ${q.participant_id}`).toBeDefined();
        expect([p!.role, p!.pair, p!.institution]).toEqual([q.role, q.pair, q.institution]);
        QUESTION_HEADERS.forEach((header, i) => {
          expect(p![header], `${wave} ${q.participant_id} Q${i + 1}`).toBe(q[`Q${i + 1}`]);
          compared++;
        });
      }
    }
    expect(compared).toBe(46 * 8);
  });
});

describe('answers', () => {
  const answers = plain.flatMap((r) => QUESTION_HEADERS.map((h) => r[h]));

  it('vary like real ones', () => {
    const words = answers.map((a) => (a.trim() === '' ? 0 : a.trim().split(/\s+/).length));
    expect(words.filter((w) => w === 0).length).toBeGreaterThanOrEqual(5);
    expect(words.filter((w) => w === 1).length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...words)).toBeGreaterThanOrEqual(90);
    expect(Math.max(...words)).toBeLessThanOrEqual(130);
    for (const na of ['N/A', 'n/a', '-']) expect(answers).toContain(na);
  });

  it('include the awkward characters the importer must survive', () => {
    const all = answers.join('\u0000');
    for (const s of ['Siobhán', 'Adéọlá', 'Nguyễn', '’', '“', '”', '–']) expect(all).toContain(s);
    expect(answers.some((a) => a.includes('\n'))).toBe(true);
    expect(answers.some((a) => a.includes(',') && a.includes('"'))).toBe(true);
    expect(answers.some((a) => a.includes('<script>alert(1)</script>'))).toBe(true);
    expect(answers.some((a) => a.includes('<img src=x onerror=alert(1)>'))).toBe(true);
  });
});
