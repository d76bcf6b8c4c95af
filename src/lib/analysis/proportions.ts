/**
 * Confidence intervals for prevalence the way papers report it: Wilson's
 * score interval for one proportion, Newcombe's hybrid score interval for the
 * difference between two groups, and a weighted prevalence whose interval uses
 * Kish's effective sample size. The formulas and references are in
 * `docs/write-up.md`; {@link methodText} gives the sentences a methods
 * section prints, so the report and the docs say the same thing.
 */

/** A proportion (or a difference of proportions) with its confidence limits. */
export interface Interval {
  /** The point estimate; NaN when there is nothing to estimate from (no respondents, or no weight). */
  estimate: number;
  low: number;
  high: number;
}

/** A weighted prevalence: the interval plus what a reader needs to judge it. */
export interface WeightedInterval extends Interval {
  /** Rows given, zero weights included. */
  n: number;
  /** Rows with a weight above zero. */
  weighted: number;
  /** Σw. */
  weightTotal: number;
  /** Kish's effective sample size (Σw)² / Σw²; 0 when every weight is zero. */
  effectiveN: number;
}

/** One respondent's weight and whether they had the code. */
export interface WeightedValue {
  weight: number;
  success: boolean;
}

/** A weight the interval cannot use; the message names the row and says what to fix. */
export class WeightError extends Error {
  override readonly name = 'WeightError';

