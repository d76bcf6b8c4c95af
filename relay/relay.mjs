#!/usr/bin/env node
/**
 * Codebench's sync relay (issue 17): the stock y-websocket server for the team's outer documents, with rooms kept
 * in plain files. It relays and stores only what clients send it: sealed (AES-GCM) Yjs updates in rooms named by
 * an HMAC of the space. It has no keys, cannot read a coding, an answer or a name, and needs no database.
 *
 *   npm install && npm run relay -- --port 4455 [--host 0.0.0.0] [--dir ./relay-data]
 *
 * Files: one `<room>.ylog` per room in --dir, a sequence of [4-byte big-endian length][Yjs update] records. Every
 * update is appended as it arrives; when a room's file holds many records, or its last client leaves, the file is
 * rewritten as one record (the room's whole state), through a temporary file and a rename, so a crash leaves either
 * the old file or the new one, never half of one. A record cut short by a crash mid-append is ignored on reading.
 * File operations are synchronous on purpose: the relay is one thread, so a room's file is never read while it is
 * being rewritten, and a room is loaded before its first client is answered (y-websocket's sync step 2 then
 * already holds everything, which is what "synced" means to a client).
 *
 * One relay per process: @y/websocket-server keeps its rooms and persistence in module state.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { docs, setPersistence, setupWSConnection } from '@y/websocket-server/utils';

// `ws` loaded by its file, not by its package name: the relay test runs the relay inside Vitest, where every
// resolution (Node's own too) uses the "browser" condition, under which `ws` is a stub that throws.
const require = createRequire(import.meta.url);
/** @type {typeof import('ws').WebSocketServer} */
const WebSocketServer = require(join(dirname(require.resolve('ws/package.json')), 'index.js')).WebSocketServer;

/** What Sealer.roomName produces: hex of an HMAC-SHA-256. Nothing else is a room, so no path can leave --dir. */
const ROOM_NAME = /^[0-9a-f]{64}$/;
/** Close code for a refused room: y-websocket clients do not retry 4400-4499 (a permanent refusal). */
const CLOSE_BAD_ROOM = 4400;
const FILE_SUFFIX = '.ylog';
/** Records appended to a room's file before it is rewritten as one. */
const DEFAULT_COMPACT_AFTER = 500;
/**
 * y-websocket sends a whole room in one message when a client catches up, both ways: a client that shared a
 * project's answers while offline sends them all at once on connecting. ws's default limit (100 MiB) would close
 * such a connection again on every retry, so the relay accepts more; the room is held in memory anyway.
 */
const DEFAULT_MAX_MESSAGE_BYTES = 512 * 1024 * 1024;
/** Marks updates read from a file, which must not be appended to it again. */
const FROM_FILE = Symbol('relay file');

/**
 * @typedef {object} RelayOptions
 * @property {number} [port] TCP port; 0 lets the OS pick (the returned port says which). 4455 by default.
 * @property {string} [host] Interface to listen on. 127.0.0.1 by default; 0.0.0.0 for other machines.
 * @property {string} [dir] Where rooms are kept. ./relay-data by default.
 * @property {(line: string) => void} [log] Where the relay reports (refused rooms, damaged files). Silent by default.
 * @property {number} [compactAfter] Records in a room's file before it is rewritten as one. 500 by default.
 * @property {number} [maxMessageBytes] Largest WebSocket message accepted. 512 MiB by default.
 */

/**
 * @typedef {object} RelayStats
 * @property {number} rooms Rooms loaded (with at least one client).
 * @property {number} connections Open WebSocket connections.
 * @property {number} bytesIn WebSocket message bytes received since start.
 * @property {number} bytesOut WebSocket message bytes sent since start.
 * @property {number} storedBytes Bytes of the room files in dir.
 * @property {number} roomFiles Room files in dir.
 * @property {NodeJS.MemoryUsage} memory process.memoryUsage() now.
 */

/**
 * @typedef {object} Relay
 * @property {number} port
 * @property {string} url The address to give the app, e.g. ws://127.0.0.1:4455.
 * @property {string} dir Absolute path of the rooms' directory.
 * @property {() => Promise<void>} close Disconnects every client, writes every room, stops listening.
 * @property {() => RelayStats} stats
 */

let running = false;

/**
 * @param {Uint8Array} bytes
 * @returns {{ updates: Uint8Array[], truncated: boolean }}
 */
function readRecords(bytes) {
  const updates = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at + 4 <= bytes.length) {
    const length = view.getUint32(at);
    if (at + 4 + length > bytes.length) break;
    updates.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return { updates, truncated: at !== bytes.length };
}

/** @param {Uint8Array} update */
function record(update) {
  const out = new Uint8Array(4 + update.length);
  new DataView(out.buffer).setUint32(0, update.length);
  out.set(update, 4);
  return out;
}

