// @vitest-environment node
import fc from 'fast-check';
import { anyCodePoint } from '../test-arbitraries';
import { describe, expect, it } from 'vitest';
import { snapToWords, wordBoundsFallback, type WordBounds } from './snap';

const tokens = (text: string) => wordBoundsFallback(text).map(([s, e]) => text.slice(s, e));

/** The text the selection [start, end) snaps to, or null. */
function snapped(text: string, start: number, end: number, words: WordBounds = wordBoundsFallback(text)): string | null {
  const span = snapToWords(text, start, end, words);
  return span && text.slice(span.start, span.end);
}

describe('wordBoundsFallback', () => {
  it('finds words, keeping inner apostrophes and hyphens and dropping punctuation', () => {
    expect(tokens("I don’t think it's well-being, really!")).toEqual(['I', 'don’t', 'think', "it's", 'well-being', 'really']);
    expect(tokens("'quoted' -- a dash - and trailing- 'n'")).toEqual(['quoted', 'a', 'dash', 'and', 'trailing', 'n']);
    expect(tokens('snake_case x')).toEqual(['snake_case', 'x']);
  });

  it('joins digits across decimal points, thousands separators and times, but not sentences', () => {
    expect(tokens('3.5 stars, 10,000 students at 10:30. Done.')).toEqual(['3.5', 'stars', '10,000', 'students', 'at', '10:30', 'Done']);
    expect(tokens('end.Next')).toEqual(['end', 'Next']);
  });

  it('keeps combining accents inside their word', () => {
    expect(tokens('cafe\u0301 nai\u0308ve é')).toEqual(['cafe\u0301', 'nai\u0308ve', 'é']);
  });

  it('makes each emoji a token, whole, including skin tones, ZWJ sequences, flags and keycaps', () => {
    expect(tokens('I ❤️ it 👍🏽👍 👨‍👩‍👧 🇬🇧 1️⃣')).toEqual(['I', '❤️', 'it', '👍🏽', '👍', '👨‍👩‍👧', '🇬🇧', '1️⃣']);
    // Symbols in text presentation stay punctuation.
    expect(tokens('A © B ™ C ↔ D')).toEqual(['A', 'B', 'C', 'D']);
  });

  it('makes each character a token in scripts written without spaces', () => {
    expect(tokens('课程很好。')).toEqual(['课', '程', '很', '好']);
    expect(tokens('とても良い')).toEqual(['と', 'て', 'も', '良', 'い']);
  });

  it('finds words in other spaced scripts', () => {
    expect(tokens('Привет, мир! 안녕 세계 مرحبا بالعالم')).toEqual(['Привет', 'мир', '안녕', '세계', 'مرحبا', 'بالعالم']);
  });
});

