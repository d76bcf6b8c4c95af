/**
 * Percent agreement, Cohen's kappa, Scott's pi, Fleiss' kappa and Gwet's AC1.
 *
 * Missing values (null), as in Gwet (2014) and the R package irrCAC (see
 * docs/agreement.md):
 * - Cohen's kappa and Scott's pi (exactly two coders) use the units both coded;
 * - percent agreement, Fleiss' kappa and Gwet's AC1 take their observed
 *   agreement from the units two or more coders coded (each unit's share of
 *   agreeing coder pairs, averaged over those units) and their category
 *   prevalence π_k from every unit anyone coded (r_ik / r_i averaged over
 *   those units), so a unit only one coder coded still tells how common each
 *   category is. With complete data these are the textbook formulas.
 * Units nobody coded carry no information and are skipped.
 *
 * Each statistic is computed by a core from counts (the `…FromTable`,
 * `…FromUnitSums` and `…FromSums` functions) that the fast answer-level table
 * shares, so both paths give the same numbers and the same messages.
 */

import { noPairableUnitsError, noUnitsError, oneCategoryError, wrongCoderCountError, type StatisticName } from './errors';
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

/**
 * Share of agreeing coder pairs, averaged over the units two or more coders
 * coded: (1/n₂) Σ_i Σ_k r_ik(r_ik − 1) / (r_i(r_i − 1)) (Gwet 2014, irrCAC
 * `pa.coeff.raw`). For two coders, the share of the units both coded on which
 * they agree.
 */
export function percentAgreement(units: Units): number {
  const coders = coderCount(units);
  if (units.length === 0) throw noUnitsError('percentAgreement');
  if (coders < 2) throw wrongCoderCountError('percentAgreement', coders);
  return percentAgreementFromUnitSums(unitSums(units, new CategoryIndex(), false), coders);
}

/**
 * What the multi-coder statistics need from the units with at least one value
 * (Gwet 2014, ch. 5; irrCAC's `*.raw` functions), r_i being unit i's number of
 * values and r_ik how many of them are category k:
 */
export interface UnitSums {
  /** n′: units with at least one value. */
  rated: number;
  /** n₂: units with two or more values. */
  pairable: number;
  /** Σ over pairable units of Σ_k r_ik(r_ik − 1) / (r_i(r_i − 1)): each unit's share of agreeing pairs. */
  agreement: number;
  /** shares[k] = Σ over rated units of r_ik / r_i; π_k = shares[k] / n′. */
  shares: ArrayLike<number>;
}

/**
 * Collects UnitSums over `units`, indexing categories in `index`; with `fixed`
 * a value outside the index is an error rather than a new category.
 */
function unitSums(units: Units, index: CategoryIndex, fixed: boolean): UnitSums & { shares: number[] } {
  const shares = new Array<number>(index.size).fill(0);
  const inUnit = new Map<number, number>();
  let rated = 0;
  let pairable = 0;
  let agreement = 0;
  for (const unit of units) {
    inUnit.clear();
    let values = 0;
    for (const value of unit) {
      if (value === null) continue;
      const k = fixed ? index.find(value) : index.of(value);
      if (k === undefined) throw new RangeError(`The value ${String(value)} is not among the categories given.`);
      inUnit.set(k, (inUnit.get(k) ?? 0) + 1);
      values++;
    }
    if (values === 0) continue;
    rated++;
    let agreeingPairs = 0;
    for (const [k, count] of inUnit) {
      while (shares.length <= k) shares.push(0);
      shares[k] += count / values;
      agreeingPairs += count * (count - 1);
    }
    if (values >= 2) {
      pairable++;
      agreement += agreeingPairs / (values * (values - 1));
    }
  }
  return { rated, pairable, agreement, shares };
}

