/**
 * The agreement worker: reads the answers in scope and every coding from
 * IndexedDB itself (100k answers and 200k codings would otherwise cross from
 * the page), computes the answer-level table, the disagreement queue and the
 * export rows, posts them, then computes and posts the passage level.
 *
 * A newer request, or a cancel, stops an older one at its next step; nothing
 * is cached between requests, since codings change between them.
 */
import {
  AgreementRequestError,
  answerTableOf,
  disagreementsOf,
  pairableLengthOf,
  prepareCodings,
  queueDetailsOf,
  queueOf,
  queueTextsOf,
  spanRowOf,
  type QueueTexts,
  type AgreementSettings,
} from '../lib/agreement/compute-request';
import { attributeFilters, onlyAnswers, roundAnswersOf, scopeQuestionIds, ScopeError, selectAnswers, type QuestionAnswers } from '../lib/agreement/scope';
import { answerParts } from '../lib/coding/coding-pages';
import { loadAnswerTexts, loadCodings } from '../lib/db/coding-store';
import { database } from '../lib/db/database';
import { loadAnswers, loadProjectOverview, loadRespondents } from '../lib/db/projects';
import { answerId, type Coding } from '../lib/model/types';
import type { AgreementComputeRequest, AgreementPhase, FromAgreementWorker, ToAgreementWorker } from './agreement-protocol';
import { routeRequests } from './worker-router';

/** Passage-level groups computed between two looks for a cancel. */
const SPAN_GROUPS_PER_STEP = 4;

const cancelled = new Set<number>();
let latest = 0;

class Cancelled extends Error {}

/** The last computation's queued answers and where their texts are: the queue asks for the ones it shows. */
let queueTexts: QueueTexts | null = null;

function send(message: FromAgreementWorker) {
  postMessage(message);
}

/** Lets queued messages (a cancel, a newer request) in, then stops if this request is no longer wanted. */
function checkpoint(requestId: number): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => stopIfUnwanted(requestId));
}

function stopIfUnwanted(requestId: number) {
  if (cancelled.has(requestId) || requestId !== latest) throw new Cancelled();
}

