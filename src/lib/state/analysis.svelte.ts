/**
 * The Analysis view's state: which tab is open, each tab's options and its
 * last result, the analysis worker that computes them (it reads the project
 * from IndexedDB itself), progress and cancel, the answers behind a cell,
 * exports and REFI-QDA imports.
 *
 * Results are kept per tab with the request they answer (options and the
 * workspace version), so going back to a tab shows its table at once when
 * nothing changed, and asks again when something did. Cancel terminates the
 * worker: a computation in a worker cannot be interrupted otherwise, and the
 * next request reads the project again.
 */
import { wilsonInterval, type Target } from '../analysis';
import { emptyChange, type ReversibleChange } from '../coding/change';
import type { ExchangeCode, ExchangeTheme } from '../exchange';
import type { QdpxOffsets } from '../refi';
import { groupedBarChartSvg, heatmapSvg } from '../export';
import { newId, type Code, type Theme } from '../model/types';
import type {
  AnalysisRequest,
  AnalysisRequestBody,
  AnalysisResult,
  AnswerRow,
  AnswerSelect,
  CoderChoice,
  CooccurrenceOptions,
  CooccurrenceResult,
  CountsOptions,
  CountsResult,
  CrosstabOptions,
  CrosstabResult,
  DistinctiveResult,
  ExportKind,
  ExportSettings,
  FromAnalysisWorker,
  KwicResult,
  Quote,
  QuotesResult,
  ToAnalysisWorker,
  WaveChangeOptions,
  WaveChangeResult,
  WordScope,
  WordsResult,
} from '../../workers/analysis-protocol';
import { restrictCoderChoices } from '../../workers/analysis-protocol';
import { downloadFile } from './download';
import { packReportDocx } from './report-docx';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../export/write-up-report';
import type { ReportDocument } from '../export/document';
import { WorkerClient, type WorkerLike } from '../../workers/worker-client';

export type AnalysisWorkerLike = WorkerLike<ToAnalysisWorker, FromAnalysisWorker>;

export function defaultAnalysisWorker(): AnalysisWorkerLike {
  return new Worker(new URL('../../workers/analysis-worker.ts', import.meta.url), { type: 'module' }) as AnalysisWorkerLike;
}

export type AnalysisTab = 'themes' | 'counts' | 'crosstab' | 'cooccurrence' | 'change' | 'words' | 'quotes' | 'export';

export const ANALYSIS_TABS: readonly { id: AnalysisTab; label: string }[] = [
  { id: 'themes', label: 'Themes' },
  { id: 'counts', label: 'Counts' },
  { id: 'crosstab', label: 'Crosstab' },
  { id: 'cooccurrence', label: 'Co-occurrence' },
  { id: 'change', label: 'Change between waves' },
  { id: 'words', label: 'Words' },
  { id: 'quotes', label: 'Quotes' },
  { id: 'export', label: 'Export' },
];

/** What the state reads of the coding workspace (a CodingWorkspace fits). */
export interface AnalysisWorkspace {
  readonly projectId: string | null;
  readonly codes: readonly Code[];
  readonly themes: readonly Theme[];
  perform(build: () => ReversibleChange): Promise<boolean>;
  toggleExemplar(codingId: string): Promise<boolean>;
}

/** What the state reads of the project overview: waves for the wave choice, attributes for the defaults. */
export interface AnalysisProjectShape {
  waves: readonly { id: string; order: number }[];
  attributes: readonly { name: string; order: number }[];
  /** Adjudicated disagreements in the project: once there is one, the views default to the Final set. */
  resolutionCount?: number;
}

/** A result with the request it answers. */
export interface Shown<T> {
  data: T;
  requestId: number;
  /** The worker's time for it (reading the project included when it had to). */
  ms: number;
  key: string;
}

export interface CellPanel {
  title: string;
  select: AnswerSelect;
  rows: AnswerRow[];
  /** Answers behind the cell; null until the worker has answered. */
  total: number | null;
  loading: boolean;
  error: string | null;
}

/** Where a request was made (the start page, or a project's Analysis view), so its progress and result show there and only there. */
export type NoticePlace = 'home' | 'project';

export interface Notice {
  /** Where it shows: where the request it reports on was made. */
  place: NoticePlace;
  text: string;
  tone: 'info' | 'error';
  details: string[];
  /** A restored project the user can open. */
  openProject?: { id: string; name: string };
}

type TableSlot = 'counts' | 'crosstab' | 'cooccurrence' | 'change' | 'quotes';
type Slot = TableSlot | 'words' | 'kwic' | 'distinctive' | 'cell' | 'export' | 'import' | 'warm';
/** A request under way: what it is for, the key of the options it was made with, and where it was made. */
type InFlight = { slot: Slot; key: string; place: NoticePlace };

/** Answers listed per page in the side panel. */
export const CELL_PAGE = 100;
const WORDS_SHOWN = 150;
const KWIC_LINES = 300;
const DISTINCTIVE_SHOWN = 25;
/** A version change refreshes the open table this long after the last change. */
const REFRESH_DELAY_MS = 250;
/** Bars and series a chart shows at most, to stay readable. */
const CHART_CATEGORIES = 40;
const CHART_SERIES = 8;

