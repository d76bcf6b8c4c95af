/**
 * Peak JS heap across the page and every dedicated worker it starts, sampled
 * while the bench drives the app (issue 15: "peak JS heap across page and
 * workers ≤ 1 GB").
 *
 * One CDP session on the page. Runtime.getHeapUsage on it gives the main
 * thread's heap; the workers are reached with Target.setAutoAttach in the
 * non-flattened mode (flatten: false), so each worker's commands travel as
 * Target.sendMessageToTarget and come back as Target.receivedMessageFromTarget
 * on the same session: Playwright's own flattened sessions to those workers
 * are left alone. Auto-attach survives reloads and attaches workers started
 * later; a worker that has been terminated stops answering before its
 * detachedFromTarget arrives, hence the per-request timeout.
 *
 * Samples taken while the page shows one of the bench's own blank pages (its
 * raw-IndexedDB baselines) are kept apart: they measure the bench, not the app.
 *
 * usedSize is what is live plus garbage not yet collected, sampled every
 * ~250 ms and once at each phase end: a peak, not what the app retains.
 */
import type { CDPSession, Page } from 'playwright-core';

/** "Peak JS heap across page and workers ≤ 1 GB", in the units the table prints (MB = 10⁶ bytes). */
export const HEAP_BUDGET_BYTES = 1e9;
const SAMPLE_INTERVAL_MS = 250;
/** A worker that does not answer within this is counted as gone (it is being terminated). */
const WORKER_REPLY_TIMEOUT_MS = 1000;

export interface HeapSample {
  /** ms since the sampler started. */
  t: number;
  /** Taken on one of the bench's own blank pages (its raw-IndexedDB baselines), not the app. */
  bench: boolean;
  pageBytes: number;
  workerBytes: number;
  workers: number;
  /** Each worker's part, by its script's name (e.g. "analysis-worker"); two of one name are added up. */
  byWorker: Record<string, number>;
}

export interface HeapPhase {
  name: string;
  ms: number;
  samples: number;
  /** The largest page + workers sum seen in the phase, with its parts. */
  peakBytes: number;
  peakPageBytes: number;
  peakWorkerBytes: number;
  /** The peak sample's workers, each by its script's name. */
  peakByWorker?: Record<string, number>;
  /** The most workers alive at one sample. */
  maxWorkers: number;
  /** The sample at the phase's end. */
  endBytes: number;
  /** The largest sample on the bench's own blank pages (/__codebench-bench__/…), kept out of peakBytes; 0 when none. */
  benchPeakBytes: number;
  /** When the peak was sampled, in ms since the phase began: which step of a long phase it fell in (the log's `+N s`). */
  peakAtMs?: number;
}

export interface HeapReport {
  intervalMs: number;
  phases: HeapPhase[];
  peakBytes: number;
  /** The phase holding the peak. */
  peakPhase: string | null;
  samples: number;
  /** Samples where a worker did not answer (counted as 0 for it). */
  missedWorkerReplies: number;
}

