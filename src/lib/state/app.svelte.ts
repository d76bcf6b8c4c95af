/** Wires the app's state together: routing, the project list, the open project and the import flow. */
import { AssistantState } from './assistant.svelte';
import { database } from '../db/database';
import { importRoomWarning } from '../db/storage-room';
import { flattenCodebook, parseCodebookJson, CodebookError } from '../codebook/codebook-json';
import { newId } from '../model/types';
import type { SampleFile } from '../../workers/import-protocol';
import type { ImportSummary } from '../db/commit-import';
import { ImportState } from './import.svelte';
import { ProjectState } from './project.svelte';
import { ProjectsState } from './projects.svelte';
import { CoderState } from './coder.svelte';
import { CodingWorkspace } from './coding.svelte';
import { AnswerView } from './answer-view.svelte';
import { SearchState } from './search.svelte';
import { GridState } from './grid.svelte';
import { ExchangeState } from './exchange.svelte';
import { SNIFF_BYTES, sniffProjectFile, unopenableMessage, type ProjectFileKind } from '../refi/sniff';
import type { ExchangeIntent } from '../../workers/exchange-protocol';
import { AgreementState } from './agreement.svelte';
import { AnalysisState } from './analysis.svelte';
import { RoundsState } from './rounds.svelte';
import { PrimaryCoderState } from './primary-coder.svelte';
import { WriteUpState } from './write-up.svelte';
import { SyncState } from './sync.svelte';
import { emptyChange } from '../coding/change';
import { answerParts } from '../coding/coding-pages';
import { keyIncoming } from '../coding/keys';
import type { Code, Round } from '../model/types';
import { loadRounds } from '../db/rounds';
import { router, type Route } from './router.svelte';
import { DEFAULT_PLACE, fitPlace, parsePlace, placeQuery, type Place } from './place';
import { ANALYSIS_TABS } from './analysis.svelte';
import { userActivity } from './user-activity';
import { NO_FILTER } from '../coding/answer-filter';
import { Notifications } from './notifications.svelte';
import sampleBaselineUrl from '../../../sample-data/aimms-baseline-qualtrics.csv?url';
import sampleSixMonthUrl from '../../../sample-data/aimms-6month-qualtrics.csv?url';
import starterCodebookUrl from '../../../codebooks/aimms-evaluation.json?url';

/** The longest the page's background work waits for Analysis to open (AppState.showAnalysis). */
const ANALYSIS_HOLD_MS = 10_000;

export const SAMPLE_PROJECT_NAME = 'AIMMS mentoring evaluation (sample)';
const SAMPLE_FILES: SampleFile[] = [
  { url: sampleBaselineUrl, fileName: 'aimms-baseline-qualtrics.csv', waveName: 'Baseline' },
  { url: sampleSixMonthUrl, fileName: 'aimms-6month-qualtrics.csv', waveName: '6 months' },
];

