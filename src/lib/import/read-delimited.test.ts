import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readDelimited, readDelimitedAsync } from './read-delimited';
import { ImportError } from './types';
import { toCsv } from '../../../tests/fixtures/import/to-csv';

const isBlankRow = (row: string[]) => row.every((cell) => cell.trim() === '');

describe('readDelimited: delimiters', () => {
  it('detects commas', () => {
    expect(readDelimited('a,b\n1,2\n').delimiter).toBe(',');
  });

  it('picks ";" even when answers contain commas', () => {
    const text = 'id;answer\n1;Yes, and also, more\n2;No, not, really, at all\n3;Fine\n';
    const { rows, delimiter } = readDelimited(text);
    expect(delimiter).toBe(';');
    expect(rows[2]).toEqual(['2', 'No, not, really, at all']);
  });

  it('picks tab for a TSV whose answers contain commas and semicolons', () => {
    const { rows, delimiter } = readDelimited('id\tanswer\n1\ta, b; c\n2\td, e\n');
    expect(delimiter).toBe('\t');
    expect(rows).toEqual([
      ['id', 'answer'],
      ['1', 'a, b; c'],
      ['2', 'd, e'],
    ]);
  });

  it('reads a one-column file', () => {
    expect(readDelimited('answer\nyes\nno\n')).toMatchObject({ rows: [['answer'], ['yes'], ['no']], delimiter: ',' });
  });
});