const ALL_CODERS: CoderChoice = { kind: 'all' };
const FINAL_CODERS: CoderChoice = { kind: 'final' };

/** The coding set the views start with: Final once a disagreement has been adjudicated, else all coders together. */
export function defaultCoders(shape: AnalysisProjectShape): CoderChoice {
  return (shape.resolutionCount ?? 0) > 0 ? FINAL_CODERS : ALL_CODERS;
}

/** “quote” (attribution): a quote as a paper prints it, on one line. */
export function formatQuote(quote: Pick<Quote, 'text' | 'attribution'>): string {
  return `“${quote.text.replace(/\s+/g, ' ').trim()}” (${quote.attribution})`;
}

/** "12 / 40" with the share as "30.0%"; "–" for a share of nothing (never NaN). */
export function formatShare(numerator: number, denominator: number): { ratio: string; percent: string } {
  const n = new Intl.NumberFormat('en-US');
  return { ratio: `${n.format(numerator)} / ${n.format(denominator)}`, percent: denominator > 0 ? `${((numerator / denominator) * 100).toFixed(1)}%` : '–' };
}

/** The attribute that names a speaker by default: one called "role" (any case), else none. */
function roleAttribute(shape: AnalysisProjectShape): string | null {
  return shape.attributes.find((a) => a.name.trim().toLowerCase() === 'role')?.name ?? null;
}

function firstAttribute(shape: AnalysisProjectShape): string {
  return roleAttribute(shape) ?? [...shape.attributes].sort((a, b) => a.order - b.order)[0]?.name ?? '';
}

/**
 * A codebook read from a .qdc as one undoable change adding its codes (fresh
 * ids, placed after the project's top-level codes) and its sets as themes.
 * Refused when a top-level code's name is already taken, as loading a
 * codebook is; a theme whose name is taken is left out and named.
 */
export function qdcChange(
  read: { codes: readonly ExchangeCode[]; themes: readonly ExchangeTheme[] },
  current: { projectId: string; codes: readonly Code[]; themes: readonly Theme[] },
  label: string,
  makeId: () => string = newId,
): { change: ReversibleChange | null; problem: string | null; skippedThemes: string[] } {
  if (read.codes.length === 0) return { change: null, problem: 'This codebook has no codes.', skippedThemes: [] };
  const taken = new Set(current.codes.filter((c) => c.parentId === null).map((c) => c.name.trim().toLowerCase()));
  const clashes = read.codes.filter((c) => c.parentId === null && taken.has(c.name.trim().toLowerCase()));
  if (clashes.length > 0) {
    return { change: null, problem: `This project already has ${clashes.map((c) => `“${c.name}”`).join(', ')}. Nothing was added.`, skippedThemes: [] };
  }
  const ids = new Map(read.codes.map((c) => [c.id, makeId()]));
  const topCount = current.codes.filter((c) => c.parentId === null).length;
  const { projectId } = current;
  const codes: Code[] = read.codes.map((c) => {
    const parentId = c.parentId === null ? null : (ids.get(c.parentId) ?? null);
    return { ...c, projectId, id: ids.get(c.id)!, parentId, order: parentId === null ? topCount + c.order : c.order };
  });
  const themeNames = new Set(current.themes.map((t) => t.name.trim().toLowerCase()));
  const skippedThemes: string[] = [];
  let order = current.themes.reduce((max, t) => Math.max(max, t.order + 1), 0);
  const themes: Theme[] = [];
  for (const t of read.themes) {
    const key = t.name.trim().toLowerCase();
    if (!key || themeNames.has(key)) {
      skippedThemes.push(t.name);
      continue;
    }
    themeNames.add(key);
    const codeIds = t.codeIds.map((id) => ids.get(id)).filter((id): id is string => id !== undefined);
    themes.push({ projectId, id: makeId(), name: t.name.trim(), description: t.description, codeIds, withSubcodes: t.withSubcodes, order: order++ });
  }
  const change: ReversibleChange = {
    label,
    forward: { ...emptyChange(), putCodes: codes, ...(themes.length ? { putThemes: themes } : {}) },
    inverse: { ...emptyChange(), deleteCodes: codes, ...(themes.length ? { deleteThemes: themes } : {}) },
  };
  return { change, problem: null, skippedThemes };
}

export class AnalysisState {
  tab = $state<AnalysisTab>('themes');

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
  changeOptions = $state<WaveChangeOptions>({ targets: 'codes', waveA: '', waveB: '', coders: ALL_CODERS, questionId: null });
  quotesOptions = $state<{ by: 'code' | 'theme'; coders: CoderChoice; attributionAttribute: string | null }>({
    by: 'code',
    coders: ALL_CODERS,
    attributionAttribute: null,
  });
  wordsScope = $state<WordScope>({ questionId: null, group: { kind: 'all' }, coders: ALL_CODERS });
  kwicWord = $state('');
  distinctiveTarget = $state<Target | null>(null);
  exportOptions = $state<{
    coders: CoderChoice;
    includeSubcodes: boolean;
    bom: boolean;
    qdpxOffsets: QdpxOffsets;
    neutraliseFormulas: boolean;
    respondentIds?: 'pseudonyms' | 'raw';
  }>({
    coders: ALL_CODERS,
    includeSubcodes: false,
    bom: true,
    qdpxOffsets: 'code-points',
    neutraliseFormulas: true,
    respondentIds: 'pseudonyms',
  });

