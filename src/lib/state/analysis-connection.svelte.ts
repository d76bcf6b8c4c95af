/**
 * The Analysis view's line to the analysis worker: which project and
 * workspace version a request is made at, the blind restriction every request
 * carries, what is under way (for spinners, progress and Cancel) and the
 * messages that say what happened.
 *
 * The managers beside it (tables, words, cell panel, files) each send their
 * own requests through `send` and read their own replies: a reply goes to the
 * handler of the request it answers, so no one switch has to know every
 * result. Cancel terminates the worker: a computation in a worker cannot be
 * interrupted otherwise, and the next request reads the project again.
 */
import { forwardHolds, userActivity, type UserActivity } from './user-activity';
import type { AnalysisRequest, AnalysisRequestBody, CoderChoice, FromAnalysisWorker, ToAnalysisWorker } from '../../workers/analysis-protocol';
import { restrictCoderChoices } from '../../workers/analysis-protocol';
import { WorkerClient, type WorkerLike } from '../../workers/worker-client';
import { filterKey, type ViewFilter } from '../analysis/view-filter';
import type { WarmTimes } from '../analysis/view-types';

export type AnalysisWorkerLike = WorkerLike<ToAnalysisWorker, FromAnalysisWorker>;

export function defaultAnalysisWorker(): AnalysisWorkerLike {
  return new Worker(new URL('../../workers/analysis-worker.ts', import.meta.url), { type: 'module' }) as AnalysisWorkerLike;
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

/** What a request is for: one slot per table or kind of work, so a newer request of a slot replaces the older. */
export type TableSlot = 'counts' | 'crosstab' | 'cooccurrence' | 'change' | 'quotes' | 'prevalence' | 'dyads' | 'transitions';
/** 'prepare' is a warm-up asked for before the view opens a project (AnalysisState.prepare). */
export type Slot = TableSlot | 'words' | 'kwic' | 'distinctive' | 'cell' | 'export' | 'import' | 'warm' | 'prepare' | 'prepare-export';

/** A request under way: what it is for, the key of the options it was made with, and where it was made. */
export interface InFlight {
  slot: Slot;
  key: string;
  place: NoticePlace;
}

/** A request's final reply (not progress), with what the request was for. */
export type FinalReply = Exclude<FromAnalysisWorker, { type: 'progress' }>;
export type ReplyHandler = (reply: FinalReply, entry: InFlight) => void | Promise<void>;

/** The request with every coder choice in it (a table's, a cell's, an export's) set to this one. */
/** The longest the page's background work waits for the view's warm-up (holdWhileOpening). */
const OPEN_HOLD_MS = 10_000;

export function withCoderChoice<T>(value: T, coders: CoderChoice): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object' || v instanceof Blob) return v;
    return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, k === 'coders' && isChoice(inner) ? coders : walk(inner)]));
  };
  return walk(value) as T;
}

function isChoice(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { kind?: unknown }).kind === 'string';
}

export class AnalysisConnection {
  /** Requests under way, by what they are for. */
  running = $state.raw<ReadonlySet<Slot>>(new Set());
  /** The newest progress report of a long request. */
  progress = $state<{ phase: string; done: number; total: number } | null>(null);
  /** Why the open table could not be computed. */
  error = $state<string | null>(null);
  notice = $state<Notice | null>(null);
  /** Where the imports under way were asked for (their progress shows there). */
  importing = $state.raw<ReadonlySet<NoticePlace>>(new Set());
  /** The worker has read and indexed the project (its size, and the time it took there). */
  warmed = $state<{ answers: number; codings: number; ms: number; storedAnswers?: boolean; storedCodings?: boolean; times?: WarmTimes } | null>(null);

  /** True while something other than an import can be stopped. */
  cancellable = $derived(this.running.size > 0 && !this.running.has('import'));

  /**
   * Blind mode's one coder (null when not blind), read at every request: the app wires it to the workspace's
   * `blindCoderId`. Every request then carries it, with its coder choices set to that coder.
   */
  restrictTo: () => string | null = () => null;
  /**
   * The filter bar, read at every request: every table, cell, export and word list is over the filtered
   * project, and every coder choice in a request is the bar's.
   */
  scope: () => { filter: ViewFilter; coders: CoderChoice } | null = () => null;
  /** Results were computed under another blind restriction than the one asked for now: drop them. */
  onRestrictionChanged: () => void = () => {};
  /** Cancel: every manager forgets what it was waiting for. */
  onCancelled: () => void = () => {};

