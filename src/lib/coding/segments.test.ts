// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segmentText, type SpanLike } from './segments';

const span = (id: string, start: number, end: number): SpanLike => ({ id, start, end });

describe('segmentText', () => {
  it('returns one uncovered segment for a text without spans, and none for an empty text', () => {
    expect(segmentText(10, [])).toEqual([{ start: 0, end: 10, spanIds: [] }]);
    expect(segmentText(0, [span('a', 0, 3)])).toEqual([]);
  });

  it('cuts at every boundary of overlapping spans, listing ids in input order', () => {
    expect(segmentText(12, [span('b', 5, 10), span('a', 2, 7)])).toEqual([
      { start: 0, end: 2, spanIds: [] },
      { start: 2, end: 5, spanIds: ['a'] },
      { start: 5, end: 7, spanIds: ['b', 'a'] },
      { start: 7, end: 10, spanIds: ['b'] },
      { start: 10, end: 12, spanIds: [] },
    ]);
  });

  it('handles nested spans and spans sharing a boundary', () => {
    expect(segmentText(6, [span('outer', 0, 6), span('inner', 2, 4), span('next', 4, 6)])).toEqual([
      { start: 0, end: 2, spanIds: ['outer'] },
      { start: 2, end: 4, spanIds: ['outer', 'inner'] },
      { start: 4, end: 6, spanIds: ['outer', 'next'] },
    ]);
  });

  it('ignores empty, inverted and NaN spans and clamps the rest to the text', () => {
    expect(segmentText(5, [span('empty', 2, 2), span('inverted', 4, 1), span('nan', Number.NaN, 3), span('wide', -4, 99)])).toEqual([
      { start: 0, end: 5, spanIds: ['wide'] },
    ]);
    expect(segmentText(5, [span('past', 7, 9)])).toEqual([{ start: 0, end: 5, spanIds: [] }]);
  });

  it('merges neighbours with the same spans: a span id drawn in two touching pieces is one run', () => {
    expect(segmentText(8, [span('a', 0, 3), span('a', 3, 6)])).toEqual([
      { start: 0, end: 6, spanIds: ['a'] },
      { start: 6, end: 8, spanIds: [] },
    ]);
    // Overlapping pieces of one id list the id once.
    expect(segmentText(4, [span('a', 0, 3), span('b', 1, 2), span('a', 1, 4)])).toEqual([
      { start: 0, end: 1, spanIds: ['a'] },
      { start: 1, end: 2, spanIds: ['a', 'b'] },
      { start: 2, end: 4, spanIds: ['a'] },
    ]);
  });

  it('segments many spans', () => {
    // Not timed: a time limit fails on a busy machine; the scroll bench (npm run bench) measures painting.
    const spans = Array.from({ length: 20000 }, (_, i) => span(`s${i}`, (i * 7) % 50000, ((i * 7) % 50000) + 5));
    const segments = segmentText(50010, spans);
    expect(segments[0].start).toBe(0);
    expect(segments[segments.length - 1].end).toBe(50010);
    expect(segments.every((s, i) => i === 0 || s.start === segments[i - 1].end)).toBe(true);
  });

  const arbSpans = fc.array(
    fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
      start: fc.integer({ min: -3, max: 33 }),
      end: fc.integer({ min: -3, max: 33 }),
    }),
    { maxLength: 12 },
  );

  it('segments are contiguous, cover [0, length), and carry exactly the spans covering each position', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), arbSpans, (length, spans) => {
        const segments = segmentText(length, spans);
        if (length === 0) {
          expect(segments).toEqual([]);
          return;
        }
        expect(segments[0].start).toBe(0);
        expect(segments[segments.length - 1].end).toBe(length);
        const firstIndex = (id: string) => spans.findIndex((s) => s.id === id);
        for (let i = 0; i < segments.length; i++) {
          const seg = segments[i];
          expect(seg.end).toBeGreaterThan(seg.start);
          if (i > 0) {
            expect(seg.start).toBe(segments[i - 1].end);
            expect(seg.spanIds).not.toEqual(segments[i - 1].spanIds); // merged when equal
          }
          // Ids in input order (by first appearance), each once.
          const order = seg.spanIds.map(firstIndex);
          expect(order).toEqual([...order].sort((x, y) => x - y));
          expect(new Set(seg.spanIds).size).toBe(seg.spanIds.length);
          for (let p = seg.start; p < seg.end; p++) {
            const covering = new Set(spans.filter((s) => s.start <= p && p < s.end).map((s) => s.id));
            expect(new Set(seg.spanIds)).toEqual(covering);
          }
        }
      }),
    );
  });
});
