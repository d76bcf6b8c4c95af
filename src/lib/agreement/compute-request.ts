/**
 * One agreement round on the answers in scope: the answer-level table for the
 * chosen coders, passage-level agreement per code for the first two coders,
 * the answers where those two differ (the adjudicator's queue) and the list
 * of disagreements for export. Pure: the agreement worker loads the data and
 * calls this; tests call it directly.
 *
 * Codes may be compared "with their subcodes": a code group counts as
 * present when a coder applied any of its member codes.
 *
 * Uncoded answers ('uncodedAs'):
 * - 'absent' (NVivo's convention): every answer in scope counts as coded by
 *   every chosen coder, so a code a coder did not apply is absent there;
 * - 'missing': a coder who applied no code at all to an answer did not code it,
 *   and their values for it are missing (Cohen, Scott, the passages and the
 *   queue use the answers both coders coded; percent agreement, Fleiss, AC1
 *   and alpha treat missing values as docs/agreement.md describes).
 *
 * The steps are exported so that a worker can yield (and notice a cancel)
 * between them.
 */

import { codePointLength } from '../coding/offsets';
import { answerParts } from '../coding/coding-pages';
import { ANSWER_ID_SEPARATOR } from '../model/types';
import { ABSENT, buildAgreementTable, PRESENT, type AgreementTable, type AnswerCodings, type Presence } from './answer-agreement';
import type { StatResult } from './errors';
import { characterAgreement, matchSpans, type CharacterAgreement, type SpanAnswer, type TextSpan } from './span-agreement';
import type { ScopedAnswers } from './scope';

export type UncodedAs = 'absent' | 'missing';

/** A code compared with the codes that count as it (itself and, "with subcodes", its descendants). */
export interface CodeGroup {
  codeId: string;
  memberIds: string[];
}

/** The fields of a coding this needs. */
export interface CodingLike {
  answerId: string;
  codeId: string;
  coderId: string;
  start: number | null;
  end: number | null;
}

export interface AgreementSettings {
  /** Two or more coders; passages and the queue compare the first two. */
  coderIds: readonly string[];
  /** The codes compared, in display order. */
  codeIds: readonly string[];
  /** For codes compared with their subcodes: the ids that count as the code. Codes not listed count as themselves. */
  codeGroups?: readonly CodeGroup[];
  uncodedAs: UncodedAs;
  /** Passages match when their overlap (Jaccard) is at least this, 0..1. */
  spanThreshold: number;
  /** Bootstrap resamples for the alpha intervals (0 skips them). */
  bootstrapSamples: number;
  bootstrapSeed?: number;
  /** Disagreements of the first two coders sent with their text and parts; 2,000 by default. */
  detailLimit?: number;
  /** Rows of the disagreement export (answer × code); 100,000 by default. */
  exportRowLimit?: number;
}

export interface SpanMatchingSummary {
  threshold: number;
  /** Passages (non-empty, within the answer) each coder marked. */
  aPassages: number;
  bPassages: number;
  matched: number;
  aUnmatched: number;
  bUnmatched: number;
  /** 2·matched / (A's passages + B's passages). */
  agreement: StatResult;
}

export interface SpanRow {
  codeId: string;
  /** Answers compared: those both coders coded (all answers in scope when uncoded counts as absent). */
  answers: number;
  /** Answers where either coder marked the code. */
  answersCoded: number;
  characters: CharacterAgreement;
  matching: SpanMatchingSummary;
}

export interface DisagreementDetail {
  answerId: string;
  questionId: string;
  waveId: string;
  respondentId: string;
  text: string;
}

export interface DisagreementQueueData {
  /** The two coders compared, in the order "first" and "second" refer to. */
  coderIds: [string, string];
  /** Every code id counted (the compared codes and, with subcodes, their members). */
  memberIds: string[];
  /** Every answer where the two coders' compared codes differ, in scope order. */
  answerIds: string[];
  /** The first `detailLimit` of them, with text. */
  details: DisagreementDetail[];
}

