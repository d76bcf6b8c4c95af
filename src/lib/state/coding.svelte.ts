/**
 * The coding workspace of the open project: its codes, every coding (indexed
 * in memory), the coder's selection and focus, and undo/redo. Every change goes
 * through `perform`, which updates memory at once, stores the change with its
 * inverse in one transaction, and tells other tabs.
 */
import type { Change, ReversibleChange } from '../coding/change';
import { CodingIndex, type CodeCounts } from '../coding/coding-index';
import { isCountsSummary, sameSummary, summaryCodedAnswers, summarySubtreeCounts, type CountsSummary } from '../coding/counts-summary';
import { readDerivedAt, writeDerived } from '../db/derived-store';
import { answerParts } from '../coding/coding-pages';
import { checkShortcut, keysForUnkeyed, shortcutMap, ShortcutError } from '../coding/keys';
import { codeTree } from '../codebook/code-tree';
import {
  applyChange,
  applyCode,
  acceptSuggestions,
  applyCodeToAnswers,
  precodeAnswers,
  CodebookOperationError,
  countCodingsInSubtree,
  createCode,
  deleteCode,
  isNoop,
  mergeCodes,
  moveCode,
  removeCoding,
  renameCode,
  setCodeShortcut,
  splitCode,
  toggleWholeAnswerCode,
  updateCode,
  type CodeFields,
  type CodingState,
  type IdSource,
} from '../codebook/operations';
import {
  codedQuestionIds,
  commitChange,
  deleteMemo,
  firstQuestionId,
  ensureCoder,
  historyStatus,
  loadCoders,
  loadCodes,
  loadCodings,
  loadMemos,
  loadAnswerTexts,
  loadResolutions,
  loadThemes,
  redo,
  saveMemo,
  storeCodeKeys,
  undo,
  type HistoryStatus,
} from '../db/coding-store';
import { describeDecision, resolveDisagreement, type Decision, type Disagreement } from '../coding/consensus';
import type { Memo } from '../db/schema';
import { reopen } from '../db/database';
import {
  addTallies,
  describeTally,
  emptyTally,
  failureAdvice,
  failureReason,
  tallyChange,
  tallySize,
  unsavedMessage,
  withRoom,
  type UnsavedTally,
} from '../db/write-failure';
import type { CodebenchDatabase } from '../db/schema';
import type { Code, Coder, Coding, Resolution, Theme } from '../model/types';
import { createTheme, deleteTheme, toggleExemplar, updateTheme, type ThemeFields } from '../codebook/themes';
import { ASSISTANT_CODER_ID, CONSENSUS_CODER_ID, newId } from '../model/types';

/** The Assistant coder's colour: a grey, so its codings read as machine-made beside people's. */
const ASSISTANT_COLOR = '#6b7280';
import type { CoderState } from './coder.svelte';
import { afterPaint, whenIdle } from './after-paint';
import { userActivity } from './user-activity';
import { Notifications, type NotificationAction } from './notifications.svelte';
import { answerOnScreen } from './on-screen';
import { describeCodingChange, type AnswerNames, type CodingOutcome } from '../coding/describe';

/** What a hint says when a code is applied with no answer on screen to take it. */
export const SELECT_AN_ANSWER_FIRST = 'Select an answer first: click it, or move to it with j/k, then apply a code.';

/** A selection inside one answer, in Unicode code points (end exclusive). */
export interface TextSelection {
  answerId: string;
  start: number;
  end: number;
}

const ids: IdSource = { newId, now: () => Date.now() };

/**
 * A write the database has not confirmed: kept, in order, until Retry stores
 * it or Discard drops it. `reapply` puts its effect back in memory after the
 * workspace is reloaded from what is stored (another tab's change, a merge).
 */
interface PendingWrite {
  projectId: string;
  tally: UnsavedTally;
  write: (db: CodebenchDatabase) => Promise<void>;
  reapply: () => void;
  /** A change for the undo history (perform), so the undo button can name it while it waits. */
  label?: string;
  memoId?: string;
  codingIds?: readonly string[];
}

/** The key of the one sticky "not saved" message. */
export const UNSAVED_KEY = 'unsaved';
const CHANNEL = 'codebench-changes';
/** The derived record (db/derived-store.ts) of a project's counts. */
export const COUNTS_KEY = 'counts';
/** How long after the last stored change the counts are kept for the next reopen. */
const SUMMARY_DELAY_MS = 1500;

/** How long each idle slice of the coding lookups' build may run (CodingIndex.buildLookupsUntil). */
const LOOKUP_SLICE_MS = 10;

export class CodingWorkspace {
  projectId = $state<string | null>(null);
  codes = $state.raw<Code[]>([]);
  coders = $state.raw<Coder[]>([]);
  /** Bumped on every change to the codings, so views that read the index re-render. */
  version = $state(0);
  /**
   * Bumped just after `version`, in a task of its own: counts and progress
   * follow a change a moment after the coded answer itself is painted.
   */
  countsVersion = $state(0);
  /** False from opening a project until its counts are built, just after the first paint. */
  countsReady = $state(true);
  #countsPending = false;
  /**
   * The counts stored when the project was last open (counts-summary.ts), shown from opening until the index has
   * counted; null when none was stored at the project's current revision, or once anything changed.
   */
  #summary = $state.raw<CountsSummary | null>(null);
  /**
   * The project revision the codings in memory are stored at, and the index that holds them: a summary is stored
   * from that index, at that revision, only. Null when unknown (a write was in flight while the project was read).
   */
  #revision: { index: CodingIndex; revision: string } | null = null;
  /** Writes this page has finished, so a load can tell whether one landed while it read. */
  #writesDone = 0;
  #summaryTimer: ReturnType<typeof setTimeout> | null = null;
  history = $state<HistoryStatus>({ undoLabel: null, redoLabel: null });
  /**
   * Why the last operation was refused, for the form that asked for it (a
   * rename, a new code); cleared when that form opens again. Everything the
   * workspace reports also goes to the notification area.
   */
  refusal = $state<string | null>(null);
  selection = $state<TextSelection | null>(null);
  focusedAnswerId = $state<string | null>(null);
  loaded = $state(false);
  /** Adjudicated answers (answer id → decision), for the disagreement queue. */
  resolutions = $state.raw<Map<string, Resolution>>(new Map());
  /** Named sets of codes for the write-up, in their order. */
  themes = $state.raw<Theme[]>([]);
  /**
   * Blind coding: the coder sees only their own codings (highlights, chips,
   * counts, filters) until they choose to compare. Remembered per project.
   */
  blind = $state(false);

