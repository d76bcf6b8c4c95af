/**
 * Where a coding is stored. Codings are kept in pages, one per (question,
 * bucket), the bucket a hash of the answer id: applying a code rewrites one
 * page of a few hundred codings, and opening a question reads at most
 * CODING_BUCKETS records, whatever the layout of the imported answers.
 */
import { fnv1a } from '../model/id-map';
import { ANSWER_ID_SEPARATOR, type Coding } from '../model/types';

export const CODING_BUCKETS = 64;

/** The page an answer's codings are stored in; stored data depends on it never changing. */
export function codingBucket(answerId: string): number {
  return (fnv1a(answerId) >>> 0) % CODING_BUCKETS;
}

export function answerParts(answerId: string): { questionId: string; waveId: string; respondentId: string } {
  const [questionId = '', waveId = '', ...rest] = answerId.split(ANSWER_ID_SEPARATOR);
  return { questionId, waveId, respondentId: rest.join(ANSWER_ID_SEPARATOR) };
}

export type PageKey = string;

export function pageKeyOf(answerId: string): PageKey {
  return `${answerParts(answerId).questionId}${ANSWER_ID_SEPARATOR}${codingBucket(answerId)}`;
}

export function splitPageKey(key: PageKey): { questionId: string; bucket: number } {
  const at = key.lastIndexOf(ANSWER_ID_SEPARATOR);
  return { questionId: key.slice(0, at), bucket: Number(key.slice(at + 1)) };
}

/** Groups codings by the page they are stored in. */
export function groupByPage(codings: Iterable<Coding>): Map<PageKey, Coding[]> {
  const pages = new Map<PageKey, Coding[]>();
  for (const coding of codings) {
    const key = pageKeyOf(coding.answerId);
    const page = pages.get(key);
    if (page) page.push(coding);
    else pages.set(key, [coding]);
  }
  return pages;
}
