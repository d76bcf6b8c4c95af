/**
 * The double-coding planner: roughly how many answers two coders must both
 * code for each code's Krippendorff's α to have a 95% interval no wider than
 * ±h.
 *
 * Method (parametric simulation): a code's two coders are modelled by the four
 * cell probabilities of their 2×2 table (both present, only the first, only the
 * second, both absent), taken from the counts so far plus ½ in each cell, so a
 * small sample with perfect agreement does not promise an interval of width
 * zero. For a candidate number N of double-coded answers we draw S multinomial
 * samples of N answers, compute binary nominal α of each in O(1), and take the
 * half-width of the 2.5–97.5 percentile range. N is searched by doubling from
 * the present count, then by bisection, up to a cap.
 *
 * A sample in which nobody used the code (or everybody did everywhere) has no
 * α; such samples count as the lowest values, so when more than 2.5% of
 * samples have no α the interval is unbounded and that N is not enough.
 *
 * Every N draws from its own seed (the base seed mixed with the code and N), so
 * a plan is the same on every machine, and the width at a given N is the same
 * whichever search reaches it.
 */
import { mixSeed, mulberry32, multinomial } from './random';

/** Two coders' 2×2 counts for one code on the answers both coded. */
export interface TwoByTwo {
  bothPresent: number;
  onlyFirst: number;
  onlySecond: number;
  bothAbsent: number;
}

export type PlanStatus = 'enough' | 'needs-more' | 'unreachable' | 'too-thin';

export interface CodePlan {
  codeId: string;
  status: PlanStatus;
  /** α on the counts so far; null when undefined (nobody used the code, or fewer than 10 answers). */
  alphaNow: number | null;
  /** Share of 'present' among both coders' values so far; null without answers. */
  prevalence: number | null;
  /** Simulated half-width at the present count; null when too thin to plan. Infinity when most samples have no α. */
  halfWidthNow: number | null;
  /** Double-coded answers needed in all; null when unreachable or too thin. */
  needed: number | null;
  /** needed minus the answers already double-coded. */
  more: number | null;
  /** Why a code could not be planned, in words. */
  reason?: string;
}

export interface Plan {
  codes: CodePlan[];
  /** The largest `more` across codes that can reach the target (0 when every such code has enough). */
  more: number;
  /** The method in one plain sentence, for the screen and the export. */
  method: string;
}

export interface PlanOptions {
  /** Target half-width of α's 95% interval; 0.10 by default. */
  halfWidth?: number;
  /** Simulated samples per candidate size; 400 by default. */
  samples?: number;
  seed?: number;
  /** Largest number of double-coded answers considered; 20,000 by default. */
  cap?: number;
}

export const DEFAULT_HALF_WIDTH = 0.1;
export const DEFAULT_PLAN_SAMPLES = 400;
export const DEFAULT_PLAN_CAP = 20_000;
export const MIN_PLAN_UNITS = 10;

/**
 * Krippendorff's α, nominal, for two coders and one binary code with no
 * missing values, straight from the 2×2 counts: with n = 2N values, n₁ and n₀
 * the counts of present and absent values and b + c the disagreeing answers,
 * α = 1 − (n − 1)(b + c) / (n₁ n₀). NaN when n₁ n₀ = 0 (one category only).
 */
export function binaryAlpha(bothPresent: number, onlyFirst: number, onlySecond: number, bothAbsent: number): number {
  const disagreements = onlyFirst + onlySecond;
  const n = 2 * (bothPresent + disagreements + bothAbsent);
  const present = 2 * bothPresent + disagreements;
  const absent = 2 * bothAbsent + disagreements;
  if (present === 0 || absent === 0) return Number.NaN;
  return 1 - ((n - 1) * disagreements) / (present * absent);
}

function total(counts: TwoByTwo): number {
  return counts.bothPresent + counts.onlyFirst + counts.onlySecond + counts.bothAbsent;
}

/** The half-width of the simulated 95% percentile interval of α for N answers; Infinity when it is unbounded. */
export function simulatedHalfWidth(counts: TwoByTwo, units: number, options: { samples?: number; seed?: number; codeId?: string } = {}): number {
  const samples = options.samples ?? DEFAULT_PLAN_SAMPLES;
  const random = mulberry32(mixSeed(options.seed ?? 1, `${options.codeId ?? ''}\u001f${units}`));
  const weights = [counts.bothPresent + 0.5, counts.onlyFirst + 0.5, counts.onlySecond + 0.5, counts.bothAbsent + 0.5];
  const cells = new Float64Array(4);
  const alphas = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    multinomial(random, units, weights, cells);
    const alpha = binaryAlpha(cells[0], cells[1], cells[2], cells[3]);
    alphas[s] = Number.isNaN(alpha) ? Number.NEGATIVE_INFINITY : alpha;
  }
  alphas.sort();
  const low = alphas[Math.round(0.025 * (samples - 1))];
  const high = alphas[Math.round(0.975 * (samples - 1))];
  if (!Number.isFinite(low) || !Number.isFinite(high)) return Number.POSITIVE_INFINITY;
  return (high - low) / 2;
}

