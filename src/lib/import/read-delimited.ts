/**
 * Reading CSV / TSV / semicolon-separated text into rows of strings.
 *
 * Built on papaparse's low-level `Papa.Parser` rather than `Papa.parse(text, { chunk })`:
 * `Papa.parse` over a string runs every chunk synchronously in one go, so a
 * worker could never receive a "cancel" message while it runs. Driving the same
 * parser chunk by chunk ourselves lets {@link readDelimitedAsync} yield to the
 * event loop between chunks (progress and cancel work), lets a large file be
 * decoded piece by piece instead of as one giant string, and keeps spreadsheet
 * row numbers exact across chunk boundaries for error messages.
 */

import Papa from 'papaparse';
import { CsvParser } from './csv-parser';
import { ByteCsvParser } from './byte-csv-parser';
import { createChunkDecoder } from './decode';
import { utf8CellDecoder } from './utf8-cells';
import { DEFERRED, DeferredCells } from './deferred-cells';
import { throwIfCancelled, yieldToEventLoop } from './cancel';
import { ImportError, type ProgressReporter, type SourceEncoding } from './types';

/** Delimiters we detect, in papaparse's order of preference for equally good guesses. */
export const DELIMITERS_TO_GUESS = [',', ';', '\t'];

/** Characters per parse step: big enough to keep papaparse fast, small enough for smooth progress. */
const CHUNK_CHARS = 4 * 1024 * 1024;
/** The async reader lets the event loop run after about this many characters (unless `chunkSize` is smaller). */
const YIELD_CHARS = 2 * 1024 * 1024;
/** Bytes per decode step when reading straight from a file's bytes. */
const CHUNK_BYTES = 4 * 1024 * 1024;
/** The delimiter and line-ending guess looks at (at least) this much of the start of the file. */
const GUESS_CHARS = 64 * 1024;

export interface ReadDelimitedOptions {
  onProgress?: ProgressReporter;
  signal?: AbortSignal;
  /** For tests: parse in smaller steps, to exercise chunk boundaries. */
  chunkSize?: number;
}

export interface DelimitedResult {
  /** Every non-blank record of the file, header rows included; CR and CRLF inside cells are LF. */
  rows: string[][];
  /** ",", ";" or "\t". */
  delimiter: string;
  /** Spreadsheet-style (1-based) row number of each entry of `rows`; differs from index + 1 when blank lines were skipped. */
  rowNumbers: number[];
  /** Non-fatal findings for the preview, e.g. stray quote marks. */
  notes: string[];
  /** Long cells still as UTF-8 bytes (see deferred-cells.ts), when the reader was asked to defer them. */
  deferred?: DeferredCells;
}

/** Where the parser gets its text from, one piece at a time, and how far along it is. */
export interface ChunkSource {
  /** The next piece of text, or null at the end. */
  next(): string | null;
  /** Progress in the source's own unit (characters or bytes). */
  readonly done: number;
  readonly total: number;
}

/** Pieces of a string. */
export function stringSource(text: string, chunkSize = CHUNK_CHARS): ChunkSource {
  let pos = 0;
  let finished = false;
  return {
    next() {
      if (finished) return null;
      const end = Math.min(text.length, pos + chunkSize);
      // substring makes a cheap slice in V8, not a copy.
      const piece = text.substring(pos, end);
      pos = end;
      finished = end >= text.length;
      return piece;
    },
    get done() {
      return pos;
    },
    get total() {
      return text.length;
    },
  };
}

/**
 * Pieces of a file's bytes, decoded as they are read. `bytes` must not include
 * the BOM. With encoding 'utf-8', invalid UTF-8 throws NotUtf8Error from next().
 */
export function bytesSource(bytes: Uint8Array, encoding: SourceEncoding, chunkSize = CHUNK_BYTES): ChunkSource {
  const decoder = createChunkDecoder(encoding);
  let pos = 0;
  let finished = false;
  return {
    next() {
      if (finished) return null;
      const end = Math.min(bytes.length, pos + chunkSize);
      finished = end >= bytes.length;
      const piece = decoder.decode(bytes.subarray(pos, end), finished);
      pos = end;
      return piece;
    },
    get done() {
      return pos;
    },
    get total() {
      return bytes.length;
    },
  };
}

