/** A long-CSV writer run in the test's own thread (long-csv-jobs.ts over fake-indexeddb), for the analysis worker's tests. */
import { readAnswerChunksInOrder } from '../../src/lib/db/answer-text-reader';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { LongCsvJobs } from '../../src/workers/long-csv-jobs';
import type { FromLongCsvWorker, ToLongCsvWorker } from '../../src/workers/long-csv-protocol';
import type { WorkerLike } from '../../src/workers/worker-client';
import { errorText } from '../../src/workers/worker-protocol';

export class InProcessLongCsvWorker implements WorkerLike<ToLongCsvWorker, FromLongCsvWorker> {
  onmessage: ((event: MessageEvent<FromLongCsvWorker>) => void) | null = null;
  /** Every message posted to it, in order. */
  readonly posted: ToLongCsvWorker[] = [];
  readonly #jobs: LongCsvJobs;

  constructor(db: CodebenchDatabase) {
    this.#jobs = new LongCsvJobs(
      (message, onChunk) => {
        if (message.databaseName !== db.name) throw new Error(`asked for database ${message.databaseName}`);
        return readAnswerChunksInOrder(db, message.projectId, message.reads, onChunk);
      },
      (data) => this.onmessage?.({ data } as MessageEvent<FromLongCsvWorker>),
    );
  }

  postMessage(message: ToLongCsvWorker) {
    this.posted.push(message);
    // As a worker would: later, and a failure as an error reply.
    setTimeout(() =>
      this.#jobs
        .handle(message)
        .catch((error: unknown) =>
          this.onmessage?.({ data: { type: 'error', requestId: message.requestId, message: errorText(error) } } as MessageEvent<FromLongCsvWorker>),
        ),
    );
  }

  terminate() {}
}