/**
 * One room's file while the room is loaded.
 */
class RoomFile {
  /**
   * @param {string} path
   * @param {number} compactAfter
   * @param {(line: string) => void} log
   */
  constructor(path, compactAfter, log) {
    this.path = path;
    this.compactAfter = compactAfter;
    this.log = log;
    /** Opened on the first append, so a room nobody writes to leaves no file. @type {number | null} */
    this.fd = null;
    this.records = 0;
    this.truncated = false;
    this.closed = false;
  }

  /**
   * Applies what the file holds to doc, then appends every later update of doc to it.
   * @param {Y.Doc} doc
   */
  bind(doc) {
    if (existsSync(this.path)) {
      const { updates, truncated } = readRecords(readFileSync(this.path));
      if (truncated) this.log(`${this.path}: the last record was cut short (a crash while writing?); it is left out`);
      this.truncated = truncated;
      doc.transact(() => {
        for (const update of updates) {
          try {
            Y.applyUpdate(doc, update, FROM_FILE);
          } catch (err) {
            this.log(`${this.path}: a record could not be applied (${/** @type {Error} */ (err).message}); it is left out`);
          }
        }
      }, FROM_FILE);
      this.records = updates.length;
    }
    // Rewritten at once if it came in many pieces or a cut-short tail must go.
    if (this.records >= this.compactAfter || this.truncated) this.rewrite(doc);
    // Appends are not flushed to disk one by one: an update lost in a power cut is sent again by the client that
    // wrote it, since Yjs's sync on reconnecting sends whatever the relay lacks.
    doc.on('update', (/** @type {Uint8Array} */ update, /** @type {unknown} */ origin) => {
      if (origin === FROM_FILE || this.closed) return;
      this.fd ??= openSync(this.path, 'a');
      writeSync(this.fd, record(update));
      if (++this.records >= this.compactAfter) this.rewrite(doc);
    });
  }

  /**
   * The file replaced by one record of doc's whole state: written to a temporary file, flushed to disk, renamed.
   * @param {Y.Doc} doc
   */
  rewrite(doc) {
    const temp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, record(Y.encodeStateAsUpdate(doc)));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    renameSync(temp, this.path);
    this.records = 1;
    this.truncated = false;
  }

  close() {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.closed = true;
  }
}

/**
 * Starts the relay. Resolves once it listens.
 * @param {RelayOptions} [options]
 * @returns {Promise<Relay>}
 */
