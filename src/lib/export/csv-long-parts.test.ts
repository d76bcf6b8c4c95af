// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { longCsvToString } from './csv-long';
import { longCsvColumnStream, placedAnswers } from './csv-long-columns';
import { longCsvParts, longCsvReads, LongPartWriter, utf8Length, type LongCsvParts } from './csv-long-parts';
import type { AnswerChunkReader } from './csv-long-stream';
import { ProjectLookup } from './project-lookup';
import { displayOrderedSource, LONG_PROJECT, longOptionsOf, placementOf, sampleSource, storeChunks } from './test-data';

/** Writes every part as the long-CSV workers do (each chunk read in the part's order) and joins the file. */
async function written(file: LongCsvParts, reader: AnswerChunkReader, bufferBytes?: number): Promise<string> {
  const blobs: Blob[] = [new Blob([file.header])];
  for (const part of file.parts) {
    const writer = new LongPartWriter(part, bufferBytes);
    for (const chunk of part.chunks) writer.chunk(await reader.read(chunk));
    expect(writer.rows).toBe(part.offset.length);
    blobs.push(writer.finish());
  }
  blobs.push(new Blob([file.strays]));
  // Blob.text() would drop a byte-order mark.
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Blob(blobs).arrayBuffer());
}

async function collect(parts: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const part of parts) out += part;
  return out;
}

const TEXT = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('=HYPERLINK("x")', '-2+3', 'a,b', 'line\r\nbreak', '"q"', '🙂🧪 x', ''));

describe('long CSV written as parts', () => {
  it('joins to longCsvToString byte for byte, in any number of parts and buffer sizes (property)', async () => {
    const project = fc.record({
      ...LONG_PROJECT,
      answers: fc.array(fc.tuple(fc.constantFrom('q-rewards', 'q-barriers'), fc.constantFrom('baseline', '6-months'), fc.nat(6), TEXT), { maxLength: 25 }),
      partCount: fc.integer({ min: 1, max: 5 }),
      bufferBytes: fc.integer({ min: 1, max: 200 }),
      leaveOut: fc.nat(30),
    });
    await fc.assert(
      fc.asyncProperty(project, async (p) => {
        const full = displayOrderedSource(p);
        const respondents = full.respondents;
        // Some answers left out of the stored chunks: their codings are the strays, written last.
        const left = full.answers[p.leaveOut]?.id;
        const { chunks, reader } = storeChunks(full, p.size, (id) => id === left);
        const options = longOptionsOf(p, respondents);
        const lookup = new ProjectLookup(full);
        const placement = placementOf(full, chunks);
        const placed = placedAnswers(placement, full, lookup);
        expect(placed).not.toBeNull();
        const file = longCsvParts(full, placement, placed!, options, lookup, longCsvReads(placement, p.partCount));
        expect(file.parts.length).toBeLessThanOrEqual(p.partCount);
        const expected = await collect(longCsvColumnStream(full, placement, placed!, options, reader, lookup));
        expect(await written(file, reader, p.bufferBytes)).toBe(expected);
        if (left === undefined) expect(expected).toBe(longCsvToString(full, options));
        // No chunk is read by two parts.
        const keys = file.parts.flatMap((part) => part.chunks.map((c) => `${c.questionId}/${c.waveId}/${c.index}`));
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 300 },
    );
  });

  it('splits at chunk boundaries into parts of near-equal rows', () => {
    const source = sampleSource();
    source.answers = new ProjectLookup(source).orderedAnswers().slice();
    const { chunks } = storeChunks(source, 1);
    const lookup = new ProjectLookup(source);
    const placement = placementOf(source, chunks);
    const file = longCsvParts(source, placement, placedAnswers(placement, source, lookup)!, {}, lookup, longCsvReads(placement, 2));
    expect(file.parts).toHaveLength(2);
    expect(file.parts[0].offset.length + file.parts[1].offset.length).toBe(file.rows);
    expect(Math.abs(file.parts[0].offset.length - file.parts[1].offset.length)).toBeLessThanOrEqual(Math.ceil(file.rows / 2));
  });

  it('quotes nothing from a chunk that is gone or no longer the one planned, as the streamed file does', async () => {
    const source = sampleSource();
    source.answers = new ProjectLookup(source).orderedAnswers().slice();
    const { chunks, reader } = storeChunks(source, 2);
    const lookup = new ProjectLookup(source);
    const placement = placementOf(source, chunks);
    const placed = placedAnswers(placement, source, lookup)!;
    const changed: AnswerChunkReader = {
      keys: reader.keys,
      read: async (key) => {
        const read = await reader.read(key);
        if (key.index === 0) return undefined;
        return read && { respondentIds: [...read.respondentIds].reverse(), texts: read.texts };
      },
    };
    const file = longCsvParts(source, placement, placed, {}, lookup, longCsvReads(placement, 3));
    const text = await written(file, changed);
    expect(text).toBe(await collect(longCsvColumnStream(source, placement, placed, {}, changed, lookup)));
    // Nothing quoted but the header's column names and each row's other cells.
    for (const answer of source.answers) if (answer.text.length > 3) expect(text).not.toContain(answer.text);
  });

  it('refuses a part read out of step', () => {
    const source = sampleSource();
    source.answers = new ProjectLookup(source).orderedAnswers().slice();
    const { chunks } = storeChunks(source, 1);
    const lookup = new ProjectLookup(source);
    const placement = placementOf(source, chunks);
    const [part] = longCsvParts(source, placement, placedAnswers(placement, source, lookup)!, {}, lookup, longCsvReads(placement, 1)).parts;
    const writer = new LongPartWriter(part);
    expect(() => writer.finish()).toThrow(/were read/);
    for (let i = 0; i < part.chunks.length; i++) writer.chunk(undefined);
    expect(() => writer.chunk(undefined)).toThrow(/chunks/);
  });

  it('counts a text’s UTF-8 bytes as TextEncoder writes them, lone surrogates included (property)', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(utf8Length(text)).toBe(encoder.encode(text).length);
      }),
      { numRuns: 500 },
    );
  });
});
