import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { appPerTest, openApp, openSampleAsCoder, storedRecords, waitForProjectReady, type AppPage } from './browser';

// Two coders, two browser profiles, no server: files carried between them. Each test starts from a fresh profile
// for Ana (appPerTest) and replays the steps before its own (shareProject, benCodesBlind, mergeBensFile), so it
// passes alone.
const folder = mkdtempSync(join(tmpdir(), 'codebench-exchange-'));
const anaApp = appPerTest(openSampleAsCoder);
let ben: AppPage | undefined;

afterEach(async () => {
  const done = ben;
  ben = undefined;
  if (!done) return;
  await done.context.close();
  expect(done.foreignRequests, "requests beyond the app's origin (Ben)").toEqual([]);
  expect(done.pageErrors, 'errors thrown in the page (Ben)').toEqual([]);
});
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Codes the n-th answer (0-based) of the list as a whole with a code key. */
async function codeAnswer(page: Page, index: number, key: string) {
  await page.getByTestId('answer').nth(index).focus();
  await page.keyboard.press(key);
}

const chipsOn = (page: Page, index: number) => page.getByTestId('answer').nth(index).getByTestId('coding-chip');

async function download(page: Page, testId: string, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = join(folder, name);
  await file.saveAs(path);
  return path;
}

/** The codings of one coder that are stored (not only shown). */
const codingsBy = async (page: Page, coderId: string) =>
  (await storedRecords<{ codings: { coderId: string }[] }>(page, 'codingPages')).flatMap((p) => p.codings).filter((c) => c.coderId === coderId);

/** Ana codes two answers and exports the project file; Ben, in a profile of his own, opens it. */
async function shareProject(ana: AppPage): Promise<AppPage> {
  const { page } = ana;
  await codeAnswer(page, 0, '1');
  await codeAnswer(page, 1, '2');
  await expect.poll(() => chipsOn(page, 1).count()).toBe(1);
  await expect.poll(async () => (await codingsBy(page, 'ana')).length).toBe(2);
  await page.getByTestId('share-open').click();
  const projectFile = await download(page, 'exchange-export-project', 'project.codebench.json.gz');
  await page.getByTestId('share-close').click();

  const second = await openApp(page.context().browser()!);
  ben = second;
  await second.context.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ben', name: 'Ben', color: '#a63d24' })));
  await second.page.reload();
  await second.page.getByTestId('home-open-project-input').setInputFiles(projectFile);
  await waitForProjectReady(second.page);
  expect(await second.page.getByTestId('answer-text').first().textContent()).toBe(await page.getByTestId('answer-text').first().textContent());
  await expect.poll(() => chipsOn(second.page, 0).count()).toBe(1);
  return second;
}

/** Ben codes two answers blind, reloads, and exports his coder file; returns its path. */
async function benCodesBlind(ben: AppPage): Promise<string> {
  const { page } = ben;
  await page.getByTestId('blind-toggle').check();
  await expect.poll(() => chipsOn(page, 0).count()).toBe(0);
  await codeAnswer(page, 0, '2');
  await codeAnswer(page, 1, '2');
  await expect.poll(() => chipsOn(page, 0).count()).toBe(1);
  await expect.poll(() => chipsOn(page, 1).count()).toBe(1);
  expect(await chipsOn(page, 0).first().textContent()).toMatch(/Ben/);
  // Each coding is stored in a transaction of its own just after it shows: wait until both are stored.
  await expect.poll(async () => (await codingsBy(page, 'ben')).length).toBe(2);
  await page.reload();
  await waitForProjectReady(page);
  // Blind mode is remembered for the project.
  await expect.poll(() => chipsOn(page, 1).count()).toBe(1);
  await page.getByTestId('share-open').click();
  const coderFile = await download(page, 'exchange-export-coder', 'ben.codebench-coder.json');
  await page.getByTestId('share-close').click();
  return coderFile;
}

/** Ana imports Ben's coder file twice: it merges once. */
async function mergeBensFile(ana: AppPage, coderFile: string) {
  const { page } = ana;
  await page.getByTestId('share-open').click();
  await page.getByTestId('exchange-import-input').setInputFiles(coderFile);
  await expect.poll(() => page.getByTestId('exchange-message').textContent()).toMatch(/Merged Ben's coder file: 2 codings added/);
  await page.getByTestId('exchange-import-input').setInputFiles(coderFile);
  await expect.poll(() => page.getByTestId('exchange-message').textContent()).toMatch(/0 codings added; 2 codings already here/);
  await page.getByTestId('share-close').click();
  await expect.poll(() => chipsOn(page, 0).count()).toBe(2);
  await expect.poll(() => chipsOn(page, 1).count()).toBe(2);
}

describe('a second coder in another browser', () => {
  it('gets the project from a file Ana exports, with her codings', async () => {
    await shareProject(anaApp());
  });

  it('codes blind: Ana’s codings are hidden from Ben until he chooses to compare', async () => {
    await benCodesBlind(await shareProject(anaApp()));
  });

  it('merges Ben’s coder file into Ana’s project once, however often it is imported', async () => {
    const ana = anaApp();
    await mergeBensFile(ana, await benCodesBlind(await shareProject(ana)));
  });

  it('shows Ana the agreement with Ben, settles their disagreement as a consensus, and keeps it after a reload', async () => {
    const ana = anaApp();
    await mergeBensFile(ana, await benCodesBlind(await shareProject(ana)));
    const { page } = ana;
    await page.getByTestId('layout-agreement').click();
    await page.getByTestId('agreement-run').click();
    await page.getByTestId('agreement-table').waitFor();
    // Pooled and per code: figures or a reason in words, never NaN.
    expect(await page.getByTestId('agreement-table').textContent()).not.toMatch(/NaN/);
    expect(await page.getByTestId('agreement-row').count()).toBeGreaterThan(1);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('agreement-export-csv').click()]);
    const csvPath = join(folder, 'agreement.csv');
    await csv.saveAs(csvPath);
    const text = readFileSync(csvPath, 'utf8');
    expect(text).toMatch(/Krippendorff|alpha/i);
    // The export is named after the project and records what it measured, down to the build's version.
    expect(csv.suggestedFilename()).toBe('AIMMS-mentoring-evaluation-(sample)-agreement.csv');
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(text).toContain(`# Codebench version: ${version}\r\n`);

    const progress = page.getByTestId('disagreement-progress');
    await expect.poll(() => progress.textContent()).toMatch(/0 of 1 resolved/);
    await page.getByTestId('resolve-first').click();
    await expect.poll(() => progress.textContent()).toMatch(/1 of 1 resolved/);

    await expect.poll(async () => (await storedRecords(page, 'resolutions')).length).toBe(1);
    await page.reload();
    await waitForProjectReady(page);
    await page.getByTestId('layout-agreement').click();
    await page.getByTestId('agreement-run').click();
    await expect.poll(() => page.getByTestId('disagreement-progress').textContent()).toMatch(/1 of 1 resolved/);
    // The consensus is a coder of its own; Ana's and Ben's codings are still there.
    await page.getByTestId('layout-question').click();
    await expect.poll(() => chipsOn(page, 0).count()).toBe(3);
    expect(await chipsOn(page, 0).allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/Consensus/), expect.stringMatching(/Ana/), expect.stringMatching(/Ben/)]),
    );
  });
});
