import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync } from 'node:fs';
import { writeSyntheticSurvey } from '../../scripts/lib/synthetic-survey';
import { appPerTest, openApp, waitForProjectReady } from './browser';

// A file large enough that storing takes a visible while, so the user can cancel it midway.
const RESPONDENTS = 60_000;
const file = `generated/e2e/survey-${RESPONDENTS}.csv`;

beforeAll(async () => {
  mkdirSync('generated/e2e', { recursive: true });
  if (!existsSync(file)) await writeSyntheticSurvey(file, { respondents: RESPONDENTS, seed: 7, questions: 8, format: 'plain' });
});
// Each test in a fresh profile on the start page.
const app = appPerTest(openApp);

describe('a large import', () => {
  it('shows progress, can be cancelled while storing, and leaves nothing behind', async () => {
    const { page } = app();
    await page.getByTestId('home-import-input').setInputFiles(file);
    await page.getByTestId('import-preview').waitFor({ timeout: 60_000 });
    await page.getByTestId('import-commit').click();
    const progress = page.getByTestId('import-progress');
    await expect.poll(() => progress.textContent(), { timeout: 60_000, interval: 20 }).toMatch(/Storing… \d+%/);
    await page.getByTestId('import-cancel').click();
    await expect.poll(() => page.getByTestId('import-notice').textContent(), { timeout: 30_000 }).toMatch(/Import cancelled. Nothing was stored./);
    const stored = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const request = indexedDB.open('codebench');
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const db = request.result;
            const count = db.transaction('answerChunks').objectStore('answerChunks').count();
            count.onsuccess = () => {
              resolve(count.result);
              db.close();
            };
          };
        }),
    );
    expect(stored).toBe(0);
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByTestId('project-list').count()).toBe(0);
  });

  it('imports the same file to the end with a progress bar', async () => {
    const { page } = app();
    await page.getByTestId('home-import-input').setInputFiles(file);
    await page.getByTestId('import-preview').waitFor({ timeout: 60_000 });
    await page.getByTestId('import-commit').click();
    await waitForProjectReady(page);
    await expect.poll(() => page.getByTestId('project-summary').textContent()).toMatch(/60,000 respondents/);
    // Only the rows on screen are in the page: the list is virtual.
    await expect.poll(() => page.getByTestId('answer').count()).toBeGreaterThan(5);
    expect(await page.getByTestId('answer').count()).toBeLessThan(60);
    expect(await page.getByTestId('answer-count').textContent()).toMatch(/^\d{2},\d{3} answers$/);
    // Scrolling far down renders the rows there.
    await page.getByTestId('answer-list').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect.poll(() => page.getByTestId('answer').first().getAttribute('data-answer-id')).not.toMatch(/R0000(0|1)\d$/);
  });
});
