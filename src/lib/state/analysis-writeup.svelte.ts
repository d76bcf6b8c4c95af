/**
 * The write-up tables: prevalence by up to two dimensions (with Wilson
 * intervals, Newcombe differences and optional weights), pairs (concordance
 * within a pair, team or household) and change between waves (kept, gained,
 * lost, never, split by role). Each table's options, its last result and the
 * prevalence chart.
 */
import { groupedBarChartSvg } from '../export';
import type {
  CoderChoice,
  DyadsOptions,
  DyadsResult,
  PrevalenceRequestOptions,
  PrevalenceResult,
  TransitionsOptions,
  TransitionsResult,
} from '../../workers/analysis-protocol';
import type { AnalysisConnection } from './analysis-connection.svelte';
import { orderedWaves, roleLikeAttribute, type AnalysisProjectShape } from './analysis-shape';
import { defaultDimensions } from '../analysis/default-dimensions';
import { requestTable, type Shown } from './analysis-tables.svelte';

/** Bars and series the prevalence chart shows at most, to stay readable. */
const CHART_CATEGORIES = 30;
const CHART_SERIES = 8;

const GROUP_LIKE = /(pair|dyad|team|household|couple|family|group)/i;

// Shared with the report's defaults (analysis-files) and the worker's; exported here too, where they were first.
export { roleLikeAttribute, defaultDimensions };

/** The attribute that groups respondents into pairs, teams or households, by its name; null when none is named so. */
export function groupLikeAttribute(shape: AnalysisProjectShape): string | null {
  return [...shape.attributes].sort((a, b) => a.order - b.order).find((a) => GROUP_LIKE.test(a.name))?.name ?? null;
}

export class AnalysisWriteUp {
  prevalenceOptions = $state<PrevalenceRequestOptions>({
    targets: 'codes',
    coders: { kind: 'all' },
    questionId: null,
    unit: 'respondents',
    dimensions: [],
    weightAttribute: null,
    showEmptyRows: false,
  });
  dyadsOptions = $state<DyadsOptions>({ targets: 'codes', coders: { kind: 'all' }, questionId: null, groupAttribute: '', roleAttribute: null });
  transitionsOptions = $state<TransitionsOptions>({ targets: 'codes', coders: { kind: 'all' }, questionId: null, waveA: '', waveB: '', splitBy: null });

  prevalence = $state.raw<Shown<PrevalenceResult> | null>(null);
  dyads = $state.raw<Shown<DyadsResult> | null>(null);
  transitions = $state.raw<Shown<TransitionsResult> | null>(null);

  #connection: AnalysisConnection;

  constructor(connection: AnalysisConnection) {
    this.#connection = connection;
  }

  reset(shape: AnalysisProjectShape, coders: CoderChoice) {
    const waves = orderedWaves(shape);
    const role = roleLikeAttribute(shape);
    this.prevalenceOptions = {
      targets: 'codes',
      coders,
      questionId: null,
      unit: 'respondents',
      dimensions: defaultDimensions(shape),
      weightAttribute: null,
      showEmptyRows: false,
    };
    const group = groupLikeAttribute(shape) ?? '';
    this.dyadsOptions = { targets: 'codes', coders, questionId: null, groupAttribute: group, roleAttribute: role !== group ? role : null };
    this.transitionsOptions = { targets: 'codes', coders, questionId: null, waveA: waves[0] ?? '', waveB: waves[1] ?? '', splitBy: role };
    this.drop();
  }

  drop() {
    this.prevalence = null;
    this.dyads = null;
    this.transitions = null;
  }

  /** Choices naming an attribute or wave the project no longer has are dropped. */
  fixOptions(shape: AnalysisProjectShape) {
    const names = new Set(shape.attributes.map((a) => a.name));
    const waves = orderedWaves(shape);
    const p = this.prevalenceOptions;
    const dimensions = p.dimensions.filter((d) => d.kind !== 'attribute' || names.has(d.name));
    const weight = p.weightAttribute && !names.has(p.weightAttribute) ? null : (p.weightAttribute ?? null);
    if (dimensions.length !== p.dimensions.length || weight !== (p.weightAttribute ?? null))
      this.prevalenceOptions = { ...p, dimensions, weightAttribute: weight };
    const d = this.dyadsOptions;
    if ((d.groupAttribute && !names.has(d.groupAttribute)) || (d.roleAttribute && !names.has(d.roleAttribute))) {
      this.dyadsOptions = {
        ...d,
        groupAttribute: names.has(d.groupAttribute) ? d.groupAttribute : '',
        roleAttribute: d.roleAttribute && names.has(d.roleAttribute) ? d.roleAttribute : null,
      };
    }
    const t = this.transitionsOptions;
    const fallback = { waveA: waves[0] ?? '', waveB: waves[1] ?? '' };
    if ((!waves.includes(t.waveA) || !waves.includes(t.waveB)) && (t.waveA !== fallback.waveA || t.waveB !== fallback.waveB))
      this.transitionsOptions = { ...t, ...fallback };
    if (t.splitBy && !names.has(t.splitBy)) this.transitionsOptions = { ...this.transitionsOptions, splitBy: null };
  }

