import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { naturalCompare, naturallySorted } from './natural-order';

describe('naturalCompare', () => {
  it('puts pair 2 before pair 10 and M2 before M10', () => {
    expect(naturalCompare('pair 2', 'pair 10')).toBeLessThan(0);
    expect(naturalCompare('M2', 'M10')).toBeLessThan(0);
    expect(naturallySorted(['pair 10', 'pair 1', 'pair 2', 'pair 21', 'pair 3'])).toEqual(['pair 1', 'pair 2', 'pair 3', 'pair 10', 'pair 21']);
    expect(naturallySorted(['R10', 'r9', 'R1'])).toEqual(['R1', 'r9', 'R10']);
  });

  it('is a total order: antisymmetric, and 0 only for equal strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const ab = naturalCompare(a, b);
        expect(Math.sign(ab)).toBe(-Math.sign(naturalCompare(b, a)) || 0);
        expect(ab === 0).toBe(a === b);
      }),
    );
  });
});
