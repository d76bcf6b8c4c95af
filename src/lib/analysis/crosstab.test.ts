// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildAnalysisIndex } from './analysis-index';
import { crosstab } from './crosstab';
import type { Target } from './targets';
import { aid, fixtureInput } from './test-fixtures';

const index = buildAnalysisIndex(fixtureInput());
const TARGETS: Target[] = [
  { kind: 'code', codeId: 'A' },
  { kind: 'code-with-subcodes', codeId: 'A' },
  { kind: 'code', codeId: 'B' },
];
const ALL = { kind: 'all' } as const;
const counts = (t: ReturnType<typeof crosstab>) => t.rows.map((r) => [...r.cells.map((c) => c.count), r.total.count]);

describe('crosstab by role (hand-counted from test-fixtures)', () => {
  it('counts respondents per value, with the shares of those who answered', () => {
    const t = crosstab(index, TARGETS, { attribute: 'role', values: ['mentor', 'mentee'], unit: 'respondents', coders: ALL, percentOf: 'answered' });
    expect(t.columns).toEqual([
      { value: 'mentor', answered: 3, mentions: 7, coded: 3 },
      { value: 'mentee', answered: 3, mentions: 5, coded: 3 },
    ]);
    expect(t.total).toEqual({ answered: 6, mentions: 12, coded: 6 });
    expect(counts(t)).toEqual([
      [2, 2, 4], // A: r1 r3 | r4 r6
      [3, 2, 5], // A with A1: r1 r2 r3 | r4 r6
      [2, 1, 3], // B: r1 r2 | r5
    ]);
    expect(t.rows[0].cells[0]).toEqual({ count: 2, base: 3, share: 2 / 3, answerIds: [aid('r1', 'q1', 'w1'), aid('r3', 'q2', 'w1')] });
    expect(t.rows[0].total).toMatchObject({ count: 4, base: 6, share: 4 / 6 });
    // A respondent-unit cell still lists every coded answer behind it: r5 has two.
    expect(t.rows[2].cells[1].answerIds).toEqual([aid('r5', 'q2', 'w1'), aid('r5', 'q2', 'w2')]);
    expect(t.rows[1].total.answerIds).toHaveLength(7);
  });

  it('gives shares of the column total (mentions) that add to 1 per column', () => {
    const t = crosstab(index, TARGETS, { attribute: 'role', values: ['mentor', 'mentee'], unit: 'respondents', coders: ALL, percentOf: 'column-total' });
    expect(t.rows.map((r) => r.cells[0].share)).toEqual([2 / 7, 3 / 7, 2 / 7]);
    expect(t.rows.map((r) => r.cells[1].base)).toEqual([5, 5, 5]);
    expect(t.rows[0].total).toMatchObject({ count: 4, base: 12, share: 4 / 12 });
  });

  it('counts answers when asked', () => {
    const t = crosstab(index, TARGETS, { attribute: 'role', values: ['mentor', 'mentee'], unit: 'answers', coders: ALL, percentOf: 'answered' });
    expect(counts(t)).toEqual([
      [2, 2, 4],
      [4, 3, 7],
      [2, 2, 4],
    ]);
    expect(t.columns).toEqual([
      { value: 'mentor', answered: 8, mentions: 8, coded: 5 },
      { value: 'mentee', answered: 6, mentions: 7, coded: 5 },
    ]);
    expect(t.rows[1].cells[1]).toMatchObject({ base: 6, share: 3 / 6 });
  });

  it('keeps a listed value nobody has as an empty column with null shares', () => {
    const t = crosstab(index, TARGETS, { attribute: 'role', values: ['staff'], unit: 'respondents', coders: { kind: 'consensus' }, percentOf: 'answered' });
    expect(t.columns.map((c) => c.value)).toEqual(['staff', 'mentee', 'mentor']);
    expect(t.rows[0].cells[0]).toEqual({ count: 0, base: 0, share: null, answerIds: [] });
    expect(counts(t)).toEqual([
      [0, 0, 1, 1], // consensus A: #3 (r1)
      [0, 1, 1, 2], // with A1: #12 (r4)
      [0, 0, 1, 1], // B: #7 (r2)
    ]);
  });

  it('puts respondents without a value in the "" column, last', () => {
    const t = crosstab(buildAnalysisIndex(fixtureInput({ attributeOf: (r) => (r === 'r6' ? '' : r < 'r4' ? 'x' : 'y') })), TARGETS, {
      attribute: 'cohort',
      unit: 'respondents',
      coders: ALL,
      percentOf: 'answered',
    });
    expect(t.columns.map((c) => [c.value, c.answered])).toEqual([
      ['x', 3],
      ['y', 2],
      ['', 1],
    ]);
    expect(t.rows[0].cells.map((c) => c.count)).toEqual([2, 1, 1]);
  });
});
