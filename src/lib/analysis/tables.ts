/**
 * The Analysis tables over a loaded project: counts, crosstab, co-occurrence,
 * change between waves, and the answers behind any of their cells, each with
 * the sentence that says how it was counted.
 */
import {
  AnalysisRequestError,
  NO_VALUE_LABEL,
  analysisCoders,
  breakdownsOf,
  codedPositions,
  scopeWords,
  targetsOf,
  usesFinalSet,
  whoseCodings,
  type AnalysisProject,
} from './analysis-project';
import type { AnalysisIndex } from './analysis-index';
import { keptFor } from './coded';
import { coderMask } from './coder-selection';
import { cooccurrence } from './cooccurrence';
import { countTargets } from './counts';
import { crosstab } from './crosstab';
import { waveChange } from './wave-change';
import { isWriteUpSelect, transitionCellPairs, writeUpAnswerIds } from './write-up-views';
import { targetName } from './targets';
import type {
  AnswerRow,
  AnswerSelect,
  AnswersResult,
  CooccurrenceOptions,
  CooccurrenceResult,
  CountsOptions,
  CountsResult,
  CrosstabOptions,
  CrosstabResult,
  WaveChangeOptions,
  WaveChangeResult,
} from './view-types';
import { ownValue } from '../model/name-keyed';

// ---------------------------------------------------------------------------
// Tables

/**
 * Everything the first table needs, read while the user is still looking at
 * another tab: the index of all answers, each attribute's column, and one pass
 * of counts, so the first table the user asks for does not also pay for
 * compiling them. No crosstab: no tab shows one any more (Prevalence took its
 * place), and it was a tenth of a cold open at 100k respondents. The exports'
 * lookup is left to the first export: the view is ready without it.
 */
export function warm(project: AnalysisProject) {
  // The first tables count every coder's codings: the Final set waits until a table asks for it.
  const index = project.coderIndex(null);
  for (const name of project.attributeNames) index.attributeColumn(name);
  const coders = { kind: 'all' } as const;
  counts(project, { targets: 'codes', groupBy: { kind: 'none' }, coders, questionId: null });
}

export function groupLabel(project: AnalysisProject, breakdown: CountsResult['rows'][number]['breakdown'], group: string | null): string | null {
  if (group === null) return null;
  switch (breakdown) {
    case 'attribute':
      return group === '' ? NO_VALUE_LABEL : group;
    case 'wave':
      return project.waveName(group);
    case 'question':
      return project.questionLabel(group);
    case 'coder':
      return project.coderName(group);
    default:
      return group;
  }
}

/**
 * The last counts of each index, with the project and version they were made for: the warm-up's counts are the
 * Counts tab's defaults, which the tab then asked for again (0.39–0.45 s of the worker at 250k respondents).
 * A coding change makes a new index, a project read again a new project.
 */
const lastCounts = new WeakMap<AnalysisIndex, { project: AnalysisProject; version: number; key: string; result: CountsResult }>();

export function counts(project: AnalysisProject, options: CountsOptions): CountsResult {
  // By coder, the Final set has a row of its own.
  const final = usesFinalSet(options.coders) || options.groupBy.kind === 'coder';
  const index = final ? project.index(options.questionId) : project.coderIndex(options.questionId);
  const key = JSON.stringify(options);
  const kept = lastCounts.get(index);
  if (kept && kept.project === project && kept.version === project.version && kept.key === key) return kept.result;
  const result = countsOf(project, index, options);
  lastCounts.set(index, { project, version: project.version, key, result });
  return result;
}

function countsOf(project: AnalysisProject, index: AnalysisIndex, options: CountsOptions): CountsResult {
  const rows = countTargets(
    index,
    targetsOf(options.targets, project),
    { coders: analysisCoders(options.coders), breakdowns: breakdownsOf(options.groupBy) },
    keptFor(index),
  );
  const respondentsAnswered = index.respondentCount;
  const grouped =
    options.groupBy.kind === 'none'
      ? ''
      : options.groupBy.kind === 'coder'
        ? ' By coder, each row counts that coder’s codings against the same denominators.'
        : ' Within a group, the denominators are the answers and the respondents who answered in that group.';
  return {
    kind: 'counts',
    options,
    rows: rows.map((row) => ({ ...row, groupLabel: groupLabel(project, row.breakdown, row.group) })),
    answersInScope: index.answerCount,
    respondentsAnswered,
    basis:
      `Counts use ${whoseCodings(project, options.coders)}, over the non-blank answers to ${scopeWords(project, options.questionId)} ` +
      `(${index.answerCount.toLocaleString('en-US')} answers from ${respondentsAnswered.toLocaleString('en-US')} respondents). ` +
      `An answer is one respondent’s text for one question in one wave; the share is respondents coded ÷ respondents who answered.${grouped}`,
  };
}

