/**
 * An AIMMS-like study to count by hand: 16 mentoring pairs (mentee E01–E16,
 * mentor M01–M16, pair "Pair 1"…"Pair 16"), a baseline and a 6-month wave,
 * questions Q1 and Q2. Two respondents outside the pairs test the edges:
 * X01, a mentee with no pair, and M17, a mentor whose "Pair 17" mentee never
 * answered (a one-member group).
 *
 * Codes: Rewards (R) with its subcode Career (C), Support (S), Time (T).
 * Theme "Relationship" = {Support, Time}. Every coding is alice's except one
 * of bob's (T on M05's 6-month Q1), so `{ kind: 'coder', coderId: 'alice' }`
 * and `{ kind: 'all' }` differ by that one.
 *
 * Q1 carries S and C as the table says ("-" = no answer in that wave, "" =
 * answered, not coded). Q2 was answered at baseline by the odd-numbered
 * mentees only (E01, E03 … E15), T coded on E01, E03 and E05: those
 * respondents also answered Q1 at baseline, so Q2 changes no respondent base.
 *
 * Weights ("weight"): mentees 1, mentors 2, X01 "0.5", M17 "3".
 */
import { answerId, type Coding } from '../model/types';
import type { AnalysisInput, AnswerRef } from './analysis-index';
import { code, theme } from './test-fixtures';

export const AIMMS_WAVES = ['base', 'm6'];
export const AIMMS_WAVE_NAMES: Record<string, string> = { base: 'Baseline', m6: '6 months' };
export const AIMMS_QUESTIONS = ['Q1', 'Q2'];

/** id, role, pair, Q1 at baseline, Q1 at 6 months. */
export const AIMMS_TABLE: Array<[string, string, string, string, string]> = [
  ['E01', 'Mentee', 'Pair 1', 'S C', 'S C'],
  ['E02', 'Mentee', 'Pair 2', 'S', 'S'],
  ['E03', 'Mentee', 'Pair 3', 'S', 'C'],
  ['E04', 'Mentee', 'Pair 4', 'S', ''],
  ['E05', 'Mentee', 'Pair 5', 'C', 'S C'],
  ['E06', 'Mentee', 'Pair 6', 'C', 'C'],
  ['E07', 'Mentee', 'Pair 7', '', 'S'],
  ['E08', 'Mentee', 'Pair 8', '', ''],
  ['E09', 'Mentee', 'Pair 9', 'S', 'S'],
  ['E10', 'Mentee', 'Pair 10', '', 'S'],
  ['E11', 'Mentee', 'Pair 11', 'C', ''],
  ['E12', 'Mentee', 'Pair 12', '', 'C'],
  ['E13', 'Mentee', 'Pair 13', 'S', '-'],
  ['E14', 'Mentee', 'Pair 14', 'C', '-'],
  ['E15', 'Mentee', 'Pair 15', '', '-'],
  ['E16', 'Mentee', 'Pair 16', 'S', '-'],
  ['M01', 'Mentor', 'Pair 1', 'S', 'S'],
  ['M02', 'Mentor', 'Pair 2', '', 'S'],
  ['M03', 'Mentor', 'Pair 3', 'S C', 'C'],
  ['M04', 'Mentor', 'Pair 4', 'C', 'C'],
  ['M05', 'Mentor', 'Pair 5', '', ''],
  ['M06', 'Mentor', 'Pair 6', 'S', ''],
  ['M07', 'Mentor', 'Pair 7', 'C', 'S C'],
  ['M08', 'Mentor', 'Pair 8', '', 'C'],
  ['M09', 'Mentor', 'Pair 9', 'S', 'S'],
  ['M10', 'Mentor', 'Pair 10', 'C', ''],
  ['M11', 'Mentor', 'Pair 11', '', 'S'],
  ['M12', 'Mentor', 'Pair 12', 'S', 'S'],
  ['M13', 'Mentor', 'Pair 13', 'C', 'C'],
  ['M14', 'Mentor', 'Pair 14', '', ''],
  ['M15', 'Mentor', 'Pair 15', 'S', 'S'],
  ['M16', 'Mentor', 'Pair 16', '-', 'S'],
  ['X01', 'Mentee', '', 'S', '-'],
  ['M17', 'Mentor', 'Pair 17', 'C', '-'],
];

const WEIGHTS: Record<string, string> = { X01: '0.5', M17: '3' };

export const AIMMS_CODES = [code('R', null, 0), code('C', 'R', 0), code('S', null, 1), code('T', null, 2)].map((c) => ({
  ...c,
  name: { R: 'Rewards', C: 'Career', S: 'Support', T: 'Time' }[c.id] as string,
}));
export const AIMMS_THEMES = [{ ...theme('REL', ['S', 'T'], false, 0), name: 'Relationship' }];

const ATTRIBUTES = new Map(
  AIMMS_TABLE.map(([id, role, pair]) => [id, { role, pair, weight: WEIGHTS[id] ?? (role === 'Mentee' ? '1' : '2') } as Record<string, string>]),
);

export const aimmsAid = (respondentId: string, questionId: string, waveId: string): string => answerId(questionId, waveId, respondentId);

function build(): { answers: AnswerRef[]; codings: Coding[] } {
  const answers: AnswerRef[] = [];
  const codings: Coding[] = [];
  const add = (r: string, q: string, w: string, codes: string) => {
    const id = aimmsAid(r, q, w);
    answers.push({ id, questionId: q, waveId: w, respondentId: r });
    for (const c of codes.split(' ').filter(Boolean)) {
      codings.push({ projectId: 'p', id: `k${codings.length + 1}`, answerId: id, codeId: c, coderId: 'alice', start: null, end: null, createdAt: 0 });
    }
  };
  // Answers wave by wave, question by question, as the database loads them.
  for (const [w, col] of [
    ['base', 3],
    ['m6', 4],
  ] as const) {
    for (const row of AIMMS_TABLE) if (row[col] !== '-') add(row[0], 'Q1', w, row[col]);
    if (w === 'base') {
      for (const [id] of AIMMS_TABLE.filter(([id]) => /^E\d[13579]$/.test(id))) add(id, 'Q2', 'base', ['E01', 'E03', 'E05'].includes(id) ? 'T' : '');
    }
  }
  codings.push({ projectId: 'p', id: 'bob1', answerId: aimmsAid('M05', 'Q1', 'm6'), codeId: 'T', coderId: 'bob', start: 0, end: 4, createdAt: 0 });
  return { answers, codings };
}

/** The study as the analysis index takes it; `overrides` replace parts (e.g. the answers in scope). */
export function aimmsInput(overrides: Partial<AnalysisInput> = {}): AnalysisInput {
  const { answers, codings } = build();
  return {
    answers,
    attributeOf: (r, name) => ATTRIBUTES.get(r)?.[name] ?? '',
    codes: AIMMS_CODES,
    themes: AIMMS_THEMES,
    codings,
    waveIds: AIMMS_WAVES,
    questionIds: AIMMS_QUESTIONS,
    coderIds: ['alice', 'bob'],
    ...overrides,
  };
}
