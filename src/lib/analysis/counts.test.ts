// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildAnalysisIndex } from './analysis-index';
import { countTargets, type CountRow } from './counts';
import { codeTargets, themeTargets, type Target } from './targets';
import { aid, CODES, CODINGS, CONSENSUS, fixtureInput, THEMES } from './test-fixtures';
import { finalCodings } from '../coding/final-set';
import { FINAL_CODER_ID } from '../model/types';

const index = buildAnalysisIndex(fixtureInput());
const A: Target = { kind: 'code', codeId: 'A' };
const A1: Target = { kind: 'code', codeId: 'A1' };
const A_SUB: Target = { kind: 'code-with-subcodes', codeId: 'A' };
const B: Target = { kind: 'code', codeId: 'B' };
const T: Target = { kind: 'theme', themeId: 'T' };
const T2: Target = { kind: 'theme', themeId: 'T2' };
const ALL = { kind: 'all' } as const;

/** [answers coded, respondents coded, spans, codings, answers in scope, respondents answered] */
type Figures = [number, number, number, number, number, number];
const figures = (r: CountRow): Figures => [r.answersCoded, r.respondentsCoded, r.spansCoded, r.codingsTotal, r.answersInScope, r.respondentsAnswered];

describe('countTargets overall (hand-counted from test-fixtures)', () => {
  it('counts every kind of target for any of c1 and c2', () => {
    const rows = countTargets(index, [A, A1, A_SUB, B, T, T2], { coders: ALL });
    expect(rows.map((r) => r.breakdown)).toEqual(Array(6).fill('overall'));
    expect(rows.map(figures)).toEqual([
      [4, 4, 1, 5, 14, 6], // A: #1 #2 #9 #13 #16 (#17 is on an answer not in scope)
      [3, 3, 4, 4, 14, 6], // A1: #4 #8 #10 #11
      [7, 5, 5, 9, 14, 6], // A with A1
      [4, 3, 1, 5, 14, 6], // B: #5 #6 #14 #15 #18
      [10, 6, 6, 14, 14, 6], // T = A, A1, B: r1 q1 w1 has both A and B
      [7, 6, 2, 10, 14, 6], // T2 = A, B
    ]);
    expect(rows[0]).toMatchObject({ key: 'code:A', label: 'Code A', answerShare: 4 / 14, respondentShare: 4 / 6 });
    expect(rows[2]).toMatchObject({ key: 'code+sub:A', label: 'Code A (with subcodes)', name: 'Code A' });
    expect(rows[4]).toMatchObject({ key: 'theme:T', label: 'Theme T', respondentShare: 1 });
  });

  it('counts one coder, the consensus, or a listed set of coders', () => {
    const one = (coders: Parameters<typeof countTargets>[2]['coders'], t: Target) => figures(countTargets(index, [t], { coders })[0]);
    expect(one({ kind: 'coder', coderId: 'c1' }, A)).toEqual([2, 2, 0, 2, 14, 6]);
    expect(one({ kind: 'coder', coderId: 'c2' }, A)).toEqual([3, 3, 1, 3, 14, 6]);
    expect(one({ kind: 'consensus' }, A)).toEqual([1, 1, 0, 1, 14, 6]);
    expect(one({ kind: 'consensus' }, B)).toEqual([1, 1, 0, 1, 14, 6]);
    expect(one({ kind: 'consensus' }, T)).toEqual([3, 3, 1, 3, 14, 6]); // #3 #7 #12
    expect(one({ kind: 'all', coderIds: ['c1'] }, A)).toEqual([2, 2, 0, 2, 14, 6]);
    // Listing consensus with c1 adds #3, on an answer c1 already coded.
    expect(one({ kind: 'all', coderIds: ['c1', 'consensus'] }, A)).toEqual([2, 2, 0, 3, 14, 6]);
    expect(one({ kind: 'coder', coderId: 'nobody' }, A)).toEqual([0, 0, 0, 0, 14, 6]);
  });
});

