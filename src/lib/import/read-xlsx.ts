/**
 * Reading one sheet of an .xlsx workbook into rows of strings, with
 * read-excel-file's "universal" entry (no Node APIs, no nested workers, so it runs
 * inside our own import worker as it is).
 */

import { readSheet } from 'read-excel-file/universal';
import { ImportError } from './types';
import { checkXlsxArchive } from './xlsx-safety';

export interface XlsxRows {
  /** Non-blank rows of the sheet, as strings. */
  rows: string[][];
  /** Spreadsheet row number of each entry of `rows`. */
  rowNumbers: number[];
  /** Every sheet in tab order. */
  sheetNames: string[];
  /** The sheet that was read. */
  sheetName: string;
}

/**
 * Reads a sheet (the first unless `sheet` names one) as strings:
 * text as it is (not trimmed; CRLF → LF), numbers as Excel shows them (no
 * trailing ".0", at most 15 significant digits, whole numbers kept digit for digit
 * so long IDs survive), dates as ISO strings ("2024-03-01", or
 * "2024-03-01T09:30:00" with a time), booleans as TRUE/FALSE, empty cells as "".
 *
 * The archive is checked first (checkXlsxArchive): a zip bomb or a part with a
 * DOCTYPE is refused before the library unpacks anything.
 *
 * @throws ImportError when the file is unsafe, not a readable workbook, or has no such sheet.
 */
export async function readXlsxRows(bytes: Uint8Array, fileName: string, sheet?: string): Promise<XlsxRows> {
  const { workbook } = checkXlsxArchive(bytes, fileName, () => notReadable(fileName));
  if (!workbook) throw notReadable(fileName);
  const sheetNames = readSheetNames(workbook);
  if (sheetNames.length === 0) throw notReadable(fileName);
  let sheetName = sheetNames[0];
  if (sheet !== undefined) {
    if (!sheetNames.includes(sheet)) {
      throw new ImportError(`"${fileName}" has no sheet called "${sheet}". Its sheets are ${sheetNames.map((s) => `"${s}"`).join(', ')}. Choose one of those.`);
    }
    sheetName = sheet;
  }

  let data: unknown[][];
  try {
    data = (await readSheet(toArrayBuffer(bytes), sheetName, {
      // Answers are kept exactly as typed; the import trims only IDs and attributes.
      trim: false,
      // Keep numbers as their XML text, marked as numbers: whole numbers then
      // survive beyond 2^53 (long IDs) and stay distinct from text cells.
      parseNumber: (text: string) => new XlsxNumber(text),
    })) as unknown[][];
  } catch (error) {
    throw notReadable(fileName, error);
  }

  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  for (let r = 0; r < data.length; r++) {
    const source = data[r];
    const row = new Array<string>(source.length);
    let blank = true;
    for (let c = 0; c < source.length; c++) {
      const text = cellToString(source[c]);
      row[c] = text;
      if (blank && text.trim() !== '') blank = false;
    }
    if (blank) continue;
    rows.push(row);
    rowNumbers.push(r + 1);
  }
  return { rows, rowNumbers, sheetNames, sheetName };
}

function notReadable(fileName: string, cause?: unknown): ImportError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code === 'XLS_FILE_NOT_SUPPORTED') {
    return new ImportError(`"${fileName}" is an old-style Excel file (.xls). Open it in Excel and save it as .xlsx or CSV, then import that.`);
  }
  if (!/\.xls[xm]$/i.test(fileName)) {
    return new ImportError(`"${fileName}" is a ZIP archive, not an Excel workbook. If your export is inside it, unzip it and import the CSV or XLSX file.`);
  }
  return new ImportError(
    `"${fileName}" could not be read as an Excel workbook; it may be damaged. Open it in Excel and save it again as .xlsx or CSV, then import that.`,
  );
}

/**
 * Sheet names from xl/workbook.xml, in tab order. (read-excel-file can list
 * sheets only by parsing every sheet.)
 */
function readSheetNames(workbook: Uint8Array): string[] {
  const xml = new TextDecoder().decode(workbook);
  const names: string[] = [];
  // <sheet name="Baseline" sheetId="1" r:id="rId1"/>, possibly with a namespace prefix.
  const sheetTag = /<(?:[A-Za-z_][\w.-]*:)?sheet\b([^>]*)>/g;
  for (let m = sheetTag.exec(xml); m; m = sheetTag.exec(xml)) {
    const name = /\bname\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(m[1]);
    if (name) names.push(unescapeXml(name[1] ?? name[2] ?? ''));
  }
  return names;
}

function unescapeXml(text: string): string {
  return text.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(amp|lt|gt|quot|apos));/g, (_, hex: string, dec: string, named: string) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (dec) return String.fromCodePoint(parseInt(dec, 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[named as 'amp'];
  });
}

/** read-excel-file's universal entry takes an ArrayBuffer (or Blob), not a Uint8Array view. */
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const buffer = bytes.buffer;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return buffer;
  return bytes.slice().buffer;
}

const CR = /\r\n?/g;

/** One cell as the text the user sees in Excel. */
export function cellToString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.indexOf('\r') === -1 ? value : value.replace(CR, '\n');
  if (value instanceof XlsxNumber) return numberText(value.text);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return formatNumber(value);
  if (value instanceof Date) return formatDate(value);
  return String(value);
}

/** A numeric cell's value as written in the sheet's XML. */
class XlsxNumber {
  constructor(readonly text: string) {}
}

/** A numeric cell's XML text as Excel would show it; whole numbers are kept digit for digit. */
export function numberText(raw: string): string {
  if (/^-?\d+$/.test(raw)) return raw;
  const n = Number(raw);
  return Number.isFinite(n) ? formatNumber(n) : raw;
}

/** At most 15 significant digits, as Excel displays: 4.0999999999999996 → "4.1", 1.0 → "1". */
function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) return String(n);
  return String(Number(n.toPrecision(15)));
}

function formatDate(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) return '';
  // Serial day fractions are binary floats (09:30 reads back as 09:29:59.999):
  // round to the second, the finest unit Excel's formats show by default.
  const iso = new Date(Math.round(time / 1000) * 1000).toISOString(); // Excel's floating dates come as UTC
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}
