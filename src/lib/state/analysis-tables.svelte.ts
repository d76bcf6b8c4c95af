/**
 * The Analysis tables counted per answer (counts, co-occurrence), each table's
 * options and its last result with the request it answers, and the crosstab's
 * options (its CSV export reads them; the Prevalence tab took its place on
 * screen: analysis-writeup.svelte.ts).
 *
 * A result is kept with the key of its request (options, workspace version,
 * blind restriction), so going back to a tab shows its table at once when
 * nothing changed and asks again when something did.
 */
import { groupedBarChartSvg, heatmapSvg } from '../export';
import { wilsonInterval } from '../analysis/proportions';
import type {
  AnalysisRequestBody,
  AnalysisResult,
  CoderChoice,
  CooccurrenceOptions,
  CooccurrenceResult,
  CountsOptions,
  CountsResult,
  CrosstabOptions,
} from '../../workers/analysis-protocol';
import type { AnalysisConnection, FinalReply, TableSlot } from './analysis-connection.svelte';
import { firstAttribute, type AnalysisProjectShape } from './analysis-shape';

/** A result with the request it answers. */
export interface Shown<T> {
  data: T;
  requestId: number;
  /** The worker's time for it (reading the project included when it had to). */
  ms: number;
  key: string;
}

/** Bars and series a chart shows at most, to stay readable. */
const CHART_CATEGORIES = 40;
const CHART_SERIES = 8;

const ALL_CODERS: CoderChoice = { kind: 'all' };

/**
 * Requests a table, unless the one shown (or the one coming) already answers these options. A refusal (a weight
 * that is not a number) says why and calls `drop`: the table shown answers other options and must not stay as if
 * it answered these.
 */
export function requestTable<T>(
  connection: AnalysisConnection,
  slot: TableSlot,
  shown: Shown<T> | null,
  force: boolean,
  request: AnalysisRequestBody,
  accept: (result: AnalysisResult, shown: <D>(data: D) => Shown<D>) => void,
  drop: () => void = () => {},
) {
  const key = connection.key(request);
  if (!force && shown && shown.key === key) return;
  if (!force && connection.pending(slot)?.key === key) return;
  connection.send(slot, request, key, (reply: FinalReply, entry) => {
    if (reply.type === 'result') accept(reply.result, (data) => ({ data, requestId: reply.requestId, ms: reply.ms, key: entry.key }));
    else if (reply.type === 'error') {
      connection.error = reply.message;
      drop();
    }
  });
}

export class AnalysisTables {
  countsOptions = $state<CountsOptions>({ targets: 'codes', groupBy: { kind: 'none' }, coders: ALL_CODERS, questionId: null });
  crosstabOptions = $state<CrosstabOptions>({
    targets: 'codes',
    attribute: '',
    unit: 'respondents',
    percentOf: 'answered',
    coders: ALL_CODERS,
    questionId: null,
  });
  cooccurrenceOptions = $state<CooccurrenceOptions>({ targets: 'top-level', level: 'answer', coders: ALL_CODERS, questionId: null });

  counts = $state.raw<Shown<CountsResult> | null>(null);
  cooccurrence = $state.raw<Shown<CooccurrenceResult> | null>(null);

  #connection: AnalysisConnection;

  constructor(connection: AnalysisConnection) {
    this.#connection = connection;
  }

  /** A new project: every option back to its default. */
  reset(shape: AnalysisProjectShape, coders: CoderChoice) {
    this.countsOptions = { targets: 'codes', groupBy: { kind: 'none' }, coders, questionId: null };
    this.crosstabOptions = { targets: 'codes', attribute: firstAttribute(shape), unit: 'respondents', percentOf: 'answered', coders, questionId: null };
    this.cooccurrenceOptions = { targets: 'top-level', level: 'answer', coders, questionId: null };
    this.drop();
  }

  drop() {
    this.counts = null;
    this.cooccurrence = null;
  }

  /** Every table's coder choice through `move` (the first resolution moves "all coders" to Final). */
  moveCoders(move: <T extends { coders: CoderChoice }>(options: T) => T) {
    this.countsOptions = move(this.countsOptions);
    this.crosstabOptions = move(this.crosstabOptions);
    this.cooccurrenceOptions = move(this.cooccurrenceOptions);
  }

  /** Choices that name an attribute or a wave the project no longer has (or has only now) fall back to the defaults. */
  fixOptions(shape: AnalysisProjectShape) {
    const attributes = new Set(shape.attributes.map((a) => a.name));
    const attribute = firstAttribute(shape);
    if (!attributes.has(this.crosstabOptions.attribute) && this.crosstabOptions.attribute !== attribute) {
      this.crosstabOptions = { ...this.crosstabOptions, attribute };
    }
    const group = this.countsOptions.groupBy;
    if (group.kind === 'attribute' && !attributes.has(group.name)) this.countsOptions = { ...this.countsOptions, groupBy: { kind: 'none' } };
  }

