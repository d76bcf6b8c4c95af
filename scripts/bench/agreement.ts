/**
 * Inter-coder agreement at scale, through the UI: in the app page on the big
 * project (after the coding bench has seeded its 200,000 codings by four
 * coders over the starter codebook's 19 codes), bring the codebook to 30 codes
 * with codings of two coders that mostly agree, reload, open the agreement
 * view, choose those two coders, every code on its own and the question with
 * the most answers (~92k at 100k respondents), and press Compute, a few times.
 *
 * Measured in the page, per run: click (its event timeStamp) → the table of
 * that request painted, and → the passage table painted; the worker's own
 * times as the view reports them (reading IndexedDB, the answer-level
 * computation, the passages); and the main thread meanwhile: long animation
 * frames (> 50 ms) and the longest gap between animation frames, which must
 * stay short: the computation runs in the agreement worker.
 *
 * Seed data (raw IndexedDB, one transaction, documented in docs/BENCH.md by
 * whoever wires this in): `extraCodes` top-level codes "Agreement bench 1…"
 * (ids `bench-agreement-<n>`) until the project has `codes` codes; on the chosen
 * question, for each added code, coder A applies it to each answer with
 * probability `prevalence` (half whole answers, half a passage of up to 60
 * characters), coder B applies it to the same answer with probability 0.8
 * (a passage shifted by up to 5 characters, or the whole answer), and to any
 * other answer with probability 0.01. A and B are the first two coders other
 * than the consensus, in the app's order (the coding bench's "bench" and
 * "bench-b"); they are created if the project has fewer than two.
 */
import type { Page } from 'playwright-core';
import { CODING_BUCKETS, codingBucket } from '../../src/lib/coding/coding-pages';
import { ANSWER_ID_SEPARATOR } from '../../src/lib/model/types';
import { BENCH_ROUND_SIZE } from './data';
import { benchWork, collectGarbage } from './heap';
import { median, ms, stepsText } from './report';

export interface AgreementBenchOptions {
  /** Open this URL first (the coding bench leaves the page on a blank baseline page). */
  projectUrl?: string | null;
  /** Codes compared: codes are added until the project has this many. 30 by default. */
  codes?: number;
  /** Computations timed; the first one also starts the worker. 3 by default. */
  runs?: number;
  /** What opens the agreement view in the project view. */
  openSelector?: string;
  /** Share of answers coder A codes with each added code. 0.03 by default. */
  prevalence?: number;
  /** Per-step time limit. 5 minutes by default. */
  timeoutMs?: number;
}

export interface AgreementRun {
  /** Click on Compute → the frame with that request's table painted. */
  clickToTableMs: number | null;
  /** Click → the frame with the passage table painted. */
  clickToSpansMs: number | null;
  /** The worker's times, as the view shows them (data-* on [data-testid="agreement-timing"]). */
  loadMs: number | null;
  computeMs: number | null;
  workerMs: number | null;
  spanMs: number | null;
  /** Main thread from the click to the passages painted. */
  longFrames: number;
  worstFrameMs: number;
  maxFrameGapMs: number;
  tableRows: number;
  /** The worker's compute split into its steps (scope, prepare, table, queue, rows), when its result message was seen. */
  steps: Record<string, number> | null;
  problem: string | null;
}

export interface AgreementMedians {
  clickToTableMs: number | null;
  clickToSpansMs: number | null;
  loadMs: number | null;
  computeMs: number | null;
  spanMs: number | null;
  worstFrameMs: number | null;
  /** Per step of the worker's compute. */
  steps: Record<string, number> | null;
}

export interface AgreementBenchResult {
  answers: number;
  coders: [string, string];
  codes: number;
  addedCodes: number;
  addedCodings: number;
  /** Codings of the two coders on the chosen question (any code). */
  pairCodingsOnQuestion: number;
  questionId: string;
  seedWriteMs: number;
  reopenMs: number;
  runs: AgreementRun[];
  /** Medians over the runs after the first (the first starts the worker), or over all when there is one. */
  median: AgreementMedians;
  /** The spec: 100k answers × 2 coders × 30 codes in under 500 ms, off the main thread. */
  target: { computeMs: 500; met: boolean | null; mainThreadLongFrames: number };
}

export class AgreementBenchError extends Error {
  constructor(
    message: string,
    readonly step: string,
  ) {
    super(message);
  }
}

const READY = '[data-testid="project-view"][data-ready="true"]';
const DEFAULT_OPEN = '[data-testid="layout-agreement"]';

