/**
 * Recognising the survey tool that produced a table, how many header rows it
 * has, and what each column is called.
 */

import { ID_NAMES, FALLBACK_ID_NAMES, isMetadataName, normaliseName } from './known-columns';
import { ImportError, type SourceColumn, type SurveyFormat } from './types';

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
 *   cells), or the legacy two-row export whose first row has ResponseId and
 *   StartDate and whose second row is question text rather than answers.
 * - SurveyMonkey: two header rows; row 1 holds "Respondent ID" and "Collector ID"
 *   and each question once (blank cells continue it across its sub-columns); row 2
 *   the sub-answers ("Response", "Open-Ended Response", option labels…).
 * - Google Forms: first header "Timestamp". Microsoft Forms: "ID", "Start time",
 *   "Completion time", then "Email"/"Name"/"Last modified time". Both one header row.
 * - Anything else: generic, one header row.
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

  let detected: { format: SurveyFormat; headerRowCount: number; keys: string[]; labels: string[] };
  if (rows.length >= 3 && isQualtricsImportIdRow(rows[2])) {
    const second = padTo(rows[1], width).map(cleanHeader);
    detected = { format: 'qualtrics', headerRowCount: 3, keys: first, labels: second.map((t, i) => t || first[i]) };
  } else if (rows.length >= 2 && isLegacyQualtrics(names, padTo(rows[1], width), first)) {
    const second = padTo(rows[1], width).map(cleanHeader);
    detected = { format: 'qualtrics', headerRowCount: 2, keys: first, labels: second.map((t, i) => t || first[i]) };
  } else if (rows.length >= 2 && names.includes('respondentid') && names.includes('collectorid')) {
    detected = { format: 'surveymonkey', headerRowCount: 2, ...surveyMonkeyColumns(first, padTo(rows[1], width)) };
  } else if (names[0] === 'timestamp') {
    detected = { format: 'google-forms', headerRowCount: 1, keys: first, labels: first };
  } else if (isMicrosoftForms(names)) {
    detected = { format: 'microsoft-forms', headerRowCount: 1, keys: first, labels: first };
  } else {
    detected = { format: 'generic', headerRowCount: 1, keys: first, labels: first };
  }

  const notes: string[] = [];
  const keys = uniqueKeys(detected.keys, detected.format === 'generic', notes);
  const columns: SourceColumn[] = keys.map((key, index) => ({
    index,
    key,
    label: detected.labels[index] || key,
  }));

  if (detected.format !== 'generic') {
    const metadata = countIgnoredMetadata(columns, rows.slice(detected.headerRowCount));
    const name = FORMAT_NAMES[detected.format];
    notes.unshift(
      metadata > 0 ? `Recognised a ${name} export: ${metadata} metadata column${metadata === 1 ? '' : 's'} will be ignored.` : `Recognised a ${name} export.`,
    );
    if (detected.format === 'surveymonkey' && columns.some((c) => c.label.includes(SUB_ANSWER_SEPARATOR))) {
      notes.push('Questions with several answer columns are listed once per column ("Question — option").');
    }
  }
  return { format: detected.format, headerRowCount: detected.headerRowCount, columns, notes };
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

/** Qualtrics' third header row: `{"ImportId":"QID5_TEXT"}` in (nearly) every cell. */
function isQualtricsImportIdRow(row: string[]): boolean {
  let filled = 0;
  let importIds = 0;
  for (const cell of row) {
    const t = cell.trim();
    if (!t) continue;
    filled++;
    if (/^\{\s*"ImportId"\s*:/.test(t)) importIds++;
  }
  return importIds > 0 && importIds * 2 >= filled;
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

function isMicrosoftForms(names: string[]): boolean {
  if (names[0] !== 'id' || names[1] !== 'starttime' || names[2] !== 'completiontime') return false;
  return names.slice(3, 6).some((n) => n === 'email' || n === 'name' || n === 'lastmodifiedtime');
}

/** SurveyMonkey sub-answers that mean "the answer itself", not an option. */
function isPlainResponse(sub: string): boolean {
  const n = normaliseName(sub);
  return n === 'response' || n === 'openendedresponse';
}

function surveyMonkeyColumns(first: string[], secondRow: string[]): { keys: string[]; labels: string[] } {
  const keys: string[] = [];
  const labels: string[] = [];
  let question = '';
  for (let i = 0; i < first.length; i++) {
    // A blank cell in row 1 continues the question to its left (its other options).
    if (first[i]) question = first[i];
    const sub = cleanHeader(secondRow[i]);
    if (!question) {
      keys.push(sub);
      labels.push(sub);
    } else if (sub && !isPlainResponse(sub)) {
      keys.push(shortForm(question) + SUB_ANSWER_SEPARATOR + shortForm(sub));
      labels.push(question + SUB_ANSWER_SEPARATOR + sub);
    } else {
      keys.push(shortForm(question));
      labels.push(question);
    }
  }
  return { keys, labels };
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
