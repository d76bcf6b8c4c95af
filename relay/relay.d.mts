// Types for relay.mjs (plain JavaScript, run by Node without a build step), for the TypeScript that imports it:
// the relay test and the sync bench. Kept in step with the JSDoc in relay.mjs.

export interface RelayOptions {
  /** TCP port; 0 lets the OS pick (the returned port says which). 4455 by default. */
  port?: number;
  /** Interface to listen on. 127.0.0.1 by default; 0.0.0.0 for other machines. */
  host?: string;
  /** Where rooms are kept. ./relay-data by default. */
  dir?: string;
  /** Where the relay reports (refused rooms, damaged files). Silent by default. */
  log?: (line: string) => void;
  /** Records in a room's file before it is rewritten as one. 500 by default. */
  compactAfter?: number;
  /** Largest WebSocket message accepted. 512 MiB by default. */
  maxMessageBytes?: number;
}

export interface RelayStats {
  /** Rooms loaded (with at least one client). */
  rooms: number;
  /** Open WebSocket connections. */
  connections: number;
  /** WebSocket message bytes received since start. */
  bytesIn: number;
  /** WebSocket message bytes sent since start. */
  bytesOut: number;
  /** Bytes of the room files in dir. */
  storedBytes: number;
  /** Room files in dir. */
  roomFiles: number;
  memory: NodeJS.MemoryUsage;
}

export interface Relay {
  port: number;
  /** The address to give the app, e.g. ws://127.0.0.1:4455. */
  url: string;
  /** Absolute path of the rooms' directory. */
  dir: string;
  /** Disconnects every client, writes every room, stops listening. */
  close(): Promise<void>;
  stats(): RelayStats;
}

export function startRelay(options?: RelayOptions): Promise<Relay>;
