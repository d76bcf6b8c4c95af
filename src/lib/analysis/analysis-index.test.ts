// @vitest-environment node
/**
 * How the index finds answers: by their question, wave and respondent when
 * every id is those joined (the usual case), by a map of ids otherwise. Both
 * must place answers and codings exactly as a map of ids does, repeats and
 * codings of answers out of scope included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANSWER_ID_SEPARATOR, answerId, type Coding } from '../model/types';
import { answerRefsOf, buildAnalysisIndex, type AnalysisIndex, type AnswerColumns, type AnswerRef } from './analysis-index';
import { CODES, coding } from './test-fixtures';

const ref = (q: string, w: string, r: string, id = answerId(q, w, r)): AnswerRef => ({ id, questionId: q, waveId: w, respondentId: r });

function index(answers: AnswerRef[], codings: Coding[]): AnalysisIndex {
  return buildAnalysisIndex({ answers, attributeOf: () => '', codes: CODES, themes: [], codings, waveIds: ['w1', 'w2'], questionIds: ['q1', 'q2'] });
}

/** What the index holds, by ids: each answer's parts, and each code's codings as [answer id, coder, span]. */
function contents(ix: AnalysisIndex) {
  const answers = ix.answerIds.map((id, a) => [
    id,
    ix.questionIds[ix.answerQuestion[a]],
    ix.waveIds[ix.answerWave[a]],
    ix.respondentIds[ix.answerRespondent[a]],
  ]);
  const byCode = Object.fromEntries(
    ['A', 'A1', 'B'].map((code) => {
      const c = ix.codingsOf(code);
      return [code, Array.from(c.answer, (a, i) => [ix.answerIds[a], ix.coderIds[c.coder[i]], c.span[i]])];
    }),
  );
  return { answers, byCode, respondents: ix.respondentIds };
}

