/**
 * Reading entries of an untrusted zip (a .qdpx, an .xlsx) without trusting it.
 *
 * - The central directory is parsed here (zip64 included) so every entry's
 *   name and declared sizes are checked before anything is inflated: names
 *   must stay inside the archive (no "..", no absolute or drive paths, no
 *   backslashes, no NUL), and the entries to be read must together declare at
 *   most `maxTotalBytes` and each at most `maxRatio` times its compressed size.
 * - Only the entries asked for are inflated, with fflate's streaming Inflate
 *   fed in small slices, counting what comes out: an entry that produces more
 *   than it declared (a lying header) or pushes the total past the cap is
 *   stopped at that point, not after it has filled memory.
 *
 * Every refusal is an UnsafeZipError naming the problem as data, so each kind
 * of file can tell its user what is wrong in its own words; nothing is
 * returned from a refused file.
 */
import { Inflate } from 'fflate';

/** What is wrong with an archive, as data for the caller's message. */
export type ZipProblem =
  | { kind: 'not-zip' }
  | { kind: 'too-many-entries'; count: number; maxEntries: number }
  | { kind: 'unsafe-name'; name: string; reason: string }
  | { kind: 'ratio'; name: string; compressedSize: number; size: number; maxRatio: number }
  | { kind: 'total'; maxTotalBytes: number }
  | { kind: 'over-budget'; name: string }
  | { kind: 'over-declared'; name: string; size: number }
  | { kind: 'encrypted'; name: string }
  | { kind: 'method'; name: string; method: number }
  | { kind: 'damaged'; name: string; why: string };

/** The problem's kinds that mean the archive would expand too far: a zip bomb, or damage that looks like one. */
export const BOMB_KINDS: ReadonlySet<ZipProblem['kind']> = new Set(['too-many-entries', 'ratio', 'total', 'over-budget', 'over-declared']);

/** The problem in words, for an archive of the kind named (".qdpx", "zip archive"). */
export function describeZipProblem(problem: ZipProblem, archive: string): string {
  const name = 'name' in problem ? JSON.stringify(problem.name) : '';
  switch (problem.kind) {
    case 'not-zip':
      return `This file is not a ${archive}: it is not a zip archive, or the archive is damaged.`;
    case 'too-many-entries':
      return `This ${archive} lists ${problem.count} files; Codebench reads at most ${problem.maxEntries}. It may be damaged or built to exhaust memory.`;
    case 'unsafe-name':
      return `This ${archive} is refused: the archive entry ${name} would be written outside the archive (${problem.reason}).`;
    case 'ratio':
      return `This ${archive} is refused: ${name} would expand from ${problem.compressedSize} to ${problem.size} bytes (more than ${problem.maxRatio} times), as a zip bomb does.`;
    case 'total':
      return `This ${archive} is refused: its files would expand to more than ${formatBytes(problem.maxTotalBytes)}, as a zip bomb does.`;
    case 'over-budget':
      return `This ${archive} is refused: its files would expand to more than the limit, as a zip bomb does.`;
    case 'over-declared':
      return `This ${archive} is refused: ${name} expands to more than the ${problem.size} bytes its header declares, as a zip bomb does.`;
    case 'encrypted':
      return `This ${archive} cannot be read: ${name} is encrypted.`;
    case 'method':
      return `This ${archive} cannot be read: ${name} uses compression method ${problem.method}; only stored and deflate are supported.`;
    case 'damaged':
      return `This ${archive} is damaged: ${name} ${problem.why}.`;
  }
}

export class UnsafeZipError extends Error {
  constructor(readonly problem: ZipProblem) {
    super(describeZipProblem(problem, 'zip archive'));
    this.name = 'UnsafeZipError';
  }
}

export interface ZipLimits {
  /** Most bytes all entries read may inflate to, together. */
  maxTotalBytes: number;
  /** Most bytes one entry may inflate to per compressed byte… */
  maxRatio: number;
  /** …once it is larger than this (small, very repetitive files are normal). */
  ratioFloorBytes: number;
  /** Most entries the archive may list. */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
  maxEntries: 250_000,
};

