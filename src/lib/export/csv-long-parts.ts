/**
 * The long CSV as parts written on other threads (workers/long-csv-worker.ts): the same bytes as
 * longCsvColumnStream (csv-long-columns.ts), split at chunk boundaries.
 *
 * Why: written on the analysis worker's thread, the long CSV waited on reading the answer chunks (deserialising
 * 60 MB of texts at 100k respondents), on writing 64 MB, and on a collector working over the heap that holds the
 * project: ~3 s against ~0.9 s for a raw read of the same rows (issue 15). Here the analysis worker settles
 * everything that needs the project (the rows' order, every repeated cell, which chunk and offset each row quotes)
 * into typed arrays and one table of cells as UTF-8; each part is then read and written by a worker of its own,
 * whose heap holds that part alone, and the parts are written at once on as many cores.
 *
 * A part's writer copies the cells' bytes and encodes only the quotes (`LongPartWriter`); it is pure, so the tests
 * compare its bytes with longCsvColumnStream's on random projects.
 */
import { csvCell } from '../agreement/csv-cell';
import { ANSWER_ID_SEPARATOR, ASSISTANT_CODER_ID } from '../model/types';
import { longCodingOrder, type PlacedAnswers } from './csv-long';
import { chunkStarts, type ColumnPlacement } from './csv-long-columns';
import { LongLineWriter, SEP, tailCells, type AnswerChunkKey, type AnswerTextChunk, type LongStreamOptions } from './csv-long-stream';
import type { ProjectLookup } from './project-lookup';
import { sliceCodePoints } from './quote-text';
import type { ExportCoding, ExportSource } from './source';

/** Cells as UTF-8: cell i is `bytes[starts[i], starts[i + 1])`. */
export interface CellTable {
  bytes: Uint8Array<ArrayBuffer>;
  starts: Int32Array;
}

/** A chunk a part reads. */
export interface LongPartRead extends AnswerChunkKey {
  /**
   * How many answers the chunk listed when the project was read, and its first and last respondent: a chunk read
   * now that differs is not that one (the project changed since), and its rows quote nothing, as
   * longCsvColumnStream does.
   */
  count: number;
  firstId: string;
  lastId: string;
}

/** A chunk a part reads, and where its rows end among the part's. */
export interface LongPartChunk extends LongPartRead {
  /** The cell of its question and wave. */
  place: number;
  /** The part's rows of this chunk are those before `rowEnd`, after the previous chunk's. */
  rowEnd: number;
}

/** One part's rows: what to write for each, as cells of the table, and the chunks whose texts they quote. */
export interface LongCsvPart {
  cells: CellTable;
  chunks: LongPartChunk[];
  /** Per row: its answer's offset in its chunk. */
  offset: Int32Array;
  /** Per row: the cells of the respondent (name or pseudonym, attributes), code (path, themes), coder and tail. */
  head: Int32Array;
  code: Int32Array;
  coder: Int32Array;
  tail: Int32Array;
  /** Per row: the span in code points; -1 for the whole answer. */
  start: Int32Array;
  end: Int32Array;
  neutraliseFormulas: boolean;
}

/** The whole file: the header, then the parts' bytes in order, then the rows whose answers no chunk holds. */
export interface LongCsvParts {
  header: string;
  parts: LongCsvPart[];
  /** The lines of codings whose answer the project lacks (they sort last), written here: they quote nothing. */
  strays: string;
  /** How many rows the parts hold. */
  rows: number;
}

/** Builds the cell table: each distinct text once, encoded together at the end. */
class CellTableBuilder {
  readonly #texts: string[] = [];

  add(text: string): number {
    this.#texts.push(text);
    return this.#texts.length - 1;
  }

  table(): CellTable {
    const texts = this.#texts;
    const starts = new Int32Array(texts.length + 1);
    for (let i = 0; i < texts.length; i++) starts[i + 1] = starts[i] + utf8Length(texts[i]);
    const bytes = new Uint8Array(starts[texts.length]);
    const written = new TextEncoder().encodeInto(texts.join(''), bytes).written;
    if (written !== bytes.length) throw new Error(`The long CSV's cells came to ${written} bytes, not ${bytes.length}.`);
    return { bytes, starts };
  }
}

