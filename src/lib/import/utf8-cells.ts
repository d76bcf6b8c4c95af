/**
 * Decoding one cell's UTF-8 bytes at a time, for {@link ByteCsvParser}.
 *
 * A `TextDecoder.decode` call costs about a microsecond before it decodes
 * anything (measured in Chromium: per-cell TextDecoder was no faster than
 * decoding the whole file and parsing the text), and a survey file has a
 * million cells and more. Most cells are short ASCII, or Latin text with the odd
 * curly quote or dash, so those are decoded here in JavaScript into a scratch
 * array turned into a string by `String.fromCharCode`, which V8 makes one-byte
 * when every character fits. Anything else (a character outside the Basic
 * Multilingual Plane, invalid bytes, a very long cell) goes to TextDecoder,
 * which also decides, in strict mode, that the bytes are not UTF-8.
 */

import { NotUtf8Error } from './decode';

/** Cells up to this many bytes are built by concatenation (cheaper than a typed-array view for a few characters). */
const SHORT = 16;
/** Longer cells go to TextDecoder whole: `fromCharCode.apply` takes its characters as arguments, and those are bounded. */
const LONG = 8192;

export type CellDecoder = (bytes: Uint8Array, start: number, end: number) => string;

/**
 * A decoder for UTF-8 cells. `strict`: invalid UTF-8 throws {@link NotUtf8Error}
 * (a file without a BOM, which may be Windows-1252 instead); otherwise invalid
 * bytes become U+FFFD as TextDecoder makes them (a file with a UTF-8 BOM).
 */
export function utf8CellDecoder(strict: boolean): CellDecoder {
  const decoder = new TextDecoder('utf-8', { fatal: strict, ignoreBOM: true });
  // Cells longer than LONG never reach it.
  const scratch = new Uint16Array(LONG);

  const slow = (bytes: Uint8Array, start: number, end: number): string => {
    try {
      return decoder.decode(bytes.subarray(start, end));
    } catch (error) {
      if (strict && error instanceof TypeError) throw new NotUtf8Error();
      throw error;
    }
  };

  return (bytes, start, end) => {
    const length = end - start;
    if (length === 0) return '';
    if (length <= SHORT) {
      let text = '';
      for (let i = start; i < end; i++) {
        const c = bytes[i];
        if (c >= 0x80) return slowShort(bytes, start, end);
        text += String.fromCharCode(c);
      }
      return text;
    }
    if (length > LONG) return slow(bytes, start, end);
    return decodeInto(bytes, start, end) ?? slow(bytes, start, end);
  };

  /** A short cell with a non-ASCII byte: into the scratch array like a longer one. */
  function slowShort(bytes: Uint8Array, start: number, end: number): string {
    return decodeInto(bytes, start, end) ?? slow(bytes, start, end);
  }

  /**
   * Valid one- to three-byte sequences decoded into `scratch` and made a string;
   * null at the first byte that is anything else (left to TextDecoder).
   */
  function decodeInto(bytes: Uint8Array, start: number, end: number): string | null {
    // An ASCII cell needs no copy: the bytes are its character codes.
    let ascii = start;
    while (ascii < end && bytes[ascii] < 0x80) ascii++;
    if (ascii === end) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
    const out = scratch;
    let o = 0;
    for (let i = start; i < ascii; i++) out[o++] = bytes[i];
    for (let i = ascii; i < end;) {
      const c = bytes[i];
      if (c < 0x80) {
        out[o++] = c;
        i++;
      } else if (c >= 0xc2 && c < 0xe0 && i + 1 < end) {
        const c1 = bytes[i + 1];
        if ((c1 & 0xc0) !== 0x80) return null;
        out[o++] = ((c & 0x1f) << 6) | (c1 & 0x3f);
        i += 2;
      } else if (c >= 0xe0 && c < 0xf0 && i + 2 < end) {
        const c1 = bytes[i + 1];
        const c2 = bytes[i + 2];
        if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return null;
        const code = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
        // Overlong forms and UTF-16 surrogates are not UTF-8.
        if (code < 0x800 || (code >= 0xd800 && code < 0xe000)) return null;
        out[o++] = code;
        i += 3;
      } else {
        return null;
      }
    }
    return String.fromCharCode.apply(null, out.subarray(0, o) as unknown as number[]);
  }
}
