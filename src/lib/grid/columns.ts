/**
 * The grid's scrolling columns: each its own width (the coder drags or keys
 * it), laid out by prefix sums so the columns a horizontal offset shows are a
 * binary search, not a walk over every column.
 */

export const MIN_COLUMN_WIDTH = 96;
export const MAX_COLUMN_WIDTH = 960;

/** A width the grid can draw: a whole number of pixels within the bounds (a bad stored value falls back). */
export function clampWidth(width: number, fallback: number, min = MIN_COLUMN_WIDTH, max = MAX_COLUMN_WIDTH): number {
  if (!Number.isFinite(width)) return Math.round(Math.min(max, Math.max(min, fallback)));
  return Math.round(Math.min(max, Math.max(min, width)));
}

/** Left edges of the columns, plus the total width at the end (length = widths + 1). */
export function columnOffsets(widths: readonly number[]): number[] {
  const offsets = new Array<number>(widths.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < widths.length; i++) offsets[i + 1] = offsets[i] + widths[i];
  return offsets;
}

/** The column under a horizontal offset into the scrolling columns (clamped to the columns there are). */
export function columnAt(offsets: readonly number[], x: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return 0;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Columns [start, end) seen at scrollLeft in a viewport `width` wide whose
 * left `pinned` pixels are covered by the pinned columns, plus overscan.
 */
export function visibleColumns(
  offsets: readonly number[],
  scrollLeft: number,
  width: number,
  pinned: number,
  overscan: number,
): { start: number; end: number } {
  const count = offsets.length - 1;
  const seen = width - pinned;
  if (count <= 0 || seen <= 0) return { start: 0, end: 0 };
  // The scrolling columns start right of the pinned ones: at scrollLeft, x = scrollLeft is at the pinned edge.
  const first = columnAt(offsets, Math.max(0, scrollLeft));
  const last = columnAt(offsets, Math.max(0, scrollLeft + seen - 1));
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + 1 + overscan) };
}

/**
 * The scroll offset that shows [start, end) whole in a viewport of `size`
 * whose first `covered` pixels are under sticky content (the header, the
 * pinned columns); `start` and `end` are offsets into the scrolled content
 * past the covered part. Unchanged when it is already shown.
 */
export function reveal(scroll: number, size: number, covered: number, start: number, end: number): number {
  const seen = Math.max(0, size - covered);
  if (start < scroll) return Math.max(0, start);
  if (end > scroll + seen) return Math.max(0, Math.min(start, end - seen));
  return scroll;
}
