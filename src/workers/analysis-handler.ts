/**
 * What the analysis worker does, apart from the worker itself so tests can
 * call it over fake-indexeddb: one `AnalysisSession` per database answers
 * every request of analysis-protocol.ts.
 *
 * The project is read once with `loadProjectData` (everything: answers with
 * their texts, respondents, codebook, codings, themes, memos) and kept; it is
 * the one source of every table and export. A request whose `version` differs
 * from the one read re-reads only what a coding change can touch (codes,
 * codings, coders, themes, memos: a few hundred records); `invalidate` drops
 * the project (an import added answers). Analysis indexes are built per scope
 * (all questions, or one) on first use and dropped with the codings.
 *
 * Words are counted over texts: every answer in scope, the answers of an
 * attribute group, or the passages coded with a code or theme. A coded
 * passage is read once however many coders marked it: per answer, a
 * whole-answer coding gives the whole text; otherwise the coded spans are
 * merged where they overlap. "The rest", for distinctive words, is the
 * answers in scope that were not coded with the target at all.
 */
import {
  buildAnalysisIndex,
  codeTargets,
  coderMask,
  cooccurrence,
  countTargets,
  crosstab,
  targetCodeIds,
  targetKey,
  targetLabel,
  themeTargets,
  waveChange,
  type AnalysisIndex,
  type Breakdown,
  type CoderSelection,
  type CountRow,
  type Target,
} from '../lib/analysis';
import { codeTree } from '../lib/codebook/code-tree';
import { loadCodes, loadCoders, loadCodings, loadMemos, loadResolutions, loadThemes } from '../lib/db/coding-store';
import { loadRounds } from '../lib/db/rounds';
import { describeFinalSet, finalCodings, sourceCodingId, type FinalSet } from '../lib/coding/final-set';
import { importProjectFile, loadProjectData, ProjectExistsError } from '../lib/db/exchange-store';
import type { CodebenchDatabase } from '../lib/db/schema';
import { EXCHANGE_VERSION, ExchangeError, PROJECT_FORMAT, type ExchangeAnswer, type ExchangeCoding, type ProjectFileInput } from '../lib/exchange';
import {
  buildReportModel,
  codebookJson,
  codebookMarkdown,
  codebookRows,
  codebookSheet,
  codeCounts,
  csvChunks,
  defaultAttribution,
  groupedBarChartSvg,
  heatmapSvg,
  longTable,
  ProjectLookup,
  reportHtml,
  reportMarkdown,
  rowsOf,
  sliceCodePoints,
  wideTable,
  writeXlsx,
  type CoderSelection as ExportCoderSelection,
  type ExportCell,
  type ExportSource,
  type ExportTable,
  type GroupBy as ExportGroupBy,
  type ReportChart,
  type XlsxSheet,
} from '../lib/export';
import { CONSENSUS_CODER_ID, FINAL_CODER_ID, newId, slugify, type Code, type Coding, type Round, type Theme } from '../lib/model/types';
import { loadNlp } from '../lib/nlp/wink';
import { distinctiveWords, keywordsInContext, wordFrequencies, type TextRef } from '../lib/nlp/word-stats';
import { decodeXmlBytes, projectFromQdc, readQdc, readQdpx, RefiError, writeQdc, writeQdpx } from '../lib/refi';
import { restrictCoderChoices } from './analysis-protocol';
import type {
  AnalysisRequest,
  AnswerRow,
  AnswerSelect,
  AnswersResult,
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
  GroupBy,
  KwicResult,
  Quote,
  QuoteGroup,
  QuotesResult,
  TargetSet,
  WaveChangeOptions,
  WaveChangeResult,
  WordScope,
  WordsResult,
} from './analysis-protocol';
import { ownValue } from '../lib/model/name-keyed';

/** Told how far a long step has got. */
export type ProgressReporter = (phase: string, done: number, total: number) => void;

export interface HandlerReply {
  message: FromAnalysisWorker;
  transfer: Transferable[];
}

/** A problem with a request the user can act on; its message is shown as it is. */
export class AnalysisRequestError extends Error {}

/** Blank attribute values, as tables show them. */
export const NO_VALUE_LABEL = '(no value)';

const MIME = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  md: 'text/markdown;charset=utf-8',
  html: 'text/html;charset=utf-8',
  json: 'application/json',
  xml: 'application/xml',
  zip: 'application/zip',
} as const;

/** Largest number of targets a report chart shows, to stay readable. */
const REPORT_CHART_TARGETS = 30;
/** Texts between two progress reports in word counting. */
const WORD_PROGRESS_STEP = 2000;

type Data = ProjectFileInput;

/** What the Final set is derived from besides the codings (see lib/coding/final-set.ts). */
export interface FinalContext {
  rounds: Pick<Round, 'answerIds' | 'coderIds'>[];
  primaryCoderId?: string;
}

/** The Final set's coder as tables and exports name it. */
export const FINAL_CODER_NAME = 'Final (adjudicated)';

/** The project as read, with the lookups every request needs. */
class LoadedProject {
  data: Data;
  version: number;
  codes: Code[] = [];
  themes: Theme[] = [];
  readonly respondents: Map<string, Record<string, string>>;
  readonly waveNames: Map<string, string>;
  readonly questionLabels: Map<string, string>;
  readonly waveOrder: string[];
  readonly questionOrder: string[];
  readonly attributeNames: string[];
  coderNames = new Map<string, string>();
  coderOrder: string[] = [];
  #indexes = new Map<string, AnalysisIndex>();
  #lookup: ProjectLookup | null = null;
  #answersById: Map<string, ExchangeAnswer> | null = null;
  #answerRank: Map<string, number> | null = null;
  finalContext: FinalContext = { rounds: [] };
  #final: FinalSet<ExchangeCoding> | null = null;
  #allCodings: ExchangeCoding[] | null = null;
  #finalSource: ExportSource | null = null;
  #finalLookup: ProjectLookup | null = null;