/** A text's length in UTF-8 (a lone surrogate is written as U+FFFD, 3 bytes, as TextEncoder does). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Which chunks each of `partCount` parts reads (fewer parts when there are fewer chunks): every chunk with a coded
 * answer, in order, cut into runs of about as many codings. Known from the placement alone, so the parts' reads
 * begin before the rows are ordered and their cells made (longCsvParts). A coder chosen later may leave a chunk
 * with no row: it is read for nothing, and written as no row.
 */
export function longCsvReads(placement: ColumnPlacement, partCount: number): LongPartRead[][] {
  const { columns, positions } = placement;
  const starts = chunkStarts(columns);
  const counts = new Int32Array(columns.length);
  let total = 0;
  for (let i = 0; i < positions.length; i++) {
    const at = positions[i];
    if (at < 0) continue;
    // The chunk holding `at`: the last whose start is at or before it.
    let lo = 0;
    let hi = columns.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    counts[lo]++;
    total++;
  }
  const wanted = Math.max(1, Math.floor(partCount));
  const parts: LongPartRead[][] = [];
  let part: LongPartRead[] = [];
  let done = 0;
  for (let k = 0; k < columns.length; k++) {
    if (counts[k] === 0) continue;
    const { questionId, waveId, index, respondentIds: ids } = columns[k];
    part.push({ questionId, waveId, index, count: ids.length, firstId: ids[0] ?? '', lastId: ids[ids.length - 1] ?? '' });
    done += counts[k];
    if (done >= (total * (parts.length + 1)) / wanted && parts.length < wanted - 1) {
      parts.push(part);
      part = [];
    }
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/**
 * The long CSV as parts that read the chunks `reads` lists (longCsvReads of the same placement), from the stored
 * chunks: the caller has checked placedAnswers, as for longCsvColumnStream.
 */
export function longCsvParts(
  source: ExportSource,
  placement: ColumnPlacement,
  placed: PlacedAnswers,
  options: LongStreamOptions,
  lookup: ProjectLookup,
  reads: readonly (readonly LongPartRead[])[],
): LongCsvParts {
  const writer = new LongLineWriter(lookup, options);
  const { codings, positions } = longCodingOrder(source, options, lookup, placed);
  const { columns } = placement;
  const starts = chunkStarts(columns);

  // Rows whose answer no chunk holds sort last (longCodingOrder): the parts take the rows before them.
  let placedRows = codings.length;
  while (placedRows > 0 && positions[placedRows - 1] < 0) placedRows--;
  let strays = '';
  for (let i = placedRows; i < codings.length; i++) {
    const [questionId = '', waveId = '', respondentId = ''] = codings[i].answerId.split(ANSWER_ID_SEPARATOR);
    strays += writer.line(writer.head({ questionId, waveId, respondentId }), codings[i], '');
  }

  // Each chunk's part and place in it; rows sort by position, so each part is a run of rows.
  const chunkPart = new Int32Array(columns.length).fill(-1);
  const chunkSlot = new Int32Array(columns.length);
  {
    const byKey = new Map<string, number>();
    columns.forEach((c, k) => byKey.set(c.questionId + SEP + c.waveId + SEP + c.index, k));
    reads.forEach((list, p) =>
      list.forEach((c, j) => {
        const k = byKey.get(c.questionId + SEP + c.waveId + SEP + c.index);
        if (k === undefined) throw new Error(`The long CSV's parts read a chunk the project does not list (${c.questionId}, ${c.waveId}, ${c.index}).`);
        chunkPart[k] = p;
        chunkSlot[k] = j;
      }),
    );
  }
  const rowCounts = new Int32Array(reads.length);
  for (let i = 0, k = 0; i < placedRows; i++) {
    while (starts[k + 1] <= positions[i]) k++;
    if (chunkPart[k] < 0) throw new Error('The long CSV has a row whose chunk no part reads.');
    rowCounts[chunkPart[k]]++;
  }

  const cells = new CellTableBuilder();
  const headCells = new Map<string, number>();
  const codeCells = new Map<string, number>();
  const coderCells = new Map<string, number>();
  const placeCells = new Map<string, number>();
  /** The tail cells by exemplar and origin (tailKey below); -1 until met. */
  const tails = new Int32Array(6).fill(-1);
  const placeOf = (questionId: string, waveId: string) => {
    const key = questionId + SEP + waveId;
    let at = placeCells.get(key);
    if (at === undefined) placeCells.set(key, (at = cells.add(writer.place(questionId, waveId))));
    return at;
  };
  const neutraliseFormulas = options.neutraliseFormulas ?? true;
  const parts = reads.map((list, p) => {
    const n = rowCounts[p];
    return {
      chunks: list.map((c): LongPartChunk => ({
        ...c,
        place: placeOf(c.questionId, c.waveId),
        rowEnd: 0,
      })),
      offset: new Int32Array(n),
      head: new Int32Array(n),
      code: new Int32Array(n),
      coder: new Int32Array(n),
      tail: new Int32Array(n),
      start: new Int32Array(n),
      end: new Int32Array(n),
      neutraliseFormulas,
    };
  });
  let p = 0;
  let row = 0;
  for (let i = 0, k = 0; i < placedRows; i++) {
    const at = positions[i];
    while (starts[k + 1] <= at) k++;
    if (chunkPart[k] !== p) {
      p = chunkPart[k];
      row = 0;
    }
    const part = parts[p];
    const column = columns[k];
    const offset = at - starts[k];
    const coding: ExportCoding = codings[i];
    const respondentId = column.respondentIds[offset];
    part.offset[row] = offset;
    // Each cell looked up by hand: a closure per row and cell was a tenth of the plan at 100k respondents.
    let head = headCells.get(respondentId);
    if (head === undefined) headCells.set(respondentId, (head = cells.add(writer.respondent(respondentId))));
    part.head[row] = head;
    let code = codeCells.get(coding.codeId);
    if (code === undefined) codeCells.set(coding.codeId, (code = cells.add(writer.code(coding.codeId))));
    part.code[row] = code;
    let coder = coderCells.get(coding.coderId);
    if (coder === undefined) coderCells.set(coding.coderId, (coder = cells.add(writer.coder(coding.coderId))));
    part.coder[row] = coder;
    // The tail is one of six: exemplar or not, by origin.
    const tailKey = (coding.exemplar ? 3 : 0) + (coding.coderId === ASSISTANT_CODER_ID ? 2 : coding.suggested === true ? 1 : 0);
    let tail = tails[tailKey];
    if (tail < 0) tail = tails[tailKey] = cells.add(tailCells(coding));
    part.tail[row] = tail;
    const whole = coding.start === null || coding.end === null;
    part.start[row] = whole ? -1 : coding.start!;
    part.end[row] = whole ? -1 : coding.end!;
    row++;
    part.chunks[chunkSlot[k]].rowEnd = row;
  }
  // A chunk with no row ends where the one before it ended.
  for (const part of parts) for (let j = 1; j < part.chunks.length; j++) part.chunks[j].rowEnd = Math.max(part.chunks[j].rowEnd, part.chunks[j - 1].rowEnd);
  const table = cells.table();
  return { header: writer.header, parts: parts.map((part) => ({ ...part, cells: table })), strays, rows: placedRows };
}

/**
 * A part's bytes, written chunk by chunk as the chunks are read, into Blobs of `bufferBytes` (the browser keeps
 * their bytes outside the JS heap).
 */
export class LongPartWriter {
  readonly #part: LongCsvPart;
  readonly #encoder = new TextEncoder();
  readonly #blobs: Blob[] = [];
  readonly #buffer: Uint8Array<ArrayBuffer>;
  #used = 0;
  #next = 0;
  #rows = 0;

  constructor(part: LongCsvPart, bufferBytes = 1 << 22) {
    this.#part = part;
    this.#buffer = new Uint8Array(bufferBytes);
  }

  /** Rows written so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Writes the rows of the part's next chunk from the chunk as read (undefined when it is gone: they quote nothing). */
  chunk(read: AnswerTextChunk | undefined): void {
    const part = this.#part;
    const c = this.#next++;
    const chunk = part.chunks[c];
    if (!chunk) throw new Error(`This part has ${part.chunks.length} chunks; a ${c + 1}th was read.`);
    const texts = read && sameChunk(read, chunk) ? read.texts : null;
    const { bytes, starts } = part.cells;
    const cellOptions = { neutraliseFormulas: part.neutraliseFormulas };
    let lastOffset = -1;
    let wholeCell = '';
    for (let row = c === 0 ? 0 : part.chunks[c - 1].rowEnd; row < chunk.rowEnd; row++) {
      this.#cell(bytes, starts, part.head[row]);
      this.#byte(44);
      this.#cell(bytes, starts, chunk.place);
      this.#byte(44);
      this.#cell(bytes, starts, part.code[row]);
      this.#byte(44);
      this.#cell(bytes, starts, part.coder[row]);
      this.#byte(44);
      const offset = part.offset[row];
      const text = texts?.[offset] ?? '';
      const start = part.start[row];
      if (start < 0) {
        // An answer's whole-answer rows are consecutive (rows sort by answer, then code): its cell is made once.
        if (offset !== lastOffset) {
          lastOffset = offset;
          wholeCell = csvCell(text, cellOptions);
        }
        this.#text(wholeCell);
        this.#ascii(',,');
      } else {
        const end = part.end[row];
        this.#text(csvCell(sliceCodePoints(text, start, end), cellOptions));
        this.#ascii(',' + start + ',' + end);
      }
      this.#cell(bytes, starts, part.tail[row]);
      this.#rows++;
    }
  }

  /** The part's bytes, once every chunk is written. */
  finish(): Blob {
    if (this.#next !== this.#part.chunks.length) throw new Error(`This part has ${this.#part.chunks.length} chunks; ${this.#next} were read.`);
    this.#flush();
    return new Blob(this.#blobs);
  }

  #room(bytes: number): void {
    if (this.#used + bytes > this.#buffer.length) this.#flush();
  }

  #flush(): void {
    // A Blob copies the bytes it is made of, so the buffer can be written again at once.
    if (this.#used > 0) this.#blobs.push(new Blob([this.#buffer.subarray(0, this.#used)]));
    this.#used = 0;
  }

  #byte(b: number): void {
    this.#room(1);
    this.#buffer[this.#used++] = b;
  }

  #cell(bytes: Uint8Array<ArrayBuffer>, starts: Int32Array, cell: number): void {
    const from = starts[cell];
    const to = starts[cell + 1];
    if (to - from > this.#buffer.length) {
      this.#flush();
      this.#blobs.push(new Blob([bytes.slice(from, to)]));
      return;
    }
    this.#room(to - from);
    const buffer = this.#buffer;
    let used = this.#used;
    // Cells are short: a loop beats a subarray and set per cell.
    for (let i = from; i < to; i++) buffer[used++] = bytes[i];
    this.#used = used;
  }

  #ascii(text: string): void {
    if (text.length > this.#buffer.length) return this.#text(text);
    this.#room(text.length);
    const buffer = this.#buffer;
    for (let i = 0; i < text.length; i++) buffer[this.#used++] = text.charCodeAt(i);
  }

  #text(text: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    const most = text.length * 3;
    if (most > this.#buffer.length) {
      this.#flush();
      this.#blobs.push(new Blob([text]));
      return;
    }
    this.#room(most);
    this.#used += this.#encoder.encodeInto(text, this.#buffer.subarray(this.#used)).written;
  }
}

/** Whether a chunk read is the one the part was planned from (see LongPartChunk.count). */
function sameChunk(read: AnswerTextChunk, chunk: LongPartChunk): boolean {
  const ids = read.respondentIds;
  return ids.length === chunk.count && (ids[0] ?? '') === chunk.firstId && (ids[ids.length - 1] ?? '') === chunk.lastId;
}
