/**
 * A small RFC 4180 writer for the agreement exports.
 *
 * Text cells that a spreadsheet would read as a formula (starting with = + - @,
 * tab or carriage return) get a leading apostrophe, so a code named
 * "=HYPERLINK(…)" stays text (unless `neutraliseFormulas: false`). Numbers are not text: they are written as
 * numbers and never prefixed, so -0.125 stays a number a spreadsheet can sum.
 * A text that merely looks like a number ("-5") is still text and is prefixed.
 */

/** A number already formatted for output: written as is, never neutralised. */
export interface CsvNumber {
  readonly numeric: string;
}

export type CsvValue = string | number | CsvNumber | null | undefined;

/**
 * A number with a fixed count of decimals ("0.100", not "0.1"). Non-finite
 * numbers become an empty cell; "-0.000" becomes "0.000".
 */
export function csvNumber(value: number, decimals?: number): CsvNumber {
  if (!Number.isFinite(value)) return { numeric: '' };
  const text = decimals === undefined ? String(value) : value.toFixed(decimals);
  return { numeric: /^-0(\.0*)?$/.test(text) ? text.slice(1) : text };
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Whether a spreadsheet would take this text, typed into a cell, for a formula. */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/** Prefixes a text that a spreadsheet would take for a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function quote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export interface CsvOptions {
  /**
   * Also quote text holding '#': a file that opens with '#' comment lines is
   * read with a comment character (R's comment.char, pandas' comment), and
   * those readers leave a '#' inside quotes alone but cut a line at a bare one.
   */
  quoteHash?: boolean;
  /**
   * Prefix formula-like text with an apostrophe (default true). Off writes
   * text exactly as it is, for R, SPSS or Stata, which never run formulas and
   * would otherwise read "'-2+3" where the answer said "-2+3".
   */
  neutraliseFormulas?: boolean;
}

export function csvCell(value: CsvValue, options: CsvOptions = {}): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return csvNumber(value).numeric;
  if (typeof value === 'object') return value.numeric;
  const text = options.neutraliseFormulas === false ? value : neutraliseFormula(value);
  if (options.quoteHash && text.includes('#') && !NEEDS_QUOTES.test(text)) return `"${text}"`;
  return quote(text);
}

export function csvRow(cells: readonly CsvValue[], options: CsvOptions = {}): string {
  return cells.map((cell) => csvCell(cell, options)).join(',');
}

/** Rows joined with CRLF, as RFC 4180 asks, ending with a line break. */
export function toCsv(rows: readonly (readonly CsvValue[])[], options: CsvOptions = {}): string {
  return rows.map((row) => `${csvRow(row, options)}\r\n`).join('');
}
