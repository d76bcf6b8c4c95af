/**
 * {@link CsvParser}'s quoting rules over UTF-8 bytes instead of decoded text.
 *
 * Why: in Chromium, decoding a whole file's UTF-8 costs more than parsing it,
 * and cells sliced from big decoded pieces are two-byte strings (a piece with
 * one character above U+00FF is two-byte throughout) that pin the piece. Every
 * byte the parser looks for (quote, delimiter, CR, LF, space) is ASCII, and in
 * UTF-8 no byte of a multi-byte character is below 0x80, so records and cells
 * can be found in the bytes and each cell decoded on its own: a cell of Latin
 * text becomes a one-byte string, and no cell holds on to anything larger.
 *
 * The rules, record numbers and callbacks are CsvParser's, so both read a file
 * the same (tested against each other in byte-csv-parser.test.ts).
 */

import { ImportError } from './types';
import type { CsvParserOptions } from './csv-parser';
import type { DeferredCells } from './deferred-cells';

export interface ByteCsvParserOptions extends CsvParserOptions {
  /** The text of the bytes `start`…`end` of `bytes`: a whole cell, never part of a UTF-8 character. */
  decode(bytes: Uint8Array, start: number, end: number): string;
  /**
   * Long cells are kept here as bytes instead of being decoded (deferred-cells.ts),
   * from record `deferAfter` + 1 on (the header rows and the rows the format
   * detection reads stay strings).
   */
  deferred?: DeferredCells;
  deferAfter?: number;
}

const QUOTE = 34;
const SPACE = 32;
const CR = 13;
const LF = 10;
const DOUBLED_QUOTES = /""/g;

export class ByteCsvParser {
  /** Records completed so far, blank ones included: the last spreadsheet row number. */
  records = 0;
  private readonly delimiter: number;
  /** The first byte of the newline, and whether it is CRLF. */
  private readonly newlineByte: number;
  private readonly crlf: boolean;
  private readonly onRecord: CsvParserOptions['onRecord'];
  private readonly onInvalidQuote: CsvParserOptions['onInvalidQuote'];
  private readonly decode: ByteCsvParserOptions['decode'];
  private readonly deferred: DeferredCells | undefined;
  private readonly deferAfter: number;
  /**
   * Where pieces are joined, reused push after push (cells are copied out as
   * strings, so nothing keeps it): its first `restLength` bytes are the
   * incomplete last record of the previous push.
   */
  private buffer = new Uint8Array(0);
  private restLength = 0;

  constructor(options: ByteCsvParserOptions) {
    const code = options.delimiter.charCodeAt(0);
    if (options.delimiter.length !== 1 || code >= 0x80) throw new Error('ByteCsvParser: the delimiter must be one ASCII character');
    this.delimiter = code;
    this.newlineByte = options.newline === '\n' ? LF : CR;
    this.crlf = options.newline === '\r\n';
    this.onRecord = options.onRecord;
    this.onInvalidQuote = options.onInvalidQuote;
    this.decode = options.decode;
    this.deferred = options.deferred;
    this.deferAfter = options.deferAfter ?? 0;
  }

  /** Whether an unfinished record is carried over to the next push. */
  get carried(): boolean {
    return this.restLength > 0;
  }

  /**
   * Parses every record the pieces complete (joined after what the last push
   * left). With `last`, the end of the input ends the last record too.
   * @throws ImportError for a quote still open at the end of the input, naming
   *   the record where it opens.
   */
  push(pieces: Uint8Array | readonly Uint8Array[], last = false): void {
    const list = ArrayBuffer.isView(pieces) ? [pieces] : (pieces as readonly Uint8Array[]);
    let input: Uint8Array;
    if (this.restLength === 0 && list.length === 1) {
      input = list[0];
    } else {
      let total = this.restLength;
      for (const piece of list) total += piece.length;
      this.reserve(total);
      let at = this.restLength;
      for (const piece of list) {
        this.buffer.set(piece, at);
        at += piece.length;
      }
      input = this.buffer.subarray(0, total);
    }
    const consumed = this.parse(input, last);
    const rest = last ? 0 : input.length - consumed;
    if (rest > 0) {
      if (input.buffer === this.buffer.buffer) this.buffer.copyWithin(0, consumed, input.length);
      else {
        this.reserve(rest);
        this.buffer.set(input.subarray(consumed));
      }
    }
    this.restLength = rest;
  }

  /** Room for `length` bytes in the buffer, keeping the carried record at its start. */
  private reserve(length: number): void {
    if (this.buffer.length >= length) return;
    const grown = new Uint8Array(Math.max(length, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.restLength));
    this.buffer = grown;
  }

