/**
 * Percent agreement, Cohen's kappa, Scott's pi, Fleiss' kappa and Gwet's AC1.
 *
 * Missing values (null):
 * - percent agreement is pairwise: for each pair of coders, the units both
 *   coded; with more than two coders it is the mean over the pairs that share
 *   at least one unit (each pair weighs the same, however many units it shares);
 * - Cohen's kappa and Scott's pi (exactly two coders) use the units both coded;
 * - Gwet's AC1 uses the units every coder coded (listwise), so that its chance
 *   term and its observed agreement rest on the same units;
 * - Fleiss' kappa needs every unit coded by the same number of coders (not
 *   necessarily the same coders: that is Fleiss' design); units nobody coded
 *   are skipped, any other difference throws 'incomplete-data'.
 *
 * Each statistic is computed by a core from counts (the `…FromTable`,
 * `…FromCounts` and `…FromSums` functions) that the fast answer-level table
 * shares, so both paths give the same numbers and the same messages.
 */

import { noPairableUnitsError, noUnitsError, oneCategoryError, unequalCodersError, wrongCoderCountError, type StatisticName } from './errors';
import { CategoryIndex, coderCount, soleCategory, usedCategories, type Units, type Value } from './units';

type Labels = readonly Value[] | undefined;

function labelOf(labels: Labels, k: number): Value {
  return labels?.[k] ?? `category ${k + 1}`;
}

function checkSquare(table: readonly (readonly number[])[]): number {
  const size = table.length;
  for (const row of table) {
    if (row.length !== size) throw new RangeError(`A ${size}×${size} agreement table needs ${size} cells in every row.`);
    for (const cell of row) {
      if (!(cell >= 0) || !Number.isFinite(cell)) throw new RangeError(`Table cells must be finite counts ≥ 0, not ${cell}.`);
    }
  }
  return size;
}

/** Fraction of units on which each pair agrees, averaged over the pairs that share a unit. */
export function percentAgreement(units: Units): number {
  const coders = coderCount(units);
  if (units.length === 0) throw noUnitsError('percentAgreement');
  if (coders < 2) throw wrongCoderCountError('percentAgreement', coders);
  let sum = 0;
  let pairs = 0;
  for (let c = 0; c < coders; c++) {
    for (let d = c + 1; d < coders; d++) {
      let shared = 0;
      let agreed = 0;
      for (const unit of units) {
        const a = unit[c];
        const b = unit[d];
        if (a === null || b === null) continue;
        shared++;
        if (a === b) agreed++;
      }
      if (shared > 0) {
        sum += agreed / shared;
        pairs++;
      }
    }
  }
  if (pairs === 0) throw noPairableUnitsError('percentAgreement', coders, coders > 2);
  return sum / pairs;
}

/** The K×K table of two coders' values over the units both coded (rows: first coder). */
function crossTable(units: Units, statistic: StatisticName): { table: number[][]; labels: Value[] } {
  const coders = coderCount(units);
  if (units.length === 0) throw noUnitsError(statistic);
  if (coders !== 2) throw wrongCoderCountError(statistic, coders);
  const index = new CategoryIndex();
  const pairs: number[] = [];
  for (const [a, b] of units) {
    if (a === null || b === null) continue;
    pairs.push(index.of(a), index.of(b));
  }
  const size = index.size;
  const table = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let i = 0; i < pairs.length; i += 2) table[pairs[i]][pairs[i + 1]]++;
  return { table, labels: index.values };
}

/**
 * Cohen's kappa from a K×K table of two coders (cell [i][j]: units the first
 * coder put in category i and the second in j). Computed on the counts
 * themselves, so integer tables give the exact ratio and never exceed 1.
 */
export function cohenKappaFromTable(table: readonly (readonly number[])[], labels?: readonly Value[]): number {
  return kappaFromTable(table, labels, 'cohenKappa');
}

