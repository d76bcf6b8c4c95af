/**
 * Word tokens and lemma keys for search.
 *
 * Tokens come from our own scanner ({@link wordTokens}, in ./tokens), not from
 * wink-nlp's tokenizer: wink splits words it does not know at non-ASCII
 * letters ("Nguyễn" becomes "Nguy" + "ễ" + "n") and splits contractions
 * ("don't" → "do" + "n't"), which is wrong for highlighting and for snapping a
 * selection to whole words, and running wink over every answer would cost
 * far more (see the timings in the search module's notes).
 *
 * wink-nlp is used per distinct word, through {@link lemmatizeTerm}: the lemma
 * of a word read on its own (no sentence context), memoised. The index and
 * the query go through the same function, so a word always gets the same key
 * wherever it appears; context-dependent lemmas would make "training" one key
 * in "training was good" and another in "I was training".
 */
import type { ItsFunction } from 'wink-nlp';
import { getNlp } from './wink';

export { wordTokens, wordBounds, wordStrings, forEachWord, type WordToken, type WordBounds } from './tokens';

// Characters that join the parts of a compound ("self-confidence", "snake_case").
const PART_RE = /[^_\-\u2010\u2011]+/g;
const HAS_PART_JOINER = /[_\-\u2010\u2011]/;

// --- Normalisation ---

const ASCII = /^[\x00-\x7f]*$/;
const APOSTROPHES = /[\u2018\u2019\u02bc]/g;
const UNICODE_HYPHENS = /[\u2010\u2011]/g;
// Accents and other combining diacritics of Latin, Greek and Cyrillic (not the
// vowel signs of Indic scripts, which are letters' worth of meaning), variation
// selectors and emoji skin tones.
// eslint-disable-next-line no-misleading-character-class -- combining marks and skin-tone modifiers are matched one by one, to drop them
const FOLDED_AWAY = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\u{1f3fb}-\u{1f3ff}]/gu;
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  đ: 'd',
  ð: 'd',
  ø: 'o',
  ł: 'l',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ı: 'i',
  ħ: 'h',
  þ: 'th',
};
const LETTER_FOLD_RE = /[đðøłßæœıħþ]/g;

/**
 * The form words are compared in: lower case, curly apostrophes as `'`,
 * Unicode hyphens as `-`, accents removed ("Siobhán" → "siobhan", "Nguyễn" →
 * "nguyen"), variation selectors and skin tones removed. Used for index keys
 * and (per character) for phrase matching.
 */
export function normalizeWord(word: string): string {
  const lower = word.toLowerCase();
  if (ASCII.test(lower)) return lower;
  return lower
    .normalize('NFD')
    .replace(APOSTROPHES, "'")
    .replace(UNICODE_HYPHENS, '-')
    .replace(FOLDED_AWAY, '')
    .normalize('NFC')
    .replace(LETTER_FOLD_RE, (c) => LETTER_FOLDS[c] ?? c);
}

// --- Lemma keys ---

/**
 * Version of the key rules below. Stored with a serialised index: an index
 * built under other rules has other keys and must be rebuilt, not loaded.
 */
export const LEMMA_KEY_VERSION = 1;

/** A part of a compound token ("self" and "confidence" in "self-confidence"); offsets within the token. */
export interface LemmaPart {
  readonly start: number;
  readonly end: number;
  readonly key: string;
}

/** How a word token is keyed. */
export interface LemmaInfo {
  /** {@link normalizeWord} of the token. */
  readonly surface: string;
  /** The token's lemma key ({@link lemmatizeTerm}). */
  readonly key: string;
  /** For a compound joined by hyphens or underscores, its parts; otherwise null. */
  readonly parts: readonly LemmaPart[] | null;
  /** Every key the index stores for the token: its own and its parts', without repeats. */
  readonly keys: readonly string[];
}

