/**
 * One browser's membership of a team project (issue 17, docs/sync.md): the spaces it holds, which of them it sends
 * and receives through the relay, and what they mean together.
 *
 * - Every space is an inner Y.Doc (plaintext, on this machine only) mirrored into an outer one of sealed entries
 *   (sealed-channel.ts); only outer documents reach the relay (relay-connection.ts) or IndexedDB's sync store.
 * - Which coder spaces are connected follows the blind list in the shared space (`allowedSpaces`): a blind coder
 *   connects only their own space until the lead reveals, and nobody else connects theirs. What is never sent
 *   cannot be seen, whatever a client shows.
 * - Local writes go in with LOCAL_ORIGIN; anything else that changes an inner doc (the relay, the local store when
 *   the session starts) is reported, debounced, as the whole materialized state, which the app compares with what
 *   it holds (materialize.ts).
 *
 * No DOM, no Dexie: the app gives persistence and the WebSocket, so Node tests and the bench drive the same code.
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { createSealer, type Sealer } from './crypto';
import { SealedChannel } from './sealed-channel';
import { connectSpace, openPresence, sealPresence } from './relay-connection';
import { coderSpaceName, LOCAL_ORIGIN, reveal, setBlind, writeChange, writeCoders, writeMemos, type SpaceDocs } from './project-doc';
import { materialize, MaterializeCache, type SyncConflict, type SyncedState } from './materialize';
import type { SyncedMemo } from './layout';
import { watchOverwrites } from './overwrites';
import type { Change } from '../coding/change';
import type { Coder } from '../model/types';
import { ASSISTANT_CODER_ID, CONSENSUS_CODER_ID } from '../model/types';

export const SHARED_SPACE = 'shared';
export { coderSpaceName };
const CODER_PREFIX = 'coder:';
/** The shared space's map of coder ids with a space (value: when listed). */
const ROSTER = 'roster';

/** Coder spaces any member may write: the adjudicated set and the assistant's pre-coding are the team's work. */
const TEAM_CODER_IDS: readonly string[] = [CONSENSUS_CODER_ID, ASSISTANT_CODER_ID];

export type TeamRole = 'lead' | 'member' | 'blind';

export type TeamStatus = 'connecting' | 'online' | 'offline' | 'paused';

/**
 * Someone online, as their client tells it (sealed). No name: a name is the coder's record, which travels in their
 * own space, so a blind coder learns who else is online only as "the lead" or "a coder".
 */
export interface Peer {
  clientId: number;
  coderId: string;
  color: string;
  questionId: string | null;
  role: TeamRole;
}

/** What a local write stored, as the workspace tells it (state/coding.svelte.ts LocalWrite). */
export interface TeamWrite {
  change?: Change;
  memo?: SyncedMemo;
  memoDeleted?: { id: string; coderId: string };
  coder?: Omit<Coder, 'projectId'>;
}

export interface TeamSessionOptions {
  teamKey: Uint8Array;
  relayUrl: string;
  coderId: string;
  role: TeamRole;
  /** Outer documents as this browser last kept them, by space. */
  persisted: ReadonlyMap<string, Uint8Array>;
  /** Keeps outer documents (called a moment after they change, and by flush). */
  save: (states: Map<string, Uint8Array>) => Promise<void>;
  /** The team's data changed (not by this browser's own writes): the whole state, to compare with what is held. */
  onChange: (state: SyncedState) => void;
  onStatus?: (status: TeamStatus) => void;
  onPresence?: (peers: Peer[]) => void;
  /** A concurrent edit that could not be merged silently (a rename overwritten meanwhile). */
  onConflict?: (conflict: SyncConflict) => void;
  /** Entries that could not be opened (a wrong key, a damaged entry), in words. */
  onError?: (message: string) => void;
  WebSocketPolyfill?: typeof WebSocket;
  /** Start without connecting (the coder chose to work offline). */
  paused?: boolean;
  /** A blind coder's round (from the invitation), listed in the shared space before anything else is written. */
  blindRoundId?: string | null;
  /** Debounce of onChange and of saving, ms. */
  changeDelayMs?: number;
  saveDelayMs?: number;
}

