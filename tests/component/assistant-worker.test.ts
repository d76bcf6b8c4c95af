/**
 * The assistant worker itself, over fake-indexeddb: it reads the question's answers (and the coded answers of other
 * questions) from IndexedDB, learns from the coder's codings and answers with suggestions over the question's
 * answers in the page's order; the quality request cross-validates on the coded answers.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { database } from '../../src/lib/db/database';
import { commitImport } from '../../src/lib/db/commit-import';
import { smallBatch } from '../../src/lib/db/test-helpers';
import { loadProjectOverview } from '../../src/lib/db/projects';
import { answerId } from '../../src/lib/model/types';
import type { AssistantQuality, AssistantSuggestions, FromAssistantWorker, ToAssistantWorker } from '../../src/workers/assistant-protocol';
import { loadWorker } from './worker-harness';

let received: FromAssistantWorker[] = [];
let send: (message: ToAssistantWorker) => void;

beforeAll(async () => {
  ({ received, send } = await loadWorker<ToAssistantWorker, FromAssistantWorker>(() => import('../../src/workers/assistant-worker')));
});

afterEach(() => {
  received.length = 0;
});

const RESPONDENTS = Array.from({ length: 40 }, (_, i) => `r${i + 1}`);
/** Half the answers are about parking, half about food: something to learn. */
const textOf = (i: number) => (i % 2 ? `the parking was full and the car park cost a lot ${i}` : `the food was cold and the meal late ${i}`);

let projectId = '';
let q1 = '';
let q2 = '';
let wave = '';
let requestId = 0;

beforeEach(async () => {
  await database().delete();
  await database().open();
  const batch = smallBatch('Baseline', RESPONDENTS);
  batch.answers[0].texts = RESPONDENTS.map((_, i) => textOf(i));
  const summary = await commitImport(database(), batch, { kind: 'new', name: 'S' }, { fileName: 'f.csv', format: 'generic' });
  projectId = summary.projectId;
  const overview = (await loadProjectOverview(database(), projectId))!;
  q1 = overview.questions.find((q) => q.key === 'q1')!.id;
  q2 = overview.questions.find((q) => q.key === 'q2')!.id;
  wave = overview.waves[0].id;
});

/** The first 20 answers of q1, coded by topic (code 0 food, code 1 parking), and one answer of q2 coded food. */
function labelled() {
  const ids = RESPONDENTS.slice(0, 20).map((r) => answerId(q1, wave, r));
  const codes = RESPONDENTS.slice(0, 20).map((_, i) => [i % 2 ? 1 : 0]);
  return { answerIds: [...ids, answerId(q2, wave, 'r1')], codes: [...codes, [0]] };
}

async function until<T extends FromAssistantWorker['type']>(type: T): Promise<Extract<FromAssistantWorker, { type: T }>> {
  for (let i = 0; i < 400; i++) {
    const found = received.find((m) => m.type === type || m.type === 'error');
    if (found?.type === 'error') throw new Error(found.message);
    if (found) return found as Extract<FromAssistantWorker, { type: T }>;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no ${type} reply`);
}

describe('the assistant worker', () => {
  it('suggests for every answer of the question, in the page’s order, from what the coder coded', async () => {
    send({
      type: 'suggest',
      requestId: ++requestId,
      projectId,
      questionId: q1,
      waveOrder: [wave],
      codeIds: ['food', 'parking'],
      labelled: labelled(),
      seed: 1,
      randomShare: 0.25,
    });
    const reply: AssistantSuggestions = await until('suggestions');
    expect(received.filter((m) => m.type === 'progress').map((m) => (m as { phase: string }).phase)).toEqual(['reading', 'features', 'training', 'predicting']);
    expect(reply).toMatchObject({ requestId, questionId: q1, answerCount: 40, codeIds: ['food', 'parking'], exclusive: true, trainedOn: 21 });
    expect(reply.probabilities).toHaveLength(80);
    expect([...reply.trained]).toEqual([1, 1]);
    // Answers 21–40 were not coded: they are learned right, by topic, and only they are queued.
    for (let p = 20; p < 40; p++) {
      const wanted = p % 2 ? 1 : 0;
      expect(reply.decisions[p * 2 + wanted]).toBe(1);
      expect(reply.decisions[p * 2 + (1 - wanted)]).toBe(0);
    }
    expect([...reply.queue].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 20 + i));
    // Each entry is drawn at random with probability 0.25 (seeded): some are, most are for uncertainty.
    const drawn = reply.queueRandom.reduce((a, b) => a + b, 0);
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(10);
  });

  it('keeps the question’s features for the next retrain, and reads again for another question', async () => {
    send({
      type: 'suggest',
      requestId: ++requestId,
      projectId,
      questionId: q1,
      waveOrder: [wave],
      codeIds: ['food', 'parking'],
      labelled: labelled(),
      seed: 1,
      randomShare: 0,
    });
    await until('suggestions');
    received.length = 0;
    send({
      type: 'suggest',
      requestId: ++requestId,
      projectId,
      questionId: q1,
      waveOrder: [wave],
      codeIds: ['food', 'parking'],
      labelled: labelled(),
      seed: 1,
      randomShare: 0,
    });
    await until('suggestions');
    expect(received.filter((m) => m.type === 'progress').map((m) => (m as { phase: string }).phase)).toEqual(['training', 'predicting']);
    received.length = 0;
    send({
      type: 'suggest',
      requestId: ++requestId,
      projectId,
      questionId: q2,
      waveOrder: [wave],
      codeIds: ['food', 'parking'],
      labelled: labelled(),
      seed: 1,
      randomShare: 0,
    });
    const other = await until('suggestions');
    expect(other).toMatchObject({ questionId: q2, answerCount: 20 });
    expect(received.filter((m) => m.type === 'progress').map((m) => (m as { phase: string }).phase)[0]).toBe('reading');
  });

  it('measures itself by cross-validation on the coded answers, with a peer’s κ where one coded the same answers', async () => {
    const mine = labelled();
    const peer = { coderName: 'Ben', answerIds: mine.answerIds.slice(0, 10), codes: mine.codes.slice(0, 10) };
    send({ type: 'quality', requestId: ++requestId, projectId, codeIds: ['food', 'parking'], labelled: mine, peer, seed: 1 });
    const reply: AssistantQuality = await until('quality');
    expect(reply).toMatchObject({ requestId, answers: 21, folds: 5, peerName: 'Ben', peerAnswers: 10, exclusive: true });
    expect(reply.codes.map((c) => c.codeId)).toEqual(['food', 'parking']);
    const food = reply.codes[0];
    expect(food.positives).toBe(11);
    expect(food.kappa).toBeGreaterThan(0.8);
    expect(food.humanKappa).toBe(1);
    expect(food.alphaLow).toBeLessThanOrEqual(food.alpha!);
    expect(food.kappaLow).toBeLessThanOrEqual(food.kappa!);
    expect(food.kappaHigh).toBeGreaterThanOrEqual(food.kappa!);
    expect(food.curve.length).toBeGreaterThan(0);
    expect(food.learning.length).toBeGreaterThan(0);
  });
});
