// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgreementUndefinedError } from './errors';
import { alphaFromCoincidences, coincidenceMatrix, krippendorffAlpha, unitCoincidences } from './krippendorff';
import { scottPi } from './statistics';
import type { Value } from './units';

/** Observers as rows (as printed in the paper), '*' missing → units × coders. */
function fromObservers(rows: string[]): Value[][] {
  const observers = rows.map((row) => row.split(/\s+/).map((v) => (v === '*' ? null : Number(v))));
  return observers[0].map((_, unit) => observers.map((observer) => observer[unit]));
}

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example
// with four observers, twelve units and missing values.
const paperExample = fromObservers(['1 2 3 3 2 1 4 1 2 * * *', '1 2 3 3 2 2 4 1 2 5 * 3', '* 3 3 3 2 3 4 2 2 5 1 *', '1 2 3 3 2 4 4 1 2 5 1 *']);

// The same paper's two observers, ten units, binary data.
const binaryExample = fromObservers(['0 1 0 0 0 0 0 0 1 0', '1 1 1 0 0 1 0 0 0 0']);

function undefinedReason(compute: () => unknown): string {
  try {
    compute();
  } catch (error) {
    if (error instanceof AgreementUndefinedError) return error.reason;
    throw error;
  }
  return 'defined';
}

describe('krippendorffAlpha on the worked examples of Krippendorff (2011)', () => {
  it('nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797 with missing data', () => {
    expect(krippendorffAlpha(paperExample).toFixed(3)).toBe('0.743');
    expect(krippendorffAlpha(paperExample, 'nominal')).toBeCloseTo(0.743, 3);
    expect(krippendorffAlpha(paperExample, 'ordinal')).toBeCloseTo(0.815, 3);
    expect(krippendorffAlpha(paperExample, 'interval')).toBeCloseTo(0.849, 3);
    expect(krippendorffAlpha(paperExample, 'ratio')).toBeCloseTo(0.797, 3);
  });

  it('builds the coincidence matrix of the paper: n = 40 pairable values, unit 12 not pairable', () => {
    const coincidences = unitCoincidences(paperExample);
    expect(coincidences.unitStart.length - 1).toBe(11);
    const matrix = coincidenceMatrix(coincidences);
    const total = matrix.reduce((sum, x) => sum + x, 0);
    expect(total).toBeCloseTo(40, 12);
    // Marginals in the paper: n_1 = 9, n_2 = 13, n_3 = 10, n_4 = 5, n_5 = 3.
    const size = coincidences.values.length;
    const marginal = (value: number): number => {
      const c = coincidences.values.indexOf(value);
      let sum = 0;
      for (let k = 0; k < size; k++) sum += matrix[c * size + k];
      return sum;
    };
    expect([1, 2, 3, 4, 5].map((v) => Math.round(marginal(v) * 1e9) / 1e9)).toEqual([9, 13, 10, 5, 3]);
  });

  it('nominal 0.095 for two observers on binary data', () => {
    expect(krippendorffAlpha(binaryExample)).toBeCloseTo(0.095, 3);
    // Exactly 1 − (2n − 1)/(2n) · (1 − π) with π = 1/21 and n = 10: 1 − 19/20 · 20/21 = 2/21.
    expect(krippendorffAlpha(binaryExample)).toBeCloseTo(2 / 21, 15);
  });
});