// Lemmatisable by wink: lower-case ASCII letters, possibly joined by ' or -.
const WINKABLE = /^[a-z]+(?:['-][a-z]+)*$/;
const MEMO_LIMIT = 250_000;
const tokenMemo = new Map<string, Entry>();
const surfaceMemo = new Map<string, string>();
// Inflected surface forms of indexed words → their key, for prefix and typo
// search over what people wrote rather than over lemmas ("meetin" → "meetings" → "meet").
const forms = new Map<string, string>();
let formsVersion = 0;

function registerForm(surface: string, key: string): void {
  if (forms.get(surface) === key) return;
  forms.set(surface, key);
  formsVersion += 1;
}

/** Light plural stripping for words wink does not know ("mentees" → "mentee"). */
function stripPlural(w: string): string {
  if (w.length >= 5 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length >= 4 && w.endsWith('s') && !/[sui']s$/.test(w)) return w.slice(0, -1);
  return w;
}

function clean(lemma: unknown, fallback: string): string {
  if (typeof lemma !== 'string') return fallback;
  const l = lemma.toLowerCase();
  return l.length > 0 && !/\s/.test(l) ? l : fallback;
}

/** wink's lemma of a lower-case word read on its own, with the two adjustments described at {@link lemmatizeTerm}. */
function winkLemma(w: string): string {
  const nlp = getNlp();
  const its = nlp.its;
  // wink's typings give `its.lemma` a third parameter that `ItsFunction` does not declare; it is a valid token mapper.
  const lemmaOf = its.lemma as unknown as ItsFunction<string>;
  const doc = nlp.readDoc(w);
  const tokens = doc.tokens();
  if (tokens.length() !== 1) return w; // wink splits it ("don't", "well-being"): keep the word as written
  let lemma = clean(tokens.itemAt(0).out(lemmaOf), w);
  // On its own a word in -ing usually reads as a noun, and wink keeps the noun
  // ("training", "meeting", "feeling") while "trained", "met", "felt" get the
  // verb lemma. Read it as a verb ("to training") and take the verb's lemma
  // when wink's lexicon has one; nouns that are not verb forms ("morning",
  // "evening", "housing", "sibling") stay as they are.
  if (lemma.length >= 5 && lemma.endsWith('ing')) {
    const verbReading = nlp.readDoc(`to ${lemma}`).tokens();
    if (verbReading.length() === 2 && verbReading.itemAt(1).out(its.pos) === 'VERB') {
      const verb = clean(verbReading.itemAt(1).out(lemmaOf), lemma);
      if (verb.length >= 2 && verb.length < lemma.length) lemma = verb;
    }
  }
  // Words outside wink's lexicon come back unchanged: strip a plural -s.
  if (lemma === w && doc.isOOV(w)) lemma = stripPlural(w);
  return lemma;
}

function keyOfSurface(surface: string): string {
  const known = surfaceMemo.get(surface);
  if (known !== undefined) return known;
  let w = surface;
  if (w.length > 2 && w.endsWith("'s")) w = w.slice(0, -2); // possessive: "mentor's" → "mentor"
  const key = WINKABLE.test(w) ? winkLemma(w) : w;
  if (surfaceMemo.size >= MEMO_LIMIT) surfaceMemo.clear();
  surfaceMemo.set(surface, key);
  return key;
}

/** A memo entry: the info, plus what indexing it records in {@link knownForms} (once). */
interface Entry extends LemmaInfo {
  /** Surface → key pairs of the token and its parts where they differ. */
  readonly forms: ReadonlyArray<readonly [string, string]>;
  recorded: boolean;
}

function entryOf(token: string): Entry {
  const known = tokenMemo.get(token);
  if (known !== undefined) return known;
  const surface = normalizeWord(token);
  const key = keyOfSurface(surface);
  const forms: Array<readonly [string, string]> = key === surface ? [] : [[surface, key]];
  let parts: LemmaPart[] | null = null;
  const keys: string[] = [key];
  if (HAS_PART_JOINER.test(token)) {
    const found: LemmaPart[] = [];
    const partForms: Array<readonly [string, string]> = [];
    for (const m of token.matchAll(PART_RE)) {
      const partSurface = normalizeWord(m[0]);
      const partKey = keyOfSurface(partSurface);
      found.push({ start: m.index, end: m.index + m[0].length, key: partKey });
      if (partKey !== partSurface) partForms.push([partSurface, partKey]);
    }
    if (found.length >= 2) {
      parts = found;
      for (const p of found) if (!keys.includes(p.key)) keys.push(p.key);
      forms.push(...partForms);
    }
  }
  const entry: Entry = { surface, key, parts, keys, forms, recorded: false };
  if (tokenMemo.size >= MEMO_LIMIT) tokenMemo.clear();
  tokenMemo.set(token, entry);
  return entry;
}

/**
 * How a word token is keyed: its normalised surface, its lemma key, and for
 * compounds the keys of their parts. Memoised; needs {@link loadNlp} to have
 * finished (throws otherwise, unless the word was seen before).
 */
export function lemmaInfo(token: string): LemmaInfo {
  return entryOf(token);
}

/**
 * The key(s) an index stores for a word token (MiniSearch `processTerm`):
 * {@link lemmaInfo}'s keys, as one string when there is one. The first time a
 * token is indexed, its inflected forms are added to {@link knownForms}; words
 * only ever searched for are not, so half-typed queries leave no trace there.
 */
export function indexKeys(token: string): string | string[] {
  const entry = entryOf(token);
  if (!entry.recorded) {
    entry.recorded = true;
    for (const [surface, key] of entry.forms) registerForm(surface, key);
  }
  return entry.keys.length === 1 ? entry.key : (entry.keys as string[]);
}

/**
 * The lemma key of one word: lower case, accents folded, then wink-nlp's lemma
 * of the word read on its own ("mentoring", "mentored", "mentors" → "mentor";
 * "women" → "woman"; "organised" → "organize"). Two adjustments make word
 * forms meet where wink alone would not:
 *
 * - a word ending in -ing whose lemma wink leaves as the noun is read as a verb
 *   too, and takes the verb's lemma when wink knows the verb: "training" →
 *   "train" (like "trained"), "meeting"/"meetings" → "meet" (like "met");
 *   "morning", "evening", "housing" stay;
 * - a word wink does not know loses a plural -s ("mentees" → "mentee").
 *
 * A trailing possessive 's is dropped. Words with digits, non-Latin letters,
 * emoji or that wink splits ("don't") are keyed as normalised. Memoised.
 */
export function lemmatizeTerm(term: string): string {
  return lemmaInfo(term).key;
}

/**
 * Inflected surface forms of indexed words (where the form is not its own
 * key), each with its key. Global: shared by every index in this thread.
 */
export function knownForms(): ReadonlyMap<string, string> {
  return forms;
}

/** Changes whenever {@link knownForms} gains an entry, so lookups built on it know when to rebuild. */
export function knownFormsVersion(): number {
  return formsVersion;
}

/** Adds forms saved with a serialised index (same {@link LEMMA_KEY_VERSION}). */
export function addKnownForms(entries: Iterable<readonly [string, string]>): void {
  for (const [surface, key] of entries) {
    if (typeof surface === 'string' && typeof key === 'string' && surface !== key) registerForm(surface, key);
  }
}
