/**
 * Survey exports as people download them (issue 12), imported through the start
 * page's file chooser: the preview's proposal must be right enough that one
 * click on Import does the job.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { appPerTest, openApp, storedRecords, waitForProjectReady } from './browser';
import type { RespondentChunk } from '../../src/lib/db/schema';

// At 1024 px, the narrowest width the preview is made for.
const app = appPerTest((browser) => openApp(browser, { width: 1024, height: 768 }));

/** The real files live beside the repository, never copied into it (see ../shared/real-files/README.md). */
const realFile = (name: string) => resolve('..', 'shared', 'real-files', 'survey', name);

async function preview(page: Page, file: string) {
  await page.getByTestId('home-import-input').setInputFiles(file);
  await page.getByTestId('import-preview').waitFor();
}

/** Every column row of the preview as key, role and whether it is flagged as personal data. */
async function columnRows(page: Page) {
  return page.getByTestId('column-row').evaluateAll((rows) =>
    rows.map((row) => ({
      key: row.querySelector('.key')?.textContent ?? '',
      role: (row as HTMLElement).dataset.role,
      personal: (row as HTMLElement).dataset.personal === 'true',
    })),
  );
}

const EMAIL = /[\w.+-]+@[\w-]+\.[\w.]+/;
const TELEPHONE = /\(\d{3}\) ?\d{3}-\d{4}/;

describe('real survey exports', () => {
  it('imports a Google Forms file, which has no ID column, in one click with row numbers as IDs', async () => {
    const { page } = app();
    await preview(page, realFile('gforms-hotdog-sp24.csv'));
    expect(await page.getByTestId('import-facts').textContent()).toMatch(/91 rows/);
    expect(await page.getByRole('radio', { name: /^Row number/ }).isChecked()).toBe(true);
    expect(await page.getByTestId('import-id-reason').textContent()).toMatch(/same order/);
    const commit = page.getByTestId('import-commit');
    await expect.poll(() => commit.isEnabled()).toBe(true);
    expect(await commit.textContent()).toMatch(/from 91 rows$/);
    await commit.click();
    await waitForProjectReady(page);
    expect(await page.getByTestId('project-summary').textContent()).toMatch(/^91 respondents/);
  });

  it('flags the personal data of a REDCap export, leaves it out, and imports in one click', async () => {
    const { page, pageErrors } = app();
    await preview(page, realFile('redcap-simple-data.csv'));
    expect(await page.getByTestId('import-facts').textContent()).toMatch(/REDCap export/);
    const rows = await columnRows(page);
    for (const key of ['name_first', 'name_last', 'address', 'telephone', 'email']) {
      expect(rows.find((r) => r.key === key)).toMatchObject({ personal: true, role: 'ignore' });
    }
    expect(rows.find((r) => r.key === 'record_id')?.role).toBe('id');
    expect(await page.getByTestId('personal-summary').textContent()).toMatch(/will not be imported/);

    const commit = page.getByTestId('import-commit');
    await expect.poll(() => commit.isEnabled()).toBe(true);
    await commit.click();
    await waitForProjectReady(page);
    await expect.poll(() => page.getByTestId('answer').count()).toBeGreaterThan(0);
    for (const row of await page.getByTestId('answer').allTextContents()) {
      expect(row).not.toMatch(EMAIL);
      expect(row).not.toMatch(TELEPHONE);
    }
    // Respondents are stored column-wise, a chunk of ids with each attribute's values beside them.
    const chunks = await storedRecords<RespondentChunk>(page, 'respondentChunks');
    expect(chunks.flatMap((c) => c.ids).length).toBe(5);
    const stored = chunks.flatMap((c) => Object.values(c.attributes).flat());
    expect(stored.length).toBeGreaterThan(0);
    for (const value of stored) {
      expect(value).not.toMatch(EMAIL);
      expect(value).not.toMatch(TELEPHONE);
    }
    expect(pageErrors).toEqual([]);
  });

  it('offers to leave out the unfinished responses of a LimeSurvey export', async () => {
    const { page } = app();
    await preview(page, resolve('tests', 'fixtures', 'import', 'limesurvey-unfinished.csv'));
    expect(await page.getByTestId('import-facts').textContent()).toMatch(/LimeSurvey export .* 6 rows/);
    const keep = page.getByRole('checkbox', { name: 'Import the 2 unfinished responses (no submit date)' });
    expect(await keep.isChecked()).toBe(true);
    const commit = page.getByTestId('import-commit');
    expect(await commit.textContent()).toMatch(/from 6 rows$/);
    await keep.uncheck();
    expect(await commit.textContent()).toMatch(/from 4 rows$/);
    await expect.poll(() => commit.isEnabled()).toBe(true);
    await commit.click();
    await waitForProjectReady(page);
    expect(await page.getByTestId('project-summary').textContent()).toMatch(/^4 respondents/);
  });
});
