/**
 * What the Analysis views ask for and get back: the options of each table and
 * the results, as plain data. The analysis worker's protocol carries them
 * (workers/analysis-protocol.ts re-exports them); the views in this folder
 * compute them.
 */
import type { PublishedSpan } from './publishing';
import type { CountRow } from './counts';
import type { CrosstabColumn } from './crosstab';
import type { Target } from './targets';
import type { WaveChangeRow } from './wave-change';
import type { DistinctiveWord, KwicLine, WordFrequency } from '../nlp/word-stats';
import type { ScriptShare } from '../nlp/scripts';
import type { DyadCell, DyadRow } from './dyads';
import type { Dimension, PrevalenceColumn, PrevalenceRow } from './prevalence-table';
import type { TransitionGroup, TransitionRow } from './transitions';

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
  | { kind: 'wave-change'; target: Target; group: WaveChangeGroupName; waveA: string; waveB: string; coders: CoderChoice; questionId: string | null }
  /** A prevalence cell's coded answers: `values` one per dimension, as in the result's columns; null for the total column. */
  | {
      kind: 'prevalence-cell';
      target: Target;
      dimensions: Dimension[];
      values: string[] | null;
      coders: CoderChoice;
      questionId: string | null;
    }
  /** The answers of the groups in a pairs cell, those coded with the target first. */
  | {
      kind: 'dyad-cell';
      target: Target;
      groupAttribute: string;
      roleAttribute: string | null;
      cell: DyadCell;
      coders: CoderChoice;
      questionId: string | null;
    }
  /**
   * A transition cell's respondents (null `splitValue`: every split value). The answers result pages by
   * respondent and carries `pairs`: each respondent's answers in wave A and in wave B, for a side-by-side view.
   */
  | {
      kind: 'transition-cell';
      target: Target;
      waveA: string;
      waveB: string;
      splitBy: string | null;
      splitValue: string | null;
      group: TransitionGroup;
      coders: CoderChoice;
      questionId: string | null;
    };

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
  /** The targets' plain names, without "(with subcodes)" (targetName), for the heatmap. */
  names?: string[];
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
  /**
   * A transition cell only: `total` and `offset` count respondents, and each of the page's respondents comes with
   * the ids of their answers in wave A and in wave B (their rows are in `rows`, A before B).
   */
  pairs?: TransitionPair[];
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
  /** The scripts the texts are written in: the English model reads only English, and the page says so. */
  scripts: ScriptShare;
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
  /** As published: personal data found in it replaced (see `original` and `spans`). */
  text: string;
  /** "Mentee 7, 6 months": the pseudonym, never the raw respondent id. */
  attribution: string;
  questionLabel: string;
  coderNames: string[];
  /** The quote as stored (trimmed); `spans` are UTF-16 offsets into it. */
  original: string;
  /** What was found in it, for the author to review; a kept span is printed as it is. */
  spans: PublishedSpan[];
  pseudonym: string;
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
  /** The answers and respondents were read from the stored columns (lib/db/stored-answers.ts), not chunk by chunk. */
  storedAnswers?: boolean;
  /** The codings were read from the stored codings (lib/db/stored-codings.ts), not page by page. */
  storedCodings?: boolean;
  /**
   * When the worker did what made it ready, in ms since the epoch (performance.timeOrigin + now(), comparable with
   * the page's): the worker created and its script run, its first request, the project's read (by this request or
   * an earlier one: the warm-up ahead) and this reply. The bench splits a cold open with them.
   */
  times?: WarmTimes;
}

export interface WarmTimes {
  created: number;
  scriptRan: number;
  firstRequest: number;
  readStarted: number;
  readDone: number;
  ready: number;
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
  | QuotesResult
  | PrevalenceResult
  | DyadsResult
  | TransitionsResult;

// ---------------------------------------------------------------------------
// The write-up tables (write-up-views.ts)

/** What the write-up tables share (the filter bar travels in the request's envelope, as for every request). */
export interface WriteUpScope extends Scope {
  targets: TargetSet;
  coders: CoderChoice;
}

export interface PrevalenceRequestOptions extends WriteUpScope {
  /** The UI's default is respondents. */
  unit: 'respondents' | 'answers';
  /** 0, 1 or 2: outer then inner column groups. */
  dimensions: Dimension[];
  /** A numeric respondent attribute (respondents only). */
  weightAttribute?: string | null;
  /** Default 0.95. */
  confidence?: number;
  /** Default false. */
  showEmptyRows?: boolean;
}

export interface PrevalenceResult {
  kind: 'prevalence';
  options: PrevalenceRequestOptions;
  unit: 'respondents' | 'answers';
  confidence: number;
  weighted: boolean;
  /** Per dimension: the attribute's name, "Wave" or "Question". */
  dimensionLabels: string[];
  /** `labels`: per dimension, the value as shown (wave name, question label, "(no value)"). */
  columns: (PrevalenceColumn & { labels: string[] })[];
  total: { base: number };
  rows: PrevalenceRow[];
  /** The differences given (b − a), with what they read as: "Mentee: 6 months − Baseline". */
  comparisons: { a: number; b: number; label: string }[];
  hiddenEmptyRows: number;
  /** Whose codings, over which answers, filtered how, weighted by what. */
  basis: string;
  /** The sentences printed under the table: unit, denominators, interval methods (methodNote). */
  method: string;
  /** The request's filter in one line ("" when none), for the table's caption and exports; `basis` also starts with it. */
  filterLabel: string;
}

export interface DyadsOptions extends WriteUpScope {
  groupAttribute: string;
  roleAttribute: string | null;
}

export interface DyadsResult {
  kind: 'dyads';
  options: DyadsOptions;
  /** The two roles [A, B] (DyadRoleCounts' onlyA, onlyB), or null. */
  roles: [string, string] | null;
  groups: number;
  singletons: number;
  withoutGroup: number;
  rows: DyadRow[];
  basis: string;
  filterLabel: string;
}

export interface TransitionsOptions extends WriteUpScope {
  waveA: string;
  waveB: string;
  splitBy: string | null;
}

export interface TransitionsResult {
  kind: 'transitions';
  options: TransitionsOptions;
  waveAName: string;
  waveBName: string;
  splitBy: string | null;
  splitValues: string[];
  /** The split values as shown ("(no value)" for blank). */
  splitLabels: string[];
  rows: TransitionRow[];
  basis: string;
  filterLabel: string;
}

/** One respondent of a transition cell with their answers in wave A and B. */
export interface TransitionPair {
  respondentId: string;
  answerIdsA: string[];
  answerIdsB: string[];
}
