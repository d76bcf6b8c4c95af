/**
 * A project's answer chunks, read one at a time for the streamed long CSV
 * (lib/export/csv-long-stream.ts): the keys come from the `projectId` index
 * without any value, and each chunk is one `get`, so a chunk's texts are in
 * memory only while its rows are written.
 */
import type { AnswerChunkKey, AnswerChunkReader, AnswerTextChunk } from '../export/csv-long-stream';
import type { CodebenchDatabase } from './schema';

export function answerChunkReader(db: CodebenchDatabase, projectId: string): AnswerChunkReader {
  return {
    async keys(): Promise<AnswerChunkKey[]> {
      const keys = await db.answerChunks.where('projectId').equals(projectId).primaryKeys();
      return keys.map(([, questionId, waveId, index]) => ({ questionId, waveId, index }));
    },
    async read({ questionId, waveId, index }: AnswerChunkKey): Promise<AnswerTextChunk | undefined> {
      return db.answerChunks.get([projectId, questionId, waveId, index]);
    },
  };
}

/**
 * Reads the given chunks in one readonly transaction, every request issued at once, and hands each to `onChunk`
 * in the keys' order as it arrives (undefined for a chunk that is gone). The long CSV's writers use it
 * (workers/long-csv-worker.ts): what has not been handed over yet waits as the browser's serialised bytes, not as
 * texts in the worker's heap. Rejects when a read fails or `onChunk` throws (the transaction is aborted).
 */
export async function readAnswerChunksInOrder(
  db: CodebenchDatabase,
  projectId: string,
  keys: readonly AnswerChunkKey[],
  onChunk: (chunk: AnswerTextChunk | undefined, index: number) => void,
): Promise<void> {
  if (keys.length === 0) return;
  const idb = db.isOpen() ? db.backendDB() : (await db.open(), db.backendDB());
  await new Promise<void>((resolve, reject) => {
    const transaction = idb.transaction(db.answerChunks.name, 'readonly');
    const store = transaction.objectStore(db.answerChunks.name);
    let failure: unknown = null;
    transaction.oncomplete = () => (failure === null ? resolve() : reject(failure));
    transaction.onabort = () => reject(failure ?? transaction.error ?? new Error('Reading the answer chunks was aborted.'));
    keys.forEach(({ questionId, waveId, index }, i) => {
      const request = store.get([projectId, questionId, waveId, index]);
      request.onsuccess = () => {
        if (failure !== null) return;
        try {
          onChunk(request.result as AnswerTextChunk | undefined, i);
        } catch (error) {
          failure = error;
          transaction.abort();
        }
      };
    });
  });
}
