// @vitest-environment node
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import {
  agreementFileName,
  agreementTableToCsv,
  agreementTableToMarkdown,
  disagreementsToCsv,
  exportAnswerId,
  type AgreementScopeRecord,
} from './agreement-export';
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

describe('agreementTableToCsv', () => {
  it('writes one row per code and a pooled row, with counts, three-decimal statistics and notes', () => {
    const csv = agreementTableToCsv(buildAgreementTable(input, { bootstrapSamples: 0 }), labels);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      "Code,Units,Pairable units,Both present,Only Ann,Only Bob,Both absent,Prevalence,Percent agreement,Cohen's kappa,Scott's pi,Fleiss' kappa,Gwet's AC1,Krippendorff's alpha,Alpha 95% low,Alpha 95% high,Bootstrap samples,Notes",
    );
    // X: κ = 8/13, π = 0.6, Fleiss 103/175, AC1 113/185, α = 0.64 (see answer-agreement.test.ts; Fleiss and AC1
    // take prevalence from all six answers coded, answer 5 with one value included).
    expect(lines[1]).toBe(`"'=X, evil",6,5,2,0,1,2,0.500,0.800,0.615,0.600,0.589,0.611,0.640,,,,`);
    // Y: κ = 6/11, π = 22/42, α = 24/42; π_present = 1.5/6: Fleiss p_e = 10/16, κ = 0.175/0.375; AC1 p_e = 0.375, 0.425/0.625.
    expect(lines[2]).toBe(`a|b,6,5,1,1,0,3,0.300,0.800,0.545,0.524,0.467,0.680,0.571,,,,`);
    // Pooled: κ = 28/48, π = 112/192, α = 1 − 0.95 · 5/12; π_present = 5/12: Fleiss (0.8 − 74/144)/(70/144), AC1 (0.8 − 70/144)/(74/144).
    expect(lines[3]).toBe(`All codes (pooled),12,10,3,1,1,5,0.400,0.800,0.583,0.583,0.589,0.611,0.604,,,,`);
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
      /^\| a\\\|b \| 6 \| 5 \| 1 \| 1 \| 0 \| 3 \| 0\.300 \| 0\.800 \| 0\.545 \| 0\.524 \| 0\.467 \| 0\.680 \| 0\.571 \| -?\d\.\d{3} – \d\.\d{3} \|$/,
    );
    expect(markdown).toContain('Alpha intervals: 95% percentile bootstrap, 100 resamples of units (seed 3).');
    expect(markdown.endsWith('\n')).toBe(true);
  });
});

