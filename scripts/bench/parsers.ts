/**
 * Parsers, same file, same run: the app's import reader against papaparse's
 * options and other maintained CSV parsers, in Node, on one bench CSV.
 *
 * Every candidate parses the same text; its rows (blank records dropped, CR/CRLF
 * in cells made LF, as the import does) are compared cell by cell with the
 * reference (papaparse's Parser fed 4 MB pieces: the app's reader before issue 15,
 * which the bad-input suite was written against). A candidate is `correct` when
 * its rows match AND it passes the bad-input probes below (an unclosed quote must
 * be caught and placed; a stray quote must not lose the row; CRLF in a quoted cell).
 *
 * The app's own path (`readSource` on a file-backed Blob, streamed and decoded as
 * in the worker) is measured in all three encodings the app reads; the others on
 * the text already decoded (decoding costs the same whoever parses).
 *
 * `npx tsx scripts/bench/parsers.ts FILE [runs]` prints the table alone.
 */
import { existsSync, mkdirSync, openAsBlob, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Papa from 'papaparse';
import { csvParseRows } from 'd3-dsv';
import { parse as csvParseSync } from 'csv-parse/sync';
import { inferSchema, initParser } from 'udsv';
import { readSource } from '../../src/lib/import/read-source';
import { readDelimited } from '../../src/lib/import/read-delimited';

export interface ParserRow {
  parser: string;
  options: string;
  encoding: string;
  ms: number;
  rows: number;
  correct: boolean;
  heapMB?: number;
  note?: string;
}

type Rows = string[][];

interface Candidate {
  parser: string;
  options: string;
  /** Parses the whole text; throws (or returns errors) on an unclosed quote. */
  parse(text: string): Rows;
  /** Whether the candidate reports an unclosed quote and where (row number, 1-based, where known). */
  unclosed(text: string): { caught: boolean; row?: number };
  note?: string;
}

const PAPA_PIECE = 4 * 1024 * 1024;

/** papaparse's low-level Parser fed 4 MB pieces with ignoreLastRow: the app's reader before issue 15. */
function papaPieces(text: string, fast = false): Rows {
  const guess = Papa.parse<string[]>(text.slice(0, 65536), { delimitersToGuess: [',', ';', '\t'], preview: 10, skipEmptyLines: 'greedy' });
  const delimiter = guess.meta.delimiter;
  const newline = guess.meta.linebreak as '\n' | '\r\n';
  const rows: Rows = [];
  let partial = '';
  for (let pos = 0; ; pos += PAPA_PIECE) {
    const last = pos + PAPA_PIECE >= text.length;
    const input = partial + text.substring(pos, Math.min(text.length, pos + PAPA_PIECE));
    const parser = new Papa.Parser({ delimiter, newline, quoteChar: '"', fastMode: fast });
    const result = parser.parse(input, 0, !last) as Papa.ParseResult<string[]>;
    const missing = result.errors.find((e) => e.code === 'MissingQuotes');
    if (missing) throw new UnclosedQuote(rows.length + (missing.row ?? 0) + 1);
    for (const row of result.data) rows.push(row);
    if (last) break;
    partial = input.substring(result.meta.cursor);
  }
  return rows;
}

class UnclosedQuote extends Error {
  constructor(readonly row?: number) {
    super(`unclosed quote${row ? ` at record ${row}` : ''}`);
  }
}

function caught(parse: (text: string) => Rows, text: string): { caught: boolean; row?: number } {
  try {
    parse(text);
    return { caught: false };
  } catch (error) {
    const row = (error as { row?: number; lines?: number }).row ?? (error as { lines?: number }).lines;
    return { caught: true, row };
  }
}

const CANDIDATES: Candidate[] = [
  {
    parser: 'papaparse 5',
    options: 'Parser, 4 MB pieces (the app before)',
    parse: (text) => papaPieces(text),
    unclosed: (text) => caught(papaPieces, text),
  },
  {
    parser: 'papaparse 5',
    options: 'Papa.parse(text), whole string',
    parse: (text) => Papa.parse<string[]>(text, { delimiter: ',' }).data,
    unclosed: (text) => {
      const result = Papa.parse<string[]>(text, { delimiter: ',' });
      const error = result.errors.find((e) => e.code === 'MissingQuotes');
      return { caught: !!error, row: error?.row === undefined ? undefined : error.row + 1 };
    },
  },
  {
    parser: 'papaparse 5',
    options: 'step: a callback per row',
    parse: (text) => {
      const rows: Rows = [];
      Papa.parse<string[]>(text, { delimiter: ',', step: (r) => void rows.push(r.data) });
      return rows;
    },
    unclosed: (text) => {
      let error: Papa.ParseError | undefined;
      Papa.parse<string[]>(text, { delimiter: ',', step: (r) => void (error ??= r.errors.find((e) => e.code === 'MissingQuotes')) });
      return { caught: !!error };
    },
  },
  {
    parser: 'papaparse 5',
    options: 'fastMode: true (no quote handling)',
    parse: (text) => papaPieces(text, true),
    unclosed: (text) => caught((t) => papaPieces(t, true), text),
    note: 'splits quoted cells at every comma and line break: not usable for survey answers',
  },
  {
    parser: 'udsv 0.7',
    options: 'stringArrs(text), whole string',
    parse: (text) => {
      const parser = initParser(inferSchema(text.slice(0, 65536), { header: () => [] }));
      return parser.stringArrs(text);
    },
    unclosed: (text) =>
      caught((t) => {
        const parser = initParser(inferSchema(t, { header: () => [] }));
        return parser.stringArrs(t);
      }, text),
    note: 'quoted line breaks must match the row separator (uDSV README): a CRLF file with LF inside answers is misread',
  },
  {
    parser: 'udsv 0.7',
    options: 'chunk(): 1M-character pieces',
    parse: (text) => {
      const parser = initParser(inferSchema(text.slice(0, 65536), { header: () => [] }));
      for (let pos = 0; pos < text.length; pos += 1 << 20) parser.chunk<string[]>(text.substring(pos, pos + (1 << 20)), parser.stringArrs);
      return parser.end<string[]>();
    },
    unclosed: (text) =>
      caught((t) => {
        const parser = initParser(inferSchema(t, { header: () => [] }));
        parser.chunk<string[]>(t, parser.stringArrs);
        return parser.end<string[]>();
      }, text),
  },
  {
    parser: 'd3-dsv 3',
    options: 'csvParseRows(text)',
    parse: (text) => csvParseRows(text),
    unclosed: (text) => caught(csvParseRows, text),
  },
  {
    parser: 'csv-parse 7',
    options: 'sync, relax_column_count',
    parse: (text) => csvParseSync(text, { relax_column_count: true, relax_quotes: true }) as Rows,
    unclosed: (text) => caught((t) => csvParseSync(t, { relax_column_count: true, relax_quotes: true }) as Rows, text),
  },
  {
    parser: 'Codebench CsvParser',
    options: 'readDelimited(text), 4M-character pieces',
    parse: (text) => readDelimited(text).rows,
    unclosed: (text) => caught((t) => readDelimited(t).rows, text),
  },
];

/** Record 4 opens a quote nobody closes (line 3 is blank). */
const UNCLOSED = 'id,answer\n1,fine\n\n2,"never closed\n3,more\n4,text\n';
const UNCLOSED_ROW = 4;
/** A stray quote papaparse (and the app) keep in the cell; the row must survive. */
const STRAY = 'id,answer\n1,"He said "hi" to me"\n2,ok\n';
/** CRLF file with a quoted multi-line cell. */
const CRLF = 'id,answer\r\n1,"line one\r\nline two"\r\n2,"x, ""y"""\r\n';

const CR = /\r\n?/g;

/** The rows the import keeps: blank records dropped, CR/CRLF made LF, a CR left by a mixed-ending file dropped. */
function normalise(rows: Rows): Rows {
  const out: Rows = [];
  for (const row of rows) {
    if (row.every((cell) => cell.trim() === '')) continue;
    out.push(row.map((cell) => (cell.indexOf('\r') === -1 ? cell : cell.replace(CR, '\n'))));
  }
  return out;
}

/**
 * What the import would keep of `rows` (see {@link normalise}), as a count and a
 * hash, so the reference for a 370 MB file need not be held next to each result.
 */
function fingerprint(rows: Rows): { rows: number; hash: number } {
  let hash = 0x811c9dc5;
  let kept = 0;
  const mix = (code: number) => (hash = Math.imul(hash ^ code, 0x01000193));
  for (const row of rows) {
    if (row.every((cell) => cell.trim() === '')) continue;
    kept++;
    for (const raw of row) {
      const cell = raw.indexOf('\r') === -1 ? raw : raw.replace(CR, '\n');
      for (let i = 0; i < cell.length; i++) mix(cell.charCodeAt(i));
      mix(0x1f);
    }
    mix(0x1e);
  }
  return { rows: kept, hash: hash >>> 0 };
}

function probes(candidate: Candidate): string[] {
  const failed: string[] = [];
  const unclosed = candidate.unclosed(UNCLOSED);
  if (!unclosed.caught) failed.push('unclosed quote not caught');
  else if (unclosed.row !== undefined && unclosed.row !== UNCLOSED_ROW) failed.push(`unclosed quote placed at ${unclosed.row}, not ${UNCLOSED_ROW}`);
  else if (unclosed.row === undefined) failed.push('unclosed quote caught but not placed');
  try {
    const stray = normalise(candidate.parse(STRAY));
    const body = stray.filter((r) => r[0] !== 'id');
    if (body.length !== 2 || body[0].length !== 2) failed.push('stray quote loses or splits a row');
  } catch {
    failed.push('stray quote refused');
  }
  try {
    const crlf = normalise(candidate.parse(CRLF)).filter((r) => r[0] !== 'id');
    if (crlf[0]?.[1] !== 'line one\nline two' || crlf[1]?.[1] !== 'x, "y"') failed.push('CRLF quoted cell misread');
  } catch {
    failed.push('CRLF quoted cell refused');
  }
  return failed;
}

const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** JS heap plus memory held outside it (Node makes large decoded strings external), after GC. */
function heapMB(): number {
  gc();
  gc();
  const { heapUsed, external } = process.memoryUsage();
  return (heapUsed + external) / 2 ** 20;
}

/** CPU time (user + system) since `start`: the machine may be shared, wall time alone would say more about the others. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Windows-1252 bytes for a string; characters it lacks become "?" (the test is the parse, not the text). */
function toWindows1252(text: string): Uint8Array {
  const high = new Map<number, number>();
  const cp = [
    0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d,
    0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
  ];
  cp.forEach((code, i) => high.set(code, 0x80 + i));
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c < 0x80 || (c >= 0xa0 && c <= 0xff) ? c : (high.get(c) ?? 0x3f);
  }
  return out;
}

