import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_SCROLL_HEIGHT,
  bandAt,
  bandAtOffset,
  bandCount,
  bandHeight,
  bandOfRow,
  bandTop,
  groupRows,
  revealRange,
  scrollScale,
  toPhysical,
  toVirtual,
  totalHeight,
  visibleBands,
  type RowBands,
} from './rows';

const flat = (rowCount: number): RowBands => ({ rowCount, rowHeight: 100, groups: null, headingHeight: 30 });

function grouped(sizes: number[], rowHeight = 100, headingHeight = 30): RowBands {
  let start = 0;
  const groups = sizes.map((count, i) => {
    const group = { key: `w${i}`, start, count };
    start += count;
    return group;
  });
  return { rowCount: start, rowHeight, groups, headingHeight };
}

const arbitraryBands = fc.oneof(
  fc.integer({ min: 0, max: 500 }).map(flat),
  fc
    .tuple(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 10, max: 200 }), fc.integer({ min: 10, max: 80 }))
    .map(([sizes, row, heading]) => grouped(sizes, row, heading)),
);

describe('row bands', () => {
  it('lays 200k flat rows out arithmetically', () => {
    const bands = flat(200_000);
    expect(totalHeight(bands)).toBe(20_000_000);
    expect(bandTop(bands, 150_000)).toBe(15_000_000);
    expect(visibleBands(bands, 15_000_050, 400, 2)).toEqual({ start: 149_998, end: 150_007 });
  });

  it('puts a heading before each wave group', () => {
    const bands = grouped([2, 3]);
    expect(bandCount(bands)).toBe(7);
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => bandAt(bands, i))).toEqual([
      { kind: 'heading', group: 0 },
      { kind: 'row', row: 0 },
      { kind: 'row', row: 1 },
      { kind: 'heading', group: 1 },
      { kind: 'row', row: 2 },
      { kind: 'row', row: 3 },
      { kind: 'row', row: 4 },
    ]);
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => bandTop(bands, i))).toEqual([0, 30, 130, 230, 260, 360, 460]);
    expect(totalHeight(bands)).toBe(560);
    expect(bandOfRow(bands, 2)).toBe(4);
    expect(bandAtOffset(bands, 229)).toBe(2);
    expect(bandAtOffset(bands, 230)).toBe(3);
    expect(bandAtOffset(bands, 10_000)).toBe(6);
  });

  it('finds at every offset the band that covers it, and tops follow heights', () => {
    fc.assert(
      fc.property(arbitraryBands, fc.nat(), (bands, seed) => {
        const count = bandCount(bands);
        if (count === 0) return;
        const index = seed % count;
        const top = bandTop(bands, index);
        const height = bandHeight(bands, index);
        expect(bandAtOffset(bands, top)).toBe(index);
        expect(bandAtOffset(bands, top + height - 1)).toBe(index);
        if (index + 1 < count) expect(bandTop(bands, index + 1)).toBe(top + height);
        else expect(totalHeight(bands)).toBe(top + height);
      }),
    );
  });

  it('maps every data row to a row band and back', () => {
    fc.assert(
      fc.property(arbitraryBands, fc.nat(), (bands, seed) => {
        if (bands.rowCount === 0) return;
        const row = seed % bands.rowCount;
        expect(bandAt(bands, bandOfRow(bands, row))).toEqual({ kind: 'row', row });
      }),
    );
  });

  it('shows a range inside the bands that covers the viewport', () => {
    fc.assert(
      fc.property(arbitraryBands, fc.nat({ max: 100_000 }), fc.integer({ min: 1, max: 2000 }), fc.nat({ max: 5 }), (bands, scrollTop, height, overscan) => {
        const { start, end } = visibleBands(bands, scrollTop, height, overscan);
        const count = bandCount(bands);
        expect(0 <= start && start <= end && end <= count).toBe(true);
        const max = Math.max(0, totalHeight(bands) - 1);
        if (count > 0 && scrollTop <= max) {
          expect(bandTop(bands, start)).toBeLessThanOrEqual(scrollTop);
          const bottom = Math.min(scrollTop + height, totalHeight(bands));
          expect(bandTop(bands, end - 1) + bandHeight(bands, end - 1)).toBeGreaterThanOrEqual(bottom);
        }
      }),
    );
  });
});

describe('groupRows', () => {
  it('groups in the given order, keeping row order inside a group, unknown keys last', () => {
    const rows = ['a1', 'b1', 'a2', 'x1', 'b2'];
    const result = groupRows(rows, (r) => r[0], ['b', 'a']);
    expect(result.rows).toEqual(['b1', 'b2', 'a1', 'a2', 'x1']);
    expect(result.groups).toEqual([
      { key: 'b', start: 0, count: 2 },
      { key: 'a', start: 2, count: 2 },
      { key: 'x', start: 4, count: 1 },
    ]);
  });

  it('leaves out empty groups and handles a key named like an Object member', () => {
    const result = groupRows(['constructor'], (r) => r, ['w1', 'constructor']);
    expect(result.groups).toEqual([{ key: 'constructor', start: 0, count: 1 }]);
  });
});

