// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { binomial, mixSeed, mulberry32, multinomial } from './random';

function draws(n: number, p: number, count: number, seed = 1): number[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => binomial(random, n, p));
}

function meanAndVariance(values: number[]): { mean: number; variance: number } {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1);
  return { mean, variance };
}

/** Pearson's χ² of the draws against the Binomial(n, p) probabilities, cells with expected count < 5 pooled. */
function chiSquare(values: number[], n: number, p: number): { statistic: number; cells: number } {
  const pmf: number[] = [(1 - p) ** n];
  for (let k = 0; k < n; k++) pmf.push((pmf[k] * (n - k) * p) / ((k + 1) * (1 - p)));
  const observed = new Array<number>(n + 1).fill(0);
  for (const v of values) observed[v]++;
  let statistic = 0;
  let cells = 0;
  let pooledExpected = 0;
  let pooledObserved = 0;
  for (let k = 0; k <= n; k++) {
    pooledExpected += pmf[k] * values.length;
    pooledObserved += observed[k];
    if (pooledExpected >= 5) {
      statistic += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
      cells++;
      pooledExpected = 0;
      pooledObserved = 0;
    }
  }
  return { statistic, cells };
}

describe('mulberry32', () => {
  it('repeats for a seed, differs between seeds, and stays inside (0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(first);
    for (const x of first) {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1);
    }
    const mean = first.reduce((s, x) => s + x, 0) / first.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('mixSeed separates names and seeds', () => {
    expect(mixSeed(1, 'code-a')).toBe(mixSeed(1, 'code-a'));
    expect(mixSeed(1, 'code-a')).not.toBe(mixSeed(1, 'code-b'));
    expect(mixSeed(1, 'code-a')).not.toBe(mixSeed(2, 'code-a'));
  });
});

describe('binomial', () => {
  it('handles the trivial cases', () => {
    const random = mulberry32(1);
    expect(binomial(random, 0, 0.5)).toBe(0);
    expect(binomial(random, 10, 0)).toBe(0);
    expect(binomial(random, 10, 1)).toBe(10);
  });

  it.each([
    [30, 0.1], // inversion
    [100, 0.3], // rejection
    [200, 0.8], // rejection, on the complement
    [12, 0.6], // inversion, on the complement
  ])('matches the Binomial(%i, %f) distribution (χ² goodness of fit)', (n, p) => {
    const values = draws(n, p, 20000, n);
    expect(values.every((v) => Number.isInteger(v) && v >= 0 && v <= n)).toBe(true);
    const { statistic, cells } = chiSquare(values, n, p);
    const df = cells - 1;
    // Far beyond the 99.9th percentile of χ²(df) for these df: only a broken sampler gets here.
    expect(statistic).toBeLessThan(df + 6 * Math.sqrt(2 * df));
  });

  it('has the right mean and variance for millions of trials', () => {
    const n = 3_000_000;
    const p = 0.02;
    const { mean, variance } = meanAndVariance(draws(n, p, 5000, 9));
    const expectedVariance = n * p * (1 - p);
    expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt(expectedVariance / 5000));
    expect(variance / expectedVariance).toBeGreaterThan(0.9);
    expect(variance / expectedVariance).toBeLessThan(1.1);
  });
});

describe('multinomial', () => {
  it('draws counts that sum to n, leave zero-weight cells empty and follow the weights', () => {
    const random = mulberry32(5);
    const out = new Float64Array(4);
    const totals = new Float64Array(4);
    for (let s = 0; s < 2000; s++) {
      multinomial(random, 1000, [10, 0, 30, 60], out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(1000);
      expect(out[1]).toBe(0);
      for (let i = 0; i < 4; i++) totals[i] += out[i];
    }
    expect(totals[0] / 2e6).toBeCloseTo(0.1, 2);
    expect(totals[2] / 2e6).toBeCloseTo(0.3, 2);
    expect(totals[3] / 2e6).toBeCloseTo(0.6, 2);
  });
});
