/**
 * The agreement worker itself, over fake-indexeddb: a worker that did not compute the queue (the page stops it when
 * the Agreement view is left) reads the queued answers' texts from the project.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { database } from '../../src/lib/db/database';
import { loadProjectOverview } from '../../src/lib/db/projects';
import { answerId } from '../../src/lib/model/types';
import type { FromAgreementWorker, ToAgreementWorker } from '../../src/workers/agreement-protocol';
import { freshSmallProject, loadWorker } from './worker-harness';

let received: FromAgreementWorker[] = [];
let send: (message: ToAgreementWorker) => void;

beforeAll(async () => {
  ({ received, send } = await loadWorker<ToAgreementWorker, FromAgreementWorker>(() => import('../../src/workers/agreement-worker')));
});

describe('agreement worker: the queue’s texts', () => {
  it('reads the texts of answers it never computed from the project, leaving out answers not stored', async () => {
    const projectId = await freshSmallProject();
    const overview = (await loadProjectOverview(database(), projectId))!;
    const [q1, q2] = overview.questions.map((q) => q.id);
    const wave = overview.waves[0].id;
    const asked = [answerId(q2, wave, 'r3'), answerId(q1, wave, 'r2'), answerId(q2, wave, 'r2')];
    send({ type: 'queue-texts', requestId: 7, projectId, answerIds: asked });
    await vi.waitFor(() => expect(received.some((m) => m.requestId === 7)).toBe(true));
    const reply = received.find((m) => m.requestId === 7)!;
    expect(reply.type).toBe('queue-texts');
    // r2 has no answer to the second question (smallBatch answers it for every other respondent).
    expect(reply.type === 'queue-texts' && reply.details.map((d) => [d.questionId, d.respondentId, d.text])).toEqual([
      [q2, 'r3', 'hard for r3'],
      [q1, 'r2', 'Baseline answer of r2'],
    ]);
  });
});
