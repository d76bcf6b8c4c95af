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
import { median, ms } from './report';

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
  problem: string | null;
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
  median: {
    clickToTableMs: number | null;
    clickToSpansMs: number | null;
    loadMs: number | null;
    computeMs: number | null;
    spanMs: number | null;
    worstFrameMs: number | null;
  };
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
    const write = db.transaction(['codes', 'coders', 'codingPages'], 'readwrite');
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
        problem: click === undefined ? 'no click seen' : r.problem,
      };
    });
    return true;
  };
  A.collect = () => A.pending;
})();
`;

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
    const seeded = (await page.evaluate(
      `(${SEED})(${JSON.stringify({ codes, prevalence, seed: 20240110, buckets: CODING_BUCKETS, separator: ANSWER_ID_SEPARATOR })})`,
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
    const boxes = page.getByTestId('agreement-coder');
    for (let i = 0; i < (await boxes.count()); i++) {
      const box = boxes.nth(i);
      await box.setChecked(seeded.pair.includes((await box.getAttribute('data-coder-id')) ?? ''), { timeout: 10_000 });
    }
    await page.getByTestId('agreement-codes-all').click();
    await page.getByTestId('agreement-subcodes').setChecked(false);
    await page.getByTestId('agreement-question').selectOption(seeded.questionId);
    await page.getByTestId('agreement-uncoded-absent').check();
    if (await page.getByTestId('agreement-sample').isChecked()) await page.getByTestId('agreement-sample').uncheck();
    await page.waitForTimeout(300);

    const measured: AgreementRun[] = [];
    for (let run = 1; run <= runs; run++) {
      step = `compute (run ${run} of ${runs})`;
      await page.evaluate(`window.__cbAgreement.arm(${timeoutMs})`);
      await page.getByTestId('agreement-run').click({ timeout: timeoutMs });
      const result = (await page.evaluate('window.__cbAgreement.collect()')) as AgreementRun;
      measured.push(result);
      log(
        `  agreement run ${run}: table ${ms(result.clickToTableMs)} after the click (worker: read ${ms(result.loadMs)}, compute ${ms(result.computeMs)}), ` +
          `passages ${ms(result.clickToSpansMs)} (${ms(result.spanMs)} in the worker); main thread: ${result.longFrames} frames > 50 ms, ` +
          `worst ${ms(result.worstFrameMs)}, longest frame gap ${ms(result.maxFrameGapMs)}${result.problem ? `; ${result.problem}` : ''}`,
      );
      if (result.tableRows !== seeded.codes + 1 && !result.problem) result.problem = `the table has ${result.tableRows} rows, expected ${seeded.codes + 1}`;
      await page.waitForTimeout(300);
    }

    const warm = measured.length > 1 ? measured.slice(1) : measured;
    const ok = warm.filter((r) => !r.problem);
    const computeMedian = median(ok.map((r) => r.computeMs));
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
      median: {
        clickToTableMs: median(ok.map((r) => r.clickToTableMs)),
        clickToSpansMs: median(ok.map((r) => r.clickToSpansMs)),
        loadMs: median(ok.map((r) => r.loadMs)),
        computeMs: computeMedian,
        spanMs: median(ok.map((r) => r.spanMs)),
        worstFrameMs: median(ok.map((r) => r.worstFrameMs)),
      },
      target: { computeMs: 500, met: computeMedian === null ? null : computeMedian < 500, mainThreadLongFrames: ok.reduce((n, r) => n + r.longFrames, 0) },
    };
  } catch (err) {
    if (err instanceof AgreementBenchError) throw err;
    throw new AgreementBenchError(`${step}: ${(err as Error).message.split('\n')[0]}`, step);
  }
}
