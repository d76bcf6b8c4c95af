/**
 * The long-CSV writers the analysis worker hands a file's parts to (lib/export/csv-long-parts.ts): a worker per
 * part, started at the first long CSV and kept for the next, each read and written at once.
 */
import type { LongCsvPart, LongPartRead } from '../lib/export/csv-long-parts';
import type { FromLongCsvWorker, ToLongCsvWorker } from './long-csv-protocol';
import { WorkerClient, type WorkerLike } from './worker-client';

export interface LongCsvWriters {
  /** How many parts they write at once. */
  readonly count: number;
  /**
   * Begins reading each part's chunks (longCsvReads); `onRows` hears the rows written by all of them once the rows
   * are given.
   */
  begin(reads: readonly LongPartRead[][], databaseName: string, projectId: string, onRows: (rows: number) => void): LongCsvWriting;
}

/** Parts being read: give them their rows (in the reads' order) for their bytes, or cancel them. */
export interface LongCsvWriting {
  write(parts: readonly LongCsvPart[]): Promise<Blob[]>;
  cancel(): void;
}

type LongCsvWorkerLike = WorkerLike<ToLongCsvWorker, FromLongCsvWorker>;

function createWorker(): LongCsvWorkerLike {
  return new Worker(new URL('./long-csv-worker.ts', import.meta.url), { type: 'module', name: 'long-csv' }) as LongCsvWorkerLike;
}

/**
 * How many parts for a machine of `cores`: one more than the cores, up to four. A writer waits on IndexedDB for part
 * of its time, so one more keeps the cores busy; past four they all wait on the browser's one IndexedDB backend. On
 * two cores at 100k respondents, the file with its rows made ahead took 1.08×, 0.95× and 1.01× a raw read with two,
 * three and four writers (one run each).
 */
export function longCsvPartsFor(cores: number | undefined): number {
  return Math.max(1, Math.min(4, (Math.floor(cores ?? 2) || 2) + 1));
}

export class LongCsvWorkerPool implements LongCsvWriters {
  readonly count: number;
  readonly #create: () => LongCsvWorkerLike;
  readonly #clients: WorkerClient<ToLongCsvWorker, FromLongCsvWorker>[] = [];

  constructor(count: number, create: () => LongCsvWorkerLike = createWorker) {
    this.count = Math.max(1, Math.floor(count));
    this.#create = create;
  }

  begin(reads: readonly LongPartRead[][], databaseName: string, projectId: string, onRows: (rows: number) => void): LongCsvWriting {
    const rows = reads.map(() => 0);
    const requests: number[] = [];
    const blobs = reads.map(
      (list, i) =>
        new Promise<Blob>((resolve, reject) => {
          requests[i] = this.#client(i).request((requestId) => ({ type: 'read', requestId, databaseName, projectId, reads: list }), {
            onReply: (reply) => {
              if (reply.type === 'progress') {
                rows[i] = reply.rows;
                onRows(rows.reduce((a, b) => a + b, 0));
              } else if (reply.type === 'part') resolve(reply.bytes);
              else reject(new Error(reply.message));
            },
            onFailure: (message) => reject(new Error(message)),
            consequence: 'The long CSV was not written; try again.',
          });
        }),
    );
    // Until the rows are given, a failed read is heard by write(); a cancelled part's failure by nobody.
    for (const blob of blobs) blob.catch(() => {});
    return {
      write: (parts) => {
        if (parts.length !== reads.length) throw new Error(`The long CSV has ${parts.length} parts; ${reads.length} were read.`);
        parts.forEach((part, i) => {
          // The rows' arrays are this part's alone: moved, not copied. The cell table is every part's.
          const transfer = [part.offset, part.head, part.code, part.coder, part.tail, part.start, part.end].map((a) => a.buffer);
          this.#clients[i].notify({ type: 'write', requestId: requests[i], part }, false, transfer);
        });
        return Promise.all(blobs);
      },
      cancel: () =>
        requests.forEach((requestId, i) => {
          this.#clients[i].drop(requestId);
          this.#clients[i].notify({ type: 'cancel', requestId });
        }),
    };
  }

  /**
   * Starts the writers before the first long CSV: a worker started by this one at the click waits for this one's
   * thread, busy ordering the rows then, and began reading ~0.7 s late at 100k respondents.
   */
  prestart(): void {
    for (let i = 0; i < this.count; i++) this.#client(i).start();
  }

  #client(i: number): WorkerClient<ToLongCsvWorker, FromLongCsvWorker> {
    let client = this.#clients[i];
    if (!client) this.#clients[i] = client = new WorkerClient({ name: 'long CSV', create: this.#create, isFinal: (reply) => reply.type !== 'progress' });
    return client;
  }
}
