/**
 * Which answers an agreement round compares: one question or all of them, one
 * wave or all, respondents with given attribute values, and optionally a
 * random sample of N of the answers that pass (for a double-coding round).
 *
 * The sample is a seeded partial Fisher–Yates shuffle (mulberry32) over the
 * answers in scope, in their listed order (question order, then each
 * question's answers as stored: wave by wave, in import order). The same seed
 * over the same answers in the same order gives the same sample on every
 * machine; the sample is returned in that listed order, not shuffled.
 */

import { mulberry32 } from './random';
import { ownValue } from '../model/name-keyed';
import { ANSWER_ID_SEPARATOR } from '../model/types';

export interface SampleSpec {
  /** How many answers to draw; all of them when there are no more than this. */
  size: number;
  /** Seed of the generator: the same seed over the same answers draws the same sample. */
  seed: number;
}

export interface AnswerScope {
  /** One question, or null for every question. */
  questionId: string | null;
  /** One wave, or null for every wave. */
  waveId: string | null;
  /** Attribute name → required value; an empty value does not filter. */
  attributes: Readonly<Record<string, string>>;
  /** A random sample of the answers that pass, or null for all of them. */
  sample: SampleSpec | null;
  /** Only these answers (a double-coding round's), or absent/null for every answer that passes. */
  answerIds?: readonly string[] | null;
}

/** Respondents' attributes, column-wise (the shape the database layer loads). */
export interface RespondentLookup {
  positionOf: { get(respondentId: string): number | undefined };
  attributes: Readonly<Record<string, readonly string[]>>;
}

export class ScopeError extends Error {
  override readonly name = 'ScopeError';
}

/** The attribute filters that constrain anything (those with a value). */
export function attributeFilters(scope: Pick<AnswerScope, 'attributes'>): [string, string][] {
  return Object.entries(scope.attributes).filter(([, value]) => value !== '');
}

/**
 * The questions to read, in the project's order. A question that no longer
 * exists is an error the user can act on, not an empty comparison.
 */
export function scopeQuestionIds(questions: readonly { id: string }[], scope: Pick<AnswerScope, 'questionId' | 'answerIds'>): string[] {
  if (scope.questionId === null) {
    if (!scope.answerIds) return questions.map((q) => q.id);
    // A round's answers name their questions: the others need not be read at all.
    const named = new Set<string>();
    for (const id of scope.answerIds) named.add(id.slice(0, id.indexOf(ANSWER_ID_SEPARATOR)));
    return questions.filter((q) => named.has(q.id)).map((q) => q.id);
  }
  if (!questions.some((q) => q.id === scope.questionId)) {
    throw new ScopeError('The question chosen for the comparison is no longer in the project: choose another.');
  }
  return [scope.questionId];
}

/**
 * A test for one answer's wave and respondent. Respondents missing from the
 * lookup have no attribute values, so any attribute filter excludes them.
 */
export function answerFilter(
  scope: Pick<AnswerScope, 'waveId' | 'attributes'>,
  respondents: RespondentLookup | null,
): (waveId: string, respondentId: string) => boolean {
  const wave = scope.waveId;
  const filters = attributeFilters(scope);
  if (filters.length > 0 && !respondents) throw new ScopeError('Attribute filters need the respondents, which were not loaded.');
  const columns = filters.map(([name, value]) => [ownValue(respondents!.attributes, name) ?? [], value] as const);
  return (waveId, respondentId) => {
    if (wave !== null && waveId !== wave) return false;
    if (columns.length === 0) return true;
    const at = respondents!.positionOf.get(respondentId);
    if (at === undefined) return false;
    for (const [column, value] of columns) if ((column[at] ?? '') !== value) return false;
    return true;
  };
}

function checkSample(sample: SampleSpec): void {
  if (!Number.isInteger(sample.size) || sample.size < 1) throw new ScopeError(`A sample needs a whole number of answers ≥ 1, not ${sample.size}.`);
  if (!Number.isInteger(sample.seed) || sample.seed < 0 || sample.seed > 0xffffffff) {
    throw new ScopeError(`A sample seed is a whole number from 0 to 4294967295, not ${sample.seed}.`);
  }
}

/**
 * Positions (0..count−1, ascending) of a seeded random sample of `size` out of
 * `count`. Every subset of that size is equally likely; `size ≥ count` keeps all.
 */
