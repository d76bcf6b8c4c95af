/**
 * Messages between the page and the analysis worker. Plain data only.
 *
 * Every request names the project and the coding workspace's `version` (bumped
 * on every change to codes, codings and themes): the worker keeps the project
 * in memory between requests and re-reads its codes, codings, coders and
 * themes when the version differs, so a page never has to say "changed" for
 * codings. `invalidate` drops everything of a project (an import added answers).
 *
 * Results carry counts, not the ids behind every cell (200k ids would cost more
 * to post than the counts take to compute): opening a cell is an `answers`
 * request that names the cell, and the worker works its ids out again.
 */
import type { CountRow, CrosstabColumn, Target, WaveChangeRow } from '../lib/analysis';
import type { ExchangeCode, ExchangeTheme } from '../lib/exchange';
import type { DistinctiveWord, KwicLine, WordFrequency } from '../lib/nlp/word-stats';
import type { QdpxOffsets, RefiReport } from '../lib/refi';

/** Whose codings count: every coder together (consensus left out), one coder, or the consensus. */
/** Whose codings: every coder together, one coder, the consensus coder, or the Final set (lib/coding/final-set.ts). */
export type CoderChoice = { kind: 'all' } | { kind: 'coder'; coderId: string } | { kind: 'consensus' } | { kind: 'final' };

/**
 * Which rows a table has: every code on its own; every code, a parent counted
 * with its subcodes; the top-level codes, each with its subcodes; or the themes.
 */
export type TargetSet = 'codes' | 'codes-with-subcodes' | 'top-level' | 'themes';

export type GroupBy = { kind: 'none' } | { kind: 'attribute'; name: string } | { kind: 'wave' } | { kind: 'question' } | { kind: 'coder' };

/** The answers in scope: every question, or one. */
export interface Scope {
  questionId: string | null;
}

interface Envelope {
  requestId: number;
  projectId: string;
  /** The coding workspace's version when the request was made. */
  version: number;
  /** Re-read the codings even if the version is the one read (the page has just stored a change of its own). */
  reread?: boolean;
  /**
   * Blind: the one coder whose codings, memos and name the answer may rest on. The worker answers from a copy of
   * the project holding only this coder's work, whatever the request's coder choices say ('' shows nobody's).
   */
  blindCoderId?: string;
}

/**
 * The request with every coder choice in it set to this coder: the page's options may still name a coder
 * chosen before blind mode was turned on, and neither the page nor the worker may act on it.
 */
export function restrictCoderChoices<T>(value: T, coderId: string): T {
  const own: CoderChoice = { kind: 'coder', coderId };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object' || v instanceof Blob) return v;
    return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, k === 'coders' && isCoderChoice(inner) ? own : walk(inner)]));
  };
  return walk(value) as T;
}

function isCoderChoice(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { kind?: unknown }).kind === 'string';
}

export interface CountsOptions extends Scope {
  targets: TargetSet;
  groupBy: GroupBy;
  coders: CoderChoice;
}

export interface CrosstabOptions extends Scope {
  targets: TargetSet;
  attribute: string;
  unit: 'respondents' | 'answers';
  percentOf: 'answered' | 'column-total';
  coders: CoderChoice;
}

export interface CooccurrenceOptions extends Scope {
  targets: TargetSet;
  level: 'answer' | 'respondent';
  coders: CoderChoice;
}

export interface WaveChangeOptions extends Scope {
  targets: TargetSet;
  waveA: string;
  waveB: string;
  coders: CoderChoice;
}

/** Whose words: every answer in scope, the passages coded with a code or theme, or the answers of an attribute group. */
export type WordGroup = { kind: 'all' } | { kind: 'target'; target: Target } | { kind: 'attribute'; name: string; value: string };

export interface WordScope extends Scope {
  group: WordGroup;
  /** Whose codings make a target's passages. */
  coders: CoderChoice;
}

export type WaveChangeGroupName = 'onlyA' | 'onlyB' | 'both' | 'neither';

