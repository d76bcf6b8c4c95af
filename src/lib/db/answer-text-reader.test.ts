import { describe, expect, it } from 'vitest';
import { readAnswerChunksInOrder } from './answer-text-reader';
import { freshDatabase } from './test-helpers';

async function withChunks() {
  const db = freshDatabase();
  await db.open();
  await db.answerChunks.bulkPut(
    [0, 1, 2].map((index) => ({ projectId: 'p', questionId: 'q', waveId: 'w', index, respondentIds: [`r${index}`], texts: [`text ${index}`] })),
  );
  return db;
}

describe('readAnswerChunksInOrder', () => {
  it('hands every chunk over in the keys’ order, and undefined for one that is not stored', async () => {
    const db = await withChunks();
    const seen: [string | undefined, number][] = [];
    const keys = [2, 0, 7, 1].map((index) => ({ questionId: 'q', waveId: 'w', index }));
    await readAnswerChunksInOrder(db, 'p', keys, (chunk, i) => seen.push([chunk?.texts[0], i]));
    expect(seen).toEqual([
      ['text 2', 0],
      ['text 0', 1],
      [undefined, 2],
      ['text 1', 3],
    ]);
    // Another project's chunks are not its.
    const other: unknown[] = [];
    await readAnswerChunksInOrder(db, 'other', keys.slice(0, 1), (chunk) => other.push(chunk));
    expect(other).toEqual([undefined]);
  });

  it('rejects with what onChunk threw, and hands over nothing after it', async () => {
    const db = await withChunks();
    const seen: number[] = [];
    const keys = [0, 1, 2].map((index) => ({ questionId: 'q', waveId: 'w', index }));
    const read = readAnswerChunksInOrder(db, 'p', keys, (_, i) => {
      seen.push(i);
      if (i === 1) throw new Error('no room');
    });
    await expect(read).rejects.toThrow('no room');
    expect(seen).toEqual([0, 1]);
  });
});