describe('readDelimited: quoting and line breaks', () => {
  it('handles quoted fields, embedded newlines and doubled quotes', () => {
    const text = 'id,answer\r\n1,"She said ""yes"", then left."\r\n2,"line one\r\nline two"\r\n';
    expect(readDelimited(text).rows).toEqual([
      ['id', 'answer'],
      ['1', 'She said "yes", then left.'],
      ['2', 'line one\nline two'],
    ]);
  });

  it('turns CRLF and lone CR inside cells into LF', () => {
    const { rows } = readDelimited('id,answer\n1,"a\r\nb\rc\nd"\n');
    expect(rows[1][1]).toBe('a\nb\nc\nd');
  });

  it('drops the CR a stray CRLF line leaves in an LF file', () => {
    expect(readDelimited('id,answer\n1,yes\r\n2,no\n3,maybe\n').rows.map((r) => r[1])).toEqual(['answer', 'yes', 'no', 'maybe']);
  });

  it('skips empty lines and delimiter-only lines, keeping spreadsheet row numbers', () => {
    const result = readDelimited('id,answer\n\n1,yes\n,\n  ,  \n2,"two\nlines"\n3,no\n\n');
    expect(result.rows).toEqual([
      ['id', 'answer'],
      ['1', 'yes'],
      ['2', 'two\nlines'],
      ['3', 'no'],
    ]);
    // A quoted line break does not start a new spreadsheet row.
    expect(result.rowNumbers).toEqual([1, 3, 6, 7]);
  });

  it('keeps rows that have some empty cells', () => {
    expect(readDelimited('id,a,b\n1,,\n2,,x\n').rows).toEqual([
      ['id', 'a', 'b'],
      ['1', '', ''],
      ['2', '', 'x'],
    ]);
  });

  it('reports an unclosed quote as an ImportError naming the row where it opens', () => {
    const text = 'id,answer\n1,fine\n\n2,"never closed\n3,more\n4,text\n';
    expect(() => readDelimited(text)).toThrow(ImportError);
    try {
      readDelimited(text);
    } catch (error) {
      expect((error as ImportError).row).toBe(4);
      expect((error as ImportError).message).toMatch(/^Row 4 has a quote mark \(".*never closed/);
    }
  });

  it('finds the unclosed quote row across chunk boundaries too', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `${i},answer number ${i}`);
    lines.splice(150, 0, '999,"oops');
    expect(() => readDelimited(['id,answer', ...lines].join('\n'), { chunkSize: 64 })).toThrow(/^Row 152 has a quote mark/);
  });

  it('refuses a stray quote whose recovery runs over a line break, swallowing the next respondent', () => {
    const text = 'id,answer\n1,"Unclosed answer\n2,"Quoted, properly"\n3,Last\n';
    expect(() => readDelimited(text)).toThrow(
      /^Row 2 has a quote mark \(".*closed in an unexpected place, so the lines after it would be read into one answer/,
    );
  });

  it('notes a stray quote papaparse could recover from', () => {
    const { rows, notes } = readDelimited('id,answer\n1,"He said "hi" to me"\n');
    expect(rows[1]).toEqual(['1', 'He said "hi" to me']);
    expect(notes).toEqual(['Row 2 has a quote mark in an unexpected place; check its answers in the preview.']);
  });
});

describe('readDelimited: progress and cancel', () => {
  // Well past the 64K characters the delimiter guess reads in one go.
  const big = toCsv([['id', 'answer'], ...Array.from({ length: 5000 }, (_, i) => [`R${i}`, `Answer ${i}, with "quotes" and\nline breaks`])]);

  it('reports progress in characters, ending at the total', () => {
    const calls: [number, number, string][] = [];
    readDelimited(big, { chunkSize: 1000, onProgress: (done, total, phase) => calls.push([done, total, phase]) });
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.every(([, total, phase]) => total === big.length && phase === 'parsing')).toBe(true);
    expect(calls.map(([done]) => done)).toEqual([...calls.map(([done]) => done)].sort((a, b) => a - b));
    expect(calls[calls.length - 1][0]).toBe(big.length);
  });

  it('throws an AbortError when cancelled before or during a synchronous parse', () => {
    const before = new AbortController();
    before.abort();
    expect(() => readDelimited(big, { signal: before.signal })).toThrow(expect.objectContaining({ name: 'AbortError' }));

    const during = new AbortController();
    expect(() => readDelimited(big, { chunkSize: 1000, signal: during.signal, onProgress: () => during.abort() })).toThrow(
      expect.objectContaining({ name: 'AbortError', message: 'Import cancelled' }),
    );
  });

  it('lets the event loop run between chunks, so a cancel message can arrive', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const parse = readDelimitedAsync(big, { chunkSize: 1000, signal: controller.signal, onProgress: () => chunks++ });
    // Abort from a timer, as a worker's onmessage would: only possible if the parse yields.
    setTimeout(() => controller.abort(), 0);
    await expect(parse).rejects.toMatchObject({ name: 'AbortError' });
    expect(chunks).toBeGreaterThan(0);
    expect(chunks).toBeLessThan((big.length - 65536) / 1000);
  });

  it('gives the same result async as sync', async () => {
    expect(await readDelimitedAsync(big, { chunkSize: 777 })).toEqual(readDelimited(big));
  });
});

describe('readDelimited: properties', () => {
  const cellChars = fc.constantFrom('a', 'b', 'Z', ' ', ',', ';', '\t', '"', '\n', '\r', 'é', '’', '😀', '1');
  const cell = fc.string({ unit: cellChars, maxLength: 12 });
  const table = fc
    .integer({ min: 2, max: 5 })
    .chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 12 }));

  it('reads back any table written as CSV (CR/CRLF in cells become LF, blank rows dropped)', () => {
    fc.assert(
      fc.property(table, fc.constantFrom(',', ';', '\t'), (rows, delimiter) => {
        // Give the delimiter guess a header it can trust, as every real export has.
        const withHeader = [rows[0].map((_, i) => `col${i}`), ...rows];
        const { rows: read } = readDelimited(toCsv(withHeader, delimiter));
        const expected = withHeader.filter((r) => !isBlankRow(r)).map((r) => r.map((c) => c.replace(/\r\n?/g, '\n')));
        expect(read).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same rows whatever the chunk size', () => {
    fc.assert(
      fc.property(table, fc.integer({ min: 1, max: 40 }), (rows, chunkSize) => {
        const text = toCsv([rows[0].map((_, i) => `h${i}`), ...rows]);
        expect(readDelimited(text, { chunkSize })).toEqual(readDelimited(text));
      }),
      { numRuns: 300 },
    );
  });
});
