/**
 * Passage-level agreement for one code and two coders, in two readings:
 *
 * - characters, as NVivo's coding comparison reports it: every character of
 *   the answers is a unit, coded by A, by B, by both or by neither; a coder's
 *   overlapping passages are united first, so no character counts twice;
 * - passages: A's and B's passages are paired when they overlap enough
 *   (Jaccard: shared characters / characters of either), greedily from the
 *   best overlap, and agreement is 2·matched / (|A| + |B|).
 *
 * Offsets are code points, start inclusive, end exclusive; a null start or
 * end means the start or end of the answer (null–null: the whole answer).
 * Passages are clamped to the answer; those left empty cover no character and
 * are ignored. Which answers to include (e.g. those both coders coded) is the
 * caller's choice: their uncoded text counts as "neither".
 */

import { AgreementUndefinedError, tryStatistic, type StatResult } from './errors';
import { kappaFromTable } from './statistics';

export interface TextSpan {
  start: number | null;
  end: number | null;
}

export interface SpanAnswer {
  answerId: string;
  /** Length of the answer in code points. */
  length: number;
  /** Coder A's passages coded with the code on this answer. */
  a: readonly TextSpan[];
  b: readonly TextSpan[];
}

export interface CharacterAgreement {
  answers: number;
  /** Characters in all answers. */
  total: number;
  both: number;
  aOnly: number;
  bOnly: number;
  neither: number;
  /** (both + neither) / total. */
  percentAgreement: StatResult;
  /** Cohen's kappa on the 2×2 table of characters. */
  kappa: StatResult;
}

/** A passage resolved against its answer: `index` is its position in the input list. */
export interface ResolvedSpan {
  answerId: string;
  index: number;
  start: number;
  end: number;
}

export interface SpanMatch {
  a: ResolvedSpan;
  b: ResolvedSpan;
  /** Jaccard overlap in (0, 1]. */
  overlap: number;
}

export interface SpanMatching {
  threshold: number;
  matched: SpanMatch[];
  aUnmatched: ResolvedSpan[];
  bUnmatched: ResolvedSpan[];
  /** 2·matched / (|A| + |B|), over non-empty passages. */
  agreement: StatResult;
}

function checkLength(answer: SpanAnswer): number {
  const { length } = answer;
  if (!Number.isInteger(length) || length < 0)
    throw new RangeError(`Answer ${answer.answerId} has length ${length}: lengths are whole numbers of code points.`);
  return length;
}

function resolve(answer: SpanAnswer, spans: readonly TextSpan[]): ResolvedSpan[] {
  const length = checkLength(answer);
  const resolved: ResolvedSpan[] = [];
  spans.forEach((span, index) => {
    for (const offset of [span.start, span.end]) {
      if (offset !== null && !Number.isFinite(offset)) throw new RangeError(`A passage of answer ${answer.answerId} has offset ${offset}.`);
    }
    const start = Math.min(Math.max(span.start ?? 0, 0), length);
    const end = Math.min(Math.max(span.end ?? length, 0), length);
    if (start < end) resolved.push({ answerId: answer.answerId, index, start, end });
  });
  return resolved;
}

/** Sorted, disjoint, non-touching intervals covering the same characters. */
function union(spans: readonly ResolvedSpan[]): [number, number][] {
  const sorted = spans.map((s): [number, number] => [s.start, s.end]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function covered(intervals: readonly [number, number][]): number {
  let sum = 0;
  for (const [start, end] of intervals) sum += end - start;
  return sum;
}

function intersection(x: readonly [number, number][], y: readonly [number, number][]): number {
  let sum = 0;
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const lo = Math.max(x[i][0], y[j][0]);
    const hi = Math.min(x[i][1], y[j][1]);
    if (lo < hi) sum += hi - lo;
    if (x[i][1] < y[j][1]) i++;
    else j++;
  }
  return sum;
}

export function characterAgreement(answers: readonly SpanAnswer[]): CharacterAgreement {
  let total = 0;
  let both = 0;
  let aOnly = 0;
  let bOnly = 0;
  for (const answer of answers) {
    const a = union(resolve(answer, answer.a));
    const b = union(resolve(answer, answer.b));
    const shared = intersection(a, b);
    total += answer.length;
    both += shared;
    aOnly += covered(a) - shared;
    bOnly += covered(b) - shared;
  }
  const neither = total - both - aOnly - bOnly;
  return {
    answers: answers.length,
    total,
    both,
    aOnly,
    bOnly,
    neither,
    percentAgreement: tryStatistic(() => {
      if (total === 0) {
        throw new AgreementUndefinedError(
          'characterPercentAgreement',
          'no-pairable-units',
          'Percent agreement on characters is undefined: the answers compared have no characters.',
        );
      }
      return (both + neither) / total;
    }),
    kappa: tryStatistic(() =>
      kappaFromTable(
        [
          [both, aOnly],
          [bOnly, neither],
        ],
        ['coded', 'not coded'],
        'characterKappa',
      ),
    ),
  };
}

function jaccard(a: ResolvedSpan, b: ResolvedSpan): number {
  const shared = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  if (shared <= 0) return 0;
  return shared / (a.end - a.start + (b.end - b.start) - shared);
}

/**
 * Pairs passages of A and B on the same answer whose Jaccard overlap is at
 * least `threshold` (0..1), best overlap first; ties go to the earlier passage
 * of A, then of B. Passages that share no character never match, even at 0.
 */
export function matchSpans(answers: readonly SpanAnswer[], threshold: number): SpanMatching {
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`The overlap threshold must lie between 0 and 1, not ${threshold}.`);
  const matched: SpanMatch[] = [];
  const aUnmatched: ResolvedSpan[] = [];
  const bUnmatched: ResolvedSpan[] = [];
  let spans = 0;
  for (const answer of answers) {
    const a = resolve(answer, answer.a);
    const b = resolve(answer, answer.b);
    spans += a.length + b.length;
    const candidates: { i: number; j: number; overlap: number }[] = [];
    a.forEach((x, i) =>
      b.forEach((y, j) => {
        const overlap = jaccard(x, y);
        if (overlap > 0 && overlap >= threshold) candidates.push({ i, j, overlap });
      }),
    );
    candidates.sort((x, y) => y.overlap - x.overlap || x.i - y.i || x.j - y.j);
    const aTaken = new Uint8Array(a.length);
    const bTaken = new Uint8Array(b.length);
    const here: SpanMatch[] = [];
    for (const { i, j, overlap } of candidates) {
      if (aTaken[i] || bTaken[j]) continue;
      aTaken[i] = 1;
      bTaken[j] = 1;
      here.push({ a: a[i], b: b[j], overlap });
    }
    here.sort((x, y) => x.a.index - y.a.index);
    matched.push(...here);
    a.forEach((x, i) => {
      if (!aTaken[i]) aUnmatched.push(x);
    });
    b.forEach((y, j) => {
      if (!bTaken[j]) bUnmatched.push(y);
    });
  }
  return {
    threshold,
    matched,
    aUnmatched,
    bUnmatched,
    agreement: tryStatistic(() => {
      if (spans === 0) {
        throw new AgreementUndefinedError('spanAgreement', 'no-spans', 'Span agreement is undefined: neither coder marked a passage with this code.');
      }
      return (2 * matched.length) / spans;
    }),
  };
}
