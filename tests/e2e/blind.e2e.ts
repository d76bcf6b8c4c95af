import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { downloadsPerFile, profilesPerTest, storedRecords, waitForProjectReady } from './browser';

// Blind that holds (issue 11, §1), as two coders in two browser profiles would find it. Ada Lead codes the sample
// with a marker code and writes a marker memo, then exports a backup and a file for a second coder. Bea Second,
// in a profile of her own, opens the second coder's file (part 1), or restores the backup and turns Blind on
// (part 2); either way she walks every view and tab, opens every download she can, and finds neither Ada's name,
// nor her memo, nor her counts for the marker code anywhere.
const MARKER_CODE = 'Zephyr marker';
const MARKER_MEMO = 'MARKER-MEMO-7Q';
const LEAD = 'Ada Lead';
/** Answers Ada codes with the marker (and Rewards), by list position. */
const ADA_CODES = [0, 1, 2, 3, 4];
/** The answer Bea codes with Rewards in part 2, which Ada did not code. */
const BEA_CODES = 6;

const profiles = profilesPerTest();
const { download: downloadText } = downloadsPerFile('blind');
let files: { backup: string; second: string; adaTexts: string[] } | null = null;

/** What the page holds: every element, attribute, option and hidden text, with URL-encoded text decoded. */
async function pageHtml(page: Page): Promise<string> {
  const html = await page.evaluate(() => document.documentElement.outerHTML);
  return `${html}\n${html.replace(/%20/g, ' ')}`;
}

/** Neither Ada's name nor her memo is anywhere in the text. */
function expectNothingOfAda(text: string, where: string) {
  expect(text, where).not.toContain(LEAD);
  expect(text, where).not.toContain(MARKER_MEMO);
}

async function expectPageClean(page: Page, where: string) {
  expectNothingOfAda(await pageHtml(page), where);
}

/** Ada, in her own profile: the sample, a marker code on five answers with Rewards, a memo, a backup and a second coder's file. */
async function adaShares(): Promise<NonNullable<typeof files>> {
  if (files) return files;
  const ada = await profiles.open();
  const { page } = ada;
  await ada.context.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'coder-ada', name: 'Ada Lead', color: '#2454a6' })));
  await page.reload();
  await page.getByTestId('open-sample').click();
  await waitForProjectReady(page);
  await page.getByTestId('new-code').click();
  await page.getByTestId('new-code-name').fill(MARKER_CODE);
  await page.keyboard.press('Enter');
  const markerButton = page.getByTestId('code-button').filter({ hasText: MARKER_CODE });
  await markerButton.waitFor();
  const adaTexts: string[] = [];
  for (const i of ADA_CODES) {
    const answer = page.getByTestId('answer').nth(i);
    adaTexts.push((await answer.getByTestId('answer-text').textContent()) ?? '');
    await answer.focus();
    await markerButton.click();
    await answer.focus();
    // Key 1 is Rewards in the starter codebook.
    await page.keyboard.press('1');
  }
  const first = page.getByTestId('answer').first();
  await first.getByTestId('memo-toggle').click();
  await first.getByTestId('answer-memos').getByTestId('memo-input').fill(`${MARKER_MEMO}: ask about the zephyr`);
  await first.getByTestId('answer-memos').getByTestId('memo-save').click();
  await expect
    .poll(async () => (await storedRecords<{ codings: { coderId: string }[] }>(page, 'codingPages')).flatMap((p) => p.codings).length)
    .toBe(ADA_CODES.length * 2);
  await expect.poll(async () => (await storedRecords(page, 'memos')).length).toBe(1);

  await page.getByTestId('share-open').click();
  const backup = await downloadText(page, () => page.getByTestId('exchange-export-project').click());
  expect(backup.text).toContain(LEAD);
  expect(backup.text).toContain(MARKER_MEMO);
  const second = await downloadText(page, () => page.getByTestId('exchange-export-second').click());
  expect(second.name).toMatch(/\.second-coder\.codebench\.json\.gz$/);
  expectNothingOfAda(second.text, 'the second coder’s file');
  expect(JSON.parse(second.text)).toMatchObject({ purpose: 'second-coder', codings: [], memos: [], coders: [] });
  await page.getByTestId('share-close').click();
  files = { backup: backup.path, second: second.path, adaTexts };
  return files;
}

/** The codebook row of a code: its name and counts as shown. */
const codeRow = (page: Page, name: string) => page.getByTestId('code-button').filter({ has: page.getByTestId('code-name').getByText(name, { exact: true }) });

