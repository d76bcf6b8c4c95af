// @vitest-environment node
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  answerFilter,
  drawSample,
  scopeQuestionIds,
  ScopeError,
  onlyAnswers,
  roundAnswersOf,
  selectAnswers,
  type AnswerScope,
  type QuestionAnswers,
  type RespondentLookup,
} from './scope';

const id = (q: string, w: string, r: string) => `${q}|${w}|${r}`;
const parts = (answerId: string) => {
  const [questionId, waveId, respondentId] = answerId.split('|');
  return { questionId, waveId, respondentId };
};
const ALL: AnswerScope = { questionId: null, waveId: null, attributes: {}, sample: null };

const respondents: RespondentLookup = {
  positionOf: new Map([
    ['r1', 0],
    ['r2', 1],
    ['r3', 2],
  ]),
  attributes: { role: ['mentor', 'mentee', 'mentor'], site: ['A', 'A', 'B'] },
};

const questions: QuestionAnswers[] = [
  { questionId: 'q1', respondentIds: ['r1', 'r2', 'r3', 'r1'], waveIds: ['base', 'base', 'base', 'six'], texts: ['a', 'b', 'c', 'd'] },
  { questionId: 'q2', respondentIds: ['r2', 'r3', 'r4'], waveIds: ['base', 'six', 'six'], texts: ['e', 'f', 'g'] },
];

describe('scopeQuestionIds', () => {
  it('reads every question in project order, or the one chosen', () => {
    expect(scopeQuestionIds([{ id: 'q1' }, { id: 'q2' }], { questionId: null })).toEqual(['q1', 'q2']);
    expect(scopeQuestionIds([{ id: 'q1' }, { id: 'q2' }], { questionId: 'q2' })).toEqual(['q2']);
  });

  it('says so when the chosen question is gone', () => {
    expect(() => scopeQuestionIds([{ id: 'q1' }], { questionId: 'q9' })).toThrow(ScopeError);
  });
});

describe('answerFilter', () => {
  it('keeps one wave', () => {
    const passes = answerFilter({ waveId: 'six', attributes: {} }, null);
    expect(passes('six', 'r1')).toBe(true);
    expect(passes('base', 'r1')).toBe(false);
  });

  it('keeps respondents with every attribute value asked for; empty values do not filter', () => {
    const passes = answerFilter({ waveId: null, attributes: { role: 'mentor', site: 'A', cohort: '' } }, respondents);
    expect(['r1', 'r2', 'r3'].map((r) => passes('base', r))).toEqual([true, false, false]);
  });

  it('excludes respondents it does not know when an attribute filters', () => {
    expect(answerFilter({ waveId: null, attributes: { role: 'mentor' } }, respondents)('base', 'r9')).toBe(false);
    expect(answerFilter({ waveId: null, attributes: {} }, null)('base', 'r9')).toBe(true);
  });
});

describe('drawSample', () => {
  it('is the same for the same seed, and differs for another seed', () => {
    const one = drawSample(1000, { size: 50, seed: 7 });
    expect(drawSample(1000, { size: 50, seed: 7 })).toEqual(one);
    expect(drawSample(1000, { size: 50, seed: 8 })).not.toEqual(one);
  });

  it('keeps everything when the sample is as large as the answers', () => {
    expect(drawSample(4, { size: 4, seed: 1 })).toEqual([0, 1, 2, 3]);
    expect(drawSample(4, { size: 10, seed: 1 })).toEqual([0, 1, 2, 3]);
    expect(drawSample(0, { size: 10, seed: 1 })).toEqual([]);
  });

  it('refuses a sample of no answers, a fractional size and a negative seed', () => {
    expect(() => drawSample(10, { size: 0, seed: 1 })).toThrow(ScopeError);
    expect(() => drawSample(10, { size: 2.5, seed: 1 })).toThrow(ScopeError);
    expect(() => drawSample(10, { size: 2, seed: -1 })).toThrow(ScopeError);
  });

  it('draws distinct positions in range, in ascending order, as many as asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 0xffffffff }), (count, size, seed) => {
        const drawn = drawSample(count, { size, seed });
        expect(drawn.length).toBe(Math.min(count, size));
        expect(new Set(drawn).size).toBe(drawn.length);
        for (let i = 0; i < drawn.length; i++) {
          expect(drawn[i]).toBeGreaterThanOrEqual(0);
          expect(drawn[i]).toBeLessThan(count);
          if (i > 0) expect(drawn[i]).toBeGreaterThan(drawn[i - 1]);
        }
      }),
    );
  });

  it('gives every answer about the same chance', () => {
    const hits = new Array(10).fill(0);
    for (let seed = 0; seed < 2000; seed++) for (const i of drawSample(10, { size: 3, seed })) hits[i]++;
    // 2000 × 3/10 = 600 per position; a fair draw stays well within ±15%.
    for (const h of hits) expect(Math.abs(h - 600)).toBeLessThan(90);
  });
});