/** Adds codes and the two coders' codings with raw IndexedDB (see the notes at the top). */
const SEED = String.raw`
async ({ codes: wanted, prevalence, seed, buckets, separator }) => {
  const request = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error); tx.onabort = () => reject(tx.error || new Error('aborted')); });
  const db = await request(indexedDB.open('codebench'));
  try {
    const read = db.transaction(['projects', 'questions', 'codes', 'coders', 'answerChunks', 'codingPages'], 'readonly');
    const projects = await request(read.objectStore('projects').getAll());
    if (projects.length !== 1) throw new Error('expected one project, found ' + projects.length);
    const projectId = projects[0].id;
    const questions = (await request(read.objectStore('questions').getAll())).filter((q) => q.projectId === projectId);
    const total = (q) => Object.values(q.answerCounts || {}).reduce((a, b) => a + b, 0);
    const question = questions.sort((a, b) => total(b) - total(a) || a.order - b.order)[0];
    if (!question) throw new Error('the project has no question');
    const codes = (await request(read.objectStore('codes').getAll())).filter((c) => c.projectId === projectId);
    const coders = (await request(read.objectStore('coders').getAll())).filter((c) => c.projectId === projectId && c.id !== 'consensus');
    const chunks = await request(read.objectStore('answerChunks').index('[projectId+questionId]').getAll([projectId, question.id]));
    const pages = (await request(read.objectStore('codingPages').index('[projectId+questionId]').getAll([projectId, question.id])));
    await done(read);

    // The app lists coders by key ([projectId, id]): the first two by id are its default pair.
    coders.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const newCoders = [];
    for (const [id, name, color] of [['agreement-a', 'Agreement A', '#2454a6'], ['agreement-b', 'Agreement B', '#a63d24']]) {
      if (coders.length + newCoders.length >= 2) break;
      newCoders.push({ projectId, id, name, color });
    }
    const pair = [...coders, ...newCoders].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, 2).map((c) => c.id);

    const ids = [], lengths = [];
    for (const chunk of chunks) {
      for (let i = 0; i < chunk.respondentIds.length; i++) {
        const text = chunk.texts[i];
        let n = 0;
        for (let k = 0; k < text.length; k++) { const u = text.charCodeAt(k); if (u < 0xdc00 || u > 0xdfff) n++; }
        ids.push(question.id + separator + chunk.waveId + separator + chunk.respondentIds[i]);
        lengths.push(n);
      }
    }

    let state = seed >>> 0;
    const random = () => { state = (state + 0x6d2b79f5) >>> 0; let t = state; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
    const bucketOf = (answerId) => {
      let hash = 0x811c9dc5;
      for (let i = 0; i < answerId.length; i++) { hash ^= answerId.charCodeAt(i); hash = Math.imul(hash, 0x01000193); }
      return (hash >>> 0) % buckets;
    };
    const PALETTE = ['#1f78b4', '#33a02c', '#e31a1c', '#ff7f00', '#6a3d9a', '#b15928', '#a6cee3', '#b2df8a', '#fb9a99', '#fdbf6f', '#cab2d6'];
    const topLevel = codes.filter((c) => c.parentId === null).length;
    const added = [];
    for (let n = 1; codes.length + added.length < wanted; n++) {
      const id = 'bench-agreement-' + n;
      if (codes.some((c) => c.id === id)) continue;
      const color = PALETTE[(n - 1) % PALETTE.length];
      added.push({ projectId, id, parentId: null, name: 'Agreement bench ' + n, color, definition: 'Added by the agreement bench.', inclusion: '', exclusion: '', example: '', order: topLevel + n });
    }

    const byPage = new Map();
    for (const page of pages) byPage.set(page.bucket, page);
    const now = Date.now();
    let addedCodings = 0;
    const put = (answerId, codeId, coderId, start, end) => {
      const bucket = bucketOf(answerId);
      let page = byPage.get(bucket);
      if (!page) byPage.set(bucket, (page = { projectId, questionId: question.id, bucket, codings: [] }));
      page.codings.push({ projectId, id: crypto.randomUUID(), answerId, codeId, coderId, start, end, createdAt: now });
      addedCodings++;
    };
    for (const code of added) {
      for (let a = 0; a < ids.length; a++) {
        const length = lengths[a];
        if (random() < prevalence && length > 0) {
          const whole = random() < 0.5;
          const start = whole ? null : Math.floor(random() * Math.max(1, length - 1));
          const end = whole ? null : Math.min(length, start + 1 + Math.floor(random() * 60));
          put(ids[a], code.id, pair[0], start, end);
          if (random() < 0.8) {
            if (whole) put(ids[a], code.id, pair[1], null, null);
            else {
              const s = Math.max(0, Math.min(length - 1, start + Math.floor(random() * 11) - 5));
              put(ids[a], code.id, pair[1], s, Math.min(length, Math.max(s + 1, end + Math.floor(random() * 11) - 5)));
            }
          }
        } else if (random() < 0.01 && length > 0) {
          put(ids[a], code.id, pair[1], null, null);
        }
      }
    }
    let pairCodings = 0;
    for (const page of byPage.values()) for (const c of page.codings) if (c.coderId === pair[0] || c.coderId === pair[1]) pairCodings++;

    const w0 = performance.now();
    const write = db.transaction(['codes', 'coders', 'codingPages', 'projects'], 'readwrite');
    // As the app's writers do (src/lib/db/revision.ts): what was derived from the project before is no longer valid.
    write.objectStore('projects').put({ ...projects[0], updatedAt: Date.now(), revision: crypto.randomUUID() });
    for (const code of added) write.objectStore('codes').put(code);
    for (const coder of newCoders) write.objectStore('coders').put(coder);
    if (addedCodings > 0) for (const page of byPage.values()) write.objectStore('codingPages').put(page);
    await done(write);
    const sample = [];
    for (let i = 0; i < ids.length; i += Math.max(1, Math.floor(ids.length / 200))) sample.push([ids[i], bucketOf(ids[i])]);
    return {
      projectId, questionId: question.id, answers: ids.length, pair, codes: codes.length + added.length, addedCodes: added.length,
      addedCodings, pairCodings, writeMs: performance.now() - w0, sample,
    };
  } finally {
    db.close();
  }
}
`;

