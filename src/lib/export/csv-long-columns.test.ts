// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerId } from '../model/types';
import { longCsvToString } from './csv-long';
import { columnsInDisplayOrder, longCsvColumnStream, placedAnswers } from './csv-long-columns';
import { ProjectLookup } from './project-lookup';
import type { ExportSource } from './source';
import { displayOrderedSource, LONG_PROJECT, longOptionsOf, placementOf, sampleSource, storeChunks } from './test-data';

async function collect(parts: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

/** The source as the analysis worker holds it: answers made only if read, and none of their texts. */
function withoutAnswers(source: ExportSource): ExportSource {
  return Object.defineProperty({ ...source }, 'answers', {
    get() {
      throw new Error('the answers were read');
    },
  });
}

const TEXT = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('=HYPERLINK("x")', '-2+3', 'a,b', 'line\r\nbreak', '"q"', '🙂🧪 x', ''));

describe('long CSV written from the stored chunks', () => {
  it('is byte for byte longCsvToString when the chunks are in display order, without reading an answer (property)', async () => {
    const project = fc.record({
      ...LONG_PROJECT,
      answers: fc.array(fc.tuple(fc.constantFrom('q-rewards', 'q-barriers'), fc.constantFrom('baseline', '6-months'), fc.nat(6), TEXT), { maxLength: 25 }),
    });
    await fc.assert(
      fc.asyncProperty(project, async (p) => {
        const full = displayOrderedSource(p);
        const respondents = full.respondents;
        const { chunks, reader, reads } = storeChunks(full, p.size);
        const options = longOptionsOf(p, respondents);
        const source = withoutAnswers(full);
        const lookup = new ProjectLookup(source);
        const placement = placementOf(full, chunks);
        const placed = placedAnswers(placement, source, lookup);
        expect(placed).not.toBeNull();
        const parts = await collect(
          longCsvColumnStream(source, placement, placed!, { ...options, rowsPerChunk: p.rowsPerChunk, prefetch: p.prefetch }, reader, lookup),
        );
        expect(parts.join('')).toBe(longCsvToString(full, options));
        for (const part of parts) expect(part.endsWith('\r\n')).toBe(true);
        // Each chunk read at most once, in the chunks' order.
        const order = reads.map((r) => chunks.findIndex((c) => c.questionId === r.questionId && c.waveId === r.waveId && c.index === r.index));
        expect(order).toEqual([...new Set(order)].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });

  it('reads only the chunks with a coded answer', async () => {
    const source = sampleSource();
    source.answers = new ProjectLookup(source).orderedAnswers().slice();
    source.codings = source.codings.filter((c) => c.answerId.startsWith('q-barriers'));
    const { chunks, reader, reads } = storeChunks(source, 1);
    const lookup = new ProjectLookup(source);
    const placement = placementOf(source, chunks);
    const text = (await collect(longCsvColumnStream(source, placement, placedAnswers(placement, source, lookup)!, {}, reader, lookup))).join('');
    expect(text).toBe(longCsvToString(source));
    const coded = new Set(source.codings.map((c) => c.answerId));
    const wanted = chunks.filter((c) => c.respondentIds.some((r) => coded.has(answerId(c.questionId, c.waveId, r))));
    expect(wanted.length).toBeLessThan(chunks.length);
    expect(reads.map((r) => `${r.questionId}/${r.index}`)).toEqual(wanted.map((c) => `${c.questionId}/${c.index}`));
  });

  it('is refused when the chunks are not in display order, a respondent is unknown, or an answer repeats', () => {
    const source = sampleSource();
    source.answers = new ProjectLookup(source).orderedAnswers().slice();
    const { chunks } = storeChunks(source, 2);
    const lookup = new ProjectLookup(source);
    expect(columnsInDisplayOrder(chunks, source, lookup)).toBe(true);
    expect(columnsInDisplayOrder([...chunks].reverse(), source, lookup)).toBe(false);
    const ghost = chunks.map((c, i) => (i === 0 ? { ...c, respondentIds: ['ghost', ...c.respondentIds.slice(1)] } : c));
    expect(columnsInDisplayOrder(ghost, source, lookup)).toBe(false);
    const repeated = [chunks[0], ...chunks];
    expect(columnsInDisplayOrder(repeated, source, lookup)).toBe(false);
    // Codings counted against other codings than the source's are not placed.
    expect(placedAnswers({ columns: chunks, positions: new Int32Array(source.codings.length + 1) }, source, lookup)).toBeNull();
  });
});
