// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { agreementTableToCsv, agreementTableToMarkdown, disagreementsToCsv } from './agreement-export';
import { buildAgreementTable, type AnswerCodings } from './answer-agreement';

// Two coders, six answers, codes X and Y; coder 1 never saw answer 5.
const applied = [
  [['X'], ['X', 'Y'], [], ['Y'], [], ['X']],
  [['X'], ['X'], ['X'], ['Y'], [], []],
];
const input: AnswerCodings = {
  answerIds: applied[0].map((_, i) => `answer-${i}`),
  coderIds: ['ann', 'bob'],
  codeIds: ['X', 'Y'],
  present: (c, a) => applied[c][a],
  coded: (c, a) => !(c === 1 && a === 5),
};
const names: Record<string, string> = { X: '=X, evil', Y: 'a|b', ann: 'Ann', bob: 'Bob' };
const labels = { codeName: (id: string) => names[id], coderName: (id: string) => names[id] };

const FLEISS_NOTE =
  "Fleiss' kappa is undefined: it needs every unit coded by the same number of coders, but some units have 1 value and others 2 (Krippendorff's alpha allows missing values).";

describe('agreementTableToCsv', () => {
  it('writes one row per code and a pooled row, with counts, three-decimal statistics and notes', () => {
    const csv = agreementTableToCsv(buildAgreementTable(input, { bootstrapSamples: 0 }), labels);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      "Code,Units,Pairable units,Both present,Only Ann,Only Bob,Both absent,Prevalence,Percent agreement,Cohen's kappa,Scott's pi,Fleiss' kappa,Gwet's AC1,Krippendorff's alpha,Alpha 95% low,Alpha 95% high,Bootstrap samples,Notes",
    );
    // X: κ = 8/13, π = 0.6, AC1 = 0.6, α = 0.64 (see answer-agreement.test.ts).
    expect(lines[1]).toBe(`"'=X, evil",6,5,2,0,1,2,0.500,0.800,0.615,0.600,,0.600,0.640,,,,"${FLEISS_NOTE}"`);
    // Y: κ = 6/11, π = 22/42, AC1 = 0.38/0.58, α = 24/42.
    expect(lines[2]).toBe(`a|b,6,5,1,1,0,3,0.300,0.800,0.545,0.524,,0.655,0.571,,,,"${FLEISS_NOTE}"`);
    // Pooled: κ = 28/48, π = 112/192, AC1 = 0.32/0.52, α = 1 − 0.95 · 5/12.
    expect(lines[3]).toBe(`All codes (pooled),12,10,3,1,1,5,0.400,0.800,0.583,0.583,,0.615,0.604,,,,"${FLEISS_NOTE}"`);
    expect(lines[4]).toBe('');
    expect(lines).toHaveLength(5);
  });

  it('writes the bootstrap interval and a negative statistic as numbers', () => {
    const disagreeing: AnswerCodings = {
      answerIds: ['1', '2', '3', '4'],
      coderIds: ['a', 'b'],
      codeIds: ['Z'],
      present: (c, a) => ((a + c) % 2 === 0 ? ['Z'] : []),
    };
    const table = buildAgreementTable(disagreeing, { bootstrapSamples: 50, seed: 1 });
    const row = agreementTableToCsv(table).split('\r\n')[1].split(',');
    expect(row[0]).toBe('Z');
    expect(row[9]).toBe('-1.000'); // Cohen's kappa: perfect disagreement, not neutralised
    const interval = table.rows[0].alphaInterval;
    if (!interval || !('low' in interval)) throw new Error('expected an interval');
    expect(row.slice(14, 17)).toEqual([interval.low.toFixed(3), interval.high.toFixed(3), String(interval.samples)]);
  });

  it('leaves out Cohen and Scott with more than two coders, and names the pooled row as asked', () => {
    const three: AnswerCodings = { answerIds: ['1'], coderIds: ['a', 'b', 'c'], codeIds: ['X'], present: () => ['X'] };
    const csv = agreementTableToCsv(buildAgreementTable(three, { bootstrapSamples: 0 }), { pooledName: 'Pooled' });
    const [header, , pooled] = csv.split('\r\n');
    expect(header).toBe(
      "Code,Units,Pairable units,All present,All absent,Mixed,Prevalence,Percent agreement,Fleiss' kappa,Gwet's AC1,Krippendorff's alpha,Alpha 95% low,Alpha 95% high,Bootstrap samples,Notes",
    );
    expect(pooled.startsWith('Pooled,1,1,1,0,0,1.000,1.000,')).toBe(true);
  });
});

describe('agreementTableToMarkdown', () => {
  it('writes a pipe table with escaped names, dashes for undefined values and the reasons below', () => {
    const markdown = agreementTableToMarkdown(buildAgreementTable(input, { bootstrapSamples: 100, seed: 3 }), labels);
    const lines = markdown.split('\n');
    expect(lines[0]).toBe(
      "| Code | Units | Pairable units | Both present | Only Ann | Only Bob | Both absent | Prevalence | Percent agreement | Cohen's kappa | Scott's pi | Fleiss' kappa | Gwet's AC1 | Krippendorff's alpha | Alpha 95% interval |",
    );
    expect(lines[1]).toBe('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    expect(lines[3]).toMatch(
      /^\| a\\\|b \| 6 \| 5 \| 1 \| 1 \| 0 \| 3 \| 0\.300 \| 0\.800 \| 0\.545 \| 0\.524 \| — \| 0\.655 \| 0\.571 \| -?\d\.\d{3} – \d\.\d{3} \|$/,
    );
    expect(markdown).toContain('Alpha intervals: 95% percentile bootstrap, 100 resamples of units (seed 3).');
    expect(markdown).toContain(`- a\\|b: ${FLEISS_NOTE}`);
    expect(markdown.endsWith('\n')).toBe(true);
  });
});

describe('disagreementsToCsv', () => {
  it('writes one line per disagreement with each coder’s value or passages', () => {
    const csv = disagreementsToCsv(
      ['Ann', 'Bob', '=Eve'],
      [
        {
          answerId: 'q1\u001fw1\u001fr1',
          question: 'Q1, why?',
          wave: 'Baseline',
          respondent: '-007',
          code: 'Cost',
          values: ['present', 'absent', null],
        },
        {
          answerId: 'q1\u001fw1\u001fr2',
          question: 'Q1, why?',
          wave: 'Baseline',
          respondent: 'r2',
          code: 'Cost',
          values: [
            {
              spans: [
                { start: 3, end: 10 },
                { start: 20, end: null },
              ],
            },
            { spans: [] },
            { spans: [{ start: null, end: null }] },
          ],
        },
      ],
    );
    expect(csv).toBe(
      "Answer id,Question,Wave,Respondent,Code,Ann,Bob,'=Eve\r\n" +
        'q1\u001fw1\u001fr1,"Q1, why?",Baseline,\'-007,Cost,present,absent,not coded\r\n' +
        'q1\u001fw1\u001fr2,"Q1, why?",Baseline,r2,Cost,3–10; 20–end,absent,whole answer\r\n',
    );
  });

  it('rejects rows whose values do not match the coders', () => {
    expect(() => disagreementsToCsv(['Ann'], [{ answerId: '1', question: '', wave: '', respondent: '', code: '', values: ['present', 'absent'] }])).toThrow(
      RangeError,
    );
  });
});
