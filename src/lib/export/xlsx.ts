/**
 * A minimal Office Open XML workbook (.xlsx), written by hand and zipped with
 * fflate: content types, package and workbook relationships, a workbook, a
 * style sheet and one worksheet per sheet. Text cells are inline strings
 * (`t="inlineStr"`), which Excel, LibreOffice, Google Sheets and R's readxl
 * all read; numbers are numeric cells. The first row of each sheet is a bold,
 * frozen header unless `header: false`.
 *
 * Text stays exactly as given: a cell typed as a string is text to every
 * spreadsheet whatever it starts with, and this writer never writes a formula
 * (`<f>`), so "=HYPERLINK(…)", "+44 20 7946 0958" and "-2+3" are inert as they
 * are and need no apostrophe (which the CSV exports add, since a CSV cell has
 * no type). Text starting with = + - @, tab or CR also gets a style with
 * `quotePrefix="1"` (ECMA-376 Part 1, 18.8.45 `xf`: the text is shown as if
 * typed with a leading quote mark, which is not part of the value), so a user
 * who edits such a cell in Excel and presses Enter keeps text, not a formula.
 *
 * What does change on the way in:
 * - characters XML 1.0 cannot hold (control characters other than tab, LF and
 *   CR, lone surrogates, U+FFFE/U+FFFF) are dropped (see xml-text.ts);
 * - text longer than Excel's 32,767-character cell limit is cut there (the CSV
 *   exports keep the whole text).
 * Non-finite numbers and null are empty cells.
 *
 * The output is deterministic: every zip entry has the same fixed date, and
 * nothing depends on the clock or the locale.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { looksLikeFormula } from '../agreement/csv-cell';
import type { ExportCell } from './source';
import { sanitiseSheetNames } from './sheet-names';
import { dropIllegalXmlChars, escapeXml } from './xml-text';

export interface XlsxSheet {
  name: string;
  rows: ExportCell[][];
  /** Show the first row bold and keep it in view when scrolling. Default true. */
  header?: boolean;
}

export const MAX_XLSX_ROWS = 1_048_576;
export const MAX_XLSX_COLUMNS = 16_384;
export const MAX_XLSX_CELL_TEXT = 32_767;

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
// Local-time constructor: fflate writes DOS dates from local fields, so this gives the same bytes in every time zone.
const FIXED_DATE = new Date(1980, 0, 1, 0, 0, 0);

/** "A", "B", … "Z", "AA", … for a 0-based column. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** The text as stored in a cell: XML-safe and within Excel's limit, otherwise verbatim. */
export function xlsxCellText(text: string): string {
  const safe = dropIllegalXmlChars(text);
  if (safe.length <= MAX_XLSX_CELL_TEXT) return safe;
  const high = safe.charCodeAt(MAX_XLSX_CELL_TEXT - 1);
  return safe.slice(0, high >= 0xd800 && high <= 0xdbff ? MAX_XLSX_CELL_TEXT - 1 : MAX_XLSX_CELL_TEXT);
}

/** Indexes into the style sheet's cellXfs (STYLES below). */
export const XLSX_STYLE = { normal: 0, header: 1, quoted: 2, quotedHeader: 3 } as const;

function styleAttr(index: number): string {
  return index === 0 ? '' : ` s="${index}"`;
}

function cellXml(ref: string, value: ExportCell, header: boolean): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return `<c r="${ref}"${styleAttr(header ? XLSX_STYLE.header : XLSX_STYLE.normal)}><v>${Object.is(value, -0) ? 0 : value}</v></c>`;
  }
  const text = xlsxCellText(value);
  if (text === '') return '';
  const quoted = looksLikeFormula(text);
  const style = header ? (quoted ? XLSX_STYLE.quotedHeader : XLSX_STYLE.header) : quoted ? XLSX_STYLE.quoted : XLSX_STYLE.normal;
  return `<c r="${ref}"${styleAttr(style)} t="inlineStr"><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`;
}

