/**
 * Exact-phrase matching: case-insensitive, whitespace-normalised substring
 * search that reports where in the original text each occurrence is.
 *
 * Text and phrase are compared in the same normal form, built character by
 * character: lower case, accents folded and curly apostrophes straightened
 * (the per-character {@link normalizeWord}), and every run of whitespace
 * (spaces, tabs, line breaks, no-break spaces) as one space. An occurrence
 * must start and end on word boundaries, so "shared background" does not
 * match inside "unshared backgrounds"; an open phrase (no closing quote yet)
 * may end inside a word.
 */
import { normalizeWord } from '../nlp/lemmatize';

// Printable ASCII and common typographic punctuation: each character is one
// code unit that lower-cases to one code unit, and no tabs or line breaks to collapse.
const ONE_TO_ONE = /^[\x20-\x7e\u2013\u2014\u2018\u2019\u201c\u201d\u2026]*$/;
const CURLY_APOSTROPHES = /[\u2018\u2019]/g;
const SPACE = /\s/;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const charMemo = new Map<string, string>();

function normalizeChar(ch: string): string {
  let out = charMemo.get(ch);
  if (out === undefined) {
    out = normalizeWord(ch);
    if (charMemo.size < 20_000) charMemo.set(ch, out);
  }
  return out;
}

/** A text in phrase-matching normal form, with each normal-form code unit's source span. */
interface Normalized {
  norm: string;
  /** The normal form lines up with the text unit for unit (see ONE_TO_ONE). */
  identity: boolean;
  /** Source spans; null if not asked for, or if `identity`. */
  starts: number[] | null;
  ends: number[] | null;
}

function normalize(text: string, withOffsets: boolean): Normalized {
  if (ONE_TO_ONE.test(text) && !text.includes('  ')) {
    return { norm: text.toLowerCase().replace(CURLY_APOSTROPHES, "'"), identity: true, starts: null, ends: null };
  }
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let afterSpace = true; // drops leading whitespace
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i) as number;
    const len = cp > 0xffff ? 2 : 1;
    const ch = len === 1 ? text[i] : text.slice(i, i + 2);
    if (SPACE.test(ch)) {
      if (!afterSpace) {
        out.push(' ');
        if (withOffsets) {
          starts.push(i);
          ends.push(i + len);
        }
        afterSpace = true;
      }
    } else {
      const n = cp < 0x80 ? ch.toLowerCase() : normalizeChar(ch);
      if (n.length === 0) {
        // A combining accent or skin tone folded away: it belongs to the character before it.
        if (withOffsets && ends.length > 0 && out[out.length - 1] !== ' ') ends[ends.length - 1] = i + len;
      } else {
        out.push(n);
        if (withOffsets) {
          for (let k = 0; k < n.length; k++) {
            starts.push(i);
            ends.push(i + len);
          }
        }
        afterSpace = false;
      }
    }
    i += len;
  }
  return { norm: out.join(''), identity: false, starts: withOffsets ? starts : null, ends: withOffsets ? ends : null };
}

/** The phrase in the normal form texts are compared in (see the module comment). */
export function normalizePhrase(phrase: string): string {
  return normalize(phrase, false).norm.trim();
}

function isWordCharBefore(s: string, i: number): boolean {
  if (i <= 0) return false;
  const code = s.charCodeAt(i - 1);
  const ch = code >= 0xdc00 && code <= 0xdfff && i >= 2 ? s.slice(i - 2, i) : s[i - 1];
  return WORD_CHAR.test(ch);
}

function isWordCharAt(s: string, i: number): boolean {
  if (i >= s.length) return false;
  return WORD_CHAR.test(String.fromCodePoint(s.codePointAt(i) as number));
}

function occurrences(norm: string, phrase: string, openEnd: boolean, firstOnly: boolean): number[] {
  const hits: number[] = [];
  const needStartBoundary = isWordCharAt(phrase, 0);
  const needEndBoundary = !openEnd && isWordCharBefore(phrase, phrase.length);
  for (let at = norm.indexOf(phrase); at >= 0; at = norm.indexOf(phrase, at + 1)) {
    if (needStartBoundary && isWordCharBefore(norm, at)) continue;
    if (needEndBoundary && isWordCharAt(norm, at + phrase.length)) continue;
    hits.push(at);
    if (firstOnly) break;
  }
  return hits;
}

/** Whether `phrase` (in normal form) occurs in `text`: {@link findPhrase} without the offsets. */
export function phraseOccurs(text: string, phrase: string, openEnd = false): boolean {
  return phrase.length > 0 && occurrences(normalize(text, false).norm, phrase, openEnd, true).length > 0;
}

/**
 * Where `phrase` occurs in `text`: `[start, end)` UTF-16 offsets into `text`,
 * in order (occurrences may overlap, as "ha ha" does twice in "ha ha ha").
 * `phrase` must already be in normal form ({@link normalizePhrase}). With
 * `openEnd`, an occurrence may end inside a word (the user is still typing).
 */
export function findPhrase(text: string, phrase: string, openEnd = false): [number, number][] {
  if (phrase.length === 0) return [];
  const quick = normalize(text, false);
  const hits = occurrences(quick.norm, phrase, openEnd, false);
  if (hits.length === 0) return [];
  if (quick.identity) return hits.map((at) => [at, at + phrase.length]);
  const { starts, ends } = normalize(text, true) as { starts: number[]; ends: number[] };
  return hits.map((at) => [starts[at], ends[at + phrase.length - 1]]);
}
