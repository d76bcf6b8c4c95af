/**
 * Survey tool formats beyond the basic ones: Qualtrics 2016 and legacy, REDCap,
 * LimeSurvey, SurveyMonkey as XLSX; unfinished responses; header rows that must
 * never become respondents; and ordinary files that must not be taken for any of these.
 */
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../tests/fixtures/import/fixtures';
import { makeXlsx } from '../../../tests/fixtures/import/make-xlsx';
import { toCsv } from '../../../tests/fixtures/import/to-csv';
import { detectFormat } from './detect-format';
import { buildBatch, proposePlan, readSource, validatePlan } from './index';
import { isMetadataName, WAVE_NAMES, normaliseName } from './known-columns';
import type { SourceTable } from './types';

const utf8 = (text: string) => new TextEncoder().encode(text);
const csv = (rows: string[][]) => utf8(toCsv(rows));
const roles = (table: SourceTable) => Object.fromEntries(proposePlan(table).columns.map((c) => [c.name, c.role]));

describe('Qualtrics 2016 (single-quoted ImportIds) and unfinished responses', () => {
  const rows = [
    ['ResponseID', 'ResponseSet', 'StartDate', 'Finished', 'Q1', 'Q1_TEXT', 'Q2'],
    ['ResponseID', 'ResponseSet', 'StartDate', 'Finished', 'Which site?', 'Which site?', 'What would you change?'],
    [
      "{'ImportId': 'responseId'}",
      "{'ImportId': 'responseSetId'}",
      "{'ImportId': 'startDate'}",
      "{'ImportId': 'finished'}",
      "{'ImportId': 'QID1'}",
      "{'ImportId': 'QID1-TEXT'}",
      "{'ImportId': 'QID2-TEXT'}",
    ],
    ['R_a1', 'Default Response Set', '2016-10-06 14:28:12', '1', '1', '', 'More time for questions at the end.'],
    ['R_a2', 'Default Response Set', '2016-10-06 14:30:02', '0', '2', '', ''],
    ['R_a3', 'Default Response Set', '2016-10-06 14:31:40', '1', '4', 'Remote', 'Shorter sessions.'],
    ['R_a4', 'Default Response Set', '2016-10-06 14:35:00', '0', '', '', 'I ran out of'],
  ];

  it('removes all three header rows and reads the ImportIds for text and choice', async () => {
    const table = await readSource(csv(rows), 'qualtrics-2016.csv');
    expect(table).toMatchObject({ format: 'qualtrics', firstRowNumber: 4 });
    expect(table.rows.map((r) => r[0])).toEqual(['R_a1', 'R_a2', 'R_a3', 'R_a4']);
    expect(table.columns.map((c) => c.source)).toEqual([undefined, undefined, undefined, undefined, 'choice', 'text', 'text']);
    expect(table.columns[6].label).toBe('What would you change?');
  });

  it('flags Finished = 0 as unfinished, keeps the rows, and says so', async () => {
    const table = await readSource(csv(rows), 'qualtrics-2016.csv');
    expect(table.incomplete).toEqual({ rowIndexes: [1, 3], columnKey: 'Finished', rule: 'Finished is 0' });
    expect(table.rows).toHaveLength(4);
    expect(table.notes).toContain(
      '2 responses were not finished (Finished is 0): the respondent left before submitting. Choose in the preview whether to import them.',
    );
  });

  it('reads Finished = False from a choice-text export, and sets nothing when every response is finished', async () => {
    const text = rows.map((r, i) => (i >= 3 ? r.map((cell, c) => (c === 3 ? (cell === '1' ? 'True' : 'False') : cell)) : r));
    expect((await readSource(csv(text), 'q.csv')).incomplete).toMatchObject({ rowIndexes: [1, 3], rule: 'Finished is False' });
    const finished = rows.map((r, i) => (i >= 3 ? r.map((cell, c) => (c === 3 ? '1' : cell)) : r));
    const table = await readSource(csv(finished), 'q.csv');
    expect(table.incomplete).toBeUndefined();
    expect(table.notes.some((n) => n.includes('not finished'))).toBe(false);
  });

  it('marks current-format ImportIds too: QID2_TEXT is typed text, QID3_4_TEXT an "Other" box, QID1 and QID5_1 choices', () => {
    const current = [
      ['ResponseId', 'Q1', 'Q2', 'Q3', 'Q3_4_TEXT', 'Q5_1', 'Q7_First Click'],
      ['Response ID', 'Role?', 'Why?', 'Site?', 'Site? - Other - Text', 'Rate - Speed', 'Timing - First Click'],
      [
        '{"ImportId":"_recordId"}',
        '{"ImportId":"QID1"}',
        '{"ImportId":"QID2_TEXT"}',
        '{"ImportId":"QID3"}',
        '{"ImportId":"QID3_4_TEXT"}',
        '{"ImportId":"QID5_1"}',
        '{"ImportId":"QID7_FIRST_CLICK"}',
      ],
      ['R_1', '1', 'Because', '4', 'Remote', '3', '1.2'],
    ];
    expect(detectFormat(current, 'q.csv').columns.map((c) => c.source)).toEqual([undefined, 'choice', 'text', 'choice', 'text', 'choice', undefined]);
  });
});