  ensureCounts(force: boolean) {
    requestTable(this.#connection, 'counts', this.counts, force, { type: 'counts', options: $state.snapshot(this.countsOptions) }, (result, shown) => {
      if (result.kind === 'counts') this.counts = shown(result);
    });
  }

  ensureCooccurrence(force: boolean) {
    const request: AnalysisRequestBody = { type: 'cooccurrence', options: $state.snapshot(this.cooccurrenceOptions) };
    requestTable(this.#connection, 'cooccurrence', this.cooccurrence, force, request, (result, shown) => {
      if (result.kind === 'cooccurrence') this.cooccurrence = shown(result);
    });
  }

  /** The Counts table as a grouped bar chart: share of respondents coded, per group (SVG text). */
  countsChart = $derived.by((): string | null => {
    const shown = this.counts?.data;
    if (!shown || shown.rows.length === 0) return null;
    const grouped = shown.options.groupBy.kind !== 'none';
    const rows = shown.rows.filter((r) => (grouped ? r.breakdown !== 'overall' : r.breakdown === 'overall'));
    const keys: string[] = [];
    const labels: string[] = [];
    const groups: (string | null)[] = [];
    const groupNames = new Map<string | null, string>();
    const values = new Map<string, number>();
    const intervals = new Map<string, [number, number]>();
    for (const r of rows) {
      if (!keys.includes(r.key)) {
        keys.push(r.key);
        // The plain name: the title says once when codes count their subcodes.
        labels.push(r.name ?? r.label);
      }
      if (!groupNames.has(r.group)) {
        groups.push(r.group);
        groupNames.set(r.group, r.groupLabel ?? 'All respondents');
      }
      values.set(`${r.key}\u0000${r.group}`, (r.respondentShare ?? 0) * 100);
      if (r.respondentsAnswered > 0) {
        const { low, high } = wilsonInterval(r.respondentsCoded, r.respondentsAnswered);
        intervals.set(`${r.key}\u0000${r.group}`, [low * 100, high * 100]);
      }
    }
    const shownKeys = keys.slice(0, CHART_CATEGORIES);
    const shownGroups = groups.slice(0, CHART_SERIES);
    const by = shown.options.groupBy;
    const byWords = by.kind === 'attribute' ? `, by ${by.name}` : by.kind === 'none' ? '' : `, by ${by.kind}`;
    const rolled = shown.options.targets === 'codes-with-subcodes' || shown.options.targets === 'top-level' ? ' (codes with their subcodes)' : '';
    return groupedBarChartSvg({
      title: `Respondents coded${byWords}${rolled}`,
      categories: labels.slice(0, CHART_CATEGORIES),
      series: shownGroups.map((g) => ({
        name: groupNames.get(g) ?? '',
        values: shownKeys.map((k) => values.get(`${k}\u0000${g}`) ?? 0),
        intervals: shownKeys.map((k) => intervals.get(`${k}\u0000${g}`) ?? null),
      })),
      format: 'percent',
      axisLabel: 'Respondents coded, % of those who answered',
      intervalLabel: '95% confidence interval (Wilson)',
    });
  });

  /** How much of the table the chart leaves out, in words, or null. */
  countsChartNote = $derived.by((): string | null => {
    const shown = this.counts?.data;
    if (!shown) return null;
    const targets = new Set(shown.rows.map((r) => r.key)).size;
    const groups = new Set(shown.rows.filter((r) => r.breakdown !== 'overall').map((r) => r.group)).size;
    const parts: string[] = [];
    if (targets > CHART_CATEGORIES) parts.push(`the first ${CHART_CATEGORIES} of ${targets} rows`);
    if (groups > CHART_SERIES) parts.push(`the first ${CHART_SERIES} of ${groups} groups`);
    return parts.length ? `The chart shows ${parts.join(' and ')}.` : null;
  });

  /** The co-occurrence matrix as a heatmap (SVG text). */
  heatmap = $derived.by((): string | null => {
    const shown = this.cooccurrence?.data;
    if (!shown || shown.labels.length === 0) return null;
    const rolled = shown.options.targets === 'codes-with-subcodes' || shown.options.targets === 'top-level' ? ' (codes with their subcodes)' : '';
    return heatmapSvg({
      title: (shown.options.level === 'answer' ? 'Coded in the same answer' : 'Coded for the same respondent') + rolled,
      labels: shown.names ?? shown.labels,
      matrix: shown.counts,
      description:
        `Co-occurrence of ${shown.labels.length} ${shown.options.targets === 'themes' ? 'themes' : 'codes'}: each cell gives the ` +
        `${shown.options.level === 'answer' ? 'answers' : 'respondents'} coded with both, darker for more; the outlined diagonal gives each one's own count.`,
    });
  });
}