  index = new CodingIndex();
  #db: () => CodebenchDatabase;
  #coder: CoderState;
  #channel: BroadcastChannel | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  /** Where the workspace reports what it did and what it could not save (the app's one notification area). */
  readonly notifications: Notifications;

  /**
   * Whether an answer is on screen now. A code key or click codes only the
   * focused answer when it is: never one scrolled out of view. The default
   * looks in the page; tests without one can say what is shown.
   */
  isOnScreen: (answerId: string) => boolean = (answerId) => answerOnScreen(answerId);

  /** The names of an answer for messages ("M02, Baseline, Rewards question"); the app gives the wave and question names. */
  nameAnswer: (answerId: string) => AnswerNames = (answerId) => {
    const parts = answerParts(answerId);
    return { respondentId: parts.respondentId, waveName: parts.waveId, questionLabel: parts.questionId };
  };

  constructor(db: () => CodebenchDatabase, coder: CoderState, notifications: Notifications = new Notifications()) {
    this.#db = db;
    this.#coder = coder;
    this.notifications = notifications;
    if (typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(CHANNEL);
      // Another tab changed this project: take its codes and codings as stored.
      this.#channel.onmessage = (event: MessageEvent<{ projectId: string }>) => {
        if (event.data?.projectId !== this.projectId) return;
        // Unread now (the database may be closed, the disk full): the next change or reload reads it.
        this.load(this.projectId!).catch((error: unknown) => console.error('Codebench: reading another tab’s change failed', error));
      };
    }
  }

  tree = $derived(codeTree(this.codes));

  codeById = $derived(new Map(this.codes.map((c) => [c.id, c])));

  /** Code id → key, in tree order, for the codes that have one. Each code keeps its own key (Code.shortcut). */
  shortcuts = $derived(shortcutMap(this.tree.map((row) => row.code)));

  /**
   * Gives a code its key ("" clears it) as an undoable code edit; returns a message at once when the key
   * can't be used (nothing is changed then).
   */
  setShortcut(codeId: string, key: string): string | null {
    try {
      checkShortcut(this.codes, codeId, key.trim());
    } catch (error) {
      if (!(error instanceof ShortcutError)) throw error;
      const holder = error.takenBy ? this.codeById.get(error.takenBy) : undefined;
      return holder ? `“${error.key}” is already the key of “${holder.name}”.` : error.message;
    }
    void this.perform(() => setCodeShortcut(this.stateFor([]), codeId, key));
    return null;
  }

  /**
   * Gives a key to each code that has none stored (codes from before keys were kept with codes, or put back
   * by undoing a change older than that): the coder's keys of that time from this browser first (and
   * `preferred`, the keys the codes had a moment ago), then 1–9 by tree position as they were shown, then
   * the first free key, so no key changes under the coder. Written quietly, as an upgrade rather than an
   * undoable step; should the write fail, the keys hold for this visit and are given the same way next time.
   */
  #keyUnkeyed(projectId: string, preferred: Readonly<Record<string, string>> = {}) {
    const legacy = readAssignedKeys(projectId);
    const hasLegacy = Object.keys(legacy).length > 0;
    const given = keysForUnkeyed(
      codeTree(this.codes).map((row) => row.code),
      { preferred: { ...legacy, ...preferred }, positional: true },
    );
    if (given.size > 0) this.codes = this.codes.map((c) => (given.has(c.id) ? { ...c, shortcut: given.get(c.id)! } : c));
    if (given.size === 0 && !hasLegacy) return;
    void this.#serial(async () => {
      try {
        if (given.size > 0) await storeCodeKeys(this.#db(), projectId, given);
        // Stored with the codes now: the browser's copy would only go stale.
        if (hasLegacy) globalThis.localStorage?.removeItem(shortcutStorageKey(projectId));
      } catch (error) {
        console.error('Codebench: the codes’ keys could not be stored; they hold for this visit', error);
      }
    });
  }

  /**
   * Reads the project's codebook, codings, history and memos. With `opening`
   * (the app opening a project on a question), only that question's codings
   * are read before the workspace is ready; the others follow question by
   * question in the background, and a change waits for them (see #rest), so
   * that merging or deleting a code never misses a coding not yet read.
   */
  async load(projectId: string, opening?: { questionId: string | null; after?: Promise<unknown> }) {
    // Unsaved changes are put back on top of what is read: they must find every coding they touch.
    if (this.#unsaved.some((item) => item.projectId === projectId)) opening = undefined;
    // Only waited for: its failure is the opener's to report (handled here so it is never an unhandled rejection).
    opening?.after?.catch(() => undefined);
    const db = this.#db();
    const first = opening ? (opening.questionId ?? (await firstQuestionId(db, projectId))) : null;
    const writesBefore = this.#writesDone + this.#writing;
    const [stored, codes, codings, history, coders, memos, resolutions, themes] = await Promise.all([
      readDerivedAt<unknown>(db, projectId, COUNTS_KEY).catch((error: unknown) => {
        // Only a shortcut: the counts are built from the codings as before.
        console.error('Codebench: the stored counts could not be read', error);
        return { revision: undefined, value: null };
      }),
      loadCodes(db, projectId),
      opening ? (first === null ? Promise.resolve([]) : loadCodings(db, projectId, [first])) : loadCodings(db, projectId),
      historyStatus(db, projectId),
      loadCoders(db, projectId),
      loadMemos(db, projectId),
      loadResolutions(db, projectId),
      loadThemes(db, projectId),
    ]);
    if (this.projectId !== projectId) {
      this.selection = null;
      this.focusedAnswerId = null;
    }
    this.projectId = projectId;
    this.blind = readBlind(projectId) || this.#startedBlind.has(projectId);
    this.resolutions = new Map(resolutions.map((r) => [r.answerId, r]));
    this.themes = themes;
    this.codes = codes;
    this.#keyUnkeyed(projectId);
    this.coders = coders;
    this.memos = memos;
    // Counts are built after the first paint: the answers and their codings show first.
    const index = new CodingIndex(codings, { deferCounts: true });
    index.setTree(codes);
    this.index = index;
    this.countsReady = false;
    // What is in memory is what is stored at the revision read, unless a write of this page landed meanwhile or is
    // waiting (unsaved changes are put back on top below): then no summary is shown or stored until the next load.
    const settled = this.#writesDone + this.#writing === writesBefore && this.#writing === 0 && !this.#unsaved.some((item) => item.projectId === projectId);
    this.#revision = settled && stored.revision !== undefined ? { index, revision: stored.revision } : null;
    this.#summary = settled && isCountsSummary(stored.value) ? stored.value : null;
    const shown = this.#summary;
    // The count is one long task (~1 s at 250k respondents): while the user waits for Analysis to open, it waits
    // too, or the worker's reply waits behind it (the sidebar's counts are hidden meanwhile, or shown from the
    // summary kept).
    const countAfterPaint = () => afterPaint(() => userActivity().afterWaiting(count));
    const count = () => {
      if (this.index !== index) return;
      index.countAll();
      this.countsReady = true;
      this.#summary = null;
      // Stored again when none was, or when the one shown is not what the codings say (a writer that did not
      // move the revision: the next reopen is right again).
      const counted = index.summary();
      if (!shown || !counted || !sameSummary(shown, counted)) {
        if (shown) console.warn('Codebench: the counts kept for this project were not what its codings say; they are counted again');
        this.#storeSummarySoon();
      }
      this.countsVersion++;
      // The lookups by coding id and code (what a change needs) while the coder reads, not before the counts, in
      // slices of ~10 ms so a click or key is never held behind them (a change needing them finishes them at once).
      const slice = () => {
        if (this.index !== index) return;
        const until = performance.now() + LOOKUP_SLICE_MS;
        if (!index.buildLookupsUntil(() => performance.now() >= until)) whenIdle(slice, 2000);
      };
      afterPaint(() => whenIdle(slice, 2000));
    };
    if (opening) {
      const rest = this.#loadRest(db, projectId, index, first, opening.after).then(countAfterPaint, (error: unknown) => {
        if (this.index !== index) return;
        // Better a slow full read than a partial index that a merge or delete would act on.
        console.error('Codebench: reading codings question by question failed; reading them all at once', error);
        return this.load(projectId);
      });
      this.#rest = rest;
      const settled = () => {
        if (this.#rest === rest) this.#rest = null;
      };
      rest.then(settled, settled);
    } else {
      this.#rest = null;
      countAfterPaint();
    }
    this.history = history;
    this.#reapplyUnsaved(projectId);
    this.version++;
    this.countsVersion++;
    this.loaded = true;
  }

  /**
   * The codings of every question but the first, a question at a time with a
   * task between (one read of 200k codings would hold the page for a second),
   * until a newer load replaces the index.
   */
  async #loadRest(db: CodebenchDatabase, projectId: string, index: CodingIndex, loaded: string | null, after?: Promise<unknown>) {
    // What the coder waits for first (the project's answers, `after`) is read and painted before the rest of the
    // codings are: their reads and indexing took the page and the database from it, and made the project ready later.
    if (after) {
      await after.catch(() => undefined);
      await new Promise<void>((resolve) => afterPaint(resolve));
      if (this.index !== index) return;
    }
    const questions = (await codedQuestionIds(db, projectId)).filter((id) => id !== loaded);
    // Every question's read is asked for at once, so the database works on the next while the page indexes one;
    // each is still indexed in a task of its own.
    const reads = questions.map((questionId) => loadCodings(db, projectId, [questionId]));
    // Awaited one by one below: a read failing before its turn must not go unhandled meanwhile.
    for (const read of reads) read.catch(() => undefined);
    for (const read of reads) {
      await nextTask();
      const codings = await read;
      if (this.index !== index) return;
      index.addLoaded(codings);
      this.version++;
    }
  }

  /** Set while a project's codings are still being read after opening; changes wait for it. */
  #rest: Promise<unknown> | null = null;

  /** Resolves once every coding of the open project is in memory. */
  whenLoaded(): Promise<void> {
    return (this.#rest ?? Promise.resolve()).then(() => (this.#rest ? this.whenLoaded() : undefined));
  }

  /** The codings shown on an answer: everyone's, or in blind mode only the current coder's. */
  codingsOf(answerId: string): readonly Coding[] {
    void this.version;
    const all = this.index.forAnswer(answerId);
    if (!this.blind) return all;
    const me = this.#coder.current?.id ?? null;
    return all.filter((c) => c.coderId === me);
  }

  /**
   * The one coder whose work may be shown while blind (null when not blind). Every view and every request to
   * a worker reads this, so what is hidden does not depend on each view remembering to filter. Blind without a
   * coder yet shows nobody's: '' matches no coder.
   */
  get blindCoderId(): string | null {
    return this.blind ? (this.#coder.current?.id ?? '') : null;
  }

  /** The coders a list may offer: everyone, or while blind only the current coder. */
  visibleCoders = $derived.by((): Coder[] => {
    const only = this.blindCoderId;
    return only === null ? this.coders : this.coders.filter((c) => c.id === only);
  });

  /** Memos shown: everyone's, or while blind only the current coder's. */
  visibleMemos = $derived.by((): Memo[] => {
    const only = this.blindCoderId;
    return only === null ? this.memos : this.memos.filter((m) => m.coderId === only);
  });

  /** Projects opened blind this visit (a second coder's file), should the browser not keep the setting. */
  #startedBlind = new Set<string>();

  /** Blind from the start: a project restored from a file for a second coder is blind before it first shows. */
  startBlind(projectId: string) {
    this.#startedBlind.add(projectId);
    if (this.projectId === projectId) this.blind = true;
    try {
      globalThis.localStorage?.setItem(`codebench.blind.${projectId}`, '1');
    } catch (error) {
      this.notifications.notify(`Blind mode could not be remembered in this browser: ${failureReason(error)}. It holds until the page is closed.`, {
        tone: 'warning',
        projectId,
      });
    }
  }

  setBlind(blind: boolean) {
    if (!blind && this.projectId) this.#startedBlind.delete(this.projectId);
    this.blind = blind;
    if (this.projectId) this.#remember(`codebench.blind.${this.projectId}`, blind ? '1' : '0', 'Blind mode');
  }

  /** Keeps a setting in localStorage; if the browser refuses, it holds for this visit and the coder is told. */
  #remember(key: string, value: string, what: string) {
    try {
      globalThis.localStorage?.setItem(key, value);
    } catch (error) {
      this.notifications.notify(`${what} could not be remembered in this browser: ${failureReason(error)}. It holds until the page is closed.`, {
        tone: 'warning',
        projectId: this.projectId,
      });
    }
  }

  memos = $state.raw<Memo[]>([]);

  /** Answers that have a memo, for the "has memo" filter. */
  memoAnswers = $derived(new Set(this.visibleMemos.filter((m) => m.target.kind === 'answer').map((m) => m.target.id)));

  hasMemo(answerId: string): boolean {
    return this.memoAnswers.has(answerId);
  }

  memosOf(kind: Memo['target']['kind'], id: string): Memo[] {
    return this.visibleMemos.filter((m) => m.target.kind === kind && m.target.id === id).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Adds a memo (or, with memoId, edits one) as the current coder; an empty text is refused. */
  writeMemo(target: Memo['target'], text: string, memoId?: string): Promise<boolean> {
    return new Promise((resolve) =>
      this.#coder.withCoder((coder) => {
        const projectId = this.projectId;
        const trimmed = text.trim();
        if (!projectId || !trimmed) return resolve(false);
        const existing = memoId ? this.memos.find((m) => m.id === memoId) : undefined;
        const now = Date.now();
        const memo: Memo = existing
          ? { ...existing, text: trimmed, updatedAt: now }
          : { projectId, id: newId(), target: { ...target }, text: trimmed, coderId: coder.id, coderName: coder.name, createdAt: now, updatedAt: now };
        const put = () => {
          this.memos = [...this.memos.filter((m) => m.id !== memo.id), memo];
        };
        put();
        // The memo is written (or kept as not saved, with Retry): either way the coder's text is not lost.
        resolve(
          this.#store({ projectId, tally: addTallies(emptyTally(), { memos: 1 }), write: (db) => saveMemo(db, memo), reapply: put, memoId: memo.id }).then(
            () => true,
          ),
        );
      }),
    );
  }

  removeMemo(memoId: string): Promise<void> {
    const projectId = this.projectId;
    if (!projectId) return Promise.resolve();
    const remove = () => {
      this.memos = this.memos.filter((m) => m.id !== memoId);
    };
    remove();
    return this.#store({
      projectId,
      tally: addTallies(emptyTally(), { memosDeleted: 1 }),
      write: (db) => deleteMemo(db, projectId, memoId),
      reapply: remove,
      memoId,
    }).then(() => undefined);
  }

  /**
   * Answers of a question with a coding by this coder (by anyone when null); null until counted after opening,
   * unless counts were stored at the project's revision.
   */
  codedAnswers(questionId: string, coderId: string | null): number | null {
    void this.countsVersion;
    if (this.countsReady) return this.index.codedAnswers(questionId, coderId);
    return this.#summary ? summaryCodedAnswers(this.#summary, questionId, coderId) : null;
  }

  /** A code's counts with its subcodes; null until they are built after opening (or stored counts, see #summary). */
  counts(codeId: string): CodeCounts | null {
    void this.countsVersion;
    if (!this.countsReady) return this.#summary && !this.blind ? summarySubtreeCounts(this.#summary, codeId) : null;
    if (!this.blind) return this.index.subtreeCounts(codeId);
    // Blind: what this coder coded only. Counted on demand; the index keeps everyone's.
    const me = this.#coder.current?.id ?? null;
    const answers = new Set<string>();
    const respondents = new Set<string>();
    let codings = 0;
    for (const id of this.subtreeIds(codeId)) {
      for (const coding of this.index.forCode(id)) {
        if (coding.coderId !== me) continue;
        codings++;
        answers.add(coding.answerId);
        respondents.add(answerParts(coding.answerId).respondentId);
      }
    }
    return { codings, answers: answers.size, respondents: respondents.size };
  }

  createTheme(fields: ThemeFields): Promise<boolean> {
    const projectId = this.projectId;
    if (!projectId) return Promise.resolve(false);
    return this.perform(() => createTheme(projectId, this.themes, fields, ids));
  }

  updateTheme(themeId: string, fields: ThemeFields): Promise<boolean> {
    return this.perform(() => updateTheme(this.themes, themeId, fields));
  }

  deleteTheme(themeId: string): Promise<boolean> {
    return this.perform(() => deleteTheme(this.themes, themeId));
  }

  /** Marks a coding as an exemplar quote for the write-up, or unmarks it. */
  toggleExemplar(codingId: string): Promise<boolean> {
    const coding = this.index.get(codingId);
    if (!coding) return Promise.resolve(false);
    return this.perform(() => toggleExemplar(coding));
  }

  /**
   * Settles one disagreement: the consensus coder gets the agreed codes and the
   * side taken. One undoable change; the coders' own codings stay as they are.
   */
  resolve(disagreement: Disagreement, decision: Decision, coders: readonly [Coder, Coder], codeIds: readonly string[]): Promise<boolean> {
    return new Promise((resolve) =>
      this.#coder.withCoder((adjudicator) => {
        const projectId = this.projectId;
        if (!projectId) return resolve(false);
        this.#register(projectId, { id: CONSENSUS_CODER_ID, name: 'Consensus', color: '#555555' });
        const label = `${describeDecision(decision, coders[0].name, coders[1].name)} on ${answerParts(disagreement.answerId).respondentId}`;
        resolve(
          this.perform(() =>
            resolveDisagreement(
              disagreement,
              decision,
              {
                projectId,
                coderIds: [coders[0].id, coders[1].id],
                codeIds,
                // Read when the change is built: after every coding is in memory.
                consensusCodings: this.index.forAnswer(disagreement.answerId).filter((c) => c.coderId === CONSENSUS_CODER_ID),
                previous: this.resolutions.get(disagreement.answerId),
                resolvedBy: adjudicator.name,
                newId,
                now: Date.now(),
              },
              label,
            ),
          ),
        );
      }),
    );
  }

  /**
   * Codes and one answer's codings: all that coding an answer (applyCode, toggleWholeAnswerCode, removeCoding) reads.
   * stateFor([codeId], …) would also gather every coding of the code (tens of thousands at 2M answers), and build
   * the code lookups first if they were not yet built.
   */
  stateForAnswer(answerId: string): CodingState {
    return { codes: this.codes, codings: [...this.index.forAnswer(answerId)] };
  }

  /** Codes and the codings an operation on these codes and answers may touch. */
  stateFor(codeIds: Iterable<string>, answerIds: Iterable<string> = []): CodingState {
    return { codes: this.codes, codings: this.index.relevant(codeIds, answerIds) };
  }

  /**
   * Runs an operation: refused ones show their message and resolve false; done ones resolve true once stored
   * (undoable), or once kept on screen as not saved when the database refuses them (see #store).
   */
  perform(build: () => ReversibleChange): Promise<boolean> {
    return this.#perform(build);
  }

  /** Tells the coder something about the open project, in the notification area. */
  #say(text: string, tone: 'info' | 'warning', actions: NotificationAction[] = []) {
    // One message about the latest change at a time: a newer one replaces it (its Undo would undo the newer change).
    this.notifications.notify(text, { tone, projectId: this.projectId, key: 'change', actions });
  }

  #perform(build: () => ReversibleChange, describe?: (change: ReversibleChange) => string): Promise<boolean> {
    // An operation reads the codings it may touch from memory: all of them must be there.
    if (this.#rest) return this.whenLoaded().then(() => this.#perform(build, describe));
    const projectId = this.projectId;
    if (!projectId) return Promise.resolve(false);
    let change: ReversibleChange;
    try {
      change = build();
    } catch (error) {
      if (error instanceof CodebookOperationError) {
        this.refusal = error.message;
        this.#say(error.message, 'warning');
        return Promise.resolve(false);
      }
      throw error;
    }
    // The words that name the answer are also the history's label, so "Undo: …" names it too.
    if (describe) change = { ...change, label: describe(change) };
    this.refusal = null;
    const index = this.index;
    this.#applyInMemory(change.forward);
    if (isNoop(change)) this.#say(change.label, 'info');
    else this.#say(change.label, 'info', [{ label: 'Undo', run: () => this.undo() }]);
    const stored = snapshot(change);
    const codingIds = [...change.forward.putCodings, ...change.forward.deleteCodings].map((c) => c.id);
    // Done on screen; stored in order, or kept as not saved (with Retry) if the database refuses it.
    return this.#store({
      projectId,
      tally: tallyChange(change),
      write: async (db) => this.#storedAt(index, await commitChange(db, projectId, stored)),
      reapply: () => this.#applyInMemory(stored.forward),
      label: change.label,
      codingIds,
    }).then(() => true);
  }

  /**
   * Applies a code: to the selected span if there is one, else toggles it on
   * the focused answer — only when that answer is on screen. With none, nothing
   * changes and a hint says to select an answer first.
   */
  applyCode(codeId: string) {
    const target = this.selection?.answerId ?? this.focusedAnswerId;
    if (!target || !this.isOnScreen(target)) {
      this.notifications.notify(SELECT_AN_ANSWER_FIRST, { tone: 'info', projectId: this.projectId, key: 'change' });
      return;
    }
    this.#coder.withCoder((coder) => {
      const projectId = this.projectId;
      if (!projectId) return;
      this.#register(projectId, coder);
      const selection = this.selection;
      if (selection) {
        this.selection = null;
        // The passage is coded: the browser's own selection of it has done its job.
        globalThis.getSelection?.()?.removeAllRanges();
        void this.#perform(
          () =>
            applyCode(this.stateForAnswer(selection.answerId), ids, {
              projectId,
              answerId: selection.answerId,
              codeId,
              coderId: coder.id,
              start: selection.start,
              end: selection.end,
            }),
          (change) => this.#describe(change, codeId, selection.answerId, true),
        );
        return;
      }
      const answerId = this.focusedAnswerId;
      if (!answerId) return;
      void this.#perform(
        () => toggleWholeAnswerCode(this.stateForAnswer(answerId), ids, { projectId, answerId, codeId, coderId: coder.id }),
        (change) => this.#describe(change, codeId, answerId, false),
      );
    });
  }

  /** "Rewards added to M02, Baseline, Rewards question": what a change of one answer's codings did, and to which answer. */
  #describe(change: ReversibleChange, codeId: string, answerId: string, passage: boolean): string {
    const f = change.forward;
    const outcome: CodingOutcome = isNoop(change) ? 'unchanged' : f.putCodings.length === 0 && f.deleteCodings.length > 0 ? 'removed' : 'added';
    // A passage joined with overlapping ones puts them back on undo: their count, less the one kept.
    const joined = outcome === 'added' && passage ? Math.max(0, change.inverse.putCodings.length - 1) : 0;
    const codeName = this.codeById.get(codeId)?.name ?? 'A code';
    return describeCodingChange({ codeName, outcome, answer: this.nameAnswer(answerId), passage, joined });
  }

  /** The texts of some answers of the open project (answer id → text); empty when they can't be read. */
  async answerTexts(answerIds: readonly string[]): Promise<Map<string, string>> {
    const projectId = this.projectId;
    if (!projectId || answerIds.length === 0) return new Map();
    try {
      return await loadAnswerTexts(this.#db(), projectId, answerIds);
    } catch (error) {
      console.error('Codebench: reading answer texts failed', error);
      return new Map();
    }
  }

  /** The code and all its descendants. */
  subtreeIds(codeId: string): string[] {
    const ids = [codeId];
    for (let i = 0; i < ids.length; i++) for (const code of this.codes) if (code.parentId === ids[i]) ids.push(code.id);
    return ids;
  }

  createCode(name: string, parentId: string | null): Promise<boolean> {
    const projectId = this.projectId;
    if (!projectId) return Promise.resolve(false);
    return this.perform(() => createCode(this.stateFor([]), ids, { name, parentId, projectId }));
  }

  renameCode(codeId: string, name: string): Promise<boolean> {
    return this.perform(() => renameCode(this.stateFor([]), codeId, name));
  }

  /**
   * Renames and describes a code as ONE undoable step: a refused rename stores
   * nothing. Both parts only put codes, so their puts can run in order.
   */
  editCode(codeId: string, name: string, fields: CodeFields): Promise<boolean> {
    return this.perform(() => {
      const before = this.stateFor([]);
      const current = this.codeById.get(codeId);
      const renamed = current && name.trim() !== current.name ? renameCode(before, codeId, name) : null;
      const middle = renamed ? applyChange(before, renamed.forward) : before;
      const edited = updateCode(middle, codeId, fields);
      const updated = renamed && isNoop(edited) ? null : edited;
      const steps = [renamed, updated].filter((step): step is ReversibleChange => step !== null);
      if (!updated) return renamed!;
      return {
        label: renamed ? `${renamed.label}; ${updated.label.charAt(0).toLowerCase()}${updated.label.slice(1)}` : updated.label,
        forward: { ...updated.forward, putCodes: steps.flatMap((step) => step.forward.putCodes) },
        inverse: { ...updated.inverse, putCodes: steps.reverse().flatMap((step) => step.inverse.putCodes) },
      };
    });
  }

  updateCode(codeId: string, fields: CodeFields): Promise<boolean> {
    return this.perform(() => updateCode(this.stateFor([]), codeId, fields));
  }

  moveCode(codeId: string, parentId: string | null, index: number): Promise<boolean> {
    return this.perform(() => moveCode(this.stateFor([]), codeId, parentId, index));
  }

  mergeCodes(sourceId: string, targetId: string): Promise<boolean> {
    return this.perform(() => mergeCodes(this.stateFor([...this.subtreeIds(sourceId), ...this.subtreeIds(targetId)]), sourceId, targetId));
  }

  splitCode(codeId: string, codingIds: string[], name: string): Promise<boolean> {
    return this.perform(() => splitCode(this.stateFor([codeId]), codeId, codingIds, name, ids));
  }

  deleteCode(codeId: string): Promise<boolean> {
    return this.perform(() => deleteCode(this.stateFor(this.subtreeIds(codeId)), codeId));
  }

  /** What deleting a code would take with it, for the confirmation. */
  deletionCost(codeId: string): { codings: number; codes: number } {
    return countCodingsInSubtree(this.stateFor(this.subtreeIds(codeId)), codeId);
  }

  /** Codes whole answers at once (auto-coding from a search): one undoable step. */
  applyToAnswers(codeId: string, answerIds: string[]): Promise<boolean> {
    return new Promise((resolve) =>
      this.#coder.withCoder((coder) => {
        const projectId = this.projectId;
        if (!projectId) return resolve(false);
        this.#register(projectId, coder);
        resolve(this.perform(() => applyCodeToAnswers(this.stateFor([codeId]), ids, { projectId, answerIds, codeId, coderId: coder.id })));
      }),
    );
  }

  /** Accepts the assistant's suggested codes for one answer: whole-answer codings of the current coder, marked suggested. */
  acceptSuggestions(answerId: string, codeIds: readonly string[]): Promise<boolean> {
    return new Promise((resolve) =>
      this.#coder.withCoder((coder) => {
        const projectId = this.projectId;
        if (!projectId) return resolve(false);
        this.#register(projectId, coder);
        resolve(this.perform(() => acceptSuggestions(this.stateForAnswer(answerId), ids, { projectId, answerId, codeIds, coderId: coder.id })));
      }),
    );
  }

  /**
   * Pre-codes answers as the Assistant, a coder of its own (compared, adjudicated and reported like any coder):
   * one undoable change.
   */
  precode(answersByCode: ReadonlyMap<string, readonly string[]>): Promise<boolean> {
    const projectId = this.projectId;
    if (!projectId) return Promise.resolve(false);
    this.#register(projectId, { id: ASSISTANT_CODER_ID, name: 'Assistant', color: ASSISTANT_COLOR });
    const answerIds = [...new Set([...answersByCode.values()].flat())];
    return this.perform(() => precodeAnswers(this.stateFor(answersByCode.keys(), answerIds), ids, { projectId, coderId: ASSISTANT_CODER_ID, answersByCode }));
  }

  removeCoding(codingId: string) {
    const coding = this.index.get(codingId);
    if (!coding) return;
    void this.#perform(
      () => removeCoding(this.stateForAnswer(coding.answerId), codingId),
      (change) => this.#describe(change, coding.codeId, coding.answerId, coding.start !== null),
    );
  }

  async undo() {
    await this.#step(undo, 'Undone');
  }

  async redo() {
    await this.#step(redo, 'Redone');
  }

  async #step(run: typeof undo, verb: 'Undone' | 'Redone') {
    await this.whenLoaded();
    const projectId = this.projectId;
    if (!projectId) return;
    const action = verb === 'Undone' ? 'Undo' : 'Redo';
    await this.#serial(async () => {
      // The history in the database does not hold the unsaved steps: undoing now would undo an older one.
      if (this.#unsaved.length > 0) {
        this.notifications.notify(`${action} waits until your changes are saved: Retry to save them, or Discard them to go back to what is stored.`, {
          tone: 'warning',
          projectId,
          key: 'change',
        });
        return;
      }
      let step: Awaited<ReturnType<typeof undo>>;
      try {
        step = await run(this.#db(), projectId);
      } catch (error) {
        // One transaction: nothing was changed, in the database or on screen.
        console.error(`Codebench: ${action.toLowerCase()} failed`, error);
        const cause = withRoom(error, await storageEstimate());
        this.notifications.error(`${action} failed: ${failureReason(cause)}. Nothing was changed. ${failureAdvice(cause, 'try again')}`, {
          projectId,
          key: 'undo-failed',
        });
        return;
      }
      this.notifications.dismissKey('undo-failed', projectId);
      if (!step) return;
      const keysBefore = Object.fromEntries(this.shortcuts);
      this.#writesDone++;
      this.onStored?.(projectId);
      this.#applyInMemory(step.change);
      this.#storedAt(this.index, step.revision);
      // A step older than keys kept with codes puts codes back without one: they get back the key they had.
      if (step.change.putCodes.some((c) => c.shortcut === undefined)) this.#keyUnkeyed(projectId, keysBefore);
      const again: NotificationAction = verb === 'Undone' ? { label: 'Redo', run: () => this.redo() } : { label: 'Undo', run: () => this.undo() };
      this.#say(`${verb}: ${step.label}`, 'info', [again]);
      await this.#refreshHistory(projectId);
      this.#channel?.postMessage({ projectId });
    });
  }

  async #refreshHistory(projectId: string) {
    try {
      const history = await historyStatus(this.#db(), projectId);
      if (this.projectId === projectId) this.history = history;
    } catch {
      // Only the labels of the undo and redo buttons: they are read again after the next change.
    }
  }

  /** Records the coder in the project the first time they code in it. */
  #register(projectId: string, coder: { id: string; name: string; color: string }) {
    const known = this.coders.find((c) => c.id === coder.id);
    if (known && known.name === coder.name) return;
    const record: Coder = { projectId, id: coder.id, name: coder.name, color: coder.color };
    const put = () => {
      this.coders = [...this.coders.filter((c) => c.id !== coder.id), record];
    };
    put();
    // Queued before the coding that needs it, so a coding is never stored without its coder.
    void this.#store({ projectId, tally: addTallies(emptyTally(), { coders: 1 }), write: (db) => ensureCoder(db, record), reapply: put });
  }

  #applyInMemory(change: Change) {
    if (change.putCodes.length > 0 || change.deleteCodes.length > 0) {
      const byId = new Map(this.codes.map((c) => [c.id, c]));
      for (const code of change.deleteCodes) byId.delete(code.id);
      for (const code of change.putCodes) byId.set(code.id, code);
      this.codes = [...byId.values()];
    }
    this.index.apply(change);
    // The stored counts no longer say what is coded: "counting…" until the index has counted.
    this.#summary = null;
    if (change.putThemes?.length || change.deleteThemes?.length) {
      const byId = new Map(this.themes.map((t) => [t.id, t]));
      for (const t of change.deleteThemes ?? []) byId.delete(t.id);
      for (const t of change.putThemes ?? []) byId.set(t.id, t);
      this.themes = [...byId.values()].sort((a, b) => a.order - b.order);
    }
    if (change.putResolutions?.length || change.deleteResolutions?.length) {
      const next = new Map(this.resolutions);
      for (const r of change.deleteResolutions ?? []) next.delete(r.answerId);
      for (const r of change.putResolutions ?? []) next.set(r.answerId, r);
      this.resolutions = next;
    }
    if (change.putCodes.length > 0 || change.deleteCodes.length > 0) this.index.setTree(this.codes);
    this.version++;
    if (!this.#countsPending) {
      this.#countsPending = true;
      afterPaint(() => {
        this.#countsPending = false;
        this.countsVersion++;
      });
    }
  }

  /**
   * A change made to `index` is stored, and the project is at `revision` (undefined: nothing was written). Only
   * the index read at a known revision, with every change since stored in order, is followed.
   */
  #storedAt(index: CodingIndex, revision: string | undefined) {
    if (revision === undefined || this.#revision?.index !== index || this.index !== index) return;
    this.#revision = { index, revision };
    this.#storeSummarySoon();
  }

  /**
   * Stores the counts for the next reopen (see counts-summary.ts), a moment after the coder stops: one small
   * record, written only when everything shown is stored and the project is still at the revision the index
   * follows (writeDerived checks it in its own transaction).
   */
  #storeSummarySoon() {
    if (this.#summaryTimer !== null) clearTimeout(this.#summaryTimer);
    this.#summaryTimer = setTimeout(() => {
      this.#summaryTimer = null;
      whenIdle(() => void this.#storeSummary(), 2000);
    }, SUMMARY_DELAY_MS);
  }

  #storeSummary(): Promise<void> {
    return this.#serial(async () => {
      const projectId = this.projectId;
      const known = this.#revision;
      if (!projectId || !known || known.index !== this.index || this.#unsaved.length > 0) return;
      // Anything applied and not yet stored (queued behind this) would be counted and not stored: later, then.
      if (this.#writing > 0 || this.#rest) {
        this.#storeSummarySoon();
        return;
      }
      const summary = known.index.summary();
      if (!summary) return;
      try {
        await writeDerived(this.#db(), projectId, COUNTS_KEY, known.revision, summary);
      } catch (error) {
        // A shortcut for the next reopen, never the coder's work: the counts are built from the codings then.
        console.error('Codebench: the counts could not be kept for the next reopen', error);
      }
    });
  }

  /** Changes are stored one after another, in the order the coder made them. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Writes the database has not taken yet, oldest first (see PendingWrite). */
  #unsaved: PendingWrite[] = [];
  /** Why the first of them failed. */
  #failure: unknown = null;
  /** Writes started and not yet confirmed, failed ones included: the page warns before it is closed. */
  #writing = 0;

  /** What is not saved, counted by kind; all zero when everything is saved. */
  unsaved = $state.raw<UnsavedTally>(emptyTally());
  /** Memos and codings on screen that are not saved, for marking them. */
  unsavedMemoIds = $state.raw<ReadonlySet<string>>(new Set());
  unsavedCodingIds = $state.raw<ReadonlySet<string>>(new Set());
  /** Both, for the answer list (ids are unique across codings and memos). */
  unsavedIds = $derived<ReadonlySet<string>>(new Set([...this.unsavedCodingIds, ...this.unsavedMemoIds]));

  /** True while anything shown is not in the database yet (the page asks before it is closed). */
  get hasUnsaved(): boolean {
    return this.#unsaved.length > 0 || this.#writing > 0;
  }

  /**
   * Stores one write after those before it. Once a write fails, it and every
   * later one are kept, in order, as not saved (never shown as saved) until
   * Retry or Discard: a later write must not land before an earlier one.
   * Resolves true when this write is stored.
   */
  #store(item: PendingWrite): Promise<boolean> {
    this.#writing++;
    return this.#serial(async () => {
      try {
        if (this.#unsaved.length > 0) {
          this.#keep(item);
          return false;
        }
        try {
          await item.write(this.#db());
          this.#writesDone++;
          this.#told(item);
        } catch (error) {
          console.error('Codebench: a write failed; kept as not saved', error);
          this.#failure = withRoom(error, await storageEstimate());
          this.#keep(item);
          return false;
        }
        if (item.label !== undefined) await this.#refreshHistory(item.projectId);
        this.#channel?.postMessage({ projectId: item.projectId });
        return true;
      } finally {
        this.#writing--;
      }
    });
  }

  /**
   * Told after every local write is stored (never before: a write that failed must not reach the team as if it
   * were saved). Team sync then sends what the write kept in its outbox (state/sync.svelte.ts).
   */
  onStored: ((projectId: string) => void) | null = null;

  #told(item: PendingWrite) {
    this.onStored?.(item.projectId);
  }

  /**
   * Takes in what the team changed (team sync): written by `write` in one transaction after every local write
   * before it, then shown, without entering this coder's undo history. A write that fails changes nothing here;
   * the caller tries again. Resolves true when it was stored.
   */
  applyExternal(
    projectId: string,
    external: { change: Change; memos: { put: Memo[]; delete: string[] }; coders: { put: Coder[]; delete: string[] } },
    write: (db: CodebenchDatabase) => Promise<string>,
  ): Promise<boolean> {
    return this.#serial(async () => {
      let revision: string;
      try {
        revision = await write(this.#db());
      } catch (error) {
        console.error('Codebench: what the team changed could not be stored; it is tried again', error);
        return false;
      }
      this.#writesDone++;
      if (this.projectId !== projectId) return true;
      this.#applyInMemory(external.change);
      this.#storedAt(this.index, revision);
      if (external.memos.put.length > 0 || external.memos.delete.length > 0) {
        const gone = new Set([...external.memos.delete, ...external.memos.put.map((m) => m.id)]);
        this.memos = [...this.memos.filter((m) => !gone.has(m.id)), ...external.memos.put.map((m) => ({ ...m, projectId }))];
      }
      if (external.coders.put.length > 0 || external.coders.delete.length > 0) {
        const gone = new Set([...external.coders.delete, ...external.coders.put.map((c) => c.id)]);
        this.coders = [...this.coders.filter((c) => !gone.has(c.id)), ...external.coders.put.map((c) => ({ ...c, projectId }))];
      }
      return true;
    });
  }

  #keep(item: PendingWrite) {
    this.#unsaved.push(item);
    if (item.label !== undefined && item.projectId === this.projectId) this.history = { undoLabel: item.label, redoLabel: null };
    this.#reportUnsaved();
  }

  #reportUnsaved() {
    const items = this.#unsaved;
    this.unsaved = items.reduce((sum, item) => addTallies(sum, item.tally), emptyTally());
    this.unsavedMemoIds = new Set(items.flatMap((item) => (item.memoId ? [item.memoId] : [])));
    this.unsavedCodingIds = new Set(items.flatMap((item) => item.codingIds ?? []));
    if (items.length === 0) {
      this.notifications.dismissKey(UNSAVED_KEY, null);
      return;
    }
    // App-wide (not scoped to a project): unsaved work must stay in sight wherever the coder goes.
    this.notifications.error(unsavedMessage(this.#failure, this.unsaved), {
      key: UNSAVED_KEY,
      projectId: null,
      sticky: true,
      actions: [
        { label: 'Retry', run: () => this.retry() },
        { label: 'Discard', run: () => this.discard() },
      ],
    });
  }

  /**
   * Reopens the database if it was closed, then stores what was not saved, in
   * order; stops at the first that fails again (the message says what is left).
   * Resolves true once everything is saved.
   */
  retry(): Promise<boolean> {
    return this.#serial(async () => {
      if (this.#unsaved.length === 0) return true;
      const db = this.#db();
      const touched = new Set<string>();
      try {
        await reopen(db);
        while (this.#unsaved.length > 0) {
          const item = this.#unsaved[0];
          await item.write(db);
          this.#writesDone++;
          this.#told(item);
          this.#unsaved.shift();
          touched.add(item.projectId);
        }
      } catch (error) {
        console.error('Codebench: retrying the unsaved writes failed', error);
        this.#failure = withRoom(error, await storageEstimate());
        this.#reportUnsaved();
        return false;
      }
      this.#failure = null;
      const saved = describeSaved(this.unsaved);
      this.#reportUnsaved();
      this.notifications.notify(`Saved ${saved}.`, { tone: 'success', projectId: null });
      for (const projectId of touched) {
        this.#channel?.postMessage({ projectId });
        await this.#refreshHistory(projectId);
      }
      return true;
    });
  }

  /** Drops what was not saved and shows what is stored. */
  discard(): Promise<void> {
    return this.#serial(async () => {
      this.#unsaved = [];
      this.#failure = null;
      this.#reportUnsaved();
      const projectId = this.projectId;
      if (projectId) {
        await reopen(this.#db()).catch(() => undefined);
        await this.load(projectId).catch((error: unknown) => {
          this.notifications.error(`What is stored could not be read: ${failureReason(error)}. Reload the page.`, { projectId });
        });
      }
    });
  }

  /** After a reload from the database, puts back on screen what is still waiting to be saved. */
  #reapplyUnsaved(projectId: string) {
    for (const item of this.#unsaved) {
      if (item.projectId !== projectId) continue;
      item.reapply();
      if (item.label !== undefined) this.history = { undoLabel: item.label, redoLabel: null };
    }
  }
}

/** The browser's estimate of the room this site has (null where there is none, as in tests). */
async function storageEstimate(): Promise<StorageEstimate | null> {
  try {
    return (await globalThis.navigator?.storage?.estimate?.()) ?? null;
  } catch {
    return null;
  }
}

function describeSaved(tally: UnsavedTally): string {
  return tallySize(tally) === 0 ? 'everything' : describeTally(tally);
}

function shortcutStorageKey(projectId: string): string {
  return `codebench.shortcuts.${projectId}`;
}

/** A fresh task, so the page can paint and take input between slices of work. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function readBlind(projectId: string): boolean {
  try {
    return globalThis.localStorage?.getItem(`codebench.blind.${projectId}`) === '1';
  } catch {
    return false;
  }
}

function readAssignedKeys(projectId: string): Record<string, string> {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(shortcutStorageKey(projectId)) ?? '{}');
    return saved && typeof saved === 'object' ? saved : {};
  } catch {
    return {};
  }
}

/** Plain copies: nothing reactive may reach IndexedDB. */
function snapshot(change: ReversibleChange): ReversibleChange {
  return structuredClone({ label: change.label, forward: change.forward, inverse: change.inverse });
}
