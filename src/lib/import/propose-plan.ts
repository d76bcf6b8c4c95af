/**
 * Guessing what each column is for (respondent ID, wave, attribute, open
 * question, or nothing) and checking a plan before anything is written. The
 * guesses only pre-fill the import preview; the user can change every one.
 */

import { FALLBACK_ID_NAMES, ID_NAMES, WAVE_NAMES, isMetadataName, normaliseName } from './known-columns';
import { isBlank, trimmed } from './blank';
import { sourceRowNumber } from './row-number';
import type { ColumnPlan, ColumnRole, ImportPlan, SourceColumn, SourceTable } from './types';

export interface ProposePlanOptions {
  /** Wave name to use; otherwise guessed from the file name, else "Wave 1". */
  waveName?: string;
  /** Attribute names the project already has: matching columns reuse their spelling. */
  existingAttributes?: string[];
}

/** Default wave name when neither the caller nor the file name gives one. */
export const DEFAULT_WAVE_NAME = 'Wave 1';

// Thresholds, tuned so a 32-row study (role, pair 1..16, institution, eight open
// questions) and a 100k-row export both come out right.

/** An ID column must be filled in this share of rows… */
const ID_MIN_FILLED = 0.9;
/** …and this share of its values must be unique (per wave). Not 1: duplicates are then reported by validatePlan. */
const ID_MIN_UNIQUE = 0.8;
/** A wave column has at most this many distinct values. */
const WAVE_MAX_DISTINCT = 12;
/** Answers this long on average (characters)… */
const LONG_MEAN_LENGTH = 25;
/** …or with this many words on average, read as open text. */
const LONG_MEAN_WORDS = 4;
/** Open text: at least this share of distinct values among the non-blank answers. */
const QUESTION_MIN_DISTINCT_SHARE = 0.4;
/** More different long answers than this make a question whatever their share. */
const MANY_LONG_ANSWERS = 100;
/** Attributes: at most this share of distinct values (role, pair, institution). */
const ATTRIBUTE_MAX_DISTINCT_SHARE = 0.5;
/** A numeric or date column with more distinct values than this (and mostly unique) is ignored. */
const HIGH_CARDINALITY = 20;
/** Below this many answers, short values are proposed as an attribute even when all differ. */
const TINY_COLUMN = 10;
/** Distinct values counted per column before the share is taken as settled. */
const DISTINCT_CAP = 5000;
/** Values inspected for word counts, numbers and dates. */
const SAMPLE_SIZE = 2000;
/** Rows proposePlan looks at in a large file, spread evenly from first to last. */
export const PLAN_SAMPLE_ROWS = 20_000;

function sampleEvenly<T>(items: T[], count: number): T[] {
  const step = items.length / count;
  const sample: T[] = [];
  for (let i = 0; i < count; i++) sample.push(items[Math.floor(i * step)]);
  return sample;
}

interface ColumnStats {
  nonBlank: number;
  /** Distinct values; counting stops at DISTINCT_CAP. */
  distinct: number;
  /** Share of distinct values: exact below DISTINCT_CAP, else measured over the values read until the cap. */
  distinctShare: number;
  meanLength: number;
  meanWords: number;
  /** Shares of the sample. */
  numericShare: number;
  dateShare: number;
  /** Share of the sample that is one token of letters, digits, "_", "-", "." (codes, IDs). */
  codeShare: number;
}

const NUMERIC = /^[-+]?(\d+([.,]\d+)?|[.,]\d+)([eE][-+]?\d+)?%?$/;
const DATE =
  /^(\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}( \d{1,2}:\d{2}(:\d{2})?( ?[AaPp][Mm])?)?)$/;
const CODE = /^[\p{L}\p{N}_.-]+$/u;

function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 9 || c === 10 || c === 13;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

function columnStats(rows: string[][], index: number): ColumnStats {
  const distinct = new Set<string>();
  let nonBlank = 0;
  let totalLength = 0;
  let sampled = 0;
  let words = 0;
  let numeric = 0;
  let dates = 0;
  let codes = 0;
  let countedForDistinct = 0;
  for (let r = 0; r < rows.length; r++) {
    const raw = rows[r][index];
    if (isBlank(raw)) continue;
    const value = trimmed(raw);
    nonBlank++;
    totalLength += value.length;
    // Hashing every long answer of a 100k-row file costs more than the rest of
    // the plan; once a column has this many different values its share is clear.
    if (distinct.size < DISTINCT_CAP) {
      distinct.add(value);
      countedForDistinct++;
    }
    if (sampled < SAMPLE_SIZE) {
      sampled++;
      words += countWords(value);
      if (NUMERIC.test(value)) numeric++;
      else if (DATE.test(value)) dates++;
      if (CODE.test(value)) codes++;
    }
  }
  const share = (n: number) => (sampled === 0 ? 0 : n / sampled);
  return {
    nonBlank,
    distinct: distinct.size,
    distinctShare: countedForDistinct === 0 ? 0 : distinct.size / countedForDistinct,
    meanLength: nonBlank === 0 ? 0 : totalLength / nonBlank,
    meanWords: share(words),
    numericShare: share(numeric),
    dateShare: share(dates),
    codeShare: share(codes),
  };
}

