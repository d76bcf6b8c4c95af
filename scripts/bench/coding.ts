/**
 * The coding workspace at scale, in the profile the app flow has just
 * imported into (the page is on the reopened project): seed codings into
 * IndexedDB, reopen, then time what a coder does all day — apply a code with
 * its shortcut key, undo, redo, type in the search box, scroll the answers —
 * and, in the same profile on a blank page of the same origin, what the bare
 * platform manages for each (one IndexedDB put of a coding page, a substring
 * scan of the question's texts, a static list scrolled the same way).
 *
 * Latencies are measured inside the page, not around Playwright calls: from the
 * keydown event's timeStamp (when the browser took the key press, so main-thread
 * queueing counts) to the DOM change the coder waits for, and then to "painted"
 * (the next animation frame plus one task, i.e. after that frame's rendering).
 * See docs/BENCH.md.
 */
import { CODING_BUCKETS, codingBucket } from '../../src/lib/coding/coding-pages';
import { ANSWER_ID_SEPARATOR } from '../../src/lib/model/types';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import type { Profile } from './browser';
import { heapUsed, readMeasures } from './app';
import { benchWork, collectGarbage } from './heap';

export const BENCH_CODER = { id: 'bench', name: 'Bench', color: '#2454a6' };
/** Codings seeded per respondent: 200,000 at 100k respondents, as the spec's scenario. */
export const CODINGS_PER_RESPONDENT = 2;
const CODING_SEED = 20240109;

/**
 * Answers coded by key, each with five presses: apply (code on), Ctrl+Z (off),
 * Ctrl+Shift+Z (on), the same key again (toggles it off), Ctrl+Z (on again).
 * The first ANSWERS_PER_QUESTION answers of each of the first QUESTIONS_CODED
 * questions, moving with j, so they are on the first screen of their list:
 * 28 answers, 56 apply, 56 undo and 28 redo samples.
 */
const QUESTIONS_CODED = 4;
const ANSWERS_PER_QUESTION = 7;
/** Then j this many more times, and one more code applied there. */
const DEEP_STEPS = 25;
/** The search box edits, after a first "m" that builds the index. */
const SEARCH_EDITS: string[] = [
  ...'entoring', // mentoring
  ...Array(8).fill('Backspace'), // back to "m"
  'SelectAll', // not measured: selects "m" so the "c" replaces it
  ...'confidence',
  ...' work',
];
/** Scrolling: a steady scroll, then a drag of the scrollbar to the end. */
const SCROLL = { steadyMs: 3000, steadyStepPx: 120, dragMs: 2000 };
/** Rows of the static list the scroll baseline renders. */
const STATIC_ROWS = 1000;
/** Single-page puts timed by the IndexedDB baseline. */
const PAGE_PUTS = 60;

const READY = '[data-testid="project-view"][data-ready="true"]';
const BLANK_PATH = '/__codebench-bench__/coding-baseline.html';
/** What the tab shows between two sessions (the reopen in a new session). */
const SESSION_GAP_PATH = '/__codebench-bench__/between-sessions.html';

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export interface ActionSample {
  kind: 'apply' | 'undo' | 'redo';
  key: string;
  answerId: string;
  /** Coding chips on the answer before and after. */
  chipsBefore: number;
  chipsAfter: number | null;
  /** keydown → the chip appeared/disappeared in the DOM (ms). */
  domMs: number | null;
  /** keydown → the frame with that change rendered. */
  paintMs: number | null;
  /** keydown → the readwrite transaction on codingPages completed. */
  storedMs: number | null;
  /** Time the key spent before its keydown handler started (event.timeStamp → dispatch). */
  queueMs: number;
  /** Long frames between the keydown and the paint (times relative to the keydown), with where their time went. */
  longFrames: { start: number; end: number; duration: number; renderMs: number | null; styleLayoutMs: number | null; scripts: string[] }[];
  /** The answer list's scrollTop before and after (a jump means the list moved under the coder). */
  scrollBefore: number;
  scrollAfter: number;
  problem: string | null;
}

export interface SearchSample {
  key: string;
  query: string;
  /** keydown → results message from the search worker arrived. */
  resultsMs: number | null;
  /** keydown → frame with the narrowed list and count rendered. */
  paintMs: number | null;
  /** keydown → frame with the highlight ranges rendered. */
  highlightMs: number | null;
  /** The worker's own search time (its `ms`). */
  workerMs: number | null;
  hits: number | null;
  countText: string | null;
  problem: string | null;
}

export interface QuestionSwitch {
  question: string | null;
  /** click → the new question's answers painted. */
  paintMs: number | null;
  /** click → the last long frame it caused ended (the page answers input again). */
  settledMs: number | null;
  longFrames: number;
  worstFrameMs: number;
  problem: string | null;
}

export interface ScrollResult {
  entryType: string;
  durationMs: number;
  frames: number;
  distancePx: number;
  /** Frames (long-animation-frame or longtask entries) over 50 ms. */
  longFrames: number;
  /** Longest frame seen: the longest entry, or the longest gap between animation frames. */
  worstFrameMs: number;
  p95FrameMs: number;
  /** The steady scroll (SCROLL.steadyStepPx per frame) and the drag to the end, apart. */
  steady: { longFrames: number; worstFrameMs: number };
  drag: { longFrames: number; worstFrameMs: number };
  longest: { startMs: number; durationMs: number; blockingMs: number | null; scripts: string[] }[];
  rowsRenderedAtEnd: number;
}

export interface CodingResult {
  respondents: number;
  codings: number;
  wholeAnswer: number;
  coders: number;
  codes: number;
  pages: number;
  codingsPerPage: number;
  /** Seeding: one raw IndexedDB transaction putting every page (not the app). */
  seedWriteMs: number;
  reopenMs: number;
  reopenToAnswersMs: number;
  /** reload → the coding progress counted (counts are built after the first paint). */
  reopenToCountsMs: number | null;
  /**
   * The same reload once the app has kept the counts (src/lib/coding/counts-summary.ts: a moment after the counts
   * are built, or after a change), as on every reopen of a project coded in the app; the first reload above follows
   * the seeding, a write from outside the app, so it counts from the codings.
   */
  reopenKept: { readyMs: number; countsMs: number; codebookCounted: boolean } | null;
  /**
   * A reopen in a new session: the tab on a blank page of the app's origin for 2 s (the app and its workers gone,
   * IndexedDB's writes settled), then the project's address opened. The reload above replaces a page whose
   * background work (the analysis warm-up ahead, the search worker's keying) is under way and competes with it.
   */
  reopenNewSession: { readyMs: number; countsMs: number; codebookCounted: boolean } | null;
  appReopenMs: number | null;
  heapAfterReopenBytes: number | null;
  progressText: string | null;
  scroll: ScrollResult;
  apply: { paint: Stats | null; dom: Stats | null; stored: Stats | null };
  undo: { paint: Stats | null; dom: Stats | null; stored: Stats | null };
  redo: { paint: Stats | null; dom: Stats | null; stored: Stats | null };
  actionProblems: string[];
  listJumps: number;
  actions: ActionSample[];
  /** One code applied further down the list (answer ANSWERS_PER_QUESTION + DEEP_STEPS). */
  deep: ActionSample | null;
  /** Clicking the next question in the sidebar. */
  switches: QuestionSwitch[];
  switchPaint: Stats | null;
  switchSettled: Stats | null;
  switchWorstFrameMs: number | null;
  searchQuestion: string | null;
  searchIndexMs: number | null;
  searchIndexHits: number | null;
  search: { paint: Stats | null; highlight: Stats | null; worker: Stats | null };
  searchSamples: SearchSample[];
  baseline: {
    pagePut: Stats;
    pagePutCodings: number;
    scan: Stats;
    scanTexts: number;
    scroll: ScrollResult;
  };
}