/** One answer × code where the chosen coders' values differ, for the export. */
export interface DisagreementRow {
  answerId: string;
  codeId: string;
  /** Per chosen coder: present, absent, or null when not coded. */
  values: (Presence | null)[];
}

/**
 * The disagreement rows, packed: tens of thousands of row objects would take
 * the page a long task to receive, while typed arrays are handed over whole
 * (their buffers are transferred). `unpackDisagreements` makes the rows.
 */
export interface PackedDisagreements {
  /** The answers that have a row, in order. */
  answerIds: string[];
  /** Per row: its answer, an index into answerIds. */
  answer: Int32Array;
  /** Per row: its code, an index into the compared codes. */
  code: Int32Array;
  /** Per row and coder (row·coders + coder): 1 present, 0 absent, −1 not coded. */
  values: Int8Array;
  coders: number;
  count: number;
  /** True when there were more rows than exportRowLimit. */
  truncated: boolean;
}

export function unpackDisagreements(packed: PackedDisagreements, codeIds: readonly string[]): DisagreementRow[] {
  const rows: DisagreementRow[] = [];
  for (let i = 0; i < packed.count; i++) {
    const values: (Presence | null)[] = [];
    for (let c = 0; c < packed.coders; c++) {
      const value = packed.values[i * packed.coders + c];
      values.push(value < 0 ? null : value === 1 ? PRESENT : ABSENT);
    }
    rows.push({ answerId: packed.answerIds[packed.answer[i]], codeId: codeIds[packed.code[i]], values });
  }
  return rows;
}

export interface AgreementComputation {
  table: AgreementTable;
  groups: CodeGroup[];
  spans: SpanRow[];
  queue: DisagreementQueueData;
  disagreements: PackedDisagreements;
}

export const DEFAULT_DETAIL_LIMIT = 2000;
export const DEFAULT_EXPORT_ROW_LIMIT = 100_000;

export class AgreementRequestError extends Error {
  override readonly name = 'AgreementRequestError';
}

/** The groups in code order; a code without one counts as itself, always among its members. */
export function normaliseGroups(codeIds: readonly string[], codeGroups: readonly CodeGroup[] = []): CodeGroup[] {
  const given = new Map(codeGroups.map((g) => [g.codeId, g.memberIds]));
  return codeIds.map((codeId) => ({ codeId, memberIds: [...new Set([codeId, ...(given.get(codeId) ?? [])])] }));
}

export function checkSettings(settings: AgreementSettings): void {
  const coders = new Set(settings.coderIds);
  if (settings.coderIds.length < 2) throw new AgreementRequestError('Choose at least two coders to compare.');
  if (coders.size !== settings.coderIds.length) throw new AgreementRequestError('A coder is listed twice: choose each coder once.');
  if (settings.codeIds.length === 0) throw new AgreementRequestError('Choose at least one code to compare.');
  if (new Set(settings.codeIds).size !== settings.codeIds.length) throw new AgreementRequestError('A code is listed twice: choose each code once.');
  if (!(settings.spanThreshold >= 0 && settings.spanThreshold <= 1)) {
    throw new AgreementRequestError(`The overlap threshold must lie between 0 and 1, not ${settings.spanThreshold}.`);
  }
  if (!Number.isInteger(settings.bootstrapSamples) || settings.bootstrapSamples < 0) {
    throw new AgreementRequestError(`Bootstrap resamples must be a whole number ≥ 0, not ${settings.bootstrapSamples}.`);
  }
}

