/**
 * The assistant on the page: whether it is on for the open project, the suggestions it has for the open question's
 * answers, the "next to code" queue, accepting and rejecting, the cross-validated quality and pre-coding.
 *
 * It learns from the current coder's own codings only (in a blind round those are the only ones the coder may see,
 * and a suggestion learned from another coder's codings would show them). Learning and suggesting happen in the
 * assistant worker (src/workers/assistant-worker.ts): nothing leaves the machine. Suggestions are never codings
 * until the coder accepts them; pre-coding is kept under a coder of its own, "Assistant".
 */
import { ASSISTANT_CODER_ID, CONSENSUS_CODER_ID, answerId as answerIdOf, type Coding, type Round } from '../model/types';
import { finalCodings } from '../coding/final-set';
import type { AssistantQuality, AssistantSuggestions, FromAssistantWorker, LabelledAnswers, ToAssistantWorker } from '../../workers/assistant-protocol';
import { WorkerClient, type WorkerLike } from '../../workers/worker-client';
import type { CoderState } from './coder.svelte';
import type { CodingWorkspace } from './coding.svelte';
import type { ProjectState } from './project.svelte';

type AssistantWorkerLike = WorkerLike<ToAssistantWorker, FromAssistantWorker>;

function createWorker(): AssistantWorkerLike {
  return new Worker(new URL('../../workers/assistant-worker.ts', import.meta.url), { type: 'module' }) as AssistantWorkerLike;
}

/** Coded answers before the assistant learns anything: fewer says nothing a coder could use. */
export const MIN_CODED_ANSWERS = 10;
/** How long after the last coding it learns again: a burst of coding is one retrain, and typing never waits for one. */
export const RETRAIN_AFTER_MS = 1200;
/** The share of "next to code" drawn at random, so what is learned from it is not only the hard cases. */
export const RANDOM_SHARE = 0.25;
/** The bar a code's measured agreement must pass before it may be pre-coded (Krippendorff's α, by default). */
export const DEFAULT_PRECODE_ALPHA = 0.8;
/** Pre-coding applies only suggestions above the threshold where the estimated precision reaches this. */
export const DEFAULT_PRECODE_PRECISION = 0.9;

export interface Suggestion {
  codeId: string;
  probability: number;
}

export type AssistantStatus =
  | { kind: 'off' }
  | { kind: 'waiting'; coded: number }
  | { kind: 'working'; phase: string; done: number; total: number }
  | { kind: 'ready' }
  | { kind: 'failed'; message: string };

const storageKey = (projectId: string) => `codebench:assistant:${projectId}`;
const sourceKey = (projectId: string) => `codebench:assistant-source:${projectId}`;

/** What the assistant learns from: the current coder's codings, or the project's Final set (never while blind). */
export type AssistantSource = 'coder' | 'final';

/** What the Final set is derived from beyond the codings (the rounds and the primary coder: AppState's). */
export interface FinalSetInputs {
  rounds: readonly Pick<Round, 'answerIds' | 'coderIds'>[];
  primaryCoderId: string | null;
}

function readSource(projectId: string): AssistantSource {
  try {
    return globalThis.localStorage?.getItem(sourceKey(projectId)) === 'final' ? 'final' : 'coder';
  } catch {
    return 'coder';
  }
}

function readEnabled(projectId: string): boolean {
  try {
    return globalThis.localStorage?.getItem(storageKey(projectId)) === 'on';
  } catch {
    return false;
  }
}

export class AssistantState {
  /** On for the open project (remembered per project on this machine). Off until the coder turns it on. */
  enabled = $state(false);
  status = $state.raw<AssistantStatus>({ kind: 'off' });
  /** The latest suggestions, for `suggestionsQuestionId`'s answers. */
  suggestions = $state.raw<AssistantSuggestions | null>(null);
  quality = $state.raw<AssistantQuality | null>(null);
  qualityStatus = $state.raw<AssistantStatus>({ kind: 'off' });
  /** Learn from the coder's codings or the Final set (remembered per project); the coder's own while blind. */
  source = $state<AssistantSource>('coder');
  /** The Final set's other inputs (AppState points it at the rounds and the primary coder). */
  finalInputs: () => FinalSetInputs = () => ({ rounds: [], primaryCoderId: null });
  /** Called when suggestions first arrive for a question (the "next to code" order takes them then). */
  onFirstQueue: () => void = () => {};
  /** Rejected suggestions, `${answerId}\u001f${codeId}`: not shown again this session. */
  rejected = $state.raw<ReadonlySet<string>>(new Set());
  /** Bumped when suggestions arrive or are accepted or rejected, for views that read them. */
  version = $state(0);

