/**
 * Drawing a double-coding round: a seeded random sample of the answers in
 * scope, optionally spread over strata (question, wave, an attribute's values,
 * or any combination), leaving out answers earlier rounds already drew.
 *
 * Reproducible: the answers in scope are taken in the order they are listed
 * (question order, then each question's answers as stored: wave by wave, in
 * import order), and each stratum is shuffled by mulberry32 seeded from the
 * round's seed and the stratum's key. The same answers, scope and seed draw the
 * same round on every machine; a stratum's draw does not depend on the others.
 */
import { mixSeed } from '../agreement/random';
import { drawSample, type RespondentLookup } from '../agreement/scope';
import { ownValue } from '../model/name-keyed';
import type { Round, RoundSample } from '../model/types';

/** The answers a round may be drawn from, column-wise and aligned, in the project's listed order. */
export interface AnswerKeys {
  answerIds: readonly string[];
  questionIds: readonly string[];
  waveIds: readonly string[];
  respondentIds: readonly string[];
}

export interface DrawInput {
  answers: AnswerKeys;
  /** Respondents' attributes, needed only for an attribute stratum. */
  respondents?: RespondentLookup | null;
  sample: RoundSample;
  /** Answers earlier rounds drew, left out so a main round after a pilot draws new answers. Empty: nothing left out. */
  exclude?: ReadonlySet<string>;
}

export interface StratumDraw {
  /** One value per stratum dimension, in the sample's strata order (question id, wave id, attribute value). */
  values: string[];
  /** Answers available in this stratum (in scope, not excluded). */
  size: number;
  drawn: number;
}

export interface DrawResult {
  /** The drawn answers in their listed order (question, wave, import order), which is the order a coder meets them. */
  answerIds: string[];
  /** Answers passing the question and wave scope. */
  inScope: number;
  /** Of those, answers left out because an earlier round drew them. */
  excluded: number;
  /** Answers asked for (a share turned into a number). */
  requested: number;
  strata: StratumDraw[];
  /** What a user should know about the draw (all drawn because there were fewer, answers left out). */
  notes: string[];
}

/** A draw the user must change before it can run; the message says what to change. */
export class DrawError extends Error {
  override readonly name = 'DrawError';
}

const n = (value: number) => new Intl.NumberFormat('en').format(value);
const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;

/** How many answers a sample size asks for, a share being of the `inScope` answers. */
export function requestedSize(size: RoundSample['size'], inScope: number): number {
  if (size.kind === 'count') {
    if (!Number.isInteger(size.count) || size.count < 1) throw new DrawError(`A round needs a whole number of answers, 1 or more, not ${size.count}.`);
    return size.count;
  }
  if (!(size.share > 0 && size.share <= 1)) {
    throw new DrawError(`A share of the answers lies above 0% and at most 100%, not ${Math.round(size.share * 1000) / 10}%.`);
  }
  // At least one: a share of a small scope must still draw something.
  return Math.max(1, Math.round(size.share * inScope));
}

function checkSeed(seed: number) {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new DrawError(`A seed is a whole number from 0 to 4294967295, not ${seed}.`);
}

/**
 * Splits `total` over strata in proportion to their sizes, summing exactly to
 * `total` (which must not exceed the sum of sizes).
 *
 * The rule: when there are at least as many answers to draw as non-empty
 * strata, every non-empty stratum first gets one (so no question or wave is
 * left out of the round), and the rest is spread in proportion to what each
 * stratum has left (size − 1). Otherwise the whole total is spread in
 * proportion to sizes and some strata get none. Spreading is by largest
 * remainder (Hamilton): each stratum takes the whole part of its quota, then
 * the largest fractional parts take one more each; ties go to the larger
 * stratum, then to the earlier listed. No stratum gets more than its size.
 */
export function allocate(sizes: readonly number[], total: number): number[] {
  const nonEmpty = sizes.filter((s) => s > 0).length;
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (total > sum) throw new RangeError(`Cannot draw ${total} of ${sum}.`);
  const base = sizes.map((s): number => (total >= nonEmpty && s > 0 ? 1 : 0));
  const rest = total - base.reduce((a, b) => a + b, 0);
  const weights = sizes.map((s, i) => s - base[i]);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (rest === 0 || weightSum === 0) return base;
  const quotas = weights.map((w) => (rest * w) / weightSum);
  const counts = quotas.map((q, i) => Math.min(Math.floor(q), weights[i]));
  let left = rest - counts.reduce((a, b) => a + b, 0);
  const order = quotas
    .map((q, i) => ({ i, fraction: q - Math.floor(q) }))
    .sort((a, b) => b.fraction - a.fraction || sizes[b.i] - sizes[a.i] || a.i - b.i)
    .map((entry) => entry.i);
  // Two passes: rounding error could leave one after every fraction was served; the second gives it where there is room.
  for (let pass = 0; pass < 2 && left > 0; pass++) {
    for (const i of order) {
      if (left === 0) break;
      if (counts[i] < weights[i] && (pass === 1 || quotas[i] > counts[i])) {
        counts[i]++;
        left--;
      }
    }
  }
  return counts.map((c, i) => c + base[i]);
}

