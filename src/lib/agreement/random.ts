/**
 * Seeded randomness for the bootstrap: the same seed gives the same interval on
 * every machine, so a reported interval can be reproduced.
 */

/** A uniform draw in the open interval (0, 1): never 0, so log(u) is finite. */
export type Random = () => number;

/** mulberry32: 32 bits of state, fast, and plenty for resampling. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/** A seed derived from a base seed and a name (FNV-1a), so each code's interval does not depend on the others. */
export function mixSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Uniform integer in [0, n). */
export function randomIndex(random: Random, n: number): number {
  return Math.floor(random() * n);
}

// log(k!) − (log √(2π) + (k + ½)·log(k + 1) − (k + 1)): the error of Stirling's formula, exact for small k.
const STIRLING_TAIL: number[] = (() => {
  const table: number[] = [];
  let logFactorial = 0;
  for (let k = 0; k < 10; k++) {
    if (k > 0) logFactorial += Math.log(k);
    table.push(logFactorial - (0.5 * Math.log(2 * Math.PI) + (k + 0.5) * Math.log(k + 1) - (k + 1)));
  }
  return table;
})();

function stirlingTail(k: number): number {
  if (k < 10) return STIRLING_TAIL[k];
  const inverse = 1 / (k + 1);
  const inverseSquared = inverse * inverse;
  return (1 / 12 - (1 / 360 - inverseSquared / 1260) * inverseSquared) * inverse;
}

/** Counts geometric waiting times: exact, and quick while the mean n·p is small. */
function binomialInversion(random: Random, n: number, p: number): number {
  const logQ = Math.log1p(-p);
  let successes = 0;
  let position = 0;
  for (;;) {
    position += Math.ceil(Math.log(random()) / logQ);
    if (position > n) return successes;
    successes++;
  }
}

/**
 * Hörmann's BTRS transformed rejection (1993, "The generation of binomial
 * random variates"), for n·p ≥ 10 and p ≤ ½: a constant expected cost however
 * large n is, which is what lets the table bootstrap millions of units.
 */
function binomialRejection(random: Random, n: number, p: number): number {
  const spread = Math.sqrt(n * p * (1 - p));
  const b = 1.15 + 2.53 * spread;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spread;
  const r = p / (1 - p);
  const mode = Math.floor((n + 1) * p);
  const logAtMode = (mode + 0.5) * Math.log((mode + 1) / (r * (n - mode + 1))) + stirlingTail(mode) + stirlingTail(n - mode);
  for (;;) {
    const u = random() - 0.5;
    const v = random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    const logV = Math.log((v * alpha) / (a / (us * us) + b));
    const bound =
      logAtMode + (n + 1) * Math.log((n - mode + 1) / (n - k + 1)) + (k + 0.5) * Math.log((r * (n - k + 1)) / (k + 1)) - stirlingTail(k) - stirlingTail(n - k);
    if (logV <= bound) return k;
  }
}

/** A Binomial(n, p) draw. */
export function binomial(random: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  const draw = n * q < 10 ? binomialInversion(random, n, q) : binomialRejection(random, n, q);
  return flip ? n - draw : draw;
}

/**
 * A Multinomial(n, weights / Σ weights) draw into `out`, as a chain of
 * binomials: each category takes its share of what the earlier ones left.
 */
export function multinomial(random: Random, n: number, weights: ArrayLike<number>, out: Float64Array | number[]): void {
  let remainingWeight = 0;
  for (let i = 0; i < weights.length; i++) remainingWeight += weights[i];
  let remaining = n;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (remaining === 0 || w <= 0) {
      out[i] = 0;
      continue;
    }
    const draw = w >= remainingWeight ? remaining : binomial(random, remaining, w / remainingWeight);
    out[i] = draw;
    remaining -= draw;
    remainingWeight -= w;
  }
}
