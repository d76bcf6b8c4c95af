/**
 * Print resolution for chart images. A PNG carries no size in centimetres
 * unless it has a pHYs chunk; Word, LibreOffice and LaTeX read that chunk to
 * place the image, so a chart rendered for a 16 cm column at 300 dpi also
 * arrives 16 cm wide instead of at the 96 dpi they assume otherwise.
 */

/** The width a figure takes in a paper: a full text column (A4 or Letter, 2.5 cm margins). */
export const PRINT_WIDTH_CM = 16;
/** The resolution journals ask for line art with text (halftones need 300, combination art 600 at most). */
export const PRINT_DPI = 300;
/** Pixels for PRINT_WIDTH_CM at PRINT_DPI: 1,890. */
export const PRINT_WIDTH_PX = Math.round((PRINT_WIDTH_CM / 2.54) * PRINT_DPI);
/** Canvas area browsers draw reliably (Chromium's limit is higher; Safari's is about 16.7 million pixels). */
const MAX_CANVAS_PIXELS = 16_000_000;

/**
 * The factor a chart of this size (CSS pixels) is drawn at for print: its width
 * becomes PRINT_WIDTH_PX, never less than 2×, and the whole image stays within
 * what a canvas can hold (a very tall chart is drawn smaller, never cut).
 */
export function printScale(width: number, height: number): number {
  if (!(width > 0) || !(height > 0)) return 2;
  const wanted = Math.max(2, PRINT_WIDTH_PX / width);
  const fits = Math.sqrt(MAX_CANVAS_PIXELS / (width * height));
  return Math.min(wanted, fits);
}

/** The resolution at which an image this many pixels wide prints PRINT_WIDTH_CM wide (300 for 1,890 px). */
export function printDpi(pixelWidth: number): number {
  return Math.max(1, Math.round(pixelWidth / (PRINT_WIDTH_CM / 2.54)));
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/**
 * The PNG with its resolution set to `dpi` (a pHYs chunk right after IHDR;
 * any pHYs already there is dropped). Throws on bytes that are not a PNG.
 */
export function setPngDpi(png: Uint8Array, dpi: number): Uint8Array {
  if (png.length < 33 || SIGNATURE.some((b, i) => png[i] !== b)) throw new Error('Not a PNG image.');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Uint8Array[] = [png.subarray(0, 8)];
  let offset = 8;
  let added = false;
  while (offset + 12 <= png.length) {
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > png.length) throw new Error('The PNG image is cut short.');
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    if (type !== 'pHYs') chunks.push(png.subarray(offset, end));
    if (type === 'IHDR' && !added) {
      chunks.push(physChunk(dpi));
      added = true;
    }
    offset = end;
  }
  if (offset !== png.length) throw new Error('The PNG image is cut short.');
  if (!added) throw new Error('The PNG image has no header chunk.');
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function physChunk(dpi: number): Uint8Array {
  const perMetre = Math.round(dpi / 0.0254);
  const chunk = new Uint8Array(21);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, 9);
  chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
  view.setUint32(8, perMetre);
  view.setUint32(12, perMetre);
  chunk[16] = 1; // unit: metre
  view.setUint32(17, crc32(chunk.subarray(4, 17)));
  return chunk;
}

/** The resolution a PNG declares, in dots per inch, or null when it has no pHYs chunk in metres. */
export function pngDpi(png: Uint8Array): number | null {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let offset = 8; offset + 12 <= png.length;) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    if (type === 'pHYs' && length === 9 && png[offset + 16] === 1) return Math.round(view.getUint32(offset + 8) * 0.0254);
    offset += 12 + length;
  }
  return null;
}
