/**
 * Training, prediction and decisions.
 *
 * One linear SVM per code on the shared feature space (solver.ts), its scores
 * calibrated into probabilities by Platt scaling fitted on out-of-fold scores of
 * a k-fold cross-validation inside the training rows (calibration.ts).
 *
 * Mode, learned from the codings: when no training row carries two codes, the
 * codes are read as mutually exclusive ("exclusive"): the answers with no code, or
 * only codes too rare to learn, form one more class ("none"), the calibrated
 * probabilities are renormalised to sum to 1 over the classes, and the assistant
 * applies the most probable code (nothing when "none" wins). Otherwise
 * ("multi-label") each code has its own threshold, the one that maximised κ
 * against the coder on the out-of-fold probabilities.
 */

import { mixSeed, mulberry32 } from '../agreement/random';
import { applyPlatt, bestKappaThreshold, fitPlatt, kappaFromCounts } from './calibration';
import type { CsrMatrix } from './features';
import { stratifiedFolds } from './folds';
import { fitSvms, gatherRows, type LocalRows } from './solver';

export type AssistantMode = 'exclusive' | 'multi-label';

/** Rows the coder has coded: feature-space rows and, per row, the code indices (0…codeCount−1) applied. */
export interface LabelledRows {
  rows: ArrayLike<number>;
  /** codes[i]: codes of rows[i]; empty when the coder applied none (a negative for every code). */
  codes: readonly (readonly number[])[];
}

export interface TrainOptions {
  /** Codes in the codebook (K); code indices run 0…K−1. */
  codeCount: number;
  /** A code needs this many positive rows to get a model; 3 by default. Others are never suggested. */
  minPositives?: number;
  /** Folds of the cross-validation that calibrates, picks thresholds and the cost; 3 by default. */
  folds?: number;
  /** Seed of the fold assignment and the solver's order; 1 by default. */
  seed?: number;
  /**
   * SVM cost C (inverse regularisation) before class balancing; 0.3 by default: the value the
   * search below chose on the phase-1 training rows (docs/assistant.md).
   */
  cost?: number;
  /**
   * Choose C from 0.1, 0.3 and 1 by the calibration folds' macro κ instead (3× the training time);
   * done again only when the rows have grown by half since, and kept by retrains in between.
   */
  costSearch?: boolean;
  /** 'auto' (default) learns the mode from the codings. */
  mode?: 'auto' | AssistantMode;
  /** A model trained earlier on the same feature space: its dual variables start the solver. */
  previous?: AssistantModel;
}

/** A trained assistant; plain typed arrays and numbers, so it can be posted between threads. */
export interface AssistantModel {
  mode: AssistantMode;
  codeCount: number;
  /** Columns of the feature space it was trained on (a model only fits that space). */
  spaceColumns: number;
  /** Classes with a model: code indices, and −1 for "none" (exclusive mode only). */
  classes: Int32Array;
  /** Positive training rows per code (length codeCount). */
  positives: Int32Array;
  /** Whether each code has a model and may be suggested (1) or not (0). */
  trained: Uint8Array;
  /** Feature-space column → row of `weights`, or −1 for a column no training row used. */
  columnMap: Int32Array;
  /** Weights, column-major by class: weights[localColumn * classes.length + c]. */
  weights: Float32Array;
  bias: Float32Array;
  /** Platt a, b per class. */
  platt: Float64Array;
  /** Multi-label: per code, the probability from which the code is applied (NaN for codes without a model). */
  thresholds: Float64Array;
  /**
   * Exclusive: the decision is the class with the largest probability × weight, where a class's
   * weight is its training share to the power −`priorExponent` (0: the most probable class;
   * 1: fully balanced), the exponent chosen for the best macro κ out of fold. Per code, and "none" last.
   */
  decisionWeights: Float64Array;
  priorExponent: number;
  /** The SVM cost C chosen by the cross-validation, and the number of training rows it was chosen at. */
  cost: number;
  costChosenAt: number;
  /** The training rows and their out-of-fold probabilities (rows × codeCount), from the calibration folds. */
  rows: Int32Array;
  outOfFold: Float32Array;
  /** Dual variables, rows × classes (warm start of the next training). */
  alpha: Float64Array;
}