/** @internal shared with the character-level kappa, which reports under its own name. */
export function kappaFromTable(table: readonly (readonly number[])[], labels: Labels, statistic: StatisticName): number {
  const size = checkSquare(table);
  const rows = new Array<number>(size).fill(0);
  const cols = new Array<number>(size).fill(0);
  let n = 0;
  let agreed = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const cell = table[i][j];
      rows[i] += cell;
      cols[j] += cell;
      n += cell;
      if (i === j) agreed += cell;
    }
  }
  if (n === 0) throw noPairableUnitsError(statistic);
  let chance = 0;
  for (let k = 0; k < size; k++) chance += rows[k] * cols[k];
  // Chance agreement is 1 exactly when both coders used one and the same category.
  const both = soleCategory(rows.map((r, k) => r + cols[k]));
  if (both >= 0) throw oneCategoryError(statistic, labelOf(labels, both));
  return (n * agreed - chance) / (n * n - chance);
}

/** Cohen's kappa for exactly two coders, over the units both coded. */
export function cohenKappa(units: Units): number {
  const { table, labels } = crossTable(units, 'cohenKappa');
  return cohenKappaFromTable(table, labels);
}

/** Scott's pi from a K×K table of two coders: chance from the pooled marginals. */
export function scottPiFromTable(table: readonly (readonly number[])[], labels?: readonly Value[]): number {
  const size = checkSquare(table);
  const pooled = new Array<number>(size).fill(0);
  let n = 0;
  let agreed = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const cell = table[i][j];
      pooled[i] += cell;
      pooled[j] += cell;
      n += cell;
      if (i === j) agreed += cell;
    }
  }
  if (n === 0) throw noPairableUnitsError('scottPi');
  const only = soleCategory(pooled);
  if (only >= 0) throw oneCategoryError('scottPi', labelOf(labels, only));
  let chance = 0; // Σ (2n·p_k)², over (2n)² below
  for (const total of pooled) chance += total * total;
  return (4 * n * agreed - chance) / (4 * n * n - chance);
}

/** Scott's pi for exactly two coders, over the units both coded. */
export function scottPi(units: Units): number {
  const { table, labels } = crossTable(units, 'scottPi');
  return scottPiFromTable(table, labels);
}

/**
 * Fleiss' kappa from sums over units: `units` rated by `raters` each,
 * `totals[k]` assignments to category k, `sumSquares` = Σ_i Σ_k n_ik².
 */
export function fleissKappaFromSums(units: number, raters: number, totals: ArrayLike<number>, sumSquares: number, labels?: readonly Value[]): number {
  if (units === 0 || raters < 2) throw noPairableUnitsError('fleissKappa', 2, true);
  const only = soleCategory(totals);
  if (only >= 0) throw oneCategoryError('fleissKappa', labelOf(labels, only));
  const assignments = units * raters;
  const observed = (sumSquares - assignments) / (assignments * (raters - 1));
  let chance = 0;
  for (let k = 0; k < totals.length; k++) {
    const p = totals[k] / assignments;
    chance += p * p;
  }
  return (observed - chance) / (1 - chance);
}

/**
 * Fleiss' kappa from a units × categories table of counts (cell [i][k]: how
 * many coders put unit i in category k). Rows summing to 0 are skipped; all
 * others must have the same sum.
 */
export function fleissKappaFromCounts(counts: readonly (readonly number[])[], labels?: readonly Value[]): number {
  let fewest = Infinity;
  let most = 0;
  let units = 0;
  let sumSquares = 0;
  const width = counts.length > 0 ? counts[0].length : 0;
  const totals = new Array<number>(width).fill(0);
  for (const row of counts) {
    if (row.length !== width) throw new RangeError(`Every row of a Fleiss table needs ${width} category counts.`);
    let sum = 0;
    for (const cell of row) {
      if (!Number.isInteger(cell) || cell < 0) throw new RangeError(`Fleiss counts must be whole numbers ≥ 0, not ${cell}.`);
      sum += cell;
    }
    if (sum === 0) continue;
    fewest = Math.min(fewest, sum);
    most = Math.max(most, sum);
    units++;
    for (let k = 0; k < width; k++) {
      totals[k] += row[k];
      sumSquares += row[k] * row[k];
    }
  }
  if (units === 0) throw noUnitsError('fleissKappa');
  if (fewest !== most) throw unequalCodersError('fleissKappa', fewest, most);
  return fleissKappaFromSums(units, most, totals, sumSquares, labels);
}

