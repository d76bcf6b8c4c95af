/**
 * Answer-level agreement per code: for each code, each answer is a unit whose
 * value per coder is 'present' (the coder applied the code anywhere in the
 * answer), 'absent' (the coder coded the answer but not with this code) or
 * missing (the coder never coded the answer, when a `coded` predicate says so).
 *
 * With binary values a unit is fully described by how many coders said present
 * (p) and absent (q), and a coder pair's view by a 2×2 table, so the builder
 * only counts: one pass over answers × codes × coders into typed arrays, then
 * every statistic from the counts through the same cores as the generic
 * functions. Nothing here throws on undefined statistics: each is a StatResult.
 *
 * Gwet's AC1 always counts two categories (present, absent), so a code nobody
 * applied has AC1 = 1 while kappa and alpha are undefined (one category).
 * The pooled row stacks code × answer units and treats them as independent,
 * in the statistics and in the bootstrap alike.
 */

import { bootstrapPatterns, DEFAULT_BOOTSTRAP_SAMPLES, DEFAULT_BOOTSTRAP_SEED } from './bootstrap';
import { AgreementUndefinedError, noUnitsError, tryStatistic, wrongCoderCountError, type StatisticName, type StatResult, type UndefinedReason } from './errors';
import { alphaFromCoincidences } from './krippendorff';
import { mixSeed, mulberry32 } from './random';
import { cohenKappaFromTable, fleissKappaFromUnitSums, gwetAC1FromUnitSums, percentAgreementFromUnitSums, scottPiFromTable, type UnitSums } from './statistics';
import type { Value } from './units';

export const PRESENT = 'present';
export const ABSENT = 'absent';
export type Presence = typeof PRESENT | typeof ABSENT;
/** Category order of the binary cores: index 0 present, 1 absent. */
export const PRESENCE_CATEGORIES: readonly Value[] = [PRESENT, ABSENT];

export interface AnswerCodings {
  answerIds: readonly string[];
  coderIds: readonly string[];
  codeIds: readonly string[];
  /** The codes coder `coder` applied to answer `answer` (whole answer or any passage); ids not in codeIds are ignored. */
  present(coder: number, answer: number): ReadonlySet<string> | readonly string[] | undefined;
  /**
   * Whether the coder coded the answer at all. Without it every coder counts
   * as having coded every answer, so a code not applied is 'absent'. A coder
   * who applied any code to an answer has coded it, whatever this says.
   */
  coded?(coder: number, answer: number): boolean;
}

export interface AgreementTableOptions {
  /** Bootstrap resamples for the alpha interval; 0 skips it. 1000 by default. */
  bootstrapSamples?: number;
  seed?: number;
}

/** A coder pair's 2×2 table over the units both coded. */
export interface CoderPairCounts {
  /** Coder indices, a < b. */
  a: number;
  b: number;
  bothPresent: number;
  /** Present for coder a, absent for coder b. */
  aOnly: number;
  bOnly: number;
  bothAbsent: number;
}

export interface AgreementStatistics {
  percentAgreement: StatResult;
  cohenKappa: StatResult;
  scottPi: StatResult;
  fleissKappa: StatResult;
  krippendorffAlpha: StatResult;
  gwetAC1: StatResult;
}

export type IntervalResult =
  { low: number; high: number; samples: number; requested: number; confidence: number } | { undefined: string; reason: UndefinedReason };

export interface AgreementRow {
  /** null for the pooled row. */
  codeId: string | null;
  /** Answers (pooled: answers × codes). */
  units: number;
  /** Units with values from two or more coders. */
  pairableUnits: number;
  /** Units with values from every coder. */
  completeUnits: number;
  /** Pairable units on which every value is present / absent / the values differ. */
  allPresent: number;
  allAbsent: number;
  mixed: number;
  /** One table per coder pair (for two coders, the 2×2 table). */
  pairs: CoderPairCounts[];
  /** Share of 'present' among the values of pairable units; null without pairable units. */
  prevalence: number | null;
  statistics: AgreementStatistics;
  /** 95% percentile bootstrap interval of alpha; null when the bootstrap was skipped. */
  alphaInterval: IntervalResult | null;
}

export interface AgreementTable {
  coderIds: readonly string[];
  codeIds: readonly string[];
  answers: number;
  rows: AgreementRow[];
  pooled: AgreementRow;
  bootstrap: { samples: number; seed: number };
}

