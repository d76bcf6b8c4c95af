// @vitest-environment node
import fc from 'fast-check';
import { anyCodePoint } from '../test-arbitraries';
import { describe, expect, it } from 'vitest';
import { OffsetMap, codePointLength, codePointToUtf16, hasSurrogates, toCodePointSpan, toUtf16Span, utf16ToCodePoint } from './offsets';

// Texts of every kind the conversions must survive: any code point, user-perceived
// characters (emoji sequences, accents), and malformed text with lone surrogates.
const awkward = fc.constantFrom('a', ' ', '\n', 'é', 'e\u0301', '中', '😀', '👍🏽', '👨‍👩‍👧', '🇬🇧', '\u{1D400}', '\uD800', '\uDC00');
const anyText = fc.oneof(
  fc.string({ unit: anyCodePoint, maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: awkward, maxLength: 30 }),
);

/** UTF-16 offsets at which a code point starts, plus the text's end: the reference model. */
function boundaries(text: string): number[] {
  const starts: number[] = [];
  let i = 0;
  for (const ch of text) {
    starts.push(i);
    i += ch.length;
  }
  starts.push(text.length);
  return starts;
}

/** Code points wholly before UTF-16 offset u, so an offset inside a pair counts the pair as not reached. */
function referenceToCodePoint(text: string, u: number): number {
  const b = boundaries(text);
  let cp = 0;
  while (cp + 1 < b.length && b[cp + 1] <= u) cp++;
  return cp;
}

describe('utf16ToCodePoint / codePointToUtf16', () => {
  it('count an emoji as one code point and two UTF-16 units', () => {
    const text = 'I 👍 it';
    expect(text.length).toBe(7);
    expect(codePointLength(text)).toBe(6);
    expect(utf16ToCodePoint(text, 2)).toBe(2); // before the emoji
    expect(utf16ToCodePoint(text, 4)).toBe(3); // after it
    expect(utf16ToCodePoint(text, 7)).toBe(6);
    expect(codePointToUtf16(text, 3)).toBe(4);
    expect(codePointToUtf16(text, 6)).toBe(7);
  });

  it('snap an offset inside a surrogate pair to the start of the pair', () => {
    const text = 'a😀b';
    expect(utf16ToCodePoint(text, 2)).toBe(1);
    expect(codePointToUtf16(text, utf16ToCodePoint(text, 2))).toBe(1);
    expect(new OffsetMap(text).toCodePoint(2)).toBe(1);
  });

  it('count each code point of an emoji sequence (skin tone, ZWJ family, flag)', () => {
    expect(codePointLength('👍🏽')).toBe(2);
    expect(codePointLength('👨‍👩‍👧')).toBe(5);
    expect(codePointLength('🇬🇧')).toBe(2);
    expect(utf16ToCodePoint('👨‍👩‍👧 x', 9)).toBe(6);
  });

  it('leave combining accents alone: they are BMP code points, one unit each', () => {
    const text = 'cafe\u0301 crème';
    expect(hasSurrogates(text)).toBe(false);
    expect(codePointLength(text)).toBe(text.length);
    for (let i = 0; i <= text.length; i++) expect(utf16ToCodePoint(text, i)).toBe(i);
  });

  it('clamp offsets to the text and treat NaN and fractions sanely', () => {
    const text = 'x😀y';
    expect(utf16ToCodePoint(text, -5)).toBe(0);
    expect(utf16ToCodePoint(text, 99)).toBe(3);
    expect(utf16ToCodePoint(text, Number.NaN)).toBe(0);
    expect(codePointToUtf16(text, 99)).toBe(4);
    expect(codePointToUtf16(text, -1)).toBe(0);
    expect(codePointToUtf16(text, Number.POSITIVE_INFINITY)).toBe(4);
    expect(codePointToUtf16(text, 1.9)).toBe(1);
    expect(codePointToUtf16('plain', 99)).toBe(5);
    expect(utf16ToCodePoint('', 3)).toBe(0);
    expect(codePointToUtf16('', 3)).toBe(0);
  });

  it('count a lone surrogate as one code point, as string iteration does', () => {
    const text = 'a\uD800b\uDC00';
    expect(codePointLength(text)).toBe(4);
    expect(utf16ToCodePoint(text, 2)).toBe(2);
    expect(codePointToUtf16(text, 3)).toBe(3);
  });

  it('agree with the reference model for every offset of any text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const b = boundaries(text);
        expect(codePointLength(text)).toBe([...text].length);
        for (let u = -1; u <= text.length + 1; u++) expect(utf16ToCodePoint(text, u)).toBe(referenceToCodePoint(text, u));
        for (let c = -1; c <= b.length; c++) expect(codePointToUtf16(text, c)).toBe(b[Math.min(Math.max(c, 0), b.length - 1)]);
      }),
    );
  });

  it('round-trip: code point → UTF-16 → code point is the identity, and UTF-16 boundaries survive', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const n = codePointLength(text);
        for (let c = 0; c <= n; c++) expect(utf16ToCodePoint(text, codePointToUtf16(text, c))).toBe(c);
        for (const u of boundaries(text)) expect(codePointToUtf16(text, utf16ToCodePoint(text, u))).toBe(u);
        expect(codePointToUtf16(text, n)).toBe(text.length);
      }),
    );
  });

  it('are monotonic: non-decreasing from UTF-16, strictly increasing from code points', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (let u = 1; u <= text.length; u++) {
          const step = utf16ToCodePoint(text, u) - utf16ToCodePoint(text, u - 1);
          expect(step === 0 || step === 1).toBe(true);
        }
        const n = codePointLength(text);
        for (let c = 1; c <= n; c++) expect(codePointToUtf16(text, c)).toBeGreaterThan(codePointToUtf16(text, c - 1));
      }),
    );
  });

  it('are the identity on text without surrogates (the fast path)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: anyCodePoint, maxLength: 40 }).map((s) => s.replace(/[\uD800-\uDFFF]/g, '')),
        fc.integer({ min: 0, max: 50 }),
        (text, offset) => {
          expect(hasSurrogates(text)).toBe(false);
          const expected = Math.min(offset, text.length);
          expect(utf16ToCodePoint(text, offset)).toBe(expected);
          expect(codePointToUtf16(text, offset)).toBe(expected);
        },
      ),
    );
  });
});

