/**
 * How well the assistant agrees with the coder, estimated on the coder's own
 * codings by k-fold cross-validation (seeded, deterministic): every coded answer
 * is decided by a model that did not see it. Per code: Cohen's κ and Krippendorff's
 * α (with a bootstrap interval) of the assistant's presence/absence decisions
 * against the coder's, precision, recall, recall at 90% precision, the
 * precision-vs-coverage curve, and a learning curve (κ and α at growing numbers
 * of training rows, on the same folds).
 */

import { bootstrapAlpha, bootstrapPatterns, cohenKappa, cohenKappaFromTable, krippendorffAlpha, mixSeed, mulberry32, type Units } from '../agreement';
import { precisionCoverageCurve, thresholdForPrecision } from './curves';
import type { CsrMatrix } from './features';
import { shuffleInPlace, stratifiedFolds } from './folds';
import { decideAll, detectMode, predictProbabilities, trainAssistant, type AssistantMode, type LabelledRows } from './model';

export interface QualityOptions {
  codeCount: number;
  /** Folds; 5 by default (fewer when rows are few). */
  folds?: number;
  seed?: number;
  minPositives?: number;
  /** SVM cost for every fold; by default the first fold's model chooses it and the others reuse it. */
  cost?: number;
  /** Bootstrap resamples for α's interval; 1000 by default. */
  bootstrapSamples?: number;
  /** Training sizes of the learning curve; 25, 50, 100, 200, … below the folds' training size by default. */
  learningSizes?: number[];
  /** A second coder's codes of the same rows (null where they did not code it), for the human–human κ. */
  peer?: readonly (readonly number[] | null)[] | null;
  /** Precision the `atTarget` threshold must reach; 0.9 by default. */
  targetPrecision?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface LearningPoint {
  /** Training rows each fold's model learned from. */
  n: number;
  kappa: number | null;
  alpha: number | null;
}

export interface CodeQualityResult {
  /** Coded rows with the code. */
  positives: number;
  kappa: number | null;
  /** κ's 95% percentile bootstrap interval (answers resampled: one multinomial draw over the 2×2 table's cells). */
  kappaLow: number | null;
  kappaHigh: number | null;
  alpha: number | null;
  alphaLow: number | null;
  alphaHigh: number | null;
  /** Of the rows the assistant applied the code to, the share the coder did (null when it applied it to none). */
  precision: number | null;
  /** Of the coder's rows with the code, the share the assistant applied it to (null when the code has none). */
  recall: number | null;
  recallAtP90: number | null;
  /** The peer's κ with the coder on rows both coded (null without a peer, or when undefined). */
  humanKappa: number | null;
  /** Precision and coverage by threshold, high thresholds first (out of fold). */
  curve: { threshold: number; precision: number; coverage: number }[];
  /** The lowest threshold with precision ≥ the target on the curve, or null. */
  atTarget: { threshold: number; precision: number; coverage: number } | null;
  learning: LearningPoint[];
}

export interface QualityResult {
  mode: AssistantMode;
  folds: number;
  cost: number;
  codes: CodeQualityResult[];
  /** Out-of-fold probabilities and decisions (rows × codeCount, in the order of `labelled.rows`). */
  probabilities: Float32Array;
  decisions: Uint8Array;
}

/** A statistic, or null where agreement is undefined (e.g. both raters used one value only). */
function orNull(compute: () => number): number | null {
  try {
    const value = compute();
    return Number.isFinite(value) ? value : null;
  } catch (error) {
    if (error instanceof Error && error.name === 'AgreementUndefinedError') return null;
    if (error instanceof RangeError) return null;
    throw error;
  }
}

function presenceUnits(n: number, human: (i: number) => number, other: (i: number) => number): Units {
  const units: [number, number][] = [];
  for (let i = 0; i < n; i++) units.push([human(i), other(i)]);
  return units;
}

export function defaultLearningSizes(trainSize: number): number[] {
  const sizes: number[] = [];
  for (let s = 25; s < trainSize; s *= 2) sizes.push(s);
  sizes.push(trainSize);
  return sizes;
}

/** Cross-validated quality of the assistant on `labelled` (see the module comment). Deterministic for a seed. */
export function assessQuality(space: CsrMatrix, labelled: LabelledRows, options: QualityOptions): QualityResult {
  const { codeCount: K, seed = 1, minPositives = 3, bootstrapSamples = 1000, targetPrecision = 0.9, peer = null, onProgress } = options;
  const n = labelled.rows.length;
  if (n < 2) throw new RangeError('Quality needs at least two coded rows.');
  const k = Math.max(2, Math.min(options.folds ?? 5, n));
  const mode = detectMode(labelled.codes);
  const fold = stratifiedFolds(labelled.codes, k, mixSeed(seed, 'quality folds'));
  const testOf: number[][] = Array.from({ length: k }, () => []);
  const trainOf: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) {
    testOf[fold[i]].push(i);
    for (let f = 0; f < k; f++) if (f !== fold[i]) trainOf[f].push(i);
  }
  const minTrain = Math.min(...trainOf.map((t) => t.length));
  const sizes = (options.learningSizes ?? defaultLearningSizes(minTrain)).filter((s) => s >= 1 && s <= minTrain);
  // The largest size is the main cross-validation itself (its folds differ by a row at most).
  const total = k * (1 + sizes.filter((s) => s < minTrain).length);
  let done = 0;
  onProgress?.(done, total);

