/**
 * What the Analysis views ask for and get back: the options of each table and
 * the results, as plain data. The analysis worker's protocol carries them
 * (workers/analysis-protocol.ts re-exports them); the views in this folder
 * compute them.
 */
import type { CountRow } from './counts';
import type { CrosstabColumn } from './crosstab';
import type { Target } from './targets';
import type { WaveChangeRow } from './wave-change';
import type { DistinctiveWord, KwicLine, WordFrequency } from '../nlp/word-stats';

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
