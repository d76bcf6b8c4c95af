import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { fixture } from '../../../tests/fixtures/import/fixtures';
import { makeXlsx } from '../../../tests/fixtures/import/make-xlsx';
import { buildBatch, checkFileSize, MAX_IMPORT_BYTES, proposePlan, readSource, sourceRowNumber, validatePlan } from './index';
import { toCsv } from '../../../tests/fixtures/import/to-csv';
import { ImportError, type ImportBatch, type SourceTable } from './types';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** readSource → proposePlan → validatePlan → buildBatch, as the worker does. */
async function importBytes(bytes: Uint8Array, fileName: string, sheet?: string) {
  const table = await readSource(bytes, fileName, { sheet });
  const plan = proposePlan(table);
  expect(validatePlan(table, plan)).toEqual([]);
  return { table, plan, batch: buildBatch(table, plan) };
}

function roles(plan: ReturnType<typeof proposePlan>): Record<string, string> {
  return Object.fromEntries(plan.columns.map((c) => [c.name, c.role]));
}

function answersOf(batch: ImportBatch, questionKey: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const group of batch.answers.filter((g) => g.questionKey === questionKey)) {
    group.respondentIds.forEach((id, i) => (out[id] = group.texts[i]));
  }
  return out;
}

async function readError(bytes: Uint8Array, fileName: string, sheet?: string): Promise<ImportError> {
  try {
    await readSource(bytes, fileName, { sheet });
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return error as ImportError;
  }
  throw new Error(`${fileName} was read without an error`);
}

/** UTF-16 with BOM, as Excel's "Unicode Text" writes it. */
function utf16(text: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + i * 2, text.charCodeAt(i), littleEndian);
  return out;
}