describe('scopeQuestionIds with a round', () => {
  it("reads only the questions a round's answers belong to, in the project's order", () => {
    const sep = '\u001f';
    const round = [`q3${sep}w${sep}r1`, `q1${sep}w${sep}r2`];
    expect(scopeQuestionIds([{ id: 'q1' }, { id: 'q2' }, { id: 'q3' }], { questionId: null, answerIds: round })).toEqual(['q1', 'q3']);
    expect(scopeQuestionIds([{ id: 'q1' }, { id: 'q2' }], { questionId: null, answerIds: [] })).toEqual([]);
  });
});

describe('selectAnswers', () => {
  it('lists every answer of the questions, in question order, with its text', () => {
    const { answers, summary } = selectAnswers(questions, ALL, null, id);
    expect(answers.ids).toEqual(['q1|base|r1', 'q1|base|r2', 'q1|base|r3', 'q1|six|r1', 'q2|base|r2', 'q2|six|r3', 'q2|six|r4']);
    expect(answers.texts).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(summary).toEqual({ questions: 2, answersRead: 7, answersInScope: 7, answersCompared: 7, sample: null });
  });

  it('filters by wave and attributes before it samples', () => {
    const { answers, summary } = selectAnswers(questions, { ...ALL, waveId: 'base', attributes: { role: 'mentor' } }, respondents, id);
    expect(answers.ids).toEqual(['q1|base|r1', 'q1|base|r3']);
    expect(summary.answersInScope).toBe(2);
  });

  it("compares exactly a round's answers when given them, and no answer outside the questions read", () => {
    const round = ['q2|six|r4', 'q1|base|r2', 'q9|base|r1'];
    const { answers, summary } = selectAnswers(questions, { ...ALL, answerIds: round }, null, id);
    expect(answers.ids).toEqual(['q1|base|r2', 'q2|six|r4']);
    expect(answers.texts).toEqual(['b', 'g']);
    expect(summary.answersCompared).toBe(2);
  });

  it("selects the same from questions narrowed to a round's answers as they were read, and says how many were read", () => {
    const round = ['q2|six|r4', 'q1|base|r2', 'q1|six|r1', 'q9|base|r1'];
    const narrowed = questions.map((q) => onlyAnswers(q, roundAnswersOf(round, parts)));
    expect(narrowed.map((q) => q.texts)).toEqual([['b', 'd'], ['g']]);
    const read = questions.reduce((n, q) => n + q.texts.length, 0);
    for (const scope of [
      { ...ALL, answerIds: round },
      { ...ALL, answerIds: round, waveId: 'base' },
      { ...ALL, answerIds: round, sample: { size: 2, seed: 7 } },
    ]) {
      const whole = selectAnswers(questions, scope, respondents, id);
      expect(selectAnswers(narrowed, scope, respondents, id, read)).toEqual(whole);
    }
  });

  it('samples the answers in scope reproducibly, keeping their order and texts aligned', () => {
    const scope = { ...ALL, sample: { size: 3, seed: 42 } };
    const first = selectAnswers(questions, scope, null, id);
    const again = selectAnswers(questions, scope, null, id);
    expect(again.answers).toEqual(first.answers);
    expect(first.answers.ids).toHaveLength(3);
    expect(first.summary).toMatchObject({ answersInScope: 7, answersCompared: 3, sample: { size: 3, seed: 42 } });
    const all = selectAnswers(questions, ALL, null, id).answers;
    const positions = first.answers.ids.map((x) => all.ids.indexOf(x));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    first.answers.ids.forEach((x, i) => expect(first.answers.texts[i]).toBe(all.texts[all.ids.indexOf(x)]));
  });
});
