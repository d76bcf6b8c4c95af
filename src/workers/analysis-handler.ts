/**
 * What the analysis worker does, apart from the worker itself so tests can
 * call it over fake-indexeddb: one `AnalysisSession` per database reads each
 * project once (`loadProjectDataWithoutTexts`: every answer but not its text,
 * so the tables are ready without reading every text), keeps it as an `AnalysisProject`
 * (lib/analysis/analysis-project.ts) and routes every request of
 * analysis-protocol.ts to the pure views in lib/analysis and the exports in
 * lib/export.
 *
 * A request whose `version` differs from the one read re-reads only what a
 * coding change can touch (codes, codings, coders, themes, memos: a few
 * hundred records); `invalidate` drops the project (an import added answers).
 *
 * Answer texts are read per question the first time a request needs them
 * (`textsNeeded`), into the same answer objects, so every filtered or blind
 * copy sees them. A request type not listed there as text-free reads them all.
 */
import {
  AnalysisProject,
  AnalysisRequestError,
  answersOf,
  namingFilter,
  cooccurrenceOf,
  counts,
  crosstabOf,
  distinctive,
  dyadsOf,
  prevalenceOf,
  warmPrevalence,
  transitionsOf,
  kwic,
  quotes,
  waveChangeOf,
  warm,
  words,
  type FinalContext,
  type ProgressReporter,
} from '../lib/analysis';
import { loadCodes, loadCoders, loadCodings, loadMemos, loadResolutions, loadThemes } from '../lib/db/coding-store';
import { loadCodebookVersions, loadRounds } from '../lib/db/rounds';
import { loadWriteUp } from '../lib/db/write-up-store';
import { loadEntityNlp } from '../lib/nlp/entities';
import { importProjectFile, loadProjectDataWithoutTexts, ProjectExistsError, type DeferredAnswerTexts } from '../lib/db/exchange-store';
import type { CodebenchDatabase } from '../lib/db/schema';
import type { ExportSource } from '../lib/export/source';
import { writeDerived } from '../lib/db/derived-store';
import { CODINGS_KEY, packCodings } from '../lib/db/stored-codings';
import { ExchangeError } from '../lib/exchange';
import { exportFile } from '../lib/export';
import { exportStem, longCsvPlan, prepareLongCsv, reportAnswerIdsOf, reportDocument, type LongCsvSettings } from '../lib/export/export-file';
import { textsFromChunks } from '../lib/export/chunk-texts';
import { blobOf, longCsvStream } from '../lib/export/csv-long-stream';
import { longCsvColumnStream } from '../lib/export/csv-long-columns';
import { longCsvParts, longCsvReads, type LongCsvPart, type LongCsvParts, type LongPartRead } from '../lib/export/csv-long-parts';
import type { LongCsvWriters, LongCsvWriting } from './long-csv-writers';
import type { ExportSettings } from '../lib/export/export-settings';
import { answerChunkReader } from '../lib/db/answer-text-reader';
import { newId } from '../lib/model/types';
import { decodeXmlBytes, projectFromQdc, readQdc, readQdpx, RefiError } from '../lib/refi';
import { restrictCoderChoices, type AnalysisRequest, type FromAnalysisWorker } from './analysis-protocol';

export type { ProgressReporter } from '../lib/analysis';

export interface HandlerReply {
  message: FromAnalysisWorker;
  transfer: Transferable[];
}

// ---------------------------------------------------------------------------
// The session

/**
 * How long the worker must have had no request before it prepares the long CSV: longer than the gaps between a
 * user's clicks in the view, so the preparation (up to a second or two of CPU at 100k respondents, which a request
 * arriving meanwhile waits for) mostly runs after the warm-up ahead, while the user is elsewhere.
 */
export const PREPARE_IDLE_MS = 2000;

/** How long the worker must have had no request before it stores the codings it re-read (see #storeCodings). */
export const STORE_AFTER_REREAD_MS = 2000;

/** Now, in ms since the epoch: comparable between the page and the worker (each has its own timeOrigin). */
const epochNow = () => performance.timeOrigin + performance.now();
/** When this module (the worker's script) was evaluated. */
const SCRIPT_RAN = epochNow();

