// @vitest-environment node
/**
 * Hostile .xlsx files are refused before read-excel-file unpacks them: zip
 * bombs (by ratio, by a lying header, by total size, by entry count) and XML
 * parts with a DOCTYPE. Every archive is built here with fflate.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeXlsx } from '../../../tests/fixtures/import/make-xlsx';
import { patchDeclaredSize } from '../zip/test-support';
import { readSource } from './read-source';
import { ImportError } from './types';
import { checkXlsxArchive, declarationScanner, XLSX_ZIP_LIMITS } from './xlsx-safety';

const library = vi.hoisted(() => ({ calls: 0 }));
vi.mock('read-excel-file/universal', async (importOriginal) => {
  const original = await importOriginal<typeof import('read-excel-file/universal')>();
  return {
    ...original,
    readSheet: (...args: Parameters<typeof original.readSheet>) => {
      library.calls++;
      return original.readSheet(...args);
    },
  };
});

beforeEach(() => {
  library.calls = 0;
});

const SHEET = 'xl/worksheets/sheet1.xml';

function survey(): Record<string, Uint8Array> {
  return unzipSync(
    makeXlsx(
      [
        {
          name: 'Survey',
          rows: [
            ['id', 'answer'],
            ['R1', 'Mentoring helped'],
            ['R2', 'Too little time'],
          ],
        },
      ],
      { sharedStrings: true },
    ),
  );
}

/** The survey with one part replaced or added. */
function withPart(name: string, content: string | Uint8Array): Uint8Array {
  return zipSync({ ...survey(), [name]: typeof content === 'string' ? strToU8(content) : content });
}

/** A sheet of one repeated row: 8 MiB of it deflates to a few KiB. */
function bombSheet(bytes: number): string {
  const row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>';
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${row.repeat(Math.ceil(bytes / row.length))}</sheetData></worksheet>`;
}

async function refusal(bytes: Uint8Array, fileName = 'survey.xlsx'): Promise<string> {
  const error = await readSource(bytes, fileName).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return (error as Error).message;
}

describe('XLSX zip bombs', () => {
  it('still reads an ordinary workbook through the checks', async () => {
    const table = await readSource(zipSync(survey()), 'survey.xlsx');
    expect(table.rows).toEqual([
      ['R1', 'Mentoring helped'],
      ['R2', 'Too little time'],
    ]);
    expect(library.calls).toBe(1);
  });

  it('refuses a part that would unpack more than 200 times its size, without the library unpacking anything', async () => {
    const bomb = withPart(SHEET, bombSheet(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(200_000);
    expect(await refusal(bomb)).toMatch(
      /^"survey\.xlsx" would unpack its part "xl\/worksheets\/sheet1\.xml" from [\d.]+ KiB to 8 MiB, more than 200 times its size — it may be a zip bomb or damaged/,
    );
    expect(library.calls).toBe(0);
  });

  it('judges declared sizes before inflating anything', async () => {
    // The header claims 3 GiB for a part that inflates to a few hundred bytes: inflating first
    // would find a damaged entry; the declared size alone is refused.
    const claimsHuge = patchDeclaredSize(zipSync(survey()), SHEET, 3 * 1024 ** 3);
    expect(await refusal(claimsHuge)).toMatch(/would unpack its part "xl\/worksheets\/sheet1\.xml" from \d+ bytes to 3 GiB/);
    const totalOnly = () => checkXlsxArchive(claimsHuge, 'survey.xlsx', () => new ImportError('damaged'), { ...XLSX_ZIP_LIMITS, maxRatio: 2 ** 40 });
    expect(totalOnly).toThrow('This spreadsheet ("survey.xlsx") would unpack to more than 1 GiB — it may be a zip bomb or damaged');
    expect(library.calls).toBe(0);
  });

  it('stops inflating a part that produces more than its header declares', async () => {
    const lying = patchDeclaredSize(withPart(SHEET, bombSheet(200_000)), SHEET, 1000);
    expect(await refusal(lying)).toMatch(
      /would unpack its part "xl\/worksheets\/sheet1\.xml" to more than the 1000 bytes its header declares — it may be a zip bomb/,
    );
    expect(library.calls).toBe(0);
  });

  it('counts every part towards the total', () => {
    const ordinary = zipSync(survey());
    expect(() => checkXlsxArchive(ordinary, 'survey.xlsx', () => new ImportError('damaged'), { ...XLSX_ZIP_LIMITS, maxTotalBytes: 2000 })).toThrow(
      /would unpack to more than 2 KiB/,
    );
  });

  it('refuses archives listing absurdly many files', async () => {
    const files = survey();
    for (let i = 0; i < 10_001; i++) files[`xl/media/${i}.bin`] = new Uint8Array(0);
    expect(await refusal(zipSync(files, { level: 0 }))).toMatch(
      /^"survey\.xlsx" lists 10,00\d files, more than a spreadsheet holds \(at most 10,000\) — it may be a zip bomb/,
    );
    expect(library.calls).toBe(0);
  });

  it('calls an unreadable archive damaged, not a bomb', async () => {
    const bytes = zipSync(survey());
    const broken = bytes.slice();
    // Garble the deflate data of the first entry (right after its 30-byte local header and name).
    const nameLength = broken[26] | (broken[27] << 8);
    broken.fill(0xff, 30 + nameLength, 30 + nameLength + 8);
    expect(await refusal(broken, 'damaged.xlsx')).toMatch(/^"damaged\.xlsx" could not be read as an Excel workbook; it may be damaged/);
  });
});

describe('XLSX parts with a DOCTYPE', () => {
  const shared = () => strFromU8(survey()['xl/sharedStrings.xml']);

  it('refuses an external entity (XXE) in the shared strings', async () => {
    const xxe = shared().replace('<sst', '<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]><sst').replace('Mentoring helped', '&x;');
    expect(await refusal(withPart('xl/sharedStrings.xml', xxe))).toMatch(
      /^"survey\.xlsx" is refused: its part "xl\/sharedStrings\.xml" declares a document type \(<!DOCTYPE>\), which Excel never writes/,
    );
    expect(library.calls).toBe(0);
  });

  it('refuses nested entities (a billion laughs) in a sheet, and a DOCTYPE in a relationships part', async () => {
    const sheet = strFromU8(survey()[SHEET]).replace('<worksheet', '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><worksheet');
    expect(await refusal(withPart(SHEET, sheet))).toMatch(/its part "xl\/worksheets\/sheet1\.xml" declares a document type/);
    const rels = strFromU8(survey()['_rels/.rels']).replace('<Relationships', '<!DOCTYPE r SYSTEM "http://example.com/r.dtd"><Relationships');
    expect(await refusal(withPart('_rels/.rels', rels))).toMatch(/its part "_rels\/\.rels" declares a document type/);
  });

  it('finds a declaration split across any two chunks, and nothing in ordinary XML with "!" in its text', () => {
    const xml = strToU8('<?xml version="1.0"?><!-- note! --><!DOCTYPE x><x>Hi!</x>');
    for (let cut = 0; cut <= xml.length; cut++) {
      const scan = declarationScanner(() => new Error('found'));
      expect(() => {
        scan(xml.subarray(0, cut));
        scan(xml.subarray(cut));
      }).toThrow('found');
    }
    const ordinary = strToU8('<x a="1!">Wow!! <![CDATA[ok]]> &lt;!DOCTYPE is text here</x>');
    const scan = declarationScanner(() => new Error('found'));
    for (let at = 0; at < ordinary.length; at += 3) scan(ordinary.subarray(at, at + 3));
  });
});