describe('krippendorffAlpha', () => {
  it('relates to Scott’s pi on complete two-coder data: α = 1 − (1 − π)(2n − 1)/(2n)', () => {
    // With two coders and n units, Σ_{c≠k} o_ck = 2n(1 − p_o) and Σ_{c≠k} n_c n_k = 4n²(1 − p_e),
    // so α = 1 − (2n − 1)/(2n) · (1 − p_o)/(1 − p_e), where Scott's pi is 1 − (1 − p_o)/(1 − p_e).
    const value = fc.constantFrom<Value>('a', 'b', 'c');
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 40 }), (pairs) => {
        const units = pairs.map(([a, b]) => [a, b]);
        let pi: number;
        try {
          pi = scottPi(units);
        } catch (error) {
          if (!(error instanceof AgreementUndefinedError)) throw error;
          expect(undefinedReason(() => krippendorffAlpha(units))).toBe(error.reason);
          return;
        }
        const n = units.length;
        expect(krippendorffAlpha(units)).toBeCloseTo(1 - ((1 - pi) * (2 * n - 1)) / (2 * n), 12);
      }),
    );
  });

  it('ranks ordinal values by an explicit order when they are not numbers', () => {
    const numeric = paperExample;
    const words = ['none', 'low', 'mid', 'high', 'top'];
    const named = numeric.map((unit) => unit.map((v) => (v === null ? null : words[(v as number) - 1])));
    expect(krippendorffAlpha(named, 'ordinal', { order: words })).toBeCloseTo(krippendorffAlpha(numeric, 'ordinal'), 14);
    // Nominal alpha ignores the labels.
    expect(krippendorffAlpha(named)).toBeCloseTo(krippendorffAlpha(numeric), 14);
    expect(() => krippendorffAlpha(named, 'ordinal')).toThrow(TypeError);
    expect(() => krippendorffAlpha(named, 'ordinal', { order: words.slice(1) })).toThrow(RangeError);
  });

  it('is unchanged by shifting and scaling interval data, and by scaling ratio data', () => {
    const shifted = paperExample.map((unit) => unit.map((v) => (v === null ? null : 1000 + 7 * (v as number))));
    expect(krippendorffAlpha(shifted, 'interval')).toBeCloseTo(krippendorffAlpha(paperExample, 'interval'), 12);
    const scaled = paperExample.map((unit) => unit.map((v) => (v === null ? null : 1e-200 * (v as number))));
    expect(krippendorffAlpha(scaled, 'ratio')).toBeCloseTo(krippendorffAlpha(paperExample, 'ratio'), 12);
  });

  it('rejects non-numbers at the interval and ratio levels and negative ratio values, even in unpaired units', () => {
    expect(() =>
      krippendorffAlpha(
        [
          [1, 2],
          ['x', null],
        ],
        'interval',
      ),
    ).toThrow(TypeError);
    expect(() =>
      krippendorffAlpha(
        [
          [1, 2],
          [-1, 3],
        ],
        'ratio',
      ),
    ).toThrow(RangeError);
  });

  it('treats ratio distance between 0 and 0 as 0', () => {
    expect(
      krippendorffAlpha(
        [
          [0, 0],
          [1, 1],
          [2, 2],
        ],
        'ratio',
      ),
    ).toBe(1);
  });

  it('is undefined without pairable units or without variation', () => {
    expect(
      undefinedReason(() =>
        krippendorffAlpha([
          [1, null],
          [null, 2],
        ]),
      ),
    ).toBe('no-pairable-units');
    expect(undefinedReason(() => krippendorffAlpha([]))).toBe('no-pairable-units');
    expect(undefinedReason(() => krippendorffAlpha([[1], [1]]))).toBe('wrong-coder-count');
    expect(
      undefinedReason(() =>
        krippendorffAlpha(
          [
            [3, 3],
            [3, 3],
            [3, null],
          ],
          'interval',
        ),
      ),
    ).toBe('one-category');
    let message = '';
    try {
      krippendorffAlpha([
        ['present', 'present'],
        ['present', null],
      ]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      "Krippendorff's alpha is undefined: every pairable value is “present”, so there is no variation and disagreement expected by chance is 0.",
    );
  });

  it('ignores values outside pairable units', () => {
    // Unit 3's lone "b" is not pairable; without it only "a" is paired.
    expect(
      undefinedReason(() =>
        krippendorffAlpha([
          ['a', 'a'],
          ['a', 'a'],
          ['b', null],
        ]),
      ),
    ).toBe('one-category');
  });

  it('alphaFromCoincidences checks the matrix size', () => {
    expect(() => alphaFromCoincidences(['a', 'b'], [1, 2, 3])).toThrow(RangeError);
  });
});
