/**
 * Long cells of a UTF-8 file kept as their bytes until something reads them.
 *
 * Why: a survey file is mostly answer text, and the preview needs little of it
 * (whether a cell is blank, a few samples, an even sample for the plan). Made
 * into one string per cell as the file is parsed, a 100k-row file's 800k
 * answers were ~60 % of the parse's CPU time in a profile: the decode, and the
 * garbage collector copying every new string out of the young generation
 * (they all survive) and marking them again and again as the heap grows. Here
 * each long cell's bytes are copied into large arenas (no JS object per cell,
 * nothing for the collector to trace) and decoded once, when the batch is
 * built, straight into the answers it stores.
 *
 * In a row, a deferred cell holds {@link DEFERRED}; `text(row, c)` gives its
 * text. A file read as UTF-8 never has a NUL (the reader refuses one), so no
 * real cell equals it. A deferred cell is never blank (it has a printable ASCII
 * character), so `isBlank` answers rightly on the marker, and every other use
 * must go through {@link cellReader} (or `text`).
 */

import { NotUtf8Error } from './decode';
import type { CellDecoder } from './utf8-cells';

/** What a deferred cell holds in its row. */
export const DEFERRED = '\u0000';

/** Cells of at least this many bytes are deferred: answers, not IDs, waves or attribute values. */
export const DEFER_MIN_BYTES = 48;

/** Bytes per arena: big enough that few exist, small enough to grow without copying much. */
const ARENA_BYTES = 8 * 1024 * 1024;

const QUOTED = 1;
const INVALID = 2;
const DOUBLED_QUOTES = /""/g;
const CR = /\r\n?/g;

export class DeferredCells {
  #arenas: Uint8Array[] = [];
  #arena = new Uint8Array(0);
  #used = 0;
  /** Per deferred cell: its arena, where it starts and its length in bytes; and apart, QUOTED | INVALID. */
  #where = new Uint32Array(1024 * 3);
  #flags = new Uint8Array(1024);
  #count = 0;
  /** The id of each row's first deferred cell; the others follow in column order. */
  #firstOf = new Map<string[], number>();
  /** The row the last cell was added to (its cells come one after another). */
  #lastRow: string[] | undefined;
  readonly #decode: CellDecoder;
  readonly #strict: boolean;

  /** Cells shorter than this (in bytes) stay strings. */
  readonly minBytes: number;

  /**
   * `decode` turns a cell's bytes into its text; `strict`: bytes that are not
   * UTF-8 throw NotUtf8Error as they are added. `minBytes`: for tests.
   */
  constructor(decode: CellDecoder, strict: boolean, minBytes = DEFER_MIN_BYTES) {
    this.#decode = decode;
    this.#strict = strict;
    this.minBytes = minBytes;
  }

  /** How many cells are deferred. */
  get size(): number {
    return this.#count;
  }

  /** Bytes held in arenas (memory outside the JS heap), for the bench. */
  get bytes(): number {
    let total = 0;
    for (const arena of this.#arenas) total += arena.length;
    return total;
  }

  /**
   * Whether the bytes `start`…`end` may be deferred: long enough, and holding a
   * printable ASCII character, so never blank however it is trimmed.
   */
  worth(bytes: Uint8Array, start: number, end: number): boolean {
    if (end - start < this.minBytes) return false;
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (b > 32 && b < 127) return true;
    }
    return false;
  }