/** The codings of the answers in scope, indexed for the steps below (typed arrays: 200k codings must not make 200k objects). */
export interface PreparedCodings {
  answers: ScopedAnswers;
  settings: AgreementSettings;
  groups: CodeGroup[];
  coders: number;
  /** Bits of the groups present, `groupWords` 32-bit words per (answer·coders + coder). */
  groupBits: Uint32Array;
  groupWords: number;
  /** Every member code id compared; bit i of memberBits is memberIds[i]. */
  memberIds: string[];
  /** Bits of the member codes the first two coders applied, `memberWords` words per (answer·2 + coder). */
  memberBits: Uint32Array;
  memberWords: number;
  /** answer·coders + coder = 1 when the coder applied any code at all to the answer. */
  coded: Uint8Array;
  /** member code id → the groups it counts for. */
  groupsOf: Map<string, number[]>;
  /** The first two coders' codings of compared codes, and answer·2 + coder of each: the passages, grouped on first use. */
  spanCodings: CodingLike[];
  spanKeys: number[];
  /** Per group: answer → the first two coders' passages of its members (the codings themselves serve as passages). */
  passages: Map<number, { a: TextSpan[]; b: TextSpan[] }>[] | null;
  /** Answers where any chosen coder applied a compared code, ascending. */
  touched: Int32Array;
  /** Code point length per answer, filled on first use (−1 until then). */
  lengths: Int32Array;
}

export function prepareCodings(answers: ScopedAnswers, codings: Iterable<CodingLike>, settings: AgreementSettings): PreparedCodings {
  checkSettings(settings);
  if (answers.ids.length !== answers.texts.length) throw new RangeError('Every answer in scope needs its text.');
  const groups = normaliseGroups(settings.codeIds, settings.codeGroups);
  const coders = settings.coderIds.length;
  const count = answers.ids.length;
  const answerIndex = new Map<string, number>();
  for (let i = 0; i < count; i++) answerIndex.set(answers.ids[i], i);
  const coderIds = settings.coderIds;
  // Codings of other questions are most of a project's: a prefix test turns them away before the id is hashed.
  const prefixes = questionPrefixes(answers.ids);
  /** member code id → the groups it counts for (a code may be compared alone and inside its parent). */
  const groupsOf = new Map<string, number[]>();
  const memberIds: string[] = [];
  const memberIndex = new Map<string, number>();
  groups.forEach((group, g) => {
    for (const member of group.memberIds) {
      const list = groupsOf.get(member);
      if (list) list.push(g);
      else groupsOf.set(member, [g]);
      if (!memberIndex.has(member)) {
        memberIndex.set(member, memberIds.length);
        memberIds.push(member);
      }
    }
  });
  const groupWords = Math.ceil(groups.length / 32);
  const memberWords = Math.ceil(memberIds.length / 32);
  const groupBits = new Uint32Array(count * coders * groupWords);
  const memberBits = new Uint32Array(count * 2 * memberWords);
  const coded = new Uint8Array(count * coders);
  const touchedMark = new Uint8Array(count);
  const spanCodings: CodingLike[] = [];
  const spanKeys: number[] = [];

  for (const coding of codings) {
    // A few coders: compared directly, cheaper than hashing each coding's coder id.
    let c = 0;
    while (c < coders && coderIds[c] !== coding.coderId) c++;
    if (c === coders) continue;
    if (prefixes !== null && !hasPrefix(coding.answerId, prefixes)) continue;
    const a = answerIndex.get(coding.answerId);
    if (a === undefined) continue;
    coded[a * coders + c] = 1;
    const hits = groupsOf.get(coding.codeId);
    if (!hits) continue;
    touchedMark[a] = 1;
    const base = (a * coders + c) * groupWords;
    for (let h = 0; h < hits.length; h++) groupBits[base + (hits[h] >>> 5)] |= 1 << (hits[h] & 31);
    if (c > 1) continue;
    const m = memberIndex.get(coding.codeId)!;
    memberBits[(a * 2 + c) * memberWords + (m >>> 5)] |= 1 << (m & 31);
    spanCodings.push(coding);
    spanKeys.push(a * 2 + c);
  }
  let touchedCount = 0;
  for (let a = 0; a < count; a++) touchedCount += touchedMark[a];
  const touched = new Int32Array(touchedCount);
  for (let a = 0, t = 0; a < count; a++) if (touchedMark[a]) touched[t++] = a;
  return {
    answers,
    settings,
    groups,
    coders,
    groupBits,
    groupWords,
    memberIds,
    memberBits,
    memberWords,
    coded,
    groupsOf,
    spanCodings,
    spanKeys,
    passages: null,
    touched,
    lengths: new Int32Array(count).fill(-1),
  };
}