/** In-page helpers: clicks, long frames, and one armed measurement at a time. */
const INSTRUMENT = String.raw`
(() => {
  if (window.__cbAgreement) return;
  const A = (window.__cbAgreement = { clicks: [], long: [], pending: null });
  // The worker's own split of its compute time, from its result message (the view shows only the total).
  A.steps = {};
  const NativeWorker = window.Worker;
  if (NativeWorker) {
    window.Worker = class extends NativeWorker {
      constructor(url, options) {
        super(url, options);
        if (/agreement/i.test(String(url))) {
          this.addEventListener('message', (event) => {
            const d = event.data || {};
            if (d.type === 'result' && d.result && d.result.timing) A.steps[d.requestId] = d.result.timing.steps || null;
          });
        }
      }
    };
  }
  addEventListener('click', (e) => A.clicks.push(e.timeStamp > 0 && e.timeStamp <= performance.now() ? e.timeStamp : performance.now()), true);
  const record = (entries) => { for (const e of entries) A.long.push({ start: e.startTime, end: e.startTime + e.duration, duration: e.duration }); };
  let observer = null;
  try {
    const type = (PerformanceObserver.supportedEntryTypes || []).includes('long-animation-frame') ? 'long-animation-frame' : 'longtask';
    observer = new PerformanceObserver((list) => record(list.getEntries()));
    observer.observe({ type, buffered: false });
  } catch {}
  /** Entries reach observers some time after their frame: take those still queued. */
  A.flush = () => { if (observer) record(observer.takeRecords()); };
  A.afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(0);
  }));
  const timing = () => document.querySelector('[data-testid="agreement-timing"]');
  const num = (el, name) => { const v = el && el.getAttribute(name); return v === null || v === '' || v === undefined ? null : Number(v); };

  /** Arms a measurement of the next click on Compute: until that request's table, then its passages, are painted. */
  A.arm = (timeoutMs) => {
    const before = timing() ? timing().getAttribute('data-request-id') : null;
    const c0 = A.clicks.length;
    let tracking = true, last = null, maxGap = 0;
    const frame = (now) => { if (last !== null) maxGap = Math.max(maxGap, now - last); last = now; if (tracking) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    const r = {};
    A.pending = new Promise((resolve) => {
      let finished = false;
      const finish = (problem) => {
        if (finished) return;
        finished = true;
        observer.disconnect();
        clearTimeout(timer);
        tracking = false;
        r.problem = problem;
        resolve();
      };
      const check = () => {
        if (finished) return;
        const error = document.querySelector('[data-testid="agreement-error"]');
        if (error) return finish('the view showed an error: ' + error.textContent.trim());
        const el = timing();
        const id = el ? el.getAttribute('data-request-id') : null;
        if (r.tableAt === undefined && el && id !== before) {
          r.tableAt = performance.now();
          A.afterPaint().then((t) => { r.tablePaintAt = t; check(); });
        }
        if (r.tablePaintAt !== undefined && r.spansAt === undefined && el && el.getAttribute('data-span-ms')) {
          r.spansAt = performance.now();
          A.afterPaint().then((t) => { r.spansPaintAt = t; finish(null); });
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      const timer = setTimeout(() => finish(r.tableAt === undefined ? 'no table within ' + timeoutMs + ' ms' : 'no passages within ' + timeoutMs + ' ms'), timeoutMs);
    }).then(async () => {
      await A.afterPaint();
      await new Promise((resolve) => setTimeout(resolve, 250));
      A.flush();
      const click = A.clicks[c0];
      const el = timing();
      const end = r.spansPaintAt || performance.now();
      const long = click === undefined ? [] : A.long.filter((e) => e.end > click && e.start < end && e.duration > 50);
      return {
        clickToTableMs: click !== undefined && r.tablePaintAt ? r.tablePaintAt - click : null,
        clickToSpansMs: click !== undefined && r.spansPaintAt ? r.spansPaintAt - click : null,
        loadMs: num(el, 'data-load-ms'),
        computeMs: num(el, 'data-compute-ms'),
        workerMs: num(el, 'data-worker-ms'),
        spanMs: num(el, 'data-span-ms'),
        longFrames: long.length,
        worstFrameMs: long.reduce((m, e) => Math.max(m, e.duration), 0),
        maxFrameGapMs: maxGap,
        tableRows: document.querySelectorAll('[data-testid="agreement-row"]').length,
        steps: (el && A.steps[el.getAttribute('data-request-id')]) || null,
        problem: click === undefined ? 'no click seen' : r.problem,
      };
    });
    return true;
  };
  A.collect = () => A.pending;
})();
`;

