import { describe, expect, it, vi } from 'vitest';
import { routeRequests, type WorkerScope } from './worker-router';

type Request = { type: 'work'; requestId: number; how: 'throw' | 'reject' | 'fine' | 'orphan' } | { type: 'forget' };

function fakeScope() {
  const posted: unknown[] = [];
  let rejectionListener: ((event: PromiseRejectionEvent) => void) | undefined;
  const scope: WorkerScope = {
    postMessage: (message) => posted.push(structuredClone(message)),
    onmessage: null,
    addEventListener: (_type, listener) => (rejectionListener = listener),
  };
  const send = (data: Request) => scope.onmessage!({ data } as MessageEvent);
  const rejectUnawaited = (reason: unknown) => rejectionListener!({ reason, preventDefault() {} } as PromiseRejectionEvent);
  return { scope, posted, send, rejectUnawaited };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('routeRequests', () => {
  const handle = async (message: Request) => {
    if (message.type === 'forget') throw new Error('could not forget');
    if (message.how === 'reject') {
      await Promise.resolve();
      throw new DOMException('The transaction was aborted.', 'AbortError');
    }
    if (message.how === 'fine') return;
  };
  const syncHandle = (message: Request) => {
    if (message.type === 'work' && message.how === 'throw') throw new TypeError('x is undefined');
  };

  it('posts a handler that throws as an error reply with its request id', async () => {
    const { scope, posted, send } = fakeScope();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    routeRequests(syncHandle, { scope });
    send({ type: 'work', requestId: 7, how: 'throw' });
    send({ type: 'work', requestId: 8, how: 'fine' });
    await settle();
    expect(posted).toEqual([{ type: 'error', requestId: 7, message: 'x is undefined' }]);
  });

  it('posts a rejected handler promise as an error reply with its request id', async () => {
    const { scope, posted, send } = fakeScope();
    routeRequests(handle, { scope });
    send({ type: 'work', requestId: 3, how: 'reject' });
    await settle();
    expect(posted).toEqual([{ type: 'error', requestId: 3, message: 'The transaction was aborted.' }]);
  });

  it('lets the worker choose the reply to an error', async () => {
    const { scope, posted, send } = fakeScope();
    routeRequests(handle, { scope, errorReply: (error, _message, requestId) => ({ type: 'cancelled', requestId, why: (error as Error).name }) });
    send({ type: 'work', requestId: 4, how: 'reject' });
    await settle();
    expect(posted).toEqual([{ type: 'cancelled', requestId: 4, why: 'AbortError' }]);
  });

  it('reports a failing message without a request id, and a rejection nobody awaited, as a worker fault', async () => {
    const { scope, posted, send, rejectUnawaited } = fakeScope();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    routeRequests(handle, { scope });
    send({ type: 'forget' });
    await settle();
    rejectUnawaited(new Error('QuotaExceededError'));
    expect(posted).toEqual([
      { type: 'worker-fault', message: 'could not forget' },
      { type: 'worker-fault', message: 'QuotaExceededError' },
    ]);
  });

  it('still says something when the error reply itself cannot be posted', async () => {
    const { scope, posted, send } = fakeScope();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    routeRequests(syncHandle, { scope, errorReply: (_e, _m, requestId) => ({ type: 'error', requestId, message: 'x', extra: () => 1 }) });
    send({ type: 'work', requestId: 9, how: 'throw' });
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ type: 'worker-fault' });
  });
});
