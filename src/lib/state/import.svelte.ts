/**
 * The import flow: choose a file → preview and adjust the plan → commit, with
 * progress and cancel. The work happens in the import worker; this class holds
 * what the dialog shows.
 */
import type { ImportSummary, ImportTarget } from '../db/commit-import';
import type { ColumnRole, ImportPlan, RespondentIdSource } from '../import/types';
import { idSourceOf } from '../import/respondent-id';
import type { FromImportWorker, SampleFile, SourcePreview, StagingNotice, ToImportWorker } from '../../workers/import-protocol';
import { WorkerClient, type WorkerLike as AnyWorkerLike } from '../../workers/worker-client';

/** After a successful import the phase is back to idle, with `summary` set. */
export type ImportPhase = 'idle' | 'reading' | 'preview' | 'committing' | 'error';

/** How far the worker has stored a new project's rows, unseen, while the preview is read (see import-staging.ts). */
export interface StagingProgress {
  state: StagingNotice['state'];
  done: number;
  total: number;
}

const STAGING_OFF: StagingProgress = { state: 'off', done: 0, total: 0 };

export type WorkerLike = AnyWorkerLike<ToImportWorker, FromImportWorker>;

export type WorkerFactory = () => WorkerLike;

const CANCEL_GRACE_MS = 4000;

export function defaultImportWorker(): WorkerLike {
  return new Worker(new URL('../../workers/import-worker.ts', import.meta.url), { type: 'module' }) as WorkerLike;
}

export function projectNameFromFile(fileName: string): string {
  return (
    fileName
      .replace(/\.[^.]+$/, '')
      .replace(/[_-]+/g, ' ')
      .trim() || 'Untitled study'
  );
}