export interface ZipEntry {
  name: string;
  /** Compression method: 0 stored, 8 deflate. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the local header. */
  offset: number;
  encrypted: boolean;
  isDirectory: boolean;
}

const INFLATE_SLICE = 16 * 1024;

function u16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

function decodeName(bytes: Uint8Array, flaggedUtf8: boolean): string {
  if (flaggedUtf8) return new TextDecoder('utf-8').decode(bytes);
  try {
    return utf8.decode(bytes); // many tools write UTF-8 without setting the flag
  } catch {
    return latin1.decode(bytes);
  }
}

/**
 * Why an entry name (or a path inside the archive) would point outside the
 * archive, or null when it is safe. Shared with plainTextPath checks.
 */
export function unsafePathReason(path: string): string | null {
  if (path.includes('\u0000')) return 'it contains a NUL character';
  if (path.includes('\\')) return 'it contains a backslash';
  if (path.startsWith('/')) return 'it is an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'it starts with a drive letter';
  if (path.split('/').some((part) => part === '..')) return 'it contains ".."';
  return null;
}

/** The archive's entries from its central directory, each name checked. Throws UnsafeZipError. */
export function listZipEntries(data: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const notZip = () => new UnsafeZipError({ kind: 'not-zip' });
  if (data.length < 22) throw notZip();
  let eocd = -1;
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at--) {
    if (u32(data, at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd === -1) throw notZip();
  let count = u16(data, eocd + 10);
  let dirOffset = u32(data, eocd + 16);
  // zip64: the locator sits just before the end record and points at the zip64 end record.
  if (eocd >= 20 && u32(data, eocd - 20) === 0x07064b50) {
    const z = u64(data, eocd - 12);
    if (z + 56 > data.length || u32(data, z) !== 0x06064b50) throw notZip();
    count = u64(data, z + 32);
    dirOffset = u64(data, z + 48);
  }
  if (count > limits.maxEntries) {
    throw new UnsafeZipError({ kind: 'too-many-entries', count, maxEntries: limits.maxEntries });
  }
  const entries: ZipEntry[] = [];
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > data.length || u32(data, at) !== 0x02014b50) throw notZip();
    const flags = u16(data, at + 8);
    const method = u16(data, at + 10);
    let compressedSize = u32(data, at + 20);
    let size = u32(data, at + 24);
    const nameLength = u16(data, at + 28);
    const extraLength = u16(data, at + 30);
    const commentLength = u16(data, at + 32);
    let offset = u32(data, at + 42);
    const nameStart = at + 46;
    if (nameStart + nameLength + extraLength > data.length) throw notZip();
    const name = decodeName(data.subarray(nameStart, nameStart + nameLength), (flags & 0x800) !== 0);
    // zip64 extra field: present values are those whose 32-bit field is 0xFFFFFFFF, in this order.
    if (size === 0xffffffff || compressedSize === 0xffffffff || offset === 0xffffffff) {
      let e = nameStart + nameLength;
      const end = e + extraLength;
      while (e + 4 <= end) {
        const id = u16(data, e);
        const len = u16(data, e + 2);
        if (id === 0x0001) {
          let p = e + 4;
          if (size === 0xffffffff) {
            size = u64(data, p);
            p += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = u64(data, p);
            p += 8;
          }
          if (offset === 0xffffffff) offset = u64(data, p);
          break;
        }
        e += 4 + len;
      }
    }
    const reason = unsafePathReason(name);
    if (reason) throw new UnsafeZipError({ kind: 'unsafe-name', name, reason });
    entries.push({ name, method, compressedSize, size, offset, encrypted: (flags & 1) !== 0, isDirectory: name.endsWith('/') });
    at = nameStart + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Checks the declared sizes of the entries about to be read against the
 * limits, before inflating any of them. `alreadyRead` counts bytes inflated
 * earlier from the same archive.
 */
export function checkDeclaredSizes(entries: readonly ZipEntry[], limits: ZipLimits, alreadyRead = 0): void {
  let total = alreadyRead;
  for (const e of entries) {
    if (e.size > limits.ratioFloorBytes && e.size > e.compressedSize * limits.maxRatio) {
      throw new UnsafeZipError({ kind: 'ratio', name: e.name, compressedSize: e.compressedSize, size: e.size, maxRatio: limits.maxRatio });
    }
    total += e.size;
    if (total > limits.maxTotalBytes) {
      throw new UnsafeZipError({ kind: 'total', maxTotalBytes: limits.maxTotalBytes });
    }
  }
}

/**
 * Inflates one entry, stopping as soon as it produces more than it declared
 * or than `budget` bytes. Returns the bytes (exactly `entry.size` of them).
 */
export function readZipEntry(data: Uint8Array, entry: ZipEntry, budget: number): Uint8Array {
  // Chunks are kept as they come rather than in a buffer of the declared size, so a header
  // that declares a huge size for a tiny entry does not make us allocate it.
  const chunks: Uint8Array[] = [];
  const produced = inflateEntry(data, entry, budget, (chunk) => chunks.push(chunk));
  return joinChunks(chunks, produced);
}

/** The pieces an inflate produced, as one array (the piece itself when there is one). */
export function joinChunks(chunks: readonly Uint8Array[], length = chunks.reduce((n, c) => n + c.length, 0)): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let filled = 0;
  for (const chunk of chunks) {
    out.set(chunk, filled);
    filled += chunk.length;
  }
  return out;
}