describe('countTargets breakdowns', () => {
  it('by attribute: each value with its own denominators', () => {
    const rows = countTargets(index, [A], { coders: ALL, breakdowns: [{ kind: 'attribute', name: 'role' }] });
    const [, mentee, mentor] = rows;
    // Values in natural order: mentee before mentor.
    expect(rows.map((r) => r.group)).toEqual([null, 'mentee', 'mentor']);
    expect(mentor).toMatchObject({ breakdown: 'attribute', attribute: 'role' });
    expect(figures(mentor)).toEqual([2, 2, 1, 3, 8, 3]);
    expect(figures(mentee)).toEqual([2, 2, 0, 2, 6, 3]);
    expect(mentor.respondentShare).toBe(2 / 3);
  });

  it('by wave and by question: a respondent counts once in each group they were coded in', () => {
    const rows = countTargets(index, [A_SUB], { coders: ALL, breakdowns: [{ kind: 'wave' }, { kind: 'question' }] });
    expect(rows.map((r) => [r.breakdown, r.group])).toEqual([
      ['overall', null],
      ['wave', 'w1'],
      ['wave', 'w2'],
      ['question', 'q1'],
      ['question', 'q2'],
    ]);
    expect(figures(rows[1])).toEqual([4, 3, 4, 6, 7, 5]); // w1: r1 twice (q1 and q2), r3, r4
    expect(figures(rows[2])).toEqual([3, 3, 1, 3, 7, 5]);
    expect(figures(rows[3])).toEqual([4, 4, 4, 6, 8, 5]);
    expect(figures(rows[4])).toEqual([3, 3, 1, 3, 6, 4]);
  });

  it('by coder: every coder and the consensus, against the overall denominators', () => {
    const rows = countTargets(index, [A_SUB], { coders: ALL, breakdowns: [{ kind: 'coder' }] });
    expect(rows.slice(1).map((r) => [r.group, ...figures(r)])).toEqual([
      ['c1', 4, 2, 3, 5, 14, 6],
      ['c2', 4, 4, 2, 4, 14, 6],
      ['consensus', 2, 2, 1, 2, 14, 6],
    ]);
  });

  it('keeps listed attribute values nobody has, with null shares rather than NaN', () => {
    const rows = countTargets(index, [A], { coders: ALL, breakdowns: [{ kind: 'attribute', name: 'role', values: ['mentor', 'staff'] }] });
    expect(rows.map((r) => r.group)).toEqual([null, 'mentor', 'staff', 'mentee']);
    expect(rows[2]).toMatchObject({ answersCoded: 0, answersInScope: 0, answerShare: null, respondentShare: null });
  });

  it('gives null shares on an empty scope', () => {
    const empty = buildAnalysisIndex(fixtureInput({ answers: [] }));
    const [row] = countTargets(empty, [A], { coders: ALL });
    expect(figures(row)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(row.answerShare).toBeNull();
    expect(row.respondentShare).toBeNull();
  });
});

describe('targets', () => {
  it('lists codes in tree order, with subcodes where a code has them', () => {
    expect(codeTargets(CODES)).toEqual([A, A1, B]);
    expect(codeTargets(CODES, true)).toEqual([A_SUB, A1, B]);
    expect(themeTargets([...THEMES].reverse())).toEqual([T, T2]);
  });

  it('counts codes and themes no longer in the project by id (or as empty)', () => {
    const codings = [...fixtureInput().codings].map((c) => (c.codeId === 'B' ? { ...c, codeId: 'gone' } : c));
    const withoutB = buildAnalysisIndex(fixtureInput({ codings }));
    const [gone, theme] = countTargets(
      withoutB,
      [
        { kind: 'code', codeId: 'gone' },
        { kind: 'theme', themeId: 'nope' },
      ],
      { coders: ALL },
    );
    expect(gone).toMatchObject({ label: 'gone', answersCoded: 4 });
    expect(theme).toMatchObject({ label: 'nope', answersCoded: 0 });
  });
});

describe('countTargets over the Final set', () => {
  const finalIndex = (extra: Parameters<typeof finalCodings<(typeof CODINGS)[number]>>[0]['resolutions'], consensus: typeof CODINGS = []) => {
    const codings = [...CODINGS, ...consensus];
    const final = finalCodings({ codings, resolutions: extra, rounds: [], coderIds: ['c1', 'c2', CONSENSUS] }).codings;
    return buildAnalysisIndex(fixtureInput({ codings: [...codings, ...final], coderIds: ['c1', 'c2', CONSENSUS, FINAL_CODER_ID] }));
  };
  const answersCoded = (index: ReturnType<typeof buildAnalysisIndex>, coders: Parameters<typeof countTargets>[2]['coders']) =>
    [A, A1, B].map((t) => countTargets(index, [t], { coders })[0].answersCoded);

  it('counts the Final codings alone; all coders together leaves them out', () => {
    const index = finalIndex([]);
    // r1 q1 w1: c1 and c2 agree on A; B is c2's only and not adjudicated, so it follows c1 (the primary): no B.
    expect(answersCoded(index, { kind: 'final' })).toEqual([4, 3, 3]);
    expect(answersCoded(index, ALL)).toEqual([4, 3, 4]);
  });

  it('takes an adjudicated decision from the consensus codings', () => {
    const r1 = aid('r1', 'q1', 'w1');
    const index = finalIndex([{ answerId: r1, coderIds: ['c1', 'c2'], codeIds: ['A', 'B'] }], [{ ...CODINGS[17], id: 'kB', coderId: CONSENSUS }]);
    expect(answersCoded(index, { kind: 'final' })).toEqual([4, 3, 4]);
  });
});
