import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { byteSource, decodedSource, findNulBytesStreaming } from './byte-source';
import { findNulBytes } from './decode';
import { readDelimitedSource } from './read-delimited';
import { readSource } from './read-source';
import { ImportError } from './types';

const utf8 = (text: string) => new TextEncoder().encode(text);

function utf16(text: string, littleEndian: boolean, bom = true): Uint8Array {
  const start = bom ? 2 : 0;
  const out = new Uint8Array(start + text.length * 2);
  const view = new DataView(out.buffer);
  if (bom) view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++) view.setUint16(start + i * 2, text.charCodeAt(i), littleEndian);
  return out;
}

/**
 * A Blob whose stream hands out `bytes` cut exactly at `cuts` (byte offsets),
 * as a browser's File stream hands out pieces wherever it likes. Counts the
 * streams opened and cancelled.
 */
function cutBlob(bytes: Uint8Array, cuts: number[], stats = { opened: 0, cancelled: 0 }): Blob {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  const blob = {
    size: bytes.length,
    slice(start = 0, end = bytes.length) {
      return cutBlob(
        bytes.subarray(start, end),
        points.map((c) => c - start),
        stats,
      );
    },
    async arrayBuffer() {
      return bytes.slice().buffer;
    },
    stream() {
      stats.opened++;
      const edges = [0, ...points, bytes.length];
      let i = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (i + 1 >= edges.length) return controller.close();
          controller.enqueue(bytes.slice(edges[i], edges[i + 1]));
          i++;
        },
        cancel() {
          stats.cancelled++;
        },
      });
    },
  };
  return blob as unknown as Blob;
}

/** Every cut at one position, for files small enough to try them all. */
const everyCut = (bytes: Uint8Array) => Array.from({ length: bytes.length + 1 }, (_, i) => [i]);

async function rowsOf(blob: Blob, pieceChars = 1): Promise<string[][]> {
  return (await readSource(blob, 'cut.csv', { pieceChars })).rows;
}

