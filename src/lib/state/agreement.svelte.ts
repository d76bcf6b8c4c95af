/**
 * The agreement view's state: what to compare (coders, codes, answers, how
 * uncoded answers count), the agreement worker that computes it, its progress
 * and result, and the exports. The worker reads IndexedDB itself; only the
 * request (a snapshot) and plain results cross.
 */
import { agreementFileName, agreementTableToCsv, agreementTableToMarkdown, disagreementsToCsv, type AgreementScopeRecord } from '../agreement/agreement-export';
import { unpackDisagreements, type CodeGroup, type DisagreementDetail, type SpanRow, type UncodedAs } from '../agreement/compute-request';
import { answerParts } from '../coding/coding-pages';
import { codeTree } from '../codebook/code-tree';
import { CONSENSUS_CODER_ID, type Code, type Coder } from '../model/types';
import type {
  AgreementAnswerLevel,
  AgreementComputeRequest,
  AgreementPhase,
  AgreementSpanLevel,
  FromAgreementWorker,
  ToAgreementWorker,
} from '../../workers/agreement-protocol';
import { WorkerClient, type WorkerLike } from '../../workers/worker-client';
import type { RoundComputation } from '../rounds/round-agreement';

export type AgreementWorkerLike = WorkerLike<ToAgreementWorker, FromAgreementWorker>;

export function defaultAgreementWorker(): AgreementWorkerLike {
  return new Worker(new URL('../../workers/agreement-worker.ts', import.meta.url), { type: 'module' }) as AgreementWorkerLike;
}

/** What the state reads from the coding workspace: the codebook and the project's coders. */
export interface AgreementSource {
  readonly codes: readonly Code[];
  readonly coders: readonly Coder[];
  /** Blind mode (a CodingWorkspace's): agreement rests on other coders' codings, so nothing is computed or shown. */
  readonly blind?: boolean;
}

export const BLIND_AGREEMENT_MESSAGE = 'Blind: agreement is hidden until you unblind.';

export interface AgreementOptions {
  /** Coders compared; null: the default (the first two coders other than the consensus). */
  coderIds: string[] | null;
  /** Codes compared; null: the default (every top-level code). */
  codeIds: string[] | null;
  /** Compare a code with its subcodes: present when any of them is. */
  includeSubcodes: boolean;
  /** One question, or null for all. */
  questionId: string | null;
  waveId: string | null;
  /** Attribute name → value ('' for any). */
  attributes: Record<string, string>;
  /** Compare a seeded random sample of the answers in scope. */
  sample: boolean;
  sampleSize: number;
  sampleSeed: number;
  uncodedAs: UncodedAs;
  /** Overlap (shared characters ÷ characters of either passage) at which two passages match, 0..1. */
  spanThreshold: number;
  bootstrapSamples: number;
}

export interface AgreementResult extends AgreementAnswerLevel {
  /** What was computed (the options may have changed since). */
  request: AgreementComputeRequest;
  /** The double-coding round it was computed on, if one was chosen. */
  round?: Pick<AgreementRoundChoice, 'id' | 'label' | 'scopeRound' | 'codebookVersion'> | null;
}

/** A double-coding round offered as the answers to compare. */
export interface AgreementRoundChoice {
  id: string;
  label: string;
  answerIds: readonly string[];
  /** What the exports record of the round: its name, number, sample seed and size. */
  scopeRound?: AgreementScopeRecord['round'];
  /** The codebook version the round was drawn with. */
  codebookVersion?: AgreementScopeRecord['codebookVersion'];
}

/** The passage level of the current result, which arrives after it. */
export interface AgreementSpans {
  requestId: number;
  rows: SpanRow[];
  spanMs: number;
  /** From the request's arrival in the worker to the passages. */
  ms: number;
}

export interface AgreementProgress {
  phase: AgreementPhase;
  label: string;
  done: number;
  total: number;
}

