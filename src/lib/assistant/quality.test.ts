// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildFeatureSpace } from './features';
import { assessQuality, defaultLearningSizes } from './quality';
import { topicCorpus } from './test-data';

const corpus = topicCorpus(300, 21);
const space = buildFeatureSpace(corpus.texts);
const labelled = { rows: Array.from({ length: 300 }, (_, i) => i), codes: corpus.codes };

describe('assessQuality', () => {
  const progress: [number, number][] = [];
  const result = assessQuality(space, labelled, {
    codeCount: 4,
    seed: 1,
    bootstrapSamples: 200,
    peer: corpus.codes,
    onProgress: (d, t) => progress.push([d, t]),
  });

  it('reports, per code, agreement of out-of-fold decisions with the coder', () => {
    expect(result.mode).toBe('exclusive');
    expect(result.folds).toBe(5);
    expect(result.codes).toHaveLength(4);
    for (const code of result.codes) {
      expect(code.positives).toBeGreaterThan(40);
      expect(code.kappa).toBeGreaterThan(0.7);
      expect(code.alpha).not.toBeNull();
      expect(code.alphaLow as number).toBeLessThanOrEqual(code.alpha as number);
      expect(code.alphaHigh as number).toBeGreaterThanOrEqual(code.alpha as number);
      // κ's interval brackets κ, and is a range unless the assistant agreed on every answer.
      expect(code.kappaLow as number).toBeLessThanOrEqual(code.kappa as number);
      expect(code.kappaHigh as number).toBeGreaterThanOrEqual(code.kappa as number);
      if ((code.kappa as number) < 1) expect(code.kappaHigh as number).toBeGreaterThan(code.kappaLow as number);
      expect(code.precision).toBeGreaterThan(0.7);
      expect(code.recall).toBeGreaterThan(0.7);
      expect(code.recallAtP90).toBeGreaterThan(0.3);
      // The peer here is the coder, so human–human κ is 1.
      expect(code.humanKappa).toBe(1);
      expect(code.curve[0].threshold).toBeGreaterThanOrEqual(code.curve[code.curve.length - 1].threshold);
      expect(code.atTarget === null || code.atTarget.precision >= 0.9).toBe(true);
    }
  });

  it('has a learning curve over growing training sizes, ending with the full cross-validation', () => {
    const sizes = result.codes[0].learning.map((l) => l.n);
    expect(sizes).toEqual([25, 50, 100, 200, 240]);
    for (const code of result.codes) {
      expect(code.learning[code.learning.length - 1].kappa).toBe(code.kappa);
      expect(code.learning[code.learning.length - 1].kappa as number).toBeGreaterThan(code.learning[0].kappa ?? -1);
    }
    expect(progress[progress.length - 1][0]).toBe(progress[progress.length - 1][1]);
  });

  it('is deterministic for a seed', () => {
    const again = assessQuality(space, labelled, { codeCount: 4, seed: 1, bootstrapSamples: 200, learningSizes: [] });
    expect(again.probabilities).toEqual(result.probabilities);
    expect(again.codes.map((c) => c.kappa)).toEqual(result.codes.map((c) => c.kappa));
  });

  it('reports a code nobody applied without inventing agreement', () => {
    const r = assessQuality(space, labelled, { codeCount: 5, seed: 2, bootstrapSamples: 50, learningSizes: [50] });
    const unused = r.codes[4];
    expect(unused.positives).toBe(0);
    expect(unused.recall).toBeNull();
    expect(unused.precision).toBeNull();
    expect(unused.kappa).toBeNull();
    expect(unused.recallAtP90).toBeNull();
  });

  it('doubles learning sizes below the training size', () => {
    expect(defaultLearningSizes(30)).toEqual([25, 30]);
    expect(defaultLearningSizes(400)).toEqual([25, 50, 100, 200, 400]);
  });
});
