import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder, storedRecords, waitForProjectReady } from './browser';

// Analysis opened cold (issue 15): after a reload the analysis worker starts afresh and, when the view is opened at
// once, reads the project itself. Once it has read a project it stores the answers and respondents packed
// (lib/db/stored-answers.ts) and its codings packed (lib/db/stored-codings.ts); a cold open reads those records. The
// tables must be the same as before the reload; a coding made since makes the codings record stale.

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
  it('reads the stored answer columns and codings and shows the same tables as before the reload; a new coding is read from the pages', async () => {
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

    // The worker stored the packed columns at the project's current answers revision, and the codings at its revision.
    const stored = async () => {
      const [project] = (await storedRecords<{ id: string; revision?: string; answersRevision?: string }>(page, 'projects')).filter((p) =>
        projectUrl.includes(p.id),
      );
      const derived = await storedRecords<{ projectId: string; key: string; revision: string }>(page, 'derived');
      const at = (key: string, revision: string | undefined) =>
        derived.some((d) => d.projectId === project?.id && d.key === key && d.revision === (revision ?? ''));
      return { answers: at('analysis:answers', project?.answersRevision), codings: at('analysis:codings', project?.revision) };
    };
    await expect.poll(stored, { timeout: 60_000 }).toEqual({ answers: true, codings: true });

    // Reloaded on the project (its workers start afresh), Analysis opened as soon as the project view is ready.
    const openCold = async () => {
      await page.goto(projectUrl);
      await page.reload();
      await waitForProjectReady(page);
      await page.locator('[data-testid="layout-analysis"]').first().click();
      await page.locator(READY).waitFor({ timeout: 60_000 });
      const view = page.getByTestId('analysis-view');
      return { answers: await view.getAttribute('data-stored-answers'), codings: await view.getAttribute('data-stored-codings') };
    };
    expect(await openCold()).toEqual({ answers: 'true', codings: 'true' });
    expect(await tablesText(page)).toEqual(before);

    // One more answer coded: the codings record is stale (the revision moved), so the next cold open reads the
    // pages, sees the new coding, and stores the codings again.
    await page.locator('[data-testid="layout-question"]').first().click();
    const answer = page.getByTestId('answer').nth(6);
    await answer.focus();
    await page.keyboard.press('1');
    await expect.poll(() => answer.getByTestId('coding-chip').count()).toBeGreaterThan(0);
    await expect.poll(stored, { timeout: 60_000 }).toEqual({ answers: true, codings: false });
    expect(await openCold()).toEqual({ answers: 'true', codings: 'false' });
    const after = await tablesText(page);
    expect(after.counts).not.toEqual(before.counts);
    await expect.poll(stored, { timeout: 60_000 }).toEqual({ answers: true, codings: true });
    expect(await openCold()).toEqual({ answers: 'true', codings: 'true' });
    expect(await tablesText(page)).toEqual(after);
  });
});
