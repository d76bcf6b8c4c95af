/**
 * Coder files and project files, off the page's thread: a 100k-answer project
 * is ~150 MB of JSON to build, compress, parse and store.
 */
import { database } from '../lib/db/database';
import { isStorageFailure, storageFailureMessage } from '../lib/db/write-failure';
import { exportCoderFile, exportProjectFile, importCoderFile, importProjectFile, ProjectExistsError } from '../lib/db/exchange-store';
import { loadProjectOverview } from '../lib/db/projects';
import { ExchangeError, gzipExchange, readExchangeBytes } from '../lib/exchange';
import { newId, slugify } from '../lib/model/types';
import type { FromExchangeWorker, ToExchangeWorker } from './exchange-protocol';

function send(message: FromExchangeWorker, transfer: Transferable[] = []) {
  postMessage(message, { transfer });
}

function fileStem(name: string): string {
  return slugify(name).slice(0, 60) || 'project';
}

async function handle(message: ToExchangeWorker) {
  const db = database();
  const { requestId } = message;
  const progress = (phase: string) => send({ type: 'progress', requestId, phase });
  switch (message.type) {
    case 'export-coder': {
      progress('Collecting your codings');
      const name = (await loadProjectOverview(db, message.projectId))?.project.name ?? 'project';
      const text = await exportCoderFile(db, message.projectId, message.coder);
      const bytes = new TextEncoder().encode(text);
      send({ type: 'file', requestId, fileName: `${fileStem(name)}-${fileStem(message.coder.name)}.codebench-coder.json`, mime: 'application/json', bytes }, [bytes.buffer]);
      return;
    }
    case 'export-project': {
      progress('Collecting the project');
      const name = (await loadProjectOverview(db, message.projectId))?.project.name ?? 'project';
      const text = await exportProjectFile(db, message.projectId);
      progress('Compressing');
      const bytes = gzipExchange(text);
      send({ type: 'file', requestId, fileName: `${fileStem(name)}.codebench.json.gz`, mime: 'application/gzip', bytes }, [bytes.buffer]);
      return;
    }
    case 'import': {
      progress('Reading the file');
      const document = readExchangeBytes(new Uint8Array(await message.file.arrayBuffer()));
      if (document.format === 'codebench-coder') {
        if (!message.projectId) throw new ExchangeError('This is a coder file: open the project it belongs to, then import it there.');
        progress('Merging the codings');
        const result = await importCoderFile(db, message.projectId, document.file, message.localCoder ?? undefined);
        send({ type: 'coder-imported', requestId, projectId: message.projectId, ...result });
        return;
      }
      progress('Storing the project');
      try {
        const restored = await importProjectFile(db, document.file, message.asCopy ? newId() : undefined);
        send({ type: 'project-imported', requestId, ...restored });
      } catch (error) {
        if (error instanceof ProjectExistsError) send({ type: 'project-exists', requestId, name: error.projectName });
        else throw error;
      }
      return;
    }
  }
}

self.onmessage = async (event: MessageEvent<ToExchangeWorker>) => {
  try {
    await handle(event.data);
  } catch (error) {
    const message = isStorageFailure(error)
      ? event.data.type === 'import'
        ? storageFailureMessage('Storing the file', error)
        : storageFailureMessage('Exporting', error, false)
      : error instanceof Error
        ? error.message
        : String(error);
    send({ type: 'error', requestId: event.data.requestId, message });
  }
};
