/**
 * The agreement view's "Rounds compared": the project's double-coding rounds,
 * α per code per round side by side with the codebook changes between rounds,
 * and the double-coding planner for the latest round.
 *
 * A round shows the agreement stored when it was computed (Round.agreement),
 * so a merge or split since (which moves codings to other codes) does not
 * rewrite what it measured. Rounds without one are computed in the agreement
 * worker on exactly their answers, one after another (with progress and
 * cancel), on the codings as they are now, and those computations are stored
 * with their rounds through the agreement view's hook. "Recompute all" computes
 * every round on today's codings and shows that instead (the notes tell where a
 * code's history differs).
 */
import type { AgreementTable } from '../agreement/answer-agreement';
import { countsFromAgreementRows, DEFAULT_HALF_WIDTH, planDoubleCoding, planStatusText, planSummary, type Plan } from '../agreement/planner';
import {
  compareRounds,
  roundComparisonToCsv,
  roundComparisonToMarkdown,
  roundTitle,
  type ComparedRound,
  type RoundComparison,
} from '../codebook/round-comparison';
import { VersionTree } from '../codebook/version-diff';
import { database } from '../db/database';
import { loadCodebookVersions, loadRounds } from '../db/rounds';
import type { CodebenchDatabase } from '../db/schema';
import type { Code, CodebookVersion, Round, RoundAgreement } from '../model/types';
import type { RoundComputation } from '../rounds/round-agreement';
import type { AgreementComputeRequest, FromAgreementWorker, ToAgreementWorker } from '../../workers/agreement-protocol';
import { WorkerClient } from '../../workers/worker-client';
import { defaultAgreementWorker, type AgreementOptions, type AgreementWorkerLike, type ExportFile } from './agreement.svelte';

/** What the comparison reads from the agreement view: the settings to reuse and the coders compared by default. */
export interface RoundsAgreementSource {
  readonly options: Pick<AgreementOptions, 'includeSubcodes' | 'uncodedAs' | 'spanThreshold'>;
  readonly chosenCoderIds: readonly string[];
  subtreeIds(codeId: string): string[];
  /** Stores a computation with its round (AgreementState's hook); resolves true when stored. */
  onRoundComputed?(roundId: string, coderIds: string[], computed: RoundComputation, options?: { quiet?: boolean }): unknown;
}

export interface RoundsCodeSource {
  readonly codes: readonly Code[];
}

export interface RoundsProgress {
  done: number;
  total: number;
  label: string;
}

export class RoundsComparisonState {
  rounds = $state.raw<Round[]>([]);
  versions = $state.raw<CodebookVersion[]>([]);
  loaded = $state(false);
  running = $state(false);
  progress = $state<RoundsProgress | null>(null);
  /** Rounds computed in this session, by round id; null where a round could not be computed. */
  tables = $state.raw<Record<string, AgreementTable | null>>({});
  /** Why a round could not be computed, by round id. */
  roundErrors = $state.raw<Record<string, string>>({});
  /** 'stored': each round as stored when computed (computing only rounds without one); 'today': every round recomputed now. */
  basis = $state<'stored' | 'today'>('stored');
  error = $state<string | null>(null);
  /** The planner's target half-width of α's 95% interval. */
  halfWidth = $state(DEFAULT_HALF_WIDTH);

  #db: () => CodebenchDatabase;
  #codes: RoundsCodeSource;
  #agreement: RoundsAgreementSource;
  #worker: WorkerClient<ToAgreementWorker, FromAgreementWorker>;
  #projectId: string | null = null;
  #requestId = 0;
  /** Bumped by every run and cancel, so a stopped run's replies change nothing. */
  #run = 0;

