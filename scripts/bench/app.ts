/**
 * The app, driven as a user would drive it, in a fresh on-disk profile:
 * open it, choose the CSV in the home page's file chooser, wait for the
 * import preview, press Import, wait for the project with its answers, then
 * reload and wait for the project again.
 *
 * Wall-clock phases are measured in Node around the Playwright calls; the
 * app's own phase timings are read from its performance timeline.
 */
import type { Page } from 'playwright-core';
import type { Profile } from './browser';
import type { HeapSampler } from './heap';

export interface AppResult {
  /** File chosen → import preview visible (the worker reads and parses the CSV). */
  parseMs: number;
  /** Import clicked → project view ready with an answer visible. */
  storeToReadyMs: number;
  /**
   * The same, timed inside the page: from the click event's timeStamp to the
   * first frame painted with the project view ready and an answer shown. The
   * wall figure also holds Playwright's click and its polling for the view.
   */
  storeToReadyInPageMs: number | null;
  /** parseMs + storeToReadyMs: the whole import without the user's pause at the preview. */
  importToReadyMs: number;
  /** The app's own timings (performance measures), null when the app recorded none. */
  appReadMs: number | null;
  appBuildMs: number | null;
  appStoreMs: number | null;
  /** codebench:project-open recorded while the freshly imported project opened. */
  appOpenAfterImportMs: number | null;
  /** page.reload() → project view ready. */
  reopenMs: number;
  /** page.reload() → first answer visible. */
  reopenToAnswersMs: number;
  /** codebench:project-open after the reload. */
  appReopenMs: number | null;
  heapAfterImportBytes: number | null;
  heapAfterReopenBytes: number | null;
  storageUsageBytes: number | null;
  summaryText: string | null;
  projectUrl: string;
}

/**
 * The same import with a user who reads the preview before pressing Import
 * (issue 15's staged import): a fresh profile, the file chosen, a fixed
 * review pause from the preview on, then Import.
 */
export interface ReviewResult {
  reviewMs: number;
  /** File chosen → import preview visible. */
  parseMs: number;
  /** Preview shown → [data-testid="import-preview"] says data-staging="stored"; null when it never did (see stagingAtClick). */
  previewToStagedMs: number | null;
  /** data-staging when Import was clicked: "storing", "stored", "off", or null when the app has no such attribute. */
  stagingAtClick: string | null;
  /** Import clicked (after the pause) → project view ready with an answer visible. */
  clickToReadyMs: number;
  /** File chosen → ready, less the review pause: what the user waited for beyond their own reading. */
  fileToReadyLessReviewMs: number;
  /** The app's worker parse (codebench:import-read) in this flow, when it recorded one. */
  appReadMs: number | null;
  /**
   * Whether parseMs, clickToReadyMs and fileToReadyLessReviewMs were timed in the page (WATCH_FILE): from the file
   * input's change to the frame after the preview, and from the click's pointerdown to the frame after ready.
   * Playwright's waits poll every 500 ms once they have waited ~0.3 s, which put 0–0.5 s on each wait.
   */
  timedInPage?: boolean;
  /** fileToReadyLessReviewMs as the bench's own waits saw it (Playwright's polling included). */
  waitedFileToReadyLessReviewMs?: number;
}

/** WATCH_FILE's times, page clock (ms); a time is missing until its moment came. */
interface FileTimes {
  chosen?: number;
  preview?: number;
  clicked?: number;
  ready?: number;
}

/** The app's mark of the preview's arrival (import.svelte.ts), page clock, with the worker's read time; null without one. */
const PREVIEW_RECEIVED = `(() => {
  const mark = performance.getEntriesByName('codebench:import-preview-received').at(-1);
  return mark ? { at: mark.startTime, readMs: mark.detail?.readMs ?? null } : null;
})()`;

/**
 * Times the review flow in the page: the file input's change, the frame after the preview appears, the pointerdown
 * on Import, and the frame after the project view is ready with an answer shown (READY and [data-testid="answer"]).
 */
