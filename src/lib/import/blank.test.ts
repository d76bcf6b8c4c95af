import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isBlank, trimmed } from './blank';

describe('isBlank / trimmed', () => {
  it('agree with String.prototype.trim for every character trim removes', () => {
    const unit = fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u1680', '\u2003', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', 'a', 'é');
    fc.assert(
      fc.property(fc.string({ unit }), (s) => {
        expect(trimmed(s)).toBe(s.trim());
        expect(isBlank(s)).toBe(s.trim() === '');
      }),
    );
    expect(isBlank(undefined)).toBe(true);
  });
});
