/**
 * The one pass every view is built on: the answers a target's codes were
 * applied to by the selected coders, with the codings and spans on each.
 */
import type { AnalysisIndex } from './analysis-index';
import { Marks } from './marks';

/** Answers coded with a target, in answer position order, with the codings behind each. */
export interface CodedAnswers {
  /** Answer positions, ascending. */
  readonly answers: Int32Array;
  /** Codings of the target on each answer (aligned with `answers`). */
  readonly codings: Int32Array;
  /** Of those, the spans (codings with a start). */
  readonly spans: Int32Array;
}

/**
 * Scratch space for {@link codedAnswers}, sized to the index: make one per
 * view and pass it for every target, so no per-target allocation scales with
 * the number of answers.
 */
export class CodedScratch {
  readonly marks: Marks;
  readonly codings: Int32Array;
  readonly spans: Int32Array;
  readonly found: Int32Array;
  readonly merged: Int32Array;

  constructor(index: AnalysisIndex) {
    const n = index.answerCount;
    this.marks = new Marks(n);
    this.codings = new Int32Array(n);
    this.spans = new Int32Array(n);
    this.found = new Int32Array(n);
    this.merged = new Int32Array(n);
  }
}

/**
 * Sorts `values[0, bounds.at(-1))`, made of ascending runs between `bounds`,
 * by merging runs pairwise (values are distinct). Each code's answers come
 * out of the index ascending, so a target of k codes is k runs: merging them
 * is linear per round, where a sort was most of a view's time.
 */
function mergeRuns(values: Int32Array, bounds: number[], buffer: Int32Array): Int32Array {
  let src = values;
  let dst = buffer;
  while (bounds.length > 2) {
    const next = [0];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const lo = bounds[r];
      const mid = bounds[r + 1];
      const hi = r + 2 < bounds.length ? bounds[r + 2] : mid;
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) dst[k++] = src[i] < src[j] ? src[i++] : src[j++];
      while (i < mid) dst[k++] = src[i++];
      while (j < hi) dst[k++] = src[j++];
      next.push(hi);
    }
    [src, dst] = [dst, src];
    bounds = next;
  }
  return src.slice(0, bounds[bounds.length - 1]);
}

/** The answers coded with any of `codeIds` by a coder the mask takes. */
export function codedAnswers(index: AnalysisIndex, codeIds: readonly string[], mask: Uint8Array, scratch: CodedScratch): CodedAnswers {
  const { marks, codings, spans, found } = scratch;
  marks.clear();
  let n = 0;
  const bounds = [0];
  for (const codeId of codeIds) {
    const c = index.codingsOf(codeId);
    for (let i = 0; i < c.answer.length; i++) {
      if (mask[c.coder[i]] !== 1) continue;
      const a = c.answer[i];
      if (marks.add(a)) found[n++] = a;
      codings[a] += 1;
      spans[a] += c.span[i];
    }
    if (n > bounds[bounds.length - 1]) bounds.push(n);
  }
  const answers = mergeRuns(found, bounds, scratch.merged);
  const codingCounts = new Int32Array(answers.length);
  const spanCounts = new Int32Array(answers.length);
  for (let k = 0; k < answers.length; k++) {
    const a = answers[k];
    codingCounts[k] = codings[a];
    spanCounts[k] = spans[a];
    // Leave the scratch zeroed for the next target.
    codings[a] = 0;
    spans[a] = 0;
  }
  return { answers, codings: codingCounts, spans: spanCounts };
}

/**
 * codedAnswers kept for the tables of one piece of work over one index (the Word report: a table per theme with its
 * codes, then one of every code, so each code's answers were found twice; ~1 s of the report at 2M answers). Made
 * for that work and dropped with it; what it hands out must not be changed.
 */
export class CodedCache {
  readonly #index: AnalysisIndex;
  readonly #kept = new Map<string, CodedAnswers>();
  readonly #maxBytes: number;
  #bytes = 0;

  /** `maxBytes`: the least recently used sets are let go past it (12 bytes an answer). */
  constructor(index: AnalysisIndex, maxBytes = Infinity) {
    this.#index = index;
    this.#maxBytes = maxBytes;
  }

  /** The bytes of the coded answers kept. */
  get bytes(): number {
    return this.#bytes;
  }

  /** codedAnswers(index, codeIds, mask, scratch), found once per set of codes and coders. */
  of(index: AnalysisIndex, codeIds: readonly string[], mask: Uint8Array, scratch: CodedScratch): CodedAnswers {
    if (index !== this.#index) return codedAnswers(index, codeIds, mask, scratch);
    const key = `${mask.join(',')}\u0000${codeIds.join('\u0000')}`;
    let coded = this.#kept.get(key);
    if (coded) {
      // Most recently used last.
      this.#kept.delete(key);
      this.#kept.set(key, coded);
      return coded;
    }
    coded = codedAnswers(index, codeIds, mask, scratch);
    this.#kept.set(key, coded);
    this.#bytes += bytesOf(coded);
    for (const [oldest, set] of this.#kept) {
      if (this.#bytes <= this.#maxBytes || oldest === key) break;
      this.#kept.delete(oldest);
      this.#bytes -= bytesOf(set);
    }
    return coded;
  }
}

function bytesOf(coded: CodedAnswers): number {
  return coded.answers.byteLength + coded.codings.byteLength + coded.spans.byteLength;
}

/** What the tables asked one after another keep per index (keptFor). */
export interface KeptPerIndex {
  /** One scratch for every request: it is left zeroed (five arrays of the answers' length, ~37 MB at 2M answers). */
  readonly scratch: CodedScratch;
  /** The coded answers of the targets and coders asked for lately: a regrouped or re-split table finds them again. */
  readonly coded: CodedCache;
}

/**
 * Coded answers kept per index, at most this many bytes (12 an answer coded): one set of every code is ~8 MB at 250k
 * respondents (700k coded answer-code pairs), so a few coder choices and target kinds fit.
 */
const KEPT_CODED_BYTES = 32 * 1024 * 1024;

const keptPerIndex = new WeakMap<AnalysisIndex, KeptPerIndex>();

/**
 * The scratch and coded answers kept for an index, for the tables the views ask for one after another (the counts
 * regrouped by another attribute, the prevalence table switched between units: the same targets and coders give the
 * same coded answers whatever the breakdown). A coding change builds a new index, so nothing kept outlives what it
 * was found from. Requests are answered one at a time, so the one scratch is never shared by two at once.
 */
export function keptFor(index: AnalysisIndex): KeptPerIndex {
  let kept = keptPerIndex.get(index);
  if (!kept) keptPerIndex.set(index, (kept = { scratch: new CodedScratch(index), coded: new CodedCache(index, KEPT_CODED_BYTES) }));
  return kept;
}

/** Every answer position in scope, as coded answers with no codings (the denominators' input). */
export function allAnswers(index: AnalysisIndex): CodedAnswers {
  const n = index.answerCount;
  const answers = new Int32Array(n);
  for (let a = 0; a < n; a++) answers[a] = a;
  return { answers, codings: new Int32Array(n), spans: new Int32Array(n) };
}
