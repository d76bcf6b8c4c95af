import { describe, expect, it } from 'vitest';
import { guessWaveName, proposePlan, validatePlan } from './propose-plan';
import type { ImportPlan, SourceColumn, SourceTable } from './types';

function table(header: string[], rows: string[][], extra: Partial<SourceTable> = {}): SourceTable {
  const columns: SourceColumn[] = header.map((key, index) => ({ index, key, label: key }));
  return { fileName: 'study.csv', format: 'generic', encoding: 'utf-8', columns, rows, firstRowNumber: 2, notes: [], ...extra };
}

const roleOf = (plan: ImportPlan) => Object.fromEntries(plan.columns.map((c) => [c.name, c.role]));

const phrases = [
  'Satisfied.',
  'n/a',
  '-',
  'Very much so, thank you.',
  'Time. There is never enough of it between clinics.',
  'Getting honest feedback on my writing and on my plans for the next few years.',
  'Confidence, mostly.',
  'I would like the matching to take our research interests into account.',
  'Not sure yet',
  'Knowing that someone more senior has faced the same barriers and got through them.',
  'The introductory session was well run and the handbook was useful.',
  'Meeting online made it easier to fit sessions around childcare.',
];

/** 16 mentor–mentee pairs: the shape of the bundled sample study. */
function smallStudy(): SourceTable {
  const institutions = ['Northgate', 'St Brigid', 'Fenwick', 'Castlebridge', 'Harrow Vale', 'Kingsmere', 'Lowther'];
  const questions = Array.from({ length: 8 }, (_, q) => `Q${q + 1}`);
  const rows: string[][] = [];
  for (let pair = 1; pair <= 16; pair++) {
    for (const role of ['mentor', 'mentee']) {
      const r = rows.length;
      const answers = questions.map((_, q) => `${phrases[(r * 5 + q * 7) % phrases.length]}${r % 3 === 0 ? '' : ` (${r}-${q})`}`);
      rows.push([`${role === 'mentor' ? 'M' : 'E'}${String(pair).padStart(2, '0')}`, role, String(pair), institutions[pair % 7], ...answers]);
    }
  }
  return table(['participant_id', 'role', 'pair', 'institution', ...questions], rows);
}

