import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { allAnswerTexts, appPerTest, nextFrames, openApp, waitForProjectReady } from './browser';

// Each test in a fresh profile on the start page (appPerTest): none relies on another's project.
const app = appPerTest(openApp);

const sample = (name: string) => `sample-data/${name}`;

async function importThroughChooser(page: Page, file: string, testId = 'home-import') {
  await page.getByTestId(`${testId}-input`).setInputFiles(file);
  await page.getByTestId('import-preview').waitFor();
}

async function openSampleStudy(page: Page) {
  await page.getByTestId('open-sample').click();
  await waitForProjectReady(page);
}

/** Imports the plain sample CSV as a new project with this name, from the start page. */
async function importPlain(page: Page, name: string) {
  await importThroughChooser(page, sample('aimms-plain.csv'));
  await page.getByTestId('import-project-name').fill(name);
  await page.getByTestId('import-commit').click();
  await waitForProjectReady(page);
}

async function projectNames(page: Page): Promise<string[]> {
  await page.goto(new URL('#/', page.url()).toString());
  await page.getByTestId('open-sample').waitFor();
  if ((await page.getByTestId('project-list').count()) === 0) return [];
  return page.getByTestId('project-link').allTextContents();
}

describe('first visit and the sample study', () => {
  it('offers the sample study and an import on a first visit', async () => {
    const { page } = app();
    await page.getByTestId('welcome').waitFor();
    expect(await page.getByTestId('open-sample').isVisible()).toBe(true);
    expect(await page.getByTestId('home-import').isVisible()).toBe(true);
  });

  it('opens the sample study with both waves, its questions and the starter codebook', async () => {
    const { page } = app();
    await page.getByTestId('open-sample').click();
    await waitForProjectReady(page);
    await expect.poll(() => page.getByTestId('question-item').count()).toBe(8);
    expect(await page.getByTestId('project-summary').textContent()).toMatch(/32 respondents · Baseline, 6 months/);
    await expect.poll(() => page.getByTestId('answer').count()).toBeGreaterThan(5);
    expect(await page.getByTestId('answer-count').textContent()).toBe('46 answers');
    const codes = await page.getByTestId('code-name').allTextContents();
    expect(codes).toEqual(expect.arrayContaining(['Rewards', 'Challenges', 'Shared background', 'Empathy']));
    const firstRow = page.getByTestId('answer').first();
    expect(await firstRow.textContent()).toMatch(/Baseline/);
    expect(await firstRow.textContent()).toMatch(/mentor|mentee/);
  });

  it('shows answers that contain HTML as text and never runs them', async () => {
    const { page } = app();
    await openSampleStudy(page);
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    const hostile: string[] = [];
    for (const question of await page.getByTestId('question-item').all()) {
      await question.click();
      await expect.poll(() => question.getAttribute('aria-current')).toBe('true');
      await waitForProjectReady(page);
      await nextFrames(page);
      for (const text of await allAnswerTexts(page)) {
        if (text.includes('<script>') || text.includes('onerror=')) hostile.push(text);
      }
    }
    expect(hostile.length).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-testid="answer-list"] script, [data-testid="answer-list"] img').count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  it('keeps everything after a reload', async () => {
    const { page } = app();
    await openSampleStudy(page);
    const url = page.url();
    await page.reload();
    await waitForProjectReady(page);
    expect(page.url()).toBe(url);
    await expect.poll(() => page.getByTestId('question-item').count()).toBe(8);
    expect(await page.getByTestId('project-summary').textContent()).toMatch(/32 respondents/);
  });
});

