import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, openSampleAsCoder, type AppPage } from './browser';

// Issue 10 §2 and §3 in real Chromium: a key or a click codes only the answer the coder
// can see, and says which one in a message that is not cut off. Each test stands alone.

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function withSample(run: (app: AppPage) => Promise<void>) {
  const app = await openSampleAsCoder(browser);
  try {
    await run(app);
    expect(app.pageErrors).toEqual([]);
  } finally {
    await app.context.close();
  }
}

describe('messages and the answer a code goes to', () => {
  it('clicking Memo then typing "1 said…" writes the memo and codes nothing', async () => {
    await withSample(async ({ page }) => {
      const first = page.getByTestId('answer').nth(0);
      const second = page.getByTestId('answer').nth(1);
      await first.getByTestId('answer-text').click();
      await expect.poll(() => first.getAttribute('class')).toMatch(/focused/);

      await second.getByTestId('memo-toggle').click();
      const box = second.getByTestId('answer-memos').getByTestId('memo-input');
      expect(await box.evaluate((element) => element === document.activeElement)).toBe(true);
      await page.keyboard.type('1 said it helped her settle in');
      expect(await box.inputValue()).toBe('1 said it helped her settle in');
      await second.getByTestId('answer-memos').getByTestId('memo-save').click();
      await expect.poll(() => second.getByTestId('answer-memos').getByTestId('memo').textContent()).toMatch(/1 said it helped her settle in/);

      expect(await page.getByTestId('coding-chip').count()).toBe(0);
      expect(await page.getByTestId('undo').isDisabled()).toBe(true);
    });
  });

  it('a code click with the focused answer scrolled out of view changes nothing and asks to select an answer', async () => {
    await withSample(async ({ page }) => {
      const first = page.getByTestId('answer').nth(0);
      const firstId = (await first.getAttribute('data-answer-id'))!;
      await first.getByTestId('answer-text').click();
      const list = page.getByTestId('answer-list');
      await list.evaluate((element) => (element.scrollTop = element.scrollHeight));
      await expect.poll(() => page.locator(`[data-answer-id="${firstId}"]`).count()).toBe(0);

      await page.getByTestId('code-button').first().click();
      await expect.poll(() => page.getByTestId('notification-status').textContent()).toMatch(/^Select an answer first/);
      await page.keyboard.press('1');
      expect(await page.getByTestId('undo').isDisabled()).toBe(true);
      await list.evaluate((element) => (element.scrollTop = 0));
      await expect.poll(() => page.locator(`[data-answer-id="${firstId}"]`).count()).toBe(1);
      expect(await page.getByTestId('coding-chip').count()).toBe(0);
    });
  });

  it('names the answer a key coded, in full, and its Undo takes the coding back', async () => {
    await withSample(async ({ page }) => {
      const answer = page.getByTestId('answer').nth(2);
      const respondent = (await answer.getByTestId('answer-respondent').textContent())!;
      const question = (await page.getByTestId('question-label').textContent())!;
      const codeName = (await page.getByTestId('code-name').first().textContent())!;
      await answer.focus();
      await page.keyboard.press('1');
      await expect.poll(() => answer.getByTestId('coding-chip').count()).toBe(1);

      const note = page.getByTestId('notification-status').getByTestId('notification');
      const expected = `${codeName} added to ${respondent}, Baseline, ${question}`;
      await expect.poll(() => note.getByTestId('notification-text').textContent()).toBe(expected);
      // Not cut off: the text's box is as wide as the text needs (it wraps rather than clipping).
      const clipped = await note
        .getByTestId('notification-text')
        .evaluate((element) => element.scrollWidth > element.clientWidth || getComputedStyle(element).textOverflow === 'ellipsis');
      expect(clipped).toBe(false);

      await note.getByRole('button', { name: 'Undo' }).click();
      await expect.poll(() => answer.getByTestId('coding-chip').count()).toBe(0);
      await expect.poll(() => note.getByTestId('notification-text').textContent()).toBe(`Undone: ${expected}`);
    });
  });

  it('in the survey grid, a key codes the focused cell only while it shows: scrolled sideways out of view, nothing changes', async () => {
    await withSample(async ({ page }) => {
      await page.getByTestId('layout-grid').click();
      // Columns are virtualised: the cell is found by its answer, and is out of the DOM once scrolled far away.
      const id = await page.getByTestId('grid-row').first().locator('[data-testid="grid-cell"][data-answer-id]').first().getAttribute('data-answer-id');
      const cell = page.locator(`[data-testid="grid-cell"][data-answer-id="${id}"]`);
      await cell.focus();
      const grid = page.getByTestId('grid-scroller');
      await grid.evaluate((element) => (element.scrollLeft = element.scrollWidth));
      await expect.poll(async () => ((await cell.count()) === 0 ? -1 : cell.evaluate((element) => element.getBoundingClientRect().right))).toBeLessThan(300);
      await page.keyboard.press('1');
      await expect.poll(() => page.getByTestId('notification-status').textContent()).toMatch(/^Select an answer first/);
      expect(await cell.locator('.code').count()).toBe(0);
      expect(await page.getByTestId('undo').isDisabled()).toBe(true);

      await grid.evaluate((element) => (element.scrollLeft = 0));
      // Drawn again once the grid has scrolled back.
      await expect.poll(() => cell.count()).toBe(1);
      await page.keyboard.press('1');
      await expect.poll(() => cell.locator('.code').count()).toBe(1);
      await expect.poll(() => page.getByTestId('notification-status').textContent()).toMatch(/ added to /);
    });
  });
});
