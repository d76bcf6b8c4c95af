/**
 * Recognising the survey tool that produced a table, how many header rows it
 * has, and what each column is called.
 */

import { ID_NAMES, FALLBACK_ID_NAMES, isMetadataName, normaliseName } from './known-columns';
import { ImportError, type IncompleteResponses, type SourceColumn, type SurveyFormat } from './types';

export interface DetectedFormat {
  format: SurveyFormat;
  /** Rows at the top of the table that are headers, not answers. */
  headerRowCount: number;
  columns: SourceColumn[];
  /** Notes for the preview, e.g. which tool was recognised. */
  notes: string[];
}

const FORMAT_NAMES: Record<SurveyFormat, string> = {
  qualtrics: 'Qualtrics',
  'qualtrics-legacy': 'Qualtrics (legacy)',
  redcap: 'REDCap',
  limesurvey: 'LimeSurvey',
  surveymonkey: 'SurveyMonkey',
  'google-forms': 'Google Forms',
  'microsoft-forms': 'Microsoft Forms',
  generic: 'spreadsheet',
};

/** Separator between a SurveyMonkey question and its sub-answer in labels and keys. */
export const SUB_ANSWER_SEPARATOR = ' — ';

/** Longest SurveyMonkey question kept whole in a key; longer ones are shortened at a word. */
const SHORT_KEY_LENGTH = 40;

/**
 * Recognises the export format from the header rows.
 *
 * - Qualtrics: three header rows (short names; full question text; `{"ImportId":…}`
 *   cells, in double quotes since 2017 and in single quotes in the 2016 format).
 *   The ImportId says which columns hold typed text (…TEXT) and which a choice.
 * - Qualtrics legacy: two header rows. Either `V1…V10, Q1, Q2_1…` over
 *   `ResponseID, ResponseSet, Name…, question text…` (keys of the V columns come
 *   from row 2), or ResponseId and StartDate in row 1 over question text in row 2.
 * - SurveyMonkey: two header rows; row 1 holds "Respondent ID" and "Collector ID"
 *   and each question once (blank cells continue it across its sub-columns); row 2
 *   the sub-answers ("Response", "Open-Ended Response", option labels…).
 * - Google Forms: first header "Timestamp". Microsoft Forms: "ID", "Start time",
 *   "Completion time", then "Email"/"Name"/"Last modified time". Both one header row.
 * - LimeSurvey: one header row with id/Response ID, submitdate/Date submitted,
 *   lastpage/Last page and startlanguage/Start language, or both ("submitdate.
 *   Date submitted": the code becomes the key, the text the label).
 * - REDCap: one header row; a record ID followed by redcap_event_name,
 *   redcap_survey_identifier, redcap_repeat_… or redcap_data_access_group, or
 *   record_id first with a `<form>_complete` column, or several `<form>_complete`
 *   columns holding REDCap's form status (0/1/2). With "labels" headings: Record ID
 *   followed by Event Name, Survey Identifier, Repeat Instrument/Instance or Data
 *   Access Group, or several "Complete?" columns.
 * - Anything else: generic, one header row.
 *
 * No header row becomes a respondent: in a one-header-row format, a first data
 * row that repeats the header is skipped, and in a generic file a first data row
 * of question text over typed answers (words above columns of numbers or dates,
 * none of them an answer found further down) is read as a second header row. Both
 * are said in the notes.
 *
 * Keys are made unique. In a generic file two headers with the same name
 * (ignoring case and surrounding spaces) are the user's to resolve, so they are
 * an ImportError; in a tool's export they get " (2)", " (3)"… and a note.
 *
 * @param fileName Not used for the decision (headers are more reliable than names); kept
 *   in the signature so callers need not change if a name-based hint is ever added.
 * @throws ImportError for duplicate header names in a generic file.
 */
