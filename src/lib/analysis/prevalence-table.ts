/**
 * Prevalence the way papers report it: targets (codes or themes) as rows,
 * columns split by up to two dimensions (role × wave, role × institution,
 * question × wave), each cell "8 of 16, 50% (29–71%)".
 *
 * Columns are the combinations of the dimensions' groups, outer-major:
 * attribute values in natural order (listed `values` first, blank last),
 * waves and questions in the index's order. A combination nobody answered in
 * (a role nobody has in a wave) is dropped, not shown as an empty column.
 *
 * Denominators are the respondents (answers) of the column who answered a
 * question in scope: for a wave column, those who answered in that wave; for
 * a question column, those who answered that question. Numerators are those
 * coded with the target, by the selected coders, in that column's answers.
 * The total column counts each respondent once over everything in scope.
 *
 * Intervals: Wilson's score interval on every proportion. When the innermost
 * dimension has exactly two groups, each outer group (or the table, with one
 * dimension) gets the difference "second − first" with Newcombe's hybrid score
 * interval. Newcombe's method treats the two groups as independent samples:
 * right for mentees against mentors, only approximate for the same people at
 * two waves (it ignores the pairing, and is then usually too wide); for those,
 * the paired view is "Change between waves" (transitions.ts).
 *
 * Weights (unit "respondents" only; with answers they are ignored and the
 * table says `weighted: false`): a respondent's weight is their value of a
 * numeric attribute, written with a decimal point ("1.5", "2", "1e3", "0").
 * A comma is refused rather than guessed at, since "1,500" may be a thousand
 * and a half or one and a half. A blank, non-numeric or negative weight of a
 * respondent in scope throws a {@link PrevalenceError} naming the respondent;
 * respondents outside the scope are not read. Each cell then also gets the
 * weighted share with Wilson's interval on Kish's effective n
 * (`weightedProportion`); the unweighted counts stay, since papers print both
 * n and the weighted %.
 *
 * Counting is one pass over each target's coded answers into the combined
 * grouping (outer × inner), so a table costs about what one breakdown of the
 * counts view costs, whatever the number of columns.
 */
import type { AnalysisIndex } from './analysis-index';
import { CodedCache, CodedScratch, codedAnswers } from './coded';
import { coderMask, type CoderSelection } from './coder-selection';
import { attributeGrouping, questionGrouping, waveGrouping, type Grouping } from './groups';
import { Marks } from './marks';
import { methodText, newcombeDifference, weightedProportion, wilsonInterval, type WeightedValue } from './proportions';
import { share } from './share';
import { targetCodeIds, targetKey, targetLabel, type Target } from './targets';

export type Dimension = { kind: 'attribute'; name: string; values?: readonly string[] } | { kind: 'wave' } | { kind: 'question' };

export interface PrevalenceOptions {
  coders: CoderSelection;
  /** The UI's default is respondents. */
  unit: 'respondents' | 'answers';
  /** 0, 1 or 2: outer then inner column groups. */
  dimensions: readonly Dimension[];
  /** A numeric respondent attribute; respondents unit only (see the module notes). */
  weightAttribute?: string | null;
  /** Default 0.95. */
  confidence?: number;
  /** Default false: rows coded nowhere in scope are hidden (and counted in `hiddenEmptyRows`). */
  showEmptyRows?: boolean;
}

export interface PrevalenceCell {
  /** Respondents (answers) of the column coded with the target. */
  count: number;
  /** Respondents (answers) of the column in scope. */
  base: number;
  /** count ÷ base; null when the base is 0. */
  share: number | null;
  /** Wilson's limits; null when the base is 0. */
  low: number | null;
  high: number | null;
  /** With a weight attribute: the weighted share and its interval on Kish's effective n. */
  weighted: { estimate: number; low: number; high: number; effectiveN: number; weightTotal: number } | null;
}

export interface PrevalenceColumn {
  /** Stable within the table: the JSON of `values`. */
  key: string;
  /** One per dimension: attribute value ("" = no value), wave id or question id. */
  values: string[];
  base: number;
}