describe('Qualtrics legacy with V1…V10', () => {
  const header1 = ['V1', 'V2', 'V3', 'V4', 'V5', 'V6', 'V7', 'V8', 'V9', 'V10', 'Q1', 'Q2_1', 'Q3', 'Q3_TEXT', 'LocationLatitude'];
  const header2 = [
    'ResponseID',
    'ResponseSet',
    'Name',
    'ExternalDataReference',
    'EmailAddress',
    'IPAddress',
    'Status',
    'StartDate',
    'EndDate',
    'Finished',
    'How was the course?',
    'Which parts did you attend?-Lectures',
    'Where do you work?',
    'Where do you work?-TEXT',
    'LocationLatitude',
  ];
  const answer = (id: string, finished: string, text: string) => [
    id,
    'Default Response Set',
    'Anonymous',
    '',
    '',
    '192.0.2.1',
    '0',
    '2015-03-02 10:00:00',
    '2015-03-02 10:09:00',
    finished,
    '4',
    '1',
    '3',
    text,
    '53.8',
  ];

  it('takes keys from row 2 for the V columns and from row 1 for questions, labels from row 2', () => {
    const result = detectFormat([header1, header2, answer('R_1', '1', 'A ward')], 'legacy.csv');
    expect(result).toMatchObject({ format: 'qualtrics-legacy', headerRowCount: 2 });
    expect(result.columns.map((c) => c.key)).toEqual([...header2.slice(0, 10), 'Q1', 'Q2_1', 'Q3', 'Q3_TEXT', 'LocationLatitude']);
    expect(result.columns[11].label).toBe('Which parts did you attend?-Lectures');
    // No ImportId row; only the _TEXT suffix says anything.
    expect(result.columns.map((c) => c.source).filter(Boolean)).toEqual(['text']);
    expect(result.columns[13].source).toBe('text');
  });

  it('through readSource: ResponseID becomes the ID, contact and IP columns are metadata, unfinished responses flagged', async () => {
    const table = await readSource(
      csv([header1, header2, answer('R_1', '1', 'A ward'), answer('R_2', '0', ''), answer('R_3', '1', 'Outpatients')]),
      'legacy.csv',
    );
    expect(table).toMatchObject({ format: 'qualtrics-legacy', firstRowNumber: 3 });
    expect(table.rows.map((r) => r[0])).toEqual(['R_1', 'R_2', 'R_3']);
    expect(table.incomplete).toEqual({ rowIndexes: [1], columnKey: 'Finished', rule: 'Finished is 0' });
    expect(table.notes).toContain(
      '1 response was not finished (Finished is 0): the respondent left before submitting. Choose in the preview whether to import it.',
    );
    for (const key of ['ResponseSet', 'Name', 'EmailAddress', 'IPAddress', 'StartDate', 'Finished']) expect(isMetadataName(key), key).toBe(true);
    expect(roles(table)).toMatchObject({ ResponseID: 'id', Name: 'ignore', IPAddress: 'ignore' });
  });

  it('is not taken for a file whose columns happen to be called V1, V2, V3', () => {
    const rows = [
      ['V1', 'V2', 'V3', 'comment'],
      ['1', '4', '2', 'A first answer'],
      ['2', '3', '5', 'Another answer'],
    ];
    expect(detectFormat(rows, 'spss.csv')).toMatchObject({ format: 'generic', headerRowCount: 1 });
  });
});