function toUtf16(text: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = littleEndian ? 0xff : 0xfe;
  out[1] = littleEndian ? 0xfe : 0xff;
  for (let i = 0, at = 2; i < text.length; i++, at += 2) {
    const c = text.charCodeAt(i);
    out[at + (littleEndian ? 0 : 1)] = c & 0xff;
    out[at + (littleEndian ? 1 : 0)] = c >> 8;
  }
  return out;
}

/** The bench file in another encoding, written once next to it (a new file, never the hard-linked original). */
function encodedCopy(csvPath: string, text: string, encoding: 'utf-16le' | 'utf-16be' | 'windows-1252'): string {
  const path = join('generated/bench/parsers', `${basename(csvPath, '.csv')}.${encoding}.csv`);
  mkdirSync('generated/bench/parsers', { recursive: true });
  const stamp = `${path}.size`;
  const source = String(statSync(csvPath).size);
  if (existsSync(path) && existsSync(stamp) && readFileSync(stamp, 'utf8') === source) return path;
  const bytes = encoding === 'windows-1252' ? toWindows1252(text) : toUtf16(text, encoding === 'utf-16le');
  writeFileSync(path, bytes, { flag: 'w' });
  writeFileSync(stamp, source);
  return path;
}

/**
 * Measures every candidate `runs` times on `csvPath` (a UTF-8 CSV) and the app's
 * streamed reader on the same file in UTF-8, UTF-16 LE, UTF-16 BE and Windows-1252.
 * ms: median wall time of the parse; heapMB: JS heap (plus external strings) held by
 * the result after GC; for the candidates given the whole text, the text itself is
 * not counted (their cells may point into it), for the app's path everything is.
 */
