/**
 * The one way answer chunks are written: each chunk and its text-less copy
 * (`answerKeys`, see schema.ts) in the same transaction, so the two tables
 * always hold the same chunks. Inside a caller's transaction (which must
 * include both tables) it joins it; outside one it opens its own.
 */
import type { AnswerChunk, AnswerKeyChunk, CodebenchDatabase } from './schema';

/** The chunk's key and respondents, without its texts. */
export function answerKeyOf({ projectId, questionId, waveId, index, respondentIds }: AnswerChunk): AnswerKeyChunk {
  return { projectId, questionId, waveId, index, respondentIds };
}

/**
 * Writes answer chunks and their text-less copies together. `add` fails on a
 * chunk already stored (a restore into a fresh project); `put` replaces it.
 */
export async function putAnswerChunks(db: CodebenchDatabase, chunks: readonly AnswerChunk[], mode: 'put' | 'add' = 'put'): Promise<void> {
  if (chunks.length === 0) return;
  const keys = chunks.map(answerKeyOf);
  await db.transaction('rw', [db.answerChunks, db.answerKeys], async () => {
    if (mode === 'add') {
      await db.answerChunks.bulkAdd(chunks as AnswerChunk[]);
      await db.answerKeys.bulkAdd(keys);
    } else {
      await db.answerChunks.bulkPut(chunks as AnswerChunk[]);
      await db.answerKeys.bulkPut(keys);
    }
  });
}
