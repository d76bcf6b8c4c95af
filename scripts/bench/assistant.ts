/**
 * The assistant (issue 16) at scale, through the UI, in the profile the app flow has imported into (and the other
 * app phases have used): a coder "bench-assistant" whose codings cover 2,000 answers of the project's first question,
 * and the assistant turned on for it on that question (~92k answers at 100k respondents) with 20 codes.
 *
 * Measured in the page:
 * (a) the assistant turned on (a click on `assistant-toggle`) → `assistant-status` says `data-status="ready"`,
 *     painted; the worker's own read / features / train / predict split (data-*-ms on the status);
 * (b) a retrain: one more code applied by its key to an answer the coder has not coded → the next `working` →
 *     `ready`, painted (the worker trains and predicts again; the feature space is kept, so features are 0);
 * (c) keystrokes while the worker learns, during (a): j/k moving the focus in the answer list (keydown → the focus
 *     on another answer, painted) and edits in the search box (keydown → the search worker's results, painted),
 *     each key recording the assistant's status at its keydown; then the same keys once it is ready, for comparison.
 *     Long animation frames and the longest gap between animation frames from the click to ready are kept too.
 *
 * Seed data (raw IndexedDB, one transaction; documented in docs/BENCH.md): until the project has `codes` codes,
 * top-level codes "<cue> (assistant bench)" (ids `bench-assistant-<n>`, each with the first free shortcut key); the
 * coder `bench-assistant`; on the first question (by order), `coded` answers drawn without replacement by a seeded
 * mulberry32 among its non-blank answers, each coded as a whole answer with 1 code (65 %) or 2 (35 %): codes whose
 * cue (a word or phrase of the synthetic survey's phrase banks, CUES below) is in the answer's text, the last one
 * replaced by a random code with probability 0.08; an answer with no cue gets the last code ("Other or brief").
 * The first `codes` codes of the project (by order, then id) take the cues in CUES' order, so a codebook the other
 * phases made (the starter codebook, the agreement bench's codes) is reused when it has enough codes. The project's
 * revision is renewed in the same transaction, as the app's writers do (src/lib/db/revision.ts), so the counts and
 * the packed codings kept for the previous revision are not used. The coder is made current
 * (`localStorage['codebench.coder']`) and the assistant is left off for the project until the click.
 */
import type { Page } from 'playwright-core';
import { CODING_BUCKETS, codingBucket } from '../../src/lib/coding/coding-pages';
import { SHORTCUT_KEYS } from '../../src/lib/coding/keys';
import { ANSWER_ID_SEPARATOR } from '../../src/lib/model/types';
import type { Stats } from './coding';
import { benchWork, collectGarbage } from './heap';
import { ms } from './report';

export const ASSISTANT_CODER = { id: 'bench-assistant', name: 'Bench assistant', color: '#1f7a3f' };
/** Answers the coder has coded: the issue's "training on 2,000 coded answers". */
export const ASSISTANT_CODED = 2000;
/** Codes the assistant predicts: the issue's "× 20 codes". */
export const ASSISTANT_CODES = 20;
const ASSISTANT_SEED = 20240116;

/**
 * Each code's cue, a case-insensitive regular expression over the answer text, from the phrase banks of
 * scripts/lib/synthetic-survey.ts; the last code has none (answers with no cue, "N/A", "Fine", …).
 */
const CUES: readonly [name: string, cue: string | null][] = [
  ['Confidence', 'confiden'],
  ['Time and workload', '\\btime\\b|rota|on-call|busy|workload'],
  ['Meeting online', 'online|teams call|opposite ends'],
  ['Career plans', 'career|plan for the next|senior post|promotion|fellowship|lead role'],
  ['Networking', 'introduced me|networking|people outside'],
  ['Being listened to', 'listen'],
  ['Honesty', 'honest'],
  ['Family and caring', 'family|childcare|children'],
  ['Applications and interviews', 'interview|apply'],
  ['The department', 'department'],
  ['How the scheme is run', 'organisers|handbook|forms|template|launch event'],
  ['Training and groups', 'training|group sessions'],
  ['Scheduling', 'evening sessions|12 months|mid-point|cancel'],
  ['Shared background', 'background|ethnicity|gender|look like me'],
  ['Role models', 'professor|made it feel possible|juggled'],
  ['Encouragement', 'you belong here|happened to me too|worst they can say|write it down'],
  ['Hostile remarks', 'really from|articulate|girls like you|good use of teaching time|nobody reacted'],
  ['Giving back', 'give back|as much as my mentee'],
  ['Trust and confidentiality', 'trust|confidential'],
  ['Other or brief', null],
];

/** While learning: blocks of answer moves and of search edits, alternating, until the status is ready. */
const MOVE_BLOCK = ['j', 'j', 'k', 'j'];
/**
 * Search edits from "con" and back to it: every query a prefix of 3 letters or more (the search's least for a
 * prefix), so each keystroke asks the search worker and the list keeps answers for j/k.
 */