  constructor(
    codes: RoundsCodeSource,
    agreement: RoundsAgreementSource,
    options: { db?: () => CodebenchDatabase; createWorker?: () => AgreementWorkerLike } = {},
  ) {
    this.#codes = codes;
    this.#agreement = agreement;
    this.#db = options.db ?? database;
    this.#worker = new WorkerClient({
      name: 'agreement',
      create: options.createWorker ?? defaultAgreementWorker,
      isFinal: (reply) => reply.type !== 'progress' && reply.type !== 'result',
    });
  }

  /** The rounds with their codebook versions (a round whose version is missing is left out), and any stored agreement. */
  #comparedRounds = $derived.by(() => {
    const versions = new Map(this.versions.map((v) => [v.id, v]));
    return this.rounds
      .filter((r) => versions.has(r.codebookVersionId))
      .map((round) => {
        const storedVersion = round.agreement ? versions.get(round.agreement.codebookVersionId) : undefined;
        const stored = round.agreement && storedVersion ? { record: round.agreement, version: storedVersion } : undefined;
        return { round, version: versions.get(round.codebookVersionId)!, stored };
      });
  });

  /** Each round as the comparison shows it: stored or computed now; undefined where it still has to be computed. */
  #shown = $derived.by((): (ComparedRound | undefined)[] => {
    const tables = this.tables;
    return this.#comparedRounds.map(({ round, version, stored }) => {
      const base = { roundId: round.id, number: round.number, name: round.name, version };
      if (this.basis === 'stored' && stored) return { ...base, table: null, stored };
      return round.id in tables ? { ...base, table: tables[round.id] } : undefined;
    });
  });

  /** The rounds still to compute for the comparison as chosen (none when every round is stored or computed). */
  missing = $derived.by(() => this.#comparedRounds.filter((_, i) => this.#shown[i] === undefined).map((c) => c.round));

  comparison = $derived.by((): RoundComparison | null => {
    const shown = this.#shown;
    if (shown.length === 0 || shown.some((r) => r === undefined)) return null;
    return compareRounds(shown as ComparedRound[], this.versions);
  });

  /** The planner for the latest round (two coders), or null before it is shown. */
  plan = $derived.by((): Plan | null => {
    const latest = this.comparison?.rounds.at(-1);
    if (!latest || !(this.halfWidth > 0 && this.halfWidth < 1)) return null;
    const counts = latest.stored ? storedCounts(latest.stored.record) : latest.table?.coderIds.length === 2 ? countsFromAgreementRows(latest.table.rows) : null;
    return counts ? planDoubleCoding(counts, { halfWidth: this.halfWidth }) : null;
  });

  latestRound = $derived(this.#comparedRounds.at(-1)?.round ?? null);

  async load(projectId: string) {
    if (this.#projectId !== projectId) {
      this.cancel();
      this.tables = {};
      this.roundErrors = {};
      this.basis = 'stored';
      this.error = null;
    }
    this.#projectId = projectId;
    try {
      const db = this.#db();
      const [rounds, versions] = await Promise.all([loadRounds(db, projectId), loadCodebookVersions(db, projectId)]);
      if (this.#projectId !== projectId) return;
      this.rounds = rounds;
      this.versions = versions;
    } catch (error) {
      this.error = `The rounds could not be read (${error instanceof Error ? error.message : String(error)}).`;
    }
    this.loaded = true;
  }

  /** Back to each round as stored when computed (the tables computed now stay for "Recompute all"). */
  showStored() {
    this.cancel();
    this.basis = 'stored';
  }

  /** The compute request for one round: exactly its answers, the latest version's codes that still exist. */
  request(projectId: string, round: Round, requestId: number): AgreementComputeRequest {
    const latest = this.#comparedRounds.at(-1)?.version;
    const current = new Set(this.#codes.codes.map((c) => c.id));
    const parents = new Set(this.#codes.codes.map((c) => c.parentId).filter((id): id is string => id !== null));
    // In tree order, so the table and the planner list codes as the codebook does.
    const codeIds = new VersionTree(latest?.codes ?? [])
      .ordered()
      .filter((c) => current.has(c.id))
      .map((c) => c.id);
    const options = this.#agreement.options;
    const coderIds = round.coderIds.length >= 2 ? round.coderIds.slice(0, 2) : this.#agreement.chosenCoderIds.slice(0, 2);
    return {
      type: 'compute',
      requestId,
      projectId,
      coderIds: [...coderIds],
      codeIds,
      codeGroups: options.includeSubcodes
        ? codeIds.filter((id) => parents.has(id)).map((id) => ({ codeId: id, memberIds: this.#agreement.subtreeIds(id) }))
        : [],
      scope: { questionId: null, waveId: null, attributes: {}, sample: null, answerIds: [...round.answerIds] },
      uncodedAs: options.uncodedAs,
      spanThreshold: options.spanThreshold,
      // The comparison shows α, κ and n; the planner simulates its own intervals.
      bootstrapSamples: 0,
    };
  }

  /**
   * Computes, one after another, the rounds without a stored agreement (`all`: every round, shown as recomputed
   * on today's codings). Each computation is handed to the agreement view's hook, which stores it with its round
   * where that is right (RoundsState.recordAgreement); the rounds are read again once any was stored.
   */
  run(projectId: string, options: { all?: boolean } = {}) {
    if (options.all) this.basis = 'today';
    const compared = options.all
      ? this.#comparedRounds.map((c) => c.round)
      : this.#comparedRounds.filter((c) => !c.stored || this.basis === 'today').map((c) => c.round);
    if (compared.length === 0) return;
    const run = ++this.#run;
    const tables: Record<string, AgreementTable | null> = { ...this.tables };
    const errors: Record<string, string> = { ...this.roundErrors };
    const storing: Promise<unknown>[] = [];
    this.error = null;
    this.running = true;
    const step = (index: number) => {
      if (run !== this.#run) return;
      if (index >= compared.length) {
        this.tables = tables;
        this.roundErrors = errors;
        this.running = false;
        this.progress = null;
        void Promise.allSettled(storing).then((outcomes) => {
          if (this.#projectId === projectId && outcomes.some((o) => o.status === 'fulfilled' && o.value === true)) void this.load(projectId);
        });
        return;
      }
      const round = compared[index];
      this.progress = { done: index, total: compared.length, label: `Computing ${roundTitle(round)}` };
      const next = () => queueMicrotask(() => step(index + 1));
      let request: AgreementComputeRequest | null = null;
      this.#requestId = this.#worker.request((requestId) => (request = this.request(projectId, round, requestId)), {
        onReply: (reply) => {
          if (run !== this.#run) return;
          if (reply.type === 'result') {
            tables[round.id] = reply.result.table;
            delete errors[round.id];
            const sent = request as AgreementComputeRequest | null;
            if (sent && this.#agreement.onRoundComputed) {
              const computed: RoundComputation = {
                table: reply.result.table,
                includeSubcodes: sent.codeGroups.some((group) => group.memberIds.length > 1),
                uncodedAs: sent.uncodedAs,
              };
              storing.push(Promise.resolve(this.#agreement.onRoundComputed(round.id, sent.coderIds.slice(0, 2), computed, { quiet: true })));
            }
            // The passages are not needed here: stop the worker there.
            this.#worker.notify({ type: 'cancel', requestId: reply.requestId });
            this.#worker.drop(reply.requestId);
            next();
          } else if (reply.type === 'error') {
            tables[round.id] = null;
            errors[round.id] = reply.message;
            next();
          } else if (reply.type === 'cancelled' || reply.type === 'spans') next();
        },
        onFailure: (message) => {
          if (run !== this.#run) return;
          tables[round.id] = null;
          errors[round.id] = message;
          next();
        },
        consequence: 'Compare the rounds again.',
        replaces: 'rounds',
      });
    };
    step(0);
  }

  cancel() {
    this.#run++;
    if (!this.running) return;
    this.#worker.notify({ type: 'cancel', requestId: this.#requestId });
    this.#worker.drop(this.#requestId);
    this.running = false;
    this.progress = null;
  }

  dispose() {
    this.cancel();
    this.#worker.terminate();
  }

  comparisonMarkdown(): ExportFile | null {
    const comparison = this.comparison;
    if (!comparison) return null;
    let text = roundComparisonToMarkdown(comparison);
    const plan = this.plan;
    if (plan) text += `\n${planMarkdown(plan, this.halfWidth, (id) => this.#codeName(id))}`;
    return { filename: 'agreement-by-round.md', mime: 'text/markdown;charset=utf-8', text };
  }

  comparisonCsv(): ExportFile | null {
    const comparison = this.comparison;
    if (!comparison) return null;
    return { filename: 'agreement-by-round.csv', mime: 'text/csv;charset=utf-8', text: roundComparisonToCsv(comparison) };
  }

  #codeName(id: string): string {
    return this.comparison?.rows.find((r) => r.codeId === id)?.code ?? this.#codes.codes.find((c) => c.id === id)?.name ?? id;
  }

  codeName(id: string): string {
    return this.#codeName(id);
  }
}

/** The planner's 2×2 tables from a stored record; null when it compared more than two coders. */
function storedCounts(record: RoundAgreement) {
  if (record.coderIds.length !== 2) return null;
  return countsFromAgreementRows(record.rows.map((row) => ({ codeId: row.codeId, pairs: row.pair ? [row.pair] : [] })));
}

function planMarkdown(plan: Plan, halfWidth: number, codeName: (id: string) => string): string {
  const escape = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|])/g, '\\$1');
  const number = (value: number | null, decimals = 2) => (value === null ? '—' : Number.isFinite(value) ? value.toFixed(decimals) : '∞');
  const lines = [
    `## Double coding still needed for α ± ${halfWidth.toFixed(2)}`,
    '',
    '| Code | α now | Prevalence | Half-width now | Needed | More | Status |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...plan.codes.map(
      (c) =>
        `| ${escape(codeName(c.codeId))} | ${number(c.alphaNow)} | ${number(c.prevalence)} | ${number(c.halfWidthNow)} | ${c.needed ?? '—'} | ${c.more ?? '—'} | ${planStatusText(c.status)} |`,
    ),
    '',
    `${planSummary(plan, halfWidth, 'the latest round')} ${plan.method}`,
  ];
  return `${lines.join('\n')}\n`;
}
