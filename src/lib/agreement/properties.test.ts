// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgreementUndefinedError } from './errors';
import { krippendorffAlpha } from './krippendorff';
import { cohenKappa, fleissKappa, gwetAC1, percentAgreement, scottPi } from './statistics';
import type { Units, Value } from './units';

type Outcome = { value: number } | { reason: string };

const STATISTICS: Record<string, (units: Units) => number> = {
  percentAgreement,
  cohenKappa,
  scottPi,
  fleissKappa,
  gwetAC1,
  alphaNominal: (units) => krippendorffAlpha(units, 'nominal'),
};

const NUMERIC_ALPHAS: Record<string, (units: Units) => number> = {
  alphaOrdinal: (units) => krippendorffAlpha(units, 'ordinal'),
  alphaInterval: (units) => krippendorffAlpha(units, 'interval'),
  alphaRatio: (units) => krippendorffAlpha(units, 'ratio'),
};

function outcome(compute: () => number): Outcome {
  try {
    return { value: compute() };
  } catch (error) {
    if (error instanceof AgreementUndefinedError) return { reason: error.reason };
    throw error;
  }
}

function expectSame(a: Outcome, b: Outcome): void {
  if ('value' in a && 'value' in b) expect(Math.abs(a.value - b.value)).toBeLessThanOrEqual(1e-12);
  else expect(b).toEqual(a);
}

const mixedValue = fc.constantFrom<Value>('a', 'b', 'c', 1, 2, null);
const numericValue = fc.constantFrom<Value>(0, 1, 2, 5, null);

function unitsOf(value: fc.Arbitrary<Value>): fc.Arbitrary<Value[][]> {
  return fc.integer({ min: 2, max: 4 }).chain((coders) => fc.array(fc.array(value, { minLength: coders, maxLength: coders }), { maxLength: 25 }));
}

/** Units with a permutation of coders and one of units. */
function permuted(value: fc.Arbitrary<Value>) {
  return unitsOf(value).chain((units) => {
    const coders = units.length > 0 ? units[0].length : 2;
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);
    return fc.tuple(
      fc.constant(units),
      fc.shuffledSubarray(range(coders), { minLength: coders, maxLength: coders }),
      fc.shuffledSubarray(range(units.length), { minLength: units.length, maxLength: units.length }),
    );
  });
}

