/**
 * Which answers of a question pass the coder's filters. Pure: the state layer
 * hands in the answers column-wise and lookups for attributes, codings and memos.
 */
import type { Coding } from '../model/types';

export interface AnswerFilter {
  /** Wave id, or null for all waves. */
  waveId: string | null;
  /** Attribute name → required value; absent or "" means any. */
  attributes: Record<string, string>;
  /** Only answers with this code (or, with includeSubcodes, any code of its subtree). */
  codeId: string | null;
  includeSubcodes: boolean;
  /** Only codings by this coder count for codeId and uncodedOnly; null means anyone's. */
  coderId: string | null;
  uncodedOnly: boolean;
  hasMemo: boolean;
  /**
   * Which positions a search found (1 = hit), aligned with the question's
   * answers; null when there is no search. A mask rather than a set of ids:
   * 50k hits cross from the search worker as one transferred buffer and are
   * tested by index, with no string hashing on the main thread per keystroke.
   */
  searchMask: Uint8Array | null;
  /** Only the answers of this double-coding round (its id), or null: the round as a coder's queue. */
  roundId?: string | null;
}

export const NO_FILTER: AnswerFilter = {
  waveId: null,
  attributes: {},
  codeId: null,
  includeSubcodes: true,
  coderId: null,
  uncodedOnly: false,
  hasMemo: false,
  searchMask: null,
  roundId: null,
};

export interface FilterInput {
  answerIds: readonly string[];
  waveIds: readonly string[];
  respondentIds: readonly string[];
  attributeOf: (respondentId: string, name: string) => string;
  codingsOf: (answerId: string) => readonly Coding[];
  hasMemo: (answerId: string) => boolean;
  /** The code and its descendants, for includeSubcodes. */
  subtreeOf: (codeId: string) => readonly string[];
  /** A round's answer ids, for roundId; null when the round is unknown (then no answer passes). */
  roundAnswers?: (roundId: string) => ReadonlySet<string> | null;
}

export function isFiltering(filter: AnswerFilter): boolean {
  return (
    filter.waveId !== null ||
    Object.values(filter.attributes).some(Boolean) ||
    filter.codeId !== null ||
    filter.coderId !== null ||
    filter.uncodedOnly ||
    filter.hasMemo ||
    filter.searchMask !== null ||
    (filter.roundId ?? null) !== null
  );
}

/** Positions (into the input columns) of the answers that pass every filter, in order. */
export function filterAnswers(input: FilterInput, filter: AnswerFilter): number[] {
  // Read once: this loop runs per answer, 100k times for a keystroke in the search box.
  const { waveId, searchMask, coderId, uncodedOnly, hasMemo } = filter;
  const wanted = Object.entries(filter.attributes).filter(([, value]) => value !== '');
  const codes = filter.codeId === null ? null : new Set(filter.includeSubcodes ? input.subtreeOf(filter.codeId) : [filter.codeId]);
  const byCoder = (coding: Coding) => coderId === null || coding.coderId === coderId;
  const needsCodings = codes !== null || uncodedOnly || coderId !== null;
  const round = filter.roundId ? (input.roundAnswers?.(filter.roundId) ?? new Set<string>()) : null;
  const { answerIds, waveIds, respondentIds } = input;
  const positions: number[] = [];
  for (let i = 0; i < answerIds.length; i++) {
    if (waveId !== null && waveIds[i] !== waveId) continue;
    if (searchMask !== null && searchMask[i] !== 1) continue;
    if (round !== null && !round.has(answerIds[i])) continue;
    if (wanted.length > 0 && !wanted.every(([name, value]) => input.attributeOf(respondentIds[i], name) === value)) continue;
    if (needsCodings) {
      const codings = input.codingsOf(answerIds[i]).filter(byCoder);
      if (uncodedOnly && codings.length > 0) continue;
      if (codes !== null && !codings.some((c) => codes.has(c.codeId))) continue;
      if (!uncodedOnly && codes === null && coderId !== null && codings.length === 0) continue;
    }
    if (hasMemo && !input.hasMemo(answerIds[i])) continue;
    positions.push(i);
  }
  return positions;
}
