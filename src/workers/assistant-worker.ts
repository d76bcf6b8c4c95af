/**
 * The assistant worker: reads the open question's answers (and the texts of the coder's coded answers of other
 * questions) from IndexedDB itself, builds their feature space once, and learns from the coder's codings each time
 * the page asks, starting from the previous model. Nothing is fetched: the model is ours, trained here.
 *
 * A newer request of the same kind makes an older one stop at its next step (the page only wants the newest).
 */
import {
  assessQuality,
  buildFeatureSpace,
  decideAll,
  nextToCode,
  predictProbabilities,
  trainAssistant,
  type AssistantModel,
  type FeatureSpace,
} from '../lib/assistant';
import { loadAnswerTexts } from '../lib/db/coding-store';
import { database } from '../lib/db/database';
import { loadAnswers } from '../lib/db/projects';
import { answerId } from '../lib/model/types';
import type { AssistantPhase, AssistantQualityRequest, AssistantSuggestRequest, FromAssistantWorker, ToAssistantWorker } from './assistant-protocol';
import { routeRequests } from './worker-router';

/** The open question's feature space, with the rows of coded answers of other questions after its own. */
interface QuestionSpace {
  projectId: string;
  questionId: string;
  /** Rows 0…answerCount−1 are the question's answers in loadAnswers order. */
  answerCount: number;
  rowOf: Map<string, number>;
  space: FeatureSpace;
  model: AssistantModel | null;
  codeIds: string[];
  /** How long building the space took (reported with the first suggestions made over it). */
  featuresMs: number;
}

/** Coded answers up to which quality is cross-validated over five folds (three above). */
const QUALITY_FIVE_FOLDS_UP_TO = 600;

let kept: QuestionSpace | null = null;
let latest: Record<'suggest' | 'quality', number> = { suggest: 0, quality: 0 };
const cancelled = new Set<number>();

class Cancelled extends Error {}

function send(message: FromAssistantWorker, transfer: Transferable[] = []) {
  postMessage(message, { transfer });
}

/** Lets queued messages in (a cancel, a newer request), then stops if this request is no longer wanted. */
async function checkpoint(kind: 'suggest' | 'quality', requestId: number): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  if (cancelled.has(requestId) || latest[kind] !== requestId) throw new Cancelled();
}

function progress(requestId: number, phase: AssistantPhase, done = 0, total = 1) {
  send({ type: 'progress', requestId, phase, done, total });
}

/** The question's space, built again only when another question is asked or coded answers it lacks came in. */
async function spaceFor(request: AssistantSuggestRequest): Promise<QuestionSpace> {
  const { projectId, questionId, labelled } = request;
  if (kept && kept.projectId === projectId && kept.questionId === questionId && labelled.answerIds.every((id) => kept!.rowOf.has(id))) return kept;
  progress(request.requestId, 'reading');
  const db = database();
  const answers = await loadAnswers(db, projectId, questionId, request.waveOrder);
  const rowOf = new Map<string, number>();
  for (let i = 0; i < answers.texts.length; i++) rowOf.set(answerId(questionId, answers.waveIds[i], answers.respondentIds[i]), i);
  const others = labelled.answerIds.filter((id) => !rowOf.has(id));
  const otherTexts = others.length > 0 ? await loadAnswerTexts(db, projectId, others) : new Map<string, string>();
  const texts = answers.texts.slice();
  for (const id of others) {
    const text = otherTexts.get(id);
    if (text === undefined) continue;
    rowOf.set(id, texts.length);
    texts.push(text);
  }
  await checkpoint('suggest', request.requestId);
  progress(request.requestId, 'features');
  const read = performance.now();
  const space = buildFeatureSpace(texts);
  kept = { projectId, questionId, answerCount: answers.texts.length, rowOf, space, model: null, codeIds: [], featuresMs: performance.now() - read };
  return kept;
}

