/** The private assistant's machine-learning core: see docs/assistant.md. */
export { buildFeatureSpace, DEFAULT_FEATURE_OPTIONS, type CsrMatrix, type FeatureOptions, type FeatureSpace } from './features';
export {
  trainAssistant,
  predictProbabilities,
  decide,
  decideAll,
  detectMode,
  type AssistantModel,
  type AssistantMode,
  type LabelledRows,
  type TrainOptions,
} from './model';
export { precisionCoverageCurve, thresholdForPrecision, recallAtPrecision, type PrecisionCoverage } from './curves';
export { assessQuality, defaultLearningSizes, type CodeQualityResult, type LearningPoint, type QualityOptions, type QualityResult } from './quality';
export { nextToCode, rowUncertainty, type CodingQueue, type QueueOptions } from './queue';
export { stratifiedFolds } from './folds';
