import { describe, expect, it } from 'vitest';
import { WorkerClient, type WorkerLike } from './worker-client';

type Request = { type: 'work'; requestId: number; value: unknown } | { type: 'cancel'; requestId: number };
type Reply =
  | { type: 'progress'; requestId: number; done: number }
  | { type: 'done'; requestId: number; value: number }
  | { type: 'error'; requestId: number; message: string }
  | { type: 'status'; text: string };

class FakeWorker implements WorkerLike<Request, Reply> {
  posted: Request[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<Reply>) => void) | null = null;
  onerror?: ((event: Event) => void) | null;
  onmessageerror?: ((event: MessageEvent) => void) | null;
  postMessage(message: Request) {
    // Like a real worker: what cannot be cloned is refused at the door.
    structuredClone(message);
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  reply(data: Reply | object) {
    this.onmessage?.({ data } as MessageEvent<Reply>);
  }
  crash(message?: string) {
    this.onerror?.(message === undefined ? new Event('error') : ({ type: 'error', message } as ErrorEvent));
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const notices: Reply[] = [];
  const lost: string[] = [];
  const client = new WorkerClient<Request, Reply>({
    name: 'test',
    create: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    isFinal: (reply) => reply.type !== 'progress',
    onNotice: (reply) => notices.push(reply),
    onWorkerLost: (message) => lost.push(message),
  });
  const ask = (value: unknown = 1, replaces?: string) => {
    const replies: Reply[] = [];
    const failures: string[] = [];
    const requestId = client.request((id) => ({ type: 'work', requestId: id, value }), {
      onReply: (reply) => replies.push(reply),
      onFailure: (message) => failures.push(message),
      consequence: 'Nothing was saved; try again.',
      replaces,
    });
    return { requestId, replies, failures };
  };
  return { client, workers, notices, lost, ask };
}

describe('WorkerClient', () => {
  it('routes progress and the final reply to the request they answer, then forgets it', () => {
    const { client, workers, ask } = setup();
    const first = ask();
    const second = ask();
    expect(workers).toHaveLength(1);
    expect(workers[0].posted.map((m) => m.requestId)).toEqual([first.requestId, second.requestId]);
    workers[0].reply({ type: 'progress', requestId: second.requestId, done: 1 });
    workers[0].reply({ type: 'done', requestId: first.requestId, value: 10 });
    expect(first.replies).toEqual([{ type: 'done', requestId: first.requestId, value: 10 }]);
    expect(second.replies).toEqual([{ type: 'progress', requestId: second.requestId, done: 1 }]);
    expect(client.isPending(first.requestId)).toBe(false);
    expect(client.isPending(second.requestId)).toBe(true);
    // A second final reply for a finished request is stale.
    workers[0].reply({ type: 'done', requestId: first.requestId, value: 11 });
    expect(first.replies).toHaveLength(1);
  });

  it('drops the replies of a request a newer one with the same key replaced', () => {
    const { workers, ask } = setup();
    const older = ask('me', 'search');
    const newer = ask('men', 'search');
    const other = ask('x', 'export');
    workers[0].reply({ type: 'done', requestId: older.requestId, value: 1 });
    workers[0].reply({ type: 'done', requestId: newer.requestId, value: 2 });
    workers[0].reply({ type: 'done', requestId: other.requestId, value: 3 });
    expect(older.replies).toEqual([]);
    expect(newer.replies).toHaveLength(1);
    expect(other.replies).toHaveLength(1);
  });

  it('cancel: a dropped request hears nothing more, and a notification reaches only a running worker', () => {
    const { client, workers, ask } = setup();
    expect(client.notify({ type: 'cancel', requestId: 0 })).toBe(false);
    expect(workers).toHaveLength(0);
    const job = ask();
    expect(client.notify({ type: 'cancel', requestId: job.requestId })).toBe(true);
    client.drop(job.requestId);
    workers[0].reply({ type: 'done', requestId: job.requestId, value: 1 });
    expect(job.replies).toEqual([]);
    expect(workers[0].posted.at(-1)).toEqual({ type: 'cancel', requestId: job.requestId });
  });

  it('terminate stops the worker silently; the next request starts another', () => {
    const { client, workers, ask } = setup();
    const job = ask();
    client.terminate();
    expect(workers[0].terminated).toBe(true);
    expect(client.running).toBe(false);
    workers[0].reply({ type: 'done', requestId: job.requestId, value: 1 });
    expect(job.replies).toEqual([]);
    expect(job.failures).toEqual([]);
    ask();
    expect(workers).toHaveLength(2);
  });

  it('an error event ends every pending request with a message, and the next request creates a new worker', () => {
    const { client, workers, ask } = setup();
    const first = ask();
    const second = ask();
    workers[0].crash('Uncaught RangeError: Array buffer allocation failed');
    const said = 'The test worker stopped unexpectedly (Uncaught RangeError: Array buffer allocation failed). Nothing was saved; try again.';
    expect(first.failures).toEqual([said]);
    expect(second.failures).toEqual([said]);
    expect(workers[0].terminated).toBe(true);
    expect(client.pendingCount).toBe(0);
    // The dead worker's last words change nothing.
    workers[0].reply({ type: 'done', requestId: first.requestId, value: 1 });
    expect(first.replies).toEqual([]);
    const third = ask();
    expect(workers).toHaveLength(2);
    workers[1].reply({ type: 'done', requestId: third.requestId, value: 3 });
    expect(third.replies).toHaveLength(1);
  });

  it('a worker whose code does not load ends its requests too', () => {
    const { workers, ask } = setup();
    const job = ask();
    workers[0].crash();
    expect(job.failures).toEqual(['The test worker stopped unexpectedly (its code could not be loaded or run). Nothing was saved; try again.']);
  });

  it('a messageerror ends every pending request and replaces the worker', () => {
    const { workers, ask } = setup();
    const job = ask();
    workers[0].onmessageerror?.(new MessageEvent('messageerror'));
    expect(job.failures).toEqual(['The test worker sent a reply the page could not read. Nothing was saved; try again.']);
    expect(workers[0].terminated).toBe(true);
    ask();
    expect(workers).toHaveLength(2);
  });

  it('a worker fault (a rejection nobody awaited) ends every pending request', () => {
    const { workers, ask } = setup();
    const job = ask();
    workers[0].reply({ type: 'worker-fault', message: 'QuotaExceededError' });
    expect(job.failures).toEqual(['The test worker stopped unexpectedly (QuotaExceededError). Nothing was saved; try again.']);
  });

  it('a request that cannot be cloned fails at once and leaves the worker and other requests alone', () => {
    const { client, workers, ask } = setup();
    const fine = ask();
    const bad = ask(() => 1);
    expect(bad.failures).toHaveLength(1);
    expect(bad.failures[0]).toMatch(/^The test worker could not be sent this request \(.+\)\. Nothing was saved; try again\.$/);
    expect(client.isPending(bad.requestId)).toBe(false);
    expect(client.isPending(fine.requestId)).toBe(true);
    expect(workers[0].terminated).toBe(false);
  });

  it('hands replies that answer no request to onNotice', () => {
    const { workers, notices, ask } = setup();
    ask();
    workers[0].reply({ type: 'status', text: 'indexing' });
    expect(notices).toEqual([{ type: 'status', text: 'indexing' }]);
  });

  it('an error after the last request finished tells only onWorkerLost, and the next request gets a new worker', () => {
    const { workers, lost, ask } = setup();
    const job = ask();
    workers[0].reply({ type: 'done', requestId: job.requestId, value: 1 });
    workers[0].crash('late');
    expect(job.failures).toEqual([]);
    expect(lost).toEqual(['The test worker stopped unexpectedly (late).']);
    ask();
    expect(workers).toHaveLength(2);
  });
});
