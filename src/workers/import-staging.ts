/**
 * The import worker's background staging: while the user reads the preview,
 * the plan's batch is stored as an unseen new project (lib/db/staging.ts), so
 * Import only has to publish it. One plan is staged at a time; a new plan
 * stops the old staging, deletes it, and stages again. Every change is told to
 * the page as a StagingNotice, stamped with the generation the page asked for
 * (it ignores older ones).
 */
import type { ImportBatch, ProgressReporter } from '../lib/import/types';
import { ImportCancelledError, type ImportSource, type ImportSummary } from '../lib/db/commit-import';
import { answerLengths } from '../lib/import/build-batch';
import { checkStorageRoom, estimateStoredBytes } from '../lib/db/storage-room';
import { stage, type Staged, type StagingLocks } from '../lib/db/staging';
import type { CodebenchDatabase } from '../lib/db/schema';
import type { StagingNotice } from './import-protocol';

interface Run {
  key: string;
  generation: number;
  stopped: boolean;
  state: 'storing' | 'stored' | 'failed' | 'stopped';
  done: number;
  total: number;
  error?: unknown;
  staged?: Staged;
  /** Resolves (never rejects) once the run writes no more: stored, failed, or stopped and cleaned up. */
  settled: Promise<void>;
  watchers: Set<ProgressReporter>;
  /** Ends the wait for the plan to settle: the run was stopped, so a newer plan need not wait for it. */
  wake?: () => void;
}

export interface StagingDeps {
  db: () => CodebenchDatabase;
  notify: (notice: StagingNotice) => void;
  locks?: StagingLocks;
  estimate?: () => Promise<{ usage?: number; quota?: number } | undefined>;
}

export class ImportStaging {
  #deps: StagingDeps;
  #current: Run | undefined;
  /** The last stopped run's cleanup: a new staging starts after it, so two never write at once. */
  #cleanup: Promise<void> = Promise.resolve();

  constructor(deps: StagingDeps) {
    this.#deps = deps;
  }

  /** The plan being staged, or stored, now (for tests and the bench). */
  get state(): 'storing' | 'stored' | 'off' {
    const run = this.#current;
    return run?.state === 'storing' || run?.state === 'stored' ? run.state : 'off';
  }

  /**
   * Stages the batch `build` makes for the plan `key`, unless that plan is the
   * one staged already; `build` runs after any older staging is cleaned up.
   */
  want(key: string, generation: number, build: () => { batch: ImportBatch; source: ImportSource }, settle?: () => Promise<void>) {
    const current = this.#current;
    if (current && current.key === key && !current.stopped) {
      current.generation = generation;
      this.#announce(current);
      return;
    }
    this.#stop();
    const run: Run = { key, generation, stopped: false, state: 'storing', done: 0, total: 1, settled: Promise.resolve(), watchers: new Set() };
    this.#current = run;
    this.#announce(run);
    run.settled = this.#run(run, this.#cleanup, build, settle);
  }

  /** Stops staging and deletes what was staged; resolves once it is deleted. */
  drop(generation?: number): Promise<void> {
    this.#stop();
    if (generation !== undefined) this.#deps.notify({ type: 'staging', generation, state: 'off', done: 0, total: 0 });
    return this.#cleanup;
  }

  /**
   * Import for the plan `key`: waits for its staging (reporting its progress)
   * and publishes it under `name`. Undefined when this plan is not staged, for
   * the caller to store it the one-transaction way. A staging that failed
   * throws its error (what it stored is already deleted); a stop while waiting
   * (Cancel) throws ImportCancelledError once the staged rows are deleted.
   */
  async publish(key: string, name: string, onProgress: ProgressReporter): Promise<ImportSummary | undefined> {
    const run = this.#current;
    if (!run || run.key !== key || run.stopped) return undefined;
    run.watchers.add(onProgress);
    onProgress(run.done, run.total, 'Storing');
    await run.settled;
    run.watchers.delete(onProgress);
    if (run.stopped) {
      await this.#cleanup;
      throw new ImportCancelledError();
    }
    if (run.state === 'failed' || !run.staged) {
      // Told once: the next Import stages or stores afresh.
      this.#current = undefined;
      throw run.error ?? new Error('The import could not be prepared.');
    }
    const summary = await run.staged.publish(name);
    run.staged = undefined;
    if (this.#current === run) this.#current = undefined;
    return summary;
  }

  #stop() {
    const run = this.#current;
    this.#current = undefined;
    if (!run) return;
    run.stopped = true;
    run.wake?.();
    this.#cleanup = run.settled
      .then(async () => {
        const staged = run.staged;
        run.staged = undefined;
        await staged?.discard();
      })
      .catch((error: unknown) => console.error(error));
  }

  async #run(run: Run, previous: Promise<void>, build: () => { batch: ImportBatch; source: ImportSource }, settle?: () => Promise<void>): Promise<void> {
    try {
      await previous;
      // A plan edited by typing (a question's name, the wave name) changes at every key: only the plan the user
      // stops at is built and stored, not one per keystroke.
      if (settle && !run.stopped) await Promise.race([settle(), new Promise<void>((resolve) => (run.wake = resolve))]);
      if (run.stopped) throw new ImportCancelledError();
      const { batch, source } = build();
      checkStorageRoom(estimateStoredBytes(answerLengths(batch)), await this.#estimate());
      if (run.stopped) throw new ImportCancelledError();
      run.staged = await stage(this.#deps.db(), batch, source, {
        locks: this.#deps.locks,
        isCancelled: () => run.stopped,
        onProgress: (done, total) => {
          run.done = done;
          run.total = total;
          for (const watcher of run.watchers) watcher(done, total, 'Storing');
          if (this.#current === run) this.#announce(run);
        },
      });
      run.state = run.stopped ? 'stopped' : 'stored';
    } catch (error) {
      if (run.stopped || error instanceof ImportCancelledError) run.state = 'stopped';
      else {
        run.state = 'failed';
        run.error = error;
      }
    }
    if (this.#current === run) this.#announce(run);
  }

  async #estimate() {
    try {
      return await (this.#deps.estimate ?? (() => globalThis.navigator?.storage?.estimate?.()))();
    } catch {
      return undefined;
    }
  }

  #announce(run: Run) {
    const state = run.state === 'storing' || run.state === 'stored' ? run.state : 'off';
    this.#deps.notify({ type: 'staging', generation: run.generation, state, done: run.done, total: run.total });
  }
}