/** Reads one answer's presence into stamps, so nothing is cleared between answers. */
class PresenceScan {
  readonly stamp: Int32Array;
  readonly coded: Uint8Array;
  private readonly codeIndex = new Map<string, number>();
  private current = 0;

  /** The stamp the last read() wrote: a cell holding any other value is absent. */
  get currentStamp(): number {
    return this.current;
  }

  constructor(private readonly input: AnswerCodings) {
    input.codeIds.forEach((id, k) => {
      if (!this.codeIndex.has(id)) this.codeIndex.set(id, k);
    });
    this.stamp = new Int32Array(input.coderIds.length * input.codeIds.length);
    this.coded = new Uint8Array(input.coderIds.length);
  }

  read(answer: number): void {
    const { input, codeIndex, stamp, coded } = this;
    const codes = input.codeIds.length;
    const current = ++this.current;
    for (let c = 0; c < coded.length; c++) {
      let didCode = input.coded ? input.coded(c, answer) : true;
      const applied = input.present(c, answer);
      if (applied) {
        for (const id of applied) {
          didCode = true;
          const k = codeIndex.get(id);
          if (k !== undefined) stamp[c * codes + k] = current;
        }
      }
      coded[c] = didCode ? 1 : 0;
    }
  }

  /** Coder c's value for code k on the answer last read. */
  value(c: number, k: number): Presence | null {
    if (!this.coded[c]) return null;
    return this.stamp[c * this.input.codeIds.length + k] === this.current ? PRESENT : ABSENT;
  }
}

/** Counts of one row: unit patterns (p present, q absent) and pair tables. */
interface RowCounts {
  /** patterns[p·(m+1) + q] = units with p present and q absent values. */
  patterns: Float64Array;
  /** pairs[pair·4 + cell]: cells bothPresent, aOnly, bOnly, bothAbsent. */
  pairs: Float64Array;
}

function pairIndices(coders: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let c = 0; c < coders; c++) for (let d = c + 1; d < coders; d++) pairs.push([c, d]);
  return pairs;
}

/** Krippendorff's nominal alpha from unit patterns: the 2×2 coincidence matrix directly. */
export function alphaFromPatterns(coders: number, patterns: ArrayLike<number>): number {
  let presentPresent = 0;
  let absentAbsent = 0;
  let presentAbsent = 0;
  for (let p = 0; p <= coders; p++) {
    for (let q = 0; p + q <= coders; q++) {
      const units = patterns[p * (coders + 1) + q];
      const values = p + q;
      if (units === 0 || values < 2) continue;
      const scale = units / (values - 1);
      presentPresent += p * (p - 1) * scale;
      absentAbsent += q * (q - 1) * scale;
      presentAbsent += p * q * scale;
    }
  }
  return alphaFromCoincidences(PRESENCE_CATEGORIES, [presentPresent, presentAbsent, presentAbsent, absentAbsent], 'nominal');
}

/** UnitSums over unit patterns: a unit with p present and q absent values has r = p + q of them. */
function unitSumsFromPatterns(coders: number, patterns: ArrayLike<number>): UnitSums {
  let rated = 0;
  let pairable = 0;
  let agreement = 0;
  let present = 0;
  let absent = 0;
  for (let p = 0; p <= coders; p++) {
    for (let q = 0; p + q <= coders; q++) {
      const count = patterns[p * (coders + 1) + q];
      const values = p + q;
      if (count === 0 || values === 0) continue;
      rated += count;
      present += (count * p) / values;
      absent += (count * q) / values;
      if (values >= 2) {
        pairable += count;
        agreement += (count * (p * (p - 1) + q * (q - 1))) / (values * (values - 1));
      }
    }
  }
  return { rated, pairable, agreement, shares: [present, absent] };
}

function twoByTwo(pairs: Float64Array): number[][] {
  return [
    [pairs[0], pairs[1]],
    [pairs[2], pairs[3]],
  ];
}

function statisticsOf(units: number, coders: number, counts: RowCounts): AgreementStatistics {
  const guard = (statistic: StatisticName, compute: () => number, exactlyTwo = false): StatResult =>
    tryStatistic(() => {
      if (units === 0) throw noUnitsError(statistic);
      if (coders < 2 || (exactlyTwo && coders !== 2)) throw wrongCoderCountError(statistic, coders);
      return compute();
    });
  const sums = unitSumsFromPatterns(coders, counts.patterns);
  return {
    percentAgreement: guard('percentAgreement', () => percentAgreementFromUnitSums(sums, coders)),
    cohenKappa: guard('cohenKappa', () => cohenKappaFromTable(twoByTwo(counts.pairs), PRESENCE_CATEGORIES), true),
    scottPi: guard('scottPi', () => scottPiFromTable(twoByTwo(counts.pairs), PRESENCE_CATEGORIES), true),
    fleissKappa: guard('fleissKappa', () => fleissKappaFromUnitSums(sums, PRESENCE_CATEGORIES)),
    krippendorffAlpha: guard('krippendorffAlpha', () => alphaFromPatterns(coders, counts.patterns)),
    gwetAC1: guard('gwetAC1', () => gwetAC1FromUnitSums(sums, 2, PRESENCE_CATEGORIES, coders)),
  };
}

