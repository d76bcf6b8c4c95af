import { describe, expect, it } from 'vitest';
import { appPerTest, openApp, waitForProjectReady } from './browser';

// Work the page starts in the background once a project is open (the analysis worker reading it ahead of its view,
// the search worker keying its answers ahead of the first search) waits while the user scrolls: on two
// cores it took the answer list's scroll frames (issue 15, third round). Seen from the page: nothing is asked of
// either worker while input keeps coming, and both are asked once it stops.

declare global {
  interface Window {
    __posted: { worker: string; type: string; background?: boolean }[];
    __warmResults: number;
    __stopInput: () => void;
  }
}

/** Records what the page posts to the analysis and search workers, before the app's scripts run. */
function watchWorkers() {
  const Native = window.Worker;
  window.__posted = [];
  window.__warmResults = 0;
  window.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      const worker = /analysis-worker/.test(String(url)) ? 'analysis' : /search-worker/.test(String(url)) ? 'search' : null;
      if (!worker) return;
      const post = this.postMessage.bind(this) as (message: unknown, transfer?: Transferable[]) => void;
      this.postMessage = (message: unknown, transfer?: StructuredSerializeOptions | Transferable[]) => {
        const m = message as { type?: string; background?: boolean } | null;
        window.__posted.push({ worker, type: String(m?.type), background: m?.background });
        post(message, transfer as Transferable[]);
      };
      this.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as { type?: string; result?: { kind?: string } } | null;
        if (data?.type === 'result' && data.result?.kind === 'warm') window.__warmResults++;
      });
    }
  };
}

const app = appPerTest(async (browser) => {
  const opened = await openApp(browser, undefined, { init: watchWorkers });
  await opened.context.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ana', name: 'Ana', color: '#2454a6' })));
  await opened.page.reload();
  return opened;
});

describe('background work yields to the user', () => {
  it('asks nothing of the analysis and search workers while the user keeps scrolling, and both once they stop', async () => {
    const { page } = app();
    // Wheel input every 100 ms from the page's own timers: however slow the machine, the page sees no quiet spell.
    await page.evaluate(() => {
      const timer = setInterval(() => window.dispatchEvent(new WheelEvent('wheel', { deltaY: 40 })), 100);
      window.__stopInput = () => clearInterval(timer);
    });
    await page.getByTestId('open-sample').click();
    await waitForProjectReady(page);
    await page.locator('[data-testid="project-view"][data-counted="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    // Long enough for both to have been asked on an idle page (one idle second after the counts).
    await page.waitForTimeout(3000);
    const during = await page.evaluate(() => window.__posted);
    expect(during.filter((m) => m.worker === 'analysis' && m.type === 'warm')).toEqual([]);
    expect(during.filter((m) => m.worker === 'search' && m.type === 'prepare')).toEqual([]);

    await page.evaluate(() => window.__stopInput());
    await expect.poll(() => page.evaluate(() => window.__warmResults), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    const after = await page.evaluate(() => window.__posted);
    expect(after.filter((m) => m.worker === 'analysis' && m.type === 'warm' && m.background === true).length).toBeGreaterThanOrEqual(1);
    expect(after.filter((m) => m.worker === 'search' && m.type === 'prepare').length).toBeGreaterThanOrEqual(1);
  });
});