/**
 * The question parts ("question␟") of the answer ids, when there are only a
 * few (one question, or a handful): null when there are many, or an id has none.
 */
function questionPrefixes(ids: readonly string[]): string[] | null {
  const found = new Set<string>();
  let last = '';
  for (const id of ids) {
    if (last !== '' && id.startsWith(last)) continue;
    const at = id.indexOf(ANSWER_ID_SEPARATOR);
    if (at < 0) return null;
    last = id.slice(0, at + 1);
    found.add(last);
    if (found.size > 16) return null;
  }
  return [...found];
}

function hasPrefix(id: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (id.startsWith(prefix)) return true;
  return false;
}

/** The group ids coder c applied to answer a, or undefined for none. */
function presentGroups(prepared: PreparedCodings, c: number, a: number): string[] | undefined {
  const { groupBits, groupWords, groups, coders } = prepared;
  const base = (a * coders + c) * groupWords;
  let found: string[] | undefined;
  for (let w = 0; w < groupWords; w++) {
    let bits = groupBits[base + w];
    while (bits !== 0) {
      const low = bits & -bits;
      (found ??= []).push(groups[w * 32 + 31 - Math.clz32(low)].codeId);
      bits ^= low;
    }
  }
  return found;
}

function isCoded(prepared: PreparedCodings, c: number, a: number): boolean {
  return prepared.settings.uncodedAs === 'absent' || prepared.coded[a * prepared.coders + c] === 1;
}

function unitInput(prepared: PreparedCodings): AnswerCodings {
  const { answers, settings } = prepared;
  return {
    answerIds: answers.ids,
    coderIds: settings.coderIds,
    codeIds: settings.codeIds,
    present: (coder, answer) => presentGroups(prepared, coder, answer),
    ...(settings.uncodedAs === 'missing' ? { coded: (coder: number, answer: number) => isCoded(prepared, coder, answer) } : {}),
  };
}

/** Whether the first two coders both coded the answer, under the uncoded-as rule. */
function pairable(prepared: PreparedCodings, answer: number): boolean {
  return isCoded(prepared, 0, answer) && isCoded(prepared, 1, answer);
}

/** The first two coders' passages per group and answer, grouped once. */
function passagesOf(prepared: PreparedCodings): Map<number, { a: TextSpan[]; b: TextSpan[] }>[] {
  if (prepared.passages) return prepared.passages;
  const passages = prepared.groups.map(() => new Map<number, { a: TextSpan[]; b: TextSpan[] }>());
  const { spanCodings, spanKeys, groupsOf } = prepared;
  for (let i = 0; i < spanCodings.length; i++) {
    const coding = spanCodings[i];
    const a = Math.floor(spanKeys[i] / 2);
    const first = spanKeys[i] % 2 === 0;
    for (const g of groupsOf.get(coding.codeId)!) {
      let entry = passages[g].get(a);
      if (!entry) passages[g].set(a, (entry = { a: [], b: [] }));
      (first ? entry.a : entry.b).push(coding);
    }
  }
  return (prepared.passages = passages);
}

function lengthOf(prepared: PreparedCodings, answer: number): number {
  let length = prepared.lengths[answer];
  if (length < 0) prepared.lengths[answer] = length = codePointLength(prepared.answers.texts[answer]);
  return length;
}

export function answerTableOf(prepared: PreparedCodings): AgreementTable {
  const { bootstrapSamples, bootstrapSeed } = prepared.settings;
  return buildAgreementTable(unitInput(prepared), { bootstrapSamples, ...(bootstrapSeed === undefined ? {} : { seed: bootstrapSeed }) });
}