describe('REDCap', () => {
  it('reads a longitudinal export: events become waves, records respondents, bookkeeping ignored, the access group kept', async () => {
    const table = await readSource(fixture('redcap-longitudinal.csv'), 'redcap-longitudinal.csv');
    expect(table).toMatchObject({ format: 'redcap', firstRowNumber: 2 });
    expect(table.rows).toHaveLength(6);
    expect(table.notes).toEqual([
      'Recognised a REDCap export: 5 metadata columns will be ignored.',
      'Each row is one record at one event (redcap_event_name), so the events are proposed as waves.',
      'The data access group (redcap_data_access_group) is kept: it says which site or group each record belongs to.',
    ]);
    const plan = proposePlan(table);
    expect(Object.fromEntries(plan.columns.map((c) => [c.name, c.role]))).toMatchObject({
      record_id: 'id',
      redcap_event_name: 'wave',
      redcap_repeat_instrument: 'ignore',
      redcap_repeat_instance: 'ignore',
      enrolment_complete: 'ignore',
      experience_timestamp: 'ignore',
      experience_complete: 'ignore',
      experience_good: 'question',
      experience_change: 'question',
    });
    expect(plan.columns.find((c) => c.name === 'redcap_data_access_group')?.role).not.toBe('ignore');
    expect(validatePlan(table, plan)).toEqual([]);
    const batch = buildBatch(table, plan);
    expect(batch.waves).toEqual([
      { name: 'baseline_arm_1', rowCount: 3 },
      { name: 'followup_6m_arm_1', rowCount: 3 },
    ]);
    expect(batch.respondents.map((r) => [r.id, r.waves])).toEqual([
      ['101', ['baseline_arm_1', 'followup_6m_arm_1']],
      ['102', ['baseline_arm_1', 'followup_6m_arm_1']],
      ['103', ['baseline_arm_1', 'followup_6m_arm_1']],
    ]);
  });

  it('reads an export with "labels" headings: Event Name is the wave, each "Complete?" and "Survey Timestamp" metadata', async () => {
    const table = await readSource(fixture('redcap-labels.csv'), 'redcap-labels.csv');
    expect(table).toMatchObject({ format: 'redcap', firstRowNumber: 2 });
    expect(table.columns.map((c) => c.key)).toContain('Complete? (2)');
    expect(table.notes).toContain('Each row is one record at one event (Event Name), so the events are proposed as waves.');
    const plan = proposePlan(table);
    expect(Object.fromEntries(plan.columns.map((c) => [c.name, c.role]))).toMatchObject({
      'Record ID': 'id',
      'Event Name': 'wave',
      'Survey Timestamp': 'ignore',
      'Survey Timestamp (2)': 'ignore',
      'Complete?': 'ignore',
      'Complete? (2)': 'ignore',
      'What went well?': 'question',
    });
    expect(validatePlan(table, plan)).toEqual([]);
    expect(buildBatch(table, plan).waves.map((w) => w.name)).toEqual(['Baseline (Arm 1: Wards)', '6 months (Arm 1: Wards)']);
  });

  it('keeps the rows of a repeating instrument and says plainly why they cannot be imported as they are', async () => {
    const table = await readSource(fixture('redcap-repeating.csv'), 'redcap-repeating.csv');
    expect(table.format).toBe('redcap');
    expect(table.rows).toHaveLength(5);
    expect(table.notes).toContain(
      '2 rows are instances of the repeating instrument "adverse_events" (redcap_repeat_instance), so their records appear more than once in the same event, ' +
        'but Codebench takes one row per record per event: those records cannot be imported as they are. ' +
        'Leave the repeating instrument out of the REDCap export (or delete those rows) and import again.',
    );
  });

  it('recognises a classic export by its form status columns, whatever the ID is called', () => {
    const rows = [
      ['study_id', 'age', 'baseline_complete', 'feedback', 'feedback_complete'],
      ['S1', '34', '2', 'It was fine', '2'],
      ['S2', '51', '1', '', '0'],
    ];
    expect(detectFormat(rows, 'export.csv').format).toBe('redcap');
    expect(normaliseName('study_id')).toBe('studyid');
  });

  it('is not taken for a file with a "_complete" column or two that are not REDCap form statuses', () => {
    const one = [
      ['participant', 'task_complete', 'comment'],
      ['P1', 'yes', 'fine'],
    ];
    expect(detectFormat(one, 'f.csv').format).toBe('generic');
    const two = [
      ['participant', 'module_a_complete', 'module_b_complete', 'comment'],
      ['P1', 'yes', 'no', 'fine'],
      ['P2', 'yes', 'yes', 'good'],
    ];
    expect(detectFormat(two, 'f.csv').format).toBe('generic');
  });

  it('treats redcap_* fields, form statuses and survey times as metadata, but not the event or the access group', () => {
    for (const key of [
      'redcap_survey_identifier',
      'redcap_repeat_instrument',
      'redcap_repeat_instance',
      'consent_complete',
      'prescreening_survey_timestamp',
      'Complete?',
      'Complete? (3)',
      'Survey Timestamp (2)',
      'Repeat Instance',
    ]) {
      expect(isMetadataName(key), key).toBe(true);
    }
    for (const key of [
      'redcap_event_name',
      'redcap_data_access_group',
      'Data Access Group',
      'Task complete',
      'completed_course',
      'record_id',
      'Is it complete?',
    ]) {
      expect(isMetadataName(key), key).toBe(false);
    }
    expect(WAVE_NAMES).toContain(normaliseName('redcap_event_name'));
  });
});

