/**
 * What the codebook panel and the progress bar show, as one small record: per code its counts alone and with its
 * subcodes, and per question (and per coder) how many answers have a coding. Stored with the project's revision
 * (db/derived-store.ts), so a reopen shows the counts from one read instead of indexing every coding first; the
 * index built afterwards takes over. Blind coding shows a coder's own counts, which this does not hold: there only
 * the progress (kept per coder) comes from it.
 */
import type { CodeCounts } from './coding-index';

/** Bumped when the shape changes: a summary of another format is ignored, not misread. */
export const COUNTS_SUMMARY_FORMAT = 1;

/** [codings, answers, respondents] */
export type CountTriple = [number, number, number];

export interface CountsSummary {
  format: typeof COUNTS_SUMMARY_FORMAT;
  /** Codings in all. */
  size: number;
  /** code id → its own counts, and its counts with every descendant. */
  codes: Record<string, { own: CountTriple; subtree: CountTriple }>;
  /** question id → answers with a coding; and per coder: question id → coder id → answers they coded. */
  coded: Record<string, number>;
  codedBy: Record<string, Record<string, number>>;
}

const NONE: CodeCounts = { codings: 0, answers: 0, respondents: 0 };

function counts(triple: CountTriple | undefined): CodeCounts {
  return triple ? { codings: triple[0], answers: triple[1], respondents: triple[2] } : NONE;
}

/** A code's counts with its subcodes, as CodingIndex.subtreeCounts gives them. */
export function summarySubtreeCounts(summary: CountsSummary, codeId: string): CodeCounts {
  return counts(Object.hasOwn(summary.codes, codeId) ? summary.codes[codeId].subtree : undefined);
}

/** A code's own counts, as CodingIndex.counts gives them. */
export function summaryCounts(summary: CountsSummary, codeId: string): CodeCounts {
  return counts(Object.hasOwn(summary.codes, codeId) ? summary.codes[codeId].own : undefined);
}

/** Answers of a question with a coding (by this coder, or by anyone when null), as CodingIndex.codedAnswers gives them. */
export function summaryCodedAnswers(summary: CountsSummary, questionId: string, coderId: string | null): number {
  if (coderId === null) return Object.hasOwn(summary.coded, questionId) ? summary.coded[questionId] : 0;
  const byCoder = Object.hasOwn(summary.codedBy, questionId) ? summary.codedBy[questionId] : undefined;
  return byCoder && Object.hasOwn(byCoder, coderId) ? byCoder[coderId] : 0;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
const isTriple = (t: unknown): t is CountTriple => Array.isArray(t) && t.length === 3 && t.every(isCount);
const isRecord = (r: unknown): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r);

/** True when a stored value is a summary this code reads (else it is ignored and the counts are built). */
export function isCountsSummary(value: unknown): value is CountsSummary {
  if (!isRecord(value) || value.format !== COUNTS_SUMMARY_FORMAT || !isCount(value.size)) return false;
  const { codes, coded, codedBy } = value;
  if (!isRecord(codes) || !isRecord(coded) || !isRecord(codedBy)) return false;
  return (
    Object.values(codes).every((c) => isRecord(c) && isTriple(c.own) && isTriple(c.subtree)) &&
    Object.values(coded).every(isCount) &&
    Object.values(codedBy).every((byCoder) => isRecord(byCoder) && Object.values(byCoder).every(isCount))
  );
}

/** True when two summaries say the same (whatever order their entries were made in). */
export function sameSummary(a: CountsSummary, b: CountsSummary): boolean {
  const sameTriple = (x: CountTriple, y: CountTriple) => x[0] === y[0] && x[1] === y[1] && x[2] === y[2];
  const sameRecord = <T>(x: Record<string, T>, y: Record<string, T>, same: (p: T, q: T) => boolean) => {
    const keys = Object.keys(x);
    return keys.length === Object.keys(y).length && keys.every((key) => Object.hasOwn(y, key) && same(x[key], y[key]));
  };
  return (
    a.size === b.size &&
    sameRecord(a.codes, b.codes, (x, y) => sameTriple(x.own, y.own) && sameTriple(x.subtree, y.subtree)) &&
    sameRecord(a.coded, b.coded, (x, y) => x === y) &&
    sameRecord(a.codedBy, b.codedBy, (x, y) => sameRecord(x, y, (p, q) => p === q))
  );
}
