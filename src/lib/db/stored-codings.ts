/**
 * The analysis worker's codings, kept in the `derived` store (key CODINGS_KEY, scope 'all': any write of a coding,
 * code or adjudication moves the project's revision and leaves the record unread) so that a cold open reads one
 * record of typed arrays instead of the 512 coding pages of a 100k project (264k objects whose structured-clone
 * deserialisation, then a lookup of each answer id, was most of the open).
 *
 * Packed column-wise, in the order the pages gave the codings: each coding's answer as its position among the
 * project's answers in column order (the answer-key chunks sorted by question, wave and index, as the worker reads
 * them; -1 with the id kept aside when the answer is not among them), its code and coder as positions in their
 * distinct lists, start and end (-1 for a whole-answer coding), createdAt, the exemplar mark and the `suggested`
 * mark (with which of the two marks came first in the object, when it has both); the ids joined in one string. Unpacked, the codings are the objects the pages gave (without `projectId`), and the answer
 * positions are handed on so the analysis index places them without reading their ids.
 *
 * Only ever a shortcut: `packCodings` refuses codings it cannot give back exactly (a field it does not know, a
 * value of another type), and `unpackCodings` returns null for anything it does not recognise, so the reader
 * reads the pages as before.
 */
import type { AnswerKeyChunk } from './schema';
import { ANSWER_ID_SEPARATOR, type Coding } from '../model/types';

/** The derived record's key (the analysis worker's prefix). */
export const CODINGS_KEY = 'analysis:codings';

/** Bumped when the shape changes: a record of another format is not read (2: the `suggested` column). */
const FORMAT = 2;

/** Joins the coding ids in one string (a coding id holding it is not packed). */
const ID_SEPARATOR = '\u001e';

/** A coding as the analysis worker holds it: a stored coding without its project. */
export type StoredCoding = Omit<Coding, 'projectId'>;

export interface StoredCodings {
  format: number;
  /** How many answers the column order held when packed: a record made over other answers is not read. */
  answerCount: number;
  /** The codings' ids, joined by ID_SEPARATOR. */
  ids: string;
  /** Each coding's answer: its position in column order, or -1 (its id is then the next of `otherAnswerIds`). */
  answer: Int32Array;
  otherAnswerIds: string[];
  codes: string[];
  code: Int32Array;
  coders: string[];
  coder: Int32Array;
  /** -1 for null (a whole-answer coding). */
  start: Int32Array;
  end: Int32Array;
  createdAt: Float64Array;
  /** 0: no mark, 1: exemplar true, 2: exemplar false. */
  exemplar: Uint8Array;
  /**
   * 0: no mark, 1: suggested true, 2: suggested false; 3 and 4 the same as 1 and 2 for a coding whose `suggested`
   * key comes before its `exemplar` key (a suggestion accepted, then marked as an exemplar), so both come back in
   * the order they were in.
   */
  suggested: Uint8Array;
}

const KNOWN_FIELDS: ReadonlySet<string> = new Set(['projectId', 'id', 'answerId', 'codeId', 'coderId', 'start', 'end', 'createdAt', 'exemplar', 'suggested']);

const isOffset = (v: unknown) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x7fffffff);

/**
 * Packs codings (see the module notes), `answerAt[i]` being the column position of coding i's answer or -1. Null
 * when some coding would not come back as it is (an unknown field, a value of another type).
 */
export function packCodings(codings: readonly Omit<Coding, 'projectId'>[], answerAt: ArrayLike<number>, answerCount: number): StoredCodings | null {
  const n = codings.length;
  if (answerAt.length < n) return null;
  const answer = new Int32Array(n);
  const code = new Int32Array(n);
  const coder = new Int32Array(n);
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  const createdAt = new Float64Array(n);
  const exemplar = new Uint8Array(n);
  const suggested = new Uint8Array(n);
  const otherAnswerIds: string[] = [];
  const codes = new Dictionary();
  const coders = new Dictionary();
  const ids: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const c = codings[i];
    // Which of the two marks the object lists first, when it has both: they come back in that order.
    let seenExemplar = false;
    let suggestedFirst = false;
    for (const key in c) {
      if (!KNOWN_FIELDS.has(key)) return null;
      if (key === 'exemplar') seenExemplar = true;
      else if (key === 'suggested' && !seenExemplar) suggestedFirst = true;
    }
    if (typeof c.id !== 'string' || c.id.includes(ID_SEPARATOR) || typeof c.answerId !== 'string') return null;
    if (typeof c.codeId !== 'string' || typeof c.coderId !== 'string' || typeof c.createdAt !== 'number') return null;
    if (!isOffset(c.start) || !isOffset(c.end) || (c.exemplar !== undefined && typeof c.exemplar !== 'boolean')) return null;
    if ('exemplar' in c && c.exemplar === undefined) return null;
    if ((c.suggested !== undefined && typeof c.suggested !== 'boolean') || ('suggested' in c && c.suggested === undefined)) return null;
    const at = answerAt[i];
    if (!(at >= 0 && at < answerCount)) {
      answer[i] = -1;
      otherAnswerIds.push(c.answerId);
    } else answer[i] = at;
    ids[i] = c.id;
    code[i] = codes.of(c.codeId);
    coder[i] = coders.of(c.coderId);
    start[i] = c.start === null ? -1 : c.start;
    end[i] = c.end === null ? -1 : c.end;
    createdAt[i] = c.createdAt;
    exemplar[i] = c.exemplar === undefined ? 0 : c.exemplar ? 1 : 2;
    suggested[i] = c.suggested === undefined ? 0 : (c.suggested ? 1 : 2) + (suggestedFirst && c.exemplar !== undefined ? 2 : 0);
  }
  return {
    format: FORMAT,
    answerCount,
    ids: ids.join(ID_SEPARATOR),
    answer,
    otherAnswerIds,
    codes: codes.values,
    code,
    coders: coders.values,
    coder,
    start,
    end,
    createdAt,
    exemplar,
    suggested,
  };
}