/** What broke in the coding flow; the bench reports it and goes on. */
export class CodingFlowError extends Error {
  constructor(
    message: string,
    readonly step: string,
  ) {
    super(message);
  }
}

export function codingsFor(respondents: number) {
  return respondents * CODINGS_PER_RESPONDENT;
}

/**
 * Installed before every document of the profile (page.addInitScript), so it
 * survives reloads: the bench coder in localStorage, a capturing keydown
 * listener, IndexedDB commit times of the app's coding writes, the search
 * worker's messages, and the in-page measuring helpers.
 */
const INSTRUMENT = String.raw`
(() => {
  if (window.__cbBench) return;
  try {
    if (!localStorage.getItem('codebench.coder')) localStorage.setItem('codebench.coder', ${JSON.stringify(JSON.stringify(BENCH_CODER))});
  } catch {}
  const B = (window.__cbBench = { keydowns: [], commits: [], worker: [], onWorker: null, pending: null });
  const MODIFIERS = ['Control', 'Shift', 'Alt', 'Meta'];
  addEventListener('keydown', (e) => {
    if (MODIFIERS.includes(e.key)) return;
    const now = performance.now();
    // timeStamp: when the browser took the key press. Fall back to now if it is not on the same clock.
    const ts = e.timeStamp > 0 && e.timeStamp <= now && now - e.timeStamp < 5000 ? e.timeStamp : now;
    B.keydowns.push({ key: e.key, at: ts, dispatched: now });
  }, true);

  B.clicks = [];
  addEventListener('click', (e) => B.clicks.push({ at: e.timeStamp > 0 && e.timeStamp <= performance.now() ? e.timeStamp : performance.now() }), true);
  // Every long frame of the document, for "wait until quiet" and the question switch.
  B.long = [];
  try {
    const type = (PerformanceObserver.supportedEntryTypes || []).includes('long-animation-frame') ? 'long-animation-frame' : 'longtask';
    const describe = (e) => ({
      start: e.startTime,
      end: e.startTime + e.duration,
      duration: e.duration,
      // long-animation-frame only: where the frame's time went.
      renderMs: typeof e.renderStart === 'number' && e.renderStart > 0 ? e.startTime + e.duration - e.renderStart : null,
      styleLayoutMs: typeof e.styleAndLayoutStart === 'number' && e.styleAndLayoutStart > 0 ? e.startTime + e.duration - e.styleAndLayoutStart : null,
      scripts: (e.scripts || []).slice().sort((a, b) => b.duration - a.duration).slice(0, 3)
        .map((x) => Math.round(x.duration) + ' ms ' + (x.invoker || x.invokerType || '?') + (x.forcedStyleAndLayoutDuration ? ' (forced layout ' + Math.round(x.forcedStyleAndLayoutDuration) + ' ms)' : '')),
    });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) B.long.push(describe(e)); })
      .observe({ type, buffered: true });
  } catch {}

  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (stores, mode) {
    const tx = transaction.apply(this, arguments);
    try {
      const names = typeof stores === 'string' ? [stores] : Array.from(stores);
      if (mode === 'readwrite' && this.name === 'codebench' && names.includes('codingPages')) {
        const begun = performance.now();
        tx.addEventListener('complete', () => B.commits.push({ begun, done: performance.now() }));
      }
    } catch {}
    return tx;
  };

  const NativeWorker = window.Worker;
  if (NativeWorker) {
    window.Worker = class extends NativeWorker {
      constructor(url, options) {
        super(url, options);
        if (/search/i.test(String(url))) {
          this.addEventListener('message', (event) => {
            const d = event.data || {};
            B.worker.push({ type: d.type, at: performance.now(), done: d.done, total: d.total });
            if (B.onWorker) B.onWorker(d, performance.now());
          });
        }
      }
    };
  }

  B.afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(0);
  }));
  B.frames = (n) => new Promise((resolve) => { const step = () => (n-- <= 0 ? resolve() : requestAnimationFrame(step)); step(); });
  B.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  B.list = () => document.querySelector('[data-testid="answer-list"]');
  B.answer = (id) => document.querySelector('[data-testid="answer"][data-answer-id="' + CSS.escape(id) + '"]');
  B.chips = (id) => { const el = B.answer(id); return el ? el.querySelectorAll('[data-testid="coding-chip"]').length : -1; };

  /** Resolves once no long frame has ended for quietMs (or after maxMs). */
  B.quiet = async (quietMs, maxMs) => {
    const t0 = performance.now();
    for (;;) {
      await B.sleep(50);
      const now = performance.now();
      const lastEnd = B.long.length ? B.long[B.long.length - 1].end : 0;
      if (now - Math.max(lastEnd, t0) >= quietMs || now - t0 > maxMs) return now - t0;
    }
  };

  /** The question of the first answer on screen. */
  B.firstQuestion = () => {
    const el = document.querySelector('[data-testid="answer"]');
    const id = el ? el.getAttribute('data-answer-id') : null;
    return id ? id.slice(0, id.indexOf('')) : null;
  };

  /** Arms a measurement of the next click: until the first answer on screen belongs to another question, painted. */
  B.armQuestion = () => {
    const c0 = B.clicks.length;
    const before = B.firstQuestion();
    B.pending = new Promise((resolve) => {
      const finish = (r) => { observer.disconnect(); clearTimeout(timer); resolve(r); };
      const observer = new MutationObserver(() => {
        const q = B.firstQuestion();
        if (q && q !== before) {
          const domAt = performance.now();
          observer.disconnect();
          B.afterPaint().then((paintAt) => finish({ question: q, domAt, paintAt, problem: null }));
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true });
      const timer = setTimeout(() => finish({ question: B.firstQuestion(), problem: 'the answers did not change within 60 s' }), 60000);
    }).then(async (r) => {
      const click = B.clicks[c0];
      await B.quiet(500, 30000);
      const from = click ? click.at : 0;
      const long = B.long.filter((e) => e.end > from);
      // Settled: the end of the last long frame after the click (or the paint, if none came later).
      const settledAt = Math.max(r.paintAt || 0, ...long.map((e) => e.end));
      return {
        question: r.question,
        paintMs: click && r.paintAt ? r.paintAt - click.at : null,
        settledMs: click && settledAt ? settledAt - click.at : null,
        longFrames: long.filter((e) => e.duration > 50).length,
        worstFrameMs: long.reduce((m, e) => Math.max(m, e.duration), 0),
        problem: click ? r.problem : 'no click seen',
      };
    });
    return before;
  };

  /** Resolves with the answer focused once it differs from previous (null after 3 s). */
  B.focusedAnswer = async (previous) => {
    const t0 = performance.now();
    for (;;) {
      const el = document.activeElement;
      const id = el && el.getAttribute && el.getAttribute('data-testid') === 'answer' ? el.getAttribute('data-answer-id') : null;
      if (id && id !== previous) { await B.frames(2); return id; }
      if (performance.now() - t0 > 3000) return null;
      await B.frames(1);
    }
  };

  /** Arms a measurement of the next key press: until the answer's chip count changes. */
  B.armChips = (answerId) => {
    const kd0 = B.keydowns.length;
    const list = B.list();
    const state = { answerId, chipsBefore: B.chips(answerId), scrollBefore: list ? list.scrollTop : 0 };
    B.pending = new Promise((resolve) => {
      const finish = (extra) => { observer.disconnect(); clearTimeout(timer); resolve(Object.assign(state, extra)); };
      const observer = new MutationObserver(() => {
        const n = B.chips(answerId);
        if (n === -1) return finish({ domAt: performance.now(), chipsAfter: null, problem: 'the answer left the DOM' });
        if (n !== state.chipsBefore) {
          const domAt = performance.now();
          observer.disconnect();
          B.afterPaint().then((paintAt) => finish({ domAt, paintAt, chipsAfter: n, problem: null }));
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
      const timer = setTimeout(() => finish({ chipsAfter: B.chips(answerId), problem: 'no chip change within 5 s' }), 5000);
    }).then(async (r) => {
      const key = B.keydowns[kd0];
      // Wait for the write to be stored (up to 3 s), then let the app settle.
      let commit = null;
      const t0 = performance.now();
      while (key && !(commit = B.commits.find((c) => c.done > key.at)) && performance.now() - t0 < 3000) await B.sleep(5);
      await B.frames(2);
      await B.sleep(40);
      const l = B.list();
      const end = r.paintAt || performance.now();
      return {
        key: key ? key.key : null,
        answerId: r.answerId,
        longFrames: key ? B.long.filter((e) => e.end > key.at && e.start < end).map((e) => ({ ...e, start: e.start - key.at, end: e.end - key.at })) : [],
        chipsBefore: r.chipsBefore,
        chipsAfter: r.chipsAfter,
        domMs: key && r.domAt ? r.domAt - key.at : null,
        paintMs: key && r.paintAt ? r.paintAt - key.at : null,
        storedMs: key && commit ? commit.done - key.at : null,
        queueMs: key ? key.dispatched - key.at : 0,
        scrollBefore: r.scrollBefore,
        scrollAfter: l ? l.scrollTop : 0,
        problem: key ? r.problem : 'no keydown seen',
      };
    });
    B.commits.length = 0;
    return state.chipsBefore;
  };

  /** Arms a measurement of the next key press in the search box: until its results, then its highlights, are painted. */
  B.armSearch = (timeoutMs) => {
    const kd0 = B.keydowns.length;
    const r = {};
    B.pending = new Promise((resolve) => {
      const finish = (problem) => { B.onWorker = null; clearTimeout(timer); r.problem = problem; resolve(); };
      B.onWorker = (d, at) => {
        if (d.type === 'results' && r.resultsAt === undefined) {
          r.resultsAt = at;
          r.hits = typeof d.count === 'number' ? d.count : null;
          r.workerMs = typeof d.ms === 'number' ? d.ms : null;
          B.afterPaint().then((t) => { r.paintAt = t; if (r.highlightAt !== undefined) finish(null); });
        } else if (d.type === 'ranges' && r.resultsAt !== undefined && r.rangesAt === undefined) {
          r.rangesAt = at;
          B.afterPaint().then((t) => { r.highlightAt = t; if (r.paintAt !== undefined) finish(null); });
        } else if (d.type === 'error') finish('search error: ' + d.message);
      };
      const timer = setTimeout(() => finish(r.resultsAt === undefined ? 'no results within ' + timeoutMs + ' ms' : 'no highlights within ' + timeoutMs + ' ms'), timeoutMs);
    }).then(async () => {
      const key = B.keydowns[kd0];
      await B.frames(1);
      const count = document.querySelector('[data-testid="search-count"]');
      const input = document.querySelector('[data-testid="search-input"]');
      const since = (t) => (key && t !== undefined ? t - key.at : null);
      return {
        key: key ? key.key : null,
        query: input ? input.value : null,
        resultsMs: since(r.resultsAt),
        paintMs: since(r.paintAt),
        highlightMs: since(r.highlightAt),
        workerMs: r.workerMs ?? null,
        hits: r.hits ?? null,
        countText: count ? count.textContent.trim() : null,
        problem: key ? r.problem : 'no keydown seen',
      };
    });
    return true;
  };

  B.collect = () => B.pending;

  /**
   * Scrolls an element for steadyMs by a fixed step per animation frame, then
   * drags it to the end over dragMs, while long-animation-frame (or longtask)
   * entries are recorded.
   */
  B.scroll = (selector, opts) => new Promise((resolve) => {
    const el = document.querySelector(selector);
    if (!el) throw new Error('no element ' + selector);
    const types = PerformanceObserver.supportedEntryTypes || [];
    const entryType = types.includes('long-animation-frame') ? 'long-animation-frame' : 'longtask';
    const entries = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) entries.push(e); });
    observer.observe({ type: entryType, buffered: false });
    const gaps = [];
    const startTop = el.scrollTop;
    let last = null, t0 = null, dragFrom = null, dragAt = null;
    const step = (now) => {
      if (t0 === null) t0 = now;
      if (last !== null) gaps.push({ at: now, gap: now - last });
      last = now;
      const elapsed = now - t0;
      if (elapsed < opts.steadyMs) el.scrollTop += opts.steadyStepPx;
      else if (elapsed < opts.steadyMs + opts.dragMs) {
        if (dragFrom === null) { dragFrom = el.scrollTop; dragAt = now; }
        const max = el.scrollHeight - el.clientHeight;
        el.scrollTop = dragFrom + (max - dragFrom) * ((elapsed - opts.steadyMs) / opts.dragMs);
      } else {
        const end = now;
        setTimeout(() => {
          for (const e of observer.takeRecords()) entries.push(e);
          observer.disconnect();
          const inside = entries.filter((e) => e.startTime + e.duration >= t0 && e.startTime <= end + 100);
          const long = inside.filter((e) => e.duration > 50).sort((a, b) => b.duration - a.duration);
          const sorted = gaps.map((g) => g.gap).sort((a, b) => a - b);
          const p95 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] : 0;
          const split = dragAt === null ? end : dragAt;
          const phase = (from, to) => {
            const l = long.filter((e) => e.startTime >= from && e.startTime < to);
            const g = gaps.filter((x) => x.at > from && x.at <= to).map((x) => x.gap);
            return { longFrames: l.length, worstFrameMs: Math.max(0, ...g, ...l.map((e) => e.duration)) };
          };
          resolve({
            entryType,
            durationMs: end - t0,
            frames: gaps.length + 1,
            distancePx: el.scrollTop - startTop,
            longFrames: long.length,
            worstFrameMs: Math.max(sorted.length ? sorted[sorted.length - 1] : 0, long.length ? long[0].duration : 0),
            p95FrameMs: p95,
            steady: phase(-Infinity, split),
            drag: phase(split, Infinity),
            longest: long.slice(0, 5).map((e) => ({
              startMs: e.startTime - t0,
              durationMs: e.duration,
              blockingMs: typeof e.blockingDuration === 'number' ? e.blockingDuration : null,
              scripts: (e.scripts || []).slice().sort((a, b) => b.duration - a.duration).slice(0, 3)
                .map((s) => Math.round(s.duration) + ' ms ' + (s.invoker || s.invokerType || '?') + (s.sourceFunctionName ? ' ' + s.sourceFunctionName : '')),
            })),
            rowsRenderedAtEnd: el.querySelectorAll('[role="listitem"]').length,
          });
        }, 300);
        return;
      }
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
})();
`;

