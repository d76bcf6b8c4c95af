/**
 * A streaming CSV/TSV record parser over pieces of text, written for the import.
 *
 * Why our own rather than papaparse's Parser (used before, and still used to guess
 * the dialect): the import feeds text in pieces as the file streams, and papaparse
 * has to be re-created per piece and re-scans the incomplete last record each time;
 * its result also had to be walked again to count records, drop blank ones and find
 * stray CRs. This parser does all of that in one pass, keeps the record count
 * (spreadsheet row numbers) itself, and names the record where an unclosed quote
 * opens. The quoting rules are papaparse's, so files read the same as before:
 *
 * - a field is quoted only when its first character is `"`; `""` inside is a quote;
 * - a closing quote may be followed by spaces, then the delimiter or the newline;
 * - a quote followed by anything else is "invalid": it stays in the cell as a
 *   literal character and the search for the closing quote goes on (reported
 *   through `onInvalidQuote`, with the record number);
 * - only the newline the dialect names ends a record outside quotes.
 *
 * The measured comparison with papaparse, uDSV, d3-dsv and csv-parse is in
 * docs/BENCH.md ("Parsers, same file, same run") and scripts/bench/parsers.ts.
 */

import { ImportError } from './types';

export interface CsvParserOptions {
  delimiter: string;
  newline: '\n' | '\r' | '\r\n';
  /** Called with each record (blank ones too) and its spreadsheet row number (1-based). */
  onRecord(cells: string[], rowNumber: number): void;
  /** Called when a quoted field had a quote that neither closes it nor is doubled. */
  onInvalidQuote?(rowNumber: number, cells: string[]): void;
}

const QUOTE = '"';
const DOUBLED_QUOTES = /""/g;

export class CsvParser {
  /** Records completed so far, blank ones included: the last spreadsheet row number. */
  records = 0;
  private readonly delimiter: string;
  private readonly newline: string;
  private readonly onRecord: CsvParserOptions['onRecord'];
  private readonly onInvalidQuote: CsvParserOptions['onInvalidQuote'];
  /** The incomplete last record of the previous piece, parsed again with the next one. */
  private rest = '';

  constructor(options: CsvParserOptions) {
    if (options.delimiter.length !== 1) throw new Error('CsvParser: the delimiter must be one character');
    this.delimiter = options.delimiter;
    this.newline = options.newline;
    this.onRecord = options.onRecord;
    this.onInvalidQuote = options.onInvalidQuote;
  }

  /** Whether an unfinished record is carried over to the next push. */
  get carried(): boolean {
    return this.rest.length > 0;
  }

  /**
   * Parses every record `text` completes. With `last`, the end of the text ends
   * the last record too.
   * @throws ImportError for a quote still open at the end of the input, naming
   *   the record where it opens.
   */
  push(text: string, last = false): void {
    const input = this.rest.length === 0 ? text : this.rest + text;
    this.rest = '';
    const consumed = this.parse(input, last);
    // The tail pins `input` only until the next push joins it to the next piece.
    if (consumed < input.length && !last) this.rest = input.substring(consumed);
  }

  /** Parses whole records from `input`; returns how far it got (the start of the incomplete record). */
  private parse(input: string, last: boolean): number {
    const { delimiter, newline } = this;
    const newlineLength = newline.length;
    const length = input.length;
    let cursor = 0;
    let recordStart = 0;
    let nextDelimiter = input.indexOf(delimiter, cursor);
    let nextNewline = input.indexOf(newline, cursor);
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

    for (;;) {
      if (cursor >= length) {
        // The text ended just after a delimiter or a newline.
        if (row.length > 0) {
          if (!last) return recordStart;
          row.push('');
          endRecord(length);
        }
        return length;
      }

      if (input.charCodeAt(cursor) === 34 /* " */) {
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
            // A quote at the end of the text: closing only if nothing follows.
            if (!last) return recordStart;
            row.push(unquote(input, open + 1, search));
            endRecord(length);
            return length;
          }
          if (input.charCodeAt(search + 1) === 34) {
            search++;
            continue;
          }
          let after = search + 1;
          while (after < length && input.charCodeAt(after) === 32) after++;
          if (after === length || (newlineLength === 2 && after === length - 1 && input.charCodeAt(after) === 13)) {
            // Cannot tell yet what follows the quote.
            if (!last) return recordStart;
          }
          if (after < length && input[after] === delimiter) {
            row.push(unquote(input, open + 1, search));
            cursor = after + 1;
            break;
          }
          if (after === length || input.startsWith(newline, after)) {
            row.push(unquote(input, open + 1, search));
            endRecord(Math.min(length, after + newlineLength));
            break;
          }
          // A quote inside the field that neither closes it nor is doubled: papaparse keeps it, and so do we.
          invalidQuote = true;
        }
        if (nextDelimiter !== -1 && nextDelimiter < cursor) nextDelimiter = input.indexOf(delimiter, cursor);
        if (nextNewline !== -1 && nextNewline < cursor) nextNewline = input.indexOf(newline, cursor);
        continue;
      }

      if (nextDelimiter !== -1 && (nextDelimiter < nextNewline || nextNewline === -1)) {
        row.push(input.substring(cursor, nextDelimiter));
        cursor = nextDelimiter + 1;
        nextDelimiter = input.indexOf(delimiter, cursor);
        continue;
      }
      if (nextNewline !== -1) {
        row.push(input.substring(cursor, nextNewline));
        endRecord(nextNewline + newlineLength);
        nextNewline = input.indexOf(newline, cursor);
        continue;
      }
      // No delimiter or newline left: the rest is the record's last field.
      if (!last) {
        // A CRLF file whose piece ends in CR would otherwise keep the CR in the cell.
        return recordStart;
      }
      row.push(input.substring(cursor));
      endRecord(length);
      return length;
    }
  }
}

function unquote(input: string, start: number, end: number): string {
  const inner = input.substring(start, end);
  return inner.indexOf('""') === -1 ? inner : inner.replace(DOUBLED_QUOTES, QUOTE);
}