export interface PrevalenceDifference {
  /** The columns compared, as indexes into `columns`: the estimate is b − a. */
  a: number;
  b: number;
  estimate: number;
  low: number;
  high: number;
}

export interface PrevalenceRow {
  key: string;
  target: Target;
  label: string;
  /** One per column. */
  cells: PrevalenceCell[];
  total: PrevalenceCell;
  /** One per `comparisons` entry, same order; null when it cannot be computed. */
  differences: (PrevalenceDifference | null)[];
}

export interface PrevalenceTable {
  dimensions: Dimension[];
  unit: PrevalenceOptions['unit'];
  confidence: number;
  columns: PrevalenceColumn[];
  total: { base: number };
  rows: PrevalenceRow[];
  /** The column pairs differences are given for (b − a), in column order. */
  comparisons: { a: number; b: number }[];
  hiddenEmptyRows: number;
  weighted: boolean;
}

/** A weight the table cannot use, or options it cannot follow; the message names the respondent and what to do. */
export class PrevalenceError extends Error {
  override readonly name = 'PrevalenceError';

  constructor(
    message: string,
    /** The respondent whose weight is wrong, when it is about a weight. */
    readonly respondentId: string | null = null,
    /** The value found. */
    readonly value: string | null = null,
  ) {
    super(message);
  }
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** A weight as written in an attribute (see the module notes), or a PrevalenceError. */
export function parseWeight(raw: string, respondentId: string, attribute: string): number {
  const text = raw.trim();
  const fix = `Correct it in the survey file and import it again, or choose another weight column.`;
  if (text === '')
    throw new PrevalenceError(
      `Respondent ${respondentId} has no value in the weight column "${attribute}": every respondent in scope needs a weight of zero or more. ${fix}`,
      respondentId,
      raw,
    );
  if (/^[+-]?\d*,\d+$/.test(text))
    throw new PrevalenceError(
      `Respondent ${respondentId} has the weight "${raw}" in "${attribute}": write weights with a decimal point (${text.replace(',', '.')}), since a comma may separate thousands. ${fix}`,
      respondentId,
      raw,
    );
  const value = NUMBER.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value))
    throw new PrevalenceError(`Respondent ${respondentId} has the weight "${raw}" in "${attribute}", which is not a number. ${fix}`, respondentId, raw);
  if (value < 0)
    throw new PrevalenceError(
      `Respondent ${respondentId} has a negative weight (${raw}) in "${attribute}": weights must be zero or more. ${fix}`,
      respondentId,
      raw,
    );
  return value;
}

function groupingOf(index: AnalysisIndex, d: Dimension): Grouping {
  if (d.kind === 'attribute') return attributeGrouping(index, d.name, d.values);
  return d.kind === 'wave' ? waveGrouping(index) : questionGrouping(index);
}

/**
 * The dimensions combined into one grouping: `group` numbers outer × inner
 * (outer-major), and `sub` numbers the part of it not fixed by the respondent
 * (waves, questions), so (respondent, sub) identifies a respondent's place in
 * a column without a mark per respondent × column (an attribute of a
 * thousand values would make that a hundred million).
 */
interface Combined {
  groupings: Grouping[];
  groups: number;
  group: Int32Array;
  subs: number;
  sub: Int32Array;
  /** The sub of each group. */
  subOfGroup: Int32Array;
}

function combine(index: AnalysisIndex, dimensions: readonly Dimension[]): Combined {
  if (dimensions.length > 2)
    throw new PrevalenceError(`A prevalence table splits its columns by at most two dimensions, not ${dimensions.length}: remove one.`);
  const groupings = dimensions.map((d) => groupingOf(index, d));
  const groups = groupings.reduce((n, g) => n * g.values.length, 1);
  const subs = groupings.reduce((n, g) => (g.byRespondent ? n : n * g.values.length), 1);
  const group = new Int32Array(index.answerCount);
  const sub = new Int32Array(index.answerCount);
  for (const g of groupings) {
    const size = g.values.length;
    for (let a = 0; a < group.length; a++) {
      group[a] = group[a] * size + g.ofAnswer[a];
      if (!g.byRespondent) sub[a] = sub[a] * size + g.ofAnswer[a];
    }
  }
  const subOfGroup = new Int32Array(groups);
  for (let g = 0; g < groups; g++) {
    let rest = g;
    let s = 0;
    let scale = 1;
    for (let d = groupings.length - 1; d >= 0; d--) {
      const size = groupings[d].values.length;
      const v = rest % size;
      rest = Math.floor(rest / size);
      if (!groupings[d].byRespondent) {
        s += v * scale;
        scale *= size;
      }
    }
    subOfGroup[g] = s;
  }
  return { groupings, groups, group, subs, sub, subOfGroup };
}

