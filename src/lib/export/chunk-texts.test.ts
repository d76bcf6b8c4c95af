import { describe, expect, it } from 'vitest';
import { answerId } from '../model/types';
import { textsFromChunks } from './chunk-texts';
import type { AnswerChunkColumns } from './csv-long-columns';
import type { AnswerChunkKey, AnswerTextChunk } from './csv-long-stream';

const columns: AnswerChunkColumns[] = [
  { questionId: 'q1', waveId: 'w1', index: 0, respondentIds: ['a', 'b'] },
  { questionId: 'q1', waveId: 'w1', index: 1, respondentIds: ['c', 'd'] },
  { questionId: 'q1', waveId: 'w2', index: 0, respondentIds: ['a', 'c'] },
  { questionId: 'q2', waveId: 'w1', index: 0, respondentIds: ['a', 'b', 'c'] },
];

/** The stored chunks: q2's with its respondents in another order than the columns say, w2's gone since. */
const stored = new Map<string, AnswerTextChunk>([
  ['q1/w1/0', { respondentIds: ['a', 'b'], texts: ['q1 a', 'q1 b'] }],
  ['q1/w1/1', { respondentIds: ['c', 'd'], texts: ['q1 c', 'q1 d'] }],
  ['q2/w1/0', { respondentIds: ['c', 'a', 'b'], texts: ['q2 c', 'q2 a', 'q2 b'] }],
]);

function reader() {
  const reads: string[] = [];
  return {
    reads,
    async read({ questionId, waveId, index }: AnswerChunkKey) {
      const key = `${questionId}/${waveId}/${index}`;
      reads.push(key);
      return stored.get(key);
    },
  };
}

describe('textsFromChunks', () => {
  it('reads only the chunks holding a wanted answer, each once, and gives those answers’ texts by id', async () => {
    const r = reader();
    const wanted = [answerId('q1', 'w1', 'd'), answerId('q1', 'w1', 'c'), answerId('q2', 'w1', 'a'), answerId('q2', 'w1', 'b')];
    const texts = await textsFromChunks(columns, wanted, r);
    expect([...texts].sort()).toEqual([
      [answerId('q1', 'w1', 'c'), 'q1 c'],
      [answerId('q1', 'w1', 'd'), 'q1 d'],
      [answerId('q2', 'w1', 'a'), 'q2 a'],
      [answerId('q2', 'w1', 'b'), 'q2 b'],
    ]);
    expect(r.reads.sort()).toEqual(['q1/w1/1', 'q2/w1/0']);
  });

  it('leaves out an answer in no chunk, and one whose chunk is gone', async () => {
    const r = reader();
    const texts = await textsFromChunks(
      columns,
      [answerId('q1', 'w1', 'zed'), answerId('q3', 'w1', 'a'), answerId('q1', 'w2', 'c'), answerId('q1', 'w1', 'a')],
      r,
    );
    expect([...texts]).toEqual([[answerId('q1', 'w1', 'a'), 'q1 a']]);
    expect(r.reads.sort()).toEqual(['q1/w1/0', 'q1/w2/0']);
  });

  it('reads nothing for no answers', async () => {
    const r = reader();
    expect((await textsFromChunks(columns, [], r)).size).toBe(0);
    expect(r.reads).toEqual([]);
  });
});