export interface ExportFile {
  filename: string;
  mime: string;
  text: string;
}

/** What the exports need beyond the result: names for the scope record and the file names. */
export interface AgreementExportContext {
  projectName: string;
  /** The project's questions and waves, for names (and for "all" when none was chosen). */
  questions: readonly { id: string; key: string; label: string }[];
  waves: readonly { id: string; name: string }[];
  /** The double-coding round compared, when the comparison is a round's (the rounds part passes it). */
  round?: AgreementScopeRecord['round'];
  codebookVersion?: AgreementScopeRecord['codebookVersion'];
  /** The Codebench version; the build's __APP_VERSION__ by default. */
  appVersion?: string;
  /** The export's time; now by default. */
  now?: Date;
}

/** package.json's version, put in by Vite's `define` (vite.config.ts). */
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'unknown';

export const DEFAULT_SPAN_THRESHOLD = 0.5;
export const DEFAULT_BOOTSTRAP_SAMPLES = 1000;
export const DEFAULT_SAMPLE_SIZE = 200;

const PHASE_LABELS: Record<AgreementPhase, string> = {
  'loading-answers': 'Reading the answers',
  'loading-codings': 'Reading the codings',
  'answer-level': 'Comparing codes answer by answer',
  'span-level': 'Comparing passages',
};

/** A new seed for a sample: a 32-bit whole number, from the platform's generator where there is one. */
export function randomSeed(): number {
  const words = new Uint32Array(1);
  if (globalThis.crypto?.getRandomValues) globalThis.crypto.getRandomValues(words);
  else words[0] = Math.floor(Math.random() * 0x100000000);
  return words[0];
}

function defaultOptions(questionId: string | null): AgreementOptions {
  return {
    coderIds: null,
    codeIds: null,
    includeSubcodes: true,
    questionId,
    waveId: null,
    attributes: {},
    sample: false,
    sampleSize: DEFAULT_SAMPLE_SIZE,
    sampleSeed: randomSeed(),
    uncodedAs: 'absent',
    spanThreshold: DEFAULT_SPAN_THRESHOLD,
    bootstrapSamples: DEFAULT_BOOTSTRAP_SAMPLES,
  };
}

export class AgreementState {
  options = $state<AgreementOptions>(defaultOptions(null));
  running = $state(false);
  progress = $state<AgreementProgress | null>(null);
  result = $state.raw<AgreementResult | null>(null);
  /** Kept apart from the result, so the table is not rebuilt when the passages arrive. */
  spans = $state.raw<AgreementSpans | null>(null);
  error = $state<string | null>(null);
  /** The queued disagreements' texts: the result's first details, then those the queue shows, fetched from the worker. */
  queueDetails = $state.raw<Map<string, DisagreementDetail>>(new Map());
  #askedTexts = new Set<string>();

  #source: AgreementSource;
  #worker: WorkerClient<ToAgreementWorker, FromAgreementWorker>;
  #requestId = 0;
  #preparedFor: string | null = null;
  /** The request being computed, kept with its result. */
  #pending: AgreementComputeRequest | null = null;

  /** Compare exactly a double-coding round's answers (its id), or null for the answers the options choose. */
  roundId = $state<string | null>(null);
  /** The rounds offered (AppState points it at RoundsState). */
  roundChoices: () => readonly AgreementRoundChoice[] = () => [];
  /**
   * Hears each computation on a round (this view's, and the rounds comparison's with `quiet`): AppState stores it
   * with the round (RoundsState.recordAgreement); resolves true when it was stored.
   */
  onRoundComputed: (roundId: string, coderIds: string[], computed: RoundComputation, options?: { quiet?: boolean }) => unknown = () => false;
  /** Counts the computations stored with their round, so the rounds comparison reads them again. */
  roundsStored = $state(0);
  #pendingRound: AgreementRoundChoice | null = null;