/** Draws a round's answers. Throws a DrawError whose message says what to change. */
export function drawRound(input: DrawInput): DrawResult {
  const { answers, sample } = input;
  checkSeed(sample.seed);
  if (sample.size.kind === 'count') requestedSize(sample.size, 1);
  const questions = sample.questionIds.length > 0 ? new Set(sample.questionIds) : null;
  const waves = sample.waveIds.length > 0 ? new Set(sample.waveIds) : null;
  const exclude = input.exclude ?? new Set<string>();

  const attributeColumns = sample.strata.map((stratum) => {
    if (stratum.kind !== 'attribute') return null;
    if (!input.respondents) throw new DrawError('Strata by an attribute need the respondents, which are not loaded yet: try again in a moment.');
    const column = ownValue(input.respondents.attributes, stratum.name);
    if (!column) throw new DrawError(`The project has no attribute “${stratum.name}” any more: choose another stratum.`);
    return column;
  });
  const stratumValues = (i: number): string[] =>
    sample.strata.map((stratum, d) => {
      if (stratum.kind === 'question') return answers.questionIds[i];
      if (stratum.kind === 'wave') return answers.waveIds[i];
      const at = input.respondents!.positionOf.get(answers.respondentIds[i]);
      return at === undefined ? '' : (attributeColumns[d]![at] ?? '');
    });

  let inScope = 0;
  let excluded = 0;
  // Strata in the order their first answer is listed, so the allocation's tie-break is the listed order too.
  const groups = new Map<string, { values: string[]; positions: number[] }>();
  for (let i = 0; i < answers.answerIds.length; i++) {
    if (questions && !questions.has(answers.questionIds[i])) continue;
    if (waves && !waves.has(answers.waveIds[i])) continue;
    inScope++;
    if (exclude.has(answers.answerIds[i])) {
      excluded++;
      continue;
    }
    const values = stratumValues(i);
    const key = values.join('\u001f');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { values, positions: [] }));
    group.positions.push(i);
  }

  if (inScope === 0) throw new DrawError('No answers are in scope: choose other questions or waves.');
  const available = inScope - excluded;
  if (available === 0) {
    throw new DrawError(
      `Every one of the ${plural(inScope, 'answer')} in scope is already in an earlier round: widen the scope, or include answers of earlier rounds.`,
    );
  }

  const notes: string[] = [];
  if (excluded > 0) notes.push(`${plural(excluded, 'answer')} already in earlier rounds ${excluded === 1 ? 'was' : 'were'} left out.`);
  // A share is of every answer in scope, earlier rounds' included: "10% double-coded" means 10% of the answers.
  const requested = requestedSize(sample.size, inScope);
  let size = requested;
  if (requested > available) {
    size = available;
    notes.push(
      `Only ${plural(available, 'answer')} ${available === 1 ? 'was' : 'were'} available, fewer than the ${n(requested)} asked for: all of them were drawn.`,
    );
  }

  const list = [...groups.entries()];
  const counts = allocate(
    list.map(([, g]) => g.positions.length),
    size,
  );
  const drawn: number[] = [];
  const strata: StratumDraw[] = list.map(([key, group], s) => {
    // The same seeded partial Fisher–Yates as the agreement view's sample, within the stratum.
    if (counts[s] > 0)
      for (const at of drawSample(group.positions.length, { size: counts[s], seed: mixSeed(sample.seed, key) })) drawn.push(group.positions[at]);
    return { values: group.values, size: group.positions.length, drawn: counts[s] };
  });
  drawn.sort((a, b) => a - b);
  return { answerIds: drawn.map((i) => answers.answerIds[i]), inScope, excluded, requested, strata, notes };
}

/** Every answer id of these rounds (to leave out of the next draw). */
export function answersInRounds(rounds: readonly Pick<Round, 'answerIds'>[]): Set<string> {
  const ids = new Set<string>();
  for (const round of rounds) for (const id of round.answerIds) ids.add(id);
  return ids;
}

/** How many of a round's answers a coder has coded. */
export function roundProgress(round: Pick<Round, 'answerIds'>, codedBy: (answerId: string) => boolean): { coded: number; total: number } {
  let coded = 0;
  for (const id of round.answerIds) if (codedBy(id)) coded++;
  return { coded, total: round.answerIds.length };
}

/** The question an answer id belongs to (the id's first part). */
export function questionOfAnswer(answerId: string): string {
  const end = answerId.indexOf('\u001f');
  return end < 0 ? answerId : answerId.slice(0, end);
}

/** A round's answers grouped by question, in the round's order. */
export function roundAnswersByQuestion(round: Pick<Round, 'answerIds'>): Map<string, string[]> {
  const byQuestion = new Map<string, string[]>();
  for (const id of round.answerIds) {
    const questionId = questionOfAnswer(id);
    let list = byQuestion.get(questionId);
    if (!list) byQuestion.set(questionId, (list = []));
    list.push(id);
  }
  return byQuestion;
}

/**
 * The next question, after `current` in the given order and wrapping round,
 * that still has answers of the round the coder has not coded; null when every
 * answer of the round is coded. The current question counts last, so "next"
 * moves on when it can.
 */
export function nextQuestionWithUncoded(
  round: Pick<Round, 'answerIds'>,
  questionOrder: readonly string[],
  current: string | null,
  codedBy: (answerId: string) => boolean,
): string | null {
  const byQuestion = roundAnswersByQuestion(round);
  const start = current === null ? -1 : questionOrder.indexOf(current);
  for (let step = 1; step <= questionOrder.length; step++) {
    const questionId = questionOrder[(start + step + questionOrder.length) % questionOrder.length];
    if ((byQuestion.get(questionId) ?? []).some((id) => !codedBy(id))) return questionId;
  }
  return null;
}