const WATCH_FILE = String.raw`(() => {
  const times = (window.__cbFile = {});
  document.addEventListener('change', (e) => {
    if (times.chosen === undefined && e.target instanceof HTMLInputElement && e.target.type === 'file') times.chosen = performance.now();
  }, { capture: true });
  document.addEventListener('pointerdown', (e) => {
    if (times.clicked === undefined && e.target instanceof Element && e.target.closest('[data-testid="import-commit"]')) times.clicked = performance.now();
  }, { capture: true });
  let framed = false;
  const check = () => {
    if (times.preview === undefined && !framed && document.querySelector('[data-testid="import-preview"]')) {
      framed = true;
      requestAnimationFrame(() => { times.preview = performance.now(); framed = false; });
    }
    if (times.clicked !== undefined && times.ready === undefined && !framed &&
        document.querySelector('[data-testid="project-view"][data-ready="true"]') && document.querySelector('[data-testid="answer"]')) {
      framed = true;
      observer.disconnect();
      requestAnimationFrame(() => { times.ready = performance.now(); });
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
})()`;

/** What the app showed when the flow broke; attached to the thrown error. */
export class AppFlowError extends Error {
  constructor(
    message: string,
    readonly step: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

const READY = '[data-testid="project-view"][data-ready="true"]';

/** Generous per-step time limit: 60 s, plus 5 min per 100k respondents. */
export function stepTimeout(respondents: number) {
  return 60_000 + Math.ceil((respondents / 100_000) * 300_000);
}

export async function runApp(
  profile: Profile,
  url: string,
  csvPath: string,
  respondents: number,
  log: (line: string) => void,
  heap?: HeapSampler,
): Promise<AppResult> {
  const { page } = profile;
  const timeout = stepTimeout(respondents);
  const now = () => performance.now();

  let step = 'open the app';
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    step = 'wait for [data-testid="home-import"]';
    await page.getByTestId('home-import').waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
    await page.waitForTimeout(250);

    step = 'choose the file and wait for [data-testid="import-preview"]';
    log(`  app: choosing ${csvPath}`);
    await heap?.phase('parse');
    const t0 = now();
    await page.getByTestId('home-import-input').setInputFiles(csvPath, { timeout });
    await firstOf(page, { preview: '[data-testid="import-preview"]', error: ERROR }, timeout, 'preview');
    const parseMs = now() - t0;
    log(`  app: preview after ${fmt(parseMs)}`);
    await heap?.phase('store');

    step = 'click [data-testid="import-commit"]';
    const commit = page.getByTestId('import-commit');
    if (await commit.isDisabled()) {
      throw new AppFlowError('the Import button is disabled at the preview', step, await snapshot(page));
    }
    step = 'wait for the project view ready with [data-testid="answer"] visible';
    await page.evaluate(WATCH_READY);
    const t1 = now();
    await commit.click({ timeout });
    await firstOf(page, { ready: READY, error: ERROR }, timeout, 'ready');
    await firstOf(page, { answer: '[data-testid="answer"]', error: ERROR }, timeout, 'answer');
    const storeToReadyMs = now() - t1;
    const storeToReadyInPageMs = (await page.evaluate('window.__cbReady')) as number | null;
    log(`  app: project ready ${fmt(storeToReadyMs)} after Import (in the page: ${storeToReadyInPageMs === null ? 'not seen' : fmt(storeToReadyInPageMs)})`);

    await heap?.phase('after import');
    step = 'read the app timings after the import';
    const imported = await readMeasures(page);
    log(`  read phases: ${await readPhases(page)}`);
    const heapAfterImportBytes = await heapUsed(page);
    const storageUsageBytes = await storageUsage(page);
    const summaryText = await page
      .getByTestId('project-summary')
      .first()
      .textContent({ timeout: 2000 })
      .catch(() => null);
    const projectUrl = page.url();

    step = 'reload and wait for the project view ready';
    await heap?.phase('reopen');
    const t2 = now();
    await page.reload({ waitUntil: 'commit', timeout });
    await page.locator(READY).waitFor({ state: 'visible', timeout });
    const reopenMs = now() - t2;
    await page.getByTestId('answer').first().waitFor({ state: 'visible', timeout });
    const reopenToAnswersMs = now() - t2;
    log(`  app: reopened in ${fmt(reopenMs)} (answers after ${fmt(reopenToAnswersMs)})`);
    await heap?.phase('after reopen');
    const reopened = await readMeasures(page);
    const heapAfterReopenBytes = await heapUsed(page);

    return {
      parseMs,
      storeToReadyMs,
      storeToReadyInPageMs,
      importToReadyMs: parseMs + storeToReadyMs,
      appReadMs: imported.read,
      appBuildMs: imported.build,
      appStoreMs: imported.store,
      appOpenAfterImportMs: imported.open,
      reopenMs,
      reopenToAnswersMs,
      appReopenMs: reopened.open,
      heapAfterImportBytes,
      heapAfterReopenBytes,
      storageUsageBytes,
      summaryText: summaryText?.trim().replace(/\s+/g, ' ') ?? null,
      projectUrl,
    };
  } catch (err) {
    if (err instanceof AppFlowError) throw err;
    const details = await snapshot(page).catch(() => ({}));
    throw new AppFlowError(`${step}: ${(err as Error).message.split('\n')[0]}`, step, details);
  }
}

/**
 * The review flow: choose the file, wait for the preview, let `reviewMs` pass
 * (a user reading it) while watching the preview's data-staging attribute,
 * press Import and wait for the project with an answer shown.
 */
export async function runReview(
  profile: Profile,
  url: string,
  csvPath: string,
  respondents: number,
  reviewMs: number,
  log: (line: string) => void,
  heap?: HeapSampler,
): Promise<ReviewResult> {
  const { page } = profile;
  const timeout = stepTimeout(respondents);
  const now = () => performance.now();
  let step = 'open the app';
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    step = 'wait for [data-testid="home-import"]';
    await page.getByTestId('home-import').waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
    await page.waitForTimeout(250);

    step = 'choose the file and wait for [data-testid="import-preview"]';
    await page.evaluate(WATCH_FILE);
    await heap?.phase('parse');
    const t0 = now();
    await page.getByTestId('home-import-input').setInputFiles(csvPath, { timeout });
    await firstOf(page, { preview: '[data-testid="import-preview"]', error: ERROR }, timeout, 'preview');
    const previewAt = now();
    const parseMs = previewAt - t0;
    await page.evaluate(WATCH_STAGING);
    await heap?.phase('review');
    log(`  review: preview after ${fmt(parseMs)}; reading it for ${fmt(reviewMs)}`);

    step = 'review pause';
    const left = reviewMs - (now() - previewAt);
    if (left > 0) await page.waitForTimeout(left);
    const stagingAtClick = await page
      .locator('[data-testid="import-preview"]')
      .first()
      .getAttribute('data-staging', { timeout: 1000 })
      .catch(() => null);

    step = 'click [data-testid="import-commit"] after the review pause';
    const commit = page.getByTestId('import-commit');
    if (await commit.isDisabled()) throw new AppFlowError('the Import button is disabled at the preview', step, await snapshot(page));
    await heap?.phase('store');
    const t1 = now();
    await commit.click({ timeout });
    step = 'wait for the project view ready with [data-testid="answer"] visible';
    await firstOf(page, { ready: READY, error: ERROR }, timeout, 'ready');
    await firstOf(page, { answer: '[data-testid="answer"]', error: ERROR }, timeout, 'answer');
    const readyAt = now();
    await heap?.phase('after import');
    // Staging may end after the click (or never, without staged import): the watcher has kept its time.
    const stagedAfter = (await page.evaluate('window.__cbStagedAfter ?? null')) as number | null;
    const measures = await readMeasures(page);
    const inPage = (await page.evaluate('window.__cbFile ?? null')) as FileTimes | null;
    const received = (await page.evaluate(PREVIEW_RECEIVED)) as { at: number; readMs: number | null } | null;
    if (inPage?.chosen !== undefined && inPage.preview !== undefined && received) {
      // Chosen → the worker's read began (the message, the worker), the read, the reply → the preview's frame.
      const readMs = received.readMs ?? 0;
      log(
        `  review: file chosen → preview split: before the read ${fmt(received.at - readMs - inPage.chosen)}, read ${fmt(readMs)}, ` +
          `reply → preview painted ${fmt(inPage.preview - received.at)}`,
      );
    }
    const timed = inPage && Object.values(inPage).every((t) => typeof t === 'number') ? (inPage as Required<FileTimes>) : null;
    const result: ReviewResult = {
      reviewMs,
      parseMs: timed ? timed.preview - timed.chosen : parseMs,
      previewToStagedMs: stagedAfter,
      stagingAtClick,
      clickToReadyMs: timed ? timed.ready - timed.clicked : readyAt - t1,
      // The user's own reading is the preview shown → their click, whatever the bench's pause came to.
      fileToReadyLessReviewMs: timed ? timed.preview - timed.chosen + (timed.ready - timed.clicked) : readyAt - t0 - reviewMs,
      appReadMs: measures.read,
      timedInPage: timed !== null,
      waitedFileToReadyLessReviewMs: readyAt - t0 - reviewMs,
    };
    log(
      `  review: staged ${stagedAfter === null ? `never seen (data-staging at the click: ${stagingAtClick ?? 'absent'})` : `${fmt(stagedAfter)} after the preview`}; ` +
        `ready ${fmt(result.clickToReadyMs)} after Import; file → ready less the pause ${fmt(result.fileToReadyLessReviewMs)}`,
    );
    return result;
  } catch (err) {
    if (err instanceof AppFlowError) throw err;
    const details = await snapshot(page).catch(() => ({}));
    throw new AppFlowError(`${step}: ${(err as Error).message.split('\n')[0]}`, step, details);
  }
}

