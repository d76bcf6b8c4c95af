/**
 * A long-CSV writer: reads one part's answer chunks and writes its rows (lib/export/csv-long-parts.ts,
 * long-csv-jobs.ts). The analysis worker starts a few of these, so the parts are read and written on as many
 * cores, each in a heap that holds its part alone.
 */
import { readAnswerChunksInOrder } from '../lib/db/answer-text-reader';
import { CodebenchDatabase } from '../lib/db/schema';
import { LongCsvJobs } from './long-csv-jobs';
import type { FromLongCsvWorker, ToLongCsvWorker } from './long-csv-protocol';
import { routeRequests } from './worker-router';

const databases = new Map<string, CodebenchDatabase>();

const jobs = new LongCsvJobs(
  (message, onChunk) => {
    let db = databases.get(message.databaseName);
    if (!db) databases.set(message.databaseName, (db = new CodebenchDatabase(message.databaseName)));
    return readAnswerChunksInOrder(db, message.projectId, message.reads, onChunk);
  },
  (message) => postMessage(message),
);

routeRequests<ToLongCsvWorker, FromLongCsvWorker>((message) => jobs.handle(message));