export async function measureParsers(
  csvPath: string,
  runs: number,
  log: (line: string) => void = () => {},
  { appOnly = false }: { appOnly?: boolean } = {},
): Promise<ParserRow[]> {
  const out: ParserRow[] = [];
  // Decoded here, outside any candidate's time: decoding costs the same whoever parses.
  const text = readFileSync(csvPath, 'utf8');
  const reference = fingerprint(papaPieces(text));
  const textRows = reference.rows;

  for (const candidate of appOnly ? [] : CANDIDATES) {
    const failed = probes(candidate);
    const times: number[] = [];
    const cpu: number[] = [];
    let rows = 0;
    let correct = failed.length === 0;
    let held: number | undefined;
    let error: string | undefined;
    for (let run = 0; run < runs; run++) {
      const held_: { rows: Rows | null } = { rows: null };
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      try {
        held_.rows = candidate.parse(text);
      } catch (e) {
        error = (e as Error).message;
        correct = false;
        break;
      }
      times.push(performance.now() - started);
      cpu.push(cpuMs(cpuStart));
      if (run === 0) {
        const kept = fingerprint(held_.rows);
        rows = kept.rows;
        if (kept.hash !== reference.hash || kept.rows !== reference.rows) {
          correct = false;
          failed.push(kept.rows === reference.rows ? 'cells differ from the reference' : `${kept.rows} rows, reference ${reference.rows}`);
        }
        // What the result holds: the heap with it, less the heap once it is dropped.
        const withResult = heapMB();
        held_.rows = null;
        held = withResult - heapMB();
      }
    }
    const row: ParserRow = {
      parser: candidate.parser,
      options: candidate.options,
      encoding: 'utf-8 (text)',
      ms: times.length ? median(times) : NaN,
      rows,
      correct,
      heapMB: held,
    };
    const note = [cpu.length && `CPU ${median(cpu).toFixed(0)} ms`, error && `threw: ${error}`, ...failed, candidate.note].filter(Boolean).join('; ');
    if (note) row.note = note;
    out.push(row);
    log(`  parsers: ${row.parser} ${row.options}: ${row.ms.toFixed(0)} ms, ${correct ? 'correct' : 'NOT correct'}`);
  }

  // UTF-8 twice: its bytes parsed (the app's path) and, for comparison, decoded to text first like the other encodings.
  const files: [string, string, boolean][] = [
    ['utf-8', csvPath, false],
    ['utf-8', csvPath, true],
    ['utf-16le', encodedCopy(csvPath, text, 'utf-16le'), false],
    ['utf-16be', encodedCopy(csvPath, text, 'utf-16be'), false],
    ['windows-1252', encodedCopy(csvPath, text, 'windows-1252'), false],
  ];
  for (const [encoding, path, utf8AsText] of files) {
    const times: number[] = [];
    const cpu: number[] = [];
    let rows = 0;
    let held: number | undefined;
    let correct = true;
    let note: string | undefined;
    for (let run = 0; run < runs; run++) {
      const blob = await openAsBlob(path);
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      const holder: { table: Awaited<ReturnType<typeof readSource>> | null } = {
        table: await readSource(blob, basename(path), { utf8AsText }),
      };
      times.push(performance.now() - started);
      cpu.push(cpuMs(cpuStart));
      if (run === 0) {
        rows = holder.table!.rows.length + 1;
        if (holder.table!.encoding !== encoding) {
          correct = false;
          note = `read as ${holder.table!.encoding}`;
        } else if (encoding !== 'windows-1252') {
          const header = holder.table!.columns.map((c) => c.key);
          const kept = fingerprint([header, ...holder.table!.rows]);
          correct = kept.hash === reference.hash && kept.rows === reference.rows;
          if (!correct) note = 'rows differ from the reference';
        } else {
          correct = holder.table!.rows.length + 1 === textRows;
          note = 'characters Windows-1252 lacks written as "?"; checked by row count';
        }
        const withTable = heapMB();
        holder.table = null;
        held = withTable - heapMB();
      }
    }
    const row: ParserRow = {
      parser: 'Codebench (the app)',
      options:
        encoding === 'utf-8'
          ? utf8AsText
            ? 'readSource(File), UTF-8 decoded then parsed as text (before round 2)'
            : 'readSource(File): stream, parse the UTF-8 bytes, decode each cell, fit rows'
          : 'readSource(File): stream, decode, parse, fit rows',
      encoding,
      ms: median(times),
      rows,
      correct,
      heapMB: held,
    };
    row.note = [`CPU ${median(cpu).toFixed(0)} ms`, note].filter(Boolean).join('; ');
    out.push(row);
    log(`  parsers: the app, ${encoding}${utf8AsText ? ' as text' : ''}: ${row.ms.toFixed(0)} ms, ${row.note}`);
  }
  return out;
}

