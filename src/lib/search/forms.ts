/**
 * Prefix and typo lookups over the inflected word forms people wrote.
 *
 * The index stores lemma keys, so MiniSearch's own prefix and fuzzy search
 * work on lemmas: "meetin" is no prefix of "meet", the key of "meetings".
 * This lookup keeps the surface forms whose key differs from the form itself
 * (from {@link knownForms}), sorted for prefix search and bucketed by length
 * for typo search, and maps what it finds to keys.
 */
import { knownForms, knownFormsVersion } from '../nlp/lemmatize';

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions;
 * plain Levenshtein with `transpositions` false), or `max + 1` once it exceeds `max`.
 */
export function boundedEditDistance(a: string, b: string, max: number, transpositions = true): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (transpositions && i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] <= max ? prev[m] : max + 1;
}

/** A key found through a surface form, with the form's length and its distance from the query. */
export interface FormMatch {
  key: string;
  formLength: number;
  distance: number;
}

export class FormLookup {
  private version = -1;
  private seen = 0;
  private sorted: string[] = [];
  private byLength = new Map<number, string[]>();

  private refresh(): void {
    if (this.version === knownFormsVersion()) return;
    const forms = knownForms();
    const fresh: string[] = [];
    let i = 0;
    for (const surface of forms.keys()) {
      if (i++ >= this.seen) fresh.push(surface);
    }
    this.seen = forms.size;
    this.version = knownFormsVersion();
    if (fresh.length === 0) return;
    for (const s of fresh) {
      const bucket = this.byLength.get(s.length);
      if (bucket) bucket.push(s);
      else this.byLength.set(s.length, [s]);
    }
    if (fresh.length > 64) {
      this.sorted = this.sorted.concat(fresh).sort();
    } else {
      for (const s of fresh) this.sorted.splice(this.lowerBound(s), 0, s);
    }
  }

  private lowerBound(s: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid] < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Keys of the forms that start with `prefix` (at most `limit` forms looked at). */
  prefix(prefix: string, limit = 1000): FormMatch[] {
    this.refresh();
    const forms = knownForms();
    const out: FormMatch[] = [];
    for (let i = this.lowerBound(prefix); i < this.sorted.length && out.length < limit; i++) {
      const s = this.sorted[i];
      if (!s.startsWith(prefix)) break;
      const key = forms.get(s);
      if (key !== undefined) out.push({ key, formLength: s.length, distance: s.length - prefix.length });
    }
    return out;
  }

  /** Keys of the forms within `maxDistance` edits (transpositions count as one) of `term`, excluding `term` itself. */
  fuzzy(term: string, maxDistance: number): FormMatch[] {
    this.refresh();
    const forms = knownForms();
    const out: FormMatch[] = [];
    if (maxDistance <= 0) return out;
    for (let len = term.length - maxDistance; len <= term.length + maxDistance; len++) {
      const bucket = this.byLength.get(len);
      if (!bucket) continue;
      for (const s of bucket) {
        if (s === term) continue;
        const d = boundedEditDistance(term, s, maxDistance);
        if (d > maxDistance) continue;
        const key = forms.get(s);
        if (key !== undefined) out.push({ key, formLength: s.length, distance: d });
      }
    }
    return out;
  }
}
