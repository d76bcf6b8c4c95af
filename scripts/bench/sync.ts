/**
 * Team sync (issue 17) at a lab's scale, in Node, no browser: 20 coders, each subscribed to the `shared` space and
 * all 20 coder spaces, each writing 5,000 codings into its own space in batches of 100 (one inner transaction per
 * batch, as a fast coder's bulk applies would be) while receiving everyone else's. Every space is the app's stack:
 * an inner Y.Doc, a SealedChannel into an outer doc (AES-GCM, 50 ms batches, compaction after 64 entries) and
 * connectSpace (y-websocket) with `ws` as the WebSocket. The relay is relay/relay.mjs in a child process (its
 * memory is its own), on a temporary directory, asked for its stats over IPC.
 *
 * Measured:
 * - converged: from the first batch written until every client holds all 100,000 codings (counted as each client's
 *   inner docs report them added);
 * - bytes on the wire: every WebSocket message sent and received by all clients (the `ws` class wrapped), and per
 *   coding written; the relay's own count of bytes in and out as a check;
 * - the relay's RSS and JS heap after convergence (after a GC in the relay process);
 * - the relay's files on disk after convergence (clients still connected: appended records) and after every client
 *   has left (each room's file rewritten as one record).
 * No assertion on time: a machine's speed is reported, never failed.
 *
 * Baseline (on by default): after the sealed run, the same scenario with plain Yjs — the same coders, spaces,
 * batches and pauses, each inner doc connected straight to y-websocket (connectSpace with the inner doc as its
 * outer doc: no SealedChannel, no encryption), through a fresh relay child process on a fresh temporary directory —
 * measured the same way, so the report can print sealed ÷ plain: what our sealing layer costs.
 *
 * On its own (the table on stdout, progress on stderr):
 *
 *   npx tsx scripts/bench/sync.ts [--coders 20] [--codings 5000] [--batch 100] [--pause-ms 20] [--baseline on|off] [--json]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { answerId } from '../../src/lib/model/types';
import { createSealer, newTeamKey, type Sealer } from '../../src/lib/sync/crypto';
import { connectSpace, type SpaceConnection } from '../../src/lib/sync/relay-connection';
import { SealedChannel } from '../../src/lib/sync/sealed-channel';
import type { RelayStats } from '../../relay/relay.mjs';
import { renderSync } from './report';

export const SYNC_CODERS = 20;
export const SYNC_CODINGS_PER_CODER = 5000;
export const SYNC_BATCH = 100;

export interface SyncBenchOptions {
  /** 20 by default. */
  coders?: number;
  /** Codings each coder writes into its own space. 5,000 by default. */
  codingsPerCoder?: number;
  /** Codings per inner transaction. 100 by default. */
  batch?: number;
  /** Pause between one coder's batches. 20 ms by default. */
  pauseMs?: number;
  /** Gives up waiting for convergence after this long (each scenario). 10 minutes by default. */
  timeoutMs?: number;
  /** Also run the same scenario with plain Yjs (no SealedChannel) as the baseline. True by default. */
  baseline?: boolean;
}

export interface SyncRelaySample {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Memory outside the JS heap: mostly the rooms' ciphertext, held in Buffers. */
  externalBytes: number;
  storedBytes: number;
  roomFiles: number;
  rooms: number;
  connections: number;
  bytesIn: number;
  bytesOut: number;
}

/** One scenario's measurements: the sealed stack, or the plain-Yjs baseline. */
export interface SyncScenarioResult {
  /** True: inner doc → SealedChannel → outer doc → y-websocket. False: inner doc → y-websocket (plain Yjs). */
  sealed: boolean;
  coders: number;
  codingsPerCoder: number;
  batch: number;
  pauseMs: number;
  totalCodings: number;
  /** WebSocket connections (coders × spaces). */
  connections: number;
  /** Setup: every connection synced with the empty rooms. */
  connectMs: number;
  /** The last coder's last batch written, after the start. */
  writtenMs: number;
  /** First batch written → every client holds every coding; null if it did not converge in time. */
  convergedMs: number | null;
  /** Clients that had converged when the bench stopped waiting. */
  clientsConverged: number;
  wire: { sentBytes: number; receivedBytes: number; totalBytes: number; bytesPerCoding: number };
  /**
   * One more coder joining after convergence, subscribed to every space: connect → all codings in its inner docs
   * (what one browser does, without the other 20 clients sharing its thread), and the bytes it received.
   */
  lateJoin: { ms: number; receivedBytes: number } | null;
  /** After convergence, after a GC in the relay. */
  relay: SyncRelaySample | null;
  /** After every client left: rooms rewritten as one record each. */
  relayAfterLeaving: SyncRelaySample | null;
  /** Sealed entries written by all channels (snapshots included), compactions, entries that failed to open; all 0 without sealing. */
  channels: { written: number; compactions: number; failures: number; errors: string[] };
  /** The bench process's own peak RSS (all 20 clients). */
  clientsRssBytes: number;
  problem: string | null;
}

