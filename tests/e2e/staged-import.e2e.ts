/**
 * Staged import: while the preview is read, the new project's rows are stored unseen; a reload (a crash) or a
 * Cancel leaves nothing behind, and Import makes them visible at once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { writeSyntheticSurvey } from '../../scripts/lib/synthetic-survey';
import { appPerTest, openApp, storedRecords, waitForProjectReady } from './browser';

const RESPONDENTS = 6_000;
const file = `generated/e2e/survey-staged-${RESPONDENTS}.csv`;

beforeAll(async () => {
  mkdirSync('generated/e2e', { recursive: true });
  if (!existsSync(file)) await writeSyntheticSurvey(file, { respondents: RESPONDENTS, seed: 11, questions: 8, format: 'plain' });
});

const app = appPerTest(openApp);

/** How many records each store that holds a project's rows has, counted in the page. */
async function counts(page: Page) {
  const [projects, answerChunks, respondentChunks] = await page.evaluate(
    (stores) =>
      new Promise<number[]>((resolve, reject) => {
        const request = indexedDB.open('codebench');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const transaction = db.transaction(stores);
          const results = stores.map((store) => transaction.objectStore(store).count());
          transaction.oncomplete = () => {
            resolve(results.map((r) => r.result));
            db.close();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    ['projects', 'answerChunks', 'respondentChunks'],
  );
  return { projects, answerChunks, respondentChunks };
}

async function chooseAndWaitForStaging(page: Page) {
  await page.getByTestId('home-import-input').setInputFiles(file);
  await page.locator('[data-testid="import-preview"][data-staging="stored"]').waitFor({ timeout: 90_000 });
}

describe('a staged import', () => {
  it('stores unseen while the preview shows; a reload, then a Cancel, leave nothing; Import opens every answer', async () => {
    const { page } = app();
    await chooseAndWaitForStaging(page);
    const staged = await counts(page);
    expect(staged.projects).toBe(1);
    expect((await storedRecords<{ staging?: unknown }>(page, 'projects'))[0].staging).toBeDefined();
    expect(staged.answerChunks).toBeGreaterThan(0);
    expect(staged.respondentChunks).toBeGreaterThan(0);

    // A crash mid-review: the staging worker dies with the page, and the next start removes what it stored.
    await page.reload();
    await page.getByTestId('home-import-input').waitFor();
    expect(await page.getByTestId('project-list').count()).toBe(0);
    await expect.poll(async () => (await counts(page)).projects).toBe(0);
    expect(await counts(page)).toMatchObject({ answerChunks: 0, respondentChunks: 0 });

    // Cancel in the preview throws the staging away at once.
    await chooseAndWaitForStaging(page);
    await page.getByTestId('import-dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(async () => (await counts(page)).projects).toBe(0);
    expect(await counts(page)).toMatchObject({ answerChunks: 0, respondentChunks: 0 });
    expect(await page.getByTestId('project-list').count()).toBe(0);

    // Import publishes what was staged: the project opens with every answer.
    await chooseAndWaitForStaging(page);
    await page.getByTestId('import-project-name').fill('Staged study');
    // The name is not part of what was staged: nothing is stored again.
    expect(await page.getByTestId('import-preview').getAttribute('data-staging')).toBe('stored');
    await page.getByTestId('import-commit').click();
    await waitForProjectReady(page);
    await expect.poll(() => page.getByTestId('project-summary').textContent()).toMatch(/6,000 respondents/);
    const projects = await storedRecords<{ name: string; answerCount: number; staging?: unknown }>(page, 'projects');
    expect(projects).toHaveLength(1);
    expect(projects[0]).toMatchObject({ name: 'Staged study' });
    expect(projects[0]).not.toHaveProperty('staging');
    const answers = (await storedRecords<{ texts: string[] }>(page, 'answerChunks')).reduce((sum, chunk) => sum + chunk.texts.length, 0);
    expect(projects[0].answerCount).toBe(answers);
    expect(answers).toBeGreaterThan(RESPONDENTS * 4);
    await page.goto(new URL(page.url()).origin + '/');
    await expect.poll(() => page.getByTestId('project-list').textContent()).toMatch(/Staged study/);
    // Three imports of a file on a machine other work may share: more than the default two minutes.
  }, 300_000);
});