/** Share of filled rows whose value (per wave, when there is a wave column) is unique. */
function uniqueShare(rows: string[][], index: number, waveIndex: number | undefined): { filled: number; unique: number } {
  const seen = new Set<string>();
  let filled = 0;
  let duplicates = 0;
  for (let r = 0; r < rows.length; r++) {
    const raw = rows[r][index];
    if (isBlank(raw)) continue;
    filled++;
    const key = waveIndex === undefined ? trimmed(raw) : `${trimmed(rows[r][waveIndex] ?? '')}\u001f${trimmed(raw)}`;
    if (seen.has(key)) duplicates++;
    else seen.add(key);
  }
  return {
    filled: rows.length === 0 ? 0 : filled / rows.length,
    unique: filled === 0 ? 0 : (filled - duplicates) / filled,
  };
}

/**
 * Proposes a role for every column.
 *
 * - id: the first column named like a respondent ID (respondent_id, participant
 *   id, participant, pid, id, respondent, record id, ExternalReference, …; then
 *   Qualtrics' ResponseId) that is filled in ≥ 90 % of rows with ≥ 80 % unique
 *   values per wave; failing that, a first column with a short, unique value in
 *   every row.
 * - wave: a column named wave / timepoint / time point / round / phase with at most
 *   12 distinct values.
 * - ignore: survey-tool metadata (StartDate, IPAddress, Timestamp, Email, …),
 *   empty columns, numeric or date columns with many distinct values, and short
 *   unique codes.
 * - question: answers averaging ≥ 25 characters or ≥ 4 words with ≥ 40 % (or over
 *   100) distinct values, or short answers that are mostly different from each other.
 * - attribute: repeated values (≤ 50 % distinct, or some repetition in columns
 *   with under 20 answers), e.g. role, pair, institution; and short values in
 *   columns with under 10 answers, where repetition can't show yet.
 */
export function proposePlan(fullTable: SourceTable, opts: ProposePlanOptions = {}): ImportPlan {
  // A role is clear from an even sample; a 100k-row file would otherwise spend
  // ~0.4 s here. validatePlan still checks every row (duplicate IDs and all).
  const table = fullTable.rows.length > PLAN_SAMPLE_ROWS ? { ...fullTable, rows: sampleEvenly(fullTable.rows, PLAN_SAMPLE_ROWS) } : fullTable;
  const { columns, rows } = table;
  const stats = columns.map((c) => columnStats(rows, c.index));
  const names = columns.map((c) => normaliseName(c.key));
  const roles = new Map<number, { role: ColumnRole; reason: string }>();

  // Wave column first: it decides what "unique" means for the ID column.
  let waveIndex: number | undefined;
  columns.forEach((column, i) => {
    if (waveIndex !== undefined || !WAVE_NAMES.includes(names[i])) return;
    const s = stats[i];
    if (s.nonBlank === 0 || s.distinct > WAVE_MAX_DISTINCT) return;
    waveIndex = column.index;
    roles.set(i, { role: 'wave', reason: `Wave of each row (${s.distinct} value${s.distinct === 1 ? '' : 's'})` });
  });

  const idColumn = chooseIdColumn(table, names, stats, waveIndex);
  if (idColumn) roles.set(idColumn.position, { role: 'id', reason: idColumn.reason });

  const existing = new Map((opts.existingAttributes ?? []).map((name) => [name.toLowerCase(), name]));

  const plans: ColumnPlan[] = columns.map((column, i) => {
    const decided = roles.get(i) ?? classify(column, stats[i], rows.length, existing);
    let name = column.key;
    if (decided.role === 'attribute') name = existing.get(column.key.toLowerCase()) ?? column.key;
    return { index: column.index, role: decided.role, name, label: column.label, reason: decided.reason };
  });

  return { columns: plans, waveName: opts.waveName?.trim() || guessWaveName(table.fileName) || DEFAULT_WAVE_NAME };
}