export async function startRelay({
  port = 4455,
  host = '127.0.0.1',
  dir = './relay-data',
  log = () => {},
  compactAfter = DEFAULT_COMPACT_AFTER,
  maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES,
} = {}) {
  if (running) throw new Error('A relay is already running in this process (@y/websocket-server keeps its rooms per process).');
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  // A rewrite cut short by a crash leaves its temporary file; the room's file itself is whole.
  for (const name of readdirSync(root)) if (/\.ylog\.\d+\.tmp$/.test(name)) unlinkSync(join(root, name));
  /** @type {Map<string, RoomFile>} */
  const files = new Map();
  let bytesIn = 0;
  let bytesOut = 0;

  setPersistence({
    provider: null,
    bindState: (room, doc) => {
      const file = new RoomFile(join(root, room + FILE_SUFFIX), compactAfter, log);
      files.set(room, file);
      file.bind(doc);
    },
    // The last client left: the room is written as one record and unloaded (by @y/websocket-server, after this).
    writeState: async (room, doc) => {
      const file = files.get(room);
      if (!file) return;
      files.delete(room);
      try {
        if (file.records > 1) file.rewrite(doc);
      } finally {
        file.close();
      }
    },
  });

  const server = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end('Codebench relay: connect the app to this address with ws:// (or wss:// behind TLS).\n');
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  server.on('upgrade', (request, socket, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  wss.on('connection', (ws, request) => {
    ws.on('message', (/** @type {Buffer | ArrayBuffer | Buffer[]} */ data) => {
      bytesIn += Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    });
    const send = ws.send.bind(ws);
    /** @type {typeof ws.send} */
    const counted = (/** @type {any} */ data, /** @type {any} */ ...rest) => {
      bytesOut += data?.byteLength ?? data?.length ?? 0;
      return send(data, ...rest);
    };
    ws.send = counted;
    // The room is the path's last segment, so the relay also works behind a proxy that serves it under a path.
    const path = new URL(request.url ?? '/', 'http://relay').pathname;
    const room = path.slice(path.lastIndexOf('/') + 1);
    if (!ROOM_NAME.test(room)) {
      log(`refused a connection to "${path.slice(0, 80)}": not a room name`);
      ws.close(CLOSE_BAD_ROOM, 'not a Codebench room (64 hex characters)');
      return;
    }
    setupWSConnection(ws, request, { docName: room });
  });

  running = true;
  try {
    await new Promise((done, fail) => {
      server.once('error', fail);
      server.listen(port, host, () => {
        server.off('error', fail);
        done(undefined);
      });
    });
  } catch (err) {
    setPersistence(null);
    running = false;
    throw err;
  }
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  let closed = false;

  return {
    port: boundPort,
    url: `ws://${urlHost}:${boundPort}`,
    dir: root,
    stats() {
      let storedBytes = 0;
      let roomFiles = 0;
      for (const name of readdirSync(root)) {
        if (!name.endsWith(FILE_SUFFIX)) continue;
        roomFiles++;
        try {
          storedBytes += statSync(join(root, name)).size;
        } catch {
          // Renamed away between the listing and the stat.
        }
      }
      return { rooms: docs.size, connections: wss.clients.size, bytesIn, bytesOut, storedBytes, roomFiles, memory: process.memoryUsage() };
    },
    async close() {
      if (closed) return;
      closed = true;
      // terminate() closes at once (no closing handshake to wait for); each close runs writeState for its room.
      for (const ws of wss.clients) ws.terminate();
      await new Promise((done) => setImmediate(done));
      // Rooms whose sockets have not reported their close yet are written here.
      for (const [room, doc] of docs) {
        const file = files.get(room);
        if (file) {
          files.delete(room);
          if (file.records > 1) file.rewrite(doc);
          file.close();
        }
        docs.delete(room);
        doc.destroy();
      }
      await new Promise((done) => wss.close(() => done(undefined)));
      server.closeAllConnections();
      await new Promise((done) => server.close(() => done(undefined)));
      setPersistence(null);
      running = false;
    },
  };
}

const USAGE = `Codebench relay: forwards and stores the team's encrypted sync data.

  npm run relay -- [--port 4455] [--host 127.0.0.1] [--dir ./relay-data]

  --port  TCP port (0: any free port). Default 4455.
  --host  Interface to listen on. Default 127.0.0.1 (this machine only); 0.0.0.0 to accept other machines.
          Put it behind a TLS proxy (wss://) when coders connect over the internet.
  --dir   Where rooms are kept (one file per room). Default ./relay-data.
  --max-message-mb  Largest message accepted, in MiB. Default 512 (a project's answers can arrive in one).
  --help  This text.`;

async function main() {
  /** @type {{ values: { port?: string, host?: string, dir?: string, 'max-message-mb'?: string, help?: boolean } }} */
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        dir: { type: 'string' },
        'max-message-mb': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (err) {
    console.error(`relay: ${/** @type {Error} */ (err).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? 4455 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`relay: --port must be a whole number from 0 to 65535, got "${values.port}"\n\n${USAGE}`);
    process.exit(2);
  }
  const maxMessageMb = values['max-message-mb'] === undefined ? 512 : Number(values['max-message-mb']);
  if (!Number.isInteger(maxMessageMb) || maxMessageMb < 1) {
    console.error(`relay: --max-message-mb must be a whole number of MiB, at least 1, got "${values['max-message-mb']}"\n\n${USAGE}`);
    process.exit(2);
  }
  const relay = await startRelay({
    maxMessageBytes: maxMessageMb * 1024 * 1024,
    port,
    host: values.host ?? '127.0.0.1',
    dir: values.dir ?? './relay-data',
    log: (line) => console.error(`[relay] ${line}`),
  });
  console.log(`Codebench relay listening on port ${relay.port}
  Address for the app (Team sync → Relay address): ${relay.url}${values.host === '0.0.0.0' || values.host === '::' ? ' (or this machine’s name or IP instead of 127.0.0.1)' : ''}
  Rooms are kept in ${relay.dir} (encrypted; the relay has no key). Stop with Ctrl+C.`);

  // Started by the bench with an IPC channel: it asks for stats (the relay's own memory) and tells it to stop.
  if (process.send) {
    process.send({ type: 'ready', port: relay.port, url: relay.url });
    process.on('message', (/** @type {any} */ message) => {
      if (message?.type === 'stats') process.send?.({ type: 'stats', stats: relay.stats() });
      if (message?.type === 'gc' && typeof globalThis.gc === 'function') {
        globalThis.gc();
        process.send?.({ type: 'gc' });
      }
      if (message?.type === 'close') void relay.close().then(() => process.exit(0));
    });
    process.on('disconnect', () => void relay.close().then(() => process.exit(0)));
  }
  let stopping = false;
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      void relay.close().then(() => process.exit(0));
    });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`relay: ${err?.stack ?? err}`);
    process.exit(1);
  });
}
