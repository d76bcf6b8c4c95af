/**
 * Krippendorff's alpha through the coincidence matrix, as in Krippendorff
 * (2011) "Computing Krippendorff's Alpha-Reliability":
 *
 *   o_ck = Σ_u (number of c–k pairs of values in u) / (m_u − 1)
 *   α = 1 − (n − 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck
 *
 * Missing values are allowed: a unit with fewer than two values is not
 * pairable and contributes nothing.
 */

import { noPairableUnitsError, noUnitsError, oneCategoryError, wrongCoderCountError } from './errors';
import { CategoryIndex, coderCount, soleCategory, type Units, type Value } from './units';

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export interface AlphaOptions {
  /**
   * For the ordinal level: the categories from lowest to highest. Without it
   * the values must be numbers and are ranked numerically.
   */
  order?: readonly Value[];
}

/**
 * The pairable units' contributions to the coincidence matrix, kept per unit so
 * the bootstrap can resample units by adding up their entries.
 */
export interface UnitCoincidences {
  /** Every non-null value seen, in order of first appearance (category index → value). */
  values: Value[];
  /** Entries of unit u are `unitStart[u]` to `unitStart[u + 1]` (exclusive); only pairable units are listed. */
  unitStart: Int32Array;
  first: Int32Array;
  second: Int32Array;
  weight: Float64Array;
}

export function unitCoincidences(units: Units): UnitCoincidences {
  const index = new CategoryIndex();
  const starts: number[] = [0];
  const first: number[] = [];
  const second: number[] = [];
  const weight: number[] = [];
  const inUnit = new Map<number, number>();
  for (const unit of units) {
    inUnit.clear();
    let values = 0;
    for (const value of unit) {
      if (value === null) continue;
      const k = index.of(value);
      inUnit.set(k, (inUnit.get(k) ?? 0) + 1);
      values++;
    }
    if (values < 2) continue;
    const scale = 1 / (values - 1);
    for (const [c, nc] of inUnit) {
      for (const [k, nk] of inUnit) {
        const pairs = c === k ? nc * (nc - 1) : nc * nk;
        if (pairs === 0) continue;
        first.push(c);
        second.push(k);
        weight.push(pairs * scale);
      }
    }
    starts.push(first.length);
  }
  return {
    values: index.values,
    unitStart: Int32Array.from(starts),
    first: Int32Array.from(first),
    second: Int32Array.from(second),
    weight: Float64Array.from(weight),
  };
}

/** Number of pairable units in `coincidences`. */
export function pairableUnitCount(coincidences: UnitCoincidences): number {
  return coincidences.unitStart.length - 1;
}

/** Adds unit u's entries, `times` times over, into a V×V row-major matrix. */
export function addUnit(coincidences: UnitCoincidences, u: number, matrix: Float64Array, times = 1): void {
  const size = coincidences.values.length;
  const { unitStart, first, second, weight } = coincidences;
  for (let e = unitStart[u]; e < unitStart[u + 1]; e++) matrix[first[e] * size + second[e]] += weight[e] * times;
}

/** The coincidence matrix o (V×V, row-major) of all pairable units. */
export function coincidenceMatrix(coincidences: UnitCoincidences): Float64Array {
  const size = coincidences.values.length;
  const matrix = new Float64Array(size * size);
  for (let u = 0; u < pairableUnitCount(coincidences); u++) addUnit(coincidences, u, matrix);
  return matrix;
}

/**
 * δ² for every pair of categories (V×V, row-major), given the coincidence
 * marginals n_c (needed by the ordinal metric). Numbers are rescaled first
 * (interval: to [0, 1]; ratio: by the largest) because α does not change under
 * those maps and the squares can then neither overflow nor underflow.
 */