function chooseIdColumn(
  table: SourceTable,
  names: string[],
  stats: ColumnStats[],
  waveIndex: number | undefined,
): { position: number; reason: string } | undefined {
  const { columns, rows } = table;
  for (const candidates of [ID_NAMES, FALLBACK_ID_NAMES]) {
    for (const idName of candidates) {
      const position = names.indexOf(idName);
      if (position < 0 || columns[position].index === waveIndex) continue;
      const { filled, unique } = uniqueShare(rows, columns[position].index, waveIndex);
      if (filled >= ID_MIN_FILLED && unique >= ID_MIN_UNIQUE) {
        return { position, reason: `Respondent ID ("${columns[position].key}")` };
      }
    }
  }
  // A generic file whose first column is a short code, filled and unique in every row.
  const s = stats[0];
  if (
    columns.length > 1 &&
    columns[0].index !== waveIndex &&
    !isMetadataName(columns[0].key) &&
    s.nonBlank === rows.length &&
    s.meanLength <= 24 &&
    s.codeShare >= 0.9 &&
    s.dateShare < 0.5
  ) {
    const { unique } = uniqueShare(rows, columns[0].index, waveIndex);
    if (unique === 1) return { position: 0, reason: 'First column, a short unique value in every row' };
  }
  return undefined;
}

function classify(column: SourceColumn, s: ColumnStats, rowCount: number, existing: Map<string, string>): { role: ColumnRole; reason: string } {
  if (s.nonBlank === 0) return { role: 'ignore', reason: 'No answers in this column' };
  if (isMetadataName(column.key)) return { role: 'ignore', reason: 'Survey tool metadata' };
  const known = existing.get(column.key.toLowerCase());
  if (known !== undefined) return { role: 'attribute', reason: `Matches the project's attribute "${known}"` };

  const distinctShare = s.distinctShare;
  const long = s.meanLength >= LONG_MEAN_LENGTH || s.meanWords >= LONG_MEAN_WORDS;
  const manyDistinct = s.distinct > HIGH_CARDINALITY && distinctShare > ATTRIBUTE_MAX_DISTINCT_SHARE;

  // Many different long answers are open text even when stock replies ("No
  // comment") repeat a lot in a big file; long category labels never number this many.
  if (long && (distinctShare >= QUESTION_MIN_DISTINCT_SHARE || s.distinct > MANY_LONG_ANSWERS)) {
    return { role: 'question', reason: 'Long, varied answers' };
  }
  if (s.numericShare >= 0.9 && manyDistinct) return { role: 'ignore', reason: 'Numbers, mostly different' };
  if (s.dateShare >= 0.9 && manyDistinct) return { role: 'ignore', reason: 'Dates or times, mostly different' };

  const repeated = distinctShare <= ATTRIBUTE_MAX_DISTINCT_SHARE || (s.nonBlank < HIGH_CARDINALITY && s.distinct < s.nonBlank);
  if (repeated) {
    return { role: 'attribute', reason: `${s.distinct} different value${s.distinct === 1 ? '' : 's'}, repeated across rows` };
  }
  if (s.numericShare >= 0.9 || s.dateShare >= 0.9) return { role: 'ignore', reason: 'Numbers or dates' };
  // Too few rows to see repetition: short values (a site, a group) are more
  // likely descriptions of the respondent than answers worth coding.
  if (s.nonBlank < TINY_COLUMN) return { role: 'attribute', reason: 'Short values' };
  if (s.codeShare >= 0.9 && distinctShare === 1 && s.nonBlank === rowCount) {
    return { role: 'ignore', reason: 'A different code in every row, like an identifier' };
  }
  return { role: 'question', reason: 'Short but varied answers' };
}

/**
 * A wave name from a file name: "baseline" → "Baseline", "6-month"/"6month"/
 * "6 months" → "6 months", "wave 2"/"wave_2" → "Wave 2", "T1" → "T1", "follow-up" → "Follow-up".
 * Undefined when the name says nothing about the wave.
 */
export function guessWaveName(fileName: string): string | undefined {
  const name = fileName.replace(/\.[^.]*$/, '');
  const lower = name.toLowerCase();
  // Letters/digits only as boundaries: "_" and "-" separate words in file names.
  const word = (pattern: string) => new RegExp(`(?:^|[^\\p{L}\\p{N}])${pattern}(?:$|[^\\p{L}\\p{N}])`, 'iu');
  if (/baseline/i.test(lower)) return 'Baseline';
  const duration = /(\d+)[\s_-]*(months?|mo|weeks?|wks?|years?|yrs?)(?![\p{L}])/iu.exec(lower);
  if (duration) {
    const n = Number(duration[1]);
    const unit = duration[2].startsWith('w') ? 'week' : duration[2].startsWith('y') ? 'year' : 'month';
    return `${n} ${unit}${n === 1 ? '' : 's'}`;
  }
  const wave = /wave[\s_-]*(\d+)/i.exec(lower);
  if (wave) return `Wave ${Number(wave[1])}`;
  const t = word('t(\\d{1,2})').exec(name);
  if (t) return `T${Number(t[1])}`;
  if (/follow[\s_-]*up/i.test(lower)) return 'Follow-up';
  if (word('endline').test(lower)) return 'Endline';
  return undefined;
}

