/**
 * What the exchange worker does, apart from the worker itself so tests can
 * run it over fake-indexeddb: export a coder or project file (sealed with its
 * checksum), or read a chosen file (gzip trailer and checksum checked first)
 * and store it as what the user chose it as.
 */
import { isStorageFailure, storageFailureMessage } from '../lib/db/write-failure';
import { exportCoderFile, exportProjectFile, exportSecondCoderFile, importCoderFile, importProjectFile, ProjectExistsError } from '../lib/db/exchange-store';
import { loadProjectOverview } from '../lib/db/projects';
import type { CodebenchDatabase } from '../lib/db/schema';
import {
  ExchangeError,
  exchangeSizeProblem,
  gzipExchange,
  MAX_EXCHANGE_BYTES,
  NO_CHECKSUM_WARNING,
  readExchangeBytes,
  sealExchange,
  type CheckedExchangeDocument,
} from '../lib/exchange';
import { newId } from '../lib/model/types';
import { fileNamePart } from '../lib/export/file-name';
import type { FromExchangeWorker, ToExchangeWorker } from './exchange-protocol';

export type ExchangeSend = (message: FromExchangeWorker, transfer?: Transferable[]) => void;

/** The project's or coder's name in a file name, by the one rule for file names (see file-name.ts). */
function fileStem(name: string, fallback = 'project'): string {
  return fileNamePart(name, 80) || fallback;
}

/** The refusal for a file of the other kind than the one the user chose, naming what it is and where it goes. */
function wrongKind(document: CheckedExchangeDocument, intent: 'coder' | 'project'): ExchangeError | null {
  if (intent === 'coder' && document.format === 'codebench-project') {
    return new ExchangeError(
      `This is a project file (“${document.file.project.name}”), not a coder file: it holds a whole project, not one coder's codings. Nothing was imported. To open it as a project of its own, use “Open a project file…” on the start page.`,
    );
  }
  if (intent === 'project' && document.format === 'codebench-coder') {
    return new ExchangeError(
      `This is a coder file (${document.file.coder.name}'s codings from “${document.file.project.name}”), not a project file. Nothing was opened. Open the project it belongs to, then merge it with Share… → “Import a coder file…”.`,
    );
  }
  return null;
}

async function handle(db: CodebenchDatabase, message: ToExchangeWorker, send: ExchangeSend) {
  const { requestId } = message;
  const progress = (phase: string) => send({ type: 'progress', requestId, phase });
  switch (message.type) {
    case 'export-coder': {
      progress('Collecting your codings');
      const name = (await loadProjectOverview(db, message.projectId))?.project.name ?? 'project';
      const bytes = await sealExchange(await exportCoderFile(db, message.projectId, message.coder));
      send(
        {
          type: 'file',
          requestId,
          fileName: `${fileStem(name)}-${fileStem(message.coder.name, 'coder')}.codebench-coder.json`,
          mime: 'application/json',
          bytes,
        },
        [bytes.buffer],
      );
      return;
    }
    case 'export-project': {
      progress('Collecting the project');
      const name = (await loadProjectOverview(db, message.projectId))?.project.name ?? 'project';
      const forSecondCoder = message.secondCoder;
      let text: string;
      try {
        text = forSecondCoder ? await exportSecondCoderFile(db, message.projectId, forSecondCoder.roundId) : await exportProjectFile(db, message.projectId);
      } catch (error) {
        // V8 throws RangeError("Invalid string length") past ~512 MiB of text.
        if (error instanceof RangeError)
          throw new ExchangeError(
            `This project is too large to write as one project file: its text would pass ${MAX_EXCHANGE_BYTES / (1024 * 1024)} MB, the most a browser can read in one piece. Send your codings with “Export my coder file” instead.`,
          );
        throw error;
      }
      progress('Compressing');
      const sealed = await sealExchange(text);
      const tooLarge = exchangeSizeProblem(sealed.length, { kind: 'project file' });
      const bytes = gzipExchange(sealed);
      send(
        {
          type: 'file',
          requestId,
          fileName: `${fileStem(name)}${forSecondCoder ? '.second-coder' : ''}.codebench.json.gz`,
          mime: 'application/gzip',
          bytes,
          ...(tooLarge ? { warning: `${tooLarge} It was saved, but Codebench cannot open it again; keep the project in this browser too.` } : {}),
        },
        [bytes.buffer],
      );
      return;
    }
    case 'import': {
      progress('Reading the file');
      const kind = message.intent === 'coder' ? 'coder file' : 'project file';
      // Named before reading: compressed or not, a file this large holds more than the limit once uncompressed.
      const tooLarge = exchangeSizeProblem(message.file.size, { kind });
      if (tooLarge) throw new ExchangeError(tooLarge);
      const document = await readExchangeBytes(new Uint8Array(await message.file.arrayBuffer()), { kind });
      const refusal = wrongKind(document, message.intent);
      if (refusal) throw refusal;
      const warnings = document.checksum === 'absent' ? [NO_CHECKSUM_WARNING] : [];
      if (document.format === 'codebench-coder') {
        if (!message.projectId) throw new ExchangeError('This is a coder file: open the project it belongs to, then import it there.');
        const file = document.file;
        const asYours = message.localCoder !== null && file.coder.id === message.localCoder.id;
        if (asYours && !message.ownCoderConfirmed) {
          send({ type: 'own-coder-file', requestId, fileCoderName: file.coder.name, codings: file.codings.length, memos: file.memos.length });
          return;
        }
        progress('Merging the codings');
        const result = await importCoderFile(db, message.projectId, file, message.localCoder ?? undefined);
        send({ type: 'coder-imported', requestId, projectId: message.projectId, asYours, ...result, warnings: [...warnings, ...result.warnings] });
        return;
      }
      progress('Storing the project');
      try {
        const restored = await importProjectFile(db, document.file, message.asCopy ? newId() : undefined);
        const file = document.file;
        const secondCoder = file.purpose === 'second-coder' ? { secondCoder: { roundId: file.roundId ?? null } } : {};
        send({ type: 'project-imported', requestId, ...restored, warnings, ...secondCoder });
      } catch (error) {
        if (error instanceof ProjectExistsError) send({ type: 'project-exists', requestId, name: error.projectName });
        else throw error;
      }
      return;
    }
  }
}

/** Handles one request; every failure ends it with an 'error' message naming the problem. */
export async function handleExchangeRequest(db: CodebenchDatabase, message: ToExchangeWorker, send: ExchangeSend): Promise<void> {
  try {
    await handle(db, message, send);
  } catch (error) {
    // A full disk or a closed connection is named for what it is, not passed on as Dexie's raw message.
    const text = isStorageFailure(error)
      ? message.type === 'import'
        ? storageFailureMessage('Storing the file', error)
        : storageFailureMessage('Exporting', error, false)
      : error instanceof Error
        ? error.message
        : String(error);
    send({ type: 'error', requestId: message.requestId, message: text });
  }
}
