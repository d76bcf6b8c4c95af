/**
 * The long CSV written while the answer texts are read: the same bytes as
 * longCsvChunks (csv-long.ts), but the texts come from the stored answer
 * chunks one chunk at a time, in the order the rows need them, instead of from
 * answers that already hold every text. Only the texts of coded answers are
 * kept, each until its last row is written, so the worker never holds the
 * project's texts nor the whole file as one string.
 *
 * Reads are issued ahead (`prefetch` chunks in flight): IndexedDB answers
 * asynchronously, so the next chunks are on their way while the rows of the
 * current one are formatted.
 *
 * The rows are written by a line writer that escapes each repeated cell once
 * (the answer's respondent, attributes, question and wave; the code's path and
 * themes; the coder's name) and joins the rest by hand: the output is what
 * csvRow gives for longTable's rows (the tests compare the two on random
 * projects), without a cell array and two regular expressions per cell.
 */
import { csvCell } from '../agreement/csv-cell';
import { codingOrigin, longCodingOrder, LONG_COLUMNS, type LongExportOptions } from './csv-long';
import type { CsvChunkOptions } from './csv-stream';
import { ProjectLookup } from './project-lookup';
import { sliceCodePoints } from './quote-text';
import type { ExportCoding, ExportSource } from './source';

/** Where a stored answer chunk is: its question, wave and index among that pair's chunks. */
export interface AnswerChunkKey {
  questionId: string;
  waveId: string;
  index: number;
}

/** A stored chunk's respondents and their texts, in the same order. */
export interface AnswerTextChunk {
  respondentIds: readonly string[];
  texts: readonly string[];
}

/** Reads a project's stored answer chunks (lib/db/answer-text-reader.ts over IndexedDB; an array in tests). */
export interface AnswerChunkReader {
  /** Every chunk of the project, in any order. */
  keys(): Promise<readonly AnswerChunkKey[]>;
  /** One chunk, or undefined when it is gone. */
  read(key: AnswerChunkKey): Promise<AnswerTextChunk | undefined>;
}

export interface LongStreamOptions extends LongExportOptions, CsvChunkOptions {
  /** Chunk reads in flight beyond the one the rows wait for. Default 3. */
  prefetch?: number;
}

/** Joins a question and wave id into one key (neither holds it). */
export const SEP = '\u001f';

/**
 * The long CSV in pieces of whole lines (rowsPerChunk rows each, the header in
 * the first), with the answer texts read through `reader`. Concatenated, the
 * pieces are longCsvChunks(source, options) of the source with every text.
 * An answer the reader has no chunk for is quoted from the answer itself.
 */
