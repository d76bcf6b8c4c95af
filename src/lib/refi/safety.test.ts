// @vitest-environment node
/**
 * Hostile or broken .qdpx files are refused whole, with a RefiError that says
 * why, and nothing is returned: zip bombs (by ratio, by lying headers, by
 * total size), paths leaving the archive (in zip entries and in
 * plainTextPath), XML with a DOCTYPE or entities, and unreadable encodings.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { RefiError } from './errors';
import { readQdpx, type ReadQdpxOptions } from './qdpx';
import { codedSelection, patchDeclaredSize, vendorQde, zipOf } from './test-support';

const SOURCE = (path: string) =>
  `<TextSource guid="BBBBBBBB-0000-0000-0000-000000000001" name="Doc" plainTextPath="${path}">${codedSelection(0, 3)}</TextSource>`;

function refusal(bytes: Uint8Array, options: ReadQdpxOptions = {}): string {
  let result: unknown;
  try {
    result = readQdpx(bytes, options);
  } catch (err) {
    expect(err).toBeInstanceOf(RefiError);
    return (err as Error).message;
  }
  throw new Error(`the file was accepted: ${JSON.stringify(result).slice(0, 200)}`);
}

describe('zip bombs', () => {
  it('refuses an entry that would expand more than 200 times, before inflating it', () => {
    const bomb = zipOf({ 'project.qde': vendorQde(SOURCE('internal://big.txt')), 'sources/big.txt': new Uint8Array(8 * 1024 * 1024).fill(65) });
    expect(bomb.length).toBeLessThan(100_000);
    expect(refusal(bomb)).toMatch(/refused: "sources\/big\.txt" would expand from \d+ to 8388608 bytes \(more than 200 times\), as a zip bomb does/);
  });

  it('refuses a project.qde bomb too', () => {
    const qde = vendorQde(SOURCE('internal://a.txt')).replace('</Project>', `<!--${' '.repeat(4 * 1024 * 1024)}--></Project>`);
    expect(refusal(zipOf({ 'project.qde': qde, 'sources/a.txt': 'abc' }))).toMatch(/"project\.qde" would expand from \d+ to \d+ bytes/);
  });

  it('stops inflating an entry that produces more than its header declares', () => {
    const zip = zipOf({ 'project.qde': vendorQde(SOURCE('internal://a.txt')), 'sources/a.txt': 'x'.repeat(200_000) });
    const lying = patchDeclaredSize(zip, 'sources/a.txt', 1000);
    expect(refusal(lying)).toMatch(/"sources\/a\.txt" expands to more than the 1000 bytes its header declares, as a zip bomb does/);
  });

  it('refuses archives whose files would expand past the total limit (1 GiB by default), before inflating', () => {
    const zip = zipOf({ 'project.qde': vendorQde(SOURCE('internal://a.txt')), 'sources/a.txt': 'abc' });
    const claimsHuge = patchDeclaredSize(zip, 'sources/a.txt', 2 ** 31);
    expect(refusal(claimsHuge, { limits: { maxRatio: 2 ** 40 } })).toMatch(/files would expand to more than 1 GiB, as a zip bomb does/);
    const ordinary = zipOf({ 'project.qde': vendorQde(SOURCE('internal://a.txt')), 'sources/a.txt': 'a'.repeat(5000) });
    expect(refusal(ordinary, { limits: { maxTotalBytes: 2000 } })).toMatch(/would expand to more than 2 KiB/);
  });

  it('refuses archives listing absurdly many files', () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 30; i++) files[`sources/${i}.txt`] = new Uint8Array(1);
    expect(refusal(zipSync(files), { limits: { maxEntries: 20 } })).toMatch(/lists 30 files; Codebench reads at most 20/);
  });
});

describe('paths outside the archive', () => {
  const qde = vendorQde(SOURCE('internal://a.txt'));

  it.each([
    ['../evil.txt', /entry "\.\.\/evil\.txt" would be written outside the archive \(it contains "\.\."\)/],
    ['sources/../../evil.txt', /contains "\.\."/],
    ['/etc/evil.txt', /it is an absolute path/],
    ['sources\\evil.txt', /it contains a backslash/],
    ['C:/evil.txt', /drive letter/],
  ])('refuses a zip entry named %s', (name, message) => {
    expect(refusal(zipOf({ 'project.qde': qde, 'sources/a.txt': 'abc', [name]: 'x' }))).toMatch(message);
  });

  it.each([
    ['internal://../../etc/passwd', /the source "Doc" points at "internal:\/\/\.\.\/\.\.\/etc\/passwd", outside the archive \(it contains "\.\."\)/],
    ['/etc/passwd', /outside the archive \(it is an absolute path\)/],
    ['sources\\a.txt', /outside the archive \(it contains a backslash\)/],
  ])('refuses a plainTextPath of %s', (path, message) => {
    expect(refusal(zipOf({ 'project.qde': vendorQde(SOURCE(path)), 'sources/a.txt': 'abc' }))).toMatch(message);
  });
});

describe('XML', () => {
  it('refuses a DOCTYPE with entities (billion laughs) in project.qde', () => {
    const laughs =
      '<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<Project name="&lol2;"/>';
    expect(refusal(zipOf({ 'project.qde': laughs }))).toMatch(/project\.qde is not XML Codebench can read \(line 2\): it contains a <!DOCTYPE> declaration/);
  });

  it('refuses an external entity, and an entity declared without a DOCTYPE', () => {
    const xxe = '<!DOCTYPE Project SYSTEM "http://example.org/x.dtd"><Project name="x"/>';
    expect(refusal(zipOf({ 'project.qde': xxe }))).toMatch(/DOCTYPE/);
    expect(refusal(zipOf({ 'project.qde': '<Project name="x"><!ENTITY e SYSTEM "file:///etc/passwd"></Project>' }))).toMatch(/<!ENTITY> declaration/);
  });

  it('refuses a declared encoding it cannot read, and bytes that are not UTF-8', () => {
    const latin = vendorQde(SOURCE('internal://a.txt')).replace('encoding="utf-8"', 'encoding="ISO-8859-1"');
    expect(refusal(zipOf({ 'project.qde': latin, 'sources/a.txt': 'abc' }))).toMatch(/declares the encoding "ISO-8859-1"\. REFI-QDA files are UTF-8/);
    const bytes = new TextEncoder().encode(vendorQde(SOURCE('internal://a.txt')).replace('Vendor project', 'Caf\u00e9'));
    const cafe = bytes.indexOf(0xc3);
    const broken = Uint8Array.from([...bytes.subarray(0, cafe), 0xe9, ...bytes.subarray(cafe + 2)]);
    expect(refusal(zipOf({ 'project.qde': broken, 'sources/a.txt': 'abc' }))).toMatch(/project\.qde is not valid UTF-8 text/);
  });
});

describe('not a REFI project', () => {
  it('says what is wrong', () => {
    expect(refusal(new TextEncoder().encode('just text'))).toMatch(/not a zip archive/);
    expect(refusal(zipOf({ 'readme.txt': 'x' }))).toMatch(/holds no project\.qde/);
    expect(refusal(zipOf({ 'a/project.qde': '<Project name="a"/>', 'b/project.qde': '<Project name="b"/>' }))).toMatch(/several project files/);
    expect(refusal(zipOf({ 'project.qde': '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>' }))).toMatch(/codebook \(\.qdc\), not a project/);
  });
});
