/**
 * Messages between the analysis worker and a long-CSV writer (long-csv-worker.ts). A part is asked for in two
 * steps (lib/export/csv-long-parts.ts): the chunks to read, sent at the click so the reads begin at once, then
 * the rows to write from them once the analysis worker has ordered them; or a cancel, when the file is written
 * otherwise after all.
 */
import type { LongCsvPart, LongPartRead } from '../lib/export/csv-long-parts';
import type { ErrorReply } from './worker-protocol';

export interface ReadLongCsvPart {
  type: 'read';
  requestId: number;
  /** The IndexedDB database the part's chunks are read from, and the project they belong to. */
  databaseName: string;
  projectId: string;
  reads: LongPartRead[];
}

/** The rows of the part `requestId` reads. */
export interface WriteLongCsvPart {
  type: 'write';
  requestId: number;
  part: LongCsvPart;
}

/** The part `requestId` is not wanted any more. */
export interface CancelLongCsvPart {
  type: 'cancel';
  requestId: number;
}

export type ToLongCsvWorker = ReadLongCsvPart | WriteLongCsvPart | CancelLongCsvPart;

export type FromLongCsvWorker =
  /** Rows written so far, after each chunk. */
  | { type: 'progress'; requestId: number; rows: number }
  /** The part's bytes, and how long the writer took from the read request's arrival. */
  | { type: 'part'; requestId: number; bytes: Blob; ms: number }
  | ErrorReply;