/** Windows-1252 bytes for text made of ASCII plus a few 1252 characters. */
function cp1252(text: string): Uint8Array {
  const high: Record<string, number> = { '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '€': 0x80, é: 0xe9, ü: 0xfc };
  return Uint8Array.from([...text].map((c) => high[c] ?? c.charCodeAt(0)));
}

describe('readSource: delimited fixtures', () => {
  it('reads a CSV with quoted fields, embedded newlines and doubled quotes', async () => {
    const { table, plan, batch } = await importBytes(fixture('quoted.csv'), 'quoted.csv');
    expect(table).toMatchObject({ format: 'generic', encoding: 'utf-8', delimiter: ',', firstRowNumber: 2 });
    expect(roles(plan)).toEqual({ respondent_id: 'id', group: 'attribute', comments: 'question', suggestions: 'question' });
    const comments = answersOf(batch, 'comments');
    expect(comments.R02).toBe('She said "this changed everything" and I agree.');
    expect(comments.R03).toBe('First line of my answer\nsecond line of my answer');
    expect(comments.R04).toBe('N/A');
    expect(comments.R05).toBeUndefined(); // whitespace only: blank
    expect(answersOf(batch, 'suggestions').R04).toBe('Put the slides online "before" the session, not after.');
    expect(batch.blankAnswerCount).toBe(2);
    expect(batch.respondents.find((r) => r.id === 'R03')).toEqual({ id: 'R03', attributes: { group: 'Control' }, waves: ['Wave 1'] });
  });

  it('reads a semicolon file whose answers contain commas', async () => {
    const { table, batch } = await importBytes(fixture('semicolon.csv'), 'semicolon.csv');
    expect(table.delimiter).toBe(';');
    expect(answersOf(batch, 'feedback').S1).toBe('The course was useful, but too short, and the handouts were late.');
    expect(batch.attributes).toEqual(['department']);
  });

  it('reads a TSV', async () => {
    const { table, batch } = await importBytes(fixture('answers.tsv'), 'answers.tsv');
    expect(table.delimiter).toBe('\t');
    expect(answersOf(batch, 'answer').P1).toBe('It was fine, I guess, but "fine" is not great.');
  });

  it('reads UTF-8 with a BOM, without the BOM in the first header', async () => {
    const { table, batch } = await importBytes(fixture('utf8-bom.csv'), 'utf8-bom.csv');
    expect(table.encoding).toBe('utf-8-bom');
    expect(table.columns[0].key).toBe('participant');
    expect(answersOf(batch, 'reflection').A1).toBe('Café meetings were the best part – très bien, I’d say.');
  });

  it('reads UTF-16LE and UTF-16BE with a BOM (Excel "Unicode Text" is tab-separated UTF-16LE)', async () => {
    const text =
      'id\trole\tanswer\r\nU1\tstudent\tÜber-useful sessions – thank you, I’d come again.\r\nU2\tstaff\tThe rooms were too small for the group work we did.\r\n';
    for (const littleEndian of [true, false]) {
      const { table, batch } = await importBytes(utf16(text, littleEndian), 'unicode.txt');
      expect(table.encoding).toBe(littleEndian ? 'utf-16le' : 'utf-16be');
      expect(table.delimiter).toBe('\t');
      expect(answersOf(batch, 'answer').U1).toBe('Über-useful sessions – thank you, I’d come again.');
    }
  });

  it('reads Windows-1252 when the bytes are not UTF-8 (0x92 → ’), with a note', async () => {
    const bytes = cp1252('id,answer\r\nW1,I’m glad I joined – it cost less than €20.\r\nW2,“Très” good; the café was open late.\r\n');
    expect(bytes.includes(0x92)).toBe(true);
    const { table, batch } = await importBytes(bytes, 'excel.csv');
    expect(table.encoding).toBe('windows-1252');
    expect(answersOf(batch, 'answer')).toEqual({
      W1: 'I’m glad I joined – it cost less than €20.',
      W2: '“Très” good; the café was open late.',
    });
    expect(table.notes.some((n) => n.includes('Windows-1252'))).toBe(true);
  });

  it('keeps exact spreadsheet row numbers when blank lines sit between answers', async () => {
    const text = 'id,answer\n\nA,The first answer is long enough to be a question.\n\n\nA,The second answer repeats the same ID by mistake.\n';
    const table = await readSource(utf8(text), 'gaps.csv');
    expect(table.firstRowNumber).toBe(3);
    expect(table.rowNumbers).toEqual([3, 6]);
    expect(sourceRowNumber(table, 1)).toBe(6);
    const plan = proposePlan(table);
    plan.columns[0].role = 'id';
    expect(validatePlan(table, plan)).toContain('Respondent "A" appears twice in wave "Wave 1" (rows 3 and 6).');
  });

  it('accepts a trailing delimiter on data rows and short rows under blank headers', async () => {
    const trailing = await readSource(utf8('id,answer\n1,yes,\n2,no,\n'), 't.csv');
    expect(trailing.rows).toEqual([
      ['1', 'yes'],
      ['2', 'no'],
    ]);
    const blankHeader = await readSource(utf8('id,answer,\n1,yes\n2,no,\n'), 'b.csv');
    expect(blankHeader.rows).toEqual([
      ['1', 'yes', ''],
      ['2', 'no', ''],
    ]);
  });

  it('reads a long-format file with a wave column: one respondent, several waves', async () => {
    const { plan, batch } = await importBytes(fixture('long-format.csv'), 'long-format.csv');
    expect(roles(plan)).toMatchObject({ 'participant id': 'id', site: 'attribute', wave: 'wave' });
    expect(batch.waves).toEqual([
      { name: 'Baseline', rowCount: 2 },
      { name: 'Follow-up', rowCount: 2 },
    ]);
    expect(batch.respondents).toEqual([
      { id: 'L1', attributes: { site: 'Leeds' }, waves: ['Baseline', 'Follow-up'] },
      { id: 'L2', attributes: { site: 'York' }, waves: ['Baseline', 'Follow-up'] },
    ]);
    expect(batch.answers.map((g) => [g.waveName, g.respondentIds])).toEqual([
      ['Baseline', ['L1', 'L2']],
      ['Follow-up', ['L1', 'L2']],
    ]);
  });
});

describe('readSource: survey tool exports', () => {
  it('reads a Qualtrics export: 3 header rows, metadata ignored, ExternalReference as ID', async () => {
    const { table, plan, batch } = await importBytes(fixture('qualtrics.csv'), 'qualtrics.csv');
    expect(table).toMatchObject({ format: 'qualtrics', firstRowNumber: 4 });
    expect(table.rows).toHaveLength(4);
    expect(table.notes[0]).toBe('Recognised a Qualtrics export (3 header rows): 16 metadata columns will be ignored.');
    const r = roles(plan);
    expect(r.ExternalReference).toBe('id');
    for (const key of ['StartDate', 'IPAddress', 'Duration (in seconds)', 'ResponseId', 'RecipientEmail', 'UserLanguage']) {
      expect(r[key]).toBe('ignore');
    }
    expect(r.Q1).toBe('attribute');
    expect(r.Q2).toBe('question');
    expect(batch.questions[0]).toEqual({
      key: 'Q2',
      label: 'What did you find most valuable about the programme, and why?',
      text: 'What did you find most valuable about the programme, and why?',
    });
    expect(answersOf(batch, 'Q2').P003).toBe('Feedback on my fellowship application.\nIt made the difference.');
    expect(answersOf(batch, 'Q2').P002).toBe('Having someone outside my department to ask the "obvious" questions.');
  });

  it('reads a legacy two-row Qualtrics export with ResponseID as the fallback ID', async () => {
    const { table, plan } = await importBytes(fixture('qualtrics-legacy.csv'), 'qualtrics-legacy.csv');
    expect(table).toMatchObject({ format: 'qualtrics-legacy', firstRowNumber: 3 });
    expect(roles(plan)).toMatchObject({ ResponseID: 'id', Q1: 'attribute', Q2: 'question', StartDate: 'ignore' });
  });

  it('reads a SurveyMonkey export with a multi-column question', async () => {
    const { table, plan, batch } = await importBytes(fixture('surveymonkey.csv'), 'surveymonkey.csv');
    expect(table).toMatchObject({ format: 'surveymonkey', firstRowNumber: 3 });
    const r = roles(plan);
    expect(r['Respondent ID']).toBe('id');
    expect(r['Collector ID']).toBe('ignore');
    expect(r['IP Address']).toBe('ignore');
    expect(plan.columns.map((c) => c.label)).toContain('Which activities did you join? — Other (please specify)');
    expect(r['What did you like most about the…']).toBe('question');
    expect(batch.questions.map((q) => q.label)).toContain('What did you like most about the programme overall?');
    expect(answersOf(batch, 'Any other comments?')['114203902']).toBe("Please run it again next year; I'd sign up.");
  });

  it('reads a Google Forms export', async () => {
    const { table, plan } = await importBytes(fixture('google-forms.csv'), 'google-forms.csv');
    expect(table.format).toBe('google-forms');
    expect(roles(plan)).toMatchObject({
      Timestamp: 'ignore',
      'Email Address': 'ignore',
      'Participant ID': 'id',
      'Your role': 'attribute',
      'What did you learn from the placement?': 'question',
      'What would you change about it?': 'question',
    });
  });

  it('reads a Microsoft Forms export', async () => {
    const { table, plan } = await importBytes(fixture('microsoft-forms.csv'), 'microsoft-forms.csv');
    expect(table.format).toBe('microsoft-forms');
    expect(roles(plan)).toMatchObject({
      ID: 'id',
      'Start time': 'ignore',
      'Completion time': 'ignore',
      Email: 'ignore',
      Name: 'ignore',
      Team: 'attribute',
      'What went well this quarter?': 'question',
    });
  });
});

describe('readSource: XLSX', () => {
  const workbook = (sharedStrings: boolean) =>
    makeXlsx(
      [
        {
          name: 'Baseline',
          rows: [
            ['participant_id', 'group', 'score', 'joined', 'consent', 'What did you expect from the course?'],
            ['X1', 'A', 3, new Date(Date.UTC(2024, 0, 15)), true, 'To learn  how to\r\nanalyse interviews. '],
            [null, null, null, null, null, null],
            ['X2', 'B', 4.5, new Date(Date.UTC(2024, 0, 16, 9, 30)), false, 'Mostly to meet other researchers in my field.'],
            [1001, 'A', 2, null, null, null],
          ],
        },
        {
          name: 'Follow-up & notes',
          rows: [
            ['participant_id', 'What changed since the course?'],
            ['X1', 'I now code my own interviews without help from anyone.'],
          ],
        },
      ],
      { sharedStrings },
    );

  for (const sharedStrings of [false, true]) {
    it(`reads the first sheet, cells as strings (${sharedStrings ? 'shared' : 'inline'} strings)`, async () => {
      const table = await readSource(workbook(sharedStrings), 'course.xlsx');
      expect(table).toMatchObject({
        format: 'generic',
        encoding: 'xlsx',
        sheetNames: ['Baseline', 'Follow-up & notes'],
        sheetName: 'Baseline',
        firstRowNumber: 2,
        rowNumbers: [2, 4, 5],
      });
      expect(table.delimiter).toBeUndefined();
      expect(table.rows).toEqual([
        ['X1', 'A', '3', '2024-01-15', 'TRUE', 'To learn  how to\nanalyse interviews. '],
        ['X2', 'B', '4.5', '2024-01-16T09:30:00', 'FALSE', 'Mostly to meet other researchers in my field.'],
        ['1001', 'A', '2', '', '', ''],
      ]);
    });
  }

  it('reads a sheet chosen by name, through the whole pipeline', async () => {
    const { table, batch } = await importBytes(workbook(true), 'course.xlsx', 'Follow-up & notes');
    expect(table.sheetName).toBe('Follow-up & notes');
    expect(answersOf(batch, 'What changed since the course?')).toEqual({
      X1: 'I now code my own interviews without help from anyone.',
    });
  });

  it('says which sheets exist when the chosen one does not', async () => {
    const error = await readError(workbook(false), 'course.xlsx', 'Wave 2');
    expect(error.message).toBe('"course.xlsx" has no sheet called "Wave 2". Its sheets are "Baseline", "Follow-up & notes". Choose one of those.');
  });

  it('points to the other sheets when the chosen one is empty', async () => {
    const bytes = makeXlsx([
      { name: 'Cover', rows: [] },
      {
        name: 'Data',
        rows: [
          ['id', 'answer'],
          ['1', 'yes'],
        ],
      },
    ]);
    expect((await readError(bytes, 'book.xlsx')).message).toBe('The sheet "Cover" in "book.xlsx" is empty. Choose another sheet: "Data".');
    expect((await readSource(bytes, 'book.xlsx', { sheet: 'Data' })).rows).toEqual([['1', 'yes']]);
  });

  it('recognises a Microsoft Forms workbook', async () => {
    const bytes = makeXlsx([
      {
        name: 'Sheet1',
        rows: [
          ['ID', 'Start time', 'Completion time', 'Email', 'Name', 'What went well?'],
          [1, new Date(Date.UTC(2024, 2, 1, 10)), new Date(Date.UTC(2024, 2, 1, 10, 5)), 'anonymous', null, 'The new rota works well for the whole team.'],
          [2, new Date(Date.UTC(2024, 2, 1, 11)), new Date(Date.UTC(2024, 2, 1, 11, 5)), 'anonymous', null, 'Handover meetings are shorter and clearer now.'],
        ],
      },
    ]);
    const { table, plan } = await importBytes(bytes, 'Team survey(1-2).xlsx');
    expect(table.format).toBe('microsoft-forms');
    expect(roles(plan)).toMatchObject({ ID: 'id', 'Start time': 'ignore', 'What went well?': 'question' });
  });

  it('explains a ZIP that is not a workbook, and a damaged workbook', async () => {
    const zip = zipSync({ 'notes.txt': strToU8('hello') });
    expect((await readError(zip, 'export.zip')).message).toBe(
      '"export.zip" is a ZIP archive, not an Excel workbook. If your export is inside it, unzip it and import the CSV or XLSX file.',
    );
    expect((await readError(zip, 'export.xlsx')).message).toMatch(/^"export\.xlsx" could not be read as an Excel workbook/);
    const damaged = workbook(false).slice(0, 200);
    expect((await readError(damaged, 'damaged.xlsx')).message).toMatch(/could not be read as an Excel workbook.*save it again/);
  });
});

describe('readSource: bad inputs', () => {
  it('rejects an empty file', async () => {
    expect((await readError(fixture('bad/empty.csv'), 'empty.csv')).message).toBe(
      '"empty.csv" is empty. Export the survey results again and import the new file.',
    );
    expect((await readError(utf8('\ufeff \r\n'), 'bom.csv')).message).toMatch(/is empty/);
    expect((await readError(utf8(',,,\n\t,\n'), 'commas.csv')).message).toMatch(/is empty/);
  });

  it('rejects a file with a header but no answers', async () => {
    expect((await readError(fixture('bad/header-only.csv'), 'header-only.csv')).message).toBe(
      '"header-only.csv" has a header row but no answers. Check that the export includes the responses and import again.',
    );
    const qualtricsHeaders = new TextDecoder().decode(fixture('qualtrics.csv')).split('\n').slice(0, 3).join('\n');
    expect((await readError(utf8(qualtricsHeaders), 'q.csv')).message).toMatch(/has only header rows but no answers/);
  });

  it('rejects binary files', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0]);
    expect((await readError(png, 'photo.csv')).message).toBe(
      '"photo.csv" doesn\'t look like a CSV, TSV or Excel file. Export the survey results as CSV or Excel (.xlsx) and import that.',
    );
  });

  it('rejects old .xls files (and password-protected .xlsx, which share their format)', async () => {
    const ole = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect((await readError(ole, 'old.xls')).message).toBe(
      '"old.xls" is an old-style Excel file (.xls). Open it in Excel and save it as .xlsx or CSV, then import that.',
    );
    expect((await readError(ole, 'locked.xlsx')).message).toMatch(/password-protected.*save it as \.xlsx or CSV/);
  });

  it('rejects duplicate column names', async () => {
    expect((await readError(fixture('bad/duplicate-columns.csv'), 'dup.csv')).message).toBe(
      'Columns 3 and 5 are both called "Comments". Rename one of them and import again.',
    );
  });

  it('rejects a row with more cells than the header, naming the row and the counts', async () => {
    const error = await readError(fixture('bad/ragged.csv'), 'ragged.csv');
    expect(error.row).toBe(3);
    expect(error.message).toMatch(/^Row 3 has 4 cells, but the header has 3\. .*comma without quotes/);
  });

  it('rejects a row with fewer cells than the header', async () => {
    const error = await readError(fixture('bad/ragged-short.csv'), 'short.csv');
    expect(error.row).toBe(3);
    expect(error.message).toMatch(/^Row 3 has 2 cells, but the header has 3\./);
  });

  it('rejects an unclosed quote, naming the row', async () => {
    const error = await readError(fixture('bad/unclosed-quote.csv'), 'quote.csv');
    expect(error.row).toBe(3);
    expect(error.message).toMatch(/^Row 3 has a quote mark \("\) that is never closed/);
  });

  it('finds a respondent twice in one wave: validatePlan names both rows, buildBatch refuses', async () => {
    const table = await readSource(fixture('bad/duplicate-id.csv'), 'duplicate-id.csv');
    const plan = proposePlan(table, { waveName: 'Baseline' });
    expect(validatePlan(table, plan)).toEqual(['Respondent "E07" appears twice in wave "Baseline" (rows 5 and 6).']);
    expect(() => buildBatch(table, plan)).toThrow('Respondent "E07" appears twice in wave "Baseline" (rows 5 and 6).');
  });

  it('rejects files over the size limit before reading them', () => {
    expect(() => checkFileSize(MAX_IMPORT_BYTES, 'ok.csv')).not.toThrow();
    expect(() => checkFileSize(MAX_IMPORT_BYTES + 1, 'huge.csv')).toThrow(ImportError);
    expect(() => checkFileSize(3 * 1024 ** 3, 'huge.csv')).toThrow(/^"huge\.csv" is 3 GB, more than Codebench can import at once \(1 GB\)\. Split it/);
  });
});

