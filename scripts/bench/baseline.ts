/**
 * The raw IndexedDB baseline: how fast this Chromium, on this machine, writes
 * and reads the same answers with the bare `indexedDB` API (no Dexie, no app
 * code), on the app's own origin so that quota and storage backend match.
 *
 * Two layouts of the same respondents × questions rows, each record
 * `{ id, respondentId, questionId, text }`:
 *   plain   – one record per answer, all `put` in one readwrite transaction;
 *   chunked – the rows packed 1,000 at a time into `{ id, rows: [...] }`.
 * Write time runs from opening the transaction to its `complete` event; read
 * time is one `getAll()` on a fresh connection (the one just written to is closed).
 * Blank answers are included, so the baseline stores somewhat more than the app.
 */
import type { Page } from 'playwright-core';
import type { AnswerColumns } from './data';
import type { Profile } from './browser';

export const BASELINE_DB = 'bench-baseline';
export const BASELINE_CHUNK = 1000;
/** Strings per page.evaluate while handing the texts to the page (~4 MB of text). */
const TRANSFER_SLICE = 25_000;

export interface LayoutTiming {
  records: number;
  writeMs: number;
  readMs: number;
  /** Opening the fresh connection before the read (not included in readMs). */
  openMs: number;
  /** navigator.storage.estimate().usage growth over the empty origin, after the write. */
  usageBytes: number | null;
}

export interface BaselineResult {
  rows: number;
  textBytes: number;
  /** null when the plain layout was left out (see {@link PLAIN_AUTO_MAX_ROWS}). */
  plain: LayoutTiming | null;
  chunked: LayoutTiming;
}

/**
 * Above this many records `--baseline-plain auto` leaves the plain layout out:
 * two million single puts in one transaction took over 17 minutes on the
 * loaded 2-core machine (vs ~75 s for 800k unloaded), and no ratio uses them.
 */
export const PLAIN_AUTO_MAX_ROWS = 1_000_000;

/**
 * The page side, as plain JavaScript source: tsx compiles this file with
 * esbuild's keepNames, whose `__name(...)` helper would not exist in the page
 * if the functions were passed to page.evaluate as closures.
 */
const PAGE_SCRIPT = String.raw`
(() => {
  const DB = ${JSON.stringify(BASELINE_DB)};
  const state = { respondentIds: [], questionIds: [], texts: [], records: null, chunks: null };
  const request = (req) => new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const done = (tx) => new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
  });
  const deleteDb = () => new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(DB);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => {}; // every connection here is closed before deleting; success follows
  });
  const openDb = () => new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('answers', { keyPath: 'id' });
      db.createObjectStore('chunks', { keyPath: 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('open blocked'));
  });
  const usage = async () => {
    try { return (await navigator.storage.estimate()).usage ?? null; } catch { return null; }
  };
  const idle = () => new Promise((resolve) => setTimeout(resolve, 50));

  window.__codebenchBaseline = {
    add(kind, values) {
      const target = state[kind];
      for (let i = 0; i < values.length; i++) target.push(values[i]);
      return target.length;
    },
    prepare(questions, chunkSize) {
      const { respondentIds, questionIds, texts } = state;
      if (texts.length !== respondentIds.length * questions) throw new Error('text count ' + texts.length + ' != ' + respondentIds.length + ' x ' + questions);
      const records = new Array(texts.length);
      for (let i = 0; i < texts.length; i++) {
        records[i] = { id: i, respondentId: respondentIds[Math.floor(i / questions)], questionId: questionIds[i % questions], text: texts[i] };
      }
      const chunks = [];
      for (let start = 0, id = 0; start < records.length; start += chunkSize, id++) {
        chunks.push({ id, rows: records.slice(start, start + chunkSize) });
      }
      state.records = records;
      state.chunks = chunks;
      state.texts = [];
      let chars = 0;
      for (const r of records) chars += r.text.length;
      return { records: records.length, chunks: chunks.length, chars };
    },
    async run(layout) {
      const store = layout === 'plain' ? 'answers' : 'chunks';
      const values = layout === 'plain' ? state.records : state.chunks;
      await deleteDb();
      await idle();
      const before = await usage();
      let db = await openDb();
      const w0 = performance.now();
      const tx = db.transaction(store, 'readwrite');
      const os = tx.objectStore(store);
      for (let i = 0; i < values.length; i++) os.put(values[i]);
      await done(tx);
      const writeMs = performance.now() - w0;
      db.close();
      await idle();
      const after = await usage();
      const o0 = performance.now();
      db = await openDb();
      const openMs = performance.now() - o0;
      const r0 = performance.now();
      const rtx = db.transaction(store, 'readonly');
      const result = await request(rtx.objectStore(store).getAll());
      const readMs = performance.now() - r0;
      await done(rtx);
      db.close();
      // Check what came back (outside the timings).
      let rows = 0, chars = 0;
      if (layout === 'plain') {
        rows = result.length;
        for (const r of result) chars += r.text.length;
      } else {
        for (const c of result) { rows += c.rows.length; for (const r of c.rows) chars += r.text.length; }
      }
      await deleteDb();
      return {
        records: values.length, rows, chars, writeMs, readMs, openMs,
        usageBytes: before === null || after === null ? null : after - before,
      };
    },
    async cleanup() {
      state.records = null;
      state.chunks = null;
      state.texts = [];
      await deleteDb();
    },
  };
})();
`;

