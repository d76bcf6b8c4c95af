/**
 * What a long-CSV writer does with its messages (long-csv-worker.ts routes them here): a part's reads begin with
 * the `read` message, the chunks read before the rows come wait here (already taken apart, so that work is done
 * while the analysis worker orders the rows), and each is written once the rows are given.
 */
import { LongPartWriter } from '../lib/export/csv-long-parts';
import type { AnswerTextChunk } from '../lib/export/csv-long-stream';
import type { FromLongCsvWorker, ReadLongCsvPart, ToLongCsvWorker } from './long-csv-protocol';

/** Reads a part's chunks in order, handing each over as it comes (readAnswerChunksInOrder). */
export type ReadChunks = (message: ReadLongCsvPart, onChunk: (chunk: AnswerTextChunk | undefined) => void) => Promise<void>;

interface Job {
  started: number;
  /** Chunks read before the rows came, in order. */
  waiting: (AnswerTextChunk | undefined)[];
  writer: LongPartWriter | null;
  read: boolean;
}

export class LongCsvJobs {
  readonly #jobs = new Map<number, Job>();
  readonly #read: ReadChunks;
  readonly #send: (message: FromLongCsvWorker) => void;

  constructor(read: ReadChunks, send: (message: FromLongCsvWorker) => void) {
    this.#read = read;
    this.#send = send;
  }

  /** Parts under way (a cancelled or finished one is forgotten). */
  get size(): number {
    return this.#jobs.size;
  }

  async handle(message: ToLongCsvWorker): Promise<void> {
    const { requestId } = message;
    if (message.type === 'cancel') {
      this.#jobs.delete(requestId);
      return;
    }
    if (message.type === 'write') {
      const job = this.#jobs.get(requestId);
      if (!job) return;
      job.writer = new LongPartWriter(message.part);
      try {
        for (const chunk of job.waiting.splice(0)) this.#write(requestId, job, chunk);
      } catch (error) {
        this.#jobs.delete(requestId);
        throw error;
      }
      return this.#finishIfDone(requestId, job);
    }
    const job: Job = { started: performance.now(), waiting: [], writer: null, read: false };
    this.#jobs.set(requestId, job);
    try {
      await this.#read(message, (chunk) => {
        if (this.#jobs.get(requestId) !== job) return;
        if (job.writer) this.#write(requestId, job, chunk);
        else job.waiting.push(chunk);
      });
    } catch (error) {
      this.#jobs.delete(requestId);
      throw error;
    }
    job.read = true;
    if (this.#jobs.get(requestId) === job) this.#finishIfDone(requestId, job);
  }

  #write(requestId: number, job: Job, chunk: AnswerTextChunk | undefined) {
    job.writer!.chunk(chunk);
    this.#send({ type: 'progress', requestId, rows: job.writer!.rows });
  }

  /** Replies with the part once its rows came and every chunk is written. */
  #finishIfDone(requestId: number, job: Job) {
    if (!job.read || !job.writer) return;
    this.#jobs.delete(requestId);
    this.#send({ type: 'part', requestId, bytes: job.writer.finish(), ms: performance.now() - job.started });
  }
}
