/**
 * Exchanging work without a server: export this coder's file or the whole
 * project, and take in a colleague's coder file or a project file. The work
 * runs in the exchange worker; this class keeps what the page shows.
 */
import type { MergeReport } from '../exchange';
import type { ExchangeIntent, FromExchangeWorker, ToExchangeWorker } from '../../workers/exchange-protocol';
import { WorkerClient, type WorkerLike } from '../../workers/worker-client';
import { downloadFile } from './download';

export type ExchangeWorkerLike = WorkerLike<ToExchangeWorker, FromExchangeWorker>;

export function defaultExchangeWorker(): ExchangeWorkerLike {
  return new Worker(new URL('../../workers/exchange-worker.ts', import.meta.url), { type: 'module' }) as ExchangeWorkerLike;
}

export interface ExchangeHandlers {
  /** A coder file was merged into this project: reload its codings. */
  onMerged: (projectId: string) => void | Promise<void>;
  /** A project file was restored: show it, with `report` (what was opened, and any warning) where the user looks next. */
  onRestored: (projectId: string, report: string, secondCoder?: { roundId: string | null }) => void | Promise<void>;
  /** Every message the exchange shows is also reported here (the app's notification area). */
  onMessage?: (message: ExchangeMessage) => void;
}

const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/** What a merge did, every count named; `asYours` when the file carried the user's own coder id. */
export function describeMerge(coderName: string, report: MergeReport, asYours = false): string {
  const parts = [`${n(report.codingsAdded, 'coding')} added${asYours ? ' in your name' : ''}`];
  if (report.codingsUpdated) {
    parts.push(
      asYours
        ? `${n(report.codingsUpdated, 'of your codings', 'of your codings')} replaced by the file's version`
        : `${n(report.codingsUpdated, 'coding')} updated`,
    );
  }
  if (report.codingsAlreadyPresent) parts.push(`${n(report.codingsAlreadyPresent, 'coding')} already here`);
  if (report.codingsReidentified) parts.push(`${n(report.codingsReidentified, 'coding')} given new ids`);
  if (report.codesAdded.length) parts.push(`${n(report.codesAdded.length, 'code')} added (${report.codesAdded.join(', ')})`);
  if (report.memosAdded || report.memosUpdated) parts.push(`${n(report.memosAdded, 'memo')} added, ${report.memosUpdated} updated`);
  return asYours ? `Imported the coder file as your own codings: ${parts.join('; ')}.` : `Merged ${coderName}'s coder file: ${parts.join('; ')}.`;
}

/** The question asked before a coder file under the user's own coder id is merged. */
export function describeOwnCoderFile(fileCoderName: string, yourName: string, codings: number, memos: number): string {
  const under = fileCoderName === yourName ? `your own name and coder id (“${yourName}”)` : `your own coder id (as “${fileCoderName}”; you are “${yourName}”)`;
  const what = memos > 0 ? `${n(codings, 'coding')} and ${n(memos, 'memo')}` : n(codings, 'coding');
  return `This coder file was made under ${under}. Import its ${what} as yours? Codings here with the same ids are replaced by the file's version.`;
}

export interface ExchangeMessage {
  text: string;
  tone: 'info' | 'error';
  warnings: string[];
}

export class ExchangeState {
  busy = $state(false);
  phase = $state('');
  #message = $state<ExchangeMessage | null>(null);
  /** What the last exchange did, shown in the share dialog and (through onMessage) in the notification area. */
  get message(): ExchangeMessage | null {
    return this.#message;
  }
  set message(message: ExchangeMessage | null) {
    this.#message = message;
    if (message) this.#handlers.onMessage?.(message);
  }
  /** A project file whose project is already here, waiting for "restore as a copy". */
  pendingCopy = $state<{ file: Blob; name: string } | null>(null);
  /** A coder file under the user's own coder id, waiting for "import as mine" or "don't import". */
  pendingOwnCoder = $state<{ file: Blob; projectId: string; localCoder: { id: string; name: string } } | null>(null);

  #worker: WorkerClient<ToExchangeWorker, FromExchangeWorker>;
  #requestId = 0;
  #pending = new Map<number, { file?: Blob; localCoder?: { id: string; name: string } | null; projectId?: string | null }>();
  #handlers: ExchangeHandlers;

  constructor(handlers: ExchangeHandlers, createWorker: () => ExchangeWorkerLike = defaultExchangeWorker) {
    this.#handlers = handlers;
    this.#worker = new WorkerClient({ name: 'exchange', create: createWorker, isFinal: (reply) => reply.type !== 'progress' });
  }

