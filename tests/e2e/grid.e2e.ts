import { describe, expect, it } from 'vitest';
import { appPerTest, openSampleAsCoder } from './browser';

// A fresh profile with coder Ana named and the sample study open; no foreign request, no page error (appPerTest).
const app = appPerTest(openSampleAsCoder);

describe('the survey grid', () => {
  it('shows each respondent and wave as a row, questions as columns, attributes pinned, and codes a cell by key', async () => {
    const { page } = app();
    await page.getByTestId('layout-grid').click();
    // 32 respondents at baseline, 14 at six months.
    await expect.poll(() => page.getByTestId('grid-count').textContent()).toBe('46 respondent rows × 8 questions');
    const first = page.getByTestId('grid-row').first();
    expect(await first.locator('.pinned').textContent()).toMatch(/Baseline.*(mentor|mentee)/s);
    expect((await first.getByTestId('grid-cell').count()) + (await first.locator('.cell.empty').count())).toBe(8);

    const cell = first.getByTestId('grid-cell').first();
    await cell.focus();
    await page.keyboard.press('1');
    await expect.poll(() => cell.locator('.code').count()).toBe(1);
    // The same coding shows in the question view.
    const answerId = await cell.getAttribute('data-answer-id');
    await page.getByTestId('layout-question').click();
    await page.getByTestId('question-item').first().click();
    await expect.poll(() => page.locator(`[data-answer-id="${answerId}"] [data-testid="coding-chip"]`).count()).toBe(1);
  });
});
