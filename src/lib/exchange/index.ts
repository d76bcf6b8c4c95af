/**
 * Exchange between coders without a server: the coder file (one coder's
 * codings and memos with their codebook), the project file (a whole project,
 * also the backup), gzip, and the merge of a coder file into a project.
 * Pure: no Svelte, no Dexie, no DOM. Format: docs/exchange-format.md.
 */
export { ExchangeError } from './exchange-error';
export { CODER_FORMAT, EXCHANGE_VERSION, PROJECT_FORMAT, type ExchangeFormat } from './envelope';
export type { ExchangeCode, ExchangeCoder, ExchangeCoding, ExchangeMemo, ExchangeResolution, ExchangeTheme, MemoTargetKind, ProjectMemo } from './records';
export { answerFingerprint } from './fingerprint';
export {
  coderFileFromData,
  coderFileFromProject,
  readCoderFile,
  writeCoderFile,
  type CoderExportInput,
  type CoderFile,
  type CoderFileInput,
} from './coder-file';
export {
  projectFileFromData,
  readProjectFile,
  writeProjectFile,
  type ExchangeAnswer,
  type ExchangeAttribute,
  type ExchangeQuestion,
  type ExchangeRespondent,
  type ExchangeWave,
  type ProjectFile,
  type ProjectFileInput,
} from './project-file';
export { projectFileEntities, type ProjectEntities } from './project-entities';
export { SECOND_CODER_PURPOSE, type ExchangeCodebookVersion, type ExchangeRound, type ProjectFilePurpose } from './round-records';
export { secondCoderFileInput } from './second-coder';
export {
  DAMAGED_GZIP_MESSAGE,
  MAX_EXCHANGE_BYTES,
  exchangeSizeProblem,
  exchangeText,
  gzipExchange,
  type ExchangeBytesOptions,
  type ExchangeKindName,
} from './bytes';
export { DAMAGED_CHECKSUM_MESSAGE, EDITED_CHECKSUM_MESSAGE, NO_CHECKSUM_WARNING, sealExchange, type ChecksumStatus } from './checksum';
export { readExchangeBytes, readExchangeText, type CheckedExchangeDocument, type ExchangeDocument } from './read-exchange';
export { applyMergePlan, planCoderMerge, type MergeCurrent, type MergePlan, type MergeReport, type MergeState } from './merge-plan';
export { isEmptyWriteUp, type ExchangeWriteUp } from './write-up-records';
