import { describe, expect, it } from 'vitest';
import { appPerTest, openApp, waitForProjectReady } from './browser';

// Analysis ready on open (issue 15): once a project's code counts are shown and the page is idle, the analysis
// worker reads and indexes it, so that opening Analysis finds it read. Seen from the page: the warm-up's reply
// arrives before the view is opened, and opening the view keeps that worker rather than starting another that
// would read the project again.

declare global {
  interface Window {
    __analysisWorkers: string[];
    __analysisResults: number;
  }
}

/** Counts the analysis workers the page starts and the results they send, before the app's scripts run. */
function watchAnalysisWorkers() {
  const Native = window.Worker;
  window.__analysisWorkers = [];
  window.__analysisResults = 0;
  window.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      const href = String(url);
      if (!/analysis-worker/.test(href)) return;
      window.__analysisWorkers.push(href);
      this.addEventListener('message', (event: MessageEvent) => {
        if ((event.data as { type?: string } | null)?.type === 'result') window.__analysisResults++;
      });
    }
  };
}

const app = appPerTest(async (browser) => {
  const opened = await openApp(browser, undefined, { init: watchAnalysisWorkers });
  await opened.context.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ana', name: 'Ana', color: '#2454a6' })));
  await opened.page.reload();
  await opened.page.getByTestId('open-sample').click();
  await waitForProjectReady(opened.page);
  return opened;
});

describe('the analysis of an open project is read ahead of the view', () => {
  it('warms the worker once the counts are shown, and the Analysis view opens on that same worker', async () => {
    const { page } = app();
    // No Analysis view yet: the app alone asks the worker to read the project, once it is idle.
    await expect.poll(() => page.evaluate(() => window.__analysisResults), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    expect(await page.evaluate(() => window.__analysisWorkers.length)).toBe(1);
    expect(await page.getByTestId('analysis-view').count()).toBe(0);

    await page.locator('[data-testid="layout-analysis"]').first().click();
    await page.locator('[data-testid="analysis-view"][data-ready="true"]').waitFor({ timeout: 60_000 });
    // The same worker answered the view: it was not stopped and started again to read the project anew.
    expect(await page.evaluate(() => window.__analysisWorkers.length)).toBe(1);
    await page.getByRole('tab', { name: 'Counts', exact: true }).click();
    await expect.poll(() => page.getByTestId('counts-row').count()).toBeGreaterThan(0);
  });
});
