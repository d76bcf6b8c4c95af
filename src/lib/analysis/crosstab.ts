/**
 * Targets × the values of one respondent attribute (e.g. codes × role).
 *
 * A cell counts the respondents (or answers) with that value coded with the
 * target, and carries the ids of the answers behind it so the UI can open
 * them. Two column percentages, chosen by `percentOf`:
 *
 * - `'answered'`: the cell ÷ the column's respondents (answers) in scope, i.e.
 *   "what share of mentors who answered mentioned this". Columns need not add
 *   to 100%, since one respondent may mention several targets.
 * - `'column-total'`: the cell ÷ the column total, the sum of the column's
 *   cells (mentions), i.e. "what share of mentors' mentions were of this".
 *   Each column adds to 100%.
 *
 * A respondent has one value of an attribute, so a row total is the sum of
 * its cells.
 */
import type { AnalysisIndex } from './analysis-index';
import { CodedScratch, allAnswers, codedAnswers } from './coded';
import { coderMask, type CoderSelection } from './coder-selection';
import { GroupTallier, attributeGrouping } from './groups';
import { Marks } from './marks';
import { share } from './share';
import { targetCodeIds, targetKey, targetLabel, type Target } from './targets';

export interface CrosstabOptions {
  attribute: string;
  /** Column order; listed values stay even when nobody has them. Others follow in natural order, "" last. */
  values?: readonly string[];
  unit: 'respondents' | 'answers';
  coders: CoderSelection;
  percentOf: 'answered' | 'column-total';
}

export interface CrosstabCell {
  /** Respondents or answers, as the unit says. */
  count: number;
  /** The denominator `share` uses (see the module notes). */
  base: number;
  /** count ÷ base, 0–1; null when the base is 0. */
  share: number | null;
  /** The coded answers behind the cell, in answer order. */
  answerIds: string[];
}

export interface CrosstabRow {
  key: string;
  target: Target;
  label: string;
  /** One per column, in `columns` order. */
  cells: CrosstabCell[];
  /** Over all columns; its base is the grand total's (answered or mentions). */
  total: CrosstabCell;
}

export interface CrosstabColumn {
  /** The attribute value ("" = respondents without one). */
  value: string;
  /** Respondents (answers) with this value in scope: the base of `'answered'`. */
  answered: number;
  /** The column total: the sum of the column's cells, the base of `'column-total'`. */
  mentions: number;
  /** Distinct respondents (answers) of the column coded with any row's target. */
  coded: number;
}

export interface Crosstab {
  attribute: string;
  unit: CrosstabOptions['unit'];
  percentOf: CrosstabOptions['percentOf'];
  columns: CrosstabColumn[];
  rows: CrosstabRow[];
  /** Column figures over all values. */
  total: Omit<CrosstabColumn, 'value'>;
}

/** Cross-tabulate targets by an attribute (see the module notes for the two percentages). */
export function crosstab(index: AnalysisIndex, targets: readonly Target[], options: CrosstabOptions): Crosstab {
  const grouping = attributeGrouping(index, options.attribute, options.values);
  const n = grouping.values.length;
  const byRespondent = options.unit === 'respondents';
  const tallier = new GroupTallier(index, grouping);
  const inScope = tallier.tally(allAnswers(index));
  const answered = byRespondent ? inScope.respondents : inScope.answers;
  const scratch = new CodedScratch(index);
  const mask = coderMask(index, options.coders);
  // Units coded with any target, across rows: the columns' `coded`.
  const anyTarget = new Marks(byRespondent ? index.respondentCount : index.answerCount);
  const coded = new Int32Array(n);
  const mentions = new Int32Array(n);

  const counted = targets.map((target) => {
    const found = codedAnswers(index, targetCodeIds(index, target), mask, scratch);
    const t = tallier.tally(found);
    const counts = byRespondent ? t.respondents : t.answers;
    const ids: string[][] = Array.from({ length: n }, () => []);
    const all: string[] = [];
    for (const a of found.answers) {
      const g = grouping.ofAnswer[a];
      const id = index.answerIdAt(a);
      ids[g].push(id);
      all.push(id);
      if (anyTarget.add(byRespondent ? index.answerRespondent[a] : a)) coded[g] += 1;
    }
    for (let g = 0; g < n; g++) mentions[g] += counts[g];
    return { target, counts, ids, all };
  });

  const sum = (xs: Int32Array) => xs.reduce((s, x) => s + x, 0);
  const total = { answered: sum(answered), mentions: sum(mentions), coded: sum(coded) };
  const columnBase = options.percentOf === 'answered' ? answered : mentions;
  const totalBase = options.percentOf === 'answered' ? total.answered : total.mentions;
  const cell = (count: number, base: number, answerIds: string[]): CrosstabCell => ({ count, base, share: share(count, base), answerIds });

  const rows = counted.map(({ target, counts, ids, all }) => ({
    key: targetKey(target),
    target,
    label: targetLabel(index, target),
    cells: grouping.values.map((_, g) => cell(counts[g], columnBase[g], ids[g])),
    total: cell(sum(counts), totalBase, all),
  }));
  const columns = grouping.values.map((value, g) => ({ value, answered: answered[g], mentions: mentions[g], coded: coded[g] }));
  return { attribute: options.attribute, unit: options.unit, percentOf: options.percentOf, columns, rows, total };
}