describe('a scroll range scaled past the browser cap', () => {
  const ROW = 132;
  const HEADER = 40;
  const VIEW = 640;
  const BODY = VIEW - HEADER;
  const scaleOf = (bands: RowBands, cap: number) => scrollScale(HEADER + totalHeight(bands), VIEW, cap);
  const big = (rowCount: number): RowBands => ({ rowCount, rowHeight: ROW, groups: null, headingHeight: 34 });

  it('is not scaled up to the cap', () => {
    const bands = big(1000);
    const scale = scaleOf(bands, MAX_SCROLL_HEIGHT);
    expect(scale.factor).toBe(1);
    expect(scale.height).toBe(HEADER + 1000 * ROW);
    expect(toVirtual(1234, scale)).toBe(1234);
    expect(toPhysical(1234, scale)).toBe(1234);
  });

  it('keeps 2M rows under the cap, and its end is the content end', () => {
    const bands = big(2_000_000);
    const scale = scaleOf(bands, MAX_SCROLL_HEIGHT);
    expect(scale.height).toBe(MAX_SCROLL_HEIGHT);
    expect(scale.factor).toBeGreaterThan(17);
    const end = scale.height - VIEW;
    expect(toVirtual(end, scale)).toBeCloseTo(scale.contentHeight - VIEW, 3);
    expect(visibleBands(bands, toVirtual(end, scale), BODY, 0).end).toBe(2_000_000);
    expect(toVirtual(0, scale)).toBe(0);
  });

  const arbitraryScaled = fc.record({
    bands: fc.oneof(
      fc.integer({ min: 1, max: 400_000 }).map(big),
      fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 4 }).map((sizes) => grouped(sizes, ROW, 34)),
    ),
    // From caps a small e2e project forces to the real one.
    cap: fc.oneof(fc.integer({ min: VIEW * 2, max: 50_000 }), fc.integer({ min: 50_000, max: MAX_SCROLL_HEIGHT })),
  });

  it('reaches every row by scrolling: some whole scrollTop shows it (when a scrolled pixel is less than a screen)', () => {
    fc.assert(
      fc.property(arbitraryScaled, fc.double({ min: 0, max: 1, noNaN: true }), ({ bands, cap }, at) => {
        const scale = scaleOf(bands, cap);
        fc.pre(scale.factor <= BODY - ROW);
        const row = Math.min(bands.rowCount - 1, Math.floor(at * bands.rowCount));
        const band = bandOfRow(bands, row);
        // The whole scrollTop at or above the row: one scrolled pixel is less than a screen less a row, so the
        // row is still inside the screen it shows (rounding up could pass a row shorter than a scrolled pixel).
        const physical = Math.floor(toPhysical(bandTop(bands, band), scale));
        expect(physical).toBeGreaterThanOrEqual(0);
        expect(physical).toBeLessThanOrEqual(Math.max(0, scale.height - VIEW));
        const { start, end } = visibleBands(bands, toVirtual(physical, scale), BODY, 0);
        expect(band).toBeGreaterThanOrEqual(start);
        expect(band).toBeLessThan(end);
      }),
    );
  });

  it('the first and last rows are at the ends of the scroll range', () => {
    fc.assert(
      fc.property(arbitraryScaled, ({ bands, cap }) => {
        const scale = scaleOf(bands, cap);
        expect(visibleBands(bands, toVirtual(0, scale), BODY, 0).start).toBe(0);
        const end = Math.max(0, scale.height - VIEW);
        expect(visibleBands(bands, toVirtual(end, scale), BODY, 0).end).toBe(bandCount(bands));
      }),
    );
  });

  it('moves by key land exactly on their row, whatever the scale, and the scrollbar follows', () => {
    fc.assert(
      fc.property(
        arbitraryScaled,
        fc.array(fc.oneof(fc.constantFrom(-1, 1, -4, 4), fc.integer({ min: -500_000, max: 500_000 })), { minLength: 1, maxLength: 30 }),
        ({ bands, cap }, moves) => {
          const scale = scaleOf(bands, cap);
          let row = 0;
          let virtual = 0;
          for (const move of moves) {
            row = Math.min(bands.rowCount - 1, Math.max(0, row + move));
            const band = bandOfRow(bands, row);
            const top = bandTop(bands, band);
            const next = revealRange(scale, virtual, HEADER, top, top + ROW);
            virtual = next.virtual;
            // The row is shown whole below the header.
            expect(top).toBeGreaterThanOrEqual(virtual);
            expect(top + ROW).toBeLessThanOrEqual(virtual + BODY + 1e-6);
            const { start, end } = visibleBands(bands, virtual, BODY, 0);
            expect(band).toBeGreaterThanOrEqual(start);
            expect(band).toBeLessThan(end);
            // The scrollbar is where the content offset is, within one scrolled pixel.
            expect(next.physical).toBeGreaterThanOrEqual(0);
            expect(next.physical).toBeLessThanOrEqual(Math.max(0, scale.height - VIEW));
            expect(Math.abs(toVirtual(next.physical, scale) - virtual)).toBeLessThanOrEqual(scale.factor + 1e-6);
          }
        },
      ),
    );
  });
});