describe('snapToWords', () => {
  const text = 'The tutor was great, but the workload—honestly—was too much.';
  const at = (s: string) => text.indexOf(s);

  it('grows a selection that starts or ends mid-word to the whole words', () => {
    expect(snapped(text, at('utor'), at('utor') + 6)).toBe('tutor was');
    expect(snapped(text, at('great') + 2, at('great') + 3)).toBe('great');
  });

  it('trims whitespace and punctuation outside the words but keeps it between them', () => {
    expect(snapped(text, at(' great, but'), at(' the work'))).toBe('great, but');
    expect(snapped(text, at('—honestly—'), at('was too'))).toBe('honestly');
    expect(snapped(text, at('too much.'), text.length)).toBe('too much');
    expect(snapped(text, at('workload'), at('was too') + 3)).toBe('workload—honestly—was');
  });

  it('keeps apostrophes and hyphens inside the word', () => {
    const t = 'I don’t mind the well-being module';
    expect(snapped(t, t.indexOf('’t'), t.indexOf('’t') + 1)).toBe('don’t');
    expect(snapped(t, t.indexOf('being'), t.indexOf('being') + 2)).toBe('well-being');
  });

  it('takes an emoji whole and never cuts a surrogate pair', () => {
    const t = 'Loved it 😍 honestly';
    const e = t.indexOf('😍');
    expect(snapped(t, e + 1, e + 2)).toBe('😍'); // the selection began inside the pair
    expect(snapped(t, e - 1, e + 2)).toBe('😍');
    expect(snapped(t, t.indexOf('it'), e + 1)).toBe('it 😍');
  });

  it('accepts a backwards selection', () => {
    expect(snapped(text, at('great') + 3, at('tutor') + 1)).toBe('tutor was great');
  });

  it('returns null when the selection holds no word: whitespace, punctuation, or a caret', () => {
    const t = 'one,  — two';
    expect(snapped(t, 3, 8)).toBeNull();
    expect(snapped(t, 1, 1)).toBeNull();
    expect(snapped('   ', 0, 3)).toBeNull();
    expect(snapped('', 0, 0)).toBeNull();
  });

  it('clamps offsets to the text', () => {
    expect(snapped('hello world', -5, 2)).toBe('hello');
    expect(snapped('hello world', 8, 99)).toBe('world');
    expect(snapped('hello world', Number.NaN, 3)).toBe('hello');
  });

  it('uses the word bounds it is given (a tokenizer may split differently)', () => {
    const t = 'don’t stop';
    const split: WordBounds = [
      [0, 2],
      [2, 5],
      [6, 10],
    ]; // "do" + "n’t", as wink-nlp splits contractions
    expect(snapped(t, 0, 1, split)).toBe('do');
    expect(snapped(t, 1, 3, split)).toBe('don’t');
    // Empty tokens make nothing codeable.
    expect(
      snapToWords('a  b', 1, 3, [
        [0, 1],
        [2, 2],
        [3, 4],
      ]),
    ).toBeNull();
  });

  // Texts built from characters that exercise every rule: letters, accents, joiners,
  // punctuation, spaces, emoji (with surrogates), digits with separators and CJK.
  const unit = fc.constantFrom('a', 'b', 'Z', 'é', 'e\u0301', '’', "'", '-', '_', '.', ',', ':', '!', '—', ' ', '\n', '😀', '👍🏽', '❤️', '3', '课', '©');
  const arbCase = fc
    .oneof(fc.string({ unit, maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 15 }))
    .chain((t) => fc.tuple(fc.constant(t), fc.integer({ min: -2, max: t.length + 2 }), fc.integer({ min: -2, max: t.length + 2 })));

  it('snaps to word boundaries, keeps every selected word character, and grows no further', () => {
    fc.assert(
      fc.property(arbCase, ([t, a, b]) => {
        const words = wordBoundsFallback(t);
        const lo = Math.max(0, Math.min(a, b, t.length));
        const hi = Math.min(t.length, Math.max(a, b, 0));
        const inWord = (p: number) => words.some(([s, e]) => s <= p && p < e);
        const selectedWordChars: number[] = [];
        for (let p = lo; p < hi; p++) if (inWord(p)) selectedWordChars.push(p);

        const span = snapToWords(t, a, b, words);
        if (selectedWordChars.length === 0) {
          expect(span).toBeNull();
          return;
        }
        expect(span).not.toBeNull();
        const { start, end } = span!;
        // Starts and ends on word boundaries, so never inside a word or a surrogate pair.
        expect(words.some(([s]) => s === start)).toBe(true);
        expect(words.some(([, e]) => e === end)).toBe(true);
        // Contains every word character the selection held.
        for (const p of selectedWordChars) expect(p >= start && p < end).toBe(true);
        // Every word it touches was touched by the selection.
        for (const [s, e] of words) if (s < end && e > start) expect(s < hi && e > lo).toBe(true);
        // Backwards is the same, and snapping again changes nothing.
        expect(snapToWords(t, b, a, words)).toEqual(span);
        expect(snapToWords(t, start, end, words)).toEqual(span);
      }),
    );
  });

  it('produces word bounds that are sorted, non-empty, non-overlapping and on code point boundaries', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit, maxLength: 40 }), fc.string({ unit: anyCodePoint, maxLength: 40 })), (t) => {
        const words = wordBoundsFallback(t);
        let previousEnd = 0;
        for (const [s, e] of words) {
          expect(s).toBeGreaterThanOrEqual(previousEnd);
          expect(e).toBeGreaterThan(s);
          previousEnd = e;
          for (const edge of [s, e]) {
            // Only a high surrogate followed by a low one is a pair: a lone surrogate may end a word.
            const unitBefore = t.charCodeAt(edge - 1);
            const unitAfter = t.charCodeAt(edge);
            const isPairSplit = unitBefore >= 0xd800 && unitBefore <= 0xdbff && unitAfter >= 0xdc00 && unitAfter <= 0xdfff;
            expect(isPairSplit).toBe(false);
          }
        }
      }),
    );
  });
});