function intervalOf(coders: number, counts: RowCounts, alpha: StatResult, samples: number, seed: number): IntervalResult | null {
  if (samples === 0) return null;
  if (!('value' in alpha)) return { undefined: alpha.undefined, reason: alpha.reason };
  const pairable = counts.patterns.slice();
  for (let p = 0; p <= coders; p++) for (let q = 0; p + q <= coders && p + q < 2; q++) pairable[p * (coders + 1) + q] = 0;
  try {
    const interval = bootstrapPatterns(pairable, (drawn) => alphaFromPatterns(coders, drawn), {
      samples,
      random: mulberry32(seed),
    });
    return { ...interval, requested: samples, confidence: 0.95 };
  } catch (error) {
    if (error instanceof AgreementUndefinedError) return { undefined: error.message, reason: error.reason };
    throw error;
  }
}

function rowOf(
  codeId: string | null,
  units: number,
  coders: number,
  counts: RowCounts,
  pairList: [number, number][],
  samples: number,
  seed: number,
): AgreementRow {
  let pairableUnits = 0;
  let completeUnits = 0;
  let allPresent = 0;
  let allAbsent = 0;
  let mixed = 0;
  let presentValues = 0;
  let pairableValues = 0;
  for (let p = 0; p <= coders; p++) {
    for (let q = 0; p + q <= coders; q++) {
      const count = counts.patterns[p * (coders + 1) + q];
      if (count === 0) continue;
      if (p + q === coders) completeUnits += count;
      if (p + q < 2) continue;
      pairableUnits += count;
      presentValues += count * p;
      pairableValues += count * (p + q);
      if (q === 0) allPresent += count;
      else if (p === 0) allAbsent += count;
      else mixed += count;
    }
  }
  const statistics = statisticsOf(units, coders, counts);
  return {
    codeId,
    units,
    pairableUnits,
    completeUnits,
    allPresent,
    allAbsent,
    mixed,
    pairs: pairList.map(([a, b], i) => ({
      a,
      b,
      bothPresent: counts.pairs[i * 4],
      aOnly: counts.pairs[i * 4 + 1],
      bOnly: counts.pairs[i * 4 + 2],
      bothAbsent: counts.pairs[i * 4 + 3],
    })),
    prevalence: pairableValues > 0 ? presentValues / pairableValues : null,
    statistics,
    alphaInterval: intervalOf(coders, counts, statistics.krippendorffAlpha, samples, mixSeed(seed, codeId ?? '\u0000pooled')),
  };
}

/**
 * Agreement per code and pooled (every code × answer unit stacked). Never
 * throws for undefined statistics; invalid options throw RangeError.
 */