/**
 * Installed as soon as the preview shows: window.__cbStagedAfter becomes the
 * ms from then until [data-testid="import-preview"] says data-staging="stored"
 * (0 when it already does).
 */
const WATCH_STAGING = String.raw`(() => {
  window.__cbStagedAfter = null;
  const shownAt = performance.now();
  const check = () => {
    const el = document.querySelector('[data-testid="import-preview"]');
    if (el && el.getAttribute('data-staging') === 'stored') {
      window.__cbStagedAfter = performance.now() - shownAt;
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-staging'] });
  check();
})()`;

const ERROR = '[data-testid="import-error"]';

/**
 * Installed just before the Import click: resolves window.__cbReady to the ms
 * from the click (its event timeStamp) to the frame painted once the project
 * view is ready with an answer in it.
 */
const WATCH_READY = String.raw`(() => {
  window.__cbReady = null;
  let clickedAt = null;
  addEventListener('click', (e) => {
    if (clickedAt === null && e.target instanceof Element && e.target.closest('[data-testid="import-commit"]')) {
      clickedAt = e.timeStamp > 0 && e.timeStamp <= performance.now() ? e.timeStamp : performance.now();
    }
  }, true);
  const check = () => {
    if (clickedAt === null || !document.querySelector('[data-testid="project-view"][data-ready="true"] [data-testid="answer"]')) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__cbReady = performance.now() - clickedAt; }, 0));
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
})()`;

