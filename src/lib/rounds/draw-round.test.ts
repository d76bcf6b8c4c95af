import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, answersInRounds, DrawError, drawRound, nextQuestionWithUncoded, roundAnswersByQuestion, roundProgress, type AnswerKeys } from './draw-round';
import { answerId, type RoundSample } from '../model/types';
import { IdIndex } from '../model/id-map';

/** q1 has `sizes[0]` answers, q2 `sizes[1]`…; respondents alternate waves w1/w2 and roles mentor/mentee. */
function keys(sizes: number[]): AnswerKeys {
  const answers: AnswerKeys = { answerIds: [], questionIds: [], waveIds: [], respondentIds: [] };
  sizes.forEach((size, q) => {
    for (let r = 0; r < size; r++) {
      const questionId = `q${q + 1}`;
      const waveId = r % 2 ? 'w2' : 'w1';
      const respondentId = `r${r}`;
      (answers.answerIds as string[]).push(answerId(questionId, waveId, respondentId));
      (answers.questionIds as string[]).push(questionId);
      (answers.waveIds as string[]).push(waveId);
      (answers.respondentIds as string[]).push(respondentId);
    }
  });
  return answers;
}

function respondents(count: number) {
  const ids = Array.from({ length: count }, (_, i) => `r${i}`);
  const positionOf = new IdIndex<number>((at) => ids[at]);
  ids.forEach((_, i) => positionOf.put(i));
  return { positionOf, attributes: { role: ids.map((_, i) => (i % 3 === 0 ? 'mentor' : 'mentee')) } };
}

function sample(patch: Partial<RoundSample> = {}): RoundSample {
  return { size: { kind: 'count', count: 10 }, seed: 42, questionIds: [], waveIds: [], strata: [], ...patch };
}

const question = (id: string) => id.split('\u001f')[0];

describe('allocate', () => {
  it('splits proportionally by largest remainder and sums exactly', () => {
    expect(allocate([50, 30, 20], 10)).toEqual([5, 3, 2]);
    // 1 each first, then 7 over (49, 29, 19): quotas 3.43, 2.03, 1.39 → 3, 2, 1 and one more to the largest fraction.
    expect(allocate([50, 30, 20], 10).reduce((a, b) => a + b)).toBe(10);
  });

  it('gives every non-empty stratum one when the total allows, none to an empty one', () => {
    expect(allocate([1000, 1, 0, 1], 5)).toEqual([3, 1, 0, 1]);
  });

  it('leaves small strata out when there are fewer to draw than strata', () => {
    expect(allocate([10, 1, 1], 2)).toEqual([2, 0, 0]);
  });

  it('never exceeds a stratum and always sums to the total (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 12 }), fc.nat(), (sizes, pick) => {
        const sum = sizes.reduce((a, b) => a + b, 0);
        const total = sum === 0 ? 0 : pick % (sum + 1);
        const counts = allocate(sizes, total);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
        counts.forEach((c, i) => {
          expect(c).toBeGreaterThanOrEqual(0);
          expect(c).toBeLessThanOrEqual(sizes[i]);
        });
        const nonEmpty = sizes.filter((s) => s > 0).length;
        if (total >= nonEmpty) sizes.forEach((s, i) => s > 0 && expect(counts[i]).toBeGreaterThanOrEqual(1));
      }),
    );
  });
});

