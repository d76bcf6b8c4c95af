/**
 * What the analysis worker derives from a project's answers and respondents alone, kept in the `derived` store
 * (key ANSWERS_KEY, scope 'answers': an import moves it, coding does not) so that a cold open reads one record
 * instead of every answer-key chunk and respondent chunk.
 *
 * Packed column-wise: respondent ids once, each answer as the position of its respondent (an Int32Array), each
 * attribute as its distinct values and a code per respondent, each respondent's waves as one of the distinct wave
 * lists. At 100k respondents × 8 that is ~3 MB of typed arrays and 100k strings where the chunks hold 835k
 * strings in 250 records, most of a cold open's read (structured-clone deserialisation of each string).
 *
 * Only ever a shortcut: `unpackAnswers` returns null for anything it does not recognise, and the reader then
 * reads the chunks as before.
 */
import type { AnswerKeyChunk } from './schema';
import type { AnswerColumns } from '../analysis/analysis-index';
import { nameKeyed } from '../model/name-keyed';

/** The derived record's key (the analysis worker's prefix). */
export const ANSWERS_KEY = 'analysis:answers';

/** Bumped when the shape changes: a record of another format is not read. */
const FORMAT = 1;

export interface StoredAnswers {
  format: number;
  /** The respondent table's ids (`respondentCount` of them), then any id found only in answers. */
  ids: string[];
  respondentCount: number;
  /** Per attribute: its distinct values and each respondent's value as a position among them. */
  attributes: { name: string; values: string[]; codes: Int32Array }[];
  /** The distinct wave lists, and each respondent's as a position among them. */
  waveSets: string[][];
  waveSetOf: Int32Array;
  /** The answer-key chunks in the order read, without their respondents. */
  chunks: { questionId: string; waveId: string; index: number; count: number }[];
  /** Each chunk's respondents in turn, as positions in `ids`. */
  answerRespondent: Int32Array;
}

/** The respondent table as the analysis worker reads it (RespondentTable without its lookup). */
export interface RespondentColumns {
  ids: string[];
  attributes: Record<string, string[]>;
  waves: string[][];
}

/** Packs a project's respondents and text-less answer chunks (see the module notes). */
export function packAnswers(
  respondents: RespondentColumns,
  chunks: readonly Pick<AnswerKeyChunk, 'questionId' | 'waveId' | 'index' | 'respondentIds'>[],
): StoredAnswers {
  const ids = respondents.ids.slice();
  const at = new Map<string, number>();
  // The first of a repeated id, as an answer's lookup by id would find it.
  for (let i = ids.length - 1; i >= 0; i--) at.set(ids[i], i);
  const respondentCount = ids.length;
  let total = 0;
  for (const c of chunks) total += c.respondentIds.length;
  const answerRespondent = new Int32Array(total);
  let n = 0;
  for (const { respondentIds } of chunks)
    for (const id of respondentIds) {
      let p = at.get(id);
      if (p === undefined) {
        p = ids.length;
        at.set(id, p);
        ids.push(id);
      }
      answerRespondent[n++] = p;
    }
  const attributes = Object.entries(respondents.attributes).map(([name, column]) => {
    const { values, codes } = dictionary(
      column,
      respondentCount,
      (v) => v ?? '',
      (v) => v,
    );
    return { name, values, codes };
  });
  const { values: waveSets, codes: waveSetOf } = dictionary(
    respondents.waves,
    respondentCount,
    (w) => w ?? [],
    (w) => w.join('\u001f'),
  );
  return {
    format: FORMAT,
    ids,
    respondentCount,
    attributes,
    waveSets,
    waveSetOf,
    chunks: chunks.map(({ questionId, waveId, index, respondentIds }) => ({ questionId, waveId, index, count: respondentIds.length })),
    answerRespondent,
  };
}

