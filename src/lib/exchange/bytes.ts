/**
 * Exchange files on disk: plain UTF-8 JSON (`.codebench.json`) or the same
 * gzip-compressed (`.codebench.json.gz`, which any gunzip opens). A 100k-answer
 * project is ~150 MB of JSON and ~15–30 MB compressed.
 *
 * Decompression streams and stops at a cap, so a small crafted file that
 * inflates to gigabytes (a "zip bomb") is refused before it fills memory; the
 * size in a gzip trailer is not trusted since anyone can write it.
 */
import { Gunzip, gzipSync } from 'fflate';
import { ExchangeError } from './exchange-error';

/** Largest decompressed file read: well above any real project, and about what one browser string can hold. */
export const MAX_EXCHANGE_BYTES = 1024 * 1024 * 1024;

export interface ExchangeBytesOptions {
  /** Refuse files whose (decompressed) size exceeds this many bytes; MAX_EXCHANGE_BYTES by default. */
  maxBytes?: number;
}

// Input is fed in steps because one step can inflate to ~1,000× its size before the cap is checked:
// 64 KiB bounds that overshoot to ~64 MB and was the fastest step measured (16 KiB–1 MiB).
const STEP = 64 * 1024;

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function megabytes(n: number): string {
  return `${Math.round(n / (1024 * 1024)).toLocaleString('en-US')} MB`;
}

function tooLarge(max: number): ExchangeError {
  return new ExchangeError(`This file is too large to open: it holds more than ${megabytes(max)} of data once uncompressed.`);
}

/** The text gzip-compressed, with no timestamp in the header so the same text always gives the same bytes. */
export function gzipExchange(text: string): Uint8Array {
  return gzipSync(new TextEncoder().encode(text), { level: 6, mtime: 0 });
}

function gunzipCapped(bytes: Uint8Array, max: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > max) throw tooLarge(max);
    chunks.push(chunk);
  });
  try {
    for (let at = 0; at < bytes.length; at += STEP) stream.push(bytes.subarray(at, at + STEP), at + STEP >= bytes.length);
  } catch (err) {
    if (err instanceof ExchangeError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new ExchangeError(`This compressed file is damaged or incomplete (${detail}).`);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** The JSON text of an exchange file's bytes: gunzipped when gzip, decoded as strict UTF-8, without a byte-order mark. */
export function exchangeText(bytes: Uint8Array, options: ExchangeBytesOptions = {}): string {
  const max = options.maxBytes ?? MAX_EXCHANGE_BYTES;
  if (isZip(bytes)) {
    throw new ExchangeError('This is a .zip archive. Unzip it first, then open the .codebench.json file inside.');
  }
  const data = isGzip(bytes) ? gunzipCapped(bytes, max) : bytes;
  if (data.length > max) throw tooLarge(max);
  try {
    // TextDecoder drops a leading UTF-8 byte-order mark by default.
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch (err) {
    // The spec makes a decoding failure a TypeError; anything else is the engine's string length limit.
    if (err instanceof TypeError) throw new ExchangeError('This file is not UTF-8 text, so it is not a Codebench file.');
    throw new ExchangeError(`This file is too large for this browser to read (${megabytes(data.length)} of text).`);
  }
}
