// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPhrase, normalizePhrase, phraseOccurs } from './phrase';

const found = (text: string, phrase: string, open = false) => findPhrase(text, normalizePhrase(phrase), open).map(([s, e]) => text.slice(s, e));

describe('findPhrase', () => {
  it('finds the phrase case-insensitively, on word boundaries', () => {
    expect(found('We had a Shared Background, and a shared background again.', 'shared background')).toEqual(['Shared Background', 'shared background']);
    expect(found('an unshared backgrounds', 'shared background')).toEqual([]);
    expect(found('the background that we shared', 'shared background')).toEqual([]);
  });

  it('treats any run of whitespace as one space', () => {
    expect(found('shared\n\t  background', 'shared   background')).toEqual(['shared\n\t  background']);
    expect(found('shared\u00a0background', 'shared background')).toEqual(['shared\u00a0background']);
  });

  it('matches curly and straight apostrophes alike', () => {
    expect(found('my mentor’s advice', "mentor's advice")).toEqual(['mentor’s advice']);
    expect(found("my mentor's advice", 'mentor’s advice')).toEqual(["mentor's advice"]);
  });

  it('folds accents, and maps offsets back through combining marks and case changes', () => {
    expect(found('Meeting Siobhán helped', 'siobhan helped')).toEqual(['Siobhán helped']);
    expect(found('With Nguye\u0302\u0303n today', 'nguyễn')).toEqual(['Nguye\u0302\u0303n']);
    expect(found('İstanbul  trip', 'istanbul trip')).toEqual(['İstanbul  trip']);
    expect(found('😀 great  mentor 😀', 'great mentor')).toEqual(['great  mentor']);
  });

  it('lets an open phrase end inside a word', () => {
    expect(found('shared backgrounds', 'shared backg', true)).toEqual(['shared backg']);
    expect(found('shared backgrounds', 'shared backg')).toEqual([]);
  });

  it('finds overlapping occurrences', () => {
    expect(findPhrase('ha ha ha', 'ha ha')).toEqual([
      [0, 5],
      [3, 8],
    ]);
  });

  it('phraseOccurs agrees with findPhrase', () => {
    expect(phraseOccurs('A shared background.', 'shared background')).toBe(true);
    expect(phraseOccurs('unshared background', 'shared background')).toBe(false);
    expect(phraseOccurs('anything', '')).toBe(false);
  });

  it('every occurrence lies in the text and matches the phrase in normal form (property)', () => {
    const chars = fc.constantFrom('a', 'B', 'é', 'e\u0301', ' ', '  ', '\n', '’', "'", ',', 'İ', 'ß', '😀', 'x');
    const text = fc.array(chars, { maxLength: 30 }).map((c) => c.join(''));
    fc.assert(
      fc.property(text, text, (t, p) => {
        const phrase = normalizePhrase(p);
        for (const [s, e] of findPhrase(t, phrase)) {
          expect(0 <= s && s < e && e <= t.length).toBe(true);
          expect(normalizePhrase(t.slice(s, e))).toBe(phrase);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