  constructor(
    readonly projectId: string,
    version: number,
    data: Data,
  ) {
    this.data = data;
    this.version = version;
    this.respondents = new Map(data.respondents.map((r) => [r.id, r.attributes]));
    this.waveNames = new Map(data.waves.map((w) => [w.id, w.name]));
    this.questionLabels = new Map(data.questions.map((q) => [q.id, q.label || q.key]));
    this.waveOrder = [...data.waves].sort((a, b) => a.order - b.order).map((w) => w.id);
    this.questionOrder = [...data.questions].sort((a, b) => a.order - b.order).map((q) => q.id);
    this.attributeNames = [...data.attributes].sort((a, b) => a.order - b.order).map((a) => a.name);
    this.#codingsChanged();
  }

  #blind: { coderId: string; version: number; project: LoadedProject } | null = null;

  /**
   * The project as one coder alone may see it: their codings, their memos, themselves as the only coder, no
   * resolutions (they rest on two coders' codings). Kept until the codings change.
   */
  blindTo(coderId: string): LoadedProject {
    const kept = this.#blind;
    if (kept && kept.coderId === coderId && kept.version === this.version) return kept.project;
    const data: Data = {
      ...this.data,
      coders: this.data.coders.filter((c) => c.id === coderId),
      codings: this.data.codings.filter((c) => c.coderId === coderId),
      memos: this.data.memos.filter((m) => m.coderId === coderId),
      resolutions: [],
    };
    const project = new LoadedProject(this.projectId, this.version, data);
    this.#blind = { coderId, version: this.version, project };
    return project;
  }

  /** Codes, codings, coders, themes and memos as now stored. */
  replaceCodings(version: number, fresh: Pick<Data, 'codes' | 'codings' | 'coders' | 'themes' | 'memos' | 'resolutions'>, finalContext?: FinalContext) {
    this.data = { ...this.data, ...fresh };
    this.version = version;
    if (finalContext) this.finalContext = finalContext;
    this.#codingsChanged();
  }

  /** The rounds and the primary coder as now stored (the Final set follows them). */
  setFinalContext(finalContext: FinalContext) {
    this.finalContext = finalContext;
    this.#codingsChanged();
  }

  /** The Final codings (see lib/coding/final-set.ts), derived on first use after every change. */
  get final(): FinalSet<ExchangeCoding> {
    this.#final ??= finalCodings({
      codings: this.data.codings,
      resolutions: this.data.resolutions ?? [],
      rounds: this.finalContext.rounds,
      coderIds: this.data.coders.map((c) => c.id),
      primaryCoderId: this.finalContext.primaryCoderId,
    });
    return this.#final;
  }

  /** The coders' codings and the Final ones (under FINAL_CODER_ID): what tables, passages and quotes select from. */
  get allCodings(): ExchangeCoding[] {
    this.#allCodings ??= [...this.data.codings, ...this.final.codings];
    return this.#allCodings;
  }

  /** The project with the Final codings and coder added, for the exports that use the Final set. */
  get finalSource(): ExportSource {
    this.#finalSource ??= {
      ...this.data,
      codings: this.allCodings,
      coders: [...this.data.coders, { id: FINAL_CODER_ID, name: FINAL_CODER_NAME, color: '#444444' }],
    };
    return this.#finalSource;
  }

  get finalLookup(): ProjectLookup {
    this.#finalLookup ??= new ProjectLookup(this.finalSource);
    return this.#finalLookup;
  }

  /** "Coding set: Final — agreed codings plus 12 adjudications; …" */
  get finalDescription(): string {
    return describeFinalSet(this.final.summary, (id) => this.coderName(id));
  }

  #codingsChanged() {
    const { projectId } = this;
    this.codes = this.data.codes.map((c) => ({ ...c, projectId }));
    this.themes = (this.data.themes ?? []).map((t) => ({ ...t, projectId }));
    this.coderNames = new Map(this.data.coders.map((c) => [c.id, c.name]));
    // Coders in name order, the consensus last: the by-coder rows' order.
    this.coderOrder = [...this.data.coders]
      .sort((a, b) => Number(a.id === CONSENSUS_CODER_ID) - Number(b.id === CONSENSUS_CODER_ID) || a.name.localeCompare(b.name))
      .map((c) => c.id);
    // The Final set last, after the consensus.
    this.coderOrder.push(FINAL_CODER_ID);
    this.#indexes.clear();
    this.#lookup = null;
    this.#blind = null;
    this.#final = null;
    this.#allCodings = null;
    this.#finalSource = null;
    this.#finalLookup = null;
  }

  /**
   * The exports' lookups (names, code paths, answers in display order), built
   * once per version of the codings: over 600k answers it takes most of a
   * long CSV's time, so it is kept for the next export.
   */
  get lookup(): ProjectLookup {
    if (!this.#lookup) {
      this.#lookup = new ProjectLookup(this.data);
      // Sorts the answers into display order now, which every export reads.
      this.#lookup.answerRank('');
    }
    return this.#lookup;
  }

  coderName(coderId: string): string {
    return this.coderNames.get(coderId) ?? (coderId === CONSENSUS_CODER_ID ? 'Consensus' : coderId === FINAL_CODER_ID ? FINAL_CODER_NAME : coderId);
  }

  waveName(waveId: string): string {
    return this.waveNames.get(waveId) ?? waveId;
  }

  questionLabel(questionId: string): string {
    return this.questionLabels.get(questionId) ?? questionId;
  }

  /** The analysis index of the answers in scope, built on first use. */
  index(questionId: string | null): AnalysisIndex {
    const key = questionId ?? '\u0000all';
    let index = this.#indexes.get(key);
    if (!index) {
      if (questionId !== null && !this.questionLabels.has(questionId)) throw new AnalysisRequestError('That question is no longer in the project.');
      const answers = questionId === null ? this.data.answers : this.data.answers.filter((a) => a.questionId === questionId);
      index = buildAnalysisIndex({
        answers,
        attributeOf: (respondentId, name) => ownValue(this.respondents.get(respondentId), name) ?? '',
        codes: this.codes,
        themes: this.themes,
        // The index reads answerId, codeId, coderId and start only: an ExchangeCoding has them all.
        codings: this.allCodings as unknown as Coding[],
        waveIds: this.waveOrder,
        questionIds: this.questionOrder,
        coderIds: this.coderOrder,
      });
      this.#indexes.set(key, index);
    }
    return index;
  }

  answer(answerId: string): ExchangeAnswer | undefined {
    this.#answersById ??= new Map(this.data.answers.map((a) => [a.id, a]));
    return this.#answersById.get(answerId);
  }

  /** Position of an answer in the project's display order. */
  rank(answerId: string): number {
    if (!this.#answerRank) {
      this.#answerRank = new Map();
      this.data.answers.forEach((a, i) => this.#answerRank!.set(a.id, i));
    }
    return this.#answerRank.get(answerId) ?? Number.MAX_SAFE_INTEGER;
  }

  /** The project as the exports read it. */
  get source(): ExportSource {
    return this.data;
  }

  get name(): string {
    return this.data.project.name;
  }
}