describe('LimeSurvey', () => {
  it('reads the "question code" headings: id is the ID, bookkeeping ignored, unfinished responses flagged', async () => {
    const table = await readSource(fixture('limesurvey-codes.csv'), 'results-survey123456.csv');
    expect(table).toMatchObject({ format: 'limesurvey', encoding: 'utf-8-bom', firstRowNumber: 2 });
    expect(table.rows).toHaveLength(6);
    expect(table.notes).toEqual([
      'Recognised a LimeSurvey export: 9 metadata columns will be ignored.',
      '2 responses were not finished (no submit date): the respondent left before submitting. Choose in the preview whether to import them.',
    ]);
    expect(table.incomplete).toEqual({ rowIndexes: [1, 4], columnKey: 'submitdate', rule: 'no submit date' });
    for (const key of ['submitdate', 'lastpage', 'startlanguage', 'seed', 'token', 'startdate', 'datestamp', 'ipaddr', 'refurl']) {
      expect(isMetadataName(key), key).toBe(true);
    }
    expect(table.columns.find((c) => c.key === 'G01Q02[other]')?.source).toBe('text');
    expect(table.columns.find((c) => c.key === 'G01Q02[SQ001]')?.source).toBeUndefined();
    expect(roles(table)).toMatchObject({ id: 'id', submitdate: 'ignore', seed: 'ignore', G01Q03: 'question' });
  });

  it('reads the "full question text" headings: Response ID is the ID, Date submitted tells the unfinished', async () => {
    const table = await readSource(fixture('limesurvey-full-text.csv'), 'results.csv');
    expect(table).toMatchObject({ format: 'limesurvey', firstRowNumber: 2 });
    expect(table.incomplete).toEqual({ rowIndexes: [2], columnKey: 'Date submitted', rule: 'no submit date' });
    for (const key of ['Date submitted', 'Last page', 'Start language', 'Seed', 'Date started', 'Date last action', 'Referrer URL']) {
      expect(isMetadataName(key), key).toBe(true);
    }
    expect(table.columns.find((c) => c.key === 'Which activities did you join? [Other]')?.source).toBe('text');
    expect(roles(table)).toMatchObject({ 'Response ID': 'id', 'What did you like most about the programme?': 'question' });
  });

  it('reads the "question code & question text" headings: the code is the key, the text the label', async () => {
    const rows = [
      [
        'id. Response ID',
        'submitdate. Date submitted',
        'lastpage. Last page',
        'startlanguage. Start language',
        'seed. Seed',
        'G01Q01. What is your role?',
        'G01Q02[SQ001]. Which activities did you join? [Workshops]',
        'G01Q02[other]. Which activities did you join? [Other]',
        'G01Q03. What did you like most?',
        'G02Q01.',
      ],
      ['1', '2024-05-02 09:14:07', '2', 'en', '1289', 'A1', 'Y', '', 'The mentoring sessions, because my mentor knew.', ''],
      ['2', '', '1', 'en', '8472', 'A2', '', 'Reading group', '', ''],
    ];
    const table = await readSource(csv(rows), 'results-survey2024.csv');
    expect(table.format).toBe('limesurvey');
    expect(table.columns.map((c) => c.key)).toEqual([
      'id',
      'submitdate',
      'lastpage',
      'startlanguage',
      'seed',
      'G01Q01',
      'G01Q02[SQ001]',
      'G01Q02[other]',
      'G01Q03',
      'G02Q01',
    ]);
    expect(table.columns.map((c) => c.label)).toEqual([
      'Response ID',
      'Date submitted',
      'Last page',
      'Start language',
      'Seed',
      'What is your role?',
      'Which activities did you join? [Workshops]',
      'Which activities did you join? [Other]',
      'What did you like most?',
      'G02Q01',
    ]);
    expect(table.columns[7].source).toBe('text');
    expect(table.incomplete).toEqual({ rowIndexes: [1], columnKey: 'submitdate', rule: 'no submit date' });
    expect(roles(table)).toMatchObject({ id: 'id', submitdate: 'ignore', seed: 'ignore' });
  });

  it('does not split headings with a full stop in an ordinary file', () => {
    const rows = [
      ['id. number', 'Q1. What went well?', 'Q2. What would you change?'],
      ['1', 'The talks', 'Nothing'],
    ];
    expect(detectFormat(rows, 'f.csv')).toMatchObject({ format: 'generic' });
    expect(detectFormat(rows, 'f.csv').columns.map((c) => c.key)).toEqual(rows[0]);
  });

  it('says "all" when no response was finished', async () => {
    const rows = [
      ['id', 'submitdate', 'lastpage', 'startlanguage', 'Q1'],
      ['1', '', '1', 'en', 'a'],
      ['2', '', '1', 'en', 'b'],
    ];
    const table = await readSource(csv(rows), 'ls.csv');
    expect(table.notes[1]).toMatch(/^All 2 responses were not finished \(no submit date\)/);
  });

  it('is not taken for an ordinary file with a submit date column', () => {
    const rows = [
      ['id', 'submitdate', 'comment'],
      ['1', '', 'Still thinking'],
    ];
    expect(detectFormat(rows, 'f.csv').format).toBe('generic');
  });
});

