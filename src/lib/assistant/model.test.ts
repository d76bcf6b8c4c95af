// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFeatureSpace } from './features';
import { decide, decideAll, detectMode, predictProbabilities, trainAssistant } from './model';
import { topicCorpus } from './test-data';

const corpus = topicCorpus(600, 7);
const space = buildFeatureSpace(corpus.texts);
const trainRows = Array.from({ length: 300 }, (_, i) => i);
const testRows = Array.from({ length: 300 }, (_, i) => 300 + i);

function accuracy(decisions: Uint8Array, rows: number[], codes: number[][], K: number): number {
  let right = 0;
  rows.forEach((r, t) => {
    const got = [];
    for (let c = 0; c < K; c++) if (decisions[t * K + c]) got.push(c);
    if (got.join() === codes[r].join()) right++;
  });
  return right / rows.length;
}

describe('detectMode', () => {
  it('is exclusive when no row carries two codes, multi-label otherwise', () => {
    expect(detectMode([[0], [1], [2]])).toBe('exclusive');
    expect(detectMode([[0], [], [2]])).toBe('exclusive');
    expect(detectMode([[0], [1, 2]])).toBe('multi-label');
    expect(detectMode([[], []])).toBe('multi-label');
  });
});

describe('trainAssistant (exclusive)', () => {
  const model = trainAssistant(space, { rows: trainRows, codes: trainRows.map((r) => corpus.codes[r]) }, { codeCount: 4 });
  const p = predictProbabilities(model, space, testRows);

  it('learns the topics and decides one code per answer', () => {
    expect(model.mode).toBe('exclusive');
    expect(Array.from(model.trained)).toEqual([1, 1, 1, 1]);
    const decisions = decideAll(model, p);
    expect(accuracy(decisions, testRows, corpus.codes, 4)).toBeGreaterThan(0.85);
    for (let t = 0; t < testRows.length; t++) expect(decide(model, p, t).length).toBeLessThanOrEqual(1);
  });

  it('gives probabilities in [0, 1] summing to at most 1 per answer', () => {
    for (let t = 0; t < testRows.length; t++) {
      let sum = 0;
      for (let c = 0; c < 4; c++) {
        expect(p[t * 4 + c]).toBeGreaterThanOrEqual(0);
        expect(p[t * 4 + c]).toBeLessThanOrEqual(1);
        sum += p[t * 4 + c];
      }
      expect(sum).toBeLessThanOrEqual(1 + 1e-5);
    }
  });

  it('is deterministic for a seed', () => {
    const again = trainAssistant(space, { rows: trainRows, codes: trainRows.map((r) => corpus.codes[r]) }, { codeCount: 4 });
    expect(predictProbabilities(again, space, testRows)).toEqual(p);
  });

  it('warm-starts from a previous model to the same solution', () => {
    const more = Array.from({ length: 340 }, (_, i) => i);
    const labelled = { rows: more, codes: more.map((r) => corpus.codes[r]) };
    const cold = trainAssistant(space, labelled, { codeCount: 4 });
    const warm = trainAssistant(space, labelled, { codeCount: 4, previous: model });
    const a = predictProbabilities(cold, space, testRows);
    const b = predictProbabilities(warm, space, testRows);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(0.1);
    expect(accuracy(decideAll(warm, b), testRows, corpus.codes, 4)).toBeGreaterThan(0.85);
  });

  it('refuses a model from another feature space and codes out of range', () => {
    expect(() => predictProbabilities(model, buildFeatureSpace(['other texts', 'other words']))).toThrow(RangeError);
    expect(() => trainAssistant(space, { rows: [0], codes: [[4]] }, { codeCount: 4 })).toThrow(RangeError);
    expect(() => trainAssistant(space, { rows: [0, 1], codes: [[1]] }, { codeCount: 4 })).toThrow(RangeError);
  });
});

describe('trainAssistant (multi-label)', () => {
  const multi = topicCorpus(600, 11, true);
  const multiSpace = buildFeatureSpace(multi.texts);
  const model = trainAssistant(multiSpace, { rows: trainRows, codes: trainRows.map((r) => multi.codes[r]) }, { codeCount: 4 });

  it('uses a threshold per code and finds most codes of held-out answers', () => {
    expect(model.mode).toBe('multi-label');
    for (let c = 0; c < 4; c++) expect(model.thresholds[c] > 0 && model.thresholds[c] < 1).toBe(true);
    const p = predictProbabilities(model, multiSpace, testRows);
    const d = decideAll(model, p);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    testRows.forEach((r, t) => {
      for (let c = 0; c < 4; c++) {
        const h = multi.codes[r].includes(c);
        if (d[t * 4 + c] && h) tp++;
        else if (d[t * 4 + c]) fp++;
        else if (h) fn++;
      }
    });
    expect((2 * tp) / (2 * tp + fp + fn)).toBeGreaterThan(0.75);
  });
});

describe('codes with too few positives', () => {
  it('get no model, probability 0 and are never suggested, whatever the codings', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 1000 }), fc.boolean(), (rare, seed, multi) => {
        const data = topicCorpus(120, seed, multi);
        const s = buildFeatureSpace(data.texts);
        // Code 4 is applied to `rare` (< 3) rows only.
        const codes = data.codes.map((c, i) => (i < rare ? (multi ? [...c, 4] : [4]) : c));
        const rows = Array.from({ length: 80 }, (_, i) => i);
        const model = trainAssistant(s, { rows, codes: rows.map((r) => codes[r]) }, { codeCount: 5, seed });
        expect(model.trained[4]).toBe(0);
        const p = predictProbabilities(model, s);
        const d = decideAll(model, p);
        for (let r = 0; r < s.rows; r++) {
          expect(p[r * 5 + 4]).toBe(0);
          expect(d[r * 5 + 4]).toBe(0);
          for (let c = 0; c < 5; c++) expect(p[r * 5 + c] >= 0 && p[r * 5 + c] <= 1).toBe(true);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('exclusive mode: answers coded with nothing form a "none" class the assistant can choose', () => {
    const data = topicCorpus(400, 3);
    // Topic 3 answers are coded with nothing.
    const codes = data.codes.map((c) => (c[0] === 3 ? [] : c));
    const s = buildFeatureSpace(data.texts);
    const rows = Array.from({ length: 250 }, (_, i) => i);
    const model = trainAssistant(s, { rows, codes: rows.map((r) => codes[r]) }, { codeCount: 3 });
    expect(model.mode).toBe('exclusive');
    expect(Array.from(model.classes)).toContain(-1);
    const test = Array.from({ length: 150 }, (_, i) => 250 + i);
    const p = predictProbabilities(model, s, test);
    let right = 0;
    test.forEach((r, t) => {
      if (decide(model, p, t).join() === codes[r].join()) right++;
    });
    expect(right / test.length).toBeGreaterThan(0.8);
  });
});
