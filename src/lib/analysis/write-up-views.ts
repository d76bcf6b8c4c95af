/**
 * The write-up tables over a loaded project (issue 13, parts 1–3): prevalence
 * by up to two dimensions, pair concordance and transitions between waves,
 * each with its labels for display, the sentence that says how it was counted
 * and the filter it obeys; and the answers behind their cells.
 *
 * The filter bar is applied before these run: the worker hands them the
 * project as the request's filter narrows it (`AnalysisProject.filtered`), so
 * they count what it keeps, and each result names it (`filterLabel`).
 */
import type { AnalysisIndex } from './analysis-index';
import {
  AnalysisRequestError,
  NO_VALUE_LABEL,
  analysisCoders,
  scopeWords,
  targetsOf,
  usesFinalSet,
  whoseCodings,
  type AnalysisProject,
} from './analysis-project';
import { dyadCellAnswers, pairConcordance } from './dyads';
import { methodNote, PrevalenceError, prevalenceCellAnswers, prevalenceScope, prevalenceTable, type Dimension } from './prevalence-table';
import { keptFor } from './coded';
import { defaultDimensions } from './default-dimensions';
import { transitionPairs, waveTransitions } from './transitions';
import type { AnswerSelect, DyadsOptions, DyadsResult, PrevalenceRequestOptions, PrevalenceResult, TransitionsOptions, TransitionsResult } from './view-types';

// ---------------------------------------------------------------------------
// Checks

function requireAttribute(project: AnalysisProject, name: string | null | undefined, what: string) {
  if (!name) throw new AnalysisRequestError(`Choose an attribute for ${what}.`);
  if (!project.attributeNames.includes(name)) throw new AnalysisRequestError(`The project has no attribute “${name}”: choose another one for ${what}.`);
}

function requireWaves(project: AnalysisProject, waveA: string, waveB: string) {
  if (!waveA || !waveB || waveA === waveB) throw new AnalysisRequestError('Choose two different waves to compare.');
  for (const w of [waveA, waveB]) {
    if (project.waveNames.has(w)) continue;
    throw new AnalysisRequestError(
      project.filterDescription
        ? 'The filter leaves out a wave this table compares: add both waves to the filter, or choose other waves.'
        : 'That wave is no longer in the project: choose another one.',
    );
  }
}

/** A table's own errors (a weight that is not a number) are the user's to fix: shown as they are. */
function userErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof PrevalenceError) throw new AnalysisRequestError(error.message);
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Labels

/** What a column group of a dimension reads: the attribute value ("(no value)" for blank), the wave's name or the question's label. */
export function dimensionValueLabel(project: AnalysisProject, dimension: Dimension, value: string): string {
  if (dimension.kind === 'wave') return project.waveName(value);
  if (dimension.kind === 'question') return project.questionLabel(value);
  return value === '' ? NO_VALUE_LABEL : value;
}

/** A dimension's name: the attribute's, "Wave" or "Question". */
export function dimensionLabel(dimension: Dimension): string {
  return dimension.kind === 'attribute' ? dimension.name : dimension.kind === 'wave' ? 'Wave' : 'Question';
}

// ---------------------------------------------------------------------------
// Tables

/**
 * The most columns a prevalence table may have: a table split by an attribute
 * with a value per respondent (an ID, a pair number) is unreadable, and at
 * 100k respondents its cells would take seconds to compute and post.
 */
export const MAX_PREVALENCE_COLUMNS = 500;

/** Refuses dimensions whose combinations exceed `max` columns, naming the widest and what to do. */
export function checkColumnCount(index: AnalysisIndex, dimensions: readonly Dimension[], max = MAX_PREVALENCE_COLUMNS): void {
  const sizes = dimensions.map((d) =>
    d.kind === 'wave' ? index.waveIds.length : d.kind === 'question' ? index.questionIds.length : new Set(index.attributeColumn(d.name)).size,
  );
  if (sizes.reduce((n, k) => n * k, 1) <= max) return;
  const most = Math.max(...sizes);
  throw new AnalysisRequestError(
    `Splitting by ${dimensions.map(dimensionLabel).join(' and ')} would make more than ${max} columns (“${dimensionLabel(dimensions[sizes.indexOf(most)])}” alone has ${most.toLocaleString('en-US')} values). Choose a dimension with fewer values, or filter the respondents.`,
  );
}