/**
 * Seeds the codings with raw IndexedDB into the app's database (schema v2,
 * store codingPages keyed [projectId, questionId, bucket]), page by page as the
 * app stores them, in one transaction. Codes are the project's (the starter
 * codebook), answers its non-blank ones, coders four (the bench coder among them).
 */
export const SEED = String.raw`
async ({ total, seed, buckets, separator, benchCoder }) => {
  const request = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error); tx.onabort = () => reject(tx.error || new Error('aborted')); });
  const db = await request(indexedDB.open('codebench'));
  try {
    const read = db.transaction(['projects', 'questions', 'codes', 'answerChunks', 'codingPages'], 'readonly');
    const projects = await request(read.objectStore('projects').getAll());
    if (projects.length !== 1) throw new Error('expected one project, found ' + projects.length);
    const projectId = projects[0].id;
    const questions = (await request(read.objectStore('questions').getAll())).filter((q) => q.projectId === projectId).sort((a, b) => a.order - b.order);
    const codes = (await request(read.objectStore('codes').getAll())).filter((c) => c.projectId === projectId);
    if (codes.length === 0) throw new Error('the project has no codes');
    const existing = (await request(read.objectStore('codingPages').getAll())).filter((p) => p.projectId === projectId);
    // Every non-blank answer: its id and its length in code points.
    const ids = [], lengths = [];
    await new Promise((resolve, reject) => {
      const cursor = read.objectStore('answerChunks').openCursor();
      cursor.onerror = () => reject(cursor.error);
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return resolve();
        const chunk = c.value;
        if (chunk.projectId === projectId) {
          for (let i = 0; i < chunk.respondentIds.length; i++) {
            const text = chunk.texts[i];
            let n = 0;
            for (let k = 0; k < text.length; k++) { const u = text.charCodeAt(k); if (u < 0xdc00 || u > 0xdfff) n++; }
            ids.push(chunk.questionId + separator + chunk.waveId + separator + chunk.respondentIds[i]);
            lengths.push(n);
          }
        }
        c.continue();
      };
    });
    await done(read);

    let state = seed >>> 0;
    const random = () => { state = (state + 0x6d2b79f5) >>> 0; let t = state; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
    const coders = [benchCoder, { id: 'bench-b', name: 'Coder B', color: '#a63d24' }, { id: 'bench-c', name: 'Coder C', color: '#1f7a3f' }, { id: 'bench-d', name: 'Coder D', color: '#7a3fa6' }];
    const bucketOf = (answerId) => {
      let hash = 0x811c9dc5;
      for (let i = 0; i < answerId.length; i++) { hash ^= answerId.charCodeAt(i); hash = Math.imul(hash, 0x01000193); }
      return (hash >>> 0) % buckets;
    };
    const pages = new Map();
    for (const page of existing) pages.set(page.questionId + separator + page.bucket, page);
    const wholeTaken = new Set();
    const now = Date.now();
    let whole = 0;
    for (let n = 0; n < total; n++) {
      const a = Math.floor(random() * ids.length);
      const answerId = ids[a];
      const code = codes[Math.floor(random() * codes.length)];
      const coder = coders[Math.floor(random() * coders.length)];
      const length = lengths[a];
      let start = null, end = null;
      const wholeKey = answerId + separator + code.id + separator + coder.id;
      if (random() < 0.45 || wholeTaken.has(wholeKey) || length === 0) {
        start = Math.floor(random() * Math.max(1, length - 1));
        end = Math.min(Math.max(length, start + 1), start + 1 + Math.floor(random() * 60));
      } else {
        wholeTaken.add(wholeKey);
        whole++;
      }
      const questionId = answerId.slice(0, answerId.indexOf(separator));
      const bucket = bucketOf(answerId);
      const key = questionId + separator + bucket;
      let page = pages.get(key);
      if (!page) pages.set(key, (page = { projectId, questionId, bucket, codings: [] }));
      page.codings.push({ projectId, id: crypto.randomUUID(), answerId, codeId: code.id, coderId: coder.id, start, end, createdAt: now - Math.floor(random() * 30 * 86400000) });
    }
    const w0 = performance.now();
    const write = db.transaction(['codingPages', 'coders', 'projects'], 'readwrite');
    for (const page of pages.values()) write.objectStore('codingPages').put(page);
    for (const coder of coders) write.objectStore('coders').put({ projectId, ...coder });
    // As the app's writers do (src/lib/db/revision.ts): counts stored for the project before are no longer valid.
    write.objectStore('projects').put({ ...projects[0], updatedAt: Date.now(), revision: crypto.randomUUID() });
    await done(write);
    const writeMs = performance.now() - w0;
    const sample = [];
    for (let i = 0; i < ids.length; i += Math.max(1, Math.floor(ids.length / 500))) sample.push([ids[i], bucketOf(ids[i])]);
    return {
      projectId, questionIds: questions.map((q) => q.id), answers: ids.length, codes: codes.length, coders: coders.length,
      codings: total, whole, pages: pages.size, writeMs, sample,
    };
  } finally {
    db.close();
  }
}
`;

