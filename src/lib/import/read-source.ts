/**
 * The one entry point the import worker calls: a file (or its bytes) in, a
 * {@link SourceTable} out, or an ImportError whose message the user can act on.
 * Text files are read as a stream: only their first bytes are looked at whole.
 */

import { byteSource, decodedSource, findNulBytesStreaming, groupedSource, type ByteSource, type SourceInput } from './byte-source';
import { createChunkDecoder, detectTextEncoding, NotUtf8Error, sniffFile } from './decode';
import { NOT_A_SURVEY_SAMPLE_CHARS, notASurveyMessage } from './not-a-survey';
import { detectFormat, findIncomplete, repeatedHeaderRows } from './detect-format';
import { throwIfCancelled } from './cancel';
import { delimiterName, readDelimitedBytes, readDelimitedSource, type DeferOptions, type DelimitedResult } from './read-delimited';
import { readXlsxRows } from './read-xlsx';
import { cellReader, type DeferredCells } from './deferred-cells';
import { ImportError, type ProgressReporter, type SourceEncoding, type SourceTable } from './types';

/**
 * Largest file the import accepts (1 GiB). Text is decoded and parsed in pieces,
 * so this is not bound by the longest possible JavaScript string; it guards the
 * memory of a browser tab, which has to hold every cell at once.
 */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

/** How much of the start of a file the kind, encoding and not-a-table checks look at. */
const HEAD_BYTES = 64 * 1024;

