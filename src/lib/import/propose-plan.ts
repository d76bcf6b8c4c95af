/**
 * Guessing what each column is for (respondent ID, wave, attribute, open
 * question, or nothing) and checking a plan before anything is written. The
 * guesses only pre-fill the import preview; the user can change every one.
 */

import { FALLBACK_ID_NAMES, ID_NAMES, WAVE_NAMES, isMetadataName, normaliseName } from './known-columns';
import { isBlank, trimmed } from './blank';
import { detectPersonalData, lowerKind, personalDataReason, type PersonalDataKind } from './personal-data';
import { describeIdSource, idSourceOf, respondentIdReader } from './respondent-id';
import { sourceRowNumber } from './row-number';
import { cellReader, DEFERRED, type CellReader, type DeferredCells } from './deferred-cells';
import type { ColumnPlan, ColumnRole, IdChoice, ImportPlan, SourceColumn, SourceTable } from './types';

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
  /** Share of the sample that is a whole number of five or more digits (serial numbers, clock readings). */
  longNumberShare: number;
  /** The first SAMPLE_SIZE non-blank values, trimmed: for the personal-data and wave checks. */
  sample: string[];
}

const NUMERIC = /^[-+]?(\d+([.,]\d+)?|[.,]\d+)([eE][-+]?\d+)?%?$/;
const DATE =
  /^(\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}( \d{1,2}:\d{2}(:\d{2})?( ?[AaPp][Mm])?)?)$/;
const CODE = /^[\p{L}\p{N}_.-]+$/u;
const LONG_NUMBER = /^\d{5,}$/;

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

/**
 * `deferred`: the table's long cells (deferred-cells.ts), decoded only for the
 * distinct count and the sample; past those their length is read from the bytes.
 */
function columnStats(rows: string[][], index: number, deferred?: DeferredCells): ColumnStats {
  const distinct = new Set<string>();
  let nonBlank = 0;
  let totalLength = 0;
  let sampled = 0;
  let words = 0;
  let numeric = 0;
  let dates = 0;
  let codes = 0;
  let longNumbers = 0;
  const sample: string[] = [];
  let countedForDistinct = 0;
  for (let r = 0; r < rows.length; r++) {
    const raw = rows[r][index];
    if (isBlank(raw)) continue;
    if (raw === DEFERRED && distinct.size >= DISTINCT_CAP && sampled >= SAMPLE_SIZE) {
      nonBlank++;
      totalLength += deferred!.trimmedLength(rows[r], index);
      continue;
    }
    const value = trimmed(raw === DEFERRED ? deferred!.text(rows[r], index) : raw);
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
      sample.push(value);
      words += countWords(value);
      if (LONG_NUMBER.test(value)) longNumbers++;
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
    longNumberShare: share(longNumbers),
    sample,
  };
}

/** Share of filled rows whose value (per wave, when there is a wave column) is unique. */
function uniqueShare(rows: string[][], index: number, waveIndex: number | undefined, cell: CellReader): { filled: number; unique: number } {
  const seen = new Set<string>();
  let filled = 0;
  let duplicates = 0;
  for (let r = 0; r < rows.length; r++) {
    const raw = rows[r][index];
    if (isBlank(raw)) continue;
    filled++;
    const value = trimmed(cell(rows[r], index)!);
    const key = waveIndex === undefined ? value : `${trimmed(cell(rows[r], waveIndex) ?? '')}\u001f${value}`;
    if (seen.has(key)) duplicates++;
    else seen.add(key);
  }
  return {
    filled: rows.length === 0 ? 0 : filled / rows.length,
    unique: filled === 0 ? 0 : (filled - duplicates) / filled,
  };
}

/** A question that asks which wave the row belongs to: "Which wave is this?", "What round…". */
const WHICH_WAVE = /^\s*(which|what)\s+(wave|round|time\s*point|survey\s+round)\b/i;
/** Values that name a wave: "Baseline", "Follow-up 2", "6 months", "12-month", "T1", "Wave 2", "Time 1", "pre", "post". */
const WAVE_VALUE =
  /^(baseline|screening|intake|midline|endline|exit|follow[\s-]?up(\s*\d+)?|pre|post|pre[\s-]?test|post[\s-]?test|pre[\s-]?intervention|post[\s-]?intervention|t\d{1,2}|(time|wave|round|visit|phase)\s*\d{1,2}|\d{1,3}[\s-]?(months?|mo|weeks?|wks?|years?|yrs?)(\s+follow[\s-]?up)?|(month|week|year)\s*\d{1,3})$/i;
