import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder, storedRecords, waitForProjectReady } from './browser';

// Two coders in one profile (Ana, then Ben), one disagreement settled by a key in the queue, and the Final set
// the author analyses: agreed codings plus the adjudication, the default in Analysis, named in the exports.
const app = appPerTest(openSampleAsCoder);
const folder = mkdtempSync(join(tmpdir(), 'codebench-final-'));

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

async function codeAnswer(page: Page, index: number, key: string) {
  await page.getByTestId('answer').nth(index).focus();
  await page.keyboard.press(key);
}

const codingsBy = async (page: Page, coderId: string) =>
  (await storedRecords<{ codings: { coderId: string }[] }>(page, 'codingPages')).flatMap((p) => p.codings).filter((c) => c.coderId === coderId);

describe('the Final coding set', () => {
  it('follows an adjudication made by key: Analysis counts it by default and the long CSV names it', async () => {
    const { page, context } = app();
    // Keys 1 and 2: Rewards and its first subcode, Career progression. Ana: Rewards, then Career progression.
    await codeAnswer(page, 0, '1');
    await codeAnswer(page, 1, '2');
    await expect.poll(async () => (await codingsBy(page, 'ana')).length).toBe(2);

    // Ben in the same profile (the later init script wins): Career progression on both.
    await context.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ben', name: 'Ben', color: '#a63d24' })));
    await page.reload();
    await waitForProjectReady(page);
    await codeAnswer(page, 0, '2');
    await codeAnswer(page, 1, '2');
    await expect.poll(async () => (await codingsBy(page, 'ben')).length).toBe(2);

    await page.getByTestId('layout-agreement').click();
    await page.getByTestId('agreement-run').click();
    const queue = page.getByTestId('disagreement-queue');
    const progress = page.getByTestId('disagreement-progress');
    await expect.poll(() => progress.textContent()).toMatch(/0 of 1 resolved/);
    expect(await page.getByTestId('disagreement-keys').textContent()).toMatch(/1 accept Ana · 2 accept Ben/);
    await queue.focus();
    await page.keyboard.press('1');
    await expect.poll(() => progress.textContent()).toMatch(/1 of 1 resolved/);
    await expect.poll(async () => (await storedRecords(page, 'resolutions')).length).toBe(1);

    await page.getByTestId('layout-analysis').click();
    await page.getByTestId('analysis-tab-counts').click();
    await expect.poll(() => page.getByTestId('filter-coders').inputValue()).toBe('final');
    await expect
      .poll(() => page.getByTestId('counts-basis').textContent())
      .toMatch(/Coding set: Final — agreed codings plus 1 adjudication; no disagreement is left to adjudicate/);
    const rowOf = async (name: string) => {
      const rows = await page.getByTestId('counts-row').allTextContents();
      return rows.find((row) => row.trim().startsWith(name)) ?? '';
    };
    // Final: Rewards on the first answer (Ana's side taken), Career progression on the second (both agreed);
    // all coders together would count Career progression on both answers.
    await expect.poll(() => rowOf('Rewards')).toMatch(/^\s*Rewards\s*1 \/ 354/);
    await expect.poll(() => rowOf('Career progression')).toMatch(/^\s*Career progression\s*1 \/ 354/);

    await page.getByTestId('analysis-tab-export').click();
    expect(await page.getByTestId('filter-coders').inputValue()).toBe('final');
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-long-csv').click()]);
    const path = join(folder, 'codings.csv');
    await file.saveAs(path);
    const lines = readFileSync(path, 'utf8').trimEnd().split(/\r\n/);
    expect(lines).toHaveLength(1 + 2);
    expect(lines.slice(1).every((line) => line.includes('Final (adjudicated)'))).toBe(true);
  });
});
