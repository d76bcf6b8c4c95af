/**
 * Coder files and project files, off the page's thread: a 100k-answer project
 * is ~150 MB of JSON to build, compress, check, parse and store. The handling
 * is in exchange-handler.ts.
 */
import { database } from '../lib/db/database';
import { handleExchangeRequest } from './exchange-handler';
import type { FromExchangeWorker, ToExchangeWorker } from './exchange-protocol';
import { routeRequests } from './worker-router';

function send(message: FromExchangeWorker, transfer: Transferable[] = []) {
  postMessage(message, { transfer });
}

// The handler answers every failure of its own; the router catches what escapes it (database() failing to open).
routeRequests<ToExchangeWorker, FromExchangeWorker>((message) => handleExchangeRequest(database(), message, send));
