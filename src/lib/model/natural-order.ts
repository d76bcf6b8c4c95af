/**
 * Natural order for what people name and number: digits compare as numbers ("pair 2" before "pair 10", "M2"
 * before "M10"), case and accents are ignored, and strings the collator finds equal ("a" and "A") fall back to
 * code-unit order so that the order is total and the same on every machine for distinct strings. One collator
 * for the app: building one per comparison costs far more than comparing.
 */
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** A copy in natural order. */
export function naturallySorted(values: Iterable<string>): string[] {
  return [...values].sort(naturalCompare);
}
