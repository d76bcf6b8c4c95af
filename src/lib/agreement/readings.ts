/**
 * Short plain-language readings of agreement statistics for authors: what a
 * value is conventionally taken to mean, and the caveats that matter most with
 * qualitative codes (rare codes, few units).
 */

import type { StatResult, UndefinedReason } from './errors';

export type Tone = 'good' | 'fair' | 'poor' | 'none';

export interface Reading {
  /** A word or two: "reliable", "moderate", "undefined". */
  band: string;
  tone: Tone;
  /** One sentence with the value. */
  text: string;
  /** Caveats worth showing beside it. */
  notes: string[];
}

export interface ReadingContext {
  /** Share of 'present' among the values compared (0..1): flags rare and near-universal codes. */
  prevalence?: number | null;
  /** Percent agreement (0..1) on the same units, quoted in the kappa paradox note. */
  percentAgreement?: number | null;
  /** The bootstrap interval of alpha. */
  interval?: { low: number; high: number } | null;
}

export type DescribedStatistic = 'percentAgreement' | 'cohenKappa' | 'scottPi' | 'fleissKappa' | 'krippendorffAlpha' | 'gwetAC1';

/** Below this share, or above one minus it, a code counts as rare (or near-universal) for the paradox note. */
export const RARE_PREVALENCE = 0.1;

const fixed = (value: number): string => {
  const text = value.toFixed(3);
  return text === '-0.000' ? '0.000' : text;
};
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** How common a code is among the values compared, when that changes how to read the statistics. */
export type PrevalenceKind = 'unused' | 'rare' | 'common';

export function prevalenceKind(prevalence: number | null | undefined): PrevalenceKind | null {
  if (typeof prevalence !== 'number') return null;
  if (prevalence === 0) return 'unused';
  if (prevalence < RARE_PREVALENCE) return 'rare';
  if (prevalence > 1 - RARE_PREVALENCE) return 'common';
  return null;
}

/** The flag beside a code: "not used by either coder", "rare", "nearly always applied"; null for a typical code. */
export function prevalenceFlag(prevalence: number | null | undefined, coders = 2): string | null {
  switch (prevalenceKind(prevalence)) {
    case 'unused':
      return coders === 2 ? 'not used by either coder' : 'not used by any coder';
    case 'rare':
      return 'rare';
    case 'common':
      return 'nearly always applied';
    default:
      return null;
  }
}

/**
 * The one sentence on how common the code is, said once per code (the
 * statistics' own caveats then say only what is specific to them).
 */
export function prevalenceNote(prevalence: number | null | undefined, coders = 2): string | null {
  switch (prevalenceKind(prevalence)) {
    case 'unused':
      return `Not used by ${coders === 2 ? 'either coder' : 'any coder'}: the statistics can only say that the coders agree it is absent.`;
    case 'rare':
      return `The code is rare: present in ${percent(prevalence!)} of the values compared.`;
    case 'common':
      return `The code is nearly always applied: present in ${percent(prevalence!)} of the values compared.`;
    default:
      return null;
  }
}

/** A value that shows as 0.000: no agreement beyond chance, rather than Landis and Koch's "slight". */
function isZero(value: number): boolean {
  return Math.abs(value) < 0.0005;
}

/** Krippendorff's own standard: α ≥ 0.800 reliable, 0.667 ≤ α < 0.800 tentative, below unreliable. */
export function describeAlpha(value: number, context: ReadingContext = {}): Reading {
  const notes: string[] = [];
  let reading: Reading;
  if (value >= 0.8) {
    reading = { band: 'reliable', tone: 'good', text: `α = ${fixed(value)}: reliable by Krippendorff's standard (α ≥ 0.800).`, notes };
  } else if (value >= 0.667) {
    reading = {
      band: 'tentative',
      tone: 'fair',
      text: `α = ${fixed(value)}: good enough for tentative conclusions only (0.667 ≤ α < 0.800).`,
      notes,
    };
  } else {
    reading = {
      band: 'unreliable',
      tone: 'poor',
      text: `α = ${fixed(value)}: unreliable; below 0.667, conclusions drawn from this code are not supported.`,
      notes,
    };
  }
  if (value < 0) notes.push('Coders disagree more than chance would produce: check that they read the definition the same way.');
  const { interval } = context;
  if (interval) {
    const range = `The 95% interval is ${fixed(interval.low)} to ${fixed(interval.high)}`;
    if (value >= 0.8 && interval.low < 0.8) notes.push(`${range}: it reaches below 0.800, so with these units reliability is not assured.`);
    else if (value >= 0.667 && interval.low < 0.667) notes.push(`${range}: it reaches below 0.667, the lowest acceptable value.`);
  }
  return reading;
}

