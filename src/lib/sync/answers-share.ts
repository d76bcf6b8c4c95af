/**
 * The answers, shared once (issue 17): the lead's project file for a joining coder (answers and codebook, no one's
 * codings or memos: the file a second coder starts from) goes into the `answers` space in chunks, sealed like
 * everything else, and a joining coder reads it back once. It is not kept open afterwards: answers do not change
 * while a team codes them, and a survey's worth of text would otherwise sit in every session's memory.
 */
import * as Y from 'yjs';
import { createSealer } from './crypto';
import { SealedChannel } from './sealed-channel';
import { connectSpace, type WebSocketConstructor } from './relay-connection';

export const ANSWERS_SPACE_NAME = 'answers';
/** Chunks of this size keep each sealed entry (and each relay message) well under a WebSocket frame's usual limits. */
export const ANSWER_CHUNK_BYTES = 512 * 1024;

export class AnswersShareError extends Error {
  override name = 'AnswersShareError';
}

interface ShareOptions {
  teamKey: Uint8Array;
  relayUrl: string;
  WebSocketPolyfill?: WebSocketConstructor;
  /** Gives up after this long without the relay (ms). */
  timeoutMs?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new AnswersShareError(what)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function openAnswersSpace(options: ShareOptions) {
  const sealer = await createSealer(options.teamKey);
  const inner = new Y.Doc();
  const outer = new Y.Doc();
  const errors: string[] = [];
  const channel = new SealedChannel({ sealer, space: ANSWERS_SPACE_NAME, inner, outer, onError: (message) => errors.push(message) });
  const connection = connectSpace({
    relayUrl: options.relayUrl,
    room: await sealer.roomName(ANSWERS_SPACE_NAME),
    outer,
    WebSocketPolyfill: options.WebSocketPolyfill,
    disableBc: true,
  });
  const close = () => {
    connection.destroy();
    channel.destroy();
  };
  return { inner, channel, connection, errors, close };
}

/** Puts the file into the answers space and waits until the relay holds it. */
export async function shareAnswers(options: ShareOptions & { bytes: Uint8Array }): Promise<void> {
  const space = await openAnswersSpace(options);
  const timeout = options.timeoutMs ?? 60_000;
  try {
    await withTimeout(space.connection.synced(), timeout, `The relay at ${options.relayUrl} did not answer. Is it running, and is the address right?`);
    const chunks = space.inner.getArray<Uint8Array>('chunks');
    const meta = space.inner.getMap<number>('meta');
    const { bytes } = options;
    space.inner.transact(() => {
      chunks.delete(0, chunks.length);
      for (let at = 0; at < bytes.length; at += ANSWER_CHUNK_BYTES) chunks.push([bytes.slice(at, at + ANSWER_CHUNK_BYTES)]);
      meta.set('bytes', bytes.length);
      meta.set('chunks', chunks.length);
      meta.set('sharedAt', Date.now());
    });
    await space.channel.flush();
    // Yjs's sync protocol has no acknowledgement: the relay holds the answers once a fresh connection reads them back.
    // This connection stays open meanwhile, so anything the relay lacks is still sent.
    const deadline = Date.now() + timeout;
    for (;;) {
      const back = await fetchSharedAnswers({ ...options, timeoutMs: Math.max(1000, deadline - Date.now()) }).catch(() => null);
      if (back && back.length === bytes.length) return;
      if (Date.now() > deadline) throw new AnswersShareError('The relay did not keep the shared answers; try again.');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    space.close();
  }
}

/** Reads the file back from the answers space (a joining coder). */
export async function fetchSharedAnswers(options: ShareOptions): Promise<Uint8Array> {
  const space = await openAnswersSpace(options);
  const timeout = options.timeoutMs ?? 60_000;
  try {
    await withTimeout(space.connection.synced(), timeout, `The relay at ${options.relayUrl} did not answer. Is it running, and is the address right?`);
    await space.channel.flush();
    const meta = space.inner.getMap<number>('meta');
    const chunks = space.inner.getArray<Uint8Array>('chunks');
    if (space.errors.length > 0 && chunks.length === 0) {
      throw new AnswersShareError('The shared answers could not be opened: the invitation’s key does not fit this team.');
    }
    const expected = meta.get('chunks');
    if (expected === undefined) throw new AnswersShareError('The lead has not shared the answers on this relay yet.');
    if (chunks.length !== expected) throw new AnswersShareError('The shared answers are incomplete on the relay; ask the lead to connect again.');
    const total = meta.get('bytes') ?? 0;
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks.toArray()) {
      out.set(chunk, at);
      at += chunk.length;
    }
    if (at !== total) throw new AnswersShareError('The shared answers are damaged on the relay; ask the lead to connect again.');
    return out;
  } finally {
    space.close();
  }
}
