/**
 * Input files for the bench: synthetic plain CSVs under generated/bench/, made
 * once per (respondents, questions, seed) and reused, plus a reader that turns
 * one back into the flat answer rows the IndexedDB baseline stores.
 */
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { writeSyntheticSurvey } from '../lib/synthetic-survey';

export const BENCH_DATA_DIR = 'generated/bench';
export const BENCH_SEED = 20240108;
export const BENCH_QUESTIONS = 8;
/** Answers in the agreement bench's double-coding round, as issue 11 asks: "at 100k answers with a round of 1,000 answers". */
export const BENCH_ROUND_SIZE = 1000;
/** The plain format's leading non-question columns: respondent_id, role, institution, wave. */
const LEADING_COLUMNS = 4;

export interface BenchInput {
  respondents: number;
  questions: number;
  path: string;
  bytes: number;
  /** true when the file was written by this run, false when reused. */
  generated: boolean;
  generateMs: number;
}

interface Stamp {
  respondents: number;
  questions: number;
  seed: number;
  format: 'plain';
  bytes: number;
  rows: number;
}

/** Makes (or reuses) generated/bench/survey-<n>x<q>-seed<seed>.csv. */
export async function ensureInput(respondents: number, questions = BENCH_QUESTIONS, seed = BENCH_SEED): Promise<BenchInput> {
  const path = join(BENCH_DATA_DIR, `survey-${respondents}x${questions}-seed${seed}.csv`);
  const stampPath = path + '.json';
  if (existsSync(path) && existsSync(stampPath)) {
    try {
      const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as Stamp;
      const bytes = statSync(path).size;
      if (stamp.respondents === respondents && stamp.questions === questions && stamp.seed === seed && stamp.bytes === bytes) {
        return { respondents, questions, path, bytes, generated: false, generateMs: 0 };
      }
    } catch {
      // unreadable stamp: regenerate below
    }
  }
  const started = performance.now();
  const { bytes, rows } = await writeSyntheticSurvey(path, { respondents, seed, questions, format: 'plain' });
  if (rows !== respondents) throw new Error(`generator wrote ${rows} rows to ${path}, expected ${respondents}`);
  const stamp: Stamp = { respondents, questions, seed, format: 'plain', bytes, rows };
  writeFileSync(stampPath, JSON.stringify(stamp, null, 2) + '\n');
  return { respondents, questions, path, bytes, generated: true, generateMs: performance.now() - started };
}

/** Column-wise answers of a plain synthetic CSV: one entry per respondent × question, blanks included. */
export interface AnswerColumns {
  respondentIds: string[];
  questionIds: string[];
  /** texts[r * questions + q] is respondent r's answer to question q. */
  texts: string[];
  questions: number;
  textBytes: number;
}

/**
 * Streams the CSV through papaparse row by row: the whole file is never one
 * string (at 250k respondents it is 366 MB, and papaparse's rows of substrings
 * would keep it alive next to the answers).
 */
export async function readAnswers(input: BenchInput): Promise<AnswerColumns> {
  const respondentIds: string[] = [];
  const texts: string[] = [];
  let header: string[] | null = null;
  let questions = 0;
  let textBytes = 0;
  let rowError: string | null = null;
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(input.path, { encoding: 'utf8', highWaterMark: 4 * 1024 * 1024 });
    stream.on('error', reject);
    Papa.parse<string[]>(stream as unknown as File, {
      header: false,
      skipEmptyLines: true,
      step(results, parser) {
        if (results.errors.length > 0 && rowError === null) {
          const e = results.errors[0];
          rowError = `papaparse could not read ${input.path}: ${e.message} (row ${e.row})`;
          parser.abort();
          return;
        }
        const row = results.data;
        if (header === null) {
          header = row;
          questions = header.length - LEADING_COLUMNS;
          return;
        }
        respondentIds.push(row[0]);
        for (let q = 0; q < questions; q++) {
          // Copied out of the chunk (a flat string of its own), so no 4 MB chunk stays alive for a few of its answers.
          const text = flat(row[LEADING_COLUMNS + q] ?? '');
          texts.push(text);
          textBytes += Buffer.byteLength(text, 'utf8');
        }
      },
      complete: () => resolve(),
      error: (err) => reject(err),
    });
  });
  if (rowError !== null) throw new Error(rowError);
  if (header === null) throw new Error(`${input.path} is empty`);
  if (questions !== input.questions) throw new Error(`${input.path} has ${questions} question columns, expected ${input.questions}`);
  if (respondentIds.length !== input.respondents) throw new Error(`${input.path} has ${respondentIds.length} rows, expected ${input.respondents}`);
  const questionIds = (header as string[]).slice(LEADING_COLUMNS);
  return { respondentIds, questionIds, texts, questions, textBytes };
}

/** A copy of `s` that does not point into a larger string (V8 keeps substrings as slices of their parent). */
function flat(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