const SEARCH_FROM = 'con';
const SEARCH_CYCLE = ['f', 'i', 'd', 'e', 'Backspace', 'Backspace', 'Backspace', 'Backspace'];
const SEARCH_BLOCK = 4;
/** Keys sent while learning at most (the learning ends first at the sizes the bench runs). */
const MAX_LEARNING_KEYS = 600;
/** Blocks (moves, then search) pressed once the assistant is ready, as the comparison. */
const IDLE_BLOCKS = 3;

/** The pause between opening the question (and its search index) and turning the assistant on. */
const SETTLE_MS = 10_000;
const READY = '[data-testid="project-view"][data-ready="true"]';
const GAP_PATH = '/__codebench-bench__/assistant-gap.html';

export interface AssistantBenchOptions {
  /** The project's address (the page may be on one of the bench's blank pages). */
  projectUrl?: string | null;
  /** Coded answers of the first question. ASSISTANT_CODED by default. */
  coded?: number;
  /** Codes the project is brought to. ASSISTANT_CODES by default. */
  codes?: number;
  /** Per-step time limit. 5 minutes by default. */
  timeoutMs?: number;
}

export interface AssistantTiming {
  /** data-trained-on and data-*-ms on [data-testid="assistant-status"] once ready: the worker's own times. */
  trainedOn: number | null;
  readMs: number | null;
  featuresMs: number | null;
  trainMs: number | null;
  predictMs: number | null;
}

export interface AssistantKeySample {
  kind: 'move' | 'search';
  key: string;
  /** The assistant's data-status at the keydown. */
  status: string | null;
  /** keydown (its timeStamp) → the frame with the change painted. */
  paintMs: number | null;
  /** Time the key waited before its keydown handler ran (timeStamp → dispatch): main-thread queueing. */
  queueMs: number | null;
  problem: string | null;
}

export interface AssistantBenchResult {
  questionId: string;
  /** The first question's answers (non-blank), as the worker predicted them. */
  answers: number;
  codes: number;
  addedCodes: number;
  codedAnswers: number;
  codings: number;
  /** Coded answers whose text holds at least one code's cue. */
  cuedAnswers: number;
  seedWriteMs: number;
  /** Opening the project's first question in a new document → project view ready. */
  openMs: number;
  /** The search index built before the assistant is turned on (first keystroke → results painted). */
  searchWarmMs: number | null;
  on: {
    /** Click on assistant-toggle → data-status="ready" painted (in the page). */
    toReadyMs: number | null;
    /** Click → the first data-status="working". */
    toWorkingMs: number | null;
    timing: AssistantTiming;
    /** The worker's progress messages as the page received them: ms after the click each phase began. */
    phasesAt: Record<string, number>;
    /** Answers with at least one code decided, and decisions in all, from the worker's suggestions message. */
    answersSuggested: number | null;
    decisions: number | null;
    /** Suggestion chips in the DOM once ready (rows on screen). */
    chipsOnScreen: number;
    /** Main thread from the click to ready painted. */
    longFrames: number;
    worstFrameMs: number;
    maxFrameGapMs: number;
    longest: { startMs: number; durationMs: number; scripts: string[] }[];
    problem: string | null;
  };
  retrain: {
    key: string;
    answerId: string | null;
    /** The code was applied (a chip more on the answer). */
    applied: boolean;
    /** data-status working → ready painted (the worker's train + predict and the message back). */
    workingToReadyMs: number | null;
    /** Keydown → ready painted, with the app's RETRAIN_AFTER_MS pause before the worker is asked. */
    keyToReadyMs: number | null;
    timing: AssistantTiming;
    problem: string | null;
  };
  keys: {
    samples: AssistantKeySample[];
    /** Keys sent in all while learning, and those whose keydown saw data-status="working". */
    sentWhileLearning: number;
    whileWorking: number;
    /** Keydown → painted of the keys pressed while working (no problem). */
    working: Stats | null;
    workingMove: Stats | null;
    workingSearch: Stats | null;
    /** The same keys once ready. */
    idle: Stats | null;
    problems: number;
  };
  target: { keyP95Ms: 50; met: boolean | null };
}

export class AssistantBenchError extends Error {
  constructor(
    message: string,
    readonly step: string,
  ) {
    super(message);
  }
}

