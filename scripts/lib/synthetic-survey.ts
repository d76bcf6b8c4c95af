/**
 * Deterministic synthetic survey data for scale tests.
 *
 * `syntheticSurveyLines` yields CSV records (one per `yield`, each ending "\n";
 * a record may contain line breaks inside a quoted cell) composed from phrase
 * banks with a seeded PRNG, so the same options always give byte-identical
 * output. `writeSyntheticSurvey` streams those records to a file in batches.
 *
 * Everything here is invented: no real respondent's words.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

export interface SyntheticSurveyOptions {
  respondents: number;
  seed: number;
  /** Number of open questions; default 8. */
  questions?: number;
  /** 'plain': one header row; 'qualtrics': three header rows and metadata columns. Default 'plain'. */
  format?: 'plain' | 'qualtrics';
}

// ---------------------------------------------------------------------------
// Shared helpers (also used by scripts/build-sample-data.ts)
// ---------------------------------------------------------------------------

/** mulberry32: a small, fast, seedable 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field, RFC 4180: quoted only when it holds a comma, a double quote or a line break. */
export function csvField(value: string): string {
  if (!NEEDS_QUOTES.test(value) && value.trim() === value) return value;
  return '"' + value.replace(/"/g, '""') + '"';
}

/** One CSV record terminated by "\n". */
export function csvLine(fields: readonly string[]): string {
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) out += ',';
    out += csvField(fields[i]);
  }
  return out + '\n';
}

/** Qualtrics metadata columns in export order: short name, row-2 label, row-3 ImportId JSON. */
export const QUALTRICS_METADATA_COLUMNS: readonly { key: string; label: string; importId: string }[] = [
  { key: 'StartDate', label: 'Start Date', importId: '{"ImportId":"startDate","timeZone":"Europe/London"}' },
  { key: 'EndDate', label: 'End Date', importId: '{"ImportId":"endDate","timeZone":"Europe/London"}' },
  { key: 'Status', label: 'Response Type', importId: '{"ImportId":"status"}' },
  { key: 'IPAddress', label: 'IP Address', importId: '{"ImportId":"ipAddress"}' },
  { key: 'Progress', label: 'Progress', importId: '{"ImportId":"progress"}' },
  { key: 'Duration (in seconds)', label: 'Duration (in seconds)', importId: '{"ImportId":"duration"}' },
  { key: 'Finished', label: 'Finished', importId: '{"ImportId":"finished"}' },
  { key: 'RecordedDate', label: 'Recorded Date', importId: '{"ImportId":"recordedDate","timeZone":"Europe/London"}' },
  { key: 'ResponseId', label: 'Response ID', importId: '{"ImportId":"_recordId"}' },
  { key: 'RecipientLastName', label: 'Recipient Last Name', importId: '{"ImportId":"recipientLastName"}' },
  { key: 'RecipientFirstName', label: 'Recipient First Name', importId: '{"ImportId":"recipientFirstName"}' },
  { key: 'RecipientEmail', label: 'Recipient Email', importId: '{"ImportId":"recipientEmail"}' },
  { key: 'ExternalReference', label: 'External Data Reference', importId: '{"ImportId":"externalDataReference"}' },
  { key: 'LocationLatitude', label: 'Location Latitude', importId: '{"ImportId":"locationLatitude"}' },
  { key: 'LocationLongitude', label: 'Location Longitude', importId: '{"ImportId":"locationLongitude"}' },
  { key: 'DistributionChannel', label: 'Distribution Channel', importId: '{"ImportId":"distributionChannel"}' },
  { key: 'UserLanguage', label: 'User Language', importId: '{"ImportId":"userLanguage"}' },
];

/** Row-3 ImportId JSON for an embedded-data field. */
export function qualtricsEmbeddedImportId(name: string): string {
  return JSON.stringify({ ImportId: name });
}

