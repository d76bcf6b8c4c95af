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

/**
 * A copy in natural order: through keys sorted by code unit when every value has one (naturalKey), the collator
 * otherwise. The key ends with the value after the first NUL, which nothing before it holds.
 */
export function naturallySorted(values: Iterable<string>): string[] {
  const list = [...values];
  const keys = list.map(naturalKey);
  if (!keys.every((k) => k !== null)) return list.sort(naturalCompare);
  return (keys as string[]).sort().map((k) => k.slice(k.indexOf('\u0000') + 1));
}

// The collator's order for spaces and punctuation (they are not ignored: "a b" before "ab"), below digits,
// below letters. Ids made of these, letters and digits get a sort key compared by code unit (see naturalKey).
const PUNCTUATION = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';
const PUNCTUATION_CODE = new Map([...PUNCTUATION].map((c, i) => [c, String.fromCharCode(1 + i)]));
const DIGIT_RUN = 1 + PUNCTUATION.length;
const LONGEST_DIGIT_RUN = 0x60 - DIGIT_RUN;
const PLAIN = /^[A-Za-z0-9 _\-,;:!?.'"()[\]{}@*/\\&#%`^+<=>|~$]*$/;

/**
 * A key whose code-unit order is naturalCompare's, for plain ASCII ids ("R10", "pair 2", "M-02"): letters
 * folded to lower case, punctuation mapped below digits, each run of digits written as its length then its
 * digits without leading zeros (so 2 < 10), then the string itself for what the collator finds equal. Null
 * for anything else (accents, other scripts, a run of over 60 digits), which the collator must order.
 * Comparing 100k ids through the collator takes seconds; through keys, a fraction of that.
 */
export function naturalKey(value: string): string | null {
  if (!PLAIN.test(value)) return null;
  let key = '';
  for (let i = 0; i < value.length;) {
    const c = value[i];
    if (c >= '0' && c <= '9') {
      let end = i;
      while (end < value.length && value[end] >= '0' && value[end] <= '9') end++;
      let start = i;
      while (start < end - 1 && value[start] === '0') start++;
      const digits = value.slice(start, end) === '0' ? '' : value.slice(start, end);
      if (digits.length > LONGEST_DIGIT_RUN) return null;
      key += String.fromCharCode(DIGIT_RUN + digits.length) + digits;
      i = end;
    } else {
      key += PUNCTUATION_CODE.get(c) ?? c.toLowerCase();
      i++;
    }
  }
  return key + '\u0000' + value;
}

/** Each distinct value's place in natural order (0 first), through keys when every value has one. */
export function naturalRanks(values: Iterable<string>): Map<string, number> {
  const distinct = [...new Set(values)];
  const keyed = distinct.map(naturalKey);
  let order: string[];
  if (keyed.every((k) => k !== null)) {
    const byKey = new Map(keyed.map((k, i) => [k as string, distinct[i]]));
    order = [...byKey.keys()].sort().map((k) => byKey.get(k)!);
  } else order = distinct.sort(naturalCompare);
  return new Map(order.map((v, i) => [v, i]));
}
