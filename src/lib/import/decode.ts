/**
 * Telling what kind of file the user gave us, and turning text files into strings.
 *
 * Survey exports arrive as UTF-8 (with or without BOM), as UTF-16 ("Unicode text"
 * from Excel) or as Windows-1252 (Excel "CSV" on Western Windows). Everything
 * here works on bytes only, so it runs in a Web Worker and in Node tests.
 */

import type { SourceEncoding } from './types';

/** What {@link sniffFile} found: decides which reader the import uses. */
export type FileKind = 'empty' | 'xlsx' | 'xls' | 'gzip' | 'pdf' | 'text' | 'binary';

/** How many leading bytes the binary check looks at. */
const SNIFF_BYTES = 8 * 1024;

/**
 * Share of control characters (other than tab, newline, carriage return, form
 * feed) above which a file is treated as binary. Real text has practically none;
 * a few stray ones in a long answer should not block an import.
 */
const MAX_CONTROL_SHARE = 0.05;

/**
 * Guesses the kind of file from its first bytes; never trusts the file name.
 *
 * - `xlsx`: a ZIP archive (`PK\x03\x04`, or an empty ZIP `PK\x05\x06`). Callers
 *   should treat it as a workbook only tentatively: any ZIP matches, and the XLSX
 *   reader is what reports "not a workbook".
 * - `xls`: an OLE compound file (`D0 CF 11 E0`): the old binary Excel format, or
 *   a password-protected .xlsx (Excel wraps encrypted workbooks the same way).
 * - `empty`: no bytes, or only a byte order mark and whitespace.
 * - `gzip`, `pdf`: by their magic bytes, so the message can name them.
 * - `binary`: many control characters (NUL aside) in the first 8 KB.
 * - `text`: anything else, including text with a few NUL bytes, which
 *   readSource names with where they are ({@link findNulBytes}).
 */
export function sniffFile(bytes: Uint8Array): FileKind {
  if (bytes.length === 0) return 'empty';
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    if ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06)) return 'xlsx';
  }
  if (bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    return 'xls';
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes.length >= 5 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46 && bytes[4] === 0x2d) return 'pdf';

  const { encoding, bomLength } = detectTextEncoding(bytes);
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    if (isBlankUtf16(bytes, bomLength, encoding === 'utf-16le')) return 'empty';
    // Decode a sample and look at the characters rather than the bytes: UTF-16
    // is full of NUL bytes by design.
    const end = Math.min(bytes.length, bomLength + SNIFF_BYTES) & ~1;
    const sample = decodeUtf16(bytes.subarray(bomLength, Math.max(bomLength, end)), encoding === 'utf-16le');
    let controls = 0;
    for (let i = 0; i < sample.length; i++) {
      if (isControlCode(sample.charCodeAt(i))) controls++;
    }
    return sample.length > 0 && controls / sample.length > MAX_CONTROL_SHARE ? 'binary' : 'text';
  }

  if (isBlank8Bit(bytes, bomLength)) return 'empty';
  const end = Math.min(bytes.length, SNIFF_BYTES);
  let controls = 0;
  for (let i = bomLength; i < end; i++) {
    const b = bytes[i];
    // NULs are left out: binary files have plenty of other control bytes besides, while text with NULs (padded
    // or damaged by the program that saved it) has none, and readSource names where its NULs are.
    if (b !== 0 && isControlCode(b)) controls++;
  }
  return controls / Math.max(1, end - bomLength) > MAX_CONTROL_SHARE ? 'binary' : 'text';
}

/**
 * The NUL bytes of an 8-bit text file: how many, and where the first is (byte
 * offset from the start of the file, and its line, 1-based). Null when there are none.
 */
export function findNulBytes(bytes: Uint8Array): { count: number; offset: number; line: number } | null {
  const offset = bytes.indexOf(0);
  if (offset < 0) return null;
  let count = 0;
  for (let at = offset; at >= 0; at = bytes.indexOf(0, at + 1)) count++;
  let line = 1;
  for (let at = bytes.indexOf(0x0a); at >= 0 && at < offset; at = bytes.indexOf(0x0a, at + 1)) line++;
  return { count, offset, line };
}

/** How many leading bytes the UTF-16 guess looks at (an even number). */
const GUESS_BYTES = 4 * 1024;

/**
 * UTF-16 without a byte-order mark, from the pattern of its NUL bytes: text
 * in Latin scripts has a zero high byte in nearly every pair, so NULs sit in
 * the odd positions (little-endian) or the even ones (big-endian), and almost
 * never in the other. Null when the bytes do not show that pattern.
 */
export function guessUtf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const end = Math.min(bytes.length, GUESS_BYTES) & ~1;
  const pairs = end / 2;
  if (pairs < 2) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < end; i += 2) {
    if (bytes[i] === 0 && bytes[i + 1] !== 0) zeroEven++;
    else if (bytes[i + 1] === 0 && bytes[i] !== 0) zeroOdd++;
  }
  if (zeroOdd >= pairs * 0.5 && zeroEven <= pairs * 0.05) return 'utf-16le';
  if (zeroEven >= pairs * 0.5 && zeroOdd <= pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * The encoding of a text file: the one its byte-order mark declares, else
 * UTF-16 recognised without a mark (`bomless`), else null (UTF-8 or Windows-1252,
 * told apart while decoding).
 */
export function detectTextEncoding(bytes: Uint8Array): { encoding: SourceEncoding | null; bomLength: number; bomless: boolean } {
  const declared = detectEncoding(bytes);
  if (declared.encoding) return { ...declared, bomless: false };
  const guessed = guessUtf16WithoutBom(bytes);
  return guessed ? { encoding: guessed, bomLength: 0, bomless: true } : { encoding: null, bomLength: 0, bomless: false };
}

/** Tab, LF, VT, FF and CR are whitespace; the rest of C0 (and DEL) is suspicious. */
function isControlCode(c: number): boolean {
  return (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d) || c === 0x7f;
}

function isAsciiSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0b || b === 0x0c || b === 0x0d;
}

