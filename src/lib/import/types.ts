/** Types shared by the import pipeline: reading a file, proposing a plan, building a batch. */

import type { DeferredCells } from './deferred-cells';

export type SurveyFormat = 'qualtrics' | 'qualtrics-legacy' | 'surveymonkey' | 'google-forms' | 'microsoft-forms' | 'redcap' | 'limesurvey' | 'generic';

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'xlsx';

/** What a column is used for. The import preview lets the user change every guess. */
export type ColumnRole = 'id' | 'attribute' | 'wave' | 'question' | 'ignore';

export interface SourceColumn {
  /** 0-based position in the file. */
  index: number;
  /** Short name: the header cell (Qualtrics: first header row, e.g. "Q5"). */
  key: string;
  /** Full question text where the export carries it, else the same as key. */
  label: string;
  /**
   * What the export itself says the column holds, where it says so: "text" for
   * typed answers (Qualtrics ImportId …TEXT, SurveyMonkey "Open-Ended
   * Response"), "choice" for a closed question's options. Absent when unknown.
   */
  source?: 'text' | 'choice';
}

/** A file read into a table of strings, header rows removed. */
export interface SourceTable {
  fileName: string;
  format: SurveyFormat;
  encoding: SourceEncoding;
  /** For delimited text: ",", ";" or "\t". */
  delimiter?: string;
  /** For XLSX: every sheet's name, and the one read. */
  sheetNames?: string[];
  sheetName?: string;
  columns: SourceColumn[];
  /**
   * Data rows; every row has exactly columns.length cells. CRLF inside cells is normalised to LF.
   * With `deferred`, long cells hold a marker instead: read cells with `cellReader(table)`.
   */
  rows: string[][];
  /**
   * Long cells kept as UTF-8 bytes until read (readSource's `deferLongCells`; see
   * deferred-cells.ts). A deferred cell is never blank, so `isBlank(row[c])` is right either way.
   */
  deferred?: DeferredCells;
  /** Spreadsheet-style row number (1-based, header rows counted) of rows[0], for messages. */
  firstRowNumber: number;
  /**
   * Spreadsheet-style row number of every entry of `rows`, present only when they
   * are not consecutive from `firstRowNumber` (blank lines between answers were
   * skipped). Use `sourceRowNumber(table, i)` rather than reading it directly.
   */
  rowNumbers?: number[];
  /** Non-fatal notes for the preview, e.g. "Qualtrics metadata columns were set to ignore". */
  notes: string[];
  /**
   * Responses the survey tool marks as not finished (LimeSurvey: no submitdate;
   * Qualtrics: Finished = 0/False), when the file says so. The plan's
   * `keepIncomplete` decides whether they are imported.
   */
  incomplete?: IncompleteResponses;
}

export interface IncompleteResponses {
  /** Index (in `rows`) of every incomplete response, ascending. */
  rowIndexes: number[];
  /** Key of the column that tells, e.g. "submitdate". */
  columnKey: string;
  /** How they were recognised, for the preview: "no submit date". */
  rule: string;
}

/**
 * Where respondent IDs come from.
 * - column: the one column whose role is "id" (the usual case).
 * - row-number: "Row N", N being the spreadsheet row number; for exports without
 *   an ID (Google Forms). Such IDs join a later wave only if its file lists the
 *   same people in the same order.
 * - combined: the values of these columns (by index), trimmed and joined with
 *   " · ", when together they are unique (e.g. an email column). One column
 *   works too: it then identifies respondents while keeping its own role
 *   (an email column stays Ignore, so it is not also shown as an attribute).
 * A column whose role is "id" always wins: choosing one in the preview means
 * `{ kind: 'column' }` whatever `idSource` says.
 */
export type RespondentIdSource = { kind: 'column' } | { kind: 'row-number' } | { kind: 'combined'; columns: number[] };

/** An alternative way to identify respondents, offered in the preview with the reason. */
export interface IdChoice {
  source: RespondentIdSource;
  /** "Row number", "Email", "Timestamp + Email". */
  label: string;
  /** Why it is offered, and what it means for joining waves. */
  reason: string;
}

export interface ColumnPlan {
  index: number;
  role: ColumnRole;
  /** Name used in the project: attribute name, or question key. */
  name: string;
  /** Question label (full text) for role "question". */
  label: string;
  /** Why the role was proposed, shown in the preview ("long, varied answers"). */
  reason: string;
  /**
   * Set when the column holds personal data (names, emails, telephone numbers,
   * addresses, IP addresses, locations): what kind, for the preview's flag
   * ("Email addresses"). Such columns are proposed as Ignore; the user may keep them.
   */
  personal?: string;
}

export interface ImportPlan {
  columns: ColumnPlan[];
  /** Wave name used for every row when no column has role "wave". */
  waveName: string;
  /**
   * Where respondent IDs come from; absent means the column whose role is "id".
   * proposePlan sets `{ kind: 'row-number' }` when no column qualifies as the ID.
   */
  idSource?: RespondentIdSource;
  /** Other ways to identify respondents when the file has no ID column (row number first). */
  idChoices?: IdChoice[];
  /**
   * With `SourceTable.incomplete`: import the unfinished responses too. Absent
   * means keep them; proposePlan proposes true (see there why). When false,
   * those rows are not respondents, not duplicates and not blank answers.
   */
  keepIncomplete?: boolean;
}

/** What the import will write, built from a table and a plan; pure data. */
export interface ImportBatch {
  waves: { name: string; rowCount: number }[];
  /** Questions in column order. */
  questions: { key: string; label: string; text: string }[];
  attributes: string[];
  /** Attribute name → the column's label, for attributes whose column had one of its own (see Attribute.label). */
  attributeLabels?: Record<string, string>;
  /** One per distinct respondent ID in the file, with the wave names of the rows it has. */
  respondents: { id: string; attributes: Record<string, string>; waves: string[] }[];
  /**
   * Non-blank answers, grouped per question key then wave name, in row order.
   * With `textOf` (buildBatch's `deferTexts`), `texts` may hold the marker DEFERRED
   * for an answer still kept as bytes: read answer i as `textOf(i)` (decoded anew
   * at each call, so a writer holds only the chunk it writes), and size it with
   * `unitsOf(i)`, an upper bound of its length.
   */
  answers: {
    questionKey: string;
    waveName: string;
    respondentIds: string[];
    texts: string[];
    textOf?: (index: number) => string;
    unitsOf?: (index: number) => number;
  }[];
  /**
   * Question cells that were empty or whitespace only, so not stored as answers
   * (answers + blankAnswerCount = rows × questions). Every respondent is still
   * stored, with attributes, even one who answered nothing.
   */
  blankAnswerCount: number;
}

/** A problem that stops an import; message is for the user, row is spreadsheet-style (1-based) where known. */
export class ImportError extends Error {
  readonly row?: number;
  readonly column?: string;
  constructor(message: string, options: { row?: number; column?: string } = {}) {
    super(message);
    this.name = 'ImportError';
    this.row = options.row;
    this.column = options.column;
  }
}

export interface ProgressReporter {
  (done: number, total: number, phase: string): void;
}