/** Counts the answers both of the first two coders coded, and their characters (once, on first use). */
export function pairableLengthOf(prepared: PreparedCodings): () => { answers: number; length: number } {
  let cached: { answers: number; length: number } | null = null;
  return () => {
    if (cached) return cached;
    let answers = 0;
    let length = 0;
    for (let a = 0; a < prepared.answers.ids.length; a++) {
      if (!pairable(prepared, a)) continue;
      answers++;
      length += lengthOf(prepared, a);
    }
    return (cached = { answers, length });
  };
}

/** Passages that cover a character once clamped to the answer, as matchSpans counts them (null: the start or end). */
function nonEmptyPassages(spans: readonly TextSpan[], length: number): number {
  let count = 0;
  for (const span of spans) {
    const start = Math.min(Math.max(span.start ?? 0, 0), length);
    const end = Math.min(Math.max(span.end ?? length, 0), length);
    if (start < end) count++;
  }
  return count;
}

/**
 * Passage-level agreement of one group for the first two coders, over the
 * answers both coded. Answers neither marked add only "neither" characters, so
 * they are summed into one blank stand-in rather than listed one by one; and
 * only answers both marked can hold a match, so only those go to matchSpans
 * (the others' passages are all unmatched, and only counted).
 */
export function spanRowOf(prepared: PreparedCodings, g: number, pairableLength: () => { answers: number; length: number }): SpanRow {
  const { answers, groups, settings } = prepared;
  const marked: SpanAnswer[] = [];
  const twoSided: SpanAnswer[] = [];
  let markedLength = 0;
  let aOneSided = 0;
  let bOneSided = 0;
  for (const [a, entry] of passagesOf(prepared)[g]) {
    if (!pairable(prepared, a)) continue;
    const length = lengthOf(prepared, a);
    markedLength += length;
    const answer: SpanAnswer = { answerId: answers.ids[a], length, a: entry.a, b: entry.b };
    marked.push(answer);
    if (entry.a.length > 0 && entry.b.length > 0) twoSided.push(answer);
    else if (entry.a.length > 0) aOneSided += nonEmptyPassages(entry.a, length);
    else bOneSided += nonEmptyPassages(entry.b, length);
  }
  const all = pairableLength();
  const answersCoded = marked.length;
  const rest = all.length - markedLength;
  if (rest > 0) marked.push({ answerId: '', length: rest, a: [], b: [] });
  const characters = characterAgreement(marked);
  const matching = matchSpans(twoSided, settings.spanThreshold);
  const matched = matching.matched.length;
  const aPassages = matched + matching.aUnmatched.length + aOneSided;
  const bPassages = matched + matching.bUnmatched.length + bOneSided;
  return {
    codeId: groups[g].codeId,
    answers: all.answers,
    answersCoded,
    characters: { ...characters, answers: all.answers },
    matching: {
      threshold: matching.threshold,
      aPassages,
      bPassages,
      matched,
      aUnmatched: aPassages - matched,
      bUnmatched: bPassages - matched,
      // 2·matched / (|A| + |B|), as matchSpans defines it; with no passage at all its own words say why.
      agreement: aPassages + bPassages > 0 ? { value: (2 * matched) / (aPassages + bPassages) } : matching.agreement,
    },
  };
}

export function spanRowsOf(prepared: PreparedCodings): SpanRow[] {
  const length = pairableLengthOf(prepared);
  return prepared.groups.map((_, g) => spanRowOf(prepared, g, length));
}

/**
 * Answers (both coded, under the uncoded-as rule) where the first two coders
 * applied different compared codes. Codes are compared one by one, not as
 * groups: a consensus has to name the codes, so "Career" against "Promotion"
 * under a parent compared with its subcodes is still a difference to settle.
 */
