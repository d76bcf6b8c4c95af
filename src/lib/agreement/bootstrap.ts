/**
 * Percentile bootstrap intervals for Krippendorff's alpha.
 *
 * Only pairable units (two or more values) are resampled: the others carry no
 * information about agreement, and resampling them would only make the number
 * of usable units random. Resamples on which alpha is undefined (say, every
 * drawn unit has the same value) are skipped and the count used is reported.
 */

import { AgreementUndefinedError } from './errors';
import { addUnit, alphaFromCoincidences, krippendorffAlpha, pairableUnitCount, unitCoincidences, type AlphaLevel, type AlphaOptions } from './krippendorff';
import { multinomial, mulberry32, randomIndex, type Random } from './random';
import type { Units } from './units';

export const DEFAULT_BOOTSTRAP_SAMPLES = 1000;
/** Any fixed seed would do: a default one makes a report reproducible without the user choosing a seed. */
export const DEFAULT_BOOTSTRAP_SEED = 20110101;

export interface BootstrapOptions extends AlphaOptions {
  /** Resamples to draw; 1000 by default. */
  samples?: number;
  /** Seed of the generator; the same seed gives the same interval. */
  seed?: number;
  level?: AlphaLevel;
  /** Coverage of the percentile interval, 0.95 by default. */
  confidence?: number;
}

export interface AlphaInterval {
  alpha: number;
  low: number;
  high: number;
  /** Resamples on which alpha was defined, and so used for the interval. */
  samples: number;
  /** Resamples drawn. */
  requested: number;
  confidence: number;
}

function checkOptions(samples: number, confidence: number): void {
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`The bootstrap needs a whole number of samples ≥ 1, not ${samples}.`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`The confidence level must lie between 0 and 1, not ${confidence}.`);
}

/** The (1 − confidence)/2 and (1 + confidence)/2 quantiles (linear interpolation, R's type 7) of the first `count` values. */
export function percentileInterval(values: Float64Array, count: number, confidence = 0.95): { low: number; high: number } {
  const sorted = values.slice(0, count).sort();
  const quantile = (p: number): number => {
    const h = (count - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, count - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  };
  return { low: quantile((1 - confidence) / 2), high: quantile((1 + confidence) / 2) };
}

function noUsableResamples(requested: number): AgreementUndefinedError {
  return new AgreementUndefinedError(
    'alphaInterval',
    'no-usable-resamples',
    `The bootstrap interval for Krippendorff's alpha is undefined: alpha was undefined in ${requested === 1 ? 'the only resample' : `all ${requested} resamples`} ` +
      '(too few units, or too few that differ, to resample).',
  );
}

/** Runs `requested` resamples of `statistic`, skipping undefined ones, and returns the percentile interval. */
function collect(requested: number, confidence: number, statistic: () => number): { low: number; high: number; samples: number } {
  const values = new Float64Array(requested);
  let used = 0;
  for (let s = 0; s < requested; s++) {
    try {
      values[used] = statistic();
      used++;
    } catch (error) {
      if (!(error instanceof AgreementUndefinedError)) throw error;
    }
  }
  if (used === 0) throw noUsableResamples(requested);
  return { ...percentileInterval(values, used, confidence), samples: used };
}

/** Krippendorff's alpha with a percentile bootstrap interval, resampling pairable units with replacement. */
export function bootstrapAlpha(units: Units, options: BootstrapOptions = {}): AlphaInterval {
  const { samples = DEFAULT_BOOTSTRAP_SAMPLES, seed = DEFAULT_BOOTSTRAP_SEED, level = 'nominal', confidence = 0.95 } = options;
  checkOptions(samples, confidence);
  const alpha = krippendorffAlpha(units, level, options);
  const coincidences = unitCoincidences(units);
  const pairable = pairableUnitCount(coincidences);
  const size = coincidences.values.length;
  const matrix = new Float64Array(size * size);
  const times = new Int32Array(pairable);
  const random = mulberry32(seed);
  const interval = collect(samples, confidence, () => {
    times.fill(0);
    for (let i = 0; i < pairable; i++) times[randomIndex(random, pairable)]++;
    matrix.fill(0);
    for (let u = 0; u < pairable; u++) if (times[u] > 0) addUnit(coincidences, u, matrix, times[u]);
    return alphaFromCoincidences(coincidences.values, matrix, level, options);
  });
  return { alpha, ...interval, requested: samples, confidence };
}

/**
 * The bootstrap when units fall into a few patterns (e.g. for two coders and a
 * binary code: both present, one present, both absent): resampling n units is
 * then one multinomial draw of pattern counts, whatever n is.
 * `statistic` receives the resampled count of each pattern.
 */
export function bootstrapPatterns(
  patternCounts: ArrayLike<number>,
  statistic: (counts: Float64Array) => number,
  options: { samples: number; random: Random; confidence?: number },
): { low: number; high: number; samples: number } {
  const { samples, random, confidence = 0.95 } = options;
  checkOptions(samples, confidence);
  let n = 0;
  for (let i = 0; i < patternCounts.length; i++) n += patternCounts[i];
  const drawn = new Float64Array(patternCounts.length);
  return collect(samples, confidence, () => {
    multinomial(random, n, patternCounts, drawn);
    return statistic(drawn);
  });
}