class Dictionary {
  readonly values: string[] = [];
  readonly #at = new Map<string, number>();
  #last: string | null = null;
  #lastAt = -1;

  of(value: string): number {
    if (value === this.#last) return this.#lastAt;
    let p = this.#at.get(value);
    if (p === undefined) {
      p = this.values.length;
      this.#at.set(value, p);
      this.values.push(value);
    }
    this.#last = value;
    this.#lastAt = p;
    return p;
  }
}

/**
 * The codings a stored record holds, as the pages gave them, and each one's answer position (-1 where its answer is
 * not among the columns); null when the record is not one this code wrote or was made over other answers.
 * `columns` are the answer-key chunks in column order (see the module notes).
 */
export function unpackCodings(
  stored: unknown,
  columns: readonly Pick<AnswerKeyChunk, 'questionId' | 'waveId' | 'respondentIds'>[],
): { codings: StoredCoding[]; answerAt: Int32Array } | null {
  let answerCount = 0;
  for (const c of columns) answerCount += c.respondentIds.length;
  if (!isStoredCodings(stored, answerCount)) return null;
  const ids = stored.ids === '' && stored.answer.length === 0 ? [] : stored.ids.split(ID_SEPARATOR);
  if (ids.length !== stored.answer.length) return null;
  // Each answer's chunk and where each chunk starts, by column position (4 bytes an answer, for the time being).
  const starts = new Int32Array(columns.length);
  const chunkOf = new Int32Array(answerCount);
  const prefixes = new Array<string>(columns.length);
  for (let k = 0, at = 0; k < columns.length; k++) {
    starts[k] = at;
    chunkOf.fill(k, at, at + columns[k].respondentIds.length);
    at += columns[k].respondentIds.length;
    prefixes[k] = `${columns[k].questionId}${ANSWER_ID_SEPARATOR}${columns[k].waveId}${ANSWER_ID_SEPARATOR}`;
  }
  const { answer, code, coder, start, end, createdAt, exemplar, suggested } = stored;
  const codings = new Array<StoredCoding>(ids.length);
  let other = 0;
  for (let i = 0; i < ids.length; i++) {
    const a = answer[i];
    let answerId: string;
    if (a < 0) answerId = stored.otherAnswerIds[other++];
    else {
      const k = chunkOf[a];
      answerId = prefixes[k] + columns[k].respondentIds[a - starts[k]];
    }
    const coding: StoredCoding = {
      id: ids[i],
      answerId,
      codeId: stored.codes[code[i]],
      coderId: stored.coders[coder[i]],
      start: start[i] === -1 ? null : start[i],
      end: end[i] === -1 ? null : end[i],
      createdAt: createdAt[i],
    };
    const s = suggested[i];
    if (s > 2) coding.suggested = s === 3;
    if (exemplar[i] !== 0) coding.exemplar = exemplar[i] === 1;
    if (s === 1 || s === 2) coding.suggested = s === 1;
    codings[i] = coding;
  }
  return { codings, answerAt: answer };
}

function isStoredCodings(value: unknown, answerCount: number): value is StoredCodings {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<StoredCodings>;
  if (v.format !== FORMAT || v.answerCount !== answerCount || typeof v.ids !== 'string') return false;
  if (!Array.isArray(v.otherAnswerIds) || !Array.isArray(v.codes) || !Array.isArray(v.coders)) return false;
  if (
    !v.otherAnswerIds.every((id) => typeof id === 'string') ||
    !v.codes.every((id) => typeof id === 'string') ||
    !v.coders.every((id) => typeof id === 'string')
  )
    return false;
  const answer = v.answer;
  if (!isView(answer, 'Int32Array')) return false;
  const n = answer!.length;
  const sized = (x: unknown, tag: string) => isView(x, tag) && (x as Int32Array).length === n;
  if (!sized(v.code, 'Int32Array') || !sized(v.coder, 'Int32Array') || !sized(v.start, 'Int32Array') || !sized(v.end, 'Int32Array')) return false;
  if (!sized(v.createdAt, 'Float64Array') || !sized(v.exemplar, 'Uint8Array') || !sized(v.suggested, 'Uint8Array')) return false;
  let others = 0;
  for (let i = 0; i < n; i++) {
    const a = answer![i];
    if (a < -1 || a >= answerCount) return false;
    if (a === -1) others++;
    if (v.code![i] < 0 || v.code![i] >= v.codes.length || v.coder![i] < 0 || v.coder![i] >= v.coders.length) return false;
    if (v.start![i] < -1 || v.end![i] < -1 || v.exemplar![i] > 2) return false;
    // 3 and 4 (suggested listed first) only beside an exemplar mark.
    if (v.suggested![i] > 4 || (v.suggested![i] > 2 && v.exemplar![i] === 0)) return false;
  }
  return others === v.otherAnswerIds.length;
}

/** By its tag, not instanceof: a structured clone may come from another realm (a test's environment). */
function isView(value: unknown, tag: string): boolean {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === `[object ${tag}]`;
}
