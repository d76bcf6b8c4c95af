// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METHOD_TEXT, WeightError, methodText, newcombeDifference, normalQuantile, weightedProportion, wilsonInterval, type Interval } from './proportions';

/** Rounds as the papers print: four decimals. */
const four = (i: Interval) => [i.estimate, i.low, i.high].map((v) => Number(v.toFixed(4)));

describe('normalQuantile', () => {
  // Reference values: scipy.stats.norm.ppf.
  it.each([
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.02, -2.053748910631823],
    [0.02425, -1.972961051311885],
    [0.1, -1.2815515655446004],
    [0.5, 0],
    [0.8, 0.8416212335729143],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.9999, 3.719016485455709],
  ])('at %f', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 8);
  });

  it('is infinite at 0 and 1 and NaN outside', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(NaN)).toBeNaN();
  });
});

describe('wilsonInterval', () => {
  // The worked examples of Newcombe (1998a), "Two-sided confidence intervals for the single proportion", method 3
  // (score, no continuity correction); every figure reproduced by an independent computation (Python, scipy).
  it.each([
    [81, 263, [0.308, 0.2553, 0.3662]],
    [15, 148, [0.1014, 0.0624, 0.1605]],
    [0, 20, [0, 0, 0.1611]],
    [1, 29, [0.0345, 0.0061, 0.1718]],
    [29, 29, [1, 0.883, 1]],
  ])('%i of %i', (x, n, expected) => {
    expect(four(wilsonInterval(x, n))).toEqual(expected);
  });

  it('is exact at 0 and n', () => {
    expect(wilsonInterval(0, 7).low).toBe(0);
    expect(wilsonInterval(0, 7).estimate).toBe(0);
    expect(wilsonInterval(7, 7).high).toBe(1);
    expect(wilsonInterval(7, 7).estimate).toBe(1);
  });

  it('gives NaN and [0, 1] for nobody', () => {
    const i = wilsonInterval(0, 0);
    expect(i.estimate).toBeNaN();
    expect([i.low, i.high]).toEqual([0, 1]);
  });

  it('handles one respondent (scipy: 0.2065 to 1, 0 to 0.7935)', () => {
    expect(four(wilsonInterval(1, 1))).toEqual([1, 0.2065, 1]);
    expect(four(wilsonInterval(0, 1))).toEqual([0, 0, 0.7935]);
  });

  it('takes another confidence level', () => {
    const i95 = wilsonInterval(8, 16);
    const i99 = wilsonInterval(8, 16, 0.99);
    expect(i99.low).toBeLessThan(i95.low);
    expect(i99.high).toBeGreaterThan(i95.high);
  });

  it('refuses impossible counts and levels', () => {
    expect(() => wilsonInterval(5, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 4)).toThrow(RangeError);
    expect(() => wilsonInterval(1, NaN)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 4, 95)).toThrow(/between 0 and 1/);
  });

  const counts = fc.integer({ min: 0, max: 5000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

  it('property: 0 ≤ low ≤ estimate ≤ high ≤ 1', () => {
    fc.assert(
      fc.property(counts, fc.double({ min: 0.5, max: 0.999, noNaN: true }), ([x, n], c) => {
        const i = wilsonInterval(x, n, c);
        expect(i.low).toBeGreaterThanOrEqual(0);
        expect(i.high).toBeLessThanOrEqual(1);
        if (n > 0) {
          expect(i.low).toBeLessThanOrEqual(i.estimate);
          expect(i.estimate).toBeLessThanOrEqual(i.high);
        }
      }),
    );
  });

  it('property: x and n − x mirror each other', () => {
    fc.assert(
      fc.property(counts, ([x, n]) => {
        const a = wilsonInterval(x, n);
        const b = wilsonInterval(n - x, n);
        expect(a.low).toBeCloseTo(1 - b.high, 12);
        expect(a.high).toBeCloseTo(1 - b.low, 12);
      }),
    );
  });

  it('property: narrows as n grows at a fixed proportion', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))),
        fc.integer({ min: 2, max: 50 }),
        ([x, n], k) => {
          const small = wilsonInterval(x, n);
          const large = wilsonInterval(x * k, n * k);
          expect(large.high - large.low).toBeLessThan(small.high - small.low);
        },
      ),
    );
  });
});