/**
 * Inflates one entry piece by piece, handing each piece to `onChunk` and
 * keeping none, so an entry can be checked without holding it: it stops as
 * soon as the entry produces more than it declared or than `budget` bytes.
 * Returns how many bytes it produced (exactly `entry.size`).
 */
export function inflateEntry(data: Uint8Array, entry: ZipEntry, budget: number, onChunk: (chunk: Uint8Array) => void): number {
  const damaged = (why: string) => new UnsafeZipError({ kind: 'damaged', name: entry.name, why });
  if (entry.encrypted) throw new UnsafeZipError({ kind: 'encrypted', name: entry.name });
  if (entry.size > budget) throw new UnsafeZipError({ kind: 'over-budget', name: entry.name });
  const at = entry.offset;
  if (at + 30 > data.length || u32(data, at) !== 0x04034b50) throw damaged('has no valid local header');
  const start = at + 30 + u16(data, at + 26) + u16(data, at + 28);
  const end = start + entry.compressedSize;
  if (end > data.length) throw damaged('runs past the end of the archive');
  const compressed = data.subarray(start, end);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) throw damaged('has inconsistent sizes');
    onChunk(compressed.slice());
    return entry.size;
  }
  if (entry.method !== 8) throw new UnsafeZipError({ kind: 'method', name: entry.name, method: entry.method });
  let produced = 0;
  let finished = false;
  let refusedByCaller: unknown;
  const inflater = new Inflate((chunk, final) => {
    if (produced + chunk.length > entry.size) throw new UnsafeZipError({ kind: 'over-declared', name: entry.name, size: entry.size });
    try {
      onChunk(chunk);
    } catch (err) {
      refusedByCaller = err;
      throw err;
    }
    produced += chunk.length;
    if (final) finished = true;
  });
  try {
    for (let p = 0; p < compressed.length && !finished; p += INFLATE_SLICE) {
      const slice = compressed.subarray(p, Math.min(p + INFLATE_SLICE, compressed.length));
      inflater.push(slice, p + INFLATE_SLICE >= compressed.length);
    }
  } catch (err) {
    if (err instanceof UnsafeZipError || (refusedByCaller !== undefined && err === refusedByCaller)) throw err;
    throw damaged(`could not be decompressed (${err instanceof Error ? err.message : String(err)})`);
  }
  if (produced !== entry.size) throw damaged(`expands to ${produced} bytes, not the ${entry.size} its header declares`);
  return produced;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${+(n / (1024 * 1024 * 1024)).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
