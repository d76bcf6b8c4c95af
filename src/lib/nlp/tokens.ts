/**
 * Word tokens with UTF-16 offsets, for indexing, highlighting and snapping
 * selections to whole words.
 *
 * The token grammar is the one `wordBoundsFallback` in `src/lib/coding/snap.ts`
 * uses (so highlights and snapped selections agree on what a word is):
 *
 * - a word is a run of letters and digits with their combining marks (and the
 *   zero-width joiners of Indic and Persian spelling), runs joined by an inner
 *   apostrophe (' or ’), hyphen (- ‐ ‑) or underscore, or digits joined by
 *   `.`, `,` or `:` ("3.5", "10,000", "10:30");
 * - each emoji is a token (a flag; or an emoji in emoji presentation, by
 *   default or with U+FE0F, with skin tone, tags and ZWJ sequences);
 * - in scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao,
 *   Khmer, Myanmar) each character with its marks is a token;
 * - everything else (whitespace, punctuation, symbols) is not a word.
 *
 * It is that grammar's regex, written out as a scanner: the regex, with its
 * Unicode property classes and look-arounds, runs about five times slower, and
 * every answer goes through this when it is indexed.
 */

const UNSPACED = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}`;
const EMOJI_BASE = String.raw`(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F)`;
const EMOJI = String.raw`(?:\p{RI}\p{RI}|${EMOJI_BASE}\p{Emoji_Modifier}?[\u{E0020}-\u{E007F}]*(?:\u200D${EMOJI_BASE}\p{Emoji_Modifier}?)*)`;
const EMOJI_AT = new RegExp(EMOJI, 'uy');

// Character classes, one bit each.
const HEAD = 1; // letter or digit of a spaced script: starts or continues a word
const MARK = 2; // combining mark, ZWNJ or ZWJ: continues a word
const UNSPACED_CHAR = 4; // letter of a script written without spaces: a token on its own
const NUMBER = 8; // \p{N}
const EMOJI_START = 16; // may start an emoji
const JOIN = 32; // ' ’ - ‐ ‑ _
const DIGIT_JOIN = 64; // . , : (between digits)
const KNOWN = 128;

const RE_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const RE_UNSPACED = new RegExp(`[${UNSPACED}]`, 'u');
const RE_MARK = /[\p{M}\u200C\u200D]/u;
const RE_NUMBER = /\p{N}/u;
const RE_EMOJI_START = /[\p{Emoji_Presentation}\p{Extended_Pictographic}\p{RI}]/u;

function computeClass(cp: number): number {
  const ch = String.fromCodePoint(cp);
  let c = KNOWN;
  if (RE_UNSPACED.test(ch)) c |= UNSPACED_CHAR;
  else if (RE_LETTER_OR_DIGIT.test(ch)) c |= HEAD;
  if (RE_MARK.test(ch)) c |= MARK;
  if (RE_NUMBER.test(ch)) c |= NUMBER;
  if (RE_EMOJI_START.test(ch)) c |= EMOJI_START;
  if (ch === "'" || ch === '\u2019' || ch === '-' || ch === '\u2010' || ch === '\u2011' || ch === '_') c |= JOIN;
  if (ch === '.' || ch === ',' || ch === ':') c |= DIGIT_JOIN;
  return c;
}

const bmpClasses = new Uint8Array(0x10000);
const astralClasses = new Map<number, number>();

function classOf(cp: number): number {
  if (cp < 0x10000) {
    let c = bmpClasses[cp];
    if (c === 0) {
      c = computeClass(cp);
      bmpClasses[cp] = c;
    }
    return c;
  }
  let c = astralClasses.get(cp);
  if (c === undefined) {
    c = computeClass(cp);
    astralClasses.set(cp, c);
  }
  return c;
}

/** End of the run of HEAD/MARK characters starting at `i`. */
function runEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const cp = text.codePointAt(i) as number;
    if ((classOf(cp) & (HEAD | MARK)) === 0) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

function codePointBefore(text: string, i: number): number {
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) return text.codePointAt(i - 2) as number;
  return low;
}

/** End of the spaced-script word starting at `i` (a HEAD character). */
function spacedWordEnd(text: string, i: number): number {
  let end = runEnd(text, i);
  while (end + 1 < text.length) {
    const joiner = classOf(text.charCodeAt(end));
    if ((joiner & (JOIN | DIGIT_JOIN)) === 0) break;
    const next = classOf(text.codePointAt(end + 1) as number);
    if ((next & HEAD) === 0) break;
    if ((joiner & JOIN) === 0 && ((next & NUMBER) === 0 || (classOf(codePointBefore(text, end)) & NUMBER) === 0)) break;
    end = runEnd(text, end + 1);
  }
  return end;
}

/** Calls `fn(start, end)` for each word token of `text`, in order. */
export function scanWords(text: string, fn: (start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const cp = text.codePointAt(i) as number;
    const c = classOf(cp);
    const len = cp > 0xffff ? 2 : 1;
    if (c & EMOJI_START) {
      EMOJI_AT.lastIndex = i;
      const m = EMOJI_AT.exec(text);
      if (m) {
        fn(i, i + m[0].length);
        i += m[0].length;
        continue;
      }
    }
    if (c & UNSPACED_CHAR) {
      let j = i + len;
      while (j < n) {
        const next = text.codePointAt(j) as number;
        if ((classOf(next) & MARK) === 0) break;
        j += next > 0xffff ? 2 : 1;
      }
      fn(i, j);
      i = j;
    } else if (c & HEAD) {
      const end = spacedWordEnd(text, i);
      fn(i, end);
      i = end;
    } else {
      i += len;
    }
  }
}

/** A word token: `[start, end)` UTF-16 offsets into the text, and the word as written. */
export interface WordToken {
  start: number;
  end: number;
  word: string;
}

/** `[start, end)` UTF-16 offsets of each word, sorted and not overlapping. Same shape as `WordBounds` in coding/snap. */
export type WordBounds = ReadonlyArray<readonly [number, number]>;

/** Word tokens of a text with their UTF-16 offsets (see the grammar above). */
export function wordTokens(text: string): WordToken[] {
  const out: WordToken[] = [];
  scanWords(text, (start, end) => out.push({ start, end, word: text.slice(start, end) }));
  return out;
}

/** `[start, end)` of each word token. */
export function wordBounds(text: string): WordBounds {
  const out: Array<readonly [number, number]> = [];
  scanWords(text, (start, end) => out.push([start, end]));
  return out;
}

/** The word tokens of a text as strings (the form the indexer uses). */
export function wordStrings(text: string): string[] {
  const out: string[] = [];
  scanWords(text, (start, end) => out.push(text.slice(start, end)));
  return out;
}

/** Calls `fn` for each word token with its offsets and text, without building token objects. */
export function forEachWord(text: string, fn: (start: number, end: number, word: string) => void): void {
  scanWords(text, (start, end) => fn(start, end, text.slice(start, end)));
}
