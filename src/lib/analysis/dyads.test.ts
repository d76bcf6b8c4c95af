// @vitest-environment node
/** Pair concordance on the AIMMS-like study (aimms-fixture.ts), counted pair by pair by hand in the comments. */
import { describe, expect, it } from 'vitest';
import { aimmsAid, aimmsInput } from './aimms-fixture';
import { buildAnalysisIndex } from './analysis-index';
import { dyadCellAnswers, pairConcordance, type DyadOptions } from './dyads';
import type { Target } from './targets';

const index = buildAnalysisIndex(aimmsInput());
const S: Target = { kind: 'code', codeId: 'S' };
const C: Target = { kind: 'code', codeId: 'C' };
const options: DyadOptions = { groupAttribute: 'pair', roleAttribute: 'role', coders: { kind: 'all' } };

describe('pairConcordance', () => {
  const table = pairConcordance(index, [S, C], options);

  it('counts 16 pairs, Pair 17 as a singleton (its mentee never answered) and X01 without a pair', () => {
    expect(table.groups).toBe(16);
    expect(table.singletons).toBe(1);
    expect(table.withoutGroup).toBe(1);
    expect(table.roles).toEqual(['Mentee', 'Mentor']);
    expect(table.roleAttribute).toBe('role');
  });

  it('Support: both in pairs 1 2 3 7 9 16, mentee only 4 5 10 13, mentor only 6 11 12 15, neither 8 14', () => {
    const s = table.rows[0];
    expect(s.key).toBe('code:S');
    expect(s.roles).toEqual({ both: 6, onlyA: 4, onlyB: 4, neither: 2, pairs: 16 });
    // A pair is two people: all = both, none = neither.
    expect([s.groups, s.all, s.some, s.none]).toEqual([16, 6, 8, 2]);
  });

  it('Career: both in pair 3, mentee only 1 5 6 11 12 14, mentor only 4 7 8 10 13, neither 2 9 15 16', () => {
    const c = table.rows[1];
    expect(c.roles).toEqual({ both: 1, onlyA: 6, onlyB: 5, neither: 4, pairs: 16 });
    expect([c.all, c.some, c.none]).toEqual([1, 11, 4]);
  });

  it('without a role attribute gives all / some / none only', () => {
    const t = pairConcordance(index, [S], { ...options, roleAttribute: null });
    expect(t.roles).toBeNull();
    expect(t.rows[0].roles).toBeNull();
    expect([t.rows[0].all, t.rows[0].some, t.rows[0].none]).toEqual([6, 8, 2]);
  });

  it('has no roles when the role attribute has fewer than two values', () => {
    const t = pairConcordance(index, [S], { ...options, roleAttribute: 'nothing' });
    expect(t.roles).toBeNull();
    expect(t.rows[0].roles).toBeNull();
  });

  it('counts members, not waves: with baseline only, Pair 16 (mentor M16 answered at 6 months only) is a singleton', () => {
    const base = aimmsInput();
    const baseline = buildAnalysisIndex(aimmsInput({ answers: [...base.answers].filter((a) => a.waveId === 'base') }));
    const t = pairConcordance(baseline, [S], options);
    expect([t.groups, t.singletons, t.withoutGroup]).toEqual([15, 2, 1]);
    // Baseline Support: both 1 3 9, mentee only 2 4 13, mentor only 6 12 15, neither 5 7 8 10 11 14.
    expect(t.rows[0].roles).toEqual({ both: 3, onlyA: 3, onlyB: 3, neither: 6, pairs: 15 });
  });

  it('takes the two most frequent roles, and counts a third role in all/some/none only', () => {
    const base = aimmsInput();
    // E01 becomes "Observer": Pair 1 has no mentee any more, so it is not a pair, but still a group.
    const t = pairConcordance(
      buildAnalysisIndex(aimmsInput({ attributeOf: (r, n) => (r === 'E01' && n === 'role' ? 'Observer' : base.attributeOf(r, n)) })),
      [S],
      options,
    );
    expect(t.roles).toEqual(['Mentee', 'Mentor']);
    expect(t.rows[0].roles!.pairs).toBe(15);
    expect(t.rows[0].groups).toBe(16);
  });

  it('is empty for an empty scope', () => {
    const t = pairConcordance(buildAnalysisIndex(aimmsInput({ answers: [] })), [S], options);
    expect([t.groups, t.singletons, t.withoutGroup, t.roles]).toEqual([0, 0, 0, null]);
    expect(t.rows[0]).toMatchObject({ groups: 0, all: 0, some: 0, none: 0, roles: null });
  });
});

describe('dyadCellAnswers', () => {
  it('opens "neither": every answer of pairs 8 and 14, in answer order (none is coded)', () => {
    expect(dyadCellAnswers(index, S, options, 'neither')).toEqual([
      aimmsAid('E08', 'Q1', 'base'),
      aimmsAid('E14', 'Q1', 'base'),
      aimmsAid('M08', 'Q1', 'base'),
      aimmsAid('M14', 'Q1', 'base'),
      aimmsAid('E08', 'Q1', 'm6'),
      aimmsAid('M08', 'Q1', 'm6'),
      aimmsAid('M14', 'Q1', 'm6'),
    ]);
  });

  it('opens "onlyB" (mentor only): the coded answers first, then the rest of pairs 6 11 12 15', () => {
    const ids = dyadCellAnswers(index, S, options, 'onlyB');
    expect(ids.slice(0, 6)).toEqual([
      aimmsAid('M06', 'Q1', 'base'),
      aimmsAid('M12', 'Q1', 'base'),
      aimmsAid('M15', 'Q1', 'base'),
      aimmsAid('M11', 'Q1', 'm6'),
      aimmsAid('M12', 'Q1', 'm6'),
      aimmsAid('M15', 'Q1', 'm6'),
    ]);
    // Q1 in both waves for E06 E12 M06 M11 M12 M15 (12), E11 also Q2 (3), E15 Q1 and Q2 at baseline only (2): 17.
    expect(ids).toHaveLength(17);
    expect(new Set(ids).size).toBe(17);
  });

  it('opens "all" and "both" alike for pairs', () => {
    expect(dyadCellAnswers(index, S, options, 'all')).toEqual(dyadCellAnswers(index, S, options, 'both'));
  });

  it('gives nothing for a cell no group falls in', () => {
    expect(dyadCellAnswers(index, S, { ...options, roleAttribute: null }, 'both')).toEqual([]);
  });
});
