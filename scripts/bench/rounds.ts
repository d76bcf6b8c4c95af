/**
 * Drawing a double-coding round, timed in Node as a pure function: the Rounds
 * dialog runs `drawRound` on the page's main thread over every answer key of
 * the questions in scope (736k at 100k respondents), so its time is a frame
 * the coder waits through. Answer keys are synthetic (the app's id layout,
 * ~8 % of answers blank and left out as the app leaves them out); no browser.
 *
 * The baseline is the least any draw does: a seeded partial Fisher–Yates over
 * the same answers' positions, the drawn ids sorted back into listed order.
 */
import { mulberry32 } from '../../src/lib/agreement/random';
import { answersInRounds, drawRound, type AnswerKeys } from '../../src/lib/rounds/draw-round';
import { answerId, type RoundSample } from '../../src/lib/model/types';
import { BENCH_ROUND_SIZE } from './data';
import { median, ms } from './report';

export interface RoundsNodeResult {
  answers: number;
  roundSize: number;
  /** Milliseconds per timed call (after one untimed call), and their median. */
  plain: { samples: number[]; medianMs: number | null };
  byQuestion: { samples: number[]; medianMs: number | null };
  /** By question, leaving out an earlier round's answers (a main round after a pilot). */
  afterPilot: { samples: number[]; medianMs: number | null };
  baseline: { samples: number[]; medianMs: number | null };
}

const SEED = 20240112;

/** The answer keys of `respondents` × `questions`, in the app's listed order, without the blank ones. */
export function syntheticAnswerKeys(respondents: number, questions: number): AnswerKeys {
  const keys = { answerIds: [] as string[], questionIds: [] as string[], waveIds: [] as string[], respondentIds: [] as string[] };
  for (let q = 1; q <= questions; q++) {
    const questionId = `q${q}`;
    for (let r = 1; r <= respondents; r++) {
      // A fixed ~8 % of answers blank, as in the bench's survey.
      if (Math.imul(r * 31 + q, 2654435761) >>> 0 < 0.08 * 2 ** 32) continue;
      const respondentId = `R${String(r).padStart(7, '0')}`;
      keys.answerIds.push(answerId(questionId, 'wave-1', respondentId));
      keys.questionIds.push(questionId);
      keys.waveIds.push('wave-1');
      keys.respondentIds.push(respondentId);
    }
  }
  return keys;
}

function timed(times: number, run: (i: number) => unknown): { samples: number[]; medianMs: number | null } {
  run(-1);
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    run(i);
    samples.push(performance.now() - t0);
  }
  return { samples, medianMs: median(samples) };
}

function bareDraw(answerIds: readonly string[], size: number, seed: number): string[] {
  const pool = new Int32Array(answerIds.length);
  for (let i = 0; i < pool.length; i++) pool[i] = i;
  const random = mulberry32(seed);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const swap = pool[i];
    pool[i] = pool[j];
    pool[j] = swap;
  }
  return Array.from(pool.subarray(0, size))
    .sort((a, b) => a - b)
    .map((i) => answerIds[i]);
}

export function runRoundsNodeBench(respondents: number, questions: number, log: (line: string) => void, times = 5): RoundsNodeResult {
  const answers = syntheticAnswerKeys(respondents, questions);
  const roundSize = Math.min(BENCH_ROUND_SIZE, answers.answerIds.length);
  const sample = (seed: number, strata: RoundSample['strata']): RoundSample => ({
    size: { kind: 'count', count: roundSize },
    seed,
    questionIds: [],
    waveIds: [],
    strata,
  });
  const pilot = answersInRounds([drawRound({ answers, sample: sample(SEED - 1, [{ kind: 'question' }]) })]);
  const checked = (drawn: { answerIds: string[] }) => {
    if (drawn.answerIds.length !== roundSize) throw new Error(`drawRound drew ${drawn.answerIds.length} answers, not ${roundSize}`);
  };
  const result: RoundsNodeResult = {
    answers: answers.answerIds.length,
    roundSize,
    plain: timed(times, (i) => checked(drawRound({ answers, sample: sample(SEED + i + 1, []) }))),
    byQuestion: timed(times, (i) => checked(drawRound({ answers, sample: sample(SEED + i + 1, [{ kind: 'question' }]) }))),
    afterPilot: timed(times, (i) => checked(drawRound({ answers, sample: sample(SEED + i + 1, [{ kind: 'question' }]), exclude: pilot }))),
    baseline: timed(times, (i) => bareDraw(answers.answerIds, roundSize, SEED + i + 1)),
  };
  log(
    `  rounds (Node): drawRound of ${roundSize.toLocaleString('en-US')} from ${result.answers.toLocaleString('en-US')} answers: ` +
      `${ms(result.plain.medianMs)} plain, ${ms(result.byQuestion.medianMs)} by question, ${ms(result.afterPilot.medianMs)} after a pilot; ` +
      `bare shuffle ${ms(result.baseline.medianMs)}`,
  );
  return result;
}
