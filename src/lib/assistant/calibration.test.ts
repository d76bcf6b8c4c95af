// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cohenKappa } from '../agreement';
import { applyPlatt, bestKappaThreshold, fitPlatt, kappaFromCounts } from './calibration';
import { stratifiedFolds } from './folds';

describe('kappaFromCounts', () => {
  it('matches the agreement library on any 2×2 table', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(30), fc.nat(30), fc.nat(30), (tp, fp, fn, tn) => {
        const units = [
          ...Array.from({ length: tp }, () => [1, 1]),
          ...Array.from({ length: fp }, () => [0, 1]),
          ...Array.from({ length: fn }, () => [1, 0]),
          ...Array.from({ length: tn }, () => [0, 0]),
        ];
        const ours = kappaFromCounts(tp, fp, fn, tn);
        let theirs: number;
        try {
          theirs = cohenKappa(units);
        } catch {
          theirs = NaN;
        }
        if (Number.isNaN(ours) || Number.isNaN(theirs)) expect(Number.isNaN(ours) && Number.isNaN(theirs)).toBe(true);
        else expect(ours).toBeCloseTo(theirs, 10);
      }),
    );
  });
});

describe('fitPlatt', () => {
  it('recovers a logistic relation between score and outcome', () => {
    // Outcomes drawn (deterministically) with P(y = 1) = σ(2s − 1).
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const s = -3 + (6 * i) / 4000;
      scores.push(s);
      labels.push((i * 0.6180339887) % 1 < 1 / (1 + Math.exp(-(2 * s - 1))) ? 1 : 0);
    }
    const platt = fitPlatt(scores, labels);
    expect(platt.a).toBeCloseTo(2, 0);
    expect(platt.b).toBeCloseTo(-1, 0);
  });

  it('gives probabilities in [0, 1], increasing with the score when scores rank positives higher', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.boolean()), { minLength: 2, maxLength: 80 }), (rows) => {
        const platt = fitPlatt(
          rows.map((r) => r[0]),
          rows.map((r) => (r[1] ? 1 : 0)),
        );
        for (const [s] of rows) {
          const p = applyPlatt(platt, s);
          expect(p >= 0 && p <= 1).toBe(true);
        }
      }),
    );
    const platt = fitPlatt([-2, -1, -0.5, 0.5, 1, 2], [0, 0, 1, 0, 1, 1]);
    expect(applyPlatt(platt, 1)).toBeGreaterThan(applyPlatt(platt, -1));
  });
});

describe('bestKappaThreshold', () => {
  it('separates perfectly separable probabilities', () => {
    const t = bestKappaThreshold([0.9, 0.8, 0.3, 0.2], [1, 1, 0, 0]);
    expect(t).toBeGreaterThan(0.3);
    expect(t).toBeLessThanOrEqual(0.8);
  });
  it('falls back to 0.5 without positives or negatives', () => {
    expect(bestKappaThreshold([0.9, 0.1], [0, 0])).toBe(0.5);
    expect(bestKappaThreshold([0.9, 0.1], [1, 1])).toBe(0.5);
  });
});

describe('stratifiedFolds', () => {
  it('spreads each code over the folds and is deterministic', () => {
    const codes = Array.from({ length: 100 }, (_, i) => (i < 10 ? [1] : i < 15 ? [0, 2] : [0]));
    const folds = stratifiedFolds(codes, 5, 3);
    expect(stratifiedFolds(codes, 5, 3)).toEqual(folds);
    const rare = new Set<number>();
    for (let i = 0; i < 10; i++) rare.add(folds[i]);
    expect(rare.size).toBe(5);
    const sizes = [0, 0, 0, 0, 0];
    for (const f of folds) sizes[f]++;
    expect(sizes).toEqual([20, 20, 20, 20, 20]);
  });
});

describe('fitPlatt on folds that ranked against the model', () => {
  it('never returns a sigmoid that falls with the score: it keeps the model’s order at the base rate', () => {
    // Positives scored low, negatives high: what three folds of a dozen coded answers can give by chance.
    const scores = [1.2, 0.9, 0.8, -0.7, -1.1, -0.9];
    const positive = [0, 0, 0, 1, 1, 1];
    const platt = fitPlatt(scores, positive);
    expect(platt.a).toBeGreaterThan(0);
    expect(applyPlatt(platt, 1)).toBeGreaterThan(applyPlatt(platt, -1));
    expect(applyPlatt(platt, 0)).toBeCloseTo(0.5, 5);
  });
});