/** Baselines on a blank page of the same origin and profile (no app code running). */
const BASELINE = String.raw`
async ({ projectId, questionId, puts, queries, staticRows, viewport, scroll }) => {
  const B = window.__cbBench;
  const request = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error); tx.onabort = () => reject(tx.error || new Error('aborted')); });
  const stats = (values) => {
    const s = values.slice().sort((a, b) => a - b);
    const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
    return { n: s.length, p50: at(0.5), p95: at(0.95), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
  };

  // What the app stored: this question's coding pages and texts.
  const app = await request(indexedDB.open('codebench'));
  const read = app.transaction(['codingPages', 'answerChunks'], 'readonly');
  const pages = await request(read.objectStore('codingPages').index('[projectId+questionId]').getAll([projectId, questionId]));
  const chunks = await request(read.objectStore('answerChunks').index('[projectId+questionId]').getAll([projectId, questionId]));
  await done(read);
  app.close();
  const texts = [], who = [];
  for (const chunk of chunks.sort((a, b) => (a.waveId < b.waveId ? -1 : a.waveId > b.waveId ? 1 : a.index - b.index))) {
    for (let i = 0; i < chunk.texts.length; i++) { texts.push(chunk.texts[i]); who.push(chunk.respondentIds[i]); }
  }

  // 1. One coding page put in its own readwrite transaction, in a database of the same pages.
  const NAME = 'bench-coding-baseline';
  await request(indexedDB.deleteDatabase(NAME));
  const open = indexedDB.open(NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore('codingPages', { keyPath: ['projectId', 'questionId', 'bucket'] });
  const db = await request(open);
  const fill = db.transaction('codingPages', 'readwrite');
  for (const page of pages) fill.objectStore('codingPages').put(page);
  await done(fill);
  await B.sleep(100);
  const putMs = [];
  let codings = 0;
  for (let i = 0; i < puts; i++) {
    const page = pages[i % pages.length];
    // As a coding change does: one coding more, or one fewer, in the page.
    if (i % 2 === 0) page.codings.push({ ...page.codings[0], id: crypto.randomUUID(), createdAt: Date.now() });
    else page.codings.pop();
    codings += page.codings.length;
    const t0 = performance.now();
    const tx = db.transaction('codingPages', 'readwrite');
    tx.objectStore('codingPages').put(page);
    await done(tx);
    putMs.push(performance.now() - t0);
    await B.sleep(20);
  }
  db.close();
  await request(indexedDB.deleteDatabase(NAME));

  // 2. A naive search: every text scanned for the query, per keystroke (texts lower-cased beforehand).
  const lower = texts.map((t) => t.toLowerCase());
  const scanMs = [];
  for (const q of queries) {
    const needle = q.toLowerCase();
    const t0 = performance.now();
    const found = lower.filter((t) => t.includes(needle));
    scanMs.push(performance.now() - t0);
    if (found.length < 0) throw new Error('unreachable');
  }

  // 3. A static (non-virtual) list of real answers, scrolled as the app's list was.
  document.body.style.margin = '0';
  const box = document.createElement('div');
  box.id = 'static-list';
  box.style.cssText = 'overflow:auto;height:' + viewport.height + 'px;width:' + viewport.width + 'px;font:16px/1.7 system-ui,sans-serif;border:1px solid #ccc';
  const frag = document.createDocumentFragment();
  for (let i = 0; i < Math.min(staticRows, texts.length); i++) {
    const row = document.createElement('article');
    row.style.cssText = 'display:grid;grid-template-columns:14rem minmax(0,1fr);gap:12px;padding:8px 12px;border-bottom:1px solid #ddd';
    const a = document.createElement('div'); a.textContent = who[i];
    const b = document.createElement('p'); b.style.margin = '0'; b.textContent = texts[i];
    row.append(a, b);
    frag.append(row);
  }
  box.append(frag);
  document.body.append(box);
  await B.frames(3);
  await B.sleep(200);
  const scrolled = await B.scroll('#static-list', scroll);
  return { pagePut: stats(putMs), pagePutCodings: Math.round(codings / puts), scan: stats(scanMs), scanTexts: texts.length, scroll: scrolled };
}
`;

