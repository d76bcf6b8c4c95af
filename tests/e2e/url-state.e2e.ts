import { describe, expect, it } from 'vitest';
import { appPerTest, nextFrames, openSampleAsCoder, waitForProjectReady } from './browser';

// A fresh profile with coder Ana named and the sample study open; no foreign request, no page error (appPerTest).
const app = appPerTest(openSampleAsCoder);

const pressed = (testId: string) => (page: ReturnType<typeof app>['page']) => page.getByTestId(testId).getAttribute('aria-pressed');

describe('the place in the URL', () => {
  it('a reload keeps the question, the filters, the order and the first answer; the view and tab too; back returns to the view before', async () => {
    const { page } = app();
    await page.getByTestId('question-item').nth(2).click();
    const question = await page.getByTestId('question-label').textContent();
    await expect.poll(() => page.getByTestId('question-label').textContent()).toBe(question);

    // The attribute is named by its label in the file ("Role"), not its column key ("role").
    const role = page.getByTestId('filter-attribute-role');
    expect(await role.locator('option').first().textContent()).toBe('Any Role');
    // The pair list is in natural order (2 before 10), not the file's.
    const pairs = await page.getByTestId('filter-attribute-pair').locator('option').allTextContents();
    expect(pairs.slice(0, 4)).toEqual(['Any Pair', '1', '2', '3']);
    expect(pairs.at(-1)).toBe('16');

    await page.getByRole('button', { name: /^Baseline ·/ }).click();
    await role.selectOption('mentee');
    await page.getByTestId('answer-sort').selectOption('longest');
    await expect.poll(() => page.url()).toMatch(/sort=longest/);
    const count = await page.getByTestId('answer-count').textContent();
    const firstIds = async () => page.getByTestId('answer').evaluateAll((els) => els.slice(0, 3).map((el) => el.getAttribute('data-answer-id')));
    const lengths = await page.getByTestId('answer-text').evaluateAll((els) => els.slice(0, 3).map((el) => (el.textContent ?? '').length));
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
    const before = await firstIds();
    expect(page.url()).toMatch(/#\/project\/[^?]+\/[^?]+\?.*wave=.*attr\.role=mentee.*sort=longest/);

    await page.reload();
    await waitForProjectReady(page);
    await expect.poll(() => page.getByTestId('question-label').textContent()).toBe(question);
    await expect.poll(() => page.getByTestId('filter-attribute-role').inputValue()).toBe('mentee');
    expect(await page.getByTestId('answer-sort').inputValue()).toBe('longest');
    expect(await page.getByRole('button', { name: /^Baseline ·/ }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByTestId('answer-count').textContent()).toBe(count);
    await expect.poll(firstIds).toEqual(before);
    expect(await page.getByTestId('answer-list').evaluate((el) => el.scrollTop)).toBe(0);
    // j steps through the list in its order (longest first), not the file's.
    await page.locator(`[data-answer-id="${before[0]}"]`).focus();
    await page.keyboard.press('j');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-answer-id]')?.getAttribute('data-answer-id'))).toBe(before[1]);

    // Analysis → Prevalence, reload: still there.
    await page.getByTestId('layout-analysis').click();
    await page.getByTestId('analysis-tab-prevalence').click();
    await expect.poll(() => page.url()).toMatch(/view=analysis.*tab=prevalence/);
    // The analysis filter bar names the attribute by its label too.
    expect(await page.getByTestId('filter-add-attribute').locator('option', { hasText: 'Role' }).count()).toBe(1);
    // The filter bar's choice is in the URL too.
    await page.getByTestId('filter-add-attribute').selectOption('role');
    await page.getByTestId('filter-attribute-role').locator('summary').click();
    await page.getByTestId('filter-attribute-role').getByRole('checkbox', { name: 'mentor' }).check();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('filter-scope').textContent()).toMatch(/role: mentor/);
    await expect.poll(() => page.url()).toMatch(/a\.attr\.role=mentor/);
    await page.reload();
    await waitForProjectReady(page);
    await expect.poll(() => pressed('layout-analysis')(page)).toBe('true');
    await expect.poll(() => page.getByTestId('analysis-tab-prevalence').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('analysis-panel-prevalence').waitFor();
    await expect.poll(() => page.getByTestId('filter-scope').textContent()).toMatch(/role: mentor/);

    // Back: the view before (by question, with its filters and order).
    await page.goBack();
    await expect.poll(() => pressed('layout-question')(page)).toBe('true');
    await expect.poll(() => page.getByTestId('question-label').textContent()).toBe(question);
    await expect.poll(() => page.getByTestId('filter-attribute-role').inputValue()).toBe('mentee');
    expect(await page.getByTestId('answer-sort').inputValue()).toBe('longest');
    await nextFrames(page);
    await expect.poll(firstIds).toEqual(before);
  });

  it('a stale link (a wave and a round that are gone, an unknown order) opens the question with what still exists', async () => {
    const { page } = app();
    await page.getByTestId('question-item').nth(1).click();
    await expect.poll(() => page.url()).toMatch(/#\/project\/[^/]+\/[^/?]+/);
    const path = page.url().split('#')[1].split('?')[0];
    const total = await page.getByTestId('answer-count').textContent();
    await page.goto(`${page.url().split('#')[0]}#${path}?wave=gone&round=gone&sort=sideways&attr.role=mentor&attr.nothing=x&view=grid`);
    await page.reload();
    await waitForProjectReady(page);
    await expect.poll(() => pressed('layout-grid')(page)).toBe('true');
    await page.getByTestId('layout-question').click();
    await expect.poll(() => page.getByTestId('filter-attribute-role').inputValue()).toBe('mentor');
    expect(await page.getByRole('button', { name: /^All waves ·/ }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('answer-sort').inputValue()).toBe('file');
    expect(await page.getByTestId('answer-count').textContent()).not.toBe(total);
    await expect.poll(() => page.url()).not.toMatch(/wave=gone|round=gone|sideways|nothing/);
  });
});