describe('toUtf16Span / toCodePointSpan', () => {
  it('select the same characters in both units', () => {
    const text = 'Great 😀 course, 🇬🇧 tutor';
    const chars = [...text];
    const cpSpan = { start: 6, end: 15 };
    const u = toUtf16Span(text, cpSpan);
    expect(text.slice(u.start, u.end)).toBe(chars.slice(6, 15).join(''));
    expect(toCodePointSpan(text, u)).toEqual(cpSpan);
  });

  it('round-trip any code point span of any text, selecting the same characters', () => {
    fc.assert(
      fc.property(anyText, fc.nat(), fc.nat(), (text, a, b) => {
        const n = codePointLength(text);
        const span = { start: Math.min(a, b) % (n + 1), end: 0 };
        span.end = span.start + (Math.max(a, b) % (n - span.start + 1));
        const u = toUtf16Span(text, span);
        expect(text.slice(u.start, u.end)).toBe([...text].slice(span.start, span.end).join(''));
        expect(toCodePointSpan(text, u)).toEqual(span);
      }),
    );
  });

  it('convert each end on its own, clamped, and keep an inverted span inverted', () => {
    expect(toUtf16Span('😀😀', { start: 2, end: 1 })).toEqual({ start: 4, end: 2 });
    expect(toUtf16Span('ab', { start: -3, end: 10 })).toEqual({ start: 0, end: 2 });
    expect(toCodePointSpan('😀😀', { start: 1, end: 3 })).toEqual({ start: 0, end: 1 });
  });
});

describe('OffsetMap', () => {
  it('agrees with the free functions everywhere, including out of range', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const map = new OffsetMap(text);
        expect(map.codePointLength).toBe(codePointLength(text));
        for (let u = -2; u <= text.length + 2; u++) expect(map.toCodePoint(u)).toBe(utf16ToCodePoint(text, u));
        for (let c = -2; c <= map.codePointLength + 2; c++) expect(map.toUtf16(c)).toBe(codePointToUtf16(text, c));
        const span = { start: 1, end: map.codePointLength };
        expect(map.toUtf16Span(span)).toEqual(toUtf16Span(text, span));
        expect(map.toCodePointSpan({ start: 1, end: text.length })).toEqual(toCodePointSpan(text, { start: 1, end: text.length }));
      }),
    );
  });

  it('handles NaN and fractions like the free functions', () => {
    const map = new OffsetMap('a😀b');
    expect(map.toCodePoint(Number.NaN)).toBe(0);
    expect(map.toUtf16(2.7)).toBe(3);
    expect(new OffsetMap('').toUtf16(5)).toBe(0);
  });
});
