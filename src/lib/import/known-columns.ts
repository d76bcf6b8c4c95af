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
  // REDCap projects often call their record ID column study_id.
  'studyid',
  'caseid',
  'externalreference',
  'externaldatareference',
];

/** Fallback ID columns: used only when no column of {@link ID_NAMES} qualifies. */
export const FALLBACK_ID_NAMES: readonly string[] = ['responseid'];

/**
 * Wave columns in a long-format file (one row per respondent per wave), by
 * name alone. "event" and "visit" are not among them: often a question ("Which
 * event did you attend?"), they are a wave only when their values look like one.
 */
export const WAVE_NAMES: readonly string[] = [
  'wave',
  'timepoint',
  'round',
  'phase',
  'occasion',
  // REDCap's longitudinal export: one row per record per event ("baseline_arm_1").
  'redcapeventname',
  'eventname',
  'surveyround',
  'wavenumber',
  'visitnumber',
  'measurementoccasion',
];

/**
 * Bookkeeping columns of Qualtrics, SurveyMonkey, Google Forms, Microsoft
 * Forms and LimeSurvey (and personal data we should not copy around): proposed
 * as "ignore".
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
  // LimeSurvey, "question code" headings ("id" is the respondent ID, not metadata)
  'submitdate',
  'lastpage',
  'startlanguage',
  'seed',
  'token',
  'datestamp',
  'ipaddr',
  'refurl',
  'interviewtime',
  // LimeSurvey, "full question text" headings ("Response ID" is Qualtrics' responseid above)
  'datesubmitted',
  'datestarted',
  'datelastaction',
  'accesscode',
  'referrerurl',
  'referringurl',
  // REDCap with "labels" headings (Event Name is the wave, Data Access Group the site)
  'surveyidentifier',
  'repeatinstrument',
  'repeatinstance',
]);

/** LimeSurvey's time spent per question group ("groupTime8020"), when the survey saves timings. */
function isLimeSurveyTiming(key: string): boolean {
  return /^grouptime\d+$/i.test(key.trim());
}

/**
 * REDCap bookkeeping: its own redcap_* fields, and the status (`<form>_complete`,
 * "Complete?") and survey time (`<form>_timestamp`, "Survey Timestamp") column it
 * adds after every instrument.
 * REDCap variable names are lower-case letters, digits and "_", so a hand-made
 * "Task complete" column does not match. Not metadata:
 * - redcap_event_name: the event (visit, wave) of the row, used as the wave.
 * - redcap_data_access_group: the record's site or group in a multi-site study,
 *   which researchers compare answers by, so it is left to become an attribute.
 */
function isRedcapMetadata(key: string): boolean {
  // With "labels" headings: every instrument's status and survey time, numbered from the second on.
  if (/^(?:Complete\?|Survey Timestamp)(?: \(\d+\))?$/.test(key)) return true;
  if (key.startsWith('redcap_')) return key !== 'redcap_event_name' && key !== 'redcap_data_access_group';
  return /^[a-z][a-z0-9_]*_(complete|timestamp)$/.test(key);
}

/** True for a survey tool's bookkeeping column, judged by its key (short name). */
export function isMetadataName(key: string): boolean {
  // Qualtrics system fields such as Q_RecaptchaScore, Q_RelevantIDDuplicate.
  if (/^Q_[A-Za-z]/.test(key)) return true;
  if (isRedcapMetadata(key.trim()) || isLimeSurveyTiming(key)) return true;
  const n = normaliseName(key);
  if (METADATA_NAMES.has(n)) return true;
  // RecipientLastName/FirstName/Email, Custom Data 1..n
  return /^recipient/.test(n) || /^customdata\d*$/.test(n);
}