describe('newcombeDifference', () => {
  // The worked examples of Newcombe (1998b), "Interval estimation for the difference between independent
  // proportions", method 10; every figure reproduced by an independent computation (Python, scipy).
  it.each([
    [56, 70, 48, 80, [0.2, 0.0524, 0.3339]],
    [9, 10, 3, 10, [0.6, 0.1705, 0.809]],
    [5, 56, 0, 29, [0.0893, -0.0381, 0.1926]],
    [0, 10, 0, 20, [0, -0.1611, 0.2775]],
    [10, 10, 0, 20, [1, 0.6791, 1]],
  ])('%i/%i − %i/%i', (x1, n1, x2, n2, expected) => {
    expect(four(newcombeDifference(x1, n1, x2, n2))).toEqual(expected);
  });

  it('gives NaN and [−1, 1] when a group is empty', () => {
    const i = newcombeDifference(3, 10, 0, 0);
    expect(i.estimate).toBeNaN();
    expect([i.low, i.high]).toEqual([-1, 1]);
  });

  const group = fc.integer({ min: 0, max: 2000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

  it('property: limits within [−1, 1] around the estimate', () => {
    fc.assert(
      fc.property(group, group, ([x1, n1], [x2, n2]) => {
        const i = newcombeDifference(x1, n1, x2, n2);
        expect(i.low).toBeGreaterThanOrEqual(-1);
        expect(i.high).toBeLessThanOrEqual(1);
        if (n1 > 0 && n2 > 0) {
          expect(i.low).toBeLessThanOrEqual(i.estimate);
          expect(i.estimate).toBeLessThanOrEqual(i.high);
        }
      }),
    );
  });

  it('property: swapping the groups mirrors the interval', () => {
    fc.assert(
      fc.property(group, group, ([x1, n1], [x2, n2]) => {
        fc.pre(n1 > 0 && n2 > 0);
        const a = newcombeDifference(x1, n1, x2, n2);
        const b = newcombeDifference(x2, n2, x1, n1);
        expect(a.estimate).toBeCloseTo(-b.estimate, 12);
        expect(a.low).toBeCloseTo(-b.high, 12);
        expect(a.high).toBeCloseTo(-b.low, 12);
      }),
    );
  });
});

describe('weightedProportion', () => {
  it('weights the share and the effective n (scipy: 0.8, n_eff 10/3, 0.3055 to 0.9732)', () => {
    const i = weightedProportion([
      { weight: 1, success: true },
      { weight: 2, success: false },
      { weight: 3, success: true },
      { weight: 4, success: true },
    ]);
    expect(i.estimate).toBeCloseTo(0.8, 12);
    expect(i.effectiveN).toBeCloseTo(10 / 3, 12);
    expect(i.low).toBeCloseTo(0.30551241429550335, 8);
    expect(i.high).toBeCloseTo(0.9732413052637915, 8);
    expect(i).toMatchObject({ n: 4, weighted: 4, weightTotal: 10 });
  });

  it('allows zero weights and gives NaN when all are zero', () => {
    const i = weightedProportion([
      { weight: 0, success: true },
      { weight: 0, success: false },
    ]);
    expect(i.estimate).toBeNaN();
    expect(i).toMatchObject({ n: 2, weighted: 0, effectiveN: 0, low: 0, high: 1 });
    expect(weightedProportion([]).estimate).toBeNaN();
  });

  it('refuses negative, infinite and missing weights with the row and what to do', () => {
    const rows = (weight: number) => [
      { weight: 1, success: true },
      { weight, success: false },
    ];
    expect(() => weightedProportion(rows(-2))).toThrow(WeightError);
    expect(() => weightedProportion(rows(-2))).toThrow(
      'Row 2 has a negative weight (-2): weights must be numbers of zero or more. Fix the weight column or choose another one.',
    );
    expect(() => weightedProportion(rows(NaN))).toThrow(/Row 2 has no weight/);
    expect(() => weightedProportion(rows(Infinity))).toThrow(/infinite/);
    try {
      weightedProportion(rows(-2));
    } catch (error) {
      expect(error).toMatchObject({ name: 'WeightError', index: 1, weight: -2 });
    }
  });

  const rows = fc.array(fc.record({ weight: fc.double({ min: 0, max: 1000, noNaN: true }), success: fc.boolean() }), { maxLength: 200 });

  it('property: equal weights give the unweighted Wilson interval', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.01, max: 1000, noNaN: true }), (successes, w) => {
        const i = weightedProportion(successes.map((success) => ({ weight: w, success })));
        const u = wilsonInterval(successes.filter(Boolean).length, successes.length);
        expect(i.effectiveN).toBeCloseTo(successes.length, 9);
        expect(i.estimate).toBeCloseTo(u.estimate, 12);
        expect(i.low).toBeCloseTo(u.low, 9);
        expect(i.high).toBeCloseTo(u.high, 9);
      }),
    );
  });

  it('property: within [0, 1], n_eff never above the weighted rows, zero-weight rows change nothing', () => {
    fc.assert(
      fc.property(rows, fc.array(fc.boolean(), { maxLength: 20 }), (values, zeros) => {
        const i = weightedProportion(values);
        expect(i.low).toBeGreaterThanOrEqual(0);
        expect(i.high).toBeLessThanOrEqual(1);
        expect(i.effectiveN).toBeLessThanOrEqual(i.weighted * (1 + 1e-12));
        if (!Number.isNaN(i.estimate)) {
          expect(i.low).toBeLessThanOrEqual(i.estimate);
          expect(i.estimate).toBeLessThanOrEqual(i.high);
        }
        const padded = weightedProportion([...values, ...zeros.map((success) => ({ weight: 0, success }))]);
        expect([padded.estimate, padded.low, padded.high]).toEqual([i.estimate, i.low, i.high]);
      }),
    );
  });
});

describe('method text', () => {
  it('names every method at 95 %', () => {
    expect(METHOD_TEXT.summary).toBe(
      "95% confidence intervals by Wilson's score method; differences between groups by Newcombe's hybrid score method (method 10); weighted prevalence with Kish's effective sample size.",
    );
    expect(METHOD_TEXT.wilson).toMatch(/Wilson/);
    expect(METHOD_TEXT.newcombe).toMatch(/method 10 of Newcombe 1998/);
    expect(METHOD_TEXT.weighted).toMatch(/Kish/);
  });

  it('says the level it was given', () => {
    expect(methodText(0.9).summary).toMatch(/^90% confidence/);
    expect(methodText(0.995).wilson).toMatch(/^99\.5% confidence/);
  });
});