/** Column widths from the first rows' text lengths, so a sheet opens readable. */
function colsXml(rows: ExportCell[][], width: number): string {
  if (width === 0) return '';
  const chars = new Array<number>(width).fill(0);
  for (const row of rows.slice(0, 200)) {
    row.forEach((v, c) => {
      const length = v === null ? 0 : typeof v === 'number' ? String(v).length : Math.max(...v.split('\n').map((l) => l.length));
      chars[c] = Math.max(chars[c], length);
    });
  }
  const cols = chars.map((n, c) => `<col min="${c + 1}" max="${c + 1}" width="${Math.min(60, Math.max(8, n + 2))}" customWidth="1"/>`);
  return `<cols>${cols.join('')}</cols>`;
}

function sheetXml(sheet: XlsxSheet): string {
  const rows = sheet.rows;
  if (rows.length > MAX_XLSX_ROWS) throw new RangeError(`Sheet "${sheet.name}" has ${rows.length} rows; a worksheet holds at most ${MAX_XLSX_ROWS}.`);
  const width = rows.reduce((max, row) => Math.max(max, row.length), 0);
  if (width > MAX_XLSX_COLUMNS) throw new RangeError(`Sheet "${sheet.name}" has ${width} columns; a worksheet holds at most ${MAX_XLSX_COLUMNS}.`);
  const header = (sheet.header ?? true) && rows.length > 0;
  const letters = Array.from({ length: width }, (_, c) => columnName(c));
  const parts: string[] = [XML_HEAD, `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">`];
  parts.push(`<dimension ref="A1${width > 0 && rows.length > 0 ? `:${letters[width - 1]}${rows.length}` : ''}"/>`);
  parts.push(
    header
      ? '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
      : '<sheetViews><sheetView workbookViewId="0"/></sheetViews>',
  );
  parts.push('<sheetFormatPr defaultRowHeight="15"/>', colsXml(rows, width), '<sheetData>');
  rows.forEach((row, r) => {
    const bold = header && r === 0;
    let cells = '';
    for (let c = 0; c < row.length; c++) cells += cellXml(`${letters[c]}${r + 1}`, row[c], bold);
    parts.push(`<row r="${r + 1}">${cells}</row>`);
  });
  parts.push('</sheetData></worksheet>');
  return parts.join('');
}

const STYLES =
  XML_HEAD +
  `<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

/**
 * The workbook's bytes. Sheet names are made valid and unique (see
 * sheet-names.ts). Throws RangeError for no sheets, or a sheet over Excel's
 * row or column limits.
 */
export function writeXlsx(sheets: XlsxSheet[]): Uint8Array {
  if (sheets.length === 0) throw new RangeError('A workbook needs at least one sheet.');
  const names = sanitiseSheetNames(sheets.map((s) => s.name));
  const n = sheets.length;
  const sheetIds = sheets.map((_, i) => i + 1);
  const files: Zippable = {};
  files['[Content_Types].xml'] = strToU8(
    XML_HEAD +
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      `<Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/>` +
      sheetIds.map((id) => `<Override PartName="/xl/worksheets/sheet${id}.xml" ContentType="${CT}.worksheet+xml"/>`).join('') +
      `<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/>` +
      '</Types>',
  );
  files['_rels/.rels'] = strToU8(
    XML_HEAD +
      `<Relationships xmlns="${PKG_REL_NS}">` +
      `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
      '</Relationships>',
  );
  files['xl/workbook.xml'] = strToU8(
    XML_HEAD +
      `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
      '<bookViews><workbookView activeTab="0"/></bookViews><sheets>' +
      sheetIds.map((id, i) => `<sheet name="${escapeXml(names[i])}" sheetId="${id}" r:id="rId${id}"/>`).join('') +
      '</sheets></workbook>',
  );
  files['xl/_rels/workbook.xml.rels'] = strToU8(
    XML_HEAD +
      `<Relationships xmlns="${PKG_REL_NS}">` +
      sheetIds.map((id) => `<Relationship Id="rId${id}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${id}.xml"/>`).join('') +
      `<Relationship Id="rId${n + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>` +
      '</Relationships>',
  );
  files['xl/styles.xml'] = strToU8(STYLES);
  sheets.forEach((sheet, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(sheetXml(sheet));
  });
  return zipSync(files, { level: 6, mtime: FIXED_DATE });
}