/** True when every byte after the BOM is ASCII whitespace; stops at the first other byte. */
function isBlank8Bit(bytes: Uint8Array, start: number): boolean {
  for (let i = start; i < bytes.length; i++) {
    if (!isAsciiSpace(bytes[i])) return false;
  }
  return true;
}

function isBlankUtf16(bytes: Uint8Array, start: number, littleEndian: boolean): boolean {
  for (let i = start; i + 1 < bytes.length; i += 2) {
    const hi = littleEndian ? bytes[i + 1] : bytes[i];
    const lo = littleEndian ? bytes[i] : bytes[i + 1];
    if (hi !== 0 || !isAsciiSpace(lo)) return false;
  }
  return true;
}

/** The encoding a byte order mark declares, and how many bytes the mark takes. */
export function detectEncoding(bytes: Uint8Array): { encoding: SourceEncoding | null; bomLength: number } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { encoding: 'utf-8-bom', bomLength: 3 };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return { encoding: null, bomLength: 0 };
}

/**
 * Decodes a text file to a string without its BOM.
 *
 * A BOM decides the encoding, or UTF-16 recognised without one
 * ({@link guessUtf16WithoutBom}). Otherwise the bytes must be valid UTF-8
 * ('utf-8'); if they are not, the file is read as Windows-1252, which is what
 * Excel writes on Western-European Windows (0x92 becomes ’).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: SourceEncoding } {
  const { encoding, bomLength } = detectTextEncoding(bytes);
  const body = bytes.subarray(bomLength);
  if (encoding === 'utf-8-bom') return { text: lenientUtf8().decode(body), encoding };
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    return { text: decodeUtf16(body, encoding === 'utf-16le'), encoding };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(body), encoding: 'windows-1252' };
  }
}

/**
 * Thrown by a strict UTF-8 {@link TextChunkDecoder} when the bytes are not UTF-8;
 * the caller starts again with Windows-1252.
 */
export class NotUtf8Error extends Error {
  constructor() {
    super('The file is not valid UTF-8');
    this.name = 'NotUtf8Error';
  }
}

/** Decodes a file piece by piece, so a large file never has to exist as one huge string. */
export interface TextChunkDecoder {
  /** Decodes the next slice of bytes; pass `last` with the final slice to flush. */
  decode(bytes: Uint8Array, last: boolean): string;
}

/**
 * A streaming decoder for the given encoding ('utf-8' is strict and throws
 * {@link NotUtf8Error}). The BOM must already be cut off the bytes.
 */
export function createChunkDecoder(encoding: SourceEncoding): TextChunkDecoder {
  if (encoding === 'windows-1252') {
    // Single-byte: no state between chunks.
    return { decode: (bytes) => decodeWindows1252(bytes) };
  }
  if (encoding === 'utf-16be' && !supportsEncoding('utf-16be')) {
    // Rare fallback for runtimes without UTF-16BE: swap byte pairs and read as LE,
    // carrying an odd trailing byte over to the next chunk.
    const le = new TextDecoder('utf-16le', { ignoreBOM: true });
    let carry: number | null = null;
    return {
      decode(bytes, last) {
        const joined = carry === null ? bytes : concatBytes(Uint8Array.of(carry), bytes);
        const even = joined.length & ~1;
        carry = even < joined.length && !last ? joined[even] : null;
        return le.decode(swapPairs(joined.subarray(0, even)), { stream: !last });
      },
    };
  }
  const label = encoding === 'utf-8-bom' || encoding === 'xlsx' ? 'utf-8' : encoding;
  const decoder = new TextDecoder(label, { fatal: encoding === 'utf-8', ignoreBOM: true });
  return {
    decode(bytes, last) {
      try {
        return decoder.decode(bytes, { stream: !last });
      } catch (error) {
        if (encoding === 'utf-8' && error instanceof TypeError) throw new NotUtf8Error();
        throw error;
      }
    },
  };
}

function lenientUtf8(): TextDecoder {
  return new TextDecoder('utf-8', { ignoreBOM: true });
}

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): string {
  if (littleEndian || supportsEncoding('utf-16be')) {
    return new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be', { ignoreBOM: true }).decode(bytes);
  }
  return new TextDecoder('utf-16le', { ignoreBOM: true }).decode(swapPairs(bytes.subarray(0, bytes.length & ~1)));
}

const encodingSupport = new Map<string, boolean>();
function supportsEncoding(label: string): boolean {
  let ok = encodingSupport.get(label);
  if (ok === undefined) {
    try {
      new TextDecoder(label);
      ok = true;
    } catch {
      ok = false;
    }
    encodingSupport.set(label, ok);
  }
  return ok;
}

function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1];
    out[i + 1] = bytes[i];
  }
  return out;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Windows-1252 characters for bytes 0x80–0x9F; undefined bytes keep their C1 code point, as WHATWG does. */
const CP1252_HIGH: readonly number[] = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

const C1_RANGE = /[\u0080-\u009f]/g;

/**
 * Decodes Windows-1252. Node's TextDecoder('windows-1252') behaves as Latin-1
 * (0x92 stays U+0092, not ’), browsers' does not; decoding as Latin-1 and then
 * mapping the C1 range gives the right answer in both, and the mapping is a
 * no-op where the runtime already got it right.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin = new TextDecoder('windows-1252').decode(bytes);
  return latin.replace(C1_RANGE, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]));
}
