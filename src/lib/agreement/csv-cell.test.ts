// @vitest-environment node
import fc from 'fast-check';
import { anyCodePoint } from '../test-arbitraries';
import { describe, expect, it } from 'vitest';
import { csvCell, csvNumber, csvRow, neutraliseFormula, toCsv } from './csv-cell';

/** A minimal RFC 4180 reader, to check that what we write reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('csvCell', () => {
  it('quotes cells with commas, quotes, CR or LF, doubling inner quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe('"\'\rx"');
    expect(csvCell('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
    expect(csvCell('a=b')).toBe('a=b');
    expect(neutraliseFormula('ok')).toBe('ok');
  });

  it('writes numbers as numbers, negative ones included, and empties for null', () => {
    expect(csvCell(-0.125)).toBe('-0.125');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(csvNumber(-0.125, 3))).toBe('-0.125');
    expect(csvCell(csvNumber(0.1, 3))).toBe('0.100');
    expect(csvCell(csvNumber(-0.0001, 3))).toBe('0.000');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('toCsv', () => {
  it('joins cells with commas and rows with CRLF', () => {
    expect(csvRow(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"');
    expect(
      toCsv([
        ['x', 'y'],
        [1, 2],
      ]),
    ).toBe('x,y\r\n1,2\r\n');
  });

  it('round-trips any text through an RFC 4180 reader (apart from the formula prefix)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: anyCodePoint }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), (rows) => {
        const read = parseCsv(toCsv(rows));
        expect(read).toEqual(rows.map((row) => row.map(neutraliseFormula)));
      }),
    );
  });
});