/** Fleiss' kappa: every unit coded by the same number of coders (units nobody coded are skipped). */
export function fleissKappa(units: Units): number {
  const coders = coderCount(units);
  if (units.length === 0) throw noUnitsError('fleissKappa');
  if (coders < 2) throw wrongCoderCountError('fleissKappa', coders);
  const index = new CategoryIndex();
  const rows: number[][] = [];
  for (const unit of units) {
    const row: number[] = [];
    for (const value of unit) {
      if (value === null) continue;
      const k = index.of(value);
      while (row.length <= k) row.push(0);
      row[k]++;
    }
    rows.push(row);
  }
  for (const row of rows) while (row.length < index.size) row.push(0);
  return fleissKappaFromCounts(rows, index.values);
}

/**
 * Gwet's AC1 (Gwet 2008, multiple raters) from sums over complete units:
 * `units` each rated by all `raters`, `totals[k]` assignments to category k,
 * `agreeingPairs` = Σ_i Σ_k r_ik(r_ik − 1), `categories` the size of the scale.
 *
 * p_a = agreeingPairs / (n·r(r−1)); π_k = totals[k] / (n·r);
 * p_e = Σ_k π_k(1 − π_k) / (K − 1); AC1 = (p_a − p_e) / (1 − p_e).
 * p_e ≤ 1/K < 1, so AC1 is defined whenever there are two categories.
 */
export function gwetAC1FromSums(
  units: number,
  raters: number,
  totals: ArrayLike<number>,
  agreeingPairs: number,
  categories: number,
  labels?: readonly Value[],
): number {
  if (units === 0 || raters < 2) throw noPairableUnitsError('gwetAC1', raters);
  if (categories < 2) throw oneCategoryError('gwetAC1', labelOf(labels, Math.max(0, soleCategory(totals))));
  const assignments = units * raters;
  const observed = agreeingPairs / (assignments * (raters - 1));
  let spread = 0;
  for (let k = 0; k < totals.length; k++) {
    const p = totals[k] / assignments;
    spread += p * (1 - p);
  }
  const chance = spread / (categories - 1);
  return (observed - chance) / (1 - chance);
}

export interface GwetOptions {
  /**
   * Every category of the scale, used or not. AC1's chance term depends on the
   * number of categories K; without this list K is the number of categories
   * observed, which for a binary code nobody applied is 1 (undefined).
   */
  categories?: readonly Value[];
}

/** Gwet's AC1 for two or more coders, over the units every coder coded. */
export function gwetAC1(units: Units, options: GwetOptions = {}): number {
  const coders = coderCount(units);
  if (units.length === 0) throw noUnitsError('gwetAC1');
  if (coders < 2) throw wrongCoderCountError('gwetAC1', coders);
  const index = new CategoryIndex();
  for (const category of options.categories ?? []) {
    if (category === null) throw new RangeError('null is the missing value, not a category.');
    index.of(category);
  }
  const fixed = options.categories !== undefined;
  const totals: number[] = new Array<number>(index.size).fill(0);
  const inUnit = new Map<number, number>();
  let complete = 0;
  let agreeingPairs = 0;
  for (const unit of units) {
    if (unit.includes(null)) continue;
    complete++;
    inUnit.clear();
    for (const value of unit) {
      const k = fixed ? index.find(value) : index.of(value);
      if (k === undefined) throw new RangeError(`The value ${String(value)} is not among the categories given.`);
      inUnit.set(k, (inUnit.get(k) ?? 0) + 1);
    }
    for (const [k, count] of inUnit) {
      while (totals.length <= k) totals.push(0);
      totals[k] += count;
      agreeingPairs += count * (count - 1);
    }
  }
  if (complete === 0) throw noPairableUnitsError('gwetAC1', coders);
  const categories = fixed ? index.size : usedCategories(totals);
  return gwetAC1FromSums(complete, coders, totals, agreeingPairs, categories, index.values);
}