interface Space {
  name: string;
  /** The relay's name for it: HMAC of the space name under the team key. */
  room: string;
  inner: Y.Doc;
  outer: Y.Doc;
  channel: SealedChannel;
  connection: ReturnType<typeof connectSpace> | null;
  connected: boolean;
}

/** The coder spaces this client may hold a connection to, by the rule in the module comment. */
export function allowedCoderSpaces(
  ownCoderId: string,
  ownRole: TeamRole,
  blind: ReadonlyMap<string, { revealedAt: number | null }>,
  knownCoderIds: Iterable<string>,
): Set<string> {
  const sealed = (coderId: string) => blind.get(coderId)?.revealedAt === null;
  const allowed = new Set<string>([ownCoderId]);
  // The invitation said blind: until the shared space says revealed, nothing but one's own space, even before the
  // shared space has arrived to say so.
  const ownRevealed = blind.get(ownCoderId)?.revealedAt != null;
  if (ownRole === 'blind' ? !ownRevealed : sealed(ownCoderId)) return allowed;
  for (const coderId of [...knownCoderIds, ...TEAM_CODER_IDS]) if (!sealed(coderId)) allowed.add(coderId);
  return allowed;
}

export class TeamSession {
  readonly #options: TeamSessionOptions;
  readonly #sealer: Sealer;
  readonly #spaces = new Map<string, Space>();
  /** Presence, over the shared space's outer doc: y-websocket clears a client's presence by that doc's client id. */
  #awareness!: Awareness;
  #paused: boolean;
  #closed = false;
  #changeTimer: ReturnType<typeof setTimeout> | null = null;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  #dirty = new Set<string>();
  #status: TeamStatus = 'connecting';
  #stopWatching: (() => void) | null = null;
  /** While seeding or reconciling, this client writes other coders' spaces too (their codings it holds). */
  #writeAll = false;
  /** What each space meant at the last materialize, reused while it has not changed. */
  readonly #readings = new MaterializeCache();
  /** The coder spaces the blind rule lets this client hold: it may write those it has opened (a merge, a split). */
  #allowed = new Set<string>();

  private constructor(options: TeamSessionOptions, sealer: Sealer) {
    this.#options = options;
    this.#sealer = sealer;
    this.#paused = options.paused ?? false;
  }

  /** Opens the spaces this browser kept, then connects those the rule allows. */
  static async open(options: TeamSessionOptions): Promise<TeamSession> {
    const session = new TeamSession(options, await createSealer(options.teamKey));
    await session.#start();
    return session;
  }

  get status(): TeamStatus {
    return this.#status;
  }

  get shared(): Y.Doc {
    return this.#spaces.get(SHARED_SPACE)!.inner;
  }