export function crosstabOf(project: AnalysisProject, options: CrosstabOptions): CrosstabResult {
  if (!options.attribute) throw new AnalysisRequestError('Choose an attribute for the columns.');
  if (!project.attributeNames.includes(options.attribute)) throw new AnalysisRequestError(`The project has no attribute “${options.attribute}”.`);
  const index = project.index(options.questionId);
  const table = crosstab(index, targetsOf(options.targets, project), {
    attribute: options.attribute,
    unit: options.unit,
    coders: analysisCoders(options.coders),
    percentOf: options.percentOf,
  });
  const strip = (c: { count: number; base: number; share: number | null }) => ({ count: c.count, base: c.base, share: c.share });
  const unit = options.unit === 'respondents' ? 'respondents' : 'answers';
  const percentNote =
    options.percentOf === 'answered'
      ? `Column %: the cell ÷ the ${unit} in that column who answered (a ${unit === 'respondents' ? 'respondent' : 'answer'} may count in several rows, so columns need not add to 100%).`
      : 'Column %: the cell ÷ the column total (all mentions in the column), so each column adds to 100%.';
  return {
    kind: 'crosstab',
    options,
    columns: table.columns.map((c) => ({ ...c, label: c.value === '' ? NO_VALUE_LABEL : c.value })),
    rows: table.rows.map((r) => ({ key: r.key, target: r.target, label: r.label, cells: r.cells.map(strip), total: strip(r.total) })),
    total: table.total,
    basis: `Each cell counts ${unit} coded with the row, using ${whoseCodings(project, options.coders)}, over ${scopeWords(project, options.questionId)}. ${percentNote}`,
  };
}

export function cooccurrenceOf(project: AnalysisProject, options: CooccurrenceOptions): CooccurrenceResult {
  const index = project.index(options.questionId);
  const m = cooccurrence(index, targetsOf(options.targets, project), { coders: analysisCoders(options.coders), level: options.level, jaccard: true });
  return {
    kind: 'cooccurrence',
    options,
    targets: m.targets,
    keys: m.keys,
    labels: m.labels,
    names: m.targets.map((t) => targetName(index, t)),
    counts: m.cells.map((row) => row.map((c) => c.count)),
    jaccard: m.cells.map((row) => row.map((c) => c.jaccard)),
    basis:
      (options.level === 'answer'
        ? 'Each cell counts the answers coded with both the row and the column; the diagonal, the answers coded with each.'
        : 'Each cell counts the respondents coded with both the row and the column, in the same answer or in different ones; the diagonal, the respondents coded with each.') +
      ` Using ${whoseCodings(project, options.coders)}, over ${scopeWords(project, options.questionId)}.`,
  };
}

export function waveChangeOf(project: AnalysisProject, options: WaveChangeOptions): WaveChangeResult {
  const { waveA, waveB } = options;
  if (!waveA || !waveB || waveA === waveB) throw new AnalysisRequestError('Choose two different waves to compare.');
  for (const w of [waveA, waveB]) if (!project.waveNames.has(w)) throw new AnalysisRequestError('That wave is no longer in the project.');
  const index = project.index(options.questionId);
  const rows = waveChange(index, targetsOf(options.targets, project), { waveA, waveB, coders: analysisCoders(options.coders) });
  const a = project.waveName(waveA);
  const b = project.waveName(waveB);
  return {
    kind: 'wave-change',
    options,
    waveAName: a,
    waveBName: b,
    rows: rows.map((r) => ({
      key: r.key,
      target: r.target,
      label: r.label,
      answeredBoth: r.answeredBoth,
      onlyA: r.onlyA.count,
      onlyB: r.onlyB.count,
      both: r.both.count,
      neither: r.neither.count,
    })),
    basis:
      `Only the respondents who answered ${options.questionId === null ? 'at least one question' : `the question “${project.questionLabel(options.questionId)}”`} in both ${a} and ${b} are counted: for those who answered in one wave only, ` +
      `“stopped mentioning it” and “did not answer” cannot be told apart. Using ${whoseCodings(project, options.coders)}.`,
  };
}

