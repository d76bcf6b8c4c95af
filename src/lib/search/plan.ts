/**
 * What a query asks for, as MiniSearch queries over lemma keys: shared by
 * {@link AnswerIndex} (which evaluates them on its MiniSearch index) and
 * {@link AnswerScan} (which evaluates them on the answers' keys directly), so
 * both match by the same rules. The rules themselves are described at the top
 * of answer-index.ts.
 */
import MiniSearch, { type Query } from 'minisearch';
import { forEachWord, knownForms, lemmaInfo, wordStrings, type LemmaInfo } from '../nlp/lemmatize';
import { boundedEditDistance, type FormLookup } from './forms';
import { findPhrase, normalizePhrase } from './phrase';
import { parseQuery } from './query';

export const MAX_TYPOS = 2;
const MIN_TYPO_LETTERS = 4;
export const MIN_PREFIX_LENGTH = 3;
// MiniSearch's default weights of prefix and fuzzy matches relative to exact ones.
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;

export const asIs = (term: string) => term;
export const whole = (text: string) => [text];

/** A leaf query over keys exactly as given (no tokenising, no lemmatising again). */
function leaf(keys: string[], opts: { fuzzy?: number | false; prefix?: boolean; boostTerm?: (term: string) => number } = {}): Query {
  return {
    queries: keys,
    combineWith: 'OR',
    tokenize: whole,
    processTerm: asIs,
    fuzzy: opts.fuzzy ?? false,
    prefix: opts.prefix ?? false,
    maxFuzzy: MAX_TYPOS,
    ...(opts.boostTerm ? { boostTerm: opts.boostTerm } : {}),
  };
}

function letterCount(s: string): number {
  return s.match(/\p{L}/gu)?.length ?? 0;
}

/** Edits allowed for a typo in a word of this length (adjacent swaps aside): 1 for 5–9, 2 for 10 or more. */
function typoDistance(length: number): number {
  return Math.min(MAX_TYPOS, Math.floor(length * 0.2));
}

/** The strings one adjacent swap away from `s` ("mentro" → "mentor", …). */
function transpositions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) {
    if (s[i] === s[i + 1]) continue;
    out.push(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2));
  }
  return out;
}

function mergeRanges(ranges: [number, number][]): [number, number][] {
  if (ranges.length <= 1) return ranges;
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [[ranges[0][0], ranges[0][1]]];
  for (let i = 1; i < ranges.length; i++) {
    const last = out[out.length - 1];
    const [s, e] = ranges[i];
    if (s <= last[1]) {
      if (e > last[1]) last[1] = e;
    } else out.push([s, e]);
  }
  return out;
}

/** A phrase of the query: its normal form, whether it is still open, and the query for its candidates (null: matches nothing). */
export interface PlannedPhrase {
  norm: string;
  open: boolean;
  query: Query | null;
}

export interface QueryPlan {
  /** One query per term; an answer must match all of them. */
  termQueries: Query[];
  phrases: PlannedPhrase[];
  /** Keys the term queries reached (filled in by the evaluation). */
  termKeys: Set<string>;
  ranges: (text: string) => [number, number][];
}

