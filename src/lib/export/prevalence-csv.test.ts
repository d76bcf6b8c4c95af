import { describe, expect, it } from 'vitest';
import { noteLine, prevalenceCsv } from './prevalence-csv';
import type { PrevalenceResult } from '../analysis/view-types';

const cell = (count: number, base: number, weighted = false) => ({
  count,
  base,
  share: base ? count / base : null,
  low: base ? 0.1 : null,
  high: base ? 0.9 : null,
  weighted: weighted ? { estimate: 0.55, low: 0.2, high: 0.85, effectiveN: 3.4, weightTotal: 4 } : null,
});

function table(weighted = false): PrevalenceResult {
  return {
    kind: 'prevalence',
    options: { targets: 'codes', coders: { kind: 'all' }, questionId: null, unit: 'respondents', dimensions: [{ kind: 'wave' }] },
    unit: 'respondents',
    confidence: 0.95,
    weighted,
    dimensionLabels: ['Wave'],
    columns: [
      { key: '["a"]', values: ['a'], base: 4, labels: ['Baseline'] },
      { key: '["b"]', values: ['b'], base: 4, labels: ['6 months'] },
    ],
    total: { base: 8 },
    rows: [
      {
        key: 'code:x',
        target: { kind: 'code', codeId: 'x' },
        label: '=HYPERLINK("x") #1',
        cells: [cell(2, 4, weighted), cell(1, 4, weighted)],
        total: cell(3, 8, weighted),
        differences: [{ a: 0, b: 1, estimate: -0.25, low: -0.6, high: 0.2 }],
      },
    ],
    comparisons: [{ a: 0, b: 1, label: '6 months − Baseline' }],
    hiddenEmptyRows: 0,
    basis: 'Prevalence uses the codings of every coder together.',
    method: 'Wilson intervals; Newcombe differences.',
    filterLabel: 'role: mentee',
  };
}

describe('prevalenceCsv', () => {
  it('writes the table as shown, with the filter and method as # notes, and neutralises formulas by default', () => {
    const lines = prevalenceCsv(table()).split('\r\n');
    expect(lines.slice(0, 5)).toEqual([
      '# Prevalence: respondents coded, by Wave',
      '# Filter: role: mentee',
      '# Prevalence uses the codings of every coder together.',
      '# Wilson intervals; Newcombe differences.',
      '# Text a spreadsheet would run as a formula starts with an apostrophe.',
    ]);
    expect(lines[5].split(',')).toEqual([
      'Code',
      'Baseline: n',
      'Baseline: base',
      'Baseline: %',
      'Baseline: low %',
      'Baseline: high %',
      '6 months: n',
      '6 months: base',
      '6 months: %',
      '6 months: low %',
      '6 months: high %',
      '6 months − Baseline: difference (pts)',
      '6 months − Baseline: low (pts)',
      '6 months − Baseline: high (pts)',
      'All: n',
      'All: base',
      'All: %',
      'All: low %',
      'All: high %',
    ]);
    // The label is guarded and quoted ('#' inside a cell is quoted for readers that skip '#' notes).
    expect(lines[6]).toBe(`"'=HYPERLINK(""x"") #1",2,4,50,10,90,1,4,25,10,90,-25,-60,20,3,8,37.5,10,90`);
  });

  it('writes text verbatim when asked, and the weighted share with Kish’s effective n when weighted', () => {
    const csv = prevalenceCsv(table(true), { neutraliseFormulas: false, bom: true });
    expect(csv.startsWith('\uFEFF# Prevalence')).toBe(true);
    expect(csv).toContain('# Text is written exactly as it is (formulas not neutralised).');
    expect(csv).toContain('Baseline: weighted %,Baseline: weighted low %,Baseline: weighted high %,Baseline: effective n');
    const row = csv.trim().split('\r\n').at(-1)!;
    expect(row.startsWith('"=HYPERLINK(""x"") #1",2,4,50,10,90,55,20,85,3.4,')).toBe(true);
  });
});

describe('note lines', () => {
  it('never hold a piece a spreadsheet would run as a formula, nor a quoted cell', () => {
    const line = noteLine('Filter: Site: x,=HYPERLINK("http://evil.example";"click"), +1; -2, @SUM(A1)');
    expect(line).toBe(`# Filter: Site: x,'=HYPERLINK('http://evil.example';'click'), '+1; '-2, '@SUM(A1)`);
    for (const piece of line.split(/[,;\t]/).slice(1)) expect(piece.trimStart()).not.toMatch(/^[=+\-@]/);
  });

  it('leave ordinary sentences as they are', () => {
    expect(noteLine('Prevalence: respondents coded, by role × wave')).toBe('# Prevalence: respondents coded, by role × wave');
  });
});
