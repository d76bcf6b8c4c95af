import { describe, expect, it } from 'vitest';
import { appPerTest, openSampleAsCoder, waitForProjectReady } from './browser';

// Each test in a fresh profile with coder Ana named and the sample study open.
const app = appPerTest(openSampleAsCoder);

describe('memos', () => {
  it('adds a memo to an answer, finds it with the memo filter, and keeps it after a reload', async () => {
    const { page } = app();
    const answer = page.getByTestId('answer').nth(1);
    await answer.getByTestId('memo-toggle').click();
    await answer.getByTestId('answer-memos').getByTestId('memo-input').fill('Follow up: <b>not</b> bold');
    await answer.getByTestId('answer-memos').getByTestId('memo-save').click();
    await expect.poll(() => answer.getByTestId('answer-memos').getByTestId('memo').textContent()).toMatch(/Ana · .*Follow up: <b>not<\/b> bold/s);
    await page.getByText('Has memo').click();
    await expect.poll(() => page.getByTestId('answer-count').textContent()).toBe('1 of 46 answers');
    await page.reload();
    await waitForProjectReady(page);
    await page.getByText('Has memo').click();
    await expect.poll(() => page.getByTestId('answer-count').textContent()).toBe('1 of 46 answers');
    expect(await page.getByTestId('answer').first().getByTestId('memo-toggle').textContent()).toMatch(/Memos \(1\)/);
    await page.getByText('Has memo').click();
  });

  it('adds a memo to a respondent and to a code', async () => {
    const { page } = app();
    const answer = page.getByTestId('answer').first();
    await answer.getByTestId('memo-toggle').click();
    await answer.getByTestId('respondent-memos').getByTestId('memo-input').fill('Joined late');
    await answer.getByTestId('respondent-memos').getByTestId('memo-save').click();
    await expect.poll(() => answer.getByTestId('respondent-memos').getByTestId('memo').count()).toBe(1);

    await page.locator('li.code-row').first().getByTestId('edit-code').click();
    const memos = page.getByTestId('code-memos');
    await memos.getByTestId('memo-input').fill('Split when the codebook reaches 20 codes');
    await memos.getByTestId('memo-save').click();
    await expect.poll(() => memos.getByTestId('memo').count()).toBe(1);
    await page.keyboard.press('Escape');
  });
});

describe('two tabs on one project', () => {
  it('shows a change made in one tab in the other without a reload', async () => {
    const first = app().page;
    const second = await app().context.newPage();
    await second.goto(first.url());
    await waitForProjectReady(second);

    await first.getByTestId('answer').nth(3).focus();
    await first.keyboard.press('4');
    const codeId = await first.getByTestId('code-button').nth(3).getAttribute('data-code-id');
    const chip = (page: typeof first) => page.locator(`[data-testid="coding-chip"][data-code-id="${codeId}"]`);
    await expect.poll(() => chip(first).count()).toBe(1);
    await expect.poll(() => chip(second).count()).toBe(1);

    await second.getByTestId('undo').click();
    await expect.poll(() => chip(second).count()).toBe(0);
    await expect.poll(() => chip(first).count()).toBe(0);
    await second.close();
  });
});