async function compute(request: AgreementComputeRequest) {
  const { requestId, projectId, scope } = request;
  const started = performance.now();
  const progress = (phase: AgreementPhase, done: number, total: number) => send({ type: 'progress', requestId, phase, done, total });
  const settings: AgreementSettings = {
    coderIds: request.coderIds,
    codeIds: request.codeIds,
    codeGroups: request.codeGroups,
    uncodedAs: request.uncodedAs,
    spanThreshold: request.spanThreshold,
    bootstrapSamples: request.bootstrapSamples,
    ...(request.bootstrapSeed === undefined ? {} : { bootstrapSeed: request.bootstrapSeed }),
  };
  try {
    if (request.blind) throw new AgreementRequestError('Blind: agreement is hidden until you unblind.');
    const db = database();
    const overview = await loadProjectOverview(db, projectId);
    stopIfUnwanted(requestId);
    if (!overview) throw new ScopeError('This project is no longer in this browser.');
    const questionIds = scopeQuestionIds(overview.questions, scope);
    const respondents = attributeFilters(scope).length > 0 ? await loadRespondents(db, projectId) : null;
    const waveOrder = overview.waves.map((w) => w.id);
    const questions: QuestionAnswers[] = [];
    // A round compares its own answers: each question is narrowed to them as it is read, and its codings too, so
    // that the rest can go before the next question is read.
    const only = scope.answerIds ? new Set(scope.answerIds) : null;
    const round = scope.answerIds ? roundAnswersOf(scope.answerIds, answerParts) : null;
    let answersRead = 0;
    for (let i = 0; i < questionIds.length; i++) {
      progress('loading-answers', i, questionIds.length);
      const columns = await loadAnswers(db, projectId, questionIds[i], waveOrder);
      stopIfUnwanted(requestId);
      answersRead += columns.texts.length;
      const question = { questionId: questionIds[i], ...columns };
      questions.push(round ? onlyAnswers(question, round) : question);
    }
    // Only the pages of the questions compared (one question of eight reads an eighth of the codings), a question
    // at a time: one getAll each, where several questions at once walk a cursor page by page.
    const codings: Coding[] = [];
    for (let i = 0; i < questionIds.length; i++) {
      progress('loading-codings', i, questionIds.length);
      const read = await loadCodings(db, projectId, [questionIds[i]]);
      stopIfUnwanted(requestId);
      for (const coding of read) if (!only || only.has(coding.answerId)) codings.push(coding);
    }
    const loadMs = performance.now() - started;
    await checkpoint(requestId);

    progress('answer-level', 0, 1);
    const computeStarted = performance.now();
    const steps: Record<string, number> = {};
    let lap = computeStarted;
    const step = (name: string) => {
      const now = performance.now();
      steps[name] = now - lap;
      lap = now;
    };
    const { answers, summary } = selectAnswers(questions, scope, respondents, answerId, answersRead);
    step('scope');
    const prepared = prepareCodings(answers, codings, settings);
    step('prepare');
    const table = answerTableOf(prepared);
    step('table');
    const queue = queueOf(prepared);
    queueTexts = queueTextsOf(answers, queue.answerIds);
    step('queue');
    const disagreements = disagreementsOf(prepared);
    step('rows');
    const computeMs = performance.now() - computeStarted;
    const message: FromAgreementWorker = {
      type: 'result',
      requestId,
      result: {
        table,
        groups: prepared.groups,
        scope: summary,
        queue,
        disagreements,
        timing: { loadMs, computeMs, ms: performance.now() - started, steps },
      },
    };
    postMessage(message, { transfer: [disagreements.answer.buffer, disagreements.code.buffer, disagreements.values.buffer] });

    const groups = prepared.groups.length;
    const spanStarted = performance.now();
    const pairableLength = pairableLengthOf(prepared);
    const spans = [];
    for (let g = 0; g < groups; g++) {
      if (g % SPAN_GROUPS_PER_STEP === 0) {
        progress('span-level', g, groups);
        await checkpoint(requestId);
      }
      spans.push(spanRowOf(prepared, g, pairableLength));
    }
    const now = performance.now();
    send({ type: 'spans', requestId, result: { spans, spanMs: now - spanStarted, ms: now - started } });
  } catch (error) {
    if (error instanceof Cancelled) {
      if (cancelled.delete(requestId)) send({ type: 'cancelled', requestId });
      return;
    }
    const known = error instanceof ScopeError || error instanceof AgreementRequestError || error instanceof RangeError;
    const message = known ? (error as Error).message : `Agreement could not be computed: ${(error as Error)?.message ?? String(error)}`;
    send({ type: 'error', requestId, message });
  }
}

/** The queued answers' texts asked for: those the last computation kept, the rest read from the project. */
async function sendQueueTexts({ requestId, projectId, answerIds }: Extract<ToAgreementWorker, { type: 'queue-texts' }>) {
  const texts = new Map<string, string>();
  const missing: string[] = [];
  for (const id of answerIds) {
    const text = queueTexts?.texts.get(id);
    if (text === undefined) missing.push(id);
    else texts.set(id, text);
  }
  if (missing.length > 0) for (const [id, text] of await loadAnswerTexts(database(), projectId, missing)) texts.set(id, text);
  send({ type: 'queue-texts', requestId, details: queueDetailsOf({ texts }, answerIds) });
}

routeRequests<ToAgreementWorker, FromAgreementWorker>((message) => {
  if (message.type === 'cancel') {
    cancelled.add(message.requestId);
    return;
  }
  if (message.type === 'queue-texts') return sendQueueTexts(message);
  latest = message.requestId;
  return compute(message);
});