/** REDCap event names carry the arm: "baseline_arm_1". */
const REDCAP_ARM = /[\s_]+arm[\s_]*\d+$/i;

function looksLikeWaveValue(value: string): boolean {
  return WAVE_VALUE.test(value.replace(REDCAP_ARM, '').replace(/_/g, ' ').trim());
}

/** Why a column gives each row's wave, or undefined: by its name, else by values that all name a wave. */
function waveEvidence(column: SourceColumn, s: ColumnStats, rowCount: number): string | undefined {
  if (s.nonBlank === 0 || s.distinct > WAVE_MAX_DISTINCT) return undefined;
  const values = `${s.distinct} value${s.distinct === 1 ? '' : 's'}`;
  const n = normaliseName(column.key);
  // The word "wave" counts in a key ("Survey wave", "wave_number"), not in a
  // question that mentions one ("How worried were you during the second
  // wave?"). Names such as "event" or "visit" are often questions ("Which
  // event did you attend?"): those need values that look like waves, below.
  const asksWhichWave = WHICH_WAVE.test(column.key) || WHICH_WAVE.test(column.label);
  const waveWord = keyWords(column.key).includes('wave') && !isOpenWording(column.key) && !isOpenWording(column.label);
  if (WAVE_NAMES.includes(n) || asksWhichWave || waveWord) {
    return `Wave of each row: the column is named "${column.key}" (${values})`;
  }
  // Every row must say its wave, or validatePlan would reject the rows without
  // one. A question put to respondents ("What year are you in?") holds their
  // answers, even when they read "Year 2". Respondent IDs such as T1…T12 look
  // like waves too, but a wave is shared by many rows (its values repeat), and
  // an ID column is not a wave.
  if (s.nonBlank < rowCount * ID_MIN_FILLED || isOpenWording(column.label)) return undefined;
  if (s.distinct >= s.nonBlank || ID_NAMES.includes(n) || FALLBACK_ID_NAMES.includes(n)) return undefined;
  const distinct = [...new Set(s.sample)];
  if (distinct.every(looksLikeWaveValue)) {
    const shown = distinct.slice(0, 3).map((v) => `"${v}"`);
    return `Wave of each row: its values look like waves (${shown.join(', ')}${distinct.length > 3 ? ', …' : ''})`;
  }
  return undefined;
}

/**
 * Proposes a role for every column.
 *
 * - personal data (names, emails, telephone numbers, postal addresses, IP
 *   addresses, locations; by name, else by ≥ 80 % of values): ignore, flagged
 *   with `personal`; never the ID, the wave, an attribute or a question.
 * - wave: the first column named wave / time point / round / phase / occasion /
 *   event name (WAVE_NAMES), with the word "wave" in its key (unless phrased as
 *   an open question), or asking "Which wave…?"; or whose values all name a wave
 *   (Baseline, Follow-up, 6 months, T1, Wave 2, pre/post), as a column named
 *   event or visit must; with at most 12 distinct values.
 * - id: the first column named like a respondent ID (respondent_id, participant
 *   id, participant, pid, id, respondent, record id, ExternalReference, …; then
 *   Qualtrics' ResponseId) that is filled in ≥ 90 % of rows with ≥ 80 % unique
 *   values per wave; failing that, a first column with a short, unique value in
 *   every row. With none, `idSource` is the row number and `idChoices` lists it
 *   with every short column (or pair of columns) filled in every row and
 *   unique within each wave.
 * - ignore: survey-tool bookkeeping (StartDate, Timestamp, Duration, …), empty
 *   columns, dates with many distinct values, numbers named or shaped like
 *   bookkeeping, and short unique codes.
 * - question: text the export marks as typed; answers averaging ≥ 25
 *   characters or ≥ 4 words with ≥ 40 % (or over 100) distinct values; a label
 *   phrased as an open question or request with ≥ 10 different answers (or all
 *   different in a column of under 10); ≥ 50 different short answers making up
 *   ≥ 30 % of them; or short answers that are mostly different from each other.
 * - attribute: numbers (age, a score); options of a closed question; repeated
 *   values (≤ 50 % distinct, or some repetition in columns with under 20
 *   answers), e.g. role, pair, institution; and short values in columns with
 *   under 10 answers, where repetition can't show yet.
 */
