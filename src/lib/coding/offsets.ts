/**
 * Conversion between the two ways Codebench counts positions in an answer.
 *
 * Codings store offsets in Unicode code points, as REFI-QDA counts them, so a
 * span keeps pointing at the same words in any other tool. JavaScript strings,
 * DOM selections and Range offsets count UTF-16 code units, where a character
 * outside the Basic Multilingual Plane (most emoji, some CJK) takes two units.
 * The UI converts at its edge with these functions; nothing else should see
 * UTF-16 offsets.
 *
 * Conventions, shared by every function here:
 * - Offsets are clamped to the text: below 0 becomes 0, past the end becomes
 *   the end. NaN becomes 0 and fractions are rounded down, so a bad offset
 *   degrades to a valid position rather than an exception in a render loop.
 * - A UTF-16 offset that falls between the two halves of a surrogate pair
 *   (inside one emoji) snaps to the start of that pair, so the result is always
 *   a whole number of characters.
 * - A lone surrogate (malformed text) counts as one code point, as string
 *   iteration (`[...text]`) counts it. Such text cannot be written as UTF-8, so
 *   no other tool will disagree about it in practice.
 */

/** A half-open range `[start, end)`; which unit it counts in depends on where it came from. */
export interface OffsetSpan {
  start: number;
  end: number;
}

// Without the `u` flag the class matches single code units, which is what we want:
// any surrogate, paired or not, means UTF-16 and code point offsets can differ.
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * True when the text contains a surrogate code unit, i.e. when UTF-16 and code
 * point offsets may differ. When false every conversion here is the identity.
 */
export function hasSurrogates(text: string): boolean {
  return SURROGATE.test(text);
}

function clampOffset(offset: number, max: number): number {
  if (!(offset > 0)) return 0; // also catches NaN
  if (offset >= max) return max;
  return Math.floor(offset);
}

function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** True when a well-formed surrogate pair starts at UTF-16 index `i`. */
function pairAt(text: string, i: number): boolean {
  return isHigh(text.charCodeAt(i)) && i + 1 < text.length && isLow(text.charCodeAt(i + 1));
}

/** Code points in the text: `[...text].length`, without building the array. */
export function codePointLength(text: string): number {
  if (!hasSurrogates(text)) return text.length;
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    if (pairAt(text, i)) {
      pairs++;
      i++;
    }
  }
  return text.length - pairs;
}

/**
 * The code point offset of a UTF-16 offset: how many code points come before it.
 * Clamped to the text; an offset inside a surrogate pair snaps to the pair's start.
 */
export function utf16ToCodePoint(text: string, utf16Offset: number): number {
  const target = clampOffset(utf16Offset, text.length);
  return hasSurrogates(text) ? walkToCodePoint(text, target) : target;
}

function walkToCodePoint(text: string, target: number): number {
  let cp = 0;
  let i = 0;
  while (i < target) {
    if (pairAt(text, i)) {
      // target === i + 1 lands inside this pair: count it as not yet reached.
      if (i + 1 === target) return cp;
      i += 2;
    } else {
      i += 1;
    }
    cp++;
  }
  return cp;
}

/**
 * The UTF-16 offset of a code point offset. Clamped to the text, so
 * `codePointToUtf16(t, codePointLength(t)) === t.length` and anything beyond
 * maps there too. Always lands on a code point boundary.
 */
export function codePointToUtf16(text: string, cpOffset: number): number {
  // A code point count never exceeds the unit count, so clamping to text.length is safe
  // before the walk, which stops at the end of the text anyway.
  const target = clampOffset(cpOffset, text.length);
  return hasSurrogates(text) ? walkToUtf16(text, target) : target;
}

function walkToUtf16(text: string, target: number): number {
  let i = 0;
  for (let cp = 0; cp < target && i < text.length; cp++) i += pairAt(text, i) ? 2 : 1;
  return i;
}

/**
 * A code point span (as stored on a Coding) as UTF-16 offsets, for slicing the
 * string or building a DOM Range. Each end is converted on its own, so an
 * inverted span stays inverted; whole-answer codings (start/end null) are the
 * caller's to handle.
 */
export function toUtf16Span(text: string, span: OffsetSpan): OffsetSpan {
  // One surrogate check for both ends; a table (OffsetMap) would not pay off for two lookups.
  const start = clampOffset(span.start, text.length);
  const end = clampOffset(span.end, text.length);
  if (!hasSurrogates(text)) return { start, end };
  return { start: walkToUtf16(text, start), end: walkToUtf16(text, end) };
}

/**
 * A UTF-16 span (from a DOM selection or `String.indexOf`) as code points, for
 * storing. Ends inside a surrogate pair snap to the pair's start, so snap the
 * selection to whole words first (see snap.ts) if it may cut an emoji.
 */
export function toCodePointSpan(text: string, span: OffsetSpan): OffsetSpan {
  const start = clampOffset(span.start, text.length);
  const end = clampOffset(span.end, text.length);
  if (!hasSurrogates(text)) return { start, end };
  return { start: walkToCodePoint(text, start), end: walkToCodePoint(text, end) };
}

/**
 * Both conversions for one text, precomputed so each lookup is O(1). Build one
 * per rendered answer when converting many spans; for text without surrogates
 * it holds no tables at all. Same clamping and snapping as the free functions.
 */
export class OffsetMap {
  readonly text: string;
  /** Code points in the text. */
  readonly codePointLength: number;
  // Both null when the text has no surrogates and the maps are the identity.
  // utf16ToCp[i] is the code point offset of UTF-16 offset i (length text.length + 1);
  // cpToUtf16[c] is the UTF-16 offset of code point offset c (length codePointLength + 1).
  private readonly utf16ToCp: Uint32Array | null;
  private readonly cpToUtf16: Uint32Array | null;

  constructor(text: string) {
    this.text = text;
    if (!hasSurrogates(text)) {
      this.codePointLength = text.length;
      this.utf16ToCp = null;
      this.cpToUtf16 = null;
      return;
    }
    const utf16ToCp = new Uint32Array(text.length + 1);
    const cpToUtf16 = new Uint32Array(text.length + 1); // trimmed below
    let cp = 0;
    let i = 0;
    while (i < text.length) {
      cpToUtf16[cp] = i;
      utf16ToCp[i] = cp;
      if (pairAt(text, i)) {
        utf16ToCp[i + 1] = cp; // inside the pair: snap to its start
        i += 2;
      } else {
        i += 1;
      }
      cp++;
    }
    utf16ToCp[text.length] = cp;
    cpToUtf16[cp] = text.length;
    this.codePointLength = cp;
    this.utf16ToCp = utf16ToCp;
    this.cpToUtf16 = cpToUtf16.slice(0, cp + 1);
  }

  /** See {@link utf16ToCodePoint}. */
  toCodePoint(utf16Offset: number): number {
    const i = clampOffset(utf16Offset, this.text.length);
    return this.utf16ToCp ? this.utf16ToCp[i] : i;
  }

  /** See {@link codePointToUtf16}. */
  toUtf16(cpOffset: number): number {
    const c = clampOffset(cpOffset, this.codePointLength);
    return this.cpToUtf16 ? this.cpToUtf16[c] : c;
  }

  /** See {@link toUtf16Span}. */
  toUtf16Span(span: OffsetSpan): OffsetSpan {
    return { start: this.toUtf16(span.start), end: this.toUtf16(span.end) };
  }

  /** See {@link toCodePointSpan}. */
  toCodePointSpan(span: OffsetSpan): OffsetSpan {
    return { start: this.toCodePoint(span.start), end: this.toCodePoint(span.end) };
  }
}