/** The value index of each dimension in a combined group. */
function valuesOf(c: Combined, g: number): number[] {
  const out: number[] = [];
  let rest = g;
  for (let d = c.groupings.length - 1; d >= 0; d--) {
    const size = c.groupings[d].values.length;
    out.unshift(rest % size);
    rest = Math.floor(rest / size);
  }
  return out;
}

interface Tally {
  answers: Int32Array;
  respondents: Int32Array;
  answersTotal: number;
  respondentsTotal: number;
}

/** Coded answers (every answer when null) and distinct respondents per combined group and in total. */
function tally(index: AnalysisIndex, c: Combined, answers: Int32Array | null, perGroup: Marks, overall: Marks): Tally {
  const count = answers ? answers.length : index.answerCount;
  const out: Tally = { answers: new Int32Array(c.groups), respondents: new Int32Array(c.groups), answersTotal: count, respondentsTotal: 0 };
  perGroup.clear();
  overall.clear();
  for (let k = 0; k < count; k++) {
    const a = answers ? answers[k] : k;
    const g = c.group[a];
    const r = index.answerRespondent[a];
    out.answers[g] += 1;
    if (perGroup.add(r * c.subs + c.sub[a])) out.respondents[g] += 1;
    if (overall.add(r)) out.respondentsTotal += 1;
  }
  return out;
}

function cell(count: number, base: number, confidence: number): PrevalenceCell {
  const interval = base > 0 ? wilsonInterval(count, base, confidence) : null;
  return { count, base, share: share(count, base), low: interval?.low ?? null, high: interval?.high ?? null, weighted: null };
}

/** Per column (and the total), its respondents and their weights, reused for every row with `success` reset. */
interface WeightedColumns {
  members: Int32Array[];
  values: WeightedValue[][];
  totalValues: WeightedValue[];
}

function weightedColumns(index: AnalysisIndex, c: Combined, groupOfColumn: readonly number[], attribute: string): WeightedColumns {
  const raw = index.attributeColumn(attribute);
  const weights = raw.map((v, r) => parseWeight(v, index.respondentIds[r], attribute));
  const columnOfGroup = new Int32Array(c.groups).fill(-1);
  groupOfColumn.forEach((g, col) => (columnOfGroup[g] = col));
  const members: number[][] = groupOfColumn.map(() => []);
  const seen = new Marks(index.respondentCount * c.subs);
  for (let a = 0; a < index.answerCount; a++) {
    const r = index.answerRespondent[a];
    const col = columnOfGroup[c.group[a]];
    if (col >= 0 && seen.add(r * c.subs + c.sub[a])) members[col].push(r);
  }
  return {
    members: members.map((m) => Int32Array.from(m)),
    values: members.map((m) => m.map((r) => ({ weight: weights[r], success: false }))),
    totalValues: weights.map((weight) => ({ weight, success: false })),
  };
}

function weightedOf(values: readonly WeightedValue[], confidence: number): PrevalenceCell['weighted'] {
  const w = weightedProportion(values, confidence);
  return { estimate: w.estimate, low: w.low, high: w.high, effectiveN: w.effectiveN, weightTotal: w.weightTotal };
}

/**
 * The last columns worked out for each index: the dimensions combined over every answer, and the whole scope's
 * tally. They follow the answers and attributes alone, which an index never changes, so the tables that share the
 * dimensions (the Word report makes one per theme and one of every code; the Prevalence tab one per switch of
 * unit, coders or codes) do not walk every answer again each: at 2M answers that was ~1.6 s of a 2.7 s report.
 */
