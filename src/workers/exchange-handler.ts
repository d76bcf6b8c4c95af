/**
 * What the exchange worker does, apart from the worker itself so tests can
 * run it over fake-indexeddb: export a coder or project file (sealed with its
 * checksum), or read a chosen file (gzip trailer and checksum checked first)
 * and store it as what the user chose it as.
 */
import { exportCoderFile, exportProjectFile, importCoderFile, importProjectFile, ProjectExistsError } from '../lib/db/exchange-store';
import { loadProjectOverview } from '../lib/db/projects';
import type { CodebenchDatabase } from '../lib/db/schema';
import { ExchangeError, gzipExchange, NO_CHECKSUM_WARNING, readExchangeBytes, sealExchange, type CheckedExchangeDocument } from '../lib/exchange';
import { newId, slugify } from '../lib/model/types';
import type { FromExchangeWorker, ToExchangeWorker } from './exchange-protocol';

export type ExchangeSend = (message: FromExchangeWorker, transfer?: Transferable[]) => void;

function fileStem(name: string): string {
  return slugify(name).slice(0, 60) || 'project';
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
      send({ type: 'file', requestId, fileName: `${fileStem(name)}-${fileStem(message.coder.name)}.codebench-coder.json`, mime: 'application/json', bytes }, [bytes.buffer]);
      return;
    }
    case 'export-project': {
      progress('Collecting the project');
      const name = (await loadProjectOverview(db, message.projectId))?.project.name ?? 'project';
      const text = await exportProjectFile(db, message.projectId);
      progress('Compressing');
      const bytes = gzipExchange(await sealExchange(text));
      send({ type: 'file', requestId, fileName: `${fileStem(name)}.codebench.json.gz`, mime: 'application/gzip', bytes }, [bytes.buffer]);
      return;
    }
    case 'import': {
      progress('Reading the file');
      const kind = message.intent === 'coder' ? 'coder file' : 'project file';
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
        send({ type: 'project-imported', requestId, ...restored, warnings });
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
    send({ type: 'error', requestId: message.requestId, message: error instanceof Error ? error.message : String(error) });
  }
}
