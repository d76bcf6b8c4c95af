import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { readSource } from './read-source';
import { cellReader, DEFERRED } from './deferred-cells';
import { proposePlan, validatePlan } from './propose-plan';
import { answerText, buildBatch } from './build-batch';
import { describeColumns } from './describe-source';
import type { SourceTable } from './types';

const utf8 = (text: string) => new TextEncoder().encode(text);

/**
 * The table as plain strings: every deferred cell decoded, `deferred` left out.
 * On the way, each deferred cell's length as the plan counts it from the bytes is checked against its text.
 */
function plain(table: SourceTable): SourceTable {
  const cell = cellReader(table);
  for (const row of table.rows) {
    row.forEach((value, c) => {
      if (value === DEFERRED) expect(table.deferred!.trimmedLength(row, c)).toBe(cell(row, c)!.trim().length);
    });
  }
  const { deferred: _deferred, ...rest } = table;
  return { ...rest, rows: table.rows.map((row) => row.map((_, c) => cell(row, c)!)) };
}

async function outcome<T>(work: () => Promise<T> | T): Promise<T | { error: string; message: string; row?: number }> {
  try {
    return await work();
  } catch (error) {
    const e = error as Error & { row?: number };
    return { error: e.name, message: e.message, row: e.row };
  }
}

/** Everything the import worker derives from a table: the plan, its problems, the preview's columns, the batch. */
async function derived(table: SourceTable) {
  const plan = proposePlan(table);
  return {
    plan,
    problems: validatePlan(table, plan),
    columns: describeColumns(table),
    batch: await outcome(() => buildBatch(table, plan)),
    // Answers left as bytes (the staging's batch) read back as the same texts, and are sized no smaller.
    staged: await outcome(() => {
      const batch = buildBatch(table, plan, { deferTexts: true });
      for (const group of batch.answers)
        group.texts.forEach((_, i) => expect(group.unitsOf?.(i) ?? group.texts[i].length).toBeGreaterThanOrEqual(answerText(group, i).length));
      return {
        ...batch,
        answers: batch.answers.map(({ textOf: _t, unitsOf: _u, ...group }) => ({
          ...group,
          texts: group.texts.map((_, i) => answerText({ ...group, textOf: _t }, i)),
        })),
      };
    }),
  };
}

