import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { allAnswerTexts, appPerTest, openSampleAsCoder, waitForProjectReady } from './browser';

// Each test in a fresh profile with coder Ana named and the sample study open at the rewards question: its answers
// say "mentor", "mentors" and "mentoring".
const app = appPerTest(async (browser: Browser) => {
  const opened = await openSampleAsCoder(browser);
  await opened.page.getByTestId('question-item').nth(2).click();
  await waitForProjectReady(opened.page);
  return opened;
});

describe('searching answers', () => {
  it('finds word forms through lemmas and highlights the matched words', async () => {
    const { page } = app();
    await page.keyboard.press('/');
    await page.keyboard.type('mentoring ');
    await expect.poll(() => page.getByTestId('search-count').textContent(), { timeout: 30_000 }).toBe('5 matching');
    await expect.poll(() => page.getByTestId('answer-count').textContent()).toBe('5 of 46 answers');
    const texts = await allAnswerTexts(page);
    expect(texts).toHaveLength(5);
    expect(texts.every((t) => /\bmentor/i.test(t))).toBe(true);
    await expect.poll(() => page.getByTestId('search-match').count()).toBeGreaterThan(0);
    const marked = (await page.getByTestId('search-match').allTextContents()).map((t) => t.toLowerCase());
    expect(marked.every((word) => word.startsWith('mentor'))).toBe(true);
    expect(new Set(marked).size).toBeGreaterThan(1);
  });

  it('matches an exact phrase in quotes and tolerates a typo', async () => {
    const { page } = app();
    const input = page.getByTestId('search-input');
    await input.fill('"giving back"');
    await expect.poll(() => page.getByTestId('search-count').textContent()).toMatch(/^\d+ matching$/);
    for (const text of await allAnswerTexts(page)) expect(text.toLowerCase()).toMatch(/giving\s+back/);
    await input.fill('confidnce ');
    await expect.poll(() => page.getByTestId('search-count').textContent()).not.toBe('0 matching');
    for (const text of await allAnswerTexts(page)) expect(text.toLowerCase()).toContain('confiden');
  });

  it('auto-codes the matches the coder keeps, as one step that undo removes', async () => {
    const { page } = app();
    await page.getByTestId('search-input').fill('mentoring ');
    await expect.poll(() => page.getByTestId('search-count').textContent()).toBe('5 matching');
    await page.getByTestId('autocode-open').click();
    const dialog = page.getByTestId('autocode-dialog');
    await expect.poll(() => dialog.getByTestId('autocode-match').count()).toBe(5);
    await dialog.getByTestId('autocode-match').first().locator('input').uncheck();
    const codeValue = await dialog.getByTestId('autocode-code').locator('option', { hasText: 'Giving back' }).getAttribute('value');
    await dialog.getByTestId('autocode-code').selectOption(codeValue!);
    expect(await dialog.getByTestId('autocode-apply').textContent()).toMatch(/Apply “Giving back” to 4 answers/);
    await dialog.getByTestId('autocode-apply').click();
    await expect.poll(() => page.locator('[data-testid="coding-chip"][data-code-id="' + codeValue + '"]').count()).toBe(4);
    expect(await page.getByTestId('notification-status').textContent()).toMatch(/4 answers/);

    // The Undo button, not Ctrl+Z: focus may be back in the search box, where Ctrl+Z undoes typing.
    await page.getByTestId('undo').click();
    await expect.poll(() => page.locator('[data-testid="coding-chip"]').count()).toBe(0);
    await page.getByTestId('search-input').fill('');
    await expect.poll(() => page.getByTestId('answer-count').textContent()).toBe('46 answers');
  });

  it('prepares the shown question when the project opens, and a search typed at once after opening answers', async () => {
    const { page } = app();
    const input = page.getByTestId('search-input');
    // Nothing typed yet: the search worker runs and has keyed the shown question's answers.
    await expect.poll(() => input.getAttribute('data-search-ready'), { timeout: 30_000 }).toBe('true');
    expect(page.workers().some((w) => /search-worker/.test(w.url()))).toBe(true);
    // Open it again (a reload: a new worker) and type without waiting for anything but the box.
    await page.reload();
    await page.getByTestId('search-input').waitFor();
    await page.getByTestId('search-input').fill('mentoring ');
    await expect.poll(() => page.getByTestId('search-count').textContent(), { timeout: 30_000 }).toBe('5 matching');
    await expect.poll(() => page.getByTestId('answer-count').textContent()).toBe('5 of 46 answers');
    await expect.poll(() => page.getByTestId('search-input').getAttribute('data-search-ready')).toBe('true');
  });
});