// ---------------------------------------------------------------------------
// Small helpers

function analysisCoders(choice: CoderChoice): CoderSelection {
  return choice.kind === 'coder' ? { kind: 'coder', coderId: choice.coderId } : { kind: choice.kind };
}

function exportCoders(choice: CoderChoice): ExportCoderSelection {
  if (choice.kind === 'final') return { coderId: FINAL_CODER_ID };
  return choice.kind === 'all' ? 'any' : choice.kind === 'consensus' ? 'consensus' : { coderId: choice.coderId };
}

function keepCoder(choice: CoderChoice): (coderId: string) => boolean {
  if (choice.kind === 'all') return (id) => id !== CONSENSUS_CODER_ID && id !== FINAL_CODER_ID;
  const wanted = choice.kind === 'consensus' ? CONSENSUS_CODER_ID : choice.kind === 'final' ? FINAL_CODER_ID : choice.coderId;
  return (id) => id === wanted;
}

function whoseCodings(project: LoadedProject, choice: CoderChoice): string {
  if (choice.kind === 'all') return 'the codings of every coder together (an answer counts as coded when any coder coded it; the consensus coder is left out)';
  if (choice.kind === 'consensus') return 'the consensus codings';
  if (choice.kind === 'final') return `the Final set (${project.finalDescription})`;
  return `the codings of ${project.coderName(choice.coderId)}`;
}

function scopeWords(project: LoadedProject, questionId: string | null): string {
  return questionId === null ? 'every question' : `the question “${project.questionLabel(questionId)}”`;
}

function targetsOf(set: TargetSet, project: LoadedProject): Target[] {
  switch (set) {
    case 'codes':
      return codeTargets(project.codes);
    case 'codes-with-subcodes':
      return codeTargets(project.codes, true);
    case 'top-level': {
      const parents = new Set(project.codes.map((c) => c.parentId));
      return codeTree(project.codes)
        .filter((row) => row.depth === 0)
        .map(({ code }) => (parents.has(code.id) ? { kind: 'code-with-subcodes', codeId: code.id } : { kind: 'code', codeId: code.id }));
    }
    case 'themes':
      return themeTargets(project.themes);
  }
}

function breakdownsOf(groupBy: GroupBy): Breakdown[] {
  switch (groupBy.kind) {
    case 'none':
      return [];
    case 'attribute':
      return [{ kind: 'attribute', name: groupBy.name }];
    default:
      return [{ kind: groupBy.kind }];
  }
}

function fileStem(name: string): string {
  return slugify(name).slice(0, 60) || 'project';
}

const encoder = new TextEncoder();