/** The query for one term: its key (typo-tolerant unless `exact`), and prefix and form expansions. */
export function termQuery(forms: FormLookup, info: LemmaInfo, isPrefix: boolean, exact = false): Query {
  const s = info.surface;
  const k = info.key;
  const typos = !exact && letterCount(s) >= MIN_TYPO_LETTERS && !/\p{N}/u.test(s);
  const prefix = isPrefix && s.length >= MIN_PREFIX_LENGTH;
  // Typos allowed around the key go by the key's length ("trainings" → "train": 1 edit), around written forms by the typed length.
  const keyTypos = typos ? typoDistance(k.length) : 0;
  const formTypos = typos ? typoDistance(s.length) : 0;
  const alternatives: Query[] = [leaf([k], { fuzzy: keyTypos > 0 ? keyTypos : false, prefix: prefix && s === k })];
  if (prefix && s !== k) alternatives.push(leaf([s], { prefix: true }));
  // Keys reached through written forms and transpositions, weighted as MiniSearch weighs its own prefix and typo matches.
  // Keys MiniSearch reaches itself (by prefix of the typed form, or within its
  // typo distance of the key) are left out, so that no match counts twice.
  const boosts = new Map<string, number>();
  const offer = (key: string, weight: number) => {
    if (key === k || weight <= (boosts.get(key) ?? 0)) return;
    if (prefix && key.startsWith(s)) return;
    if (keyTypos > 0 && boundedEditDistance(k, key, keyTypos, false) <= keyTypos) return;
    boosts.set(key, weight);
  };
  if (prefix) {
    for (const m of forms.prefix(s)) offer(m.key, (PREFIX_WEIGHT * m.formLength) / (m.formLength + 0.3 * m.distance));
  }
  if (typos) {
    for (const m of forms.fuzzy(s, formTypos)) offer(m.key, (FUZZY_WEIGHT * m.formLength) / (m.formLength + m.distance));
    const written = knownForms();
    for (const t of transpositions(s)) {
      const w = (FUZZY_WEIGHT * t.length) / (t.length + 1);
      offer(t, w);
      const viaForm = written.get(t);
      if (viaForm !== undefined) offer(viaForm, w);
    }
  }
  if (boosts.size > 0) alternatives.push(leaf([...boosts.keys()], { boostTerm: (t) => boosts.get(t) ?? 1 }));
  return alternatives.length === 1 ? alternatives[0] : { combineWith: 'OR', queries: alternatives };
}

/**
 * Candidates for a phrase: answers with every word of it (the last word of
 * an open phrase by prefix, and not at all while it is shorter than a
 * prefix may be; with no word left, every answer is a candidate).
 */
function phraseQuery(forms: FormLookup, phrase: string, open: boolean): Query | null {
  const words = wordStrings(phrase);
  if (words.length === 0) return null;
  const queries: Query[] = [];
  words.forEach((w, i) => {
    const info = lemmaInfo(w);
    if (!open || i < words.length - 1) queries.push(leaf([info.key]));
    else if (info.surface.length >= MIN_PREFIX_LENGTH) queries.push(termQuery(forms, info, true, true));
  });
  return queries.length > 0 ? { combineWith: 'AND', queries } : MiniSearch.wildcard;
}

/**
 * The MiniSearch queries for what the user typed, and the highlighter for its
 * hits. `termKeys` starts empty: whoever evaluates the queries adds the keys
 * they reached, and `ranges` marks the words having those keys.
 */
export function planQuery(forms: FormLookup, query: string): QueryPlan {
  const parsed = parseQuery(query);
  const seen = new Set<string>();
  const termQueries: Query[] = [];
  parsed.terms.forEach((term, i) => {
    const isPrefix = parsed.lastTermIsPrefix && i === parsed.terms.length - 1;
    const info = lemmaInfo(term);
    const id = `${isPrefix ? 'p' : 'w'}:${info.surface}`;
    if (seen.has(id)) return;
    seen.add(id);
    termQueries.push(termQuery(forms, info, isPrefix));
  });
  const phrases = parsed.phrases.map((p, i): { norm: string; open: boolean; query: Query | null } => {
    const open = parsed.lastPhraseIsOpen && i === parsed.phrases.length - 1;
    return { norm: normalizePhrase(p), open, query: phraseQuery(forms, p, open) };
  });
  const termKeys = new Set<string>();
  const ranges = (text: string): [number, number][] => {
    const out: [number, number][] = [];
    for (const p of phrases) for (const r of findPhrase(text, p.norm, p.open)) out.push(r);
    if (termKeys.size > 0) {
      forEachWord(text, (start, end, word) => {
        const info = lemmaInfo(word);
        if (termKeys.has(info.key)) out.push([start, end]);
        else if (info.parts) {
          for (const part of info.parts) if (termKeys.has(part.key)) out.push([start + part.start, start + part.end]);
        }
      });
    }
    return mergeRanges(out);
  };
  return { termQueries, phrases, termKeys, ranges };
}
