import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HeightIndex } from './height-index';

describe('HeightIndex', () => {
  it('estimates unmeasured rows and uses measured heights where known', () => {
    const index = new HeightIndex(4, 50);
    expect(index.totalHeight).toBe(200);
    index.set(0, 100);
    // Unmeasured rows now count as the average of measured ones.
    expect(index.totalHeight).toBe(400);
    index.set(1, 20);
    expect(index.offsetOf(2)).toBe(120);
    expect(index.totalHeight).toBe(120 + 2 * 60);
  });

  it('finds the row at an offset and the rows for a viewport', () => {
    const index = new HeightIndex(100, 10);
    expect(index.indexAt(0)).toBe(0);
    expect(index.indexAt(95)).toBe(9);
    expect(index.indexAt(1e9)).toBe(99);
    expect(index.range(200, 50, 2)).toEqual({ start: 18, end: 28 });
    expect(new HeightIndex(0, 10).range(0, 100)).toEqual({ start: 0, end: 0 });
  });

  it('keeps offsets increasing and indexAt consistent with them, whatever is measured', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 400 })), { maxLength: 60 }), (count, measures) => {
        const index = new HeightIndex(count, 48);
        for (const [i, h] of measures) index.set(i % count, h);
        for (let i = 0; i < count; i++) {
          expect(index.offsetOf(i + 1)).toBeGreaterThan(index.offsetOf(i));
          expect(index.indexAt(index.offsetOf(i))).toBe(i);
        }
      }),
    );
  });
});