/**
 * Works out the Prevalence tab's default columns (role × wave) over every answer, ahead of its first click, which
 * then tallies the codes alone (~0.1 s of ~0.3 s at 2M answers). Nothing when there are none or too many.
 */
export function warmPrevalence(project: AnalysisProject): void {
  const dimensions = defaultDimensions({ attributes: project.data.attributes, waves: project.data.waves });
  if (dimensions.length === 0) return;
  const index = project.index(null);
  try {
    checkColumnCount(index, dimensions);
  } catch {
    return;
  }
  prevalenceScope(index, dimensions);
}

export function prevalenceOf(project: AnalysisProject, options: PrevalenceRequestOptions): PrevalenceResult {
  if (options.dimensions.length > 2) throw new AnalysisRequestError('Split the columns by at most two dimensions.');
  for (const d of options.dimensions) if (d.kind === 'attribute') requireAttribute(project, d.name, 'the columns');
  if (options.weightAttribute) requireAttribute(project, options.weightAttribute, 'the weights');
  const index = usesFinalSet(options.coders) ? project.index(options.questionId) : project.coderIndex(options.questionId);
  checkColumnCount(index, options.dimensions);
  // Kept with the index: switching the unit or the columns finds each target's coded answers again.
  const kept = keptFor(index);
  const table = userErrors(() =>
    prevalenceTable(
      index,
      targetsOf(options.targets, project),
      {
        coders: analysisCoders(options.coders),
        unit: options.unit,
        dimensions: options.dimensions,
        weightAttribute: options.weightAttribute ?? null,
        confidence: options.confidence,
        showEmptyRows: options.showEmptyRows,
      },
      kept.coded,
      kept.scratch,
    ),
  );
  const columns = table.columns.map((c) => ({ ...c, labels: c.values.map((v, d) => dimensionValueLabel(project, table.dimensions[d], v)) }));
  const comparisons = table.comparisons.map(({ a, b }) => {
    const inner = columns[a].labels.length - 1;
    const difference = `${columns[b].labels[inner]} − ${columns[a].labels[inner]}`;
    return { a, b, label: inner > 0 ? `${columns[a].labels[0]}: ${difference}` : difference };
  });
  const scope = { words: scopeWords(project, options.questionId), filterLabel: project.filterDescription };
  const weighting = table.weighted
    ? ` Weighted by “${options.weightAttribute}”.`
    : options.weightAttribute && !table.weighted
      ? ' Weights apply to respondents only, so none are used for answers.'
      : '';
  return {
    kind: 'prevalence',
    options,
    unit: table.unit,
    confidence: table.confidence,
    weighted: table.weighted,
    dimensionLabels: table.dimensions.map(dimensionLabel),
    columns,
    total: table.total,
    rows: table.rows,
    comparisons,
    hiddenEmptyRows: table.hiddenEmptyRows,
    basis: `Prevalence uses ${whoseCodings(project, options.coders)}, over ${scope.words}.${weighting}`,
    method: methodNote(table),
    filterLabel: scope.filterLabel,
  };
}

export function dyadsOf(project: AnalysisProject, options: DyadsOptions): DyadsResult {
  requireAttribute(project, options.groupAttribute, 'the groups (a pair, team or household)');
  if (options.roleAttribute) requireAttribute(project, options.roleAttribute, 'the roles');
  if (options.roleAttribute === options.groupAttribute)
    throw new AnalysisRequestError('The roles need another attribute than the one that groups respondents.');
  const index = project.index(options.questionId);
  const table = pairConcordance(index, targetsOf(options.targets, project), {
    groupAttribute: options.groupAttribute,
    roleAttribute: options.roleAttribute,
    coders: analysisCoders(options.coders),
  });
  const scope = { words: scopeWords(project, options.questionId), filterLabel: project.filterDescription };
  const left = [
    table.singletons > 0 ? `${table.singletons} ${table.singletons === 1 ? 'group has' : 'groups have'} one member who answered` : '',
    table.withoutGroup > 0 ? `${table.withoutGroup} ${table.withoutGroup === 1 ? 'respondent has' : 'respondents have'} no “${options.groupAttribute}”` : '',
  ].filter(Boolean);
  const roles = table.roles
    ? ` For pairs, a role mentioned it when any of its members did; a pair needs a member of each role (${table.roles[0]}, ${table.roles[1]}) who answered, and agreement is both plus neither.`
    : options.roleAttribute
      ? ` “${options.roleAttribute}” has fewer than two values among the grouped respondents, so there are no role figures.`
      : '';
  return {
    kind: 'dyads',
    options,
    roles: table.roles,
    groups: table.groups,
    singletons: table.singletons,
    withoutGroup: table.withoutGroup,
    rows: table.rows,
    basis:
      `Groups are respondents with the same “${options.groupAttribute}” who answered ${answeredWords(project, options.questionId)}; a group counts when at least two of its members answered, and a member mentioned a code or theme when any of their answers was coded with it, using ${whoseCodings(project, options.coders)}.` +
      (left.length > 0 ? ` Left out: ${left.join('; ')}.` : '') +
      roles,
    filterLabel: scope.filterLabel,
  };
}

