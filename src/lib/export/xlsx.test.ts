import fc from 'fast-check';
import { anyCodePoint } from '../test-arbitraries';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readXlsxRows } from '../import/read-xlsx';
import { sanitiseSheetNames } from './sheet-names';
import { sampleSource } from './test-data';
import { projectWorkbook } from './workbook-export';
import { columnName, MAX_XLSX_CELL_TEXT, writeXlsx, xlsxCellText } from './xlsx';
import { readCells, readGrid, unzipParts } from './xlsx-test-helpers';

const wellFormed = (xml: string) => new DOMParser().parseFromString(xml, 'application/xml').getElementsByTagName('parsererror').length === 0;

describe('writeXlsx', () => {
  afterEach(() => vi.useRealTimers());

  it('writes exactly the parts of a minimal workbook, all well-formed XML', () => {
    const parts = unzipParts(
      writeXlsx([
        { name: 'One', rows: [['a']] },
        { name: 'Two', rows: [[1]] },
      ]),
    );
    expect(Object.keys(parts)).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
    ]);
    for (const xml of Object.values(parts)) expect(wellFormed(xml)).toBe(true);
    expect(parts['[Content_Types].xml']).toContain('PartName="/xl/worksheets/sheet2.xml"');
    expect(parts['xl/workbook.xml']).toContain('<sheet name="One" sheetId="1" r:id="rId1"/><sheet name="Two" sheetId="2" r:id="rId2"/>');
    expect(parts['xl/_rels/workbook.xml.rels']).toContain('Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"');
    expect(parts['xl/styles.xml']).toContain('<font><b/>');
  });

  it('writes text as inline strings and numbers as numbers, the header row bold', () => {
    const parts = unzipParts(
      writeXlsx([
        {
          name: 'Data',
          rows: [
            ['id', 'score', 'note'],
            ['R1', -0.125, 'two\nlines  '],
            ['R2', null, ''],
            ['R3', 42, 'ok'],
          ],
        },
      ]),
    );
    const sheet = parts['xl/worksheets/sheet1.xml'];
    const cells = readCells(sheet);
    expect(cells.filter((c) => c.ref.endsWith('1') && c.ref.length === 2).map((c) => c.style)).toEqual(['1', '1', '1']);
    expect(cells.find((c) => c.ref === 'B2')).toEqual({ ref: 'B2', style: null, type: 'n', value: '-0.125' });
    expect(cells.find((c) => c.ref === 'A2')?.type).toBe('inlineStr');
    expect(readGrid(sheet)).toEqual([['id', 'score', 'note'], ['R1', -0.125, 'two\nlines  '], ['R2'], ['R3', 42, 'ok']]);
    expect(sheet).toContain('<dimension ref="A1:C4"/>');
    expect(sheet).toContain('state="frozen"');
  });

  it('leaves the first row plain when a sheet has no header', () => {
    const sheet = unzipParts(writeXlsx([{ name: 'S', rows: [['a']], header: false }]))['xl/worksheets/sheet1.xml'];
    expect(readCells(sheet)[0].style).toBeNull();
    expect(sheet).not.toContain('frozen');
  });

  it('escapes markup and drops characters XML 1.0 cannot hold', () => {
    const hostile = 'a<b>&"c"\'d\u0000\u0001\u000b\u001f\ufffe\ud800e\tf\ng\rh🙂';
    const sheet = unzipParts(writeXlsx([{ name: 'S', rows: [[hostile]] }]))['xl/worksheets/sheet1.xml'];
    expect(wellFormed(sheet)).toBe(true);
    expect(sheet).toContain('a&lt;b&gt;&amp;&quot;c&quot;&#39;d');
    expect(readGrid(sheet)[0][0]).toBe('a<b>&"c"\'de\tf\ng\rh🙂');
  });

  it('keeps text that starts like a formula verbatim, as a string with the quote-prefix style, never a formula', () => {
    const rows = [
      ['=1+1', '+44 20 7946 0958', '-2+3', '@SUM(A1)', '\tx', '\rx', 'a=b', "'already quoted"],
      [-1, 0, 3.5],
    ];
    const parts = unzipParts(writeXlsx([{ name: 'S', rows: [['=head', 'plain'], ...rows] }]));
    const sheet = parts['xl/worksheets/sheet1.xml'];
    const grid = readGrid(sheet);
    expect(grid[1]).toEqual(['=1+1', '+44 20 7946 0958', '-2+3', '@SUM(A1)', '\tx', '\rx', 'a=b', "'already quoted"]);
    expect(grid[2]).toEqual([-1, 0, 3.5]);
    const styleOf = (ref: string) => readCells(sheet).find((c) => c.ref === ref)?.style ?? null;
    // Row 2: the six formula-like texts get style 2 (quotePrefix), the plain ones none.
    expect(['A2', 'B2', 'C2', 'D2', 'E2', 'F2', 'G2', 'H2'].map(styleOf)).toEqual(['2', '2', '2', '2', '2', '2', null, null]);
    expect(['A3', 'B3', 'C3'].map(styleOf)).toEqual([null, null, null]);
    // The header keeps bold, and adds the quote prefix where needed.
    expect(['A1', 'B1'].map(styleOf)).toEqual(['3', '1']);
    // No formula element anywhere, and every text cell is typed as a string.
    expect(sheet).not.toMatch(/<f[\s>]/);
    expect(sheet.match(/<c /g)).toHaveLength(readCells(sheet).length);
    // The styles those indexes name: 2 and 3 carry quotePrefix, 3 is bold.
    const xfs = [...parts['xl/styles.xml'].split('<cellXfs')[1].matchAll(/<xf [^>]*\/>/g)].map((m) => m[0]);
    expect(xfs).toHaveLength(4);
    expect(parts['xl/styles.xml']).toContain('<cellXfs count="4">');
    expect(xfs.map((x) => x.includes('quotePrefix="1"'))).toEqual([false, false, true, true]);
    expect(xfs.map((x) => x.includes('fontId="1"'))).toEqual([false, true, false, true]);
    // A control character in front of "=" is dropped; the text is still typed as a string.
    expect(xlsxCellText('\u0001=cmd')).toBe('=cmd');
  });

  it('cuts text at the cell limit without splitting an emoji', () => {
    expect(xlsxCellText('x'.repeat(40_000))).toHaveLength(MAX_XLSX_CELL_TEXT);
    const emoji = 'x'.repeat(MAX_XLSX_CELL_TEXT - 1) + '🙂';
    expect(xlsxCellText(emoji)).toBe('x'.repeat(MAX_XLSX_CELL_TEXT - 1));
  });

  it('makes sheet names valid and unique', () => {
    expect(sanitiseSheetNames(['Codings', 'codings', 'a[b]:c*d?e/f\\g', '', "'quoted'", 'History', 'x'.repeat(40), 'x'.repeat(40), 'Tab\tname'])).toEqual([
      'Codings',
      'codings (2)',
      'a_b__c_d_e_f_g',
      'Sheet4',
      'quoted',
      'History (2)',
      'x'.repeat(31),
      'x'.repeat(27) + ' (2)',
      'Tab name',
    ]);
    for (const name of sanitiseSheetNames(['<&>', '='.repeat(50)])) expect(name.length).toBeLessThanOrEqual(31);
    const parts = unzipParts(writeXlsx([{ name: 'A & <B>', rows: [] }]));
    expect(parts['xl/workbook.xml']).toContain('name="A &amp; &lt;B&gt;"');
  });

  it('names columns A to XFD', () => {
    expect([0, 25, 26, 51, 52, 701, 702, 16_383].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']);
  });

  it('writes the same bytes whatever the clock says', () => {
    const sheets = [{ name: 'S', rows: [['a', 1]] }];
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2021-06-01T12:00:00Z'));
    const first = writeXlsx(sheets);
    vi.setSystemTime(new Date('2030-01-15T03:04:05Z'));
    const second = writeXlsx(sheets);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });

  it('refuses an empty workbook and sheets beyond Excel limits', () => {
    expect(() => writeXlsx([])).toThrow(RangeError);
    expect(() => writeXlsx([{ name: 'S', rows: [new Array(16_385).fill(1)] }])).toThrow(/at most 16384/);
  });

  it('reads back through read-excel-file, the reader the import uses', async () => {
    const rows = [
      ['respondent', 'score', 'quote'],
      ['R1', 3, 'Nguyễn said "yes" & more 🙂'],
      ['007', 1.5, '=danger'],
      ['R2', 0, 'carriage\rreturn'],
    ];
    const bytes = writeXlsx([
      { name: 'Codings & more', rows },
      { name: 'Second', rows: [['x']] },
    ]);
    const read = await readXlsxRows(bytes, 'export.xlsx');
    expect(read.sheetNames).toEqual(['Codings & more', 'Second']);
    expect(read.rows).toEqual([
      ['respondent', 'score', 'quote'],
      ['R1', '3', 'Nguyễn said "yes" & more 🙂'],
      ['007', '1.5', '=danger'],
      // The import turns every line end into LF.
      ['R2', '0', 'carriage\nreturn'],
    ]);
  });

  it('round-trips any text verbatim, apart from dropped characters (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: anyCodePoint, maxLength: 12 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        (rows) => {
          const sheet = unzipParts(writeXlsx([{ name: 'S', rows, header: false }]))['xl/worksheets/sheet1.xml'];
          const grid = readGrid(sheet);
          const clean = (t: string) => t.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
          rows.forEach((row, r) => row.forEach((text, c) => expect(grid[r]?.[c] ?? '').toBe(clean(text))));
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('projectWorkbook', () => {
  it('holds the codings, the answers and the codebook', async () => {
    const bytes = projectWorkbook(sampleSource(), { coder: { coderId: 'alice' } });
    const codings = await readXlsxRows(bytes, 'p.xlsx', 'Codings');
    expect(codings.sheetNames).toEqual(['Codings', 'Answers', 'Codebook']);
    expect(codings.rows).toHaveLength(4);
    expect(codings.rows[1].slice(5, 12)).toEqual(['Rewards › Mentor <script>alert(1)</script>', 'Growth <b>', 'Alice', 'Meeting my mentor', '0', '17', 'yes']);
    const answers = await readXlsxRows(bytes, 'p.xlsx', 'Answers');
    expect(answers.rows).toHaveLength(6);
    expect(answers.rows[4][5]).toBe('-5 funding cuts');
    const codebook = await readXlsxRows(bytes, 'p.xlsx', 'Codebook');
    expect(codebook.rows.map((r) => [r[0], r[6], r[7]])).toEqual([
      ['code', 'answers', 'codings'],
      ['Rewards', '0', '0'],
      ['Rewards › Career', '1', '1'],
      ['Rewards › Mentor <script>alert(1)</script>', '1', '1'],
      ['Barriers', '0', '0'],
      ['Barriers › Time', '1', '1'],
    ]);
  });
});
