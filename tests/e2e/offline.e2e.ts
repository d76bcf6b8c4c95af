import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrl, launchChromium, storedRecords, waitForProjectReady } from './browser';

// Codebench as an installed app: after the first visit its service worker holds the whole build, so the author can
// reopen a project, code and export with no network at all; and a new version waits until she chooses to reload.
// These tests make their own contexts: openApp (browser.ts) blocks service workers for the other end-to-end tests.
let browser: Browser;
const SW_FILE = 'dist/sw.js';
const folder = mkdtempSync(join(tmpdir(), 'codebench-offline-'));

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

interface Visit {
  context: BrowserContext;
  page: Page;
  foreignRequests: string[];
  pageErrors: string[];
}

/** A fresh profile with coder Ana named, the app open and its service worker in control of the page. */
async function firstVisit(): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const origin = new URL(baseUrl()).origin;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
  await context.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ana', name: 'Ana', color: '#2454a6' })));
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(baseUrl());
  // A worker becomes active only once its precache is complete (install); it claims the page it installs in.
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state)).toBe('activated');
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  return { context, page, foreignRequests, pageErrors };
}

describe('offline after the first visit', () => {
  it('reopens the stored project, codes an answer by key, searches by lemma and exports a CSV with no network', async () => {
    const { context, page, foreignRequests, pageErrors } = await firstVisit();
    try {
      await page.getByTestId('open-sample').click();
      await waitForProjectReady(page);
      await expect.poll(async () => (await storedRecords(page, 'projects')).length).toBe(1);

      await context.setOffline(true);
      // Offline indeed: what the service worker does not hold cannot be fetched.
      expect(
        await page.evaluate(() =>
          fetch(`/not-in-the-build-${Date.now()}.txt`).then(
            () => 'fetched',
            () => 'failed',
          ),
        ),
      ).toBe('failed');

      // A reload with no network: the page, its chunks, workers and the language model come from the service worker.
      await page.goto(baseUrl());
      await page.getByTestId('project-link').click();
      await waitForProjectReady(page);

      await page.getByTestId('answer').first().focus();
      await page.keyboard.press('1');
      await expect.poll(async () => (await storedRecords<{ codings: { coderId: string }[] }>(page, 'codingPages')).flatMap((p) => p.codings).length).toBe(1);

      // Search lemmatises in its worker with the language model: 'mentoring' finds answers that say 'mentor'.
      await page.getByTestId('search-input').fill('mentoring');
      await expect.poll(() => page.getByTestId('answer').count()).toBeGreaterThan(0);

      await page.getByTestId('search-input').fill('');
      await page.getByTestId('layout-analysis').click();
      await page.getByTestId('analysis-tab-export').click();
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-long-csv').click()]);
      const path = join(folder, file.suggestedFilename());
      await file.saveAs(path);
      const lines = readFileSync(path, 'utf8').trimEnd().split(/\r\n/);
      expect(lines).toHaveLength(1 + 1);
      expect(lines[1]).toContain('Rewards');

      expect(foreignRequests, "requests beyond the app's origin").toEqual([]);
      expect(pageErrors, 'errors thrown in the page').toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('offers a new version when one is deployed, and reloads into it only when asked', async () => {
    const { context, page, foreignRequests, pageErrors } = await firstVisit();
    const deployed = readFileSync(SW_FILE, 'utf8');
    try {
      // A new deployment: dist/sw.js as the next build would write it, with a new revision of index.html. (The
      // preview server reads dist/ at each request; Playwright's routes do not see a service worker's own script.)
      const next = deployed.replace(/(url:"index\.html",revision:")[0-9a-f]+"/, '$1next-version"');
      expect(next).not.toBe(deployed);
      writeFileSync(SW_FILE, next);
      await page.evaluate(() => ((window as unknown as { beforeUpdate: boolean }).beforeUpdate = true));
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());

      const prompt = page.getByTestId('update-prompt');
      await prompt.waitFor();
      expect(await prompt.textContent()).toContain('A new version of Codebench is ready.');
      // Nothing happens until the author chooses: the new worker waits and the page is the same page.
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(true);
      expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate)).toBe(true);

      await page.getByTestId('update-reload').focus();
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      await page.getByTestId('open-sample').waitFor();
      expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate)).toBeUndefined();
      expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
      expect(await page.getByTestId('update-prompt').count()).toBe(0);
      // The new version is the one in control: its precache holds the new revision of the page.
      const cachedPage = () =>
        page.evaluate(async () => {
          for (const name of await caches.keys()) {
            for (const request of await (await caches.open(name)).keys()) if (new URL(request.url).pathname === '/index.html') return request.url;
          }
          return null;
        });
      await expect.poll(cachedPage).toContain('next-version');

      expect(foreignRequests, "requests beyond the app's origin").toEqual([]);
      expect(pageErrors, 'errors thrown in the page').toEqual([]);
    } finally {
      writeFileSync(SW_FILE, deployed);
      await context.close();
    }
  });
});