describe('readSource: cancel and progress', () => {
  it('rejects with an AbortError when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readSource(fixture('quoted.csv'), 'quoted.csv', { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('reports parsing progress up to the file size', async () => {
    const calls: number[][] = [];
    const bytes = fixture('quoted.csv');
    await readSource(bytes, 'quoted.csv', { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls[calls.length - 1]).toEqual([bytes.length, bytes.length]);
  });
});

describe('readSource: properties', () => {
  const cellChars = fc.constantFrom('a', 'B', ' ', ',', ';', '\t', '"', '\n', '\r', 'ß', '’', '🙂', '7');
  const cell = fc.string({ unit: cellChars, maxLength: 10 });
  const table = fc
    .integer({ min: 1, max: 5 })
    .chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 10 }));

  it('reads back any table written as UTF-8 CSV, modulo CR/CRLF → LF and blank rows', async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.constantFrom(',', ';', '\t'), fc.boolean(), async (rows, delimiter, bom) => {
        const nonBlank = rows.filter((r) => r.some((c) => c.trim() !== ''));
        fc.pre(nonBlank.length > 0);
        const header = rows[0].map((_, i) => `col${i}`);
        const bytes = utf8((bom ? '\ufeff' : '') + toCsv([header, ...rows], delimiter));
        const result: SourceTable = await readSource(bytes, 'random.csv');
        expect(result.columns.map((c) => c.key)).toEqual(header);
        expect(result.rows).toEqual(nonBlank.map((r) => r.map((c) => c.replace(/\r\n?/g, '\n'))));
      }),
      { numRuns: 200 },
    );
  });
});

