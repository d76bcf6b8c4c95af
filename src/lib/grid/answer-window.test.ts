import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AnswerDirectory, CHUNK_SLOTS, LruCache, chunkKey, resolvePositions } from './answer-window';

describe('AnswerDirectory', () => {
  it('finds each answer in its chunk, and no answer where none was stored', () => {
    const dir = new AnswerDirectory(10);
    dir.add('q1', 'w1', 0, [0, 2, 4]);
    dir.add('q1', 'w1', 1, [6, 9]);
    dir.add('q2', 'w1', 0, [1]);
    expect(dir.locate('q1', 'w1', 4)).toEqual({ index: 0, offset: 2 });
    expect(dir.locate('q1', 'w1', 9)).toEqual({ index: 1, offset: 1 });
    expect(dir.locate('q1', 'w1', 1)).toBeNull();
    expect(dir.locate('q1', 'w2', 0)).toBeNull();
    expect(dir.locate('constructor', 'w1', 0)).toBeNull();
    expect(dir.has('q2', 'w1', 1)).toBe(true);
    expect(dir.has('q2', 'w1', 0)).toBe(false);
    // Ids not in the respondent table (-1) are not recorded.
    dir.add('q3', 'w1', 0, [-1, 3]);
    expect(dir.locate('q3', 'w1', 3)).toEqual({ index: 0, offset: 1 });
  });

  it('lists the chunks of a window once each', () => {
    const dir = new AnswerDirectory(6);
    dir.add('q1', 'w', 0, [0, 1, 2]);
    dir.add('q1', 'w', 1, [3, 4, 5]);
    dir.add('q2', 'w', 0, [4]);
    const rows = [2, 3, 4].map((position) => ({ position, waveId: 'w' }));
    expect(dir.chunksFor(rows, ['q1', 'q2'])).toEqual([
      { questionId: 'q1', waveId: 'w', index: 0 },
      { questionId: 'q1', waveId: 'w', index: 1 },
      { questionId: 'q2', waveId: 'w', index: 0 },
    ]);
  });

  it('round-trips any chunk layout', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 0, max: 2 ** 17 }),
        (count, chunkSize, firstIndex) => {
          const dir = new AnswerDirectory(count);
          // Every third respondent answered, in chunks of chunkSize.
          const answered = Array.from({ length: count }, (_, i) => i).filter((i) => i % 3 === 0);
          for (let start = 0, index = firstIndex; start < answered.length; start += chunkSize, index++)
            dir.add('q', 'w', index, answered.slice(start, start + chunkSize));
          for (let k = 0; k < answered.length; k++) {
            expect(dir.locate('q', 'w', answered[k])).toEqual({ index: firstIndex + Math.floor(k / chunkSize), offset: k % chunkSize });
          }
          for (let i = 0; i < count; i++) expect(dir.has('q', 'w', i)).toBe(i % 3 === 0);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses a chunk larger than its slots', () => {
    expect(() => new AnswerDirectory(10).add('q', 'w', 0, new Int32Array(CHUNK_SLOTS + 1))).toThrow();
  });
});

describe('resolvePositions', () => {
  const table = ['a', 'b', 'c', 'd', 'e'];
  const lookups: string[] = [];
  const positionOf = (id: string) => {
    lookups.push(id);
    const at = table.indexOf(id);
    return at < 0 ? undefined : at;
  };

  it('follows the table order without lookups, and looks up the rest', () => {
    lookups.length = 0;
    const { positions, next } = resolvePositions(['b', 'c', 'e', 'a', 'zz'], table, positionOf, 1);
    expect([...positions]).toEqual([1, 2, 4, 0, -1]);
    expect(next).toBe(1);
    expect(lookups).toEqual(['e', 'a', 'zz']);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.keys()).toEqual(['a', 'c']);
    // peek does not count as a use.
    expect(cache.peek('a')).toBe(1);
    cache.set('d', 4);
    expect(cache.keys()).toEqual(['c', 'd']);
    cache.capacity = 1;
    expect(cache.keys()).toEqual(['d']);
  });

  it('never holds more than its capacity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (capacity, keys) => {
        const cache = new LruCache<number>(capacity);
        for (const k of keys) {
          cache.set(String(k), k);
          expect(cache.size).toBeLessThanOrEqual(capacity);
          expect(cache.peek(String(k))).toBe(k);
        }
      }),
    );
  });
});

it('chunk keys keep ids apart', () => {
  expect(chunkKey('a', 'b', 1)).not.toBe(chunkKey('a\u001fb', '', 1));
  expect(chunkKey('q', 'w', 1)).not.toBe(chunkKey('q', 'w', 11));
});
