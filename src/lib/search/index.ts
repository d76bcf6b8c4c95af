export {
  AnswerIndex,
  IncompatibleIndexError,
  type SearchDoc,
  type SearchQuery,
  type SearchHit,
  type SearchResults,
  type MatchResults,
  type AnswerIndexOptions,
  type AnswerSearchOptions,
  type SerializedAnswerIndex,
} from './answer-index';
export { AnswerScan, type ScanMatch } from './answer-scan';
export { QuestionSearches, type QuestionAnswers, type Prepared } from './question-searches';
export { parseQuery, type ParsedQuery } from './query';
export { findPhrase, normalizePhrase } from './phrase';