/** The runs the medians are taken over: those after the first (which also starts the worker), without a problem. */
function warmRuns(measured: readonly AgreementRun[]): AgreementRun[] {
  const warm = measured.length > 1 ? measured.slice(1) : measured;
  return warm.filter((r) => !r.problem);
}

function mediansOf(measured: readonly AgreementRun[]): AgreementMedians {
  const ok = warmRuns(measured);
  return {
    clickToTableMs: median(ok.map((r) => r.clickToTableMs)),
    clickToSpansMs: median(ok.map((r) => r.clickToSpansMs)),
    loadMs: median(ok.map((r) => r.loadMs)),
    computeMs: median(ok.map((r) => r.computeMs)),
    spanMs: median(ok.map((r) => r.spanMs)),
    worstFrameMs: median(ok.map((r) => r.worstFrameMs)),
    steps: stepMedians(ok),
  };
}

function stepMedians(runs: readonly AgreementRun[]): Record<string, number> | null {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.steps ?? {})))];
  if (names.length === 0) return null;
  const steps: Record<string, number> = {};
  for (const name of names) steps[name] = median(runs.map((r) => r.steps?.[name] ?? null)) ?? 0;
  return steps;
}

function longFramesOf(measured: readonly AgreementRun[]): number {
  return warmRuns(measured).reduce((n, r) => n + r.longFrames, 0);
}

/**
 * In the open agreement view: the two coders, every code on its own without
 * subcodes, uncoded as absent, no sample, and either one question or (with
 * `roundId`) exactly a round's answers.
 */
async function chooseComparison(page: Page, pair: readonly string[], questionId: string | null, roundId: string | null): Promise<void> {
  const boxes = page.getByTestId('agreement-coder');
  for (let i = 0; i < (await boxes.count()); i++) {
    const box = boxes.nth(i);
    await box.setChecked(pair.includes((await box.getAttribute('data-coder-id')) ?? ''), { timeout: 10_000 });
  }
  await page.getByTestId('agreement-codes-all').click();
  await page.getByTestId('agreement-subcodes').setChecked(false);
  if (questionId !== null) await page.getByTestId('agreement-question').selectOption(questionId);
  await page.getByTestId('agreement-uncoded-absent').check();
  if (await page.getByTestId('agreement-sample').isChecked()) await page.getByTestId('agreement-sample').uncheck();
  if (roundId !== null) await page.getByTestId('agreement-round').selectOption(roundId, { timeout: 30_000 });
  await page.waitForTimeout(300);
}

/** Clicks Compute `runs` times, each measured by the instrumentation (INSTRUMENT must be in the page). */
async function timeComputes(
  page: Page,
  log: (line: string) => void,
  options: { label: string; runs: number; timeoutMs: number; expectedRows: number; onStep: (step: string) => void },
): Promise<AgreementRun[]> {
  const { label, runs, timeoutMs, expectedRows, onStep } = options;
  const measured: AgreementRun[] = [];
  for (let run = 1; run <= runs; run++) {
    onStep(`compute (run ${run} of ${runs})`);
    await page.evaluate(`window.__cbAgreement.arm(${timeoutMs})`);
    await page.getByTestId('agreement-run').click({ timeout: timeoutMs });
    const result = (await page.evaluate('window.__cbAgreement.collect()')) as AgreementRun;
    measured.push(result);
    log(
      `  ${label} run ${run}: table ${ms(result.clickToTableMs)} after the click (worker: read ${ms(result.loadMs)}, compute ${ms(result.computeMs)}), ` +
        `passages ${ms(result.clickToSpansMs)} (${ms(result.spanMs)} in the worker); main thread: ${result.longFrames} frames > 50 ms, ` +
        `worst ${ms(result.worstFrameMs)}, longest frame gap ${ms(result.maxFrameGapMs)}${result.steps ? `; compute: ${stepsText(result.steps)}` : ''}` +
        `${result.problem ? `; ${result.problem}` : ''}`,
    );
    if (result.tableRows !== expectedRows && !result.problem) result.problem = `the table has ${result.tableRows} rows, expected ${expectedRows}`;
    await page.waitForTimeout(300);
  }
  return measured;
}

/**
 * Runs on a page of the app showing the big project (or `options.projectUrl`).
 * Adds codes and codings (see above), reloads, and times the agreement view.
 */
