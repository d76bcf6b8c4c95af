import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildBatch } from './build-batch';
import { ImportError, type ColumnPlan, type ColumnRole, type ImportBatch, type ImportPlan, type RespondentIdSource, type SourceTable } from './types';

function table(header: string[], rows: string[][]): SourceTable {
  return {
    fileName: 'f.csv',
    format: 'generic',
    encoding: 'utf-8',
    columns: header.map((key, index) => ({ index, key, label: key })),
    rows,
    firstRowNumber: 2,
    notes: [],
  };
}

function plan(roles: ColumnRole[], waveName = 'Baseline', names?: string[]): ImportPlan {
  return {
    waveName,
    columns: roles.map((role, index): ColumnPlan => ({ index, role, name: names?.[index] ?? `c${index}`, label: `Label ${index}`, reason: '' })),
  };
}

describe('buildBatch', () => {
  it('trims IDs and attributes, keeps answers exactly, skips blank answers', () => {
    const t = table(
      ['id', 'role', 'q1', 'q2'],
      [
        ['  E01 ', ' mentee ', '  Leading spaces kept.\r\nSecond line ', 'N/A'],
        ['E02', 'mentor', ' \t ', ''],
      ],
    );
    const batch = buildBatch(t, plan(['id', 'attribute', 'question', 'question']));
    expect(batch).toEqual({
      waves: [{ name: 'Baseline', rowCount: 2 }],
      questions: [
        { key: 'c2', label: 'Label 2', text: 'Label 2' },
        { key: 'c3', label: 'Label 3', text: 'Label 3' },
      ],
      attributes: ['c1'],
      // c1 is not the column's own key ('role'): a name typed in the preview, so no label.
      attributeLabels: {},
      respondents: [
        { id: 'E01', attributes: { c1: 'mentee' }, waves: ['Baseline'] },
        { id: 'E02', attributes: { c1: 'mentor' }, waves: ['Baseline'] },
      ],
      answers: [
        { questionKey: 'c2', waveName: 'Baseline', respondentIds: ['E01'], texts: ['  Leading spaces kept.\nSecond line '] },
        { questionKey: 'c3', waveName: 'Baseline', respondentIds: ['E01'], texts: ['N/A'] },
      ],
      blankAnswerCount: 2,
    } satisfies ImportBatch);
  });

  it('labels an attribute by its column label while its name is the column key, not once it is renamed', () => {
    const t = { ...table(['id', 'role', 'Q1', 'pair', 'q'], [['1', 'mentee', 'Woman', 'pair 1', 'answer']]) };
    t.columns = t.columns.map((c) => ({ ...c, label: { role: 'Role', Q1: 'Gender', pair: 'pair' }[c.key] ?? c.label }));
    const columns: ColumnPlan[] = [
      { index: 0, role: 'id', name: 'id', label: 'id', reason: '' },
      { index: 1, role: 'attribute', name: 'Job', label: 'Role', reason: '' },
      { index: 2, role: 'attribute', name: 'Q1', label: 'Gender', reason: '' },
      { index: 3, role: 'attribute', name: 'pair', label: 'pair', reason: '' },
      { index: 4, role: 'question', name: 'q', label: 'q', reason: '' },
    ];
    const batch = buildBatch(t, { waveName: 'Baseline', columns });
    expect(batch.attributes).toEqual(['Job', 'Q1', 'pair']);
    expect({ ...batch.attributeLabels }).toEqual({ Q1: 'Gender' });
  });

  it('keeps attribute columns named like Object.prototype members as ordinary attributes', () => {
    const t = table(
      ['id', '__proto__', 'constructor', 'toString', 'q'],
      [
        ['1', 'x', 'y', '', 'answer'],
        ['2', '', 'z', 'w', 'answer'],
      ],
    );
    const p = plan(['id', 'attribute', 'attribute', 'attribute', 'question'], 'W', ['id', '__proto__', 'constructor', 'toString', 'q']);
    const batch = buildBatch(t, p);
    expect(batch.attributes).toEqual(['__proto__', 'constructor', 'toString']);
    expect(batch.respondents.map((r) => Object.entries(r.attributes))).toEqual([
      [
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ],
      [
        ['constructor', 'z'],
        ['toString', 'w'],
      ],
    ]);
  });

  it('keeps column order for questions and attributes whatever the plan order', () => {
    const t = table(['id', 'b', 'a', 'q2', 'q1'], [['1', 'x', 'y', 'two', 'one']]);
    const p = plan(['id', 'attribute', 'attribute', 'question', 'question'], 'W', ['id', 'B', 'A', 'Q2', 'Q1']);
    p.columns.reverse();
    const batch = buildBatch(t, p);
    expect(batch.attributes).toEqual(['B', 'A']);
    expect(batch.questions.map((q) => q.key)).toEqual(['Q2', 'Q1']);
  });

  it('deduplicates respondents across waves, taking each attribute from the first row that has it', () => {
    const t = table(
      ['id', 'wave', 'site', 'team', 'q'],
      [
        ['A', 'Baseline', '', 'red', 'a1'],
        ['B', 'Baseline', 'York', '', 'b1'],
        ['A', '6 months', 'Leeds', 'blue', ''],
        ['B', '6 months', 'Hull', '', 'b2'],
      ],
    );
    const batch = buildBatch(t, plan(['id', 'wave', 'attribute', 'attribute', 'question'], 'ignored', ['id', 'wave', 'site', 'team', 'q']));
    expect(batch.waves).toEqual([
      { name: 'Baseline', rowCount: 2 },
      { name: '6 months', rowCount: 2 },
    ]);
    expect(batch.respondents).toEqual([
      { id: 'A', attributes: { site: 'Leeds', team: 'red' }, waves: ['Baseline', '6 months'] },
      { id: 'B', attributes: { site: 'York' }, waves: ['Baseline', '6 months'] },
    ]);
    expect(batch.answers).toEqual([
      { questionKey: 'q', waveName: 'Baseline', respondentIds: ['A', 'B'], texts: ['a1', 'b1'] },
      { questionKey: 'q', waveName: '6 months', respondentIds: ['B'], texts: ['b2'] },
    ]);
    expect(batch.blankAnswerCount).toBe(1);
  });

  it('throws an ImportError listing every problem when the plan is not valid', () => {
    const t = table(
      ['id', 'q'],
      [
        ['A', 'x'],
        ['A', 'y'],
        ['', 'z'],
      ],
    );
    expect(() => buildBatch(t, plan(['id', 'question']))).toThrow(ImportError);
    expect(() => buildBatch(t, plan(['id', 'question']))).toThrow(
      'Row 4 has no respondent ID. Fill it in (or delete the row) and import again.\n' + 'Respondent "A" appears twice in wave "Baseline" (rows 2 and 3).',
    );
  });

  it('handles 10k rows × 8 questions in one pass', () => {
    // 100k rows are timed in the bench (npm run bench), not here: a unit test must not depend on the machine's speed.
    const rows = Array.from({ length: 10_000 }, (_, r) => [
      `R${r}`,
      r % 2 ? 'student' : 'staff',
      ...Array.from({ length: 8 }, (_, q) => ((r + q) % 10 === 0 ? '' : `Answer ${r}/${q}: something worth coding.`)),
    ]);
    const t = table(['id', 'role', ...Array.from({ length: 8 }, (_, q) => `Q${q + 1}`)], rows);
    const batch = buildBatch(t, plan(['id', 'attribute', ...Array<ColumnRole>(8).fill('question')]));
    expect(batch.respondents).toHaveLength(10_000);
    expect(batch.answers.reduce((n, g) => n + g.texts.length, 0)).toBe(72_000);
    expect(batch.blankAnswerCount).toBe(8_000);
  });

  it('property: stored answers + blank answers = rows × questions, one respondent per ID', () => {
    const cell = fc.constantFrom('', ' ', '\t\n', 'yes', 'N/A', ' padded ', 'line\r\nbreak', 'x');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'), fc.constantFrom('W1', 'W2')), { minLength: 1, maxLength: 12 }),
        fc.array(cell, { minLength: 48, maxLength: 48 }),
        (questionCount, keys, cells) => {
          // Unique (wave, id) pairs: a valid plan has no duplicates within a wave.
          const pairs = [...new Map(keys.map((k) => [k.join('|'), k])).values()];
          const rows = pairs.map(([id, wave], r) => [id, wave, ...Array.from({ length: questionCount }, (_, q) => cells[(r * 4 + q) % 48])]);
          const t = table(['id', 'wave', ...Array.from({ length: questionCount }, (_, q) => `q${q}`)], rows);
          const batch = buildBatch(t, plan(['id', 'wave', ...Array<ColumnRole>(questionCount).fill('question')]));
          const stored = batch.answers.reduce((n, g) => n + g.texts.length, 0);
          expect(stored + batch.blankAnswerCount).toBe(rows.length * questionCount);
          expect(batch.respondents.map((r) => r.id).sort()).toEqual([...new Set(pairs.map(([id]) => id))].sort());
          expect(batch.waves.reduce((n, w) => n + w.rowCount, 0)).toBe(rows.length);
          for (const group of batch.answers) {
            expect(group.texts.every((text) => text.trim() !== '' && !text.includes('\r'))).toBe(true);
            expect(group.respondentIds).toHaveLength(group.texts.length);
          }
        },
      ),
    );
  });
});