const BLANK_PATH = '/__codebench-bench__/baseline.html';

/**
 * Runs both layouts in the given fresh profile. The page is a blank document
 * served (by Playwright's router, no network) at a path on the app's origin,
 * so the app's own code does not run next to the measurement.
 */
export async function runBaseline(
  profile: Profile,
  origin: string,
  answers: AnswerColumns,
  log: (line: string) => void,
  plain: 'auto' | 'on' | 'off' = 'auto',
): Promise<BaselineResult> {
  const { page, context } = profile;
  await context.route(`${origin}${BLANK_PATH}`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><title>bench baseline</title>' }),
  );
  await page.goto(`${origin}${BLANK_PATH}`);
  await page.addScriptTag({ content: PAGE_SCRIPT });
  await page.evaluate('window.__codebenchBaseline.cleanup()');

  await send(page, 'respondentIds', answers.respondentIds);
  await send(page, 'questionIds', answers.questionIds);
  await send(page, 'texts', answers.texts);
  const prepared = (await page.evaluate(`window.__codebenchBaseline.prepare(${answers.questions}, ${BASELINE_CHUNK})`)) as {
    records: number;
    chunks: number;
    chars: number;
  };
  const expectedChars = answers.texts.reduce((n, t) => n + t.length, 0);
  if (prepared.records !== answers.texts.length || prepared.chars !== expectedChars) {
    throw new Error(`baseline: page holds ${prepared.records} records / ${prepared.chars} chars, expected ${answers.texts.length} / ${expectedChars}`);
  }

  const layouts: { plain: LayoutTiming | null; chunked?: LayoutTiming } = { plain: null };
  const withPlain = plain === 'on' || (plain === 'auto' && prepared.records <= PLAIN_AUTO_MAX_ROWS);
  if (!withPlain) log(`  baseline plain: left out (${prepared.records} records; --baseline-plain on to measure it)`);
  for (const layout of withPlain ? (['chunked', 'plain'] as const) : (['chunked'] as const)) {
    log(`  baseline ${layout}: writing ${layout === 'plain' ? prepared.records : prepared.chunks} records`);
    const r = (await page.evaluate(`window.__codebenchBaseline.run(${JSON.stringify(layout)})`)) as LayoutTiming & { rows: number; chars: number };
    if (r.rows !== prepared.records || r.chars !== prepared.chars) {
      throw new Error(`baseline ${layout}: read back ${r.rows} rows / ${r.chars} chars, wrote ${prepared.records} / ${prepared.chars}`);
    }
    layouts[layout] = { records: r.records, writeMs: r.writeMs, readMs: r.readMs, openMs: r.openMs, usageBytes: r.usageBytes };
    log(`  baseline ${layout}: write ${fmt(r.writeMs)}, read ${fmt(r.readMs)}`);
  }
  await page.evaluate('window.__codebenchBaseline.cleanup()');
  return { rows: prepared.records, textBytes: answers.textBytes, plain: layouts.plain, chunked: layouts.chunked! };
}

async function send(page: Page, kind: string, values: string[]) {
  for (let start = 0; start < values.length; start += TRANSFER_SLICE) {
    const slice = values.slice(start, start + TRANSFER_SLICE);
    await page.evaluate(`window.__codebenchBaseline.add(${JSON.stringify(kind)}, ${JSON.stringify(slice)})`);
  }
}

function fmt(ms: number) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