const scopes = new WeakMap<AnalysisIndex, { key: string; c: Combined; inScope: Tally }>();

function scopeOf(index: AnalysisIndex, dimensions: readonly Dimension[]) {
  const key = JSON.stringify(dimensions);
  const kept = scopes.get(index);
  if (kept?.key === key) return kept;
  const c = combine(index, dimensions);
  const scope = { key, c, inScope: tally(index, c, null, new Marks(index.respondentCount * c.subs), new Marks(index.respondentCount)) };
  scopes.set(index, scope);
  return scope;
}

/** Works out the columns for these dimensions ahead (see `scopes`), so the next table over them tallies codes alone. */
export function prevalenceScope(index: AnalysisIndex, dimensions: readonly Dimension[]): void {
  scopeOf(index, dimensions);
}

/** Prevalence of each target by the dimensions' columns (see the module notes). */
export function prevalenceTable(
  index: AnalysisIndex,
  targets: readonly Target[],
  options: PrevalenceOptions,
  /** Shared by the tables of one piece of work (the Word report's), or kept with the index (the Prevalence tab's). */
  cache?: CodedCache,
  /** Kept with the index (coded.ts, keptFor): a new one otherwise. */
  keptScratch?: CodedScratch,
): PrevalenceTable {
  const confidence = options.confidence ?? 0.95;
  const byRespondent = options.unit === 'respondents';
  const { c, inScope } = scopeOf(index, options.dimensions);
  const perGroup = new Marks(index.respondentCount * c.subs);
  const overall = new Marks(index.respondentCount);
  const baseOf = (t: Tally) => (byRespondent ? t.respondents : t.answers);
  const totalOf = (t: Tally) => (byRespondent ? t.respondentsTotal : t.answersTotal);

  // With no dimension there is one combination (the whole scope), which the total column already is.
  const groupOfColumn: number[] = [];
  if (c.groupings.length > 0) for (let g = 0; g < c.groups; g++) if (baseOf(inScope)[g] > 0) groupOfColumn.push(g);
  const columns: PrevalenceColumn[] = groupOfColumn.map((g) => {
    const values = valuesOf(c, g).map((v, d) => c.groupings[d].values[v]);
    return { key: JSON.stringify(values), values, base: baseOf(inScope)[g] };
  });

  // Differences: innermost dimension with two groups among the columns shown, within each outer group.
  // The inner value is the last digit of a combined group, so a column's partner is its group plus the gap.
  const comparisons: { a: number; b: number }[] = [];
  if (c.groupings.length > 0) {
    const innerSize = c.groupings[c.groupings.length - 1].values.length;
    const columnOfGroup = new Int32Array(c.groups).fill(-1);
    groupOfColumn.forEach((g, col) => (columnOfGroup[g] = col));
    const innerValues = [...new Set(groupOfColumn.map((g) => g % innerSize))].sort((x, y) => x - y);
    if (innerValues.length === 2) {
      const gap = innerValues[1] - innerValues[0];
      groupOfColumn.forEach((g, col) => {
        if (g % innerSize === innerValues[0] && columnOfGroup[g + gap] >= 0) comparisons.push({ a: col, b: columnOfGroup[g + gap] });
      });
    }
  }

  const weighted = byRespondent && !!options.weightAttribute;
  const w = weighted ? weightedColumns(index, c, groupOfColumn, options.weightAttribute as string) : null;

  const scratch = keptScratch ?? new CodedScratch(index);
  const mask = coderMask(index, options.coders);
  const rows: PrevalenceRow[] = [];
  let hiddenEmptyRows = 0;
  for (const target of targets) {
    const coded = cache ? cache.of(index, targetCodeIds(index, target), mask, scratch) : codedAnswers(index, targetCodeIds(index, target), mask, scratch);
    if (coded.answers.length === 0 && !options.showEmptyRows) {
      hiddenEmptyRows += 1;
      continue;
    }
    const t = tally(index, c, coded.answers, perGroup, overall);
    const counts = baseOf(t);
    const cells = groupOfColumn.map((g, col) => cell(counts[g], columns[col].base, confidence));
    const total = cell(totalOf(t), totalOf(inScope), confidence);
    if (w) {
      // `tally` left the coded (respondent, sub) pairs in perGroup and the coded respondents in overall.
      groupOfColumn.forEach((g, col) => {
        const s = c.subOfGroup[g];
        const members = w.members[col];
        const values = w.values[col];
        for (let k = 0; k < members.length; k++) values[k].success = perGroup.has(members[k] * c.subs + s);
        cells[col].weighted = weightedOf(values, confidence);
      });
      w.totalValues.forEach((v, r) => (v.success = overall.has(r)));
      total.weighted = weightedOf(w.totalValues, confidence);
    }
    const differences = comparisons.map(({ a, b }) => {
      const d = newcombeDifference(cells[b].count, cells[b].base, cells[a].count, cells[a].base, confidence);
      return Number.isNaN(d.estimate) ? null : { a, b, estimate: d.estimate, low: d.low, high: d.high };
    });
    rows.push({ key: targetKey(target), target, label: targetLabel(index, target), cells, total, differences });
  }

  return {
    dimensions: [...options.dimensions],
    unit: options.unit,
    confidence,
    columns,
    total: { base: totalOf(inScope) },
    rows,
    comparisons,
    hiddenEmptyRows,
    weighted,
  };
}