export function proposePlan(fullTable: SourceTable, opts: ProposePlanOptions = {}): ImportPlan {
  // A role is clear from an even sample; a 100k-row file would otherwise spend
  // ~0.4 s here. validatePlan still checks every row (duplicate IDs and all).
  const table = fullTable.rows.length > PLAN_SAMPLE_ROWS ? { ...fullTable, rows: sampleEvenly(fullTable.rows, PLAN_SAMPLE_ROWS) } : fullTable;
  const { columns, rows } = table;
  const stats = columns.map((c) => columnStats(rows, c.index, table.deferred));
  const names = columns.map((c) => normaliseName(c.key));
  const personal = columns.map((c, i) => (stats[i].nonBlank === 0 ? undefined : detectPersonalData(c, stats[i].sample)));
  const roles = new Map<number, { role: ColumnRole; reason: string }>();
  personal.forEach((kind, i) => {
    if (kind) roles.set(i, { role: 'ignore', reason: personalDataReason(kind) });
  });

  // Wave column first: it decides what "unique" means for the ID column.
  let waveIndex: number | undefined;
  for (let i = 0; i < columns.length && waveIndex === undefined; i++) {
    if (personal[i] || isMetadataName(columns[i].key)) continue;
    const reason = waveEvidence(columns[i], stats[i], rows.length);
    if (reason === undefined) continue;
    waveIndex = columns[i].index;
    roles.set(i, { role: 'wave', reason });
  }

  const idColumn = chooseIdColumn(table, names, stats, waveIndex, personal);
  if (idColumn) roles.set(idColumn.position, { role: 'id', reason: idColumn.reason });

  const existing = new Map((opts.existingAttributes ?? []).map((name) => [name.toLowerCase(), name]));

  const plans: ColumnPlan[] = columns.map((column, i) => {
    const decided = roles.get(i) ?? classify(column, stats[i], rows.length, existing);
    let name = column.key;
    if (decided.role === 'attribute') name = existing.get(column.key.toLowerCase()) ?? column.key;
    const plan: ColumnPlan = { index: column.index, role: decided.role, name, label: column.label, reason: decided.reason };
    if (personal[i]) plan.personal = personal[i];
    return plan;
  });

  const result: ImportPlan = { columns: plans, waveName: opts.waveName?.trim() || guessWaveName(table.fileName) || DEFAULT_WAVE_NAME };
  if (!idColumn) {
    // Without an ID column the file still imports in one click: each row is a
    // respondent. Other choices are offered for joining waves.
    result.idSource = { kind: 'row-number' };
    result.idChoices = idChoices(fullTable, rows, stats, personal, waveIndex);
  }
  if (fullTable.incomplete) {
    // Keep unfinished responses by default: what someone typed before leaving
    // is still an answer worth coding, and dropping rows by default would lose
    // data the user may not notice is gone. The preview shows how many there
    // are and lets the user leave them out.
    result.keepIncomplete = true;
  }
  return result;
}

/** Long answers are open text (and never offered as a respondent ID). */
function isLong(s: ColumnStats): boolean {
  return s.meanLength >= LONG_MEAN_LENGTH || s.meanWords >= LONG_MEAN_WORDS;
}
/** Columns tried in pairs when looking for a combined ID, and pairs offered at most. */
const ID_PAIR_CANDIDATES = 8;
const ID_MAX_PAIRS = 3;