/** Call with `file.size` before reading a file into memory. @throws ImportError above {@link MAX_IMPORT_BYTES}. */
export function checkFileSize(size: number, name: string): void {
  if (size > MAX_IMPORT_BYTES) {
    throw new ImportError(
      `"${name}" is ${formatSize(size)}, more than Codebench can import at once (${formatSize(MAX_IMPORT_BYTES)}). ` +
        'Split it into smaller files (for example one per wave, or fewer columns) and import them one by one.',
    );
  }
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1).replace(/\.0$/, '')} GB`;
  return `${Math.round(bytes / 1024 ** 2)} MB`;
}

export interface ReadSourceOptions {
  /** XLSX: the sheet to read; the first one when absent. */
  sheet?: string;
  /** Called as the file is parsed; phase is "parsing" (text) or "reading-xlsx". */
  onProgress?: ProgressReporter;
  /** Cancels the read: rejects with a DOMException named "AbortError". */
  signal?: AbortSignal;
  /** For tests: parse decoded text (or UTF-8 bytes) in pieces this small (default about 1M), to exercise boundaries. */
  pieceChars?: number;
  /**
   * For tests and the bench: read UTF-8 as decoded text like the other encodings,
   * rather than parsing its bytes (the two must give the same table).
   */
  utf8AsText?: boolean;
  /**
   * Keep a UTF-8 file's long cells as bytes until they are read (the import
   * worker: see deferred-cells.ts); the table then has `deferred`.
   */
  deferLongCells?: boolean | DeferOptions;
}

/** Data rows the format detection reads (up to row 502): any deferred cell among them is decoded before it runs. */
const DETECTION_ROWS = 512;

/**
 * Reads a CSV, TSV, semicolon-separated or XLSX file into a table.
 *
 * Sniffs the bytes (the file name is only used in messages), decodes text
 * (UTF-8 with or without BOM, UTF-16 with BOM or recognised without one, else
 * Windows-1252), refuses text that is plainly not a table (a web page, JSON,
 * XML, NUL bytes) with a message naming it, parses it,
 * recognises the survey tool and its header rows, and checks that every answer
 * row fits the header.
 *
 * Ragged rows (text files; XLSX rows always line up): a row with more cells than
 * the header is an error unless the extra cells are all empty (a trailing
 * delimiter); a row with fewer cells is an error unless every missing cell falls
 * under a blank header. Both usually mean an unquoted delimiter or line break in
 * an answer, which would shift answers onto the wrong question or respondent, so
 * we stop rather than pad silently.
 *
 * @throws ImportError for empty, header-only, binary, old .xls, unreadable
 *   .xlsx, ragged or badly quoted files, and duplicate column names.
 * @throws DOMException "AbortError" when `signal` fires.
 */
export async function readSource(input: SourceInput, fileName: string, opts: ReadSourceOptions = {}): Promise<SourceTable> {
  const { signal, onProgress } = opts;
  throwIfCancelled(signal);
  const bytes = byteSource(input);
  checkFileSize(bytes.size, fileName);

  const head = await bytes.head(HEAD_BYTES);
  let kind = sniffFile(head);
  // Blank as far as the head goes is not blank: the parse decides (and says "empty" if so).
  if (kind === 'empty' && head.length < bytes.size) kind = 'text';
  if (kind === 'empty') {
    throw new ImportError(`"${fileName}" is empty. Export the survey results again and import the new file.`);
  }
  if (kind === 'xls') {
    throw new ImportError(
      /\.xls[xm]$/i.test(fileName)
        ? `"${fileName}" is password-protected or saved in an old Excel format. Remove the password (or save it as .xlsx or CSV) and import again.`
        : `"${fileName}" is an old-style Excel file (.xls). Open it in Excel and save it as .xlsx or CSV, then import that.`,
    );
  }
  if (kind === 'gzip') {
    throw new ImportError(
      `"${fileName}" is a compressed (gzip) file. If it is a Codebench project file (.codebench.json.gz), open it with “Open a project file…” on the start page; if it holds a survey export, uncompress it first and import the file inside.`,
    );
  }
  if (kind === 'pdf') {
    throw new ImportError(`"${fileName}" is a PDF document, not a survey export. Export the survey results as CSV or Excel (.xlsx) and import that.`);
  }
  if (kind === 'binary') {
    throw new ImportError(`"${fileName}" doesn't look like a CSV, TSV or Excel file. Export the survey results as CSV or Excel (.xlsx) and import that.`);
  }

  let rows: string[][];
  let rowNumbers: number[];
  let encoding: SourceEncoding;
  let delimiter: string | undefined;
  let sheetNames: string[] | undefined;
  let sheetName: string | undefined;
  let deferred: DeferredCells | undefined;
  const notes: string[] = [];

  if (kind === 'xlsx') {
    onProgress?.(0, 1, 'reading-xlsx');
    // A workbook is a zip, read whole; its size is bounded by checkFileSize and the zip checks.
    const sheet = await readXlsxRows(await bytes.whole(), fileName, opts.sheet);
    throwIfCancelled(signal);
    onProgress?.(1, 1, 'reading-xlsx');
    ({ rows, rowNumbers, sheetNames, sheetName } = sheet);
    encoding = 'xlsx';
  } else {
    checkTextIsATable(head, fileName);
    const text = await readText(bytes, head, fileName, opts);
    ({ rows, rowNumbers, delimiter, deferred } = text.result);
    encoding = text.encoding;
    notes.push(...text.result.notes);
    if (text.bomless) {
      notes.push(`The file is UTF-16 without a byte-order mark; it was read as UTF-16 (${encoding === 'utf-16le' ? 'little' : 'big'}-endian).`);
    }
    if (encoding === 'windows-1252') {
      notes.push(
        'The file is not UTF-8, so it was read as Windows-1252 (Western European). If accented letters look wrong, save it as "CSV UTF-8" and import again.',
      );
    }
  }

  if (rows.length === 0) {
    if (sheetNames && sheetNames.length > 1) {
      const others = sheetNames.filter((name) => name !== sheetName).map((name) => `"${name}"`);
      throw new ImportError(`The sheet "${sheetName}" in "${fileName}" is empty. Choose another sheet: ${others.join(', ')}.`);
    }
    throw new ImportError(`"${fileName}" is empty. Export the survey results again and import the new file.`);
  }

  if (deferred) for (let r = 0; r < Math.min(rows.length, DETECTION_ROWS); r++) deferred.resolveRow(rows[r]);
  const detected = detectFormat(rows, fileName);
  const { headerRowCount, columns } = detected;
  if (rows.length <= headerRowCount) {
    throw new ImportError(
      headerRowCount > 1
        ? `"${fileName}" has only header rows but no answers. Check that the export includes the responses and import again.`
        : `"${fileName}" has a header row but no answers. Check that the export includes the responses and import again.`,
    );
  }

  let dataRows = headerRowCount === 0 ? rows : rows.slice(headerRowCount);
  let dataRowNumbers = rowNumbers.slice(headerRowCount);
  // Exports pasted one under another repeat their header rows; those are no respondents.
  const cell = cellReader({ deferred });
  const repeated = repeatedHeaderRows(rows.slice(0, Math.max(headerRowCount, 1)), dataRows, cell);
  if (repeated.length > 0) {
    const skip = new Set(repeated);
    notes.push(repeatedHeaderNote(repeated.map((r) => dataRowNumbers[r])));
    dataRows = dataRows.filter((_, r) => !skip.has(r));
    dataRowNumbers = dataRowNumbers.filter((_, r) => !skip.has(r));
    if (dataRows.length === 0) {
      throw new ImportError(`"${fileName}" has only header rows but no answers. Check that the export includes the responses and import again.`);
    }
  }
  // A column is headerless only if every header row is blank there (SurveyMonkey
  // leaves row 1 blank over a question's extra option columns).
  const headerBlank = columns.map((_, c) => rows.slice(0, headerRowCount).every((row) => (row[c] ?? '').trim() === ''));
  fitRowsToHeader(dataRows, dataRowNumbers, columns.length, headerBlank, delimiter);

  const firstRowNumber = dataRowNumbers[0];
  const consecutive = dataRowNumbers[dataRowNumbers.length - 1] - firstRowNumber === dataRowNumbers.length - 1;
  const table: SourceTable = {
    fileName,
    format: detected.format,
    encoding,
    columns,
    rows: dataRows,
    firstRowNumber,
    notes: [...detected.notes, ...notes],
  };
  if (delimiter !== undefined) table.delimiter = delimiter;
  if (sheetNames) {
    table.sheetNames = sheetNames;
    table.sheetName = sheetName;
  }
  if (!consecutive) table.rowNumbers = dataRowNumbers;
  if (deferred) table.deferred = deferred;
  const unfinished = findIncomplete(detected.format, columns, dataRows, cell);
  if (unfinished) {
    table.incomplete = unfinished.incomplete;
    table.notes.splice(detected.notes.length, 0, unfinished.note);
  }
  return table;
}