/**
 * The sentences a table prints under itself: what is counted out of what,
 * and the interval methods it uses (from `methodText`, so the report and the
 * docs say the same).
 */
export function methodNote(table: PrevalenceTable): string {
  const text = methodText(table.confidence);
  const parts: string[] = [
    table.unit === 'respondents'
      ? 'Each cell is the number of respondents coded with the code or theme out of the respondents who answered a question in scope in that column (for a wave, those who answered in that wave); a respondent counts once per cell.'
      : 'Each cell is the number of answers coded with the code or theme out of the non-blank answers in scope in that column.',
    text.wilson,
  ];
  if (table.comparisons.length > 0) {
    const inner = table.dimensions[table.dimensions.length - 1];
    const paired =
      inner?.kind === 'wave'
        ? ' Here the two columns are largely the same respondents at two waves, so the interval is only approximate: for change in the same people, see "Change between waves".'
        : inner?.kind === 'question'
          ? ' Here the two columns are largely the same respondents answering two questions, so the interval is only approximate.'
          : '';
    parts.push(`${text.newcombe} The method treats the two groups as independent.${paired}`);
  }
  if (table.weighted) parts.push(text.weighted);
  if (table.hiddenEmptyRows > 0)
    parts.push(
      table.hiddenEmptyRows === 1
        ? 'One code or theme coded nowhere in scope is not shown.'
        : `${table.hiddenEmptyRows} codes or themes coded nowhere in scope are not shown.`,
    );
  return parts.join(' ');
}

/**
 * The coded answers behind a cell, in answer order: the target's answers (by
 * the selected coders) whose values for the dimensions are `columnValues`
 * (one per dimension, as in `PrevalenceColumn.values`), or all of them for
 * the total column (null). Values the index does not have give none.
 */
export function prevalenceCellAnswers(
  index: AnalysisIndex,
  target: Target,
  options: Pick<PrevalenceOptions, 'coders' | 'dimensions'>,
  columnValues: readonly string[] | null,
): string[] {
  const coded = codedAnswers(index, targetCodeIds(index, target), coderMask(index, options.coders), new CodedScratch(index));
  if (columnValues === null) return Array.from(coded.answers, (a) => index.answerIds[a]);
  if (columnValues.length !== options.dimensions.length)
    throw new PrevalenceError(`A cell needs one value per dimension (${options.dimensions.length}), not ${columnValues.length}.`);
  const groupings = options.dimensions.map((d) => groupingOf(index, d));
  const wanted = groupings.map((g, d) => g.values.indexOf(columnValues[d]));
  if (wanted.some((v) => v < 0)) return [];
  const out: string[] = [];
  for (const a of coded.answers) if (groupings.every((g, d) => g.ofAnswer[a] === wanted[d])) out.push(index.answerIds[a]);
  return out;
}
