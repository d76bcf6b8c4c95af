// @vitest-environment node
/**
 * Prevalence tables on the AIMMS-like study (aimms-fixture.ts): every expected
 * count is read off the fixture's table by hand; intervals are checked against
 * `wilsonInterval`, `newcombeDifference` and `weightedProportion`, which are
 * tested against published values in proportions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { aimmsAid, aimmsInput } from './aimms-fixture';
import { buildAnalysisIndex } from './analysis-index';
import { CodedCache } from './coded';
import { methodText, newcombeDifference, weightedProportion, wilsonInterval } from './proportions';
import { methodNote, parseWeight, PrevalenceError, prevalenceCellAnswers, prevalenceTable, type Dimension, type PrevalenceOptions } from './prevalence-table';
import type { Target } from './targets';

const index = buildAnalysisIndex(aimmsInput());
const S: Target = { kind: 'code', codeId: 'S' };
const C: Target = { kind: 'code', codeId: 'C' };
const R: Target = { kind: 'code', codeId: 'R' };
const RSUB: Target = { kind: 'code-with-subcodes', codeId: 'R' };
const T: Target = { kind: 'code', codeId: 'T' };
const REL: Target = { kind: 'theme', themeId: 'REL' };
const ROLE: Dimension = { kind: 'attribute', name: 'role' };
const WAVE: Dimension = { kind: 'wave' };
const all = { kind: 'all' } as const;
const options = (o: Partial<PrevalenceOptions> = {}): PrevalenceOptions => ({ coders: all, unit: 'respondents', dimensions: [ROLE, WAVE], ...o });
const counts = (cells: { count: number; base: number }[]) => cells.map((c) => `${c.count}/${c.base}`);

describe('prevalenceTable: role × wave, respondents (hand-counted)', () => {
  const table = prevalenceTable(index, [S, C, R, RSUB, T, REL], options());

  it('has the columns role-major, roles in natural order, waves in wave order, with their bases', () => {
    expect(table.columns.map((c) => c.values)).toEqual([
      ['Mentee', 'base'],
      ['Mentee', 'm6'],
      ['Mentor', 'base'],
      ['Mentor', 'm6'],
    ]);
    // Mentees: E01–E16 and X01 at baseline, E01–E12 at 6 months; mentors: M01–M15 and M17, then M01–M16.
    expect(table.columns.map((c) => c.base)).toEqual([17, 12, 16, 16]);
    expect(table.total.base).toBe(34);
    expect(new Set(table.columns.map((c) => c.key)).size).toBe(4);
  });

  it('counts Support: 8 of 17, 6 of 12, 6 of 16, 8 of 16; 21 of 34 overall', () => {
    const s = table.rows.find((r) => r.key === 'code:S')!;
    expect(counts(s.cells)).toEqual(['8/17', '6/12', '6/16', '8/16']);
    expect(counts([s.total])).toEqual(['21/34']);
    expect(s.cells[1].share).toBe(0.5);
    const w = wilsonInterval(8, 17);
    expect([s.cells[0].low, s.cells[0].high]).toEqual([w.low, w.high]);
    expect(s.cells[0].weighted).toBeNull();
    expect(s.label).toBe('Support');
  });

  it('counts Career alone and Rewards with its subcodes alike, and hides Rewards on its own (never coded)', () => {
    const c = table.rows.find((r) => r.key === 'code:C')!;
    expect(counts(c.cells)).toEqual(['5/17', '5/12', '6/16', '5/16']);
    const withSub = table.rows.find((r) => r.key === 'code+sub:R')!;
    expect(counts(withSub.cells)).toEqual(counts(c.cells));
    expect(table.rows.some((r) => r.key === 'code:R')).toBe(false);
    expect(table.hiddenEmptyRows).toBe(1);
  });

  it('counts Time (Q2 at baseline, and bob once at 6 months) and the theme Relationship = Support or Time', () => {
    expect(counts(table.rows.find((r) => r.key === 'code:T')!.cells)).toEqual(['3/17', '0/12', '0/16', '1/16']);
    // E05 has Time but not Support at baseline; M05 has Time (bob) at 6 months.
    expect(counts(table.rows.find((r) => r.key === 'theme:REL')!.cells)).toEqual(['9/17', '6/12', '6/16', '9/16']);
  });

  it('gives each role the difference 6 months − baseline by Newcombe', () => {
    expect(table.comparisons).toEqual([
      { a: 0, b: 1 },
      { a: 2, b: 3 },
    ]);
    const s = table.rows.find((r) => r.key === 'code:S')!;
    const mentees = newcombeDifference(6, 12, 8, 17);
    const mentors = newcombeDifference(8, 16, 6, 16);
    expect(s.differences).toEqual([
      { a: 0, b: 1, estimate: mentees.estimate, low: mentees.low, high: mentees.high },
      { a: 2, b: 3, estimate: mentors.estimate, low: mentors.low, high: mentors.high },
    ]);
    expect(s.differences[1]!.estimate).toBeCloseTo(0.125, 12);
  });

  it('follows the coder selection', () => {
    const alice = prevalenceTable(index, [T], options({ coders: { kind: 'coder', coderId: 'alice' } }));
    expect(counts(alice.rows[0].cells)).toEqual(['3/17', '0/12', '0/16', '0/16']);
  });

  it('shows rows coded nowhere when asked', () => {
    const shown = prevalenceTable(index, [R], options({ showEmptyRows: true }));
    expect(shown.hiddenEmptyRows).toBe(0);
    expect(counts(shown.rows[0].cells)).toEqual(['0/17', '0/12', '0/16', '0/16']);
    expect(shown.rows[0].cells[0].low).toBe(0);
  });
});

describe('prevalenceTable: other dimensions', () => {
  it('role alone: the cells add up to the total (a respondent has one role)', () => {
    const t = prevalenceTable(index, [S], options({ dimensions: [ROLE] }));
    expect(counts(t.rows[0].cells)).toEqual(['11/17', '10/17']);
    expect(counts([t.rows[0].total])).toEqual(['21/34']);
    expect(t.comparisons).toEqual([{ a: 0, b: 1 }]);
    expect(t.rows[0].differences[0]!.estimate).toBeCloseTo(10 / 17 - 11 / 17, 12);
  });

  it('wave × role: the difference is Mentor − Mentee within each wave', () => {
    const t = prevalenceTable(index, [S], options({ dimensions: [WAVE, ROLE] }));
    expect(t.columns.map((c) => c.values.join('·'))).toEqual(['base·Mentee', 'base·Mentor', 'm6·Mentee', 'm6·Mentor']);
    expect(counts(t.rows[0].cells)).toEqual(['8/17', '6/16', '6/12', '8/16']);
    expect(t.rows[0].differences.map((d) => d!.estimate)).toEqual([6 / 16 - 8 / 17, 8 / 16 - 6 / 12]);
  });

  it('question × wave drops the combination nobody answered (Q2 at 6 months)', () => {
    const t = prevalenceTable(index, [T], options({ dimensions: [{ kind: 'question' }, WAVE] }));
    expect(t.columns.map((c) => `${c.values.join('·')}=${c.base}`)).toEqual(['Q1·base=33', 'Q1·m6=28', 'Q2·base=8']);
    expect(counts(t.rows[0].cells)).toEqual(['0/33', '1/28', '3/8']);
    // Only Q1 has both waves.
    expect(t.comparisons).toEqual([{ a: 0, b: 1 }]);
  });

  it('attribute values given first keep their order; values nobody has are dropped', () => {
    const t = prevalenceTable(index, [S], options({ dimensions: [{ kind: 'attribute', name: 'role', values: ['Mentor', 'Staff'] }] }));
    expect(t.columns.map((c) => c.values[0])).toEqual(['Mentor', 'Mentee']);
  });

  it('blank values make a "" column, last', () => {
    const t = prevalenceTable(index, [S], options({ dimensions: [{ kind: 'attribute', name: 'pair' }] }));
    expect(t.columns.map((c) => c.values[0]).slice(0, 3)).toEqual(['Pair 1', 'Pair 2', 'Pair 3']);
    expect(t.columns.at(-1)!.values).toEqual(['']);
    expect(t.columns.at(-1)!.base).toBe(1);
    // No two-group dimension: no differences.
    expect(t.comparisons).toEqual([]);
    expect(t.rows[0].differences).toEqual([]);
  });

  it('no dimension: the total column only', () => {
    const t = prevalenceTable(index, [S, C], options({ dimensions: [] }));
    expect(t.columns).toEqual([]);
    expect(t.rows.map((r) => counts([r.total])[0])).toEqual(['21/34', '14/34']);
  });

  it('answers as the unit: denominators are answers (41 at baseline: 33 to Q1, 8 to Q2)', () => {
    const t = prevalenceTable(index, [T, S], options({ unit: 'answers', dimensions: [WAVE] }));
    expect(t.columns.map((c) => c.base)).toEqual([41, 28]);
    expect(t.total.base).toBe(69);
    expect(counts(t.rows[0].cells)).toEqual(['3/41', '1/28']);
    expect(counts(t.rows[1].cells)).toEqual(['14/41', '14/28']);
  });

  it('refuses three dimensions', () => {
    expect(() => prevalenceTable(index, [S], options({ dimensions: [ROLE, WAVE, { kind: 'question' }] }))).toThrow(PrevalenceError);
  });

  it('an empty scope: no columns, a total of 0 and no interval', () => {
    const empty = buildAnalysisIndex(aimmsInput({ answers: [] }));
    const t = prevalenceTable(empty, [S], options({ showEmptyRows: true }));
    expect(t.columns).toEqual([]);
    expect(t.rows[0].total).toEqual({ count: 0, base: 0, share: null, low: null, high: null, weighted: null });
  });
});

describe('prevalenceTable: weights', () => {
  it('weights each cell (mentees 1, X01 0.5; mentors 2, M17 3) and keeps the unweighted counts', () => {
    const t = prevalenceTable(index, [S], options({ dimensions: [ROLE], weightAttribute: 'weight' }));
    expect(t.weighted).toBe(true);
    const [mentees, mentors] = t.rows[0].cells;
    expect(counts([mentees, mentors])).toEqual(['11/17', '10/17']);
    expect(mentees.weighted!.weightTotal).toBe(16.5);
    expect(mentees.weighted!.estimate).toBeCloseTo(10.5 / 16.5, 12);
    expect(mentees.weighted!.effectiveN).toBeCloseTo(16.5 ** 2 / 16.25, 12);
    expect(mentors.weighted!.estimate).toBeCloseTo(20 / 35, 12);
    expect(mentors.weighted!.effectiveN).toBeCloseTo(35 ** 2 / 73, 12);
    const expected = weightedProportion([
      ...Array.from({ length: 10 }, () => ({ weight: 2, success: true })),
      ...Array.from({ length: 6 }, () => ({ weight: 2, success: false })),
      { weight: 3, success: false },
    ]);
    expect(mentors.weighted!.low).toBeCloseTo(expected.low, 12);
    expect(mentors.weighted!.high).toBeCloseTo(expected.high, 12);
    expect(t.rows[0].total.weighted!.weightTotal).toBe(51.5);
    expect(methodNote(t)).toContain(methodText().weighted);
  });

  it('weights wave columns by the respondents who answered in that wave', () => {
    const t = prevalenceTable(index, [S], options({ dimensions: [WAVE], weightAttribute: 'weight' }));
    // 6 months: E01–E12 (12 × 1) and M01–M16 (16 × 2); Support: 6 mentees, 8 mentors.
    expect(t.rows[0].cells[1].weighted!.weightTotal).toBe(44);
    expect(t.rows[0].cells[1].weighted!.estimate).toBeCloseTo((6 + 16) / 44, 12);
  });

  it('with equal weights gives exactly the unweighted Wilson interval', () => {
    const equal = buildAnalysisIndex(aimmsInput({ attributeOf: (r, n) => (n === 'w' ? '2' : aimmsInput().attributeOf(r, n)) }));
    const t = prevalenceTable(equal, [S], options({ weightAttribute: 'w' }));
    for (const c of t.rows[0].cells) {
      expect(c.weighted!.estimate).toBeCloseTo(c.share!, 12);
      expect(c.weighted!.low).toBeCloseTo(c.low!, 9);
      expect(c.weighted!.high).toBeCloseTo(c.high!, 9);
    }
  });

  it('ignores weights when the unit is answers', () => {
    const t = prevalenceTable(index, [S], options({ unit: 'answers', weightAttribute: 'weight' }));
    expect(t.weighted).toBe(false);
    expect(t.rows[0].cells[0].weighted).toBeNull();
    expect(methodNote(t)).not.toContain('Kish');
  });

  const withWeight = (id: string, value: string) => {
    const base = aimmsInput();
    return buildAnalysisIndex(aimmsInput({ attributeOf: (r, n) => (n === 'weight' && r === id ? value : base.attributeOf(r, n)) }));
  };

  it.each([
    ['', /E05 has no value in the weight column "weight"/],
    ['abc', /E05 has the weight "abc" in "weight", which is not a number/],
    ['1,5', /E05 has the weight "1,5".*decimal point \(1\.5\)/],
    ['-1', /E05 has a negative weight \(-1\)/],
    ['0x10', /not a number/],
  ])('refuses the weight %j, naming the respondent and what to do', (value, message) => {
    let error: unknown;
    try {
      prevalenceTable(withWeight('E05', value), [S], options({ weightAttribute: 'weight' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PrevalenceError);
    expect((error as PrevalenceError).message).toMatch(message);
    expect((error as PrevalenceError).message).toMatch(/choose another weight column/);
    expect((error as PrevalenceError).respondentId).toBe('E05');
    expect((error as PrevalenceError).value).toBe(value);
  });

  it('reads only the weights of respondents in scope', () => {
    const base = aimmsInput();
    const noX01 = buildAnalysisIndex(
      aimmsInput({ answers: [...base.answers].filter((a) => a.respondentId !== 'X01'), attributeOf: (r, n) => (r === 'X01' ? 'abc' : base.attributeOf(r, n)) }),
    );
    expect(prevalenceTable(noX01, [S], options({ weightAttribute: 'weight' })).rows[0].cells[0].weighted!.weightTotal).toBe(16);
  });

  it('parses weights written with a point, with spaces and exponents; zero is allowed', () => {
    expect(['1.5', ' 2 ', '.5', '1e2', '+3', '0'].map((v) => parseWeight(v, 'r', 'w'))).toEqual([1.5, 2, 0.5, 100, 3, 0]);
  });
});

describe('prevalenceTable: the columns kept between tables of one index', () => {
  it('gives each table what a fresh index gives, whatever tables came before (property)', () => {
    const DIMENSIONS: Dimension[][] = [
      [],
      [ROLE],
      [WAVE],
      [ROLE, WAVE],
      [WAVE, ROLE],
      [{ kind: 'question' }],
      [{ kind: 'attribute', name: 'role', values: ['mentor'] }],
    ];
    const table = fc.record({
      dimensions: fc.constantFrom(...DIMENSIONS),
      unit: fc.constantFrom('respondents' as const, 'answers' as const),
      coders: fc.constantFrom<PrevalenceOptions['coders']>(all, { kind: 'coder', coderId: 'alice' }, { kind: 'coder', coderId: 'bob' }),
      targets: fc.subarray([S, C, R, RSUB, T, REL], { minLength: 1 }),
      // A report's tables share what each code's answers are (CodedCache); the Prevalence tab's do not.
      cached: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(table, { minLength: 1, maxLength: 6 }), (tables) => {
        const shared = buildAnalysisIndex(aimmsInput());
        const cache = new CodedCache(shared);
        for (const t of tables) {
          const o = options({ dimensions: t.dimensions, unit: t.unit, coders: t.coders });
          const fresh = prevalenceTable(buildAnalysisIndex(aimmsInput()), t.targets, o);
          expect(prevalenceTable(shared, t.targets, o, t.cached ? cache : undefined)).toEqual(fresh);
          // A cache made for another index is not used for this one.
          expect(prevalenceTable(buildAnalysisIndex(aimmsInput()), t.targets, o, cache)).toEqual(fresh);
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe('methodNote', () => {
  it('names the unit, the denominators, Wilson and Newcombe (independent groups), and the hidden rows', () => {
    const t = prevalenceTable(index, [S, R], options());
    const note = methodNote(t);
    expect(note).toMatch(/^Each cell is the number of respondents .* out of the respondents who answered a question in scope/);
    expect(note).toContain(methodText().wilson);
    expect(note).toContain(methodText().newcombe);
    expect(note).toContain('treats the two groups as independent');
    expect(note).toContain('One code or theme coded nowhere in scope is not shown.');
  });

  it('says no more than the table uses, at its confidence level', () => {
    const t = prevalenceTable(index, [S], options({ dimensions: [{ kind: 'attribute', name: 'pair' }], unit: 'answers', confidence: 0.9 }));
    const note = methodNote(t);
    expect(note).toContain('number of answers');
    expect(note).toContain('90% confidence intervals');
    expect(note).not.toContain('Newcombe');
  });
});

describe('prevalenceCellAnswers', () => {
  it('opens a cell: the coded answers of mentors at 6 months, in answer order', () => {
    const ids = prevalenceCellAnswers(index, S, { coders: all, dimensions: [ROLE, WAVE] }, ['Mentor', 'm6']);
    expect(ids).toEqual(['M01', 'M02', 'M07', 'M09', 'M11', 'M12', 'M15', 'M16'].map((r) => aimmsAid(r, 'Q1', 'm6')));
  });

  it('opens the total column (null): every coded answer, and as many as the respondent count when one answer each', () => {
    const ids = prevalenceCellAnswers(index, T, { coders: all, dimensions: [ROLE, WAVE] }, null);
    expect(ids).toEqual([aimmsAid('E01', 'Q2', 'base'), aimmsAid('E03', 'Q2', 'base'), aimmsAid('E05', 'Q2', 'base'), aimmsAid('M05', 'Q1', 'm6')]);
  });

  it('gives nothing for values the index does not have, and refuses the wrong number of values', () => {
    expect(prevalenceCellAnswers(index, S, { coders: all, dimensions: [ROLE] }, ['Staff'])).toEqual([]);
    expect(() => prevalenceCellAnswers(index, S, { coders: all, dimensions: [ROLE] }, ['Mentee', 'base'])).toThrow(PrevalenceError);
  });

  it('matches the counts of the table in the answers unit', () => {
    const t = prevalenceTable(index, [S, C, T], options({ unit: 'answers', dimensions: [{ kind: 'question' }, WAVE] }));
    for (const row of t.rows) {
      t.columns.forEach((col, k) =>
        expect(prevalenceCellAnswers(index, row.target, { coders: all, dimensions: t.dimensions }, col.values)).toHaveLength(row.cells[k].count),
      );
    }
  });
});