  async #start() {
    const shared = await this.#space(SHARED_SPACE);
    this.#awareness = new Awareness(shared.outer);
    await this.#space(coderSpaceName(this.#options.coderId));
    for (const coderId of TEAM_CODER_IDS) await this.#space(coderSpaceName(coderId));
    for (const name of this.#options.persisted.keys()) if (name.startsWith(CODER_PREFIX)) await this.#space(name);
    this.#stopWatching = watchOverwrites(this.shared, (conflict) => this.#options.onConflict?.(conflict));
    // Blind first, then on the roster: no client ever sees this coder's space listed without the blind entry.
    const own = this.#options.coderId;
    if (this.#options.role === 'blind' && !this.shared.getMap('blind').has(own)) setBlind(this.shared, own, this.#options.blindRoundId ?? null, Date.now());
    this.#enrol([own]);
    this.#awareness.on('change', () => this.#reportPresence());
    await this.#follow();
    // What this browser already held is the team's state as last seen: the app compares it with its stores once.
    this.#changed(0);
  }

  /** The space, opened from what was kept (not connected). */
  async #space(name: string): Promise<Space> {
    const existing = this.#spaces.get(name);
    if (existing) return existing;
    const inner = new Y.Doc();
    const outer = new Y.Doc();
    const kept = this.#options.persisted.get(name);
    if (kept) Y.applyUpdate(outer, kept);
    const channel = new SealedChannel({
      outer,
      inner,
      sealer: this.#sealer,
      space: name,
      onError: (message: string) => this.#options.onError?.(message),
    });
    const room = await this.#sealer.roomName(name);
    const space: Space = { name, room, inner, outer, channel, connection: null, connected: false };
    this.#spaces.set(name, space);
    await channel.ready;
    inner.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin !== LOCAL_ORIGIN) this.#changed();
    });
    outer.on('update', () => {
      this.#dirty.add(name);
      this.#saveSoon();
    });
    if (name === SHARED_SPACE) inner.on('update', () => void this.#follow());
    return space;
  }

  /** Connects the spaces the rule allows and disconnects the others. */
  async #follow() {
    if (this.#closed) return;
    const state = this.#blindList();
    const coders = [...(this.shared.getMap(ROSTER).keys() as Iterable<string>)];
    const allowed = allowedCoderSpaces(this.#options.coderId, this.#options.role, state, coders);
    this.#allowed = allowed;
    const wanted = new Set<string>([SHARED_SPACE, ...[...allowed].map(coderSpaceName)]);
    for (const name of wanted) await this.#space(name);
    for (const space of this.#spaces.values()) {
      const want = wanted.has(space.name) && !this.#paused;
      if (want && !space.connection) this.#connect(space);
      else if (!want && space.connection) {
        space.connection.destroy();
        space.connection = null;
        space.connected = false;
      }
    }
    this.#reportStatus();
  }

  /** Lists coder spaces in the shared space's roster, so every client knows which spaces exist (ids only). */
  #enrol(coderIds: Iterable<string>) {
    const roster = this.shared.getMap<number>(ROSTER);
    const missing = [...new Set(coderIds)].filter((id) => !roster.has(id));
    if (missing.length === 0) return;
    this.shared.transact(() => {
      for (const id of missing) roster.set(id, Date.now());
    }, LOCAL_ORIGIN);
  }

  #blindList(): Map<string, { roundId: string | null; since: number; revealedAt: number | null }> {
    const out = new Map<string, { roundId: string | null; since: number; revealedAt: number | null }>();
    this.shared.getMap('blind').forEach((value, key) => out.set(key, value as { roundId: string | null; since: number; revealedAt: number | null }));
    return out;
  }

  #connect(space: Space) {
    space.connection = connectSpace({
      relayUrl: this.#options.relayUrl,
      room: space.room,
      outer: space.outer,
      WebSocketPolyfill: this.#options.WebSocketPolyfill,
      awareness: space.name === SHARED_SPACE ? this.#awareness : undefined,
      // Only the relay carries the team's work, so what a client receives is exactly what it connected.
      disableBc: true,
      onStatus: (status: 'connected' | 'connecting' | 'disconnected') => {
        space.connected = status === 'connected';
        this.#reportStatus();
      },
    });
  }

  #reportStatus() {
    const connections = [...this.#spaces.values()].filter((s) => s.connection);
    const status: TeamStatus = this.#paused
      ? 'paused'
      : connections.length > 0 && connections.every((s) => s.connected)
        ? 'online'
        : connections.some((s) => s.connected)
          ? 'connecting'
          : 'offline';
    if (status === this.#status) return;
    this.#status = status;
    this.#options.onStatus?.(status);
  }

  #changed(delay = this.#options.changeDelayMs ?? 250) {
    if (this.#changeTimer !== null) clearTimeout(this.#changeTimer);
    this.#changeTimer = setTimeout(() => {
      this.#changeTimer = null;
      if (!this.#closed) this.#options.onChange(this.materialize());
    }, delay);
  }

  #saveSoon() {
    if (this.#saveTimer !== null) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null;
      void this.#save();
    }, this.#options.saveDelayMs ?? 400);
  }

  /** Keeps the dirty spaces' outer docs; false when the store refused them (they stay dirty, for the next try). */
  async #save(): Promise<boolean> {
    if (this.#dirty.size === 0) return true;
    const states = new Map<string, Uint8Array>();
    for (const name of this.#dirty) {
      const space = this.#spaces.get(name);
      if (space) states.set(name, Y.encodeStateAsUpdate(space.outer));
    }
    this.#dirty.clear();
    try {
      await this.#options.save(states);
    } catch (error) {
      // Kept in memory and sent while the page is open; saved again with the next change.
      for (const name of states.keys()) this.#dirty.add(name);
      this.#options.onError?.(`The team’s changes could not be kept on this machine: ${String(error)}`);
      return false;
    }
    return true;
  }

  /** What the spaces this browser holds mean together (a blind coder's own space only, until revealed). */
  materialize(): SyncedState {
    const coderSpaces = new Map<string, Y.Doc>();
    for (const space of this.#spaces.values()) {
      if (space.name.startsWith(CODER_PREFIX)) coderSpaces.set(space.name.slice(CODER_PREFIX.length), space.inner);
    }
    return materialize(this.shared, coderSpaces, this.#readings);
  }

  #docs(): SpaceDocs {
    return {
      shared: this.shared,
      coderSpace: (coderId: string) => {
        // A client writes the spaces it holds: its own, the team's, and (not blind) every coder's, so a merge, a
        // split or a delete moves other coders' codings too; what they coded meanwhile is redirected by materialize.
        const may = coderId === this.#options.coderId || TEAM_CODER_IDS.includes(coderId) || this.#allowed.has(coderId) || this.#writeAll;
        if (!may) return null;
        // Own and team spaces are opened at the start, others by writeAsHeld before it writes.
        return this.#spaces.get(coderSpaceName(coderId))?.inner ?? null;
      },
    };
  }

  /** Sends what this browser stored. */
  write(write: TeamWrite) {
    const docs = this.#docs();
    if (write.change) writeChange(docs, write.change);
    if (write.memo) writeMemos(docs, [write.memo], []);
    if (write.memoDeleted) writeMemos(docs, [], [write.memoDeleted as SyncedMemo]);
    if (write.coder) writeCoders(docs, [write.coder]);
  }

  /**
   * Writes what this browser holds that the team does not have, into whichever coder's space it belongs (the lead's
   * first connect, or a coder file merged here: a coder file is a sync update).
   */
  async writeAsHeld(coderIds: Iterable<string>, write: (docs: SpaceDocs) => void) {
    const ids = [...coderIds];
    for (const coderId of ids) await this.#space(coderSpaceName(coderId));
    this.#enrol(ids);
    this.#writeAll = true;
    try {
      write(this.#docs());
    } finally {
      this.#writeAll = false;
    }
    void this.#follow();
  }

  /** The lead reveals every blind coder (or one): everyone then connects their spaces. */
  reveal(coderId: string | 'all' = 'all') {
    reveal(this.shared, coderId, Date.now());
  }

  blindCoders(): Map<string, { roundId: string | null; since: number; revealedAt: number | null }> {
    return this.#blindList();
  }

  /** Who is online and where, as this browser tells the others (sealed: the relay cannot read it). */
  async setPresence(presence: Omit<Peer, 'clientId'>) {
    if (this.#closed) return;
    this.#awareness.setLocalState(await sealPresence(this.#sealer, presence));
  }

  async #reportPresence() {
    const peers: Peer[] = [];
    for (const [clientId, state] of this.#awareness.getStates()) {
      if (clientId === this.#awareness.clientID) continue;
      // Null for a client of another team (another key) or one that has not said where it is yet.
      const presence = await openPresence<Omit<Peer, 'clientId'>>(this.#sealer, state);
      if (presence) peers.push({ ...presence, clientId });
    }
    this.#options.onPresence?.(peers.sort((a, b) => a.coderId.localeCompare(b.coderId)));
  }

  /** Works offline (nothing sent or received) or online again; what was done meanwhile is sent on return. */
  setPaused(paused: boolean) {
    this.#paused = paused;
    void this.#follow();
  }

  /**
   * Everything written so far sealed and kept (the outbox is emptied only after this, and tests wait on it). Throws
   * when the store refused the sealed state, so what was sent is not forgotten as if it were kept.
   */
  async flush() {
    await Promise.all([...this.#spaces.values()].map((s) => s.channel.flush()));
    if (this.#saveTimer !== null) {
      clearTimeout(this.#saveTimer);
      this.#saveTimer = null;
    }
    if (!(await this.#save())) throw new Error('The team’s sealed changes could not be kept on this machine.');
  }

  async close() {
    if (this.#closed) return;
    await this.flush().catch(() => undefined);
    this.#closed = true;
    if (this.#changeTimer !== null) clearTimeout(this.#changeTimer);
    this.#stopWatching?.();
    this.#awareness.destroy();
    for (const space of this.#spaces.values()) {
      space.connection?.destroy();
      space.channel.destroy();
    }
    this.#spaces.clear();
  }
}
