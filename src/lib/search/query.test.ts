// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { parseQuery } from './query';

describe('parseQuery', () => {
  it('splits terms on spaces and punctuation', () => {
    expect(parseQuery('mentor,  confidence! time-management')).toMatchObject({
      terms: ['mentor', 'confidence', 'time-management'],
      phrases: [],
    });
  });

  it('takes phrases in straight or curly double quotes, in any pairing', () => {
    expect(parseQuery('"shared background" support “role  model” „x y” time')).toMatchObject({
      terms: ['support', 'time'],
      phrases: ['shared background', 'role model', 'x y'],
      lastPhraseIsOpen: false,
    });
  });

  it('separates a term written against a quote', () => {
    expect(parseQuery('mentor"shared background"support').terms).toEqual(['mentor', 'support']);
  });

  it('runs an unclosed quote to the end, as an open phrase', () => {
    expect(parseQuery('time "shared backg')).toMatchObject({ terms: ['time'], phrases: ['shared backg'], lastPhraseIsOpen: true, lastTermIsPrefix: false });
  });

  it('drops phrases with no word in them', () => {
    expect(parseQuery('"" mentor " ... "')).toMatchObject({ terms: ['mentor'], phrases: [] });
  });

  it('marks the last term as a prefix while it is being typed', () => {
    expect(parseQuery('mentor ment').lastTermIsPrefix).toBe(true);
    expect(parseQuery('mentor ment,').lastTermIsPrefix).toBe(true);
    expect(parseQuery('mentor ment ').lastTermIsPrefix).toBe(false);
    expect(parseQuery('ment "shared background"').lastTermIsPrefix).toBe(false);
    expect(parseQuery('"shared background" ment').lastTermIsPrefix).toBe(true);
    expect(parseQuery('').lastTermIsPrefix).toBe(false);
  });

  it('has nothing for empty or punctuation-only input', () => {
    expect(parseQuery('  ?! ')).toEqual({ terms: [], phrases: [], lastTermIsPrefix: false, lastPhraseIsOpen: false });
  });
});