export async function* longCsvStream(
  source: ExportSource,
  options: LongStreamOptions,
  reader: AnswerChunkReader,
  lookup = new ProjectLookup(source),
): AsyncGenerator<string, void, undefined> {
  const writer = new LongLineWriter(lookup, options);
  const { codings, positions } = longCodingOrder(source, options, lookup);
  const answers = source.answers;

  // How many rows quote each coded answer, by (question, wave) then respondent: a text is kept until its last row.
  // The pairs are listed in the order the rows first need them.
  const remaining = new Map<string, Map<string, number>>();
  const groupOrder: string[] = [];
  let counts: Map<string, number> | null = null;
  let lastKey = '';
  for (let i = 0; i < positions.length; i++) {
    const at = positions[i];
    if (at < 0) continue;
    const answer = answers[at];
    const group = answer.questionId + SEP + answer.waveId;
    if (group !== lastKey || !counts) {
      lastKey = group;
      counts = remaining.get(group) ?? null;
      if (!counts) {
        remaining.set(group, (counts = new Map()));
        groupOrder.push(group);
      }
    }
    counts.set(answer.respondentId, (counts.get(answer.respondentId) ?? 0) + 1);
  }

  // The chunks to read, in the order the rows first need their (question, wave), each pair's chunks by index.
  const byGroup = new Map<string, AnswerChunkKey[]>();
  if (groupOrder.length > 0)
    for (const key of await reader.keys()) {
      const group = key.questionId + SEP + key.waveId;
      if (!remaining.has(group)) continue;
      let list = byGroup.get(group);
      if (!list) byGroup.set(group, (list = []));
      list.push(key);
    }
  const plan: AnswerChunkKey[] = [];
  /** The plan position after each pair's last chunk: once read that far, a text still missing is not stored. */
  const groupEnd = new Map<string, number>();
  for (const group of groupOrder) {
    const list = byGroup.get(group);
    if (list) plan.push(...list.sort((a, b) => a.index - b.index));
    groupEnd.set(group, plan.length);
  }

  const depth = Math.max(1, Math.floor(options.prefetch ?? 3));
  const inFlight: Promise<AnswerTextChunk | undefined>[] = [];
  let issued = 0;
  let pulled = 0;
  const issue = () => {
    while (issued < plan.length && issued - pulled < depth) inFlight.push(reader.read(plan[issued++]));
  };
  const texts = new Map<string, Map<string, string>>();
  /** Reads the next planned chunk and keeps the texts of the answers still to be quoted. */
  const pull = async () => {
    issue();
    const key = plan[pulled];
    const read = inFlight.shift()!;
    pulled++;
    issue(); // the next read is on its way before this chunk is taken apart
    const chunk = await read;
    if (!chunk) return;
    const group = key.questionId + SEP + key.waveId;
    const wanted = remaining.get(group)!;
    let kept = texts.get(group);
    if (!kept) texts.set(group, (kept = new Map()));
    const { respondentIds, texts: chunkTexts } = chunk;
    for (let i = 0; i < chunkTexts.length; i++) if (wanted.has(respondentIds[i])) kept.set(respondentIds[i], chunkTexts[i]);
  };
  issue();

  let head = '';
  let text = '';
  /** The current answer's respondent and (question, wave), and that pair's row counts (null: an answer the source lacks). */
  let respondentId = '';
  let group = '';
  counts = null;
  const first = writer.start();
  if (first !== null) yield first;
  for (let i = 0; i < codings.length; i++) {
    const coding = codings[i];
    const at = positions[i];
    if (startsAnswer(codings, positions, i)) {
      const answer = at < 0 ? null : answers[at];
      const parts = answer ?? lookup.answerParts(coding.answerId);
      group = parts.questionId + SEP + parts.waveId;
      head = writer.head(parts);
      if (!answer) text = '';
      else {
        const kept = texts.get(group);
        let found = kept?.get(answer.respondentId);
        if (found === undefined) {
          const end = groupEnd.get(group)!;
          while (found === undefined && pulled < end) {
            await pull();
            found = texts.get(group)?.get(answer.respondentId);
          }
        }
        text = found ?? answer.text;
        respondentId = answer.respondentId;
      }
      counts = answer ? remaining.get(group)! : null;
    }
    // Each answer's codings are consecutive (rows sort by answer first): its text is let go after its last row.
    if (counts) {
      const left = counts.get(respondentId)! - 1;
      if (left > 0) counts.set(respondentId, left);
      else {
        counts.delete(respondentId);
        texts.get(group)?.delete(respondentId);
      }
    }
    const piece = writer.add(head, coding, text);
    if (piece !== null) yield piece;
  }
  const rest = writer.rest();
  if (rest !== null) yield rest;
}

/**
 * Whether the i-th row is its answer's first. Rows sort by answer first, so a new answer is a change of position (or
 * of id, for answers the source lacks).
 */
export function startsAnswer(codings: readonly ExportCoding[], positions: Int32Array, i: number): boolean {
  const at = positions[i];
  return i === 0 || at !== positions[i - 1] || (at < 0 && codings[i].answerId !== codings[i - 1].answerId);
}

/**
 * The long CSV's lines as text: the header, and a line per coding after its answer's head. Each repeated cell is
 * escaped once (the answer's respondent, attributes, question and wave; the code's path and themes; the coder's
 * name) and the rest joined by hand: the output is what csvRow gives for longTable's rows.
 */
export class LongLineWriter {
  /** The header line, after the byte-order mark when asked for. */
  readonly header: string;
  readonly #lookup: ProjectLookup;
  readonly #rename: ((respondentId: string) => string) | undefined;
  readonly #cell: (value: string | number | null) => string;
  readonly #codeCells = new Map<string, string>();
  readonly #coderCells = new Map<string, string>();
  /** Each respondent's cells (name or pseudonym, attributes): a respondent has an answer per question. */
  readonly #respondentCells = new Map<string, string>();
  /** The question and wave cells of each (question, wave). */
  readonly #placeCells = new Map<string, string>();

  /** Lines per piece (rowsPerChunk), the header counting as one, and the piece under way. */
  readonly #perPiece: number;
  #piece: string;
  #lines = 1;

  constructor(lookup: ProjectLookup, options: LongStreamOptions) {
    this.#perPiece = Math.max(1, Math.floor(options.rowsPerChunk ?? 2000));
    this.#lookup = lookup;
    this.#rename = options.renameRespondent;
    const cellOptions = { neutraliseFormulas: options.neutraliseFormulas ?? true };
    this.#cell = (value) => csvCell(value, cellOptions);
    this.header = (options.bom ? '\uFEFF' : '') + ['respondent', ...lookup.attributeNames, ...LONG_COLUMNS].map(this.#cell).join(',') + '\r\n';
    this.#piece = this.header;
  }

  /** The header as a piece of its own when a piece is one line; else null (it begins the first piece). */
  start(): string | null {
    return this.#lines >= this.#perPiece ? this.#take() : null;
  }

  /** Adds a coding's line: returns the piece it completes, or null. */
  add(head: string, coding: ExportCoding, text: string): string | null {
    this.#piece += this.line(head, coding, text);
    return ++this.#lines >= this.#perPiece ? this.#take() : null;
  }

  /** The last piece, or null when there is none left. */
  rest(): string | null {
    return this.#piece === '' ? null : this.#take();
  }

  #take(): string {
    const piece = this.#piece;
    this.#piece = '';
    this.#lines = 0;
    return piece;
  }

