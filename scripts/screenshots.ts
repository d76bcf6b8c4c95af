/**
 * Takes the README's screenshots from the running production build:
 * `npx vite build && npx tsx scripts/screenshots.ts` (writes docs/screenshots/*.png).
 */
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startPreview } from './bench/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib/chromium';

const out = 'docs/screenshots';
mkdirSync(out, { recursive: true });

// On a port the operating system picks (see bench/server.ts).
const server = await startPreview('dist', (line) => console.error(line));
const url = server.url;

try {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const only = process.argv[2];
  for (const scheme of ['light', 'dark'] as const) {
    if (only && only !== scheme) continue;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(url);
    await page.getByTestId('open-sample').waitFor();
    if (scheme === 'light') await page.screenshot({ path: `${out}/welcome.png` });
    await page.getByTestId('open-sample').click();
    await page.locator('[data-testid="project-view"][data-ready="true"]').waitFor();
    await page.getByTestId('answer').first().waitFor();
    await page.screenshot({ path: `${out}/project-${scheme}.png` });
    if (scheme === 'light') {
      await page.evaluate(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ana', name: 'Ana', color: '#2454a6' })));
      await page.reload();
      await page.locator('[data-testid="project-view"][data-ready="true"]').waitFor();
      await page.getByTestId('question-item').nth(2).click();
      await page.getByTestId('answer').first().waitFor();
      await page.getByTestId('search-input').fill('mentoring ');
      await page.getByTestId('search-count').waitFor();
      await page.getByTestId('answer').first().focus();
      await page.keyboard.press('1');
      await page.getByTestId('answer').nth(1).focus();
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('6');
      await page.getByTestId('answer').nth(2).focus();
      await page.keyboard.press('3');
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${out}/coding.png` });
      await page.getByTestId('search-input').fill('');
      // A second coder on the same answers, then the agreement view and the analysis.
      for (let i = 0; i < 8; i++) {
        await page.getByTestId('answer').nth(i).focus();
        await page.keyboard.press(String((i % 4) + 1));
      }
      await page.getByTestId('coder-switch').click();
      await page.getByTestId('coder-name').fill('Ben');
      await page.getByTestId('coder-save').click();
      for (let i = 0; i < 8; i++) {
        await page.getByTestId('answer').nth(i).focus();
        await page.keyboard.press(String((i % 3) + 1));
      }
      await page.waitForTimeout(300);
      await page.getByTestId('layout-agreement').click();
      await page.getByTestId('agreement-run').click();
      await page.getByTestId('agreement-table').waitFor();
      await page.getByTestId('agreement-scope').scrollIntoViewIfNeeded();
      await page.evaluate(() => document.querySelector('[data-testid="agreement-scope"]')?.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${out}/agreement.png` });
      await page.getByTestId('layout-analysis').click();
      // The crosstab of codes by an attribute is the Prevalence tab now (there is no "crosstab" tab any more).
      await page.getByTestId('analysis-tab-prevalence').click();
      await page.getByTestId('prevalence').waitFor();
      await page.waitForTimeout(500);
      await page.screenshot({ path: `${out}/analysis.png` });
      await page.getByTestId('layout-question').click();
      await page.getByTestId('layout-grid').click();
      await page.getByTestId('grid-row').first().waitFor();
      await page.screenshot({ path: `${out}/grid.png` });
      await page.getByTestId('layout-question').click();
      await page.getByTestId('topbar-import-input').setInputFiles('sample-data/aimms-plain.csv');
      await page.getByTestId('import-preview').waitFor();
      await page.screenshot({ path: `${out}/import-preview.png` });
      await page.keyboard.press('Escape');
      await page.goto(url + '#/');
      await page.getByTestId('project-list').waitFor();
      await page.screenshot({ path: `${out}/projects.png` });
      // 200% zoom in a 1280×800 window is a 640×400 CSS-pixel viewport at two device pixels each: the project view
      // with the panel folded away, the first answer focused, and the toolbar's More menu open.
      const zoomed = await browser.newContext({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2, colorScheme: 'light' });
      await zoomed.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ana', name: 'Ana', color: '#2454a6' })));
      const zoomPage = await zoomed.newPage();
      await zoomPage.goto(url);
      await zoomPage.getByTestId('open-sample').click();
      await zoomPage.locator('[data-testid="project-view"][data-ready="true"]').waitFor();
      await zoomPage.getByTestId('answer').first().waitFor();
      await zoomPage.keyboard.press('j');
      await zoomPage.getByTestId('toolbar-more').click();
      await zoomPage.getByTestId('toolbar-more-menu').waitFor();
      await zoomPage.waitForTimeout(300);
      await zoomPage.screenshot({ path: `${out}/zoom-200.png` });
      await zoomed.close();
    }
    await context.close();
  }
  await browser.close();
} finally {
  server.stop();
}
