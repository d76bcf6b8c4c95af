/**
 * The analysis worker: counts, crosstabs, co-occurrence, change between waves,
 * words, quotes and every export, over the project it reads from IndexedDB
 * itself and keeps (analysis-handler.ts). Requests are answered one at a
 * time, in order; a request of a kind that a newer one of the same kind has
 * replaced while it waited is skipped (the page only wants the newest table).
 * Cancelling a long request is the page's: it terminates this worker.
 */
import { database } from '../lib/db/database';
import { HoldGate } from '../lib/scheduling/hold-gate';
import { AnalysisSession } from './analysis-handler';
import { LongCsvWorkerPool, longCsvPartsFor } from './long-csv-writers';
import type { AnalysisRequest, FromAnalysisWorker, ToAnalysisWorker } from './analysis-protocol';
import { routeRequests } from './worker-router';

/** Request kinds where only the newest matters; exports and imports always run. */
const REPLACEABLE = new Set<AnalysisRequest['type']>([
  'counts',
  'crosstab',
  'cooccurrence',
  'wave-change',
  'answers',
  'words',
  'kwic',
  'distinctive',
  'quotes',
]);

/** Background warm-ups wait at its checkpoints while the user is busy; every other request is urgent. */
const gate = new HoldGate();
// The long CSV is not prepared while idle (-1): in the bench (issue 15, third round) the preparation ran while the
// coder coded and scrolled, on the second of two cores, and the coding rows it shared them with failed.
const longCsvWriters = new LongCsvWorkerPool(longCsvPartsFor(navigator.hardwareConcurrency));
const session = new AnalysisSession(database, -1, () => gate.pass(), longCsvWriters);
const newest = new Map<string, number>();
let queue: Promise<void> = Promise.resolve();

function send(message: FromAnalysisWorker, transfer: Transferable[] = []) {
  postMessage(message, { transfer });
}

async function run(request: AnalysisRequest) {
  if (REPLACEABLE.has(request.type) && newest.get(request.type) !== request.requestId) return;
  const { requestId } = request;
  const background = request.type === 'warm' && request.background === true;
  const reply = await session.handle(
    request,
    (phase, done, total) => send({ type: 'progress', requestId, phase, done, total }),
    background ? () => gate.pass() : undefined,
  );
  send(reply.message, reply.transfer);
  // Once a project is open here, the long CSV's writers start (their scripts load on threads of their own).
  if (request.type === 'warm') longCsvWriters.prestart();
}

/** Runs a job after the ones before it; its failure is its own (the router reports it), not the queue's. */
function enqueue(job: () => void | Promise<void>): Promise<void> {
  const done = queue.then(job);
  queue = done.catch(() => {});
  return done;
}

routeRequests<ToAnalysisWorker, FromAnalysisWorker>((message) => {
  if (message.type === 'hold') {
    gate.held = message.held;
    return;
  }
  if (message.type === 'invalidate') return enqueue(() => session.invalidate(message.projectId));
  newest.set(message.type, message.requestId);
  // Queued behind a held warm-up, a request the user waits for lets it go on.
  const urgentDone = message.type === 'warm' && message.background === true ? null : gate.urgent();
  const done = enqueue(() => run(message));
  if (urgentDone) void done.then(urgentDone, urgentDone);
  return done;
});
