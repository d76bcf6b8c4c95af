/**
 * "Next to code": the order in which to code the answers not yet coded. Mostly the
 * answers the assistant is least sure of (they teach it most), mixed with a share
 * drawn uniformly at random, so that quality estimated from the coder's codings is
 * not estimated only on hard answers.
 */

import { mulberry32 } from '../agreement/random';
import type { AssistantModel } from './model';

export interface QueueOptions {
  /** 1 for rows to leave out (already coded); every row is a candidate when absent. */
  exclude?: Uint8Array;
  /** Share of entries drawn uniformly at random; 0.25 by default. */
  randomShare?: number;
  seed?: number;
  /** Entries to return; every candidate by default. */
  limit?: number;
}

export interface CodingQueue {
  /** Rows (of the probability matrix) in the order to code them. */
  queue: Int32Array;
  /** 1 where the entry was drawn at random, 0 where chosen for uncertainty. */
  random: Uint8Array;
  /** Each entry's uncertainty in [0, 1] (1: the assistant cannot tell). */
  uncertainty: Float32Array;
}

/**
 * How unsure the model is about a row, in [0, 1]. Exclusive: 1 − (largest − second
 * largest class probability, "none" included). Multi-label: over the trained codes,
 * the largest closeness to the code's threshold, 1 − |p − t| / (distance from t to
 * the end of [0, 1] on p's side). 1 when no code is trained.
 */
export function rowUncertainty(model: AssistantModel, probabilities: ArrayLike<number>, row: number): number {
  const K = model.codeCount;
  const offset = row * K;
  let any = false;
  if (model.mode === 'exclusive') {
    let first = 0;
    let second = 0;
    let total = 0;
    for (let c = 0; c < K; c++) {
      const p = probabilities[offset + c];
      total += p;
      if (!model.trained[c]) continue;
      any = true;
      if (p > first) {
        second = first;
        first = p;
      } else if (p > second) second = p;
    }
    const none = model.classes.includes(-1) ? Math.max(0, 1 - total) : 0;
    if (none > first) {
      second = first;
      first = none;
    } else if (none > second) second = none;
    return any ? Math.min(1, Math.max(0, 1 - (first - second))) : 1;
  }
  let best = 0;
  for (let c = 0; c < K; c++) {
    if (!model.trained[c]) continue;
    any = true;
    const p = probabilities[offset + c];
    const t = model.thresholds[c];
    const room = p >= t ? 1 - t : t;
    const closeness = room > 0 ? 1 - Math.abs(p - t) / room : 1;
    if (closeness > best) best = closeness;
  }
  return any ? Math.min(1, Math.max(0, best)) : 1;
}

/** The seeded "next to code" order over the rows of `probabilities` (rows × codeCount) not excluded. */
export function nextToCode(model: AssistantModel, probabilities: ArrayLike<number>, options: QueueOptions = {}): CodingQueue {
  const { exclude, randomShare = 0.25, seed = 1 } = options;
  if (!(randomShare >= 0 && randomShare <= 1)) throw new RangeError(`randomShare must lie in [0, 1], not ${randomShare}.`);
  const rows = Math.floor(probabilities.length / model.codeCount);
  const candidates: number[] = [];
  for (let r = 0; r < rows; r++) if (!exclude?.[r]) candidates.push(r);
  const uncertainty = new Float32Array(rows);
  for (const r of candidates) uncertainty[r] = rowUncertainty(model, probabilities, r);
  const byUncertainty = Int32Array.from(candidates).sort((a, b) => uncertainty[b] - uncertainty[a] || a - b);
  const random = mulberry32(seed);
  // The next untaken entry of a random permutation is uniform over the untaken rows.
  const shuffled = Int32Array.from(candidates);
  const count = Math.min(options.limit ?? candidates.length, candidates.length);
  const taken = new Uint8Array(rows);
  const queue = new Int32Array(count);
  const isRandom = new Uint8Array(count);
  const entryUncertainty = new Float32Array(count);
  let nextUncertain = 0;
  let nextRandom = 0;
  for (let q = 0; q < count; q++) {
    let row: number;
    if (random() < randomShare) {
      // Lazy Fisher–Yates: draw position nextRandom from the rest.
      do {
        const s = nextRandom + Math.floor(random() * (shuffled.length - nextRandom));
        row = shuffled[s];
        shuffled[s] = shuffled[nextRandom];
        shuffled[nextRandom] = row;
        nextRandom++;
      } while (taken[row]);
      isRandom[q] = 1;
    } else {
      while (taken[byUncertainty[nextUncertain]]) nextUncertain++;
      row = byUncertainty[nextUncertain++];
    }
    taken[row] = 1;
    queue[q] = row;
    entryUncertainty[q] = uncertainty[row];
  }
  return { queue, random: isRandom, uncertainty: entryUncertainty };
}