describe('disagreementsToCsv', () => {
  it('writes one line per disagreement: respondent, question, wave and code readable, each coder’s value or passages', () => {
    const csv = disagreementsToCsv(
      ['Ann', 'Bob', '=Eve'],
      [
        {
          answerId: 'q1\u001fw1\u001fr1',
          respondent: '-007',
          questionKey: 'Q1',
          question: 'Q1, why?',
          wave: 'Baseline',
          code: 'Cost',
          values: ['present', 'absent', null],
        },
        {
          answerId: 'q1\u001fw1\u001fr2',
          respondent: 'r2',
          question: 'Q1, why?',
          wave: 'Baseline',
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
      "Respondent,Question key,Question,Wave,Code,Ann,Bob,'=Eve,Answer id\r\n" +
        '\'-007,Q1,"Q1, why?",Baseline,Cost,present,absent,not coded,q1|w1|r1\r\n' +
        'r2,,"Q1, why?",Baseline,Cost,3–10; 20–end,absent,whole answer,q1|w1|r2\r\n',
    );
    // No control characters anywhere in the file (the internal id's U+001F among them).
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('rejects rows whose values do not match the coders', () => {
    expect(() => disagreementsToCsv(['Ann'], [{ answerId: '1', question: '', wave: '', respondent: '', code: '', values: ['present', 'absent'] }])).toThrow(
      RangeError,
    );
  });

  it('writes answer ids with | between question, wave and respondent', () => {
    expect(exportAnswerId('q-rewards\u001fbaseline\u001fR|7')).toBe('q-rewards|baseline|R|7');
  });
});

const scope: AgreementScopeRecord = {
  project: 'AIMMS, mentoring',
  coders: ['Ann', 'Bob'],
  codes: ['=X, evil', 'a|b', '#1 priority'],
  includeSubcodes: true,
  questions: [
    { key: 'Q5', label: 'What changed?' },
    { key: 'Q6', label: 'Say "more"' },
  ],
  waves: ['Baseline', '6 months'],
  attributes: { role: 'mentor', site: '' },
  answers: { inScope: 300, compared: 6 },
  round: { name: 'Main', number: 2, seed: 42, size: 6 },
  codebookVersion: { number: 3, label: 'After pilot' },
  uncodedAs: 'missing',
  date: '2026-12-05T23:50:00.000Z',
  appVersion: '0.1.0',
};

describe('the scope record', () => {
  const table = buildAgreementTable({ ...input, codeIds: ['X', 'Y', 'H'] }, { bootstrapSamples: 0 });
  const named = { ...labels, codeName: (id: string) => (id === 'H' ? '#1 priority' : names[id]) };

  it('opens the CSV with # lines saying what was measured, before the header row', () => {
    const csv = agreementTableToCsv(table, named, scope);
    const lines = csv.split('\r\n');
    const comments = lines.filter((line) => line.startsWith('#'));
    expect(lines.slice(0, comments.length)).toEqual(comments);
    expect(comments).toEqual([
      '# Codebench agreement table',
      '# Project: AIMMS, mentoring',
      '# Round: 2 (Main): sample of 6 answers, seed 42',
      '# Codebook version: 3 (After pilot)',
      '# Coders: Ann; Bob',
      '# Codes: =X, evil; a|b; #1 priority (each with its subcodes)',
      "# Questions: Q5 What changed?; Q6 Say 'more'",
      '# Waves: Baseline; 6 months',
      '# Attribute filters: role = mentor',
      '# Answers: 6 compared of 300 in scope',
      '# Uncoded answers: missing (an answer a coder did not code is left out of that coder’s comparisons)',
      '# Date: 2026-12-05T23:50:00.000Z',
      '# Codebench version: 0.1.0',
    ]);
    expect(lines[comments.length]).toMatch(/^Code,Units,/);
  });

  it('leaves a table papaparse reads with comments: "#", a code named "#1…" included', () => {
    const csv = agreementTableToCsv(table, named, scope);
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true, comments: '#', skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data.map((row) => row.Code)).toEqual(["'=X, evil", 'a|b', '#1 priority', 'All codes (pooled)']);
    expect(parsed.data[0]['Percent agreement']).toBe('0.800');
    // The code named "#1 priority" is quoted, so no reader skips its row as a comment.
    expect(csv).toContain('\r\n"#1 priority",');
  });

  it('keeps each # line one line, and no piece after a comma reads as a formula or opens a quoted field', () => {
    const tricky: AgreementScopeRecord = { ...scope, project: 'P,=HYPERLINK("x"),  +1,"q\nr', round: undefined, codebookVersion: undefined };
    const csv = agreementTableToCsv(table, named, tricky);
    const project = csv.split('\r\n').find((line) => line.startsWith('# Project'))!;
    expect(project).toBe("# Project: P,'=HYPERLINK('x'),  '+1,'q r");
    expect(csv).not.toContain('Round');
  });

  it('puts the scope above the Markdown table as a list', () => {
    const markdown = agreementTableToMarkdown(table, named, scope);
    const lines = markdown.split('\n');
    expect(lines[0]).toBe('- Project: AIMMS, mentoring');
    expect(lines).toContain('- Codes: =X, evil; a\\|b; #1 priority (each with its subcodes)');
    const header = lines.findIndex((line) => line.startsWith('| Code |'));
    expect(lines[header - 1]).toBe('');
    expect(lines[header - 2]).toBe('- Codebench version: 0.1.0');
  });

  it('is left out when not given, so the table starts at once', () => {
    expect(agreementTableToCsv(table, named).startsWith('Code,')).toBe(true);
    expect(agreementTableToMarkdown(table, named).startsWith('| Code |')).toBe(true);
  });
});

describe('agreementFileName', () => {
  it('names the file after the project and the round, in safe characters', () => {
    expect(agreementFileName('AIMMS mentoring', 'agreement', 'csv', { name: 'Main', number: 2 })).toBe('AIMMS-mentoring-round-2-Main-agreement.csv');
    expect(agreementFileName('AIMMS mentoring', 'agreement', 'md')).toBe('AIMMS-mentoring-agreement.md');
    expect(agreementFileName('Étude: "été"/2026?', 'disagreements', 'csv')).toBe('Étude-été-2026-disagreements.csv');
    expect(agreementFileName('Исследование', 'agreement', 'csv', { name: '', number: 1 })).toBe('Исследование-round-1-agreement.csv');
    expect(agreementFileName('تقييم الإرشاد', 'agreement', 'csv', { name: 'الجولة الأولى', number: 1 })).toBe(
      'تقييم-الإرشاد-round-1-الجولة-الأولى-agreement.csv',
    );
    expect(agreementFileName('हिन्दी', 'agreement', 'csv')).toBe('हिन्दी-agreement.csv');
    expect(agreementFileName('', 'agreement', 'csv')).toBe('codebench-agreement.csv');
    expect(agreementFileName('../..\\con', 'agreement', 'csv')).toBe('con-agreement.csv');
  });
});
