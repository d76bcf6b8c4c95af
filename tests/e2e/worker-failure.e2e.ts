/**
 * A worker that dies in the real browser: the page hears it through the
 * Worker's error event and ends the operation with a message, instead of
 * leaving a dialog or a line of progress up for good. The worker's script is
 * replaced at the network, so nothing in the app is there for the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, openApp, waitForProjectReady } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Dies as an out-of-memory worker would: an error thrown outside any message handler. */
const DYING_IMPORT_WORKER = `
self.onmessage = (event) => {
  if (event.data.type === 'read') setTimeout(() => { throw new Error('Simulated out of memory'); }, 0);
};
`;

describe('a worker that dies', () => {
  it('ends "Reading…" in the import dialog with a message, and the next file is read by a new worker', async () => {
    const app = await openApp(browser);
    try {
      const { context, page } = app;
      const pattern = '**/assets/import-worker-*.js';
      await context.route(pattern, (route) => route.fulfill({ contentType: 'text/javascript', body: DYING_IMPORT_WORKER }));
      await page.reload();
      await page.getByTestId('home-import-input').setInputFiles('sample-data/aimms-plain.csv');
      const error = page.getByTestId('import-error');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/^The import worker stopped unexpectedly \(.*Simulated out of memory.*\)\. Choose the file again\.$/);
      expect(await page.getByTestId('import-dialog').textContent()).toMatch(/Nothing was stored/);
      expect(await page.getByTestId('import-progress').count()).toBe(0);

      await context.unroute(pattern);
      await page.getByTestId('home-import-input').setInputFiles('sample-data/aimms-plain.csv');
      await expect.poll(() => page.getByTestId('import-preview').count()).toBe(1);
      expect(await page.getByTestId('import-error').count()).toBe(0);
    } finally {
      await app.context.close();
    }
  });

  it('ends the search of a worker whose code cannot load with a message', async () => {
    const app = await openApp(browser);
    try {
      const { context, page } = app;
      await context.route('**/assets/search-worker-*.js', (route) => route.abort());
      await page.getByTestId('open-sample').click();
      await waitForProjectReady(page);
      await page.getByTestId('search-input').fill('mentor');
      const alert = page.getByRole('alert').filter({ hasText: 'search worker' });
      await alert.first().waitFor();
      expect(await alert.first().textContent()).toBe('The search worker stopped unexpectedly (its code could not be loaded or run). Search again.');
    } finally {
      await app.context.close();
    }
  });
});
