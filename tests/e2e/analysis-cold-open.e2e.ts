import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder, storedRecords, waitForProjectReady } from './browser';

// Analysis opened cold (issue 15): after a reload the analysis worker starts afresh and, when the view is opened at
// once, reads the project itself. Once it has read a project it stores the answers and respondents packed
// (lib/db/stored-answers.ts); a cold open reads that record. The tables must be the same as before the reload.

const app = appPerTest(openSampleAsCoder);

const READY = '[data-testid="analysis-view"][data-ready="true"]';

/** The Counts table and the Prevalence table as text, each after its tab's table is shown. */
async function tablesText(page: Page): Promise<{ counts: string[]; prevalence: string[] }> {
  await page.getByRole('tab', { name: 'Counts', exact: true }).click();
  await expect.poll(() => page.getByTestId('counts-row').count(), { timeout: 60_000 }).toBeGreaterThan(0);
  const counts = await page.getByTestId('counts-row').allInnerTexts();
  await page.getByRole('tab', { name: 'Prevalence', exact: true }).click();
  await expect.poll(() => page.getByTestId('prevalence-row').count(), { timeout: 60_000 }).toBeGreaterThan(0);
  const prevalence = await page.getByTestId('prevalence-row').allInnerTexts();
  return { counts, prevalence };
}

describe('Analysis opened at once after a reload', () => {
  it('reads the stored answer columns and shows the same tables as before the reload', async () => {
    const { page } = app();
    // A few answers coded (whole answers, code keys 1 and 2), so the tables have rows with counts.
    for (const [i, key] of [
      [0, '1'],
      [1, '1'],
      [2, '2'],
      [4, '1'],
      [5, '2'],
    ] as const) {
      const answer = page.getByTestId('answer').nth(i);
      await answer.focus();
      await page.keyboard.press(key);
      await expect.poll(() => answer.getByTestId('coding-chip').count()).toBeGreaterThan(0);
    }
    const projectUrl = page.url();
    await page.locator('[data-testid="layout-analysis"]').first().click();
    await page.locator(READY).waitFor({ timeout: 60_000 });
    const before = await tablesText(page);
    expect(before.counts.length).toBeGreaterThan(0);
    expect(before.prevalence.length).toBeGreaterThan(0);

    // The worker stored the packed columns at the project's current answers revision.
    await expect
      .poll(
        async () => {
          const [project] = (await storedRecords<{ id: string; answersRevision?: string }>(page, 'projects')).filter((p) => projectUrl.includes(p.id));
          const derived = await storedRecords<{ projectId: string; key: string; revision: string }>(page, 'derived');
          return derived.some((d) => d.projectId === project?.id && d.key === 'analysis:answers' && d.revision === (project?.answersRevision ?? ''));
        },
        { timeout: 60_000 },
      )
      .toBe(true);

    // Reloaded on the project (its workers start afresh), Analysis opened as soon as the project view is ready.
    await page.goto(projectUrl);
    await page.reload();
    await waitForProjectReady(page);
    await page.locator('[data-testid="layout-analysis"]').first().click();
    await page.locator(READY).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('analysis-view').getAttribute('data-stored-answers')).toBe('true');
    expect(await tablesText(page)).toEqual(before);
  });
});