describe('drawRound', () => {
  it('draws the same answers for the same inputs and seed, and others for another seed', () => {
    const answers = keys([40, 30]);
    const first = drawRound({ answers, sample: sample() });
    expect(first.answerIds).toHaveLength(10);
    expect(drawRound({ answers, sample: sample() }).answerIds).toEqual(first.answerIds);
    expect(drawRound({ answers, sample: sample({ seed: 43 }) }).answerIds).not.toEqual(first.answerIds);
  });

  it('pins the draw so a change of algorithm that moves answers is noticed', () => {
    const drawn = drawRound({ answers: keys([20]), sample: sample({ size: { kind: 'count', count: 4 }, seed: 7 }) });
    expect(drawn.answerIds.map((id) => id.split('\u001f')[2])).toMatchInlineSnapshot(`
      [
        "r2",
        "r8",
        "r17",
        "r18",
      ]
    `);
  });

  it('draws distinct answers in scope, in listed order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.boolean(),
        (sizes, count, seed, stratify) => {
          const answers = keys(sizes);
          const total = answers.answerIds.length;
          const s = sample({ size: { kind: 'count', count }, seed, strata: stratify ? [{ kind: 'question' }, { kind: 'wave' }] : [] });
          if (total === 0) {
            expect(() => drawRound({ answers, sample: s })).toThrow(DrawError);
            return;
          }
          const drawn = drawRound({ answers, sample: s });
          expect(drawn.answerIds).toHaveLength(Math.min(count, total));
          expect(new Set(drawn.answerIds).size).toBe(drawn.answerIds.length);
          const positions = drawn.answerIds.map((id) => answers.answerIds.indexOf(id));
          expect(positions.every((p) => p >= 0)).toBe(true);
          expect(positions).toEqual([...positions].sort((a, b) => a - b));
          expect(drawRound({ answers, sample: s }).answerIds).toEqual(drawn.answerIds);
        },
      ),
    );
  });

  it('spreads a stratified draw over questions in proportion, at least one each', () => {
    const answers = keys([60, 30, 9, 1]);
    const drawn = drawRound({ answers, sample: sample({ size: { kind: 'count', count: 20 }, strata: [{ kind: 'question' }] }) });
    const perQuestion = [...roundAnswersByQuestion(drawn).entries()].map(([q, ids]) => [q, ids.length]);
    expect(drawn.answerIds).toHaveLength(20);
    expect(Object.fromEntries(perQuestion)).toEqual({ q1: 11, q2: 6, q3: 2, q4: 1 });
    expect(drawn.strata.map((s) => [s.values, s.size, s.drawn])).toEqual([
      [['q1'], 60, 11],
      [['q2'], 30, 6],
      [['q3'], 9, 2],
      [['q4'], 1, 1],
    ]);
  });

  it('combines strata: question × wave', () => {
    const drawn = drawRound({
      answers: keys([20, 20]),
      sample: sample({ size: { kind: 'count', count: 8 }, strata: [{ kind: 'question' }, { kind: 'wave' }] }),
    });
    expect(drawn.strata.map((s) => [s.values.join('/'), s.drawn])).toEqual([
      ['q1/w1', 2],
      ['q1/w2', 2],
      ['q2/w1', 2],
      ['q2/w2', 2],
    ]);
  });

  it('stratifies by an attribute of the respondents', () => {
    const drawn = drawRound({
      answers: keys([30]),
      respondents: respondents(30),
      sample: sample({ size: { kind: 'count', count: 9 }, strata: [{ kind: 'attribute', name: 'role' }] }),
    });
    expect(drawn.strata.map((s) => [s.values[0], s.size, s.drawn])).toEqual([
      ['mentor', 10, 3],
      ['mentee', 20, 6],
    ]);
  });

  it('keeps to the questions and waves in scope', () => {
    const drawn = drawRound({ answers: keys([20, 20, 20]), sample: sample({ questionIds: ['q2'], waveIds: ['w2'], size: { kind: 'count', count: 100 } }) });
    expect(drawn.inScope).toBe(10);
    expect(drawn.answerIds.every((id) => question(id) === 'q2' && id.split('\u001f')[1] === 'w2')).toBe(true);
  });

  it('draws all and says so when more are asked for than there are', () => {
    const drawn = drawRound({ answers: keys([5]), sample: sample({ size: { kind: 'count', count: 60 } }) });
    expect(drawn.answerIds).toHaveLength(5);
    expect(drawn.notes.join(' ')).toContain('Only 5 answers were available, fewer than the 60 asked for: all of them were drawn.');
  });

  it('turns a share into a number of the answers available', () => {
    expect(drawRound({ answers: keys([40]), sample: sample({ size: { kind: 'share', share: 0.25 } }) }).answerIds).toHaveLength(10);
    expect(drawRound({ answers: keys([3]), sample: sample({ size: { kind: 'share', share: 0.01 } }) }).answerIds).toHaveLength(1);
  });

  it('refuses a share outside (0, 1], a count below 1, a bad seed and an empty scope, saying what to change', () => {
    const answers = keys([10]);
    expect(() => drawRound({ answers, sample: sample({ size: { kind: 'share', share: 0 } }) })).toThrow(/above 0% and at most 100%/);
    expect(() => drawRound({ answers, sample: sample({ size: { kind: 'share', share: 1.5 } }) })).toThrow(/not 150%/);
    expect(() => drawRound({ answers, sample: sample({ size: { kind: 'count', count: 0 } }) })).toThrow(/1 or more/);
    expect(() => drawRound({ answers, sample: sample({ seed: -1 }) })).toThrow(/seed/);
    expect(() => drawRound({ answers, sample: sample({ questionIds: ['nope'] }) })).toThrow('No answers are in scope: choose other questions or waves.');
    expect(() => drawRound({ answers, sample: sample({ strata: [{ kind: 'attribute', name: 'role' }] }) })).toThrow(/respondents/);
  });

  it('leaves out answers of earlier rounds and says how many', () => {
    const answers = keys([30]);
    const pilot = drawRound({ answers, sample: sample({ size: { kind: 'count', count: 10 } }) });
    const main = drawRound({ answers, sample: sample({ size: { kind: 'count', count: 10 } }), exclude: answersInRounds([pilot]) });
    expect(main.excluded).toBe(10);
    expect(main.answerIds.filter((id) => pilot.answerIds.includes(id))).toEqual([]);
    expect(main.notes).toContain('10 answers already in earlier rounds were left out.');
    const rest = drawRound({ answers, sample: sample({ size: { kind: 'count', count: 100 } }), exclude: answersInRounds([pilot, main]) });
    expect(rest.answerIds).toHaveLength(10);
    expect(() => drawRound({ answers, sample: sample(), exclude: new Set(answers.answerIds) })).toThrow(/already in an earlier round/);
  });
});

describe('progress and the queue', () => {
  const round = { answerIds: [answerId('q1', 'w', 'a'), answerId('q1', 'w', 'b'), answerId('q3', 'w', 'c')] };

  it('counts the answers a coder has coded', () => {
    const coded = new Set([round.answerIds[1]]);
    expect(roundProgress(round, (id) => coded.has(id))).toEqual({ coded: 1, total: 3 });
    expect(roundProgress({ answerIds: [] }, () => true)).toEqual({ coded: 0, total: 0 });
  });

  it('finds the next question with uncoded answers, wrapping round, the current one last', () => {
    const order = ['q1', 'q2', 'q3'];
    expect(nextQuestionWithUncoded(round, order, 'q1', () => false)).toBe('q3');
    expect(nextQuestionWithUncoded(round, order, 'q3', () => false)).toBe('q1');
    const coded = new Set(round.answerIds.slice(0, 2));
    expect(nextQuestionWithUncoded(round, order, 'q1', (id) => coded.has(id))).toBe('q3');
    expect(nextQuestionWithUncoded(round, order, 'q3', (id) => coded.has(id))).toBe('q3');
    expect(nextQuestionWithUncoded(round, order, null, () => true)).toBeNull();
  });
});
