/**
 * Column names the survey tools use for identifiers and bookkeeping, so the
 * import can recognise them whatever the tool or the spelling ("ResponseId",
 * "Response ID", "response_id" all compare equal after {@link normaliseName}).
 */

import { PERSONAL_DATA_FIELD_NAMES } from './personal-data';

/** Lower-case letters and digits only: "Respondent ID" → "respondentid". */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Respondent ID columns, best first. Qualtrics' own ResponseId comes last: a
 * study's ExternalReference (or its own participant ID column) is what joins
 * waves, a ResponseId is different in every wave.
 */
export const ID_NAMES: readonly string[] = [
  'respondentid',
  'participantid',
  'participant',
  'participantcode',
  'participantnumber',
  'pid',
  'id',
  'respondent',
  'respondentcode',
  'respondentnumber',
  'recordid',
  'subjectid',
  'caseid',
  'externalreference',
  'externaldatareference',
];

/** Fallback ID columns: used only when no column of {@link ID_NAMES} qualifies. */
export const FALLBACK_ID_NAMES: readonly string[] = ['responseid'];

/** Wave columns in a long-format file (one row per respondent per wave). */
export const WAVE_NAMES: readonly string[] = ['wave', 'timepoint', 'round', 'phase', 'occasion'];

/**
 * Bookkeeping columns of Qualtrics, SurveyMonkey, Google Forms and Microsoft
 * Forms (and personal data we should not copy around): proposed as "ignore".
 */
const METADATA_NAMES = new Set([
  // Qualtrics
  'startdate',
  'enddate',
  'status',
  'progress',
  'duration',
  'durationinseconds',
  'finished',
  'recordeddate',
  'responseid',
  'responseset',
  'locationaccuracy',
  'distributionchannel',
  'userlanguage',
  'externalreference',
  'externaldatareference',
  // Google Forms / Microsoft Forms
  'timestamp',
  'starttime',
  'completiontime',
  'lastmodifiedtime',
  'totalpoints',
  'quizfeedback',
  // Contact details of any tool, IP address and location: personal data, listed in personal-data.ts
  ...PERSONAL_DATA_FIELD_NAMES,
  // SurveyMonkey
  'collectorid',
  'customdata',
]);

/** True for a survey tool's bookkeeping column, judged by its key (short name). */
export function isMetadataName(key: string): boolean {
  // Qualtrics system fields such as Q_RecaptchaScore, Q_RelevantIDDuplicate.
  if (/^Q_[A-Za-z]/.test(key)) return true;
  const n = normaliseName(key);
  if (METADATA_NAMES.has(n)) return true;
  // RecipientLastName/FirstName/Email, Custom Data 1..n
  return /^recipient/.test(n) || /^customdata\d*$/.test(n);
}