/**
 * Parses delimited text synchronously.
 *
 * - Detects the delimiter among `,` `;` and tab (papaparse's `delimitersToGuess`,
 *   which prefers the delimiter giving the most consistent cell count over the
 *   first rows, so a `;` file with commas in its answers still picks `;`).
 * - Handles quoted fields, embedded newlines and doubled quotes.
 * - Skips blank records: empty lines and lines with only delimiters/whitespace.
 * - Normalises CRLF and lone CR inside cells to LF.
 * - Progress: `onProgress(charactersConsumed, totalCharacters, 'parsing')` after each chunk.
 * - Cancel: checked between chunks; throws a DOMException named "AbortError"
 *   (see cancel.ts). Being synchronous, it only sees an abort that happened
 *   before the call or from inside `onProgress`; in a worker use
 *   {@link readDelimitedAsync}, which yields to the event loop between chunks.
 *
 * @throws ImportError for an unclosed quote, naming the row where the quote opens.
 */
export function readDelimited(text: string, opts: ReadDelimitedOptions = {}): DelimitedResult {
  const source = stringSource(text, opts.chunkSize);
  let head = '';
  let piece: string | null = null;
  while (head.length < GUESS_CHARS && (piece = source.next()) !== null) head += piece;
  const reader = new DelimitedReader(head);
  let pending: string | null = head;
  for (;;) {
    throwIfCancelled(opts.signal);
    const last = piece === null;
    reader.push(pending ?? '', last);
    if (last) break;
    opts.onProgress?.(source.done, source.total, 'parsing');
    throwIfCancelled(opts.signal);
    pending = piece = source.next();
  }
  opts.onProgress?.(source.total, source.total, 'parsing');
  return reader.result();
}

/** {@link readDelimited}, yielding to the event loop between chunks so a worker can cancel it. */
export function readDelimitedAsync(text: string, opts: ReadDelimitedOptions = {}): Promise<DelimitedResult> {
  return readDelimitedSource(stringSource(text, opts.chunkSize), opts);
}

/** A source of text whose pieces may arrive asynchronously (a file being streamed and decoded). */
export interface AsyncChunkSource {
  /** The next piece of text, or null at the end. */
  next(): string | null | Promise<string | null>;
  readonly done: number;
  readonly total: number;
  /** Stops the source early (cancel, an error in the file): releases the file's stream. */
  close?(): Promise<void>;
}

/**
 * Like {@link readDelimitedAsync}, but over any source of text pieces, e.g.
 * {@link bytesSource} or a file's stream. Yields to the event loop about every
 * {@link YIELD_CHARS} characters, so cancel and progress messages get through
 * however the source delivers its pieces.
 */
export async function readDelimitedSource(source: AsyncChunkSource, opts: ReadDelimitedOptions = {}): Promise<DelimitedResult> {
  try {
    return await parseSource(source, opts);
  } finally {
    await source.close?.();
  }
}

async function parseSource(source: AsyncChunkSource, opts: ReadDelimitedOptions): Promise<DelimitedResult> {
  let head = '';
  let piece: string | null = null;
  while (head.length < GUESS_CHARS) {
    throwIfCancelled(opts.signal);
    piece = await source.next();
    if (piece === null) break;
    head += piece;
  }
  const reader = new DelimitedReader(head);
  let sinceYield = head.length;
  let pending: string | null = head;
  for (;;) {
    throwIfCancelled(opts.signal);
    const last = piece === null;
    reader.push(pending ?? '', last);
    if (last) break;
    opts.onProgress?.(source.done, source.total, 'parsing');
    if (sinceYield >= (opts.chunkSize ?? YIELD_CHARS)) {
      sinceYield = 0;
      await yieldToEventLoop();
      throwIfCancelled(opts.signal);
    }
    piece = await source.next();
    pending = piece;
    if (piece !== null) sinceYield += piece.length;
  }
  opts.onProgress?.(source.total, source.total, 'parsing');
  return reader.result();
}

/**
 * Where the byte parser gets a UTF-8 file from: pieces of bytes as they stream
 * (several at a time, joined once by the parser), and how far along it is.
 */
export interface AsyncByteSource {
  /** The next pieces (together about a megabyte), or null at the end. */
  next(): Promise<Uint8Array[] | null>;
  readonly done: number;
  readonly total: number;
  close?(): Promise<void>;
}

/** The start of a UTF-8 file the dialect guess reads (as text), and the byte parser parses again (as bytes). */
const GUESS_BYTES = GUESS_CHARS;

/**
 * {@link readDelimitedSource} for UTF-8 without decoding the file: records and
 * cells are found in the bytes and each cell is decoded on its own (see
 * byte-csv-parser.ts). `strict`: the file had no BOM, so invalid UTF-8 throws
 * NotUtf8Error (the caller reads it again as Windows-1252); with a BOM invalid
 * bytes become U+FFFD, as the text path's decoder makes them.
 */
