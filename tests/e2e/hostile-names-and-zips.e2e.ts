/**
 * In real Chromium (whose IndexedDB clones records for real): attribute columns
 * called "__proto__" and "constructor" are imported as ordinary attributes, an
 * XLSX zip bomb is refused with a message before it is unpacked, and a project
 * named in Arabic keeps its name in the files it downloads.
 */
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeXlsx } from '../fixtures/import/make-xlsx';
import { launchChromium, openApp, waitForProjectReady, type AppPage } from './browser';

let browser: Browser;
let app: AppPage;
beforeAll(async () => {
  browser = await launchChromium();
  app = await openApp(browser);
});
afterAll(async () => {
  await app?.context.close();
  await browser?.close();
});

describe('hostile names and zips in the browser', () => {
  it('imports attribute columns called "__proto__" and "constructor" as ordinary attributes', async () => {
    const { page } = app;
    const rows = Array.from({ length: 12 }, (_, i) => [
      `R${i + 1}`,
      i % 2 ? 'mentor' : 'mentee',
      i % 3 ? 'Uni A' : 'Uni B',
      `Answer ${i + 1} about the meetings and the time they took and what came of them`,
    ]);
    const csv = ['id,constructor,__proto__,Comment', ...rows.map((r) => r.join(','))].join('\n');
    await page.getByTestId('home-import-input').setInputFiles({ name: 'names.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-preview').or(page.getByTestId('import-error')).waitFor();
    expect((await page.getByTestId('import-error').count()) ? await page.getByTestId('import-error').textContent() : '').toBe('');
    const roles = await page
      .getByTestId('column-row')
      .evaluateAll((list) => list.map((row) => [row.querySelector('.key')?.textContent, (row as HTMLElement).dataset.role]));
    expect(roles).toEqual(
      expect.arrayContaining([
        ['constructor', 'attribute'],
        ['__proto__', 'attribute'],
      ]),
    );
    await page.getByTestId('import-project-name').fill('Prototype names');
    await page.getByTestId('import-commit').click();
    await waitForProjectReady(page);
    await page.reload();
    await waitForProjectReady(page);
    const options = (testId: string) => page.getByTestId(testId).locator('option').allTextContents();
    expect(await options('filter-attribute-constructor')).toEqual(['Any constructor', 'mentee', 'mentor']);
    expect(await options('filter-attribute-__proto__')).toEqual(['Any __proto__', 'Uni A', 'Uni B']);
  });

  it('refuses an XLSX zip bomb before unpacking it', async () => {
    const { page } = app;
    await page.goto(new URL('#/', page.url()).toString());
    await page.getByTestId('open-sample').waitFor();
    const row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>';
    const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${row.repeat((64 * 1024 * 1024) / row.length)}</sheetData></worksheet>`;
    const base = makeXlsx([
      {
        name: 'Survey',
        rows: [
          ['id', 'answer'],
          ['R1', 'hello'],
        ],
      },
    ]);
    const bomb = zipSync({ ...unzipSync(base), 'xl/worksheets/sheet1.xml': strToU8(sheet) });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await page
      .getByTestId('home-import-input')
      .setInputFiles({ name: 'bomb.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(bomb) });
    await expect
      .poll(() => page.getByTestId('import-error').textContent(), { timeout: 60_000 })
      .toMatch(
        /bomb\.xlsx" would unpack its part "xl\/worksheets\/sheet1\.xml" from .* to 64 MiB, more than 200 times its size — it may be a zip bomb or damaged/,
      );
    await page.keyboard.press('Escape');
  });

  it('keeps an Arabic project name in the name of a downloaded file', async () => {
    const { page } = app;
    await page.goto(new URL('#/', page.url()).toString());
    await page.getByTestId('open-sample').waitFor();
    const csv = ['id,Comment', ...Array.from({ length: 6 }, (_, i) => `R${i + 1},الإرشاد ساعدني كثيرًا في عملي ${i + 1}`)].join('\n');
    await page.getByTestId('home-import-input').setInputFiles({ name: 'arabic.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-preview').or(page.getByTestId('import-error')).waitFor();
    await page.getByTestId('import-project-name').fill('تقييم الإرشاد: 2026');
    await page.getByTestId('import-commit').click();
    await waitForProjectReady(page);
    await page.getByTestId('layout-analysis').click();
    await page.getByTestId('analysis-tab-export').click();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-long-csv').click()]);
    expect(file.suggestedFilename()).toBe('تقييم-الإرشاد-2026-codings.csv');
  });
});