export async function runAgreementBench(page: Page, log: (line: string) => void, options: AgreementBenchOptions = {}): Promise<AgreementBenchResult> {
  const { codes = 30, runs = 3, openSelector = DEFAULT_OPEN, prevalence = 0.03, timeoutMs = 300_000, projectUrl = null } = options;
  let step = 'open the project';
  try {
    if (projectUrl) await page.goto(projectUrl, { waitUntil: 'commit', timeout: timeoutMs });
    await page.locator(READY).waitFor({ state: 'visible', timeout: timeoutMs });

    step = `bring the codebook to ${codes} codes, with codings of two coders (raw IndexedDB)`;
    const seeded = (await benchWork(page, () =>
      page.evaluate(`(${SEED})(${JSON.stringify({ codes, prevalence, seed: 20240110, buckets: CODING_BUCKETS, separator: ANSWER_ID_SEPARATOR })})`),
    )) as {
      projectId: string;
      questionId: string;
      answers: number;
      pair: [string, string];
      codes: number;
      addedCodes: number;
      addedCodings: number;
      pairCodings: number;
      writeMs: number;
      sample: [string, number][];
    };
    const wrong = seeded.sample.filter(([id, bucket]) => codingBucket(id) !== bucket);
    if (wrong.length > 0) throw new AgreementBenchError(`the bench's bucket hash disagrees with codingBucket() for ${wrong.length} answer ids`, step);
    log(
      `  agreement: ${seeded.codes} codes (${seeded.addedCodes} added, ${seeded.addedCodings.toLocaleString('en-US')} codings) on “${seeded.questionId}” ` +
        `(${seeded.answers.toLocaleString('en-US')} answers); ${seeded.pair.join(' and ')} have ${seeded.pairCodings.toLocaleString('en-US')} codings there`,
    );

    step = 'reload and wait for the project view';
    const t0 = performance.now();
    await page.reload({ waitUntil: 'commit', timeout: timeoutMs });
    await page.locator(READY).waitFor({ state: 'visible', timeout: timeoutMs });
    const reopenMs = performance.now() - t0;
    await page.evaluate(INSTRUMENT);

    step = `open the agreement view (${openSelector})`;
    await page.locator(openSelector).first().click({ timeout: 30_000 });
    await page.getByTestId('agreement-view').waitFor({ state: 'visible', timeout: 30_000 });

    step = 'choose the coders, every code on its own and the question';
    await chooseComparison(page, seeded.pair, seeded.questionId, null);

    const measured = await timeComputes(page, log, { label: 'agreement', runs, timeoutMs, expectedRows: seeded.codes + 1, onStep: (s) => (step = s) });

    const medians = mediansOf(measured);
    const computeMedian = medians.computeMs;
    return {
      answers: seeded.answers,
      coders: seeded.pair,
      codes: seeded.codes,
      addedCodes: seeded.addedCodes,
      addedCodings: seeded.addedCodings,
      pairCodingsOnQuestion: seeded.pairCodings,
      questionId: seeded.questionId,
      seedWriteMs: seeded.writeMs,
      reopenMs,
      runs: measured,
      median: medians,
      target: { computeMs: 500, met: computeMedian === null ? null : computeMedian < 500, mainThreadLongFrames: longFramesOf(measured) },
    };
  } catch (err) {
    if (err instanceof AgreementBenchError) throw err;
    throw new AgreementBenchError(`${step}: ${(err as Error).message.split('\n')[0]}`, step);
  }
}

// ---------------------------------------------------------------------------
// A double-coding round: agreement on exactly a round's answers.

export interface AgreementRoundBenchOptions {
  projectUrl?: string | null;
  /** Answers drawn into the round. BENCH_ROUND_SIZE by default. */
  roundSize?: number;
  /** Computations timed; the first one also starts the worker. 3 by default. */
  runs?: number;
  /** Raw IndexedDB reads timed for the baseline. 3 by default. */
  baselineRuns?: number;
  openSelector?: string;
  timeoutMs?: number;
}

export interface AgreementRoundBenchResult {
  roundId: string;
  roundLabel: string;
  /** Answers drawn into the round, and the non-blank answers of every question they were drawn from. */
  roundAnswers: number;
  answersInProject: number;
  /** Questions the round's answers belong to. */
  roundQuestions: number;
  coders: [string, string];
  codes: number;
  /** Codings the seed added on the round's answers (both coders), and the pair's codings on them in all. */
  addedCodings: number;
  pairCodingsInRound: number;
  seedWriteMs: number;
  reopenMs: number;
  runs: AgreementRun[];
  median: AgreementMedians;
  mainThreadLongFrames: number;
  /**
   * The floor for the worker's read: on a blank page of the same origin, one
   * readonly transaction with a `getAll` of every question's answer chunks and
   * coding pages, which is what the worker reads for a round drawn from every
   * question (it reads whole questions, then keeps the round's answers).
   */
  baseline: { readMs: number[]; medianMs: number | null; chunks: number; answers: number; pages: number; codings: number };
}

/**
 * Draws a round and has both coders code it, with raw IndexedDB (one
 * transaction): a codebook version of the current codes, a round of
 * `roundSize` answers drawn by a seeded partial Fisher–Yates (mulberry32) over
 * every non-blank answer of every question, listed in the app's order
 * (questions, then waves, then import order), and on each drawn answer: coder
 * A applies 1–3 codes at random (half whole answers, half passages of up to 60
 * characters), coder B repeats each with probability 0.8 (a passage shifted by
 * up to 5 characters) and adds a code of its own with probability 0.2. No
 * second whole-answer coding of an answer × code × coder.
 */