export function distances(values: readonly Value[], marginals: ArrayLike<number>, level: AlphaLevel, options: AlphaOptions = {}): Float64Array {
  const size = values.length;
  const delta = new Float64Array(size * size);
  if (level === 'nominal') {
    for (let c = 0; c < size; c++) for (let k = 0; k < size; k++) delta[c * size + k] = c === k ? 0 : 1;
    return delta;
  }
  if (level === 'ordinal') {
    const rank = ordinalRanks(values, options.order);
    const sorted = values.map((_, c) => c).sort((a, b) => rank[a] - rank[b]);
    const position = new Int32Array(size);
    const cumulative = new Float64Array(size + 1); // cumulative[i] = Σ n_g over the first i sorted categories
    sorted.forEach((c, i) => {
      position[c] = i;
      cumulative[i + 1] = cumulative[i] + marginals[c];
    });
    for (let c = 0; c < size; c++) {
      for (let k = 0; k < size; k++) {
        if (c === k) continue;
        const lo = Math.min(position[c], position[k]);
        const hi = Math.max(position[c], position[k]);
        const d = cumulative[hi + 1] - cumulative[lo] - (marginals[c] + marginals[k]) / 2;
        delta[c * size + k] = d * d;
      }
    }
    return delta;
  }
  const numbers = values.map((value) => {
    if (typeof value !== 'number') throw new TypeError(`Krippendorff's alpha at the ${level} level needs numbers, not ${String(value)}.`);
    if (level === 'ratio' && value < 0) throw new RangeError(`Krippendorff's alpha at the ratio level needs values ≥ 0, not ${value}.`);
    return value;
  });
  const min = level === 'ratio' ? 0 : Math.min(...numbers);
  const range = Math.max(...numbers) - min || 1;
  const scaled = numbers.map((x) => (x - min) / range);
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) {
      const a = scaled[c];
      const b = scaled[k];
      const d = level === 'interval' ? a - b : a + b === 0 ? 0 : (a - b) / (a + b);
      delta[c * size + k] = d * d;
    }
  }
  return delta;
}

function ordinalRanks(values: readonly Value[], order: readonly Value[] | undefined): number[] {
  if (order) {
    const rankOf = new Map<Value, number>();
    order.forEach((value, i) => {
      if (!rankOf.has(value)) rankOf.set(value, i);
    });
    return values.map((value) => {
      const rank = rankOf.get(value);
      if (rank === undefined) throw new RangeError(`The value ${String(value)} is not in the ordinal order given.`);
      return rank;
    });
  }
  return values.map((value) => {
    if (typeof value !== 'number') {
      throw new TypeError(`Krippendorff's alpha at the ordinal level needs numbers or an explicit order, not ${String(value)}.`);
    }
    return value;
  });
}

/** α from a V×V coincidence matrix (row-major) over `values`. */
export function alphaFromCoincidences(values: readonly Value[], matrix: ArrayLike<number>, level: AlphaLevel = 'nominal', options: AlphaOptions = {}): number {
  const size = values.length;
  if (matrix.length !== size * size) throw new RangeError(`A coincidence matrix over ${size} values needs ${size * size} cells.`);
  const marginals = new Float64Array(size);
  let n = 0;
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) marginals[c] += matrix[c * size + k];
    n += marginals[c];
  }
  if (!(n > 0)) throw noPairableUnitsError('krippendorffAlpha', 2, true);
  const delta = distances(values, marginals, level, options);
  const only = soleCategory(marginals);
  if (only >= 0) throw oneCategoryError('krippendorffAlpha', values[only]);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) {
      const d = delta[c * size + k];
      if (d === 0) continue;
      observed += matrix[c * size + k] * d;
      expected += marginals[c] * marginals[k] * d;
    }
  }
  // Distinct values always have a positive distance; this guards the arithmetic, not the logic.
  if (!(expected > 0)) throw oneCategoryError('krippendorffAlpha', values[marginals.findIndex((m) => m > 0)]);
  return 1 - ((n - 1) * observed) / expected;
}

/** Krippendorff's alpha for any number of coders, with missing values. */
export function krippendorffAlpha(units: Units, level: AlphaLevel = 'nominal', options: AlphaOptions = {}): number {
  const coders = coderCount(units);
  if (units.length === 0) throw noUnitsError('krippendorffAlpha');
  if (coders < 2) throw wrongCoderCountError('krippendorffAlpha', coders);
  const coincidences = unitCoincidences(units);
  // Check every value against the level, including those in units that cannot be paired.
  if (level !== 'nominal') distances(coincidences.values, new Float64Array(coincidences.values.length), level, options);
  return alphaFromCoincidences(coincidences.values, coincidenceMatrix(coincidences), level, options);
}
