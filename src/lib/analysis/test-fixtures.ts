/**
 * A small study to count by hand: 6 respondents (r1–r3 mentors, r4–r6
 * mentees), waves w1 and w2, questions q1 and q2; codes A (with subcode A1)
 * and B; themes T = {A, B} with subcodes and T2 = {A, B} without; coders c1,
 * c2 and consensus. The expected numbers in the tests are worked out from the
 * tables below, not computed.
 */
import { answerId, CONSENSUS_CODER_ID, type Code, type Coding, type Theme } from '../model/types';
import type { AnalysisInput, AnswerRef } from './analysis-index';

export const ROLES: Record<string, string> = { r1: 'mentor', r2: 'mentor', r3: 'mentor', r4: 'mentee', r5: 'mentee', r6: 'mentee' };

/** Non-blank answers: respondent → [question, wave] (14 answers). */
const ANSWERED: Array<[string, string, string]> = [
  ['r1', 'q1', 'w1'],
  ['r1', 'q2', 'w1'],
  ['r1', 'q1', 'w2'],
  ['r1', 'q2', 'w2'],
  ['r2', 'q1', 'w1'],
  ['r2', 'q1', 'w2'],
  ['r3', 'q1', 'w1'],
  ['r3', 'q2', 'w1'],
  ['r4', 'q1', 'w1'],
  ['r4', 'q1', 'w2'],
  ['r4', 'q2', 'w2'],
  ['r5', 'q2', 'w1'],
  ['r5', 'q2', 'w2'],
  ['r6', 'q1', 'w2'],
];

/** The answer id of respondent `r`'s answer to `q` in `w`. */
export const aid = (r: string, q: string, w: string): string => answerId(q, w, r);

export const ANSWERS: AnswerRef[] = ANSWERED.map(([r, q, w]) => ({ id: aid(r, q, w), questionId: q, waveId: w, respondentId: r }));

export function code(id: string, parentId: string | null, order = 0): Code {
  return { projectId: 'p', id, parentId, name: `Code ${id}`, color: '#000000', definition: '', inclusion: '', exclusion: '', example: '', order };
}

export const CODES: Code[] = [code('A', null, 0), code('A1', 'A', 0), code('B', null, 1)];

export function theme(id: string, codeIds: string[], withSubcodes: boolean, order = 0): Theme {
  return { projectId: 'p', id, name: `Theme ${id}`, description: '', codeIds, withSubcodes, order };
}

export const THEMES: Theme[] = [theme('T', ['A', 'B'], true, 0), theme('T2', ['A', 'B'], false, 1)];

export const CONSENSUS = CONSENSUS_CODER_ID;

let serial = 0;
export function coding(answer: string, codeId: string, coderId: string, span: boolean): Coding {
  serial += 1;
  return {
    projectId: 'p',
    id: `k${serial}`,
    answerId: answer,
    codeId,
    coderId,
    start: span ? 0 : null,
    end: span ? 3 : null,
    createdAt: 0,
  };
}

/** #n in the comments is the coding's number in the hand tables of the tests. */
export const CODINGS: Coding[] = [
  coding(aid('r1', 'q1', 'w1'), 'A', 'c1', false), // #1
  coding(aid('r1', 'q1', 'w1'), 'A', 'c2', true), // #2
  coding(aid('r1', 'q1', 'w1'), 'A', CONSENSUS, false), // #3
  coding(aid('r1', 'q2', 'w1'), 'A1', 'c1', true), // #4
  coding(aid('r2', 'q1', 'w1'), 'B', 'c1', false), // #5
  coding(aid('r2', 'q1', 'w1'), 'B', 'c2', false), // #6
  coding(aid('r2', 'q1', 'w1'), 'B', CONSENSUS, false), // #7
  coding(aid('r2', 'q1', 'w2'), 'A1', 'c2', true), // #8
  coding(aid('r3', 'q2', 'w1'), 'A', 'c2', false), // #9
  coding(aid('r4', 'q1', 'w1'), 'A1', 'c1', true), // #10
  coding(aid('r4', 'q1', 'w1'), 'A1', 'c1', true), // #11 (a second span, same answer and code)
  coding(aid('r4', 'q1', 'w1'), 'A1', CONSENSUS, true), // #12
  coding(aid('r4', 'q2', 'w2'), 'A', 'c1', false), // #13
  coding(aid('r5', 'q2', 'w1'), 'B', 'c1', false), // #14
  coding(aid('r5', 'q2', 'w2'), 'B', 'c1', true), // #15
  coding(aid('r6', 'q1', 'w2'), 'A', 'c2', false), // #16
  coding(aid('r3', 'q1', 'w2'), 'A', 'c1', false), // #17: r3 gave no answer to q1 in w2, so out of scope
  coding(aid('r1', 'q1', 'w1'), 'B', 'c2', false), // #18
];

export function fixtureInput(overrides: Partial<AnalysisInput> = {}): AnalysisInput {
  return {
    answers: ANSWERS,
    attributeOf: (r, name) => (name === 'role' ? (ROLES[r] ?? '') : ''),
    codes: CODES,
    themes: THEMES,
    codings: CODINGS,
    waveIds: ['w1', 'w2'],
    questionIds: ['q1', 'q2'],
    coderIds: ['c1', 'c2', CONSENSUS],
    ...overrides,
  };
}
