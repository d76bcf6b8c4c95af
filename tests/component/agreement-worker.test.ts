/**
 * The agreement worker itself, over fake-indexeddb: it reads the answers in
 * scope and the codings, and answers with the table, then the passages.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { database } from '../../src/lib/db/database';
import { commitImport } from '../../src/lib/db/commit-import';
import { smallBatch } from '../../src/lib/db/test-helpers';
import { loadProjectOverview } from '../../src/lib/db/projects';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { answerId, type Coding } from '../../src/lib/model/types';
import type { AgreementComputeRequest, FromAgreementWorker, ToAgreementWorker } from '../../src/workers/agreement-protocol';
import { loadWorker } from './worker-harness';

let received: FromAgreementWorker[] = [];
let send: (message: ToAgreementWorker) => void;

beforeAll(async () => {
  ({ received, send } = await loadWorker<ToAgreementWorker, FromAgreementWorker>(() => import('../../src/workers/agreement-worker')));
});

afterEach(() => {
  received.length = 0;
});

let projectId = '';
let questionId = '';
let waveId = '';
let requestId = 0;

/** r1..r6 answer q1 (roles: mentee, mentor, mentee, …); Ana and Ben code some of them. */
beforeEach(async () => {
  await database().delete();
  await database().open();
  const summary = await commitImport(
    database(),
    smallBatch('Baseline', ['r1', 'r2', 'r3', 'r4', 'r5', 'r6']),
    { kind: 'new', name: 'S' },
    { fileName: 'f.csv', format: 'generic' },
  );
  projectId = summary.projectId;
  const overview = (await loadProjectOverview(database(), projectId))!;
  questionId = overview.questions.find((q) => q.key === 'q1')!.id;
  waveId = overview.waves[0].id;
  const a = (respondent: string) => answerId(questionId, waveId, respondent);
  let n = 0;
  const coding = (respondent: string, coderId: string, codeId: string, start: number | null = null, end: number | null = null): Coding => ({
    projectId,
    id: `k${++n}`,
    answerId: a(respondent),
    codeId,
    coderId,
    start,
    end,
    createdAt: 1,
  });
  const codings = [
    coding('r1', 'ana', 'x', 0, 8),
    coding('r1', 'ben', 'x', 0, 8),
    coding('r2', 'ana', 'x'),
    coding('r2', 'ben', 'y'),
    coding('r3', 'ana', 'y'),
    coding('r4', 'ben', 'x', 2, 6),
  ];
  await database().codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId, ...splitPageKey(key), codings: list })));
});

function request(extra: Partial<AgreementComputeRequest> = {}): AgreementComputeRequest {
  return {
    type: 'compute',
    requestId: ++requestId,
    projectId,
    coderIds: ['ana', 'ben'],
    codeIds: ['x', 'y'],
    codeGroups: [],
    scope: { questionId, waveId: null, attributes: {}, sample: null },
    uncodedAs: 'absent',
    spanThreshold: 0.5,
    bootstrapSamples: 100,
    ...extra,
  };
}

async function settled(id: number): Promise<FromAgreementWorker[]> {
  await vi.waitFor(() => expect(received.some((m) => m.requestId === id && (m.type === 'spans' || m.type === 'error' || m.type === 'cancelled'))).toBe(true), {
    timeout: 15_000,
  });
  return received.filter((m) => m.requestId === id);
}

