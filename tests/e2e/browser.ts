import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export function baseUrl(): string {
  return inject('baseUrl');
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Every request the page made to anything but the app's own origin. */
  foreignRequests: string[];
  pageErrors: string[];
}

export interface OpenOptions {
  /** 2 with a 640×400 viewport is a 1280×800 window at 200% zoom. */
  deviceScaleFactor?: number;
  /** Runs in the page before the app's scripts, on every load (a coder named in localStorage). */
  init?: () => void;
}

/** A fresh profile (its own IndexedDB) with the app open. */
export async function openApp(browser: Browser, viewport = { width: 1280, height: 800 }, options: OpenOptions = {}): Promise<AppPage> {
  // No service worker: these tests drive the app itself, and routes (worker-failure) must see its requests; the
  // installed, offline app has its own tests (offline.e2e.ts).
  const context = await browser.newContext({ viewport, deviceScaleFactor: options.deviceScaleFactor, serviceWorkers: 'block' });
  if (options.init) await context.addInitScript(options.init);
  const page = await context.newPage();
  const origin = new URL(baseUrl()).origin;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  const watch = (request: Request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  };
  context.on('request', watch);
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(baseUrl());
  return { context, page, foreignRequests, pageErrors };
}

export async function waitForProjectReady(page: Page) {
  await page.locator('[data-testid="project-view"][data-ready="true"]').waitFor({ timeout: 60_000 });
}

/** Waits for the page to paint twice: what a scroll or a click changed is on screen, however slow the machine. */
export async function nextFrames(page: Page) {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/** Every record of one object store of the app's database, read in the page (for "it is stored" waits). */
export async function storedRecords<T = Record<string, unknown>>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const request = indexedDB.open('codebench');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const all = db.transaction(name).objectStore(name).getAll();
          all.onsuccess = () => {
            resolve(all.result as T[]);
            db.close();
          };
          all.onerror = () => reject(all.error);
        };
      }),
    store,
  );
}

/** Every answer text of the open question, scrolling the virtual list from top to bottom. */
export async function allAnswerTexts(page: Page): Promise<string[]> {
  const list = page.getByTestId('answer-list');
  const seen = new Map<string, string>();
  await list.evaluate((el) => (el.scrollTop = 0));
  for (let step = 0; step < 500; step++) {
    await nextFrames(page);
    const rows = await page
      .getByTestId('answer')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-answer-id') ?? '', el.querySelector('[data-testid="answer-text"]')?.textContent ?? '']));
    for (const [id, text] of rows) seen.set(id, text);
    const done = await list.evaluate((el) => {
      const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      el.scrollTop += el.clientHeight * 0.8;
      return atEnd;
    });
    if (done) break;
  }
  return [...seen.values()];
}

/** A fresh profile with coder "Ana" already named and the sample study open. */
export async function openSampleAsCoder(browser: Browser): Promise<AppPage> {
  const app = await openApp(browser);
  await app.context.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ana', name: 'Ana', color: '#2454a6' })));
  await app.page.reload();
  await app.page.getByTestId('open-sample').click();
  await waitForProjectReady(app.page);
  return app;
}

/** A fresh profile with the sample study open, and no coder named yet. */
export async function openSample(browser: Browser): Promise<AppPage> {
  const app = await openApp(browser);
  await app.page.getByTestId('open-sample').click();
  await waitForProjectReady(app.page);
  return app;
}

/**
 * Gives each test of the file its own fresh profile, opened by `open` before the test and closed after it, so every
 * test passes when run alone (`-t "name"`) and none depends on what an earlier one did. After each test, checks that
 * its page made no request beyond the app's origin and threw no error. Returns a getter for the current test's app.
 */
export function appPerTest(open: (browser: Browser) => Promise<AppPage>): () => AppPage {
  let browser: Browser | undefined;
  let app: AppPage | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    app = await open(browser!);
  });
  afterEach(async () => {
    const done = app;
    app = undefined;
    if (!done) return;
    await done.context.close();
    expect(done.foreignRequests, "requests beyond the app's origin").toEqual([]);
    expect(done.pageErrors, 'errors thrown in the page').toEqual([]);
  });
  return () => {
    if (!app) throw new Error('appPerTest: no app outside a test');
    return app;
  };
}

/**
 * For stories with several people, each in a browser profile of their own (a lead and a second coder): `open()`
 * gives a fresh profile with the app open; every profile opened in a test is closed after it, with the same checks
 * as `appPerTest` (no request beyond the app's origin, no error thrown in the page).
 */
export function profilesPerTest(): { open: (viewport?: { width: number; height: number }, options?: OpenOptions) => Promise<AppPage> } {
  let browser: Browser | undefined;
  const opened: AppPage[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const app of opened.splice(0)) {
      await app.context.close();
      expect(app.foreignRequests, "requests beyond the app's origin").toEqual([]);
      expect(app.pageErrors, 'errors thrown in the page').toEqual([]);
    }
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    open: async (viewport, options) => {
      const app = await openApp(browser!, viewport, options);
      opened.push(app);
      return app;
    },
  };
}

export interface DownloadedFile {
  name: string;
  path: string;
  /** The file's text: gunzipped for .gz, every entry of a zip (.xlsx, .qdpx) joined, else as UTF-8. */
  text: string;
}

/**
 * Downloads kept in a temporary folder removed after the file's tests: `download(page, click)` clicks, saves the
 * file the page offers and reads it back.
 */
export function downloadsPerFile(prefix: string): { download: (page: Page, click: () => Promise<void>) => Promise<DownloadedFile> } {
  const folder = mkdtempSync(join(tmpdir(), `codebench-${prefix}-`));
  let saved = 0;
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return {
    download: async (page, click) => {
      const [file] = await Promise.all([page.waitForEvent('download'), click()]);
      const name = file.suggestedFilename();
      const path = join(folder, `${saved++}-${name}`);
      await file.saveAs(path);
      const bytes = readFileSync(path);
      if (name.endsWith('.gz')) return { name, path, text: gunzipSync(bytes).toString('utf8') };
      if (name.endsWith('.xlsx') || name.endsWith('.qdpx') || name.endsWith('.zip')) {
        const entries = unzipSync(new Uint8Array(bytes));
        return {
          name,
          path,
          text: Object.values(entries)
            .map((entry) => strFromU8(entry, true))
            .join('\n'),
        };
      }
      return { name, path, text: bytes.toString('utf8') };
    },
  };
}
