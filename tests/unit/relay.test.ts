// @vitest-environment node
/**
 * The sync transport end to end on loopback: the real relay (relay/relay.mjs, in this process), `ws` as the
 * WebSocket of y-websocket's provider, and clients made of an inner doc + SealedChannel + connectSpace.
 */
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocketClass from 'ws';
import * as Y from 'yjs';
import { docs } from '@y/websocket-server/utils';
import { startRelay, type Relay } from '../../relay/relay.mjs';
import { createSealer, newTeamKey, type Sealer } from '../../src/lib/sync/crypto';
import { connectSpace, openPresence, sealPresence, type SpaceConnection } from '../../src/lib/sync/relay-connection';
import { SealedChannel, type SealedChannelOptions } from '../../src/lib/sync/sealed-channel';

// `ws` by its file: under Vitest every resolution uses the "browser" condition (the Svelte testing plugin), where `ws`
// is a stub that throws.
const require = createRequire(import.meta.url);
const WebSocket = require(join(dirname(require.resolve('ws/package.json')), 'index.js')) as typeof WebSocketClass;
const TEST_MS = 30_000;

interface Client {
  inner: Y.Doc;
  outer: Y.Doc;
  channel: SealedChannel;
  connection: SpaceConnection;
  errors: string[];
}

let relay: Relay;
let dir: string;
let clients: Client[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'codebench-relay-test-'));
  relay = await startRelay({ port: 0, dir });
  clients = [];
});

