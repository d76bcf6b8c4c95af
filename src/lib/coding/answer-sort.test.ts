import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ANSWER_SORTS, isAnswerSort, respondentRanks, sortPositions, type AnswerSort, type SortInput } from './answer-sort';

const input: SortInput = {
  respondentIds: ['R10', 'R2', 'R1', 'R2', 'r3'],
  waveIds: ['w2', 'w1', 'w2', 'w2', 'w1'],
  texts: ['ccc', 'a', 'bbbbb', 'dd', 'eeee'],
  waveOrder: new Map([
    ['w1', 0],
    ['w2', 1],
  ]),
  isCoded: (p) => p === 1 || p === 3,
};
const all = [0, 1, 2, 3, 4];

describe('sortPositions', () => {
  it('orders respondent ids naturally, ties (one respondent, two waves) in file order', () => {
    expect(sortPositions(all, 'respondent', input)).toEqual([2, 1, 3, 4, 0]);
  });

  it('orders by the project’s wave order', () => {
    expect(sortPositions(all, 'wave', input)).toEqual([1, 4, 0, 2, 3]);
  });

  it('orders by length both ways', () => {
    expect(sortPositions(all, 'shortest', input)).toEqual([1, 3, 0, 4, 2]);
    expect(sortPositions(all, 'longest', input)).toEqual([2, 4, 0, 3, 1]);
  });

  it('puts coded or uncoded answers first, each group in file order', () => {
    expect(sortPositions(all, 'coded', input)).toEqual([1, 3, 0, 2, 4]);
    expect(sortPositions(all, 'uncoded', input)).toEqual([0, 2, 4, 1, 3]);
  });

  it('sorts only the positions given (a filtered list) and leaves file order alone', () => {
    expect(sortPositions([0, 2, 4], 'shortest', input)).toEqual([0, 4, 2]);
    const given = [3, 1];
    expect(sortPositions(given, 'file', input)).toBe(given);
  });

  it('is a stable permutation for every order: ties keep their file order', () => {
    const sorts = ANSWER_SORTS.map((s) => s.id);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.constantFrom('A1', 'A2', 'A10', 'b', 'B'),
            wave: fc.constantFrom('x', 'y'),
            text: fc.string({ maxLength: 4 }),
            coded: fc.boolean(),
            queued: fc.nat({ max: 5 }),
          }),
        ),
        fc.constantFrom(...sorts),
        (rows, sort: AnswerSort) => {
          const data: SortInput = {
            respondentIds: rows.map((r) => r.id),
            waveIds: rows.map((r) => r.wave),
            texts: rows.map((r) => r.text),
            waveOrder: new Map([
              ['y', 0],
              ['x', 1],
            ]),
            isCoded: (p) => rows[p].coded,
            queueRank: Uint32Array.from(rows.map((r) => r.queued)),
          };
          const positions = rows.map((_, i) => i).filter((i) => i % 3 !== 1);
          const sorted = sortPositions(positions, sort, data);
          expect([...sorted].sort((a, b) => a - b)).toEqual(positions);
          const key = (p: number): number | string =>
            ({
              file: 0,
              respondent: respondentRanks(data.respondentIds)[p],
              wave: rows[p].wave === 'y' ? 0 : 1,
              shortest: rows[p].text.length,
              longest: -rows[p].text.length,
              coded: rows[p].coded ? 0 : 1,
              uncoded: rows[p].coded ? 1 : 0,
              next: rows[p].queued,
            })[sort];
          for (let i = 1; i < sorted.length; i++) {
            const [a, b] = [key(sorted[i - 1]), key(sorted[i])];
            expect(a <= b).toBe(true);
            if (a === b) expect(sorted[i - 1]).toBeLessThan(sorted[i]);
          }
        },
      ),
    );
  });

  it('sorts 100k answers by respondent id (ranks cached) without building objects per answer', () => {
    const n = 100_000;
    const respondentIds = Array.from({ length: n }, (_, i) => `R${(i * 7919) % n}`);
    const data: SortInput = { respondentIds, waveIds: respondentIds.map(() => 'w'), texts: respondentIds, respondentRank: respondentRanks(respondentIds) };
    const sorted = sortPositions(
      Array.from({ length: n }, (_, i) => i),
      'respondent',
      data,
    );
    expect(respondentIds[sorted[0]]).toBe('R0');
    expect(respondentIds[sorted[2]]).toBe('R2');
    expect(respondentIds[sorted[10]]).toBe('R10');
    expect(respondentIds[sorted[n - 1]]).toBe(`R${n - 1}`);
  });
});

describe('the assistant\'s "next to code" order', () => {
  it('follows the queue, unqueued answers last, and keeps the file order without a queue', () => {
    const data: SortInput = {
      respondentIds: ['a', 'b', 'c', 'd'],
      waveIds: ['w', 'w', 'w', 'w'],
      texts: ['', '', '', ''],
      queueRank: Uint32Array.from([2, 0, 4, 1]),
    };
    expect(sortPositions([0, 1, 2, 3], 'next', data)).toEqual([1, 3, 0, 2]);
    expect(sortPositions([0, 1, 2, 3], 'next', { ...data, queueRank: undefined })).toEqual([0, 1, 2, 3]);
    // A queue of another question's answers (another length) is not applied.
    expect(sortPositions([0, 1, 2, 3], 'next', { ...data, queueRank: Uint32Array.from([1, 0]) })).toEqual([0, 1, 2, 3]);
  });
});

describe('isAnswerSort', () => {
  it('knows the orders and nothing else', () => {
    expect(isAnswerSort('longest')).toBe(true);
    expect(isAnswerSort('length')).toBe(false);
    expect(isAnswerSort(undefined)).toBe(false);
  });
});
