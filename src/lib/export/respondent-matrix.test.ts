// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerId } from '../model/types';
import { csvText } from './csv-stream';
import { respondentMatrix, variableName, VariableNames, DICTIONARY_HEADER, type RespondentMatrixOptions } from './respondent-matrix';
import type { ExportCell, ExportSource } from './source';
import { parseCsv, sampleSource } from './test-data';

const rowsOf = (source: ExportSource, options: RespondentMatrixOptions = {}): ExportCell[][] => [...respondentMatrix(source, options).table.rows];
/** Each row's respondent, wave and its code and theme cells as a string: '.' for blank. */
const flags = (source: ExportSource, options: RespondentMatrixOptions = {}) =>
  rowsOf(source, options).map(
    (r) =>
      `${r[0]} ${r[1]} ${r[5]} ${r
        .slice(6)
        .map((v) => (v === null ? '.' : String(v)))
        .join('')}`,
  );

describe('respondent × code table', () => {
  it('has a row per respondent and wave, attributes, the questions answered, then a 0/1 column per code and per theme', () => {
    const { table } = respondentMatrix(sampleSource());
    expect(table.header).toEqual([
      'respondent',
      'wave',
      'wave_number',
      'role',
      'institution',
      'n_answered',
      'code_rewards',
      'code_rewards_career',
      'code_rewards_mentor_script_alert_1_script',
      'code_barriers',
      'code_barriers_time',
      'theme_growth_b',
      'theme_obstacles',
    ]);
    const rows = [...table.rows];
    expect(rows.map((r) => r.slice(0, 6))).toEqual([
      ['R1', 'Baseline', 1, 'mentee', 'Uni A', 2],
      ['R1', '6 months', 2, 'mentee', 'Uni A', 1],
      ['R2', 'Baseline', 1, 'mentor', '', 1],
      ['R2', '6 months', 2, 'mentor', '', 0],
      ['R3', 'Baseline', 1, '', '', 1],
      ['R3', '6 months', 2, '', '', 0],
    ]);
    for (const row of rows) expect(row).toHaveLength(table.header.length);
  });

  it('is 1 where any answer in scope of that respondent in that wave was coded; blank, not 0, where none was answered', () => {
    expect(flags(sampleSource())).toEqual([
      // R1 baseline: two answers, Mentor by Alice and Bob; the Growth theme counts Rewards' subcodes.
      'R1 Baseline 2 0010010',
      'R1 6 months 1 0100010',
      // R2: Rewards (Bob) and Time (Alice) in one answer.
      'R2 Baseline 1 1000111',
      // R2 did not answer at 6 months: every code cell blank.
      'R2 6 months 0 .......',
      // R3's only coding is the consensus coder's, which "any coder" leaves out: answered, so 0.
      'R3 Baseline 1 0000000',
      'R3 6 months 0 .......',
    ]);
  });

  it('counts only the chosen coder', () => {
    expect(flags(sampleSource(), { coder: 'consensus' })).toEqual([
      'R1 Baseline 2 0000000',
      'R1 6 months 1 0000000',
      'R2 Baseline 1 0000000',
      'R2 6 months 0 .......',
      'R3 Baseline 1 0001000',
      'R3 6 months 0 .......',
    ]);
    expect(flags(sampleSource(), { coder: { coderId: 'bob' } })[2]).toBe('R2 Baseline 1 1000010');
  });

  it("with includeSubcodes sets a parent's column where a subcode was applied, and says so in the dictionary", () => {
    const source = sampleSource();
    expect(flags(source, { includeSubcodes: true }).slice(0, 3)).toEqual(['R1 Baseline 2 1010010', 'R1 6 months 1 1100010', 'R2 Baseline 1 1001111']);
    const labels = respondentMatrix(source, { includeSubcodes: true })
      .columns.filter((c) => c.kind === 'code')
      .map((c) => c.label);
    expect(labels[0]).toBe('Rewards (or any of its subcodes)');
    expect(labels[1]).toBe('Rewards › Career');
  });

  it('keeps to the questions and waves in scope: blank where a respondent answered none of them', () => {
    expect(flags(sampleSource(), { questionIds: ['q-barriers'] })).toEqual([
      'R1 Baseline 1 0000000',
      'R1 6 months 0 .......',
      'R2 Baseline 0 .......',
      'R2 6 months 0 .......',
      'R3 Baseline 1 0000000',
      'R3 6 months 0 .......',
    ]);
    const sixMonths = respondentMatrix(sampleSource(), { waveIds: ['6-months'] });
    // The wave keeps its number in the project: 6 months is wave 2 with or without Baseline in scope.
    expect([...sixMonths.table.rows].map((r) => r.slice(0, 3))).toEqual([
      ['R1', '6 months', 2],
      ['R2', '6 months', 2],
      ['R3', '6 months', 2],
    ]);
    expect(sixMonths.columns[2].values).toBe('2 = 6 months');
    // Orders that are not distinct whole numbers fall back to places among the waves exported.
    const odd = sampleSource();
    odd.waves = odd.waves.map((w) => ({ ...w, order: w.order + 0.5 }));
    expect([...respondentMatrix(odd).table.rows].slice(0, 2).map((r) => r[2])).toEqual([1, 2]);
  });

  it('leaves out theme columns when asked, and ignores codings of answers the source does not hold', () => {
    const source = sampleSource();
    source.codings = [
      ...source.codings,
      { id: 'ghost', answerId: answerId('q-rewards', '6-months', 'R2'), codeId: 'rewards', coderId: 'alice', start: null, end: null },
    ];
    const { table } = respondentMatrix(source, { themes: false });
    expect(table.header.at(-1)).toBe('code_barriers_time');
    expect([...table.rows][3].slice(5)).toEqual([0, null, null, null, null, null]);
  });

  it('says in the dictionary when the respondent column holds pseudonyms', () => {
    expect([...respondentMatrix(sampleSource(), { pseudonyms: true }).dictionary.rows][0].slice(0, 3)).toEqual([
      'respondent',
      'Respondent pseudonym',
      'respondent',
    ]);
    expect([...respondentMatrix(sampleSource()).dictionary.rows][0].slice(0, 4)).toEqual(['respondent', 'Respondent id', 'respondent', 'as imported']);
  });

  it('describes every column in the dictionary: name, label, kind, values and the coding set', () => {
    const matrix = respondentMatrix(sampleSource(), { coder: { coderId: 'alice' } });
    const dictionary = [...matrix.dictionary.rows];
    expect(matrix.dictionary.header).toEqual(DICTIONARY_HEADER);
    expect(dictionary.map((r) => r[0])).toEqual(matrix.table.header);
    expect(dictionary[1]).toEqual(['wave', 'Wave', 'wave', 'Baseline; 6 months', '']);
    expect(dictionary[2][3]).toBe('1 = Baseline; 2 = 6 months');
    expect(dictionary[3]).toEqual(['role', 'role', 'attribute', 'text as imported; blank = no value', '']);
    expect(dictionary[7]).toEqual([
      'code_rewards_career',
      'Rewards › Career',
      'code',
      '0 = not coded, 1 = coded; blank = answered no question in scope in this wave',
      "Alice's codings",
    ]);
    expect(dictionary.at(-2)?.slice(1, 3)).toEqual(['Theme: Growth <b>', 'theme']);
    expect(respondentMatrix(sampleSource(), { codingSet: 'Final (consensus, else Alice)' }).columns.length).toBe(13);
    expect([...respondentMatrix(sampleSource(), { codingSet: 'Final (consensus, else Alice)' }).dictionary.rows].at(-1)?.[4]).toBe(
      'Final (consensus, else Alice)',
    );
    expect([...respondentMatrix(sampleSource()).dictionary.rows].at(-1)?.[4]).toBe('any coder (the consensus coder left out)');
  });

  it('names columns uniquely even when an attribute is called "wave" or two codes differ only in punctuation', () => {
    const source = sampleSource();
    source.attributes = [...source.attributes, { name: 'Wave', order: 5, values: [] }, { name: '2019 cohort', order: 6, values: [] }];
    source.codes = source.codes.map((c) => (c.id === 'rewards-career' ? { ...c, name: 'Mentor <script>alert(1)</script>!' } : c));
    const header = respondentMatrix(source).table.header;
    expect(header.slice(0, 8)).toEqual(['respondent', 'wave', 'wave_number', 'role', 'institution', 'wave_2', 'v_2019_cohort', 'n_answered']);
    expect(header.filter((h) => h.startsWith('code_rewards_mentor'))).toEqual([
      'code_rewards_mentor_script_alert_1_script',
      'code_rewards_mentor_script_alert_1_script_2',
    ]);
  });

  it('writes blanks as empty CSV cells and numbers as numbers', () => {
    const { table } = respondentMatrix(sampleSource());
    const csv = parseCsv(csvText(table));
    expect(csv[4]).toEqual(['R2', '6 months', '2', 'mentor', '', '0', '', '', '', '', '', '', '']);
    expect(csv[1].slice(5)).toEqual(['2', '0', '0', '1', '0', '0', '1', '0']);
  });

  it('is a balanced panel: respondents × waves rows, each as wide as the header (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 0, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 10 }),
        (answeredMask, codedAnswers) => {
          const base = sampleSource();
          const respondents = answeredMask.map((_, i) => ({ id: `P${i}`, attributes: {} }));
          const answers = answeredMask.flatMap((yes, i) =>
            yes ? [{ id: answerId('q-rewards', 'baseline', `P${i}`), questionId: 'q-rewards', waveId: 'baseline', respondentId: `P${i}`, text: 'x' }] : [],
          );
          const codings = codedAnswers
            .filter((i) => i < answers.length)
            .map((i, k) => ({ id: `c${k}`, answerId: answers[i].id, codeId: 'rewards', coderId: 'alice', start: null, end: null }));
          const { table } = respondentMatrix({ ...base, respondents, answers, codings });
          const rows = [...table.rows];
          expect(rows).toHaveLength(respondents.length * 2);
          for (const row of rows) {
            expect(row).toHaveLength(table.header.length);
            const answered = row[5] as number;
            for (const cell of row.slice(6)) expect(answered === 0 ? cell === null : cell === 0 || cell === 1).toBe(true);
          }
          const codedRespondents = new Set(codings.map((c) => c.answerId));
          expect(rows.filter((r) => r[6] === 1)).toHaveLength(codedRespondents.size);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('column names for R, SPSS and Stata', () => {
  it('folds accents, replaces punctuation, starts with a letter and avoids reserved words', () => {
    expect(variableName('Rewards > Career', 'code_')).toBe('code_rewards_career');
    expect(variableName('Nguyễn Đức Ærø straße')).toBe('nguyen_duc_aero_strasse');
    expect(variableName('2019 cohort')).toBe('v_2019_cohort');
    expect(variableName('TRUE')).toBe('v_true');
    expect(variableName('if')).toBe('v_if');
    expect(variableName('_n')).toBe('n');
    expect(variableName('中文', '', 'attribute')).toBe('attribute');
    expect(variableName('中文', 'code_', 'code')).toBe('code_code');
    expect(variableName('x'.repeat(100))).toHaveLength(64);
    expect(variableName('x'.repeat(100), '', 'v', 32)).toHaveLength(32);
  });

  it('hands out names unique ignoring case, within the length', () => {
    const names = new VariableNames(32);
    expect([names.take('Role'), names.take('role'), names.take('ROLE')]).toEqual(['role', 'role_2', 'role_3']);
    const long = 'y'.repeat(40);
    expect([names.take(long), names.take(long)]).toEqual(['y'.repeat(32), `${'y'.repeat(30)}_2`]);
  });

  it('always gives a legal, unique name (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 80 }), { maxLength: 30 }), fc.constantFrom(32, 64), (texts, max) => {
        const names = new VariableNames(max);
        const out = texts.map((t, i) => names.take(t, i % 2 ? 'code_' : ''));
        for (const name of out) {
          expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
          expect(name.length).toBeLessThanOrEqual(max);
          expect(['if', 'true', 'na', 'and', 'to', 'with', 'in']).not.toContain(name);
        }
        expect(new Set(out.map((n) => n.toLowerCase())).size).toBe(out.length);
      }),
      { numRuns: 100 },
    );
  });
});