export function queueOf(prepared: PreparedCodings): DisagreementQueueData {
  const { answers, settings, memberBits, memberWords } = prepared;
  const limit = settings.detailLimit ?? DEFAULT_DETAIL_LIMIT;
  const answerIds: string[] = [];
  const details: DisagreementDetail[] = [];
  for (const a of prepared.touched) {
    if (!pairable(prepared, a)) continue;
    const first = a * 2 * memberWords;
    const second = first + memberWords;
    let differ = false;
    for (let w = 0; w < memberWords && !differ; w++) differ = memberBits[first + w] !== memberBits[second + w];
    if (!differ) continue;
    const id = answers.ids[a];
    answerIds.push(id);
    if (details.length < limit) details.push({ answerId: id, ...answerParts(id), text: answers.texts[a] });
  }
  return { coderIds: [settings.coderIds[0], settings.coderIds[1]], memberIds: prepared.memberIds, answerIds, details };
}

/**
 * The queued answers' texts, so any of them can be shown, not only the first details. Only those texts are kept:
 * holding the compared answers' columns kept a whole question's texts alive in an idle worker.
 */
export interface QueueTexts {
  texts: Map<string, string>;
}

export function queueTextsOf(answers: { ids: readonly string[]; texts: readonly string[] }, queued: readonly string[]): QueueTexts {
  const wanted = new Set(queued);
  const texts = new Map<string, string>();
  answers.ids.forEach((id, i) => {
    if (wanted.has(id)) texts.set(id, answers.texts[i]);
  });
  return { texts };
}

/** The details of the queued answers asked for (answers not in the queue are left out). */
export function queueDetailsOf(queued: QueueTexts, answerIds: readonly string[]): DisagreementDetail[] {
  const out: DisagreementDetail[] = [];
  for (const id of answerIds) {
    const text = queued.texts.get(id);
    if (text !== undefined) out.push({ answerId: id, ...answerParts(id), text });
  }
  return out;
}

/**
 * Answer × code units where the chosen coders' values differ (pairable units
 * only: two or more coders coded the answer), in answer order then code order,
 * for the export. Only answers where someone applied a compared code can hold
 * one, so only those are visited.
 */
export function disagreementsOf(prepared: PreparedCodings): PackedDisagreements {
  const { groups, coders, groupBits, groupWords, settings } = prepared;
  const limit = settings.exportRowLimit ?? DEFAULT_EXPORT_ROW_LIMIT;
  const answerIds: string[] = [];
  const answer: number[] = [];
  const code: number[] = [];
  const values: number[] = [];
  let truncated = false;
  scan: for (const a of prepared.touched) {
    let listed = false;
    for (let g = 0; g < groups.length; g++) {
      const word = g >>> 5;
      const bit = 1 << (g & 31);
      let present = 0;
      let absent = 0;
      for (let c = 0; c < coders; c++) {
        if (!isCoded(prepared, c, a)) continue;
        if (groupBits[(a * coders + c) * groupWords + word] & bit) present++;
        else absent++;
      }
      if (present === 0 || absent === 0) continue;
      if (code.length === limit) {
        truncated = true;
        break scan;
      }
      if (!listed) {
        answerIds.push(prepared.answers.ids[a]);
        listed = true;
      }
      answer.push(answerIds.length - 1);
      code.push(g);
      for (let c = 0; c < coders; c++) values.push(!isCoded(prepared, c, a) ? -1 : groupBits[(a * coders + c) * groupWords + word] & bit ? 1 : 0);
    }
  }
  return {
    answerIds,
    answer: Int32Array.from(answer),
    code: Int32Array.from(code),
    values: Int8Array.from(values),
    coders,
    count: code.length,
    truncated,
  };
}

/** Everything at once (the worker runs the steps one by one to stay cancellable). */
export function computeAgreement(answers: ScopedAnswers, codings: Iterable<CodingLike>, settings: AgreementSettings): AgreementComputation {
  const prepared = prepareCodings(answers, codings, settings);
  const table = answerTableOf(prepared);
  const spans = spanRowsOf(prepared);
  const queue = queueOf(prepared);
  return { table, groups: prepared.groups, spans, queue, disagreements: disagreementsOf(prepared) };
}