export function detectFormat(rows: string[][], fileName: string): DetectedFormat {
  void fileName;
  if (rows.length === 0) return { format: 'generic', headerRowCount: 0, columns: [], notes: [] };
  const width = rows[0].length;
  const first = padTo(rows[0], width).map(cleanHeader);
  const names = first.map(normaliseName);
  const second = rows.length >= 2 ? padTo(rows[1], width).map(cleanHeader) : undefined;
  const labelled = (row: string[]) => row.map((t, i) => t || first[i]);
  const limeSurvey = limeSurveyHeadings(first);

  let detected: Detected;
  if (second && rows.length >= 3 && isQualtricsImportIdRow(rows[2])) {
    const importIds = padTo(rows[2], width).map(importIdOf);
    detected = { format: 'qualtrics', headerRowCount: 3, keys: first, labels: labelled(second), sources: importIds.map(qualtricsSource) };
  } else if (second && isNumberedLegacyQualtrics(names, second)) {
    // V1…V10 say nothing; row 2 has the names the metadata and ID rules know (ResponseID, EmailAddress…).
    const keys = first.map((key, i) => (/^V\d+$/i.test(key) && second[i] ? second[i] : key));
    detected = { format: 'qualtrics-legacy', headerRowCount: 2, keys, labels: labelled(second), sources: keys.map(legacySource) };
  } else if (second && isLegacyQualtrics(names, padTo(rows[1], width), first)) {
    detected = { format: 'qualtrics-legacy', headerRowCount: 2, keys: first, labels: labelled(second), sources: first.map(legacySource) };
  } else if (second && names.includes('respondentid') && names.includes('collectorid')) {
    detected = { format: 'surveymonkey', headerRowCount: 2, ...surveyMonkeyColumns(first, padTo(rows[1], width)) };
  } else if (limeSurvey) {
    detected = { format: 'limesurvey', headerRowCount: 1, ...limeSurvey, sources: limeSurvey.keys.map(limeSurveySource) };
  } else {
    const format: SurveyFormat =
      names[0] === 'timestamp' ? 'google-forms' : isMicrosoftForms(names) ? 'microsoft-forms' : isRedcap(first, rows) ? 'redcap' : 'generic';
    detected = { format, headerRowCount: 1, keys: first, labels: first };
    const extra = second ? extraHeaderRow(first, rows, format === 'generic') : undefined;
    if (extra === 'repeat') {
      detected.headerRowCount = 2;
      detected.headerNote = 'The first row under the header repeats the header, so it was skipped rather than read as a respondent.';
    } else if (extra && second) {
      detected.headerRowCount = 2;
      detected.labels = labelled(second);
      detected.headerNote =
        `The first row under the header holds question text (e.g. "${shortForm(extra.example)}"), ` +
        'so it was used for the column labels rather than read as a respondent.';
    }
  }

  const notes: string[] = [];
  const keys = uniqueKeys(detected.keys, detected.format === 'generic', notes);
  const columns: SourceColumn[] = keys.map((key, index) => {
    const column: SourceColumn = { index, key, label: detected.labels[index] || key };
    const source = detected.sources?.[index];
    if (source) column.source = source;
    return column;
  });

  const dataRows = rows.slice(detected.headerRowCount);
  if (detected.format !== 'generic') {
    const metadata = countIgnoredMetadata(columns, dataRows);
    const name = FORMAT_NAMES[detected.format];
    const headerRows = detected.headerRowCount > 1 ? ` (${detected.headerRowCount} header rows)` : '';
    notes.unshift(
      metadata > 0
        ? `Recognised a ${name} export${headerRows}: ${metadata} metadata column${metadata === 1 ? '' : 's'} will be ignored.`
        : `Recognised a ${name} export${headerRows}.`,
    );
    if (detected.format === 'surveymonkey' && columns.some((c) => c.label.includes(SUB_ANSWER_SEPARATOR))) {
      notes.push('Questions with several answer columns are listed once per column ("Question — option").');
    }
    if (detected.format === 'redcap') notes.push(...redcapNotes(columns, dataRows));
  }
  if (detected.headerNote) notes.push(detected.headerNote);
  return { format: detected.format, headerRowCount: detected.headerRowCount, columns, notes };
}

