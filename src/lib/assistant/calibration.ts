/**
 * From scores to probabilities and decisions: Platt scaling fitted on out-of-fold
 * scores, and the decision threshold that maximises Cohen's κ on them.
 */

export interface Platt {
  /** p = 1 / (1 + exp(−(a·score + b))). */
  a: number;
  b: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function applyPlatt(platt: Platt, score: number): number {
  return sigmoid(platt.a * score + platt.b);
}

/**
 * Platt's sigmoid fitted by Newton's method with backtracking (Lin, Lin and Weng
 * 2007), on smoothed targets (N₊+1)/(N₊+2) and 1/(N₋+2) so that a separable fold
 * does not give an infinitely steep curve.
 */
export function fitPlatt(scores: ArrayLike<number>, positive: ArrayLike<number>): Platt {
  const n = scores.length;
  let prior1 = 0;
  for (let i = 0; i < n; i++) if (positive[i]) prior1++;
  const prior0 = n - prior1;
  const hiTarget = (prior1 + 1) / (prior1 + 2);
  const loTarget = 1 / (prior0 + 2);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = positive[i] ? hiTarget : loTarget;
  // Platt's parameterisation: p = 1 / (1 + exp(A·s + B)).
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  const sigma = 1e-12;
  const objective = (a: number, b: number): number => {
    let f = 0;
    for (let i = 0; i < n; i++) {
      const fApB = scores[i] * a + b;
      f += fApB >= 0 ? t[i] * fApB + Math.log1p(Math.exp(-fApB)) : (t[i] - 1) * fApB + Math.log1p(Math.exp(fApB));
    }
    return f;
  };
  let fval = objective(A, B);
  for (let iter = 0; iter < 100; iter++) {
    let h11 = sigma;
    let h22 = sigma;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const fApB = scores[i] * A + B;
      let p: number;
      let q: number;
      if (fApB >= 0) {
        p = Math.exp(-fApB) / (1 + Math.exp(-fApB));
        q = 1 / (1 + Math.exp(-fApB));
      } else {
        p = 1 / (1 + Math.exp(fApB));
        q = Math.exp(fApB) / (1 + Math.exp(fApB));
      }
      const d2 = p * q;
      h11 += scores[i] * scores[i] * d2;
      h22 += d2;
      h21 += scores[i] * d2;
      const d1 = t[i] - p;
      g1 += scores[i] * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    let moved = false;
    while (step >= 1e-10) {
      const nA = A + step * dA;
      const nB = B + step * dB;
      const nf = objective(nA, nB);
      if (nf < fval + 1e-4 * step * gd) {
        A = nA;
        B = nB;
        fval = nf;
        moved = true;
        break;
      }
      step /= 2;
    }
    if (!moved) break;
  }
  // A sigmoid falling with the score says the folds ranked against the model: with a handful of coded answers a
  // fold can do that by chance, and applied it would turn every suggestion round (the sample's 16 answers did).
  // The model's own margin, shifted to the base rate, is then the better guess.
  if (-A <= 0) return { a: 1, b: Math.log((prior1 + 1) / (prior0 + 1)) };
  return { a: -A, b: -B };
}

/** Cohen's κ of two binary raters from their 2×2 counts (NaN when chance agreement is 1). */
export function kappaFromCounts(tp: number, fp: number, fn: number, tn: number): number {
  const n = tp + fp + fn + tn;
  if (n === 0) return NaN;
  const po = (tp + tn) / n;
  const pe = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / (n * n);
  return pe === 1 ? NaN : (po - pe) / (1 - pe);
}

/**
 * The probability threshold (decide "present" when p ≥ threshold) with the largest
 * κ against `positive` on these out-of-fold probabilities: the midpoint between
 * the last probability included and the next, so a new row's decision is not
 * decided by a tie. 0.5 when there is nothing to learn from (no positives or no negatives).
 */
export function bestKappaThreshold(probabilities: ArrayLike<number>, positive: ArrayLike<number>): number {
  const n = probabilities.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => probabilities[y] - probabilities[x]);
  let positives = 0;
  for (let i = 0; i < n; i++) if (positive[i]) positives++;
  if (positives === 0 || positives === n) return 0.5;
  let best = -Infinity;
  let threshold = 0.5;
  let tp = 0;
  let fp = 0;
  for (let t = 0; t < n; t++) {
    if (positive[order[t]]) tp++;
    else fp++;
    const p = probabilities[order[t]];
    const next = t + 1 < n ? probabilities[order[t + 1]] : 0;
    if (next === p) continue;
    const kappa = kappaFromCounts(tp, fp, positives - tp, n - positives - fp);
    if (kappa > best) {
      best = kappa;
      threshold = (p + next) / 2;
    }
  }
  return threshold;
}