/** The answers behind a cell, named by the cell (see the module notes). */
export type AnswerSelect =
  /** These answers, e.g. a keyword-in-context line's; `highlight` marks a passage (code points) in each. */
  | { kind: 'ids'; answerIds: string[]; highlight?: Record<string, [number, number]> }
  /** Answers coded with the target, of respondents with the attribute value when given. */
  | { kind: 'coded'; target: Target; attribute: { name: string; value: string } | null; coders: CoderChoice; questionId: string | null }
  /** Answers coded with both (level answer); or, for respondents coded with both, their answers coded with either. */
  | { kind: 'cooccurrence'; a: Target; b: Target; level: 'answer' | 'respondent'; coders: CoderChoice; questionId: string | null }
  /** A wave-change group's respondents: their answers in the two waves coded with the target (all of them for "neither"). */
  | { kind: 'wave-change'; target: Target; group: WaveChangeGroupName; waveA: string; waveB: string; coders: CoderChoice; questionId: string | null };

export type ExportKind =
  'long-csv' | 'wide-csv' | 'counts-csv' | 'crosstab-csv' | 'xlsx' | 'report-md' | 'report-html' | 'codebook-md' | 'codebook-json' | 'qdc' | 'qdpx';

export interface ExportSettings {
  /** Whose codings: 'all' lists every coding in the long CSV (the coder column tells them apart) and counts any coder elsewhere. */
  coders: CoderChoice;
  /** Wide CSV, workbook, report and codebook counts: a parent counts its subcodes. */
  includeSubcodes: boolean;
  /** Start CSV files with a byte order mark, so Excel reads them as UTF-8. */
  bom: boolean;
  /** The Counts tab's table, for counts-csv and the workbook. */
  counts: CountsOptions;
  /** The Crosstab tab's table, for crosstab-csv and the workbook ('' attribute: none). */
  crosstab: CrosstabOptions;
  /** The attribute that names a quote's speaker (report), or null. */
  attributionAttribute: string | null;
  /** How a .qdpx counts offsets: the standard's code points (default) or NVivo's UTF-16 units with CR LF line ends. */
  qdpxOffsets?: QdpxOffsets;
}

export type ToAnalysisWorker =
  /** Read the project and index it now, so the first table is quick. */
  | (Envelope & { type: 'warm' })
  | (Envelope & { type: 'counts'; options: CountsOptions })
  | (Envelope & { type: 'crosstab'; options: CrosstabOptions })
  | (Envelope & { type: 'cooccurrence'; options: CooccurrenceOptions })
  | (Envelope & { type: 'wave-change'; options: WaveChangeOptions })
  | (Envelope & { type: 'answers'; select: AnswerSelect; offset: number; limit: number })
  | (Envelope & { type: 'words'; scope: WordScope; limit: number })
  | (Envelope & { type: 'kwic'; scope: WordScope; word: string; limit: number })
  | (Envelope & { type: 'distinctive'; target: Target; coders: CoderChoice; questionId: string | null; limit: number })
  | (Envelope & { type: 'quotes'; by: 'code' | 'theme'; coders: CoderChoice; attributionAttribute: string | null })
  | (Envelope & { type: 'export'; kind: ExportKind; settings: ExportSettings })
  /** A REFI-QDA codebook to read (the page adds its codes through the workspace). */
  | (Envelope & { type: 'read-qdc'; file: Blob; fileName: string })
  /** A REFI-QDA project to restore as a project of its own. */
  | { type: 'import-qdpx'; requestId: number; file: Blob; fileName: string; asCopy: boolean }
  /** A REFI-QDA codebook to make a new project of (from the start page); the reply is 'qdpx-imported'. */
  | { type: 'import-qdc-project'; requestId: number; file: Blob; fileName: string }
  /** The project's answers changed (an import): forget everything read of it. */
  | { type: 'invalidate'; projectId: string };

export type AnalysisRequest = Exclude<ToAnalysisWorker, { type: 'invalidate' }>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A request about a project without its envelope (what the page fills in). */
export type AnalysisRequestBody = DistributiveOmit<
  Exclude<AnalysisRequest, { type: 'import-qdpx' | 'import-qdc-project' }>,
  'requestId' | 'projectId' | 'version' | 'reread' | 'blindCoderId'
>;

/** A counts row with its group named for display. */
export interface CountsRow extends CountRow {
  /** Attribute value ("(no value)" for blank), wave name, question label or coder name; null on the overall row. */
  groupLabel: string | null;
}

export interface CountsResult {
  kind: 'counts';
  options: CountsOptions;
  rows: CountsRow[];
  answersInScope: number;
  respondentsAnswered: number;
  /** How the numbers were counted, in a sentence. */
  basis: string;
}

