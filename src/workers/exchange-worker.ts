/**
 * Coder files and project files, off the page's thread: a 100k-answer project
 * is ~150 MB of JSON to build, compress, check, parse and store. The handling
 * is in exchange-handler.ts.
 */
import { database } from '../lib/db/database';
import { handleExchangeRequest } from './exchange-handler';
import type { FromExchangeWorker, ToExchangeWorker } from './exchange-protocol';

function send(message: FromExchangeWorker, transfer: Transferable[] = []) {
  postMessage(message, { transfer });
}

self.onmessage = (event: MessageEvent<ToExchangeWorker>) => void handleExchangeRequest(database(), event.data, send);