  /** The cells about an answer, without the trailing comma: respondent, attributes, question, wave. */
  head(parts: { questionId: string; waveId: string; respondentId: string }): string {
    return this.respondent(parts.respondentId) + ',' + this.place(parts.questionId, parts.waveId);
  }

  /** The question and wave cells. */
  place(questionId: string, waveId: string): string {
    const group = questionId + SEP + waveId;
    let place = this.#placeCells.get(group);
    if (place === undefined)
      this.#placeCells.set(group, (place = this.#cell(this.#lookup.questionLabel(questionId)) + ',' + this.#cell(this.#lookup.waveName(waveId))));
    return place;
  }

  /** The respondent's cells: name or pseudonym, then attributes. */
  respondent(respondentId: string): string {
    let who = this.#respondentCells.get(respondentId);
    if (who === undefined) {
      const cell = this.#cell;
      who = cell(this.#rename ? this.#rename(respondentId) : respondentId);
      if (this.#lookup.attributeNames.length > 0) who += ',' + this.#lookup.attributeValues(respondentId).map(cell).join(',');
      this.#respondentCells.set(respondentId, who);
    }
    return who;
  }

  /** A coding's line, its answer's `head` and `text` given. */
  line(head: string, coding: ExportCoding, text: string): string {
    const whole = coding.start === null || coding.end === null;
    const quote = whole ? text : sliceCodePoints(text, coding.start!, coding.end!);
    return head + ',' + this.code(coding.codeId) + ',' + this.coder(coding.coderId) + ',' + this.#cell(quote) + spanCells(coding) + tailCells(coding);
  }

  /** The code's cells: its path and its themes. */
  code(codeId: string): string {
    let code = this.#codeCells.get(codeId);
    if (code === undefined) this.#codeCells.set(codeId, (code = this.#cell(this.#lookup.codePath(codeId)) + ',' + this.#cell(this.#lookup.themeNames(codeId))));
    return code;
  }

  /** The coder's cell. */
  coder(coderId: string): string {
    let coder = this.#coderCells.get(coderId);
    if (coder === undefined) this.#coderCells.set(coderId, (coder = this.#cell(this.#lookup.coderName(coderId))));
    return coder;
  }
}

/** A coding's span cells after its quote: `,start,end`, or `,,` for the whole answer. */
export function spanCells(coding: Pick<ExportCoding, 'start' | 'end'>): string {
  return coding.start === null || coding.end === null ? ',,' : ',' + csvCell(coding.start) + ',' + csvCell(coding.end);
}

/** A line's last cells and its break: exemplar, then origin (hand, suggestion or assistant: words no CSV cell needs to quote or neutralise). */
export function tailCells(coding: Pick<ExportCoding, 'exemplar' | 'coderId' | 'suggested'>): string {
  return (coding.exemplar ? ',yes,' : ',no,') + codingOrigin(coding) + '\r\n';
}

/**
 * Text pieces as one Blob, built as they come: each piece is encoded as UTF-8 into one reusable buffer of
 * `bufferBytes`, and a full buffer becomes a Blob of its own (the browser keeps its bytes outside the JS heap), so
 * the file never sits in the heap whole, as text or as bytes. Encoding here rather than handing the strings to
 * Blob halves the time of that step (a Blob of strings flattens and converts each one; 0.7 s of a 63 MB long CSV).
 * A Blob posts to the page without copying its bytes.
 */
export async function blobOf(parts: AsyncIterable<string>, type: string, onPart?: (n: number) => void, bufferBytes = 1 << 23): Promise<Blob> {
  const encoder = new TextEncoder();
  const blobs: Blob[] = [];
  const buffer = new Uint8Array(bufferBytes);
  let used = 0;
  let n = 0;
  // A Blob copies the bytes it is made of, so the buffer can be written again at once.
  const flush = () => {
    if (used > 0) blobs.push(new Blob([buffer.subarray(0, used)]));
    used = 0;
  };
  for await (const part of parts) {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (part.length * 3 > buffer.length - used) flush();
    if (part.length * 3 > buffer.length) blobs.push(new Blob([part]));
    else used += encoder.encodeInto(part, buffer.subarray(used)).written;
    onPart?.(++n);
  }
  flush();
  return new Blob(blobs, { type });
}
