import { describe, expect, it } from 'vitest';
import { scriptShare, textDirection } from './scripts';

describe('scriptShare', () => {
  it('finds English answers all Latin', () => {
    expect(scriptShare(['I’m glad my mentor listened.', 'Café in Łódź, 2026!'])).toEqual({ letters: 32, nonLatin: 0, mainScript: null });
  });

  it('names the script most of the other letters are in', () => {
    const share = scriptShare(['الإرشاد ساعدني كثيرًا', 'The mentor helped', 'שלום']);
    expect(share.mainScript).toBe('Arabic');
    expect(share.nonLatin).toBeGreaterThan(0.5);
    expect(share.nonLatin).toBeLessThan(1);
    expect(scriptShare(['Наставник помог мне']).mainScript).toBe('Cyrillic');
    expect(scriptShare(['先生はとても親切でした']).mainScript).toBe('Japanese');
  });

  it('counts no letters in numbers, punctuation and emoji', () => {
    expect(scriptShare(['123 — 45%', '👍🏽 !!'])).toEqual({ letters: 0, nonLatin: 0, mainScript: null });
    expect(scriptShare([])).toEqual({ letters: 0, nonLatin: 0, mainScript: null });
  });
});

describe('textDirection', () => {
  it('goes by the first letter, as dir="auto" does', () => {
    expect(textDirection('الإرشاد helped')).toBe('rtl');
    expect(textDirection('  12, “שלום” and more')).toBe('rtl');
    expect(textDirection('The mentor said الإرشاد')).toBe('ltr');
    expect(textDirection('Łódź')).toBe('ltr');
    expect(textDirection('١٢٣ 456 !')).toBe('ltr');
    expect(textDirection('')).toBe('ltr');
  });
});