/**
 * Landis and Koch's (1977) bands. They are arbitrary (the authors said so),
 * which the reading says, but they are what readers expect to see.
 */
function landisKoch(value: number): { band: string; tone: Tone } {
  if (value < 0) return { band: 'poor', tone: 'poor' };
  if (value <= 0.2) return { band: 'slight', tone: 'poor' };
  if (value <= 0.4) return { band: 'fair', tone: 'poor' };
  if (value <= 0.6) return { band: 'moderate', tone: 'poor' };
  if (value <= 0.8) return { band: 'substantial', tone: 'fair' };
  return { band: 'almost perfect', tone: 'good' };
}

const ARBITRARY_BANDS = "Landis and Koch's bands are arbitrary conventions, not tests: report the value with the counts.";

export function describeKappa(value: number, context: ReadingContext & { symbol?: string } = {}): Reading {
  const symbol = context.symbol ?? 'κ';
  const notes = [ARBITRARY_BANDS];
  if (value < 0 && !isZero(value)) notes.push('Below 0: coders agree less often than chance would produce.');
  const kind = prevalenceKind(context.prevalence);
  if (kind === 'rare' || kind === 'common') {
    const agreed = typeof context.percentAgreement === 'number' ? ` (here they agree on ${percent(context.percentAgreement)})` : '';
    notes.push(
      `Kappa can be low for such a code even when coders agree on most units${agreed}: the kappa paradox. ` +
        "Report Gwet's AC1 or Krippendorff's alpha alongside the counts.",
    );
  }
  if (isZero(value)) return { band: 'none beyond chance', tone: 'poor', text: `${symbol} = ${fixed(value)}: no agreement beyond chance.`, notes };
  const { band, tone } = landisKoch(value);
  return { band, tone, text: `${symbol} = ${fixed(value)}: ${band} agreement on Landis and Koch's scale.`, notes };
}

export function describeAC1(value: number, context: ReadingContext = {}): Reading {
  const notes = [ARBITRARY_BANDS];
  const kind = prevalenceKind(context.prevalence);
  if (kind === 'rare' || kind === 'common') {
    notes.push('AC1 stays high when coders agree on the common value, so read it with the count of units both coded as present.');
  }
  if (isZero(value)) return { band: 'none beyond chance', tone: 'poor', text: `AC1 = ${fixed(value)}: no agreement beyond chance.`, notes };
  const { band, tone } = landisKoch(value);
  return { band, tone, text: `AC1 = ${fixed(value)}: ${band} agreement on Landis and Koch's scale.`, notes };
}

export function describePercentAgreement(value: number, context: ReadingContext = {}): Reading {
  const notes = ['Percent agreement does not allow for agreement by chance; report a chance-corrected statistic beside it.'];
  const kind = prevalenceKind(context.prevalence);
  if (kind === 'rare' || kind === 'common') notes.push('Coders who never agree on where the code applies can still agree on most units.');
  return { band: `${percent(value)} agreement`, tone: 'none', text: `Coders agreed on ${percent(value)} of the units they shared.`, notes };
}

const UNDEFINED_ADVICE: Readonly<Record<UndefinedReason, string>> = {
  'one-category': 'Nothing varies, so agreement cannot be told apart from chance: report the counts instead.',
  'no-pairable-units': 'Have a second coder code some of the same answers.',
  'wrong-coder-count': 'Use a statistic made for this number of coders.',
  'incomplete-data': "Use Krippendorff's alpha, which allows missing values, or compare only answers every coder coded.",
  'no-usable-resamples': 'Too few units that differ to estimate an interval: code more answers in common.',
  'no-spans': 'There are no passages to compare.',
};

export function describeUndefined(result: { undefined: string; reason: UndefinedReason }): Reading {
  return { band: 'undefined', tone: 'none', text: result.undefined, notes: [UNDEFINED_ADVICE[result.reason]] };
}

/** The reading of any statistic the agreement table reports. */
export function describeStatistic(statistic: DescribedStatistic, result: StatResult, context: ReadingContext = {}): Reading {
  if (!('value' in result)) return describeUndefined(result);
  const { value } = result;
  switch (statistic) {
    case 'krippendorffAlpha':
      return describeAlpha(value, context);
    case 'gwetAC1':
      return describeAC1(value, context);
    case 'percentAgreement':
      return describePercentAgreement(value, context);
    case 'scottPi':
      return describeKappa(value, { ...context, symbol: 'π' });
    default:
      return describeKappa(value, context);
  }
}