/** Polls an expression in the page until it is truthy. */
/** True once the app has kept the counts at the project's current revision (db/derived-store.ts). */
const KEPT_COUNTS = `new Promise((resolve) => {
  const open = indexedDB.open('codebench');
  open.onerror = () => resolve(false);
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction(['projects', 'derived'], 'readonly');
    const projects = tx.objectStore('projects').getAll();
    const derived = tx.objectStore('derived').getAll();
    tx.oncomplete = () => {
      db.close();
      const project = projects.result[0];
      resolve(!!project && derived.result.some((r) => r.key === 'counts' && r.projectId === project.id && r.revision === (project.revision ?? '')));
    };
    tx.onerror = () => resolve(false);
  };
})`;

async function pollPage(page: Page, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}`);
    await page.waitForTimeout(50);
  }
}

function stats(values: (number | null)[]): Stats | null {
  const s = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  // Nearest-rank percentiles.
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

function fmt(ms: number | null | undefined) {
  if (ms === null || ms === undefined) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function fmtStats(s: Stats | null) {
  return s ? `p50 ${fmt(s.p50)}, p95 ${fmt(s.p95)}, max ${fmt(s.max)} (n=${s.n})` : 'no samples';
}

/**
 * Runs on the page the app flow left on the reopened project. `origin` is the
 * served app's origin (for the blank baseline page).
 */
export interface CodingOptions {
  /** Write main-thread CPU profiles (.cpuprofile, for DevTools) of the scroll, the first question's key presses, a question switch and the search keystrokes here. */
  cpuProfileDir?: string | null;
  /** Write Chromium performance traces (.json, for DevTools' Performance panel) of the scroll and the search keystrokes here. */
  traceDir?: string | null;
}

/**
 * A Chromium trace over CDP (what DevTools' Performance panel records): unlike
 * a CPU profile it shows the frame's style, layout, paint and GC work, which is
 * where a long frame with no script in it went. A no-op without a directory.
 */
function tracer(page: Page, dir: string | null | undefined, prefix: string, log: (line: string) => void) {
  let session: CDPSession | null = null;
  let events: unknown[] = [];
  let current: string | null = null;
  const collect = (e: { value: unknown[] }) => {
    for (const v of e.value) events.push(v);
  };
  return {
    async start(name: string) {
      if (!dir) return;
      session ??= await page.context().newCDPSession(page);
      events = [];
      session.on('Tracing.dataCollected', collect);
      await session.send('Tracing.start', {
        transferMode: 'ReportEvents',
        traceConfig: {
          includedCategories: [
            'devtools.timeline',
            'disabled-by-default-devtools.timeline',
            'disabled-by-default-devtools.timeline.frame',
            'toplevel',
            'blink',
            'blink.user_timing',
            'cc',
            'gpu',
            'v8',
            'v8.execute',
            'disabled-by-default-v8.gc',
            'loading',
            'latencyInfo',
          ],
        },
      });
      current = name;
    },
    async stop() {
      if (!dir || !session || !current) return;
      const done = new Promise<void>((resolve) => session!.once('Tracing.tracingComplete', () => resolve()));
      await session.send('Tracing.end');
      await done;
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${prefix}-${current}.trace.json`);
      writeFileSync(path, JSON.stringify({ traceEvents: events }));
      log(`  coding: trace ${path} (${events.length.toLocaleString('en-US')} events)`);
      session.off('Tracing.dataCollected', collect);
      current = null;
    },
  };
}

