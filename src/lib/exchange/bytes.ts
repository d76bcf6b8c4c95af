/**
 * Exchange files on disk: plain UTF-8 JSON (`.codebench.json`) or the same
 * gzip-compressed (`.codebench.json.gz`, which any gunzip opens). A 100k-answer
 * project is ~150 MB of JSON and ~15–30 MB compressed.
 *
 * Decompression streams and stops at a cap, so a small crafted file that
 * inflates to gigabytes (a "zip bomb") is refused before it fills memory; the
 * size in a gzip trailer is only used to refuse early, never to allow. The
 * trailer's CRC-32 and length are checked after inflating, since fflate does
 * not: a flipped byte must not open as different text.
 */
import { Gunzip, gzipSync } from 'fflate';
import { Crc32 } from './crc32';
import { ExchangeError } from './exchange-error';

/**
 * Largest (uncompressed) file read. The whole text becomes one string for
 * JSON.parse, and Chromium's strings stop at 2^29 − 24 characters (~512 MiB);
 * UTF-8 never has fewer bytes than the string has characters, so a file under
 * this many bytes always fits, with room to spare.
 */
export const MAX_EXCHANGE_BYTES = 500 * 1024 * 1024;

/** What the user chose the file as, so a size message can name it. */
export type ExchangeKindName = 'project file' | 'coder file';

export interface ExchangeBytesOptions {
  /** Refuse files whose (decompressed) size exceeds this many bytes; MAX_EXCHANGE_BYTES by default. */
  maxBytes?: number;
  /** What the file was chosen as, for messages; "file" when unknown. */
  kind?: ExchangeKindName;
}

// Input is fed in steps because one step can inflate to ~1,000× its size before the cap is checked:
// 64 KiB bounds that overshoot to ~64 MB and was the fastest step measured (16 KiB–1 MiB).
const STEP = 64 * 1024;

/** Deflate cannot expand data more than ~1,032 times, so a trailer claiming more than that is not a size. */
const MAX_DEFLATE_RATIO = 1032;

const GZIP_MIN_LENGTH = 18; // 10-byte header, an empty deflate block, 8-byte trailer

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function megabytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.ceil(n / 1024).toLocaleString('en-US')} kB`;
  return `${Math.round(n / (1024 * 1024)).toLocaleString('en-US')} MB`;
}

function uint32At(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/**
 * The refusal for a file of `size` bytes (uncompressed), or null when it can be
 * opened. A pure function of the numbers, so the limit is tested without
 * allocating files of hundreds of megabytes. `atLeast` is for a size known only
 * to exceed something (decompression stopped at the cap).
 */
export function exchangeSizeProblem(
  size: number,
  options: { maxBytes?: number; kind?: ExchangeKindName; compressed?: boolean; atLeast?: boolean } = {},
): string | null {
  const max = options.maxBytes ?? MAX_EXCHANGE_BYTES;
  if (size <= max && !options.atLeast) return null;
  const what = options.kind ?? 'file';
  const whats = options.kind ? `${options.kind}s` : 'project and coder files';
  const amount = `${options.atLeast ? 'more than ' : ''}${megabytes(size)}${options.compressed ? ' once uncompressed' : ''}`;
  return `This ${what} is ${amount}; Codebench can open ${whats} up to ${megabytes(max)} (uncompressed), the most text a browser can read in one piece.`;
}

function tooLarge(size: number, options: ExchangeBytesOptions, extra: { compressed?: boolean; atLeast?: boolean }): ExchangeError {
  return new ExchangeError(exchangeSizeProblem(size, { ...options, ...extra }) ?? 'This file is too large to open.');
}

export const DAMAGED_GZIP_MESSAGE =
  'This file is damaged: its contents do not match the check gzip stores with them (CRC-32), so some bytes changed after it was written. Nothing was opened. Use another copy of the file, or ask for a fresh export.';

/** The text gzip-compressed, with no timestamp in the header so the same text always gives the same bytes. */
export function gzipExchange(text: string | Uint8Array): Uint8Array {
  return gzipSync(typeof text === 'string' ? new TextEncoder().encode(text) : text, { level: 6, mtime: 0 });
}

function gunzipChecked(bytes: Uint8Array, options: ExchangeBytesOptions): Uint8Array {
  const max = options.maxBytes ?? MAX_EXCHANGE_BYTES;
  // The trailer's length (mod 2^32) says early and honestly when a real file is too large; a claim no deflate
  // stream of this size could make is left to the cap and the checks below.
  if (bytes.length >= GZIP_MIN_LENGTH) {
    const declared = uint32At(bytes, bytes.length - 4);
    if (declared > max && declared <= bytes.length * MAX_DEFLATE_RATIO) throw tooLarge(declared, options, { compressed: true });
  }
  const chunks: Uint8Array[] = [];
  const crc = new Crc32();
  let total = 0;
  const stream = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > max) throw tooLarge(max, options, { compressed: true, atLeast: true });
    crc.update(chunk);
    chunks.push(chunk);
  });
  try {
    for (let at = 0; at < bytes.length; at += STEP) stream.push(bytes.subarray(at, at + STEP), at + STEP >= bytes.length);
  } catch (err) {
    if (err instanceof ExchangeError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new ExchangeError(`This compressed file is damaged or incomplete (${detail}).`);
  }
  // One gzip member, as Codebench and gzip write: its trailer is the file's last 8 bytes.
  if (bytes.length < GZIP_MIN_LENGTH || crc.value !== uint32At(bytes, bytes.length - 8) || total % 2 ** 32 !== uint32At(bytes, bytes.length - 4)) {
    throw new ExchangeError(DAMAGED_GZIP_MESSAGE);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** The bytes of an exchange file's JSON: gunzipped (and checked) when gzip, refused when too large or a .zip. */
export function exchangeData(bytes: Uint8Array, options: ExchangeBytesOptions = {}): Uint8Array {
  if (isZip(bytes)) {
    throw new ExchangeError('This is a .zip archive. Unzip it first, then open the .codebench.json file inside.');
  }
  if (isGzip(bytes)) return gunzipChecked(bytes, options);
  if (exchangeSizeProblem(bytes.length, options)) throw tooLarge(bytes.length, options, {});
  return bytes;
}

/** JSON bytes as text: strict UTF-8, without a byte-order mark. */
export function decodeExchange(data: Uint8Array): string {
  try {
    // TextDecoder drops a leading UTF-8 byte-order mark by default.
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch (err) {
    // The spec makes a decoding failure a TypeError; anything else is the engine's string length limit.
    if (err instanceof TypeError) throw new ExchangeError('This file is not UTF-8 text, so it is not a Codebench file.');
    throw new ExchangeError(`This file is too large for this browser to read (${megabytes(data.length)} of text).`);
  }
}

/** The JSON text of an exchange file's bytes: gunzipped when gzip, decoded as strict UTF-8, without a byte-order mark. */
export function exchangeText(bytes: Uint8Array, options: ExchangeBytesOptions = {}): string {
  return decodeExchange(exchangeData(bytes, options));
}
