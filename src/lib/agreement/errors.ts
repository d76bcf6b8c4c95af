/**
 * Why an agreement statistic can be undefined, said once so that the generic
 * functions and the fast answer-level table give the same words for the same data.
 */

import type { Value } from './units';

/** Machine-readable cause of an undefined statistic. */
export type UndefinedReason = 'one-category' | 'no-pairable-units' | 'wrong-coder-count' | 'incomplete-data' | 'no-usable-resamples' | 'no-spans';

export type StatisticName =
  | 'percentAgreement'
  | 'cohenKappa'
  | 'scottPi'
  | 'fleissKappa'
  | 'krippendorffAlpha'
  | 'gwetAC1'
  | 'alphaInterval'
  | 'characterPercentAgreement'
  | 'characterKappa'
  | 'spanAgreement';

export const STATISTIC_LABELS: Readonly<Record<StatisticName, string>> = {
  percentAgreement: 'Percent agreement',
  cohenKappa: "Cohen's kappa",
  scottPi: "Scott's pi",
  fleissKappa: "Fleiss' kappa",
  krippendorffAlpha: "Krippendorff's alpha",
  gwetAC1: "Gwet's AC1",
  alphaInterval: "The bootstrap interval for Krippendorff's alpha",
  characterPercentAgreement: 'Percent agreement on characters',
  characterKappa: "Cohen's kappa on characters",
  spanAgreement: 'Span agreement',
};

/** Thrown instead of returning NaN or Infinity: the message says why in words an author can act on. */
export class AgreementUndefinedError extends Error {
  override readonly name = 'AgreementUndefinedError';

  constructor(
    readonly statistic: StatisticName,
    readonly reason: UndefinedReason,
    message: string,
  ) {
    super(message);
  }
}

/** A statistic or why it has no value; what reports hold, so that building a report never throws. */
export type StatResult = { value: number } | { undefined: string; reason: UndefinedReason };

export function isDefined(result: StatResult): result is { value: number } {
  return 'value' in result;
}

/** Runs a computation, turning AgreementUndefinedError into `{ undefined }`; other errors are bugs and propagate. */
export function tryStatistic(compute: () => number): StatResult {
  try {
    return { value: compute() };
  } catch (error) {
    if (error instanceof AgreementUndefinedError) return { undefined: error.message, reason: error.reason };
    throw error;
  }
}

export function formatValue(value: Value): string {
  return typeof value === 'string' ? `“${value}”` : String(value);
}

function label(statistic: StatisticName): string {
  return STATISTIC_LABELS[statistic];
}

function codersPhrase(coders: number): string {
  return coders === 2 ? 'both coders' : `all ${coders} coders`;
}

export function noUnitsError(statistic: StatisticName): AgreementUndefinedError {
  return new AgreementUndefinedError(statistic, 'no-pairable-units', `${label(statistic)} is undefined: there are no units to compare.`);
}

/**
 * `coders` is how many coders must share a unit for it to count: 2 for pairwise
 * statistics, the coder count for those that need complete units.
 */
export function noPairableUnitsError(statistic: StatisticName, coders = 2, atLeast = false): AgreementUndefinedError {
  const who = atLeast ? 'two or more coders' : codersPhrase(coders);
  return new AgreementUndefinedError(
    statistic,
    'no-pairable-units',
    `${label(statistic)} is undefined: no unit was coded by ${who}, so there is nothing to compare.`,
  );
}

export function oneCategoryError(statistic: StatisticName, category: Value): AgreementUndefinedError {
  const shown = formatValue(category);
  let why: string;
  switch (statistic) {
    case 'cohenKappa':
    case 'characterKappa':
      why = `both coders used only one category (${shown}), so agreement expected by chance is 1.`;
      break;
    case 'scottPi':
    case 'fleissKappa':
      why = `the coders used only one category (${shown}) between them, so agreement expected by chance is 1.`;
      break;
    case 'gwetAC1':
      why = `only one category (${shown}) is known, and AC1 needs at least two (pass the full list of categories if the scale has more).`;
      break;
    default:
      why = `every pairable value is ${shown}, so there is no variation and disagreement expected by chance is 0.`;
  }
  return new AgreementUndefinedError(statistic, 'one-category', `${label(statistic)} is undefined: ${why}`);
}

export function wrongCoderCountError(statistic: StatisticName, coders: number): AgreementUndefinedError {
  const exactlyTwo = statistic === 'cohenKappa' || statistic === 'scottPi';
  const message = exactlyTwo
    ? `${label(statistic)} is undefined for ${coders} coder${coders === 1 ? '' : 's'}: it compares exactly two ` +
      `(${statistic === 'scottPi' ? "Fleiss' kappa generalises it to more" : "use Fleiss' kappa, Gwet's AC1 or Krippendorff's alpha for more"}).`
    : `${label(statistic)} is undefined for ${coders} coder${coders === 1 ? '' : 's'}: agreement needs at least two.`;
  return new AgreementUndefinedError(statistic, 'wrong-coder-count', message);
}