describe('SurveyMonkey', () => {
  const question = 'Which activities did you join?';
  const header1 = ['Respondent ID', 'Collector ID', 'Start Date', 'What is your role?', question, null, null, 'What did you like most?'];
  const header2 = [null, null, null, 'Response', 'Workshops', 'Mentoring', 'Other (please specify)', 'Open-Ended Response'];
  const answers = [
    ['114203901', '431822', '2024-03-04T09:15:02', 'Student', 'Workshops', null, null, 'The workshops, because they were practical.'],
    ['114203902', '431822', '2024-03-04T10:01:40', 'Staff', null, 'Mentoring', 'A reading group', 'Meeting people from other teams.'],
  ];

  it('reads an XLSX export as it reads the CSV: two header rows, sub-answers in labels, text and choice marked', async () => {
    const bytes = makeXlsx([{ name: 'Sheet', rows: [header1, header2, ...answers] }], { sharedStrings: true });
    const table = await readSource(bytes, 'monkey.xlsx');
    expect(table).toMatchObject({ format: 'surveymonkey', encoding: 'xlsx', firstRowNumber: 3 });
    expect(table.rows.map((r) => r[0])).toEqual(['114203901', '114203902']);
    expect(table.columns.map((c) => c.label)).toEqual([
      'Respondent ID',
      'Collector ID',
      'Start Date',
      'What is your role?',
      `${question} — Workshops`,
      `${question} — Mentoring`,
      `${question} — Other (please specify)`,
      'What did you like most?',
    ]);
    expect(table.columns.map((c) => c.source)).toEqual([undefined, undefined, undefined, undefined, 'choice', 'choice', 'text', 'text']);
    expect(roles(table)).toMatchObject({ 'Respondent ID': 'id', 'Collector ID': 'ignore', 'What did you like most?': 'question' });

    const asCsv = await readSource(csv([header1, header2, ...answers].map((r) => r.map((c) => c ?? ''))), 'monkey.csv');
    expect(asCsv.columns).toEqual(table.columns);
    expect(asCsv.rows).toEqual(table.rows);
  });

  it('marks the fixture CSV: Open-Ended Response is text, options are choices, a plain Response says nothing', async () => {
    const table = await readSource(fixture('surveymonkey.csv'), 'surveymonkey.csv');
    const source = (label: string) => table.columns.find((c) => c.label === label)?.source;
    expect(source('Any other comments?')).toBe('text');
    expect(source('Which activities did you join? — Workshops')).toBe('choice');
    expect(source('What is your role?')).toBeUndefined();
    expect(source('Respondent ID')).toBeUndefined();
  });
});