interface Detected {
  format: SurveyFormat;
  headerRowCount: number;
  keys: string[];
  labels: string[];
  /** SourceColumn.source by position, where the export says. */
  sources?: (SourceColumn['source'] | undefined)[];
  /** Said when a row under a one-row header was taken as a header too. */
  headerNote?: string;
}

/** Finished = 0 in a numeric export, False with choice text (and its translations in other-language exports). */
const NOT_FINISHED = new Set(['0', 'false', 'falsch', 'faux', 'falso', 'onwaar']);

/**
 * Responses the survey tool marks as unfinished, with a note for the preview:
 * LimeSurvey leaves submitdate ("Date submitted") blank until the respondent
 * submits; Qualtrics writes Finished = 0 (or False). Undefined when the file has
 * no such column or every response is finished. Rows are kept either way; the
 * plan decides whether they are imported.
 */
export function findIncomplete(
  format: SurveyFormat,
  columns: SourceColumn[],
  rows: string[][],
  cell: (row: string[], c: number) => string | undefined = (row, c) => row[c],
): { incomplete: IncompleteResponses; note: string } | undefined {
  let column: SourceColumn | undefined;
  let isIncomplete: (cell: string) => boolean;
  let rule: (example: string) => string;
  if (format === 'limesurvey') {
    column = columns.find((c) => ['submitdate', 'datesubmitted'].includes(normaliseName(c.key)));
    isIncomplete = (cell) => cell === '';
    rule = () => 'no submit date';
  } else if (format === 'qualtrics' || format === 'qualtrics-legacy') {
    column = columns.find((c) => normaliseName(c.key) === 'finished');
    isIncomplete = (cell) => NOT_FINISHED.has(cell.toLowerCase());
    rule = (example) => `Finished is ${example}`;
  } else {
    return undefined;
  }
  if (!column) return undefined;
  const rowIndexes: number[] = [];
  let example = '';
  for (let r = 0; r < rows.length; r++) {
    const value = (cell(rows[r], column.index) ?? '').trim();
    if (!isIncomplete(value)) continue;
    if (rowIndexes.length === 0) example = value;
    rowIndexes.push(r);
  }
  if (rowIndexes.length === 0) return undefined;
  const incomplete: IncompleteResponses = { rowIndexes, columnKey: column.key, rule: rule(example) };
  const n = rowIndexes.length;
  const all = n === rows.length ? (n === 1 ? 'The only response was' : `All ${n} responses were`) : n === 1 ? '1 response was' : `${n} responses were`;
  return {
    incomplete,
    note: `${all} not finished (${incomplete.rule}): the respondent left before submitting. Choose in the preview whether to import ${n === 1 ? 'it' : 'them'}.`,
  };
}

/**
 * Metadata columns the plan will ignore: all of them, except that a tool's own
 * ID column (ExternalReference, ResponseId) becomes the respondent ID when no
 * study ID column (participant_id, …) exists and it is filled in.
 */
function countIgnoredMetadata(columns: SourceColumn[], dataRows: string[][]): number {
  const metadata = columns.filter((c) => isMetadataName(c.key));
  const hasStudyId = columns.some((c) => ID_NAMES.includes(normaliseName(c.key)) && !isMetadataName(c.key));
  if (hasStudyId) return metadata.length;
  const toolId = metadata.find((c) => {
    const n = normaliseName(c.key);
    return (ID_NAMES.includes(n) || FALLBACK_ID_NAMES.includes(n)) && dataRows.every((row) => (row[c.index] ?? '').trim() !== '');
  });
  return metadata.length - (toolId ? 1 : 0);
}

