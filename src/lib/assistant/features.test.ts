// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFeatureSpace } from './features';

function rowOf(space: ReturnType<typeof buildFeatureSpace>, r: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let j = space.indptr[r]; j < space.indptr[r + 1]; j++) out.set(space.indices[j], space.values[j]);
  return out;
}

describe('buildFeatureSpace', () => {
  it('gives every text with words a unit-norm row, an empty text an empty row', () => {
    const space = buildFeatureSpace(['The nurses were kind', 'nurses were rude', '', 'kind nurses', '!!!', 'rude']);
    expect(space.rows).toBe(6);
    for (const r of [0, 1, 3]) {
      let sq = 0;
      for (const v of rowOf(space, r).values()) sq += v * v;
      expect(sq).toBeCloseTo(1, 5);
    }
    expect(space.indptr[3] - space.indptr[2]).toBe(0);
    expect(space.indptr[5] - space.indptr[4]).toBe(0);
  });

  it('drops terms found in one text only (minDf 2) and keeps them with minDf 1', () => {
    const texts = ['zebra crossing', 'crossing guard', 'crossing'];
    const strict = buildFeatureSpace(texts, { charMin: 3, charMax: 3 });
    const loose = buildFeatureSpace(texts, { charMin: 3, charMax: 3, minDf: 1 });
    expect(loose.cols).toBeGreaterThan(strict.cols);
    for (let c = 0; c < strict.cols; c++) expect(strict.columnDf[c]).toBeGreaterThanOrEqual(2);
  });

  it('reads case, accents and curly apostrophes as the same word', () => {
    const space = buildFeatureSpace(['Café didn’t open', "cafe didn't open", 'CAFÉ DIDN’T OPEN'], { minDf: 1 });
    const a = rowOf(space, 0);
    const b = rowOf(space, 1);
    const c = rowOf(space, 2);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect([...a.keys()].sort()).toEqual([...c.keys()].sort());
  });

  it('weights rarer terms higher (idf) and separates the word and character blocks', () => {
    const space = buildFeatureSpace(['common rare', 'common other', 'common thing', 'rare'], { charMin: 3, charMax: 3, minDf: 1, wordPairs: false });
    expect(space.columnBlock.includes(0)).toBe(true);
    expect(space.columnBlock.includes(1)).toBe(true);
    const row = rowOf(space, 0);
    const words = [...row.entries()].filter(([c]) => space.columnBlock[c] === 0);
    expect(words).toHaveLength(2);
    const [rare, common] = words.sort((x, y) => space.columnDf[x[0]] - space.columnDf[y[0]]);
    expect(rare[1]).toBeGreaterThan(common[1]);
  });

  it('is deterministic and its rows are valid CSR for any texts', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 30 }), (texts) => {
        const a = buildFeatureSpace(texts, { minDf: 1 });
        const b = buildFeatureSpace(texts, { minDf: 1 });
        expect(a.indices).toEqual(b.indices);
        expect(a.values).toEqual(b.values);
        expect(a.indptr[0]).toBe(0);
        expect(a.indptr[a.rows]).toBe(a.indices.length);
        for (let r = 0; r < a.rows; r++) {
          expect(a.indptr[r + 1]).toBeGreaterThanOrEqual(a.indptr[r]);
          const seen = new Set<number>();
          for (let j = a.indptr[r]; j < a.indptr[r + 1]; j++) {
            expect(a.indices[j]).toBeGreaterThanOrEqual(0);
            expect(a.indices[j]).toBeLessThan(a.cols);
            expect(seen.has(a.indices[j])).toBe(false);
            seen.add(a.indices[j]);
            expect(a.values[j]).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses impossible options', () => {
    expect(() => buildFeatureSpace(['a'], { charMin: 4, charMax: 3 })).toThrow(RangeError);
    expect(() => buildFeatureSpace(['a'], { wordShare: 2 })).toThrow(RangeError);
  });
});