export class AnalysisSession {
  #db: () => CodebenchDatabase;
  #projects = new Map<string, AnalysisProject>();
  /** Reads in progress, so two requests never read the same project twice. */
  #loading = new Map<string, Promise<AnalysisProject>>();
  /** Each project's answer texts, read on demand. */
  #texts = new WeakMap<AnalysisProject, DeferredAnswerTexts>();
  /** Projects whose answers came from the stored columns (the warm reply says so). */
  #storedAnswers = new WeakSet<AnalysisProject>();
  /** Projects whose codings came from the stored codings. */
  #storedCodings = new WeakSet<AnalysisProject>();
  /**
   * Projects whose codings were read from the pages, with the revision read before them: their stored codings are
   * written after the request that read them is answered (#storeCodings).
   */
  #codingsToStore = new Map<AnalysisProject, { revision: string; reread: boolean }>();
  #storeTimer: ReturnType<typeof setTimeout> | null = null;
  /** What each project's codings were read at (see #unchangedSince). */
  #readAt = new WeakMap<AnalysisProject, string>();
  /** When each project's first read began and ended (WarmResult.times). */
  #readTimes = new WeakMap<AnalysisProject, { readStarted: number; readDone: number }>();
  #firstRequest: number | null = null;

  /** Requests being answered: the long CSV is prepared only while there are none. */
  #busy = 0;
  /** Requests begun, so an idle preparation sees that one came and stops. */
  #requests = 0;
  #idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** The project whose long CSV to prepare when idle, and the codings version it was last prepared at. */
  #toPrepare: AnalysisProject | null = null;
  #preparedAt = new WeakMap<AnalysisProject, number>();
  readonly #idleMs: number;

  /**
   * `idleMs`: how long the worker waits without a request before preparing the long CSV (prepareIdle); < 0: never.
   * `yieldToUser`: awaited before the worker's own background writes (the codings kept for the next cold open), so
   * that packing and writing ~10 MB waits while the user scrolls (the worker's HoldGate).
   */
  constructor(
    db: CodebenchDatabase | (() => CodebenchDatabase),
    idleMs = PREPARE_IDLE_MS,
    yieldToUser: () => Promise<void> = () => Promise.resolve(),
    /** Workers that write a long CSV's parts at once (long-csv-writers.ts); without them it is written here. */
    longCsvWriters: LongCsvWriters | null = null,
  ) {
    this.#db = typeof db === 'function' ? db : () => db;
    this.#idleMs = idleMs;
    this.#yieldToUser = yieldToUser;
    this.#longCsvWriters = longCsvWriters;
  }

  readonly #longCsvWriters: LongCsvWriters | null;

  /**
   * The long CSV's parts last made for each project read (its codings version, and the settings, blind coder and
   * filter they were made for): made ahead when the Export tab shows (a warm with `longCsv`), or by the last long
   * CSV, so a click with the same settings pays for the reads and the writing alone.
   */
  readonly #longCsvMade = new WeakMap<
    AnalysisProject,
    {
      version: number;
      key: string;
      /** The source the rows were made from: a new one after every reread or change of the Final set's inputs. */
      source: ExportSource;
      reads: LongPartRead[][];
      file: LongCsvParts;
      fileName: string;
      mime: string;
    }
  >();

