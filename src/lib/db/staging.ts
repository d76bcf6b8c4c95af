/**
 * Staged imports: a new project stored in the background while the user reads
 * the preview, invisible until Import publishes it (commit-import.ts:
 * stageImport, publishStaged, deleteStaged).
 *
 * Whoever stages holds a Web Lock named after the project for as long as the
 * staging lives. A staged project whose lock nobody holds was left by a tab or
 * worker that died (a crash, a reload mid-review): sweepStaging deletes it.
 * The lock, not a heartbeat, tells the two apart: the browser releases it the
 * moment its holder goes, and another open tab's staging is never touched.
 */
import type { ImportBatch } from '../import/types';
import { newId } from '../model/types';
import { deleteStaged, publishStaged, stageImport, type CommitOptions, type ImportSource, type ImportSummary } from './commit-import';
import type { CodebenchDatabase } from './schema';

export const STAGING_LOCK_PREFIX = 'codebench-staging:';
/**
 * Without Web Locks (never in a current browser; jsdom and Node) a staging in
 * another tab cannot be seen, so only staging older than this is taken for abandoned.
 */
export const STAGING_STALE_MS = 24 * 60 * 60 * 1000;

export const stagingLockName = (projectId: string) => STAGING_LOCK_PREFIX + projectId;

/** The part of the Web Locks API staging needs, so tests can stand in for it. */
export interface StagingLocks {
  /** True when a lock is seen by every tab and worker (Web Locks); false for the in-memory stand-in, which sees one realm. */
  shared: boolean;
  /** Takes the lock (waiting for it if held); it is held until the returned function is called. */
  acquire(name: string): Promise<() => void>;
  /** Runs `task` holding the lock: at once when free, else after the holder lets go (`wait`) or not at all; says whether it ran. */
  whenFree(name: string, wait: boolean, task: () => Promise<unknown>): Promise<boolean>;
}

export function webLocks(locks: LockManager): StagingLocks {
  return {
    shared: true,
    acquire: (name) =>
      new Promise((acquired, failed) => {
        locks.request(name, () => new Promise<void>((release) => acquired(release))).catch(failed);
      }),
    whenFree: async (name, wait, task) =>
      (await locks.request(name, wait ? {} : { ifAvailable: true }, async (lock) => {
        if (!lock) return false;
        await task();
        return true;
      })) as boolean,
  };
}

/** Locks in this realm only: for tests, and a browser without Web Locks (see STAGING_STALE_MS). */
export function memoryLocks(options: { shared?: boolean } = {}): StagingLocks {
  const held = new Map<string, Promise<void>>();
  const acquire = async (name: string) => {
    for (let holder = held.get(name); holder; holder = held.get(name)) await holder;
    let release!: () => void;
    held.set(
      name,
      new Promise<void>((resolve) => {
        release = () => {
          if (held.get(name) === released) held.delete(name);
          resolve();
        };
      }),
    );
    const released = held.get(name)!;
    return release;
  };
  return {
    shared: options.shared ?? false,
    acquire,
    async whenFree(name, wait, task) {
      if (!wait && held.has(name)) return false;
      const release = await acquire(name);
      try {
        await task();
        return true;
      } finally {
        release();
      }
    },
  };
}

let fallback: StagingLocks | undefined;

/** Web Locks where the browser has them (pages and workers alike), else one in-memory set per realm. */
export function defaultLocks(): StagingLocks {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? webLocks(locks) : (fallback ??= memoryLocks());
}

/** A staged project, held by its lock until it is published or discarded. */
export interface Staged {
  projectId: string;
  /** What the import reports once published (counts, and the new project's opening for the page). */
  summary: ImportSummary;
  /** Makes the project visible under `name` (one small transaction) and lets go of the lock. */
  publish(name: string): Promise<ImportSummary>;
  /** Deletes everything staged and lets go of the lock. */
  discard(): Promise<void>;
}

/**
 * Stages a batch as a new project under a lock of its own. A cancel or a
 * failure (a full disk) deletes what was staged and lets go before it throws.
 */
export async function stage(
  db: CodebenchDatabase,
  batch: ImportBatch,
  source: ImportSource,
  options: CommitOptions & { locks?: StagingLocks; projectId?: string } = {},
): Promise<Staged> {
  const projectId = options.projectId ?? newId();
  const release = await (options.locks ?? defaultLocks()).acquire(stagingLockName(projectId));
  let summary: ImportSummary;
  try {
    summary = await stageImport(db, batch, source, projectId, options);
  } catch (error) {
    release();
    throw error;
  }
  let settled = false;
  return {
    projectId,
    summary,
    async publish(name) {
      if (settled) throw new Error('This staged import was already published or discarded.');
      await publishStaged(db, projectId, name);
      settled = true;
      release();
      return summary;
    },
    async discard() {
      if (settled) return;
      settled = true;
      try {
        await deleteStaged(db, projectId);
      } finally {
        release();
      }
    },
  };
}

export interface SweepOptions {
  locks?: StagingLocks;
  now?: number;
  /**
   * Wait for a lock another tab holds and clean up once it is let go, if the
   * project is still staged then (true: what the app does at start); false
   * leaves those alone. Either way the returned promise does not wait for them.
   */
  wait?: boolean;
}

/**
 * Deletes staging left by a tab or worker that is gone. Resolves with the ids
 * deleted at once; staging whose lock is held is left to its holder.
 */
export async function sweepStaging(db: CodebenchDatabase, options: SweepOptions = {}): Promise<string[]> {
  const locks = options.locks ?? defaultLocks();
  const now = options.now ?? Date.now();
  const staged = (await db.projects.toArray()).filter((project) => project.staging);
  const removed: string[] = [];
  for (const project of staged) {
    if (!locks.shared && now - (project.staging?.startedAt ?? 0) < STAGING_STALE_MS) continue;
    const name = stagingLockName(project.id);
    const remove = async () => {
      if (await deleteStaged(db, project.id)) removed.push(project.id);
    };
    if (await locks.whenFree(name, false, remove)) continue;
    // Held: by a live tab still staging, or by a worker the browser has not yet let go of (a reload just now).
    if (options.wait) locks.whenFree(name, true, () => deleteStaged(db, project.id)).catch((error: unknown) => console.error(error));
  }
  return removed;
}
