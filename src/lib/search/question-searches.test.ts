// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest';
import { loadNlp } from '../nlp/wink';
import { AnswerIndex } from './answer-index';
import { QuestionSearches } from './question-searches';

const WORDS = ['mentor', 'mentoring', 'confidence', 'shared background', 'time', 'meetings', 'career'];
const textsOf = (questionId: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${questionId}: ${WORDS[i % WORDS.length]} ${WORDS[(i * 3) % WORDS.length]} ${i}`);

/** Background slices wait here until the test lets them go: nothing depends on timing. */
function gate() {
  const waiting: (() => void)[] = [];
  return {
    pause: () => new Promise<void>((resolve) => waiting.push(resolve)),
    /** Lets every waiting slice go on, a few turns over (each slice waits again). */
    async release(turns = 1) {
      for (let t = 0; t < turns; t++) {
        for (const resolve of waiting.splice(0)) resolve();
        for (let i = 0; i < 20; i++) await Promise.resolve();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    },
  };
}

function setup(sizes: Record<string, number>, opts: { budget?: number; slice?: number } = {}) {
  const loads: string[] = [];
  const progress: [string, number, number][] = [];
  const g = gate();
  const searches = new QuestionSearches({
    async load(_projectId, questionId) {
      loads.push(questionId);
      const texts = textsOf(questionId, sizes[questionId]);
      return { texts, idAt: (i) => `${questionId}/${i}` };
    },
    slice: opts.slice ?? 10,
    budget: opts.budget,
    pause: g.pause,
    onProgress: (_p, q, done, total) => progress.push([q, done, total]),
  });
  return { searches, loads, progress, gate: g };
}

describe('QuestionSearches', () => {
  // Loading wink-nlp takes a while the first time: the gate counts turns, not time.
  beforeAll(() => loadNlp());

  it('prepares the shown question first, then the others, in slices', async () => {
    const { searches, loads, progress, gate } = setup({ a: 30, b: 20, c: 20 });
    searches.prepare('p', 'b', ['a', 'b', 'c']);
    await gate.release(20);
    expect(loads).toEqual(['b', 'a', 'c']);
    expect(progress.filter(([q]) => q === 'b').map(([, done]) => done)).toEqual([10, 20]);
    // Every slice of the shown question came before any of the others.
    const firstOther = progress.findIndex(([q]) => q !== 'b');
    expect(progress.slice(0, firstOther).every(([q]) => q === 'b')).toBe(true);
    expect(searches.progress('p', 'a')).toEqual({ done: 30, total: 30 });
    expect(searches.progress('p', 'c')).toEqual({ done: 20, total: 20 });
  });

  it('answers a search asked before the background has keyed the question, with what the index finds', async () => {
    const { searches, gate } = setup({ a: 200 });
    searches.prepare('p', 'a');
    await gate.release(2);
    const before = searches.progress('p', 'a');
    expect(before).not.toBeNull();
    expect(before!.done).toBeLessThan(before!.total);
    const prepared = await searches.scanFor('p', 'a');
    expect(prepared.scan.complete).toBe(true);
    const index = await AnswerIndex.create();
    const texts = textsOf('a', 200);
    index.addAll(texts.map((text, i) => ({ id: String(i), text })));
    for (const query of ['ment', 'mentoring ', '"shared background"', 'confidnce', 'time 1']) {
      const expected = index.matchPositions(query, (id) => texts[Number(id)], index.positionTable(Number), texts.length);
      const actual = prepared.scan.matchPositions(query);
      expect(actual.count, query).toBe(expected.count);
      expect([...actual.mask], query).toEqual([...expected.mask]);
    }
    expect(prepared.answers.idAt(3)).toBe('a/3');
  });

  it('loads a question searched before it was ever prepared', async () => {
    const { searches, loads } = setup({ a: 5, z: 7 });
    const prepared = await searches.scanFor('p', 'z');
    expect(loads).toEqual(['z']);
    expect(prepared.scan.matchPositions('z').count).toBe(7);
  });

  it('keeps what it prepared for the session: a project opened again is not loaded again; forget drops it', async () => {
    const { searches, loads, gate } = setup({ a: 20, b: 20 });
    searches.prepare('p', 'a', ['a', 'b']);
    await gate.release(10);
    searches.prepare('other', 'a');
    await gate.release(10);
    searches.prepare('p', 'a', ['a', 'b']);
    await gate.release(10);
    expect(loads).toEqual(['a', 'b', 'a']);
    searches.forget('p');
    searches.prepare('p', 'a', ['a', 'b']);
    await gate.release(10);
    expect(loads).toEqual(['a', 'b', 'a', 'a', 'b']);
  });

  it('prepares other questions only within the budget, and never drops the shown one', async () => {
    const { searches, loads, gate } = setup({ a: 40, b: 40, c: 40, d: 40 }, { budget: 100 });
    searches.prepare('p', 'a', ['a', 'b', 'c', 'd']);
    await gate.release(20);
    expect(loads).toEqual(['a', 'b']);
    expect((await searches.usage()).answers).toBe(80);
    // Showing d: it is loaded whatever the budget, and the least recently used other question makes room.
    searches.prepare('p', 'd', ['a', 'b', 'c', 'd']);
    await gate.release(20);
    expect(loads).toEqual(['a', 'b', 'd']);
    expect(searches.progress('p', 'd')).toEqual({ done: 40, total: 40 });
    const usage = await searches.usage();
    expect(usage.answers).toBe(80);
    // b, only ever prepared in the background, made room; a, shown before, is kept.
    expect(searches.progress('p', 'b')).toBeNull();
    expect(searches.progress('p', 'a')).toEqual({ done: 40, total: 40 });
    expect(usage.keyBytes).toBeGreaterThan(0);
  });
});
