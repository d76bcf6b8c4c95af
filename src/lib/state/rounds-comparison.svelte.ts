/**
 * The agreement view's "Rounds compared": the project's double-coding rounds,
 * each round's agreement computed in the agreement worker on exactly its
 * answers (one round after another, with progress and cancel), α per code per
 * round side by side with the codebook changes between rounds, and the
 * double-coding planner for the latest round.
 *
 * Every round is computed now, on the codings as they are: a merge or split
 * moves codings to the new code, so an earlier round's figures are for today's
 * codes (the notes say where a code's history differs). The rows are the codes
 * of the latest round's codebook version that still exist.
 */
import type { AgreementTable } from '../agreement/answer-agreement';
import { countsFromAgreementRows, DEFAULT_HALF_WIDTH, planDoubleCoding, planStatusText, planSummary, type Plan } from '../agreement/planner';
import { compareRounds, roundComparisonToCsv, roundComparisonToMarkdown, roundTitle, type RoundComparison } from '../codebook/round-comparison';
import { VersionTree } from '../codebook/version-diff';
import { database } from '../db/database';
import { loadCodebookVersions, loadRounds } from '../db/rounds';
import type { CodebenchDatabase } from '../db/schema';
import type { Code, CodebookVersion, Round } from '../model/types';
import type { AgreementComputeRequest, FromAgreementWorker, ToAgreementWorker } from '../../workers/agreement-protocol';
import { WorkerClient } from '../../workers/worker-client';
import { defaultAgreementWorker, type AgreementOptions, type AgreementWorkerLike, type ExportFile } from './agreement.svelte';

/** What the comparison reads from the agreement view: the settings to reuse and the coders compared by default. */
export interface RoundsAgreementSource {
  readonly options: Pick<AgreementOptions, 'includeSubcodes' | 'uncodedAs' | 'spanThreshold'>;
  readonly chosenCoderIds: readonly string[];
  subtreeIds(codeId: string): string[];
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
  /** Per round, in order; null where a round could not be computed. Null before the first run. */
  tables = $state.raw<(AgreementTable | null)[] | null>(null);
  /** Per round: why it could not be computed. */
  roundErrors = $state.raw<(string | null)[]>([]);
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

  /** The rounds with their codebook versions (a round whose version is missing is left out). */
  #comparedRounds = $derived.by(() => {
    const versions = new Map(this.versions.map((v) => [v.id, v]));
    return this.rounds.filter((r) => versions.has(r.codebookVersionId)).map((round) => ({ round, version: versions.get(round.codebookVersionId)! }));
  });

  comparison = $derived.by((): RoundComparison | null => {
    const tables = this.tables;
    if (!tables || tables.length !== this.#comparedRounds.length) return null;
    return compareRounds(
      this.#comparedRounds.map(({ round, version }, i) => ({ roundId: round.id, number: round.number, name: round.name, version, table: tables[i] })),
      this.versions,
    );
  });

  /** The planner for the latest round (two coders), or null before it is computed. */
  plan = $derived.by((): Plan | null => {
    const latest = this.tables?.at(-1);
    if (!latest || latest.coderIds.length !== 2 || !(this.halfWidth > 0 && this.halfWidth < 1)) return null;
    return planDoubleCoding(countsFromAgreementRows(latest.rows), { halfWidth: this.halfWidth });
  });

  latestRound = $derived(this.#comparedRounds.at(-1)?.round ?? null);

  async load(projectId: string) {
    if (this.#projectId !== projectId) {
      this.cancel();
      this.tables = null;
      this.roundErrors = [];
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

  /** Computes every round, one after another. */
  run(projectId: string) {
    const compared = this.#comparedRounds.map((c) => c.round);
    if (compared.length === 0) return;
    const run = ++this.#run;
    const tables: (AgreementTable | null)[] = compared.map(() => null);
    const errors: (string | null)[] = compared.map(() => null);
    this.error = null;
    this.running = true;
    const step = (index: number) => {
      if (run !== this.#run) return;
      if (index >= compared.length) {
        this.tables = tables;
        this.roundErrors = errors;
        this.running = false;
        this.progress = null;
        return;
      }
      const round = compared[index];
      this.progress = { done: index, total: compared.length, label: `Computing ${roundTitle(round)}` };
      const next = () => queueMicrotask(() => step(index + 1));
      this.#requestId = this.#worker.request((requestId) => this.request(projectId, round, requestId), {
        onReply: (reply) => {
          if (run !== this.#run) return;
          if (reply.type === 'result') {
            tables[index] = reply.result.table;
            // The passages are not needed here: stop the worker there.
            this.#worker.notify({ type: 'cancel', requestId: reply.requestId });
            this.#worker.drop(reply.requestId);
            next();
          } else if (reply.type === 'error') {
            errors[index] = reply.message;
            next();
          } else if (reply.type === 'cancelled' || reply.type === 'spans') next();
        },
        onFailure: (message) => {
          if (run !== this.#run) return;
          errors[index] = message;
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
