import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder } from './browser';

// The AIMMS sample's results table in real Chromium: prevalence by role × wave with intervals, filtered to mentees,
// pair concordance and change from baseline to 6 months by role.
const app = appPerTest(openSampleAsCoder);

/** Codes the first ten answers listed with Rewards and its subcodes (keys 1–5), then opens Analysis. */
async function codeSome(page: Page) {
  for (let i = 0; i < 10; i++) {
    await page.getByTestId('answer').nth(i).focus();
    await page.keyboard.press(String((i % 5) + 1));
  }
  await expect.poll(() => page.getByTestId('coding-progress').textContent()).toMatch(/\b10 of \d+ coded by you/);
  await page.getByTestId('layout-analysis').click();
}

const texts = (page: Page, selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => e.textContent!.replace(/\s+/g, ' ').trim()));

describe('the write-up tables of the sample study', () => {
  it('prevalence by role × wave with Wilson intervals, then filtered to mentees', async () => {
    const { page } = app();
    await codeSome(page);
    await page.getByTestId('analysis-tab-prevalence').click();
    await page.getByTestId('prevalence').waitFor();
    expect(await texts(page, '[data-testid="prevalence"] thead th.outer')).toEqual(['role: mentee', 'role: mentor']);
    const cells = await texts(page, '[data-testid="prevalence-cell"]');
    expect(cells.length).toBeGreaterThanOrEqual(4);
    for (const cell of cells) expect(cell).toMatch(/^\d+ of \d+ \d+% \(\d+–\d+%\)$/);
    // Baseline and 6 months in each role: a difference with Newcombe's interval.
    expect((await texts(page, '[data-testid="prevalence-difference"]'))[0]).toMatch(/^[−+±]\d+ \([−+±]\d+ to [−+±]\d+\)$/);
    expect(await page.getByTestId('prevalence-method').textContent()).toMatch(/Wilson/);
    expect(await page.getByTestId('prevalence-chart').locator('img').count()).toBe(1);

    await page.getByTestId('filter-add-attribute').selectOption('role');
    await page.getByTestId('filter-attribute-role').locator('summary').click();
    await page.getByTestId('filter-attribute-role').getByRole('checkbox', { name: 'mentee' }).check();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('filter-scope').textContent()).toMatch(/role: mentee/);
    await expect.poll(() => texts(page, '[data-testid="prevalence"] thead th.outer')).toEqual(['role: mentee']);

    // A cell opens the answers behind it, every one a mentee's.
    await page.locator('[data-testid="prevalence-total"]').first().click();
    await page.getByTestId('answer-panel').waitFor();
    await expect.poll(() => page.getByTestId('answer-panel-row').count()).toBeGreaterThan(0);
    for (const row of await texts(page, '[data-testid="answer-panel-row"] .meta')) expect(row).toMatch(/mentee/);
  });

  it('the pairs table and the change table by role', async () => {
    const { page } = app();
    await codeSome(page);
    await page.getByTestId('analysis-tab-pairs').click();
    expect(await page.getByTestId('pairs-group').inputValue()).toBe('pair');
    expect(await page.getByTestId('pairs-role').inputValue()).toBe('role');
    await page.getByTestId('pairs').waitFor();
    const head = await texts(page, '[data-testid="pairs"] thead th');
    expect(head).toEqual(expect.arrayContaining(['Only mentee', 'Only mentor', 'Agree']));
    expect((await texts(page, '[data-testid="pairs-agree"]'))[0]).toMatch(/^\d+ \d+%$/);

    await page.getByTestId('analysis-tab-change').click();
    expect(await page.getByTestId('change-split').inputValue()).toBe('role');
    await page.getByTestId('transitions').waitFor();
    const groups = await texts(page, '[data-testid="transitions"] thead th.outer');
    expect(groups.map((g) => g.split(' answered')[0])).toEqual(['All', 'mentee', 'mentor']);
    // A cell with respondents opens their two answers side by side.
    const cell = page.locator('[data-testid="transitions-cell"][data-split=""]').filter({ hasNotText: /^0 / }).first();
    await cell.click();
    await page.getByTestId('answer-panel').waitFor();
    await expect.poll(() => page.getByTestId('answer-panel-pair').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('answer-panel-pair').first().getByTestId('answer-panel-wave-a').textContent()).toMatch(/Baseline/);
    expect(await page.getByTestId('answer-panel-pair').first().getByTestId('answer-panel-wave-b').textContent()).toMatch(/6 months/);
  });
});