/**
 * Bea walks every view and tab while blind, opening every list and every download, and finds nothing of Ada's.
 * `beaCoded`: the answer text Bea coded with Rewards (part 2), which is all a Rewards cell may list.
 */
async function walkBlind(page: Page, adaTexts: string[], beaCoded: string | null) {
  await expect.poll(() => page.getByTestId('blind-toggle').isChecked()).toBe(true);
  await page.getByTestId('layout-question').click();
  await page.getByTestId('answer').first().waitFor();
  await expectPageClean(page, 'the coding view');

  // The marker code counts nothing of Ada's in the codebook.
  const marker = codeRow(page, MARKER_CODE);
  if ((await marker.count()) > 0) await expect.poll(async () => (await marker.locator('.counts').textContent())?.replace(/\s+/g, '')).toBe('0·0');

  // Every filter list: the coder list offers only Bea.
  // (No coder list at all until someone has coded.)
  const coders = await page.getByTestId('filter-coder').locator('option').allTextContents();
  expect(coders.filter((c) => c !== 'Any coder')).toEqual(beaCoded === null ? [] : ['Bea Second']);
  for (const select of await page.locator('select').all()) expectNothingOfAda((await select.innerHTML()) ?? '', 'a filter list');

  // Filtering by the marker code finds nothing: Ada's codings are not Bea's.
  if ((await page.getByTestId('filter-code').locator('option', { hasText: MARKER_CODE }).count()) > 0) {
    await page.getByTestId('filter-code').selectOption({ label: MARKER_CODE });
    await expect.poll(() => page.getByTestId('answer').count()).toBe(0);
    await page.getByTestId('filter-clear').click();
    await page.getByTestId('answer').first().waitFor();
  }

  // A memo panel of the answer Ada wrote hers on.
  await page.getByTestId('answer').first().getByTestId('memo-toggle').click();
  await expectPageClean(page, 'the memo panel');
  await page.getByTestId('answer').first().getByTestId('memo-toggle').click();

  // Search for a word of an answer Ada coded: the matches show no codings of hers.
  const word = adaTexts[1].split(/[^\p{L}]+/u).find((w) => w.length >= 6) ?? adaTexts[1].split(/\s+/)[0];
  await page.getByTestId('search-input').fill(word);
  await page.getByTestId('search-count').waitFor();
  await expectPageClean(page, `search for “${word}”`);
  await page.getByTestId('search-input').fill('');

  // The coder switch lists no other coder.
  await page.getByTestId('coder-switch').click();
  await page.getByTestId('coder-dialog').waitFor();
  await expectPageClean(page, 'the coder switch');
  await page.keyboard.press('Escape');

  await page.getByTestId('layout-grid').click();
  await page.getByTestId('grid-cell').first().waitFor();
  await expectPageClean(page, 'the grid');

  await page.getByTestId('layout-agreement').click();
  await page.getByTestId('agreement-blind').waitFor();
  expect(await page.getByTestId('agreement-run').count()).toBe(0);
  await expectPageClean(page, 'agreement');

  await page.getByTestId('layout-analysis').click();
  for (const tab of ['themes', 'prevalence', 'counts', 'pairs', 'change', 'cooccurrence', 'words', 'quotes', 'export']) {
    await page.getByTestId(`analysis-tab-${tab}`).click();
    await page.getByTestId(`analysis-panel-${tab}`).waitFor();
    await page.locator('[data-testid="analysis-progress"]').waitFor({ state: 'detached' });
    if (tab === 'counts') {
      await page.getByTestId('counts-table').waitFor();
      const row = page.getByTestId('counts-row').filter({ hasText: MARKER_CODE }).first();
      // Answers coded: "0 / n".
      if ((await row.count()) > 0) expect(await row.locator('td.num').first().textContent()).toMatch(/^\s*0 \//);
      for (const chart of ['counts-chart-svg']) {
        if ((await page.getByTestId(chart).count()) === 0) continue;
        const file = await downloadText(page, () => page.getByTestId(chart).click());
        expectNothingOfAda(file.text, file.name);
      }
    }
    if (tab === 'prevalence') {
      // Every row, coded or not: the second coder may not have coded the marker code or Rewards yet.
      await page.getByTestId('prevalence-empty').check();
      await page.getByTestId('prevalence').waitFor();
      const markerRow = page.getByTestId('prevalence-row').filter({ hasText: MARKER_CODE });
      // Every count of the marker row, its total included, is 0 ("0 of n").
      if ((await markerRow.count()) > 0) for (const n of await markerRow.locator('.n').allTextContents()) expect(n).toMatch(/^0 of /);
      // The Rewards row's total: its cell lists only what Bea coded.
      await page.getByTestId('prevalence-row').filter({ hasText: 'Rewards' }).first().getByTestId('prevalence-total').click();
      await page.getByTestId('answer-panel').waitFor();
      await expect.poll(() => page.getByTestId('answer-panel-count').textContent()).toMatch(/\d|No answers/);
      const rows = await page.getByTestId('answer-panel-row').allTextContents();
      for (const text of adaTexts) for (const row of rows) expect(row).not.toContain(text);
      if (beaCoded !== null) expect(rows.join('\n')).toContain(beaCoded);
      else expect(rows).toEqual([]);
      await expectPageClean(page, 'a prevalence cell');
      await page.getByTestId('answer-panel-close').click();
    }
    if (tab === 'cooccurrence' && (await page.getByTestId('cooccurrence-chart-svg').count()) > 0) {
      const file = await downloadText(page, () => page.getByTestId('cooccurrence-chart-svg').click());
      expectNothingOfAda(file.text, file.name);
    }
    if (tab === 'words') {
      await page.getByTestId('words-run').click();
      await page.getByTestId('words-table').waitFor();
    }
    await expectPageClean(page, `Analysis: ${tab}`);
  }
  // Every export the tab offers, each read back.
  const exports = await page
    .locator(
      '[data-testid^="export-"][data-testid$="csv"], [data-testid="export-xlsx"], [data-testid^="export-report"], [data-testid^="export-codebook"], [data-testid="export-qdc"], [data-testid="export-qdpx"]',
    )
    .all();
  expect(exports.length).toBeGreaterThanOrEqual(10);
  for (const button of exports) {
    const id = await button.getAttribute('data-testid');
    if (await button.isDisabled()) continue;
    const file = await downloadText(page, () => button.click());
    expectNothingOfAda(file.text, `${id}: ${file.name}`);
    for (const text of adaTexts) if (text !== beaCoded && id === 'export-long-csv') expect(file.text).not.toContain(text.slice(0, 40));
  }

  // The Share dialog: the backup waits for unblinding; the own coder file and a second coder's file carry nothing of Ada's.
  await page.getByTestId('share-open').click();
  await expectPageClean(page, 'the share dialog');
  expect(await page.getByTestId('exchange-export-project').isDisabled()).toBe(true);
  if (beaCoded !== null) {
    const own = await downloadText(page, () => page.getByTestId('exchange-export-coder').click());
    expectNothingOfAda(own.text, 'Bea’s coder file');
  }
  const second = await downloadText(page, () => page.getByTestId('exchange-export-second').click());
  expectNothingOfAda(second.text, 'a second coder’s file from Bea');
  await page.getByTestId('share-close').click();
}

describe('blind coding that holds', () => {
  it('a file for a second coder asks her name first, opens blind and carries nothing of the lead’s', async () => {
    const { second, adaTexts } = await adaShares();
    const bea = await profiles.open();
    const { page } = bea;
    await page.getByTestId('home-open-project-input').setInputFiles(second);
    // Asked before the project opens.
    await page.getByTestId('coder-dialog-second').waitFor();
    expect(await page.getByTestId('project-view').count()).toBe(0);
    await page.getByTestId('coder-name').fill('Bea Second');
    await page.getByTestId('coder-save').click();
    await waitForProjectReady(page);
    expect(await page.getByTestId('coder-switch').textContent()).toContain('Bea Second');
    await walkBlind(page, adaTexts, null);
  });

  it('restored from the full backup, Blind hides everything of the lead’s from the second coder', async () => {
    const { backup, adaTexts } = await adaShares();
    const bea = await profiles.open();
    const { page } = bea;
    await page.getByTestId('home-open-project-input').setInputFiles(backup);
    await waitForProjectReady(page);
    await page.getByTestId('blind-toggle').check();
    const answer = page.getByTestId('answer').nth(BEA_CODES);
    const beaCoded = (await answer.getByTestId('answer-text').textContent()) ?? '';
    await answer.focus();
    await page.keyboard.press('1');
    // Nobody is coding in this profile yet: the first coding asks her name.
    await page.getByTestId('coder-name').fill('Bea Second');
    await page.getByTestId('coder-save').click();
    await expect.poll(() => answer.getByTestId('coding-chip').count()).toBe(1);
    await expect
      .poll(async () => (await storedRecords<{ codings: { coderId: string }[] }>(page, 'codingPages')).flatMap((p) => p.codings).length)
      .toBe(ADA_CODES.length * 2 + 1);
    await walkBlind(page, adaTexts, beaCoded);
  });
});
