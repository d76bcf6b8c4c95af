/**
 * The Analysis view's state: which tab is open, and the managers that hold
 * each concern, one class each:
 *
 * - `connection` (analysis-connection.svelte.ts): the worker, the project and
 *   version requests are made at, blind mode, progress, Cancel and notices;
 * - `tables` (analysis-tables.svelte.ts): counts and co-occurrence, their
 *   options and last results, the charts, and the crosstab CSV's options;
 * - `writeUp` (analysis-writeup.svelte.ts): prevalence, pairs and change
 *   between waves;
 * - `filter` (analysis-filter.svelte.ts): the filter bar every request obeys;
 * - `wordViews`, `quoteBank`, `cells` (the side panel) and `files` (exports, imports).
 *
 * This class wires them together: a new project resets them, a new workspace
 * version refreshes the open tab, blind mode drops what was computed under
 * another restriction. Components read the managers through the accessors
 * below (the surface they had before the split).
 */
import type { Quote } from '../../workers/analysis-protocol';
import type { AnswerSelect, ExportKind, ExportSettings } from '../../workers/analysis-protocol';
import { downloadFile } from './download';
import { AnalysisCell } from './analysis-cell.svelte';
import { AnalysisConnection, defaultAnalysisWorker, type AnalysisWorkerLike, type NoticePlace, type Slot } from './analysis-connection.svelte';
import { AnalysisFilter } from './analysis-filter.svelte';
import { AnalysisFiles, type AnalysisWorkspace, type ExportOptions } from './analysis-files.svelte';
import { AnalysisQuotes } from './analysis-quotes.svelte';
import { defaultCoders, roleAttribute, type AnalysisProjectShape } from './analysis-shape';
import { AnalysisTables } from './analysis-tables.svelte';
import { AnalysisWords } from './analysis-words.svelte';
import { AnalysisWriteUp } from './analysis-writeup.svelte';

export { defaultAnalysisWorker, type AnalysisWorkerLike, type Notice, type NoticePlace } from './analysis-connection.svelte';
export { CELL_PAGE, type CellPanel } from './analysis-cell.svelte';
export { qdcChange, type AnalysisWorkspace } from './analysis-files.svelte';
export { formatQuote } from './analysis-quotes.svelte';
export { defaultCoders, type AnalysisProjectShape } from './analysis-shape';
export type { Shown } from './analysis-tables.svelte';

/**
 * Prevalence took the Crosstab tab's place: a crosstab is prevalence by one attribute, and the new table adds a
 * second dimension, intervals and weights. Counts stays beside it, for mentions per answer and per coder.
 */
export type AnalysisTab = 'themes' | 'prevalence' | 'counts' | 'pairs' | 'change' | 'cooccurrence' | 'words' | 'quotes' | 'export';

export const ANALYSIS_TABS: readonly { id: AnalysisTab; label: string }[] = [
  { id: 'themes', label: 'Themes' },
  { id: 'prevalence', label: 'Prevalence' },
  { id: 'counts', label: 'Counts' },
  { id: 'pairs', label: 'Pairs' },
  { id: 'change', label: 'Change between waves' },
  { id: 'cooccurrence', label: 'Co-occurrence' },
  { id: 'words', label: 'Words' },
  { id: 'quotes', label: 'Quotes' },
  { id: 'export', label: 'Export' },
];

/** A version change refreshes the open table this long after the last change. */
const REFRESH_DELAY_MS = 250;

/** "12 / 40" with the share as "30.0%"; "–" for a share of nothing (never NaN). */
export function formatShare(numerator: number, denominator: number): { ratio: string; percent: string } {
  const n = new Intl.NumberFormat('en-US');
  return { ratio: `${n.format(numerator)} / ${n.format(denominator)}`, percent: denominator > 0 ? `${((numerator / denominator) * 100).toFixed(1)}%` : '–' };
}

export class AnalysisState {
  tab = $state<AnalysisTab>('themes');

