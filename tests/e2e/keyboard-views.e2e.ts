import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder, storedRecords, waitForProjectReady } from './browser';

// The Agreement and Analysis views by keyboard alone: reached with Tab and Enter (no click anywhere), analysis tabs
// moved by arrows, a table cell's answers opened and closed, a filter changed, the disagreement queue walked and one
// disagreement decided by its key. Every control the focus lands on shows a focus ring.
const app = appPerTest(openSampleAsCoder);

/** What has the focus, for messages: its test id, else its tag and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    return el.dataset.testid ?? `${el.tagName.toLowerCase()} “${(el.textContent ?? '').trim().slice(0, 40)}”`;
  });

/** Whether the focused element matches the selector. */
const focusIs = (page: Page, selector: string) => page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);

/** Whether the focused element draws a focus ring (an outline, or a box shadow). */
const focusRingShown = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const style = getComputedStyle(el);
    return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  });

/**
 * Presses Tab (Shift+Tab with `back`) until the focus is on an element matching the selector: the way a keyboard
 * user gets there. Fails after `max` presses, naming where the focus went.
 */
async function tabTo(page: Page, selector: string, { back = false, max = 150 } = {}) {
  const path: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await focusIs(page, selector)) {
      expect(await focusRingShown(page), `a focus ring on ${selector}`).toBe(true);
      return;
    }
    path.push(await focused(page));
  }
  throw new Error(`${selector} not reached by ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses: ${path.join(' → ')}`);
}

/** Starts the keyboard from the top of the page, as after a load. */
const fromTheTop = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

const codingCount = async (page: Page) => (await storedRecords<{ codings: unknown[] }>(page, 'codingPages')).flatMap((p) => p.codings).length;

/** Codes the first eight answers listed, with keys given per answer (the answer is focused by script: setup, not the test). */
async function codeEight(page: Page, keyOf: (i: number) => string) {
  const before = await codingCount(page);
  for (let i = 0; i < 8; i++) {
    await page.getByTestId('answer').nth(i).focus();
    await page.keyboard.press(keyOf(i));
  }
  await expect.poll(() => codingCount(page)).toBe(before + 8);
}

describe('the Agreement and Analysis views by keyboard alone', () => {
  it('Agreement: Tab and Enter reach it and compute; the queue is walked by arrows and j/k and a disagreement decided by key', async () => {
    const { page, context } = app();
    await codeEight(page, (i) => String((i % 4) + 1));
    await context.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ben', name: 'Ben', color: '#a63d24' })));
    await page.reload();
    await waitForProjectReady(page);
    await codeEight(page, (i) => String((i % 3) + 1));

    await fromTheTop(page);
    await tabTo(page, '[data-testid="layout-agreement"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('agreement-view').waitFor();
    expect(await page.getByTestId('layout-agreement').getAttribute('aria-pressed')).toBe('true');

    await tabTo(page, '[data-testid="agreement-run"]');
    await page.keyboard.press('Enter');
    const queue = page.getByTestId('disagreement-queue');
    await queue.waitFor();
    // The button was disabled while it ran: the focus is back on it, not lost to the page.
    await expect.poll(() => focused(page)).toBe('agreement-run');

    await tabTo(page, '[data-testid="disagreement-queue"]');
    const progress = page.getByTestId('disagreement-progress');
    const total = Number((/of (\d+) resolved/.exec((await progress.textContent()) ?? '') ?? [])[1]);
    expect(total).toBeGreaterThanOrEqual(2);
    await expect.poll(() => progress.textContent()).toMatch(new RegExp(`^\\s*0 of ${total} resolved`));
    const where = queue.locator('.where');
    expect(await where.textContent()).toBe(`Answer 1 of ${total}`);
    const shown = () => page.getByTestId('disagreement-answer').getAttribute('data-answer-id');
    const first = await shown();

    await page.keyboard.press('ArrowDown');
    await expect.poll(() => where.textContent()).toBe(`Answer 2 of ${total}`);
    expect(await shown()).not.toBe(first);
    await page.keyboard.press('k');
    await expect.poll(() => where.textContent()).toBe(`Answer 1 of ${total}`);
    await page.keyboard.press('j');
    await expect.poll(() => where.textContent()).toBe(`Answer 2 of ${total}`);
    const decided = await shown();

    // "2": accept Ben's side; the next open disagreement is shown and the keys still reach the queue.
    await page.keyboard.press('2');
    await expect.poll(() => progress.textContent()).toMatch(new RegExp(`^\\s*1 of ${total} resolved`));
    await expect.poll(async () => (await storedRecords<{ answerId: string }>(page, 'resolutions')).map((r) => r.answerId)).toEqual([decided]);
    expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="disagreement-queue"]'))).toBe(true);
    await expect.poll(() => shown()).not.toBe(decided);
  });

  it('Analysis: Tab and Enter reach it; arrows move between tabs; a cell’s answers open and close; a filter changes', async () => {
    const { page } = app();
    await codeEight(page, (i) => String((i % 4) + 1));

    await fromTheTop(page);
    await tabTo(page, '[data-testid="layout-analysis"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="analysis-view"][data-ready="true"]').waitFor();

    // The selected tab is the one tab stop of the tab list; arrows move the selection and the focus.
    await tabTo(page, '[role="tab"][aria-selected="true"]');
    const selected = () => page.locator('[role="tab"][aria-selected="true"]').getAttribute('data-testid');
    expect(await selected()).toBe('analysis-tab-themes');
    await page.keyboard.press('ArrowRight');
    await expect.poll(selected).toBe('analysis-tab-prevalence');
    await page.keyboard.press('ArrowRight');
    await expect.poll(selected).toBe('analysis-tab-counts');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(selected).toBe('analysis-tab-prevalence');
    expect(await focused(page)).toBe('analysis-tab-prevalence');
    await page.getByTestId('prevalence').waitFor();

    // A cell's answers: Enter opens them and the panel takes the focus; Escape closes it and the focus is back on the cell.
    await tabTo(page, '[data-testid="prevalence-cell"]:not([aria-label^="0 of"])');
    const cellName = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(cellName).toMatch(/^\d+ of \d+ \d+%/);
    await page.keyboard.press('Enter');
    await page.getByTestId('answer-panel').waitFor();
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('[data-testid="answer-panel"]'))).toBe(true);
    await expect.poll(() => page.getByTestId('answer-panel-row').count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('answer-panel').waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('prevalence-cell');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(cellName);

    // A filter: back to the waves, open the list with Enter, untick Baseline with Space, Escape closes it.
    const scope = page.getByTestId('filter-scope');
    const before = await scope.textContent();
    await tabTo(page, '[data-testid="filter-waves"] summary', { back: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('filter-waves').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    await tabTo(page, '[data-testid="filter-waves"] input[type="checkbox"]:not([data-testid])', { max: 5 });
    const wave = await page.evaluate(() => (document.activeElement as HTMLInputElement).closest('label')?.textContent?.trim());
    await page.keyboard.press('Space');
    await page.keyboard.press('Escape');
    expect(await focusIs(page, '[data-testid="filter-waves"] summary')).toBe(true);
    await expect.poll(() => scope.textContent()).not.toBe(before);
    expect(await page.getByTestId('filter-waves').locator('summary').textContent()).not.toContain(wave);
    // The table follows the filter.
    await expect.poll(() => page.locator('.result.stale').count()).toBe(0);
  });
});
