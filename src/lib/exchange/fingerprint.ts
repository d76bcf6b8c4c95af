/**
 * A short fingerprint of an answer's text, carried in a coder file so the
 * receiving project can tell when a passage's offsets were counted in a text
 * that differs from its own. FNV-1a (32 bits) over the UTF-8 bytes, written as
 * 8 lower-case hex digits: simple enough for any other tool to compute, and a
 * change detector, not a security measure.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function mix(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME);
}

/** Hashes the UTF-8 encoding without allocating it; a lone surrogate counts as U+FFFD, as TextEncoder writes it. */
export function answerFingerprint(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) hash = mix(hash, cp);
    else if (cp < 0x800) {
      hash = mix(hash, 0xc0 | (cp >> 6));
      hash = mix(hash, 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      hash = mix(hash, 0xe0 | (cp >> 12));
      hash = mix(hash, 0x80 | ((cp >> 6) & 0x3f));
      hash = mix(hash, 0x80 | (cp & 0x3f));
    } else {
      hash = mix(hash, 0xf0 | (cp >> 18));
      hash = mix(hash, 0x80 | ((cp >> 12) & 0x3f));
      hash = mix(hash, 0x80 | ((cp >> 6) & 0x3f));
      hash = mix(hash, 0x80 | (cp & 0x3f));
    }
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

export const FINGERPRINT_PATTERN = /^[0-9a-f]{8}$/;
