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
  /**
   * The coder whose codings the Final set takes where an answer was coded by
   * one coder only or a disagreement is not yet adjudicated (absent: the first
   * coder registered).
   */
  primaryCoderId?: string;
  /**
   * Set while an import stores the project in the background, before the user
   * clicks Import (src/lib/db/staging.ts): no list or loader shows such a
   * project, and publishing it removes this field in one small transaction.
   */
  staging?: { startedAt: number };
  /**
   * Changes (a new random token) in the same transaction as every write to the project's answers, respondents,
   * codes or codings (db/revision.ts); what is derived from them is kept for one revision. Absent until the first
   * such write.
   */
  revision?: string;
  /**
   * The same, changed only with the project's answers, respondents, questions or waves (an import): what is
   * derived from those alone (the analysis worker's answer columns) survives coding.
   */
  answersRevision?: string;
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
  /** Attribute name, e.g. "role": the key respondents' values are stored under. */
  name: string;
  /**
   * What to call it on screen when the import found a label for the column ("Role" for "role", "Gender" for a
   * Qualtrics "Q1"); absent when the file had none or the name was typed in the preview. See attributeLabel.
   */
  label?: string;
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
  /** Codes merged into this one (their ids), so a codebook version diff can say "merged" rather than "deleted". */
  mergedFromIds?: string[];
  /** The code this one was split off from. */
  splitFromId?: string;
  /**
   * The digit or letter that applies the code (see coding/keys.ts): kept with the code so it stays when codes
   * move, split or merge; "" for none. Absent on codes stored before keys were kept with codes.
   */
  shortcut?: string;
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
  /**
   * Provenance: the coder accepted this coding from one of the assistant's suggestions (absent = coded by hand, or
   * by the Assistant coder itself). Kept in coder and project files and in exports.
   */
  suggested?: boolean;
}

/** The coder under whom the assistant's pre-coding is kept, so it is compared, adjudicated and reported like any coder. */
export const ASSISTANT_CODER_ID = 'assistant';

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

/**
 * The coding set an author analyses: on double-coded answers what both coders
 * agreed on plus each adjudication, elsewhere the one coder's (or the primary
 * coder's) codings. Derived, never stored: it follows every coding and decision.
 */
export const FINAL_CODER_ID = 'final';

/** A code as a codebook version froze it (a Code without its project). */
export type VersionedCode = Omit<Code, 'projectId'>;

/** The codebook as it stood when a round was drawn (or when the lead saved a version). */
export interface CodebookVersion {
  projectId: ProjectId;
  id: string;
  /** 1, 2, 3… in the order versions were made. */
  number: number;
  label: string;
  createdAt: number;
  /** Coder id of whoever froze it. */
  createdBy: string;
  codes: VersionedCode[];
}

/** What a round's sample was drawn from and how. */
export interface RoundSample {
  /** A number of answers, or a share of those in scope (0–1). */
  size: { kind: 'count'; count: number } | { kind: 'share'; share: number };
  /** Seed of the random draw, so the same scope and seed draw the same answers. */
  seed: number;
  /** Scope: questions and waves drawn from (empty = all). */
  questionIds: string[];
  waveIds: string[];
  /** Strata the sample is spread over proportionally: by question, by wave, or by an attribute's values. */
  strata: Array<{ kind: 'question' } | { kind: 'wave' } | { kind: 'attribute'; name: string }>;
}

/**
 * A double-coding round: a drawn sample of answers that a second coder codes
 * blind, with the codebook version it is coded with. Agreement is computed on
 * exactly these answers.
 */
export interface Round {
  projectId: ProjectId;
  id: string;
  /** 1, 2, 3… in the order rounds were drawn. */
  number: number;
  /** "Pilot", "Main"… */
  name: string;
  createdAt: number;
  /** Coder id of the lead who drew it. */
  createdBy: string;
  sample: RoundSample;
  /** The drawn answers, in draw order. */
  answerIds: string[];
  codebookVersionId: string;
  /** The two coders compared in this round once known: [lead or primary, second coder]. */
  coderIds: string[];
  /**
   * The round's agreement as it was when last computed on it in the agreement view, so a later merge or
   * split (which moves codings to other codes) cannot rewrite what this round measured. Absent until then.
   */
  agreement?: RoundAgreement;
}

/** One code's agreement in a round, as computed then: plain numbers. */
export interface RoundAgreementRow {
  codeId: string;
  /** Krippendorff's alpha (nominal); null where it was undefined. */
  alpha: number | null;
  /** Cohen's kappa; null where it was undefined (or more than two coders). */
  kappa: number | null;
  /** Answers both coders coded. */
  units: number;
  /** Share of 'present' among the compared values; null without any. */
  prevalence: number | null;
  /** The two coders' 2×2 table (the planner's input); absent for more than two coders. */
  pair?: { bothPresent: number; aOnly: number; bOnly: number; bothAbsent: number };
}

export interface RoundAgreement {
  computedAt: number;
  coderIds: string[];
  /** The codebook version in force when it was computed (the rows' code ids are that version's). */
  codebookVersionId: string;
  /** Codes were compared together with their subcodes. */
  includeSubcodes: boolean;
  uncodedAs: 'absent' | 'missing';
  /** Answers of the round compared. */
  answers: number;
  rows: RoundAgreementRow[];
}

/**
 * A span the author kept in a quote ("not personal"): code point offsets into the stored answer's text, like a
 * coding's, so the decision holds whatever the quote around it and whatever else is found.
 */
export interface KeptRedaction {
  answerId: string;
  start: number;
  end: number;
}

/** How quotes are published (issue 13): who they are attributed to and what is redacted in them. */
export interface WriteUpSettings {
  /**
   * The attribute whose values name the roles in pseudonyms ("Mentee 7"); null for none ("Respondent 7");
   * undefined until the author chooses, when the likely one (defaultRoleAttribute) applies.
   */
  roleAttribute?: string | null;
  /** The author's list: names and words redacted wherever they appear as whole words. */
  redactionList: string[];
  /** Spans found in quotes that the author kept as they are. */
  kept: KeptRedaction[];
  /** Attributions name the question too ("Mentee 7, 6 months, Q5"). */
  showQuestion: boolean;
}

/**
 * The pseudonyms given under one role attribute ('' for none), as parallel columns: a map per attribute, so
 * choosing another role attribute and coming back gives everyone their old label again.
 */
export interface PseudonymTable {
  roleAttribute: string;
  ids: string[];
  labels: string[];
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