describe('proposePlan: roles', () => {
  it('gets a 32-row study right: id, three attributes, eight questions', () => {
    const plan = proposePlan(smallStudy());
    expect(roleOf(plan)).toEqual({
      participant_id: 'id',
      role: 'attribute',
      pair: 'attribute',
      institution: 'attribute',
      Q1: 'question',
      Q2: 'question',
      Q3: 'question',
      Q4: 'question',
      Q5: 'question',
      Q6: 'question',
      Q7: 'question',
      Q8: 'question',
    });
    expect(plan.columns.every((c) => c.reason.length > 0)).toBe(true);
    expect(plan.waveName).toBe('Wave 1');
  });

  it('prefers a study ID over Qualtrics ResponseId, which is ignored as metadata', () => {
    const t = table(
      ['ResponseId', 'ExternalReference', 'participant_id', 'answer'],
      [
        ['R_1', '', 'P1', 'A long enough answer to be open text.'],
        ['R_2', '', 'P2', 'Another long answer that is different.'],
      ],
    );
    expect(roleOf(proposePlan(t))).toEqual({ ResponseId: 'ignore', ExternalReference: 'ignore', participant_id: 'id', answer: 'question' });
  });

  it('uses ExternalReference when filled and unique, else falls back to ResponseId', () => {
    const rows = (refs: string[]) => refs.map((ref, i) => [`R_${i}`, ref, `Answer number ${i} is long enough to code.`]);
    const header = ['ResponseId', 'ExternalReference', 'Q1'];
    expect(roleOf(proposePlan(table(header, rows(['P1', 'P2', 'P3']))))).toMatchObject({ ExternalReference: 'id', ResponseId: 'ignore' });
    expect(roleOf(proposePlan(table(header, rows(['', '', '']))))).toMatchObject({ ExternalReference: 'ignore', ResponseId: 'id' });
    expect(roleOf(proposePlan(table(header, rows(['X', 'X', 'X']))))).toMatchObject({ ResponseId: 'id' });
  });

  it('still proposes an ID column with a few duplicates, so validatePlan can name them', () => {
    const rows = Array.from({ length: 10 }, (_, i) => [i === 9 ? 'E1' : `E${i}`, `Answer ${i} that is long enough to be a question.`]);
    expect(roleOf(proposePlan(table(['respondent', 'text'], rows))).respondent).toBe('id');
  });

  it('falls back to a first column of short unique codes', () => {
    const t = table(
      ['Code', 'Feedback'],
      [
        ['a-01', 'The sessions were long but worth every minute.'],
        ['a-02', 'I could not attend the second half, sadly.'],
      ],
    );
    expect(roleOf(proposePlan(t))).toEqual({ Code: 'id', Feedback: 'question' });
  });

  it('finds a wave column and judges ID uniqueness within each wave', () => {
    const rows = ['Baseline', '6 months'].flatMap((wave) => ['A', 'B', 'C'].map((id) => [id, wave, `What ${id} said at ${wave}, in a long sentence.`]));
    expect(roleOf(proposePlan(table(['respondent_id', 'Time point', 'answer'], rows)))).toEqual({
      respondent_id: 'id',
      'Time point': 'wave',
      answer: 'question',
    });
  });

  it('ignores metadata, empty columns, many distinct numbers or dates, and unique codes', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [
      `P${i}`,
      `2024-01-${String((i % 28) + 1).padStart(2, '0')} 10:${String(i).padStart(2, '0')}`,
      `192.0.2.${i}`,
      '',
      String(100 + i * 7),
      `2024-02-${String((i % 28) + 1).padStart(2, '0')}`,
      `tok_${i}x`,
      `Answer ${i}: ${phrases[i % phrases.length]}`,
    ]);
    const plan = proposePlan(table(['pid', 'StartDate', 'IP Address', 'RecipientEmail', 'Duration', 'visit', 'token', 'comments'], rows));
    expect(roleOf(plan)).toEqual({
      pid: 'id',
      StartDate: 'ignore',
      'IP Address': 'ignore',
      RecipientEmail: 'ignore',
      Duration: 'ignore',
      visit: 'ignore',
      token: 'ignore',
      comments: 'question',
    });
  });

  it('treats numbers with few distinct values as an attribute (age band, pair)', () => {
    const rows = Array.from({ length: 60 }, (_, i) => [`P${i}`, String(18 + (i % 5)), `Answer ${i} with enough words in it.`]);
    expect(roleOf(proposePlan(table(['id', 'age', 'comment'], rows))).age).toBe('attribute');
  });

  it('reuses the spelling of an existing project attribute', () => {
    const plan = proposePlan(smallStudy(), { existingAttributes: ['Role', 'Institution'] });
    expect(plan.columns.filter((c) => c.role === 'attribute').map((c) => c.name)).toEqual(['Role', 'pair', 'Institution']);
  });
});

describe('proposePlan: wave name', () => {
  it('takes the wave name given, else guesses it from the file name', () => {
    expect(proposePlan(smallStudy(), { waveName: '  Endline ' }).waveName).toBe('Endline');
    expect(proposePlan({ ...smallStudy(), fileName: 'aimms-6month-qualtrics.csv' }).waveName).toBe('6 months');
  });

  it.each([
    ['AIMMS baseline.csv', 'Baseline'],
    ['aimms-6month-qualtrics.csv', '6 months'],
    ['survey_6-month.xlsx', '6 months'],
    ['Survey 6 months.csv', '6 months'],
    ['12mo_followup.csv', '12 months'],
    ['1 month check-in.csv', '1 month'],
    ['wave 2 export.csv', 'Wave 2'],
    ['Wave_3.csv', 'Wave 3'],
    ['study_T1.csv', 'T1'],
    ['T2 responses.tsv', 'T2'],
    ['Follow-up survey.csv', 'Follow-up'],
    ['followup.csv', 'Follow-up'],
  ])('%s → %s', (fileName, wave) => {
    expect(guessWaveName(fileName)).toBe(wave);
  });

  it.each(['responses.csv', 'export_2024-01-05T10.csv', 'data_3moderators.csv', 'results.xlsx'])('%s → no guess', (fileName) => {
    expect(guessWaveName(fileName)).toBeUndefined();
  });
});