/** "Rows 40 and 41 repeat the header…", listing at most five row numbers. */
function repeatedHeaderNote(rowNumbers: number[]): string {
  const shown = rowNumbers.slice(0, 5).map(String);
  const more = rowNumbers.length - shown.length;
  const list =
    more > 0 ? `${shown.join(', ')} and ${more} more` : shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return `${rowNumbers.length === 1 ? 'Row' : 'Rows'} ${list} ${rowNumbers.length === 1 ? 'repeats' : 'repeat'} the header (files pasted one under another?), so ${rowNumbers.length === 1 ? 'it was skipped rather than read as a respondent' : 'they were skipped rather than read as respondents'}.`;
}

/**
 * Refuses text that is not a table before it is parsed as one: a web page,
 * JSON or XML (named), from the first bytes of the file.
 */
function checkTextIsATable(bytes: Uint8Array, fileName: string): void {
  const { encoding, bomLength } = detectTextEncoding(bytes);
  const label = encoding === 'utf-16le' || encoding === 'utf-16be' ? encoding : 'utf-8';
  // UTF-8 takes at most 4 bytes (UTF-16 2 or 4) a character; a cut character at the end decodes as U+FFFD, harmlessly.
  const sample = bytes.subarray(bomLength, bomLength + NOT_A_SURVEY_SAMPLE_CHARS * 4);
  const start = createChunkDecoder(label === 'utf-8' ? 'utf-8-bom' : label).decode(sample, true);
  const message = notASurveyMessage(start, fileName);
  if (message) throw new ImportError(message);
}

/**
 * Decodes and parses a text file as it streams; restarts as Windows-1252 when it
 * is not UTF-8. NUL bytes in 8-bit text are checked in every piece before it is
 * parsed, and named (how many, where the first is) whatever else is wrong.
 */