export function buildAgreementTable(input: AnswerCodings, options: AgreementTableOptions = {}): AgreementTable {
  const { bootstrapSamples = DEFAULT_BOOTSTRAP_SAMPLES, seed = DEFAULT_BOOTSTRAP_SEED } = options;
  if (!Number.isInteger(bootstrapSamples) || bootstrapSamples < 0) {
    throw new RangeError(`bootstrapSamples must be a whole number ≥ 0, not ${bootstrapSamples}.`);
  }
  const coders = input.coderIds.length;
  const codes = input.codeIds.length;
  const answers = input.answerIds.length;
  const side = coders + 1;
  const pairList = pairIndices(coders);
  const patterns = new Float64Array(codes * side * side);
  const pairs = new Float64Array(codes * pairList.length * 4);
  const pairFirst = Int32Array.from(pairList, ([a]) => a);
  const pairSecond = Int32Array.from(pairList, ([, b]) => b);
  const scan = new PresenceScan(input);
  const present = new Uint8Array(coders);

  for (let answer = 0; answer < answers; answer++) {
    scan.read(answer);
    const stamp = scan.stamp;
    const coded = scan.coded;
    const current = scan.currentStamp;
    for (let k = 0; k < codes; k++) {
      let p = 0;
      let q = 0;
      for (let c = 0; c < coders; c++) {
        const isPresent = stamp[c * codes + k] === current ? 1 : 0;
        present[c] = isPresent;
        if (coded[c]) {
          if (isPresent) p++;
          else q++;
        }
      }
      patterns[k * side * side + p * side + q]++;
      if (p + q < 2) continue;
      const base = k * pairList.length * 4;
      for (let i = 0; i < pairFirst.length; i++) {
        const c = pairFirst[i];
        const d = pairSecond[i];
        if (!coded[c] || !coded[d]) continue;
        pairs[base + i * 4 + (present[c] ? 0 : 2) + (present[d] ? 0 : 1)]++;
      }
    }
  }

  const pooled: RowCounts = { patterns: new Float64Array(side * side), pairs: new Float64Array(pairList.length * 4) };
  const rows = input.codeIds.map((codeId, k) => {
    const counts: RowCounts = {
      patterns: patterns.subarray(k * side * side, (k + 1) * side * side),
      pairs: pairs.subarray(k * pairList.length * 4, (k + 1) * pairList.length * 4),
    };
    for (let i = 0; i < counts.patterns.length; i++) pooled.patterns[i] += counts.patterns[i];
    for (let i = 0; i < counts.pairs.length; i++) pooled.pairs[i] += counts.pairs[i];
    return rowOf(codeId, answers, coders, counts, pairList, bootstrapSamples, seed);
  });
  return {
    coderIds: input.coderIds,
    codeIds: input.codeIds,
    answers,
    rows,
    pooled: rowOf(null, answers * codes, coders, pooled, pairList, bootstrapSamples, seed),
    bootstrap: { samples: bootstrapSamples, seed },
  };
}

/** The units matrix of one code ('present' / 'absent' / null per coder per answer), for the generic functions. */
export function answerUnits(input: AnswerCodings, codeId: string): (Presence | null)[][] {
  const k = input.codeIds.indexOf(codeId);
  if (k < 0) throw new RangeError(`The code ${codeId} is not among the codes given.`);
  const scan = new PresenceScan(input);
  const units: (Presence | null)[][] = [];
  for (let answer = 0; answer < input.answerIds.length; answer++) {
    scan.read(answer);
    units.push(input.coderIds.map((_, c) => scan.value(c, k)));
  }
  return units;
}

export interface AnswerDisagreement {
  answerIndex: number;
  answerId: string;
  codeId: string;
  /** Per coder: 'present', 'absent', or null when the coder did not code the answer. */
  values: (Presence | null)[];
}

/** Pairable units whose values differ, in answer order then code order; at most `limit`. */
export function findDisagreements(input: AnswerCodings, options: { limit?: number } = {}): AnswerDisagreement[] {
  const { limit = Infinity } = options;
  const scan = new PresenceScan(input);
  const found: AnswerDisagreement[] = [];
  for (let answer = 0; answer < input.answerIds.length && found.length < limit; answer++) {
    scan.read(answer);
    for (let k = 0; k < input.codeIds.length && found.length < limit; k++) {
      const values = input.coderIds.map((_, c) => scan.value(c, k));
      const given = values.filter((v) => v !== null);
      if (given.length >= 2 && given.some((v) => v !== given[0])) {
        found.push({ answerIndex: answer, answerId: input.answerIds[answer], codeId: input.codeIds[k], values });
      }
    }
  }
  return found;
}

/**
 * A `present` lookup from flat codings (as the CodingIndex holds them): any
 * coding of a code by a coder on an answer makes the code present there.
 */
export function presenceFromCodings(
  codings: Iterable<{ answerId: string; codeId: string; coderId: string }>,
  answerIds: readonly string[],
  coderIds: readonly string[],
): (coder: number, answer: number) => ReadonlySet<string> | undefined {
  const answerIndex = new Map(answerIds.map((id, i) => [id, i]));
  const coderIndex = new Map(coderIds.map((id, i) => [id, i]));
  const sets = new Map<number, Set<string>>();
  for (const coding of codings) {
    const a = answerIndex.get(coding.answerId);
    const c = coderIndex.get(coding.coderId);
    if (a === undefined || c === undefined) continue;
    const key = a * coderIds.length + c;
    let set = sets.get(key);
    if (!set) sets.set(key, (set = new Set()));
    set.add(coding.codeId);
  }
  return (coder, answer) => sets.get(answer * coderIds.length + coder);
}