describe('invariants of every statistic', () => {
  it('is a finite number ≤ 1 or throws AgreementUndefinedError; percent agreement lies in [0, 1]', () => {
    fc.assert(
      fc.property(unitsOf(mixedValue), unitsOf(numericValue), (mixed, numeric) => {
        const cases: [string, () => number][] = [
          ...Object.entries(STATISTICS).map(([name, f]): [string, () => number] => [name, () => f(mixed)]),
          ...Object.entries(NUMERIC_ALPHAS).map(([name, f]): [string, () => number] => [name, () => f(numeric)]),
        ];
        for (const [name, compute] of cases) {
          const result = outcome(compute);
          if (!('value' in result)) continue;
          expect(Number.isFinite(result.value), name).toBe(true);
          expect(result.value, name).toBeLessThanOrEqual(1);
          if (name === 'percentAgreement') expect(result.value).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order of coders or of units', () => {
    const check = (statistics: Record<string, (units: Units) => number>, value: fc.Arbitrary<Value>) =>
      fc.assert(
        fc.property(permuted(value), ([units, coderOrder, unitOrder]) => {
          const byCoders = units.map((unit) => coderOrder.map((c) => unit[c]));
          const byUnits = unitOrder.map((u) => units[u]);
          for (const compute of Object.values(statistics)) {
            const original = outcome(() => compute(units));
            expectSame(
              original,
              outcome(() => compute(byCoders)),
            );
            expectSame(
              original,
              outcome(() => compute(byUnits)),
            );
          }
        }),
        { numRuns: 200 },
      );
    check(STATISTICS, mixedValue);
    check(NUMERIC_ALPHAS, numericValue);
  });

  it('gives exactly 1 for perfect agreement whenever it is defined', () => {
    // Each unit: one value shared by every coder who coded it.
    const agreeing = fc
      .integer({ min: 2, max: 4 })
      .chain((coders) =>
        fc.array(fc.tuple(fc.constantFrom<Value>(0, 1, 2, 7), fc.array(fc.boolean(), { minLength: coders, maxLength: coders })), { maxLength: 20 }),
      );
    fc.assert(
      fc.property(agreeing, (spec) => {
        const units = spec.map(([value, coded]) => coded.map((c) => (c ? value : null)));
        const complete = spec.map(([value, coded]) => coded.map(() => value));
        for (const [name, compute] of Object.entries({ ...STATISTICS, ...NUMERIC_ALPHAS })) {
          for (const data of [units, complete]) {
            const result = outcome(() => compute(data));
            if ('value' in result) expect(result.value, name).toBe(1);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never returns NaN on degenerate data: it throws AgreementUndefinedError instead', () => {
    const unpairable: Value[][][] = [
      [],
      [[null, null]],
      [
        [1, null],
        [null, 2],
      ],
    ];
    for (const units of unpairable) {
      for (const compute of Object.values({ ...STATISTICS, ...NUMERIC_ALPHAS })) {
        expect(() => compute(units)).toThrow(AgreementUndefinedError);
      }
    }
    // One category: chance agreement is total, so every chance-corrected statistic is undefined.
    for (const [name, compute] of Object.entries({ ...STATISTICS, ...NUMERIC_ALPHAS })) {
      if (name === 'percentAgreement')
        expect(
          compute([
            [1, 1],
            [1, 1],
          ]),
        ).toBe(1);
      else
        expect(
          () =>
            compute([
              [1, 1],
              [1, 1],
            ]),
          name,
        ).toThrow(AgreementUndefinedError);
    }
  });
});

/** The listwise formulas the statistics used before they followed Gwet (2014) on missing values. */
const listwise = {
  percentAgreement(units: Units): number {
    const coders = units[0].length;
    let sum = 0;
    for (let c = 0; c < coders; c++) for (let d = c + 1; d < coders; d++) sum += units.filter((u) => u[c] === u[d]).length / units.length;
    return sum / ((coders * (coders - 1)) / 2);
  },
  /** p_a = Σ_i Σ_k n_ik(n_ik − 1) / (n·r(r − 1)); π_k = totals_k / (n·r). */
  chance(units: Units): { observed: number; pi: number[] } {
    const raters = units[0].length;
    const totals = new Map<Value, number>();
    let agreeing = 0;
    for (const unit of units) {
      const inUnit = new Map<Value, number>();
      for (const value of unit) inUnit.set(value, (inUnit.get(value) ?? 0) + 1);
      for (const [value, count] of inUnit) {
        totals.set(value, (totals.get(value) ?? 0) + count);
        agreeing += count * (count - 1);
      }
    }
    const assignments = units.length * raters;
    return { observed: agreeing / (assignments * (raters - 1)), pi: [...totals.values()].map((t) => t / assignments) };
  },
  fleissKappa(units: Units): number {
    const { observed, pi } = listwise.chance(units);
    const chance = pi.reduce((sum, p) => sum + p * p, 0);
    return (observed - chance) / (1 - chance);
  },
  gwetAC1(units: Units): number {
    const { observed, pi } = listwise.chance(units);
    const chance = pi.reduce((sum, p) => sum + p * (1 - p), 0) / (pi.length - 1);
    return (observed - chance) / (1 - chance);
  },
};

describe('missing values: Gwet (2014) formulas reduce to the complete-data ones', () => {
  it('on complete data, percent agreement, Fleiss and AC1 equal the listwise formulas (fast-check)', () => {
    const complete = fc
      .integer({ min: 2, max: 5 })
      .chain((coders) =>
        fc.array(fc.array(fc.constantFrom<Value>('a', 'b', 'c', 1), { minLength: coders, maxLength: coders }), { minLength: 1, maxLength: 25 }),
      );
    fc.assert(
      fc.property(complete, (units) => {
        for (const name of ['percentAgreement', 'fleissKappa', 'gwetAC1'] as const) {
          const current = outcome(() => STATISTICS[name](units));
          if (!('value' in current)) continue;
          expect(Math.abs(current.value - listwise[name](units)), name).toBeLessThanOrEqual(1e-12);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a unit only one coder coded changes the prevalence of Fleiss and AC1 but not percent agreement or alpha', () => {
    fc.assert(
      fc.property(unitsOf(mixedValue), fc.constantFrom<Value>('a', 'b', 'c'), (units, value) => {
        if (units.length === 0) return;
        const single: Value[] = units[0].map((_, c) => (c === 0 ? value : null));
        const withSingle = [...units, single];
        expectSame(
          outcome(() => percentAgreement(units)),
          outcome(() => percentAgreement(withSingle)),
        );
        expectSame(
          outcome(() => krippendorffAlpha(units, 'nominal')),
          outcome(() => krippendorffAlpha(withSingle, 'nominal')),
        );
      }),
      { numRuns: 200 },
    );
  });
});
