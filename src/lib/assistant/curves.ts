/**
 * Ranking measures of one code: the precision-vs-coverage curve, the lowest
 * threshold reaching a target precision, and recall at a precision.
 */

/** Precision and coverage when the code is applied to every row with probability ≥ threshold[t]. */
export interface PrecisionCoverage {
  /** Distinct probabilities, high to low. */
  thresholds: Float64Array;
  /** Share of the rows at or above the threshold that carry the code. */
  precision: Float64Array;
  /** Share of the code's rows at or above the threshold (recall). */
  coverage: Float64Array;
  /** Rows at or above the threshold. */
  applied: Int32Array;
  /** Rows carrying the code. */
  positives: number;
}

/** The curve over every cutoff between distinct probabilities (tied rows go in together). */
export function precisionCoverageCurve(probabilities: ArrayLike<number>, positive: ArrayLike<number>): PrecisionCoverage {
  const n = probabilities.length;
  if (positive.length !== n) throw new RangeError(`${n} probabilities but ${positive.length} labels.`);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => probabilities[y] - probabilities[x]);
  let positives = 0;
  for (let i = 0; i < n; i++) if (positive[i]) positives++;
  const thresholds: number[] = [];
  const precision: number[] = [];
  const coverage: number[] = [];
  const applied: number[] = [];
  let tp = 0;
  for (let t = 0; t < n; t++) {
    if (positive[order[t]]) tp++;
    const p = probabilities[order[t]];
    if (t + 1 < n && probabilities[order[t + 1]] === p) continue;
    thresholds.push(p);
    precision.push(tp / (t + 1));
    coverage.push(positives > 0 ? tp / positives : 0);
    applied.push(t + 1);
  }
  return {
    thresholds: Float64Array.from(thresholds),
    precision: Float64Array.from(precision),
    coverage: Float64Array.from(coverage),
    applied: Int32Array.from(applied),
    positives,
  };
}

/**
 * The lowest threshold whose precision on the curve is ≥ `target` (so the largest
 * coverage at that precision), or null when no cutoff reaches it.
 */
export function thresholdForPrecision(curve: PrecisionCoverage, target: number): { threshold: number; precision: number; coverage: number } | null {
  for (let t = curve.thresholds.length - 1; t >= 0; t--) {
    if (curve.precision[t] >= target && curve.coverage[t] > 0)
      return { threshold: curve.thresholds[t], precision: curve.precision[t], coverage: curve.coverage[t] };
  }
  return null;
}

/**
 * Recall at a precision: rank rows by probability; over every cutoff, the largest
 * share of the code's rows included while the precision of what is included is
 * ≥ `target`; 0 when no cutoff reaches it (or the code has no rows).
 */
export function recallAtPrecision(probabilities: ArrayLike<number>, positive: ArrayLike<number>, target = 0.9): number {
  return thresholdForPrecision(precisionCoverageCurve(probabilities, positive), target)?.coverage ?? 0;
}
