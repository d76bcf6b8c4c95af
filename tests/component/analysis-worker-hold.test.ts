/**
 * The analysis worker itself, over fake-indexeddb: a warm-up asked ahead of the view (background) waits while the
 * page says the user is busy, and goes on when they stop or when a request the user waits for is queued behind it.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FromAnalysisWorker, ToAnalysisWorker } from '../../src/workers/analysis-protocol';
import { freshSmallProject, loadWorker } from './worker-harness';

let received: FromAnalysisWorker[] = [];
let send: (message: ToAnalysisWorker) => void;

beforeAll(async () => {
  ({ received, send } = await loadWorker<ToAnalysisWorker, FromAnalysisWorker>(() => import('../../src/workers/analysis-worker')));
});

let projectId = '';
let requestId = 0;

beforeEach(async () => {
  projectId = await freshSmallProject();
});

afterEach(() => {
  send({ type: 'hold', held: false });
  received.length = 0;
});

const final = (id: number) => received.find((m) => m.type !== 'progress' && 'requestId' in m && m.requestId === id);
const settle = async (id: number) => {
  await vi.waitFor(() => expect(final(id)).toBeDefined(), { timeout: 15_000 });
  return final(id)!;
};
/** Lets the worker run whatever it can: reads over fake-indexeddb take a few macrotasks. */
const runFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('analysis worker: background work while the user is busy', () => {
  it('holds a background warm-up before it reads, and answers it once the user stops', async () => {
    send({ type: 'hold', held: true });
    const id = ++requestId;
    send({ type: 'warm', requestId: id, projectId, version: 0, background: true });
    await runFor(200);
    // Held at its first checkpoint: not even the read's progress was posted.
    expect(received.filter((m) => 'requestId' in m && m.requestId === id)).toEqual([]);
    send({ type: 'hold', held: false });
    const reply = await settle(id);
    expect(reply).toMatchObject({ type: 'result', result: { kind: 'warm', answers: 5 } });
  });

  it('lets a held warm-up go on when the view asks for something behind it', async () => {
    send({ type: 'hold', held: true });
    const ahead = ++requestId;
    send({ type: 'warm', requestId: ahead, projectId, version: 0, background: true });
    const asked = ++requestId;
    send({ type: 'warm', requestId: asked, projectId, version: 0 });
    expect(await settle(ahead)).toMatchObject({ type: 'result' });
    expect(await settle(asked)).toMatchObject({ type: 'result', result: { kind: 'warm', answers: 5 } });
  });

  it('never holds what the user asked for', async () => {
    send({ type: 'hold', held: true });
    const asked = ++requestId;
    send({ type: 'warm', requestId: asked, projectId, version: 0 });
    expect(await settle(asked)).toMatchObject({ type: 'result' });
  });
});