  readonly connection: AnalysisConnection;
  /** The filter bar: what every tab counts, and whose codings. */
  readonly filter = new AnalysisFilter();
  readonly tables: AnalysisTables;
  readonly writeUp: AnalysisWriteUp;
  readonly wordViews: AnalysisWords;
  readonly quoteBank: AnalysisQuotes;
  readonly cells: AnalysisCell;
  readonly files: AnalysisFiles;

  #refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    createWorker: () => AnalysisWorkerLike = defaultAnalysisWorker,
    download: (fileName: string, mime: string, bytes: Uint8Array | Blob) => void = (name, mime, bytes) =>
      downloadFile(name, mime, bytes as Uint8Array<ArrayBuffer> | Blob),
  ) {
    this.connection = new AnalysisConnection(createWorker);
    this.tables = new AnalysisTables(this.connection);
    this.writeUp = new AnalysisWriteUp(this.connection);
    this.wordViews = new AnalysisWords(this.connection);
    this.quoteBank = new AnalysisQuotes(this.connection);
    this.cells = new AnalysisCell(this.connection);
    this.files = new AnalysisFiles(
      this.connection,
      download,
      (own) => this.#exportSettings(own),
      () => this.#afterOwnChange(),
    );
    this.connection.scope = () => ({ filter: $state.snapshot(this.filter.filter) as AnalysisFilter['filter'], coders: $state.snapshot(this.filter.coders) });
    // A new filter: the panel's answers may be out of it; the open tab asks again (others when next shown, by their keys).
    this.filter.onchange = () => {
      this.cells.cell = null;
      this.#ensure(this.tab);
    };
    this.connection.onRestrictionChanged = () => this.#dropResults();
    this.connection.onCancelled = () => {
      this.#endPreparing();
      this.#prepared = null;
      this.#stopTimer();
      this.files.stopped();
      this.cells.stopped();
    };
  }

  get projectId(): string | null {
    return this.connection.projectId;
  }

  /**
   * Blind mode's one coder (null when not blind), read at every request: the app wires it to the workspace's
   * `blindCoderId`. Every request then carries it, with its coder choices set to that coder.
   */
  get restrictTo(): () => string | null {
    return this.connection.restrictTo;
  }

  set restrictTo(read: () => string | null) {
    this.connection.restrictTo = read;
  }

  /**
   * The view shows the project with this blind restriction: tables, cell panels and quotes computed under
   * another one are dropped (they may rest on other coders' codings) and the open tab is asked again.
   */
  restrict(coderId: string | null) {
    if (coderId === this.connection.shownFor) return;
    this.connection.shownFor = coderId;
    this.#dropResults();
    this.#ensure(this.tab, true);
  }

  #dropResults() {
    this.tables.drop();
    this.writeUp.drop();
    this.wordViews.drop();
    this.quoteBank.quotes = null;
    this.cells.cell = null;
  }

  isRunning(slot: Slot): boolean {
    return this.connection.isRunning(slot);
  }

  /**
   * The view shows a project at a workspace version: a new project starts from
   * the defaults (and the worker starts reading it); a new version refreshes
   * the open table a moment later.
   */
  attach(projectId: string, version: number, shape: AnalysisProjectShape) {
    if (projectId !== this.connection.projectId) {
      this.#reset(projectId, version, shape);
      this.#warm();
      this.#ensure(this.tab);
      return;
    }
    this.tables.fixOptions(shape);
    this.writeUp.fixOptions(shape);
    if (this.filter.follow(shape)) this.#ensure(this.tab);
    if (!this.connection.moveTo(version)) return;
    this.#stopTimer();
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      this.#ensure(this.tab);
    }, REFRESH_DELAY_MS);
  }

  /** The warm-up asked for ahead of the view (see prepare), while it is under way. */
  #preparing: { requestId: number; projectId: string; done: Promise<void>; settle: () => void } | null = null;

  /** No warm-up ahead under way any more: whoever waits for it (prepare's promise) goes on. */
  #endPreparing() {
    this.#preparing?.settle();
    this.#preparing = null;
  }
  /** The project a finished warm-up read, which the worker holds until the view opens it or another is prepared. */
  #prepared: string | null = null;

  /**
   * Has the worker read and index a project before the view shows it (the app asks once the project's counts
   * are shown and the page is idle), so that opening Analysis finds it read. Its reply is not shown: the view
   * still sends its own warm-up, at its own version and blind restriction, which the worker answers from what
   * it read, re-reading the codings if they changed since. So no figure can come from this one.
   */
  prepare(projectId: string, version: number, asked: 'ahead' | 'now' = 'ahead'): Promise<void> {
    // Asked by the Analysis button (AppState.showAnalysis): the user waits for it, so a warm-up ahead held behind the
    // user's scroll goes on, and a new one is not held.
    if (asked === 'now' && this.#preparing?.projectId === projectId) this.connection.notify({ type: 'hold', held: false });
    // Already read and held (a warm-up ahead finished), under way, or shown: nothing to ask. Asked again, the worker
    // would answer a warm-up the view's own then waits behind (the Analysis button asks too: AppState.showAnalysis).
    if (this.#preparing?.projectId === projectId) return this.#preparing.done;
    if (this.connection.projectId === projectId || this.#prepared === projectId) return Promise.resolve();
    // The worker keeps what it read of a project: one prepared earlier and never opened is let go first.
    if (this.#prepared !== null && this.#prepared !== projectId) this.connection.notify({ type: 'invalidate', projectId: this.#prepared });
    this.#prepared = null;
    let settle = () => {};
    const done = new Promise<void>((resolve) => (settle = resolve));
    const requestId = this.connection.post(
      'prepare',
      '',
      (id) => {
        this.#preparing = { requestId: id, projectId, done, settle };
        return { type: 'warm', requestId: id, projectId, version, background: asked === 'ahead' };
      },
      (reply) => {
        if (this.#preparing?.requestId !== requestId) return;
        this.#endPreparing();
        if (reply.type === 'result') this.#prepared = projectId;
      },
    );
    if (asked === 'ahead') this.connection.holdIfBusy();
    return done;
  }

  /** The project a warm-up is under way for ahead of the view, if any. */
  get preparing(): string | null {
    return this.#preparing?.projectId ?? null;
  }

  #warmSettle = () => {};

  #warm() {
    // The page's own long tasks (the reopen's count of every coding) wait until the view is ready: the reply waited
    // behind them (~1 s at 250k respondents).
    // A newer warm-up replaces this one's reply: the older wait ends with it.
    this.#warmSettle();
    let settle = () => {};
    this.connection.holdWhileOpening(new Promise<void>((resolve) => (settle = resolve)));
    this.#warmSettle = settle;
    const sent = this.connection.send('warm', { type: 'warm' }, '', (reply) => {
      settle();
      if (reply.type === 'result' && reply.result.kind === 'warm')
        this.connection.warmed = {
          answers: reply.result.answers,
          codings: reply.result.codings,
          ms: reply.ms,
          storedAnswers: reply.result.storedAnswers === true,
          storedCodings: reply.result.storedCodings === true,
          ...(reply.result.times ? { times: reply.result.times } : {}),
        };
    });
    if (sent === null) settle();
  }

  #stopTimer() {
    if (this.#refreshTimer !== null) clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
  }

  /**
   * The project's answers changed (an import added a wave or questions): the
   * worker reads the project again and the open table is asked again.
   */
  invalidate(projectId: string) {
    this.connection.notify({ type: 'invalidate', projectId });
    if (projectId !== this.connection.projectId) return;
    this.tables.drop();
    this.writeUp.drop();
    this.quoteBank.quotes = null;
    this.cells.cell = null;
    this.connection.warmed = null;
    this.#warm();
    this.#ensure(this.tab, true);
  }

  /**
   * What the Final set follows besides the codings changed without a workspace
   * version: the primary coder (stored by the agreement view) or a round. The
   * open table is asked again with the project re-read.
   */
  finalInputsChanged() {
    this.#afterOwnChange();
  }

  /** Our own change is stored: ask again with the codings re-read (the version may have been seen before the write landed). */
  #afterOwnChange() {
    this.connection.rereadNext();
    this.#ensure(this.tab, true);
  }

  #reset(projectId: string, version: number, shape: AnalysisProjectShape) {
    this.#stopProjectWork(projectId);
    this.connection.open(projectId, version);
    this.filter.open(projectId, shape);
    this.filter.follow(shape);
    // The tabs' own coder fields are overwritten by the bar's at every request; they start from the same default.
    const coders = defaultCoders(shape);
    this.tables.reset(shape, coders);
    this.writeUp.reset(shape, coders);
    this.quoteBank.reset(coders, roleAttribute(shape));
    this.wordViews.reset(coders);
    this.files.reset(coders, shape);
    this.cells.cell = null;
    this.connection.error = null;
  }

  /**
   * Another project: what was asked for the last one is dropped. A .qdpx or codebook being restored as a
   * project of its own (from the start page, or another project's Export tab) belongs to no open project, so
   * the worker is not stopped under it: it finishes and its notice shows where it was asked for. Otherwise
   * the worker is stopped, as Cancel does.
   */
  #stopProjectWork(next: string) {
    this.#stopTimer();
    // A finished warm-up of the project now opening, with nothing else under way: the worker holds it, and stopping
    // the worker would throw away what it read.
    const prepared = this.#prepared === next;
    this.#prepared = null;
    if (prepared && this.connection.running.size === 0) return;
    // A warm-up of the project now opening is kept: the view's own warm-up waits for it rather than reading again.
    const preparing = this.#preparing;
    const kept = this.connection.dropAllBut(
      (id, entry) => this.files.isProjectless(id, entry) || (preparing !== null && preparing.requestId === id && preparing.projectId === next),
    );
    if (preparing !== null && !kept.includes(preparing.requestId)) this.#endPreparing();
    this.files.keepOnly(kept);
  }

  select(tab: AnalysisTab) {
    this.tab = tab;
    this.connection.error = null;
    this.#ensure(tab);
  }

  /** Asks again for the open tab's table (after a change of options). */
  refresh() {
    this.#ensure(this.tab, true);
  }

  /** Computes the tab's table unless the one shown already answers its options at this version. */
  #ensure(tab: AnalysisTab, force = false) {
    if (!this.connection.projectId) return;
    switch (tab) {
      case 'counts':
        return this.tables.ensureCounts(force);
      case 'prevalence':
        return this.writeUp.ensurePrevalence(force);
      case 'pairs':
        return this.writeUp.ensureDyads(force);
      case 'cooccurrence':
        return this.tables.ensureCooccurrence(force);
      case 'change':
        return this.writeUp.ensureTransitions(force);
      case 'quotes':
        return this.quoteBank.ensure(force);
      case 'words':
        return this.wordViews.ensure();
      default:
        return;
    }
  }

  #exportSettings(own: ExportOptions): ExportSettings {
    return {
      coders: own.coders,
      includeSubcodes: own.includeSubcodes,
      bom: own.bom,
      counts: $state.snapshot(this.tables.countsOptions),
      crosstab: $state.snapshot(this.tables.crosstabOptions),
      attributionAttribute: this.quoteBank.quotesOptions.attributionAttribute,
      qdpxOffsets: own.qdpxOffsets,
      neutraliseFormulas: own.neutraliseFormulas,
      respondentIds: own.respondentIds ?? 'pseudonyms',
      report: $state.snapshot(this.files.reportOptions),
    };
  }

  /** Takes a quote out of the quote bank (each exemplar coding behind it is unmarked, undoably). */
  async unmarkQuote(quote: Quote, workspace: AnalysisWorkspace) {
    for (const id of quote.codingIds) await workspace.toggleExemplar(id);
    this.#afterOwnChange();
  }

  /** Stops whatever the worker is doing: it is terminated, and the next request starts a new one. */
  cancel(say = true) {
    this.connection.cancel(say);
  }

  /** The view is gone for good. */
  dispose() {
    this.cancel(false);
  }

  // -------------------------------------------------------------------------
  // The surface the components and tests had before the split: each reads or writes one manager.

  get running() {
    return this.connection.running;
  }
  get progress() {
    return this.connection.progress;
  }
  get error() {
    return this.connection.error;
  }
  set error(value: string | null) {
    this.connection.error = value;
  }
  get notice() {
    return this.connection.notice;
  }
  set notice(value) {
    this.connection.notice = value;
  }
  get importing() {
    return this.connection.importing;
  }
  get warmed() {
    return this.connection.warmed;
  }
  get cancellable() {
    return this.connection.cancellable;
  }

  get countsOptions() {
    return this.tables.countsOptions;
  }
  set countsOptions(value) {
    this.tables.countsOptions = value;
  }
  get crosstabOptions() {
    return this.tables.crosstabOptions;
  }
  set crosstabOptions(value) {
    this.tables.crosstabOptions = value;
  }
  get cooccurrenceOptions() {
    return this.tables.cooccurrenceOptions;
  }
  set cooccurrenceOptions(value) {
    this.tables.cooccurrenceOptions = value;
  }
  get counts() {
    return this.tables.counts;
  }
  get cooccurrence() {
    return this.tables.cooccurrence;
  }
  get countsChart() {
    return this.tables.countsChart;
  }
  get countsChartNote() {
    return this.tables.countsChartNote;
  }
  get heatmap() {
    return this.tables.heatmap;
  }

  get quotesOptions() {
    return this.quoteBank.quotesOptions;
  }
  set quotesOptions(value) {
    this.quoteBank.quotesOptions = value;
  }
  get quotes() {
    return this.quoteBank.quotes;
  }
  get copied() {
    return this.quoteBank.copied;
  }
  copyQuote(quote: Quote): Promise<boolean> {
    return this.quoteBank.copyQuote(quote);
  }

  get wordsScope() {
    return this.wordViews.wordsScope;
  }
  set wordsScope(value) {
    this.wordViews.wordsScope = value;
  }
  get words() {
    return this.wordViews.words;
  }
  get kwic() {
    return this.wordViews.kwic;
  }
  get distinctive() {
    return this.wordViews.distinctive;
  }
  get kwicWord() {
    return this.wordViews.kwicWord;
  }
  get distinctiveTarget() {
    return this.wordViews.distinctiveTarget;
  }
  set distinctiveTarget(value) {
    this.wordViews.distinctiveTarget = value;
  }
  runWords() {
    this.wordViews.runWords();
  }
  runKwic(word: string) {
    this.wordViews.runKwic(word);
  }
  runDistinctive() {
    this.wordViews.runDistinctive();
  }

  get cell() {
    return this.cells.cell;
  }
  openCell(title: string, select: AnswerSelect | string[]) {
    this.cells.openCell(title, select);
  }
  moreCell() {
    this.cells.moreCell();
  }
  closeCell() {
    this.cells.closeCell();
  }

  get exportOptions() {
    return this.files.exportOptions;
  }
  set exportOptions(value) {
    this.files.exportOptions = value;
  }
  get pendingCopy() {
    return this.files.pendingCopy;
  }
  get reportOptions() {
    return this.files.reportOptions;
  }
  set reportOptions(value) {
    this.files.reportOptions = value;
  }
  get packingReport() {
    return this.files.packingReport;
  }
  get lastFile() {
    return this.files.lastFile;
  }
  exportSettings(): ExportSettings {
    return this.files.exportSettings();
  }
  export(kind: ExportKind) {
    this.files.export(kind);
  }
  prepareLongCsv() {
    this.files.prepareLongCsv();
  }
  importQdc(file: File, workspace: AnalysisWorkspace) {
    this.files.importQdc(file, workspace);
  }
  importQdpx(file: Blob, fileName: string, asCopy = false, from: NoticePlace = 'project') {
    this.files.importQdpx(file, fileName, asCopy, from);
  }
  importQdcProject(file: Blob, fileName: string) {
    this.files.importQdcProject(file, fileName);
  }
  refuseFile(message: string) {
    this.files.refuseFile(message);
  }
  restoreAsCopy() {
    this.files.restoreAsCopy();
  }
  dismiss() {
    this.files.dismiss();
  }
}
