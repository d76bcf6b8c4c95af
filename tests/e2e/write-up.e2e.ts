import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder } from './browser';
import { readQdpx, readQdc } from '../../src/lib/refi';
import { parseCodebookJson } from '../../src/lib/codebook/codebook-json';

// An author's afternoon: code the sample, make a theme, mark a quote, read prevalence by role, take every file away.
// Each test starts in a fresh profile (appPerTest) and does the coding it needs (codeMarkAndGroup), so it passes alone.
const app = appPerTest(openSampleAsCoder);
const folder = mkdtempSync(join(tmpdir(), 'codebench-write-up-'));

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

async function save(page: Page, testId: string, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = join(folder, name);
  await file.saveAs(path);
  return path;
}

/** Codes ten answers, marks an exemplar quote and makes a theme; leaves the Analysis view open. */
async function codeMarkAndGroup(page: Page) {
  const firstId = await page.getByTestId('answer').first().getAttribute('data-answer-id');
  // Keys 1–5 are Rewards and its four subcodes in the starter codebook.
  for (let i = 0; i < 10; i++) {
    await page.getByTestId('answer').nth(i).focus();
    await page.keyboard.press(String((i % 5) + 1));
  }
  // Counted by the progress line: the virtual list may have let the first rows go by now.
  await expect.poll(() => page.getByTestId('coding-progress').textContent()).toMatch(/\b10 of \d+ coded by you/);
  // Back to the top, where the first answer coded shows its chip (the list renders the rows in view).
  await page.getByTestId('answer-list').evaluate((el) => (el.scrollTop = 0));
  // The list draws the rows scrolled back into view a frame or two later: until then its first row is the second answer.
  await expect.poll(() => page.getByTestId('answer').first().getAttribute('data-answer-id')).toBe(firstId);
  await page.getByTestId('answer').first().getByTestId('coding-chip').first().waitFor();
  await page.getByTestId('answer').first().getByTestId('exemplar-toggle').first().click();
  await expect.poll(() => page.getByTestId('answer').first().getByTestId('exemplar-toggle').first().getAttribute('aria-pressed')).toBe('true');

  await page.getByTestId('layout-analysis').click();
  await page.getByTestId('analysis-tab-themes').click();
  await page.getByTestId('theme-new').click();
  await page.getByTestId('theme-name').fill('Personal and professional development');
  await page.getByTestId('theme-description').fill('What mentees and mentors said they gained.');
  await page.getByTestId('theme-code').first().check();
  await page.getByTestId('theme-save').click();
  await expect.poll(() => page.getByTestId('theme-row').count()).toBe(1);
}

describe('themes, counts and exports of the sample study', () => {
  it('codes answers, marks an exemplar quote and groups codes into a theme', async () => {
    await codeMarkAndGroup(app().page);
  });

  it('shows prevalence by role, and a cell opens the answers behind it', async () => {
    const { page } = app();
    await codeMarkAndGroup(page);
    await page.getByTestId('analysis-tab-prevalence').click();
    const table = page.getByTestId('prevalence');
    await table.waitFor();
    expect(await table.textContent()).toMatch(/mentee/);
    expect(await table.textContent()).toMatch(/mentor/);
    const cell = page.locator('[data-testid="prevalence-cell"]:not([disabled])').first();
    const count = Number((await cell.textContent())!.trim().split(/\s+/)[0]);
    expect(count).toBeGreaterThan(0);
    await cell.click();
    await page.getByTestId('answer-panel').waitFor();
    await expect.poll(() => page.getByTestId('answer-panel-row').count()).toBeGreaterThanOrEqual(1);
  });

  it('downloads every export and each reads back', async () => {
    const { page } = app();
    await codeMarkAndGroup(page);
    await page.getByTestId('analysis-tab-export').click();
    const long = readFileSync(await save(page, 'export-long-csv', 'long.csv'), 'utf8');
    const lines = long.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/respondent/);
    expect(lines.length).toBeGreaterThanOrEqual(11);
    expect(long).toMatch(/Rewards/);

    const wide = readFileSync(await save(page, 'export-wide-csv', 'wide.csv'), 'utf8');
    expect(wide.split(/\r?\n/)[0]).toMatch(/Career progression/);
    expect(readFileSync(await save(page, 'export-counts-csv', 'counts.csv'), 'utf8')).toMatch(/Rewards/);
    expect(readFileSync(await save(page, 'export-crosstab-csv', 'crosstab.csv'), 'utf8')).toMatch(/mentee/);

    const xlsx = unzipSync(readFileSync(await save(page, 'export-xlsx', 'workbook.xlsx')));
    expect(Object.keys(xlsx)).toContain('xl/workbook.xml');
    expect(strFromU8(xlsx['xl/workbook.xml'])).toMatch(/<sheet /);

    const html = readFileSync(await save(page, 'export-report-html', 'report.html'), 'utf8');
    expect(html).toMatch(/Personal and professional development/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:/);
    expect(readFileSync(await save(page, 'export-report-md', 'report.md'), 'utf8')).toMatch(/Personal and professional development/);

    // Chromium lets a page start only so many downloads without a click of their own (the worker's reply comes
    // after the click): a new page, as an author coming back to the tab, starts the count again.
    await page.reload();
    await page.locator('[data-testid="project-view"][data-ready="true"]').waitFor();
    await page.getByTestId('layout-analysis').click();
    await page.getByTestId('analysis-tab-export').click();
    expect(readFileSync(await save(page, 'export-codebook-md', 'codebook.md'), 'utf8')).toMatch(/Career progression/);
    const codebook = parseCodebookJson(readFileSync(await save(page, 'export-codebook-json', 'codebook.json'), 'utf8'));
    expect(JSON.stringify(codebook)).toMatch(/Shared background/);

    const qdc = readQdc(readFileSync(await save(page, 'export-qdc', 'codebook.qdc'), 'utf8'));
    expect(qdc.codes.map((c) => c.name)).toContain('Empathy');
    const qdpx = readQdpx(new Uint8Array(readFileSync(await save(page, 'export-qdpx', 'project.qdpx'))));
    expect(qdpx.project.codings.length).toBeGreaterThanOrEqual(10);
    expect(qdpx.project.answers.length).toBe(354);
  });
});