  private nextNewline(input: Uint8Array, from: number): number {
    let at = input.indexOf(this.newlineByte, from);
    if (!this.crlf) return at;
    while (at !== -1 && input[at + 1] !== LF) at = input.indexOf(CR, at + 1);
    return at;
  }

  private newlineAt(input: Uint8Array, at: number): boolean {
    if (input[at] !== this.newlineByte) return false;
    return !this.crlf || input[at + 1] === LF;
  }

  /** Parses whole records from `input`; returns how far it got (the start of the incomplete record). */
  private parse(input: Uint8Array, last: boolean): number {
    const { delimiter, decode } = this;
    const newlineLength = this.crlf ? 2 : 1;
    const length = input.length;
    let cursor = 0;
    let recordStart = 0;
    let nextDelimiter = input.indexOf(delimiter, cursor);
    let nextNewline = this.nextNewline(input, cursor);
    let row: string[] = [];
    let invalidQuote = false;

    const endRecord = (next: number) => {
      this.records++;
      if (invalidQuote) {
        invalidQuote = false;
        this.onInvalidQuote?.(this.records, row);
      }
      this.onRecord(row, this.records);
      row = [];
      cursor = next;
      recordStart = next;
    };
    const deferred = this.deferred && this.records >= this.deferAfter ? this.deferred : undefined;
    const unquote = (start: number, end: number) => {
      if (deferred && deferred.worth(input, start, end)) return deferred.add(row, input, start, end, true);
      const inner = decode(input, start, end);
      return inner.indexOf('""') === -1 ? inner : inner.replace(DOUBLED_QUOTES, '"');
    };
    const plain = (start: number, end: number) =>
      deferred && end - start >= deferred.minBytes && deferred.worth(input, start, end)
        ? deferred.add(row, input, start, end, false)
        : decode(input, start, end);

    for (;;) {
      if (cursor >= length) {
        // The input ended just after a delimiter or a newline.
        if (row.length > 0) {
          if (!last) return recordStart;
          row.push('');
          endRecord(length);
        }
        return length;
      }

      if (input[cursor] === QUOTE) {
        const open = cursor;
        let search = cursor;
        for (;;) {
          search = input.indexOf(QUOTE, search + 1);
          if (search === -1) {
            if (!last) return recordStart;
            const rowNumber = this.records + 1;
            throw new ImportError(
              `Row ${rowNumber} has a quote mark (") that is never closed, so everything after it would be read as one answer. ` +
                `Add the missing closing quote in row ${rowNumber} (or export the file again) and import again.`,
              { row: rowNumber },
            );
          }
          if (search === length - 1) {
            // A quote at the end of the input: closing only if nothing follows.
            if (!last) return recordStart;
            row.push(unquote(open + 1, search));
            endRecord(length);
            return length;
          }
          if (input[search + 1] === QUOTE) {
            search++;
            continue;
          }
          let after = search + 1;
          while (after < length && input[after] === SPACE) after++;
          if (after === length || (newlineLength === 2 && after === length - 1 && input[after] === CR)) {
            // Cannot tell yet what follows the quote.
            if (!last) return recordStart;
          }
          if (after < length && input[after] === delimiter) {
            row.push(unquote(open + 1, search));
            cursor = after + 1;
            break;
          }
          if (after === length || this.newlineAt(input, after)) {
            row.push(unquote(open + 1, search));
            endRecord(Math.min(length, after + newlineLength));
            break;
          }
          // A quote inside the field that neither closes it nor is doubled: papaparse keeps it, and so do we.
          invalidQuote = true;
        }
        if (nextDelimiter !== -1 && nextDelimiter < cursor) nextDelimiter = input.indexOf(delimiter, cursor);
        if (nextNewline !== -1 && nextNewline < cursor) nextNewline = this.nextNewline(input, cursor);
        continue;
      }

      if (nextDelimiter !== -1 && (nextDelimiter < nextNewline || nextNewline === -1)) {
        row.push(plain(cursor, nextDelimiter));
        cursor = nextDelimiter + 1;
        nextDelimiter = input.indexOf(delimiter, cursor);
        continue;
      }
      if (nextNewline !== -1) {
        row.push(plain(cursor, nextNewline));
        endRecord(nextNewline + newlineLength);
        nextNewline = this.nextNewline(input, cursor);
        continue;
      }
      // No delimiter or newline left: the rest is the record's last field.
      if (!last) {
        // A CRLF file whose input ends in CR would otherwise keep the CR in the cell.
        return recordStart;
      }
      row.push(plain(cursor, length));
      endRecord(length);
      return length;
    }
  }
}
