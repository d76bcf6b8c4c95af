/**
 * The shared input of the generic statistics: `units[i][c]` is coder c's value
 * for unit i, `null` when coder c did not code unit i.
 *
 * Values are compared with SameValueZero (a Map's equality): the number 1 and
 * the string "1" are different categories. Units nobody coded carry no
 * information and every statistic skips them.
 */

export type Value = string | number | null;
export type Units = readonly (readonly Value[])[];

/**
 * The coder count after checking the matrix (0 when there are no units).
 * Malformed input is a caller's bug, not an undefined statistic, so it throws
 * RangeError/TypeError rather than AgreementUndefinedError.
 */
export function coderCount(units: Units): number {
  if (units.length === 0) return 0;
  const coders = units[0].length;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    if (unit.length !== coders) {
      throw new RangeError(`Unit ${i + 1} has ${unit.length} values but unit 1 has ${coders}: every unit needs one entry per coder (null when not coded).`);
    }
    for (const value of unit) {
      if (value === null || typeof value === 'string') continue;
      if (typeof value !== 'number') throw new TypeError(`Unit ${i + 1} holds ${String(value)}: values must be strings, numbers or null.`);
      if (!Number.isFinite(value)) throw new RangeError(`Unit ${i + 1} holds ${value}: numeric values must be finite.`);
    }
  }
  return coders;
}

/** Dense indices for categories in order of first appearance. */
export class CategoryIndex {
  readonly values: Value[] = [];
  private readonly indexOf = new Map<Value, number>();

  of(value: Value): number {
    let index = this.indexOf.get(value);
    if (index === undefined) {
      index = this.values.length;
      this.indexOf.set(value, index);
      this.values.push(value);
    }
    return index;
  }

  find(value: Value): number | undefined {
    return this.indexOf.get(value);
  }

  get size(): number {
    return this.values.length;
  }
}

/** The one category with a positive total, when there is exactly one; otherwise -1. */
export function soleCategory(totals: ArrayLike<number>): number {
  let found = -1;
  for (let k = 0; k < totals.length; k++) {
    if (totals[k] > 0) {
      if (found >= 0) return -1;
      found = k;
    }
  }
  return found;
}

/** Number of categories with a positive total. */
export function usedCategories(totals: ArrayLike<number>): number {
  let used = 0;
  for (let k = 0; k < totals.length; k++) if (totals[k] > 0) used++;
  return used;
}
