/**
 * Snapping a text selection to whole words. Evaluators drag quickly and land
 * mid-word or on the space after a word; coding half a word or a stray space
 * is never what they meant, and would make agreement between coders look
 * worse than it is.
 */

/**
 * `[start, end)` UTF-16 offsets of each word token in a text, sorted and not
 * overlapping. Punctuation and whitespace are not words. Produced by
 * {@link wordBoundsFallback} or by the NLP tokenizer once it is loaded.
 */
export type WordBounds = ReadonlyArray<readonly [number, number]>;

function clampTo(offset: number, length: number): number {
  if (!(offset > 0)) return 0; // also catches NaN
  return offset >= length ? length : Math.floor(offset);
}

/** Index of the first word that ends after `offset` (words are sorted, so their ends are too). */
function firstEndingAfter(words: WordBounds, offset: number): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (words[mid][1] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Snap the selection `[start, end)` (UTF-16 offsets, either order, so a
 * backwards selection works as it comes from the DOM) to whole words: a word
 * the selection touches is taken whole, and whitespace or punctuation before
 * the first such word and after the last is dropped. Punctuation between the
 * words stays. Returns null when the selection touches no word (a collapsed
 * caret, only spaces or punctuation): there is nothing to code.
 *
 * Offsets are clamped to the text; so is the result, should `words` come from
 * a tokenizer that disagrees with the text about its length.
 */
export function snapToWords(text: string, start: number, end: number, words: WordBounds): { start: number; end: number } | null {
  // Clamp before ordering, so a NaN end becomes 0 rather than poisoning min and max.
  const a = clampTo(start, text.length);
  const b = clampTo(end, text.length);
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (lo >= hi) return null;
  let first = -1;
  let last = -1;
  for (let i = firstEndingAfter(words, lo); i < words.length && words[i][0] < hi; i++) {
    // An empty token contains no character, so it cannot make the selection codeable.
    if (words[i][1] <= words[i][0]) continue;
    if (first < 0) first = i;
    last = i;
  }
  if (first < 0) return null;
  const snappedStart = clampTo(words[first][0], text.length);
  const snappedEnd = clampTo(words[last][1], text.length);
  return snappedStart < snappedEnd ? { start: snappedStart, end: snappedEnd } : null;
}

// Scripts written without spaces between words. A regex cannot find their word
// boundaries, and treating a whole run as one word would make a tap select a
// whole clause, so each character (with its marks) is a token of its own there.
const UNSPACED = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}`;
// A letter or digit of a spaced script.
const HEAD = String.raw`(?:(?![${UNSPACED}])[\p{L}\p{N}])`;
// Marks and the zero-width (non-)joiners that Indic and Persian spelling put inside words.
const MARK = String.raw`[\p{M}\u200C\u200D]`;
// Apostrophes and hyphens join letters ("don’t", "well-being") but only between
// them, so a closing quote or a dash stays outside the word; a decimal point,
// thousands separator or time colon joins digits ("3.5", "10,000", "10:30").
const JOINER = String.raw`(?:['’_\-\u2010\u2011]|(?<=\p{N})[.,:](?=\p{N}))`;
const RUN = String.raw`${HEAD}(?:${HEAD}|${MARK})*`;
const SPACED_WORD = String.raw`${RUN}(?:${JOINER}${RUN})*`;
const UNSPACED_CHAR = String.raw`[${UNSPACED}]${MARK}*`;
// Emoji carry meaning in survey answers ("😡", "👍") and an evaluator must be able to
// code one, so each emoji is a token: a flag (two regional indicators), or an emoji
// in emoji presentation (by default or forced with U+FE0F), with skin tone, ZWJ and
// tag sequences. Symbols such as © ™ ↔ without U+FE0F stay punctuation. Keycaps
// ("1️⃣") are a digit and marks, so SPACED_WORD already takes them.
const EMOJI_BASE = String.raw`(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F)`;
const EMOJI = String.raw`(?:\p{RI}\p{RI}|${EMOJI_BASE}\p{Emoji_Modifier}?[\u{E0020}-\u{E007F}]*(?:\u200D${EMOJI_BASE}\p{Emoji_Modifier}?)*)`;
const WORD = new RegExp(`${EMOJI}|${UNSPACED_CHAR}|${SPACED_WORD}`, 'gu');

/**
 * Word tokens found with a Unicode-aware regex, for use until the NLP
 * tokenizer has loaded. A word is a run of letters and digits (with their
 * combining marks), joined by inner apostrophes or hyphens, or digits joined
 * by `.`, `,` or `:`; each emoji is a token; in scripts without spaces (Chinese,
 * Japanese, Thai…) each character is a token. Offsets are UTF-16 and never
 * split a surrogate pair.
 */
export function wordBoundsFallback(text: string): WordBounds {
  const bounds: Array<readonly [number, number]> = [];
  for (const match of text.matchAll(WORD)) bounds.push([match.index, match.index + match[0].length]);
  return bounds;
}