/** Row-3 ImportId JSON for the n-th (1-based) text-entry question. */
export function qualtricsQuestionImportId(n: number): string {
  return JSON.stringify({ ImportId: `QID${n}_TEXT` });
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A Qualtrics-looking response id, "R_" and 15 base-62 characters. */
export function qualtricsResponseId(rand: () => number): string {
  let id = 'R_';
  for (let i = 0; i < 15; i++) id += BASE62[Math.floor(rand() * 62)];
  return id;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** "YYYY-MM-DD HH:MM:SS" for a UTC epoch in milliseconds (the wall clock as written). */
export function qualtricsDate(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  );
}

// ---------------------------------------------------------------------------
// Phrase banks
// ---------------------------------------------------------------------------

/** Readable headers for the plain format (first `questions` are used; then "Question 9", …). */
export const SYNTHETIC_QUESTION_HEADERS: readonly string[] = [
  'Expectations',
  'Satisfaction',
  'Rewards',
  'Challenges',
  'Organisation and improvements',
  'Personal development',
  'Professional development',
  'Shared background',
];

/** Full question texts for the Qualtrics format's second header row. */
export const SYNTHETIC_QUESTION_TEXTS: readonly string[] = [
  'What are your expectations of the mentoring scheme? What do you hope to get out of it?',
  'How satisfied are you with the mentoring scheme so far? Please explain your answer.',
  'What have been (or do you expect to be) the rewards of mentoring or being mentored?',
  'What challenges have you faced (or do you expect to face) in the mentoring relationship?',
  'What do you think of the way the scheme is organised, and what would you improve?',
  'How, if at all, has the scheme contributed to your personal development?',
  'How, if at all, has the scheme contributed to your professional development or career plans?',
  'How important is it to you that your mentor or mentee shares aspects of your background, such as ethnicity or gender? Please explain.',
];

export const SYNTHETIC_INSTITUTIONS: readonly string[] = [
  'Northgate University',
  "St Brigid's NHS Trust",
  'Castlebridge University',
  'Riverside Teaching Hospitals NHS Foundation Trust',
  'Fenwick College London',
  'University of Aldermoor',
  'Kingsmere & Dale NHS Trust',
  'Harrowgate Medical School',
  'University of West Lowmoor',
  'Ashby Vale NHS Foundation Trust',
  'Queen Adelaide Institute, Holmbury',
  'Calder Bridge University Hospitals',
];

const BLANK_SHARE = 0.08;

const NA_ANSWERS = ['N/A', 'n/a', '-', 'NA', 'None', 'none', 'Nothing to add.', 'Not applicable', 'n/a yet', '.'];

const SHORT_ANSWERS = [
  'Fine',
  'Satisfied.',
  'Very satisfied',
  'Good so far',
  'Too early to say.',
  'Time!',
  'Networking',
  'Confidence',
  'Not really.',
  'Yes, very.',
  'OK',
  'See previous answer',
  'More structure please',
  'Not sure yet',
  'Excellent – no complaints',
  'Somewhat',
  'Mostly met',
  'Visibility',
  'Being listened to.',
  'Honest feedback',
  'Rota, as always',
  'Important but not essential',
  'Very important',
  'Career advice',
];

const PEOPLE = [
  'My mentor',
  'She',
  'My mentee',
  'Siobhán',
  'Adéọlá',
  'Dr Nguyễn',
  'Zoë',
  'Prof. Okonkwo',
  'Dr Ramaswamy',
  'My supervisor',
  'My line manager',
  'Our pair',
  'Małgorzata',
  'Dr Ó Briain',
];

const DID = [
  'helped me plan my fellowship application',
  'introduced me to people outside my department',
  'read two drafts of my promotion case',
  'listened without jumping to advice',
  'was honest about what the job costs',
  'never cancelled, even in a busy month',
  'made me feel less alone in the department',
  'pushed me to apply for the lead role',
  'understood the family side without explanation',
  'shared her own mistakes, which helped more than any advice',
  'helped me prepare for an interview that I then got',
  'asked questions that I had been avoiding',
  'talked me through a difficult conversation with my team',
  'was generous with her time',
  'did not ask me whether I was sure that is what he meant',
];

// Sentence cores below start in lower case unless they begin with "I" or a name:
// the composer capitalises them when no opener precedes them.
const FEELINGS = [
  'I feel much more confident putting myself forward',
  'I have a clearer plan for the next two years',
  'I finally understand the unwritten rules',
  'I say no more often, and I feel less guilty about it',
  'I realised I was not imagining it',
  'I stopped apologising for myself in meetings',
  'I know who to ask when something goes wrong',
  'I can see a path to a senior post',
  'I learned as much as my mentee did',
  'I got to give back some of what I was never given',
];

const CHALLENGES = [
  'finding time between clinics, on-calls and childcare is the hardest part',
  'we cancelled twice because of rota changes',
  'we are at opposite ends of the country, so almost everything has been online',
  'I was not sure what I was supposed to bring to each meeting',
  'my department gives me no protected time for this',
  'there is no recognition of mentoring in my workload allocation',
  'Teams calls at 7am before theatre are not ideal',
  'it took a while to trust that it was confidential',
  'the burden falls on the few senior women of colour',
  'my head of department does not see the point of it',
];

const ORGANISATION = [
  'A mid-point check-in from the organisers would help',
  'Evening sessions would work better for clinicians',
  'The handbook is too long; a one-page summary would be better',
  'Please write to heads of department asking them to protect an hour a month',
  'A goal-setting template for the first meeting would save time',
  'Group sessions with the other mentees would be welcome',
  'The online forms were confusing on a phone',
  'Training for mentors, even an hour, would help',
  'Consider extending the scheme to 12 months',
  'The launch event was excellent',
];

const BACKGROUND = [
  'seeing a Black woman professor made it feel possible',
  'I did not have to explain why my family expects certain things of me',
  'a good mentor is a good mentor, whatever their background',
  'gender matters more to me than ethnicity',
  'she has juggled children and a clinical academic career herself',
  'it is the listening that matters, not the background',
  'there are very few women who look like me in academic medicine',
  'shared experience lets you skip the part where you wonder whether you will be believed',
];

/** Things a mentor said (supportive). */
const KIND_QUOTES = ['you belong here', 'that happened to me too', 'just apply, the worst they can say is no', 'write it down, then send it'];

/** Things heard at work (hostile). */
const HOSTILE_QUOTES = [
  'is this really a good use of teaching time?',
  'medicine isn’t for girls like you',
  'you’re very articulate',
  'where are you really from?',
];

const OPENERS = ['', '', '', 'Honestly, ', 'For me, ', 'Above all, ', 'To be honest, ', 'Mostly, ', 'I think ', 'Overall, '];

const TAILS = ['.', '.', '.', '.', '!', ' – which I did not expect.', ', and that matters.', ' (most months).', ', at least so far.', '... mostly.'];

const NUMBERS = ['2', '3', 'two', 'three', '6', '12'];

function capitalise(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}

class AnswerComposer {
  constructor(private readonly rand: () => number) {}

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)];
  }

  private withOpener(core: string): string {
    const opener = this.pick(OPENERS);
    return opener === '' ? capitalise(core) : opener + core;
  }

  private sentence(question: number): string {
    const r = this.rand();
    const tail = this.pick(TAILS);
    // A little question-specific bias so columns read differently.
    const theme = (question + Math.floor(r * 6)) % 6;
    switch (theme) {
      case 0:
        return `${this.pick(PEOPLE)} ${this.pick(DID)}${tail}`;
      case 1:
        return this.withOpener(this.pick(FEELINGS)) + tail;
      case 2:
        return this.withOpener(this.pick(CHALLENGES)) + tail;
      case 3:
        return this.pick(ORGANISATION) + tail;
      case 4:
        return this.withOpener(this.pick(BACKGROUND)) + tail;
      default: {
        const kind = this.rand() < 0.5;
        const q = this.pick(kind ? KIND_QUOTES : HOSTILE_QUOTES);
        const quoted = this.rand() < 0.4 ? `“${q}”` : `"${q}"`;
        return kind
          ? `${this.pick(PEOPLE)} once told me, ${quoted}, and I think about it every week.`
          : `Someone said ${quoted} to me in a meeting ${this.pick(NUMBERS)} years ago and nobody reacted.`;
      }
    }
  }

  answer(question: number): string {
    const r = this.rand();
    if (r < BLANK_SHARE) return '';
    if (r < BLANK_SHARE + 0.04) return this.pick(NA_ANSWERS);
    if (r < BLANK_SHARE + 0.04 + 0.12) return this.pick(SHORT_ANSWERS);
    // 1–6 sentences, weighted towards 2–3.
    const n = 1 + Math.floor(this.rand() * 3) + Math.floor(this.rand() * 3) + (this.rand() < 0.15 ? 1 : 0);
    const style = this.rand();
    if (style < 0.04 && n > 1) {
      // A short list with line breaks.
      let out = 'A few things:';
      for (let i = 0; i < n; i++) out += '\n- ' + this.sentence(question);
      return out;
    }
    let out = this.sentence(question);
    for (let i = 1; i < n; i++) {
      out += (this.rand() < 0.05 ? '\n\n' : ' ') + this.sentence(question);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------

function normalise(opts: SyntheticSurveyOptions): Required<SyntheticSurveyOptions> {
  const respondents = opts.respondents;
  const questions = opts.questions ?? 8;
  const format = opts.format ?? 'plain';
  if (!Number.isInteger(respondents) || respondents < 0) {
    throw new RangeError(`respondents must be a non-negative integer, got ${respondents}`);
  }
  if (!Number.isInteger(opts.seed)) throw new RangeError(`seed must be an integer, got ${opts.seed}`);
  if (!Number.isInteger(questions) || questions < 1 || questions > 200) {
    throw new RangeError(`questions must be an integer from 1 to 200, got ${questions}`);
  }
  if (format !== 'plain' && format !== 'qualtrics') throw new RangeError(`format must be "plain" or "qualtrics", got ${String(format)}`);
  return { respondents, seed: opts.seed, questions, format };
}

/** Column headers of the question columns for the plain format. */
export function syntheticQuestionHeaders(questions: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < questions; i++) out.push(SYNTHETIC_QUESTION_HEADERS[i] ?? `Question ${i + 1}`);
  return out;
}

function questionText(i: number): string {
  return SYNTHETIC_QUESTION_TEXTS[i] ?? `Please add anything else you would like to tell us (${i + 1}).`;
}

/** Respondent id for the 1-based index: "R000001", widened when there are more than 999,999. */
export function syntheticRespondentId(index: number, respondents: number): string {
  const width = Math.max(6, String(respondents).length);
  return 'R' + String(index).padStart(width, '0');
}

/**
 * Yields the CSV records of a synthetic survey: header record(s) first, then one
 * record per respondent. Each yielded string ends with "\n".
 */
export function* syntheticSurveyLines(opts: SyntheticSurveyOptions): Generator<string> {
  const { respondents, seed, questions, format } = normalise(opts);
  // Separate streams so the answers do not depend on the format's metadata draws.
  const rand = mulberry32(seed);
  const metaRand = mulberry32((seed ^ 0x9e3779b9) >>> 0);
  const composer = new AnswerComposer(rand);
  const headers = syntheticQuestionHeaders(questions);

  if (format === 'plain') {
    yield csvLine(['respondent_id', 'role', 'institution', 'wave', ...headers]);
  } else {
    const keys = QUALTRICS_METADATA_COLUMNS.map((c) => c.key);
    const labels = QUALTRICS_METADATA_COLUMNS.map((c) => c.label);
    const importIds = QUALTRICS_METADATA_COLUMNS.map((c) => c.importId);
    keys.push('participant_id', 'role', 'institution', 'wave');
    labels.push('Participant ID', 'Role', 'Institution', 'Wave');
    importIds.push(...['participant_id', 'role', 'institution', 'wave'].map(qualtricsEmbeddedImportId));
    for (let q = 0; q < questions; q++) {
      keys.push(`Q${q + 1}`);
      labels.push(questionText(q));
      importIds.push(qualtricsQuestionImportId(q + 1));
    }
    yield csvLine(keys);
    yield csvLine(labels);
    yield csvLine(importIds);
  }

  const baseMs = Date.UTC(2024, 0, 8, 8, 0, 0);
  const fields: string[] = [];
  for (let i = 1; i <= respondents; i++) {
    fields.length = 0;
    const id = syntheticRespondentId(i, respondents);
    const role = rand() < 0.45 ? 'mentor' : 'mentee';
    const institution = SYNTHETIC_INSTITUTIONS[Math.floor(rand() * SYNTHETIC_INSTITUTIONS.length)];
    const wave = rand() < 0.8 ? 'Baseline' : '6 months';
    if (format === 'qualtrics') {
      const start = baseMs + (wave === 'Baseline' ? 0 : 182 * 86_400_000) + Math.floor(metaRand() * 21 * 86_400_000);
      const duration = 120 + Math.floor(metaRand() * 2400);
      const end = start + duration * 1000;
      fields.push(
        qualtricsDate(start),
        qualtricsDate(end),
        'IP Address',
        `198.51.100.${1 + Math.floor(metaRand() * 254)}`,
        '100',
        String(duration),
        'True',
        qualtricsDate(end + 1000 + Math.floor(metaRand() * 4000)),
        qualtricsResponseId(metaRand),
        '',
        '',
        '',
        '',
        (50.5 + metaRand() * 4.5).toFixed(4),
        (-3.5 + metaRand() * 3.6).toFixed(4),
        'anonymous',
        'EN-GB',
      );
    }
    fields.push(id, role, institution, wave);
    for (let q = 0; q < questions; q++) fields.push(composer.answer(q));
    yield csvLine(fields);
  }
}

/**
 * Streams a synthetic survey to `path` (parent folders are created), writing in
 * batches of about 1 MB and honouring back-pressure. Returns bytes written and
 * the number of data rows (header rows not counted).
 */
export async function writeSyntheticSurvey(path: string, opts: SyntheticSurveyOptions): Promise<{ bytes: number; rows: number }> {
  const headerRows = (opts.format ?? 'plain') === 'qualtrics' ? 3 : 1;
  normalise(opts); // fail on bad options before any file is touched
  await mkdir(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { encoding: 'utf8' });
  const done = finished(stream);
  done.catch(() => undefined); // observed below; avoid an unhandled rejection while writing

  let bytes = 0;
  let records = 0;
  let batch: string[] = [];
  let batchChars = 0;
  const flush = async () => {
    const chunk = batch.join('');
    batch = [];
    batchChars = 0;
    bytes += Buffer.byteLength(chunk, 'utf8');
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  try {
    for (const line of syntheticSurveyLines(opts)) {
      batch.push(line);
      batchChars += line.length;
      records++;
      if (batchChars >= BATCH_CHARS) await flush();
    }
    if (batch.length > 0) await flush();
    stream.end();
    await done;
  } catch (err) {
    stream.destroy();
    throw err;
  }
  return { bytes, rows: Math.max(0, records - headerRows) };
}

const BATCH_CHARS = 1 << 20;