  exportCoder(projectId: string, coder: { id: string; name: string; color: string }) {
    this.#send(
      (requestId) => ({ type: 'export-coder', requestId, projectId, coder: { id: coder.id, name: coder.name, color: coder.color } }),
      'No file was written; try again.',
    );
  }

  exportProject(projectId: string) {
    this.#send((requestId) => ({ type: 'export-project', requestId, projectId }), 'No file was written; try again.');
  }

  /** The file a second coder starts from: answers and codebook (of the round's version), no one's codings or memos. */
  exportForSecondCoder(projectId: string, roundId: string | null) {
    this.#send((requestId) => ({ type: 'export-project', requestId, projectId, secondCoder: { roundId } }), 'No file was written; try again.');
  }

  /**
   * A file chosen as a coder file (merged into `projectId`) or as a project file (restored as a project); a file
   * of the other kind is refused with what it is.
   */
  importFile(
    file: Blob,
    projectId: string | null,
    localCoder: { id: string; name: string } | null,
    intent: ExchangeIntent,
    options: { asCopy?: boolean; ownCoderConfirmed?: boolean } = {},
  ) {
    this.pendingCopy = null;
    this.pendingOwnCoder = null;
    this.#send((requestId) => {
      this.#pending.set(requestId, { file, localCoder, projectId });
      return {
        type: 'import',
        requestId,
        file,
        intent,
        projectId,
        localCoder: localCoder ? { id: localCoder.id, name: localCoder.name } : null,
        asCopy: options.asCopy ?? false,
        ownCoderConfirmed: options.ownCoderConfirmed ?? false,
      };
    }, 'Nothing was stored; try again.');
  }

  restoreAsCopy() {
    const pending = this.pendingCopy;
    if (pending) this.importFile(pending.file, null, null, 'project', { asCopy: true });
  }

  /** The answer to "import as yours?": merge the waiting coder file, or leave everything as it is. */
  answerOwnCoder(importAsMine: boolean) {
    const pending = this.pendingOwnCoder;
    if (!pending) return;
    if (importAsMine) this.importFile(pending.file, pending.projectId, pending.localCoder, 'coder', { ownCoderConfirmed: true });
    else {
      this.pendingOwnCoder = null;
      this.message = { text: 'Nothing was imported: the coder file was left out.', tone: 'info', warnings: [] };
    }
  }

  /**
   * The bytes of a project file (with `secondCoder`, the file a second coder starts from: answers and codebook, no
   * one's codings or memos), for team sync to share once; nothing is downloaded and the dialog's message stays.
   */
  exportBytes(projectId: string, secondCoder?: { roundId: string | null }): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.#worker.request((requestId) => ({ type: 'export-project', requestId, projectId, ...(secondCoder ? { secondCoder } : {}) }), {
        onReply: (reply) => {
          if (reply.type === 'file') resolve(reply.bytes);
          else if (reply.type === 'error') reject(new Error(reply.message));
        },
        onFailure: (message) => reject(new Error(message)),
        consequence: 'Nothing was shared; try again.',
        replaces: 'team-share',
      });
    });
  }

  dismiss() {
    this.message = null;
    this.pendingCopy = null;
    this.pendingOwnCoder = null;
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
        this.message = { text: `Saved ${message.fileName} to your downloads.`, tone: 'info', warnings: message.warning ? [message.warning] : [] };
        break;
      case 'coder-imported':
        await this.#handlers.onMerged(message.projectId);
        this.message = { text: describeMerge(message.coderName, message.report, message.asYours), tone: 'info', warnings: message.warnings };
        break;
      case 'project-imported': {
        const text = message.secondCoder
          ? `Opened “${message.name}” from a file for a second coder: you code blind.`
          : `Opened “${message.name}” from the project file.`;
        await this.#handlers.onRestored(message.projectId, [text, ...message.warnings].join(' '), message.secondCoder);
        this.message = { text, tone: 'info', warnings: message.warnings };
        break;
      }
      case 'project-exists':
        this.pendingCopy = pending?.file ? { file: pending.file, name: message.name } : null;
        this.message = {
          text: `“${message.name}” is already in this browser. Restore the file as a separate copy, or open the project you have.`,
          tone: 'error',
          warnings: [],
        };
        break;
      case 'own-coder-file':
        if (pending?.file && pending.projectId && pending.localCoder) {
          this.pendingOwnCoder = { file: pending.file, projectId: pending.projectId, localCoder: pending.localCoder };
          this.message = {
            text: describeOwnCoderFile(message.fileCoderName, pending.localCoder.name, message.codings, message.memos),
            tone: 'info',
            warnings: [],
          };
        }
        break;
      case 'error':
        this.message = { text: message.message, tone: 'error', warnings: [] };
        break;
    }
  }
}
