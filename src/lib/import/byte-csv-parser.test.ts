import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { byteSource, decodedSource, groupedSource } from './byte-source';
import { NotUtf8Error } from './decode';
import { readDelimitedBytes, readDelimitedSource, type DelimitedResult } from './read-delimited';
import { readSource } from './read-source';
import { utf8CellDecoder } from './utf8-cells';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A byte source whose stream hands out `bytes` cut exactly at `cuts`. */
function cutSource(bytes: Uint8Array, cuts: number[]) {
  const edges = [0, ...[...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b), bytes.length];
  return {
    size: bytes.length,
    head: async (length: number) => bytes.subarray(0, length),
    async *pieces(start = 0) {
      for (let i = 0; i + 1 < edges.length; i++) {
        const from = Math.max(start, edges[i]);
        if (from < edges[i + 1]) yield bytes.slice(from, edges[i + 1]);
      }
    },
    whole: async () => bytes,
  };
}

/** The result, or the error's class, message and row: two paths must agree on either. */
async function outcome(read: Promise<DelimitedResult>): Promise<unknown> {
  try {
    return await read;
  } catch (error) {
    const e = error as Error & { row?: number };
    return { error: e.name, message: e.message, row: e.row };
  }
}

describe('the UTF-8 byte parser reads a file as the text parser does', () => {
  // Every character that steers the parser, next to multi-byte ones (2, 3 and 4 bytes) it must never split.
  const piece = fc.constantFrom('a', 'b', ' ', '  ', ',', ';', '\t', '"', '""', '\n', '\r', '\r\n', 'é', '’', '😀', 'ß', '1');
  const text = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(''));

  it('any text, cut anywhere (inside characters, between CR and LF): the same rows, notes and errors as decoding it first', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 10 }), fc.integer({ min: 1, max: 32 }), async (input, cutSeeds, pieceBytes) => {
        const bytes = utf8(input);
        const cuts = cutSeeds.map((seed) => seed % (bytes.length + 1));
        const asText = await outcome(readDelimitedSource(decodedSource(byteSource(bytes), 'utf-8', 0)));
        const asBytes = await outcome(readDelimitedBytes(groupedSource(cutSource(bytes, cuts), 0, undefined, pieceBytes), true));
        expect(asBytes).toEqual(asText);
      }),
      { numRuns: 400 },
    );
  });

  const cellChars = fc.constantFrom('a', 'Z', ' ', ',', ';', '"', '\n', '\r\n', '\r', 'é', '’', '😀', '1');
  const cell = fc.array(cellChars, { maxLength: 8 }).map((parts) => parts.join(''));
  const table = fc
    .integer({ min: 2, max: 4 })
    .chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 }));

  it('parsing any table written by papaparse.unparse (LF, CRLF or CR), cut at random bytes, gives the same rows', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.constantFrom(',', ';', '\t'),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 64 }),
        async (rows, newline, delimiter, cutSeeds, pieceBytes) => {
          const withHeader = [rows[0].map((_, i) => `h${i}`), ...rows];
          const bytes = utf8(Papa.unparse(withHeader, { newline, delimiter, quotes: true }));
          const cuts = cutSeeds.map((seed) => seed % (bytes.length + 1));
          const read = await readDelimitedBytes(groupedSource(cutSource(bytes, cuts), 0, undefined, pieceBytes), true);
          expect(read).toEqual(await readDelimitedSource(decodedSource(byteSource(bytes), 'utf-8', 0)));
          // An LF file drops a CR ending a row's last cell (a few CRLF lines in an LF file), quoted or not.
          if (newline === '\n' && rows.some((r) => r[r.length - 1].endsWith('\r'))) return;
          const expected = withHeader.filter((r) => r.some((c) => c.trim() !== '')).map((r) => r.map((c) => c.replace(/\r\n?/g, '\n')));
          expect(read.rows).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the row of an unclosed quote and of a quote that swallows a line, as the text parser does', async () => {
    const unclosed = utf8('id,answer\n1,fine\n\n2,"never closed\n3,more\n');
    await expect(readDelimitedBytes(groupedSource(cutSource(unclosed, [20, 25]), 0, undefined, 3), true)).rejects.toMatchObject({ row: 4 });
    const swallowed = utf8('id,answer\n1,"a "b" c\nd"\n2,ok\n');
    await expect(readDelimitedBytes(groupedSource(cutSource(swallowed, [13]), 0, undefined, 2), true)).rejects.toMatchObject({ row: 2 });
  });

  it('a file that turns out not to be UTF-8 in a late cell is read again as Windows-1252', async () => {
    const bytes = new Uint8Array([...utf8('id,answer\n1,café\n2,'), 0x92, ...utf8('s\n')]);
    const table = await readSource(bytes, 'cp.csv', { pieceChars: 4 });
    expect(table.encoding).toBe('windows-1252');
    expect(table.rows.map((r) => r[1])).toEqual(['cafÃ©', '’s']);
  });

  it('readSource gives the same table from the bytes as from decoded text (BOM or none, CRLF)', async () => {
    const text = 'id,answer,note\r\n1,"first\r\nsecond, with comma","He said ""hi"""\r\n2,café ’quoted’ 😀,x\r\n\r\n3,,"multi\r\n\r\nline"\r\n';
    for (const bytes of [utf8(text), new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)])]) {
      for (const pieceChars of [1, 5, 1 << 20]) {
        const asText = await readSource(bytes, 'x.csv', { pieceChars, utf8AsText: true });
        expect(await readSource(bytes, 'x.csv', { pieceChars })).toEqual(asText);
      }
    }
  });
});

describe('decoding one cell of UTF-8', () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 40 }),
    // ASCII cells, short and long, take the copy-free path.
    fc.string({ maxLength: 80 }).map(utf8),
    fc.string({ unit: 'binary', maxLength: 40 }).map(utf8),
    // Long cells take the scratch array and, past its size, TextDecoder.
    fc.string({ unit: 'binary', minLength: 1000, maxLength: 3000 }).map(utf8),
    fc.constantFrom(0, 1, 2).map((n) => utf8('é’'.repeat(3000 * n + 10))),
  );

  it('strict: the same text as a fatal TextDecoder, or NotUtf8Error where it throws', () => {
    const decode = utf8CellDecoder(true);
    const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(bytes, (b) => {
        let expected: string | null;
        try {
          expected = reference.decode(b);
        } catch {
          expected = null;
        }
        if (expected === null) expect(() => decode(b, 0, b.length)).toThrow(NotUtf8Error);
        else expect(decode(b, 0, b.length)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('lenient: the same text as TextDecoder, invalid bytes as U+FFFD', () => {
    const decode = utf8CellDecoder(false);
    const reference = new TextDecoder('utf-8', { ignoreBOM: true });
    fc.assert(
      fc.property(bytes, fc.nat(), (b, seed) => {
        const start = b.length === 0 ? 0 : seed % b.length;
        expect(decode(b, start, b.length)).toBe(reference.decode(b.subarray(start)));
      }),
      { numRuns: 500 },
    );
  });
});