  /** The parts kept for this export, when they were made from what the project holds now. */
  #longCsvKept(whole: AnalysisProject, project: AnalysisProject, key: string, settings: LongCsvSettings) {
    const made = this.#longCsvMade.get(whole);
    if (!made || made.version !== whole.version || made.key !== key) return null;
    return made.source === longCsvSource(project, settings) ? made : null;
  }

  /** Makes the long CSV's parts ahead for `settings` (see #longCsvMade); nothing when it is written otherwise. */
  #makeLongCsv(whole: AnalysisProject, project: AnalysisProject, key: string, settings: LongCsvSettings): void {
    const writers = this.#longCsvWriters;
    if (!writers || this.#longCsvKept(whole, project, key, settings)) return;
    try {
      const placement = project.columnPlacement(settings.coders.kind === 'final');
      const plan = placement && longCsvPlan(project, settings, false, placement);
      if (!placement || !plan?.columns || plan.columns.placement !== placement) return;
      const reads = longCsvReads(placement, writers.count);
      const file = longCsvParts(plan.source, placement, plan.columns.placed, plan.options, plan.lookup, reads);
      this.#longCsvMade.set(whole, {
        version: whole.version,
        key,
        source: longCsvSource(project, settings),
        reads,
        file,
        fileName: plan.fileName,
        mime: plan.mime,
      });
    } catch (error) {
      // Only a head start: the export makes what it needs itself.
      console.warn('Preparing the long CSV failed', error);
    }
  }

  readonly #yieldToUser: () => Promise<void>;

  /**
   * Prepares the default long CSV of the project last answered for (prepareLongCsv: the lookup, the pseudonyms
   * and the sorted codings, 1–2 s of CPU at 100k that the click no longer pays), once per codings version. Runs
   * after the worker has been idle for a while, one step per task, and gives way to any request that arrives: the
   * next idle spell starts it again (the steps done are kept). Resolves true when it ran to the end.
   */
  async prepareIdle(): Promise<boolean> {
    const project = this.#toPrepare;
    if (!project || this.#busy > 0 || this.#projects.get(project.projectId) !== project) return false;
    if (this.#preparedAt.get(project) === project.version) return false;
    const requests = this.#requests;
    try {
      const steps = prepareLongCsv(project);
      for (let step = steps.next(); ; step = steps.next()) {
        if (step.done) break;
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (this.#requests !== requests) return false;
      }
    } catch (error) {
      // Only a head start: the export makes what it needs itself.
      console.warn('Preparing the long CSV failed', error);
    }
    this.#preparedAt.set(project, project.version);
    return true;
  }

  /** The codings version and key the project's long CSV parts were last made for (tests). */
  longCsvMadeFor(projectId: string): { version: number; key: string } | undefined {
    const project = this.#projects.get(projectId);
    const made = project && this.#longCsvMade.get(project);
    return made && { version: made.version, key: made.key };
  }

  /** The codings version the project's long CSV was last prepared at (tests). */
  preparedVersion(projectId: string): number | undefined {
    const project = this.#projects.get(projectId);
    return project && this.#preparedAt.get(project);
  }

  #whenIdle() {
    const project = this.#toPrepare;
    if (this.#busy > 0 || this.#idleMs < 0 || !project || this.#preparedAt.get(project) === project.version) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      void this.prepareIdle();
    }, this.#idleMs);
  }

  /** Forget what was read of a project. */
  invalidate(projectId: string) {
    if (this.#toPrepare?.projectId === projectId) this.#toPrepare = null;
    this.#projects.delete(projectId);
    this.#loading.delete(projectId);
  }

  /**
   * Answers one request; never throws (a failure is an error reply). `checkpoint`, for background work: awaited
   * before the project is read and again before it is indexed, where the worker lets the user's scroll or drag go
   * first (lib/scheduling/hold-gate.ts).
   */
  async handle(request: AnalysisRequest, progress: ProgressReporter = () => {}, checkpoint?: () => Promise<void>): Promise<HandlerReply> {
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    if (this.#storeTimer !== null) clearTimeout(this.#storeTimer);
    this.#storeTimer = null;
    this.#idleTimer = null;
    this.#requests++;
    this.#busy++;
    try {
      return await this.#handle(request, progress, checkpoint);
    } finally {
      this.#busy--;
      this.#whenIdle();
      // After a first read at once (the next reload's open wants it); after a re-read (a coding change while the view
      // is open, one after another) only once requests have stopped for a while, so each change does not pack and
      // write 264k codings again.
      if (this.#codingsToStore.size > 0 && this.#busy === 0) {
        const reread = [...this.#codingsToStore.values()].some((s) => s.reread);
        this.#storeTimer = setTimeout(() => void this.#storeCodings(), reread ? STORE_AFTER_REREAD_MS : 0);
      }
    }
  }

  /** Whether the project's mark (finalInputsMark) is still the one its codings were read at (false when unknown). */
  async #unchangedSince(project: AnalysisProject): Promise<boolean> {
    const readAt = this.#readAt.get(project);
    return readAt !== undefined && (await finalInputsMark(this.#db(), project.projectId)) === readAt;
  }

  /**
   * Stores the codings of each project read from the pages (stored-codings.ts), at the revision read before them
   * (writeDerived refuses it if a coding has landed since), once its whole-project index has placed them: their
   * answers' positions come from it. Skipped for a project since re-read or let go; a failure is logged, the
   * record being only a shortcut (the next open reads the pages again).
   */
  async #storeCodings() {
    await this.#yieldToUser();
    // A request came while the user was busy: its end schedules the store again.
    if (this.#busy > 0) return;
    const pending = [...this.#codingsToStore];
    for (const [project, { revision }] of pending) {
      if (this.#projects.get(project.projectId) !== project) {
        this.#codingsToStore.delete(project);
        continue;
      }
      const index = project.builtIndex(null);
      // Not yet indexed (a request that needs no index): the next request's end tries again.
      if (!index) continue;
      this.#codingsToStore.delete(project);
      if (!index.inColumnOrder) continue;
      try {
        const { codings } = project.data;
        const packed = packCodings(codings, index.codingAnswers.subarray(0, codings.length), index.answerCount);
        if (packed) await writeDerived(this.#db(), project.projectId, CODINGS_KEY, revision, packed);
      } catch (error) {
        console.warn('Codebench: the codings could not be stored for Analysis (the next open reads the coding pages again).', error);
      }
    }
  }

  async #handle(request: AnalysisRequest, progress: ProgressReporter, checkpoint?: () => Promise<void>): Promise<HandlerReply> {
    const started = performance.now();
    this.#firstRequest ??= epochNow();
    const { requestId } = request;
    const reply = (message: FromAnalysisWorker, transfer: Transferable[] = []): HandlerReply => ({ message, transfer });
    try {
      if (request.type === 'import-qdpx') return reply(await this.#importQdpx(request.requestId, request.file, request.fileName, request.asCopy, progress));
      if (request.type === 'import-qdc-project') return reply(await this.#importQdcProject(request.requestId, request.file, request.fileName, progress));
      await checkpoint?.();
      const whole = await this.#project(request.projectId, request.version, progress, request.reread === true);
      this.#toPrepare = whole;
      const texts = this.#texts.get(whole);
      const needed = textsNeeded(request);
      if (texts && needed !== 'none') await texts.load(needed === 'all' ? null : needed);
      // Blind: answer from the coder's own work only, and read their choices as "mine" (defence in depth: the page does both too).
      const own = request.blindCoderId === undefined ? whole : whole.blindTo(request.blindCoderId);
      const project = request.filter ? own.filtered(request.filter) : own;
      if (request.blindCoderId !== undefined) request = restrictCoderChoices(request, request.blindCoderId);
      const result = (r: Parameters<typeof resultReply>[1]) =>
        reply(resultReply(requestId, namingFilter(r, project.filterDescription), performance.now() - started));
      switch (request.type) {
        case 'warm':
          await checkpoint?.();
          // Ahead of the view (the user is elsewhere): the whole index, the Final set in it, then the first tables and
          // the Prevalence tab's default columns. A view waiting for it counts first from the coders' codings alone.
          if (request.background) project.index(null);
          warm(project);
          if (request.background) warmPrevalence(project);
          if (request.longCsv) this.#makeLongCsv(whole, project, longCsvKey(request, request.longCsv), request.longCsv);
          return result({
            kind: 'warm',
            answers: project.answerCount,
            codings: project.data.codings.length,
            storedAnswers: this.#storedAnswers.has(whole),
            storedCodings: this.#storedCodings.has(whole),
            times: {
              created: performance.timeOrigin,
              scriptRan: SCRIPT_RAN,
              firstRequest: this.#firstRequest,
              ...this.#readTimes.get(whole)!,
              ready: epochNow(),
            },
          });
        case 'counts':
          return result(counts(project, request.options));
        case 'crosstab':
          return result(crosstabOf(project, request.options));
        case 'cooccurrence':
          return result(cooccurrenceOf(project, request.options));
        case 'wave-change':
          return result(waveChangeOf(project, request.options));
        case 'prevalence':
          return result(prevalenceOf(project, request.options));
        case 'dyads':
          return result(dyadsOf(project, request.options));
        case 'transitions':
          return result(transitionsOf(project, request.options));
        case 'answers': {
          // A page of a cell's answers: its rows say which questions' texts it shows, read those and page again.
          const page = answersOf(project, request.select, request.offset, request.limit);
          if (!texts) return result(page);
          await texts.load(page.rows.map((r) => r.questionId));
          return result(answersOf(project, request.select, request.offset, request.limit));
        }
        case 'words':
          return result(await words(project, request.scope, request.limit, progress));
        case 'kwic':
          return result(await kwic(project, request.scope, request.word, request.limit));
        case 'distinctive':
          return result(await distinctive(project, request.target, request.coders, request.questionId, request.limit, progress));
        case 'quotes':
          return result(quotes(project, request.by, request.coders, { useEntities: await entitiesLoaded() }));
        case 'export': {
          // The report's quotes are published as the quote bank's are, wink's entities included.
          const report = REPORTS.has(request.kind);
          if (report) await entitiesLoaded();
          const answerTexts = report ? await this.#reportTexts(whole, project, request.settings) : undefined;
          if (request.kind === 'report-docx') {
            progress('Writing the report', 0, 1);
            const document = reportDocument(project, request.settings, new Date(), answerTexts);
            return reply({ type: 'document', requestId, fileName: `${exportStem(project)}-report.docx`, document, ms: performance.now() - started });
          }
          if (request.kind === 'long-csv') {
            // Written while the texts are read, chunk by chunk, into a Blob (csv-long-stream.ts); a renamed copy
            // (pseudonyms canRenameRows refuses) is made from the answers' texts, so that case reads them all first.
            // With writers, the parts' chunk reads begin first, and the rows are ordered meanwhile (csv-long-parts.ts);
            // rows made ahead (the Export tab's warm-up, or this same file before) are written at once.
            const writers = this.#longCsvWriters;
            let total = 1;
            const onRows = (rows: number) => progress('Writing the codings', rows, total);
            const key = longCsvKey(request, request.settings);
            const made = writers && this.#longCsvKept(whole, project, key, request.settings);
            /** The file from parts being read: each is sent its rows (copies, so the kept ones stay whole). */
            const written = async (writing: LongCsvWriting, file: LongCsvParts, fileName: string, mime: string) => {
              total = Math.max(1, file.rows);
              progress('Writing the codings', 0, total);
              const parts = await writing.write(file.parts.map(copyPart));
              const bytes = new Blob([file.header, ...parts, file.strays], { type: mime });
              return reply({ type: 'file', requestId, fileName, mime, bytes, ms: performance.now() - started });
            };
            if (writers && made) return written(writers.begin(made.reads, this.#db().name, request.projectId, onRows), made.file, made.fileName, made.mime);
            const placement = writers && project.columnPlacement(request.settings.coders.kind === 'final');
            const reads = placement && longCsvReads(placement, writers!.count);
            const writing = reads && reads.length > 0 ? writers!.begin(reads, this.#db().name, request.projectId, onRows) : null;
            const plan = placement ? longCsvPlan(project, request.settings, false, placement) : longCsvPlan(project, request.settings);
            if (writing && plan?.columns?.placement === placement) {
              const file = longCsvParts(plan.source, placement, plan.columns.placed, plan.options, plan.lookup, reads!);
              const source = longCsvSource(project, request.settings);
              this.#longCsvMade.set(whole, { version: whole.version, key, source, reads: reads!, file, fileName: plan.fileName, mime: plan.mime });
              return written(writing, file, plan.fileName, plan.mime);
            }
            writing?.cancel();
            if (plan) {
              const total = Math.max(1, Math.ceil(plan.source.codings.length / 2000));
              progress('Writing the codings', 0, total);
              const reader = answerChunkReader(this.#db(), request.projectId);
              const rows = plan.columns
                ? longCsvColumnStream(plan.source, plan.columns.placement, plan.columns.placed, plan.options, reader, plan.lookup)
                : longCsvStream(plan.source, plan.options, reader, plan.lookup);
              const blob = await blobOf(rows, plan.mime, (n) => progress('Writing the codings', n, total));
              return reply({ type: 'file', requestId, fileName: plan.fileName, mime: plan.mime, bytes: blob, ms: performance.now() - started });
            }
            await texts?.load(null);
          }
          const file = exportFile(project, request.kind, request.settings, progress, answerTexts);
          return reply({ type: 'file', requestId, ...file, ms: performance.now() - started }, [file.bytes.buffer]);
        }
        case 'read-qdc': {
          const read = readQdc(await qdcText(request.file, request.fileName));
          return reply({ type: 'qdc', requestId, fileName: request.fileName, codes: read.codes, themes: read.themes, warnings: read.warnings });
        }
      }
    } catch (error) {
      return reply({ type: 'error', requestId, message: errorMessage(error) });
    }
  }

  /**
   * The texts a report reads, from the chunks that hold them when the project was read as columns (few answers, so
   * no answer is made); undefined once every text is read into the answers instead (a project read otherwise).
   */
  async #reportTexts(whole: AnalysisProject, project: AnalysisProject, settings: ExportSettings): Promise<ReadonlyMap<string, string> | undefined> {
    const columns = whole.storedColumns();
    if (columns === null) {
      await this.#texts.get(whole)?.load(null);
      return undefined;
    }
    return textsFromChunks(columns, reportAnswerIdsOf(project, settings), answerChunkReader(this.#db(), whole.projectId));
  }

  async #project(projectId: string, version: number, progress: ProgressReporter, reread = false): Promise<AnalysisProject> {
    const db = this.#db();
    const loaded = this.#projects.get(projectId);
    if (loaded) {
      // A new version with the project's revision where it was when read: nothing stored has changed (the page
      // counts its own loading of the codings as versions too, a reopen's seven questions after the first), so what
      // was read stands. Asked to re-read, or the revision moved: the codings are read again.
      if (loaded.version !== version && !reread && (await this.#unchangedSince(loaded))) loaded.version = version;
      if (loaded.version !== version || reread) {
        progress('Reading the codings', 0, 1);
        // Before the codings, so a write landing while they are read reads as a change next time, and the stored
        // codings made from them are refused.
        const inputs = await finalInputs(db, projectId);
        const readAt = inputs?.mark;
        const revision = inputs?.revision;
        const [codes, codings, coders, themes, memos, resolutions, finalContext, writeUp, rounds, codebookVersions] = await Promise.all([
          loadCodes(db, projectId),
          loadCodings(db, projectId),
          loadCoders(db, projectId),
          loadThemes(db, projectId),
          loadMemos(db, projectId),
          loadResolutions(db, projectId),
          readFinalContext(db, projectId),
          // The Quotes tab's settings and pseudonyms: a change there asks with `reread`, like the primary coder.
          loadWriteUp(db, projectId),
          // The report's coding process and version history: a round drawn or a version saved since the first read.
          loadRounds(db, projectId),
          loadCodebookVersions(db, projectId),
        ]);
        const strip = <T extends { projectId: string }>({ projectId: _omit, ...rest }: T) => rest;
        // As loadProjectData does: a coder who coded is in the project even if registering them was still on its way.
        const known = new Map(coders.map((c) => [c.id, strip(c)]));
        for (const c of codings) if (!known.has(c.coderId)) known.set(c.coderId, { id: c.coderId, name: 'Unnamed coder', color: '#666666' });
        loaded.replaceCodings(
          version,
          {
            codes: codes.map(strip),
            codings: codings.map(strip),
            coders: [...known.values()],
            themes: themes.map(strip),
            memos: memos.map(strip),
            resolutions: resolutions.map(strip),
            rounds: rounds.map(strip),
            codebookVersions: codebookVersions.map(strip),
          },
          finalContext,
        );
        loaded.data.writeUp = writeUp;
        if (readAt !== undefined) this.#readAt.set(loaded, readAt);
        else this.#readAt.delete(loaded);
        // Stored again from what was read (the record at the old revision is stale), once indexed.
        if (revision !== undefined) this.#codingsToStore.set(loaded, { revision, reread: true });
      }
      return loaded;
    }
    let reading = this.#loading.get(projectId);
    if (!reading) {
      progress('Reading the project', 0, 1);
      // Before the rest, as for a re-read.
      const readStarted = epochNow();
      const readAt = finalInputsMark(db, projectId);
      reading = readAt
        .then(() => Promise.all([loadProjectDataWithoutTexts(db, projectId), readFinalContext(db, projectId), readAt]))
        .then(([{ data, texts, columns, storedAnswers, storedCodings, codingAnswers, codingsRevision }, finalContext, mark]) => {
          const project = new AnalysisProject(projectId, version, data);
          if (mark !== undefined) this.#readAt.set(project, mark);
          this.#readTimes.set(project, { readStarted, readDone: epochNow() });
          if (storedAnswers) this.#storedAnswers.add(project);
          if (storedCodings) this.#storedCodings.add(project);
          else if (codingsRevision !== undefined) this.#codingsToStore.set(project, { revision: codingsRevision, reread: false });
          project.columns = columns;
          project.codingAnswers = codingAnswers;
          project.setFinalContext(finalContext);
          this.#texts.set(project, texts);
          return project;
        });
      this.#loading.set(projectId, reading);
    }
    try {
      const project = await reading;
      if (this.#loading.get(projectId) === reading) this.#projects.set(projectId, project);
      progress('Reading the project', 1, 1);
      return project.version === version ? project : this.#project(projectId, version, progress);
    } finally {
      this.#loading.delete(projectId);
    }
  }

  /** A codebook as a new project of its own: its codes and themes, no answers yet (the user imports a survey into it). */
  async #importQdcProject(requestId: number, file: Blob, fileName: string, progress: ProgressReporter): Promise<FromAnalysisWorker> {
    progress('Reading the REFI-QDA codebook', 0, 2);
    const { project, report } = projectFromQdc(readQdc(await qdcText(file, fileName)), { fileName, projectId: newId(), now: Date.now() });
    progress('Storing the project', 1, 2);
    const restored = await importProjectFile(this.#db(), project);
    return { type: 'qdpx-imported', requestId, projectId: restored.projectId, name: restored.name, report };
  }

  async #importQdpx(requestId: number, file: Blob, fileName: string, asCopy: boolean, progress: ProgressReporter): Promise<FromAnalysisWorker> {
    progress('Reading the REFI-QDA project', 0, 2);
    const { project, report } = readQdpx(new Uint8Array(await file.arrayBuffer()), { fileName });
    progress('Storing the project', 1, 2);
    try {
      const restored = await importProjectFile(this.#db(), project, asCopy ? newId() : undefined);
      return { type: 'qdpx-imported', requestId, projectId: restored.projectId, name: restored.name, report };
    } catch (error) {
      if (error instanceof ProjectExistsError) return { type: 'project-exists', requestId, name: error.projectName };
      throw error;
    }
  }
}

/**
 * Exports written from the tables and the codebook alone, which read no answer text, and the long CSV, which reads
 * its texts as it writes (or all of them itself when it cannot).
 */
const TEXT_FREE_EXPORTS: ReadonlySet<string> = new Set(['counts-csv', 'crosstab-csv', 'codebook-md', 'codebook-json', 'qdc', 'pseudonym-key-csv', 'long-csv']);
/** The reports read the texts they quote themselves (AnalysisSession's #reportTexts). */
const REPORTS: ReadonlySet<string> = new Set(['report-md', 'report-html', 'report-docx']);

/**
 * Which answer texts a request reads before it is answered: 'none' for the
 * tables (they count codings), the questions of its scope when it has one,
 * 'all' otherwise. 'answers' reads its page's questions itself.
 */
export function textsNeeded(request: AnalysisRequest): 'none' | 'all' | string[] {
  switch (request.type) {
    case 'warm':
    case 'counts':
    case 'crosstab':
    case 'cooccurrence':
    case 'wave-change':
    case 'prevalence':
    case 'dyads':
    case 'transitions':
    case 'answers':
    case 'read-qdc':
    case 'import-qdpx':
    case 'import-qdc-project':
      return 'none';
    case 'words':
    case 'kwic':
      return request.scope.questionId === null ? 'all' : [request.scope.questionId];
    case 'distinctive':
      return request.questionId === null ? 'all' : [request.questionId];
    case 'export':
      return TEXT_FREE_EXPORTS.has(request.kind) || REPORTS.has(request.kind) ? 'none' : 'all';
    default:
      // Quotes, every export and the report, and any request added later: every text.
      return 'all';
  }
}

/** Whether wink-nlp's entities can be used: loaded once; if it cannot load, quotes are still searched by patterns. */
async function entitiesLoaded(): Promise<boolean> {
  try {
    await loadEntityNlp();
    return true;
  } catch {
    return false;
  }
}

/** A codebook's text: UTF-8 as REFI-QDA says, or UTF-16 with a byte-order mark (which the start page also takes for a .qdc). */
async function qdcText(file: Blob, fileName: string): Promise<string> {
  return decodeXmlBytes(new Uint8Array(await file.arrayBuffer()), `“${fileName}”`);
}

/**
 * What moves whenever what the worker reads of the codings may have changed: the project's revision (every write
 * of codes, codings and adjudications), its updatedAt (rounds and the primary coder, which do not move the
 * revision, move it) and the primary coder itself. Undefined when it cannot be read.
 */
async function finalInputsMark(db: CodebenchDatabase, projectId: string): Promise<string | undefined> {
  return (await finalInputs(db, projectId))?.mark;
}

/** The mark (finalInputsMark) and the project's revision (projectRevision's), from one read of the project. */
async function finalInputs(db: CodebenchDatabase, projectId: string): Promise<{ mark: string; revision: string } | undefined> {
  try {
    const project = await db.projects.get(projectId);
    return project && { mark: JSON.stringify([project.revision ?? '', project.updatedAt, project.primaryCoderId ?? '']), revision: project.revision ?? '' };
  } catch {
    return undefined;
  }
}

/** The rounds and the primary coder, which the Final set follows. */
async function readFinalContext(db: CodebenchDatabase, projectId: string): Promise<FinalContext> {
  const [rounds, project] = await Promise.all([loadRounds(db, projectId), db.projects.get(projectId)]);
  return {
    rounds: rounds.map((r) => ({ answerIds: r.answerIds, coderIds: r.coderIds })),
    ...(project?.primaryCoderId ? { primaryCoderId: project.primaryCoderId } : {}),
  };
}

function resultReply(requestId: number, result: Extract<FromAnalysisWorker, { type: 'result' }>['result'], ms: number): FromAnalysisWorker {
  return { type: 'result', requestId, result, ms };
}

function errorMessage(error: unknown): string {
  if (error instanceof AnalysisRequestError || error instanceof RefiError || error instanceof ExchangeError) return error.message;
  if (error instanceof RangeError) return error.message;
  const text = error instanceof Error ? error.message : String(error);
  return `The analysis could not be done: ${text}`;
}

const sessions = new WeakMap<CodebenchDatabase, AnalysisSession>();

/** One request against a database, with a session kept per database (what the worker does, for tests). */
export function handleAnalysisRequest(db: CodebenchDatabase, request: AnalysisRequest, progress?: ProgressReporter): Promise<HandlerReply> {
  let session = sessions.get(db);
  if (!session) sessions.set(db, (session = new AnalysisSession(db)));
  return session.handle(request, progress);
}

/** What a long CSV's rows depend on besides the project: the file's settings, the blind coder and the view's filter. */
function longCsvKey(request: { blindCoderId?: string; filter?: unknown }, settings: LongCsvSettings): string {
  return JSON.stringify([
    settings.coders,
    settings.respondentIds ?? null,
    settings.bom,
    settings.neutraliseFormulas ?? null,
    request.blindCoderId ?? null,
    request.filter ?? null,
  ]);
}

/** A part with arrays of its own: the writers are sent them (moved), and the kept ones stay whole. */
function copyPart(part: LongCsvPart): LongCsvPart {
  const { offset, head, code, coder, tail, start, end } = part;
  return {
    ...part,
    offset: offset.slice(),
    head: head.slice(),
    code: code.slice(),
    coder: coder.slice(),
    tail: tail.slice(),
    start: start.slice(),
    end: end.slice(),
  };
}

/** The source a long CSV's rows come from (longCsvPlan's choice): the Final set's or the project's own. */
function longCsvSource(project: AnalysisProject, settings: LongCsvSettings): ExportSource {
  return settings.coders.kind === 'final' ? project.finalSource : project.source;
}