  /** The Export tab's Report section: sections, parts, dimensions, unit, quotes per theme. */
  reportOptions = $state<ReportSettings>(structuredClone(DEFAULT_REPORT_SETTINGS));
  /** A Word report is being drawn and packed on the page. */
  packingReport = $state(false);

  counts = $state.raw<Shown<CountsResult> | null>(null);
  crosstab = $state.raw<Shown<CrosstabResult> | null>(null);
  cooccurrence = $state.raw<Shown<CooccurrenceResult> | null>(null);
  change = $state.raw<Shown<WaveChangeResult> | null>(null);
  quotes = $state.raw<Shown<QuotesResult> | null>(null);
  words = $state.raw<Shown<WordsResult> | null>(null);
  kwic = $state.raw<Shown<KwicResult> | null>(null);
  distinctive = $state.raw<Shown<DistinctiveResult> | null>(null);

  /** Requests under way, by what they are for. */
  running = $state.raw<ReadonlySet<Slot>>(new Set());
  /** The newest progress report of a long request. */
  progress = $state<{ phase: string; done: number; total: number } | null>(null);
  error = $state<string | null>(null);
  notice = $state<Notice | null>(null);
  /** The answers behind the cell last opened, shown beside the tables. */
  cell = $state.raw<CellPanel | null>(null);
  /** Where the imports under way were asked for (their progress shows there). */
  importing = $state.raw<ReadonlySet<NoticePlace>>(new Set());
  /** A .qdpx whose project is already here, waiting for "restore as a copy" (where it was asked for). */
  pendingCopy = $state.raw<{ file: Blob; fileName: string; name: string; place: NoticePlace } | null>(null);
  /** The quote last copied (its first coding id), for a moment's "Copied". */
  copied = $state<string | null>(null);
  /** The worker has read and indexed the project (its size, and the time it took there). */
  warmed = $state<{ answers: number; codings: number; ms: number } | null>(null);
  /** The last file written: its size and the worker's time for it. */
  lastFile = $state<{ fileName: string; bytes: number; ms: number } | null>(null);

  #download: (fileName: string, mime: string, bytes: Uint8Array) => void;
  #worker: WorkerClient<ToAnalysisWorker, FromAnalysisWorker>;
  #projectId: string | null = null;
  #version = 0;
  /** Request id → what it is for, and the key of the options it was made with. */
  #inFlight = new Map<number, InFlight>();
  #newest = new Map<Slot, number>();
  #qdcFor = new Map<number, AnalysisWorkspace>();
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #reread = false;
  /** Whether the views have defaulted to Final for this project (it happens once). */
  #finalDefault = false;

