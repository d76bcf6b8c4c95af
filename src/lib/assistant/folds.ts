/** Seeded, stratified fold assignment and shuffling. */

import { mulberry32, type Random } from '../agreement/random';

/** Fisher–Yates shuffle in place with a seeded generator. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(items: T, random: Random): T {
  for (let t = items.length - 1; t > 0; t--) {
    const s = Math.floor(random() * (t + 1));
    const tmp = items[t];
    items[t] = items[s];
    items[s] = tmp;
  }
  return items;
}

/**
 * Fold of each row (0…k−1), stratified by each row's rarest code (rows with no
 * code form their own stratum) so a rare code is spread over the folds: rows are
 * shuffled, grouped by stratum, then dealt out in turn. Deterministic for a seed.
 */
export function stratifiedFolds(codes: readonly (readonly number[])[], k: number, seed: number): Int32Array {
  const n = codes.length;
  const count = new Map<number, number>();
  for (const row of codes) for (const c of row) count.set(c, (count.get(c) ?? 0) + 1);
  const stratum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestCount = Infinity;
    for (const c of codes[i]) {
      const m = count.get(c) as number;
      if (m < bestCount || (m === bestCount && c < best)) {
        best = c;
        bestCount = m;
      }
    }
    stratum[i] = best;
  }
  const order = shuffleInPlace(
    Int32Array.from({ length: n }, (_, i) => i),
    mulberry32(seed),
  );
  // Stable sort by stratum keeps the shuffled order within each.
  const sorted = Array.from(order).sort((x, y) => stratum[x] - stratum[y]);
  const fold = new Int32Array(n);
  // Start each stratum where the previous one stopped, so small strata do not all begin in fold 0.
  for (let t = 0; t < n; t++) fold[sorted[t]] = t % k;
  return fold;
}
