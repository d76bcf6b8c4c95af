/**
 * The long CSV of a project read as its stored answer chunks (the analysis worker's project): the same bytes as
 * longCsvStream (csv-long-stream.ts), without one answer object or answer id.
 *
 * The worker already knows each coding's answer as a position among the chunks' answers (the stored codings, or
 * its index). When the chunks are in display order (question, wave, the respondents' project order), the positions
 * are the rows' order: the rows then walk the chunks forwards, and an answer's respondent and text are the chunk's
 * at the position's offset. Made the other way, the export built a map of every answer id (735k at 100k
 * respondents) and the answer objects behind it: about 1.5 s of a 4.5 s export, most of it the garbage collector's.
 *
 * Which chunks to read is known before the first row, so reads are issued ahead (`prefetch` in flight) and only
 * chunks with a coded answer are read; a chunk's texts are let go once the rows move past it.
 */
import { longCodingOrder, type PlacedAnswers } from './csv-long';
import { LongLineWriter, startsAnswer, type AnswerChunkKey, type AnswerChunkReader, type AnswerTextChunk, type LongStreamOptions } from './csv-long-stream';
import { orderMap, type ProjectLookup } from './project-lookup';
import { ANSWER_ID_SEPARATOR } from '../model/types';
import type { ExportSource } from './source';

/** A stored answer chunk's place and respondents (its texts are read when its rows are written). */
export interface AnswerChunkColumns extends AnswerChunkKey {
  respondentIds: readonly string[];
}

/** The project's answers as chunks, and where each coding's answer is among them. */
export interface ColumnPlacement {
  /** The chunks, in the order the positions count answers. */
  columns: readonly AnswerChunkColumns[];
  /** Each of `source.codings`' answer as its position among the chunks' answers; < 0 where not among them. */
  positions: Int32Array;
}

const inOrder = new WeakMap<readonly AnswerChunkColumns[], { source: ExportSource; lookup: ProjectLookup; ok: boolean }>();

/**
 * Whether the chunks' answers are in display order, as ProjectLookup.orderedAnswers sorts them (question order, wave
 * order, the respondents' project order), each answer once and every respondent known: then a position is the
 * answer's rank, and its rows can be renamed in place (canRenameRows' test of the answers). Kept per chunk list.
 */
export function columnsInDisplayOrder(columns: readonly AnswerChunkColumns[], source: ExportSource, lookup: ProjectLookup): boolean {
  const kept = inOrder.get(columns);
  if (kept && kept.source.questions === source.questions && kept.source.waves === source.waves && kept.lookup === lookup) return kept.ok;
  const questions = orderMap(source.questions);
  const waves = orderMap(source.waves);
  let ok = true;
  let lastQ = -1;
  let lastW = -1;
  let lastR = -1;
  check: for (const { questionId, waveId, respondentIds } of columns) {
    const q = questions.get(questionId);
    const w = waves.get(waveId);
    if (q === undefined || w === undefined || q < lastQ || (q === lastQ && w < lastW)) {
      ok = false;
      break;
    }
    if (q !== lastQ || w !== lastW) lastR = -1;
    lastQ = q;
    lastW = w;
    for (let i = 0; i < respondentIds.length; i++) {
      const r = lookup.respondentPosition(respondentIds[i]);
      // Strictly increasing: a repeated answer would sort by its id, which a position does not say.
      if (r === undefined || r <= lastR) {
        ok = false;
        break check;
      }
      lastR = r;
    }
  }
  inOrder.set(columns, { source, lookup, ok });
  return ok;
}

/** The placement as ranks for longCodingOrder, when the chunks are in display order; else null. */
export function placedAnswers(placement: ColumnPlacement, source: ExportSource, lookup: ProjectLookup): PlacedAnswers | null {
  if (placement.positions.length !== source.codings.length || !columnsInDisplayOrder(placement.columns, source, lookup)) return null;
  let answerCount = 0;
  for (const c of placement.columns) answerCount += c.respondentIds.length;
  return { positions: placement.positions, answerCount };
}

/**
 * The long CSV in pieces of whole lines (rowsPerChunk rows each, the header in the first), from the chunks: the
 * caller has checked placedAnswers. A coding whose answer the chunks lack is placed by its id and quotes nothing,
 * as longCsvStream does for an answer the source lacks.
 */
export async function* longCsvColumnStream(
  source: ExportSource,
  placement: ColumnPlacement,
  placed: PlacedAnswers,
  options: LongStreamOptions,
  reader: AnswerChunkReader,
  lookup: ProjectLookup,
): AsyncGenerator<string, void, undefined> {
  const writer = new LongLineWriter(lookup, options);
  const { codings, positions } = longCodingOrder(source, options, lookup, placed);
  const { columns } = placement;
  const starts = chunkStarts(columns);

  // The chunks the rows need, in row order (rows sort by position, so they only move forwards).
  const plan: number[] = [];
  for (let i = 0, k = 0; i < positions.length; i++) {
    const at = positions[i];
    if (at < 0) continue;
    while (starts[k + 1] <= at) k++;
    if (plan.length === 0 || plan[plan.length - 1] !== k) plan.push(k);
  }
  const depth = Math.max(1, Math.floor(options.prefetch ?? 3));
  const inFlight: Promise<AnswerTextChunk | undefined>[] = [];
  let issued = 0;
  const issue = () => {
    while (issued < plan.length && inFlight.length < depth + 1) inFlight.push(reader.read(columns[plan[issued++]]));
  };
  issue();

  let k = 0;
  /** The current chunk's texts, aligned with its respondents (null: not stored, or stored otherwise than listed). */
  let texts: readonly string[] | null = null;
  let loaded = -1;
  let head = '';
  let place = '';
  let text = '';
  const first = writer.start();
  if (first !== null) yield first;
  for (let i = 0; i < codings.length; i++) {
    const coding = codings[i];
    const at = positions[i];
    if (startsAnswer(codings, positions, i)) {
      if (at < 0) {
        const [questionId = '', waveId = '', respondentId = ''] = coding.answerId.split(ANSWER_ID_SEPARATOR);
        head = writer.head({ questionId, waveId, respondentId });
        text = '';
      } else {
        while (starts[k + 1] <= at) k++;
        const chunk = columns[k];
        if (loaded !== k) {
          // The next planned read is this chunk's: the plan lists the chunks in the order met here.
          const read = await inFlight.shift()!;
          issue();
          loaded = k;
          texts = read && sameRespondents(read.respondentIds, chunk.respondentIds) ? read.texts : null;
          place = writer.place(chunk.questionId, chunk.waveId);
        }
        const offset = at - starts[k];
        head = writer.respondent(chunk.respondentIds[offset]) + ',' + place;
        text = texts?.[offset] ?? '';
      }
    }
    const piece = writer.add(head, coding, text);
    if (piece !== null) yield piece;
  }
  const rest = writer.rest();
  if (rest !== null) yield rest;
}

/** Where each chunk's answers begin among all the chunks' answers, and (last) how many there are. */
export function chunkStarts(columns: readonly { respondentIds: readonly string[] }[]): Float64Array {
  const starts = new Float64Array(columns.length + 1);
  for (let k = 0; k < columns.length; k++) starts[k + 1] = starts[k] + columns[k].respondentIds.length;
  return starts;
}

/** Whether a chunk read holds the respondents its key listed, in the same order (written together, so always). */
function sameRespondents(read: readonly string[], listed: readonly string[]): boolean {
  if (read.length !== listed.length) return false;
  for (let i = 0; i < read.length; i++) if (read[i] !== listed[i]) return false;
  return true;
}