describe('importing survey files through the file chooser', () => {
  it('previews the plain CSV with its guessed columns and imports it', async () => {
    const { page } = app();
    await importThroughChooser(page, sample('aimms-plain.csv'));
    const roles = await page
      .getByTestId('column-row')
      .evaluateAll((rows) => rows.map((row) => [row.querySelector('.key')?.textContent, (row as HTMLElement).dataset.role]));
    expect(roles).toEqual(
      expect.arrayContaining([
        ['respondent_id', 'id'],
        ['role', 'attribute'],
        ['wave', 'wave'],
      ]),
    );
    expect(roles.filter(([, role]) => role === 'question')).toHaveLength(8);
    await page.getByTestId('import-project-name').fill('Plain import');
    await page.getByTestId('import-commit').click();
    await waitForProjectReady(page);
    expect(await page.getByTestId('project-summary').textContent()).toMatch(/32 respondents · Baseline, 6 months/);
    await page.reload();
    await waitForProjectReady(page);
    expect(await page.getByTestId('current-project-name').textContent()).toBe('Plain import');
  });

  it('imports the Qualtrics baseline, then joins the 6-month wave to the same respondents', async () => {
    const { page } = app();
    await page.goto(new URL('#/', page.url()).toString());
    await importThroughChooser(page, sample('aimms-baseline-qualtrics.csv'));
    expect(await page.getByTestId('import-facts').textContent()).toMatch(/Qualtrics/);
    expect(await page.getByTestId('import-wave-name').inputValue()).toBe('Baseline');
    await page.getByTestId('import-project-name').fill('Qualtrics waves');
    await page.getByTestId('import-commit').click();
    await waitForProjectReady(page);
    expect(await page.getByTestId('project-summary').textContent()).toMatch(/32 respondents · Baseline$/m);

    await importThroughChooser(page, sample('aimms-6month-qualtrics.csv'), 'topbar-import');
    expect(await page.getByTestId('import-wave-name').inputValue()).toBe('6 months');
    expect(await page.getByTestId('import-target-existing').isChecked()).toBe(true);
    await page.getByTestId('import-commit').click();
    await expect.poll(() => page.getByTestId('project-summary').textContent()).toMatch(/32 respondents · Baseline, 6 months/);
    const labels = await page.getByTestId('question-item').allTextContents();
    expect(labels).toHaveLength(8);
  });

  it('shows a clear message for a bad file and leaves the existing projects untouched', async () => {
    const { page } = app();
    await openSampleStudy(page);
    const before = await projectNames(page);
    expect(before).toHaveLength(1);
    await page.getByTestId('home-import-input').setInputFiles({ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) });
    await expect.poll(() => page.getByTestId('import-error').textContent()).toMatch(/empty/i);
    await page.keyboard.press('Escape');
    await page.getByTestId('home-import-input').setInputFiles({
      name: 'photo.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]),
    });
    await expect.poll(() => page.getByTestId('import-error').textContent()).toMatch(/doesn.t look like/i);
    await page.keyboard.press('Escape');
    expect(await projectNames(page)).toEqual(before);
  });

  it('refuses duplicate respondent IDs in a wave, naming the rows', async () => {
    const { page } = app();
    const rows = Array.from({ length: 11 }, (_, i) => `A${i + 1},${i % 2 ? 'mentor' : 'mentee'},Answer number ${i + 1} about the meetings and the scheme`);
    rows[3] = 'A1,mentor,Another long answer about the scheme and the meetings';
    const csv = ['respondent_id,role,Comment', ...rows].join('\n');
    await page.getByTestId('home-import-input').setInputFiles({ name: 'dupes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-preview').waitFor();
    await expect.poll(() => page.getByTestId('import-problems').textContent()).toMatch(/"A1".*rows 2 and 5/);
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('renames a project and deletes one after asking', async () => {
    const { page } = app();
    await openSampleStudy(page);
    await page.goto(new URL('#/', page.url()).toString());
    await importPlain(page, 'Plain import');
    await projectNames(page);
    await page.getByRole('button', { name: 'Rename Plain import' }).click();
    await page.getByLabel('Project name').fill('Plain CSV study');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('project-link').allTextContents()).toContain('Plain CSV study');
    await page.getByRole('button', { name: 'Delete Plain CSV study' }).click();
    expect(await page.getByTestId('confirm-dialog').textContent()).toMatch(/cannot be undone/);
    await page.getByRole('button', { name: 'Delete project' }).click();
    await expect.poll(() => page.getByTestId('project-link').allTextContents()).not.toContain('Plain CSV study');
    await page.reload();
    await page.getByTestId('project-list').waitFor();
    expect(await page.getByTestId('project-link').allTextContents()).toEqual(['AIMMS mentoring evaluation (sample)']);
  });
});