export class AppState {
  /** Everything the app tells the user, scoped to the open project (see notifications.svelte.ts). */
  notifications = new Notifications();
  projects = new ProjectsState(database);
  project = new ProjectState(database);
  importer = new ImportState();
  coder = new CoderState(this.notifications);
  workspace = new CodingWorkspace(database, this.coder, this.notifications);
  view = new AnswerView(this.project, this.workspace, this.coder);
  search = new SearchState(this.view);
  /** The assistant: suggestions learned from the coder's own codings, on this machine (assistant.svelte.ts). */
  assistant = new AssistantState(this.project, this.workspace, this.coder);
  grid = new GridState(database, this.project, this.view);
  agreement = new AgreementState(this.workspace);
  analysis = new AnalysisState();
  /** Double-coding rounds of the open project. */
  rounds = new RoundsState(database, this.project, this.workspace, () => this.coder.current?.id ?? null, this.notifications);
  /** The coder the Final set follows; a new choice makes the analysis read the set again. */
  primaryCoder = new PrimaryCoderState(database, this.notifications, () => {
    this.analysis.finalInputsChanged();
    this.sync.heldChanged();
  });
  /** How quotes are published (pseudonyms, redaction); a stored change makes the analysis read it again. */
  writeUp = new WriteUpState(database, this.project, this.notifications, () => this.analysis.finalInputsChanged());
  exchange = new ExchangeState({
    onMerged: async (projectId) => {
      if (this.rounds.projectId === projectId) void this.rounds.load(projectId);
      if (this.workspace.projectId === projectId) await this.workspace.load(projectId);
      // A coder file is a sync update: what it brought goes to the team too.
      if (this.sync.projectId === projectId) this.sync.heldChanged();
    },
    // What was restored (and any warning) reaches the notification area through onMessage.
    onRestored: async (projectId, _report, secondCoder) => {
      void askToPersist();
      await this.projects.refresh();
      const joining = this.sync.pendingJoin;
      if (joining) {
        // Joining a team: blind only when the invitation says so; either way the coder is named before it opens.
        if (joining.role === 'blind') this.workspace.startBlind(projectId);
        if (joining.role === 'blind' || !this.coder.current) await new Promise<void>((resolve) => this.coder.askSecondCoder(() => resolve()));
        await this.sync.completeJoin(projectId);
        if (joining.role === 'blind' && joining.roundId) this.#roundToOpen = { projectId, roundId: joining.roundId };
        this.go({ name: 'project', projectId });
        return;
      }
      if (secondCoder) {
        // A file for a second coder: blind before anything of the project shows, and the coder named first.
        this.workspace.startBlind(projectId);
        await new Promise<void>((resolve) => this.coder.askSecondCoder(() => resolve()));
      }
      // The second coder starts on the round's queue: its filter is set once the project's rounds are read.
      if (secondCoder?.roundId) this.#roundToOpen = { projectId, roundId: secondCoder.roundId };
      this.go({ name: 'project', projectId });
    },
    onMessage: (message) => {
      const text = message.warnings.length > 0 ? `${message.text}\n${message.warnings.join('\n')}` : message.text;
      this.notifications.notify(text, { tone: message.tone, key: 'exchange' });
    },
  });
  /** Team sync through a relay (issue 17): the open project's team, its connection and who is online. */
  sync = new SyncState(database, this.workspace, this.coder, this.notifications, {
    exportAnswers: (projectId) => this.exchange.exportBytes(projectId, { roundId: null }),
    // The lead's project id: a browser that already holds the project is asked whether to restore a copy.
    openAnswers: (bytes) => this.exchange.importFile(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/gzip' }), null, null, 'project'),
    onHeldChanged: (projectId) => {
      if (this.rounds.projectId === projectId) void this.rounds.load(projectId);
      void this.primaryCoder.load(projectId);
      void this.projects.refresh();
      void this.project.reload();
      this.analysis.finalInputsChanged();
    },
    appUrl: () => globalThis.location?.href ?? '',
  });
  /** An invitation link the app was opened with (its key is taken out of the address bar at once). */
  invitation = $state<string | null>(null);
  /** The round a second coder's file named, whose queue the project opens on. */
  #roundToOpen: { projectId: string; roundId: string } | null = null;
  /** How the open project is shown: one question at a time, the respondents × questions grid, or coder agreement. */
  layout = $state<'question' | 'grid' | 'agreement' | 'analysis'>('question');
  route = $derived(router.route);
  /**
   * The project whose place the URL's query has been applied to: until then the URL is not written (it
   * would replace the place a reload is about to restore with the defaults).
   */
  placeApplied = $state<string | null>(null);
  /** The place (view, tab, filters, search, order, analysis filter bar) as the URL's query holds it. */
  placeQuery = $derived.by(() => placeQuery(this.#currentPlace()));
  /** The open project's rounds being read, which a round named in the URL waits for. */
  #roundsReading: Promise<void> = Promise.resolve();

  constructor() {
    // An invitation link, opened or pasted into the address bar of an open app.
    this.#takeInvitation();
    globalThis.addEventListener?.('hashchange', () => this.#takeInvitation());
    // Back and forward within a project (another view, other filters) apply that place.
    router.onnavigate = (query) => void this.#applyPlace(query);
    // Blind mode has one source, the workspace; the analysis reads it at every request it makes.
    this.analysis.restrictTo = () => this.workspace.blindCoderId;
    // Closing or reloading the page while a change is not in the database would lose it: the browser asks first.
    globalThis.addEventListener?.('beforeunload', (event: BeforeUnloadEvent) => {
      if (!this.workspace.hasUnsaved) return;
      event.preventDefault();
      event.returnValue = '';
    });
    this.view.roundAnswers = (roundId) => this.rounds.answerSet(roundId);
    this.view.queueRanks = () => this.assistant.queueRanks()?.ranks ?? null;
    this.assistant.onFirstQueue = () => this.view.queueTaken++;
    this.assistant.finalInputs = () => ({ rounds: this.rounds.rounds, primaryCoderId: this.primaryCoder.effective(this.workspace.coders) });
    this.agreement.roundChoices = () =>
      this.rounds.rounds.map((r) => {
        const version = this.rounds.versionOf(r);
        return {
          id: r.id,
          label: this.rounds.label(r),
          answerIds: r.answerIds,
          scopeRound: { name: r.name, number: r.number, seed: r.sample.seed, size: r.answerIds.length },
          ...(version ? { codebookVersion: { number: version.number, label: version.label } } : {}),
        };
      });
    // Stored with the round (its coders too, the first time), so the rounds comparison shows what it measured then.
    // The Final set treats a round's answers as double-coded once its two coders are known: it is derived again.
    this.agreement.onRoundComputed = async (roundId, _coderIds, computed, options) => {
      const stored = await this.rounds.recordAgreement(roundId, computed, options);
      this.analysis.finalInputsChanged();
      return stored;
    };
    this.rounds.onStored = () => this.sync.heldChanged();
    this.rounds.onRemoved = (roundId) => {
      this.analysis.finalInputsChanged();
      if (this.view.filter.roundId === roundId) this.view.set({ roundId: null });
      if (this.agreement.roundId === roundId) this.agreement.roundId = null;
    };
    this.workspace.nameAnswer = (id) => {
      const { questionId, waveId, respondentId } = answerParts(id);
      const question = this.project.overview?.questions.find((q) => q.id === questionId);
      return { respondentId, waveName: this.project.waveNames.get(waveId) ?? waveId, questionLabel: question?.label ?? questionId };
    };
    this.importer.onDone(async (summary) => {
      this.notifications.info(describeImport(summary), { projectId: summary.projectId });
      if (summary.opening) this.project.prime(summary.projectId, summary.opening);
      this.search.forget(summary.projectId);
      this.assistant.forget(summary.projectId);
      this.analysis.invalidate(summary.projectId);
      this.grid.invalidate();
      void askToPersist();
      void this.projects.refresh();
      if (this.project.projectId === summary.projectId) await Promise.all([this.project.reload(), this.workspace.load(summary.projectId)]);
      this.go({ name: 'project', projectId: summary.projectId });
    });
  }

  /** An invitation link's fragment carries the team key: taken out of the address bar (and the history) at once. */
  #takeInvitation() {
    const hash = globalThis.location?.hash ?? '';
    if (!hash.startsWith('#join=')) return;
    this.invitation = globalThis.location.href;
    globalThis.history?.replaceState(null, '', globalThis.location.pathname + globalThis.location.search + '#/');
    if (router.route.name !== 'home') router.go({ name: 'home' });
  }

  /** Goes to a route; the open project again (after an import into it, say) keeps its place. */
  go(route: Route) {
    router.go(route, route.name === 'project' && route.projectId === this.project.projectId ? this.placeQuery : '');
  }

  /** Follows the route: opens the project it names (on load, reload and navigation). */
  async follow(route: Route) {
    const previous = this.#followed;
    this.#followed = route;
    this.notifications.scope = route.name === 'project' ? route.projectId : null;
    if (route.name === 'project') {
      // Another question of the open project: its codes and codings are already in memory (200k take seconds).
      if (previous?.name === 'project' && previous.projectId === route.projectId && this.project.ready && this.workspace.loaded) {
        await this.project.selectQuestion(route.questionId ?? null);
        if (this.#followed === route) await this.#applyPlace(router.query);
        return;
      }
      if (this.placeApplied !== route.projectId) this.placeApplied = null;
      let opening: { projectId: string; roundId: string } | null = null;
      if (this.rounds.projectId !== route.projectId) {
        const reading = this.rounds.load(route.projectId);
        this.#roundsReading = reading;
        // A round belongs to one project: its filter would hide every answer of another.
        if (this.view.filter.roundId) this.view.set({ roundId: null });
        if (this.#roundToOpen?.projectId === route.projectId) {
          opening = this.#roundToOpen;
          this.#roundToOpen = null;
        }
      }
      // The workspace reads the codings of the question shown first and the rest after the project is open.
      this.assistant.open(route.projectId);
      // The Final set the assistant may learn from follows the project's primary coder.
      void this.primaryCoder.load(route.projectId);
      // Its team, if it has one: connected while the project is open.
      void this.sync.open(route.projectId).then(() => this.sync.where(route.questionId ?? null));
      const opened = this.project.open(route.projectId, route.questionId);
      await Promise.all([opened, this.workspace.load(route.projectId, { questionId: route.questionId ?? null, after: opened })]);
      // Asked before the check below: opening rewrites the route (the question shown goes into the URL), and that
      // newer route of the same project does not open it again. The warm-up gives up by itself if another opens.
      this.#prepareAnalysis(route.projectId);
      if (this.#followed !== route) return;
      await this.#applyPlace(router.query);
      // A second coder's file opens on its round's queue, whatever the link said.
      if (opening && this.rounds.projectId === opening.projectId && this.rounds.round(opening.roundId)) this.view.set({ roundId: opening.roundId });
    } else {
      this.placeApplied = null;
      await this.projects.refresh();
    }
  }

  /**
   * Shows the Analysis view, and has the analysis worker start reading the project at once rather than when the
   * view has mounted: on a reopen the page is still reading its own data after it is shown (counts, lookups: ~1.5 s
   * at 100k respondents), and the view's code only loads and mounts, so only starts the worker, after that. The
   * view's own warm-up then waits for this one (AnalysisState.prepare).
   */
  showAnalysis() {
    this.layout = 'analysis';
    const route = this.#followed;
    if (route?.name !== 'project' || this.workspace.projectId !== route.projectId || !this.workspace.loaded) return;
    const warming = this.analysis.prepare(route.projectId, this.workspace.version, 'now');
    // The page's background work (the search worker's keying ahead) waits while the user waits for this: on two cores
    // it took the analysis worker's core during a cold open. At most ANALYSIS_HOLD_MS, should no reply come.
    userActivity().holdWhile(Promise.race([warming, new Promise((resolve) => setTimeout(resolve, ANALYSIS_HOLD_MS))]));
  }

  /**
   * Once a project's code counts are shown and the page is idle, the analysis worker reads and indexes it, so
   * the Analysis view is ready when opened. Not before the counts: they are what a reopen waits for, and the
   * worker's reads would compete with them. Given up when another project opens or the view opens it first.
   */
  #prepareAnalysis(projectId: string) {
    const gone = () => this.#followed?.name !== 'project' || this.#followed.projectId !== projectId || this.analysis.projectId === projectId;
    const attempt = () => {
      if (gone()) return;
      if (this.workspace.projectId !== projectId || !this.workspace.loaded || !this.workspace.countsReady) setTimeout(attempt, 250);
      // Not while the user scrolls or drags: on two cores the worker's read took the scroll's frames.
      else userActivity().whenQuiet(() => void (gone() || this.analysis.prepare(projectId, this.workspace.version)), 1000);
    };
    attempt();
  }

  /** Where the user is in the open project, as the URL keeps it. */
  #currentPlace(): Place {
    const f = this.view.filter;
    const bar = this.analysis.filter;
    const projectId = this.route.name === 'project' ? this.route.projectId : null;
    // The bar belongs to the Analysis view's project: before that view opens this one, its place is the one applied.
    const analysis =
      bar.projectId === projectId
        ? {
            questionIds: bar.questionIds,
            waveIds: bar.waveIds,
            attributes: bar.attributes,
            coders: JSON.stringify(bar.coders) === JSON.stringify(bar.defaultCoders) ? null : bar.coders,
          }
        : this.#placedAnalysis;
    return {
      view: this.layout,
      tab: this.analysis.tab === 'themes' ? null : this.analysis.tab,
      answers: {
        waveId: f.waveId,
        attributes: f.attributes,
        codeId: f.codeId,
        includeSubcodes: f.includeSubcodes,
        coderId: f.coderId,
        uncodedOnly: f.uncodedOnly,
        hasMemo: f.hasMemo,
        roundId: f.roundId ?? null,
        search: this.search.query,
        sort: this.view.sort,
      },
      analysis,
    };
  }

  /** The analysis filter last applied from the URL, while the Analysis view has not opened the project. */
  #placedAnalysis = $state.raw<Place['analysis']>(DEFAULT_PLACE.analysis);

  /**
   * Shows the open project at the place a URL query names (on load, reload, back and forward). What the
   * project no longer has (a deleted wave, a removed round, an unknown tab) is dropped without a word.
   */
  async #applyPlace(query: string) {
    const projectId = this.project.projectId;
    if (this.route.name !== 'project' || projectId !== this.route.projectId) return;
    await this.#roundsReading;
    const overview = this.project.overview;
    if (!overview || this.project.projectId !== projectId) return;
    const rounds = this.rounds.projectId === projectId && !this.rounds.loading ? this.rounds.rounds.map((r) => r.id) : undefined;
    const place = fitPlace(parsePlace(query), {
      waveIds: overview.waves.map((w) => w.id),
      questionIds: overview.questions.map((q) => q.id),
      attributes: overview.attributes,
      tabs: ANALYSIS_TABS.map((t) => t.id),
      codeIds: this.workspace.codes.map((c) => c.id),
      coderIds: this.workspace.visibleCoders.map((c) => c.id),
      roundIds: rounds,
    });
    if (placeQuery(place) !== this.placeQuery) {
      this.layout = place.view;
      const tab = ANALYSIS_TABS.find((t) => t.id === place.tab)?.id ?? 'themes';
      // Before the Analysis view has opened this project, the tab is only noted: attaching computes it, for this project.
      if (this.analysis.tab !== tab) {
        if (this.analysis.filter.projectId === projectId) this.analysis.select(tab);
        else this.analysis.tab = tab;
      }
      const { search, sort, ...filter } = place.answers;
      // The same filters are not set again: a new filter object re-filters 100k answers and scrolls the list up.
      const filtersOf = (p: Place) => placeQuery({ ...DEFAULT_PLACE, answers: { ...p.answers, search: '', sort: 'file' } });
      if (filtersOf(place) !== filtersOf(this.#currentPlace())) this.view.filter = { ...NO_FILTER, ...filter, searchMask: this.view.filter.searchMask };
      this.view.sort = sort;
      if (this.search.query !== search) this.search.setQuery(search);
      const { coders, ...viewFilter } = place.analysis;
      this.#placedAnalysis = place.analysis;
      this.analysis.filter.place(projectId, viewFilter, coders);
    }
    this.placeApplied = projectId;
  }

  /**
   * Keeps the URL's query on the place shown: a new view is a new entry in the browser's history (back
   * returns to the one before); filters, search and order replace the entry, so typing never fills the back button.
   */
  writePlace(query: string) {
    if (this.route.name !== 'project' || this.placeApplied !== this.route.projectId || query === router.query) return;
    if (parsePlace(query).view !== parsePlace(router.query).view) router.pushQuery(query);
    else router.replaceQuery(query);
  }

  #followed: Route | null = null;

  async selectQuestion(questionId: string) {
    if (!this.project.projectId) return;
    this.layout = 'question';
    // The filters, search and order stay with the coder from question to question.
    router.go({ name: 'project', projectId: this.project.projectId, questionId }, this.placeQuery);
  }

  /**
   * A file chosen as a coder file merges into the open project; one chosen as a project file is restored as a
   * project of its own. A file of the other kind is refused, so a wrong pick never creates or changes a project.
   */
  importExchangeFile(file: File, intent: ExchangeIntent) {
    const projectId = intent === 'coder' && this.route.name === 'project' ? this.project.projectId : null;
    this.exchange.importFile(file, projectId, this.coder.current, intent);
  }

  /**
   * The start page's "Open a project file…": what the file is comes from its first bytes, not its name. A
   * Codebench project file is restored as before; a REFI-QDA project (.qdpx) is restored as a new project and a
   * REFI-QDA codebook (.qdc) becomes a new project holding its codes, both through the analysis worker, which
   * reports on the start page. Anything else is refused with a message saying what to choose.
   */
  async openProjectFile(file: File) {
    let found: ProjectFileKind;
    try {
      found = sniffProjectFile(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
    } catch {
      this.analysis.refuseFile(`“${file.name}” could not be read. Choose it again; if it is on a network drive, copy it to this computer first.`);
      return;
    }
    switch (found.kind) {
      case 'codebench':
        this.analysis.dismiss();
        this.importExchangeFile(file, 'project');
        return;
      case 'qdpx':
        this.analysis.importQdpx(file, file.name, false, 'home');
        return;
      case 'qdc':
        this.analysis.importQdcProject(file, file.name);
        return;
      default:
        this.analysis.refuseFile(unopenableMessage(found, file.name));
    }
  }

  /** The project's rounds (for the Share dialog's "For a second coder"); none when they cannot be read. */
  async roundsOf(projectId: string): Promise<Round[]> {
    return loadRounds(database(), projectId);
  }

  openSample() {
    this.importer.openSample(SAMPLE_PROJECT_NAME, SAMPLE_FILES, starterCodebookUrl);
  }

  importFile(file: File, intoCurrentProject: boolean) {
    const target = intoCurrentProject && this.route.name === 'project' ? this.project.projectId : null;
    this.importer.start(file, target);
    void this.#warnIfNoRoom(file.size, target);
  }

  /** Warns, while the file is read, when it will probably not fit (the worker refuses it before storing if it does not). */
  async #warnIfNoRoom(fileBytes: number, projectId: string | null) {
    try {
      const warning = importRoomWarning(fileBytes, await globalThis.navigator?.storage?.estimate?.());
      if (warning) this.notifications.notify(warning, { tone: 'warning', projectId, key: 'import-room', sticky: true });
    } catch {
      // No estimate: the worker's own check still stands.
    }
  }

  async loadStarterCodebook() {
    try {
      const response = await fetch(starterCodebookUrl);
      if (!response.ok) throw new Error(`the app could not read its own codebook file (HTTP ${response.status})`);
      await this.#addCodebook(await response.text());
    } catch (error) {
      this.notifications.error(`The starter codebook could not be loaded: ${(error as Error).message}.`, { projectId: this.project.projectId });
    }
  }

  async loadCodebookFile(file: File) {
    await this.#addCodebook(await file.text());
  }

  async #addCodebook(text: string) {
    const projectId = this.project.projectId;
    if (!projectId) return;
    try {
      const codebook = parseCodebookJson(text);
      const codes = flattenCodebook(codebook, projectId, () => newId());
      const taken = new Set(this.workspace.codes.filter((c) => c.parentId === null).map((c) => c.name.trim().toLowerCase()));
      const clashes = codes.filter((c) => c.parentId === null && taken.has(c.name.trim().toLowerCase()));
      if (clashes.length > 0) {
        this.notifications.notify(`This project already has ${clashes.map((c) => `“${c.name}”`).join(', ')}. Nothing was added.`, {
          tone: 'warning',
          projectId,
        });
        return;
      }
      const topCount = this.workspace.codes.filter((c) => c.parentId === null).length;
      // The project's codes keep their keys; a loaded code keeps the file's key where it is free, else takes a free one.
      const placed: Code[] = keyIncoming(
        this.workspace.codes,
        codes.map((c) => (c.parentId === null ? { ...c, order: topCount + c.order } : c)),
      );
      await this.workspace.perform(() => ({
        label: `Load the codebook “${codebook.name || 'untitled'}” (${placed.length} codes)`,
        forward: { ...emptyChange(), putCodes: placed },
        inverse: { ...emptyChange(), deleteCodes: placed },
      }));
    } catch (error) {
      this.notifications.error(
        error instanceof CodebookError ? `This codebook can't be loaded: ${error.message}` : `This codebook can't be loaded: ${(error as Error).message}`,
        { projectId },
      );
    }
  }

  async deleteProject(projectId: string) {
    if (!(await this.projects.remove(projectId))) {
      this.notifications.error(this.projects.error ?? 'The project was not deleted.', { projectId: null });
      this.projects.error = null;
      return;
    }
    if (this.project.projectId === projectId) this.go({ name: 'home' });
  }
}

/**
 * Asks the browser to keep Codebench's storage under pressure (not evict it)
 * when a project is created, unless it already does. The browser may say no;
 * nothing depends on the answer.
 */
export async function askToPersist(): Promise<boolean> {
  const storage = globalThis.navigator?.storage;
  try {
    if (!storage?.persist) return false;
    if (await storage.persisted?.()) return true;
    return await storage.persist();
  } catch {
    return false;
  }
}

export function describeImport(summary: ImportSummary): string {
  const n = new Intl.NumberFormat();
  const waves = summary.waveNames.join(', ');
  const joined = summary.respondentsMatched > 0 ? `, ${n.format(summary.respondentsMatched)} joined to earlier waves` : '';
  return (
    `Imported ${n.format(summary.answersAdded)} answers (${waves}) from ` +
    `${n.format(summary.respondentsAdded + summary.respondentsMatched)} respondents: ` +
    `${n.format(summary.respondentsAdded)} new${joined}.`
  );
}
