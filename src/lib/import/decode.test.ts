import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createChunkDecoder, decodeText, decodeWindows1252, findNulBytes, guessUtf16WithoutBom, NotUtf8Error, sniffFile } from './decode';

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

/** UTF-16 bytes of a string, little- or big-endian, with a BOM. */
function utf16(text: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), littleEndian);
  return out;
}

describe('sniffFile', () => {
  it('recognises empty files, including a lone BOM and whitespace', () => {
    expect(sniffFile(new Uint8Array())).toBe('empty');
    expect(sniffFile(bytes(0xef, 0xbb, 0xbf))).toBe('empty');
    expect(sniffFile(bytes(0xef, 0xbb, 0xbf, 0x20, 0x0d, 0x0a, 0x09))).toBe('empty');
    expect(sniffFile(utf16(' \r\n', true))).toBe('empty');
    expect(sniffFile(utf16('', false))).toBe('empty');
  });

  it('recognises zip (xlsx) and OLE (old xls) by their magic bytes', () => {
    expect(sniffFile(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00))).toBe('xlsx');
    expect(sniffFile(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))).toBe('xls');
  });

  it('calls files with NUL bytes or many control characters binary', () => {
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52);
    expect(sniffFile(png)).toBe('binary');
    expect(sniffFile(utf8('a,b\n1,2\n\u0001\u0002\u0003\u0004\u0005\u0006'))).toBe('binary');
  });

  it('calls CSV text in any supported encoding text', () => {
    expect(sniffFile(utf8('id,answer\n1,Très bien – merci\n'))).toBe('text');
    expect(sniffFile(utf16('id,answer\n1,ok\n', true))).toBe('text');
    expect(sniffFile(utf16('id,answer\n1,ok\n', false))).toBe('text');
    expect(sniffFile(bytes(0x69, 0x64, 0x0a, 0x49, 0x92, 0x6d))).toBe('text');
  });
});

describe('decodeText', () => {
  it('strips a UTF-8 BOM and reports it', () => {
    expect(decodeText(utf8('\ufeffid,ok\n'))).toEqual({ text: 'id,ok\n', encoding: 'utf-8-bom' });
  });

  it('reads UTF-16 LE and BE with BOM', () => {
    expect(decodeText(utf16('id,ünïcode ’\n', true))).toEqual({ text: 'id,ünïcode ’\n', encoding: 'utf-16le' });
    expect(decodeText(utf16('id,ünïcode ’\n', false))).toEqual({ text: 'id,ünïcode ’\n', encoding: 'utf-16be' });
  });

  it('reads valid UTF-8 without BOM as utf-8', () => {
    expect(decodeText(utf8('Café, naïve – “quoted”'))).toEqual({ text: 'Café, naïve – “quoted”', encoding: 'utf-8' });
  });

  it('falls back to Windows-1252 for invalid UTF-8: 0x92 is a curly apostrophe', () => {
    // "I’m fine – €5" as Excel writes it on Western Windows
    const cp1252 = bytes(0x49, 0x92, 0x6d, 0x20, 0x66, 0x69, 0x6e, 0x65, 0x20, 0x96, 0x20, 0x80, 0x35, 0x20, 0xe9);
    expect(decodeText(cp1252)).toEqual({ text: 'I\u2019m fine \u2013 \u20ac5 é', encoding: 'windows-1252' });
  });

  it('maps every C1 byte the way WHATWG windows-1252 does', () => {
    const all = decodeWindows1252(Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i));
    expect(all.charCodeAt(0x12)).toBe(0x2019);
    expect(all.charCodeAt(0x00)).toBe(0x20ac);
    expect(all.charCodeAt(0x01)).toBe(0x81); // undefined in 1252: kept as the C1 control
    expect(all.charCodeAt(0x1f)).toBe(0x178);
  });
});

describe('createChunkDecoder', () => {
  it('decodes UTF-8 split anywhere, even inside a character, like a whole decode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 7 }), (text, size) => {
        const data = utf8(text);
        const decoder = createChunkDecoder('utf-8');
        let out = '';
        for (let i = 0; i < data.length || i === 0; i += size) {
          out += decoder.decode(data.subarray(i, i + size), i + size >= data.length);
        }
        expect(out).toBe(text);
      }),
    );
  });

  it('throws NotUtf8Error on invalid UTF-8', () => {
    const decoder = createChunkDecoder('utf-8');
    expect(() => decoder.decode(bytes(0x61, 0x92, 0x62), true)).toThrow(NotUtf8Error);
  });
});

describe('UTF-16 without a byte-order mark, and NUL bytes in 8-bit text', () => {
  const withoutBom = (text: string, littleEndian: boolean) => utf16(text, littleEndian).subarray(2);

  it('recognises UTF-16 LE and BE by where their NUL bytes fall, and decodes it', () => {
    const text = 'id,answer\r\n1,Très bien – merci\r\n';
    expect(guessUtf16WithoutBom(withoutBom(text, true))).toBe('utf-16le');
    expect(guessUtf16WithoutBom(withoutBom(text, false))).toBe('utf-16be');
    expect(sniffFile(withoutBom(text, true))).toBe('text');
    expect(decodeText(withoutBom(text, true))).toEqual({ text, encoding: 'utf-16le' });
    expect(decodeText(withoutBom(text, false))).toEqual({ text, encoding: 'utf-16be' });
  });

  it('does not take 8-bit text, or text with a few NULs, for UTF-16', () => {
    expect(guessUtf16WithoutBom(utf8('id,answer\n1,yes\n'))).toBeNull();
    expect(guessUtf16WithoutBom(utf8('id,answer\n1,y\u0000es\n'))).toBeNull();
    expect(guessUtf16WithoutBom(bytes(0x41))).toBeNull();
  });

  it('leaves text with NUL bytes to be named, and still calls binary files binary', () => {
    expect(sniffFile(utf8('id,answer\n1,ye\u0000s\n'))).toBe('text');
    expect(sniffFile(utf8('id,answer\n1,yes\n' + '\u0000'.repeat(500)))).toBe('text');
    const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256);
    expect(sniffFile(noise)).toBe('binary');
  });

  it('finds the NUL bytes: how many, the first one’s byte offset and line', () => {
    expect(findNulBytes(utf8('a,b\n1,2\n'))).toBeNull();
    expect(findNulBytes(utf8('a,b\n1,2\n3,\u0000\u0000\n\u0000'))).toEqual({ count: 3, offset: 10, line: 3 });
    expect(findNulBytes(bytes(0))).toEqual({ count: 1, offset: 0, line: 1 });
  });
});
