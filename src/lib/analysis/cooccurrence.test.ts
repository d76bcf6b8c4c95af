// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildAnalysisIndex } from './analysis-index';
import { cooccurrence } from './cooccurrence';
import type { Target } from './targets';
import { aid, fixtureInput } from './test-fixtures';

const index = buildAnalysisIndex(fixtureInput());
const CODES: Target[] = ['A', 'A1', 'B'].map((codeId) => ({ kind: 'code', codeId }));
const ALL = { kind: 'all' } as const;
const counts = (m: ReturnType<typeof cooccurrence>) => m.cells.map((row) => row.map((c) => c.count));

describe('cooccurrence (hand-counted from test-fixtures)', () => {
  it('on the same answer: only r1’s q1 w1 answer has two codes', () => {
    const m = cooccurrence(index, CODES, { coders: ALL, level: 'answer', jaccard: true });
    expect(m.keys).toEqual(['code:A', 'code:A1', 'code:B']);
    expect(counts(m)).toEqual([
      [4, 0, 1],
      [0, 3, 0],
      [1, 0, 4],
    ]);
    expect(m.cells[0][2].ids).toEqual([aid('r1', 'q1', 'w1')]);
    expect(m.cells[0][2].jaccard).toBe(1 / 7);
    expect(m.cells[0][1].jaccard).toBe(0);
    expect(m.cells[1][1].jaccard).toBe(1);
    expect(m.cells[2][0]).toBe(m.cells[0][2]);
  });

  it('for the same respondent, across their answers', () => {
    const m = cooccurrence(index, CODES, { coders: ALL, level: 'respondent', jaccard: true });
    expect(counts(m)).toEqual([
      [4, 2, 1], // A: r1 r3 r4 r6; with A1: r1 r4; with B: r1
      [2, 3, 2], // A1: r1 r2 r4; with B: r1 r2
      [1, 2, 3], // B: r1 r2 r5
    ]);
    expect(m.cells[0][1].ids).toEqual(['r1', 'r4']);
    expect(m.cells[1][2].ids).toEqual(['r1', 'r2']);
    expect(m.cells[0][0].ids).toEqual(['r1', 'r3', 'r4', 'r6']);
    expect([m.cells[0][1].jaccard, m.cells[0][2].jaccard, m.cells[1][2].jaccard]).toEqual([2 / 5, 1 / 6, 2 / 4]);
  });

  it('leaves Jaccard out unless asked, and gives null for two targets nobody coded', () => {
    expect(cooccurrence(index, CODES, { coders: ALL, level: 'answer' }).cells[0][2].jaccard).toBeNull();
    const none: Target[] = [
      { kind: 'code', codeId: 'x' },
      { kind: 'code', codeId: 'y' },
    ];
    expect(cooccurrence(index, none, { coders: ALL, level: 'answer', jaccard: true }).cells[0][1]).toEqual({ count: 0, ids: [], jaccard: null });
  });
});
