/**
 * The simulation behind `npm run evaluate-assistant`: a coder codes `train`
 * answers drawn uniformly at random, the assistant trains on them and decides
 * every other answer, and its decisions are compared with the human codes.
 */

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { cohenKappa, mulberry32, type Units } from '../../src/lib/agreement';
import {
  buildFeatureSpace,
  decideAll,
  predictProbabilities,
  recallAtPrecision,
  trainAssistant,
  type FeatureOptions,
  type TrainOptions,
} from '../../src/lib/assistant';
import { shuffleInPlace } from '../../src/lib/assistant/folds';
import { isBlank } from '../../src/lib/import/blank';
import { readSource } from '../../src/lib/import';

/** A problem with the arguments or the file: reported in one line, exit code 2. */
export class UsageError extends Error {}

export interface CodedTable {
  texts: string[];
  /** Code names, index = code index. */
  codeNames: string[];
  codes: number[][];
}

/**
 * Reads a coded CSV/TSV/XLSX through the app's import pipeline (encoding, BOM,
 * quoting, multi-line cells as in the app). `label`: one column holding each
 * answer's code. `codesFrom`: that column and every later one are 0/1 codes.
 * Answers with a blank text (or, with `label`, a blank code) are left out.
 */
export async function readCodedTable(file: string, textColumn: string, spec: { label: string } | { codesFrom: string }): Promise<CodedTable> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch {
    throw new UsageError(`cannot read file "${file}"`);
  }
  const table = await readSource(bytes, basename(file));
  const column = (key: string, option: string): number => {
    const found = table.columns.find((c) => c.key === key) ?? table.columns.find((c) => c.key.trim().toLowerCase() === key.trim().toLowerCase());
    if (!found) throw new UsageError(`${option}: no column "${key}" in ${basename(file)} (columns: ${table.columns.map((c) => c.key).join(', ')})`);
    return found.index;
  };
  const textAt = column(textColumn, '--text');
  const texts: string[] = [];
  const codes: number[][] = [];
  let codeNames: string[];
  if ('label' in spec) {
    const labelAt = column(spec.label, '--label');
    const count = new Map<string, number>();
    for (const row of table.rows)
      if (!isBlank(row[textAt]) && !isBlank(row[labelAt])) count.set(row[labelAt].trim(), (count.get(row[labelAt].trim()) ?? 0) + 1);
    codeNames = [...count.keys()].sort((a, b) => (count.get(b) as number) - (count.get(a) as number) || (a < b ? -1 : 1));
    const index = new Map(codeNames.map((name, i) => [name, i]));
    for (const row of table.rows) {
      if (isBlank(row[textAt]) || isBlank(row[labelAt])) continue;
      texts.push(row[textAt]);
      codes.push([index.get(row[labelAt].trim()) as number]);
    }
  } else {
    const from = column(spec.codesFrom, '--codes-from');
    const codeColumns = table.columns.filter((c) => c.index >= from && c.index !== textAt);
    codeNames = codeColumns.map((c) => c.key);
    for (const row of table.rows) {
      if (isBlank(row[textAt])) continue;
      const applied: number[] = [];
      codeColumns.forEach((c, k) => {
        const v = row[c.index].trim().toLowerCase();
        if (v !== '' && v !== '0' && v !== 'false' && v !== 'no') applied.push(k);
      });
      texts.push(row[textAt]);
      codes.push(applied);
    }
  }
  if (texts.length === 0) throw new UsageError(`no answers with text in column "${textColumn}"`);
  return { texts, codeNames, codes };
}

export interface EvaluationOptions {
  train: number;
  seed: number;
  minPositives: number;
  features?: FeatureOptions;
  model?: Partial<TrainOptions>;
}

export interface CodeResult {
  code: string;
  positives: number;
  trainPositives: number;
  kappa: number | null;
  precision: number | null;
  recall: number | null;
  recallAtP90: number;
}

export interface EvaluationResult {
  codes: CodeResult[];
  macroKappa: number;
  macroRecallAtP90: number;
  train: number;
  test: number;
  mode: string;
  seconds: { featurise: number; train: number; test: number };
}

export function evaluate(data: CodedTable, options: EvaluationOptions): EvaluationResult {
  const n = data.texts.length;
  const K = data.codeNames.length;
  if (!(options.train >= 1 && options.train < n)) throw new UsageError(`--train must lie between 1 and ${n - 1} (answers with text), not ${options.train}`);
  let t0 = performance.now();
  const space = buildFeatureSpace(data.texts, options.features);
  const featurise = (performance.now() - t0) / 1000;

  const order = shuffleInPlace(
    Int32Array.from({ length: n }, (_, i) => i),
    mulberry32(options.seed),
  );
  const trainRows = order.slice(0, options.train);
  const testRows = order.slice(options.train);
  t0 = performance.now();
  const model = trainAssistant(
    space,
    { rows: trainRows, codes: Array.from(trainRows, (r) => data.codes[r]) },
    { codeCount: K, seed: options.seed, ...options.model },
  );
  const trainSeconds = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const probabilities = predictProbabilities(model, space, testRows);
  const decisions = decideAll(model, probabilities);
  const testSeconds = (performance.now() - t0) / 1000;

  const total = new Int32Array(K);
  for (const row of data.codes) for (const c of row) total[c]++;
  const results: CodeResult[] = [];
  const m = testRows.length;
  for (let c = 0; c < K; c++) {
    if (total[c] < options.minPositives) continue;
    const human = new Uint8Array(m);
    const p = new Float32Array(m);
    const units: Units[number][] = [];
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let t = 0; t < m; t++) {
      const h = data.codes[testRows[t]].includes(c) ? 1 : 0;
      const a = decisions[t * K + c];
      human[t] = h;
      p[t] = probabilities[t * K + c];
      units.push([h, a]);
      if (h && a) tp++;
      else if (a) fp++;
      else if (h) fn++;
    }
    let kappa: number | null;
    try {
      kappa = cohenKappa(units);
    } catch {
      kappa = null;
    }
    results.push({
      code: data.codeNames[c],
      positives: total[c],
      trainPositives: model.positives[c],
      kappa,
      precision: tp + fp > 0 ? tp / (tp + fp) : null,
      recall: tp + fn > 0 ? tp / (tp + fn) : null,
      recallAtP90: recallAtPrecision(p, human, 0.9),
    });
  }
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  return {
    codes: results,
    // A code whose κ is undefined (the assistant never applied it and the coder did) counts as 0.
    macroKappa: mean(results.map((r) => r.kappa ?? 0)),
    macroRecallAtP90: mean(results.map((r) => r.recallAtP90)),
    train: trainRows.length,
    test: testRows.length,
    mode: model.mode,
    seconds: { featurise, train: trainSeconds, test: testSeconds },
  };
}