function checkLabels(labelled: LabelledRows, codeCount: number): void {
  if (labelled.rows.length !== labelled.codes.length) throw new RangeError(`${labelled.rows.length} rows but ${labelled.codes.length} code lists.`);
  for (const row of labelled.codes) {
    for (const c of row) if (!(Number.isInteger(c) && c >= 0 && c < codeCount)) throw new RangeError(`Code ${c} is outside 0…${codeCount - 1}.`);
  }
}

/** 'exclusive' when no row carries two codes (and some row carries one), else 'multi-label'. */
export function detectMode(codes: readonly (readonly number[])[]): AssistantMode {
  let some = false;
  for (const row of codes) {
    if (new Set(row).size > 1) return 'multi-label';
    if (row.length > 0) some = true;
  }
  return some ? 'exclusive' : 'multi-label';
}

/** Trains on the labelled rows of `space`. Deterministic for a seed. */
export function trainAssistant(space: CsrMatrix, labelled: LabelledRows, options: TrainOptions): AssistantModel {
  const { codeCount, minPositives = 3, seed = 1, previous } = options;
  checkLabels(labelled, codeCount);
  const n = labelled.rows.length;
  const mode: AssistantMode = options.mode === undefined || options.mode === 'auto' ? detectMode(labelled.codes) : options.mode;

  const positives = new Int32Array(codeCount);
  for (const row of labelled.codes) for (const c of new Set(row)) positives[c]++;
  const trained = new Uint8Array(codeCount);
  const classList: number[] = [];
  for (let c = 0; c < codeCount; c++) {
    if (positives[c] >= minPositives && positives[c] < n) {
      trained[c] = 1;
      classList.push(c);
    }
  }
  // Exclusive: rows with no trainable code are one more class, if there are enough of them.
  const isNone = new Uint8Array(n);
  if (mode === 'exclusive') {
    let none = 0;
    for (let i = 0; i < n; i++) {
      if (!labelled.codes[i].some((c) => trained[c])) {
        isNone[i] = 1;
        none++;
      }
    }
    if (none >= minPositives && classList.length > 0) classList.push(-1);
  }
  const classes = Int32Array.from(classList);
  const m = classes.length;
  const rows = Int32Array.from(labelled.rows as ArrayLike<number>);
  const data = gatherRows(space, rows);

  // Labels per class.
  const labels: Uint8Array[] = [];
  for (let k = 0; k < m; k++) {
    const y = new Uint8Array(n);
    const c = classes[k];
    for (let i = 0; i < n; i++) y[i] = c < 0 ? isNone[i] : labelled.codes[i].includes(c) ? 1 : 0;
    labels.push(y);
  }
  const positive = new Uint8Array(n * m);
  for (let c = 0; c < m; c++) for (let i = 0; i < n; i++) positive[i * m + c] = labels[c][i];

  // Warm start from the previous model's dual variables, matched by row and class.
  const alpha = new Float64Array(n * m);
  if (previous && previous.spaceColumns === space.cols) {
    const position = new Map<number, number>();
    previous.rows.forEach((r, i) => position.set(r, i));
    const pm = previous.classes.length;
    for (let k = 0; k < m; k++) {
      const pk = previous.classes.indexOf(classes[k]);
      if (pk < 0) continue;
      for (let i = 0; i < n; i++) {
        const p = position.get(rows[i]);
        if (p !== undefined) alpha[i * m + k] = previous.alpha[p * pm + pk];
      }
    }
  }

  // Out-of-fold scores for each candidate cost (ascending, each warm-starting the next); the cost
  // whose calibrated out-of-fold decisions agree best with the coder (macro κ) is kept.
  const k = Math.max(2, Math.min(options.folds ?? 3, n));
  const fold = stratifiedFolds(labelled.codes, k, mixSeed(seed, 'calibration folds'));
  const foldAlpha = Array.from({ length: k }, () => Float64Array.from(alpha));
  // The cost is searched on the first training and again when the rows have grown by half since;
  // a retrain in between keeps the previous model's.
  const reuse = previous && previous.spaceColumns === space.cols && n < 1.5 * previous.costChosenAt;
  const grid = !options.costSearch ? [options.cost ?? DEFAULT_COST] : reuse ? [previous.cost] : COST_GRID;
  const costChosenAt = options.costSearch && reuse ? previous.costChosenAt : n;
  let chosen: Calibrated | null = null;
  let chosenAlpha = alpha;
  for (const cost of grid) {
    const scores = crossValidatedScores(data, labels, positive, foldAlpha, fold, seed, cost);
    const candidate = calibrate(mode, scores, labels, classes, labelled.codes, trained, codeCount, cost);
    if (!chosen || candidate.kappa > chosen.kappa + 1e-9) {
      chosen = candidate;
      // The full fit starts from the folds' mean α (or the previous model's, which is closer).
      if (!previous) {
        chosenAlpha = new Float64Array(n * m);
        for (const fa of foldAlpha) for (let j = 0; j < n * m; j++) chosenAlpha[j] += fa[j] / k;
      }
    }
  }
  const { platt, outOfFold, thresholds, decisionWeights, priorExponent, cost } = chosen as Calibrated;
  alpha.set(chosenAlpha);

  const all = Int32Array.from({ length: n }, (_, i) => i);
  const w = new Float64Array((data.dims + 1) * m);
  fitSvms(data, all, m, positive, alpha, w, { ...costs(labels, all, cost), random: mulberry32(mixSeed(seed, 'fit')) });
  const weights = Float32Array.from(w.subarray(0, data.dims * m));
  const bias = Float32Array.from(w.subarray(data.dims * m));

  const columnMap = new Int32Array(space.cols).fill(-1);
  for (let d = 0; d < data.dims; d++) columnMap[data.globalOf[d]] = d;
  return {
    mode,
    codeCount,
    spaceColumns: space.cols,
    classes,
    positives,
    trained,
    columnMap,
    weights,
    bias,
    platt,
    thresholds,
    decisionWeights,
    priorExponent,
    cost,
    costChosenAt,
    rows,
    outOfFold,
    alpha,
  };
}

