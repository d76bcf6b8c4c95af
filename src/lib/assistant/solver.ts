/**
 * Dual coordinate descent for the L2-regularised, squared-hinge (L2-loss) linear
 * SVM: liblinear's solver 1 (Hsieh et al. 2008, "A dual coordinate descent method
 * for large-scale linear SVM"), for all codes at once and without shrinking.
 *
 * Chosen over SGD and L-BFGS on the logistic loss because it needs no learning
 * rate, converges in a handful of passes over sparse rows, and warm-starts
 * exactly: the dual variables α (one per training row and code) stay feasible
 * when rows are added or relabelled, and w = Σ α_i y_i x_i is rebuilt from them.
 * Scores are turned into probabilities afterwards (see calibration.ts).
 */

import type { CsrMatrix } from './features';
import type { Random } from '../agreement/random';

/** Training rows gathered from the feature space, with columns renumbered to those they use. */
export interface LocalRows {
  n: number;
  /** Columns used by these rows. */
  dims: number;
  indptr: Int32Array;
  /** Local column ids. */
  indices: Int32Array;
  values: Float32Array;
  /** ‖x_i‖² + 1 (the bias feature). */
  sqNorm: Float64Array;
  /** Feature-space column of each local column. */
  globalOf: Int32Array;
}

/** The rows `rows` of `space`, their columns renumbered densely in order of first use. */
export function gatherRows(space: CsrMatrix, rows: ArrayLike<number>): LocalRows {
  const n = rows.length;
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (!(r >= 0 && r < space.rows && Number.isInteger(r))) throw new RangeError(`Row ${r} is not in the feature space (0…${space.rows - 1}).`);
    nnz += space.indptr[r + 1] - space.indptr[r];
  }
  const local = new Map<number, number>();
  const globalOf: number[] = [];
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  const sqNorm = new Float64Array(n);
  let out = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    let sq = 1;
    for (let j = space.indptr[r]; j < space.indptr[r + 1]; j++) {
      const g = space.indices[j];
      let c = local.get(g);
      if (c === undefined) {
        c = globalOf.length;
        local.set(g, c);
        globalOf.push(g);
      }
      indices[out] = c;
      const v = space.values[j];
      values[out] = v;
      sq += v * v;
      out++;
    }
    sqNorm[i] = sq;
    indptr[i + 1] = out;
  }
  return { n, dims: globalOf.length, indptr, indices, values, sqNorm, globalOf: Int32Array.from(globalOf) };
}

export interface MultiSvmOptions {
  /** Per class: cost of a violation by a positive and by a negative row. */
  costPositive: Float64Array;
  costNegative: Float64Array;
  /**
   * Stop a class when its projected gradient's spread falls below this: 0.5 (liblinear uses 0.1;
   * macro κ on the phase-1 file was the same at 0.1, 0.5 and 1, and 0.5 takes about half the passes).
   */
  tolerance?: number;
  maxEpochs?: number;
  random: Random;
}

/**
 * Fits one binary SVM per class at once, on the rows listed in `train`: dual
 * coordinate descent run for all classes in lockstep: each row's scores for
 * all m classes are read from one contiguous stretch of the column-major weights,
 * so a row costs one pass over its columns rather than m, which is what makes
 * 20 codes nearly as cheap as one. Classes that have converged stop moving.
 *
 * `positive` is rows × m (1 where row i is a positive of class c: positive[i * m + c]);
 * `alpha` is rows × m, the warm start, receiving the solution (rows not in `train` ignored);
 * `w` is (dims + 1) × m, biases last, receiving the weights. Returns the passes made.
 */
export function fitSvms(
  data: LocalRows,
  train: Int32Array,
  m: number,
  positive: Uint8Array,
  alpha: Float64Array,
  w: Float64Array,
  options: MultiSvmOptions,
): number {
  const { costPositive, costNegative, tolerance = 0.5, maxEpochs = 50, random } = options;
  const { indptr, indices, values, sqNorm, dims } = data;
  const dPos = costPositive.map((c) => 0.5 / c);
  const dNeg = costNegative.map((c) => 0.5 / c);
  const biasAt = dims * m;
  w.fill(0);
  for (let t = 0; t < train.length; t++) {
    const i = train[t];
    for (let c = 0; c < m; c++) {
      const a = alpha[i * m + c];
      if (a === 0) continue;
      const ya = positive[i * m + c] ? a : -a;
      for (let j = indptr[i]; j < indptr[i + 1]; j++) w[indices[j] * m + c] += ya * values[j];
      w[biasAt + c] += ya;
    }
  }
  const order = Int32Array.from(train);
  const score = new Float64Array(m);
  const step = new Float64Array(m);
  const movedClass = new Int32Array(m);
  const pgMax = new Float64Array(m);
  const pgMin = new Float64Array(m);
  const active = new Uint8Array(m).fill(1);
  let activeCount = m;
  let epoch = 0;
  while (epoch < maxEpochs && activeCount > 0) {
    epoch++;
    for (let t = order.length - 1; t > 0; t--) {
      const s = Math.floor(random() * (t + 1));
      const tmp = order[t];
      order[t] = order[s];
      order[s] = tmp;
    }
    pgMax.fill(-Infinity);
    pgMin.fill(Infinity);
    for (let t = 0; t < order.length; t++) {
      const i = order[t];
      const start = indptr[i];
      const end = indptr[i + 1];
      for (let c = 0; c < m; c++) score[c] = w[biasAt + c];
      for (let j = start; j < end; j++) {
        const base = indices[j] * m;
        const v = values[j];
        for (let c = 0; c < m; c++) score[c] += w[base + c] * v;
      }
      let moved = 0;
      for (let c = 0; c < m; c++) {
        if (!active[c]) continue;
        const pos = positive[i * m + c] === 1;
        const d = pos ? dPos[c] : dNeg[c];
        const a = alpha[i * m + c];
        const g = (pos ? score[c] : -score[c]) - 1 + a * d;
        const pg = a === 0 ? Math.min(g, 0) : g;
        if (pg > pgMax[c]) pgMax[c] = pg;
        if (pg < pgMin[c]) pgMin[c] = pg;
        if (Math.abs(pg) < 1e-12) continue;
        const next = Math.max(a - g / (sqNorm[i] + d), 0);
        if (next === a) continue;
        alpha[i * m + c] = next;
        step[moved] = pos ? next - a : a - next;
        movedClass[moved++] = c;
      }
      if (moved === 0) continue;
      // Usually only a few classes move for a row (the others are beyond their margin, α = 0).
      for (let j = start; j < end; j++) {
        const base = indices[j] * m;
        const v = values[j];
        for (let k = 0; k < moved; k++) w[base + movedClass[k]] += step[k] * v;
      }
      for (let k = 0; k < moved; k++) w[biasAt + movedClass[k]] += step[k];
    }
    for (let c = 0; c < m; c++) {
      if (active[c] && pgMax[c] - pgMin[c] <= tolerance) {
        active[c] = 0;
        activeCount--;
      }
    }
  }
  return epoch;
}
