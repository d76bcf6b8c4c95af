/**
 * The agreement view's state: what to compare (coders, codes, answers, how
 * uncoded answers count), the agreement worker that computes it, its progress
 * and result, and the exports. The worker reads IndexedDB itself; only the
 * request (a snapshot) and plain results cross.
 */
import { agreementTableToCsv, agreementTableToMarkdown, disagreementsToCsv } from '../agreement/agreement-export';
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

export type AgreementWorkerLike = WorkerLike<ToAgreementWorker, FromAgreementWorker>;

export function defaultAgreementWorker(): AgreementWorkerLike {
  return new Worker(new URL('../../workers/agreement-worker.ts', import.meta.url), { type: 'module' }) as AgreementWorkerLike;
}

/** What the state reads from the coding workspace: the codebook and the project's coders. */
export interface AgreementSource {
  readonly codes: readonly Code[];
  readonly coders: readonly Coder[];
}

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
      },
      uncodedAs: o.uncodedAs,
      spanThreshold: o.spanThreshold,
      bootstrapSamples: o.bootstrapSamples,
    };
  }

  run(projectId: string) {
    if (this.problem) {
      this.error = this.problem;
      return;
    }
    this.error = null;
    this.running = true;
    this.progress = { phase: 'loading-answers', label: PHASE_LABELS['loading-answers'], done: 0, total: 1 };
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
        this.result = { ...message.result, request: this.#pending };
        this.queueDetails = new Map(message.result.queue.details.map((d) => [d.answerId, d]));
        this.#askedTexts = new Set();
        this.spans = null;
        this.progress = { phase: 'span-level', label: PHASE_LABELS['span-level'], done: 0, total: message.result.groups.length };
        break;
      case 'spans':
        this.#spans(message.result);
        break;
      case 'cancelled':
        this.running = false;
        this.progress = null;
        break;
      case 'error':
        this.error = message.message;
        this.running = false;
        this.progress = null;
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
    this.#worker.request((requestId) => ({ type: 'queue-texts', requestId, answerIds: missing }), {
      onReply: (reply) => {
        if (reply.type !== 'queue-texts' || this.result !== forResult) return;
        const next = new Map(this.queueDetails);
        for (const d of reply.details) next.set(d.answerId, d);
        this.queueDetails = next;
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

  /** The agreement table (per code and pooled, with counts and intervals) as CSV. */
  tableCsv(): ExportFile | null {
    const result = this.result;
    if (!result) return null;
    return { filename: 'agreement-table.csv', mime: 'text/csv;charset=utf-8', text: agreementTableToCsv(result.table, this.#labels()) };
  }

  /** The same as a Markdown table with its notes, for a methods section. */
  tableMarkdown(): ExportFile | null {
    const result = this.result;
    if (!result) return null;
    return { filename: 'agreement-table.md', mime: 'text/markdown;charset=utf-8', text: agreementTableToMarkdown(result.table, this.#labels()) };
  }

  /** Every answer × code where the chosen coders differ, as CSV; questions and waves by name. */
  disagreementsCsv(names: { question: (questionId: string) => string; wave: (waveId: string) => string }): ExportFile | null {
    const result = this.result;
    if (!result) return null;
    const rows = unpackDisagreements(result.disagreements, result.table.codeIds).map((row) => {
      const parts = answerParts(row.answerId);
      return {
        answerId: row.answerId,
        question: names.question(parts.questionId),
        wave: names.wave(parts.waveId),
        respondent: parts.respondentId,
        code: this.codeName(row.codeId),
        values: row.values,
      };
    });
    const coders = result.table.coderIds.map((id) => this.coderName(id));
    return { filename: 'disagreements.csv', mime: 'text/csv;charset=utf-8', text: disagreementsToCsv(coders, rows) };
  }
}