/** Header text without surrounding whitespace and with inner line breaks flattened. */
function cleanHeader(cell: string | undefined): string {
  return (cell ?? '').replace(/\s+/g, ' ').trim();
}

function padTo(row: string[], width: number): string[] {
  if (row.length >= width) return row;
  return [...row, ...new Array<string>(width - row.length).fill('')];
}

/**
 * Qualtrics' third header row: `{"ImportId":"QID5_TEXT"}` in (nearly) every cell;
 * the 2016 format writes it as a Python dict, `{'ImportId': 'QID5-TEXT'}`.
 */
const IMPORT_ID = /^\{\s*["']ImportId["']\s*:\s*(?:"([^"]*)"|'([^']*)')?/;

function isQualtricsImportIdRow(row: string[]): boolean {
  let filled = 0;
  let importIds = 0;
  for (const cell of row) {
    const t = cell.trim();
    if (!t) continue;
    filled++;
    if (IMPORT_ID.test(t)) importIds++;
  }
  return importIds > 0 && importIds * 2 >= filled;
}

/** "QID5_TEXT" from `{"ImportId":"QID5_TEXT"}` (either quote style), else "". */
function importIdOf(cell: string): string {
  const m = IMPORT_ID.exec(cell.trim());
  return m ? (m[1] ?? m[2] ?? '') : '';
}

/**
 * What a Qualtrics ImportId says a column holds. Text entry ends in TEXT: a text
 * question (QID2_TEXT in the current format, QID2-TEXT in 2016), an "Other"
 * box (QID3_4_TEXT, QID1-TEXT) or a side-by-side text cell (QID50#1-1-1-TEXT).
 * A bare question or sub-question number (QID1, QID2-3, QID3_1, QID5#1-2) is a
 * choice. Anything else (timing, display order, Text iQ topics, metadata) says
 * nothing.
 */
function qualtricsSource(importId: string): SourceColumn['source'] {
  if (!/^QID\d+/.test(importId)) return undefined;
  if (/(?:^|[-_#])TEXT$/.test(importId)) return 'text';
  if (/^QID\d+(?:[-_#]\d+)*$/.test(importId)) return 'choice';
  return undefined;
}

/** Legacy Qualtrics has no ImportId row, but its keys still end in _TEXT for typed text. */
function legacySource(key: string): SourceColumn['source'] {
  return /^Q.*_TEXT$/.test(key) ? 'text' : undefined;
}

const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/;

/**
 * The legacy Qualtrics export has one header row of short names and a second of
 * question text. Be conservative: an ordinary file with ResponseId and StartDate
 * columns has answers in row 2, so require that row 2 holds neither a response ID
 * (R_…) nor a date under those columns, and that some other cell of row 2 reads
 * like question text (differs from its short name and has a space in it).
 */
function isLegacyQualtrics(names: string[], second: string[], first: string[]): boolean {
  const idCol = names.indexOf('responseid');
  const dateCol = names.indexOf('startdate');
  if (idCol < 0 || dateCol < 0) return false;
  const idCell = second[idCol].trim();
  const dateCell = second[dateCol].trim();
  if (/^R_[A-Za-z0-9]+$/.test(idCell) || DATE_LIKE.test(dateCell)) return false;
  if (!idCell || !dateCell) return false;
  return second.some((cell, i) => {
    const t = cell.trim();
    return i !== idCol && i !== dateCol && t.includes(' ') && t !== first[i] && !isMetadataName(first[i]);
  });
}

/**
 * The older legacy export: row 1 numbers the metadata V1…V10 (then Q1, Q2_1…),
 * row 2 names it (ResponseID, ResponseSet, Name…) and gives the question text.
 */
function isNumberedLegacyQualtrics(names: string[], second: string[]): boolean {
  if (names[0] !== 'v1' || names[1] !== 'v2' || names[2] !== 'v3') return false;
  return second.some((cell, i) => /^v\d+$/.test(names[i]) && normaliseName(cell) === 'responseid');
}

function isMicrosoftForms(names: string[]): boolean {
  if (names[0] !== 'id' || names[1] !== 'starttime' || names[2] !== 'completiontime') return false;
  return names.slice(3, 6).some((n) => n === 'email' || n === 'name' || n === 'lastmodifiedtime');
}

/**
 * LimeSurvey's response export, with "question code" headings (id, submitdate,
 * lastpage, startlanguage, seed…) or "full question text" ones (Response ID,
 * Date submitted, Last page, Start language…).
 */
function isLimeSurvey(names: string[]): boolean {
  if (names[0] !== 'id' && names[0] !== 'responseid') return false;
  const head = names.slice(0, 12);
  const submitted = head.includes('submitdate') || head.includes('datesubmitted');
  return submitted && head.includes('lastpage') && head.includes('startlanguage');
}

/**
 * Keys and labels of a LimeSurvey export, in any of its three heading styles;
 * undefined for other files. "Question code & question text" headings
 * ("submitdate. Date submitted", "G01Q02[SQ001]. Which activities? [Workshops]")
 * are split: the code is the key, so the metadata and ID rules see it, the text the label.
 */
function limeSurveyHeadings(first: string[]): { keys: string[]; labels: string[] } | undefined {
  if (isLimeSurvey(first.map(normaliseName))) return { keys: first, labels: first };
  const split = first.map((heading) => /^([^\s.]+)\.(?:\s+(.*))?$/.exec(heading));
  if (!split[0]) return undefined;
  const keys = split.map((m, i) => (m ? m[1] : first[i]));
  if (!isLimeSurvey(keys.map(normaliseName))) return undefined;
  return { keys, labels: split.map((m, i) => (m ? m[2] || m[1] : first[i])) };
}

/** LimeSurvey names the typed box of a choice question "[other]", and of a list with comment "[comment]". */
function limeSurveySource(key: string): SourceColumn['source'] {
  return /\[(?:other|comment)\]$/i.test(key) ? 'text' : undefined;
}

/** REDCap fields that only a REDCap export has, right after the record ID. */
const REDCAP_FIELDS = new Set([
  'redcap_event_name',
  'redcap_survey_identifier',
  'redcap_repeat_instrument',
  'redcap_repeat_instance',
  'redcap_data_access_group',
]);

/** REDCap's form status column: 0 Incomplete, 1 Unverified, 2 Complete (as codes or labels). */
const REDCAP_STATUS = /^(?:[012]|incomplete|unverified|complete)?$/i;

/** The same fields in an export with "labels" headings (Record ID, Event Name, …). */
const REDCAP_LABELS = new Set(['eventname', 'surveyidentifier', 'repeatinstrument', 'repeatinstance', 'dataaccessgroup']);

function isRedcap(first: string[], rows: string[][]): boolean {
  const lower = first.map((key) => key.toLowerCase());
  if (lower.slice(1, 6).some((key) => REDCAP_FIELDS.has(key))) return true;
  const names = first.map(normaliseName);
  if (names[0] === 'recordid' && names.slice(1, 6).some((n) => REDCAP_LABELS.has(n))) return true;
  // With "labels" headings every instrument's status column is called "Complete?".
  if (first.filter((key) => key === 'Complete?').length >= 2) return true;
  const statusColumns = lower.flatMap((key, i) => (/^[a-z][a-z0-9_]*_complete$/.test(key) ? [i] : []));
  if (lower[0] === 'record_id' && statusColumns.length > 0) return true;
  if (statusColumns.length < 2) return false;
  const sample = rows.slice(1, 201);
  return statusColumns.every((c) => sample.every((row) => REDCAP_STATUS.test((row[c] ?? '').trim())));
}

/** What a REDCap export's own fields mean for the import, said in the preview. */
function redcapNotes(columns: SourceColumn[], dataRows: string[][]): string[] {
  const notes: string[] = [];
  // Raw field names, or the same fields with "labels" headings.
  const find = (...names: string[]) => columns.find((c) => names.includes(normaliseName(c.key)));
  const event = find('redcapeventname', 'eventname');
  if (event) {
    notes.push(`Each row is one record at one event (${event.key}), so the events are proposed as waves.`);
  }
  const group = find('redcapdataaccessgroup', 'dataaccessgroup');
  if (group) notes.push(`The data access group (${group.key}) is kept: it says which site or group each record belongs to.`);
  const instance = find('redcaprepeatinstance', 'repeatinstance');
  const instrument = find('redcaprepeatinstrument', 'repeatinstrument');
  if (instance || instrument) {
    const repeated: number[] = [];
    const instruments = new Set<string>();
    dataRows.forEach((row, r) => {
      const form = instrument ? (row[instrument.index] ?? '').trim() : '';
      const n = instance ? (row[instance.index] ?? '').trim() : '';
      if (!form && !n) return;
      repeated.push(r);
      if (form) instruments.add(form);
    });
    if (repeated.length > 0) {
      const what =
        instruments.size > 0
          ? `of the repeating instrument${instruments.size === 1 ? '' : 's'} ${[...instruments].map((f) => `"${f}"`).join(', ')}`
          : 'of repeating events';
      const count = repeated.length === 1 ? '1 row is an instance' : `${repeated.length} rows are instances`;
      notes.push(
        `${count} ${what} (${(instance ?? instrument)?.key}), so ${repeated.length === 1 ? 'its record appears' : 'their records appear'} more than once in the same event, ` +
          'but Codebench takes one row per record per event: those records cannot be imported as they are. ' +
          'Leave the repeating instrument out of the REDCap export (or delete those rows) and import again.',
      );
    }
  }
  return notes;
}

/**
 * A second header row under a one-row header, so it is not read as a respondent:
 * - "repeat": the row repeats the header (files pasted together, a header written twice);
 * - question text (generic files only): words where the rest of the column holds
 *   numbers or dates, in at least two columns (or one, beside a cell repeating its
 *   header), most of them reading like question text (ending in "?" or ":", or
 *   starting with a question or request word: How, What, Please, Your, Date…).
 *   Real answers fail at least one of these, so the row stays a respondent when:
 *   a cell is a number under numbers; a cell is a value found again further
 *   down its column, or twice in the row; a cell is a stock non-answer ("n/a",
 *   "I don't know", "prefer not to answer"); the words read like answers ("not
 *   telling you", "about three years"); or its first cell is shaped like the IDs
 *   below it ("P1" over P2, P3…).
 */
function extraHeaderRow(first: string[], rows: string[][], generic: boolean): 'repeat' | { example: string } | undefined {
  const second = padTo(rows[1], first.length).map(cleanHeader);
  const fold = (t: string) => t.toLowerCase();
  let same = 0;
  first.forEach((key, c) => {
    if (key && second[c] && fold(second[c]) === fold(key)) same++;
  });
  if (repeatsHeader(rows[1], first.map(fold))) return 'repeat';
  if (!generic || rows.length < 5) return undefined;

  const below = rows.slice(2, 502);
  if (second[0] && looksLikeIdBelow(second[0], below)) return undefined;
  const clashes: string[] = [];
  for (let c = 0; c < first.length; c++) {
    const cell = second[c];
    if (!first[c] || !cell || fold(cell) === fold(first[c])) continue;
    const values: string[] = [];
    for (const row of below) {
      const v = (row[c] ?? '').trim();
      if (v) values.push(v);
    }
    if (values.some((v) => fold(v) === fold(cell))) return undefined;
    if (values.length < 3) continue;
    const typed = values.filter((v) => TYPED_VALUE.test(v)).length;
    if (typed < 0.9 * values.length) continue;
    if (TYPED_VALUE.test(cell) || NON_ANSWERS.has(normaliseName(cell))) return undefined;
    if (/\p{L}/u.test(cell)) clashes.push(cell);
  }
  const distinct = new Set(clashes.map(fold)).size;
  if (distinct !== clashes.length || !(distinct >= 2 || (distinct >= 1 && same >= 1))) return undefined;
  // Words ("several", "not telling you", "about three years") can be answers
  // typed into a number field: most of the cells must read like question text.
  const questions = clashes.filter(readsLikeQuestion);
  if (questions.length * 2 <= clashes.length) return undefined;
  return { example: questions[0] };
}

/** Question or request words a column heading starts with: "How old…", "Your score", "Date of the last visit". */
const QUESTION_START =
  /^(how|what|what's|whats|when|where|which|who|whom|whose|why|do|does|did|is|are|was|were|have|has|had|can|could|would|will|should|please|enter|rate|select|choose|list|describe|indicate|give|name|your|number|date|age|total|amount|score)\b/i;

/** A cell that reads like question text: ends with "?" or ":", or starts with a question or request word. */
function readsLikeQuestion(cell: string): boolean {
  return /[?:]$/.test(cell) || QUESTION_START.test(cell);
}

/**
 * True when a row repeats a header row: every filled cell equals the header cell
 * above it (ignoring case and spaces), and at least two and 80 % of the header's
 * filled cells are repeated. No answer row names its own columns like that.
 * `header` is already cleaned and lower-cased.
 */
function repeatsHeader(row: string[], header: string[], cell: (row: string[], c: number) => string | undefined = (row, c) => row[c]): boolean {
  let headers = 0;
  let same = 0;
  for (let c = 0; c < Math.max(row.length, header.length); c++) {
    const key = header[c] ?? '';
    if (key) headers++;
    const raw = cell(row, c) ?? '';
    // Cheap checks first: a 100k-row file differs from its header at nearly every first cell.
    if (key && raw.length > key.length + 16) return false;
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const folded = (trimmed.length === key.length ? trimmed : cleanHeader(trimmed)).toLowerCase();
    if (folded !== key) return false;
    same++;
  }
  return same >= 2 && same >= 0.8 * headers;
}

/**
 * Data rows that repeat one of the header rows, as when exports are pasted one
 * under another: their indexes in `dataRows`, ascending.
 */
export function repeatedHeaderRows(
  headerRows: string[][],
  dataRows: string[][],
  cell: (row: string[], c: number) => string | undefined = (row, c) => row[c],
): number[] {
  const headers = headerRows.map((row) => row.map((cell) => cleanHeader(cell).toLowerCase()));
  const found: number[] = [];
  dataRows.forEach((row, r) => {
    if (headers.some((header) => repeatsHeader(row, header, cell))) found.push(r);
  });
  return found;
}

/** What respondents type into a number field when they have no number: never question text. */
const NON_ANSWERS = new Set(
  [
    'n/a',
    'na',
    'none',
    'nil',
    'unknown',
    'not known',
    "don't know",
    'dont know',
    'do not know',
    "i don't know",
    'i dont know',
    'i do not know',
    'idk',
    'no idea',
    'not sure',
    "i'm not sure",
    'unsure',
    'prefer not to say',
    'prefer not to answer',
    'rather not say',
    'rather not answer',
    "i'd rather not say",
    'decline to answer',
    'declined',
    'not telling',
    'missing',
    'refused',
    'not applicable',
    'no answer',
    'other',
  ].map(normaliseName),
);

/**
 * True when a first-column cell has the shape of the IDs under it ("P1" over
 * P2…P40, "1042" over numbers): letters as "a", digits as "9".
 */
function looksLikeIdBelow(cell: string, below: string[][]): boolean {
  const shape = (v: string) =>
    v
      .trim()
      .replace(/\p{L}+/gu, 'a')
      .replace(/\d+/g, '9');
  const target = shape(cell);
  let filled = 0;
  let same = 0;
  for (const row of below) {
    const v = (row[0] ?? '').trim();
    if (!v) continue;
    filled++;
    if (shape(v) === target) same++;
  }
  return filled > 0 && same * 2 >= filled;
}

/** A number (1, -2.5, 3,5, 40%) or a date or time (2024-03-01, 1/18/2024 14:18, 09:30). */
const TYPED_VALUE =
  /^(?:[-+]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][-+]?\d+)?%?|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}:\d{2}(?::\d{2})?)$/;

/** SurveyMonkey sub-answers that mean "the answer itself", not an option. */
function isPlainResponse(sub: string): boolean {
  const n = normaliseName(sub);
  return n === 'response' || n === 'openendedresponse';
}

/**
 * What a SurveyMonkey sub-answer says the column holds: "Open-Ended Response" and
 * an "Other (please specify)" box are typed text; an option label is a choice;
 * "Response" (a single choice, but also a number or a date) says nothing.
 */
function surveyMonkeySource(sub: string): SourceColumn['source'] {
  const n = normaliseName(sub);
  if (n === 'openendedresponse' || /^other.*specify/.test(n)) return 'text';
  if (!sub || n === 'response') return undefined;
  return 'choice';
}

function surveyMonkeyColumns(first: string[], secondRow: string[]): Pick<Detected, 'keys' | 'labels' | 'sources'> {
  const keys: string[] = [];
  const labels: string[] = [];
  const sources: (SourceColumn['source'] | undefined)[] = [];
  let question = '';
  for (let i = 0; i < first.length; i++) {
    // A blank cell in row 1 continues the question to its left (its other options).
    if (first[i]) question = first[i];
    const sub = cleanHeader(secondRow[i]);
    if (!question) {
      keys.push(sub);
      labels.push(sub);
      sources.push(undefined);
      continue;
    }
    sources.push(surveyMonkeySource(sub));
    if (sub && !isPlainResponse(sub)) {
      keys.push(shortForm(question) + SUB_ANSWER_SEPARATOR + shortForm(sub));
      labels.push(question + SUB_ANSWER_SEPARATOR + sub);
    } else {
      keys.push(shortForm(question));
      labels.push(question);
    }
  }
  return { keys, labels, sources };
}

/** A question shortened at a word boundary for use as a key: "How did the mentoring…". */
export function shortForm(text: string): string {
  if (text.length <= SHORT_KEY_LENGTH) return text;
  const cut = text.lastIndexOf(' ', SHORT_KEY_LENGTH);
  return (cut > SHORT_KEY_LENGTH / 2 ? text.slice(0, cut) : text.slice(0, SHORT_KEY_LENGTH)).replace(/[\s,;:.-]+$/, '') + '…';
}

/**
 * Blank keys become "Column N"; duplicates are an error in a generic file, and
 * numbered in a tool's export (where the tool, not the user, chose the names).
 */
function uniqueKeys(raw: string[], strict: boolean, notes: string[]): string[] {
  const firstSeen = new Map<string, number>();
  if (strict) {
    raw.forEach((key, i) => {
      if (!key) return;
      const folded = key.toLowerCase();
      const earlier = firstSeen.get(folded);
      if (earlier !== undefined) {
        throw new ImportError(`Columns ${earlier + 1} and ${i + 1} are both called "${raw[earlier]}". Rename one of them and import again.`, { column: key });
      }
      firstSeen.set(folded, i);
    });
  }
  const used = new Set<string>();
  let renamed = 0;
  const keys = raw.map((key, i) => {
    let base = key || `Column ${i + 1}`;
    let candidate = base;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${base} (${n})`;
    if (candidate !== base && key) renamed++;
    used.add(candidate.toLowerCase());
    base = candidate;
    return base;
  });
  if (renamed > 0) {
    notes.push(`${renamed} column${renamed === 1 ? '' : 's'} had the same name as an earlier one and got a number, e.g. "(2)".`);
  }
  return keys;
}
