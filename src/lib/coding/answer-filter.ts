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
  /** Answer ids a search found, or null when there is no search. */
  searchHits: ReadonlySet<string> | null;
}

export const NO_FILTER: AnswerFilter = {
  waveId: null,
  attributes: {},
  codeId: null,
  includeSubcodes: true,
  coderId: null,
  uncodedOnly: false,
  hasMemo: false,
  searchHits: null,
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
}

export function isFiltering(filter: AnswerFilter): boolean {
  return (
    filter.waveId !== null ||
    Object.values(filter.attributes).some(Boolean) ||
    filter.codeId !== null ||
    filter.coderId !== null ||
    filter.uncodedOnly ||
    filter.hasMemo ||
    filter.searchHits !== null
  );
}

/** Positions (into the input columns) of the answers that pass every filter, in order. */
export function filterAnswers(input: FilterInput, filter: AnswerFilter): number[] {
  const wanted = Object.entries(filter.attributes).filter(([, value]) => value !== '');
  const codes = filter.codeId === null ? null : new Set(filter.includeSubcodes ? input.subtreeOf(filter.codeId) : [filter.codeId]);
  const byCoder = (coding: Coding) => filter.coderId === null || coding.coderId === filter.coderId;
  const positions: number[] = [];
  for (let i = 0; i < input.answerIds.length; i++) {
    const answerId = input.answerIds[i];
    if (filter.waveId !== null && input.waveIds[i] !== filter.waveId) continue;
    if (filter.searchHits !== null && !filter.searchHits.has(answerId)) continue;
    if (wanted.length > 0 && !wanted.every(([name, value]) => input.attributeOf(input.respondentIds[i], name) === value)) continue;
    if (codes !== null || filter.uncodedOnly || filter.coderId !== null) {
      const codings = input.codingsOf(answerId).filter(byCoder);
      if (filter.uncodedOnly && codings.length > 0) continue;
      if (codes !== null && !codings.some((c) => codes.has(c.codeId))) continue;
      if (!filter.uncodedOnly && codes === null && filter.coderId !== null && codings.length === 0) continue;
    }
    if (filter.hasMemo && !input.hasMemo(answerId)) continue;
    positions.push(i);
  }
  return positions;
}