  const has = (i: number, c: number): number => (labelled.codes[i].includes(c) ? 1 : 0);
  let cost = options.cost;
  /** Out-of-fold decisions (and probabilities) when each fold's model learns from `take(f)` of its training rows. */
  const outOfFold = (take: (f: number) => number[]): { probabilities: Float32Array; decisions: Uint8Array } => {
    const probabilities = new Float32Array(n * K);
    const decisions = new Uint8Array(n * K);
    for (let f = 0; f < k; f++) {
      const train = take(f);
      const model = trainAssistant(
        space,
        { rows: train.map((i) => labelled.rows[i]), codes: train.map((i) => labelled.codes[i]) },
        { codeCount: K, seed: mixSeed(seed, `fold ${f}`), minPositives, mode, cost },
      );
      cost ??= model.cost;
      const test = testOf[f];
      const p = predictProbabilities(
        model,
        space,
        test.map((i) => labelled.rows[i]),
      );
      const d = decideAll(model, p);
      test.forEach((i, t) => {
        probabilities.set(p.subarray(t * K, (t + 1) * K), i * K);
        decisions.set(d.subarray(t * K, (t + 1) * K), i * K);
      });
      onProgress?.(++done, total);
    }
    return { probabilities, decisions };
  };

  const main = outOfFold((f) => trainOf[f]);
  const learning: LearningPoint[][] = Array.from({ length: K }, () => []);
  for (const size of sizes) {
    const result =
      size >= minTrain
        ? main
        : outOfFold((f) => Array.from(shuffleInPlace(Int32Array.from(trainOf[f]), mulberry32(mixSeed(seed, `learning ${size} ${f}`))).subarray(0, size)));
    for (let c = 0; c < K; c++) {
      const units = presenceUnits(
        n,
        (i) => has(i, c),
        (i) => result.decisions[i * K + c],
      );
      learning[c].push({ n: size, kappa: orNull(() => cohenKappa(units)), alpha: orNull(() => krippendorffAlpha(units, 'nominal')) });
    }
  }

  const codes: CodeQualityResult[] = [];
  const human = new Uint8Array(n);
  const p = new Float32Array(n);
  for (let c = 0; c < K; c++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      human[i] = has(i, c);
      p[i] = main.probabilities[i * K + c];
      const a = main.decisions[i * K + c];
      if (a && human[i]) tp++;
      else if (a) fp++;
      else if (human[i]) fn++;
    }
    const units = presenceUnits(
      n,
      (i) => human[i],
      (i) => main.decisions[i * K + c],
    );
    const interval = (() => {
      try {
        return bootstrapAlpha(units, { samples: bootstrapSamples, seed: mixSeed(seed, `alpha ${c}`) });
      } catch (error) {
        if (error instanceof Error && error.name === 'AgreementUndefinedError') return null;
        throw error;
      }
    })();
    const tn = n - tp - fp - fn;
    const kappaInterval = (() => {
      try {
        return bootstrapPatterns(
          [tp, fp, fn, tn],
          (d) =>
            cohenKappaFromTable([
              [d[0], d[2]],
              [d[1], d[3]],
            ]),
          { samples: bootstrapSamples, random: mulberry32(mixSeed(seed, `kappa ${c}`)) },
        );
      } catch (error) {
        if (error instanceof Error && error.name === 'AgreementUndefinedError') return null;
        throw error;
      }
    })();
    const curve = precisionCoverageCurve(p, human);
    const points = Array.from(curve.thresholds, (threshold, t) => ({ threshold, precision: curve.precision[t], coverage: curve.coverage[t] }));
    let humanKappa: number | null = null;
    if (peer) {
      const shared: [number, number][] = [];
      for (let i = 0; i < n; i++) {
        const theirs = peer[i];
        if (theirs) shared.push([human[i], theirs.includes(c) ? 1 : 0]);
      }
      if (shared.length > 0) humanKappa = orNull(() => cohenKappa(shared));
    }
    const positives = tp + fn;
    codes.push({
      positives,
      kappa: orNull(() => cohenKappa(units)),
      kappaLow: kappaInterval && Number.isFinite(kappaInterval.low) ? kappaInterval.low : null,
      kappaHigh: kappaInterval && Number.isFinite(kappaInterval.high) ? kappaInterval.high : null,
      alpha: interval ? interval.alpha : null,
      alphaLow: interval && Number.isFinite(interval.low) ? interval.low : null,
      alphaHigh: interval && Number.isFinite(interval.high) ? interval.high : null,
      precision: tp + fp > 0 ? tp / (tp + fp) : null,
      recall: positives > 0 ? tp / positives : null,
      recallAtP90: positives > 0 ? (thresholdForPrecision(curve, 0.9)?.coverage ?? 0) : null,
      humanKappa,
      curve: points,
      atTarget: thresholdForPrecision(curve, targetPrecision),
      learning: learning[c],
    });
  }
  return { mode, folds: k, cost: cost ?? NaN, codes, probabilities: main.probabilities, decisions: main.decisions };
}
