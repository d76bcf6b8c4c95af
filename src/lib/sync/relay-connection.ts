/**
 * One space's outer doc connected to the relay: y-websocket's WebsocketProvider, unchanged, with a promise for
 * "caught up with the relay" and the connection's status as a callback. The outer doc holds only sealed entries
 * (sealed-channel.ts), so this file never sees plaintext; presence (names, the question a coder is on) is sealed
 * too, with sealPresence / openPresence, before it goes into the awareness state the relay forwards.
 */
import type * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { base64urlToBytes, bytesToBase64url, type Sealer } from './crypto';

export type ConnectionStatus = 'connected' | 'connecting' | 'disconnected';

/** The browser's WebSocket, or `ws`'s in Node (tests, the bench). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => object;

export interface ConnectSpaceOptions {
  /** ws: or wss: address of the relay (without the room). */
  relayUrl: string;
  /** The room: Sealer.roomName(space). */
  room: string;
  outer: Y.Doc;
  WebSocketPolyfill?: WebSocketConstructor;
  /** Shared with other code that sets the local presence; one is made (and destroyed with the connection) if not given. */
  awareness?: Awareness;
  /** Each change after connectSpace returns; `status` starts as 'connecting'. */
  onStatus?: (status: ConnectionStatus) => void;
  /**
   * y-websocket also syncs tabs of one browser over a BroadcastChannel. Off in Node, where every client of a test
   * or the bench would otherwise reach the others without the relay. On by default (y-websocket's default).
   */
  disableBc?: boolean;
}

export interface SpaceConnection {
  provider: WebsocketProvider;
  readonly status: ConnectionStatus;
  /**
   * Resolves once the outer doc holds everything the relay had when this connection (or the reconnection under
   * way) was made; the inner doc has it after the SealedChannel's flush(). Rejects if the relay refuses the room
   * for good, or the connection is destroyed first.
   */
  synced(): Promise<void>;
  destroy(): void;
}

export function connectSpace(options: ConnectSpaceOptions): SpaceConnection {
  const ownAwareness = options.awareness ? null : new Awareness(options.outer);
  const provider = new WebsocketProvider(options.relayUrl, options.room, options.outer, {
    awareness: options.awareness ?? ownAwareness!,
    // y-websocket types its polyfill as the DOM's WebSocket; `ws`'s class has the same shape where the provider uses it.
    WebSocketPolyfill: options.WebSocketPolyfill as unknown as typeof WebSocket | undefined,
    disableBc: options.disableBc ?? false,
  });
  let status: ConnectionStatus = provider.wsconnected ? 'connected' : provider.wsconnecting ? 'connecting' : 'disconnected';
  let refusal: Error | null = null;
  let destroyed = false;
  const waiters = new Set<{ resolve: () => void; reject: (err: Error) => void }>();

  provider.on('status', ({ status: next }) => {
    status = next;
    options.onStatus?.(next);
  });
  provider.on('sync', (isSynced) => {
    if (!isSynced) return;
    for (const w of waiters) w.resolve();
    waiters.clear();
  });
  // The relay closes with a 44xx code when it will never serve the room (a malformed name): y-websocket stops retrying.
  provider.on('closed', ({ code, reason }) => {
    refusal = new Error(`The relay refused the connection (${code}${reason ? `: ${reason}` : ''}).`);
    for (const w of waiters) w.reject(refusal);
    waiters.clear();
  });

  return {
    provider,
    get status() {
      return status;
    },
    synced() {
      if (destroyed) return Promise.reject(new Error('The connection to the relay was closed.'));
      if (provider.synced) return Promise.resolve();
      if (refusal && !provider.shouldConnect) return Promise.reject(refusal);
      return new Promise<void>((resolve, reject) => waiters.add({ resolve, reject }));
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      provider.destroy();
      // The awareness keeps a timer of its own; one we made is ours to stop.
      ownAwareness?.destroy();
      for (const w of waiters) w.reject(new Error('The connection to the relay was closed.'));
      waiters.clear();
    },
  };
}

/** What the awareness state holds for the relay to forward: the presence, sealed. */
export interface SealedPresence {
  sealed: string;
}

/** The space presence is sealed for (its additional authenticated data), unless a caller names another. */
export const PRESENCE_SPACE = 'presence';

export async function sealPresence(sealer: Sealer, state: unknown, space = PRESENCE_SPACE): Promise<SealedPresence> {
  const plain = new TextEncoder().encode(JSON.stringify(state));
  return { sealed: bytesToBase64url(await sealer.seal(plain, space)) };
}

/**
 * The presence in another client's awareness state, or null when there is none this key opens: a client that has
 * not set one yet, another team's key, a damaged state. Presence is advisory, so it never throws.
 */
export async function openPresence<T = unknown>(sealer: Sealer, sealedState: unknown, space = PRESENCE_SPACE): Promise<T | null> {
  if (typeof sealedState !== 'object' || sealedState === null) return null;
  const sealed = (sealedState as Partial<SealedPresence>).sealed;
  if (typeof sealed !== 'string') return null;
  try {
    const plain = await sealer.open(base64urlToBytes(sealed), space);
    return JSON.parse(new TextDecoder().decode(plain)) as T;
  } catch {
    return null;
  }
}