async function readText(
  bytes: ByteSource,
  head: Uint8Array,
  fileName: string,
  { onProgress, signal, pieceChars, utf8AsText, deferLongCells }: ReadSourceOptions,
): Promise<{ result: DelimitedResult; encoding: SourceEncoding; bomless: boolean }> {
  const detected = detectTextEncoding(head);
  const encoding: SourceEncoding = detected.encoding ?? 'utf-8';
  const eightBit = encoding !== 'utf-16le' && encoding !== 'utf-16be';
  const checkNul = eightBit ? (piece: Uint8Array) => void (piece.indexOf(0) >= 0 && (nulSeen = true)) : undefined;
  let nulSeen = false;
  const onBytes = (piece: Uint8Array) => {
    checkNul?.(piece);
    if (nulSeen) throw new NulBytesFound();
  };
  const parse = async (as: SourceEncoding) => {
    try {
      // UTF-8 is parsed as bytes, each cell decoded alone (byte-csv-parser.ts): faster, and no cell pins a decoded piece.
      if ((as === 'utf-8' || as === 'utf-8-bom') && !utf8AsText) {
        return await readDelimitedBytes(groupedSource(bytes, detected.bomLength, onBytes, pieceChars), as === 'utf-8', {
          onProgress,
          signal,
          defer: deferLongCells === true ? {} : deferLongCells || undefined,
        });
      }
      return await readDelimitedSource(decodedSource(bytes, as, detected.bomLength, onBytes, pieceChars), { onProgress, signal });
    } catch (error) {
      // A NUL is reported rather than whatever else the parse found before reaching it.
      if (eightBit && (nulSeen || error instanceof ImportError)) {
        const nul = await findNulBytesStreaming(bytes);
        if (nul) throw nulMessage(nul, fileName);
      }
      throw error;
    }
  };
  try {
    return { result: await parse(encoding), encoding, bomless: detected.bomless };
  } catch (error) {
    if (!(error instanceof NotUtf8Error)) throw error;
  }
  return { result: await parse('windows-1252'), encoding: 'windows-1252', bomless: false };
}

/** Stops a parse at the first piece with a NUL byte; readText names them all. */
class NulBytesFound extends Error {}

function nulMessage(nul: { count: number; offset: number; line: number }, fileName: string): ImportError {
  const what = nul.count === 1 ? 'a NUL byte' : `${nul.count.toLocaleString('en-US')} NUL bytes`;
  return new ImportError(
    `"${fileName}" contains ${what} (the first on line ${nul.line.toLocaleString('en-US')}, at byte ${nul.offset.toLocaleString('en-US')}), which no survey export has: ` +
      'the file was probably damaged, or padded with zeros, when it was saved or copied. ' +
      'Export the survey again (or open the file in a text editor and delete them), then import it again.',
  );
}

/**
 * Makes every data row exactly `width` cells long, or throws for a ragged row
 * (see readSource for the rule). Rows are changed in place.
 */
function fitRowsToHeader(rows: string[][], rowNumbers: number[], width: number, headerBlank: boolean[], delimiter: string | undefined): void {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.length === width) continue;
    const rowNumber = rowNumbers[i];
    if (row.length > width) {
      let extraBlank = true;
      for (let c = width; c < row.length && extraBlank; c++) extraBlank = row[c].trim() === '';
      if (extraBlank) {
        row.length = width;
        continue;
      }
      throw new ImportError(
        `Row ${rowNumber} has ${row.length} cells, but the header has ${width}. ` +
          `An answer in that row probably contains a ${delimiterName(delimiter)} without quotes around it, which shifts the rest of the row. ` +
          `Put that answer in double quotes (or export the file again from the survey tool) and import again.`,
        { row: rowNumber },
      );
    }
    let missingBlank = true;
    for (let c = row.length; c < width && missingBlank; c++) missingBlank = headerBlank[c];
    if (missingBlank) {
      for (let c = row.length; c < width; c++) row.push('');
      continue;
    }
    throw new ImportError(
      `Row ${rowNumber} has ${row.length} cell${row.length === 1 ? '' : 's'}, but the header has ${width}. ` +
        `An answer with a line break but no quotes around it splits a row in two, and hand-edited files can lose cells. ` +
        `Fix row ${rowNumber} (or export the file again from the survey tool) and import again.`,
      { row: rowNumber },
    );
  }
}
