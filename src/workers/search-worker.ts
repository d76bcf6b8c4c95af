/**
 * The search worker: each question's answers, loaded from IndexedDB and keyed
 * in the background as soon as the page says which question is shown (see
 * QuestionSearches), and searched by scanning those keys (AnswerScan: the
 * matching rules of AnswerIndex, without its 1.3 kB per answer).
 */
import { database } from '../lib/db/database';
import { loadAnswers, loadProjectOverview } from '../lib/db/projects';
import { answerId } from '../lib/model/types';
import { HoldGate } from '../lib/scheduling/hold-gate';
import { QuestionSearches, type Prepared } from '../lib/search/question-searches';
import type { FromSearchWorker, ToSearchWorker } from './search-protocol';
import { routeRequests } from './worker-router';

/** Only the newest search matters: older ones still queued are skipped. */
let latestSearch = 0;
/** The last search's results, so highlight requests for it need no second search. */
let lastFound: { key: string; found: ReturnType<Prepared['scan']['matchPositions']> } | undefined;

function send(message: FromSearchWorker) {
  postMessage(message);
}

/** The background keying waits at its checkpoints while the user scrolls or drags; searches never wait. */
const gate = new HoldGate();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const questions = new QuestionSearches({
  async load(projectId, questionId) {
    // A search's own load passes at once (it is urgent); the background's waits for the user to stop.
    await gate.pass();
    const db = database();
    const overview = await loadProjectOverview(db, projectId);
    const answers = await loadAnswers(db, projectId, questionId, overview?.waves.map((w) => w.id) ?? []);
    return { texts: answers.texts, idAt: (i) => answerId(questionId, answers.waveIds[i], answers.respondentIds[i]) };
  },
  pause: async (ms) => {
    await sleep(ms);
    await gate.pass();
  },
  onProgress: (projectId, questionId, done, total) => send({ type: 'indexing', projectId, questionId, done, total }),
});

function findCached(prepared: Prepared, key: string, query: string) {
  if (lastFound?.key !== key) lastFound = { key, found: prepared.scan.matchPositions(query) };
  return lastFound.found;
}

routeRequests<ToSearchWorker, FromSearchWorker>(async (message) => {
  if (message.type === 'hold') {
    gate.held = message.held;
    return;
  }
  if (message.type === 'forget') {
    questions.forget(message.projectId);
    lastFound = undefined;
    return;
  }
  if (message.type === 'prepare') {
    questions.prepare(message.projectId, message.questionId, message.questionIds);
    return;
  }
  if (message.type === 'search') latestSearch = message.requestId;
  const urgentDone = gate.urgent();
  let prepared: Prepared;
  try {
    prepared = await questions.scanFor(message.projectId, message.questionId);
  } finally {
    urgentDone();
  }
  const key = `${message.projectId}\u001f${message.questionId}\u001f${message.query}`;
  if (message.type === 'search') {
    if (message.requestId !== latestSearch) return;
    const started = performance.now();
    const found = findCached(prepared, key, message.query);
    // A copy to transfer: the cached mask stays for the highlight request that follows.
    const mask = found.mask.slice();
    const results: FromSearchWorker = { type: 'results', requestId: message.requestId, mask, count: found.count, ms: performance.now() - started };
    postMessage(results, { transfer: [mask.buffer] });
  } else {
    const found = findCached(prepared, key, message.query);
    if (!prepared.positions) {
      const positions = new Map<string, number>();
      for (let i = 0; i < prepared.answers.texts.length; i++) positions.set(prepared.answers.idAt(i), i);
      prepared.positions = positions;
    }
    const ranges: Record<string, [number, number][]> = {};
    for (const id of message.answerIds) {
      const at = prepared.positions.get(id);
      ranges[id] = at === undefined ? [] : found.ranges(prepared.answers.texts[at]);
    }
    send({ type: 'ranges', requestId: message.requestId, ranges });
  }
});
