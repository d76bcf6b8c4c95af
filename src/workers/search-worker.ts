/**
 * The search worker: one AnswerIndex per question, built from IndexedDB the
 * first time that question is searched (100k answers take seconds to index,
 * which must not freeze the page), then kept for the session.
 */
import { database } from '../lib/db/database';
import { loadAnswers, loadProjectOverview } from '../lib/db/projects';
import { answerId } from '../lib/model/types';
import { AnswerIndex } from '../lib/search';
import type { FromSearchWorker, ToSearchWorker } from './search-protocol';
import { routeRequests } from './worker-router';

interface QuestionIndex {
  index: AnswerIndex;
  texts: Map<string, string>;
  /** Each answer's position in the question's answers, by the index's document number (see AnswerIndex.positionTable). */
  table: Int32Array;
  /** How many answers the question has: the length of a results mask. */
  count: number;
}

const indexes = new Map<string, Promise<QuestionIndex>>();
/** Only the newest search matters: older ones still queued are skipped. */
let latestSearch = 0;
/** The last search's results, so highlight requests for it need no second search. */
let lastFound: { key: string; found: Found } | undefined;

type Found = ReturnType<AnswerIndex['matchPositions']>;

/** The list shows hits in its own order, so the unranked match, as a mask over the list, is all a search needs. */
function findCached(question: QuestionIndex, key: string, query: string): Found {
  if (lastFound?.key !== key) {
    lastFound = { key, found: question.index.matchPositions(query, (id) => question.texts.get(id), question.table, question.count) };
  }
  return lastFound.found;
}

function send(message: FromSearchWorker) {
  postMessage(message);
}

async function indexFor(projectId: string, questionId: string): Promise<QuestionIndex> {
  const key = `${projectId}\u001f${questionId}`;
  let built = indexes.get(key);
  if (!built) {
    built = build(projectId, questionId);
    indexes.set(key, built);
    built.catch(() => indexes.delete(key));
  }
  return built;
}

async function build(projectId: string, questionId: string): Promise<QuestionIndex> {
  const db = database();
  const overview = await loadProjectOverview(db, projectId);
  const answers = await loadAnswers(db, projectId, questionId, overview?.waves.map((w) => w.id) ?? []);
  const texts = new Map<string, string>();
  const positions = new Map<string, number>();
  const docs = answers.texts.map((text, i) => {
    const id = answerId(questionId, answers.waveIds[i], answers.respondentIds[i]);
    texts.set(id, text);
    positions.set(id, i);
    return { id, text };
  });
  const index = await AnswerIndex.create({
    onProgress: (done, total) => send({ type: 'indexing', questionId, done, total }),
  });
  await index.addAllAsync(docs);
  send({ type: 'indexing', questionId, done: docs.length, total: docs.length });
  return { index, texts, table: index.positionTable((id) => positions.get(id)), count: docs.length };
}

routeRequests<ToSearchWorker, FromSearchWorker>(async (message) => {
  if (message.type === 'forget') {
    for (const key of [...indexes.keys()]) if (key.startsWith(`${message.projectId}\u001f`)) indexes.delete(key);
    lastFound = undefined;
    return;
  }
  if (message.type === 'search') latestSearch = message.requestId;
  const question = await indexFor(message.projectId, message.questionId);
  const { texts } = question;
  if (message.type === 'search') {
    if (message.requestId !== latestSearch) return;
    const started = performance.now();
    const found = findCached(question, `${message.projectId}\u001f${message.questionId}\u001f${message.query}`, message.query);
    // A copy to transfer: the cached mask stays for the highlight request that follows.
    const mask = found.mask.slice();
    const results: FromSearchWorker = { type: 'results', requestId: message.requestId, mask, count: found.count, ms: performance.now() - started };
    postMessage(results, { transfer: [mask.buffer] });
  } else {
    const found = findCached(question, `${message.projectId}\u001f${message.questionId}\u001f${message.query}`, message.query);
    const ranges: Record<string, [number, number][]> = {};
    for (const id of message.answerIds) ranges[id] = found.ranges(texts.get(id) ?? '');
    send({ type: 'ranges', requestId: message.requestId, ranges });
  }
});