describe('no header row becomes a respondent', () => {
  it('skips a first row that repeats the header, in a generic file and in a tool export', async () => {
    const generic = [
      ['id', 'group', 'comment'],
      ['id', 'group', 'comment'],
      ['P1', 'A', 'Fine'],
      ['P2', 'B', 'Good'],
    ];
    const table = await readSource(csv(generic), 'twice.csv');
    expect(table).toMatchObject({ format: 'generic', firstRowNumber: 3 });
    expect(table.rows.map((r) => r[0])).toEqual(['P1', 'P2']);
    expect(table.notes).toEqual(['The first row under the header repeats the header, so it was skipped rather than read as a respondent.']);

    const forms = [
      ['Timestamp', 'What did you learn?'],
      ['Timestamp', 'What did you learn?'],
      ['2024/05/01 10:00:00', 'A lot'],
    ];
    const gf = await readSource(csv(forms), 'forms.csv');
    expect(gf).toMatchObject({ format: 'google-forms', firstRowNumber: 3 });
    expect(gf.rows).toEqual([['2024/05/01 10:00:00', 'A lot']]);
  });

  it('reads a row of question text above numbers and dates as a second header row, and uses it for the labels', async () => {
    const rows = [
      ['pid', 'age', 'visits', 'visit_date', 'comment'],
      ['Participant', 'How old are you?', 'How many times did you visit?', 'Date of the last visit', 'Anything else you want to tell us?'],
      ['P1', '34', '2', '2024-03-01', 'The staff were kind.'],
      ['P2', '51', '5', '2024-03-04', 'Parking was hard.'],
      ['P3', '28', '1', '2024-02-20', ''],
    ];
    const table = await readSource(csv(rows), 'labelled.csv');
    expect(table).toMatchObject({ format: 'generic', firstRowNumber: 3 });
    expect(table.rows.map((r) => r[0])).toEqual(['P1', 'P2', 'P3']);
    expect(table.columns.map((c) => c.key)).toEqual(['pid', 'age', 'visits', 'visit_date', 'comment']);
    expect(table.columns.map((c) => c.label)).toEqual(rows[1]);
    expect(table.notes).toEqual([
      'The first row under the header holds question text (e.g. "How old are you?"), so it was used for the column labels rather than read as a respondent.',
    ]);
  });

  it('never eats a real first answer row', () => {
    // Ten answers below, so a column of numbers with one word in it still reads as numbers.
    const header = ['pid', 'age', 'visits', 'score', 'comment'];
    const below = Array.from({ length: 10 }, (_, i) => [`P${i + 2}`, String(20 + i), String(i % 4), String(i % 7), `Answer ${i}`]);
    const withFirst = (first: string[], rest = below) => detectFormat([header, first, ...rest], 'f.csv').headerRowCount;
    // The shape of a question-text row is recognised…
    expect(withFirst(['Participant', 'How old are you?', 'How many visits?', 'Your score', 'Comments'])).toBe(2);
    // …but a number under numbers makes it an answer, however wordy the rest.
    expect(withFirst(['', 'How old are you?', 'How many visits?', '7', 'It was fine'])).toBe(1);
    // An ID shaped like the ones below makes it an answer.
    expect(withFirst(['P1', 'How old are you?', 'How many visits?', 'Your score', 'Comments'])).toBe(1);
    // Words in only one numeric column: an answer.
    expect(withFirst(['', 'thirty-four', '2', '5', 'It was fine'])).toBe(1);
    // The same words twice in a row are answers, not different questions.
    expect(withFirst(['', 'no idea at all', 'no idea at all', 'Your score', 'It was fine'])).toBe(1);
    // Stock non-answers are answers.
    expect(withFirst(['', 'prefer not to say', 'several', 'many', 'It was fine'])).toBe(1);
    // Words that someone further down gave too are an answer.
    const severalBelow = below.map((row, i) => (i === 5 ? [row[0], 'several', row[2], row[3], row[4]] : row));
    expect(withFirst(['', 'several', 'How many visits?', 'Your score', 'Fine'], severalBelow)).toBe(1);
    expect(withFirst(['', 'several', 'How many visits?', 'Your score', 'Fine'])).toBe(2);
    // Short words that are not phrased like questions are answers.
    expect(withFirst(['', 'several', 'a few', 'lots', 'Fine'])).toBe(1);
    // Words typed into two number fields are answers unless they read like question text.
    expect(withFirst(['', 'not telling you', 'about three years', '5', 'It was fine'])).toBe(1);
    expect(withFirst(['', 'around forty or so', 'quite a lot really', 'no score given', 'It was fine'])).toBe(1);
    // More stock non-answers, beside question text.
    for (const non of ["I don't know", 'prefer not to answer', 'Prefer not to say', 'not sure', 'N/A', 'none', 'no idea']) {
      expect(withFirst(['', non, 'How many visits?', 'Your score', 'Fine']), non).toBe(1);
    }
    // Too few answers to tell what the columns hold.
    expect(detectFormat([header, ['Participant', 'How old?', 'How many visits?', 'Score?', 'Hi'], ...below.slice(0, 2)], 'f.csv').headerRowCount).toBe(1);
    // A row repeating most of the header but not all of it is not a repeated header.
    expect(withFirst(['pid', 'age', 'visits', 'score', 'I wrote my comment here'])).toBe(1);
    expect(withFirst(['pid', 'age', 'visits', 'score', 'comment'])).toBe(2);
  });

  it('skips header rows repeated further down (exports pasted one under another), keeping the row numbers right', async () => {
    const header = [
      ['ResponseId', 'Q1'],
      ['Response ID', 'What would you change?'],
      ['{"ImportId":"_recordId"}', '{"ImportId":"QID1_TEXT"}'],
    ];
    const rows = [...header, ['R_1', 'More breaks'], ...header, ['R_2', 'Nothing'], ['R_3', 'Shorter days']];
    const table = await readSource(csv(rows), 'pasted.csv');
    expect(table.format).toBe('qualtrics');
    expect(table.rows).toEqual([
      ['R_1', 'More breaks'],
      ['R_2', 'Nothing'],
      ['R_3', 'Shorter days'],
    ]);
    expect(table.rowNumbers).toEqual([4, 8, 9]);
    expect(table.notes).toContain('Rows 5, 6 and 7 repeat the header (files pasted one under another?), so they were skipped rather than read as respondents.');

    const generic = [
      ['id', 'comment'],
      ['P1', 'Good'],
      ['id', 'comment'],
      ['P2', 'Fine'],
    ];
    const plain = await readSource(csv(generic), 'pasted.csv');
    expect(plain.rows.map((r) => r[0])).toEqual(['P1', 'P2']);
    expect(plain.rowNumbers).toEqual([2, 4]);
    expect(plain.notes).toEqual(['Row 3 repeats the header (files pasted one under another?), so it was skipped rather than read as a respondent.']);
  });

  it('keeps a SurveyMonkey answer row whose ticked options repeat the option labels of header row 2', async () => {
    const rows = [
      ['Respondent ID', 'Collector ID', 'Which activities did you join?', '', 'Comments?'],
      ['', '', 'Workshops', 'Mentoring', 'Open-Ended Response'],
      ['1001', '2', 'Workshops', 'Mentoring', 'Both were good'],
      ['1002', '2', 'Workshops', '', ''],
    ];
    const table = await readSource(csv(rows), 'monkey.csv');
    expect(table.rows.map((r) => r[0])).toEqual(['1001', '1002']);
    expect(table.rowNumbers).toBeUndefined();
  });

  it('keeps ordinary files as they are: generic, one header row, no notes', () => {
    const rows = [
      ['respondent_id', 'group', 'comments'],
      ['R01', 'Control', 'It was useful.'],
      ['R02', 'Treatment', 'Too long.'],
      ['R03', 'Control', 'Good'],
      ['R04', 'Treatment', 'Fine'],
    ];
    expect(detectFormat(rows, 'f.csv')).toMatchObject({ format: 'generic', headerRowCount: 1, notes: [] });
  });
});