export function transitionsOf(project: AnalysisProject, options: TransitionsOptions): TransitionsResult {
  requireWaves(project, options.waveA, options.waveB);
  if (options.splitBy) requireAttribute(project, options.splitBy, 'the split');
  const index = project.index(options.questionId);
  const table = waveTransitions(index, targetsOf(options.targets, project), {
    waveA: options.waveA,
    waveB: options.waveB,
    coders: analysisCoders(options.coders),
    splitBy: options.splitBy,
  });
  const a = project.waveName(options.waveA);
  const b = project.waveName(options.waveB);
  const scope = { words: scopeWords(project, options.questionId), filterLabel: project.filterDescription };
  return {
    kind: 'transitions',
    options,
    waveAName: a,
    waveBName: b,
    splitBy: table.splitBy,
    splitValues: table.splitValues,
    splitLabels: table.splitValues.map((v) => (v === '' ? NO_VALUE_LABEL : v)),
    rows: table.rows,
    basis:
      `Only the respondents who answered ${answeredWords(project, options.questionId)} in both ${a} and ${b} are counted: for those who answered in one wave only, “stopped mentioning it” and “did not answer” cannot be told apart. ` +
      `Kept: mentioned in both; gained: in ${b} only; lost: in ${a} only; never: in neither. Using ${whoseCodings(project, options.coders)}.`,
    filterLabel: scope.filterLabel,
  };
}

// ---------------------------------------------------------------------------
// The answers behind a cell

type WriteUpSelect = Extract<AnswerSelect, { kind: 'prevalence-cell' | 'dyad-cell' | 'transition-cell' }>;

export function isWriteUpSelect(select: AnswerSelect): select is WriteUpSelect {
  return select.kind === 'prevalence-cell' || select.kind === 'dyad-cell' || select.kind === 'transition-cell';
}

/** The pairs of a transition cell: each respondent with their answers in wave A and in wave B (see `transitionPairs`). */
export function transitionCellPairs(project: AnalysisProject, select: Extract<AnswerSelect, { kind: 'transition-cell' }>) {
  const index = project.index(select.questionId);
  return transitionPairs(
    index,
    select.target,
    { waveA: select.waveA, waveB: select.waveB, coders: analysisCoders(select.coders), splitBy: select.splitBy },
    select.group,
    select.splitValue,
  );
}

/**
 * The answers behind a write-up cell: a prevalence cell's coded answers; a
 * dyad cell's groups' answers (coded ones first); a transition cell's
 * respondents' answers, wave A then wave B, respondent by respondent.
 */
export function writeUpAnswerIds(project: AnalysisProject, select: WriteUpSelect): string[] {
  const index = project.index(select.questionId);
  const coders = analysisCoders(select.coders);
  switch (select.kind) {
    case 'prevalence-cell':
      return userErrors(() => prevalenceCellAnswers(index, select.target, { coders, dimensions: select.dimensions }, select.values));
    case 'dyad-cell':
      return dyadCellAnswers(index, select.target, { groupAttribute: select.groupAttribute, roleAttribute: select.roleAttribute, coders }, select.cell);
    case 'transition-cell':
      return transitionCellPairs(project, select).flatMap((p) => [...p.answerIdsA, ...p.answerIdsB]);
  }
}

/** What "answered" means in a basis: any question in scope (never "every question", which would read as all of them). */
function answeredWords(project: AnalysisProject, questionId: string | null): string {
  return questionId === null ? 'at least one question in scope' : `the question “${project.questionLabel(questionId)}”`;
}