/** Text chunks as one UTF-8 buffer, without building one giant string. */
function encodeChunks(chunks: Iterable<string>, onChunk?: (n: number) => void): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  let n = 0;
  for (const chunk of chunks) {
    const bytes = encoder.encode(chunk);
    parts.push(bytes);
    length += bytes.length;
    onChunk?.(++n);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Sorted answer positions coded with the target by a coder the mask takes. */
function codedPositions(index: AnalysisIndex, target: Target, mask: Uint8Array): number[] {
  const seen = new Uint8Array(index.answerCount);
  for (const codeId of targetCodeIds(index, target)) {
    const c = index.codingsOf(codeId);
    for (let i = 0; i < c.answer.length; i++) if (mask[c.coder[i]] === 1) seen[c.answer[i]] = 1;
  }
  const out: number[] = [];
  for (let a = 0; a < seen.length; a++) if (seen[a] === 1) out.push(a);
  return out;
}

// ---------------------------------------------------------------------------
// The session

export class AnalysisSession {
  #db: () => CodebenchDatabase;
  #projects = new Map<string, LoadedProject>();
  /** Reads in progress, so two requests never read the same project twice. */
  #loading = new Map<string, Promise<LoadedProject>>();

  constructor(db: CodebenchDatabase | (() => CodebenchDatabase)) {
    this.#db = typeof db === 'function' ? db : () => db;
  }

  /** Forget what was read of a project. */
  invalidate(projectId: string) {
    this.#projects.delete(projectId);
    this.#loading.delete(projectId);
  }

  /** Answers one request; never throws (a failure is an error reply). */
  async handle(request: AnalysisRequest, progress: ProgressReporter = () => {}): Promise<HandlerReply> {
    const started = performance.now();
    const { requestId } = request;
    const reply = (message: FromAnalysisWorker, transfer: Transferable[] = []): HandlerReply => ({ message, transfer });
    try {
      if (request.type === 'import-qdpx') return reply(await this.#importQdpx(request.requestId, request.file, request.fileName, request.asCopy, progress));
      if (request.type === 'import-qdc-project') return reply(await this.#importQdcProject(request.requestId, request.file, request.fileName, progress));
      const whole = await this.#project(request.projectId, request.version, progress, request.reread === true);
      // Blind: answer from the coder's own work only, and read their choices as "mine" (defence in depth: the page does both too).
      const project = request.blindCoderId === undefined ? whole : whole.blindTo(request.blindCoderId);
      if (request.blindCoderId !== undefined) request = restrictCoderChoices(request, request.blindCoderId);
      const result = (r: Parameters<typeof resultReply>[1]) => reply(resultReply(requestId, r, performance.now() - started));
      switch (request.type) {
        case 'warm':
          warm(project);
          return result({ kind: 'warm', answers: project.data.answers.length, codings: project.data.codings.length });
        case 'counts':
          return result(counts(project, request.options));
        case 'crosstab':
          return result(crosstabOf(project, request.options));
        case 'cooccurrence':
          return result(cooccurrenceOf(project, request.options));
        case 'wave-change':
          return result(waveChangeOf(project, request.options));
        case 'answers':
          return result(answersOf(project, request.select, request.offset, request.limit));
        case 'words':
          return result(await words(project, request.scope, request.limit, progress));
        case 'kwic':
          return result(await kwic(project, request.scope, request.word, request.limit));
        case 'distinctive':
          return result(await distinctive(project, request.target, request.coders, request.questionId, request.limit, progress));
        case 'quotes':
          return result(quotes(project, request.by, request.coders, request.attributionAttribute));
        case 'export': {
          const file = exportFile(project, request.kind, request.settings, progress);
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

  async #project(projectId: string, version: number, progress: ProgressReporter, reread = false): Promise<LoadedProject> {
    const db = this.#db();
    const loaded = this.#projects.get(projectId);
    if (loaded) {
      if (loaded.version !== version || reread) {
        progress('Reading the codings', 0, 1);
        const [codes, codings, coders, themes, memos, resolutions, finalContext] = await Promise.all([
          loadCodes(db, projectId),
          loadCodings(db, projectId),
          loadCoders(db, projectId),
          loadThemes(db, projectId),
          loadMemos(db, projectId),
          loadResolutions(db, projectId),
          readFinalContext(db, projectId),
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
          },
          finalContext,
        );
      }
      return loaded;
    }
    let reading = this.#loading.get(projectId);
    if (!reading) {
      progress('Reading the project', 0, 1);
      reading = Promise.all([loadProjectData(db, projectId), readFinalContext(db, projectId)]).then(([data, finalContext]) => {
        const project = new LoadedProject(projectId, version, data);
        project.setFinalContext(finalContext);
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

/** A codebook's text: UTF-8 as REFI-QDA says, or UTF-16 with a byte-order mark (which the start page also takes for a .qdc). */
async function qdcText(file: Blob, fileName: string): Promise<string> {
  return decodeXmlBytes(new Uint8Array(await file.arrayBuffer()), `“${fileName}”`);
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

// ---------------------------------------------------------------------------
// Tables

/**
 * Everything the first table and the first export need, read while the user
 * is still looking at another tab: the index of all answers, each attribute's
 * column, the exports' lookup; and one pass of counts and a crosstab, so the
 * first table the user asks for does not also pay for compiling them.
 */
function warm(project: LoadedProject) {
  const index = project.index(null);
  for (const name of project.attributeNames) index.attributeColumn(name);
  const coders = { kind: 'all' } as const;
  counts(project, { targets: 'codes', groupBy: { kind: 'none' }, coders, questionId: null });
  if (project.attributeNames.length > 0) {
    crosstabOf(project, { targets: 'codes', attribute: project.attributeNames[0], unit: 'respondents', percentOf: 'answered', coders, questionId: null });
  }
  void project.lookup;
}

function groupLabel(project: LoadedProject, breakdown: CountsResult['rows'][number]['breakdown'], group: string | null): string | null {
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

function counts(project: LoadedProject, options: CountsOptions): CountsResult {
  const index = project.index(options.questionId);
  const rows = countTargets(index, targetsOf(options.targets, project), { coders: analysisCoders(options.coders), breakdowns: breakdownsOf(options.groupBy) });
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

function crosstabOf(project: LoadedProject, options: CrosstabOptions): CrosstabResult {
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

function cooccurrenceOf(project: LoadedProject, options: CooccurrenceOptions): CooccurrenceResult {
  const index = project.index(options.questionId);
  const m = cooccurrence(index, targetsOf(options.targets, project), { coders: analysisCoders(options.coders), level: options.level, jaccard: true });
  return {
    kind: 'cooccurrence',
    options,
    targets: m.targets,
    keys: m.keys,
    labels: m.labels,
    counts: m.cells.map((row) => row.map((c) => c.count)),
    jaccard: m.cells.map((row) => row.map((c) => c.jaccard)),
    basis:
      (options.level === 'answer'
        ? 'Each cell counts the answers coded with both the row and the column; the diagonal, the answers coded with each.'
        : 'Each cell counts the respondents coded with both the row and the column, in the same answer or in different ones; the diagonal, the respondents coded with each.') +
      ` Using ${whoseCodings(project, options.coders)}, over ${scopeWords(project, options.questionId)}.`,
  };
}

function waveChangeOf(project: LoadedProject, options: WaveChangeOptions): WaveChangeResult {
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

function selectedAnswerIds(project: LoadedProject, select: AnswerSelect): string[] {
  if (select.kind === 'ids') return select.answerIds.filter((id) => project.answer(id) !== undefined);
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

function answerRow(project: LoadedProject, answerId: string, highlight: [number, number] | null): AnswerRow | null {
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

function answersOf(project: LoadedProject, select: AnswerSelect, offset: number, limit: number): AnswersResult {
  const ids = selectedAnswerIds(project, select);
  const start = Math.max(0, Math.floor(offset));
  const page = ids.slice(start, start + Math.max(1, Math.floor(limit)));
  const highlight = select.kind === 'ids' ? (select.highlight ?? {}) : {};
  const rows = page.map((id) => answerRow(project, id, highlight[id] ?? null)).filter((r): r is AnswerRow => r !== null);
  return { kind: 'answers', total: ids.length, offset: start, rows };
}

// ---------------------------------------------------------------------------
// Words

interface Passage {
  answerId: string;
  /** Where the text starts in its answer, in code points. */
  start: number;
  text: string;
}

function inScope(project: LoadedProject, questionId: string | null) {
  return (answerId: string) => {
    const answer = project.answer(answerId);
    return answer !== undefined && (questionId === null || answer.questionId === questionId);
  };
}

/** The passages coded with the target, each read once (see the module notes), in answer order. */
function codedPassages(project: LoadedProject, target: Target, coders: CoderChoice, questionId: string | null): Passage[] {
  const index = project.index(questionId);
  const codeIds = new Set(targetCodeIds(index, target));
  const keep = keepCoder(coders);
  const wanted = inScope(project, questionId);
  const byAnswer = new Map<string, { whole: boolean; spans: [number, number][] }>();
  for (const c of project.allCodings) {
    if (!codeIds.has(c.codeId) || !keep(c.coderId) || !wanted(c.answerId)) continue;
    let entry = byAnswer.get(c.answerId);
    if (!entry) byAnswer.set(c.answerId, (entry = { whole: false, spans: [] }));
    if (c.start === null || c.end === null) entry.whole = true;
    else entry.spans.push([c.start, c.end]);
  }
  const answerIds = [...byAnswer.keys()].sort((a, b) => project.rank(a) - project.rank(b));
  const passages: Passage[] = [];
  for (const answerId of answerIds) {
    const { whole, spans } = byAnswer.get(answerId)!;
    const text = project.answer(answerId)!.text;
    if (whole) {
      passages.push({ answerId, start: 0, text });
      continue;
    }
    spans.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let [from, to] = spans[0];
    for (let i = 1; i <= spans.length; i++) {
      if (i < spans.length && spans[i][0] <= to) {
        to = Math.max(to, spans[i][1]);
        continue;
      }
      passages.push({ answerId, start: from, text: sliceCodePoints(text, from, to) });
      if (i < spans.length) [from, to] = spans[i];
    }
  }
  return passages;
}

/** One text per answer: its passages joined by a blank line (so "answers" counts answers, not passages). */
function perAnswer(passages: readonly Passage[]): TextRef[] {
  const out: TextRef[] = [];
  for (const p of passages) {
    const last = out[out.length - 1];
    if (last && last.id === p.answerId) last.text += `\n\n${p.text}`;
    else out.push({ id: p.answerId, text: p.text });
  }
  return out;
}

function answersInScope(project: LoadedProject, questionId: string | null, keep: (a: ExchangeAnswer) => boolean = () => true): Passage[] {
  const out: Passage[] = [];
  for (const a of project.data.answers) {
    if ((questionId === null || a.questionId === questionId) && keep(a)) out.push({ answerId: a.id, start: 0, text: a.text });
  }
  return out;
}

function targetName(project: LoadedProject, target: Target, questionId: string | null): string {
  return targetLabel(project.index(questionId), target);
}

function wordPassages(project: LoadedProject, scope: WordScope): { passages: Passage[]; label: string } {
  const where = scopeWords(project, scope.questionId);
  const group = scope.group;
  switch (group.kind) {
    case 'all':
      return { passages: answersInScope(project, scope.questionId), label: `Every answer to ${where}` };
    case 'attribute': {
      const shown = group.value === '' ? NO_VALUE_LABEL : group.value;
      return {
        passages: answersInScope(project, scope.questionId, (a) => (ownValue(project.respondents.get(a.respondentId), group.name) ?? '') === group.value),
        label: `Answers to ${where} from respondents with ${group.name} “${shown}”`,
      };
    }
    case 'target':
      return {
        passages: codedPassages(project, group.target, scope.coders, scope.questionId),
        label: `Passages coded “${targetName(project, group.target, scope.questionId)}” in ${where} (${whoseCodings(project, scope.coders)})`,
      };
  }
}

function* reporting<T>(items: readonly T[], phase: string, progress: ProgressReporter): Generator<T> {
  for (let i = 0; i < items.length; i++) {
    if (i % WORD_PROGRESS_STEP === 0) progress(phase, i, items.length);
    yield items[i];
  }
  progress(phase, items.length, items.length);
}

async function words(project: LoadedProject, scope: WordScope, limit: number, progress: ProgressReporter): Promise<WordsResult> {
  progress('Loading the language model', 0, 1);
  await loadNlp();
  const { passages, label } = wordPassages(project, scope);
  const texts = perAnswer(passages);
  const frequencies = wordFrequencies(reporting(texts, 'Counting words', progress));
  return {
    kind: 'words',
    scope,
    scopeLabel: label,
    texts: texts.length,
    words: frequencies.reduce((n, w) => n + w.count, 0),
    distinct: frequencies.length,
    top: frequencies.slice(0, Math.max(1, limit)),
  };
}

async function kwic(project: LoadedProject, scope: WordScope, word: string, limit: number): Promise<KwicResult> {
  await loadNlp();
  const trimmed = word.trim();
  if (!trimmed) throw new AnalysisRequestError('Type or choose a word to see in context.');
  const { passages, label } = wordPassages(project, scope);
  // Each passage is read on its own, then its lines are moved to their place in the answer.
  const found = keywordsInContext(
    passages.map((p, i) => ({ id: String(i), text: p.text })),
    trimmed,
    { limit: limit + 1 },
  );
  const lines = found.slice(0, limit).map((line) => {
    const p = passages[Number(line.answerId)];
    return { ...line, answerId: p.answerId, start: line.start + p.start, end: line.end + p.start };
  });
  return { kind: 'kwic', scope, scopeLabel: label, word: trimmed, lines, truncated: found.length > limit };
}

async function distinctive(
  project: LoadedProject,
  target: Target,
  coders: CoderChoice,
  questionId: string | null,
  limit: number,
  progress: ProgressReporter,
): Promise<DistinctiveResult> {
  progress('Loading the language model', 0, 1);
  await loadNlp();
  const group = perAnswer(codedPassages(project, target, coders, questionId));
  const coded = new Set(group.map((t) => t.id));
  const rest = perAnswer(answersInScope(project, questionId, (a) => !coded.has(a.id)));
  const total = group.length + rest.length;
  let seen = 0;
  const counted = function* (texts: TextRef[]) {
    for (const t of texts) {
      if (seen++ % WORD_PROGRESS_STEP === 0) progress('Comparing words', seen, total);
      yield t;
    }
  };
  const result = distinctiveWords(counted(group), counted(rest), { minCount: 3 });
  progress('Comparing words', total, total);
  const n = Math.max(1, limit);
  const label = targetName(project, target, questionId);
  return {
    kind: 'distinctive',
    target,
    label,
    questionId,
    typical: result.words.filter((w) => w.z > 0).slice(0, n),
    atypical: result.words
      .filter((w) => w.z < 0)
      .slice(-n)
      .reverse(),
    groupAnswers: result.groupAnswers,
    restAnswers: result.restAnswers,
    groupWords: result.groupWords,
    restWords: result.restWords,
    method: result.method,
    basis:
      `The group: the passages coded “${label}” (${whoseCodings(project, coders)}), each read once. ` +
      `The rest: the answers to ${scopeWords(project, questionId)} not coded with it at all. Words seen fewer than 3 times in all are left out.`,
  };
}

// ---------------------------------------------------------------------------
// Quotes

/** The attribution rule, in words (see defaultAttribution in lib/export). */
export function attributionRule(attribute: string | null): string {
  return attribute
    ? `Each quote is attributed as: the respondent’s ${attribute} (capitalised; “Respondent” when they have none), their respondent ID, and the wave — e.g. “Mentee 7, 6 months”.`
    : 'Each quote is attributed as: “Respondent”, the respondent ID, and the wave — e.g. “Respondent 7, 6 months”. Choose an attribute to name the speaker’s role instead.';
}

function quotes(project: LoadedProject, by: 'code' | 'theme', coders: CoderChoice, attribute: string | null): QuotesResult {
  const keep = keepCoder(coders);
  const exemplars = project.allCodings
    .filter((c) => c.exemplar === true && keep(c.coderId) && project.answer(c.answerId) !== undefined)
    .sort((a, b) => project.rank(a.answerId) - project.rank(b.answerId) || (a.start ?? -1) - (b.start ?? -1) || (a.end ?? -1) - (b.end ?? -1));
  const quoteOf = (c: (typeof exemplars)[number]): Quote => {
    const answer = project.answer(c.answerId)!;
    const text = c.start === null || c.end === null ? answer.text : sliceCodePoints(answer.text, c.start, c.end);
    return {
      // A Final coding's mark is its source coding's: that is the one to toggle.
      codingIds: [sourceCodingId(c.id)],
      answerId: c.answerId,
      text: text.trim(),
      attribution: defaultAttribution(
        {
          respondentId: answer.respondentId,
          attributes: project.respondents.get(answer.respondentId) ?? {},
          waveName: project.waveName(answer.waveId),
          questionLabel: project.questionLabel(answer.questionId),
        },
        attribute ?? undefined,
      ),
      questionLabel: project.questionLabel(answer.questionId),
      coderNames: [project.coderName(c.coderId)],
    };
  };
  /** Quotes of the codings whose code is in the set; two coders marking the same passage give one quote. */
  const collect = (codeIds: Set<string>): Quote[] => {
    const byPassage = new Map<string, Quote>();
    for (const c of exemplars) {
      if (!codeIds.has(c.codeId)) continue;
      const key = `${c.answerId}\u0000${c.start}\u0000${c.end}`;
      const known = byPassage.get(key);
      if (!known) byPassage.set(key, quoteOf(c));
      else {
        known.codingIds.push(sourceCodingId(c.id));
        const name = project.coderName(c.coderId);
        if (!known.coderNames.includes(name)) known.coderNames.push(name);
      }
    }
    return [...byPassage.values()];
  };
  let groups: QuoteGroup[];
  if (by === 'code') {
    const byId = new Map(project.codes.map((c) => [c.id, c]));
    // "Rewards > Career": a subcode's quotes are listed under its whole path, so they read without the tree around them.
    const path = (code: Code): string => {
      const names = [code.name];
      const seen = new Set([code.id]);
      for (
        let p = code.parentId === null ? undefined : byId.get(code.parentId);
        p && !seen.has(p.id);
        p = p.parentId === null ? undefined : byId.get(p.parentId)
      ) {
        seen.add(p.id);
        names.unshift(p.name);
      }
      return names.join(' > ');
    };
    groups = codeTree(project.codes).map(({ code, depth }) => ({ key: `code:${code.id}`, label: path(code), depth, quotes: collect(new Set([code.id])) }));
  } else {
    const index = project.index(null);
    groups = themeTargets(project.themes).map((t) => ({
      key: `theme:${t.kind === 'theme' ? t.themeId : ''}`,
      label: targetLabel(index, t),
      depth: 0,
      quotes: collect(new Set(targetCodeIds(index, t))),
    }));
  }
  return { kind: 'quotes', by, groups: groups.filter((g) => g.quotes.length > 0), rule: attributionRule(attribute) };
}

// ---------------------------------------------------------------------------
// Exports

function countsTable(project: LoadedProject, options: CountsOptions): ExportTable {
  const result = counts(project, options);
  const groupBy = options.groupBy.kind === 'attribute' ? options.groupBy.name : options.groupBy.kind;
  return {
    header: [
      'target',
      'kind',
      'group by',
      'group',
      'answers coded',
      'answers in scope',
      'share of answers',
      'respondents coded',
      'respondents who answered',
      'share of respondents',
      'spans coded',
      'codings',
    ],
    rows: result.rows.map((r): ExportCell[] => [
      r.label,
      r.target.kind,
      r.breakdown === 'overall' ? 'overall' : groupBy,
      r.groupLabel ?? 'all',
      r.answersCoded,
      r.answersInScope,
      r.answerShare,
      r.respondentsCoded,
      r.respondentsAnswered,
      r.respondentShare,
      r.spansCoded,
      r.codingsTotal,
    ]),
  };
}

function crosstabTable(project: LoadedProject, options: CrosstabOptions): ExportTable {
  const table = crosstabOf(project, options);
  const unit = options.unit;
  const header = ['target', 'kind'];
  for (const c of [...table.columns.map((c) => c.label), 'total']) header.push(`${c}: ${unit} coded`, `${c}: base`, `${c}: share`);
  return {
    header,
    rows: table.rows.map((r): ExportCell[] => [r.label, r.target.kind, ...[...r.cells, r.total].flatMap((c) => [c.count, c.base, c.share])]),
  };
}

function csvBytes(table: ExportTable, bom: boolean): Uint8Array {
  return encodeChunks(csvChunks(table, { bom }));
}

/** Report groupings: waves and questions when there are several, and attributes with 2–12 values (at most three). */
function reportGroupings(project: LoadedProject): ExportGroupBy[] {
  const out: ExportGroupBy[] = [];
  if (project.data.waves.length > 1) out.push('wave');
  if (project.data.questions.length > 1) out.push('question');
  const attributes = [...project.data.attributes]
    .sort((a, b) => a.order - b.order)
    .filter((a) => a.values.length >= 2 && a.values.length <= 12)
    .slice(0, 3);
  for (const a of attributes) out.push({ attribute: a.name });
  return out;
}

/** A bar chart of the top-level codes by the first small attribute (or wave), and their co-occurrence heatmap. */
function reportCharts(project: LoadedProject, coders: CoderChoice): ReportChart[] {
  const index = project.index(null);
  const targets = targetsOf('top-level', project).slice(0, REPORT_CHART_TARGETS);
  if (targets.length === 0) return [];
  const attribute = [...project.data.attributes].sort((a, b) => a.order - b.order).find((a) => a.values.length >= 2 && a.values.length <= 8);
  const breakdown: Breakdown | null = attribute ? { kind: 'attribute', name: attribute.name } : project.data.waves.length > 1 ? { kind: 'wave' } : null;
  const rows = countTargets(index, targets, { coders: analysisCoders(coders), breakdowns: breakdown ? [breakdown] : [] });
  const wanted = breakdown ? breakdown.kind : 'overall';
  const byCell = new Map<string, CountRow>();
  const groups: (string | null)[] = [];
  for (const r of rows) {
    if (r.breakdown !== wanted) continue;
    byCell.set(`${r.key}\u0000${r.group}`, r);
    if (!groups.includes(r.group)) groups.push(r.group);
  }
  const labels = targets.map((t) => targetLabel(index, t));
  const title = breakdown ? `Respondents coded, by ${breakdown.kind === 'attribute' ? breakdown.name : 'wave'}` : 'Respondents coded';
  const bars = groupedBarChartSvg({
    title,
    categories: labels,
    series: groups.map((g) => ({
      name: g === null ? 'All respondents' : (groupLabel(project, wanted, g) ?? g),
      values: targets.map((t) => (byCell.get(`${targetKey(t)}\u0000${g}`)?.respondentShare ?? 0) * 100),
    })),
    format: 'percent',
    axisLabel: 'Respondents coded, % of those who answered',
  });
  const m = cooccurrence(index, targets, { coders: analysisCoders(coders), level: 'answer' });
  const heatmap = heatmapSvg({ title: 'Codes in the same answer', labels, matrix: m.cells.map((row) => row.map((c) => c.count)) });
  return [
    { title, svg: bars, caption: 'Top-level codes, each with its subcodes. Percentages of respondents who answered in each group.' },
    {
      title: 'Codes in the same answer',
      svg: heatmap,
      caption: 'Answers coded with both the row’s and the column’s code; the outlined diagonal gives each code’s own count.',
    },
  ];
}

function exportFile(
  project: LoadedProject,
  kind: ExportKind,
  settings: ExportSettings,
  progress: ProgressReporter,
): { fileName: string; mime: string; bytes: Uint8Array } {
  const stem = fileStem(project.name);
  const useFinal = settings.coders.kind === 'final';
  const source = useFinal ? project.finalSource : project.source;
  const lookup = useFinal ? project.finalLookup : project.lookup;
  const coder = exportCoders(settings.coders);
  const includeSubcodes = settings.includeSubcodes;
  const text = (fileName: string, mime: string, content: string) => ({ fileName, mime, bytes: encoder.encode(content) });
  switch (kind) {
    case 'long-csv': {
      // 'all' lists every coding, the consensus coder's too: the coder column tells them apart.
      const options = settings.coders.kind === 'all' ? {} : { coder };
      const chunks = Math.max(1, Math.ceil(source.codings.length / 2000));
      progress('Writing the codings', 0, chunks);
      const bytes = encodeChunks(csvChunks(longTable(source, options, lookup), { bom: settings.bom }), (n) => progress('Writing the codings', n, chunks));
      return { fileName: `${stem}-codings.csv`, mime: MIME.csv, bytes };
    }
    case 'wide-csv': {
      progress('Writing the answers', 0, 1);
      const bytes = encodeChunks(csvChunks(wideTable(source, { coder, includeSubcodes }, lookup), { bom: settings.bom }));
      return { fileName: `${stem}-answers-by-code.csv`, mime: MIME.csv, bytes };
    }
    case 'counts-csv':
      return { fileName: `${stem}-counts.csv`, mime: MIME.csv, bytes: csvBytes(countsTable(project, settings.counts), settings.bom) };
    case 'crosstab-csv':
      return {
        fileName: `${stem}-crosstab-${fileStem(settings.crosstab.attribute)}.csv`,
        mime: MIME.csv,
        bytes: csvBytes(crosstabTable(project, settings.crosstab), settings.bom),
      };
    case 'xlsx': {
      progress('Writing the workbook', 0, 1);
      const sheets: XlsxSheet[] = [
        { name: 'Codings', rows: rowsOf(longTable(source, settings.coders.kind === 'all' ? {} : { coder }, lookup)) },
        { name: 'Answers', rows: rowsOf(wideTable(source, { coder, includeSubcodes }, lookup)) },
        { name: 'Codebook', rows: codebookSheet(source.codes, codeCounts(source, { coder, includeSubcodes }, lookup)) },
        { name: 'Counts', rows: rowsOf(countsTable(project, settings.counts)) },
      ];
      if (useFinal) sheets.push({ name: 'Coding set', rows: [['coding set'], [project.finalDescription]] });
      if (settings.crosstab.attribute && project.attributeNames.includes(settings.crosstab.attribute)) {
        sheets.push({ name: `Crosstab ${settings.crosstab.attribute}`, rows: rowsOf(crosstabTable(project, settings.crosstab)) });
      }
      if (project.themes.length > 0) {
        const names = new Map(project.codes.map((c) => [c.id, c.name]));
        sheets.push({
          name: 'Themes',
          rows: [
            ['theme', 'description', 'codes', 'with subcodes'],
            ...[...project.themes]
              .sort((a, b) => a.order - b.order)
              .map((t) => [t.name, t.description, t.codeIds.map((id) => names.get(id) ?? id).join('; '), t.withSubcodes ? 'yes' : 'no']),
          ],
        });
      }
      return { fileName: `${stem}.xlsx`, mime: MIME.xlsx, bytes: writeXlsx(sheets) };
    }
    case 'report-md':
    case 'report-html': {
      progress('Writing the report', 0, 1);
      const model = buildReportModel(source, {
        generatedAt: new Date(),
        coder,
        includeSubcodes,
        groupBy: reportGroupings(project),
        charts: kind === 'report-html' ? reportCharts(project, settings.coders) : [],
        ...(useFinal ? { codingSet: project.finalDescription } : {}),
        attributionAttribute: settings.attributionAttribute ?? undefined,
      });
      return kind === 'report-md' ? text(`${stem}-report.md`, MIME.md, reportMarkdown(model)) : text(`${stem}-report.html`, MIME.html, reportHtml(model));
    }
    case 'codebook-md':
      return text(
        `${stem}-codebook.md`,
        MIME.md,
        codebookMarkdown(`${project.name}: codebook`, codebookRows(source.codes, codeCounts(source, { coder, includeSubcodes }, lookup))),
      );
    case 'codebook-json':
      return text(`${stem}-codebook.json`, MIME.json, codebookJson(`${project.name} codebook`, '', source.codes));
    case 'qdc':
      return text(`${stem}.qdc`, MIME.xml, writeQdc(source.codes, { guidScope: project.projectId, themes: project.data.themes ?? [] }));
    case 'qdpx': {
      progress('Writing the REFI-QDA project', 0, 1);
      return {
        fileName: settings.qdpxOffsets === 'nvivo' ? `${stem}-for-nvivo.qdpx` : `${stem}.qdpx`,
        mime: MIME.zip,
        bytes: writeQdpx({ format: PROJECT_FORMAT, version: EXCHANGE_VERSION, ...project.data }, { offsets: settings.qdpxOffsets }),
      };
    }
  }
}