describe('long cells kept as bytes until read', () => {
  // Characters that steer the parser, multi-byte ones it must not split, and a NBSP (blank to trim, not to a byte test).
  const chars = fc.constantFrom('a', 'Zz', ' ', ',', ';', '"', '\n', '\r\n', '\r', 'é', '’', '😀', '1', '\u00a0', 'word ');
  const text = fc.array(chars, { maxLength: 14 }).map((parts) => parts.join(''));
  const options = fc.record({ minBytes: fc.integer({ min: 1, max: 12 }), afterRecords: fc.integer({ min: 0, max: 3 }) });

  it('any text, cut anywhere: the same table (or error) as reading every cell as a string', async () => {
    let seen = 0;
    const input = fc.array(fc.oneof(text, fc.constantFrom('\n', '"', ',')), { maxLength: 30 }).map((parts) => 'id,answer,note\n' + parts.join(''));
    await fc.assert(
      fc.asyncProperty(input, options, fc.integer({ min: 1, max: 40 }), async (csv, defer, pieceChars) => {
        const bytes = utf8(csv);
        const strings = await outcome(() => readSource(bytes, 'x.csv', { pieceChars }));
        const deferred = await outcome(async () => {
          const table = await readSource(bytes, 'x.csv', { pieceChars, deferLongCells: defer });
          if (table.deferred) seen++;
          return plain(table);
        });
        expect(deferred).toEqual(strings);
      }),
      // A well-formed table first: random runs can all be ragged (one in CI was), and then nothing was deferred.
      { numRuns: 400, examples: [['id,answer,note\n1,a long answer “here”,x\n2,"quoted, long",y\n', { minBytes: 1, afterRecords: 0 }, 7]] },
    );
    // Most random texts are ragged or badly quoted (compared above as errors); the survey tables below defer more.
    expect(seen).toBeGreaterThan(0);
  });

  const cell = text;
  const table = fc
    .integer({ min: 1, max: 4 })
    .chain((answers) =>
      fc.array(
        fc.tuple(
          fc.constantFrom('a1', 'a2', 'b1', 'c 3', ''),
          fc.constantFrom('Baseline', 'Follow-up', ''),
          fc.array(cell, { minLength: answers, maxLength: answers }),
        ),
        { minLength: 1, maxLength: 12 },
      ),
    );

  it('any survey table (CRLF, CR or LF): the same plan, problems, preview and batch as from strings', async () => {
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.constantFrom('\n', '\r\n', '\r'),
        options,
        fc.integer({ min: 1, max: 64 }),
        fc.boolean(),
        async (rows, newline, defer, pieceChars, bom) => {
          const header = ['respondent_id', 'wave', ...rows[0][2].map((_, i) => `Q${i + 1}`)];
          const csv = Papa.unparse([header, ...rows.map(([id, wave, answers]) => [id, wave, ...answers])], { newline, quotes: bom });
          const bytes = bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(csv)]) : utf8(csv);
          const strings = await outcome(() => readSource(bytes, 'survey.csv', { pieceChars }));
          const kept = await outcome(() => readSource(bytes, 'survey.csv', { pieceChars, deferLongCells: defer }));
          if ('error' in strings || 'error' in kept) {
            expect(kept).toEqual(strings);
            return;
          }
          if (kept.deferred) seen++;
          expect(plain(kept)).toEqual(strings);
          const fromBytes = await derived(kept);
          const fromStrings = await derived(strings);
          expect(fromBytes).toEqual(fromStrings);
          expect(fromBytes.staged).toEqual(fromStrings.batch);
        },
      ),
      { numRuns: 300 },
    );
    expect(seen).toBeGreaterThan(30);
  });

  it('the worker defaults defer answers, not short values, and not the rows the detection reads', async () => {
    const answer = 'I learned as much as my mentee did – which I did not expect, honestly.';
    const lines = ['respondent_id,role,Expectations'];
    for (let i = 0; i < 2000; i++) lines.push(`R${i},mentor,"${answer} ""${i}"""`);
    // In pieces, as a file streams (cells are deferred from the first piece after record 512).
    const table = await readSource(utf8(lines.join('\r\n')), 'big.csv', { deferLongCells: true, pieceChars: 4096 });
    expect(table.deferred?.size).toBeGreaterThan(0);
    expect(table.rows[0][2]).not.toBe(DEFERRED);
    expect(table.rows[1999]).toEqual(['R1999', 'mentor', DEFERRED]);
    expect(cellReader(table)(table.rows[1999], 2)).toBe(`${answer} "1999"`);
  });

  it('with a BOM, bytes that are not UTF-8 in a long cell read as U+FFFD, as in a string', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('id,answer\n1,a long answer '), 0x92, 0xe2, 0x80, ...utf8(' ends\n2,x\n')]);
    const kept = await readSource(bytes, 'bom.csv', { deferLongCells: { minBytes: 4, afterRecords: 0 } });
    expect(plain(kept)).toEqual(await readSource(bytes, 'bom.csv'));
  });

  it('a long cell that is not UTF-8 still sends the file to Windows-1252', async () => {
    const bytes = new Uint8Array([...utf8('id,answer\n1,' + 'x'.repeat(60) + '\n2,' + 'y'.repeat(60)), 0x92, ...utf8('s\n')]);
    const table = await readSource(bytes, 'cp.csv', { pieceChars: 8, deferLongCells: { minBytes: 4, afterRecords: 0 } });
    expect(table.encoding).toBe('windows-1252');
    expect(table.deferred).toBeUndefined();
    expect(table.rows[1][1]).toBe('y'.repeat(60) + '’s');
  });

  it('a stray quote that swallows a line is found in a deferred cell too', async () => {
    const bytes = utf8('id,answer\n1,fine answer here\n2,"a long "odd" answer\nrunning on" and on\n3,ok\n');
    const strings = await outcome(() => readSource(bytes, 'q.csv'));
    expect(strings).toMatchObject({ row: 3 });
    expect(await outcome(() => readSource(bytes, 'q.csv', { deferLongCells: { minBytes: 2, afterRecords: 0 } }))).toEqual(strings);
  });
});