describe('validatePlan', () => {
  const base = () =>
    table(
      ['id', 'wave', 'group', 'answer'],
      [
        ['A', 'Baseline', 'x', 'First answer'],
        ['B', 'Baseline', 'y', 'Second answer'],
        ['A', 'Follow-up', 'x', 'Third answer'],
      ],
    );
  const plan = (roles: string[], waveName = 'Wave 1'): ImportPlan => ({
    waveName,
    columns: roles.map((role, index) => ({
      index,
      role: role as ImportPlan['columns'][number]['role'],
      name: base().columns[index].key,
      label: base().columns[index].key,
      reason: '',
    })),
  });

  it('accepts a sound plan, with the same respondent in two waves', () => {
    expect(validatePlan(base(), plan(['id', 'wave', 'attribute', 'question']))).toEqual([]);
  });

  it('needs exactly one ID column, at most one wave column and a question', () => {
    expect(validatePlan(base(), plan(['ignore', 'wave', 'attribute', 'question']))).toEqual([
      'Choose the column that holds the respondent ID: it links answers across questions and waves.',
    ]);
    expect(validatePlan(base(), plan(['id', 'wave', 'id', 'question']))).toEqual([
      'Only one column can be the respondent ID, but "id" and "group" are all set to ID. Keep one.',
    ]);
    expect(validatePlan(base(), plan(['id', 'wave', 'wave', 'question']))).toEqual([
      'Only one column can give the wave, but "wave" and "group" are all set to wave. Keep one.',
    ]);
    expect(validatePlan(base(), plan(['id', 'wave', 'attribute', 'attribute']))).toEqual([
      'Choose at least one question column: the open-text answers you want to code.',
    ]);
  });

  it('finds duplicates within a wave when there is no wave column', () => {
    expect(validatePlan(base(), plan(['id', 'ignore', 'attribute', 'question'], 'Baseline'))).toEqual([
      'Respondent "A" appears twice in wave "Baseline" (rows 2 and 4).',
    ]);
  });

  it('names rows without a respondent ID or a wave', () => {
    const t = base();
    t.rows[1][0] = '  ';
    t.rows[2][1] = '';
    expect(validatePlan(t, plan(['id', 'wave', 'attribute', 'question']))).toEqual([
      'Row 3 has no respondent ID. Fill it in (or delete the row) and import again.',
      'Row 4 has no wave in column "wave". Fill it in, or set that column to Ignore and name the wave.',
    ]);
  });

  it('lists every row of a respondent that appears three times, and caps long lists', () => {
    const rows = [...Array.from({ length: 3 }, () => ['E07', 'text']), ...Array.from({ length: 30 }, (_, i) => [`D${i % 12}`, 'text'])];
    const t = table(['id', 'answer'], rows);
    const p: ImportPlan = {
      waveName: 'Baseline',
      columns: [
        { index: 0, role: 'id', name: 'id', label: 'id', reason: '' },
        { index: 1, role: 'question', name: 'answer', label: 'answer', reason: '' },
      ],
    };
    const problems = validatePlan(t, p);
    expect(problems[0]).toBe('Respondent "E07" appears 3 times in wave "Baseline" (rows 2, 3 and 4).');
    expect(problems).toHaveLength(11);
    expect(problems[10]).toBe('…and 3 more respondents appear more than once in a wave.');
  });

  it('needs distinct names for questions and attributes, and a wave name', () => {
    const p = plan(['id', 'ignore', 'question', 'question'], ' ');
    p.columns[3].name = 'Group ';
    expect(validatePlan(base(), p)).toEqual([
      'Give the wave a name, for example "Baseline".',
      'Two questions are both called "Group" (columns 3 and 4). Rename one of them.',
    ]);
  });
});
