import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { answerId } from '../model/types';
import { answerParts, CODING_BUCKETS, codingBucket, pageKeyOf, splitPageKey } from './coding-pages';

describe('coding pages', () => {
  it('puts every answer in a bucket in range, the same one every time', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (q, w, r) => {
        const id = answerId(q.replaceAll('\u001f', ''), w.replaceAll('\u001f', ''), r);
        const bucket = codingBucket(id);
        return bucket >= 0 && bucket < CODING_BUCKETS && Number.isInteger(bucket) && bucket === codingBucket(id);
      }),
    );
  });

  it('spreads answers across buckets', () => {
    const counts = new Array(CODING_BUCKETS).fill(0);
    for (let i = 0; i < 6400; i++) counts[codingBucket(answerId('q1', 'baseline', `R${i}`))]++;
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(160);
  });

  it('recovers the question from an answer id and a page key', () => {
    const id = answerId('q-rewards', '6-months', 'E07');
    expect(answerParts(id)).toEqual({ questionId: 'q-rewards', waveId: '6-months', respondentId: 'E07' });
    expect(splitPageKey(pageKeyOf(id))).toEqual({ questionId: 'q-rewards', bucket: codingBucket(id) });
  });
});