describe('reading a file as a stream: pieces cut anywhere give the same table', () => {
  const csv = 'id,answer,note\r\n1,"first line\r\nsecond, with comma","He said ""hi"""\r\n2,café ’quoted’ 😀,"x"\r\n3,,"multi\r\n\r\nline"\r\n';

  it('a cut inside a quoted multi-line cell, inside a doubled quote, or between CR and LF', async () => {
    const bytes = utf8(csv);
    const whole = await rowsOf(cutBlob(bytes, []), 1 << 20);
    expect(whole).toEqual([
      ['1', 'first line\nsecond, with comma', 'He said "hi"'],
      ['2', 'café ’quoted’ 😀', 'x'],
      ['3', '', 'multi\n\nline'],
    ]);
    for (const cuts of everyCut(bytes)) expect(await rowsOf(cutBlob(bytes, cuts))).toEqual(whole);
  });

  it('a cut inside a multi-byte UTF-8 character (2, 3 and 4 bytes)', async () => {
    const bytes = utf8('id,answer\né,ü’😀x\n2,€😀\n');
    const whole = (await rowsOf(cutBlob(bytes, []), 1 << 20)).map((r) => r.join('|'));
    expect(whole).toEqual(['é|ü’😀x', '2|€😀']);
    for (const cuts of everyCut(bytes)) {
      const table = await readSource(cutBlob(bytes, cuts), 'cut.csv', { pieceChars: 1 });
      expect(table.encoding).toBe('utf-8');
      expect(table.rows.map((r) => r.join('|'))).toEqual(whole);
    }
  });

  it('a cut inside a UTF-16 surrogate pair or code unit, little- and big-endian, with and without BOM', async () => {
    // Long enough in plain letters for UTF-16 to be recognised without a BOM.
    const text = 'id\tanswer\r\n1\t😀 a “b”\r\n2\t"x\r\n😀"\r\n3\tplain answer in Latin letters\r\n';
    for (const littleEndian of [true, false]) {
      for (const bom of [true, false]) {
        const bytes = utf16(text, littleEndian, bom);
        const expected = [
          ['1', '😀 a “b”'],
          ['2', 'x\n😀'],
          ['3', 'plain answer in Latin letters'],
        ];
        for (const cuts of everyCut(bytes)) {
          const table = await readSource(cutBlob(bytes, cuts), 'cut.txt', { pieceChars: 1 });
          expect(table.encoding).toBe(littleEndian ? 'utf-16le' : 'utf-16be');
          expect(table.rows).toEqual(expected);
        }
      }
    }
  });

  it('a cut inside the BOM', async () => {
    const bytes = utf8('\uFEFFid,answer\n1,yes\n');
    for (const cuts of [[1], [2], [1, 2], [3]]) {
      const table = await readSource(cutBlob(bytes, cuts), 'bom.csv', { pieceChars: 1 });
      expect(table).toMatchObject({ encoding: 'utf-8-bom', columns: [{ key: 'id' }, { key: 'answer' }], rows: [['1', 'yes']] });
    }
  });

  it('restarts the stream as Windows-1252 when a later piece is not UTF-8', async () => {
    const bytes = new Uint8Array([...utf8('id,answer\n1,plain\n2,it'), 0x92, ...utf8('s fine\n')]);
    const stats = { opened: 0, cancelled: 0 };
    const table = await readSource(cutBlob(bytes, [5, 12, 20], stats), 'cp.csv', { pieceChars: 1 });
    expect(table.encoding).toBe('windows-1252');
    expect(table.rows[1]).toEqual(['2', 'it’s fine']);
    expect(stats.opened).toBe(2);
  });

  it('names NUL bytes found in a later piece: how many, the line and byte of the first', async () => {
    const text = 'id,answer\n1,ok\n2,bad\0here\n3,also\0\n';
    const bytes = utf8(text);
    const expected = findNulBytes(bytes)!;
    expect(await findNulBytesStreaming(byteSource(cutBlob(bytes, [3, 17, 18, 30])))).toEqual(expected);
    await expect(readSource(cutBlob(bytes, [17]), 'nul.csv', { pieceChars: 1 })).rejects.toThrow(
      `"nul.csv" contains 2 NUL bytes (the first on line 3, at byte ${expected.offset})`,
    );
  });

  it('names the row of an unclosed quote, whatever the pieces', async () => {
    const bytes = utf8('id,answer\n1,fine\n\n2,"never closed\n3,more\n');
    for (const cuts of everyCut(bytes)) {
      const error = await readSource(cutBlob(bytes, cuts), 'q.csv', { pieceChars: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportError);
      expect((error as ImportError).row).toBe(4);
    }
  });

  it('cancels mid-parse with an AbortError and closes the stream', async () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `${i},"answer ${i}\nsecond line"`);
    const bytes = utf8(['id,answer', ...lines].join('\n'));
    const stats = { opened: 0, cancelled: 0 };
    const controller = new AbortController();
    const progress: number[] = [];
    const cuts = Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) => i * 4096);
    const read = readSource(cutBlob(bytes, cuts, stats), 'big.csv', {
      signal: controller.signal,
      pieceChars: 8192,
      onProgress: (done) => {
        progress.push(done);
        if (progress.length === 3) controller.abort();
      },
    });
    await expect(read).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress[progress.length - 1]).toBeLessThan(bytes.length);
    expect(stats.cancelled).toBe(stats.opened);
  });
});

describe('reading a file as a stream: properties', () => {
  const cellChars = fc.constantFrom('a', 'Z', ' ', ',', ';', '"', '\n', '\r\n', 'é', '’', '😀', '1');
  const cell = fc.array(cellChars, { maxLength: 8 }).map((parts) => parts.join(''));
  const table = fc
    .integer({ min: 2, max: 4 })
    .chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 }));

  it('parsing any table written by papaparse.unparse, streamed in pieces cut at random bytes, gives the same rows', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.constantFrom<'utf-8' | 'utf-16le' | 'utf-16be'>('utf-8', 'utf-16le', 'utf-16be'),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 64 }),
        async (rows, encoding, cutSeeds, pieceChars) => {
          const withHeader = [rows[0].map((_, i) => `h${i}`), ...rows];
          const text = Papa.unparse(withHeader, { newline: '\r\n' });
          const body = encoding === 'utf-8' ? utf8(text) : utf16(text, encoding === 'utf-16le', false);
          const cuts = cutSeeds.map((seed) => seed % (body.length + 1));
          const read = await readDelimitedSource(decodedSource(byteSource(cutBlob(body, cuts)), encoding, 0, undefined, pieceChars));
          const whole = await readDelimitedSource(decodedSource(byteSource(body), encoding, 0));
          expect(read).toEqual(whole);
          const expected = withHeader.filter((r) => r.some((c) => c.trim() !== '')).map((r) => r.map((c) => c.replace(/\r\n?/g, '\n')));
          expect(read.rows).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
