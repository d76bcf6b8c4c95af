/**
 * The import pipeline: read a file into a table, propose what each column is,
 * check the plan, and build the batch the database writes. Pure TypeScript: runs
 * in the import worker and in Node tests.
 */

export * from './types';
export { sniffFile, decodeText, detectEncoding, detectTextEncoding, findNulBytes, guessUtf16WithoutBom, type FileKind } from './decode';
export { notASurveyMessage } from './not-a-survey';
export { readDelimited, readDelimitedAsync, DELIMITERS_TO_GUESS, type DelimitedResult, type ReadDelimitedOptions } from './read-delimited';
export { detectFormat, type DetectedFormat } from './detect-format';
export { readSource, checkFileSize, MAX_IMPORT_BYTES, type ReadSourceOptions } from './read-source';
export { proposePlan, validatePlan, nothingToCodeNote, skippedRows, guessWaveName, DEFAULT_WAVE_NAME, type ProposePlanOptions } from './propose-plan';
export {
  detectPersonalData,
  personalDataByName,
  personalDataByValues,
  personalDataReason,
  PERSONAL_DATA_FIELD_NAMES,
  type PersonalDataKind,
} from './personal-data';
export { respondentIdReader, idSourceOf, describeIdSource, COMBINED_ID_SEPARATOR } from './respondent-id';
export { buildBatch } from './build-batch';
export { sourceRowNumber } from './row-number';
export { isAbortError, CANCELLED_MESSAGE } from './cancel';