describe('buildBatch: respondent IDs and unfinished responses', () => {
  const forms = () => {
    const t = table(
      ['Timestamp', 'Email', 'answer'],
      [
        ['10:00', 'a@x.org', 'First answer'],
        ['10:01', 'b@x.org', ''],
        ['10:01', 'c@x.org', 'Third answer'],
      ],
    );
    t.rowNumbers = [2, 3, 5];
    return t;
  };
  const withSource = (idSource: ImportPlan['idSource'], extra: Partial<ImportPlan> = {}): ImportPlan => ({
    ...plan(['attribute', 'ignore', 'question'], 'Baseline', ['Time', 'Email', 'answer']),
    idSource,
    ...extra,
  });

  it('names respondents "Row N" after their spreadsheet row, with no ID column', () => {
    const batch = buildBatch(forms(), withSource({ kind: 'row-number' }));
    expect(batch.respondents.map((r) => r.id)).toEqual(['Row 2', 'Row 3', 'Row 5']);
    expect(batch.respondents[2].attributes).toEqual({ Time: '10:01' });
    expect(batch.answers).toEqual([
      { questionKey: 'answer', waveName: 'Baseline', respondentIds: ['Row 2', 'Row 5'], texts: ['First answer', 'Third answer'] },
    ]);
  });

  it('joins the trimmed values of combined columns, and takes one column as it is', () => {
    const t = forms();
    t.rows[0][1] = '  a@x.org ';
    expect(buildBatch(t, withSource({ kind: 'combined', columns: [1] })).respondents.map((r) => r.id)).toEqual(['a@x.org', 'b@x.org', 'c@x.org']);
    expect(buildBatch(t, withSource({ kind: 'combined', columns: [0, 1] })).respondents.map((r) => r.id)).toEqual([
      '10:00 · a@x.org',
      '10:01 · b@x.org',
      '10:01 · c@x.org',
    ]);
  });

  it('refuses a combined ID that repeats, naming the rows', () => {
    expect(() => buildBatch(forms(), withSource({ kind: 'combined', columns: [0] }))).toThrow(
      /Respondent "10:01" appears twice in wave "Baseline" \(rows 3 and 5\)/,
    );
  });

  it('leaves out unfinished responses when told to: not respondents, not blanks, not duplicates', () => {
    const t = forms();
    t.rows[1][1] = 'a@x.org'; // a second, unfinished attempt by the same person
    t.incomplete = { rowIndexes: [1], columnKey: 'submitdate', rule: 'no submit date' };
    const source: RespondentIdSource = { kind: 'combined', columns: [1] };
    expect(() => buildBatch(t, withSource(source, { keepIncomplete: true }))).toThrow(ImportError);
    const batch = buildBatch(t, withSource(source, { keepIncomplete: false }));
    expect(batch.respondents.map((r) => r.id)).toEqual(['a@x.org', 'c@x.org']);
    expect(batch.waves).toEqual([{ name: 'Baseline', rowCount: 2 }]);
    expect(batch.blankAnswerCount).toBe(0);
    // Kept (the default), the unfinished row counts like any other.
    t.rows[1][1] = 'b@x.org';
    const kept = buildBatch(t, withSource(source));
    expect(kept.respondents).toHaveLength(3);
    expect(kept.blankAnswerCount).toBe(1);
  });
});