/** Candidate exponents of the exclusive decision's prior correction. */
const PRIOR_EXPONENTS = [0, 0.25, 0.5, 0.75, 1];

/** Candidate SVM costs, ascending (a smaller cost converges faster and warm-starts the next). */
const COST_GRID = [0.1, 0.3, 1];
const DEFAULT_COST = 0.3;

function exclusiveChoice(probabilities: ArrayLike<number>, offset: number, trained: Uint8Array, weights: ArrayLike<number>, codeCount: number): number {
  let best = -1;
  let bestScore = -Infinity;
  let total = 0;
  for (let c = 0; c < codeCount; c++) {
    const p = probabilities[offset + c];
    total += p;
    if (trained[c] && p * weights[c] > bestScore) {
      bestScore = p * weights[c];
      best = c;
    }
  }
  // What the codes leave over is the "none" class's share.
  return Math.max(0, 1 - total) * weights[codeCount] > bestScore ? -1 : best;
}

function outOfFoldMacroKappa(
  probabilities: Float32Array,
  codes: readonly (readonly number[])[],
  trained: Uint8Array,
  weights: ArrayLike<number>,
  n: number,
  codeCount: number,
): number {
  const tp = new Int32Array(codeCount);
  const fp = new Int32Array(codeCount);
  const pos = new Int32Array(codeCount);
  for (let i = 0; i < n; i++) {
    const choice = exclusiveChoice(probabilities, i * codeCount, trained, weights, codeCount);
    for (const c of codes[i]) pos[c]++;
    if (choice >= 0) {
      if (codes[i].includes(choice)) tp[choice]++;
      else fp[choice]++;
    }
  }
  let sum = 0;
  let count = 0;
  for (let c = 0; c < codeCount; c++) {
    if (!trained[c]) continue;
    const kappa = kappaFromCounts(tp[c], fp[c], pos[c] - tp[c], n - pos[c] - fp[c]);
    sum += Number.isNaN(kappa) ? 0 : kappa;
    count++;
  }
  return count ? sum / count : 0;
}