  /**
   * Keeps the cell `bytes[start…end)` as the next cell of `row` (which it is
   * about to be pushed to), and returns the marker to push. `quoted`: its
   * doubled quotes are one quote each.
   * @throws NotUtf8Error (strict) when the bytes are not UTF-8.
   */
  add(row: string[], bytes: Uint8Array, start: number, end: number, quoted: boolean): string {
    const length = end - start;
    let flags = quoted ? QUOTED : 0;
    // One pass: ASCII up to the first byte that is not, then UTF-8 validity from there (a CR is looked for on decoding).
    let i = start;
    while (i < end && bytes[i] < 0x80) i++;
    if (i < end && !isUtf8(bytes, i, end)) {
      if (this.#strict) throw new NotUtf8Error();
      // Decoded with U+FFFD where the bytes are not UTF-8: their length is not counted from the bytes.
      flags |= INVALID;
    }
    if (this.#used + length > this.#arena.length) {
      this.#arena = new Uint8Array(Math.max(ARENA_BYTES, length));
      this.#arenas.push(this.#arena);
      this.#used = 0;
    }
    this.#arena.set(bytes.subarray(start, end), this.#used);
    const id = this.#count++;
    if (id * 3 + 3 > this.#where.length) {
      const where = new Uint32Array(this.#where.length * 2);
      where.set(this.#where);
      this.#where = where;
      const flagged = new Uint8Array(this.#flags.length * 2);
      flagged.set(this.#flags);
      this.#flags = flagged;
    }
    this.#where[id * 3] = this.#arenas.length - 1;
    this.#where[id * 3 + 1] = this.#used;
    this.#where[id * 3 + 2] = length;
    this.#flags[id] = flags;
    this.#used += length;
    if (row !== this.#lastRow) {
      this.#firstOf.set(row, id);
      this.#lastRow = row;
    }
    return DEFERRED;
  }

  /** The id of the deferred cell `row[c]`. */
  #idOf(row: string[], c: number): number {
    const first = this.#firstOf.get(row);
    if (first === undefined) throw new Error('DeferredCells: not a row with deferred cells');
    let id = first;
    for (let i = 0; i < c; i++) if (row[i] === DEFERRED) id++;
    return id;
  }

  /**
   * Drops a CR that ends the deferred cell `row[c]` (the last cell of a CRLF line
   * in a file that mostly ends lines with LF), as the reader does for a string.
   */
  dropTrailingCr(row: string[], c: number): void {
    const id = this.#idOf(row, c);
    const length = this.#where[id * 3 + 2];
    if (length > 0 && this.#arenas[this.#where[id * 3]][this.#where[id * 3 + 1] + length - 1] === 13) this.#where[id * 3 + 2] = length - 1;
  }

  /** The text of `row[c]`: decoded if it is deferred (a new string each time), else the cell itself. */
  text(row: string[], c: number): string {
    const value = row[c];
    if (value !== DEFERRED) return value;
    const id = this.#idOf(row, c);
    const start = this.#where[id * 3 + 1];
    let text = this.#decode(this.#arenas[this.#where[id * 3]], start, start + this.#where[id * 3 + 2]);
    const flags = this.#flags[id];
    if (flags & QUOTED && text.indexOf('""') !== -1) text = text.replace(DOUBLED_QUOTES, '"');
    if (text.indexOf('\r') !== -1) text = text.replace(CR, '\n');
    return text;
  }

  /**
   * `text(row, c).trim().length`, from the bytes where it can be (the cell
   * starts and ends with a printable ASCII character, so there is nothing to
   * trim): UTF-16 units are the bytes that start a character, plus one for each
   * four-byte one, less a doubled quote's second quote and a CRLF's CR.
   */
  trimmedLength(row: string[], c: number): number {
    const id = this.#idOf(row, c);
    const arena = this.#arenas[this.#where[id * 3]];
    const start = this.#where[id * 3 + 1];
    const end = start + this.#where[id * 3 + 2];
    const first = arena[start];
    const last = arena[end - 1];
    const flags = this.#flags[id];
    if (!(first > 32 && first < 127 && last > 32 && last < 127) || flags & INVALID) return this.text(row, c).trim().length;
    let units = 0;
    for (let i = start; i < end; i++) {
      const b = arena[i];
      if (b < 0x80) {
        units++;
        if (b === 34 && flags & QUOTED && arena[i + 1] === 34 && i + 1 < end) i++;
        else if (b === 13 && arena[i + 1] === 10 && i + 1 < end) i++;
      } else if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    return units;
  }

  /** The deferred cell `row[c]`'s length in bytes: at least its text's length in UTF-16 units. */
  byteLength(row: string[], c: number): number {
    return this.#where[this.#idOf(row, c) * 3 + 2];
  }

  /** Replaces every deferred cell of `row` with its text. */
  resolveRow(row: string[]): void {
    if (!this.#firstOf.has(row)) return;
    const texts = row.map((_, c) => this.text(row, c));
    for (let c = 0; c < row.length; c++) row[c] = texts[c];
    this.#firstOf.delete(row);
  }
}

/** Reads `row[c]` as text, whether or not `deferred` holds it. */
export type CellReader = (row: readonly string[], c: number) => string | undefined;

const plainCell: CellReader = (row, c) => row[c];

/** How to read a table's cells: plain indexing, or through its deferred cells. */
export function cellReader(table: { deferred?: DeferredCells }): CellReader {
  const deferred = table.deferred;
  if (!deferred) return plainCell;
  return (row, c) => {
    const value = row[c];
    return value === DEFERRED ? deferred.text(row as string[], c) : value;
  };
}

/**
 * Whether `bytes[from…end)`, which starts at a byte ≥ 0x80, is valid UTF-8 to
 * its end (TextDecoder's rules: no overlong forms, no surrogates, nothing past
 * U+10FFFF).
 */
function isUtf8(bytes: Uint8Array, from: number, end: number): boolean {
  for (let i = from; i < end;) {
    const c = bytes[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xc2 && c < 0xe0) {
      if (i + 1 >= end || (bytes[i + 1] & 0xc0) !== 0x80) return false;
      i += 2;
    } else if (c >= 0xe0 && c < 0xf0) {
      if (i + 2 >= end) return false;
      const c1 = bytes[i + 1];
      if ((c1 & 0xc0) !== 0x80 || (bytes[i + 2] & 0xc0) !== 0x80) return false;
      if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 >= 0xa0)) return false;
      i += 3;
    } else if (c >= 0xf0 && c < 0xf5) {
      if (i + 3 >= end) return false;
      const c1 = bytes[i + 1];
      if ((c1 & 0xc0) !== 0x80 || (bytes[i + 2] & 0xc0) !== 0x80 || (bytes[i + 3] & 0xc0) !== 0x80) return false;
      if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 >= 0x90)) return false;
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}
