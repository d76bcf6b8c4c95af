/**
 * Change between two waves as a transition table, split by an attribute
 * (role): of the same respondents who answered (a question in scope) in both
 * waves, who mentioned a target at both (kept), at the second only (gained),
 * at the first only (lost) or at neither (never). The four add up to
 * `answeredBoth`. Respondents who answered in one wave only are left out, as
 * in `waveChange` (whose definitions this shares): for them "stopped mentioning it"
 * and "did not answer" cannot be told apart.
 *
 * A split value counts the respondents with that value; the split values are
 * those of the respondents who answered in both waves, in natural order with
 * the blank value ("no value") last.
 */
import type { AnalysisIndex } from './analysis-index';
import { CodedScratch, codedAnswers } from './coded';
import { coderMask, type CoderSelection } from './coder-selection';
import { orderValues } from './groups';
import { Marks } from './marks';
import { targetCodeIds, targetKey, targetLabel, type Target } from './targets';
import { answeredIn, waveChange, type WaveChangeRow } from './wave-change';

export interface TransitionOptions {
  /** The earlier wave ("A", e.g. baseline) and the later ("B", e.g. 6 months). */
  waveA: string;
  waveB: string;
  coders: CoderSelection;
  /** A respondent attribute to split by (e.g. role); null or absent for the overall figures only. */
  splitBy?: string | null;
}

export interface TransitionCounts {
  answeredBoth: number;
  kept: number;
  gained: number;
  lost: number;
  never: number;
}

export interface TransitionRow {
  key: string;
  target: Target;
  label: string;
  overall: TransitionCounts;
  /** One per `splitValues`, same order. */
  groups: TransitionCounts[];
}

export interface TransitionTable {
  waveA: string;
  waveB: string;
  splitBy: string | null;
  /** Values of the split attribute among respondents who answered in both waves ("" = no value, last). */
  splitValues: string[];
  rows: TransitionRow[];
}

export type TransitionGroup = 'kept' | 'gained' | 'lost' | 'never';

const GROUP_OF: Record<TransitionGroup, keyof Pick<WaveChangeRow, 'both' | 'onlyB' | 'onlyA' | 'neither'>> = {
  kept: 'both',
  gained: 'onlyB',
  lost: 'onlyA',
  never: 'neither',
};

const zero = (): TransitionCounts => ({ answeredBoth: 0, kept: 0, gained: 0, lost: 0, never: 0 });

/**
 * Kept, gained, lost and never for each target, overall and per split value
 * (see the module notes). The same definitions as `waveChange` (its
 * `answeredIn` panel, its coded answers), counted by respondent position
 * rather than listed by id, so a table of 20 targets at 100k respondents
 * builds no id lists.
 */
export function waveTransitions(index: AnalysisIndex, targets: readonly Target[], options: TransitionOptions): TransitionTable {
  const splitBy = options.splitBy ?? null;
  const column = splitBy === null ? null : index.attributeColumn(splitBy);
  const wA = index.waveIds.indexOf(options.waveA);
  const wB = index.waveIds.indexOf(options.waveB);
  const panel: number[] = [];
  if (wA >= 0 && wB >= 0) {
    const inA = answeredIn(index, wA);
    const inB = answeredIn(index, wB);
    for (let r = 0; r < index.respondentCount; r++) if (inA[r] === 1 && inB[r] === 1) panel.push(r);
  }
  const splitValues = column ? orderValues(panel.map((r) => column[r])) : [];
  const valueAt = new Map(splitValues.map((v, i) => [v, i]));
  const splitOf = column ? Int32Array.from(panel, (r) => valueAt.get(column[r]) as number) : null;

  const scratch = new CodedScratch(index);
  const mask = coderMask(index, options.coders);
  const mentionedA = new Marks(index.respondentCount);
  const mentionedB = new Marks(index.respondentCount);
  const rows = targets.map((target): TransitionRow => {
    mentionedA.clear();
    mentionedB.clear();
    for (const a of codedAnswers(index, targetCodeIds(index, target), mask, scratch).answers) {
      const w = index.answerWave[a];
      if (w === wA) mentionedA.add(index.answerRespondent[a]);
      if (w === wB) mentionedB.add(index.answerRespondent[a]);
    }
    const overall = zero();
    const groups = splitValues.map(zero);
    panel.forEach((r, k) => {
      const a = mentionedA.has(r);
      const b = mentionedB.has(r);
      const name: TransitionGroup = a ? (b ? 'kept' : 'lost') : b ? 'gained' : 'never';
      overall[name] += 1;
      overall.answeredBoth += 1;
      if (splitOf) {
        const g = groups[splitOf[k]];
        g[name] += 1;
        g.answeredBoth += 1;
      }
    });
    return { key: targetKey(target), target, label: targetLabel(index, target), overall, groups };
  });
  return { waveA: options.waveA, waveB: options.waveB, splitBy, splitValues, rows };
}

/**
 * The respondents of one cell (null `splitValue` = every split value), in the
 * index's respondent order, each with their answers in wave A and in wave B
 * for a side-by-side view. In each wave the answers coded with the target are
 * given when there are any, else all the respondent's answers in that wave:
 * so "kept" shows the coded answers on both sides, "gained" the baseline
 * answers next to the coded 6-month ones, and "never" everything they said.
 */
export function transitionPairs(
  index: AnalysisIndex,
  target: Target,
  options: TransitionOptions,
  group: TransitionGroup,
  splitValue: string | null,
): { respondentId: string; answerIdsA: string[]; answerIdsB: string[] }[] {
  const [change] = waveChange(index, [target], options);
  const position = new Map(index.respondentIds.map((id, r) => [id, r]));
  const column = options.splitBy ? index.attributeColumn(options.splitBy) : null;
  const chosen = change[GROUP_OF[group]].respondentIds.filter(
    (id) => splitValue === null || (column !== null && column[position.get(id) as number] === splitValue),
  );
  if (chosen.length === 0) return [];
  const wA = index.waveIds.indexOf(options.waveA);
  const wB = index.waveIds.indexOf(options.waveB);
  const slot = new Map(chosen.map((id, k) => [position.get(id) as number, k]));
  const coded = new Marks(index.answerCount);
  for (const a of codedAnswers(index, targetCodeIds(index, target), coderMask(index, options.coders), new CodedScratch(index)).answers) coded.add(a);
  const sides = chosen.map(() => ({ codedA: [] as string[], allA: [] as string[], codedB: [] as string[], allB: [] as string[] }));
  for (let a = 0; a < index.answerCount; a++) {
    const k = slot.get(index.answerRespondent[a]);
    if (k === undefined) continue;
    const w = index.answerWave[a];
    const side = sides[k];
    const id = index.answerIds[a];
    if (w === wA) (coded.has(a) ? side.codedA : side.allA).push(id);
    else if (w === wB) (coded.has(a) ? side.codedB : side.allB).push(id);
  }
  return chosen.map((respondentId, k) => {
    const s = sides[k];
    return {
      respondentId,
      answerIdsA: s.codedA.length > 0 ? s.codedA : s.allA,
      answerIdsB: s.codedB.length > 0 ? s.codedB : s.allB,
    };
  });
}