export async function readDelimitedBytes(
  source: AsyncByteSource,
  strict: boolean,
  opts: ReadDelimitedOptions & { defer?: DeferOptions } = {},
): Promise<DelimitedResult> {
  try {
    const head: Uint8Array[] = [];
    let headBytes = 0;
    let pieces: Uint8Array[] | null = null;
    while (headBytes < GUESS_BYTES) {
      throwIfCancelled(opts.signal);
      pieces = await source.next();
      if (pieces === null) break;
      for (const piece of pieces) {
        head.push(piece);
        headBytes += piece.length;
      }
    }
    // Decoded only for the guess (papaparse reads text); a character cut at the end waits for bytes that never come.
    const guess = createChunkDecoder(strict ? 'utf-8' : 'utf-8-bom');
    const decode = utf8CellDecoder(strict);
    const defer = opts.defer;
    const deferred = defer ? new DeferredCells(utf8CellDecoder(strict), strict, defer.minBytes) : undefined;
    const reader = new DelimitedReader(head.map((piece) => guess.decode(piece, false)).join(''), decode, deferred, defer?.afterRecords);
    let sinceYield = headBytes;
    let pending: Uint8Array[] = head;
    for (;;) {
      throwIfCancelled(opts.signal);
      const last = pieces === null;
      reader.pushBytes(pending, last);
      if (last) break;
      opts.onProgress?.(source.done, source.total, 'parsing');
      if (sinceYield >= (opts.chunkSize ?? YIELD_CHARS)) {
        sinceYield = 0;
        await yieldToEventLoop();
        throwIfCancelled(opts.signal);
      }
      pieces = await source.next();
      pending = pieces ?? [];
      for (const piece of pending) sinceYield += piece.length;
    }
    opts.onProgress?.(source.total, source.total, 'parsing');
    return reader.result();
  } finally {
    await source.close?.();
  }
}

const CR = /\r\n?/g;

/**
 * Records read as strings before any cell is deferred: the header rows, and the
 * rows the format detection looks at (readSource decodes any deferred cell
 * there anyway; this only spares it the work).
 */
const HEAD_RECORDS = 512;

/** Which cells {@link readDelimitedBytes} keeps as bytes (deferred-cells.ts); the defaults are for tests to lower. */
export interface DeferOptions {
  /** Cells of at least this many bytes (default DEFER_MIN_BYTES). */
  minBytes?: number;
  /** Only after this many records (default 512). */
  afterRecords?: number;
}

/**
 * Turns records from {@link CsvParser} into the rows the import keeps: blank
 * records dropped (their row numbers kept for the others), CR and CRLF in cells
 * made LF, and quote problems turned into errors or notes.
 */
class DelimitedReader {
  readonly delimiter: string;
  private readonly parser: CsvParser | ByteCsvParser;
  private readonly rows: string[][] = [];
  private readonly rowNumbers: number[] = [];
  private readonly oddQuoteRows = new Set<number>();

  /** `decode`: the parser reads UTF-8 bytes ({@link pushBytes}) and decodes each cell with it. */
  private readonly deferred: DeferredCells | undefined;

  /** `deferred`: long cells are kept there as bytes (byte parser only; see deferred-cells.ts). */
  constructor(head: string, decode?: (bytes: Uint8Array, start: number, end: number) => string, deferred?: DeferredCells, deferAfter = HEAD_RECORDS) {
    this.deferred = deferred;
    const { delimiter, newline } = guessDialect(head);
    this.delimiter = delimiter;
    const { rows, rowNumbers, oddQuoteRows } = this;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- read by the record callback
    const reader = this;
    const options: ConstructorParameters<typeof CsvParser>[0] = {
      delimiter,
      newline,
      onRecord(row, rowNumber) {
        if (isBlankRecord(row)) return;
        const lastCell = row.length - 1;
        // A file that mostly ends lines with LF but has a few CRLF lines leaves a CR on the last cell.
        // Pieces without a CR (most LF files) skip a second pass over every cell.
        if (reader.crSeen) {
          // A deferred cell drops its CR in the store, and makes CR LF when it is decoded.
          if (newline === '\n' && row[lastCell] === DEFERRED) deferred!.dropTrailingCr(row, lastCell);
          else if (newline === '\n' && row[lastCell].endsWith('\r')) row[lastCell] = row[lastCell].slice(0, -1);
          for (let c = 0; c < row.length; c++) {
            if (row[c].indexOf('\r') !== -1) row[c] = row[c].replace(CR, '\n');
          }
        }
        rows.push(row);
        rowNumbers.push(rowNumber);
      },
      // papaparse-style recovery keeps the stray quote in the cell. If the recovery
      // swallowed a delimiter, the row comes out short and the ragged-row check
      // reports it. If it swallowed a line break, the cell ran on to the next
      // quote, taking whole rows with it: the respondents on them would vanish into
      // this answer with the right number of cells, so that is an error too.
      // Otherwise a note is enough.
      onInvalidQuote(row, cells) {
        // Rare: the row's long cells are decoded now, for the check and for good.
        deferred?.resolveRow(cells);
        if (cells.some((cell) => cell.includes('\n') || cell.includes('\r'))) {
          throw new ImportError(
            `Row ${row} has a quote mark (") that is closed in an unexpected place, so the lines after it would be read into one answer. ` +
              `Check the quotes in row ${row} (inside a quoted answer, a quote mark is written twice: "") or export the file again, and import again.`,
            { row },
          );
        }
        oddQuoteRows.add(row);
      },
    };
    this.parser = decode ? new ByteCsvParser({ ...options, decode, deferred, deferAfter }) : new CsvParser(options);
  }