/** Distinct values of a column (first-seen order) and each row's position among them. */
function dictionary<T>(column: readonly T[], length: number, value: (v: T | undefined) => T, key: (v: T) => string): { values: T[]; codes: Int32Array } {
  const values: T[] = [];
  const seen = new Map<string, number>();
  const codes = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const v = value(column[i]);
    const k = key(v);
    let p = seen.get(k);
    if (p === undefined) {
      p = values.length;
      seen.set(k, p);
      values.push(v);
    }
    codes[i] = p;
  }
  return { values, codes };
}

/**
 * The respondents and answer-key chunks a stored record holds, as the database would give them; null when the
 * record is not one this code wrote (another format, a field missing or out of range), so the caller reads the chunks.
 */
export function unpackAnswers(
  projectId: string,
  stored: unknown,
): { respondents: RespondentColumns; chunks: (AnswerKeyChunk & Pick<AnswerColumns, 'respondentAt'>)[] } | null {
  if (!isStoredAnswers(stored)) return null;
  const { ids, respondentCount, answerRespondent } = stored;
  const attributes = nameKeyed<string[]>();
  for (const { name, values, codes } of stored.attributes) {
    const column = new Array<string>(respondentCount);
    for (let i = 0; i < respondentCount; i++) column[i] = values[codes[i]];
    attributes[name] = column;
  }
  const waves = new Array<string[]>(respondentCount);
  // A copy each, as each chunk's read gave: a reader that changed one respondent's list must not change another's.
  for (let i = 0; i < respondentCount; i++) waves[i] = stored.waveSets[stored.waveSetOf[i]].slice();
  const chunks: (AnswerKeyChunk & Pick<AnswerColumns, 'respondentAt'>)[] = [];
  let n = 0;
  for (const { questionId, waveId, index, count } of stored.chunks) {
    const respondentIds = new Array<string>(count);
    const at = answerRespondent.subarray(n, n + count);
    for (let i = 0; i < count; i++) respondentIds[i] = ids[answerRespondent[n++]];
    // The positions too, so the analysis index places answers without a string lookup each (analysis-index.ts).
    chunks.push({ projectId, questionId, waveId, index, respondentIds, respondentAt: { ids, at } });
  }
  return { respondents: { ids: ids.slice(0, respondentCount), attributes, waves }, chunks };
}

function isStoredAnswers(value: unknown): value is StoredAnswers {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<StoredAnswers>;
  if (v.format !== FORMAT || !Array.isArray(v.ids) || !Array.isArray(v.chunks) || !Array.isArray(v.attributes) || !Array.isArray(v.waveSets)) return false;
  const count = v.respondentCount;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > v.ids.length) return false;
  if (!isInt32Array(v.answerRespondent) || !isInt32Array(v.waveSetOf) || v.waveSetOf.length !== count) return false;
  if (!inRange(v.waveSetOf, v.waveSets.length) || !inRange(v.answerRespondent, v.ids.length)) return false;
  if (!v.waveSets.every((w) => Array.isArray(w) && w.every((id) => typeof id === 'string'))) return false;
  let total = 0;
  for (const c of v.chunks) {
    if (typeof c !== 'object' || c === null || typeof c.questionId !== 'string' || typeof c.waveId !== 'string') return false;
    if (typeof c.index !== 'number' || !Number.isInteger(c.count) || c.count < 0) return false;
    total += c.count;
  }
  if (total !== v.answerRespondent.length) return false;
  for (const a of v.attributes) {
    if (typeof a !== 'object' || a === null || typeof a.name !== 'string' || !Array.isArray(a.values)) return false;
    if (!isInt32Array(a.codes) || a.codes.length !== count || !inRange(a.codes, a.values.length)) return false;
  }
  return v.ids.every((id) => typeof id === 'string');
}

/** By its tag, not instanceof: a structured clone may come from another realm (a test's environment). */
function isInt32Array(value: unknown): value is Int32Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Int32Array]';
}

function inRange(codes: Int32Array, size: number): boolean {
  for (let i = 0; i < codes.length; i++) if (codes[i] < 0 || codes[i] >= size) return false;
  return true;
}
