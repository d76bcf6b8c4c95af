import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_COLUMN_WIDTH, MIN_COLUMN_WIDTH, clampWidth, columnAt, columnOffsets, reveal, visibleColumns } from './columns';

describe('columns', () => {
  it('clamps widths to whole pixels within bounds, a bad value to the fallback', () => {
    expect(clampWidth(10, 200)).toBe(MIN_COLUMN_WIDTH);
    expect(clampWidth(5000, 200)).toBe(MAX_COLUMN_WIDTH);
    expect(clampWidth(250.6, 200)).toBe(251);
    expect(clampWidth(Number.NaN, 200)).toBe(200);
    expect(clampWidth(Number.POSITIVE_INFINITY, 300)).toBe(300);
  });

  it('lays columns out by prefix sums', () => {
    expect(columnOffsets([100, 200, 50])).toEqual([0, 100, 300, 350]);
    const offsets = columnOffsets([100, 200, 50]);
    expect([0, 99, 100, 299, 300, 349, 1000, -5].map((x) => columnAt(offsets, x))).toEqual([0, 0, 1, 1, 2, 2, 2, 0]);
  });

  it('shows the columns right of the pinned ones (the fourth question on is drawn, not blank)', () => {
    const offsets = columnOffsets(Array(8).fill(288));
    // 1000 px wide, 300 of them pinned: at scrollLeft 900, 700 px from 900 to 1600 show columns 3, 4 and 5.
    expect(visibleColumns(offsets, 900, 1000, 300, 0)).toEqual({ start: 3, end: 6 });
    expect(visibleColumns(offsets, 900, 1000, 300, 1)).toEqual({ start: 2, end: 7 });
    // Scrolled to the end: the last column is drawn.
    expect(visibleColumns(offsets, 8 * 288 - 700, 1000, 300, 0).end).toBe(8);
  });

  it('visible columns cover what the viewport shows, and stay inside the columns', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: MIN_COLUMN_WIDTH, max: MAX_COLUMN_WIDTH }), { maxLength: 60 }),
        fc.nat({ max: 50_000 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.nat({ max: 600 }),
        fc.nat({ max: 3 }),
        (widths, scrollLeft, width, pinned, overscan) => {
          const offsets = columnOffsets(widths);
          const { start, end } = visibleColumns(offsets, scrollLeft, width, pinned, overscan);
          expect(0 <= start && start <= end && end <= widths.length).toBe(true);
          const total = offsets[widths.length];
          if (widths.length > 0 && width > pinned && scrollLeft < total) {
            expect(offsets[start]).toBeLessThanOrEqual(scrollLeft);
            expect(offsets[end]).toBeGreaterThanOrEqual(Math.min(total, scrollLeft + width - pinned));
          }
        },
      ),
    );
  });

  it('reveal scrolls the least that shows a span past what is covered', () => {
    // Viewport 500, 100 covered: offsets 0..400 of the content are seen at scroll 0.
    expect(reveal(0, 500, 100, 50, 150)).toBe(0);
    expect(reveal(0, 500, 100, 450, 550)).toBe(150);
    expect(reveal(300, 500, 100, 100, 200)).toBe(100);
    // Wider than what is seen: its start is shown.
    expect(reveal(0, 500, 100, 1000, 1600)).toBe(1000);
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000 }),
        fc.integer({ min: 200, max: 2000 }),
        fc.nat({ max: 150 }),
        fc.nat({ max: 10_000 }),
        fc.integer({ min: 1, max: 40 }),
        (scroll, size, covered, start, length) => {
          const next = reveal(scroll, size, covered, start, start + length);
          expect(next).toBeGreaterThanOrEqual(0);
          expect(next).toBeLessThanOrEqual(start);
          expect(start + length).toBeLessThanOrEqual(next + size - covered);
        },
      ),
    );
  });
});
