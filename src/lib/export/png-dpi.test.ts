// @vitest-environment node
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PRINT_WIDTH_PX, pngDpi, printDpi, printScale, setPngDpi } from './png-dpi';

/** The standard CRC-32 (as in zlib), written out independently of the module's table. */
function crc(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(
    [...type].map((ch) => ch.charCodeAt(0)),
    4,
  );
  out.set(data, 8);
  view.setUint32(8 + data.length, crc(out.subarray(4, 8 + data.length)));
  return out;
}

/** A 2 × 1 greyscale PNG. */
function tinyPng(extra: Uint8Array[] = []): Uint8Array {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, 2);
  view.setUint32(4, 1);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    ...extra,
    chunk('IDAT', zlibSync(new Uint8Array([0, 0, 255]))),
    chunk('IEND', new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function chunks(png: Uint8Array): { type: string; crcOk: boolean }[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: { type: string; crcOk: boolean }[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = view.getUint32(offset);
    out.push({
      type: String.fromCharCode(...png.subarray(offset + 4, offset + 8)),
      crcOk: view.getUint32(offset + 8 + length) === crc(png.subarray(offset + 4, offset + 8 + length)),
    });
    offset += 12 + length;
  }
  return out;
}

describe('print resolution', () => {
  it('draws a chart 1,890 px wide (16 cm at 300 dpi), at least 2×, within what a canvas holds', () => {
    expect(PRINT_WIDTH_PX).toBe(1890);
    expect(720 * printScale(720, 400)).toBeCloseTo(1890, 6);
    expect(printScale(1200, 500)).toBe(2);
    const tall = printScale(720, 9000);
    expect(720 * tall * 9000 * tall).toBeLessThanOrEqual(16_000_001);
    expect(printScale(0, 10)).toBe(2);
    // The resolution that prints an image 16 cm wide: 300 dpi at 1,890 px, finer when wider.
    expect(printDpi(1890)).toBe(300);
    expect(printDpi(2400)).toBe(381);
  });

  it('writes a valid pHYs chunk of 300 dpi right after the header, replacing any there', () => {
    const png = setPngDpi(tinyPng(), 300);
    expect(chunks(png)).toEqual([
      { type: 'IHDR', crcOk: true },
      { type: 'pHYs', crcOk: true },
      { type: 'IDAT', crcOk: true },
      { type: 'IEND', crcOk: true },
    ]);
    expect(pngDpi(png)).toBe(300);
    expect(pngDpi(tinyPng())).toBeNull();
    const again = setPngDpi(setPngDpi(png, 72), 600);
    expect(chunks(again).map((c) => c.type)).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    expect(pngDpi(again)).toBe(600);
    // 300 dpi is 11,811 pixels per metre, in both directions.
    const view = new DataView(png.buffer);
    expect([view.getUint32(33 + 8), view.getUint32(33 + 12)]).toEqual([11811, 11811]);
  });

  it('refuses bytes that are not a PNG', () => {
    expect(() => setPngDpi(new Uint8Array(40), 300)).toThrow('Not a PNG image.');
    expect(() => setPngDpi(tinyPng().subarray(0, 40), 300)).toThrow('cut short');
  });
});