async function suggest(request: AssistantSuggestRequest) {
  const { requestId, codeIds, labelled } = request;
  const t0 = performance.now();
  const question = await spaceFor(request);
  const t1 = performance.now();
  const featuresMs = question.featuresMs;
  question.featuresMs = 0;
  await checkpoint('suggest', requestId);
  progress(requestId, 'training');
  const rows: number[] = [];
  const codes: number[][] = [];
  labelled.answerIds.forEach((id, i) => {
    const row = question.rowOf.get(id);
    if (row === undefined) return;
    rows.push(row);
    codes.push(labelled.codes[i]);
  });
  const sameCodes = question.codeIds.length === codeIds.length && question.codeIds.every((id, i) => id === codeIds[i]);
  const model = trainAssistant(
    question.space,
    { rows, codes },
    { codeCount: codeIds.length, seed: request.seed, previous: sameCodes ? (question.model ?? undefined) : undefined },
  );
  question.model = model;
  question.codeIds = codeIds.slice();
  const t2 = performance.now();
  await checkpoint('suggest', requestId);
  progress(requestId, 'predicting');
  const n = question.answerCount;
  const probabilities = predictProbabilities(
    model,
    question.space,
    Int32Array.from({ length: n }, (_, i) => i),
  );
  const decisions = decideAll(model, probabilities);
  const coded = new Uint8Array(n);
  for (const row of rows) if (row < n) coded[row] = 1;
  const { queue, random } = nextToCode(model, probabilities, { exclude: coded, randomShare: request.randomShare, seed: request.seed });
  const t3 = performance.now();
  send(
    {
      type: 'suggestions',
      requestId,
      questionId: request.questionId,
      answerCount: n,
      codeIds,
      probabilities,
      decisions,
      trained: model.trained.slice(),
      exclusive: model.mode === 'exclusive',
      trainedOn: rows.length,
      queue,
      queueRandom: random,
      timing: { readMs: t1 - t0 - featuresMs, featuresMs, trainMs: t2 - t1, predictMs: t3 - t2 },
    },
    [probabilities.buffer, decisions.buffer, queue.buffer, random.buffer],
  );
}

async function quality(request: AssistantQualityRequest) {
  const { requestId, projectId, codeIds, labelled, peer } = request;
  progress(requestId, 'reading');
  const texts = await loadAnswerTexts(database(), projectId, labelled.answerIds);
  await checkpoint('quality', requestId);
  const ids = labelled.answerIds.filter((id) => texts.has(id));
  const codesOf = new Map(labelled.answerIds.map((id, i) => [id, labelled.codes[i]]));
  progress(requestId, 'validating');
  const space = buildFeatureSpace(ids.map((id) => texts.get(id)!));
  const result = assessQuality(
    space,
    { rows: ids.map((_, i) => i), codes: ids.map((id) => codesOf.get(id)!) },
    {
      codeCount: codeIds.length,
      // Five folds while the coded answers are few (each fold's test set stays big enough to say something); three
      // above that, where five took ~13 s at 2,000 answers × 20 codes and three about half (docs/assistant.md).
      folds: ids.length > QUALITY_FIVE_FOLDS_UP_TO ? 3 : 5,
      seed: request.seed,
      peer: peer ? peerCodes(ids, peer) : null,
      onProgress: (done: number, total: number) => progress(requestId, 'validating', done, total),
    },
  );
  send({
    type: 'quality',
    requestId,
    exclusive: result.mode === 'exclusive',
    folds: result.folds,
    answers: ids.length,
    peerAnswers: peer?.answerIds.length ?? 0,
    peerName: peer?.coderName ?? null,
    codes: result.codes.map((code, c) => ({ ...code, codeId: codeIds[c] })),
  });
}

/** The peer's codes on each validated row (null where the peer did not code that answer). */
function peerCodes(ids: readonly string[], peer: NonNullable<AssistantQualityRequest['peer']>): (readonly number[] | null)[] {
  const theirs = new Map(peer.answerIds.map((id, i) => [id, peer.codes[i]]));
  return ids.map((id) => theirs.get(id) ?? null);
}

routeRequests<ToAssistantWorker, FromAssistantWorker>(async (message) => {
  if (message.type === 'cancel') {
    cancelled.add(message.requestId);
    return;
  }
  if (message.type === 'forget') {
    if (kept?.projectId === message.projectId) kept = null;
    return;
  }
  const kind = message.type === 'suggest' ? 'suggest' : 'quality';
  latest = { ...latest, [kind]: message.requestId };
  try {
    if (message.type === 'suggest') await suggest(message);
    else await quality(message);
  } catch (error) {
    if (error instanceof Cancelled) send({ type: 'cancelled', requestId: message.requestId });
    else throw error;
  } finally {
    cancelled.delete(message.requestId);
  }
});