/** Respondent ID choices for a file without an ID column: the row number first, then unique columns and pairs. */
function idChoices(
  table: SourceTable,
  sample: string[][],
  stats: ColumnStats[],
  personal: (PersonalDataKind | undefined)[],
  waveIndex: number | undefined,
): IdChoice[] {
  const choices: IdChoice[] = [
    {
      source: { kind: 'row-number' },
      label: 'Row number',
      reason:
        'No column identifies respondents, so each row gets "Row N" (N: its row in the file). A later file\'s "Row N" joins these by number: right only if that file lists the same people in the same order.',
    },
  ];
  const { columns, rows } = table;
  // Proposed on the sample's stats, confirmed on every row.
  const filled = columns.map((c, i) => ({ c, i })).filter(({ c, i }) => c.index !== waveIndex && stats[i].nonBlank === sample.length && !isLong(stats[i]));
  const filledInAll = filled.filter(({ c }) => rows.every((row) => !isBlank(row[c.index])));

  // validatePlan needs an ID once per wave, not once in the file: in a
  // long-format file an email repeats once per wave and still identifies.
  const cell = cellReader(table);
  const waveOf = (row: string[]) => (waveIndex === undefined ? '' : trimmed(cell(row, waveIndex) ?? ''));
  const uniqueIn = (checked: string[][], indexes: number[]) => {
    const read = respondentIdReader(table, { kind: 'combined', columns: indexes });
    const seen = new Set<string>();
    for (let r = 0; r < checked.length; r++) {
      const id = read(checked[r], r);
      if (!id) return false;
      const key = `${waveOf(checked[r])}\u001f${id}`;
      if (seen.has(key)) return false;
      seen.add(key);
    }
    return true;
  };
  // The sample rules most candidates out cheaply; the survivors are checked on every row.
  const unique = (indexes: number[]) => uniqueIn(sample, indexes) && (sample === rows || uniqueIn(rows, indexes));

  const singles = new Set<number>();
  for (const { c, i } of filledInAll) {
    if (!unique([c.index])) continue;
    singles.add(c.index);
    choices.push({ source: { kind: 'combined', columns: [c.index] }, label: c.key, reason: choiceReason([c], [personal[i]]) });
  }
  // Pairs only of bookkeeping or personal columns (a timestamp and a name):
  // two answers that happen to differ together are no way to recognise someone.
  // Not in files over PLAN_SAMPLE_ROWS: checking pairs on every row costs about
  // a second there, and such files rarely lack an ID column.
  const pairable =
    rows.length > PLAN_SAMPLE_ROWS
      ? []
      : filledInAll.filter(({ c, i }) => !singles.has(c.index) && (personal[i] || isMetadataName(c.key))).slice(0, ID_PAIR_CANDIDATES);
  // Each column's values numbered once, so a pair is ruled out with numbers
  // rather than by joining every row's strings; only the few survivors are joined.
  const codes = pairable.map(({ c }) => valueCodes(rows, c.index, cell));
  const waves = waveIndex === undefined ? undefined : valueCodes(rows, waveIndex, cell);
  const uniquePair = (a: number, b: number) => {
    const seen = new Set<number>();
    const [first, second] = [codes[a].codes, codes[b].codes];
    const [width, height] = [codes[b].size, codes[a].size];
    for (let r = 0; r < rows.length; r++) {
      // Under PLAN_SAMPLE_ROWS rows, so at most 20k³: exact in a double.
      const key = ((waves?.codes[r] ?? 0) * height + first[r]) * width + second[r];
      if (seen.has(key)) return false;
      seen.add(key);
    }
    return true;
  };
  let pairs = 0;
  for (let a = 0; a < pairable.length && pairs < ID_MAX_PAIRS; a++) {
    for (let b = a + 1; b < pairable.length && pairs < ID_MAX_PAIRS; b++) {
      const both = [pairable[a], pairable[b]];
      // Different pairs of values can join to one ID ("a · b" + "c" and "a" +
      // "b · c"): the survivors are checked on the very IDs validatePlan reads.
      if (!uniquePair(a, b) || !uniqueIn(rows, [pairable[a].c.index, pairable[b].c.index])) continue;
      pairs++;
      choices.push({
        source: { kind: 'combined', columns: both.map(({ c }) => c.index) },
        label: both.map(({ c }) => c.key).join(' + '),
        reason: choiceReason(
          both.map(({ c }) => c),
          both.map(({ i }) => personal[i]),
        ),
      });
    }
  }
  return choices;
}

/** Every row's trimmed value in a column as a small number (equal values, equal numbers), and how many there are. */
function valueCodes(rows: string[][], index: number, cell: CellReader): { codes: Uint32Array; size: number } {
  const numbers = new Map<string, number>();
  const codes = new Uint32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const value = trimmed(cell(rows[r], index) ?? '');
    let code = numbers.get(value);
    if (code === undefined) {
      code = numbers.size;
      numbers.set(value, code);
    }
    codes[r] = code;
  }
  return { codes, size: numbers.size };
}