/** Percent agreement from UnitSums; `coders` only words the error when no unit is pairable. */
export function percentAgreementFromUnitSums(sums: UnitSums, coders = 2): number {
  if (sums.pairable === 0) throw noPairableUnitsError('percentAgreement', coders, coders > 2);
  return sums.agreement / sums.pairable;
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
 * Fleiss' kappa from UnitSums, generalised to units coded by different numbers
 * of coders as irrCAC's `fleiss.kappa.raw` does (Gwet 2014):
 * p_a = agreement / n₂, π_k = shares[k] / n′, p_e = Σ_k π_k², κ = (p_a − p_e) / (1 − p_e).
 * With every unit coded by r coders this is Fleiss (1971).
 */
export function fleissKappaFromUnitSums(sums: UnitSums, labels?: readonly Value[]): number {
  if (sums.rated === 0) throw noUnitsError('fleissKappa');
  if (sums.pairable === 0) throw noPairableUnitsError('fleissKappa', 2, true);
  const only = soleCategory(sums.shares);
  if (only >= 0) throw oneCategoryError('fleissKappa', labelOf(labels, only));
  const observed = sums.agreement / sums.pairable;
  let chance = 0;
  for (let k = 0; k < sums.shares.length; k++) {
    const p = sums.shares[k] / sums.rated;
    chance += p * p;
  }
  return (observed - chance) / (1 - chance);
}

/** UnitSums of `units` complete units rated by `raters` each, from category totals and Σ_i Σ_k n_ik(n_ik − 1). */
function completeUnitSums(units: number, raters: number, totals: ArrayLike<number>, agreeingPairs: number): UnitSums {
  return {
    rated: units,
    pairable: raters >= 2 ? units : 0,
    agreement: raters >= 2 ? agreeingPairs / (raters * (raters - 1)) : 0,
    shares: Array.from(totals, (total) => total / raters),
  };
}

/**
 * Fleiss' kappa from sums over complete units: `units` rated by `raters` each,
 * `totals[k]` assignments to category k, `sumSquares` = Σ_i Σ_k n_ik².
 */
export function fleissKappaFromSums(units: number, raters: number, totals: ArrayLike<number>, sumSquares: number, labels?: readonly Value[]): number {
  if (units === 0 || raters < 2) throw noPairableUnitsError('fleissKappa', 2, true);
  return fleissKappaFromUnitSums(completeUnitSums(units, raters, totals, sumSquares - units * raters), labels);
}

/**
 * Fleiss' kappa from a units × categories table of counts (cell [i][k]: how
 * many coders put unit i in category k). Rows summing to 0 are skipped; rows
 * may sum to different numbers (units coded by different numbers of coders).
 */
export function fleissKappaFromCounts(counts: readonly (readonly number[])[], labels?: readonly Value[]): number {
  const width = counts.length > 0 ? counts[0].length : 0;
  const shares = new Array<number>(width).fill(0);
  let rated = 0;
  let pairable = 0;
  let agreement = 0;
  for (const row of counts) {
    if (row.length !== width) throw new RangeError(`Every row of a Fleiss table needs ${width} category counts.`);
    let sum = 0;
    let agreeingPairs = 0;
    for (const cell of row) {
      if (!Number.isInteger(cell) || cell < 0) throw new RangeError(`Fleiss counts must be whole numbers ≥ 0, not ${cell}.`);
      sum += cell;
      agreeingPairs += cell * (cell - 1);
    }
    if (sum === 0) continue;
    rated++;
    for (let k = 0; k < width; k++) shares[k] += row[k] / sum;
    if (sum >= 2) {
      pairable++;
      agreement += agreeingPairs / (sum * (sum - 1));
    }
  }
  return fleissKappaFromUnitSums({ rated, pairable, agreement, shares }, labels);
}

/** Fleiss' kappa over the units anyone coded (Gwet 2014's treatment of missing values; units nobody coded are skipped). */
export function fleissKappa(units: Units): number {
  const coders = coderCount(units);
  if (units.length === 0) throw noUnitsError('fleissKappa');
  if (coders < 2) throw wrongCoderCountError('fleissKappa', coders);
  const index = new CategoryIndex();
  return fleissKappaFromUnitSums(unitSums(units, index, false), index.values);
}

/**
 * Gwet's AC1 (Gwet 2008; missing values as in Gwet 2014 and irrCAC's
 * `gwet.ac1.raw`) from UnitSums and `categories`, the size K of the scale:
 * p_a = agreement / n₂; π_k = shares[k] / n′ (every unit with a value, even a
 * single one); p_e = Σ_k π_k(1 − π_k) / (K − 1); AC1 = (p_a − p_e) / (1 − p_e).
 * p_e ≤ 1/K < 1, so AC1 is defined whenever there are two categories.
 */
export function gwetAC1FromUnitSums(sums: UnitSums, categories: number, labels?: readonly Value[], coders = 2): number {
  if (sums.pairable === 0) throw noPairableUnitsError('gwetAC1', coders, coders > 2);
  if (categories < 2) throw oneCategoryError('gwetAC1', labelOf(labels, Math.max(0, soleCategory(sums.shares))));
  const observed = sums.agreement / sums.pairable;
  let spread = 0;
  for (let k = 0; k < sums.shares.length; k++) {
    const p = sums.shares[k] / sums.rated;
    spread += p * (1 - p);
  }
  const chance = spread / (categories - 1);
  return (observed - chance) / (1 - chance);
}

/**
 * Gwet's AC1 from sums over complete units: `units` each rated by all
 * `raters`, `totals[k]` assignments to category k, `agreeingPairs` =
 * Σ_i Σ_k r_ik(r_ik − 1), `categories` the size of the scale.
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
  return gwetAC1FromUnitSums(completeUnitSums(units, raters, totals, agreeingPairs), categories, labels, raters);
}

export interface GwetOptions {
  /**
   * Every category of the scale, used or not. AC1's chance term depends on the
   * number of categories K; without this list K is the number of categories
   * observed, which for a binary code nobody applied is 1 (undefined).
   */
  categories?: readonly Value[];
}

/**
 * Gwet's AC1 for two or more coders: agreement over the units two or more
 * coders coded, category prevalence over every unit anyone coded.
 */
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
  const sums = unitSums(units, index, fixed);
  if (sums.pairable === 0) throw noPairableUnitsError('gwetAC1', 2, coders > 2);
  const categories = fixed ? index.size : usedCategories(sums.shares);
  return gwetAC1FromUnitSums(sums, categories, index.values, coders);
}
