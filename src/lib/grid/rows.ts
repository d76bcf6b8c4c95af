/**
 * The grid's rows as bands of fixed height, so where a row is and which rows
 * a scroll offset shows are arithmetic even at 200k rows (no per-row measure).
 * Grouped by wave, each group starts with a heading band of its own height.
 */
import { reveal } from './columns';

export interface RowGroup {
  /** The key of the group (a wave id). */
  key: string;
  /** First data row of the group. */
  start: number;
  count: number;
}

export interface RowBands {
  rowCount: number;
  rowHeight: number;
  /** Null: no headings, data rows only. */
  groups: readonly RowGroup[] | null;
  headingHeight: number;
}

/** One band: a wave heading or a data row. */
export type Band = { kind: 'heading'; group: number } | { kind: 'row'; row: number };

const headingsOf = (bands: RowBands) => bands.groups?.length ?? 0;

/** Bands in all: data rows plus one heading per group. */
export function bandCount(bands: RowBands): number {
  return bands.rowCount + headingsOf(bands);
}

export function totalHeight(bands: RowBands): number {
  return bands.rowCount * bands.rowHeight + headingsOf(bands) * bands.headingHeight;
}

/** The group a data row belongs to (binary search over the few groups). */
export function groupOfRow(bands: RowBands, row: number): number {
  const groups = bands.groups;
  if (!groups || groups.length === 0) return -1;
  let lo = 0;
  let hi = groups.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (groups[mid].start <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The band index of a data row. */
export function bandOfRow(bands: RowBands, row: number): number {
  return bands.groups && bands.groups.length > 0 ? row + groupOfRow(bands, row) + 1 : row;
}

export function bandAt(bands: RowBands, index: number): Band {
  const groups = bands.groups;
  if (!groups || groups.length === 0) return { kind: 'row', row: index };
  for (let g = groups.length - 1; g >= 0; g--) {
    const heading = groups[g].start + g;
    if (index === heading) return { kind: 'heading', group: g };
    if (index > heading) return { kind: 'row', row: index - g - 1 };
  }
  return { kind: 'row', row: index };
}

/** Top of a band, from the top of the first band. */
export function bandTop(bands: RowBands, index: number): number {
  const groups = bands.groups;
  if (!groups || groups.length === 0) return index * bands.rowHeight;
  const band = bandAt(bands, index);
  const group = band.kind === 'heading' ? band.group : groupOfRow(bands, band.row);
  const groupTop = group * bands.headingHeight + groups[group].start * bands.rowHeight;
  return band.kind === 'heading' ? groupTop : groupTop + bands.headingHeight + (band.row - groups[group].start) * bands.rowHeight;
}

export function bandHeight(bands: RowBands, index: number): number {
  return bandAt(bands, index).kind === 'heading' ? bands.headingHeight : bands.rowHeight;
}

/** The band at a vertical offset (clamped to the bands there are). */
export function bandAtOffset(bands: RowBands, y: number): number {
  const count = bandCount(bands);
  if (count === 0) return 0;
  const groups = bands.groups;
  if (!groups || groups.length === 0) return clamp(Math.floor(y / bands.rowHeight), 0, count - 1);
  let g = 0;
  for (let i = groups.length - 1; i >= 0; i--) {
    if (i * bands.headingHeight + groups[i].start * bands.rowHeight <= y) {
      g = i;
      break;
    }
  }
  const groupTop = g * bands.headingHeight + groups[g].start * bands.rowHeight;
  const heading = groups[g].start + g;
  if (y < groupTop + bands.headingHeight) return heading;
  const within = Math.floor((y - groupTop - bands.headingHeight) / bands.rowHeight);
  return clamp(heading + 1 + Math.min(within, groups[g].count - 1), 0, count - 1);
}

/** Bands [start, end) a viewport of `height` below the sticky header shows at scrollTop, plus overscan each side. */
export function visibleBands(bands: RowBands, scrollTop: number, height: number, overscan: number): { start: number; end: number } {
  const count = bandCount(bands);
  if (count === 0 || height <= 0) return { start: 0, end: 0 };
  const first = bandAtOffset(bands, Math.max(0, scrollTop));
  const last = bandAtOffset(bands, Math.max(0, scrollTop + height - 1));
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + 1 + overscan) };
}

/**
 * Rows regrouped by a key in the keys' order (stable: each group keeps the rows' order).
 * Rows whose key is not listed go last, in a group of their own key.
 */
export function groupRows<T>(rows: readonly T[], keyOf: (row: T) => string, order: readonly string[]): { rows: T[]; groups: RowGroup[] } {
  const buckets = new Map<string, T[]>(order.map((key) => [key, []]));
  for (const row of rows) {
    const key = keyOf(row);
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = []));
    bucket.push(row);
  }
  const out: T[] = [];
  const groups: RowGroup[] = [];
  for (const [key, bucket] of buckets) {
    if (bucket.length === 0) continue;
    groups.push({ key, start: out.length, count: bucket.length });
    for (const row of bucket) out.push(row);
  }
  return { rows: out, groups };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * Browsers cap an element's height (Chromium at ~33.5M px, Firefox at ~17.9M): rows of 132 px past ~254k rows
 * could not be scrolled to. Past this height the scroll range is scaled down instead (see ScrollScale).
 */
export const MAX_SCROLL_HEIGHT = 15_000_000;

/**
 * How the scroll container's range stands for the grid's content: `height` px of real scroll range (what the
 * sizer element is), and `factor` content px per scrolled px once the content is taller than the cap, so that
 * the scroll range's end is the content's end. Factor 1 (no scaling) up to the cap.
 */
export interface ScrollScale {
  /** The whole content's height (header included). */
  contentHeight: number;
  /** The height of the element that gives the scroll range. */
  height: number;
  viewport: number;
  factor: number;
}

export function scrollScale(contentHeight: number, viewport: number, maxHeight = MAX_SCROLL_HEIGHT): ScrollScale {
  const content = Math.max(0, contentHeight);
  const view = Math.max(0, viewport);
  // A cap no taller than the viewport leaves no range to scale: such a content gets the cap anyway.
  if (content <= maxHeight || maxHeight <= view) return { contentHeight: content, height: content, viewport: view, factor: 1 };
  return { contentHeight: content, height: maxHeight, viewport: view, factor: Math.max(1, (content - view) / (maxHeight - view)) };
}

/** The farthest a content offset can go (its last screenful). */
export function maxVirtualOffset(scale: ScrollScale): number {
  return Math.max(0, scale.contentHeight - scale.viewport);
}

/** The content offset a scrolled position shows (scrollTop × factor, within the content). */
export function toVirtual(scrollTop: number, scale: ScrollScale): number {
  return Math.min(maxVirtualOffset(scale), Math.max(0, scrollTop * scale.factor));
}

/** The scroll position nearest a content offset. */
export function toPhysical(offset: number, scale: ScrollScale): number {
  return Math.min(Math.max(0, scale.height - scale.viewport), Math.max(0, offset / scale.factor));
}

/**
 * Where a key move scrolls to show content offsets [start, end) whole below the sticky header: the content offset
 * (exact, so the focused row is where the move put it) and the scrollTop nearest it.
 */
export function revealRange(scale: ScrollScale, virtualTop: number, header: number, start: number, end: number): { virtual: number; physical: number } {
  const virtual = Math.min(maxVirtualOffset(scale), reveal(virtualTop, scale.viewport, header, start, end));
  return { virtual, physical: toPhysical(virtual, scale) };
}
