/**
 * Exchanging work without a server: export this coder's file or the whole
 * project, and take in a colleague's coder file or a project file. The work
 * runs in the exchange worker; this class keeps what the page shows.
 */
import type { MergeReport } from '../exchange';
import type { FromExchangeWorker, ToExchangeWorker } from '../../workers/exchange-protocol';
import { WorkerClient, type WorkerLike } from '../../workers/worker-client';
import { downloadFile } from './download';

export type ExchangeWorkerLike = WorkerLike<ToExchangeWorker, FromExchangeWorker>;

export function defaultExchangeWorker(): ExchangeWorkerLike {
  return new Worker(new URL('../../workers/exchange-worker.ts', import.meta.url), { type: 'module' }) as ExchangeWorkerLike;
}

export interface ExchangeHandlers {
  /** A coder file was merged into this project: reload its codings. */
  onMerged: (projectId: string) => void | Promise<void>;
  /** A project file was restored: show it. */
  onRestored: (projectId: string) => void | Promise<void>;
}

export function describeMerge(coderName: string, report: MergeReport): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
  const parts = [`${n(report.codingsAdded, 'coding')} added`];
  if (report.codingsUpdated) parts.push(`${n(report.codingsUpdated, 'coding')} updated`);
  if (report.codingsAlreadyPresent) parts.push(`${n(report.codingsAlreadyPresent, 'coding')} already here`);
  if (report.codingsReidentified) parts.push(`${n(report.codingsReidentified, 'coding')} given new ids`);
  if (report.codesAdded.length) parts.push(`${n(report.codesAdded.length, 'code')} added (${report.codesAdded.join(', ')})`);
  if (report.memosAdded || report.memosUpdated) parts.push(`${n(report.memosAdded, 'memo')} added, ${report.memosUpdated} updated`);
  return `Merged ${coderName}'s coder file: ${parts.join('; ')}.`;
}

export class ExchangeState {
  busy = $state(false);
  phase = $state('');
  message = $state<{ text: string; tone: 'info' | 'error'; warnings: string[] } | null>(null);
  /** A project file whose project is already here, waiting for "restore as a copy". */
  pendingCopy = $state<{ file: Blob; name: string } | null>(null);

  #worker: WorkerClient<ToExchangeWorker, FromExchangeWorker>;
  #requestId = 0;
  #pending = new Map<number, { file?: Blob; localCoder?: { id: string; name: string } | null; projectId?: string | null }>();
  #handlers: ExchangeHandlers;

  constructor(handlers: ExchangeHandlers, createWorker: () => ExchangeWorkerLike = defaultExchangeWorker) {
    this.#handlers = handlers;
    this.#worker = new WorkerClient({ name: 'exchange', create: createWorker, isFinal: (reply) => reply.type !== 'progress' });
  }

  exportCoder(projectId: string, coder: { id: string; name: string; color: string }) {
    this.#send((requestId) => ({ type: 'export-coder', requestId, projectId, coder: { id: coder.id, name: coder.name, color: coder.color } }), 'No file was written; try again.');
  }

  exportProject(projectId: string) {
    this.#send((requestId) => ({ type: 'export-project', requestId, projectId }), 'No file was written; try again.');
  }

  /** A coder file (merged into `projectId`) or a project file (restored as a project). */
  importFile(file: Blob, projectId: string | null, localCoder: { id: string; name: string } | null, asCopy = false) {
    this.pendingCopy = null;
    this.#send((requestId) => {
      this.#pending.set(requestId, { file, localCoder, projectId });
      return { type: 'import', requestId, file, projectId, localCoder: localCoder ? { id: localCoder.id, name: localCoder.name } : null, asCopy };
    }, 'Nothing was stored; try again.');
  }

  restoreAsCopy() {
    const pending = this.pendingCopy;
    if (pending) this.importFile(pending.file, null, null, true);
  }

  dismiss() {
    this.message = null;
    this.pendingCopy = null;
  }

  #send(build: (requestId: number) => ToExchangeWorker, consequence: string) {
    this.busy = true;
    this.phase = 'Starting…';
    this.message = null;
    let id = 0;
    this.#worker.request(
      (requestId) => {
        id = this.#requestId = requestId;
        return build(requestId);
      },
      {
        onReply: (reply) => void this.#receive(reply),
        // The failure ends the request as an error reply would.
        onFailure: (message) => void this.#receive({ type: 'error', requestId: id, message }),
        consequence,
        // Only the newest request is shown.
        replaces: 'exchange',
      },
    );
  }

  async #receive(message: FromExchangeWorker) {
    if (message.requestId !== this.#requestId) return;
    const pending = this.#pending.get(message.requestId);
    if (message.type === 'progress') {
      this.phase = message.phase;
      return;
    }
    this.busy = false;
    this.phase = '';
    this.#pending.delete(message.requestId);
    switch (message.type) {
      case 'file':
        downloadFile(message.fileName, message.mime, message.bytes as Uint8Array<ArrayBuffer>);
        this.message = { text: `Saved ${message.fileName} to your downloads.`, tone: 'info', warnings: [] };
        break;
      case 'coder-imported':
        await this.#handlers.onMerged(message.projectId);
        this.message = { text: describeMerge(message.coderName, message.report), tone: 'info', warnings: message.warnings };
        break;
      case 'project-imported':
        await this.#handlers.onRestored(message.projectId);
        this.message = { text: `Opened “${message.name}” from the project file.`, tone: 'info', warnings: [] };
        break;
      case 'project-exists':
        this.pendingCopy = pending?.file ? { file: pending.file, name: message.name } : null;
        this.message = { text: `“${message.name}” is already in this browser. Restore the file as a separate copy, or open the project you have.`, tone: 'error', warnings: [] };
        break;
      case 'error':
        this.message = { text: message.message, tone: 'error', warnings: [] };
        break;
    }
  }
}
