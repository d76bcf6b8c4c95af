// @vitest-environment node
import fc from 'fast-check';
import { anyCodePoint } from '../test-arbitraries';
import { describe, expect, it } from 'vitest';
import { forEachWord, wordBounds, wordStrings, wordTokens } from './tokens';
import { wordBoundsFallback } from '../coding/snap';

const words = (text: string) => wordTokens(text).map((t) => t.word);

// The token grammar as coding/snap.ts's regex has it; the scanner must agree with it exactly.
const referenceBounds = (text: string) => wordBoundsFallback(text).map(([start, end]) => [start, end]);

describe('wordTokens', () => {
  it('gives UTF-16 offsets of words, without punctuation', () => {
    const text = 'Hello, world! (Really?) Yes...';
    const tokens = wordTokens(text);
    expect(tokens.map((t) => t.word)).toEqual(['Hello', 'world', 'Really', 'Yes']);
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.word);
    expect(tokens[1]).toEqual({ start: 7, end: 12, word: 'world' });
  });

  it('keeps inner apostrophes, straight and curly, and drops quotes around words', () => {
    expect(words("I don't think it’s my mentor's fault")).toEqual(['I', "don't", 'think', 'it’s', 'my', "mentor's", 'fault']);
    expect(words('“Mentoring” and ‘support’ and "help" and \'care\'')).toEqual(['Mentoring', 'and', 'support', 'and', 'help', 'and', 'care']);
    expect(words("the mentors' time")).toEqual(['the', 'mentors', 'time']);
  });

  it('keeps hyphenated words and numbers whole', () => {
    expect(words('Self-confidence grew 3.5 points, from 10,000 at 10:30. End.Next — a dash - here')).toEqual([
      'Self-confidence',
      'grew',
      '3.5',
      'points',
      'from',
      '10,000',
      'at',
      '10:30',
      'End',
      'Next',
      'a',
      'dash',
      'here',
    ]);
  });

  it('handles non-ASCII names, precomposed or with combining accents', () => {
    const text = 'Siobhán and Nguyễn met Zoë, Łukasz and Nguye\u0302\u0303n (decomposed).';
    const tokens = wordTokens(text);
    expect(tokens.map((t) => t.word)).toEqual(['Siobhán', 'and', 'Nguyễn', 'met', 'Zoë', 'Łukasz', 'and', 'Nguye\u0302\u0303n', 'decomposed']);
    expect(tokens[2]).toEqual({ start: 12, end: 18, word: 'Nguyễn' });
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.word);
  });

  it('makes each emoji a token, and counts surrogate pairs in UTF-16 units', () => {
    const text = 'Great 😀 mentor 👍🏽! 👨‍👩‍👧 🇬🇧 ok';
    const tokens = wordTokens(text);
    expect(tokens.map((t) => t.word)).toEqual(['Great', '😀', 'mentor', '👍🏽', '👨‍👩‍👧', '🇬🇧', 'ok']);
    expect(tokens[1]).toEqual({ start: 6, end: 8, word: '😀' });
    expect(tokens[2]).toEqual({ start: 9, end: 15, word: 'mentor' });
    expect(tokens[6].start).toBe(text.length - 2);
    expect(words('A © B ™ C')).toEqual(['A', 'B', 'C']);
  });

  it('makes each character a token in scripts without spaces', () => {
    expect(words('课程很好。')).toEqual(['课', '程', '很', '好']);
  });

  it('has no tokens in empty or punctuation-only text', () => {
    expect(wordTokens('')).toEqual([]);
    expect(wordTokens(' ... — !? “” ')).toEqual([]);
  });

  it('wordBounds, wordStrings and forEachWord agree with wordTokens', () => {
    const text = 'Siobhán’s 😀 well-being: 3.5/5';
    const tokens = wordTokens(text);
    expect(wordBounds(text)).toEqual(tokens.map((t) => [t.start, t.end]));
    expect(wordStrings(text)).toEqual(tokens.map((t) => t.word));
    const seen: unknown[] = [];
    forEachWord(text, (start, end, word) => seen.push({ start, end, word }));
    expect(seen).toEqual(tokens);
  });

  const tricky = fc.constantFrom(
    'a',
    'Z',
    'é',
    'e\u0301',
    'ễ',
    '1',
    '٣',
    '½',
    ' ',
    '\n',
    '\t',
    '.',
    ',',
    ':',
    "'",
    '’',
    '-',
    '\u2010',
    '_',
    '"',
    '“',
    '!',
    '课',
    'ก',
    '\u0E31',
    '😀',
    '👍',
    '\u{1F3FD}',
    '\u200D',
    '\uFE0F',
    '\u20E3',
    '🇬',
    '🇧',
    '©',
    'ℹ',
    '\u200C',
    'ड',
    '\u093F',
    '\uD800',
    '\uDC00',
  );
  const trickyText = fc.array(tricky, { maxLength: 40 }).map((parts) => parts.join(''));

  it('the scanner gives exactly the grammar regex’s tokens (property)', () => {
    fc.assert(
      fc.property(fc.oneof(trickyText, fc.string({ unit: anyCodePoint, maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 })), (text) => {
        expect(wordBounds(text)).toEqual(referenceBounds(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('bounds are sorted, non-empty, non-overlapping, inside the text and never split a surrogate pair (property)', () => {
    const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
    const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
    fc.assert(
      fc.property(fc.oneof(trickyText, fc.string({ unit: anyCodePoint, maxLength: 60 })), (text) => {
        let prevEnd = 0;
        for (const [s, e] of wordBounds(text)) {
          expect(s).toBeGreaterThanOrEqual(prevEnd);
          expect(e).toBeGreaterThan(s);
          expect(e).toBeLessThanOrEqual(text.length);
          expect(isLow(text.charCodeAt(s)) && isHigh(text.charCodeAt(s - 1))).toBe(false);
          expect(e < text.length && isLow(text.charCodeAt(e)) && isHigh(text.charCodeAt(e - 1))).toBe(false);
          prevEnd = e;
        }
      }),
      { numRuns: 500 },
    );
  });
});