  #worker: WorkerClient<ToAnalysisWorker, FromAnalysisWorker>;
  #projectId: string | null = null;
  #version = 0;
  #reread = false;
  #shownFor: string | null = null;
  /** Request id → what it is for, and the key of the options it was made with. */
  #inFlight = new Map<number, InFlight>();
  #handlers = new Map<number, ReplyHandler>();
  #newest = new Map<Slot, number>();

  constructor(createWorker: () => AnalysisWorkerLike = defaultAnalysisWorker, activity: UserActivity = userActivity()) {
    this.#worker = new WorkerClient({
      name: 'analysis',
      create: createWorker,
      isFinal: (reply) => reply.type !== 'progress',
      // What the worker had read of the project went with it.
      onWorkerLost: () => (this.warmed = null),
    });
    // A warm-up ahead of the view waits while the user scrolls or drags (what they ask for never waits).
    this.holdIfBusy = forwardHolds(activity, (message) => this.#worker.notify(message));
    this.#activity = activity;
  }

  readonly #activity: UserActivity;

  /**
   * The user waits for this (the view's warm-up: Analysis opening): the page's background work holds until it
   * settles, or OPEN_HOLD_MS at most should no reply come (a newer warm-up replaced it, the worker was lost).
   */
  holdWhileOpening(done: Promise<unknown>) {
    this.#activity.holdWhile(Promise.race([done, new Promise((resolve) => setTimeout(resolve, OPEN_HOLD_MS))]));
  }

  /** Tells a worker started for background work that the user is busy now (it has not heard). */
  readonly holdIfBusy: () => void;

  get projectId(): string | null {
    return this.#projectId;
  }

  get version(): number {
    return this.#version;
  }

  /** The blind restriction the results on screen were computed under. */
  get shownFor(): string | null {
    return this.#shownFor;
  }

  set shownFor(coderId: string | null) {
    this.#shownFor = coderId;
  }

  open(projectId: string, version: number) {
    this.#projectId = projectId;
    this.#version = version;
    this.warmed = null;
  }

  /** A new workspace version; true when it is new. */
  moveTo(version: number): boolean {
    if (version === this.#version) return false;
    this.#version = version;
    return true;
  }

  /** The next request re-reads the codings even at a version the worker has read (our own change has just been stored). */
  rereadNext() {
    this.#reread = true;
  }

  isRunning(slot: Slot): boolean {
    return this.running.has(slot);
  }

  /** The request a slot is waiting for, if any (its id and the key it was made with). */
  pending(slot: Slot): InFlight | null {
    const id = this.#newest.get(slot);
    return id === undefined ? null : (this.#inFlight.get(id) ?? null);
  }

  /** A cache key for options at this version and restriction: a table whose key matches needs no new request. */
  key(options: unknown): string {
    return `${this.#version}\u0000${this.restrictTo() ?? '\u0000'}\u0000${this.#scopeKey()}\u0000${JSON.stringify(options)}`;
  }

  #scopeKey(): string {
    const scope = this.scope();
    return scope ? `${filterKey(scope.filter)}\u0000${JSON.stringify(scope.coders)}` : '';
  }

  /** Tells the worker without expecting a reply (forget a project). */
  notify(message: ToAnalysisWorker) {
    this.#worker.notify(message);
  }

  /** Sends a request about the open project; `handle` gets its final reply. Null when no project is open. */
  send(slot: Slot, body: AnalysisRequestBody, key: string, handle: ReplyHandler): number | null {
    const projectId = this.#projectId;
    if (!projectId) return null;
    if (slot !== 'cell' && slot !== 'export' && slot !== 'import' && slot !== 'warm' && slot !== 'prepare-export') this.error = null;
    const reread = this.#reread;
    this.#reread = false;
    const version = this.#version;
    const blindCoderId = this.restrictTo();
    if (blindCoderId !== this.#shownFor) {
      // Blind mode changed while the view was away: nothing computed under the other setting may stay on screen.
      this.#shownFor = blindCoderId;
      if (slot !== 'cell') this.onRestrictionChanged();
    }
    const scope = this.scope();
    const chosen = scope ? withCoderChoice(body, scope.coders) : body;
    const restricted = blindCoderId === null ? chosen : restrictCoderChoices(chosen, blindCoderId);
    return this.post(
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
          ...(scope ? { filter: scope.filter } : {}),
        }) as AnalysisRequest,
      handle,
    );
  }

  /** Sends any request (one about no open project too, such as restoring a .qdpx from the start page). */
  post(slot: Slot, key: string, build: (requestId: number) => ToAnalysisWorker, handle: ReplyHandler, place: NoticePlace = 'project'): number {
    let id = 0;
    return this.#worker.request(
      (requestId) => {
        id = requestId;
        this.#track(requestId, slot, key, place, handle);
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

  #track(requestId: number, slot: Slot, key: string, place: NoticePlace, handle: ReplyHandler) {
    const previous = this.#newest.get(slot);
    if (previous !== undefined && slot !== 'export' && slot !== 'import') {
      this.#inFlight.delete(previous);
      this.#handlers.delete(previous);
    }
    this.#newest.set(slot, requestId);
    this.#inFlight.set(requestId, { slot, key, place });
    this.#handlers.set(requestId, handle);
    this.running = new Set([...this.running, slot]);
    if (slot === 'import') this.#updateImporting();
  }

  #updateImporting() {
    this.importing = new Set([...this.#inFlight.values()].filter((e) => e.slot === 'import').map((e) => e.place));
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

  #finish(requestId: number): { entry: InFlight; handle: ReplyHandler } | null {
    const entry = this.#inFlight.get(requestId);
    const handle = this.#handlers.get(requestId);
    if (!entry || !handle) return null;
    this.#inFlight.delete(requestId);
    this.#handlers.delete(requestId);
    if (entry.slot === 'import') this.#updateImporting();
    const stillBusy = [...this.#inFlight.values()].some((e) => e.slot === entry.slot);
    if (!stillBusy) {
      const running = new Set(this.running);
      running.delete(entry.slot);
      this.running = running;
    }
    if (this.#inFlight.size === 0) this.progress = null;
    return { entry, handle };
  }

  async #receive(message: FromAnalysisWorker) {
    if (message.type === 'progress') {
      if (this.#inFlight.has(message.requestId)) this.progress = { phase: message.phase, done: message.done, total: message.total };
      return;
    }
    const finished = this.#finish(message.requestId);
    if (!finished) return;
    await finished.handle(message, finished.entry);
  }

  /**
   * Drops every request but those `keep` names (their replies still arrive); the worker is told of each.
   * With nothing to keep, the worker is stopped as Cancel does.
   */
  dropAllBut(keep: (requestId: number, entry: InFlight) => boolean): number[] {
    const kept = [...this.#inFlight].filter(([id, e]) => keep(id, e)).map(([id]) => id);
    if (kept.length === 0) {
      this.cancel(false);
      return [];
    }
    for (const id of [...this.#inFlight.keys()]) {
      if (kept.includes(id)) continue;
      this.#worker.drop(id);
      this.#inFlight.delete(id);
      this.#handlers.delete(id);
    }
    for (const [slot, id] of [...this.#newest]) if (!kept.includes(id)) this.#newest.delete(slot);
    this.running = new Set([...this.#inFlight.values()].map((e) => e.slot));
    this.#updateImporting();
    return kept;
  }

  /** Stops whatever the worker is doing: it is terminated, and the next request starts a new one. */
  cancel(say = true) {
    const busy = this.running.size > 0;
    if (this.#worker.running) this.warmed = null;
    this.#worker.terminate();
    this.#inFlight.clear();
    this.#handlers.clear();
    this.#newest.clear();
    this.running = new Set();
    this.importing = new Set();
    this.progress = null;
    this.onCancelled();
    if (say && busy)
      this.notice = { place: 'project', text: 'Stopped. The next table reads the project again, which takes a moment.', tone: 'info', details: [] };
  }
}