afterEach(async () => {
  for (const c of clients) {
    c.channel.destroy();
    c.connection.destroy();
  }
  await relay.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(sealer: Sealer, space: string, room: string, options: Partial<SealedChannelOptions> = {}, url = relay.url): Client {
  const inner = new Y.Doc();
  const outer = new Y.Doc();
  const errors: string[] = [];
  const channel = new SealedChannel({ sealer, space, inner, outer, batchMs: 5, onError: (message) => errors.push(message), ...options });
  const connection = connectSpace({ relayUrl: url, room, outer, WebSocketPolyfill: WebSocket, disableBc: true });
  const client = { inner, outer, channel, connection, errors };
  clients.push(client);
  return client;
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const codings = (c: Client) => c.inner.getMap<Record<string, unknown>>('codings');
const json = (c: Client) => JSON.stringify(c.inner.getMap('codings').toJSON(), Object.keys(c.inner.getMap('codings').toJSON()).sort());
const sameContent = (a: Client, b: Client) => json(a) === json(b) && codings(a).size === codings(b).size;

function code(c: Client, id: string, codeId = 'code-1') {
  codings(c).set(id, { answerId: `answer-${id}`, codeId, start: 0, end: 10, createdAt: 1_700_000_000_000 });
}

describe('relay and sealed channels', () => {
  it(
    'carry an update from one client to another',
    async () => {
      const sealer = await createSealer(newTeamKey());
      const room = await sealer.roomName('coder:ana');
      const a = connect(sealer, 'coder:ana', room);
      const b = connect(sealer, 'coder:ana', room);
      await Promise.all([a.connection.synced(), b.connection.synced()]);
      expect(a.connection.status).toBe('connected');
      code(a, 'c1');
      await until(() => codings(b).has('c1'), 'b to receive c1');
      code(b, 'c2', 'code-2');
      await until(() => codings(a).has('c2'), 'a to receive c2');
      expect(json(a)).toBe(json(b));
      expect(Y.encodeStateVector(a.inner)).toEqual(Y.encodeStateVector(b.inner));
      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'merge offline edits made on both sides',
    async () => {
      const sealer = await createSealer(newTeamKey());
      const room = await sealer.roomName('shared');
      const a = connect(sealer, 'shared', room);
      const b = connect(sealer, 'shared', room);
      await Promise.all([a.connection.synced(), b.connection.synced()]);
      code(a, 'before');
      await until(() => codings(b).has('before'), 'the first coding');

      a.connection.provider.disconnect();
      b.connection.provider.disconnect();
      expect(a.connection.status).toBe('disconnected');
      for (let i = 0; i < 20; i++) code(a, `a-${i}`);
      for (let i = 0; i < 20; i++) code(b, `b-${i}`);
      codings(a).delete('before');
      await Promise.all([a.channel.flush(), b.channel.flush()]);
      expect(codings(a).has('b-0')).toBe(false);

      a.connection.provider.connect();
      b.connection.provider.connect();
      await until(() => codings(a).size === 40 && sameContent(a, b), 'the offline edits to merge');
      expect(codings(b).has('before')).toBe(false);
    },
    TEST_MS,
  );

  it(
    'let a late joiner catch up from the relay, also after the relay restarts on the same directory',
    async () => {
      const sealer = await createSealer(newTeamKey());
      const room = await sealer.roomName('coder:bo');
      const a = connect(sealer, 'coder:bo', room);
      for (let i = 0; i < 50; i++) code(a, `c-${i}`);
      await a.connection.synced();
      await a.channel.flush();

      const late = connect(sealer, 'coder:bo', room);
      await late.connection.synced();
      await late.channel.flush();
      expect(codings(late).size).toBe(50);

      // Everyone gone, the relay stopped: the room lives on in its file.
      for (const c of clients) {
        c.channel.destroy();
        c.connection.destroy();
      }
      clients = [];
      const port = relay.port;
      await relay.close();
      expect(readdirSync(dir)).toEqual([`${room}.ylog`]);
      relay = await startRelay({ port, dir });

      const later = connect(sealer, 'coder:bo', room);
      await later.connection.synced();
      await later.channel.flush();
      expect(codings(later).size).toBe(50);
      expect(json(later)).toBe(json(a));
    },
    TEST_MS,
  );

  it(
    'reconnect a client across a relay restart, and what it wrote meanwhile arrives',
    async () => {
      const sealer = await createSealer(newTeamKey());
      const room = await sealer.roomName('shared');
      const a = connect(sealer, 'shared', room);
      const b = connect(sealer, 'shared', room);
      await Promise.all([a.connection.synced(), b.connection.synced()]);
      code(a, 'first');
      await until(() => codings(b).has('first'), 'the first coding');
      const port = relay.port;
      await relay.close();
      await until(() => a.connection.status !== 'connected', 'a to notice');
      code(a, 'while-down');
      relay = await startRelay({ port, dir });
      await until(() => codings(b).has('while-down'), 'the coding written while the relay was down', 20_000);
      expect(json(b)).toBe(json(a));
    },
    TEST_MS,
  );

  it(
    'store no plaintext: files and memory hold only ciphertext, in files named by room',
    async () => {
      const sealer = await createSealer(newTeamKey());
      const secrets = ['Zanzibar-answer-about-mentoring', 'Quokka-code-Confidence', 'Coder Xenophon Ravelstein', 'coder:xenophon'];
      const spaces = ['shared', 'coder:xenophon', 'answers'];
      const rooms = await Promise.all(spaces.map((s) => sealer.roomName(s)));
      const byRoom = spaces.map((space, i) => connect(sealer, space, rooms[i]));
      const [shared, coder, answers] = byRoom;
      shared.inner.getMap('coders').set('xenophon', { name: secrets[2], color: '#123456' });
      shared.inner.getMap('codes').set('code-confidence', { name: secrets[1] });
      answers.inner.getMap('answers').set('R1/Q1', secrets[0]);
      coder.inner.getMap('codings').set('k1', { answerId: 'R1/Q1', codeId: 'code-confidence', start: 0, end: 8, note: secrets[0] });
      coder.inner.getMap('memos').set('m1', `${secrets[2]} thinks ${secrets[1]}`);
      await Promise.all(byRoom.map((c) => c.connection.synced()));
      await Promise.all(byRoom.map((c) => c.channel.flush()));
      // Delivered through the relay: a fresh client of the coder's room sees the plaintext after opening.
      const reader = connect(sealer, 'coder:xenophon', rooms[1]);
      await reader.connection.synced();
      await reader.channel.flush();
      expect(reader.inner.getMap('memos').get('m1')).toContain(secrets[2]);

      const found = (bytes: Uint8Array) => secrets.filter((s) => Buffer.from(bytes).includes(Buffer.from(s, 'utf8')));
      // The check can see plaintext where there is some: the inner docs' updates hold every secret but the space name.
      expect(found(Y.mergeUpdates(byRoom.map((c) => Y.encodeStateAsUpdate(c.inner))))).toEqual(secrets.slice(0, 3));

      // In the relay's memory, while clients are connected.
      expect(docs.size).toBe(3);
      for (const doc of docs.values()) {
        expect(found(Y.encodeStateAsUpdate(doc))).toEqual([]);
        expect(found(Buffer.from(JSON.stringify(doc.getArray('sealed').toJSON())))).toEqual([]);
      }
      // Appended records while connected, then the rewritten files after everyone left and the relay stopped.
      const grepDir = () => {
        for (const name of readdirSync(dir)) expect(found(readFileSync(join(dir, name))), name).toEqual([]);
      };
      grepDir();
      for (const c of clients) {
        c.channel.destroy();
        c.connection.destroy();
      }
      clients = [];
      await relay.close();
      relay = await startRelay({ port: 0, dir });
      grepDir();
      const names = readdirSync(dir).sort();
      expect(names).toEqual(rooms.map((r) => `${r}.ylog`).sort());
      for (const name of names) {
        expect(name).toMatch(/^[0-9a-f]{64}\.ylog$/);
        for (const space of spaces) expect(name).not.toContain(Buffer.from(space).toString('hex'));
      }
    },
    TEST_MS,
  );

  it(
    'seal presence: the relay forwards only { sealed }, and only the team opens it',
    async () => {
      const sealer = await createSealer(newTeamKey());
      const state = await sealPresence(sealer, { name: 'Xenophon', questionId: 'Q3' });
      expect(Object.keys(state)).toEqual(['sealed']);
      expect(state.sealed).not.toContain('Xenophon');
      expect(await openPresence(sealer, state)).toEqual({ name: 'Xenophon', questionId: 'Q3' });
      expect(await openPresence(await createSealer(newTeamKey()), state)).toBeNull();
      expect(await openPresence(sealer, { name: 'plain' })).toBeNull();
      expect(await openPresence(sealer, null)).toBeNull();

      const room = await sealer.roomName('shared');
      const a = connect(sealer, 'shared', room);
      const b = connect(sealer, 'shared', room);
      await Promise.all([a.connection.synced(), b.connection.synced()]);
      a.connection.provider.awareness.setLocalState(state);
      const clientId = a.outer.clientID;
      await until(() => b.connection.provider.awareness.getStates().has(clientId), 'the presence to arrive');
      const seen = b.connection.provider.awareness.getStates().get(clientId);
      expect(seen).toEqual(state);
      expect(await openPresence(sealer, seen)).toEqual({ name: 'Xenophon', questionId: 'Q3' });
    },
    TEST_MS,
  );

  it(
    'give a client with the wrong key errors, not data, and let it run on',
    async () => {
      const sealer = await createSealer(newTeamKey());
      const room = await sealer.roomName('shared');
      const a = connect(sealer, 'shared', room);
      for (let i = 0; i < 10; i++) {
        code(a, `c-${i}`);
        await a.channel.flush();
      }
      await a.connection.synced();
      await a.channel.flush();

      const intruder = connect(await createSealer(newTeamKey()), 'shared', room, { compactAfter: 4 });
      await intruder.connection.synced();
      await intruder.channel.flush();
      expect(codings(intruder).size).toBe(0);
      expect(intruder.channel.stats().failures).toBe(10);
      expect(intruder.errors).toHaveLength(10);
      expect(intruder.errors[0]).toMatch(/could not be opened: the team key is not the one/);

      // What it writes reaches the others as entries they cannot open; their data is untouched, nothing lost.
      code(intruder, 'bogus');
      await until(() => a.errors.length > 0, 'a to report the entry it cannot open');
      expect(codings(a).size).toBe(10);
      expect(codings(a).has('bogus')).toBe(false);
      code(a, 'after');
      await a.channel.flush();
      await until(() => intruder.outer.getArray('sealed').length === 12, 'the intruder to receive the entry');
      await intruder.channel.flush();
      expect(codings(intruder).has('after')).toBe(false);
      // The intruder compacts only its own entries: a's ten are still there for the team.
      const late = connect(sealer, 'shared', room);
      await late.connection.synced();
      await late.channel.flush();
      expect(codings(late).size).toBe(11);
    },
    TEST_MS,
  );

  it(
    'compact: the outer array stays short and nothing is lost',
    async () => {
      const sealer = await createSealer(newTeamKey());
      const room = await sealer.roomName('coder:ana');
      const options = { compactAfter: 8, compactDelayMs: 50 };
      const a = connect(sealer, 'coder:ana', room, options);
      const b = connect(sealer, 'coder:ana', room, options);
      await Promise.all([a.connection.synced(), b.connection.synced()]);
      for (let i = 0; i < 60; i++) {
        code(a, `c-${i}`);
        await a.channel.flush();
        expect(a.outer.getArray('sealed').length).toBeLessThanOrEqual(9);
      }
      expect(a.channel.stats().compactions).toBeGreaterThanOrEqual(6);
      await until(() => codings(b).size === 60, 'b to have all 60');
      expect(json(b)).toBe(json(a));
      const late = connect(sealer, 'coder:ana', room, options);
      await late.connection.synced();
      await late.channel.flush();
      expect(json(late)).toBe(json(a));
      expect(late.outer.getArray('sealed').length).toBeLessThanOrEqual(9);
    },
    TEST_MS,
  );

  it(
    'compact safely when two clients compact the same entries at once',
    async () => {
      const sealer = await createSealer(newTeamKey());
      const room = await sealer.roomName('shared');
      const options = { compactAfter: 10, compactDelayMs: 10_000 };
      const a = connect(sealer, 'shared', room, options);
      const b = connect(sealer, 'shared', room, options);
      await Promise.all([a.connection.synced(), b.connection.synced()]);
      // A common history both have applied: 8 entries, below the limit.
      for (let i = 0; i < 8; i++) {
        code(i % 2 ? a : b, `common-${i}`);
        await (i % 2 ? a : b).channel.flush();
      }
      await until(() => codings(a).size === 8 && codings(b).size === 8, 'the common history');
      await until(() => b.outer.getArray('sealed').length === 8, 'b to have every entry');

      // Apart, both write past the limit: each compacts the shared entries (and its own) into its own snapshot.
      a.connection.provider.disconnect();
      b.connection.provider.disconnect();
      for (let i = 0; i < 6; i++) {
        code(a, `a-${i}`);
        await a.channel.flush();
        code(b, `b-${i}`);
        await b.channel.flush();
      }
      expect(a.channel.stats().compactions).toBeGreaterThanOrEqual(1);
      expect(b.channel.stats().compactions).toBeGreaterThanOrEqual(1);
      a.connection.provider.connect();
      b.connection.provider.connect();
      await until(() => codings(a).size === 20 && sameContent(a, b), 'both sides to merge');
      await until(() => a.outer.getArray('sealed').length === b.outer.getArray('sealed').length, 'the outer docs to agree');
      // Each compacted at its 11th entry, the 8 common ones included: both snapshots survive the merge with the 3
      // entries each wrote after it, and every common entry, deleted twice, lives on in both snapshots.
      expect(a.outer.getArray('sealed').length).toBe(8);
      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);

      // And at the same moment while connected: both pass the limit together and compact concurrently.
      await Promise.all(
        [a, b].map(async (c, n) => {
          for (let i = 0; i < 30; i++) {
            code(c, `live-${n}-${i}`);
            await c.channel.flush();
          }
        }),
      );
      await until(() => codings(a).size === 80 && sameContent(a, b), 'the concurrent writes to converge');
      const late = connect(sealer, 'shared', room);
      await late.connection.synced();
      await late.channel.flush();
      expect(codings(late).size).toBe(80);
      expect(json(late)).toBe(json(a));
      expect(late.outer.getArray('sealed').length).toBeLessThanOrEqual(12);
    },
    TEST_MS,
  );

  it(
    'keep each room in one file: appended, rewritten when long, read back after a crash cut the last record short',
    async () => {
      await relay.close();
      const logged: string[] = [];
      relay = await startRelay({ port: 0, dir, compactAfter: 10, log: (line) => logged.push(line) });
      const sealer = await createSealer(newTeamKey());
      const room = await sealer.roomName('coder:ana');
      const file = join(dir, `${room}.ylog`);
      const records = () => {
        const bytes = readFileSync(file);
        let n = 0;
        for (let at = 0; at + 4 <= bytes.length; n++) at += 4 + bytes.readUInt32BE(at);
        return n;
      };
      const a = connect(sealer, 'coder:ana', room);
      await a.connection.synced();
      const seen = new Set<number>();
      for (let i = 0; i < 25; i++) {
        const received = relay.stats().bytesIn;
        code(a, `c-${i}`);
        await a.channel.flush();
        // The relay appends an update as it handles the message.
        await until(() => relay.stats().bytesIn > received, 'the relay to receive the update');
        seen.add(records());
        expect(records()).toBeLessThan(10);
      }
      // It grew record by record and was rewritten as one at the limit.
      expect([...seen].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      a.channel.destroy();
      a.connection.destroy();
      clients = [];
      await until(() => relay.stats().connections === 0, 'the client to leave');
      expect(records()).toBe(1);

      // A crash in the middle of an append: a length with only part of its record.
      appendFileSync(file, Buffer.from([0, 0, 1, 0, 42, 42]));
      const b = connect(sealer, 'coder:ana', room);
      await b.connection.synced();
      await b.channel.flush();
      expect(codings(b).size).toBe(25);
      expect(logged.some((line) => line.includes('cut short'))).toBe(true);
      expect(records()).toBe(1);
      expect(readdirSync(dir)).toEqual([`${room}.ylog`]);
    },
    TEST_MS,
  );

  it(
    'refuse a room name that is not 64 hex characters',
    async () => {
      const logged: string[] = [];
      await relay.close();
      relay = await startRelay({ port: 0, dir, log: (line) => logged.push(line) });
      for (const path of ['/shared', '/..%2F..%2Fetc%2Fpasswd', `/${'A'.repeat(64)}`, `/${'a'.repeat(63)}`, '/']) {
        const socket = new WebSocket(relay.url + path);
        const closed = await new Promise<{ code: number; reason: string }>((resolve, reject) => {
          socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
          socket.on('error', reject);
        });
        expect(closed.code, path).toBe(4400);
        expect(closed.reason).toMatch(/not a Codebench room/);
      }
      expect(logged).toHaveLength(5);
      expect(readdirSync(dir)).toEqual([]);
      expect(docs.size).toBe(0);

      // The provider takes the refusal as final: synced() says so, and it stops retrying.
      const sealer = await createSealer(newTeamKey());
      const refused = connect(sealer, 'shared', 'not-a-room');
      await expect(refused.connection.synced()).rejects.toThrow(/refused the connection \(4400: not a Codebench room/);
      expect(refused.connection.provider.shouldConnect).toBe(false);
    },
    TEST_MS,
  );
});
