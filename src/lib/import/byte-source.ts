/**
 * A file's bytes as the import reads them: its first bytes for sniffing, then
 * the rest streamed in pieces, never as one whole array (a 370 MB CSV would
 * otherwise sit in memory twice: as bytes and as the cells parsed from them).
 * A `Blob` (a `File` in the worker) streams through `Blob.stream()` and can be
 * read again from the start (the Windows-1252 retry, the NUL count); a
 * `Uint8Array` (tests, the bundled sample) is cut into pieces.
 */

import { createChunkDecoder } from './decode';
import type { AsyncByteSource, AsyncChunkSource } from './read-delimited';
import type { SourceEncoding } from './types';

export type SourceInput = Uint8Array | Blob;

export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from the start. */
  head(length: number): Promise<Uint8Array>;
  /** Every byte from `start`, in pieces of whatever size the source gives. */
  pieces(start?: number): AsyncGenerator<Uint8Array>;
  /** Every byte at once: only for formats that need it (XLSX, a zip). */
  whole(): Promise<Uint8Array>;
}

/** Pieces a Uint8Array is cut into; a Blob's stream chooses its own (64 KB in Chromium). */
const ARRAY_PIECE_BYTES = 1024 * 1024;

export function byteSource(input: SourceInput, pieceBytes = ARRAY_PIECE_BYTES): ByteSource {
  // Not instanceof: test environments (jsdom) can hand over a Uint8Array from another realm.
  if (ArrayBuffer.isView(input)) {
    return {
      size: input.length,
      head: async (length) => input.subarray(0, length),
      async *pieces(start = 0) {
        for (let at = start; at < input.length; at += pieceBytes) yield input.subarray(at, Math.min(input.length, at + pieceBytes));
      },
      whole: async () => input,
    };
  }
  return {
    size: input.size,
    head: async (length) => new Uint8Array(await input.slice(0, length).arrayBuffer()),
    async *pieces(start = 0) {
      const reader = (start === 0 ? input : input.slice(start)).stream().getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          if (value.length > 0) yield value;
        }
      } finally {
        // Stops the stream when the caller stops early (cancel, an error in the file).
        reader.cancel().catch(() => {});
      }
    },
    whole: async () => new Uint8Array(await input.arrayBuffer()),
  };
}

/** Decoded text arrives in pieces of at least this many characters (fewer at the end), so each parse step is worth its overhead. */
const TEXT_PIECE_CHARS = 1024 * 1024;

/**
 * Decodes a byte source as it streams, from `start` (just past the BOM).
 * With 'utf-8' invalid bytes throw NotUtf8Error from next(). `onBytes` sees
 * every raw piece before it is decoded (the NUL check).
 */
export function decodedSource(
  bytes: ByteSource,
  encoding: SourceEncoding,
  start: number,
  onBytes?: (piece: Uint8Array, offset: number) => void,
  pieceChars = TEXT_PIECE_CHARS,
): AsyncChunkSource {
  const decoder = createChunkDecoder(encoding);
  const pieces = bytes.pieces(start);
  let done = start;
  let finished = false;
  return {
    async next() {
      if (finished) return null;
      const parts: string[] = [];
      let chars = 0;
      while (chars < pieceChars) {
        const step = await pieces.next();
        if (step.done) {
          finished = true;
          const tail = decoder.decode(new Uint8Array(0), true);
          if (tail) parts.push(tail);
          break;
        }
        onBytes?.(step.value, done);
        done += step.value.length;
        const text = decoder.decode(step.value, false);
        chars += text.length;
        parts.push(text);
      }
      if (finished && parts.length === 0) return null;
      return parts.length === 1 ? parts[0] : parts.join('');
    },
    get done() {
      return done;
    },
    get total() {
      return bytes.size;
    },
    async close() {
      finished = true;
      await pieces.return(undefined);
    },
  };
}

/** Bytes handed to the byte parser at a time, so each parse step is worth its overhead (the parser joins them once). */
const BYTE_PIECE_BYTES = 1024 * 1024;

/**
 * A byte source's pieces from `start` (just past the BOM), grouped into about
 * `pieceBytes` at a time for {@link readDelimitedBytes}; nothing is decoded.
 * `onBytes` sees every raw piece first (the NUL check).
 */
export function groupedSource(
  bytes: ByteSource,
  start: number,
  onBytes?: (piece: Uint8Array, offset: number) => void,
  pieceBytes = BYTE_PIECE_BYTES,
): AsyncByteSource {
  const pieces = bytes.pieces(start);
  let done = start;
  let finished = false;
  return {
    async next() {
      if (finished) return null;
      const group: Uint8Array[] = [];
      let size = 0;
      while (size < pieceBytes) {
        const step = await pieces.next();
        if (step.done) {
          finished = true;
          break;
        }
        onBytes?.(step.value, done);
        done += step.value.length;
        size += step.value.length;
        group.push(step.value);
      }
      return finished && group.length === 0 ? null : group;
    },
    get done() {
      return done;
    },
    get total() {
      return bytes.size;
    },
    async close() {
      finished = true;
      await pieces.return(undefined);
    },
  };
}

/**
 * The NUL bytes of a streamed 8-bit text file, as {@link findNulBytes} counts
 * them: how many, where the first is, and its line. Null when there are none.
 */
export async function findNulBytesStreaming(bytes: ByteSource): Promise<{ count: number; offset: number; line: number } | null> {
  let offset = -1;
  let count = 0;
  let line = 1;
  let at = 0;
  for await (const piece of bytes.pieces(0)) {
    let nul = piece.indexOf(0);
    if (offset < 0) {
      const end = nul < 0 ? piece.length : nul;
      for (let lf = piece.indexOf(0x0a); lf >= 0 && lf < end; lf = piece.indexOf(0x0a, lf + 1)) line++;
      if (nul >= 0) offset = at + nul;
    }
    for (; nul >= 0; nul = piece.indexOf(0, nul + 1)) count++;
    at += piece.length;
  }
  return offset < 0 ? null : { count, offset, line };
}