const ROUND_SEED = String.raw`
async ({ roundSize, seed, buckets, separator }) => {
  const request = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error); tx.onabort = () => reject(tx.error || new Error('aborted')); });
  const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const db = await request(indexedDB.open('codebench'));
  try {
    const read = db.transaction(['projects', 'questions', 'waves', 'codes', 'coders', 'rounds', 'codebookVersions'], 'readonly');
    const projects = await request(read.objectStore('projects').getAll());
    if (projects.length !== 1) throw new Error('expected one project, found ' + projects.length);
    const projectId = projects[0].id;
    const mine = (rows) => rows.filter((r) => r.projectId === projectId);
    const questions = mine(await request(read.objectStore('questions').getAll())).sort((a, b) => a.order - b.order);
    const waveRank = new Map(mine(await request(read.objectStore('waves').getAll())).sort((a, b) => a.order - b.order).map((w, i) => [w.id, i]));
    const codes = mine(await request(read.objectStore('codes').getAll()));
    const coders = mine(await request(read.objectStore('coders').getAll())).filter((c) => c.id !== 'consensus' && c.id !== 'final').sort(byId);
    const rounds = mine(await request(read.objectStore('rounds').getAll()));
    const versions = mine(await request(read.objectStore('codebookVersions').getAll()));
    await done(read);
    if (coders.length < 2) throw new Error('the project has ' + coders.length + ' coders, the round needs two');
    if (codes.length === 0) throw new Error('the project has no codes');
    // The agreement bench's pair: the first two coders by id, as the app lists them.
    const pair = [coders[0].id, coders[1].id];

    // Every answer's id and length in code points, question by question, so no question's texts are held after it.
    const ids = [], lengths = [];
    for (const question of questions) {
      const tx = db.transaction(['answerChunks'], 'readonly');
      const chunks = await request(tx.objectStore('answerChunks').index('[projectId+questionId]').getAll([projectId, question.id]));
      chunks.sort((a, b) => (waveRank.get(a.waveId) ?? 1e9) - (waveRank.get(b.waveId) ?? 1e9) || a.index - b.index);
      for (const chunk of chunks) {
        for (let i = 0; i < chunk.respondentIds.length; i++) {
          const text = chunk.texts[i];
          let n = 0;
          for (let k = 0; k < text.length; k++) { const u = text.charCodeAt(k); if (u < 0xdc00 || u > 0xdfff) n++; }
          ids.push(question.id + separator + chunk.waveId + separator + chunk.respondentIds[i]);
          lengths.push(n);
        }
      }
    }
    if (ids.length < roundSize) throw new Error('the project has ' + ids.length + ' answers, fewer than the round’s ' + roundSize);

    let state = seed >>> 0;
    const random = () => { state = (state + 0x6d2b79f5) >>> 0; let t = state; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296; };
    const pool = new Int32Array(ids.length);
    for (let i = 0; i < pool.length; i++) pool[i] = i;
    for (let i = 0; i < roundSize; i++) {
      const j = i + Math.floor(random() * (pool.length - i));
      const swap = pool[i]; pool[i] = pool[j]; pool[j] = swap;
    }
    // The app keeps a round's answers in their listed order, the order a coder meets them.
    const drawn = Array.from(pool.subarray(0, roundSize)).sort((a, b) => a - b);
    const answerIds = drawn.map((p) => ids[p]);
    const questionOf = (id) => id.slice(0, id.indexOf(separator));

    const bucketOf = (answerId) => {
      let hash = 0x811c9dc5;
      for (let i = 0; i < answerId.length; i++) { hash ^= answerId.charCodeAt(i); hash = Math.imul(hash, 0x01000193); }
      return (hash >>> 0) % buckets;
    };
    const pageKeys = new Map();
    for (const id of answerIds) { const key = [projectId, questionOf(id), bucketOf(id)]; pageKeys.set(key.join(separator), key); }
    const pagesTx = db.transaction(['codingPages'], 'readonly');
    const byPage = new Map();
    for (const [name, key] of pageKeys) {
      const page = await request(pagesTx.objectStore('codingPages').get(key));
      byPage.set(name, page || { projectId, questionId: key[1], bucket: key[2], codings: [] });
    }
    await done(pagesTx);
    const pageOf = (id) => byPage.get([projectId, questionOf(id), bucketOf(id)].join(separator));
    const whole = new Set();
    for (const page of byPage.values()) for (const c of page.codings) if (c.start === null) whole.add(c.answerId + separator + c.codeId + separator + c.coderId);

    const now = Date.now();
    let addedCodings = 0;
    const put = (answerId, codeId, coderId, start, end) => {
      if (start === null) {
        const key = answerId + separator + codeId + separator + coderId;
        if (whole.has(key)) return;
        whole.add(key);
      }
      pageOf(answerId).codings.push({ projectId, id: crypto.randomUUID(), answerId, codeId, coderId, start, end, createdAt: now });
      addedCodings++;
    };
    const codeIds = codes.map((c) => c.id).sort();
    const pick = () => codeIds[Math.floor(random() * codeIds.length)];
    for (let r = 0; r < answerIds.length; r++) {
      const id = answerIds[r];
      const length = lengths[drawn[r]];
      const chosen = new Set();
      const count = 1 + Math.floor(random() * 3);
      while (chosen.size < Math.min(count, codeIds.length)) chosen.add(pick());
      for (const codeId of chosen) {
        const isWhole = length === 0 || random() < 0.5;
        const start = isWhole ? null : Math.floor(random() * Math.max(1, length - 1));
        const end = isWhole ? null : Math.min(length, start + 1 + Math.floor(random() * 60));
        put(id, codeId, pair[0], start, end);
        if (random() < 0.8) {
          if (isWhole) put(id, codeId, pair[1], null, null);
          else {
            const s = Math.max(0, Math.min(length - 1, start + Math.floor(random() * 11) - 5));
            put(id, codeId, pair[1], s, Math.min(length, Math.max(s + 1, end + Math.floor(random() * 11) - 5)));
          }
        }
      }
      if (random() < 0.2) put(id, pick(), pair[1], null, null);
    }
    const inRound = new Set(answerIds);
    let pairCodingsInRound = 0;
    for (const page of byPage.values()) for (const c of page.codings) if (inRound.has(c.answerId) && (c.coderId === pair[0] || c.coderId === pair[1])) pairCodingsInRound++;

    const number = rounds.reduce((max, r) => Math.max(max, r.number), 0) + 1;
    const name = 'Bench';
    const version = {
      projectId, id: 'bench-version-' + now, number: versions.reduce((max, v) => Math.max(max, v.number), 0) + 1,
      label: 'Round ' + number + ' · ' + name, createdAt: now, createdBy: pair[0],
      codes: codes.map(({ projectId: _, ...code }) => code),
    };
    const round = {
      projectId, id: 'bench-round-' + now, number, name, createdAt: now, createdBy: pair[0],
      sample: { size: { kind: 'count', count: roundSize }, seed, questionIds: [], waveIds: [], strata: [] },
      answerIds, codebookVersionId: version.id, coderIds: [],
    };

    const w0 = performance.now();
    const write = db.transaction(['rounds', 'codebookVersions', 'codingPages', 'projects'], 'readwrite');
    // As the app's writers do (src/lib/db/revision.ts): what was derived from the project before is no longer valid.
    write.objectStore('projects').put({ ...projects[0], updatedAt: Date.now(), revision: crypto.randomUUID() });
    write.objectStore('codebookVersions').put(version);
    write.objectStore('rounds').put(round);
    for (const page of byPage.values()) write.objectStore('codingPages').put(page);
    await done(write);
    const sample = answerIds.filter((_, i) => i % 5 === 0).map((id) => [id, bucketOf(id)]);
    return {
      projectId, questionIds: questions.map((q) => q.id), roundId: round.id, roundLabel: version.label, roundAnswers: answerIds.length,
      answersInProject: ids.length, roundQuestions: new Set(answerIds.map(questionOf)).size, pair, codes: codes.length,
      addedCodings, pairCodingsInRound, writeMs: performance.now() - w0, sample,
    };
  } finally {
    db.close();
  }
}
`;