export function drawSample(count: number, sample: SampleSpec): number[] {
  checkSample(sample);
  if (sample.size >= count) return Array.from({ length: count }, (_, i) => i);
  const random = mulberry32(sample.seed);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = 0; i < sample.size; i++) {
    const j = i + Math.floor(random() * (count - i));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  return Array.from(order.subarray(0, sample.size)).sort((a, b) => a - b);
}

/** Answers in scope, column-wise and aligned. */
export interface ScopedAnswers {
  ids: string[];
  texts: string[];
}

/** Answers of one question as stored (column-wise, in import order). */
export interface QuestionAnswers {
  questionId: string;
  respondentIds: readonly string[];
  waveIds: readonly string[];
  texts: readonly string[];
}

/** How many answers passed the filters before sampling, and how many are compared. */
export interface ScopeSummary {
  questions: number;
  /** Answers of the questions read, before any filter. */
  answersRead: number;
  /** Answers passing the wave and attribute filters. */
  answersInScope: number;
  /** Answers compared: the sample, or all in scope. */
  answersCompared: number;
  sample: SampleSpec | null;
}

/**
 * Applies the scope to the questions' answers (given in question order).
 * `answerId` builds the id of an answer from its parts.
 */
export function selectAnswers(
  questions: readonly QuestionAnswers[],
  scope: AnswerScope,
  respondents: RespondentLookup | null,
  answerId: (questionId: string, waveId: string, respondentId: string) => string,
  /** The questions' answers before `onlyAnswers` narrowed them, when it did. */
  answersRead?: number,
): { answers: ScopedAnswers; summary: ScopeSummary } {
  const passes = answerFilter(scope, respondents);
  const only = scope.answerIds ? new Set(scope.answerIds) : null;
  let ids: string[] = [];
  let texts: string[] = [];
  let read = 0;
  for (const question of questions) {
    read += question.texts.length;
    for (let i = 0; i < question.texts.length; i++) {
      if (!passes(question.waveIds[i], question.respondentIds[i])) continue;
      const id = answerId(question.questionId, question.waveIds[i], question.respondentIds[i]);
      if (only && !only.has(id)) continue;
      ids.push(id);
      texts.push(question.texts[i]);
    }
  }
  const inScope = ids.length;
  if (scope.sample) {
    const picked = drawSample(inScope, scope.sample);
    ids = picked.map((i) => ids[i]);
    texts = picked.map((i) => texts[i]);
  }
  return {
    answers: { ids, texts },
    summary: { questions: questions.length, answersRead: answersRead ?? read, answersInScope: inScope, answersCompared: ids.length, sample: scope.sample },
  };
}

/** A round's answers by question, then wave: the respondents whose answer it holds. */
export type RoundAnswers = ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;

export function roundAnswersOf(
  answerIds: readonly string[],
  parts: (answerId: string) => { questionId: string; waveId: string; respondentId: string },
): RoundAnswers {
  const byQuestion = new Map<string, Map<string, Set<string>>>();
  for (const id of answerIds) {
    const { questionId, waveId, respondentId } = parts(id);
    let byWave = byQuestion.get(questionId);
    if (!byWave) byQuestion.set(questionId, (byWave = new Map()));
    let respondents = byWave.get(waveId);
    if (!respondents) byWave.set(waveId, (respondents = new Set()));
    respondents.add(respondentId);
  }
  return byQuestion;
}

/**
 * A question's answers narrowed to those of a round (`scope.answerIds`, as roundAnswersOf), in their order: what
 * selectAnswers keeps of it. Done as each question is read, so that a round of 1,000 answers does not hold every
 * answer's text of the questions it spans at once (723 MB in the agreement worker at 100k respondents × 8, issue
 * 15); by respondent, so that no answer id is built for the answers left out.
 */
export function onlyAnswers(question: QuestionAnswers, round: RoundAnswers): QuestionAnswers {
  const byWave = round.get(question.questionId);
  const respondentIds: string[] = [];
  const waveIds: string[] = [];
  const texts: string[] = [];
  if (byWave)
    for (let i = 0; i < question.texts.length; i++) {
      if (!byWave.get(question.waveIds[i])?.has(question.respondentIds[i])) continue;
      respondentIds.push(question.respondentIds[i]);
      waveIds.push(question.waveIds[i]);
      texts.push(question.texts[i]);
    }
  return { questionId: question.questionId, respondentIds, waveIds, texts };
}
