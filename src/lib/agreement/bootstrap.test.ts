// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { alphaFromPatterns } from './answer-agreement';
import { bootstrapAlpha, bootstrapPatterns, percentileInterval } from './bootstrap';
import { AgreementUndefinedError } from './errors';
import { krippendorffAlpha } from './krippendorff';
import { mulberry32 } from './random';
import type { Value } from './units';

/** Three coders, 200 units, categories a–d, each coder copying the "true" value 80% of the time; some missing. */
function synthetic(seed: number, units = 200): Value[][] {
  const random = mulberry32(seed);
  const categories = ['a', 'b', 'c', 'd'];
  const pick = () => categories[Math.floor(random() * categories.length)];
  return Array.from({ length: units }, () => {
    const truth = pick();
    return [0, 1, 2].map(() => (random() < 0.05 ? null : random() < 0.8 ? truth : pick()));
  });
}

function reason(compute: () => unknown): string {
  try {
    compute();
  } catch (error) {
    if (error instanceof AgreementUndefinedError) return error.reason;
    throw error;
  }
  return 'defined';
}

describe('percentileInterval', () => {
  it('takes the 2.5th and 97.5th percentiles with linear interpolation', () => {
    const values = Float64Array.from({ length: 101 }, (_, i) => 101 - i); // 101 … 1, unsorted
    const { low, high } = percentileInterval(values, 101);
    expect(low).toBeCloseTo(3.5, 12);
    expect(high).toBeCloseTo(98.5, 12);
    expect(percentileInterval(Float64Array.of(0.5, 9), 1)).toEqual({ low: 0.5, high: 0.5 });
  });
});

describe('bootstrapAlpha', () => {
  const data = synthetic(11);

  it('is deterministic for a seed, and the seed matters', () => {
    const a = bootstrapAlpha(data, { seed: 7, samples: 500 });
    expect(bootstrapAlpha(data, { seed: 7, samples: 500 })).toEqual(a);
    const b = bootstrapAlpha(data, { seed: 8, samples: 500 });
    expect(b.alpha).toBe(a.alpha);
    expect([b.low, b.high]).not.toEqual([a.low, a.high]);
  });

  it('contains the point estimate and is a sensible width on a reasonable data set', () => {
    const result = bootstrapAlpha(data);
    expect(result.alpha).toBe(krippendorffAlpha(data));
    expect(result.samples).toBe(1000);
    expect(result.requested).toBe(1000);
    expect(result.confidence).toBe(0.95);
    expect(result.low).toBeLessThan(result.alpha);
    expect(result.high).toBeGreaterThan(result.alpha);
    expect(result.high - result.low).toBeGreaterThan(0.02);
    expect(result.high - result.low).toBeLessThan(0.3);
  });

  it('passes the level through', () => {
    const units = data.map((unit) => unit.map((v) => (v === null ? null : 'abcd'.indexOf(v as string) + 1)));
    const result = bootstrapAlpha(units, { level: 'interval', samples: 200 });
    expect(result.alpha).toBe(krippendorffAlpha(units, 'interval'));
    expect(result.low).toBeLessThan(result.alpha);
  });

  it('narrows as the number of units grows', () => {
    const small = bootstrapAlpha(synthetic(3, 60), { samples: 400 });
    const large = bootstrapAlpha(synthetic(3, 2000), { samples: 400 });
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 2);
  });

  it('skips resamples on which alpha is undefined and reports how many it used', () => {
    // Two units that each agree: a resample of the same unit twice has one category.
    const result = bootstrapAlpha(
      [
        ['a', 'a'],
        ['b', 'b'],
        ['x', null],
      ],
      { samples: 1000, seed: 3 },
    );
    expect(result.alpha).toBe(1);
    expect(result.samples).toBeGreaterThan(350);
    expect(result.samples).toBeLessThan(650);
    expect(result.low).toBe(1);
    expect(result.high).toBe(1);
  });

  it('throws when alpha itself, or every resample, is undefined', () => {
    expect(
      reason(() =>
        bootstrapAlpha([
          ['a', 'a'],
          ['a', null],
        ]),
      ),
    ).toBe('one-category');
    const outcomes = Array.from({ length: 20 }, (_, seed) =>
      reason(() =>
        bootstrapAlpha(
          [
            ['a', 'a'],
            ['b', 'b'],
          ],
          { samples: 1, seed },
        ),
      ),
    );
    expect(outcomes).toContain('no-usable-resamples');
    expect(outcomes).toContain('defined');
  });

  it('rejects nonsensical options', () => {
    expect(() => bootstrapAlpha(data, { samples: 0 })).toThrow(RangeError);
    expect(() => bootstrapAlpha(data, { samples: 2.5 })).toThrow(RangeError);
    expect(() => bootstrapAlpha(data, { confidence: 1 })).toThrow(RangeError);
  });
});

describe('bootstrapPatterns', () => {
  it('gives the same interval as resampling the units one by one, up to Monte Carlo error', () => {
    // Two coders, binary: 60 both present, 25 disagreements each way, 290 both absent.
    const units: Value[][] = [
      ...Array.from({ length: 60 }, () => ['p', 'p']),
      ...Array.from({ length: 25 }, () => ['p', 'a']),
      ...Array.from({ length: 25 }, () => ['a', 'p']),
      ...Array.from({ length: 290 }, () => ['a', 'a']),
    ];
    const perUnit = bootstrapAlpha(units, { samples: 4000, seed: 1 });
    // Patterns indexed p·3 + q for two coders: (2,0) → 6, (1,1) → 4, (0,2) → 2.
    const patterns = new Float64Array(9);
    patterns[6] = 60;
    patterns[4] = 50;
    patterns[2] = 290;
    expect(alphaFromPatterns(2, patterns)).toBeCloseTo(perUnit.alpha, 14);
    const byPattern = bootstrapPatterns(patterns, (drawn) => alphaFromPatterns(2, drawn), { samples: 4000, random: mulberry32(1) });
    expect(byPattern.samples).toBe(4000);
    expect(byPattern.low).toBeCloseTo(perUnit.low, 1);
    expect(byPattern.high).toBeCloseTo(perUnit.high, 1);
    expect(Math.abs(byPattern.low - perUnit.low)).toBeLessThan(0.02);
    expect(Math.abs(byPattern.high - perUnit.high)).toBeLessThan(0.02);
  });
});