/** Main-thread CPU profiles over CDP; a no-op without a directory. */
function cpuProfiler(page: Page, dir: string | null | undefined, prefix: string, log: (line: string) => void) {
  let session: CDPSession | null = null;
  let current: string | null = null;
  return {
    async start(name: string) {
      if (!dir) return;
      session ??= await page.context().newCDPSession(page);
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: 200 });
      await session.send('Profiler.start');
      current = name;
    },
    async stop() {
      if (!dir || !session || !current) return;
      const { profile } = await session.send('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${prefix}-${current}.cpuprofile`);
      writeFileSync(path, JSON.stringify(profile));
      log(`  coding: CPU profile ${path}`);
      current = null;
    },
  };
}

export async function runCoding(
  profile: Profile,
  origin: string,
  respondents: number,
  log: (line: string) => void,
  options: CodingOptions = {},
): Promise<CodingResult> {
  const { page, context } = profile;
  const cpu = cpuProfiler(page, options.cpuProfileDir, `coding-${respondents}`, log);
  const trace = tracer(page, options.traceDir, `coding-${respondents}`, log);
  const total = codingsFor(respondents);
  const timeout = 60_000 + Math.ceil((respondents / 100_000) * 240_000);
  let step = 'install the instrumentation';
  try {
    await context.addInitScript({ content: INSTRUMENT });
    await page.evaluate(INSTRUMENT);

    step = 'load the starter codebook ([data-testid="load-starter-codebook"])';
    await page.getByTestId('load-starter-codebook').click({ timeout: 30_000 });
    await page.locator('[data-testid="code-button"]').nth(8).waitFor({ state: 'visible', timeout: 30_000 });
    // Let the codebook's write land before the database is touched from outside.
    // (Polled from Node: the app's Content-Security-Policy forbids the eval behind a string waitForFunction.)
    await pollPage(page, `(() => { const b = document.querySelector('[data-testid="undo"]'); return !!b && !b.disabled; })()`, 30_000);

    step = `seed ${total.toLocaleString('en-US')} codings (raw IndexedDB)`;
    log(`  coding: seeding ${total.toLocaleString('en-US')} codings`);
    const seeded = (await benchWork(page, () =>
      page.evaluate(
        `(${SEED})(${JSON.stringify({ total, seed: CODING_SEED, buckets: CODING_BUCKETS, separator: ANSWER_ID_SEPARATOR, benchCoder: BENCH_CODER })})`,
        undefined,
      ),
    )) as {
      projectId: string;
      questionIds: string[];
      answers: number;
      codes: number;
      coders: number;
      codings: number;
      whole: number;
      pages: number;
      writeMs: number;
      sample: [string, number][];
    };
    const wrong = seeded.sample.filter(([id, bucket]) => codingBucket(id) !== bucket);
    if (wrong.length > 0)
      throw new CodingFlowError(
        `the bench's bucket hash disagrees with codingBucket() for ${wrong.length} of ${seeded.sample.length} answer ids (e.g. ${JSON.stringify(wrong[0][0])})`,
        step,
      );
    log(
      `  coding: ${seeded.codings.toLocaleString('en-US')} codings (${seeded.whole.toLocaleString('en-US')} whole-answer) in ${seeded.pages} pages, written in ${fmt(seeded.writeMs)}`,
    );

    step = 'reload with the codings and wait for the project view ready';
    await cpu.start('reopen');
    const t0 = performance.now();
    await page.reload({ waitUntil: 'commit', timeout });
    await page.locator(READY).waitFor({ state: 'visible', timeout });
    const reopenMs = performance.now() - t0;
    await page.getByTestId('answer').first().waitFor({ state: 'visible', timeout });
    const reopenToAnswersMs = performance.now() - t0;
    // Counts (codebook, progress) are built just after the first paint.
    await page.locator('[data-testid="coding-progress"]', { hasText: 'coded by you' }).first().waitFor({ state: 'visible', timeout });
    const reopenToCountsMs = performance.now() - t0;
    await cpu.stop();
    const appReopenMs = (await readMeasures(page)).open;
    const progressText =
      (
        (await page
          .getByTestId('coding-progress')
          .first()
          .textContent({ timeout: 5000 })
          .catch(() => null)) ?? ''
      )
        .trim()
        .replace(/\s+/g, ' ') || null;
    const heapAfterReopenBytes = await heapUsed(page);
    log(`  coding: reopened with codings in ${fmt(reopenMs)} (answers after ${fmt(reopenToAnswersMs)}); ${progressText ?? 'no progress shown'}`);
    if (await page.locator('[data-testid="coder-dialog"], dialog[open]').count()) log('  coding: note: a dialog is open after the reload');

    step = 'wait until the counts are kept (derived record "counts" at the project revision), reload, wait for the counts';
    await pollPage(page, KEPT_COUNTS, timeout);
    const t1 = performance.now();
    await page.reload({ waitUntil: 'commit', timeout });
    await page.locator(READY).waitFor({ state: 'visible', timeout });
    const keptReadyMs = performance.now() - t1;
    await page.locator('[data-testid="coding-progress"]', { hasText: 'coded by you' }).first().waitFor({ state: 'visible', timeout });
    const keptCountsMs = performance.now() - t1;
    const codebookCounted = (await page.locator('[data-testid="codebook"] .counts[title="Counting…"]').count()) === 0;
    const reopenKept = { readyMs: keptReadyMs, countsMs: keptCountsMs, codebookCounted };
    log(
      `  coding: reopened with the counts kept: ready ${fmt(keptReadyMs)}, counts ${fmt(keptCountsMs)}${codebookCounted ? '' : ' (codebook still counting)'}`,
    );
    step = 'reopen in a new session: a blank page of the origin for 2 s, then the project, and wait for the counts';
    const projectUrl = page.url();
    const origin = new URL(projectUrl).origin;
    await context.route(`${origin}${SESSION_GAP_PATH}`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><meta charset="utf-8"><title>bench: between sessions</title>',
      }),
    );
    await page.goto(`${origin}${SESSION_GAP_PATH}`, { timeout: 30_000 });
    await page.waitForTimeout(2000);
    const t2 = performance.now();
    await page.goto(projectUrl, { waitUntil: 'commit', timeout });
    await page.locator(READY).waitFor({ state: 'visible', timeout });
    const sessionReadyMs = performance.now() - t2;
    await page.locator('[data-testid="coding-progress"]', { hasText: 'coded by you' }).first().waitFor({ state: 'visible', timeout });
    const sessionCountsMs = performance.now() - t2;
    const reopenNewSession = {
      readyMs: sessionReadyMs,
      countsMs: sessionCountsMs,
      codebookCounted: (await page.locator('[data-testid="codebook"] .counts[title="Counting…"]').count()) === 0,
    };
    log(`  coding: reopened in a new session with the counts kept: ready ${fmt(sessionReadyMs)}, counts ${fmt(sessionCountsMs)}`);

    // The scroll and the keys below measure a settled list, as before the counts were kept: the kept counts are shown
    // before the index is built, and scrolling while it is built is not what these rows time.
    await page.locator('[data-testid="project-view"][data-counted="true"]').waitFor({ state: 'attached', timeout });
    const viewport = (await page.evaluate(
      `(() => { const el = document.querySelector('[data-testid="answer-list"]'); return { width: el.clientWidth, height: el.clientHeight }; })()`,
    )) as { width: number; height: number };
    await page.waitForTimeout(500);

    step = 'scroll [data-testid="answer-list"]';
    await cpu.start('scroll');
    await trace.start('scroll');
    const scroll = (await page.evaluate(`window.__cbBench.scroll('[data-testid="answer-list"]', ${JSON.stringify(SCROLL)})`)) as ScrollResult;
    await trace.stop();
    await cpu.stop();
    log(
      `  coding: scroll ${scroll.frames} frames over ${Math.round(scroll.distancePx).toLocaleString('en-US')} px: ${scroll.longFrames} frames > 50 ms, worst ${fmt(scroll.worstFrameMs)} ` +
        `(steady ${scroll.steady.longFrames}, worst ${fmt(scroll.steady.worstFrameMs)}; drag ${scroll.drag.longFrames}, worst ${fmt(scroll.drag.worstFrameMs)})`,
    );

    step = 'apply, undo and redo codes by key on answers';
    const actions: ActionSample[] = [];
    const switches: QuestionSwitch[] = [];
    const questionCount = await page.getByTestId('question-item').count();
    await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
    let previous: string | null = null;
    /** Moves to the next answer with j (as a coder does); null when the focus did not move. */
    const next = async (): Promise<string | null> => {
      await page.keyboard.press('j');
      return (await page.evaluate(`window.__cbBench.focusedAnswer(${JSON.stringify(previous)})`)) as string | null;
    };
    /** Presses one key and measures it; returns the sample. */
    const measure = async (kind: ActionSample['kind'], press: string, answerId: string): Promise<ActionSample> => {
      await page.evaluate(`window.__cbBench.armChips(${JSON.stringify(answerId)})`);
      await page.keyboard.press(press);
      const sample = (await page.evaluate('window.__cbBench.collect()')) as Omit<ActionSample, 'kind'>;
      if (sample.problem) {
        // Put focus back on the answer for the next step, so one miss does not cascade.
        await page.evaluate(`window.__cbBench.answer(${JSON.stringify(answerId)})?.focus({ preventScroll: true })`);
      }
      return { kind, ...sample, key: press };
    };
    let coded = 0;
    for (let q = 0; q < Math.min(questionCount, QUESTIONS_CODED); q++) {
      if (q > 0) {
        step = `switch to question ${q + 1} ([data-testid="question-item"])`;
        if (q === 1) await cpu.start('switch');
        await page.evaluate('window.__cbBench.armQuestion()');
        await page.getByTestId('question-item').nth(q).click({ timeout: 10_000 });
        const s = (await page.evaluate('window.__cbBench.collect()')) as QuestionSwitch;
        if (q === 1) await cpu.stop();
        switches.push(s);
        if (s.problem) throw new CodingFlowError(`switching to question ${q + 1}: ${s.problem}`, step);
        await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
      }
      step = 'apply, undo and redo codes by key on answers';
      if (q === 0) await cpu.start('keys');
      for (let i = 0; i < ANSWERS_PER_QUESTION; i++) {
        const answerId = await next();
        if (!answerId) throw new CodingFlowError(`j did not move the focus to the next answer (question ${q + 1}, answer ${i + 1})`, step);
        previous = answerId;
        const key = String((coded % 9) + 1);
        actions.push(await measure('apply', key, answerId));
        actions.push(await measure('undo', 'Control+z', answerId));
        actions.push(await measure('redo', 'Control+Shift+z', answerId));
        actions.push(await measure('apply', key, answerId));
        actions.push(await measure('undo', 'Control+z', answerId));
        coded++;
      }
      if (q === 0) await cpu.stop();
      log(`  coding: ${coded} answers coded (question ${q + 1} of ${Math.min(questionCount, QUESTIONS_CODED)})`);
    }

    // Deeper in the list, as a coder working down it would be: does a coding change keep the list where it is?
    step = 'apply a code further down the list';
    for (let i = 0; i < DEEP_STEPS; i++) {
      const id = await next();
      if (!id) break;
      previous = id;
    }
    let deep: ActionSample | null = null;
    if (previous) {
      deep = await measure('apply', '1', previous);
      // Undo it (not measured).
      await page.keyboard.press('Control+z');
      await page.evaluate('window.__cbBench.quiet(300, 5000)');
      log(
        `  coding: apply at answer ${ANSWERS_PER_QUESTION + DEEP_STEPS} of the list: scrollTop ${Math.round(deep.scrollBefore)} → ${Math.round(deep.scrollAfter)} px${deep.problem ? `; ${deep.problem}` : `, ${fmt(deep.paintMs)} to paint`}`,
      );
    }
    const of = (kind: ActionSample['kind']) => actions.filter((a) => a.kind === kind && !a.problem);
    const summarize = (kind: ActionSample['kind']) => ({
      paint: stats(of(kind).map((a) => a.paintMs)),
      dom: stats(of(kind).map((a) => a.domMs)),
      stored: stats(of(kind).map((a) => a.storedMs)),
    });
    const apply = summarize('apply');
    const undo = summarize('undo');
    const redo = summarize('redo');
    const actionProblems = actions
      .filter((a) => a.problem)
      .map((a) => `${a.kind} (${a.key}) on ${a.answerId.split(ANSWER_ID_SEPARATOR).join(' / ')}: ${a.problem}`);
    const listJumps = actions.filter((a) => Math.abs(a.scrollAfter - a.scrollBefore) > 1).length;
    log(`  coding: apply ${fmtStats(apply.paint)}; stored ${fmtStats(apply.stored)}`);
    log(`  coding: undo ${fmtStats(undo.paint)}; redo ${fmtStats(redo.paint)}`);
    if (actionProblems.length) log(`  coding: ${actionProblems.length} actions had problems, e.g. ${actionProblems[0]}`);
    if (listJumps) log(`  coding: the answer list scrolled by itself during ${listJumps} of ${actions.length} actions`);

    const switchPaint = stats(switches.map((x) => x.paintMs));
    if (switches.length) log(`  coding: question switch ${fmtStats(switchPaint)}; settled ${fmtStats(stats(switches.map((x) => x.settledMs)))}`);

    step = 'search: first query builds the index ([data-testid="search-input"])';
    const searchQuestion = (await page.evaluate('window.__cbBench.firstQuestion()')) as string | null;
    const input = page.getByTestId('search-input');
    await input.click({ timeout: 10_000 });
    await page.evaluate(`window.__cbBench.armSearch(${timeout})`);
    await page.keyboard.press('m');
    const first = (await page.evaluate('window.__cbBench.collect()')) as SearchSample;
    if (first.problem) throw new CodingFlowError(`the first search (“m”) did not complete: ${first.problem}`, step);
    log(`  coding: first search (index build) ${fmt(first.paintMs)}, ${first.hits?.toLocaleString('en-US')} hits, “${first.countText}”`);
    step = 'search: keystrokes';
    const searchSamples: SearchSample[] = [];
    await cpu.start('search');
    await trace.start('search');
    for (const key of SEARCH_EDITS) {
      if (key === 'SelectAll') {
        await page.keyboard.press('Control+a');
        continue;
      }
      await page.evaluate('window.__cbBench.armSearch(10000)');
      await page.keyboard.press(key === ' ' ? 'Space' : key);
      const s = (await page.evaluate('window.__cbBench.collect()')) as SearchSample;
      searchSamples.push({ ...s, key });
    }
    await trace.stop();
    await cpu.stop();
    const okSearch = searchSamples.filter((s) => !s.problem);
    const search = {
      paint: stats(okSearch.map((s) => s.paintMs)),
      highlight: stats(okSearch.map((s) => s.highlightMs)),
      worker: stats(okSearch.map((s) => s.workerMs)),
    };
    log(`  coding: search keystroke → results painted ${fmtStats(search.paint)}; highlighted ${fmtStats(search.highlight)}`);
    const searchProblems = searchSamples.filter((s) => s.problem);
    if (searchProblems.length)
      log(`  coding: ${searchProblems.length} keystrokes had problems, e.g. “${searchProblems[0].query}”: ${searchProblems[0].problem}`);

    step = 'baselines on a blank page of the same origin';
    const queries = [...new Set(searchSamples.map((s) => s.query).filter((q): q is string => !!q && q.trim() !== ''))];
    const scanQueries = searchSamples.map((s) => s.query ?? '').filter((q) => q.trim() !== '');
    await context.route(`${origin}${BLANK_PATH}`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: '<!doctype html><meta charset="utf-8"><title>bench coding baseline</title><body></body>',
      }),
    );
    await page.goto(`${origin}${BLANK_PATH}`, { timeout: 30_000 });
    const baseline = (await page.evaluate(
      `(${BASELINE})(${JSON.stringify({ projectId: seeded.projectId, questionId: searchQuestion ?? seeded.questionIds[0], puts: PAGE_PUTS, queries: scanQueries.length ? scanQueries : queries, staticRows: STATIC_ROWS, viewport, scroll: SCROLL })})`,
    )) as CodingResult['baseline'];
    log(
      `  coding baseline: page put (~${baseline.pagePutCodings} codings) ${fmtStats(baseline.pagePut)}; scan of ${baseline.scanTexts.toLocaleString('en-US')} texts ${fmtStats(baseline.scan)}`,
    );
    log(`  coding baseline: static ${STATIC_ROWS}-row list: ${baseline.scroll.longFrames} frames > 50 ms, worst ${fmt(baseline.scroll.worstFrameMs)}`);
    await collectGarbage(page);

    return {
      respondents,
      codings: seeded.codings,
      wholeAnswer: seeded.whole,
      coders: seeded.coders,
      codes: seeded.codes,
      pages: seeded.pages,
      codingsPerPage: seeded.codings / seeded.pages,
      seedWriteMs: seeded.writeMs,
      reopenMs,
      reopenToAnswersMs,
      appReopenMs,
      heapAfterReopenBytes,
      progressText,
      reopenToCountsMs,
      reopenKept,
      reopenNewSession,
      scroll,
      apply,
      undo,
      redo,
      actionProblems,
      listJumps,
      actions,
      deep,
      switches,
      switchPaint: stats(switches.map((x) => x.paintMs)),
      switchSettled: stats(switches.map((x) => x.settledMs)),
      switchWorstFrameMs: switches.length ? Math.max(...switches.map((x) => x.worstFrameMs)) : null,
      searchQuestion,
      searchIndexMs: first.paintMs,
      searchIndexHits: first.hits,
      search,
      searchSamples,
      baseline,
    };
  } catch (err) {
    if (err instanceof CodingFlowError) throw err;
    throw new CodingFlowError(`${step}: ${(err as Error).message.split('\n')[0]}`, step);
  }
}