describe('agreement worker', () => {
  it('reads the question’s answers and the codings, posts progress, the table, then the passages', async () => {
    const r = request();
    send(r);
    const messages = await settled(r.requestId);
    expect(messages.map((m) => m.type)).toEqual(['progress', 'progress', 'progress', 'result', 'progress', 'spans']);
    const result = messages.find((m) => m.type === 'result')!;
    if (result.type !== 'result') throw new Error('no result');
    const x = result.result.table.rows[0].pairs[0];
    // x: r1 both, r2 Ana, r4 Ben, r3/r5/r6 neither.
    expect(x).toMatchObject({ bothPresent: 1, aOnly: 1, bOnly: 1, bothAbsent: 3 });
    expect(result.result.scope).toEqual({ questions: 1, answersRead: 6, answersInScope: 6, answersCompared: 6, sample: null });
    expect(result.result.queue.answerIds.map((id) => id.split('\u001f')[2])).toEqual(['r2', 'r3', 'r4']);
    expect(result.result.queue.details[0].text).toBe('Baseline answer of r2');
    expect(result.result.timing.loadMs).toBeGreaterThanOrEqual(0);
    expect(result.result.timing.computeMs).toBeGreaterThanOrEqual(0);
    const spans = messages.at(-1)!;
    if (spans.type !== 'spans') throw new Error('no spans');
    // r1 "Baseline answer of r1" (21): both [0,8); r2 Ana whole (21); r4 Ben [2,6).
    expect(spans.result.spans[0].characters).toMatchObject({ both: 8, aOnly: 21, bOnly: 4, total: 6 * 21 });
  });

  it('filters by attribute and samples with a seed, the same sample each time', async () => {
    const first = request({ scope: { questionId, waveId: null, attributes: { role: 'mentee' }, sample: { size: 2, seed: 3 } } });
    send(first);
    const one = (await settled(first.requestId)).find((m) => m.type === 'result');
    const again = request({ scope: { questionId, waveId: null, attributes: { role: 'mentee' }, sample: { size: 2, seed: 3 } } });
    send(again);
    const two = (await settled(again.requestId)).find((m) => m.type === 'result');
    if (one?.type !== 'result' || two?.type !== 'result') throw new Error('no result');
    expect(one.result.scope).toMatchObject({ answersRead: 6, answersInScope: 3, answersCompared: 2 });
    expect(two.result.table).toEqual(one.result.table);
    expect(two.result.queue).toEqual(one.result.queue);
  });

  it('compares every question when asked (q2 holds the odd respondents’ answers)', async () => {
    const r = request({ scope: { questionId: null, waveId: null, attributes: {}, sample: null } });
    send(r);
    const result = (await settled(r.requestId)).find((m) => m.type === 'result');
    if (result?.type !== 'result') throw new Error('no result');
    expect(result.result.scope).toMatchObject({ questions: 2, answersRead: 9, answersCompared: 9 });
  });

  it("compares a round's answers alone, with only their codings, and says how many answers it read", async () => {
    const a = (respondent: string) => answerId(questionId, waveId, respondent);
    const r = request({ scope: { questionId: null, waveId: null, attributes: {}, sample: null, answerIds: [a('r1'), a('r2'), a('r5')] } });
    send(r);
    const result = (await settled(r.requestId)).find((m) => m.type === 'result');
    if (result?.type !== 'result') throw new Error('no result');
    expect(result.result.scope).toMatchObject({ questions: 1, answersRead: 6, answersCompared: 3 });
    // x: r1 both, r2 Ana; r4's coding (Ben) is outside the round.
    expect(result.result.table.rows[0].pairs[0]).toMatchObject({ bothPresent: 1, aOnly: 1, bOnly: 0, bothAbsent: 1 });
  });

  it('says in words when the question is gone, or too few coders are chosen', async () => {
    const gone = request({ scope: { questionId: 'nope', waveId: null, attributes: {}, sample: null } });
    send(gone);
    expect((await settled(gone.requestId)).at(-1)).toEqual({
      type: 'error',
      requestId: gone.requestId,
      message: 'The question chosen for the comparison is no longer in the project: choose another.',
    });
    const lonely = request({ coderIds: ['ana'] });
    send(lonely);
    expect((await settled(lonely.requestId)).at(-1)).toMatchObject({ type: 'error', message: 'Choose at least two coders to compare.' });
  });

  it('stops a cancelled request and confirms it; a newer request supersedes an older one', async () => {
    const cancelled = request();
    send(cancelled);
    send({ type: 'cancel', requestId: cancelled.requestId });
    expect((await settled(cancelled.requestId)).map((m) => m.type)).not.toContain('result');
    expect(received.at(-1)).toEqual({ type: 'cancelled', requestId: cancelled.requestId });

    const older = request();
    const newer = request();
    send(older);
    send(newer);
    await settled(newer.requestId);
    expect(received.filter((m) => m.requestId === older.requestId && m.type === 'result')).toEqual([]);
  });
});
