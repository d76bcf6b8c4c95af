/**
 * Bytes → text for the files inside a .qdpx. REFI-QDA says UTF-8; in practice
 * some tools add a byte-order mark (dropped, and not counted in offsets: the
 * tools that write one do not count it either) and old exports may be UTF-16
 * with a BOM. A source that is not UTF-8 at all is read as Windows-1252 with a
 * warning rather than refused, since its words are usually still right; the
 * project XML itself must be UTF-8 (or UTF-16 with a BOM), or it is refused.
 */
import { RefiError } from './errors';

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

type Decoded = { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'; bom: boolean };

function byBom(bytes: Uint8Array): Decoded | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: decodeUtf8(bytes.subarray(3)), encoding: 'utf-8', bom: true };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  return null;
}

function decodeUtf8(bytes: Uint8Array): string {
  return utf8Strict.decode(bytes);
}

/** A source or note text file. Never throws; `warning` says when the bytes were not plain UTF-8. */
export function decodeSourceText(bytes: Uint8Array): { text: string; warning?: 'bom' | 'utf-16' | 'not-utf-8' } {
  try {
    const bom = byBom(bytes);
    if (bom) return { text: bom.text, warning: bom.encoding === 'utf-8' ? 'bom' : 'utf-16' };
    return { text: decodeUtf8(bytes) };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), warning: 'not-utf-8' };
  }
}

/** The project XML (`project.qde`). Throws RefiError when it is not UTF-8 (or UTF-16 with a BOM). */
export function decodeXmlBytes(bytes: Uint8Array, what: string): string {
  try {
    return byBom(bytes)?.text ?? decodeUtf8(bytes);
  } catch {
    throw new RefiError(`${what} is not valid UTF-8 text. REFI-QDA files are UTF-8; export it again from the program that made it.`);
  }
}