function choiceReason(columns: SourceColumn[], personal: (PersonalDataKind | undefined)[]): string {
  const together = columns.length > 1 ? 'Together filled in and different in every row' : 'Filled in and different in every row';
  const kinds = personal.filter((k): k is PersonalDataKind => k !== undefined).map(lowerKind);
  const warning = kinds.length > 0 ? ` The ${listNames([...new Set(kinds)])} will be shown as respondent IDs.` : '';
  const timed = columns.some((c) => /time|date/i.test(c.key))
    ? ' Times of answering differ between waves, so this cannot join a later wave.'
    : ' Joins a later wave only where the same values appear there.';
  return `${together}.${timed}${warning}`;
}

function chooseIdColumn(
  table: SourceTable,
  names: string[],
  stats: ColumnStats[],
  waveIndex: number | undefined,
  personal: (PersonalDataKind | undefined)[],
): { position: number; reason: string } | undefined {
  const { columns, rows } = table;
  const cell = cellReader(table);
  for (const candidates of [ID_NAMES, FALLBACK_ID_NAMES]) {
    for (const idName of candidates) {
      const position = names.indexOf(idName);
      if (position < 0 || columns[position].index === waveIndex || personal[position]) continue;
      const { filled, unique } = uniqueShare(rows, columns[position].index, waveIndex, cell);
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
    !personal[0] &&
    !isMetadataName(columns[0].key) &&
    s.nonBlank === rows.length &&
    s.meanLength <= 24 &&
    s.codeShare >= 0.9 &&
    s.dateShare < 0.5
  ) {
    const { unique } = uniqueShare(rows, columns[0].index, waveIndex, cell);
    if (unique === 1) return { position: 0, reason: 'First column, a short unique value in every row' };
  }
  return undefined;
}

/** Open questions and requests: "What…?", "Why…", "Please describe…", "Any comments", "Other (please specify)". */
const OPEN_WORDING = [
  /^\s*(what|why|how|describe|explain|tell us|in your own words|list)\b/i,
  /\b(what|why|how|which|where|who)\b[^?]*\?/i,
  /\bplease,?\s+(describe|explain|tell|share|list|specify|elaborate|comment|give|provide|write)\b/i,
  /\b(comments?|remarks|feedback|suggestions?|anything else|self-describe|free[\s-]?text|text entry|open[\s-]ended|in your own words)\b/i,
];
/** A question phrased openly is proposed as a question once it has this many different answers. */
const OPEN_MIN_DISTINCT = 10;
/** Short answers: this many different ones, making up at least this share, are more than a list of categories. */
const MANY_SHORT_ANSWERS = 50;
const MANY_SHORT_MIN_SHARE = 0.3;
/** Key words of numeric tool bookkeeping: durations, page timers, click counts, serial numbers. */
const BOOKKEEPING_NUMBER_WORDS = new Set([
  'duration',
  'seconds',
  'secs',
  'elapsed',
  'timer',
  'timestamp',
  'milliseconds',
  'ms',
  'id',
  'uid',
  'seq',
  'submit',
  'click',
  'clicks',
]);
/** A different long number in every row of a file at least this big looks like a serial number or a clock reading. */
const SERIAL_MIN_ROWS = 50;

/**
 * A "tick all that apply" column (Google Forms and Microsoft Forms write the
 * ticked options in one cell, "Workshops, Mentoring"): the number of options
 * when every value is a list drawn from at most WAVE_MAX_DISTINCT of them and
 * some value has several. Its many combinations are not open answers.
 */
function tickedOptions(values: string[]): number | undefined {
  // A few sentences with commas also split into few parts: options must recur.
  if (values.length < TINY_COLUMN) return undefined;
  const options = new Set<string>();
  let several = false;
  let ticks = 0;
  for (const value of values) {
    const parts = value.split(/\s*[;,]\s*/).filter(Boolean);
    // A tool lists each ticked option once; prose repeats its words ("word, word, …").
    if (parts.length > WAVE_MAX_DISTINCT || new Set(parts.map((p) => p.toLowerCase())).size < parts.length) return undefined;
    if (parts.length > 1) several = true;
    ticks += parts.length;
    for (const part of parts) {
      options.add(part.toLowerCase());
      if (options.size > WAVE_MAX_DISTINCT) return undefined;
    }
  }
  return several && ticks >= 2 * options.size ? options.size : undefined;
}

function isOpenWording(label: string): boolean {
  return OPEN_WORDING.some((pattern) => pattern.test(label));
}

function keyWords(key: string): string[] {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function classify(column: SourceColumn, s: ColumnStats, rowCount: number, existing: Map<string, string>): { role: ColumnRole; reason: string } {
  if (s.nonBlank === 0) return { role: 'ignore', reason: 'No answers in this column' };
  if (isMetadataName(column.key)) return { role: 'ignore', reason: 'Survey tool metadata' };
  const known = existing.get(column.key.toLowerCase());
  if (known !== undefined) return { role: 'attribute', reason: `Matches the project's attribute "${known}"` };

  const numeric = s.numericShare >= 0.9;
  if (column.source === 'text' && !numeric) return { role: 'question', reason: 'Typed answers (the export marks this column as text entry)' };

  const distinctShare = s.distinctShare;
  const long = isLong(s);
  const manyDistinct = s.distinct > HIGH_CARDINALITY && distinctShare > ATTRIBUTE_MAX_DISTINCT_SHARE;
  const repeated = distinctShare <= ATTRIBUTE_MAX_DISTINCT_SHARE || (s.nonBlank < HIGH_CARDINALITY && s.distinct < s.nonBlank);

  // Checked before length: ticking four options makes a long cell.
  const ticked = numeric || s.dateShare >= 0.9 ? undefined : tickedOptions(s.sample);
  if (ticked !== undefined) return { role: 'attribute', reason: `Several options ticked, from ${ticked} in all` };
  // Many different long answers are open text even when stock replies ("No
  // comment") repeat a lot in a big file; long category labels never number this many.
  if (long && (distinctShare >= QUESTION_MIN_DISTINCT_SHARE || s.distinct > MANY_LONG_ANSWERS)) {
    return { role: 'question', reason: 'Long, varied answers' };
  }
  if (numeric) {
    const bookkeeping = keyWords(column.key).find((w) => BOOKKEEPING_NUMBER_WORDS.has(w));
    if (bookkeeping) return { role: 'ignore', reason: `Numbers kept by the survey tool (the column is named "${column.key}"), not about the respondent` };
    if (s.nonBlank >= SERIAL_MIN_ROWS && s.distinct === s.nonBlank && s.longNumberShare >= 0.9) {
      return { role: 'ignore', reason: 'A different long number in every row, like a serial number or a clock reading, not about the respondent' };
    }
    if (repeated) return { role: 'attribute', reason: `${plural(s.distinct, 'different value')}, repeated across rows` };
    return { role: 'attribute', reason: 'Numbers, kept as an attribute (an age, a score)' };
  }
  if (s.dateShare >= 0.9) {
    if (manyDistinct || !repeated) return { role: 'ignore', reason: 'Dates or times, mostly different' };
    return { role: 'attribute', reason: `${plural(s.distinct, 'different date')}, repeated across rows` };
  }
  if (column.source === 'choice') return { role: 'attribute', reason: 'Options of a closed question (the export says so)' };

  if (isOpenWording(column.label) && (s.distinct >= OPEN_MIN_DISTINCT || (s.nonBlank < TINY_COLUMN && s.distinct === s.nonBlank))) {
    const answers = s.distinct === 1 ? 'one answer' : `${s.distinct} different answers`;
    return { role: 'question', reason: `Phrased as a question, with ${answers}` };
  }
  if (s.distinct >= MANY_SHORT_ANSWERS && distinctShare >= MANY_SHORT_MIN_SHARE && s.codeShare < 0.9) {
    return { role: 'question', reason: `${s.distinct} different short answers: more than a list of categories` };
  }
  if (repeated) {
    return { role: 'attribute', reason: `${plural(s.distinct, 'different value')}, repeated across rows` };
  }
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

/**
 * The preview's plain word when the proposal found nothing to code (a REDCap
 * form of checkboxes, a poll of yes/no questions): what the columns hold and
 * what to do if one of them should be coded after all. Undefined when some
 * column is proposed as a question.
 */
export function nothingToCodeNote(table: SourceTable, plan: ImportPlan): string | undefined {
  if (plan.columns.some((c) => c.role === 'question')) return undefined;
  const attributes = plan.columns.filter((c) => c.role === 'attribute').length;
  const held =
    attributes > 0
      ? `its columns hold choices, numbers or short categories (${attributes} proposed as respondent attributes), dates and survey bookkeeping`
      : 'its columns hold dates, survey bookkeeping or nothing at all';
  return (
    `Nothing in "${table.fileName}" looks like typed answers to code: ${held}. ` +
    'If a column holds answers you want to code, set it to “Open question”; otherwise export the survey again with its open-ended questions included.'
  );
}

/** Most messages of one kind listed before the rest are summarised. */
const MAX_LISTED = 10;

/**
 * Problems that stop the import, as messages for the user (empty when the plan
 * can be imported): no or several ID columns (none is needed when `idSource`
 * is the row number or a combination of columns), several wave columns, no
 * question, two questions or attributes with one name, rows without an ID or
 * wave, respondents that appear twice in one wave, and no rows to import (every
 * response unfinished and left out). Unfinished responses the plan leaves out
 * (`keepIncomplete: false`) are not checked.
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

  const idSource = idSourceOf(plan);
  let idReady: boolean;
  if (idSource.kind === 'column') {
    if (ids.length === 0) problems.push('Choose the column that holds the respondent ID: it links answers across questions and waves.');
    if (ids.length > 1) {
      problems.push(`Only one column can be the respondent ID, but ${listNames(ids.map(columnName))} are all set to ID. Keep one.`);
    }
    idReady = ids.length === 1;
  } else {
    const unknown = idSource.kind === 'combined' ? idSource.columns.filter((c) => !byIndex.has(c)) : [];
    if (idSource.kind === 'combined' && idSource.columns.length === 0) {
      problems.push('Choose the columns that identify respondents, or identify them by row number.');
    } else if (unknown.length > 0) {
      problems.push(
        `The respondent ID uses column ${listNames(unknown.map((c) => String(c + 1)))}, which this file does not have. Choose another way to identify respondents.`,
      );
    }
    idReady = unknown.length === 0 && (idSource.kind === 'row-number' || idSource.columns.length > 0);
  }
  if (waves.length > 1) {
    problems.push(`Only one column can give the wave, but ${listNames(waves.map(columnName))} are all set to wave. Keep one.`);
  }
  if (waves.length === 0 && !plan.waveName.trim()) problems.push('Give the wave a name, for example "Baseline".');
  if (questions.length === 0) problems.push('Choose at least one question column: the open-text answers you want to code.');
  const skipped = skippedRows(table, plan);
  if (skipped && table.rows.length > 0 && table.rows.every((_, r) => skipped.has(r))) {
    const n = table.rows.length;
    const all = n === 1 ? 'the only one is unfinished' : `all ${n} are unfinished`;
    problems.push(`No responses would be imported: ${all}. Tick “Import the ${plural(n, 'unfinished response')}” to import them.`);
  }

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

  if (!idReady || waves.length > 1 || (waves.length === 0 && !plan.waveName.trim())) return problems;
  const readId = respondentIdReader(table, idSource, ids[0]?.index);
  const waveIndex = waves[0]?.index;
  const defaultWave = plan.waveName.trim();
  const rows = table.rows;
  const cell = cellReader(table);

  const missingId: number[] = [];
  const missingWave: number[] = [];
  const firstRow = new Map<string, number>();
  const repeats = new Map<string, number[]>();
  for (let r = 0; r < rows.length; r++) {
    if (skipped?.has(r)) continue;
    const id = readId(rows[r], r);
    const wave = waveIndex === undefined ? defaultWave : (cell(rows[r], waveIndex) ?? '').trim();
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
    problems.push(
      idSource.kind === 'combined'
        ? `Row ${rowNo(r)} has nothing in ${describeIdSource(table, idSource)}, which identifies respondents. Fill it in, or identify respondents by row number.`
        : `Row ${rowNo(r)} has no respondent ID. Fill it in (or delete the row) and import again.`,
    );
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
  if (repeats.size > 0 && idSource.kind === 'combined') {
    problems.push(
      `${describeIdSource(table, idSource)} is not different in every row, so it cannot identify respondents. Choose another way, such as the row number.`,
    );
  }
  return problems;
}

/**
 * Rows left out of the import: the unfinished responses, when the file marks
 * them and the plan says not to keep them. They are not respondents, not
 * duplicates and not blank answers. Undefined when every row is imported.
 */
export function skippedRows(table: SourceTable, plan: ImportPlan): Set<number> | undefined {
  if (plan.keepIncomplete !== false || !table.incomplete || table.incomplete.rowIndexes.length === 0) return undefined;
  return new Set(table.incomplete.rowIndexes);
}

/** "a", "a and b", "a, b and c". */
function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