/**
 * Waits until one of the CSS selectors matches a visible element, with one
 * Playwright waiter (so nothing keeps polling the page afterwards). Returns the
 * name of the winner; the import-error winner becomes an AppFlowError.
 */
async function firstOf(page: Page, candidates: Record<string, string>, timeout: number, what: string): Promise<string> {
  const union = Object.values(candidates)
    .map((selector) => `${selector}:visible`)
    .join(', ');
  const element = await page.locator(union).first().elementHandle({ timeout });
  let winner = '';
  try {
    for (const [name, selector] of Object.entries(candidates)) {
      if (await element.evaluate((el, sel) => el.matches(sel), selector)) {
        winner = name;
        break;
      }
    }
  } finally {
    await element.dispose();
  }
  if (winner === 'error') {
    const text =
      (
        await page
          .locator(`${ERROR}:visible`)
          .first()
          .textContent()
          .catch(() => null)
      )?.trim() ?? '';
    throw new AppFlowError(`the app showed an import error while waiting for the ${what}: ${text}`, `wait for ${what}`, await snapshot(page));
  }
  if (!winner) throw new Error(`waiting for the ${what}: matched an element none of ${union} describes`);
  return winner;
}

/** The last entry of each codebench:* measure, in ms. */
export async function readMeasures(page: Page): Promise<{ read: number | null; build: number | null; store: number | null; open: number | null }> {
  return (await page.evaluate(`(() => {
    const last = (name) => {
      const entries = performance.getEntriesByName(name);
      return entries.length ? entries[entries.length - 1].duration : null;
    };
    return {
      read: last('codebench:import-read'),
      build: last('codebench:import-build'),
      store: last('codebench:import-store'),
      open: last('codebench:project-open'),
    };
  })()`)) as { read: number | null; build: number | null; store: number | null; open: number | null };
}

