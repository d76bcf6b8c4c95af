/**
 * The survey-native data model. The unit of coding is one answer: the cell
 * (respondent × question × wave). Everything here is plain data so it can be
 * cloned into a worker and stored in IndexedDB as it is.
 */

export type ProjectId = string;

export interface Project {
  id: ProjectId;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** Cached totals so the project list and a reopen need no scan of the answers. */
  respondentCount: number;
  answerCount: number;
}

/** One imported file: a questionnaire wave such as "Baseline" or "6 months". */
export interface Wave {
  projectId: ProjectId;
  id: string;
  name: string;
  order: number;
  importedAt: number;
  sourceFile: string;
  /** Recognised export format, e.g. "qualtrics", for the import history. */
  sourceFormat: string;
}

export interface Question {
  projectId: ProjectId;
  /** Stable id derived from the column's short name, e.g. "q-rewards". */
  id: string;
  /** Short name as it appears in the export header (Qualtrics "Q5", or the header text). */
  key: string;
  /** Human label; the full question text where the export carries one. */
  label: string;
  text: string;
  order: number;
  /** Non-blank answers, per wave id. */
  answerCounts: Record<string, number>;
}

export interface Attribute {
  projectId: ProjectId;
  /** Attribute name as shown, e.g. "role". */
  name: string;
  order: number;
  /** Distinct values seen, in first-seen order (capped for very high cardinality). */
  values: string[];
}

export interface Respondent {
  /** The respondent ID as given in the file: it joins waves. */
  id: string;
  attributes: Record<string, string>;
}

/** An answer: one respondent's text for one question in one wave. */
export interface Answer {
  /** `${questionId}\u001f${waveId}\u001f${respondentId}`: stable across re-imports and exports. */
  id: string;
  questionId: string;
  waveId: string;
  respondentId: string;
  text: string;
}

export interface Code {
  projectId: ProjectId;
  id: string;
  parentId: string | null;
  name: string;
  /** CSS colour, "#rrggbb". */
  color: string;
  definition: string;
  inclusion: string;
  exclusion: string;
  example: string;
  /** Position among siblings. */
  order: number;
}

export interface Coder {
  projectId: ProjectId;
  id: string;
  name: string;
  color: string;
}

/**
 * A code applied to an answer by a coder. `start`/`end` are Unicode code point
 * offsets into the answer text, start inclusive and end exclusive, as REFI-QDA
 * counts them; both null when the whole answer is coded.
 */
export interface Coding {
  projectId: ProjectId;
  id: string;
  answerId: string;
  codeId: string;
  coderId: string;
  start: number | null;
  end: number | null;
  createdAt: number;
  /** Marked as an exemplar quote for the write-up (absent = not marked). */
  exemplar?: boolean;
}

/**
 * A theme: a named set of codes an author reports together, e.g. "Personal
 * and professional development". A code may sit in several themes; a code
 * counts with its subcodes when `withSubcodes` is set.
 */
export interface Theme {
  projectId: ProjectId;
  id: string;
  name: string;
  description: string;
  codeIds: string[];
  withSubcodes: boolean;
  order: number;
}

/** The coder under whom adjudicated codings are kept; the coders' own codings stay as they were. */
export const CONSENSUS_CODER_ID = 'consensus';

/**
 * An adjudicator's decision on one answer where two coders disagreed: which
 * side's codings, for the codes compared, went to the consensus coder.
 */
export interface Resolution {
  projectId: ProjectId;
  answerId: string;
  decision: 'first' | 'second' | 'both' | 'neither';
  /** The two coders compared, in the order "first" and "second" refer to. */
  coderIds: [string, string];
  /** The codes compared when it was resolved. */
  codeIds: string[];
  resolvedBy: string;
  at: number;
}

export const ANSWER_ID_SEPARATOR = '\u001f';

export function answerId(questionId: string, waveId: string, respondentId: string): string {
  return [questionId, waveId, respondentId].join(ANSWER_ID_SEPARATOR);
}

/** A random id for new entities (codes, codings, projects). */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}

/** A readable, stable id from a name: "6 months" → "6-months". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'item';
}

/** slugify, made unique against ids already taken (which it then records). */
export function uniqueSlug(name: string, taken: Set<string>): string {
  const base = slugify(name);
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
  taken.add(candidate);
  return candidate;
}