describe('readSource: files that are not survey tables, named as what they are', () => {
  const csv = 'id,role,answer\r\nU1,student,Über-useful sessions – thank you.\r\nU2,staff,The rooms were too small.\r\n';

  /** UTF-16 without a byte-order mark, as some exporters write it. */
  function utf16WithoutBom(text: string, littleEndian: boolean): Uint8Array {
    const out = new Uint8Array(text.length * 2);
    const view = new DataView(out.buffer);
    for (let i = 0; i < text.length; i++) view.setUint16(i * 2, text.charCodeAt(i), littleEndian);
    return out;
  }

  it('reads UTF-16 LE and BE without a byte-order mark, and says so', async () => {
    for (const littleEndian of [true, false]) {
      const { table, batch } = await importBytes(utf16WithoutBom(csv, littleEndian), 'survey.csv');
      expect(table.encoding).toBe(littleEndian ? 'utf-16le' : 'utf-16be');
      expect(table.columns.map((c) => c.key)).toEqual(['id', 'role', 'answer']);
      expect(answersOf(batch, 'answer').U1).toBe('Über-useful sessions – thank you.');
      expect(table.notes).toContain(`The file is UTF-16 without a byte-order mark; it was read as UTF-16 (${littleEndian ? 'little' : 'big'}-endian).`);
    }
  });

  it('names NUL bytes in a CSV, with the line and byte of the first', async () => {
    const withNuls = utf8(csv);
    const at = csv.indexOf('The rooms');
    withNuls[at] = 0;
    withNuls[at + 4] = 0;
    expect((await readError(withNuls, 'nul.csv')).message).toBe(
      `"nul.csv" contains 2 NUL bytes (the first on line 3, at byte ${at}), which no survey export has: the file was probably damaged, or padded with zeros, when it was saved or copied. Export the survey again (or open the file in a text editor and delete them), then import it again.`,
    );
    const padded = new Uint8Array(utf8(csv).length + 4096);
    padded.set(utf8(csv));
    expect((await readError(padded, 'padded.csv')).message).toMatch(/^"padded\.csv" contains 4,096 NUL bytes \(the first on line 4, at byte \d+\)/);
  });

  it('names a web page saved as .csv instead of asking for its respondent ID column', async () => {
    const page =
      '<!DOCTYPE html>\n<html>\n<head><title>Session expired</title></head>\n<body><p>Please sign in, then try the export again.</p></body>\n</html>\n';
    expect((await readError(utf8(page), 'responses.csv')).message).toMatch(/^"responses\.csv" is a web page \(HTML\), not a survey export/);
  });

  it('names JSON, XML, gzip and PDF files', async () => {
    expect((await readError(utf8('[{"id":"U1","answer":"yes"}]'), 'data.csv')).message).toMatch(/^"data\.csv" holds JSON data, not a survey table/);
    expect((await readError(utf8('<?xml version="1.0"?>\n<rows><row/></rows>'), 'data.csv')).message).toMatch(/^"data\.csv" is an XML document/);
    expect((await readError(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), 'study.codebench.json.gz')).message).toMatch(
      /is a compressed \(gzip\) file\. If it is a Codebench project file/,
    );
    expect((await readError(utf8('%PDF-1.7\n%âãÏÓ\n'), 'report.csv')).message).toMatch(/^"report\.csv" is a PDF document/);
  });
});
