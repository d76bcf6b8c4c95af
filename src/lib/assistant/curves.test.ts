// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { precisionCoverageCurve, recallAtPrecision, thresholdForPrecision } from './curves';

describe('precision-vs-coverage', () => {
  it('computes precision and coverage at each distinct threshold, ties together', () => {
    const p = [0.9, 0.8, 0.8, 0.4, 0.1];
    const y = [1, 1, 0, 1, 0];
    const curve = precisionCoverageCurve(p, y);
    expect(Array.from(curve.thresholds)).toEqual([0.9, 0.8, 0.4, 0.1]);
    expect(Array.from(curve.precision)).toEqual([1, 2 / 3, 3 / 4, 3 / 5]);
    expect(Array.from(curve.coverage)).toEqual([1 / 3, 2 / 3, 1, 1]);
    expect(thresholdForPrecision(curve, 0.75)).toEqual({ threshold: 0.4, precision: 0.75, coverage: 1 });
    expect(thresholdForPrecision(curve, 0.9)).toEqual({ threshold: 0.9, precision: 1, coverage: 1 / 3 });
  });

  it('recall at 90% precision: the largest coverage among cutoffs reaching 0.9, else 0', () => {
    // 10 positives on top, then a negative, then 1 positive: at 12 rows precision 11/12 ≥ 0.9.
    const p = Array.from({ length: 14 }, (_, i) => 1 - i / 20);
    const y = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0];
    expect(recallAtPrecision(p, y, 0.9)).toBe(1);
    expect(recallAtPrecision([0.9, 0.8], [0, 1], 0.9)).toBe(0);
    expect(recallAtPrecision([0.9, 0.8], [0, 0], 0.9)).toBe(0);
    expect(recallAtPrecision([0.5, 0.5, 0.5], [1, 1, 0], 0.9)).toBe(0);
  });

  it('recall at a higher precision is never above recall at a lower one; coverage is non-decreasing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (rows, t1, t2) => {
          const p = rows.map((r) => r[0]);
          const y = rows.map((r) => (r[1] ? 1 : 0));
          const [lo, hi] = t1 <= t2 ? [t1, t2] : [t2, t1];
          expect(recallAtPrecision(p, y, hi)).toBeLessThanOrEqual(recallAtPrecision(p, y, lo));
          const curve = precisionCoverageCurve(p, y);
          for (let t = 1; t < curve.coverage.length; t++) expect(curve.coverage[t]).toBeGreaterThanOrEqual(curve.coverage[t - 1]);
          for (const x of curve.precision) expect(x >= 0 && x <= 1).toBe(true);
        },
      ),
    );
  });
});