/** The sealed scenario, and the plain-Yjs baseline measured in the same run (null with --baseline off; absent in older results). */
export interface SyncBenchResult extends SyncScenarioResult {
  baseline?: SyncScenarioResult | null;
}

const RELAY_SCRIPT = fileURLToPath(new URL('../../relay/relay.mjs', import.meta.url));
const POLL_MS = 50;
const CODES = 30;
const CREATED_AT = Date.UTC(2024, 4, 1);

interface RelayProcess {
  child: ChildProcess;
  url: string;
  request<T>(type: 'stats' | 'gc'): Promise<T>;
  stop(): Promise<void>;
}

async function startRelayProcess(dir: string, log: (line: string) => void): Promise<RelayProcess> {
  // --expose-gc: the heap is read after a collection, so it is what the relay holds, not garbage not yet collected.
  const child = fork(RELAY_SCRIPT, ['--port', '0', '--dir', dir], { execArgv: ['--expose-gc'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stderr?.on('data', (chunk: Buffer) => log(`relay: ${chunk.toString().trimEnd()}`));
  child.stdout?.resume();
  const ready = await new Promise<{ url: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the relay did not start within 20 s')), 20_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the relay exited (${code}) before it was ready`)));
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message?.type !== 'ready' || !message.url) return;
      clearTimeout(timer);
      resolve({ url: message.url });
    });
  });
  return {
    child,
    url: ready.url,
    request<T>(type: 'stats' | 'gc') {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the relay did not answer "${type}"`)), 30_000);
        const onMessage = (message: { type?: string; stats?: unknown }) => {
          if (message?.type !== type) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve((message.stats ?? null) as T);
        };
        child.on('message', onMessage);
        child.send({ type });
      });
    },
    stop() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'close' });
      });
    },
  };
}

function sample(stats: RelayStats): SyncRelaySample {
  return {
    rssBytes: stats.memory.rss,
    heapUsedBytes: stats.memory.heapUsed,
    heapTotalBytes: stats.memory.heapTotal,
    externalBytes: stats.memory.external,
    storedBytes: stats.storedBytes,
    roomFiles: stats.roomFiles,
    rooms: stats.rooms,
    connections: stats.connections,
    bytesIn: stats.bytesIn,
    bytesOut: stats.bytesOut,
  };
}

/** `ws`'s client with every message it sends and receives counted. */
function countingWebSocket(wire: { sent: number; received: number }) {
  return class CountingWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.on('message', (data: ArrayBuffer | Buffer | Buffer[]) => {
        wire.received += Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength;
      });
    }

    override send(data: ArrayBufferLike | ArrayBufferView | string, ...rest: unknown[]): void {
      wire.sent += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  };
}

interface Space {
  name: string;
  inner: Y.Doc;
  /** Null in the plain-Yjs baseline, where the inner doc is the one connected. */
  channel: SealedChannel | null;
  connection: SpaceConnection;
}

interface Client {
  coder: string;
  spaces: Space[];
  /** Codings in this client's coder spaces, counted as Yjs reports them added. */
  codings: number;
  convergedAt: number | null;
}

/** The sealed scenario, then (unless options.baseline is false) the same scenario with plain Yjs on a fresh relay. */
export async function runSyncBench(options: SyncBenchOptions = {}, log: (line: string) => void = () => {}): Promise<SyncBenchResult> {
  const sealed = await runSyncScenario(true, options, log);
  if (options.baseline === false) return { ...sealed, baseline: null };
  const baseline = await runSyncScenario(false, options, log);
  return { ...sealed, baseline };
}

/** A room name the relay accepts (64 hex characters) for the plain baseline, which has no team key to derive one from. */
function plainRoomName(space: string): string {
  return createHash('sha256').update(`codebench-sync-bench-plain:${space}`).digest('hex');
}

/**
 * One run of the scenario on its own relay child process and temporary directory. `sealed` chooses the stack:
 * inner doc → SealedChannel → outer doc → connectSpace, or (the baseline) inner doc → connectSpace.
 */
async function runSyncScenario(sealed: boolean, options: SyncBenchOptions, parentLog: (line: string) => void): Promise<SyncScenarioResult> {
  const coders = options.coders ?? SYNC_CODERS;
  const perCoder = options.codingsPerCoder ?? SYNC_CODINGS_PER_CODER;
  const batch = options.batch ?? SYNC_BATCH;
  const pauseMs = options.pauseMs ?? 20;
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const label = sealed ? 'sync (sealed)' : 'sync (plain Yjs)';
  const log = (line: string) => parentLog(line.replace(/^sync\b/, label));
  const coderIds = Array.from({ length: coders }, (_, i) => `bench-coder-${String(i + 1).padStart(2, '0')}`);
  const spaceNames = ['shared', ...coderIds.map((id) => `coder:${id}`)];
  const codeIds = Array.from({ length: CODES }, () => crypto.randomUUID());
  const wire = { sent: 0, received: 0 };
  const errors: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'codebench-sync-bench-'));
  // 20 clients × 21 providers each add a process 'exit' listener (y-websocket); not a leak.
  const maxListeners = process.getMaxListeners();
  process.setMaxListeners(0);
  let relay: RelayProcess | null = null;
  const clients: Client[] = [];
  let peakRss = process.memoryUsage().rss;
  const result: SyncScenarioResult = {
    sealed,
    coders,
    codingsPerCoder: perCoder,
    batch,
    pauseMs,
    totalCodings: coders * perCoder,
    connections: coders * spaceNames.length,
    connectMs: 0,
    writtenMs: 0,
    convergedMs: null,
    clientsConverged: 0,
    wire: { sentBytes: 0, receivedBytes: 0, totalBytes: 0, bytesPerCoding: 0 },
    lateJoin: null,
    relay: null,
    relayAfterLeaving: null,
    channels: { written: 0, compactions: 0, failures: 0, errors },
    clientsRssBytes: 0,
    problem: null,
  };

  try {
    relay = await startRelayProcess(dir, log);
    log(`sync: relay at ${relay.url} (child process ${relay.child.pid}), files in ${dir}`);
    const sealer: Sealer | null = sealed ? await createSealer(newTeamKey()) : null;
    const rooms = new Map(await Promise.all(spaceNames.map(async (name) => [name, sealer ? await sealer.roomName(name) : plainRoomName(name)] as const)));
    const WebSocketPolyfill = countingWebSocket(wire);

    const join = (coder: string, polyfill: typeof WebSocketPolyfill): Client => {
      const spaces = spaceNames.map((name): Space => {
        const inner = new Y.Doc();
        // The baseline connects the inner doc itself: everything else (rooms, provider, WebSocket, relay) is the same.
        const outer = sealer ? new Y.Doc() : inner;
        const channel = sealer
          ? new SealedChannel({ sealer, space: name, inner, outer, onError: (message) => errors.length < 20 && errors.push(message) })
          : null;
        const connection = connectSpace({ relayUrl: relay!.url, room: rooms.get(name)!, outer, WebSocketPolyfill: polyfill, disableBc: true });
        return { name, inner, channel, connection };
      });
      const client: Client = { coder, spaces, codings: 0, convergedAt: null };
      for (const space of spaces) {
        if (space.name === 'shared') continue;
        space.inner.getMap('codings').observe((event) => {
          for (const change of event.keys.values()) if (change.action === 'add') client.codings++;
          if (client.convergedAt === null && client.codings >= coders * perCoder) client.convergedAt = performance.now() - started;
        });
      }
      clients.push(client);
      return client;
    };

    let started = Infinity;
    const connectStarted = performance.now();
    for (const coder of coderIds) join(coder, WebSocketPolyfill);
    await Promise.all(clients.flatMap((c) => c.spaces.map((s) => s.connection.synced())));
    result.connectMs = performance.now() - connectStarted;
    log(`sync: ${clients.length} coders × ${spaceNames.length} spaces connected in ${Math.round(result.connectMs)} ms`);
    const wireBefore = { ...wire };

    started = performance.now();
    const writers = clients.map(async (client, c) => {
      const own = client.spaces.find((s) => s.name === `coder:${client.coder}`)!;
      const codings = own.inner.getMap<Record<string, unknown>>('codings');
      for (let done = 0; done < perCoder; done += batch) {
        own.inner.transact(() => {
          for (let i = done; i < Math.min(perCoder, done + batch); i++) {
            const respondent = `R${String(1 + ((c * perCoder + i) % 100_000)).padStart(7, '0')}`;
            codings.set(crypto.randomUUID(), {
              answerId: answerId(`q${1 + (i % 8)}`, 'wave-1', respondent),
              codeId: codeIds[(i * 7 + c) % CODES],
              start: null,
              end: null,
              createdAt: CREATED_AT + i * 1000,
            });
          }
        });
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    });
    const allWritten = Promise.all(writers).then(() => (result.writtenMs = performance.now() - started));

    const deadline = started + timeoutMs;
    while (performance.now() < deadline && clients.some((c) => c.convergedAt === null)) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    await allWritten;
    result.clientsConverged = clients.filter((c) => c.convergedAt !== null).length;
    if (result.clientsConverged === clients.length) {
      result.convergedMs = Math.max(...clients.map((c) => c.convergedAt!));
      log(`sync: converged in ${(result.convergedMs / 1000).toFixed(1)} s (writing took ${(result.writtenMs / 1000).toFixed(1)} s)`);
    } else {
      result.problem = `${clients.length - result.clientsConverged} of ${clients.length} clients had not received every coding after ${Math.round(timeoutMs / 1000)} s`;
      log(`sync: ${result.problem}`);
    }
    // Sent and received by the clients from the first batch on (the empty rooms' handshakes left out).
    result.wire.sentBytes = wire.sent - wireBefore.sent;
    result.wire.receivedBytes = wire.received - wireBefore.received;
    result.wire.totalBytes = result.wire.sentBytes + result.wire.receivedBytes;
    result.wire.bytesPerCoding = result.wire.totalBytes / result.totalCodings;

    await relay.request('gc');
    result.relay = sample(await relay.request<RelayStats>('stats'));
    for (const client of clients) {
      for (const space of client.spaces) {
        if (!space.channel) continue;
        const stats = space.channel.stats();
        result.channels.written += stats.written;
        result.channels.compactions += stats.compactions;
        result.channels.failures += stats.failures;
      }
    }
    result.clientsRssBytes = peakRss;

    if (result.convergedMs !== null) {
      const lateWire = { sent: 0, received: 0 };
      const joinStarted = performance.now();
      const late = join('bench-late-joiner', countingWebSocket(lateWire));
      await Promise.all(late.spaces.map((s) => s.connection.synced()));
      await Promise.all(late.spaces.map((s) => s.channel?.flush()));
      const received = late.codings;
      if (received === result.totalCodings) {
        result.lateJoin = { ms: performance.now() - joinStarted, receivedBytes: lateWire.received };
        log(`sync: a late joiner caught up in ${(result.lateJoin.ms / 1000).toFixed(1)} s (${(lateWire.received / 1e6).toFixed(1)} MB)`);
      } else {
        result.problem = `a late joiner received ${received} of ${result.totalCodings} codings`;
      }
    }
  } catch (err) {
    result.problem = (err as Error).message;
    log(`sync FAILED: ${result.problem}`);
  } finally {
    for (const client of clients) {
      for (const space of client.spaces) {
        space.channel?.destroy();
        space.connection.destroy();
      }
    }
    if (relay) {
      try {
        // Every client gone: each room's file is rewritten as one record.
        const until = performance.now() + 30_000;
        let stats = await relay.request<RelayStats>('stats');
        while (stats.connections > 0 && performance.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          stats = await relay.request<RelayStats>('stats');
        }
        await relay.request('gc');
        result.relayAfterLeaving = sample(await relay.request<RelayStats>('stats'));
      } catch (err) {
        log(`sync: relay stats after leaving unavailable: ${(err as Error).message}`);
      }
      await relay.stop();
    }
    process.setMaxListeners(maxListeners);
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  const { values } = parseArgs({
    options: {
      coders: { type: 'string' },
      codings: { type: 'string' },
      batch: { type: 'string' },
      'pause-ms': { type: 'string' },
      baseline: { type: 'string', default: 'on' },
      json: { type: 'boolean' },
    },
  });
  const count = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) {
      console.error(`sync bench: --${name} must be a whole number, got "${value}"`);
      process.exit(2);
    }
    return Number(value);
  };
  if (values.baseline !== 'on' && values.baseline !== 'off') {
    console.error(`sync bench: --baseline must be "on" or "off", got "${values.baseline}"`);
    process.exit(2);
  }
  const result = await runSyncBench(
    {
      coders: count('coders', values.coders),
      codingsPerCoder: count('codings', values.codings),
      batch: count('batch', values.batch),
      pauseMs: count('pause-ms', values['pause-ms']),
      baseline: values.baseline === 'on',
    },
    (line) => console.error(line),
  );
  console.log(values.json ? JSON.stringify(result, null, 2) : renderSync(result));
  process.exitCode = result.problem || result.baseline?.problem ? 1 : 0;
}