interface Pending {
  resolve: (usedSize: number | null) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * A full garbage collection on the page, before the bench leaves one of its own blank pages: what a raw baseline
 * read there (1.3 GB for the round's at 100k) is otherwise still in the renderer's heap when the app is opened again
 * in the same process, and the heap sampler would count it as the app's.
 */
export async function collectGarbage(page: Page) {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('HeapProfiler.collectGarbage');
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/** A worker's script name without the build's hash: ".../assets/analysis-worker-Bx12.js" → "analysis-worker". */
export function workerName(url: string): string {
  const file = url.split(/[?#]/)[0].split('/').pop() ?? url;
  const named = /^(.*?-worker)(?:-[\w-]+)?\.[cm]?[jt]s$/.exec(file);
  return named ? named[1] : file.replace(/\.[cm]?[jt]s$/, '') || url;
}

/** The sampler watching each page, for benchWork. */
const samplers = new WeakMap<Page, HeapSampler>();

/**
 * Runs the bench's own work on the app's page (its raw-IndexedDB seeding of codings and rounds): samples taken
 * meanwhile are the bench's, and what it allocated is collected before the app is sampled again. The round's
 * seeding reads every answer key of the project in the page (the whole run's peak at 100k was that, 1.28 GB).
 */
export async function benchWork<T>(page: Page, work: () => Promise<T>): Promise<T> {
  const sampler = samplers.get(page);
  sampler?.benchWorkStarted();
  try {
    return await work();
  } finally {
    await collectGarbage(page).catch(() => undefined);
    sampler?.benchWorkEnded();
  }
}

export class HeapSampler {
  readonly #session: CDPSession;
  readonly #page: Page;
  /** Attached workers: CDP session id → the worker script's name. */
  readonly #workers = new Map<string, string>();
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #timer: ReturnType<typeof setInterval> | null = null;
  #inFlight: Promise<void> | null = null;
  #started = performance.now();
  #phaseName = 'start';
  #phaseStarted = performance.now();
  #phaseSamples: HeapSample[] = [];
  readonly #phases: HeapPhase[] = [];
  #samples = 0;
  #missed = 0;
  #stopped = false;
  #benchWork = 0;

  private constructor(session: CDPSession, page: Page) {
    this.#session = session;
    this.#page = page;
  }

  /** Attaches to the page and its workers and starts sampling; `phase` names what comes first. */
  static async start(page: Page, phase: string): Promise<HeapSampler> {
    const session = await page.context().newCDPSession(page);
    const sampler = new HeapSampler(session, page);
    samplers.set(page, sampler);
    session.on('Target.attachedToTarget', (e) => {
      if (e.targetInfo.type === 'worker') sampler.#workers.set(e.sessionId, workerName(e.targetInfo.url));
    });
    session.on('Target.detachedFromTarget', (e) => {
      if (e.sessionId) sampler.#workers.delete(e.sessionId);
    });
    session.on('Target.receivedMessageFromTarget', (e) => sampler.#reply(e.message));
    await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    sampler.#phaseName = phase;
    sampler.#timer = setInterval(() => void sampler.#tick(), SAMPLE_INTERVAL_MS);
    await sampler.#tick();
    return sampler;
  }

  benchWorkStarted() {
    this.#benchWork++;
  }

  /** After the garbage of the bench's work was collected (benchWork). */
  benchWorkEnded() {
    this.#benchWork--;
  }

  /** Ends the current phase with one sample of its own and starts `next`. */
  async phase(next: string): Promise<HeapPhase> {
    const ended = await this.#endPhase();
    this.#phaseName = next;
    return ended;
  }

  /** Ends the last phase and detaches. Safe to call twice; after a failure it reports what was sampled. */
  async stop(): Promise<HeapReport> {
    if (!this.#stopped) {
      this.#stopped = true;
      if (this.#timer) clearInterval(this.#timer);
      await this.#endPhase().catch(() => undefined);
      for (const [, p] of this.#pending) {
        clearTimeout(p.timer);
        p.resolve(null);
      }
      this.#pending.clear();
      await this.#session.detach().catch(() => undefined);
    }
    return this.report();
  }

  report(): HeapReport {
    let peak: HeapPhase | null = null;
    for (const p of this.#phases) if (!peak || p.peakBytes > peak.peakBytes) peak = p;
    return {
      intervalMs: SAMPLE_INTERVAL_MS,
      phases: [...this.#phases],
      peakBytes: peak?.peakBytes ?? 0,
      peakPhase: peak?.name ?? null,
      samples: this.#samples,
      missedWorkerReplies: this.#missed,
    };
  }

  async #endPhase(): Promise<HeapPhase> {
    // Wait for a tick already under way, then take the phase-end sample.
    await this.#inFlight;
    const last = await this.#sample();
    const samples = this.#phaseSamples.filter((s) => !s.bench);
    let benchPeakBytes = 0;
    for (const s of this.#phaseSamples) if (s.bench) benchPeakBytes = Math.max(benchPeakBytes, s.pageBytes + s.workerBytes);
    let peak = samples[0];
    let maxWorkers = 0;
    for (const s of samples) {
      if (s.pageBytes + s.workerBytes > peak.pageBytes + peak.workerBytes) peak = s;
      maxWorkers = Math.max(maxWorkers, s.workers);
    }
    const now = performance.now();
    const phase: HeapPhase = {
      name: this.#phaseName,
      ms: now - this.#phaseStarted,
      samples: samples.length,
      peakBytes: peak ? peak.pageBytes + peak.workerBytes : 0,
      peakPageBytes: peak?.pageBytes ?? 0,
      peakByWorker: peak?.byWorker ?? {},
      peakWorkerBytes: peak?.workerBytes ?? 0,
      maxWorkers,
      endBytes: last ? last.pageBytes + last.workerBytes : 0,
      benchPeakBytes,
      ...(peak ? { peakAtMs: peak.t - (this.#phaseStarted - this.#started) } : {}),
    };
    this.#phases.push(phase);
    this.#phaseSamples = [];
    this.#phaseStarted = now;
    return phase;
  }

  async #tick(): Promise<void> {
    // Ticks do not overlap: a slow answer (a page busy in a long task) skips the next tick instead of queueing.
    if (this.#inFlight || this.#stopped) return;
    this.#inFlight = this.#sample().then(() => undefined);
    try {
      await this.#inFlight;
    } finally {
      this.#inFlight = null;
    }
  }

  async #sample(): Promise<HeapSample | null> {
    try {
      const onBenchPage = () => this.#page.url().includes('/__codebench-bench__/');
      const before = this.#benchWork > 0 || onBenchPage();
      // Taken before the reads: a worker attached or gone meanwhile would shift the names against the replies.
      const asked = [...this.#workers];
      const names = asked.map(([, name]) => name || 'worker');
      const [main, ...workers] = await Promise.all([this.#session.send('Runtime.getHeapUsage'), ...asked.map(([sessionId]) => this.#askWorker(sessionId))]);
      // A navigation between the two reads leaves the heap reading's page unknown: it is counted as the bench's.
      const bench = before || this.#benchWork > 0 || onBenchPage();
      let workerBytes = 0;
      let answered = 0;
      const byWorker: Record<string, number> = {};
      (workers as (number | null)[]).forEach((w, i) => {
        if (w === null) this.#missed++;
        else {
          workerBytes += w;
          answered++;
          byWorker[names[i]] = (byWorker[names[i]] ?? 0) + w;
        }
      });
      const sample: HeapSample = { t: performance.now() - this.#started, bench, pageBytes: main.usedSize, workerBytes, workers: answered, byWorker };
      this.#phaseSamples.push(sample);
      this.#samples++;
      return sample;
    } catch {
      // The page is navigating or closing: no sample this time.
      return null;
    }
  }

  #askWorker(sessionId: string): Promise<number | null> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve(null);
      }, WORKER_REPLY_TIMEOUT_MS);
      this.#pending.set(id, { resolve, timer });
      this.#session.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) }).catch(() => {
        clearTimeout(timer);
        this.#pending.delete(id);
        resolve(null);
      });
    });
  }

  #reply(message: string) {
    let parsed: { id?: number; result?: { usedSize?: number } };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.id === undefined) return;
    const pending = this.#pending.get(parsed.id);
    if (!pending) return;
    this.#pending.delete(parsed.id);
    clearTimeout(pending.timer);
    pending.resolve(typeof parsed.result?.usedSize === 'number' ? parsed.result.usedSize : null);
  }
}