/** Adds codes, the coder and the coder's codings with raw IndexedDB (see the notes at the top). */
const SEED = String.raw`
async ({ coded, codes: wanted, seed, buckets, separator, coder, cues, shortcutKeys }) => {
  const request = (req) => new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  const done = (tx) => new Promise((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error); tx.onabort = () => reject(tx.error || new Error('aborted')); });
  const db = await request(indexedDB.open('codebench'));
  try {
    const read = db.transaction(['projects', 'questions', 'codes', 'coders', 'answerChunks', 'codingPages', 'waves'], 'readonly');
    const projects = await request(read.objectStore('projects').getAll());
    if (projects.length !== 1) throw new Error('expected one project, found ' + projects.length);
    const projectId = projects[0].id;
    const mine = (rows) => rows.filter((r) => r.projectId === projectId);
    const question = mine(await request(read.objectStore('questions').getAll())).sort((a, b) => a.order - b.order)[0];
    if (!question) throw new Error('the project has no question');
    const codes = mine(await request(read.objectStore('codes').getAll()))
      .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const coders = mine(await request(read.objectStore('coders').getAll()));
    const waveRank = new Map(mine(await request(read.objectStore('waves').getAll())).sort((a, b) => a.order - b.order).map((w, i) => [w.id, i]));
    const chunks = await request(read.objectStore('answerChunks').index('[projectId+questionId]').getAll([projectId, question.id]));
    const pages = await request(read.objectStore('codingPages').index('[projectId+questionId]').getAll([projectId, question.id]));
    await done(read);

    // The question's answers in the app's order (waves, then import order).
    chunks.sort((a, b) => (waveRank.get(a.waveId) ?? 1e9) - (waveRank.get(b.waveId) ?? 1e9) || a.index - b.index);
    const ids = [], texts = [];
    for (const chunk of chunks) {
      for (let i = 0; i < chunk.respondentIds.length; i++) {
        ids.push(question.id + separator + chunk.waveId + separator + chunk.respondentIds[i]);
        texts.push(chunk.texts[i]);
      }
    }
    const eligible = [];
    for (let i = 0; i < ids.length; i++) if (texts[i].trim() !== '') eligible.push(i);
    if (eligible.length < coded) throw new Error('the first question has ' + eligible.length + ' non-blank answers, fewer than ' + coded);

    let state = seed >>> 0;
    const random = () => { state = (state + 0x6d2b79f5) >>> 0; let t = state; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
    const bucketOf = (answerId) => {
      let hash = 0x811c9dc5;
      for (let i = 0; i < answerId.length; i++) { hash ^= answerId.charCodeAt(i); hash = Math.imul(hash, 0x01000193); }
      return (hash >>> 0) % buckets;
    };

    // Codes until the project has the wanted number, each with the first free key.
    const PALETTE = ['#1f78b4', '#33a02c', '#e31a1c', '#ff7f00', '#6a3d9a', '#b15928', '#a6cee3', '#b2df8a', '#fb9a99', '#fdbf6f', '#cab2d6'];
    const taken = new Set(codes.map((c) => c.shortcut).filter(Boolean));
    const topLevel = codes.filter((c) => c.parentId === null).length;
    const added = [];
    for (let n = 1; codes.length + added.length < wanted; n++) {
      const id = 'bench-assistant-' + n;
      if (codes.some((c) => c.id === id)) continue;
      const cue = cues[Math.min(cues.length - 1, codes.length + added.length)];
      const shortcut = shortcutKeys.find((k) => !taken.has(k)) || '';
      if (shortcut) taken.add(shortcut);
      added.push({
        projectId, id, parentId: null, name: cue[0] + ' (assistant bench)', color: PALETTE[(n - 1) % PALETTE.length],
        definition: 'Added by the assistant bench' + (cue[1] ? ': answers mentioning /' + cue[1] + '/i.' : ': answers with none of the other codes’ cues.'),
        inclusion: '', exclusion: '', example: '', order: topLevel + n, shortcut,
      });
    }
    const cued = [...codes, ...added].slice(0, wanted);
    const matchers = cues.slice(0, cued.length).map(([, cue]) => (cue ? new RegExp(cue, 'i') : null));
    const fallback = cued.length - 1;

    // coded answers drawn without replacement (partial Fisher–Yates), listed in the app's order.
    for (let i = 0; i < coded; i++) {
      const j = i + Math.floor(random() * (eligible.length - i));
      const swap = eligible[i]; eligible[i] = eligible[j]; eligible[j] = swap;
    }
    const drawn = eligible.slice(0, coded).sort((a, b) => a - b);

    const byPage = new Map();
    for (const page of pages) byPage.set(page.bucket, page);
    const now = Date.now();
    let codings = 0, cuedAnswers = 0;
    for (const a of drawn) {
      const matches = [];
      for (let c = 0; c < matchers.length; c++) if (matchers[c] && matchers[c].test(texts[a])) matches.push(c);
      if (matches.length > 0) cuedAnswers++;
      const count = random() < 0.35 ? 2 : 1;
      for (let i = matches.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); const s = matches[i]; matches[i] = matches[j]; matches[j] = s; }
      const chosen = matches.length ? matches.slice(0, count) : [fallback];
      if (random() < 0.08) chosen[chosen.length - 1] = Math.floor(random() * cued.length);
      const answerId = ids[a];
      const bucket = bucketOf(answerId);
      let page = byPage.get(bucket);
      if (!page) byPage.set(bucket, (page = { projectId, questionId: question.id, bucket, codings: [] }));
      for (const c of new Set(chosen)) {
        page.codings.push({ projectId, id: crypto.randomUUID(), answerId, codeId: cued[c].id, coderId: coder.id, start: null, end: null, createdAt: now - Math.floor(random() * 30 * 86400000) });
        codings++;
      }
    }

    const w0 = performance.now();
    const write = db.transaction(['codes', 'coders', 'codingPages', 'projects'], 'readwrite');
    // As the app's writers do (src/lib/db/revision.ts): what was derived from the project before is no longer valid.
    write.objectStore('projects').put({ ...projects[0], updatedAt: Date.now(), revision: crypto.randomUUID() });
    for (const code of added) write.objectStore('codes').put(code);
    if (!coders.some((c) => c.id === coder.id)) write.objectStore('coders').put({ projectId, ...coder });
    for (const page of byPage.values()) write.objectStore('codingPages').put(page);
    await done(write);
    const writeMs = performance.now() - w0;

    // The coder is the current one; the assistant stays off for the project until the bench clicks it on.
    localStorage.setItem('codebench.coder', JSON.stringify(coder));
    localStorage.setItem('codebench:assistant:' + projectId, 'off');

    const key = cued.map((c) => c.shortcut).find(Boolean) || null;
    const sample = drawn.filter((_, i) => i % 10 === 0).map((a) => [ids[a], bucketOf(ids[a])]);
    return {
      projectId, questionId: question.id, answers: ids.length, codes: codes.length + added.length, addedCodes: added.length,
      codedIds: drawn.map((a) => ids[a]), codings, cuedAnswers, writeMs, key, sample,
    };
  } finally {
    db.close();
  }
}
`;

