import { describe, expect, it } from 'vitest';
import { detectFormat, shortForm } from './detect-format';
import { ImportError } from './types';

describe('detectFormat', () => {
  it('recognises Qualtrics by its ImportId row: short names are keys, full text labels', () => {
    const rows = [
      ['StartDate', 'ResponseId', 'Q1', 'Q2_4_TEXT'],
      ['Start Date', 'Response ID', 'Why did you join?', 'Which site? - Other - Text'],
      ['{"ImportId":"startDate","timeZone":"Europe/London"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID1_TEXT"}', '{"ImportId":"QID2_4_TEXT"}'],
      ['2024-01-01 10:00:00', 'R_abc', 'To learn', ''],
    ];
    const result = detectFormat(rows, 'survey.csv');
    expect(result.format).toBe('qualtrics');
    expect(result.headerRowCount).toBe(3);
    expect(result.columns).toEqual([
      { index: 0, key: 'StartDate', label: 'Start Date' },
      { index: 1, key: 'ResponseId', label: 'Response ID' },
      { index: 2, key: 'Q1', label: 'Why did you join?', source: 'text' },
      { index: 3, key: 'Q2_4_TEXT', label: 'Which site? - Other - Text', source: 'text' },
    ]);
    // ResponseId is the only ID here, and filled, so it will be the ID rather than ignored.
    expect(result.notes).toEqual(['Recognised a Qualtrics export (3 header rows): 1 metadata column will be ignored.']);
  });

  it('recognises the legacy two-row Qualtrics export', () => {
    const rows = [
      ['ResponseID', 'StartDate', 'Q1'],
      ['ResponseID', 'StartDate', 'What would you improve?'],
      ['R_1a2b3c', '2015-03-02 10:00:00', 'More examples'],
    ];
    expect(detectFormat(rows, 'old.csv')).toMatchObject({ format: 'qualtrics-legacy', headerRowCount: 2 });
  });

  it('does not mistake a plain file with ResponseId and StartDate columns for legacy Qualtrics', () => {
    const rows = [
      ['ResponseId', 'StartDate', 'comment'],
      ['R_1a2b3c', '2024-01-02', 'A first answer with spaces'],
      ['R_4d5e6f', '2024-01-03', 'Another answer'],
    ];
    expect(detectFormat(rows, 'plain.csv')).toMatchObject({ format: 'generic', headerRowCount: 1 });
  });

  it('recognises SurveyMonkey: questions continue over blank cells, sub-answers join the label', () => {
    const question = 'Which of these activities did you take part in during the year?';
    const rows = [
      ['Respondent ID', 'Collector ID', 'What is your role?', question, '', '', 'Comments?'],
      ['', '', 'Response', 'Workshops', 'Mentoring', 'Other (please specify)', 'Open-Ended Response'],
      ['1', '2', 'Student', 'Workshops', '', '', 'Great'],
    ];
    const result = detectFormat(rows, 'monkey.csv');
    expect(result.format).toBe('surveymonkey');
    expect(result.headerRowCount).toBe(2);
    expect(result.columns.map((c) => c.label)).toEqual([
      'Respondent ID',
      'Collector ID',
      'What is your role?',
      `${question} — Workshops`,
      `${question} — Mentoring`,
      `${question} — Other (please specify)`,
      'Comments?',
    ]);
    expect(result.columns.map((c) => c.key)).toEqual([
      'Respondent ID',
      'Collector ID',
      'What is your role?',
      'Which of these activities did you take… — Workshops',
      'Which of these activities did you take… — Mentoring',
      'Which of these activities did you take… — Other (please specify)',
      'Comments?',
    ]);
  });

  it('recognises Google Forms and Microsoft Forms', () => {
    expect(
      detectFormat(
        [
          ['Timestamp', 'Q'],
          ['2024/05/01', 'a'],
        ],
        'f.csv',
      ).format,
    ).toBe('google-forms');
    const ms = [
      ['ID', 'Start time', 'Completion time', 'Email', 'Name', 'What went well?'],
      ['1', '', '', '', '', 'a'],
    ];
    expect(detectFormat(ms, 'f.xlsx')).toMatchObject({ format: 'microsoft-forms', headerRowCount: 1 });
    const msModified = [
      ['ID', 'Start time', 'Completion time', 'Last modified time', 'Q'],
      ['1', '', '', '', 'a'],
    ];
    expect(detectFormat(msModified, 'f.xlsx').format).toBe('microsoft-forms');
  });

  it('names blank headers "Column N" and trims header text', () => {
    const result = detectFormat(
      [
        ['  id ', '', 'answer', ''],
        ['1', 'x', 'y', 'z'],
      ],
      'f.csv',
    );
    expect(result.columns.map((c) => c.key)).toEqual(['id', 'Column 2', 'answer', 'Column 4']);
  });

  it('rejects duplicate header names in a generic file, ignoring case and spaces', () => {
    const rows = [
      ['id', 'role', 'Comments', 'site', ' comments '],
      ['1', 'a', 'b', 'c', 'd'],
    ];
    expect(() => detectFormat(rows, 'f.csv')).toThrow(ImportError);
    expect(() => detectFormat(rows, 'f.csv')).toThrow('Columns 3 and 5 are both called "Comments". Rename one of them and import again.');
  });

  it('numbers duplicate names in a survey tool export instead, with a note', () => {
    const rows = [
      ['Timestamp', 'Comments', 'Comments'],
      ['2024', 'a', 'b'],
    ];
    const result = detectFormat(rows, 'f.csv');
    expect(result.columns.map((c) => c.key)).toEqual(['Timestamp', 'Comments', 'Comments (2)']);
    expect(result.notes.some((n) => n.includes('same name'))).toBe(true);
  });
});

describe('shortForm', () => {
  it('keeps short text and cuts long text at a word', () => {
    expect(shortForm('What is your role?')).toBe('What is your role?');
    expect(shortForm('How satisfied are you with the mentoring scheme so far?')).toBe('How satisfied are you with the mentoring…');
  });
});