/** Balanced costs: each class's violations weigh in proportion to n / (2 · its size). */
function costs(labels: Uint8Array[], train: Int32Array, cost: number): { costPositive: Float64Array; costNegative: Float64Array } {
  const m = labels.length;
  const costPositive = new Float64Array(m);
  const costNegative = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    let pos = 0;
    for (let t = 0; t < train.length; t++) pos += labels[c][train[t]];
    const neg = train.length - pos;
    costPositive[c] = (cost * train.length) / (2 * Math.max(pos, 1));
    costNegative[c] = (cost * train.length) / (2 * Math.max(neg, 1));
  }
  return { costPositive, costNegative };
}

/** Out-of-fold scores (classes × rows); `foldAlpha[f]` (rows × classes) warm-starts fold f and receives its solution. */
function crossValidatedScores(
  data: LocalRows,
  labels: Uint8Array[],
  positive: Uint8Array,
  foldAlpha: Float64Array[],
  fold: Int32Array,
  seed: number,
  cost: number,
): Float64Array {
  const n = data.n;
  const m = labels.length;
  const scores = new Float64Array(m * n);
  const w = new Float64Array((data.dims + 1) * m);
  const biasAt = data.dims * m;
  for (let f = 0; f < foldAlpha.length; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const trainRows = Int32Array.from(train);
    fitSvms(data, trainRows, m, positive, foldAlpha[f], w, { ...costs(labels, trainRows, cost), random: mulberry32(mixSeed(seed, `fold ${f}`)) });
    for (const i of test) {
      for (let c = 0; c < m; c++) scores[c * n + i] = w[biasAt + c];
      for (let j = data.indptr[i]; j < data.indptr[i + 1]; j++) {
        const base = data.indices[j] * m;
        const v = data.values[j];
        for (let c = 0; c < m; c++) scores[c * n + i] += w[base + c] * v;
      }
    }
  }
  return scores;
}

interface Calibrated {
  cost: number;
  platt: Float64Array;
  outOfFold: Float32Array;
  thresholds: Float64Array;
  decisionWeights: Float64Array;
  priorExponent: number;
  /** Macro κ of the out-of-fold decisions. */
  kappa: number;
}

/** Platt scaling of out-of-fold scores, then the decision rule (thresholds or prior correction) with the best macro κ. */
function calibrate(
  mode: AssistantMode,
  scores: Float64Array,
  labels: Uint8Array[],
  classes: Int32Array,
  codes: readonly (readonly number[])[],
  trained: Uint8Array,
  codeCount: number,
  cost: number,
): Calibrated {
  const n = codes.length;
  const m = classes.length;
  const platt = new Float64Array(2 * m);
  const outOfFold = new Float32Array(n * codeCount);
  const classProbability = new Float64Array(n * m);
  for (let c = 0; c < m; c++) {
    const s = scores.subarray(c * n, (c + 1) * n);
    const fit = fitPlatt(s, labels[c]);
    platt[2 * c] = fit.a;
    platt[2 * c + 1] = fit.b;
    for (let i = 0; i < n; i++) classProbability[i * m + c] = applyPlatt(fit, s[i]);
  }
  for (let i = 0; i < n; i++) writeProbabilities(mode, classes, classProbability.subarray(i * m, (i + 1) * m), outOfFold, i * codeCount);

  const thresholds = new Float64Array(codeCount).fill(NaN);
  const decisionWeights = new Float64Array(codeCount + 1).fill(1);
  let priorExponent = 0;
  let kappa = -Infinity;
  if (mode === 'multi-label') {
    const p = new Float64Array(n);
    const y = new Uint8Array(n);
    let sum = 0;
    for (const c of classes) {
      let tp = 0;
      let fp = 0;
      let pos = 0;
      for (let i = 0; i < n; i++) {
        p[i] = outOfFold[i * codeCount + c];
        y[i] = codes[i].includes(c) ? 1 : 0;
      }
      thresholds[c] = bestKappaThreshold(p, y);
      for (let i = 0; i < n; i++) {
        pos += y[i];
        if (p[i] >= thresholds[c]) {
          if (y[i]) tp++;
          else fp++;
        }
      }
      const kc = kappaFromCounts(tp, fp, pos - tp, n - pos - fp);
      sum += Number.isNaN(kc) ? 0 : kc;
    }
    kappa = m ? sum / m : 0;
  } else if (m > 0) {
    const share = new Float64Array(codeCount + 1).fill(1);
    for (let c = 0; c < m; c++) {
      let count = 0;
      for (let i = 0; i < n; i++) count += labels[c][i];
      share[classes[c] < 0 ? codeCount : classes[c]] = count / n;
    }
    for (const beta of PRIOR_EXPONENTS) {
      const weights = share.map((x) => Math.pow(x, -beta));
      const macro = outOfFoldMacroKappa(outOfFold, codes, trained, weights, n, codeCount);
      if (macro > kappa + 1e-9) {
        kappa = macro;
        priorExponent = beta;
        decisionWeights.set(weights);
      }
    }
  }
  return { cost, platt, outOfFold, thresholds, decisionWeights, priorExponent, kappa };
}

