// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildFeatureSpace } from './features';
import { predictProbabilities, trainAssistant } from './model';
import { nextToCode, rowUncertainty } from './queue';
import { topicCorpus } from './test-data';

const corpus = topicCorpus(1200, 5, true);
const space = buildFeatureSpace(corpus.texts);
const rows = Array.from({ length: 200 }, (_, i) => i);
const model = trainAssistant(space, { rows, codes: rows.map((r) => corpus.codes[r]) }, { codeCount: 4 });
const p = predictProbabilities(model, space);
const exclude = new Uint8Array(space.rows);
for (const r of rows) exclude[r] = 1;

describe('nextToCode', () => {
  it('orders every uncoded row once, none of the coded ones', () => {
    const { queue } = nextToCode(model, p, { exclude, seed: 1 });
    expect(queue.length).toBe(1000);
    expect(new Set(queue).size).toBe(1000);
    for (const r of queue) expect(exclude[r]).toBe(0);
  });

  it('draws about the asked share at random, and is deterministic for a seed', () => {
    const a = nextToCode(model, p, { exclude, seed: 9 });
    const b = nextToCode(model, p, { exclude, seed: 9 });
    expect(a.queue).toEqual(b.queue);
    expect(a.random).toEqual(b.random);
    const share = a.random.reduce((s, x) => s + x, 0) / a.random.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    expect(nextToCode(model, p, { exclude, seed: 10 }).queue).not.toEqual(a.queue);
  });

  it('without a random share, goes from the least sure row down', () => {
    const { queue, uncertainty, random } = nextToCode(model, p, { exclude, randomShare: 0 });
    expect(random.every((x) => x === 0)).toBe(true);
    for (let q = 1; q < queue.length; q++) expect(uncertainty[q]).toBeLessThanOrEqual(uncertainty[q - 1]);
    expect(uncertainty[0]).toBeCloseTo(rowUncertainty(model, p, queue[0]), 6);
  });

  it('honours a limit and an all-random queue', () => {
    const { queue, random } = nextToCode(model, p, { exclude, randomShare: 1, limit: 50, seed: 3 });
    expect(queue.length).toBe(50);
    expect(random.every((x) => x === 1)).toBe(true);
    expect(() => nextToCode(model, p, { randomShare: 2 })).toThrow(RangeError);
  });

  it('keeps uncertainty in [0, 1]', () => {
    for (let r = 0; r < space.rows; r++) {
      const u = rowUncertainty(model, p, r);
      expect(u >= 0 && u <= 1).toBe(true);
    }
  });
});
