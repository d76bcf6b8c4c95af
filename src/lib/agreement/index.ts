/**
 * Agreement: inter-coder agreement statistics (generic, on a units × coders
 * matrix), the fast answer-level table per code, passage-level agreement,
 * bootstrap intervals, plain-language readings and exports.
 */
export { type Units, type Value } from './units';
export { AgreementUndefinedError, STATISTIC_LABELS, isDefined, tryStatistic, type StatResult, type StatisticName, type UndefinedReason } from './errors';
export {
  cohenKappa,
  cohenKappaFromTable,
  fleissKappa,
  fleissKappaFromCounts,
  fleissKappaFromSums,
  fleissKappaFromUnitSums,
  gwetAC1,
  gwetAC1FromSums,
  gwetAC1FromUnitSums,
  percentAgreement,
  percentAgreementFromUnitSums,
  scottPi,
  scottPiFromTable,
  type GwetOptions,
  type UnitSums,
} from './statistics';
export {
  alphaFromCoincidences,
  coincidenceMatrix,
  krippendorffAlpha,
  unitCoincidences,
  type AlphaLevel,
  type AlphaOptions,
  type UnitCoincidences,
} from './krippendorff';
export {
  DEFAULT_BOOTSTRAP_SAMPLES,
  DEFAULT_BOOTSTRAP_SEED,
  bootstrapAlpha,
  bootstrapPatterns,
  percentileInterval,
  type AlphaInterval,
  type BootstrapOptions,
} from './bootstrap';
export { binomial, mixSeed, mulberry32, multinomial, type Random } from './random';
export {
  ABSENT,
  PRESENT,
  PRESENCE_CATEGORIES,
  alphaFromPatterns,
  answerUnits,
  buildAgreementTable,
  findDisagreements,
  presenceFromCodings,
  type AgreementRow,
  type AgreementStatistics,
  type AgreementTable,
  type AgreementTableOptions,
  type AnswerCodings,
  type AnswerDisagreement,
  type CoderPairCounts,
  type IntervalResult,
  type Presence,
} from './answer-agreement';
export {
  characterAgreement,
  matchSpans,
  type CharacterAgreement,
  type ResolvedSpan,
  type SpanAnswer,
  type SpanMatch,
  type SpanMatching,
  type TextSpan,
} from './span-agreement';
export {
  RARE_PREVALENCE,
  describeAC1,
  describeAlpha,
  describeKappa,
  describePercentAgreement,
  describeStatistic,
  describeUndefined,
  prevalenceFlag,
  prevalenceKind,
  prevalenceNote,
  type DescribedStatistic,
  type PrevalenceKind,
  type Reading,
  type ReadingContext,
  type Tone,
} from './readings';
export { csvCell, csvNumber, csvRow, neutraliseFormula, toCsv, type CsvNumber, type CsvOptions, type CsvValue } from './csv-cell';
export {
  agreementFileName,
  agreementTableToCsv,
  agreementTableToMarkdown,
  disagreementsToCsv,
  exportAnswerId,
  scopeLines,
  type AgreementScopeRecord,
  type CoderValue,
  type DisagreementExportRow,
  type ExportLabels,
} from './agreement-export';
