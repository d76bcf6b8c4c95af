/**
 * The import worker: reads a survey file, proposes a plan, and commits it to
 * IndexedDB in one transaction. Parsing 100k rows and writing them would
 * freeze the page for seconds, so all of it happens here.
 */
import { commitImport, ImportCancelledError, type ImportSummary } from '../lib/db/commit-import';
import { openingTransferables } from '../lib/db/packed-columns';
import { database } from '../lib/db/database';
import { isStorageFailure, storageFailureMessage } from '../lib/db/write-failure';
import { deleteProject } from '../lib/db/projects';
import { addCodes } from '../lib/db/codebook';
import { checkStorageRoom, estimateStoredBytes } from '../lib/db/storage-room';
import { buildBatch, checkFileSize, nothingToCodeNote, proposePlan, readSource, validatePlan } from '../lib/import';
import { ImportError, type ImportPlan, type SourceTable } from '../lib/import/types';
import { flattenCodebook, parseCodebookJson } from '../lib/codebook/codebook-json';
import { newId } from '../lib/model/types';
import type { ColumnPreview, FromImportWorker, SourcePreview, ToImportWorker } from './import-protocol';
import { routeRequests } from './worker-router';
import { ImportStaging } from './import-staging';
import { sweepStaging } from '../lib/db/staging';
import { describeColumns } from '../lib/import/describe-source';
import { answerLengths } from '../lib/import/build-batch';

/** How long an edited plan must stay unchanged before it is staged (see ImportStaging.want). */
const RESTAGE_SETTLE_MS = 400;
let table: SourceTable | undefined;
/**
 * The batch for the proposed plan, built while the user reads the preview, so
 * an unchanged plan commits without rebuilding (0.3–0.5 s at 100k rows).
 */
let prepared: { planKey: string; batch: ReturnType<typeof buildBatch> } | undefined;
let cancelled = false;
let abort: AbortController | undefined;
/** A new project's rows, stored unseen while the user reads the preview (import-staging.ts). */
const staging = new ImportStaging({ db: database, notify: (notice) => send(notice) });

// Staging left by a page that closed or crashed mid-review is deleted at the next start (see lib/db/staging.ts).
void sweepStaging(database(), { wait: true }).catch((error: unknown) => console.error(error));

function send(message: FromImportWorker, transfer: ArrayBuffer[] = []) {
  postMessage(message, { transfer });
}

const progress = (requestId: number, phase: string) => (done: number, total: number) => send({ type: 'progress', requestId, phase, done, total });

async function handle(message: ToImportWorker) {
  switch (message.type) {
    case 'cancel':
      cancelled = true;
      abort?.abort();
      await staging.drop();
      return;
    case 'read':
      // The previous file's staging goes before this one is parsed (a read cannot be interrupted).
      await staging.drop();
      return await read(message.requestId, message.file, message.fileName, message.sheet, message.stage);
    case 'discard':
      table = undefined;
      prepared = undefined;
      await staging.drop();
      return;
    case 'validate': {
      const problems = table ? validatePlan(table, message.plan) : [];
      send({ type: 'validation', requestId: message.requestId, problems });
      if (problems.length === 0) planChanged(message.plan, message.stage, () => new Promise((resolve) => setTimeout(resolve, RESTAGE_SETTLE_MS)));
      else await staging.drop(message.stage);
      return;
    }
    case 'commit':
      return await commit(message.requestId, message.plan, message.target);
    case 'open-sample':
      return await openSample(message);
  }
}

routeRequests<ToImportWorker, FromImportWorker>(handle, { errorReply });

function errorReply(error: unknown, _message: ToImportWorker, requestId: number): FromImportWorker {
  if (error instanceof ImportCancelledError || cancelled) {
    return { type: 'cancelled', requestId };
  } else if (isStorageFailure(error)) {
    // A full disk aborts the transaction too (Dexie's AbortError around QuotaExceededError): that is no cancel.
    console.error(error);
    return { type: 'error', requestId, message: storageFailureMessage('The import', error) };
  } else if (error instanceof ImportError) {
    return { type: 'error', requestId, message: error.message, row: error.row };
  }
  console.error(error);
  return { type: 'error', requestId, message: `The import failed: ${(error as Error)?.message ?? String(error)}. Nothing was stored.` };
}

/**
 * The file as readSource takes it: the Blob itself, which it streams
 * (`Blob.stream()`), so the worker never holds the whole file as bytes or as
 * one string. Only a workbook is read whole, and that inside readSource.
 */
function readBytes(requestId: number, file: Blob): Blob {
  send({ type: 'progress', requestId, phase: 'Reading the file', done: 0, total: file.size });
  return file;
}

async function read(requestId: number, file: Blob, fileName: string, sheet?: string, stage?: number) {
  cancelled = false;
  table = undefined;
  prepared = undefined;
  abort = new AbortController();
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    phases[name] = now - mark;
    mark = now;
  };
  const started = mark;
  checkFileSize(file.size, fileName);
  const bytes = readBytes(requestId, file);
  lap('bytes');
  // Long cells stay bytes until the batch is built (deferred-cells.ts): the preview needs few of them.
  const source = await readSource(bytes, fileName, { sheet, onProgress: progress(requestId, 'Parsing'), signal: abort.signal, deferLongCells: true });
  lap('parse');
  const plan = proposePlan(source);
  lap('plan');
  const problems = validatePlan(source, plan);
  lap('validate');
  const preview = describe(source);
  const nothingToCode = nothingToCodeNote(source, plan);
  if (nothingToCode) preview.nothingToCode = nothingToCode;
  lap('describe');
  table = source;
  send({ type: 'preview', requestId, preview, plan, problems, readMs: performance.now() - started, phases });
  if (problems.length === 0) planChanged(plan, stage);
  else if (stage !== undefined) send({ type: 'staging', generation: stage, state: 'off', done: 0, total: 0 });
}

