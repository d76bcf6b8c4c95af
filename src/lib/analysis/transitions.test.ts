// @vitest-environment node
/** Change between waves split by role on the AIMMS-like study (aimms-fixture.ts), counted by hand. */
import { describe, expect, it } from 'vitest';
import { aimmsAid, aimmsInput } from './aimms-fixture';
import { buildAnalysisIndex } from './analysis-index';
import type { Target } from './targets';
import { transitionPairs, waveTransitions, type TransitionOptions } from './transitions';

const index = buildAnalysisIndex(aimmsInput());
const S: Target = { kind: 'code', codeId: 'S' };
const C: Target = { kind: 'code', codeId: 'C' };
const options: TransitionOptions = { waveA: 'base', waveB: 'm6', coders: { kind: 'all' }, splitBy: 'role' };

describe('waveTransitions', () => {
  const table = waveTransitions(index, [S, C], options);

  it('splits the 27 who answered in both waves (E01–E12, M01–M15) by role', () => {
    expect(table.splitValues).toEqual(['Mentee', 'Mentor']);
    expect(table.splitBy).toBe('role');
    expect(table.rows[0].overall.answeredBoth).toBe(27);
    expect(table.rows[0].groups.map((g) => g.answeredBoth)).toEqual([12, 15]);
  });

  it('Support: mentees kept 3, gained 3, lost 2, never 4; mentors kept 4, gained 3, lost 2, never 6', () => {
    const [mentees, mentors] = table.rows[0].groups;
    expect(mentees).toEqual({ answeredBoth: 12, kept: 3, gained: 3, lost: 2, never: 4 });
    expect(mentors).toEqual({ answeredBoth: 15, kept: 4, gained: 3, lost: 2, never: 6 });
    expect(table.rows[0].overall).toEqual({ answeredBoth: 27, kept: 7, gained: 6, lost: 4, never: 10 });
  });

  it('Career: mentees kept E01 E05 E06, gained E03 E12, lost E11, never the other 6', () => {
    expect(table.rows[1].groups[0]).toEqual({ answeredBoth: 12, kept: 3, gained: 2, lost: 1, never: 6 });
    expect(table.rows[1].label).toBe('Career');
  });

  it('without a split gives the overall figures only', () => {
    const t = waveTransitions(index, [S], { ...options, splitBy: null });
    expect(t.splitValues).toEqual([]);
    expect(t.rows[0].groups).toEqual([]);
    expect(t.rows[0].overall.kept).toBe(7);
  });

  it('puts respondents without a value in a "" group, last', () => {
    const base = aimmsInput();
    const t = waveTransitions(
      buildAnalysisIndex(aimmsInput({ attributeOf: (r, n) => (r === 'M01' && n === 'role' ? '' : base.attributeOf(r, n)) })),
      [S],
      options,
    );
    expect(t.splitValues).toEqual(['Mentee', 'Mentor', '']);
    expect(t.rows[0].groups[2]).toEqual({ answeredBoth: 1, kept: 1, gained: 0, lost: 0, never: 0 });
  });

  it('has nobody to compare for a wave not in scope', () => {
    const t = waveTransitions(index, [S], { ...options, waveB: 'm12' });
    expect(t.splitValues).toEqual([]);
    expect(t.rows[0].overall).toEqual({ answeredBoth: 0, kept: 0, gained: 0, lost: 0, never: 0 });
  });
});

describe('transitionPairs', () => {
  it('kept: the coded answers on both sides, in respondent order', () => {
    const pairs = transitionPairs(index, S, options, 'kept', null);
    expect(pairs.map((p) => p.respondentId)).toEqual(['E01', 'E02', 'E09', 'M01', 'M09', 'M12', 'M15']);
    // E01's Q2 at baseline was coded Time, not Support: only Q1 is shown.
    expect(pairs[0]).toEqual({ respondentId: 'E01', answerIdsA: [aimmsAid('E01', 'Q1', 'base')], answerIdsB: [aimmsAid('E01', 'Q1', 'm6')] });
  });

  it('gained, mentees: every baseline answer next to the coded 6-month one', () => {
    expect(transitionPairs(index, S, options, 'gained', 'Mentee')).toEqual([
      { respondentId: 'E05', answerIdsA: [aimmsAid('E05', 'Q1', 'base'), aimmsAid('E05', 'Q2', 'base')], answerIdsB: [aimmsAid('E05', 'Q1', 'm6')] },
      { respondentId: 'E07', answerIdsA: [aimmsAid('E07', 'Q1', 'base'), aimmsAid('E07', 'Q2', 'base')], answerIdsB: [aimmsAid('E07', 'Q1', 'm6')] },
      { respondentId: 'E10', answerIdsA: [aimmsAid('E10', 'Q1', 'base')], answerIdsB: [aimmsAid('E10', 'Q1', 'm6')] },
    ]);
  });

  it('lost and never, mentors, match the table', () => {
    expect(transitionPairs(index, S, options, 'lost', 'Mentor').map((p) => p.respondentId)).toEqual(['M03', 'M06']);
    const never = transitionPairs(index, S, options, 'never', 'Mentor');
    expect(never.map((p) => p.respondentId)).toEqual(['M04', 'M05', 'M08', 'M10', 'M13', 'M14']);
    expect(never[0]).toEqual({ respondentId: 'M04', answerIdsA: [aimmsAid('M04', 'Q1', 'base')], answerIdsB: [aimmsAid('M04', 'Q1', 'm6')] });
  });

  it('is empty for a split value nobody has', () => {
    expect(transitionPairs(index, S, options, 'kept', 'Staff')).toEqual([]);
  });
});
