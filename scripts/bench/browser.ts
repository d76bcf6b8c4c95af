/**
 * Debian's Chromium for the bench, started as scripts/lib/chromium.ts says.
 *
 * Every measured run gets a brand-new on-disk profile through
 * launchPersistentContext: Playwright's browser.newContext() is an
 * off-the-record context whose IndexedDB lives in memory, which would flatter
 * every write and read the bench is there to measure.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../lib/chromium';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

const VIEWPORT = { width: 1280, height: 800 };

/** Profile folders still on disk, removed on exit even when the bench is interrupted. */
const liveProfileDirs = new Set<string>();
process.on('exit', () => {
  for (const dir of liveProfileDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
});

export interface Profile {
  context: BrowserContext;
  page: Page;
  dir: string;
  pageErrors: string[];
  consoleErrors: string[];
  /** Requests to anything but the loopback origin under test (should stay empty). */
  foreignRequests: string[];
  close(): Promise<void>;
}

/** A fresh Chromium with a new, empty on-disk profile and one page. */
export async function launchProfile(origin: string): Promise<Profile> {
  const dir = mkdtempSync(join(tmpdir(), 'codebench-bench-profile-'));
  liveProfileDirs.add(dir);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
      // The bench times the app, as before it was installable: a service worker precaching the build in the
      // background would share the CPU with what is being timed.
      serviceWorkers: 'block',
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    liveProfileDirs.delete(dir);
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
  // Belt and braces: nothing but loopback leaves the browser.
  await context.route(
    (url) => !url.href.startsWith(origin) && (url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:' || url.protocol === 'wss:'),
    (route) => route.abort('blockedbyclient'),
  );
  let closed = false;
  return {
    context,
    page,
    dir,
    pageErrors,
    consoleErrors,
    foreignRequests,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
        liveProfileDirs.delete(dir);
      }
    },
  };
}

/** "Chromium 156.0.8078.79 …" from a throwaway launch (also proves the binary starts). */
export async function chromiumVersion(): Promise<string> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    return browser.version();
  } finally {
    await browser.close();
  }
}

/** The distribution's own version string, e.g. "Chromium 156.0.8078.79 built on Debian GNU/Linux 12 (bookworm)". */
export function chromiumBanner(): string | null {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000 }).trim() || null;
  } catch {
    return null;
  }
}
