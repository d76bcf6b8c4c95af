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