  /**
   * The table on screen is being replaced: a request with other options, another filter or coding set is on its
   * way. The old table then must not be read, opened or downloaded as if it were the one asked for.
   */
  isStale(slot: 'prevalence' | 'dyads' | 'transitions'): boolean {
    const shown = this[slot];
    if (!shown || !this.#connection.isRunning(slot)) return false;
    const pending = this.#connection.pending(slot);
    return pending !== null && pending.key !== shown.key;
  }

  ensurePrevalence(force: boolean) {
    const request = { type: 'prevalence', options: $state.snapshot(this.prevalenceOptions) as PrevalenceRequestOptions } as const;
    requestTable(
      this.#connection,
      'prevalence',
      this.prevalence,
      force,
      request,
      (result, shown) => {
        if (result.kind === 'prevalence') this.prevalence = shown(result);
      },
      () => (this.prevalence = null),
    );
  }

  ensureDyads(force: boolean) {
    if (!this.dyadsOptions.groupAttribute) return;
    const request = { type: 'dyads', options: $state.snapshot(this.dyadsOptions) } as const;
    requestTable(
      this.#connection,
      'dyads',
      this.dyads,
      force,
      request,
      (result, shown) => {
        if (result.kind === 'dyads') this.dyads = shown(result);
      },
      () => (this.dyads = null),
    );
  }

  ensureTransitions(force: boolean) {
    if (!this.transitionsOptions.waveA || !this.transitionsOptions.waveB) return;
    const request = { type: 'transitions', options: $state.snapshot(this.transitionsOptions) } as const;
    requestTable(
      this.#connection,
      'transitions',
      this.transitions,
      force,
      request,
      (result, shown) => {
        if (result.kind === 'transitions') this.transitions = shown(result);
      },
      () => (this.transitions = null),
    );
  }

  /**
   * The prevalence table as grouped bars: a bar per column, per row, in percent, with the Wilson interval of
   * each as an error bar. Weighted tables chart the weighted
   * share and its interval, as the table leads with it.
   */
  prevalenceChart = $derived.by((): string | null => {
    const table = this.prevalence?.data;
    if (!table || table.rows.length === 0) return null;
    const rows = table.rows.slice(0, CHART_CATEGORIES);
    const columns = table.columns.length > 0 ? table.columns.slice(0, CHART_SERIES) : null;
    const cellOf = (row: PrevalenceResult['rows'][number], c: number | null) => (c === null ? row.total : row.cells[c]);
    const pick = (cell: PrevalenceResult['rows'][number]['total']) =>
      cell.weighted
        ? { value: cell.weighted.estimate, low: cell.weighted.low, high: cell.weighted.high }
        : { value: cell.share, low: cell.low, high: cell.high };
    const series = (columns ? columns.map((column, c) => ({ name: column.labels.join(' · '), c })) : [{ name: 'All respondents', c: null }]).map(
      ({ name, c }) => {
        const picked = rows.map((r) => pick(cellOf(r, c)));
        return {
          name,
          values: picked.map((p) => (p.value ?? 0) * 100),
          intervals: picked.map((p) => (p.low === null || p.high === null ? null : ([p.low * 100, p.high * 100] as [number, number]))),
        };
      },
    );
    const unit = table.unit === 'respondents' ? 'Respondents' : 'Answers';
    const by = table.dimensionLabels.length ? `, by ${table.dimensionLabels.join(' × ')}` : '';
    // The filter in the title: a chart pasted into a paper must say whom it counts.
    return groupedBarChartSvg({
      title: `${unit} coded${by}${table.weighted ? ' (weighted)' : ''}${table.filterLabel ? ` · ${table.filterLabel}` : ''}`,
      categories: rows.map((r) => r.label),
      series,
      format: 'percent' as const,
      axisLabel: `${unit} coded, % of those who answered`,
      intervalLabel: `${Math.round(table.confidence * 100)}% confidence interval (Wilson${table.weighted ? ', Kish effective n' : ''})`,
    });
  });

  /** How much of the table the chart leaves out, in words, or null. */
  prevalenceChartNote = $derived.by((): string | null => {
    const table = this.prevalence?.data;
    if (!table) return null;
    const parts: string[] = [];
    if (table.rows.length > CHART_CATEGORIES) parts.push(`the first ${CHART_CATEGORIES} of ${table.rows.length} rows`);
    if (table.columns.length > CHART_SERIES) parts.push(`the first ${CHART_SERIES} of ${table.columns.length} columns`);
    return parts.length ? `The chart shows ${parts.join(' and ')}.` : null;
  });
}