export class ImportState {
  phase = $state<ImportPhase>('idle');
  fileName = $state('');
  preview = $state.raw<SourcePreview | null>(null);
  plan = $state<ImportPlan | null>(null);
  problems = $state<string[]>([]);
  progress = $state<{ phase: string; done: number; total: number } | null>(null);
  error = $state<string | null>(null);
  errorRow = $state<number | null>(null);
  notice = $state<string | null>(null);
  summary = $state.raw<ImportSummary | null>(null);
  /** Where the answers go: a new project (name) or an existing one (id); a new one is staged while the preview shows. */
  get targetProjectId(): string | null {
    return this.#target;
  }
  set targetProjectId(projectId: string | null) {
    if (projectId === this.#target) return;
    this.#target = projectId;
    // Staging is for a new project only: choosing one starts it, choosing an existing project drops it.
    if (this.phase === 'preview') this.#validate();
  }
  #target = $state<string | null>(null);
  newProjectName = $state('');
  /** The background storing of a new project's rows (the project name is not part of it: renaming needs no restaging). */
  staging = $state.raw<StagingProgress>(STAGING_OFF);
  /** Stamps each read or plan sent to be staged; notices for an older one are stale. */
  #stagingGeneration = 0;
  timings = $state.raw<{ readMs: number; buildMs: number; storeMs: number } | null>(null);

  #worker: WorkerClient<ToImportWorker, FromImportWorker>;
  #readMs = 0;
  #file: File | null = null;
  #cancelTimer: ReturnType<typeof setTimeout> | null = null;
  #onDone: ((summary: ImportSummary) => void) | null = null;

  constructor(createWorker: WorkerFactory = defaultImportWorker) {
    this.#worker = new WorkerClient({
      name: 'import',
      create: createWorker,
      isFinal: (reply) => reply.type !== 'progress',
      onNotice: (reply) => {
        if (reply.type === 'staging') this.#stagingNotice(reply);
      },
      // The parsed file lives in the worker: a preview whose worker died can no longer be imported.
      onWorkerLost: (message) => {
        if (this.phase === 'preview') this.#failed(`${message} Choose the file again.`);
      },
    });
  }

  busy = $derived(this.phase === 'reading' || this.phase === 'committing');

  questionCount = $derived(this.plan?.columns.filter((c) => c.role === 'question').length ?? 0);

  /** Where respondent IDs come from, as validatePlan and buildBatch read it (a column set to ID wins). */
  idSource = $derived<RespondentIdSource>(this.plan ? idSourceOf(this.plan) : { kind: 'column' });

  /** Rows the import will store: the unfinished responses count only when they are kept. */
  importRowCount = $derived.by(() => {
    const rows = this.preview?.rowCount ?? 0;
    const unfinished = this.preview?.incomplete?.count ?? 0;
    return this.plan?.keepIncomplete === false ? rows - unfinished : rows;
  });

  /**
   * Why Import is disabled when the worker's problems do not say it (they cover
   * the plan, zero rows included, but not the project name); empty when nothing else stops it.
   */
  blockers = $derived.by(() => {
    if (this.phase !== 'preview' || !this.plan) return [];
    const blockers: string[] = [];
    if (this.targetProjectId === null && this.newProjectName.trim() === '') blockers.push('Give the new project a name.');
    return blockers;
  });

  canCommit = $derived(
    this.phase === 'preview' &&
      this.problems.length === 0 &&
      this.questionCount > 0 &&
      this.importRowCount > 0 &&
      (this.targetProjectId !== null || this.newProjectName.trim() !== ''),
  );

  /** Called with the summary when an import or the sample study has been stored. */
  onDone(callback: (summary: ImportSummary) => void) {
    this.#onDone = callback;
  }

  start(file: File, targetProjectId: string | null, sheet?: string) {
    // A read cannot be interrupted, and finishing it would replace the new file's table in the worker.
    if (this.phase === 'reading') this.#worker.terminate();
    this.#reset();
    this.#file = file;
    this.phase = 'reading';
    this.fileName = file.name;
    this.targetProjectId = targetProjectId;
    this.newProjectName = projectNameFromFile(file.name);
    this.progress = { phase: 'Reading the file', done: 0, total: file.size };
    const stage = this.#nextStaging();
    this.#send((requestId) => ({ type: 'read', requestId, file, fileName: file.name, sheet, stage }), 'Choose the file again.');
  }

  /** Re-reads the same workbook from another sheet. */
  chooseSheet(sheet: string) {
    if (this.#file) this.start(this.#file, this.targetProjectId, sheet);
  }

  openSample(projectName: string, files: SampleFile[], codebookUrl: string) {
    this.#reset();
    this.phase = 'committing';
    this.fileName = 'Sample study';
    this.progress = { phase: 'Opening the sample study', done: 0, total: 1 };
    this.#send((requestId) => ({ type: 'open-sample', requestId, projectName, files, codebookUrl }), 'Try again.');
  }

  setRole(index: number, role: ColumnRole) {
    if (!this.plan) return;
    const wasId = this.plan.columns.find((c) => c.index === index)?.role === 'id';
    for (const column of this.plan.columns) {
      // Only one column can identify respondents, and only one can carry the wave.
      if ((role === 'id' || role === 'wave') && column.role === role && column.index !== index) column.role = 'attribute';
      if (column.index === index) column.role = role;
    }
    // Choosing an ID column means identifying by it; giving it up returns to the
    // plan's first alternative (the row number), which the user saw proposed, so
    // Import stays possible instead of stopping at "choose the ID column".
    if (role === 'id') this.plan.idSource = { kind: 'column' };
    else if (wasId && this.idSource.kind === 'column' && this.plan.idChoices?.length) {
      this.plan.idSource = fallbackIdSource(this.plan.idChoices.map((c) => c.source));
    }
    this.#validate();
  }

  /**
   * Identify respondents by the ID column, the row number or a combination of
   * columns. Leaving the ID column makes that column an attribute: two sources
   * of IDs would contradict each other.
   */
  setIdSource(source: RespondentIdSource) {
    if (!this.plan) return;
    this.plan.idSource = source;
    if (source.kind !== 'column') {
      for (const column of this.plan.columns) if (column.role === 'id') column.role = 'attribute';
    }
    this.#validate();
  }

  /** Import the responses the survey tool marks as unfinished too (true), or leave them out. */
  setKeepIncomplete(keep: boolean) {
    if (!this.plan) return;
    this.plan.keepIncomplete = keep;
    this.#validate();
  }

  setName(index: number, name: string) {
    const column = this.plan?.columns.find((c) => c.index === index);
    if (!column) return;
    column.name = name;
    this.#validate();
  }

  setWaveName(name: string) {
    if (!this.plan) return;
    this.plan.waveName = name;
    this.#validate();
  }

  commit() {
    if (!this.plan || !this.canCommit) return;
    const target: ImportTarget = this.targetProjectId
      ? { kind: 'existing', projectId: this.targetProjectId }
      : { kind: 'new', name: this.newProjectName.trim() };
    this.phase = 'committing';
    this.error = null;
    this.progress = { phase: 'Preparing answers', done: 0, total: 1 };
    const plan = $state.snapshot(this.plan);
    // The parsed file died with the worker, so trying again starts from the file.
    this.#send((requestId) => ({ type: 'commit', requestId, plan, target }), 'Choose the file again.');
  }

  /**
   * Stops whatever is running. While storing, the worker rolls its transaction
   * back and confirms; while parsing it cannot listen, so it is stopped outright
   * (nothing has been written then).
   */
  cancel() {
    if (this.phase === 'committing' && this.#worker.notify({ type: 'cancel' })) {
      this.progress = { ...(this.progress ?? { done: 0, total: 1 }), phase: 'Cancelling…' };
      this.#cancelTimer = setTimeout(() => this.#cancelled(), CANCEL_GRACE_MS);
      return;
    }
    this.#cancelled();
  }

  /** Closes the dialog; the worker stays, ready for the next file, but drops the parsed one. */
  close() {
    this.#worker.notify({ type: 'discard' });
    this.#clearCancelTimer();
    this.#reset();
  }

  /** Starts the worker ahead of need: loading its code would otherwise delay the first preview. */
  prewarm() {
    this.#worker.start();
  }

  #cancelled() {
    this.#dispose();
    this.#reset();
    this.notice = 'Import cancelled. Nothing was stored.';
  }

  #reset() {
    this.phase = 'idle';
    this.preview = null;
    this.plan = null;
    this.problems = [];
    this.progress = null;
    this.error = null;
    this.errorRow = null;
    this.notice = null;
    this.summary = null;
    this.timings = null;
    this.staging = STAGING_OFF;
    this.#stagingGeneration++;
  }

  /** The generation to stage the next read or plan under, or undefined when nothing is to be staged (an existing project). */
  #nextStaging(): number | undefined {
    const generation = ++this.#stagingGeneration;
    if (this.#target !== null) {
      this.staging = STAGING_OFF;
      return undefined;
    }
    return generation;
  }

  #stagingNotice(notice: StagingNotice) {
    if (notice.generation !== this.#stagingGeneration || this.phase === 'idle' || this.phase === 'error') return;
    this.staging = { state: notice.state, done: notice.done, total: notice.total };
  }

  #clearCancelTimer() {
    if (this.#cancelTimer) clearTimeout(this.#cancelTimer);
    this.#cancelTimer = null;
  }

  #dispose() {
    this.#clearCancelTimer();
    this.#worker.terminate();
  }

  #validate() {
    if (!this.plan || !this.#worker.running) return;
    const plan = $state.snapshot(this.plan);
    const stage = this.#nextStaging();
    this.#worker.request((requestId) => ({ type: 'validate', requestId, plan, stage }), {
      onReply: (reply) => this.#receive(reply),
      onFailure: (message) => this.#failed(message),
      consequence: 'Choose the file again.',
      // Only the newest plan's problems matter.
      replaces: 'validate',
    });
  }

  /** One operation at a time: reading, committing or opening the sample; a newer one replaces the older. */
  #send(build: (requestId: number) => ToImportWorker, consequence: string) {
    this.#worker.request(build, {
      onReply: (reply) => this.#receive(reply),
      onFailure: (message) => this.#failed(message),
      consequence,
      replaces: 'operation',
    });
  }

  /**
   * The worker failed: what it had parsed is gone with it, so the dialog starts
   * from the file again (and says, as for any failed read, that nothing was stored).
   */
  #failed(message: string) {
    this.#clearCancelTimer();
    this.#reset();
    this.phase = 'error';
    this.error = message;
  }

  #receive(message: FromImportWorker) {
    switch (message.type) {
      case 'progress':
        if (this.busy) this.progress = { phase: message.phase, done: message.done, total: message.total };
        break;
      case 'preview':
        // When the preview reached the page: `npm run bench` splits file chosen → preview painted by it.
        performance?.mark?.('codebench:import-preview-received', { detail: { readMs: message.readMs } });
        this.preview = message.preview;
        this.plan = message.plan;
        this.problems = message.problems;
        this.#readMs = message.readMs;
        recordPhases('read', message.phases);
        this.phase = 'preview';
        this.progress = null;
        break;
      case 'validation':
        this.problems = message.problems;
        break;
      case 'done':
        this.#clearCancelTimer();
        this.#reset();
        // The opening (every respondent, a question's answers) is for the project view, not kept here.
        this.summary = { ...message.summary, opening: undefined };
        this.timings = { readMs: this.#readMs, buildMs: message.buildMs, storeMs: message.storeMs };
        recordTimings(this.timings);
        recordPhases('store', message.phases);
        this.#onDone?.(message.summary);
        // The worker's heap stays at its high-water mark (hundreds of MB after a 100k-row file) while it lives;
        // a new one starts in a moment when the next file is chosen.
        this.#worker.terminate();
        break;
      case 'error':
        this.error = message.message;
        this.errorRow = message.row ?? null;
        // Parse errors leave nothing to adjust; commit errors keep the preview so the plan can be fixed.
        this.phase = this.plan ? 'preview' : 'error';
        this.progress = null;
        break;
      case 'cancelled':
        this.#cancelled();
        break;
    }
  }
}

