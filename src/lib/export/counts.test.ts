// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { coOccurrence, codeCounts, countsByGroup, NO_VALUE, themeAnswerCount } from './counts';
import { sampleSource } from './test-data';

describe('counts', () => {
  it('counts codings, answers and respondents per code, optionally rolling subcodes up', () => {
    const own = codeCounts(sampleSource());
    expect(own.get('rewards-mentor')).toEqual({ codings: 2, answers: 1, respondents: 1 });
    expect(own.get('rewards')).toEqual({ codings: 1, answers: 1, respondents: 1 });
    const rolled = codeCounts(sampleSource(), { includeSubcodes: true });
    expect(rolled.get('rewards')).toEqual({ codings: 4, answers: 3, respondents: 2 });
    expect(codeCounts(sampleSource(), { coder: 'consensus' }).get('barriers')).toEqual({ codings: 1, answers: 1, respondents: 1 });
    // 'any' coder leaves the consensus coder out: its codings copy the coders'.
    expect(codeCounts(sampleSource()).get('barriers')).toBeUndefined();
  });

  it('counts a theme by the answers coded with any of its codes', () => {
    const source = sampleSource();
    const growth = source.themes!.find((t) => t.id === 't1')!;
    expect(themeAnswerCount(source, growth)).toEqual({ numerator: 3, denominator: 5 });
    expect(themeAnswerCount(source, { ...growth, withSubcodes: false })).toEqual({ numerator: 1, denominator: 5 });
    expect(themeAnswerCount(source, growth, { questionIds: ['q-barriers'] })).toEqual({ numerator: 0, denominator: 2 });
  });

  it('tabulates answers coded by attribute group, with a group for no value', () => {
    const table = countsByGroup(sampleSource(), { attribute: 'role' }, { includeSubcodes: true });
    expect(table.groups).toEqual(['mentee', 'mentor', NO_VALUE]);
    expect(table.rows[0]).toEqual({
      label: 'Rewards',
      cells: [
        { numerator: 2, denominator: 3 },
        { numerator: 1, denominator: 1 },
        { numerator: 0, denominator: 1 },
      ],
    });
    expect(table.note).toContain('subcodes');
  });

  it('tabulates by wave or question, for chosen codes', () => {
    const byWave = countsByGroup(sampleSource(), 'wave', { codeIds: ['rewards-career', 'barriers-time'] });
    expect(byWave.groups).toEqual(['Baseline', '6 months']);
    expect(byWave.rows.map((r) => [r.label, r.cells.map((c) => `${c.numerator}/${c.denominator}`)])).toEqual([
      ['Rewards › Career', ['0/4', '1/1']],
      ['Barriers › Time', ['1/4', '0/1']],
    ]);
    expect(countsByGroup(sampleSource(), 'question').groups).toEqual(['Rewards', 'Barriers']);
  });

  it('counts co-occurrence per pair of codes, with each code on the diagonal', () => {
    const { labels, matrix } = coOccurrence(sampleSource(), ['rewards', 'barriers-time', 'rewards-mentor']);
    expect(labels).toEqual(['Rewards', 'Barriers › Time', 'Rewards › Mentor <script>alert(1)</script>']);
    expect(matrix).toEqual([
      [1, 1, 0],
      [1, 1, 0],
      [0, 0, 1],
    ]);
  });
});