/** One code's plan. */
export function planCode(codeId: string, counts: TwoByTwo, options: PlanOptions = {}): CodePlan {
  const h = options.halfWidth ?? DEFAULT_HALF_WIDTH;
  if (!(h > 0)) throw new RangeError(`The target half-width must be above 0, not ${h}.`);
  const cap = options.cap ?? DEFAULT_PLAN_CAP;
  const now = total(counts);
  const valuesPresent = 2 * counts.bothPresent + counts.onlyFirst + counts.onlySecond;
  const prevalence = now === 0 ? null : valuesPresent / (2 * now);
  const observed = binaryAlpha(counts.bothPresent, counts.onlyFirst, counts.onlySecond, counts.bothAbsent);
  const alphaNow = now >= MIN_PLAN_UNITS && !Number.isNaN(observed) ? observed : null;
  const thin = (reason: string): CodePlan => ({ codeId, status: 'too-thin', alphaNow, prevalence, halfWidthNow: null, needed: null, more: null, reason });
  if (now < MIN_PLAN_UNITS) return thin(`Fewer than ${MIN_PLAN_UNITS} answers are double-coded so far (${now}).`);
  if (valuesPresent === 0) return thin('Neither coder has used this code yet.');

  const widthAt = (units: number) => simulatedHalfWidth(counts, units, { samples: options.samples, seed: options.seed, codeId });
  const halfWidthNow = widthAt(now);
  const base = { codeId, alphaNow, prevalence, halfWidthNow };
  if (halfWidthNow <= h) return { ...base, status: 'enough', needed: now, more: 0 };
  if (now >= cap) return { ...base, status: 'unreachable', needed: null, more: null };

  let low = now; // too few
  let high = Math.min(2 * now, cap);
  while (widthAt(high) > h) {
    if (high >= cap) return { ...base, status: 'unreachable', needed: null, more: null };
    low = high;
    high = Math.min(2 * high, cap);
  }
  // Within 2% is as precise as a simulated width allows; finer steps chase noise.
  while (high - low > Math.max(1, Math.floor(low / 50))) {
    const middle = Math.floor((low + high) / 2);
    if (widthAt(middle) <= h) high = middle;
    else low = middle;
  }
  return { ...base, status: 'needs-more', needed: high, more: high - now };
}

export function planMethod(options: PlanOptions = {}): string {
  const samples = options.samples ?? DEFAULT_PLAN_SAMPLES;
  const cap = options.cap ?? DEFAULT_PLAN_CAP;
  return (
    `Simulated ${samples.toLocaleString('en-US')} samples per size of two coders with this code's prevalence and agreement ` +
    `(the counts so far plus ½ in each cell of the 2×2 table); 95% percentile interval of Krippendorff's α; ` +
    `sizes searched by doubling, then bisection, up to ${cap.toLocaleString('en-US')} answers.`
  );
}

/** Plans every code; `more` is what the round still needs so that every code that can reach the target does. */
export function planDoubleCoding(codes: readonly { codeId: string; counts: TwoByTwo }[], options: PlanOptions = {}): Plan {
  const plans = codes.map(({ codeId, counts }) => planCode(codeId, counts, options));
  const more = plans.reduce((largest, p) => (p.more !== null && p.more > largest ? p.more : largest), 0);
  return { codes: plans, more, method: planMethod(options) };
}

/** The planner's input from an agreement table's rows (two coders: the first pair's 2×2 table). */
export function countsFromAgreementRows(
  rows: readonly { codeId: string | null; pairs: readonly { bothPresent: number; aOnly: number; bOnly: number; bothAbsent: number }[] }[],
): { codeId: string; counts: TwoByTwo }[] {
  const out: { codeId: string; counts: TwoByTwo }[] = [];
  for (const row of rows) {
    const pair = row.pairs[0];
    if (row.codeId === null || !pair) continue;
    out.push({ codeId: row.codeId, counts: { bothPresent: pair.bothPresent, onlyFirst: pair.aOnly, onlySecond: pair.bOnly, bothAbsent: pair.bothAbsent } });
  }
  return out;
}

const STATUS_WORDS: Record<PlanStatus, string> = {
  enough: 'enough already',
  'needs-more': 'needs more',
  unreachable: 'not reachable within the cap',
  'too-thin': 'too thin to plan',
};

/** The planner's conclusion in one sentence. */
export function planSummary(plan: Plan, halfWidth: number, roundName: string): string {
  const plannable = plan.codes.filter((c) => c.status === 'enough' || c.status === 'needs-more').length;
  const unreachable = plan.codes.filter((c) => c.status === 'unreachable').length;
  const beyond = unreachable > 0 ? ` ${unreachable} ${unreachable === 1 ? 'code' : 'codes'} cannot reach it within the cap.` : '';
  if (plannable === 0) {
    return unreachable > 0
      ? `No code reaches ±${halfWidth} within the cap.`
      : 'No code can be planned yet: each needs at least 10 double-coded answers and to have been used by a coder.';
  }
  if (plan.more === 0) return `${roundName} has enough double-coded answers for α ± ${halfWidth} on every code that can be planned.${beyond}`;
  return `Double-code about ${plan.more.toLocaleString('en-US')} more answers beyond ${roundName} for α ± ${halfWidth} on every code that can reach it.${beyond}`;
}

export function planStatusText(status: PlanStatus): string {
  return STATUS_WORDS[status];
}
