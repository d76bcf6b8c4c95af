// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildAnalysisIndex } from './analysis-index';
import type { Target } from './targets';
import { fixtureInput } from './test-fixtures';
import { waveChange, type WaveChangeRow } from './wave-change';

const index = buildAnalysisIndex(fixtureInput());
const TARGETS: Target[] = [
  { kind: 'code', codeId: 'A' },
  { kind: 'code-with-subcodes', codeId: 'A' },
  { kind: 'code', codeId: 'B' },
];
const groups = (r: WaveChangeRow) => [r.onlyA.respondentIds, r.onlyB.respondentIds, r.both.respondentIds, r.neither.respondentIds];

describe('waveChange (hand-counted from test-fixtures)', () => {
  it('splits the respondents who answered in both waves (r1 r2 r4 r5) into four groups', () => {
    const rows = waveChange(index, TARGETS, { waveA: 'w1', waveB: 'w2', coders: { kind: 'all' } });
    expect(rows.map((r) => r.answeredBoth)).toEqual([4, 4, 4]);
    expect(groups(rows[0])).toEqual([['r1'], ['r4'], [], ['r2', 'r5']]);
    expect(groups(rows[1])).toEqual([['r1'], ['r2'], ['r4'], ['r5']]);
    expect(groups(rows[2])).toEqual([['r1', 'r2'], [], ['r5'], ['r4']]);
    expect(rows[2].onlyA.count).toBe(2);
    expect(rows[2].key).toBe('code:B');
  });

  it('follows the coder selection', () => {
    const [b] = waveChange(index, [{ kind: 'code', codeId: 'B' }], { waveA: 'w1', waveB: 'w2', coders: { kind: 'consensus' } });
    expect(groups(b)).toEqual([['r2'], [], [], ['r1', 'r4', 'r5']]);
  });

  it('has nobody to compare for a wave not in scope', () => {
    const [a] = waveChange(index, [TARGETS[0]], { waveA: 'w1', waveB: 'w9', coders: { kind: 'all' } });
    expect(a.answeredBoth).toBe(0);
    expect(groups(a)).toEqual([[], [], [], []]);
  });
});
