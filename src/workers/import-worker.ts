/**
 * The import worker: reads a survey file, proposes a plan, and commits it to
 * IndexedDB in one transaction. Parsing 100k rows and writing them would
 * freeze the page for seconds, so all of it happens here.
 */
import { commitImport, ImportCancelledError } from '../lib/db/commit-import';
import { database } from '../lib/db/database';
import { deleteProject } from '../lib/db/projects';
import { addCodes } from '../lib/db/codebook';
import { checkStorageRoom, estimateStoredBytes } from '../lib/db/storage-room';
import { buildBatch, checkFileSize, proposePlan, readSource, validatePlan } from '../lib/import';
import { ImportError, type ImportPlan, type SourceTable } from '../lib/import/types';
import { flattenCodebook, parseCodebookJson } from '../lib/codebook/codebook-json';
import { newId } from '../lib/model/types';
import type { ColumnPreview, FromImportWorker, SourcePreview, ToImportWorker } from './import-protocol';

const SAMPLE_VALUES = 4;
let table: SourceTable | undefined;
let cancelled = false;
let abort: AbortController | undefined;

function send(message: FromImportWorker) {
  postMessage(message);
}

const progress = (phase: string) => (done: number, total: number) => send({ type: 'progress', phase, done, total });

self.onmessage = async (event: MessageEvent<ToImportWorker>) => {
  const message = event.data;
  try {
    switch (message.type) {
      case 'cancel':
        cancelled = true;
        abort?.abort();
        return;
      case 'read':
        return await read(message.file, message.fileName, message.sheet);
      case 'validate':
        return send({ type: 'validation', problems: table ? validatePlan(table, message.plan) : [] });
      case 'commit':
        return await commit(message.plan, message.target);
      case 'open-sample':
        return await openSample(message);
    }
  } catch (error) {
    report(error);
  }
};

function report(error: unknown) {
  if (error instanceof ImportCancelledError || (error as Error)?.name === 'AbortError' || cancelled) {
    send({ type: 'cancelled' });
  } else if (error instanceof ImportError) {
    send({ type: 'error', message: error.message, row: error.row });
  } else {
    console.error(error);
    send({ type: 'error', message: `The import failed: ${(error as Error)?.message ?? String(error)}. Nothing was stored.` });
  }
}

async function readBytes(file: Blob): Promise<Uint8Array> {
  send({ type: 'progress', phase: 'Reading the file', done: 0, total: file.size });
  return new Uint8Array(await file.arrayBuffer());
}

async function read(file: Blob, fileName: string, sheet?: string) {
  cancelled = false;
  abort = new AbortController();
  const started = performance.now();
  checkFileSize(file.size, fileName);
  const bytes = await readBytes(file);
  const source = await readSource(bytes, fileName, { sheet, onProgress: progress('Parsing'), signal: abort.signal });
  table = source;
  const plan = proposePlan(source);
  send({
    type: 'preview',
    preview: describe(source),
    plan,
    problems: validatePlan(source, plan),
    readMs: performance.now() - started,
  });
}

function describe(source: SourceTable): SourcePreview {
  const columns: ColumnPreview[] = source.columns.map((column) => {
    const samples: string[] = [];
    const distinct = new Set<string>();
    let nonBlank = 0;
    for (const row of source.rows) {
      const value = row[column.index];
      if (!value || !value.trim()) continue;
      nonBlank++;
      if (distinct.size < 10_000) distinct.add(value);
      if (samples.length < SAMPLE_VALUES && !samples.includes(value)) samples.push(value.slice(0, 200));
    }
    return { index: column.index, key: column.key, label: column.label, samples, nonBlank, distinct: distinct.size };
  });
  return {
    fileName: source.fileName,
    format: source.format,
    encoding: source.encoding,
    delimiter: source.delimiter,
    sheetNames: source.sheetNames,
    sheetName: source.sheetName,
    rowCount: source.rows.length,
    columns,
    notes: source.notes,
  };
}

async function commit(plan: ImportPlan, target: Parameters<typeof commitImport>[2]) {
  if (!table) throw new ImportError('Choose a file to import first.');
  cancelled = false;
  const started = performance.now();
  send({ type: 'progress', phase: 'Preparing answers', done: 0, total: 1 });
  const batch = buildBatch(table, plan);
  const texts = function* () {
    for (const group of batch.answers) yield* group.texts;
  };
  checkStorageRoom(estimateStoredBytes(texts()), await navigator.storage?.estimate?.());
  const built = performance.now();
  const summary = await commitImport(
    database(),
    batch,
    target,
    { fileName: table.fileName, format: table.format },
    { onProgress: progress('Storing'), isCancelled: () => cancelled },
  );
  table = undefined;
  send({ type: 'done', summary, buildMs: built - started, storeMs: performance.now() - built });
}

/** The bundled sample study: both waves and the starter codebook, into one new project. */
async function openSample(message: Extract<ToImportWorker, { type: 'open-sample' }>) {
  cancelled = false;
  const started = performance.now();
  let projectId: string | undefined;
  try {
    let summary;
    for (const file of message.files) {
      const bytes = new Uint8Array(await (await fetch(file.url)).arrayBuffer());
      const source = await readSource(bytes, file.fileName);
      const plan = { ...proposePlan(source, { waveName: file.waveName }), waveName: file.waveName };
      summary = await commitImport(
        database(),
        buildBatch(source, plan),
        projectId ? { kind: 'existing', projectId } : { kind: 'new', name: message.projectName },
        { fileName: file.fileName, format: source.format },
        { onProgress: progress(`Importing ${file.waveName}`), isCancelled: () => cancelled },
      );
      projectId = summary.projectId;
    }
    const codebook = parseCodebookJson(await (await fetch(message.codebookUrl)).text());
    await addCodes(database(), projectId!, flattenCodebook(codebook, projectId!, () => newId()));
    send({ type: 'done', summary: summary!, buildMs: 0, storeMs: performance.now() - started });
  } catch (error) {
    if (projectId) await deleteProject(database(), projectId);
    throw error;
  }
}