/** Installed before every document (addInitScript): keydowns, focus moves, the workers' messages, long frames. */
const INSTRUMENT = String.raw`
(() => {
  if (window.__cbAssistant) return;
  const A = (window.__cbAssistant = { keydowns: [], long: [], worker: [], onFocus: null, onSearch: null });
  A.status = () => { const el = document.querySelector('[data-testid="assistant-status"]'); return el ? el.getAttribute('data-status') : null; };
  addEventListener('keydown', (e) => {
    if (['Control', 'Shift', 'Alt', 'Meta'].includes(e.key)) return;
    const now = performance.now();
    const at = e.timeStamp > 0 && e.timeStamp <= now && now - e.timeStamp < 5000 ? e.timeStamp : now;
    A.keydowns.push({ key: e.key, at, dispatched: now, status: A.status() });
  }, true);
  addEventListener('focusin', (e) => {
    const t = e.target;
    const id = t && t.getAttribute && t.getAttribute('data-testid') === 'answer' ? t.getAttribute('data-answer-id') : null;
    if (id && A.onFocus) A.onFocus(id, performance.now());
  }, true);
  const NativeWorker = window.Worker;
  if (NativeWorker) {
    window.Worker = class extends NativeWorker {
      constructor(url, options) {
        super(url, options);
        const name = String(url);
        if (/assistant/i.test(name)) {
          this.addEventListener('message', (event) => {
            const d = event.data || {};
            const entry = { type: d.type, phase: d.phase || null, at: performance.now() };
            if (d.type === 'suggestions' && d.decisions && d.codeIds) {
              const k = d.codeIds.length, n = d.answerCount;
              let answers = 0, decisions = 0;
              for (let p = 0; p < n; p++) {
                let any = 0;
                for (let c = 0; c < k; c++) if (d.decisions[p * k + c]) { any = 1; decisions++; }
                answers += any;
              }
              Object.assign(entry, { answerCount: n, answersSuggested: answers, decisions, trainedOn: d.trainedOn, timing: d.timing });
            }
            A.worker.push(entry);
          });
        } else if (/search/i.test(name)) {
          this.addEventListener('message', (event) => { if (A.onSearch) A.onSearch(event.data || {}, performance.now()); });
        }
      }
    };
  }
  try {
    const type = (PerformanceObserver.supportedEntryTypes || []).includes('long-animation-frame') ? 'long-animation-frame' : 'longtask';
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        A.long.push({
          start: e.startTime, end: e.startTime + e.duration, duration: e.duration,
          scripts: (e.scripts || []).slice().sort((a, b) => b.duration - a.duration).slice(0, 3)
            .map((s) => Math.round(s.duration) + ' ms ' + (s.invoker || s.invokerType || '?') + (s.sourceFunctionName ? ' ' + s.sourceFunctionName : '') + (s.sourceURL ? ' (' + s.sourceURL.split('/').pop() + ')' : '')),
        });
      }
    }).observe({ type, buffered: false });
  } catch {}
  A.afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(0);
  }));
  A.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  A.focusedId = () => {
    const el = document.activeElement;
    return el && el.getAttribute && el.getAttribute('data-testid') === 'answer' ? el.getAttribute('data-answer-id') : null;
  };
  A.focusAnswer = (id) => {
    const el = id ? document.querySelector('[data-testid="answer"][data-answer-id="' + CSS.escape(id) + '"]') : document.querySelector('[data-testid="answer"]');
    if (!el) return null;
    el.focus({ preventScroll: true });
    return el.getAttribute('data-answer-id');
  };
  A.focusSearch = () => { const el = document.querySelector('[data-testid="search-input"]'); if (el) el.focus(); return el ? el.value : null; };

  /** Arms one key: a move (another answer focused) or a search edit (the search worker's results), then painted. */
  A.arm = (kind, timeoutMs) => {
    const k0 = A.keydowns.length;
    const before = A.focusedId();
    A.pending = new Promise((resolve) => {
      let finished = false;
      const finish = (r) => {
        if (finished) return;
        finished = true;
        A.onFocus = null; A.onSearch = null;
        clearTimeout(timer);
        resolve(r);
      };
      const painted = () => A.afterPaint().then((at) => finish({ paintAt: at, problem: null }));
      if (kind === 'move') A.onFocus = (id) => { if (id !== before && A.keydowns.length > k0) painted(); };
      else A.onSearch = (d) => {
        if (A.keydowns.length <= k0) return;
        if (d.type === 'results') painted();
        else if (d.type === 'error') finish({ problem: 'search error: ' + d.message });
      };
      const timer = setTimeout(() => finish({ problem: kind === 'move' ? 'the focus stayed on ' + before : 'no search results within ' + timeoutMs + ' ms' }), timeoutMs);
    }).then((r) => {
      const key = A.keydowns[k0];
      return {
        key: key ? key.key : null,
        status: key ? key.status : null,
        paintMs: key && r.paintAt ? r.paintAt - key.at : null,
        queueMs: key ? key.dispatched - key.at : null,
        problem: key ? r.problem : 'no keydown seen',
      };
    });
    return before;
  };
  A.collect = () => A.pending;

  /**
   * Watches data-status from now: resolves at the first "ready" after a "working", painted. start: 'click' clicks
   * assistant-toggle (the assistant turned on) and focuses an answer; 'key' takes the next keydown as the start.
   */
  A.watch = (start, timeoutMs) => {
    const k0 = A.keydowns.length;
    const w0 = A.worker.length;
    const r = { transitions: [] };
    let last = A.status();
    let tracking = true, lastFrame = null;
    r.maxGap = 0;
    const frame = (now) => { if (lastFrame !== null) r.maxGap = Math.max(r.maxGap, now - lastFrame); lastFrame = now; if (tracking) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    A.watching = new Promise((resolve) => {
      let finished = false;
      const finish = (problem) => {
        if (finished) return;
        finished = true;
        tracking = false;
        observer.disconnect();
        clearTimeout(timer);
        r.problem = problem;
        resolve();
      };
      const check = () => {
        const s = A.status();
        if (s === last) return;
        last = s;
        const at = performance.now();
        r.transitions.push({ status: s, at });
        if (s === 'working' && r.workingAt === undefined) r.workingAt = at;
        else if (s === 'ready' && r.workingAt !== undefined && r.readyAt === undefined) {
          r.readyAt = at;
          A.afterPaint().then((t) => { r.paintAt = t; finish(null); });
        } else if (s === 'failed') {
          const el = document.querySelector('[data-testid="assistant-status"]');
          finish('the assistant failed: ' + (el ? el.textContent.trim() : ''));
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
      const timer = setTimeout(() => finish('not ready within ' + timeoutMs + ' ms (status ' + A.status() + ')'), timeoutMs);
    }).then(async () => {
      const el = document.querySelector('[data-testid="assistant-status"]');
      const num = (name) => { const v = el && el.getAttribute(name); return v === null || v === undefined || v === '' ? null : Number(v); };
      const from = start === 'click' ? r.clickAt : A.keydowns[k0] ? A.keydowns[k0].at : undefined;
      const end = r.paintAt || performance.now();
      await A.sleep(300);
      const long = from === undefined ? [] : A.long.filter((e) => e.end > from && e.start < end && e.duration > 50);
      const messages = A.worker.slice(w0);
      const phasesAt = {};
      for (const m of messages) {
        const name = m.type === 'progress' ? m.phase : m.type;
        if (from !== undefined && !(name in phasesAt)) phasesAt[name] = m.at - from;
      }
      const result = messages.filter((m) => m.type === 'suggestions').pop() || null;
      return {
        fromKey: start === 'key' && A.keydowns[k0] ? A.keydowns[k0].key : null,
        toWorkingMs: from !== undefined && r.workingAt !== undefined ? r.workingAt - from : null,
        toReadyMs: from !== undefined && r.paintAt ? r.paintAt - from : null,
        workingToReadyMs: r.workingAt !== undefined && r.paintAt ? r.paintAt - r.workingAt : null,
        timing: { trainedOn: num('data-trained-on'), readMs: num('data-read-ms'), featuresMs: num('data-features-ms'), trainMs: num('data-train-ms'), predictMs: num('data-predict-ms') },
        phasesAt,
        answerCount: result ? result.answerCount : null,
        answersSuggested: result ? result.answersSuggested : null,
        decisions: result ? result.decisions : null,
        chipsOnScreen: document.querySelectorAll('[data-testid="suggestion-chip"]').length,
        longFrames: long.length,
        worstFrameMs: long.reduce((m, e) => Math.max(m, e.duration), 0),
        maxFrameGapMs: r.maxGap,
        longest: long.slice().sort((a, b) => b.duration - a.duration).slice(0, 5).map((e) => ({ startMs: e.start - from, durationMs: e.duration, scripts: e.scripts })),
        transitions: r.transitions.map((t) => ({ status: t.status, ms: from !== undefined ? t.at - from : null })),
        problem: from === undefined ? (start === 'click' ? 'no click' : 'no keydown seen') : r.problem,
      };
    });
    if (start === 'click') {
      const answer = A.focusAnswer(null);
      const toggle = document.querySelector('[data-testid="assistant-toggle"]');
      if (!toggle) return 'no assistant-toggle';
      if (toggle.getAttribute('aria-pressed') === 'true') return 'the assistant is already on';
      r.clickAt = performance.now();
      toggle.click();
      if (answer) A.focusAnswer(answer);
    }
    return null;
  };
  A.watched = () => A.watching;
})();
`;