  #project: ProjectState;
  #workspace: CodingWorkspace;
  #coder: CoderState;
  #worker: WorkerClient<ToAssistantWorker, FromAssistantWorker>;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #suggestId = 0;
  #qualityId = 0;
  /** What the last suggestions were learned from, so an unchanged state is not learned again. */
  #learnedKey = '';
  #projectId: string | null = null;
  /** Each queue position's rank (queue order), for the answer list's "Next to code" order. */
  #ranks: { of: AssistantSuggestions; ranks: Uint32Array; random: Uint8Array } | null = null;

  constructor(project: ProjectState, workspace: CodingWorkspace, coder: CoderState, create: () => AssistantWorkerLike = createWorker) {
    this.#project = project;
    this.#workspace = workspace;
    this.#coder = coder;
    this.#worker = new WorkerClient({
      name: 'assistant',
      create,
      isFinal: (reply) => reply.type !== 'progress',
    });
  }

  /** The project opened: its setting, and nothing kept of another project's. */
  open(projectId: string) {
    if (this.#projectId === projectId) return;
    this.#projectId = projectId;
    this.enabled = readEnabled(projectId);
    this.source = readSource(projectId);
    this.suggestions = null;
    this.quality = null;
    this.rejected = new Set();
    this.#learnedKey = '';
    this.#ranks = null;
    this.status = this.enabled ? { kind: 'waiting', coded: 0 } : { kind: 'off' };
    this.#worker.terminate();
  }

  setEnabled(on: boolean) {
    this.enabled = on;
    const projectId = this.#projectId;
    if (projectId) {
      try {
        globalThis.localStorage?.setItem(storageKey(projectId), on ? 'on' : 'off');
      } catch {
        // Only the setting's memory: it is on for this session all the same.
      }
    }
    if (!on) {
      this.#cancelTimer();
      this.#worker.terminate();
      this.suggestions = null;
      this.#ranks = null;
      this.status = { kind: 'off' };
      this.version++;
    } else this.refresh(0);
  }

  /** What it learns from; suggestions and quality are learned again. */
  setSource(source: AssistantSource) {
    this.source = source;
    const projectId = this.#projectId;
    if (projectId) {
      try {
        globalThis.localStorage?.setItem(sourceKey(projectId), source);
      } catch {
        // Only the setting's memory.
      }
    }
    this.quality = null;
    this.refresh(0);
  }

  /** The source in effect: the Final set holds other coders' work, so a blind coder learns from their own. */
  get effectiveSource(): AssistantSource {
    return this.#workspace.blind ? 'coder' : this.source;
  }

  /** What the assistant learns from now (see `effectiveSource`), as coded answers with code positions. */
  training(codeIds: readonly string[], coderId: string): LabelledAnswers {
    return this.effectiveSource === 'final' ? this.finalLabelled(codeIds) : this.labelled(codeIds, coderId);
  }

  /**
   * The project's Final set (lib/coding/final-set.ts) as coded answers. The Assistant coder's own codings are left
   * out of what it is derived from: the assistant must not learn from itself (what an adjudicator accepted from it
   * is in the consensus, and counts).
   */
  finalLabelled(codeIds: readonly string[]): LabelledAnswers {
    const { rounds, primaryCoderId } = this.finalInputs();
    const final = finalCodings({
      codings: [...this.#workspace.index.all()].filter((c) => c.coderId !== ASSISTANT_CODER_ID),
      resolutions: [...this.#workspace.resolutions.values()],
      rounds,
      coderIds: this.#workspace.coders.map((c) => c.id).filter((id) => id !== ASSISTANT_CODER_ID),
      primaryCoderId: primaryCoderId ?? undefined,
    });
    return codedAnswers(final.codings, codeIds);
  }

  /** Something the suggestions rest on changed (codings, question, coder): learn again shortly, or at once with 0. */
  refresh(delayMs = RETRAIN_AFTER_MS) {
    if (!this.enabled) return;
    this.#cancelTimer();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#suggest();
    }, delayMs);
  }

  #cancelTimer() {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** The current coder's coded answers of the project (any question), with the codes in `codeIds`' positions. */
  labelled(codeIds: readonly string[], coderId: string): LabelledAnswers {
    const own: Coding[] = [];
    for (const coding of this.#workspace.index.all()) if (coding.coderId === coderId) own.push(coding);
    return codedAnswers(own, codeIds);
  }

  #codeIds(): string[] {
    return this.#workspace.codes.map((c) => c.id).sort();
  }

  #suggest() {
    const projectId = this.#project.projectId;
    const questionId = this.#project.questionId;
    const coderId = this.#coder.current?.id;
    const answers = this.#project.answers;
    // Learned from a part of the codings, it would suggest codes the coder has already given: the workspace
    // asks again (AnswerBrowser's effect) once they are all read.
    if (!this.enabled || !projectId || !questionId || !coderId || !answers || !this.#workspace.loaded) return;
    const codeIds = this.#codeIds();
    const labelled = this.training(codeIds, coderId);
    if (labelled.answerIds.length < MIN_CODED_ANSWERS) {
      this.status = { kind: 'waiting', coded: labelled.answerIds.length };
      this.suggestions = null;
      this.#ranks = null;
      this.version++;
      return;
    }
    const key = JSON.stringify([projectId, questionId, coderId, this.effectiveSource, codeIds, labelled, answers.texts.length]);
    if (key === this.#learnedKey && this.suggestions) return;
    const waveOrder = (this.#project.overview?.waves ?? []).map((w) => w.id);
    this.#worker.drop(this.#suggestId);
    this.status = { kind: 'working', phase: 'reading', done: 0, total: 1 };
    this.#suggestId = this.#worker.request(
      (requestId) => ({ type: 'suggest', requestId, projectId, questionId, waveOrder, codeIds, labelled, seed: 1, randomShare: RANDOM_SHARE }),
      {
        consequence: 'No suggestions are shown; your codings are as they were.',
        replaces: 'suggest',
        onReply: (reply) => {
          if (reply.type === 'progress') this.status = { kind: 'working', phase: reply.phase, done: reply.done, total: reply.total };
          else if (reply.type === 'suggestions') {
            this.#learnedKey = key;
            const first = this.suggestions?.questionId !== reply.questionId || this.suggestions.answerCount !== reply.answerCount;
            this.suggestions = reply;
            this.#ranks = null;
            this.status = { kind: 'ready' };
            this.version++;
            if (first) this.onFirstQueue();
          } else if (reply.type === 'error') this.status = { kind: 'failed', message: reply.message };
        },
        onFailure: (message) => (this.status = { kind: 'failed', message }),
      },
    );
  }

  /** Suggestions for the open question's answer at `position`: none once the coder has coded it, none rejected. */
  suggestionsAt(position: number): Suggestion[] {
    void this.version;
    const s = this.suggestions;
    const answers = this.#project.answers;
    const questionId = this.#project.questionId;
    const coderId = this.#coder.current?.id;
    if (!s || !answers || !questionId || !coderId || s.questionId !== questionId || s.answerCount !== answers.texts.length) return [];
    if (position < 0 || position >= s.answerCount) return [];
    const id = answerIdOf(questionId, answers.waveIds[position], answers.respondentIds[position]);
    if (this.#workspace.codingsOf(id).some((c) => c.coderId === coderId)) return [];
    const k = s.codeIds.length;
    const out: Suggestion[] = [];
    for (let c = 0; c < k; c++) {
      if (!s.decisions[position * k + c] || this.rejected.has(`${id}\u001f${s.codeIds[c]}`)) continue;
      if (!this.#workspace.codeById.has(s.codeIds[c])) continue;
      out.push({ codeId: s.codeIds[c], probability: s.probabilities[position * k + c] });
    }
    return out.sort((a, b) => b.probability - a.probability);
  }

  /** Accepts suggestions of one answer (all of them, or the codes named): they become the coder's codings, marked suggested. */
  async accept(answerId: string, position: number, codeIds?: readonly string[]): Promise<boolean> {
    const wanted = codeIds ?? this.suggestionsAt(position).map((s) => s.codeId);
    if (wanted.length === 0) return false;
    const done = await this.#workspace.acceptSuggestions(answerId, wanted);
    this.version++;
    return done;
  }

  /** Rejects suggestions of one answer (all of them, or the codes named): they are not shown again this session. */
  reject(answerId: string, position: number, codeIds?: readonly string[]) {
    const unwanted = codeIds ?? this.suggestionsAt(position).map((s) => s.codeId);
    if (unwanted.length === 0) return;
    const next = new Set(this.rejected);
    for (const codeId of unwanted) next.add(`${answerId}\u001f${codeId}`);
    this.rejected = next;
    this.version++;
  }

  /** Each position's place in "next to code" (positions not queued: after every queued one), and whether it was drawn at random. */
  queueRanks(): { ranks: Uint32Array; random: Uint8Array } | null {
    const s = this.suggestions;
    const answers = this.#project.answers;
    if (!s || !answers || s.questionId !== this.#project.questionId || s.answerCount !== answers.texts.length) return null;
    if (this.#ranks?.of === s) return this.#ranks;
    const ranks = new Uint32Array(s.answerCount).fill(s.queue.length);
    const random = new Uint8Array(s.answerCount);
    for (let i = 0; i < s.queue.length; i++) {
      ranks[s.queue[i]] = i;
      random[s.queue[i]] = s.queueRandom[i];
    }
    this.#ranks = { of: s, ranks, random };
    return this.#ranks;
  }

  /** Measures the assistant against the coder, cross-validated on the coder's own codings (and a peer's, if any). */
  measure() {
    const projectId = this.#project.projectId;
    const coderId = this.#coder.current?.id;
    if (!projectId || !coderId) return;
    const codeIds = this.#codeIds();
    const labelled = this.training(codeIds, coderId);
    if (labelled.answerIds.length < MIN_CODED_ANSWERS) {
      this.qualityStatus = { kind: 'waiting', coded: labelled.answerIds.length };
      return;
    }
    // Another person's codings are compared only when the coder may see them (never in blind mode), and beside the
    // coder's own (the Final set is already several people's).
    const peer = this.#workspace.blind || this.effectiveSource === 'final' ? null : this.#peer(codeIds, coderId, labelled);
    this.#worker.drop(this.#qualityId);
    this.qualityStatus = { kind: 'working', phase: 'validating', done: 0, total: 1 };
    this.#qualityId = this.#worker.request((requestId) => ({ type: 'quality', requestId, projectId, codeIds, labelled, peer, seed: 1 }), {
      consequence: 'The assistant’s quality was not measured; try again.',
      replaces: 'quality',
      onReply: (reply) => {
        if (reply.type === 'progress') this.qualityStatus = { kind: 'working', phase: reply.phase, done: reply.done, total: reply.total };
        else if (reply.type === 'quality') {
          this.quality = reply;
          this.qualityStatus = { kind: 'ready' };
        } else if (reply.type === 'error') this.qualityStatus = { kind: 'failed', message: reply.message };
      },
      onFailure: (message) => (this.qualityStatus = { kind: 'failed', message }),
    });
  }

  /** The person (not the Assistant, not the consensus) who coded most of the same answers as the coder. */
  #peer(codeIds: readonly string[], coderId: string, mine: LabelledAnswers): (LabelledAnswers & { coderName: string }) | null {
    const shared = new Map<string, number>();
    const coded = new Set(mine.answerIds);
    const seen = new Set<string>();
    for (const coding of this.#workspace.index.all()) {
      const who = coding.coderId;
      if (who === coderId || who === ASSISTANT_CODER_ID || who === CONSENSUS_CODER_ID || !coded.has(coding.answerId)) continue;
      const pair = `${who}\u001f${coding.answerId}`;
      if (seen.has(pair)) continue;
      seen.add(pair);
      shared.set(who, (shared.get(who) ?? 0) + 1);
    }
    let best: string | null = null;
    for (const [who, n] of shared) if (n >= MIN_CODED_ANSWERS && (best === null || n > shared.get(best)!)) best = who;
    if (best === null) return null;
    const theirs = this.labelled(codeIds, best);
    const keep = theirs.answerIds.map((id, i) => [id, theirs.codes[i]] as const).filter(([id]) => coded.has(id));
    return {
      coderName: this.#workspace.coders.find((c) => c.id === best)?.name ?? 'another coder',
      answerIds: keep.map(([id]) => id),
      codes: keep.map(([, codes]) => codes),
    };
  }

  /**
   * What pre-coding would apply: for each code whose α passes `alphaBar`, the open question's answers the coder
   * has not coded where the probability is at or above the threshold whose estimated precision reaches `precision`.
   */
  precodePlan(alphaBar: number, precision: number): { codeId: string; threshold: number; answerIds: string[] }[] {
    void this.version;
    const s = this.suggestions;
    const q = this.quality;
    const answers = this.#project.answers;
    const questionId = this.#project.questionId;
    const coderId = this.#coder.current?.id;
    if (!s || !q || !answers || !questionId || !coderId || s.questionId !== questionId || s.answerCount !== answers.texts.length) return [];
    const k = s.codeIds.length;
    const plan: { codeId: string; threshold: number; answerIds: string[] }[] = [];
    for (const code of q.codes) {
      if (code.alpha === null || code.alpha < alphaBar) continue;
      const c = s.codeIds.indexOf(code.codeId);
      if (c < 0 || !s.trained[c]) continue;
      const threshold = thresholdFor(code.curve, precision);
      if (threshold === null) continue;
      const answerIds: string[] = [];
      for (let p = 0; p < s.answerCount; p++) {
        if (s.probabilities[p * k + c] < threshold) continue;
        const id = answerIdOf(questionId, answers.waveIds[p], answers.respondentIds[p]);
        if (this.#workspace.codingsOf(id).some((x) => x.coderId === coderId)) continue;
        answerIds.push(id);
      }
      if (answerIds.length > 0) plan.push({ codeId: code.codeId, threshold, answerIds });
    }
    return plan;
  }

  /** Applies a pre-coding plan as one undoable change under the Assistant coder. */
  async precode(plan: readonly { codeId: string; answerIds: string[] }[]): Promise<boolean> {
    if (plan.length === 0) return false;
    const done = await this.#workspace.precode(new Map(plan.map((p) => [p.codeId, p.answerIds])));
    this.version++;
    return done;
  }

  /** The project's answers changed (an import into it): what was learned over the old answers goes. */
  forget(projectId: string) {
    if (this.#projectId !== projectId) return;
    this.#worker.notify({ type: 'forget', projectId });
    this.suggestions = null;
    this.quality = null;
    this.#learnedKey = '';
    this.#ranks = null;
    this.version++;
  }

  /** Stops the worker (the project closed). */
  close() {
    this.#cancelTimer();
    this.#worker.terminate();
    this.#projectId = null;
  }
}

/**
 * The answers these codings code, in id order, each with the positions in `codeIds` of its codes (an answer coded
 * only with codes not listed has none: coded, a negative for every listed code).
 */
function codedAnswers(codings: Iterable<Pick<Coding, 'answerId' | 'codeId'>>, codeIds: readonly string[]): LabelledAnswers {
  const at = new Map(codeIds.map((id, i) => [id, i]));
  const byAnswer = new Map<string, Set<number>>();
  for (const coding of codings) {
    let codes = byAnswer.get(coding.answerId);
    if (!codes) byAnswer.set(coding.answerId, (codes = new Set()));
    const p = at.get(coding.codeId);
    if (p !== undefined) codes.add(p);
  }
  const answerIds = [...byAnswer.keys()].sort();
  return { answerIds, codes: answerIds.map((id) => [...byAnswer.get(id)!].sort((a, b) => a - b)) };
}

/**
 * The lowest threshold on the curve (high thresholds first) whose precision is at least `precision`: the most the
 * assistant may code while what it codes stays that precise, as estimated out of fold. Null if no point reaches it.
 */
export function thresholdFor(curve: readonly { threshold: number; precision: number; coverage?: number }[], precision: number): number | null {
  for (let i = curve.length - 1; i >= 0; i--) if (curve[i].precision >= precision && (curve[i].coverage ?? 1) > 0) return curve[i].threshold;
  return null;
}
