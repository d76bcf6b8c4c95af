/**
 * Writing an ExportTable as CSV piece by piece, with the agreement exports'
 * RFC 4180 writer (csv-cell.ts): CRLF line ends, quotes where needed, and text
 * that a spreadsheet would run as a formula prefixed with an apostrophe.
 * Numbers are written as numbers and never prefixed.
 *
 * The apostrophe keeps a hostile answer ("=HYPERLINK(…)") inert when the file
 * is opened in Excel, but it changes the data: "-2+3" reads back as "'-2+3".
 * `neutraliseFormulas: false` writes text exactly as it is, for R, SPSS or
 * Stata; such a file is named "…-raw.csv" (csvFileName) so nobody mistakes it
 * for one that is safe to open in a spreadsheet.
 */
import { csvRow } from '../agreement/csv-cell';
import type { ExportTable } from './source';

export interface CsvChunkOptions {
  /** Rows per yielded string; 1 yields line by line. Default 2,000. */
  rowsPerChunk?: number;
  /**
   * Start with a UTF-8 byte order mark, which Excel needs to read non-ASCII
   * text in a CSV as UTF-8 (R's readr and pandas skip it). Default false.
   */
  bom?: boolean;
  /**
   * Prefix text a spreadsheet would run as a formula (= + - @, tab, CR) with
   * an apostrophe. Default true; false keeps every text verbatim.
   */
  neutraliseFormulas?: boolean;
}

/** The options csvText and the whole-string writers take. */
export type CsvTextOptions = Pick<CsvChunkOptions, 'bom' | 'neutraliseFormulas'>;

/** A CSV file's name: "<stem>.csv", or "<stem>-raw.csv" when formulas are not neutralised. */
export function csvFileName(stem: string, options: Pick<CsvChunkOptions, 'neutraliseFormulas'> = {}): string {
  return options.neutraliseFormulas === false ? `${stem}-raw.csv` : `${stem}.csv`;
}

/**
 * The CSV text in chunks of whole lines, header first, each line ending in
 * CRLF. Collect them into a Blob (`new Blob([...chunks])`) so no single giant
 * string is ever built.
 */
export function* csvChunks(table: ExportTable, options: CsvChunkOptions = {}): Generator<string, void, undefined> {
  const perChunk = Math.max(1, Math.floor(options.rowsPerChunk ?? 2000));
  const cells = { neutraliseFormulas: options.neutraliseFormulas ?? true };
  let lines: string[] = [(options.bom ? '\uFEFF' : '') + csvRow(table.header, cells) + '\r\n'];
  if (lines.length >= perChunk) {
    yield lines.join('');
    lines = [];
  }
  for (const row of table.rows) {
    lines.push(csvRow(row, cells) + '\r\n');
    if (lines.length >= perChunk) {
      yield lines.join('');
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join('');
}

/** The whole CSV as one string (convenient for small exports and tests). */
export function csvText(table: ExportTable, options: CsvTextOptions = {}): string {
  let out = '';
  for (const chunk of csvChunks(table, { ...options, rowsPerChunk: 10_000 })) out += chunk;
  return out;
}
