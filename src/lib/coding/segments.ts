/**
 * Cutting an answer into runs for rendering overlapping highlights: each run
 * is covered by the same set of spans, so the UI draws one element per run and
 * never has to nest or split elements itself.
 */

/** A span to highlight. Offsets are UTF-16 code units here: the UI converts stored code points first. */
export interface SpanLike {
  id: string;
  start: number;
  end: number;
}

/** A run `[start, end)` of the text and the ids of the spans covering all of it, in input order. */
export interface Segment {
  start: number;
  end: number;
  spanIds: string[];
}

interface Edge {
  at: number;
  /** Rank of the span's id: the input index where the id first appears. */
  rank: number;
  delta: 1 | -1;
}

/** Index of the first element of the sorted array that is >= value. */
function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clampTo(offset: number, length: number): number {
  return Math.min(Math.max(Math.floor(offset), 0), length);
}

function sameIds(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Cut `[0, length)` at every span boundary. The segments are contiguous and
 * cover the whole text, uncovered runs included (with `spanIds: []`);
 * neighbours with the same spans are merged. Spans are clamped to the text;
 * empty, inverted and NaN spans are ignored. Spans sharing an id count as one
 * (the id is listed once, at its first position in the input), so a coding
 * drawn in two pieces still reads as one. A zero-length text has no segments.
 *
 * O(n log n) in the number of spans plus the size of the output (which is
 * quadratic only when many spans nest, and then the UI draws that much anyway).
 */
export function segmentText(length: number, spans: readonly SpanLike[]): Segment[] {
  const len = Number.isFinite(length) && length > 0 ? Math.floor(length) : 0;
  if (len === 0) return [];

  const rankOfId = new Map<string, number>();
  const idOfRank: string[] = [];
  const edges: Edge[] = [];
  for (const span of spans) {
    let rank = rankOfId.get(span.id);
    if (rank === undefined) {
      rank = idOfRank.length;
      rankOfId.set(span.id, rank);
      idOfRank.push(span.id);
    }
    const start = clampTo(span.start, len);
    const end = clampTo(span.end, len);
    if (!(start < end)) continue; // empty, inverted, or NaN (every comparison with NaN is false)
    edges.push({ at: start, rank, delta: 1 }, { at: end, rank, delta: -1 });
  }
  edges.sort((a, b) => a.at - b.at);

  // How many spans of each id cover the current position; an id is active while its count is > 0.
  const cover = new Int32Array(idOfRank.length);
  const active: number[] = []; // ranks, sorted, so ids come out in input order
  const segments: Segment[] = [];
  let e = 0;
  let pos = 0;
  while (pos < len) {
    for (; e < edges.length && edges[e].at === pos; e++) {
      const { rank, delta } = edges[e];
      const before = cover[rank];
      cover[rank] = before + delta;
      if (before === 0 && delta === 1) active.splice(lowerBound(active, rank), 0, rank);
      else if (before === 1 && delta === -1) active.splice(lowerBound(active, rank), 1);
    }
    // Every edge before pos has been applied, so the next one lies beyond pos (or is the text's end).
    const next = e < edges.length ? edges[e].at : len;
    const spanIds = active.map((rank) => idOfRank[rank]);
    const last = segments[segments.length - 1];
    // The set can come out unchanged across a boundary only when a span ends exactly where
    // another with the same id starts; that cut would be invisible, so it is not made.
    if (last && sameIds(last.spanIds, spanIds)) last.end = next;
    else segments.push({ start: pos, end: next, spanIds });
    pos = next;
  }
  return segments;
}
