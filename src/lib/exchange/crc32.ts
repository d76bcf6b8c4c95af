/**
 * CRC-32 (ISO-HDLC, the one gzip and zip use), computed here because fflate
 * inflates a gzip stream without checking its trailer: a file with one flipped
 * byte can inflate to different text and no error. Table-driven, in steps, so
 * a stream can be checked while it is inflated.
 */

const TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** A running CRC-32: feed `update` the bytes in order, read `value` at the end. */
export class Crc32 {
  #crc = -1;

  update(bytes: Uint8Array): void {
    let crc = this.#crc;
    for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    this.#crc = crc;
  }

  /** The CRC as an unsigned 32-bit number, as a gzip trailer stores it (little-endian). */
  get value(): number {
    return (this.#crc ^ -1) >>> 0;
  }
}

export function crc32(bytes: Uint8Array): number {
  const crc = new Crc32();
  crc.update(bytes);
  return crc.value;
}