describe('AnalysisIndex: finding answers', () => {
  it('places every coding on its answer, leaves out codings of answers not in scope, and finds answers by id', () => {
    const answers = [ref('q1', 'w1', 'r1'), ref('q1', 'w2', 'r2'), ref('q2', 'w1', 'r1'), ref('q2', 'w2', 'r3')];
    const codings = [
      coding(answerId('q2', 'w2', 'r3'), 'A', 'c1', false),
      coding(answerId('q1', 'w1', 'r1'), 'A', 'c2', true),
      // Not in scope: a blank answer, an unknown question, an unknown wave, a malformed id.
      coding(answerId('q1', 'w1', 'r3'), 'A', 'c1', false),
      coding(answerId('q9', 'w1', 'r1'), 'B', 'c1', false),
      coding(answerId('q1', 'w9', 'r1'), 'B', 'c1', false),
      coding('no separators', 'B', 'c1', false),
      coding(answerId('q1', 'w2', 'r2'), 'B', 'c2', false),
    ];
    const ix = index(answers, codings);
    expect(contents(ix).byCode).toEqual({
      A: [
        [answerId('q1', 'w1', 'r1'), 'c2', 1],
        [answerId('q2', 'w2', 'r3'), 'c1', 0],
      ],
      A1: [],
      B: [[answerId('q1', 'w2', 'r2'), 'c2', 0]],
    });
    expect(ix.answerPosition(answerId('q2', 'w1', 'r1'))).toBe(2);
    expect(ix.answerPosition(answerId('q1', 'w1', 'r3'))).toBeUndefined();
  });

  it('keeps the first answer of a repeated id, and numbers the others without it', () => {
    const answers = [ref('q1', 'w1', 'r1'), ref('q1', 'w1', 'r2'), ref('q1', 'w1', 'r1'), ref('q2', 'w1', 'r2')];
    const ix = index(answers, [coding(answerId('q2', 'w1', 'r2'), 'B', 'c1', false), coding(answerId('q1', 'w1', 'r1'), 'B', 'c1', false)]);
    expect(ix.answerCount).toBe(3);
    expect(contents(ix).answers.map(([id]) => id)).toEqual([answerId('q1', 'w1', 'r1'), answerId('q1', 'w1', 'r2'), answerId('q2', 'w1', 'r2')]);
    expect(contents(ix).byCode.B).toEqual([
      [answerId('q1', 'w1', 'r1'), 'c1', 0],
      [answerId('q2', 'w1', 'r2'), 'c1', 0],
    ]);
  });

  it('reads a respondent id holding the separator as the rest of the answer id', () => {
    const odd = `r${ANSWER_ID_SEPARATOR}x`;
    const ix = index([ref('q1', 'w1', odd), ref('q1', 'w1', 'r')], [coding(answerId('q1', 'w1', odd), 'A', 'c1', false)]);
    expect(contents(ix).byCode.A).toEqual([[answerId('q1', 'w1', odd), 'c1', 0]]);
  });

  it('falls back to a map of ids when an id is not its parts joined, with the same result a map always gave', () => {
    // The second answer's id names other parts; a repeat of it names yet other ones (kept out, as a map of ids did).
    const answers = [ref('q1', 'w1', 'r1'), ref('q1', 'w1', 'r2', 'custom'), ref('q2', 'w2', 'r9', 'custom'), ref('q2', 'w1', 'r3')];
    const ix = index(answers, [
      coding('custom', 'A', 'c1', true),
      coding(answerId('q1', 'w1', 'r2'), 'A', 'c1', false),
      coding(answerId('q2', 'w1', 'r3'), 'B', 'c2', false),
    ]);
    expect(contents(ix)).toEqual({
      answers: [
        [answerId('q1', 'w1', 'r1'), 'q1', 'w1', 'r1'],
        ['custom', 'q1', 'w1', 'r2'],
        [answerId('q2', 'w1', 'r3'), 'q2', 'w1', 'r3'],
      ],
      byCode: { A: [['custom', 'c1', 1]], A1: [], B: [[answerId('q2', 'w1', 'r3'), 'c2', 0]] },
      // r9 only had the repeated id: it is no respondent in scope.
      respondents: ['r1', 'r2', 'r3'],
    });
    expect(ix.answerPosition('custom')).toBe(1);
  });

  it('indexes column chunks (answerRefsOf) as the same answers given one by one', () => {
    const chunks = [
      { questionId: 'q1', waveId: 'w1', respondentIds: ['r1', 'r2'] },
      { questionId: 'q2', waveId: 'w2', respondentIds: ['r2'] },
    ];
    const codings = [coding(answerId('q2', 'w2', 'r2'), 'A1', 'c1', false)];
    const fromChunks = buildAnalysisIndex({ answers: answerRefsOf(chunks), attributeOf: () => '', codes: CODES, themes: [], codings });
    const oneByOne = buildAnalysisIndex({
      answers: [ref('q1', 'w1', 'r1'), ref('q1', 'w1', 'r2'), ref('q2', 'w2', 'r2')],
      attributeOf: () => '',
      codes: CODES,
      themes: [],
      codings,
    });
    expect(contents(fromChunks)).toEqual(contents(oneByOne));
    expect(contents(fromChunks).byCode.A1).toEqual([[answerId('q2', 'w2', 'r2'), 'c1', 0]]);
  });

  it('built from the columns themselves (no answer objects), holds exactly what the answers one by one give', () => {
    const sep = ANSWER_ID_SEPARATOR;
    // Few names, so repeats, empty chunks, codings of answers out of scope and ids holding the separator all occur.
    const id = fc.constantFrom('q1', 'q2', 'q3', 'w1', 'w2', 'r1', 'r2', 'r3', `r${sep}x`, `q${sep}`);
    const chunk = fc.record({ questionId: id, waveId: id, respondentIds: fc.array(id, { maxLength: 5 }) });
    const codingOf = fc.record({ q: id, w: id, r: id, code: fc.constantFrom('A', 'A1', 'B'), coder: fc.constantFrom('c1', 'c2'), span: fc.boolean() });
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 8 }), fc.array(codingOf, { maxLength: 12 }), (columns: AnswerColumns[], made) => {
        const codings = made.map((c) => coding(answerId(c.q, c.w, c.r), c.code, c.coder, c.span));
        const input = { attributeOf: () => '', codes: CODES, themes: [], codings, waveIds: ['w1', 'w2'], questionIds: ['q1', 'q2'], coderIds: ['c2'] };
        const fromObjects = buildAnalysisIndex({ ...input, answers: [...answerRefsOf(columns)] });
        const fromColumns = buildAnalysisIndex({ ...input, answers: [], columns });
        expect(contents(fromColumns)).toEqual(contents(fromObjects));
        // The same chunks with their respondents also as positions in a shared list of distinct ids (as stored).
        const shared = [...new Set(columns.flatMap((c) => c.respondentIds))].reverse();
        const positioned = columns.map((c) => ({ ...c, respondentAt: { ids: shared, at: Int32Array.from(c.respondentIds, (r) => shared.indexOf(r)) } }));
        const fromPositions = buildAnalysisIndex({ ...input, answers: [], columns: positioned });
        expect(contents(fromPositions)).toEqual(contents(fromObjects));
        expect(fromPositions.respondentIds).toEqual(fromObjects.respondentIds);
        expect(Array.from(fromPositions.answerRespondent)).toEqual(Array.from(fromObjects.answerRespondent));
        for (let a = 0; a < fromObjects.answerCount; a++) expect(fromPositions.answerIdAt(a)).toBe(fromObjects.answerIds[a]);
        expect([fromColumns.answerCount, fromColumns.waveIds, fromColumns.questionIds, fromColumns.coderIds]).toEqual([
          fromObjects.answerCount,
          fromObjects.waveIds,
          fromObjects.questionIds,
          fromObjects.coderIds,
        ]);
        for (const c of made) expect(fromColumns.answerPosition(answerId(c.q, c.w, c.r))).toBe(fromObjects.answerPosition(answerId(c.q, c.w, c.r)));
      }),
      { numRuns: 300 },
    );
  });
});