/** Two ways of identifying respondents are the same (combined: the same columns in the same order). */
export function sameIdSource(a: RespondentIdSource, b: RespondentIdSource): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'combined' && b.kind === 'combined') return a.columns.length === b.columns.length && a.columns.every((c, i) => c === b.columns[i]);
  return true;
}

/** The plan's first alternative to an ID column: the row number, which proposePlan always offers first. */
function fallbackIdSource(choices: RespondentIdSource[]): RespondentIdSource {
  return choices.find((c) => c.kind !== 'column') ?? { kind: 'column' };
}

/** Leaves the worker's timings on the page's performance timeline, where `npm run bench` reads them. */
function recordTimings(timings: { readMs: number; buildMs: number; storeMs: number }) {
  if (typeof performance?.measure !== 'function') return;
  const now = performance.now();
  const entries: [string, number][] = [
    ['codebench:import-read', timings.readMs],
    ['codebench:import-build', timings.buildMs],
    ['codebench:import-store', timings.storeMs],
  ];
  for (const [name, duration] of entries) {
    performance.measure(name, { start: Math.max(0, now - duration), duration });
  }
}

function recordPhases(stage: 'read' | 'store', phases: Record<string, number>) {
  if (typeof performance?.measure !== 'function') return;
  const now = performance.now();
  for (const [name, duration] of Object.entries(phases)) {
    performance.measure(`codebench:import-${stage}:${name}`, { start: Math.max(0, now - duration), duration });
  }
}