/**
 * A plan without problems: staged in the background for a new project, or its
 * batch built ahead for an existing one (whose import stays one transaction).
 */
function planChanged(plan: ImportPlan, stage: number | undefined, settle?: () => Promise<void>) {
  const source = table;
  if (!source) return;
  if (stage === undefined) {
    void staging.drop();
    setTimeout(() => prepare(plan), 0);
    return;
  }
  prepared = undefined;
  // Answers still kept as bytes are decoded a chunk at a time as they are stored, so the batch never holds them all as strings.
  staging.want(
    JSON.stringify(plan),
    stage,
    () => ({ batch: buildBatch(source, plan, { deferTexts: true }), source: { fileName: source.fileName, format: source.format } }),
    settle,
  );
}

function prepare(plan: ImportPlan) {
  if (!table) return;
  try {
    prepared = { planKey: JSON.stringify(plan), batch: buildBatch(table, plan) };
  } catch {
    prepared = undefined;
  }
}

function describe(source: SourceTable): SourcePreview {
  const columns: ColumnPreview[] = describeColumns(source);
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
    incomplete: source.incomplete?.rowIndexes.length
      ? { count: source.incomplete.rowIndexes.length, columnKey: source.incomplete.columnKey, rule: source.incomplete.rule }
      : undefined,
  };
}

async function commit(requestId: number, plan: ImportPlan, target: Parameters<typeof commitImport>[2]) {
  if (!table) throw new ImportError('Choose a file to import first.');
  cancelled = false;
  const started = performance.now();
  if (target.kind === 'new') {
    const summary = await staging.publish(JSON.stringify(plan), target.name, progress(requestId, 'Storing'));
    if (summary) {
      table = undefined;
      const storeMs = performance.now() - started;
      send(
        { type: 'done', requestId, summary, buildMs: 0, storeMs, phases: { staged: storeMs } },
        summary.opening ? openingTransferables(summary.opening) : [],
      );
      return;
    }
  }
  // Not staged (an existing project, or staging was off): stored here, in one transaction.
  await staging.drop();
  send({ type: 'progress', requestId, phase: 'Preparing answers', done: 0, total: 1 });
  const batch = prepared?.planKey === JSON.stringify(plan) ? prepared.batch : buildBatch(table, plan);
  prepared = undefined;
  checkStorageRoom(estimateStoredBytes(answerLengths(batch)), await navigator.storage?.estimate?.());
  const built = performance.now();
  const steps: Record<string, number> = {};
  const committing = performance.now();
  const summary = await commitImport(
    database(),
    batch,
    target,
    { fileName: table.fileName, format: table.format },
    { onProgress: progress(requestId, 'Storing'), isCancelled: () => cancelled, onStep: (step, ms) => (steps[step] = ms) },
  );
  table = undefined;
  steps.commit = performance.now() - committing;
  send(
    { type: 'done', requestId, summary, buildMs: built - started, storeMs: performance.now() - built, phases: steps },
    summary.opening ? openingTransferables(summary.opening) : [],
  );
}

/** The bundled sample study: both waves and the starter codebook, into one new project. */
async function openSample(message: Extract<ToImportWorker, { type: 'open-sample' }>) {
  const { requestId } = message;
  cancelled = false;
  const started = performance.now();
  let projectId: string | undefined;
  try {
    let summary: ImportSummary | undefined;
    const total = { respondentsAdded: 0, answersAdded: 0, questionsAdded: 0 };
    for (const file of message.files) {
      const bytes = new Uint8Array(await (await fetch(file.url)).arrayBuffer());
      const source = await readSource(bytes, file.fileName);
      const plan = { ...proposePlan(source, { waveName: file.waveName }), waveName: file.waveName };
      summary = await commitImport(
        database(),
        buildBatch(source, plan),
        projectId ? { kind: 'existing', projectId } : { kind: 'new', name: message.projectName },
        { fileName: file.fileName, format: source.format },
        { onProgress: progress(requestId, `Importing ${file.waveName}`), isCancelled: () => cancelled },
      );
      projectId = summary.projectId;
      total.respondentsAdded += summary.respondentsAdded;
      total.answersAdded += summary.answersAdded;
      total.questionsAdded += summary.questionsAdded;
    }
    const codebook = parseCodebookJson(await (await fetch(message.codebookUrl)).text());
    await addCodes(
      database(),
      projectId!,
      flattenCodebook(codebook, projectId!, () => newId()),
    );
    const combined: ImportSummary = {
      ...summary!,
      ...total,
      waveNames: message.files.map((f) => f.waveName),
      respondentsMatched: 0,
      questionsMatched: 0,
    };
    send({ type: 'done', requestId, summary: combined, buildMs: 0, storeMs: performance.now() - started, phases: {} });
  } catch (error) {
    if (projectId) await deleteProject(database(), projectId);
    throw error;
  }
}