  constructor(
    createWorker: () => AnalysisWorkerLike = defaultAnalysisWorker,
    download: (fileName: string, mime: string, bytes: Uint8Array) => void = (name, mime, bytes) => downloadFile(name, mime, bytes as Uint8Array<ArrayBuffer>),
  ) {
    this.#worker = new WorkerClient({
      name: 'analysis',
      create: createWorker,
      isFinal: (reply) => reply.type !== 'progress',
      // What the worker had read of the project went with it.
      onWorkerLost: () => (this.warmed = null),
    });
    this.#download = download;
  }

  get projectId(): string | null {
    return this.#projectId;
  }

  /**
   * Blind mode's one coder (null when not blind), read at every request: the app wires it to the workspace's
   * `blindCoderId`. Every request then carries it, with its coder choices set to that coder.
   */
  restrictTo: () => string | null = () => null;
  #shownFor: string | null = null;

  /**
   * The view shows the project with this blind restriction: tables, cell panels and quotes computed under
   * another one are dropped (they may rest on other coders' codings) and the open tab is asked again.
   */
  restrict(coderId: string | null) {
    if (coderId === this.#shownFor) return;
    this.#shownFor = coderId;
    this.#dropResults();
    this.#ensure(this.tab, true);
  }

  #dropResults() {
    this.counts = null;
    this.crosstab = null;
    this.cooccurrence = null;
    this.change = null;
    this.quotes = null;
    this.words = null;
    this.kwic = null;
    this.distinctive = null;
    this.cell = null;
  }

  /** True while something other than an import can be stopped. */
  cancellable = $derived(this.running.size > 0 && !this.running.has('import'));

  isRunning(slot: Slot): boolean {
    return this.running.has(slot);
  }

  /**
   * The view shows a project at a workspace version: a new project starts from
   * the defaults (and the worker starts reading it); a new version refreshes
   * the open table a moment later.
   */
  attach(projectId: string, version: number, shape: AnalysisProjectShape) {
    if (projectId !== this.#projectId) {
      this.#reset(projectId, version, shape);
      this.#send('warm', { type: 'warm' }, '');
      this.#ensure(this.tab);
      return;
    }
    this.#fixOptions(shape);
    this.#followFinalDefault(shape);
    if (version === this.#version) return;
    this.#version = version;
    if (this.#refreshTimer !== null) clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      this.#ensure(this.tab);
    }, REFRESH_DELAY_MS);
  }

  /**
   * The project's answers changed (an import added a wave or questions): the
   * worker reads the project again and the open table is asked again.
   */
  invalidate(projectId: string) {
    this.#worker.notify({ type: 'invalidate', projectId });
    if (projectId !== this.#projectId) return;
    this.counts = null;
    this.crosstab = null;
    this.cooccurrence = null;
    this.change = null;
    this.quotes = null;
    this.cell = null;
    this.warmed = null;
    this.#send('warm', { type: 'warm' }, '');
    this.#ensure(this.tab, true);
  }

  /**
   * The first resolution makes Final the default: every view still on "all
   * coders together" (the old default) moves to Final, once per project; a
   * view the user set to one coder or the consensus keeps that choice.
   */
  #followFinalDefault(shape: AnalysisProjectShape) {
    if (this.#finalDefault || defaultCoders(shape).kind !== 'final') return;
    this.#finalDefault = true;
    const move = <T extends { coders: CoderChoice }>(options: T): T => (options.coders.kind === 'all' ? { ...options, coders: FINAL_CODERS } : options);
    this.countsOptions = move(this.countsOptions);
    this.crosstabOptions = move(this.crosstabOptions);
    this.cooccurrenceOptions = move(this.cooccurrenceOptions);
    this.changeOptions = move(this.changeOptions);
    this.quotesOptions = move(this.quotesOptions);
    this.wordsScope = move(this.wordsScope);
    this.exportOptions = move(this.exportOptions);
  }

  /**
   * What the Final set follows besides the codings changed without a workspace
   * version: the primary coder (stored by the agreement view) or a round. The
   * open table is asked again with the project re-read.
   */
  finalInputsChanged() {
    this.#afterOwnChange();
  }

  /** Choices that name an attribute or a wave the project no longer has (or has only now) fall back to the defaults. */
  #fixOptions(shape: AnalysisProjectShape) {
    const attributes = new Set(shape.attributes.map((a) => a.name));
    const attribute = firstAttribute(shape);
    if (!attributes.has(this.crosstabOptions.attribute) && this.crosstabOptions.attribute !== attribute) {
      this.crosstabOptions = { ...this.crosstabOptions, attribute };
    }
    const waves = [...shape.waves].sort((a, b) => a.order - b.order).map((w) => w.id);
    const { waveA, waveB } = this.changeOptions;
    const fallback = { waveA: waves[0] ?? '', waveB: waves[1] ?? '' };
    if ((!waves.includes(waveA) || !waves.includes(waveB)) && (waveA !== fallback.waveA || waveB !== fallback.waveB)) {
      this.changeOptions = { ...this.changeOptions, ...fallback };
    }
    const group = this.countsOptions.groupBy;
    if (group.kind === 'attribute' && !attributes.has(group.name)) this.countsOptions = { ...this.countsOptions, groupBy: { kind: 'none' } };
  }

  #reset(projectId: string, version: number, shape: AnalysisProjectShape) {
    this.#stopProjectWork();
    this.#projectId = projectId;
    this.#version = version;
    const coders = defaultCoders(shape);
    this.#finalDefault = coders.kind === 'final';
    const waves = [...shape.waves].sort((a, b) => a.order - b.order);
    const role = roleAttribute(shape);
    this.countsOptions = { targets: 'codes', groupBy: { kind: 'none' }, coders, questionId: null };
    this.crosstabOptions = {
      targets: 'codes',
      attribute: firstAttribute(shape),
      unit: 'respondents',
      percentOf: 'answered',
      coders,
      questionId: null,
    };
    this.cooccurrenceOptions = { targets: 'top-level', level: 'answer', coders, questionId: null };
    this.changeOptions = { targets: 'codes', waveA: waves[0]?.id ?? '', waveB: waves[1]?.id ?? '', coders, questionId: null };
    this.quotesOptions = { by: 'code', coders, attributionAttribute: role };
    this.wordsScope = { questionId: null, group: { kind: 'all' }, coders };
    this.kwicWord = '';
    this.distinctiveTarget = null;
    // Whether .qdpx files go to NVivo, and CSVs to R rather than Excel, is the user's setup, not the project's: it stays.
    this.exportOptions = {
      coders,
      includeSubcodes: false,
      bom: true,
      qdpxOffsets: this.exportOptions.qdpxOffsets,
      neutraliseFormulas: this.exportOptions.neutraliseFormulas,
    };
    // The AIMMS design by default: role × wave where the project has them.
    this.reportOptions = {
      ...structuredClone(DEFAULT_REPORT_SETTINGS),
      dimensions: [...(role ? [{ kind: 'attribute' as const, name: role }] : []), ...(waves.length > 1 ? [{ kind: 'wave' as const }] : [])],
    };
    this.#dropResults();
    this.error = null;
    // The start page's notice stays for the start page (an import asked for there may even still be running).
    if (this.notice?.place !== 'home') {
      this.notice = null;
      this.pendingCopy = null;
    }
    this.warmed = null;
    this.lastFile = null;
  }

  select(tab: AnalysisTab) {
    this.tab = tab;
    this.error = null;
    this.#ensure(tab);
  }

  /** Asks again for the open tab's table (after a change of options). */
  refresh() {
    this.#ensure(this.tab, true);
  }

  /** Computes the tab's table unless the one shown already answers its options at this version. */
  #ensure(tab: AnalysisTab, force = false) {
    if (!this.#projectId) return;
    switch (tab) {
      case 'counts':
        return this.#table('counts', force, () => ({ type: 'counts', options: $state.snapshot(this.countsOptions) }));
      case 'crosstab':
        if (!this.crosstabOptions.attribute) return;
        return this.#table('crosstab', force, () => ({ type: 'crosstab', options: $state.snapshot(this.crosstabOptions) }));
      case 'cooccurrence':
        return this.#table('cooccurrence', force, () => ({ type: 'cooccurrence', options: $state.snapshot(this.cooccurrenceOptions) }));
      case 'change':
        if (!this.changeOptions.waveA || !this.changeOptions.waveB) return;
        return this.#table('change', force, () => ({ type: 'wave-change', options: $state.snapshot(this.changeOptions) }));
      case 'quotes':
        return this.#table('quotes', force, () => ({ type: 'quotes', ...$state.snapshot(this.quotesOptions) }));
      case 'words':
        // Counting words takes a while at scale: only what was asked for before is brought up to date.
        if (this.words && this.words.key !== this.#key(this.words.data.scope)) this.runWords();
        return;
      default:
        return;
    }
  }

  #key(options: unknown): string {
    return `${this.#version}\u0000${this.restrictTo() ?? '\u0000'}\u0000${JSON.stringify(options)}`;
  }

  #table(slot: TableSlot, force: boolean, body: () => RequestBody) {
    const request = body();
    const key = this.#key(request);
    const shown = this[slot];
    if (!force && shown && shown.key === key) return;
    const pending = this.#newest.get(slot);
    if (!force && pending !== undefined && this.#inFlight.get(pending)?.key === key) return;
    this.#send(slot, request, key);
  }

  runWords() {
    const scope = $state.snapshot(this.wordsScope);
    this.#send('words', { type: 'words', scope, limit: WORDS_SHOWN }, this.#key(scope));
  }

  runKwic(word: string) {
    this.kwicWord = word;
    const scope = $state.snapshot(this.wordsScope);
    if (!word.trim()) {
      this.kwic = null;
      return;
    }
    this.#send('kwic', { type: 'kwic', scope, word, limit: KWIC_LINES }, this.#key({ scope, word }));
  }

  runDistinctive() {
    const target = $state.snapshot(this.distinctiveTarget);
    if (!target) {
      this.error = 'Choose a code or a theme to compare with the rest.';
      return;
    }
    const { coders, questionId } = $state.snapshot(this.wordsScope);
    this.#send('distinctive', { type: 'distinctive', target, coders, questionId, limit: DISTINCTIVE_SHOWN }, this.#key({ target, coders, questionId }));
  }

  /** Lists the answers behind a cell (or these answer ids) in the side panel. */
  openCell(title: string, select: AnswerSelect | string[]) {
    const chosen: AnswerSelect = Array.isArray(select) ? { kind: 'ids', answerIds: select } : select;
    this.cell = { title, select: chosen, rows: [], total: null, loading: true, error: null };
    this.#send('cell', { type: 'answers', select: chosen, offset: 0, limit: CELL_PAGE }, '');
  }

  moreCell() {
    const cell = this.cell;
    if (!cell || cell.loading || cell.total === null || cell.rows.length >= cell.total) return;
    this.cell = { ...cell, loading: true };
    this.#send('cell', { type: 'answers', select: cell.select, offset: cell.rows.length, limit: CELL_PAGE }, '');
  }

  closeCell() {
    this.cell = null;
  }

  /** The settings every export takes, from the tabs' current options. */
  exportSettings(): ExportSettings {
    const o = $state.snapshot(this.exportOptions);
    return {
      coders: o.coders,
      includeSubcodes: o.includeSubcodes,
      bom: o.bom,
      counts: $state.snapshot(this.countsOptions),
      crosstab: $state.snapshot(this.crosstabOptions),
      attributionAttribute: this.quotesOptions.attributionAttribute,
      qdpxOffsets: o.qdpxOffsets,
      neutraliseFormulas: o.neutraliseFormulas,
      respondentIds: o.respondentIds ?? 'pseudonyms',
      report: $state.snapshot(this.reportOptions),
    };
  }

  /** Writes a file in the worker and hands it to the browser as a download. */
  export(kind: ExportKind) {
    if (kind === 'crosstab-csv' && !this.crosstabOptions.attribute) {
      this.notice = { place: 'project', text: 'A crosstab needs an attribute for its columns, and this project has none.', tone: 'error', details: [] };
      return;
    }
    this.notice = null;
    this.#send('export', { type: 'export', kind, settings: this.exportSettings() }, kind);
  }

  /** Reads a REFI-QDA codebook in the worker, then adds its codes (and sets, as themes) to the project in one undoable step. */
  importQdc(file: File, workspace: AnalysisWorkspace) {
    this.notice = null;
    const requestId = this.#send('import', { type: 'read-qdc', file, fileName: file.name }, '');
    if (requestId !== null) this.#qdcFor.set(requestId, workspace);
  }

  /**
   * Restores a REFI-QDA project as a project of its own (as a copy when asked). `from` says where it was asked
   * for: the start page shows the progress and the result itself.
   */
  importQdpx(file: Blob, fileName: string, asCopy = false, from: NoticePlace = 'project') {
    this.notice = null;
    this.pendingCopy = null;
    const requestId = this.#post('import', '', (requestId) => ({ type: 'import-qdpx', requestId, file, fileName, asCopy }), from);
    this.#qdpxFiles.set(requestId, { file, fileName });
  }

  /** Makes a new project of a REFI-QDA codebook (the start page): its codes and themes, no answers yet. */
  importQdcProject(file: Blob, fileName: string) {
    this.notice = null;
    this.pendingCopy = null;
    const requestId = this.#post('import', '', (requestId) => ({ type: 'import-qdc-project', requestId, file, fileName }), 'home');
    this.#codebookProjects.add(requestId);
  }

  /** A file the start page could not open, said where the user is. */
  refuseFile(message: string) {
    this.pendingCopy = null;
    this.notice = { place: 'home', text: message, tone: 'error', details: [] };
  }

  restoreAsCopy() {
    const pending = this.pendingCopy;
    if (pending) this.importQdpx(pending.file, pending.fileName, true, pending.place);
  }

  /** Puts a quote on the clipboard as a paper prints it; says so when the browser will not. */
  async copyQuote(quote: Quote): Promise<boolean> {
    const text = formatQuote(quote);
    try {
      if (!globalThis.navigator?.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      this.copied = quote.codingIds[0];
      setTimeout(() => {
        if (this.copied === quote.codingIds[0]) this.copied = null;
      }, 2000);
      return true;
    } catch {
      this.notice = {
        place: 'project',
        text: `This browser did not let Codebench use the clipboard. Select the quote and copy it: ${text}`,
        tone: 'error',
        details: [],
      };
      return false;
    }
  }

  /** Takes a quote out of the quote bank (each exemplar coding behind it is unmarked, undoably). */
  async unmarkQuote(quote: Quote, workspace: AnalysisWorkspace) {
    for (const id of quote.codingIds) await workspace.toggleExemplar(id);
    this.#afterOwnChange();
  }

  /** Our own change is stored: ask again with the codings re-read (the version may have been seen before the write landed). */
  #afterOwnChange() {
    this.#reread = true;
    this.#ensure(this.tab, true);
  }

  /**
   * Another project: what was asked for the last one is dropped. A .qdpx or codebook being restored as a
   * project of its own (from the start page, or another project's Export tab) belongs to no open project, so
   * the worker is not stopped under it: it finishes and its notice shows where it was asked for. Otherwise
   * the worker is stopped, as Cancel does.
   */
  #stopProjectWork() {
    const keep = new Set([...this.#inFlight].filter(([id, e]) => e.slot === 'import' && !this.#qdcFor.has(id)).map(([id]) => id));
    if (keep.size === 0) {
      this.cancel(false);
      return;
    }
    if (this.#refreshTimer !== null) clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
    for (const id of [...this.#inFlight.keys()]) {
      if (keep.has(id)) continue;
      this.#worker.drop(id);
      this.#inFlight.delete(id);
      this.#qdcFor.delete(id);
    }
    for (const [slot, id] of [...this.#newest]) if (!keep.has(id)) this.#newest.delete(slot);
    this.running = new Set(['import']);
    this.#updateImporting();
  }

  /** Stops whatever the worker is doing: it is terminated, and the next request starts a new one. */
  cancel(say = true) {
    const busy = this.running.size > 0;
    if (this.#refreshTimer !== null) clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
    if (this.#worker.running) this.warmed = null;
    this.#worker.terminate();
    this.#inFlight.clear();
    this.#newest.clear();
    this.#qdcFor.clear();
    this.#qdpxFiles.clear();
    this.#codebookProjects.clear();
    this.running = new Set();
    this.importing = new Set();
    this.progress = null;
    if (this.cell?.loading) this.cell = { ...this.cell, loading: false };
    if (say && busy)
      this.notice = { place: 'project', text: 'Stopped. The next table reads the project again, which takes a moment.', tone: 'info', details: [] };
  }

  /** The view is gone for good. */
  dispose() {
    this.cancel(false);
  }

  dismiss() {
    this.notice = null;
    this.pendingCopy = null;
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

  // -------------------------------------------------------------------------
  // The worker

  #send(slot: Slot, body: RequestBody, key: string): number | null {
    const projectId = this.#projectId;
    if (!projectId) return null;
    if (slot !== 'cell' && slot !== 'export' && slot !== 'import' && slot !== 'warm') this.error = null;
    const reread = this.#reread;
    this.#reread = false;
    const version = this.#version;
    const blindCoderId = this.restrictTo();
    if (blindCoderId !== this.#shownFor) {
      // Blind mode changed while the view was away: nothing computed under the other setting may stay on screen.
      this.#shownFor = blindCoderId;
      if (slot !== 'cell') this.#dropResults();
    }
    const restricted = blindCoderId === null ? body : restrictCoderChoices(body, blindCoderId);
    return this.#post(
      slot,
      key,
      (requestId) =>
        ({
          ...restricted,
          requestId,
          projectId,
          version,
          ...(reread ? { reread: true } : {}),
          ...(blindCoderId === null ? {} : { blindCoderId }),
        }) as AnalysisRequest,
    );
  }

  #track(requestId: number, slot: Slot, key: string, place: NoticePlace) {
    const previous = this.#newest.get(slot);
    if (previous !== undefined && slot !== 'export' && slot !== 'import') this.#inFlight.delete(previous);
    this.#newest.set(slot, requestId);
    this.#inFlight.set(requestId, { slot, key, place });
    this.running = new Set([...this.running, slot]);
    if (slot === 'import') this.#updateImporting();
  }

  #updateImporting() {
    this.importing = new Set([...this.#inFlight.values()].filter((e) => e.slot === 'import').map((e) => e.place));
  }

  #post(slot: Slot, key: string, build: (requestId: number) => ToAnalysisWorker, place: NoticePlace = 'project'): number {
    let id = 0;
    return this.#worker.request(
      (requestId) => {
        id = requestId;
        this.#track(requestId, slot, key, place);
        return build(requestId);
      },
      {
        onReply: (reply) => void this.#receive(reply),
        onFailure: (message) => this.#failed(id, message),
        consequence:
          slot === 'export'
            ? 'No file was written; try again.'
            : slot === 'import'
              ? 'Nothing was added; try again.'
              : 'Try again: the next request reads the project again.',
        // The worker skips a table a newer one of its kind has replaced, without a reply.
        replaces: slot === 'export' || slot === 'import' ? undefined : slot,
      },
    );
  }

  /** The worker failed: the request ends as if it had answered with the failure, and a spinner of its own stops. */
  #failed(requestId: number, message: string) {
    if (this.#inFlight.get(requestId)?.slot === 'warm') {
      this.#finish(requestId);
      this.error = message;
      return;
    }
    void this.#receive({ type: 'error', requestId, message });
  }

  #finish(requestId: number): InFlight | null {
    const entry = this.#inFlight.get(requestId);
    if (!entry) return null;
    this.#inFlight.delete(requestId);
    if (entry.slot === 'import') this.#updateImporting();
    const stillBusy = [...this.#inFlight.values()].some((e) => e.slot === entry.slot);
    if (!stillBusy) {
      const running = new Set(this.running);
      running.delete(entry.slot);
      this.running = running;
    }
    if (this.#inFlight.size === 0) this.progress = null;
    return entry;
  }

  async #receive(message: FromAnalysisWorker) {
    if (message.type === 'progress') {
      if (this.#inFlight.has(message.requestId)) this.progress = { phase: message.phase, done: message.done, total: message.total };
      return;
    }
    const entry = this.#finish(message.requestId);
    if (!entry) return;
    const { requestId } = message;
    switch (message.type) {
      case 'result':
        this.#result(entry, requestId, message.result, message.ms);
        return;
      case 'file':
        this.lastFile = { fileName: message.fileName, bytes: message.bytes.length, ms: message.ms };
        this.#download(message.fileName, message.mime, message.bytes);
        this.notice = { place: 'project', text: `Saved ${message.fileName} to your downloads.`, tone: 'info', details: [] };
        return;
      case 'document':
        await this.#packDocx(message.fileName, message.document, message.ms);
        return;
      case 'qdc':
        await this.#addCodebook(requestId, message.fileName, message.codes, message.themes, message.warnings);
        return;
      case 'qdpx-imported': {
        this.#qdpxFiles.delete(requestId);
        const codebook = this.#codebookProjects.delete(requestId);
        const { report } = message;
        const details = [
          ...(report.kept.length ? [`Kept: ${report.kept.join('; ')}.`] : []),
          ...(report.dropped.length ? [`Could not be kept: ${report.dropped.join('; ')}.`] : ['Nothing was left out.']),
          ...report.warnings,
        ];
        this.notice = {
          place: entry.place,
          text: codebook
            ? `Made the project “${message.name}” with this codebook. Open it and import a survey into it to start coding.`
            : `Restored “${message.name}” as a project of its own.`,
          tone: 'info',
          details,
          openProject: { id: message.projectId, name: message.name },
        };
        return;
      }
      case 'project-exists': {
        const pending = this.#pendingQdpx(requestId);
        this.notice = {
          place: entry.place,
          text: `“${message.name}” is already in this browser. Restore the file as a separate copy, or keep the project you have.`,
          tone: 'error',
          details: [],
        };
        this.pendingCopy = pending ? { ...pending, name: message.name, place: entry.place } : null;
        return;
      }
      case 'error':
        if (entry.slot === 'cell') {
          if (this.cell) this.cell = { ...this.cell, loading: false, error: message.message };
        } else if (entry.slot === 'export' || entry.slot === 'import') {
          this.#qdcFor.delete(requestId);
          this.#qdpxFiles.delete(requestId);
          this.#codebookProjects.delete(requestId);
          this.notice = { place: entry.place, text: message.message, tone: 'error', details: [] };
        } else if (entry.slot !== 'warm') {
          this.error = message.message;
        }
        return;
    }
  }

  /** Draws the report's charts and packs the Word file here (see report-docx.ts), then downloads it. */
  async #packDocx(fileName: string, doc: ReportDocument, ms: number) {
    this.packingReport = true;
    const started = performance.now();
    try {
      const bytes = await packReportDocx(doc);
      this.lastFile = { fileName, bytes: bytes.length, ms: ms + performance.now() - started };
      this.#download(fileName, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes);
      this.notice = { place: 'project', text: `Saved ${fileName} to your downloads.`, tone: 'info', details: [] };
    } catch (error) {
      this.notice = {
        place: 'project',
        text: `The Word report could not be made (${(error as Error)?.message ?? String(error)}). Try again, or save the report as HTML.`,
        tone: 'error',
        details: [],
      };
    } finally {
      this.packingReport = false;
    }
  }

  #qdpxFiles = new Map<number, { file: Blob; fileName: string }>();
  /** Requests making a project of a codebook (their result reads differently). */
  #codebookProjects = new Set<number>();

  #pendingQdpx(requestId: number) {
    const found = this.#qdpxFiles.get(requestId) ?? null;
    this.#qdpxFiles.delete(requestId);
    return found;
  }

  #result(entry: InFlight, requestId: number, result: AnalysisResult, ms: number) {
    const shown = <T>(data: T): Shown<T> => ({ data, requestId, ms, key: entry.key });
    switch (result.kind) {
      case 'warm':
        this.warmed = { answers: result.answers, codings: result.codings, ms };
        return;
      case 'counts':
        this.counts = shown(result);
        return;
      case 'crosstab':
        this.crosstab = shown(result);
        return;
      case 'cooccurrence':
        this.cooccurrence = shown(result);
        return;
      case 'wave-change':
        this.change = shown(result);
        return;
      case 'quotes':
        this.quotes = shown(result);
        return;
      case 'words':
        this.words = shown(result);
        return;
      case 'kwic':
        this.kwic = shown(result);
        return;
      case 'distinctive':
        this.distinctive = shown(result);
        return;
      case 'answers': {
        const cell = this.cell;
        if (!cell) return;
        const rows = result.offset === 0 ? result.rows : [...cell.rows, ...result.rows];
        this.cell = { ...cell, rows, total: result.total, loading: false, error: null };
        return;
      }
    }
  }

  async #addCodebook(requestId: number, fileName: string, codes: ExchangeCode[], themes: ExchangeTheme[], warnings: string[]) {
    const workspace = this.#qdcFor.get(requestId);
    this.#qdcFor.delete(requestId);
    if (!workspace?.projectId) return;
    const { change, problem, skippedThemes } = qdcChange(
      { codes, themes },
      { projectId: workspace.projectId, codes: workspace.codes, themes: workspace.themes },
      `Import the REFI-QDA codebook “${fileName}” (${codes.length} code${codes.length === 1 ? '' : 's'})`,
    );
    if (!change) {
      this.notice = { place: 'project', text: problem ?? 'Nothing was added.', tone: 'error', details: warnings };
      return;
    }
    const done = await workspace.perform(() => change);
    if (!done) {
      this.notice = { place: 'project', text: 'The codebook could not be added.', tone: 'error', details: warnings };
      return;
    }
    const added = change.forward.putThemes?.length ?? 0;
    const details = [...warnings];
    if (skippedThemes.length)
      details.push(`Left out ${skippedThemes.length === 1 ? 'a set' : 'sets'} whose theme name is taken: ${skippedThemes.map((n) => `“${n}”`).join(', ')}.`);
    this.notice = {
      place: 'project',
      text: `Added ${codes.length} code${codes.length === 1 ? '' : 's'}${added ? ` and ${added} theme${added === 1 ? '' : 's'}` : ''} from ${fileName}. Undo takes them out again.`,
      tone: 'info',
      details,
    };
    this.#afterOwnChange();
  }
}

type RequestBody = AnalysisRequestBody;
