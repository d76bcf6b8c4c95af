export { CodebenchDatabase, DATABASE_NAME, ANSWER_CHUNK_SIZE, RESPONDENT_CHUNK_SIZE } from './schema';
export type { AnswerChunk, RespondentChunk } from './schema';
export { database } from './database';
export * from './projects';
export * from './codebook';
export * from './commit-import';
export * from './coding-store';
export type { CodingPage, Memo, HistoryEntry } from './schema';
export * from './exchange-store';
