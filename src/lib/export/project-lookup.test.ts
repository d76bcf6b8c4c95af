// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerId } from '../model/types';
import { compareCodeUnits, ProjectLookup } from './project-lookup';
import type { ExportSource } from './source';
import { sampleSource } from './test-data';

/** The display order as it was first written: one sort with the keys read in the comparator. */
function referenceOrder(source: ExportSource) {
  const order = (items: readonly { id: string; order: number }[]) =>
    new Map(
      items
        .slice()
        .sort((a, b) => a.order - b.order || compareCodeUnits(a.id, b.id))
        .map((item, i) => [item.id, i]),
    );
  const q = order(source.questions);
  const w = order(source.waves);
  const r = new Map(source.respondents.map((x, i) => [x.id, i]));
  const u = Number.MAX_SAFE_INTEGER;
  return source.answers
    .slice()
    .sort(
      (a, b) =>
        (q.get(a.questionId) ?? u) - (q.get(b.questionId) ?? u) ||
        (w.get(a.waveId) ?? u) - (w.get(b.waveId) ?? u) ||
        (r.get(a.respondentId) ?? u) - (r.get(b.respondentId) ?? u) ||
        compareCodeUnits(a.id, b.id),
    );
}

describe('answers in display order', () => {
  it('are the reference order, whether the source is in that order already or not, and ranks follow it (property)', () => {
    const arb = fc.record({
      answers: fc.array(
        fc.tuple(fc.constantFrom('q-rewards', 'q-barriers', 'q-x'), fc.constantFrom('baseline', '6-months', 'w-x'), fc.constantFrom('R1', 'R2', 'R3', 'R9')),
        {
          maxLength: 30,
        },
      ),
      presorted: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ answers: tuples, presorted }) => {
        const base = sampleSource();
        let answers: ExportSource['answers'][number][] = tuples.map(([questionId, waveId, respondentId]) => ({
          id: answerId(questionId, waveId, respondentId),
          questionId,
          waveId,
          respondentId,
          text: '',
        }));
        if (presorted) answers = referenceOrder({ ...base, answers });
        const source: ExportSource = { ...base, answers };
        const lookup = new ProjectLookup(source);
        const expected = referenceOrder(source);
        expect(lookup.orderedAnswers()).toEqual(expected);
        const rank = new Map(expected.map((a, i) => [a.id, i]));
        for (const a of answers) expect(lookup.answerRank(a.id)).toBe(rank.get(a.id));
        expect(lookup.answerRank('nobody')).toBe(Number.MAX_SAFE_INTEGER);
        for (const a of answers) expect(lookup.answer(a.id)).toBe(answers.findLast((b) => b.id === a.id));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the answer maps', () => {
  it('are shared by lookups over the same answers, respondents, questions and waves, and made anew when one differs', () => {
    const source = sampleSource();
    const first = new ProjectLookup(source);
    // A coding change: a new source object, new codings, the same answer arrays.
    const recoded = new ProjectLookup({ ...source, codings: source.codings.slice(1) });
    expect(recoded.orderedAnswers()).toBe(first.orderedAnswers());

    // The respondents reordered (a new array): ranks follow the new order, not the kept maps.
    const respondents = source.respondents.slice().reverse();
    const reordered = new ProjectLookup({ ...source, respondents });
    expect(reordered.orderedAnswers()).not.toBe(first.orderedAnswers());
    expect(reordered.orderedAnswers()).toEqual(referenceOrder({ ...source, respondents }));
    expect(reordered.respondentPosition(respondents[0].id)).toBe(0);

    // An answer pushed onto the same array (a fixture may do so): the maps are made again and know it.
    const extra = { id: answerId('q-rewards', 'baseline', 'R3'), questionId: 'q-rewards', waveId: 'baseline', respondentId: 'R3', text: 'new' };
    (source.answers as ExportSource['answers'][number][]).push(extra);
    const grown = new ProjectLookup(source);
    expect(grown.answer(extra.id)).toBe(extra);
    expect(grown.answerPosition(extra.id)).toBe(source.answers.length - 1);
    expect(grown.orderedAnswers()).toEqual(referenceOrder(source));
  });
});