/** The worker's reading and storing steps (codebench:import-read|store:<step>), for the progress log. */
async function readPhases(page: Page): Promise<string> {
  return (await page.evaluate(`performance.getEntriesByType('measure')
    .filter((e) => /^codebench:import-(read|store):/.test(e.name))
    .map((e) => e.name.slice('codebench:import-'.length) + ' ' + Math.round(e.duration) + ' ms')
    .join(', ')`)) as string;
}

/** JSHeapUsedSize of the page's main thread after a full garbage collection (what the page retains). */
export async function heapUsed(page: Page): Promise<number | null> {
  try {
    const session = await page.context().newCDPSession(page);
    try {
      await session.send('HeapProfiler.collectGarbage');
      await session.send('Performance.enable');
      const { metrics } = await session.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? null;
    } finally {
      await session.detach().catch(() => undefined);
    }
  } catch {
    return (await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize : null').catch(() => null)) as number | null;
  }
}

export async function storageUsage(page: Page): Promise<number | null> {
  return (await page.evaluate('navigator.storage.estimate().then((e) => e.usage ?? null, () => null)').catch(() => null)) as number | null;
}

/** What is on screen: for the report when the flow breaks. */
async function snapshot(page: Page): Promise<Record<string, unknown>> {
  const text = async (testId: string) => {
    const locator = page.locator(`[data-testid="${testId}"]:visible`);
    if ((await locator.count().catch(() => 0)) === 0) return null;
    return (await locator.allTextContents().catch(() => [])).map((t) => t.trim().replace(/\s+/g, ' ')).join(' | ') || '';
  };
  const present = async (selector: string) =>
    (await page
      .locator(selector)
      .count()
      .catch(() => 0)) > 0;
  return {
    url: page.url(),
    importError: await text('import-error'),
    importProblems: await text('import-problems'),
    importNotice: await text('import-notice'),
    importProgress: await text('import-progress'),
    importDialogOpen: await present('[data-testid="import-dialog"][open]'),
    previewShown: await present('[data-testid="import-preview"]'),
    projectView:
      (await page
        .locator('[data-testid="project-view"]')
        .first()
        .getAttribute('data-ready', { timeout: 1000 })
        .catch(() => null)) ?? 'absent',
    answersShown: await page
      .getByTestId('answer')
      .count()
      .catch(() => 0),
    dialogText: (
      (await page
        .locator('[data-testid="import-dialog"][open]')
        .first()
        .innerText({ timeout: 1000 })
        .catch(() => '')) || ''
    )
      .replace(/\s+/g, ' ')
      .slice(0, 600),
    bodyText: (
      (await page
        .locator('body')
        .innerText({ timeout: 2000 })
        .catch(() => '')) || ''
    )
      .replace(/\s+/g, ' ')
      .slice(0, 600),
  };
}

function fmt(ms: number) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