/** The baseline: what a round's computation reads, with bare IndexedDB on a blank page (see AgreementRoundBenchResult). */
const ROUND_BASELINE = String.raw`
async ({ projectId, questionIds, runs }) => {
  const request = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error); tx.onabort = () => reject(tx.error || new Error('aborted')); });
  const readMs = [];
  let chunks = 0, answers = 0, pages = 0, codings = 0;
  for (let run = 0; run < runs; run++) {
    const db = await request(indexedDB.open('codebench'));
    try {
      const t0 = performance.now();
      const tx = db.transaction(['answerChunks', 'codingPages'], 'readonly');
      let c = 0, a = 0, p = 0, k = 0;
      for (const questionId of questionIds) {
        const read = await request(tx.objectStore('answerChunks').index('[projectId+questionId]').getAll([projectId, questionId]));
        c += read.length;
        for (const chunk of read) a += chunk.texts.length;
        const written = await request(tx.objectStore('codingPages').index('[projectId+questionId]').getAll([projectId, questionId]));
        p += written.length;
        for (const page of written) k += page.codings.length;
      }
      await done(tx);
      readMs.push(performance.now() - t0);
      chunks = c; answers = a; pages = p; codings = k;
    } finally {
      db.close();
    }
  }
  return { readMs, chunks, answers, pages, codings };
}
`;

const ROUND_BLANK_PATH = '/__codebench-bench__/agreement-baseline.html';

/**
 * Runs on a page of the app after runAgreementBench: draws a round of
 * `roundSize` answers coded by the agreement pair (ROUND_SEED), times the raw
 * IndexedDB baseline on a blank page, reopens the project, chooses the round in
 * `agreement-round` and times Compute as runAgreementBench does.
 */
