import { describe, expect, it, vi } from 'vitest';
import { ExchangeState, type ExchangeWorkerLike } from '../../src/lib/state/exchange.svelte';
import type { FromExchangeWorker, ToExchangeWorker } from '../../src/workers/exchange-protocol';

function setup() {
  const posted: ToExchangeWorker[] = [];
  let created = 0;
  const worker: ExchangeWorkerLike = { postMessage: (m) => posted.push(m), terminate() {}, onmessage: null };
  const handlers = { onMerged: vi.fn(), onRestored: vi.fn() };
  const exchange = new ExchangeState(handlers, () => (created++, worker));
  const reply = (data: FromExchangeWorker) => worker.onmessage!({ data } as MessageEvent<FromExchangeWorker>);
  return { exchange, worker, posted, handlers, reply, created: () => created };
}

describe('ExchangeState', () => {
  it('ends a project import the worker dies in with a message, and starts a new worker for the next file', () => {
    const { exchange, worker, posted, reply, created } = setup();
    exchange.importFile(new Blob(['x']), null, null);
    const request = posted[0] as Extract<ToExchangeWorker, { type: 'import' }>;
    reply({ type: 'progress', requestId: request.requestId, phase: 'Storing the project' });
    expect(exchange.busy).toBe(true);
    worker.onerror?.({ type: 'error', message: 'Uncaught RangeError: Array buffer allocation failed' } as ErrorEvent);
    expect(exchange.busy).toBe(false);
    expect(exchange.phase).toBe('');
    expect(exchange.message).toEqual({
      text: 'The exchange worker stopped unexpectedly (Uncaught RangeError: Array buffer allocation failed). Nothing was stored; try again.',
      tone: 'error',
      warnings: [],
    });
    exchange.exportProject('p');
    expect(created()).toBe(2);
    expect(exchange.busy).toBe(true);
  });

  it('ends an export whose reply could not be read', () => {
    const { exchange, worker } = setup();
    exchange.exportProject('p');
    worker.onmessageerror?.(new MessageEvent('messageerror'));
    expect(exchange.busy).toBe(false);
    expect(exchange.message?.text).toBe('The exchange worker sent a reply the page could not read. No file was written; try again.');
  });

  it('shows only the newest request', () => {
    const { exchange, posted, reply } = setup();
    exchange.exportProject('p');
    exchange.exportProject('p');
    const [older, newer] = posted.map((m) => m.requestId);
    reply({ type: 'error', requestId: older, message: 'old' });
    expect(exchange.busy).toBe(true);
    reply({ type: 'error', requestId: newer, message: 'The project is no longer here.' });
    expect(exchange.message?.text).toBe('The project is no longer here.');
  });
});
