import { describe, expect, it } from 'vitest';
import { guessWaveName, proposePlan, validatePlan } from './propose-plan';
import type { ColumnRole, ImportPlan, SourceColumn, SourceTable } from './types';

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

  describe('a wave column, not a question that mentions a wave', () => {
    const likert = ['Not at all', 'A little', 'Very'];
    /** Nine respondents; the second column's key and label, and its values by row. */
    const withColumn = (key: string, label: string, value: (i: number) => string): SourceTable => {
      const t = table(
        ['respondent_id', key, 'answer'],
        Array.from({ length: 9 }, (_, i) => [`P${i}`, value(i), prose(i)]),
      );
      return { ...t, columns: t.columns.map((c) => (c.index === 1 ? { ...c, label } : c)) };
    };
    const roleOfSecond = (t: SourceTable) => proposePlan(t).columns[1].role;

    it('does not take a question with "wave" in its text for the wave', () => {
      const question = 'How worried were you during the second wave?';
      expect(roleOfSecond(withColumn(question, question, (i) => likert[i % 3]))).toBe('attribute');
      expect(roleOfSecond(withColumn('Q5', question, (i) => likert[i % 3]))).toBe('attribute');
    });

    it('needs wave-like values in a column named event or visit', () => {
      expect(roleOfSecond(withColumn('event', 'Which event did you attend?', (i) => ['Workshop', 'Webinar', 'Conference'][i % 3]))).toBe('attribute');
      expect(roleOfSecond(withColumn('event', 'event', (i) => ['Workshop', 'Webinar', 'Conference'][i % 3]))).toBe('attribute');
      expect(roleOfSecond(withColumn('event', 'event', (i) => ['Baseline', 'Follow-up'][i % 2]))).toBe('wave');
      expect(roleOfSecond(withColumn('visit', 'visit', (i) => ['Visit 1', 'Visit 2', 'Visit 3'][i % 3]))).toBe('wave');
    });

    it('still takes a column named for the wave, or asking which wave', () => {
      const names = (i: number) => ['Spring', 'Autumn'][i % 2];
      expect(roleOfSecond(withColumn('Survey wave', 'Survey wave', names))).toBe('wave');
      expect(roleOfSecond(withColumn('wave_number', 'wave_number', (i) => String((i % 2) + 1)))).toBe('wave');
      expect(roleOfSecond(withColumn('Q2', 'Which wave is this?', names))).toBe('wave');
      expect(roleOfSecond(withColumn('What wave of the study is this?', 'What wave of the study is this?', names))).toBe('wave');
      expect(roleOfSecond(withColumn('redcap_event_name', 'redcap_event_name', (i) => ['enrolment_arm_1', 'month_3_arm_1'][i % 2]))).toBe('wave');
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

const prose = (i: number) => `${phrases[i % phrases.length]} Said by person ${i}, in their own words.`;

describe('proposePlan: respondents without an ID column (Google Forms)', () => {
  const forms = (timestamps: string[], extra: string[][] = []) =>
    table(
      ['Timestamp', 'Is a hotdog a sandwich?', 'Why?', ...extra.map((e) => e[0])],
      timestamps.map((ts, i) => [ts, i % 3 ? 'No' : 'Yes', prose(i), ...extra.map((e) => e[i + 1])]),
      { format: 'google-forms' },
    );

  it('proposes row numbers, which import with no change, and says they cannot join waves', () => {
    const t = forms(Array.from({ length: 20 }, (_, i) => `1/18/2024 14:${String(Math.floor(i / 10)).padStart(2, '0')}`));
    const plan = proposePlan(t);
    expect(plan.columns.some((c) => c.role === 'id')).toBe(false);
    expect(plan.idSource).toEqual({ kind: 'row-number' });
    expect(plan.idChoices?.map((c) => c.label)).toEqual(['Row number']); // minute timestamps repeat: not offered
    expect(plan.idChoices?.[0].reason).toMatch(/joins these by number: right only if that file lists the same people in the same order/);
    expect(validatePlan(t, plan)).toEqual([]);
  });

  it('offers a unique timestamp, and an email column with a warning, but never proposes them as the ID', () => {
    const emails = ['Email Address', ...Array.from({ length: 12 }, (_, i) => `student${i}@example.edu`)];
    const t = forms(
      Array.from({ length: 12 }, (_, i) => `1/15/2025 21:53:${String(i).padStart(2, '0')}`),
      [emails],
    );
    const plan = proposePlan(t);
    expect(plan.idSource).toEqual({ kind: 'row-number' });
    const email = plan.columns[3];
    expect(email).toMatchObject({ role: 'ignore', personal: 'Email addresses' });
    expect(plan.idChoices?.map((c) => [c.label, c.source])).toEqual([
      ['Row number', { kind: 'row-number' }],
      ['Timestamp', { kind: 'combined', columns: [0] }],
      ['Email Address', { kind: 'combined', columns: [3] }],
    ]);
    expect(plan.idChoices?.[1].reason).toMatch(/cannot join a later wave/);
    expect(plan.idChoices?.[2].reason).toMatch(/email addresses will be shown as respondent IDs/);
    expect(validatePlan(t, { ...plan, idSource: { kind: 'combined', columns: [3] } })).toEqual([]);
  });

  it('offers a pair of bookkeeping or personal columns when neither is unique alone', () => {
    const names = ['Name', 'Ann', 'Ann', 'Bo', 'Bo'];
    const t = forms(['1/1/2024 10:00', '1/1/2024 10:01', '1/1/2024 10:00', '1/1/2024 10:01'], [names]);
    const labels = proposePlan(t).idChoices?.map((c) => c.label);
    expect(labels).toEqual(['Row number', 'Timestamp + Name']);
  });

  it('offers a column that repeats once per wave in a long-format file: unique within each wave is enough', () => {
    const people = Array.from({ length: 6 }, (_, i) => `student${i}@example.edu`);
    const t = table(
      ['Wave', 'Email', 'Why?'],
      ['Baseline', 'Follow-up'].flatMap((wave, w) => people.map((email, i) => [wave, email, prose(w * 6 + i)])),
    );
    const plan = proposePlan(t);
    expect(plan.columns[0].role).toBe('wave');
    expect(plan.idChoices?.map((c) => [c.label, c.source])).toEqual([
      ['Row number', { kind: 'row-number' }],
      ['Email', { kind: 'combined', columns: [1] }],
    ]);
    expect(validatePlan(t, { ...plan, idSource: { kind: 'combined', columns: [1] } })).toEqual([]);
  });

  it('offers a pair that repeats once per wave, and not one that repeats within a wave', () => {
    const names = ['Ann', 'Ann', 'Bo', 'Bo'];
    const times = ['1/1/2024 10:00', '1/1/2024 10:01', '1/1/2024 10:00', '1/1/2024 10:01'];
    const rows = (waves: string[]) => waves.flatMap((wave, w) => names.map((name, i) => [wave, times[i], name, prose(w * 4 + i)]));
    const labels = (waves: string[]) => proposePlan(table(['Wave', 'Timestamp', 'Name', 'Why?'], rows(waves))).idChoices?.map((c) => c.label);
    expect(labels(['Baseline', 'Follow-up'])).toEqual(['Row number', 'Timestamp + Name']);
    expect(labels(['Baseline', 'Baseline'])).toEqual(['Row number']);
  });

  it('does not offer a pair whose joined values collide: every offered choice passes validatePlan', () => {
    const t = forms(['1/1/2024 10:00 · 1', '1/1/2024 10:00', '1/1/2024 10:00', '1/1/2024 10:00 · 1'], [['Name', 'Ann', '1 · Ann', 'Bo', 'Bo']]);
    const plan = proposePlan(t);
    // ("1/1/2024 10:00 · 1", "Ann") and ("1/1/2024 10:00", "1 · Ann") both read "1/1/2024 10:00 · 1 · Ann".
    expect(plan.idChoices?.map((c) => c.label)).toEqual(['Row number']);
    for (const choice of plan.idChoices ?? []) expect(validatePlan(t, { ...plan, idSource: choice.source })).toEqual([]);
  });

  it('does not propose a column named like an ID that holds emails', () => {
    const t = table(
      ['participant', 'answer'],
      Array.from({ length: 5 }, (_, i) => [`p${i}@example.org`, prose(i)]),
    );
    const plan = proposePlan(t);
    expect(plan.columns[0]).toMatchObject({ role: 'ignore', personal: 'Email addresses' });
    expect(plan.idSource).toEqual({ kind: 'row-number' });
  });

  it('leaves idSource out when an ID column is found', () => {
    const plan = proposePlan(smallStudy());
    expect(plan.idSource).toBeUndefined();
    expect(plan.idChoices).toBeUndefined();
  });
});

describe('proposePlan: numbers', () => {
  it('keeps a few ages as an attribute, saying why', () => {
    const t = table(
      ['Case', 'Age', 'qual'],
      [
        ['ID4', '24', prose(1)],
        ['ID5', '', prose(2)],
        ['ID6', '67', prose(3)],
      ],
    );
    expect(proposePlan(t).columns[1]).toMatchObject({ role: 'attribute', reason: 'Numbers, kept as an attribute (an age, a score)' });
  });

  it('keeps many different numbers (income, age in years) as an attribute', () => {
    const rows = Array.from({ length: 60 }, (_, i) => [`P${i}`, String(18 + i), prose(i)]);
    expect(proposePlan(table(['id', 'age', 'comment'], rows)).columns[1].role).toBe('attribute');
  });

  it('ignores numbers named like bookkeeping, and a different long number in every row of a big file', () => {
    const rows = Array.from({ length: 60 }, (_, i) => [`P${i}`, String(3 + ((i * 7) % 50)), String(48_213_907 + i * 13), prose(i)]);
    const plan = proposePlan(table(['id', 'Q3_Page Submit', 'serial', 'comment'], rows));
    expect(plan.columns[1]).toMatchObject({ role: 'ignore' });
    expect(plan.columns[1].reason).toMatch(/kept by the survey tool/);
    expect(plan.columns[2]).toMatchObject({ role: 'ignore' });
    expect(plan.columns[2].reason).toMatch(/different long number in every row/);
  });
});

describe('proposePlan: short open answers', () => {
  const majors = Array.from({ length: 88 }, (_, i) => `Major ${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26)}`);
  const shortAnswers = (label: string, values: (i: number) => string, n = 187) => {
    const t = table(
      ['Id', label],
      Array.from({ length: n }, (_, i) => [String(i + 1), values(i)]),
    );
    return proposePlan(t).columns[1];
  };

  it('takes a question with many different short answers for a question, saying why', () => {
    // 88 different answers in 187 rows: under half distinct, so the share alone said "attribute".
    expect(shortAnswers('What is your major?', (i) => majors[i % 88])).toMatchObject({
      role: 'question',
      reason: 'Phrased as a question, with 88 different answers',
    });
    expect(shortAnswers('What state or country were you born in?', (i) => `Place ${i % 42}`, 91).role).toBe('question');
  });

  it('keeps closed questions and few answers as attributes', () => {
    expect(shortAnswers('Is a hotdog a sandwich?', (i) => (i % 2 ? 'Yes' : 'No')).role).toBe('attribute');
    expect(shortAnswers('What year are you in?', (i) => `Year ${(i % 4) + 1}`).role).toBe('attribute');
    expect(shortAnswers('Gender: How do you identify?', (i) => ['Woman', 'Man', 'Non-binary', 'Prefer not to say'][i % 4]).role).toBe('attribute');
    expect(shortAnswers('institution', (i) => `Site ${i % 12}`).role).toBe('attribute');
  });

  it('takes many different short answers for a question even unphrased, but not a short list', () => {
    expect(shortAnswers('major', (i) => majors[i % 88])).toMatchObject({
      role: 'question',
      reason: '88 different short answers: more than a list of categories',
    });
    expect(shortAnswers('city', (i) => `City ${i % 30}`)).toMatchObject({ role: 'attribute' });
  });

  it('keeps a "tick all that apply" question as an attribute, however many combinations', () => {
    const options = ['Workshops', 'Mentoring', 'Reading group', 'Writing retreat', 'Online forum', 'Peer review'];
    const ticked = (i: number) => options.filter((_, o) => (i >> o) & 1).join(', ') || 'None';
    expect(shortAnswers('Which activities did you take part in?', ticked, 64)).toMatchObject({
      role: 'attribute',
      reason: 'Several options ticked, from 7 in all',
    });
    // Prose repeating its words is no list of ticked options.
    expect(shortAnswers('Comments', (i) => (i === 0 ? 'word, word, word, end' : ['Fine', 'Good', 'Fine, Good'][i % 3]), 30).reason).not.toMatch(/ticked/);
    // Countries with a comma ("Virginia, United States") draw on far more than 12 parts: still a question.
    expect(shortAnswers('What state or country were you born in?', (i) => `Town ${i % 40}, Country ${i % 13}`, 91).role).toBe('question');
  });

  it('follows what the export says the column holds', () => {
    const t = table(
      ['Id', 'Q7', 'Q8'],
      Array.from({ length: 30 }, (_, i) => [String(i), `Team ${i % 3}`, `Option ${i}`]),
    );
    t.columns[1].source = 'text';
    t.columns[2].source = 'choice';
    const plan = proposePlan(t);
    expect(plan.columns[1]).toMatchObject({ role: 'question', reason: 'Typed answers (the export marks this column as text entry)' });
    expect(plan.columns[2].role).toBe('attribute');
  });

  it('takes the one answer of a one-row file to a free-text question for a question', () => {
    const t = table(['ResponseId', 'Q1', 'Q2'], [['R_1', '2', 'Hello World!']], { format: 'qualtrics' });
    t.columns[1].label = 'This is a multiple choice question.';
    t.columns[2].label = 'This is a free text question.';
    const plan = proposePlan(t);
    expect(plan.columns.map((c) => c.role)).toEqual(['id', 'attribute', 'question']);
    expect(validatePlan(t, plan)).toEqual([]);
  });

  it('keeps answers that mention an email or hold one phone number in prose as a question', () => {
    const rows = Array.from({ length: 12 }, (_, i) => [
      `P${i}`,
      i % 4 === 0 ? `Please email me the results; my number is 555-123-45${String(i).padStart(2, '0')} if easier.` : prose(i),
    ]);
    const plan = proposePlan(table(['id', 'Any other comments?'], rows));
    expect(plan.columns[1]).toMatchObject({ role: 'question' });
    expect(plan.columns[1].personal).toBeUndefined();
  });
});

describe('proposePlan: wave columns', () => {
  const answers = (n: number) => Array.from({ length: n }, (_, i) => prose(i));

  it('finds a wave column by its name or question', () => {
    // Not "visit" or "event": by name alone those are often questions (see above).
    for (const name of ['Which wave is this?', 'Time point', 'redcap_event_name', 'Survey round', 'Visit number']) {
      const rows = answers(6).map((a, i) => [`P${i % 3}`, i < 3 ? 'first' : 'second', a]);
      const plan = proposePlan(table(['participant_id', name, 'answer'], rows));
      expect(plan.columns[1].role, name).toBe('wave');
      expect(plan.columns[1].reason).toContain(`named "${name}"`);
    }
  });

  it.each([
    [['Baseline', 'Follow-up']],
    [['pre', 'post']],
    [['6 months', '12-month']],
    [['T1', 'T2']],
    [['Wave 1', 'Wave 2']],
    [['Time 1', 'Time 2']],
    [['baseline_arm_1', 'endline_arm_1']],
  ])('finds a wave column by its values: %j', (waves) => {
    const rows = answers(6).map((a, i) => [`P${i % 3}`, waves[i < 3 ? 0 : 1], a]);
    const plan = proposePlan(table(['participant_id', 'Survey', 'answer'], rows));
    expect(plan.columns[1].role).toBe('wave');
    expect(plan.columns[1].reason).toContain(`"${waves[0]}"`);
    expect(validatePlan(table(['participant_id', 'Survey', 'answer'], rows), plan)).toEqual([]);
  });

  it('does not take respondent IDs that read like waves (T1…T6) for a wave', () => {
    const rows = Array.from({ length: 6 }, (_, i) => [`T${i + 1}`, `Site ${i % 2}`, prose(i)]);
    expect(proposePlan(table(['Code', 'site', 'answer'], rows)).columns.map((c) => c.role)).toEqual(['id', 'attribute', 'question']);
    expect(proposePlan(table(['id', 'site', 'answer'], rows)).columns[0].role).toBe('id');
  });

  it('takes only the first wave column, and not one with many values or other values', () => {
    const rows = answers(6).map((a, i) => [`P${i % 3}`, i < 3 ? 'Baseline' : 'Endline', i < 3 ? 'T1' : 'T2', i % 2 ? 'mentor' : 'mentee', a]);
    const plan = proposePlan(table(['participant_id', 'wave', 'phase', 'role', 'answer'], rows));
    expect(plan.columns.map((c) => c.role)).toEqual(['id', 'wave', 'attribute', 'attribute', 'question']);
    const many = Array.from({ length: 26 }, (_, i) => [`P${i}`, `Round ${i}`, prose(i)]);
    expect(proposePlan(table(['participant_id', 'round', 'answer'], many)).columns[1].role).not.toBe('wave');
  });
});

describe('proposePlan: personal data', () => {
  it('flags a REDCap record’s contact details and keeps record_id as the ID', () => {
    const t = table(
      ['record_id', 'name_first', 'name_last', 'address', 'telephone', 'email', 'comments'],
      [
        ['1', 'Nutmeg', 'Nutmouse', '14 Rose Cottage St.\nKenning UK, 0G1 AB3', '(405) 321-1111', 'nutty@mouse.com', 'Character in a book, with some guessing'],
        ['2', 'Tumtum', 'Nutmouse', '14 Rose Cottage Blvd.\nKenning UK 0G1 AB3', '(405) 321-2222', 'tummy@mouse.comm', 'A mouse character from a good book'],
        ['3', 'Marcus', 'Wood', '243 Hill St.\nGuthrie OK 73402', '(405) 321-3333', 'mw@mwood.net', 'completely made up'],
      ],
    );
    const plan = proposePlan(t);
    expect(plan.columns.map((c) => [c.name, c.role, c.personal])).toEqual([
      ['record_id', 'id', undefined],
      ['name_first', 'ignore', 'Names'],
      ['name_last', 'ignore', 'Names'],
      ['address', 'ignore', 'Postal addresses'],
      ['telephone', 'ignore', 'Telephone numbers'],
      ['email', 'ignore', 'Email addresses'],
      ['comments', 'question', undefined],
    ]);
    expect(plan.columns[5].reason).toBe('Personal data (email addresses): not shown beside answers unless you choose to keep it');
  });

  it('flags contact details by their values under any name, and never proposes them as attributes', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [`P${i}`, `+44 20 7946 ${String(1000 + (i % 3))}`, `10.0.0.${i % 4}`, prose(i)]);
    const plan = proposePlan(table(['id', 'Contact', 'Source', 'answer'], rows));
    expect(plan.columns.map((c) => [c.role, c.personal])).toEqual([
      ['id', undefined],
      ['ignore', 'Telephone numbers'],
      ['ignore', 'IP addresses'],
      ['question', undefined],
    ]);
  });

  it('does not flag an empty contact column', () => {
    const plan = proposePlan(table(['id', 'RecipientEmail', 'answer'], [['P1', '', prose(1)]]));
    expect(plan.columns[1]).toMatchObject({ role: 'ignore', reason: 'No answers in this column' });
    expect(plan.columns[1].personal).toBeUndefined();
  });
});

describe('proposePlan and validatePlan: unfinished responses', () => {
  const unfinished = () =>
    table(
      ['id', 'answer'],
      ['A', 'A', ...'BCDEFGHI'].map((id, i) => [id, i === 1 ? '' : prose(i)]),
      { incomplete: { rowIndexes: [1], columnKey: 'submitdate', rule: 'no submit date' } },
    );

  it('proposes to keep them when the file marks them, and says nothing otherwise', () => {
    expect(proposePlan(unfinished()).keepIncomplete).toBe(true);
    expect(proposePlan(smallStudy()).keepIncomplete).toBeUndefined();
  });

  it('checks them only when they are kept', () => {
    const t = unfinished();
    const plan = proposePlan(t);
    expect(validatePlan(t, plan)).toEqual(['Respondent "A" appears twice in wave "Wave 1" (rows 2 and 3).']);
    expect(validatePlan(t, { ...plan, keepIncomplete: false })).toEqual([]);
  });

  it('says so when leaving them out would import nothing', () => {
    const t = table(
      ['id', 'answer'],
      ['A', 'B', 'C'].map((id, i) => [id, prose(i)]),
      { incomplete: { rowIndexes: [0, 1, 2], columnKey: 'submitdate', rule: 'no submit date' } },
    );
    const plan = proposePlan(t);
    expect(validatePlan(t, plan)).toEqual([]);
    expect(validatePlan(t, { ...plan, keepIncomplete: false })).toEqual([
      'No responses would be imported: all 3 are unfinished. Tick “Import the 3 unfinished responses” to import them.',
    ]);
    const one = { ...t, rows: t.rows.slice(0, 1), incomplete: { ...t.incomplete!, rowIndexes: [0] } };
    expect(validatePlan(one, { ...proposePlan(one), keepIncomplete: false })).toEqual([
      'No responses would be imported: the only one is unfinished. Tick “Import the 1 unfinished response” to import them.',
    ]);
  });
});

describe('validatePlan: where respondent IDs come from', () => {
  const t = () =>
    table(
      ['Timestamp', 'Email', 'answer'],
      [
        ['10:00', 'a@x.org', prose(1)],
        ['10:01', 'b@x.org', prose(2)],
        ['10:01', 'a@x.org', prose(3)],
        ['10:02', '', prose(4)],
      ],
    );
  const plan = (idSource: ImportPlan['idSource'], roles = ['ignore', 'ignore', 'question']): ImportPlan => ({
    waveName: 'Wave 1',
    idSource,
    columns: roles.map((role, index) => ({ index, role: role as ColumnRole, name: t().columns[index].key, label: '', reason: '' })),
  });

  it('needs no ID column with row numbers', () => {
    expect(validatePlan(t(), plan({ kind: 'row-number' }))).toEqual([]);
  });

  it('needs combined columns filled and unique, naming the rows', () => {
    expect(validatePlan(t(), plan({ kind: 'combined', columns: [1] }))).toEqual([
      'Row 5 has nothing in "Email", which identifies respondents. Fill it in, or identify respondents by row number.',
      'Respondent "a@x.org" appears twice in wave "Wave 1" (rows 2 and 4).',
      '"Email" is not different in every row, so it cannot identify respondents. Choose another way, such as the row number.',
    ]);
    expect(validatePlan(t(), plan({ kind: 'combined', columns: [0, 1] }))).toEqual([
      'Row 5 has nothing in "Timestamp" + "Email", which identifies respondents. Fill it in, or identify respondents by row number.',
    ]);
    expect(validatePlan(t(), plan({ kind: 'combined', columns: [] }))).toEqual([
      'Choose the columns that identify respondents, or identify them by row number.',
    ]);
    expect(validatePlan(t(), plan({ kind: 'combined', columns: [7] }))[0]).toBe(
      'The respondent ID uses column 8, which this file does not have. Choose another way to identify respondents.',
    );
  });

  it('uses a column set to ID whatever idSource says (choosing a column as the ID)', () => {
    expect(validatePlan(t(), plan({ kind: 'row-number' }, ['id', 'ignore', 'question']))).toEqual([
      'Respondent "10:01" appears twice in wave "Wave 1" (rows 3 and 4).',
    ]);
  });
});
