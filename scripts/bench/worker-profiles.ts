/**
 * CPU profiles of a page's dedicated workers, from their first line (the bench's --worker-profiles).
 *
 * Playwright cannot open a CDP session on a worker, so, as heap.ts does, one session on the page auto-attaches to
 * its workers in the non-flattened mode and talks to each through Target.sendMessageToTarget. Workers are attached
 * paused (waitForDebuggerOnStart), so the profiler is started before their script runs: a profile then covers the
 * worker's start (its script's compile and evaluation) as well as its work. Each worker whose script name matches
 * is profiled until `stop`, which writes one .cpuprofile per worker (open in DevTools' Performance panel or
 * speedscope).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { workerName } from './heap';

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

export class WorkerProfiler {
  readonly #session: CDPSession;
  readonly #name: string;
  /** Profiled workers: CDP session id → the script's name, and when it was attached (ms, performance.now()). */
  readonly #workers = new Map<string, { name: string; attachedAt: number }>();
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  private constructor(session: CDPSession, name: string) {
    this.#session = session;
    this.#name = name;
  }

  /** Starts profiling every worker named `name` (e.g. "analysis-worker") that the page starts from now on. */
  static async start(page: Page, name: string): Promise<WorkerProfiler> {
    const session = await page.context().newCDPSession(page);
    const profiler = new WorkerProfiler(session, name);
    session.on('Target.attachedToTarget', (e) => void profiler.#attached(e.sessionId, e.targetInfo.type, e.targetInfo.url, e.waitingForDebugger));
    session.on('Target.detachedFromTarget', (e) => {
      if (e.sessionId) profiler.#workers.delete(e.sessionId);
    });
    session.on('Target.receivedMessageFromTarget', (e) => profiler.#reply(e.message));
    await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
    return profiler;
  }

  async #attached(sessionId: string, type: string, url: string, waiting: boolean) {
    const wanted = type === 'worker' && workerName(url) === this.#name;
    try {
      if (wanted) {
        this.#workers.set(sessionId, { name: workerName(url), attachedAt: performance.now() });
        await this.#ask(sessionId, 'Profiler.enable');
        // 100 µs: fine enough to see a 10 ms step, coarse enough not to slow the worker much.
        await this.#ask(sessionId, 'Profiler.setSamplingInterval', { interval: 100 });
        await this.#ask(sessionId, 'Profiler.start');
      }
    } catch {
      // The worker went away while attaching: nothing to profile.
    } finally {
      if (waiting) await this.#ask(sessionId, 'Runtime.runIfWaitingForDebugger').catch(() => undefined);
    }
  }

  /**
   * Stops every profile under way and writes each as `<dir>/<prefix>-<n>.cpuprofile`; returns the files written.
   * Stays attached: workers started after this are profiled for the next `stop`.
   */
  async stop(dir: string, prefix: string): Promise<string[]> {
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    let n = 0;
    for (const sessionId of [...this.#workers.keys()]) {
      try {
        const { profile } = (await this.#ask(sessionId, 'Profiler.stop')) as { profile: unknown };
        const file = join(dir, `${prefix}-${++n}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        files.push(file);
        // Profile again from here, so a later stop covers what comes next.
        await this.#ask(sessionId, 'Profiler.start');
      } catch {
        // A worker terminated meanwhile has no profile to give.
      }
    }
    return files;
  }

  async detach() {
    for (const [, p] of this.#pending) p.reject(new Error('detached'));
    this.#pending.clear();
    await this.#session.detach().catch(() => undefined);
  }

  #ask(sessionId: string, method: string, params: object = {}): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch((error: Error) => {
        this.#pending.delete(id);
        reject(error);
      });
    });
  }

  #reply(message: string) {
    let parsed: { id?: number; result?: unknown; error?: { message?: string } };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.id === undefined) return;
    const pending = this.#pending.get(parsed.id);
    if (!pending) return;
    this.#pending.delete(parsed.id);
    if (parsed.error) pending.reject(new Error(parsed.error.message ?? 'CDP error'));
    else pending.resolve(parsed.result);
  }
}
