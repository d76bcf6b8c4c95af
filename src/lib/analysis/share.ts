/**
 * `numerator / denominator`, or null when the denominator is zero: a table
 * shows "–" for a share of nothing, where NaN would print as "NaN" and sort
 * unpredictably.
 */
export function share(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}