export async function runAgreementRoundBench(
  page: Page,
  log: (line: string) => void,
  options: AgreementRoundBenchOptions = {},
): Promise<AgreementRoundBenchResult> {
  const { roundSize = BENCH_ROUND_SIZE, runs = 3, baselineRuns = 3, openSelector = DEFAULT_OPEN, timeoutMs = 300_000, projectUrl = null } = options;
  let step = 'open the project';
  try {
    if (projectUrl) await page.goto(projectUrl, { waitUntil: 'commit', timeout: timeoutMs });
    await page.locator(READY).waitFor({ state: 'visible', timeout: timeoutMs });
    const url = page.url();

    step = `draw a round of ${roundSize} answers coded by two coders (raw IndexedDB)`;
    const seeded = (await benchWork(page, () =>
      page.evaluate(`(${ROUND_SEED})(${JSON.stringify({ roundSize, seed: 20240111, buckets: CODING_BUCKETS, separator: ANSWER_ID_SEPARATOR })})`),
    )) as {
      projectId: string;
      questionIds: string[];
      roundId: string;
      roundLabel: string;
      roundAnswers: number;
      answersInProject: number;
      roundQuestions: number;
      pair: [string, string];
      codes: number;
      addedCodings: number;
      pairCodingsInRound: number;
      writeMs: number;
      sample: [string, number][];
    };
    const wrong = seeded.sample.filter(([id, bucket]) => codingBucket(id) !== bucket);
    if (wrong.length > 0) throw new AgreementBenchError(`the bench's bucket hash disagrees with codingBucket() for ${wrong.length} answer ids`, step);
    log(
      `  agreement round: “${seeded.roundLabel}”, ${seeded.roundAnswers.toLocaleString('en-US')} of ${seeded.answersInProject.toLocaleString('en-US')} answers ` +
        `from ${seeded.roundQuestions} questions; ${seeded.addedCodings.toLocaleString('en-US')} codings added, ${seeded.pair.join(' and ')} have ` +
        `${seeded.pairCodingsInRound.toLocaleString('en-US')} on the round's answers`,
    );

    step = 'baseline: raw IndexedDB read of every question’s answers and codings, on a blank page';
    const origin = new URL(url).origin;
    await page.context().route(`${origin}${ROUND_BLANK_PATH}`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><meta charset="utf-8"><title>bench agreement baseline</title><body></body>',
      }),
    );
    await page.goto(`${origin}${ROUND_BLANK_PATH}`, { timeout: 30_000 });
    const raw = (await page.evaluate(
      `(${ROUND_BASELINE})(${JSON.stringify({ projectId: seeded.projectId, questionIds: seeded.questionIds, runs: baselineRuns })})`,
    )) as { readMs: number[]; chunks: number; answers: number; pages: number; codings: number };
    const baseline = { ...raw, medianMs: median(raw.readMs) };
    log(
      `  agreement round baseline: getAll of ${raw.chunks.toLocaleString('en-US')} answer chunks (${raw.answers.toLocaleString('en-US')} answers) and ` +
        `${raw.pages.toLocaleString('en-US')} coding pages (${raw.codings.toLocaleString('en-US')} codings): ${raw.readMs.map(ms).join(', ')}`,
    );

    await collectGarbage(page);

    step = 'reopen the project';
    const t0 = performance.now();
    await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
    await page.locator(READY).waitFor({ state: 'visible', timeout: timeoutMs });
    const reopenMs = performance.now() - t0;
    await page.evaluate(INSTRUMENT);

    step = `open the agreement view (${openSelector})`;
    await page.locator(openSelector).first().click({ timeout: 30_000 });
    await page.getByTestId('agreement-view').waitFor({ state: 'visible', timeout: 30_000 });

    step = `choose the coders, every code on its own and ${seeded.roundLabel}`;
    await chooseComparison(page, seeded.pair, null, seeded.roundId);
    const note = (await page.getByTestId('agreement-round-note').textContent({ timeout: 10_000 })) ?? '';
    if (!note.includes(String(seeded.roundAnswers)))
      throw new AgreementBenchError(`the round's note does not name its ${seeded.roundAnswers} answers: “${note.trim()}”`, step);

    const measured = await timeComputes(page, log, {
      label: 'agreement round',
      runs,
      timeoutMs,
      expectedRows: seeded.codes + 1,
      onStep: (s) => (step = s),
    });
    return {
      roundId: seeded.roundId,
      roundLabel: seeded.roundLabel,
      roundAnswers: seeded.roundAnswers,
      answersInProject: seeded.answersInProject,
      roundQuestions: seeded.roundQuestions,
      coders: seeded.pair,
      codes: seeded.codes,
      addedCodings: seeded.addedCodings,
      pairCodingsInRound: seeded.pairCodingsInRound,
      seedWriteMs: seeded.writeMs,
      reopenMs,
      runs: measured,
      median: mediansOf(measured),
      mainThreadLongFrames: longFramesOf(measured),
      baseline,
    };
  } catch (err) {
    if (err instanceof AgreementBenchError) throw err;
    throw new AgreementBenchError(`${step}: ${(err as Error).message.split('\n')[0]}`, step);
  }
}