function stats(values: (number | null)[]): Stats | null {
  const s = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  // Nearest-rank percentiles, as the coding rows.
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

function statsText(s: Stats | null): string {
  return s ? `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)} (n=${s.n})` : 'no samples';
}

interface WatchResult {
  toWorkingMs: number | null;
  toReadyMs: number | null;
  workingToReadyMs: number | null;
  timing: AssistantTiming;
  phasesAt: Record<string, number>;
  answerCount: number | null;
  answersSuggested: number | null;
  decisions: number | null;
  chipsOnScreen: number;
  longFrames: number;
  worstFrameMs: number;
  maxFrameGapMs: number;
  longest: { startMs: number; durationMs: number; scripts: string[] }[];
  transitions: { status: string | null; ms: number | null }[];
  problem: string | null;
}

/**
 * Runs on a page of the app (any of the bench's pages of its origin): seeds (see above), opens the first question
 * in a new document, builds the search index, turns the assistant on while pressing keys, then times a retrain.
 */
export async function runAssistantBench(page: Page, log: (line: string) => void, options: AssistantBenchOptions = {}): Promise<AssistantBenchResult> {
  const { coded = ASSISTANT_CODED, codes = ASSISTANT_CODES, timeoutMs = 300_000, projectUrl = null } = options;
  let step = 'open the project';
  try {
    if (projectUrl) await page.goto(projectUrl, { waitUntil: 'commit', timeout: timeoutMs });
    await page.locator(READY).waitFor({ state: 'visible', timeout: timeoutMs });
    const origin = new URL(page.url()).origin;

    step = `seed ${codes} codes and ${coded.toLocaleString('en-US')} coded answers of the first question by "${ASSISTANT_CODER.id}" (raw IndexedDB)`;
    const seeded = (await benchWork(page, () =>
      page.evaluate(
        `(${SEED})(${JSON.stringify({ coded, codes, seed: ASSISTANT_SEED, buckets: CODING_BUCKETS, separator: ANSWER_ID_SEPARATOR, coder: ASSISTANT_CODER, cues: CUES, shortcutKeys: SHORTCUT_KEYS })})`,
      ),
    )) as {
      projectId: string;
      questionId: string;
      answers: number;
      codes: number;
      addedCodes: number;
      codedIds: string[];
      codings: number;
      cuedAnswers: number;
      writeMs: number;
      key: string | null;
      sample: [string, number][];
    };
    const wrong = seeded.sample.filter(([id, bucket]) => codingBucket(id) !== bucket);
    if (wrong.length > 0) throw new AssistantBenchError(`the bench's bucket hash disagrees with codingBucket() for ${wrong.length} answer ids`, step);
    log(
      `  assistant: ${seeded.codes} codes (${seeded.addedCodes} added); ${seeded.codedIds.length.toLocaleString('en-US')} answers of “${seeded.questionId}” ` +
        `(${seeded.answers.toLocaleString('en-US')} answers) coded by ${ASSISTANT_CODER.id} with ${seeded.codings.toLocaleString('en-US')} codings ` +
        `(${seeded.cuedAnswers.toLocaleString('en-US')} with a cue), written in ${ms(seeded.writeMs)}`,
    );

    step = 'open the first question in a new document';
    await page.context().addInitScript({ content: INSTRUMENT });
    await page
      .context()
      .route(`${origin}${GAP_PATH}`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><title>bench: assistant</title>' }),
      );
    await page.goto(`${origin}${GAP_PATH}`, { timeout: 30_000 });
    await collectGarbage(page);
    await page.waitForTimeout(1000);
    const questionUrl = `${origin}/#/project/${encodeURIComponent(seeded.projectId)}/${encodeURIComponent(seeded.questionId)}`;
    const t0 = performance.now();
    await page.goto(questionUrl, { waitUntil: 'commit', timeout: timeoutMs });
    await page.locator(READY).waitFor({ state: 'visible', timeout: timeoutMs });
    await page.getByTestId('answer').first().waitFor({ state: 'visible', timeout: timeoutMs });
    const openMs = performance.now() - t0;
    const firstQuestion = (await page.evaluate(
      `(() => { const el = document.querySelector('[data-testid="answer"]'); const id = el && el.getAttribute('data-answer-id'); return id ? id.slice(0, id.indexOf(${JSON.stringify(ANSWER_ID_SEPARATOR)})) : null; })()`,
    )) as string | null;
    if (firstQuestion !== seeded.questionId) throw new AssistantBenchError(`the list shows question “${firstQuestion}”, not “${seeded.questionId}”`, step);
    await page.getByTestId('assistant-toggle').waitFor({ state: 'visible', timeout: 30_000 });

    step = `build the search index (a first search, "${SEARCH_FROM}")`;
    await page.evaluate('window.__cbAssistant.focusSearch()');
    let warm: { paintMs: number | null; problem: string | null } | null = null;
    for (const key of SEARCH_FROM) {
      await page.evaluate(`window.__cbAssistant.arm('search', ${timeoutMs})`);
      await page.keyboard.press(key);
      const s = (await page.evaluate('window.__cbAssistant.collect()')) as { paintMs: number | null; problem: string | null };
      if (s.problem) throw new AssistantBenchError(`the search “${key}” did not complete: ${s.problem}`, step);
      warm ??= s;
    }
    if (!warm) throw new AssistantBenchError('no search', step);
    await page.getByTestId('answer').first().waitFor({ state: 'visible', timeout: 30_000 });
    log(`  assistant: opened the first question in ${ms(openMs)}; search index built, first results after ${ms(warm.paintMs)}`);
    // Let the background work of the open settle (the search worker's other questions, the counts, the analysis
    // warm-up ahead: 10 s, as the analysis bench gives it), so the keys below compete with the assistant only.
    await page.waitForTimeout(SETTLE_MS);

    step = 'turn the assistant on and press keys while it learns';
    const samples: AssistantKeySample[] = [];
    const press = async (kind: 'move' | 'search', key: string) => {
      await page.evaluate(`window.__cbAssistant.arm(${JSON.stringify(kind)}, 10000)`);
      await page.keyboard.press(key);
      const s = (await page.evaluate('window.__cbAssistant.collect()')) as Omit<AssistantKeySample, 'kind' | 'key'> & { key: string | null };
      const sample: AssistantKeySample = { ...s, kind, key };
      samples.push(sample);
      return sample;
    };
    let searchAt = 0;
    /** One block of moves in the answer list, then one of search edits. */
    const block = async (until: () => Promise<boolean>) => {
      await page.evaluate('window.__cbAssistant.focusAnswer(window.__cbAssistant.focusedId())');
      if (!(await page.evaluate('window.__cbAssistant.focusedId()'))) await page.evaluate('window.__cbAssistant.focusAnswer(null)');
      for (const key of MOVE_BLOCK) {
        if (await until()) return;
        const s = await press('move', key);
        if (s.problem) await page.evaluate('window.__cbAssistant.focusAnswer(null)');
      }
      const answer = (await page.evaluate('window.__cbAssistant.focusedId()')) as string | null;
      await page.evaluate('window.__cbAssistant.focusSearch()');
      for (let i = 0; i < SEARCH_BLOCK; i++) {
        if (await until()) return;
        await press('search', SEARCH_CYCLE[searchAt++ % SEARCH_CYCLE.length]);
      }
      await page.evaluate(`window.__cbAssistant.focusAnswer(${JSON.stringify(answer)}) || window.__cbAssistant.focusAnswer(null)`);
    };
    const clickProblem = (await page.evaluate(`window.__cbAssistant.watch('click', ${timeoutMs})`)) as string | null;
    if (clickProblem) throw new AssistantBenchError(clickProblem, step);
    let ready = false;
    const watched = page.evaluate('window.__cbAssistant.watched()').then((r) => {
      ready = true;
      return r as WatchResult;
    });
    const deadline = Date.now() + timeoutMs;
    const learning = async () => ready || samples.length >= MAX_LEARNING_KEYS || Date.now() > deadline;
    while (!(await learning())) await block(learning);
    const sentWhileLearning = samples.length;
    const on = await watched;
    if (on.problem) throw new AssistantBenchError(`turning the assistant on: ${on.problem}`, step);
    const whileWorking = samples.filter((s) => s.status === 'working');
    log(
      `  assistant: on → ready ${ms(on.toReadyMs)} (worker: read ${ms(on.timing.readMs)}, features ${ms(on.timing.featuresMs)}, train ${ms(on.timing.trainMs)}, ` +
        `predict ${ms(on.timing.predictMs)}; trained on ${on.timing.trainedOn}); ${on.answersSuggested?.toLocaleString('en-US')} of ` +
        `${on.answerCount?.toLocaleString('en-US')} answers with a suggestion (${on.decisions?.toLocaleString('en-US')} in all), ${on.chipsOnScreen} chips on screen`,
    );
    log(
      `  assistant: main thread while learning: ${on.longFrames} frames > 50 ms, worst ${ms(on.worstFrameMs)}, longest frame gap ${ms(on.maxFrameGapMs)}; ` +
        `phases after the click: ${Object.entries(on.phasesAt)
          .map(([name, at]) => `${name} ${ms(at)}`)
          .join(', ')}`,
    );

    step = 'the same keys once the assistant is ready';
    await page.waitForTimeout(1000);
    const idleFrom = samples.length;
    for (let i = 0; i < IDLE_BLOCKS; i++) await block(async () => false);
    const idleSamples = samples.slice(idleFrom);

    const ok = (list: AssistantKeySample[]) => list.filter((s) => !s.problem);
    const learningSamples = samples.slice(0, sentWhileLearning);
    const working = stats(ok(whileWorking).map((s) => s.paintMs));
    const keys = {
      samples,
      sentWhileLearning,
      whileWorking: whileWorking.length,
      working,
      workingMove: stats(ok(whileWorking.filter((s) => s.kind === 'move')).map((s) => s.paintMs)),
      workingSearch: stats(ok(whileWorking.filter((s) => s.kind === 'search')).map((s) => s.paintMs)),
      idle: stats(ok(idleSamples).map((s) => s.paintMs)),
      problems: samples.filter((s) => s.problem).length,
    };
    log(
      `  assistant: ${learningSamples.length} keys sent while learning, ${whileWorking.length} at data-status="working": ${statsText(working)} ` +
        `(moves ${statsText(keys.workingMove)}; search ${statsText(keys.workingSearch)})`,
    );
    log(`  assistant: the same keys once ready: ${statsText(keys.idle)}${keys.problems ? `; ${keys.problems} keys had problems` : ''}`);

    step = 'clear the search';
    await page.evaluate('window.__cbAssistant.focusSearch()');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await page.waitForTimeout(500);

    step = `retrain: apply a code by key (${seeded.key ?? 'none'}) to an uncoded answer`;
    let retrain: AssistantBenchResult['retrain'];
    if (!seeded.key) {
      retrain = {
        key: '',
        answerId: null,
        applied: false,
        workingToReadyMs: null,
        keyToReadyMs: null,
        timing: { trainedOn: null, readMs: null, featuresMs: null, trainMs: null, predictMs: null },
        problem: 'none of the codes has a shortcut key',
      };
    } else {
      const answerId = (await page.evaluate(
        `((coded) => { const set = new Set(coded); const el = [...document.querySelectorAll('[data-testid="answer"]')].find((e) => !set.has(e.getAttribute('data-answer-id'))); return el ? window.__cbAssistant.focusAnswer(el.getAttribute('data-answer-id')) : null; })(${JSON.stringify(seeded.codedIds)})`,
      )) as string | null;
      if (!answerId) throw new AssistantBenchError('no uncoded answer in the list', step);
      const chips = `document.querySelector('[data-testid="answer"][data-answer-id="' + CSS.escape(${JSON.stringify(answerId)}) + '"]')?.querySelectorAll('[data-testid="coding-chip"]').length ?? -1`;
      const chipsBefore = (await page.evaluate(chips)) as number;
      await page.evaluate(`window.__cbAssistant.watch('key', ${timeoutMs})`);
      await page.keyboard.press(seeded.key);
      const again = (await page.evaluate('window.__cbAssistant.watched()')) as WatchResult;
      const chipsAfter = (await page.evaluate(chips)) as number;
      retrain = {
        key: seeded.key,
        answerId,
        applied: chipsAfter > chipsBefore,
        workingToReadyMs: again.workingToReadyMs,
        keyToReadyMs: again.toReadyMs,
        timing: again.timing,
        problem:
          again.problem ??
          (chipsAfter > chipsBefore ? null : `the key did not add a chip (${chipsBefore} → ${chipsAfter})`) ??
          (again.timing.trainedOn !== null && again.timing.trainedOn !== seeded.codedIds.length + 1
            ? `trained on ${again.timing.trainedOn}, expected ${seeded.codedIds.length + 1}`
            : null),
      };
      log(
        `  assistant: retrain after “${seeded.key}”: working → ready ${ms(retrain.workingToReadyMs)} (worker: train ${ms(retrain.timing.trainMs)}, ` +
          `predict ${ms(retrain.timing.predictMs)}, features ${ms(retrain.timing.featuresMs)}; trained on ${retrain.timing.trainedOn}); ` +
          `key → ready ${ms(retrain.keyToReadyMs)}${retrain.problem ? `; ${retrain.problem}` : ''}`,
      );
    }

    const p95 = working?.p95 ?? null;
    return {
      questionId: seeded.questionId,
      answers: on.answerCount ?? seeded.answers,
      codes: seeded.codes,
      addedCodes: seeded.addedCodes,
      codedAnswers: seeded.codedIds.length,
      codings: seeded.codings,
      cuedAnswers: seeded.cuedAnswers,
      seedWriteMs: seeded.writeMs,
      openMs,
      searchWarmMs: warm.paintMs,
      on: {
        toReadyMs: on.toReadyMs,
        toWorkingMs: on.toWorkingMs,
        timing: on.timing,
        phasesAt: on.phasesAt,
        answersSuggested: on.answersSuggested,
        decisions: on.decisions,
        chipsOnScreen: on.chipsOnScreen,
        longFrames: on.longFrames,
        worstFrameMs: on.worstFrameMs,
        maxFrameGapMs: on.maxFrameGapMs,
        longest: on.longest,
        problem: on.problem,
      },
      retrain,
      keys,
      target: { keyP95Ms: 50, met: p95 === null ? null : p95 < 50 },
    };
  } catch (err) {
    if (err instanceof AssistantBenchError) throw err;
    throw new AssistantBenchError(`${step}: ${(err as Error).message.split('\n')[0]}`, step);
  }
}
