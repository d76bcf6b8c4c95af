// @vitest-environment node
import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { exchangeText, gzipExchange } from './bytes';
import { writeCoderFile } from './coder-file';
import { writeProjectFile } from './project-file';
import { readExchangeBytes, readExchangeText } from './read-exchange';
import { sampleCoderFile, sampleProjectFile } from './test-fixtures';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('gzip', () => {
  it('round-trips the text, emoji and CRLF included', () => {
    const text = writeProjectFile(sampleProjectFile());
    const gz = gzipExchange(text);
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    expect(gz.length).toBeLessThan(utf8(text).length);
    expect(exchangeText(gz)).toBe(text);
  });

  it('gives the same bytes for the same text (no timestamp in the header)', () => {
    const text = writeCoderFile(sampleCoderFile());
    expect(gzipExchange(text)).toEqual(gzipExchange(text));
    expect([...gzipExchange(text).subarray(4, 8)]).toEqual([0, 0, 0, 0]);
  });

  it('reads a large file across many input steps', () => {
    const text = JSON.stringify({ pad: 'x'.repeat(3_000_000) + '🙂'.repeat(100_000) });
    expect(exchangeText(gzipExchange(text))).toBe(text);
  });

  it('stops a zip bomb at the cap, whatever the gzip trailer claims', () => {
    const bomb = gzipSync(new Uint8Array(16 * 1024 * 1024), { level: 1 }); // 16 MB of zeros in under 100 kB
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => exchangeText(bomb, { maxBytes: 4 * 1024 * 1024 })).toThrow(
      'This file is 16 MB once uncompressed; Codebench can open project and coder files up to 4 MB (uncompressed), the most text a browser can read in one piece.',
    );
    const lying = bomb.slice();
    lying.set([16, 0, 0, 0], lying.length - 4); // claims 16 bytes
    expect(() => exchangeText(lying, { maxBytes: 4 * 1024 * 1024 })).toThrow(/^This file is more than 4 MB once uncompressed; /);
  });

  it('applies the cap to plain files too', () => {
    expect(() => exchangeText(utf8('{"a":"' + 'x'.repeat(2000) + '"}'), { maxBytes: 1000 })).toThrow(
      'This file is 2 kB; Codebench can open project and coder files up to 1 kB (uncompressed), the most text a browser can read in one piece.',
    );
  });

  it('reports a damaged or cut-off compressed file', () => {
    const gz = gzipExchange(writeProjectFile(sampleProjectFile()));
    expect(() => exchangeText(gz.subarray(0, gz.length >> 1))).toThrow(/^This compressed file is damaged or incomplete \(/);
  });
});

describe('exchangeText', () => {
  it('strips a UTF-8 byte-order mark', () => {
    expect(exchangeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{"é":1}')]))).toBe('{"é":1}');
  });

  it('refuses text that is not UTF-8, and .zip archives', () => {
    expect(() => exchangeText(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow('This file is not UTF-8 text, so it is not a Codebench file.');
    expect(() => exchangeText(zipSync({ 'a.json': utf8('{}') }))).toThrow('This is a .zip archive. Unzip it first, then open the .codebench.json file inside.');
  });
});

describe('readExchangeBytes / readExchangeText', () => {
  it('tells the two formats apart, plain or compressed', async () => {
    const coder = writeCoderFile(sampleCoderFile());
    const project = writeProjectFile(sampleProjectFile());
    expect((await readExchangeBytes(utf8(coder))).format).toBe('codebench-coder');
    expect((await readExchangeBytes(gzipExchange(project))).format).toBe('codebench-project');
    const read = await readExchangeBytes(gzipExchange('\ufeff' + coder));
    expect(read.format === 'codebench-coder' && read.file.coder.name).toBe('Alice');
  });

  it('names what it got when it is neither', () => {
    expect(() => readExchangeText('{"format":"codebench-codebook","version":1}')).toThrow('This is a Codebench codebook, not a coder or project file.');
    expect(() => readExchangeText('"hello"')).toThrow('This is not a Codebench file: it holds the text "hello", not an object.');
  });

  it('says an empty file is not JSON', async () => {
    await expect(readExchangeBytes(new Uint8Array())).rejects.toThrow(/^This file is not valid JSON/);
  });
});