  /** The chosen round, while it still exists. */
  round = $derived.by(() => (this.roundId === null ? null : (this.roundChoices().find((r) => r.id === this.roundId) ?? null)));

  constructor(source: AgreementSource, createWorker: () => AgreementWorkerLike = defaultAgreementWorker) {
    this.#source = source;
    this.#worker = new WorkerClient({
      name: 'agreement',
      create: createWorker,
      // The answer-level result comes first; the passages end the request.
      isFinal: (reply) => reply.type !== 'progress' && reply.type !== 'result',
    });
  }

  /** Codes in tree order, with their depth. */
  tree = $derived.by(() => codeTree(this.#source.codes));

  /** The coders who can be compared, the consensus coder last. */
  coders = $derived.by(() => [...this.#source.coders].sort((a, b) => Number(a.id === CONSENSUS_CODER_ID) - Number(b.id === CONSENSUS_CODER_ID)));

  /** The coders compared, in the project's order (the first two: passages and the queue). */
  chosenCoderIds = $derived.by(() => {
    const chosen = this.options.coderIds;
    if (chosen === null)
      return this.coders
        .filter((c) => c.id !== CONSENSUS_CODER_ID)
        .slice(0, 2)
        .map((c) => c.id);
    return this.coders.filter((c) => chosen.includes(c.id)).map((c) => c.id);
  });

  /** The codes compared, in tree order. */
  chosenCodeIds = $derived.by(() => {
    const chosen = this.options.codeIds;
    if (chosen === null) return this.tree.filter((row) => row.depth === 0).map((row) => row.code.id);
    return this.tree.filter((row) => chosen.includes(row.code.id)).map((row) => row.code.id);
  });

  /** Codes that have subcodes (so "with subcodes" changes what they count). */
  parents = $derived.by(() => new Set(this.#source.codes.map((c) => c.parentId).filter((id): id is string => id !== null)));

  /** For each chosen code with subcodes, when compared with them: the ids that count as it. */
  codeGroups = $derived.by((): CodeGroup[] => {
    if (!this.options.includeSubcodes) return [];
    return this.chosenCodeIds.filter((id) => this.parents.has(id)).map((id) => ({ codeId: id, memberIds: this.subtreeIds(id) }));
  });

  /** Why the comparison cannot run as set, or null. */
  problem = $derived.by((): string | null => {
    const o = this.options;
    if (this.chosenCoderIds.length < 2) return 'Choose at least two coders.';
    if (this.chosenCodeIds.length === 0) return 'Choose at least one code.';
    if (!(o.spanThreshold >= 0 && o.spanThreshold <= 1)) return 'The overlap threshold must lie between 0 and 1.';
    if (o.sample && !(Number.isInteger(o.sampleSize) && o.sampleSize >= 1)) return 'A sample needs a whole number of answers, 1 or more.';
    if (o.sample && !(Number.isInteger(o.sampleSeed) && o.sampleSeed >= 0 && o.sampleSeed <= 0xffffffff)) {
      return 'A seed is a whole number from 0 to 4294967295.';
    }
    return null;
  });

  /** The code and all its descendants. */
  subtreeIds(codeId: string): string[] {
    const codes = this.#source.codes;
    const ids = [codeId];
    for (let i = 0; i < ids.length; i++) for (const code of codes) if (code.parentId === ids[i] && !ids.includes(code.id)) ids.push(code.id);
    return ids;
  }

  /** A project opened: start from the defaults (the open question) unless this project's choices are already here. */
  prepare(projectId: string, questionId: string | null) {
    if (this.#preparedFor === projectId) return;
    this.#preparedFor = projectId;
    this.cancel();
    this.options = defaultOptions(questionId);
    this.roundId = null;
    this.result = null;
    this.spans = null;
    this.error = null;
  }

  setCoder(coderId: string, chosen: boolean) {
    const current = new Set(this.chosenCoderIds);
    if (chosen) current.add(coderId);
    else current.delete(coderId);
    this.options.coderIds = this.coders.filter((c) => current.has(c.id)).map((c) => c.id);
  }

  setCode(codeId: string, chosen: boolean) {
    const current = new Set(this.chosenCodeIds);
    if (chosen) current.add(codeId);
    else current.delete(codeId);
    this.options.codeIds = this.tree.filter((row) => current.has(row.code.id)).map((row) => row.code.id);
  }

  /** Every code, the top-level ones only, or none. */
  selectCodes(which: 'all' | 'top' | 'none') {
    this.options.codeIds = which === 'none' ? [] : this.tree.filter((row) => which === 'all' || row.depth === 0).map((row) => row.code.id);
  }

  setAttribute(name: string, value: string) {
    this.options.attributes = { ...this.options.attributes, [name]: value };
  }

  /** Draws a new sample next time: a fresh seed. */
  newSeed() {
    this.options.sampleSeed = randomSeed();
  }

  /** The request the options describe (plain data, ready to post). */
  request(projectId: string, requestId = this.#requestId): AgreementComputeRequest {
    const o = $state.snapshot(this.options);
    return {
      type: 'compute',
      requestId,
      projectId,
      coderIds: [...this.chosenCoderIds],
      codeIds: [...this.chosenCodeIds],
      codeGroups: $state.snapshot(this.codeGroups),
      scope: {
        questionId: o.questionId,
        waveId: o.waveId,
        attributes: Object.fromEntries(Object.entries(o.attributes).filter(([, v]) => v !== '')),
        sample: o.sample ? { size: o.sampleSize, seed: o.sampleSeed } : null,
        // A round is compared on exactly its answers, whatever the question, wave, attribute and sample options say.
        ...(this.round ? { questionId: null, waveId: null, attributes: {}, sample: null, answerIds: [...this.round.answerIds] } : {}),
      },
      uncodedAs: o.uncodedAs,
      spanThreshold: o.spanThreshold,
      bootstrapSamples: o.bootstrapSamples,
      ...(this.#source.blind ? { blind: true } : {}),
    };
  }

  run(projectId: string) {
    if (this.#source.blind) {
      this.error = BLIND_AGREEMENT_MESSAGE;
      return;
    }
    if (this.problem) {
      this.error = this.problem;
      return;
    }
    this.error = null;
    this.running = true;
    this.progress = { phase: 'loading-answers', label: PHASE_LABELS['loading-answers'], done: 0, total: 1 };
    this.#pendingRound = this.round;
    this.#requestId = this.#worker.request((requestId) => (this.#pending = this.request(projectId, requestId)), {
      onReply: (reply) => this.#receive(reply),
      onFailure: (message) => this.#receive({ type: 'error', requestId: this.#requestId, message }),
      consequence: 'Run the comparison again.',
      replaces: 'compute',
    });
  }

  cancel() {
    if (!this.running) return;
    this.#worker.notify({ type: 'cancel', requestId: this.#requestId });
    // Whatever the worker still sends for it is ignored.
    this.#worker.drop(this.#requestId);
    this.#pending = null;
    this.running = false;
    this.progress = null;
    this.#releaseIfIdle();
  }

  /**
   * The view was left: the worker stops once nothing is asked of it. What it holds (the comparison's reads, and
   * their garbage, which an idle worker does not collect: ~200 MB at 100k answers) was for the view; the result
   * stays here, and the next comparison or queue page starts a new worker, which reads the queue's texts from the
   * project. `retain` (the view shown again) keeps it running.
   */
  release() {
    this.#released = true;
    this.#releaseIfIdle();
  }

  retain() {
    this.#released = false;
  }

  #released = false;

  #releaseIfIdle() {
    if (this.#released && !this.running && this.#worker.pendingCount === 0) this.#worker.terminate();
  }

  /** Stops the worker (the view is gone for good). */
  dispose() {
    this.cancel();
    this.#worker.terminate();
  }

  #receive(message: FromAgreementWorker) {
    switch (message.type) {
      case 'progress':
        this.progress = { phase: message.phase, label: PHASE_LABELS[message.phase], done: message.done, total: message.total };
        break;
      case 'result':
        if (!this.#pending) return;
        this.result = {
          ...message.result,
          request: this.#pending,
          round: this.#pendingRound
            ? {
                id: this.#pendingRound.id,
                label: this.#pendingRound.label,
                scopeRound: this.#pendingRound.scopeRound,
                codebookVersion: this.#pendingRound.codebookVersion,
              }
            : null,
        };
        this.queueDetails = new Map(message.result.queue.details.map((d) => [d.answerId, d]));
        this.#askedTexts = new Set();
        if (this.#pendingRound) {
          const computed = {
            table: message.result.table,
            includeSubcodes: this.#pending.codeGroups.some((group) => group.memberIds.length > 1),
            uncodedAs: this.#pending.uncodedAs,
          };
          void Promise.resolve(this.onRoundComputed(this.#pendingRound.id, this.#pending.coderIds.slice(0, 2), computed)).then((stored) => {
            if (stored === true) this.roundsStored++;
          });
        }
        this.spans = null;
        this.progress = { phase: 'span-level', label: PHASE_LABELS['span-level'], done: 0, total: message.result.groups.length };
        break;
      case 'spans':
        this.#spans(message.result);
        queueMicrotask(() => this.#releaseIfIdle());
        break;
      case 'cancelled':
        this.running = false;
        this.progress = null;
        break;
      case 'error':
        this.error = message.message;
        this.running = false;
        this.progress = null;
        queueMicrotask(() => this.#releaseIfIdle());
        this.#pending = null;
        break;
    }
  }

  /**
   * Asks the worker for the texts of queued answers not yet here (the queue
   * lists every disagreement; the result carries the first ones' texts only).
   */
  loadQueueTexts(answerIds: readonly string[]) {
    const missing = answerIds.filter((id) => !this.queueDetails.has(id) && !this.#askedTexts.has(id));
    if (missing.length === 0 || !this.result) return;
    for (const id of missing) this.#askedTexts.add(id);
    const forResult = this.result;
    const projectId = forResult.request.projectId;
    this.#worker.request((requestId) => ({ type: 'queue-texts', requestId, projectId, answerIds: missing }), {
      onReply: (reply) => {
        if (reply.type !== 'queue-texts' || this.result !== forResult) return;
        const next = new Map(this.queueDetails);
        for (const d of reply.details) next.set(d.answerId, d);
        this.queueDetails = next;
        queueMicrotask(() => this.#releaseIfIdle());
      },
      onFailure: (message) => {
        for (const id of missing) this.#askedTexts.delete(id);
        this.error = message;
      },
      consequence: 'Compute again to see these answers.',
    });
  }

  #spans(level: AgreementSpanLevel) {
    if (this.result) this.spans = { requestId: this.result.request.requestId, rows: level.spans, spanMs: level.spanMs, ms: level.ms };
    this.running = false;
    this.progress = null;
    this.#pending = null;
  }

  codeName(codeId: string): string {
    return this.#source.codes.find((c) => c.id === codeId)?.name ?? codeId;
  }

  coderName(coderId: string): string {
    return this.#source.coders.find((c) => c.id === coderId)?.name ?? (coderId === CONSENSUS_CODER_ID ? 'Consensus' : coderId);
  }

  #labels() {
    return { codeName: (id: string) => this.codeName(id), coderName: (id: string) => this.coderName(id) };
  }

  /** What the current result measured, in names, for the exports; null without a result. */
  scopeRecord(context: AgreementExportContext): AgreementScopeRecord | null {
    const result = this.result;
    if (!result) return null;
    const { request, scope } = result;
    // A round's comparison records the round and its codebook version whether or not the caller passes them.
    const round = context.round ?? result.round?.scopeRound;
    const codebookVersion = context.codebookVersion ?? result.round?.codebookVersion;
    const chosenQuestion = request.scope.questionId;
    const chosenWave = request.scope.waveId;
    const questions = chosenQuestion === null ? context.questions : context.questions.filter((q) => q.id === chosenQuestion);
    const waves = chosenWave === null ? context.waves.map((w) => w.name) : [context.waves.find((w) => w.id === chosenWave)?.name ?? chosenWave];
    const attributes = Object.fromEntries(Object.entries(request.scope.attributes).filter(([, value]) => value !== ''));
    return {
      project: context.projectName,
      coders: result.table.coderIds.map((id) => this.coderName(id)),
      codes: result.table.codeIds.map((id) => this.codeName(id)),
      // The request lists groups only for codes compared together with their subcodes.
      includeSubcodes: request.codeGroups.some((group) => group.memberIds.length > 1),
      questions:
        questions.length > 0 || chosenQuestion === null
          ? questions.map((q) => ({ key: q.key, label: q.label }))
          : [{ key: chosenQuestion, label: chosenQuestion }],
      waves,
      attributes,
      answers: { inScope: scope.answersInScope, compared: scope.answersCompared },
      sample: round ? null : scope.sample,
      ...(round ? { round } : {}),
      ...(codebookVersion ? { codebookVersion } : {}),
      uncodedAs: request.uncodedAs,
      date: (context.now ?? new Date()).toISOString(),
      appVersion: context.appVersion ?? APP_VERSION,
    };
  }

  /** The agreement table (per code and pooled, with counts and intervals) as CSV, with its scope when a context is given. */
  tableCsv(context?: AgreementExportContext): ExportFile | null {
    const result = this.result;
    if (!result) return null;
    const scope = context ? (this.scopeRecord(context) ?? undefined) : undefined;
    return {
      filename: agreementFileName(context?.projectName ?? '', 'agreement', 'csv', context?.round ?? result.round?.scopeRound),
      mime: 'text/csv;charset=utf-8',
      text: agreementTableToCsv(result.table, this.#labels(), scope),
    };
  }

  /** The same as a Markdown table with its scope and notes, for a methods section. */
  tableMarkdown(context?: AgreementExportContext): ExportFile | null {
    const result = this.result;
    if (!result) return null;
    const scope = context ? (this.scopeRecord(context) ?? undefined) : undefined;
    return {
      filename: agreementFileName(context?.projectName ?? '', 'agreement', 'md', context?.round ?? result.round?.scopeRound),
      mime: 'text/markdown;charset=utf-8',
      text: agreementTableToMarkdown(result.table, this.#labels(), scope),
    };
  }

  /** Every answer × code where the chosen coders differ, as CSV; respondents, questions and waves by name. */
  disagreementsCsv(
    names: { question: (questionId: string) => string; questionKey?: (questionId: string) => string; wave: (waveId: string) => string },
    context?: Pick<AgreementExportContext, 'projectName' | 'round'>,
  ): ExportFile | null {
    const result = this.result;
    if (!result) return null;
    const rows = unpackDisagreements(result.disagreements, result.table.codeIds).map((row) => {
      const parts = answerParts(row.answerId);
      return {
        answerId: row.answerId,
        respondent: parts.respondentId,
        questionKey: names.questionKey?.(parts.questionId) ?? '',
        question: names.question(parts.questionId),
        wave: names.wave(parts.waveId),
        code: this.codeName(row.codeId),
        values: row.values,
      };
    });
    const coders = result.table.coderIds.map((id) => this.coderName(id));
    return {
      filename: agreementFileName(context?.projectName ?? '', 'disagreements', 'csv', context?.round ?? result.round?.scopeRound),
      mime: 'text/csv;charset=utf-8',
      text: disagreementsToCsv(coders, rows),
    };
  }
}