/** Most messages of one kind listed before the rest are summarised. */
const MAX_LISTED = 10;

/**
 * Problems that stop the import, as messages for the user (empty when the plan
 * can be imported): no or several ID columns, several wave columns, no
 * question, two questions or attributes with one name, rows without an ID or
 * wave, and respondents that appear twice in one wave.
 */
export function validatePlan(table: SourceTable, plan: ImportPlan): string[] {
  const problems: string[] = [];
  const byIndex = new Map(table.columns.map((c) => [c.index, c]));
  const active = plan.columns.filter((c) => byIndex.has(c.index));
  const columnName = (c: ColumnPlan) => `"${byIndex.get(c.index)?.key ?? c.name}"`;

  const ids = active.filter((c) => c.role === 'id');
  const waves = active.filter((c) => c.role === 'wave');
  const questions = active.filter((c) => c.role === 'question');
  const attributes = active.filter((c) => c.role === 'attribute');

  if (ids.length === 0) problems.push('Choose the column that holds the respondent ID: it links answers across questions and waves.');
  if (ids.length > 1) {
    problems.push(`Only one column can be the respondent ID, but ${listNames(ids.map(columnName))} are all set to ID. Keep one.`);
  }
  if (waves.length > 1) {
    problems.push(`Only one column can give the wave, but ${listNames(waves.map(columnName))} are all set to wave. Keep one.`);
  }
  if (waves.length === 0 && !plan.waveName.trim()) problems.push('Give the wave a name, for example "Baseline".');
  if (questions.length === 0) problems.push('Choose at least one question column: the open-text answers you want to code.');

  for (const [kind, list] of [
    ['questions', questions],
    ['attributes', attributes],
  ] as const) {
    const seen = new Map<string, ColumnPlan>();
    for (const c of list) {
      const name = c.name.trim();
      if (!name) {
        problems.push(`Give the column ${columnName(c)} a name.`);
        continue;
      }
      const earlier = seen.get(name.toLowerCase());
      if (earlier) {
        problems.push(`Two ${kind} are both called "${name}" (columns ${earlier.index + 1} and ${c.index + 1}). Rename one of them.`);
      } else {
        seen.set(name.toLowerCase(), c);
      }
    }
  }

  if (ids.length !== 1 || waves.length > 1 || (waves.length === 0 && !plan.waveName.trim())) return problems;
  const idIndex = ids[0].index;
  const waveIndex = waves[0]?.index;
  const defaultWave = plan.waveName.trim();
  const rows = table.rows;

  const missingId: number[] = [];
  const missingWave: number[] = [];
  const firstRow = new Map<string, number>();
  const repeats = new Map<string, number[]>();
  for (let r = 0; r < rows.length; r++) {
    const id = (rows[r][idIndex] ?? '').trim();
    const wave = waveIndex === undefined ? defaultWave : (rows[r][waveIndex] ?? '').trim();
    if (!id) {
      missingId.push(r);
      continue;
    }
    if (!wave) {
      missingWave.push(r);
      continue;
    }
    const key = `${wave}\u001f${id}`;
    const first = firstRow.get(key);
    if (first === undefined) firstRow.set(key, r);
    else {
      const list = repeats.get(key);
      if (list) list.push(r);
      else repeats.set(key, [first, r]);
    }
  }

  const rowNo = (r: number) => sourceRowNumber(table, r);
  missingId.slice(0, MAX_LISTED).forEach((r) => {
    problems.push(`Row ${rowNo(r)} has no respondent ID. Fill it in (or delete the row) and import again.`);
  });
  if (missingId.length > MAX_LISTED) problems.push(`…and ${missingId.length - MAX_LISTED} more rows have no respondent ID.`);
  const waveColumn = waves[0] ? columnName(waves[0]) : '';
  missingWave.slice(0, MAX_LISTED).forEach((r) => {
    problems.push(`Row ${rowNo(r)} has no wave in column ${waveColumn}. Fill it in, or set that column to Ignore and name the wave.`);
  });
  if (missingWave.length > MAX_LISTED) problems.push(`…and ${missingWave.length - MAX_LISTED} more rows have no wave.`);

  let listed = 0;
  for (const [key, list] of repeats) {
    if (listed++ === MAX_LISTED) {
      problems.push(`…and ${repeats.size - MAX_LISTED} more respondents appear more than once in a wave.`);
      break;
    }
    const [wave, id] = key.split('\u001f');
    const times = list.length === 2 ? 'twice' : `${list.length} times`;
    problems.push(`Respondent "${id}" appears ${times} in wave "${wave}" (rows ${listNames(list.map(rowNo).map(String))}).`);
  }
  return problems;
}

/** "a", "a and b", "a, b and c". */
function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
