// @vitest-environment node
import fc from 'fast-check';
import { anyCodePoint } from '../test-arbitraries';
import { describe, expect, it } from 'vitest';
import { answerFingerprint } from './fingerprint';

/** The plain definition: FNV-1a over the bytes TextEncoder writes. */
function reference(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

describe('answerFingerprint', () => {
  it('matches the published FNV-1a 32-bit values', () => {
    expect(answerFingerprint('')).toBe('811c9dc5');
    expect(answerFingerprint('a')).toBe('e40c292c');
    expect(answerFingerprint('foobar')).toBe('bf9cf968');
  });

  it('hashes the UTF-8 bytes, emoji and lone surrogates included (fast-check)', () => {
    expect(answerFingerprint('🙂 \ud800 é\r\n')).toBe(reference('🙂 \ud800 é\r\n'));
    fc.assert(fc.property(fc.string({ unit: anyCodePoint }), (text) => answerFingerprint(text) === reference(text)));
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii' }), (text) => answerFingerprint(text) === reference(text)));
  });

  it('tells CRLF from LF', () => {
    expect(answerFingerprint('a\r\nb')).not.toBe(answerFingerprint('a\nb'));
  });
});