  constructor(
    /** Position of the row in the values given (0-based). */
    readonly index: number,
    readonly weight: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The standard normal quantile, by Acklam's rational approximation (relative
 * error below 1.2e-9, far inside the four decimals a report prints). Our own
 * because the app has no statistics library and needs only this one function.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** z for a two-sided interval at this confidence (1.959964 for 0.95). */
function zFor(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`The confidence level must be between 0 and 1 (for example 0.95), not ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
}

/** Wilson's limits for `x` successes in `n` (x may be fractional: a weighted count on an effective n). */
function wilsonZ(x: number, n: number, z: number): Interval {
  const z2 = z * z;
  const centre = (x + z2 / 2) / (n + z2);
  const half = (z / (n + z2)) * Math.sqrt((x * (n - x)) / (n || 1) + z2 / 4);
  const estimate = n > 0 ? x / n : NaN;
  // Exact at the edges, and never outside [0, 1] or on the wrong side of the estimate through rounding.
  let low = x <= 0 ? 0 : Math.max(0, centre - half);
  let high = x >= n ? 1 : Math.min(1, centre + half);
  if (n > 0) {
    low = Math.min(low, estimate);
    high = Math.max(high, estimate);
  }
  return { estimate, low, high };
}

/**
 * Wilson's score interval for `successes` of `n` (Wilson 1927; method 3 of
 * Newcombe 1998a): the proportions p whose score test at this confidence
 * does not reject, which unlike the textbook p ± z·SE stays inside [0, 1] and
 * keeps its coverage at small n and near 0 % or 100 %.
 *
 * Exact at the edges: 0 of n gives low = 0, n of n gives high = 1.
 * n = 0 gives estimate NaN and the interval [0, 1]: with nobody in the group
 * no proportion is ruled out (it is also the formula's value at n = 0).
 *
 * @throws RangeError when n or successes is negative or not finite, successes > n, or confidence is not in (0, 1).
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  if (!(Number.isFinite(n) && n >= 0)) throw new RangeError(`The group size must be a count of zero or more, not ${n}`);
  if (!(Number.isFinite(successes) && successes >= 0 && successes <= n))
    throw new RangeError(`The number with the code must be between 0 and the group size (${n}), not ${successes}`);
  return wilsonZ(successes, n, zFor(confidence));
}

/**
 * The difference p1 − p2 between two independent groups with Newcombe's
 * hybrid score interval (method 10 of Newcombe 1998b), built on each group's
 * Wilson limits (l1, u1) and (l2, u2):
 *
 *   low  = d − √((p1 − l1)² + (u2 − p2)²)
 *   high = d + √((u1 − p1)² + (p2 − l2)²)
 *
 * The limits lie within [−1, 1]. When either group is empty the estimate is
 * NaN and the interval [−1, 1] (nothing is ruled out).
 *
 * @throws RangeError as {@link wilsonInterval} does, for either group.
 */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, confidence = 0.95): Interval {
  const g1 = wilsonInterval(x1, n1, confidence);
  const g2 = wilsonInterval(x2, n2, confidence);
  if (n1 === 0 || n2 === 0) return { estimate: NaN, low: -1, high: 1 };
  const estimate = g1.estimate - g2.estimate;
  const low = estimate - Math.hypot(g1.estimate - g1.low, g2.high - g2.estimate);
  const high = estimate + Math.hypot(g1.high - g1.estimate, g2.estimate - g2.low);
  return { estimate, low: Math.max(-1, Math.min(low, estimate)), high: Math.min(1, Math.max(high, estimate)) };
}

/**
 * Weighted prevalence Σw·[success] / Σw with a 95 % interval from Kish's
 * effective sample size: n_eff = (Σw)² / Σw² (Kish 1965), and Wilson's
 * interval for the weighted proportion as if it had been observed on n_eff
 * respondents. Unequal weights lower n_eff below the number of rows, so the
 * interval widens as it should; equal weights give exactly the unweighted
 * Wilson interval. It accounts for unequal weighting only, not for clustering
 * or stratification in the survey design.
 *
 * Method sentence for a report: {@link methodText}().weighted.
 *
 * Zero weights are allowed (the row counts for nothing). When every weight is
 * zero, or there are no rows, the estimate is NaN and the interval [0, 1].
 *
 * @throws WeightError on a negative, infinite or missing (NaN) weight.
 */
export function weightedProportion(values: readonly WeightedValue[], confidence = 0.95): WeightedInterval {
  const z = zFor(confidence);
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const { weight } = values[i];
    if (!Number.isFinite(weight) || weight < 0) {
      const what = Number.isNaN(weight) ? 'no weight (empty or not a number)' : weight < 0 ? `a negative weight (${weight})` : 'an infinite weight';
      throw new WeightError(i, weight, `Row ${i + 1} has ${what}: weights must be numbers of zero or more. Fix the weight column or choose another one.`);
    }
    if (weight > max) max = weight;
  }
  // n_eff and the share do not change when every weight is scaled; dividing by the largest keeps w² from
  // underflowing to 0 (tiny weights) or overflowing to Infinity (huge ones).
  let total = 0;
  let sum = 0;
  let sumSquares = 0;
  let sumSuccess = 0;
  let weighted = 0;
  for (const { weight, success } of values) {
    if (weight === 0) continue;
    const w = weight / max;
    weighted += 1;
    total += weight;
    sum += w;
    sumSquares += w * w;
    if (success) sumSuccess += w;
  }
  const base = { n: values.length, weighted, weightTotal: total };
  if (weighted === 0) return { ...base, effectiveN: 0, estimate: NaN, low: 0, high: 1 };
  const effectiveN = (sum * sum) / sumSquares;
  const p = Math.min(1, sumSuccess / sum);
  const interval = wilsonZ(p * effectiveN, effectiveN, z);
  // The estimate is the weighted share itself, not p·n_eff / n_eff (which may differ in the last bit).
  return { ...base, effectiveN, estimate: p, low: Math.min(interval.low, p), high: Math.max(interval.high, p) };
}

/** The sentences a methods section prints for each kind of interval. */
export interface MethodText {
  wilson: string;
  newcombe: string;
  weighted: string;
  /** All three in one sentence. */
  summary: string;
}

/** Methods sentences for this confidence level (95 % unless told). */
export function methodText(confidence = 0.95): MethodText {
  zFor(confidence);
  const level = `${Number((confidence * 100).toFixed(2))}%`;
  return {
    wilson: `${level} confidence intervals for proportions were calculated by Wilson's score method (Wilson 1927).`,
    newcombe: `Differences between groups are given with ${level} confidence intervals by Newcombe's hybrid score method (method 10 of Newcombe 1998, Statistics in Medicine 17:873–890).`,
    weighted: `Weighted prevalence is the weighted share of respondents; its ${level} confidence interval is Wilson's score interval on Kish's effective sample size, (Σw)²/Σw² (Kish 1965), which allows for unequal weights but not for clustering or stratification.`,
    summary: `${level} confidence intervals by Wilson's score method; differences between groups by Newcombe's hybrid score method (method 10); weighted prevalence with Kish's effective sample size.`,
  };
}

/** The methods sentences at 95 %. */
export const METHOD_TEXT: MethodText = methodText(0.95);
