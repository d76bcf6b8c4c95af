// @vitest-environment node
/**
 * Damaged and oversized exchange files: each must be refused with a message
 * naming the problem, never read as different data. Fixtures are generated
 * bytes (a flipped byte, a lying trailer), not committed binaries.
 */
import { gzipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { DAMAGED_GZIP_MESSAGE, MAX_EXCHANGE_BYTES, exchangeSizeProblem, exchangeText, gzipExchange } from './bytes';
import { DAMAGED_CHECKSUM_MESSAGE, EDITED_CHECKSUM_MESSAGE, sealExchange, sha256Hex } from './checksum';
import { writeCoderFile } from './coder-file';
import { crc32 } from './crc32';
import { ExchangeError } from './exchange-error';
import { writeProjectFile } from './project-file';
import { readExchangeBytes } from './read-exchange';
import { sampleCoderFile, sampleProjectFile } from './test-fixtures';

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function flipped(bytes: Uint8Array, at: number, mask = 0x01): Uint8Array {
  const copy = bytes.slice();
  copy[at] ^= mask;
  return copy;
}

describe('CRC-32', () => {
  it('matches the standard check value and an empty input', () => {
    expect(crc32(utf8('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('matches the CRC fflate writes into a gzip trailer', () => {
    const data = utf8(writeProjectFile(sampleProjectFile()));
    const gz = gzipSync(data);
    const trailer = new DataView(gz.buffer, gz.byteOffset + gz.length - 8, 8);
    expect(crc32(data)).toBe(trailer.getUint32(0, true));
  });
});

describe('a damaged gzip file', () => {
  const original = writeProjectFile(sampleProjectFile());
  const gz = gzipExchange(original);

  it('is refused whichever byte of the compressed data or trailer is flipped, never read as other text', () => {
    let silentlyDifferent = 0;
    for (let at = 10; at < gz.length; at++) {
      for (const mask of [0x01, 0x80]) {
        let read: string | null = null;
        try {
          read = exchangeText(flipped(gz, at, mask));
        } catch (err) {
          expect(err).toBeInstanceOf(ExchangeError);
        }
        if (read !== null && read !== original) silentlyDifferent++;
      }
    }
    expect(silentlyDifferent).toBe(0);
  });

  it('names the CRC mismatch when the data inflates but differs', () => {
    // A stored (uncompressed) deflate block: a flipped byte in it inflates without complaint.
    const stored = gzipSync(utf8(original), { level: 0 });
    const at = stored.indexOf(0x41 /* "A" */, 40);
    expect(() => exchangeText(flipped(stored, at))).toThrow(DAMAGED_GZIP_MESSAGE);
  });

  it('names a wrong length in the trailer', () => {
    expect(() => exchangeText(flipped(gz, gz.length - 4))).toThrow(DAMAGED_GZIP_MESSAGE);
  });
});

describe('the checksum', () => {
  it('is written as the last field and read back as verified', async () => {
    const canonical = writeCoderFile(sampleCoderFile());
    const sealed = await sealExchange(canonical);
    const written = text(sealed);
    expect(written).toMatch(/,\n {2}"checksum": "sha256:[0-9a-f]{64}"\n\}\n$/);
    expect(written.slice(0, written.lastIndexOf(',\n  "checksum"'))).toBe(canonical.slice(0, -3));
    expect(written).toContain(await sha256Hex(utf8(canonical.slice(0, -3))));
    const read = await readExchangeBytes(sealed);
    expect(read.checksum).toBe('verified');
    expect(read.format === 'codebench-coder' && read.file.coder.name).toBe('Alice');
    expect((await readExchangeBytes(gzipExchange(sealed))).checksum).toBe('verified');
  });

  it('is the same without crypto.subtle (plain http outside localhost), where our own SHA-256 is used', async () => {
    const canonical = writeCoderFile(sampleCoderFile());
    const native = await sealExchange(canonical);
    vi.stubGlobal('crypto', {});
    try {
      expect(await sealExchange(canonical)).toEqual(native);
      expect((await readExchangeBytes(native)).checksum).toBe('verified');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('gives the same bytes for the same data', async () => {
    const canonical = writeProjectFile(sampleProjectFile());
    expect(await sealExchange(canonical)).toEqual(await sealExchange(canonical));
  });

  it('refuses a file whose contents changed though it is still valid JSON', async () => {
    const sealed = text(await sealExchange(writeProjectFile(sampleProjectFile())));
    const answer = sealed.indexOf('"text":"') + '"text":"'.length;
    const damaged = utf8(sealed.slice(0, answer) + (sealed[answer] === 'x' ? 'y' : 'x') + sealed.slice(answer + 1));
    await expect(readExchangeBytes(damaged)).rejects.toThrow(DAMAGED_CHECKSUM_MESSAGE);
    // Compressed after the damage, the gzip trailer is right and only the checksum can tell.
    await expect(readExchangeBytes(gzipExchange(damaged))).rejects.toThrow(DAMAGED_CHECKSUM_MESSAGE);
  });

  it('refuses a file whose checksum itself is damaged', async () => {
    const sealed = await sealExchange(writeCoderFile(sampleCoderFile()));
    const digitAt = sealed.length - 10;
    const damaged = sealed.slice();
    damaged[digitAt] = damaged[digitAt] === 0x30 ? 0x31 : 0x30;
    await expect(readExchangeBytes(damaged)).rejects.toThrow(DAMAGED_CHECKSUM_MESSAGE);
  });

  it('refuses a file reformatted after it was written, since its checksum can no longer be checked', async () => {
    const sealed = text(await sealExchange(writeCoderFile(sampleCoderFile())));
    const reformatted = JSON.stringify(JSON.parse(sealed), null, 2);
    await expect(readExchangeBytes(utf8(reformatted))).rejects.toThrow(EDITED_CHECKSUM_MESSAGE);
    await expect(readExchangeBytes(utf8(sealed.replace(/\n/g, '\r\n')))).rejects.toThrow(EDITED_CHECKSUM_MESSAGE);
  });

  it('still reads files written before the checksum, and says none was there', async () => {
    const old = writeProjectFile(sampleProjectFile());
    expect((await readExchangeBytes(utf8(old))).checksum).toBe('absent');
    expect((await readExchangeBytes(gzipExchange(old))).checksum).toBe('absent');
  });
});

describe('the size limit', () => {
  const MB = 1024 * 1024;

  it('fits in one browser string, so a file under it never fails as "not valid JSON"', () => {
    expect(MAX_EXCHANGE_BYTES).toBeLessThanOrEqual(2 ** 29 - 24); // V8's longest string, in UTF-16 units
  });

  it('names the size and the limit of a file over it, before reading', () => {
    expect(exchangeSizeProblem(944 * MB, { kind: 'project file' })).toBe(
      'This project file is 944 MB; Codebench can open project files up to 500 MB (uncompressed), the most text a browser can read in one piece.',
    );
    expect(exchangeSizeProblem(944 * MB, { kind: 'project file', compressed: true })).toMatch(/^This project file is 944 MB once uncompressed;/);
    expect(exchangeSizeProblem(MAX_EXCHANGE_BYTES)).toBeNull();
    expect(exchangeSizeProblem(MAX_EXCHANGE_BYTES + 1)).toMatch(/^This file is 500 MB; Codebench can open project and coder files up to 500 MB/);
  });

  it('reads the size from the gzip trailer before inflating, when a stream that size could hold it', () => {
    // 1 MB that deflate cannot shrink, with a trailer claiming 944 MB: refused by the claim, not by inflating it.
    const noise = new Uint8Array(1024 * 1024);
    let seed = 1;
    for (let i = 0; i < noise.length; i++) noise[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const gz = gzipSync(noise, { level: 0 });
    new DataView(gz.buffer, gz.byteOffset).setUint32(gz.length - 4, 944 * 1024 * 1024, true);
    expect(() => exchangeText(gz, { kind: 'project file' })).toThrow(
      /^This project file is 944 MB once uncompressed; Codebench can open project files up to 500 MB/,
    );
  });
});