// ---------------------------------------------------------------------------
// The answers behind a cell

export function selectedAnswerIds(project: AnalysisProject, select: AnswerSelect): string[] {
  if (select.kind === 'ids') return select.answerIds.filter((id) => project.answer(id) !== undefined);
  if (isWriteUpSelect(select)) return writeUpAnswerIds(project, select);
  const index = project.index(select.questionId);
  const mask = coderMask(index, analysisCoders(select.coders));
  const ids = (positions: Iterable<number>) => Array.from(positions, (p) => index.answerIds[p]);
  switch (select.kind) {
    case 'coded': {
      const positions = codedPositions(index, select.target, mask);
      if (!select.attribute) return ids(positions);
      const column = index.attributeColumn(select.attribute.name);
      const value = select.attribute.value;
      return ids(positions.filter((a) => column[index.answerRespondent[a]] === value));
    }
    case 'cooccurrence': {
      const a = codedPositions(index, select.a, mask);
      const b = codedPositions(index, select.b, mask);
      if (select.level === 'answer') {
        const inB = new Set(b);
        return ids(a.filter((p) => inB.has(p)));
      }
      const respondentsOf = (positions: number[]) => new Set(positions.map((p) => index.answerRespondent[p]));
      const ra = respondentsOf(a);
      const rb = respondentsOf(b);
      const either = [...new Set([...a, ...b])].sort((x, y) => x - y);
      return ids(either.filter((p) => ra.has(index.answerRespondent[p]) && rb.has(index.answerRespondent[p])));
    }
    case 'wave-change': {
      const [row] = waveChange(index, [select.target], { waveA: select.waveA, waveB: select.waveB, coders: analysisCoders(select.coders) });
      if (!row) return [];
      const respondents = new Set(row[select.group].respondentIds);
      const waves = new Set([index.waveIds.indexOf(select.waveA), index.waveIds.indexOf(select.waveB)]);
      const candidates = select.group === 'neither' ? Array.from({ length: index.answerCount }, (_, p) => p) : codedPositions(index, select.target, mask);
      return ids(candidates.filter((p) => waves.has(index.answerWave[p]) && respondents.has(index.respondentIds[index.answerRespondent[p]])));
    }
  }
}

export function answerRow(project: AnalysisProject, answerId: string, highlight: [number, number] | null): AnswerRow | null {
  const answer = project.answer(answerId);
  if (!answer) return null;
  const attributes = project.respondents.get(answer.respondentId);
  return {
    answerId,
    respondentId: answer.respondentId,
    waveId: answer.waveId,
    waveName: project.waveName(answer.waveId),
    questionId: answer.questionId,
    questionLabel: project.questionLabel(answer.questionId),
    attributes: project.attributeNames.map((name) => [name, ownValue(attributes, name) ?? ''] as [string, string]).filter(([, value]) => value !== ''),
    text: answer.text,
    highlight,
  };
}

export function answersOf(project: AnalysisProject, select: AnswerSelect, offset: number, limit: number): AnswersResult {
  if (select.kind === 'transition-cell') {
    // Paged by respondent, so a page never splits a respondent's two waves.
    const all = transitionCellPairs(project, select);
    const first = Math.max(0, Math.floor(offset));
    const pairs = all.slice(first, first + Math.max(1, Math.floor(limit)));
    const rows = pairs.flatMap((p) => [...p.answerIdsA, ...p.answerIdsB]).map((id) => answerRow(project, id, null));
    return { kind: 'answers', total: all.length, offset: first, rows: rows.filter((r): r is AnswerRow => r !== null), pairs };
  }
  const ids = selectedAnswerIds(project, select);
  const start = Math.max(0, Math.floor(offset));
  const page = ids.slice(start, start + Math.max(1, Math.floor(limit)));
  const highlight = select.kind === 'ids' ? (select.highlight ?? {}) : {};
  const rows = page.map((id) => answerRow(project, id, highlight[id] ?? null)).filter((r): r is AnswerRow => r !== null);
  return { kind: 'answers', total: ids.length, offset: start, rows };
}
