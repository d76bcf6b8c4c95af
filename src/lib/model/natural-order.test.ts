import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { naturalCompare, naturalKey, naturallySorted, naturalRanks } from './natural-order';

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

describe('naturalKey', () => {
  const plain = fc.string({ unit: fc.constantFrom(...'aAbZz0012989 _-.,/()#~$'.split('')), maxLength: 8 });

  it('orders plain ids exactly as naturalCompare does', () => {
    fc.assert(
      fc.property(plain, plain, (a, b) => {
        const [ka, kb] = [naturalKey(a), naturalKey(b)];
        expect(ka).not.toBeNull();
        expect(Math.sign(ka! < kb! ? -1 : ka! > kb! ? 1 : 0)).toBe(Math.sign(naturalCompare(a, b)));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts lists, repeats included, as naturalCompare does, by keys or, for what has none, by the collator', () => {
    const any = fc.oneof(plain, fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(plain, { maxLength: 30 }), fc.array(any, { maxLength: 30 }), (plainIds, mixed) => {
        expect(naturallySorted(plainIds)).toEqual([...plainIds].sort(naturalCompare));
        expect(naturallySorted(mixed)).toEqual([...mixed].sort(naturalCompare));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves to the collator what it cannot key', () => {
    expect(naturalKey('Zoë')).toBeNull();
    expect(naturalKey('1'.repeat(80))).toBeNull();
  });

  it('ranks values naturally with or without keys', () => {
    expect([...naturalRanks(['M10', 'M2', 'm2', 'M2'])]).toEqual([
      ['M2', 0],
      ['m2', 1],
      ['M10', 2],
    ]);
    expect([...naturalRanks(['Zoë 10', 'Zoë 2', 'Ann'])].map(([v]) => v)).toEqual(['Ann', 'Zoë 2', 'Zoë 10']);
  });
});