export interface CrosstabResultCell {
  count: number;
  base: number;
  share: number | null;
}

export interface CrosstabResult {
  kind: 'crosstab';
  options: CrosstabOptions;
  columns: (CrosstabColumn & { label: string })[];
  rows: { key: string; target: Target; label: string; cells: CrosstabResultCell[]; total: CrosstabResultCell }[];
  total: Omit<CrosstabColumn, 'value'>;
  basis: string;
}

export interface CooccurrenceResult {
  kind: 'cooccurrence';
  options: CooccurrenceOptions;
  targets: Target[];
  keys: string[];
  labels: string[];
  /** counts[i][j]: answers (respondents) coded with both; the diagonal, with each. */
  counts: number[][];
  /** Jaccard index of each pair, null where neither was coded. */
  jaccard: (number | null)[][];
  basis: string;
}

export interface WaveChangeResult {
  kind: 'wave-change';
  options: WaveChangeOptions;
  waveAName: string;
  waveBName: string;
  rows: (Omit<WaveChangeRow, WaveChangeGroupName> & Record<WaveChangeGroupName, number>)[];
  basis: string;
}

export interface AnswerRow {
  answerId: string;
  respondentId: string;
  waveId: string;
  waveName: string;
  questionId: string;
  questionLabel: string;
  /** Known attribute values, in the project's attribute order. */
  attributes: [string, string][];
  text: string;
  /** A passage to mark, in code points. */
  highlight: [number, number] | null;
}

export interface AnswersResult {
  kind: 'answers';
  total: number;
  offset: number;
  rows: AnswerRow[];
}

export interface WordsResult {
  kind: 'words';
  scope: WordScope;
  scopeLabel: string;
  /** Texts read: answers, or answers with a coded passage. */
  texts: number;
  /** Words counted (stop words left out) and distinct lemmas. */
  words: number;
  distinct: number;
  top: WordFrequency[];
}

export interface KwicResult {
  kind: 'kwic';
  scope: WordScope;
  scopeLabel: string;
  word: string;
  lines: KwicLine[];
  /** True when more lines exist than were returned. */
  truncated: boolean;
}

export interface DistinctiveResult {
  kind: 'distinctive';
  target: Target;
  label: string;
  questionId: string | null;
  /** Most typical of the group first (z > 0), then the least typical (most negative z), each list at most `limit`. */
  typical: DistinctiveWord[];
  atypical: DistinctiveWord[];
  groupAnswers: number;
  restAnswers: number;
  groupWords: number;
  restWords: number;
  /** How the scores were made: shown beside them. */
  method: string;
  /** What the group and the rest are. */
  basis: string;
}

export interface Quote {
  /** The exemplar codings quoting this passage (several coders may mark the same one). */
  codingIds: string[];
  answerId: string;
  text: string;
  attribution: string;
  questionLabel: string;
  coderNames: string[];
}

export interface QuoteGroup {
  key: string;
  label: string;
  depth: number;
  quotes: Quote[];
}

export interface QuotesResult {
  kind: 'quotes';
  by: 'code' | 'theme';
  groups: QuoteGroup[];
  /** The attribution rule, in words. */
  rule: string;
}

export interface WarmResult {
  kind: 'warm';
  answers: number;
  codings: number;
}

export type AnalysisResult =
  | WarmResult
  | CountsResult
  | CrosstabResult
  | CooccurrenceResult
  | WaveChangeResult
  | AnswersResult
  | WordsResult
  | KwicResult
  | DistinctiveResult
  | QuotesResult;

export type FromAnalysisWorker =
  | { type: 'progress'; requestId: number; phase: string; done: number; total: number }
  /** `ms`: the worker's time for the request, reading included. */
  | { type: 'result'; requestId: number; result: AnalysisResult; ms: number }
  | { type: 'file'; requestId: number; fileName: string; mime: string; bytes: Uint8Array; ms: number }
  | { type: 'qdc'; requestId: number; fileName: string; codes: ExchangeCode[]; themes: ExchangeTheme[]; warnings: string[] }
  | { type: 'qdpx-imported'; requestId: number; projectId: string; name: string; report: RefiReport }
  /** A .qdpx of a project already in this browser: the page offers to restore it as a copy. */
  | { type: 'project-exists'; requestId: number; name: string }
  | { type: 'error'; requestId: number; message: string };