  /** Whether the text being parsed (this piece, and the unfinished record carried over from earlier ones) has a CR. */
  crSeen = false;

  push(text: string, last: boolean): void {
    this.crSeen = text.indexOf('\r') !== -1 || (this.crSeen && this.parser.carried);
    (this.parser as CsvParser).push(text, last);
  }

  pushBytes(pieces: Uint8Array[], last: boolean): void {
    let cr = this.crSeen && this.parser.carried;
    for (let i = 0; i < pieces.length && !cr; i++) cr = pieces[i].indexOf(13) !== -1;
    this.crSeen = cr;
    (this.parser as ByteCsvParser).push(pieces, last);
  }

  result(): DelimitedResult {
    const notes: string[] = [];
    const { oddQuoteRows } = this;
    if (oddQuoteRows.size > 0) {
      notes.push(
        `${listRows([...oddQuoteRows])} ${oddQuoteRows.size === 1 ? 'has' : 'have'} a quote mark in an unexpected place; check ${oddQuoteRows.size === 1 ? 'its' : 'their'} answers in the preview.`,
      );
    }
    const result: DelimitedResult = { rows: this.rows, delimiter: this.delimiter, rowNumbers: this.rowNumbers, notes };
    if (this.deferred && this.deferred.size > 0) result.deferred = this.deferred;
    return result;
  }
}

/** "Row 4", "Rows 4 and 9", "Rows 4, 9, 12 and 3 more". */
function listRows(rows: number[]): string {
  rows.sort((a, b) => a - b);
  if (rows.length === 1) return `Row ${rows[0]}`;
  if (rows.length <= 5) return `Rows ${rows.slice(0, -1).join(', ')} and ${rows[rows.length - 1]}`;
  return `Rows ${rows.slice(0, 3).join(', ')} and ${rows.length - 3} more`;
}

/** A record with no content: an empty line, or only delimiters and whitespace. */
function isBlankRecord(row: string[]): boolean {
  for (let c = 0; c < row.length; c++) {
    const cell = row[c];
    if (cell.length !== 0 && cell.trim().length !== 0) return false;
  }
  return true;
}

/** Delimiter and line ending, guessed by papaparse from the first rows. */
function guessDialect(head: string): { delimiter: string; newline: '\n' | '\r' | '\r\n' } {
  if (head.length === 0) return { delimiter: ',', newline: '\n' };
  const guess = Papa.parse<string[]>(head, {
    delimitersToGuess: DELIMITERS_TO_GUESS,
    preview: 10,
    // Without this a trailing empty line counts as a one-cell row and can sink the right guess.
    skipEmptyLines: 'greedy',
  });
  // No delimiter gives two or more cells per row: a one-column file. Any choice
  // reads it the same; ',' is the conventional one.
  const undetectable = guess.errors.some((e) => e.code === 'UndetectableDelimiter');
  const delimiter = undetectable || !DELIMITERS_TO_GUESS.includes(guess.meta.delimiter) ? ',' : guess.meta.delimiter;
  const linebreak = guess.meta.linebreak;
  const newline = linebreak === '\r\n' || linebreak === '\r' ? linebreak : '\n';
  return { delimiter, newline };
}

/** "comma", "semicolon" or "tab", for messages. */
export function delimiterName(delimiter: string | undefined): string {
  if (delimiter === ';') return 'semicolon';
  if (delimiter === '\t') return 'tab';
  return 'comma';
}
