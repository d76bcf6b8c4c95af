/**
 * Analysis behind "Themes and write-up": counts, crosstabs, co-occurrence and
 * change between waves, for codes, codes with subcodes and themes alike. Pure
 * functions over an index built once (no DOM, no database), so they can run
 * in a worker.
 */
export { AnalysisIndex, buildAnalysisIndex, answerRefsOf, type AnalysisInput, type AnswerRef, type AnswerColumns, type CodeCodings } from './analysis-index';
export { coderMask, type CoderSelection } from './coder-selection';
export { codeTargets, themeTargets, targetCodeIds, targetKey, targetLabel, targetName, type Target } from './targets';
export { countTargets, type Breakdown, type CountOptions, type CountRow } from './counts';
export { crosstab, type Crosstab, type CrosstabCell, type CrosstabColumn, type CrosstabOptions, type CrosstabRow } from './crosstab';
export { cooccurrence, type Cooccurrence, type CooccurrenceCell, type CooccurrenceOptions } from './cooccurrence';
export { waveChange, type WaveChangeGroup, type WaveChangeOptions, type WaveChangeRow } from './wave-change';
export { orderValues, naturalCompare } from './groups';
export { share } from './share';
export {
  METHOD_TEXT,
  WeightError,
  methodText,
  newcombeDifference,
  normalQuantile,
  weightedProportion,
  wilsonInterval,
  type Interval,
  type MethodText,
  type WeightedInterval,
  type WeightedValue,
} from './proportions';
export { assignPseudonyms, defaultRoleLabel, type PseudonymOptions, type PseudonymSubject } from './pseudonyms';
export {
  findRedactions,
  placeholderFor,
  redact,
  type FindRedactionsOptions,
  type RedactOptions,
  type RedactionKind,
  type RedactionSource,
  type RedactionSpan,
} from './redaction';
export {
  AnalysisProject,
  AnalysisRequestError,
  FINAL_CODER_NAME,
  NO_VALUE_LABEL,
  analysisCoders,
  keepCoder,
  namingFilter,
  targetsOf,
  whoseCodings,
  type FinalContext,
  type ProgressReporter,
} from './analysis-project';
export { answersOf, cooccurrenceOf, counts, crosstabOf, groupLabel, waveChangeOf, warm } from './tables';
export { distinctive, kwic, words } from './word-views';
export { attributionRule, quotes } from './quote-bank';
export { NO_FILTER, answerMatcher, describeFilter, filterKey, isNoFilter, normaliseFilter, respondentMatcher, type ViewFilter } from './view-filter';
export {
  PrevalenceError,
  methodNote,
  parseWeight,
  prevalenceCellAnswers,
  prevalenceTable,
  type Dimension,
  type PrevalenceCell,
  type PrevalenceColumn,
  type PrevalenceDifference,
  type PrevalenceOptions,
  type PrevalenceRow,
  type PrevalenceTable,
} from './prevalence-table';
export { dyadCellAnswers, pairConcordance, type DyadCell, type DyadOptions, type DyadRoleCounts, type DyadRow, type DyadTable } from './dyads';
export {
  transitionPairs,
  waveTransitions,
  type TransitionCounts,
  type TransitionGroup,
  type TransitionOptions,
  type TransitionRow,
  type TransitionTable,
} from './transitions';
export { CODE_PATH_SEPARATOR, codePath, type CodePathNode } from '../codebook/code-path';
export {
  MAX_PREVALENCE_COLUMNS,
  checkColumnCount,
  dimensionLabel,
  dimensionValueLabel,
  dyadsOf,
  isWriteUpSelect,
  prevalenceOf,
  warmPrevalence,
  transitionCellPairs,
  transitionsOf,
  writeUpAnswerIds,
} from './write-up-views';
export {
  PSEUDONYM_KEY_WARNING,
  completePseudonyms,
  defaultRoleAttribute,
  emptyWriteUpSettings,
  keepDecision,
  keptSet,
  labelProblem,
  pseudonymKeyRows,
  pseudonymMap,
  pseudonymTable,
  publishQuote,
  publishedAttribution,
  quotePieces,
  roleAttributeOf,
  type PublishContext,
  type PublishedQuote,
  type PublishedSpan,
  type QuotePiece,
  type QuoteToPublish,
} from './publishing';
export { Publisher, publisherOf, pseudonymousSource, type PublishingData } from './publish-project';