/** The "Parsers, same file, same run" section of the bench report. */
export function renderParsers(rows: ParserRow[], csvPath: string): string {
  const lines = [
    `### Parsers, same file, same run`,
    '',
    `${basename(csvPath)} (${(statSync(csvPath).size / 2 ** 20).toFixed(0)} MB), in Node ${process.version}; medians. "correct": the same rows as papaparse's Parser (the app before) and the bad-input probes (unclosed quote caught and placed, stray quote, CRLF in a quoted cell).`,
    '',
    '| parser | options | encoding | ms | rows | correct | heap held, MB | note |',
    '| --- | --- | --- | ---: | ---: | --- | ---: | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.parser} | ${r.options} | ${r.encoding} | ${Number.isFinite(r.ms) ? r.ms.toFixed(0) : '—'} | ${r.rows.toLocaleString('en-US')} | ${r.correct ? 'yes' : 'NO'} | ${r.heapMB === undefined ? '—' : r.heapMB.toFixed(0)} | ${r.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  const [path, runs, only] = process.argv.slice(2);
  if (!path) {
    console.error("usage: npx tsx scripts/bench/parsers.ts FILE.csv [runs] [app]   (app: only the app's own reader)");
    process.exit(2);
  }
  const rows = await measureParsers(path, Number(runs ?? 1), (line) => console.error(line), { appOnly: only === 'app' });
  console.log(renderParsers(rows, path));
}