/** Writes one row's code probabilities (codeCount entries at `offset`) from its calibrated class probabilities. */
function writeProbabilities(mode: AssistantMode, classes: Int32Array, classProbability: ArrayLike<number>, out: Float32Array, offset: number): void {
  const m = classes.length;
  if (mode === 'exclusive') {
    let sum = 0;
    for (let c = 0; c < m; c++) sum += classProbability[c];
    for (let c = 0; c < m; c++) if (classes[c] >= 0) out[offset + classes[c]] = sum > 0 ? classProbability[c] / sum : 1 / m;
  } else {
    for (let c = 0; c < m; c++) out[offset + classes[c]] = classProbability[c];
  }
}

/**
 * Probabilities of every code for the given feature-space rows (all rows when
 * omitted): a Float32Array of rows × codeCount, row-major. Codes without a model get 0.
 */
export function predictProbabilities(model: AssistantModel, space: CsrMatrix, rows?: ArrayLike<number>): Float32Array {
  if (space.cols !== model.spaceColumns) throw new RangeError('The model was trained on another feature space.');
  const count = rows ? rows.length : space.rows;
  const { codeCount, classes, columnMap, weights, bias, platt, mode } = model;
  const m = classes.length;
  const out = new Float32Array(count * codeCount);
  if (m === 0) return out;
  const score = new Float64Array(m);
  const { indptr, indices, values } = space;
  for (let t = 0; t < count; t++) {
    const r = rows ? rows[t] : t;
    for (let c = 0; c < m; c++) score[c] = bias[c];
    for (let j = indptr[r]; j < indptr[r + 1]; j++) {
      const d = columnMap[indices[j]];
      if (d < 0) continue;
      const v = values[j];
      const base = d * m;
      for (let c = 0; c < m; c++) score[c] += v * weights[base + c];
    }
    for (let c = 0; c < m; c++) score[c] = applyPlatt({ a: platt[2 * c], b: platt[2 * c + 1] }, score[c]);
    writeProbabilities(mode, classes, score, out, t * codeCount);
  }
  return out;
}

/**
 * The codes the assistant would apply to row `row` of `probabilities` (rows × codeCount):
 * exclusive mode, the class with the largest weighted probability (nothing when it is "none"); multi-label,
 * every code whose probability reaches its threshold.
 */
export function decide(model: AssistantModel, probabilities: ArrayLike<number>, row: number): number[] {
  const { codeCount } = model;
  const offset = row * codeCount;
  if (model.mode === 'exclusive') {
    const choice = exclusiveChoice(probabilities, offset, model.trained, model.decisionWeights, codeCount);
    return choice >= 0 ? [choice] : [];
  }
  const out: number[] = [];
  for (let c = 0; c < codeCount; c++) if (model.trained[c] && probabilities[offset + c] >= model.thresholds[c]) out.push(c);
  return out;
}

/** Decisions for every row of `probabilities`, as a 0/1 matrix (rows × codeCount). */
export function decideAll(model: AssistantModel, probabilities: ArrayLike<number>): Uint8Array {
  const rows = Math.floor(probabilities.length / model.codeCount);
  const out = new Uint8Array(rows * model.codeCount);
  for (let r = 0; r < rows; r++) for (const c of decide(model, probabilities, r)) out[r * model.codeCount + c] = 1;
  return out;
}
