import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { downloadsPerFile, profilesPerTest, storedRecords, waitForProjectReady, type AppPage } from './browser';

// Issue 11's whole story, as a lead and a second coder in two browser profiles would live it: Ada draws a round of
// 60 answers and codes it, shares it for a second coder; Bea opens the file (asked her name first, blind, on the
// round's queue) and codes it; Ada merges Bea's coder file, computes agreement on exactly the round, adjudicates every
// disagreement by key, and reports from the Final set. Then the codebook changes, a second round is drawn, and the
// version diff, the α per round and the planner's estimate are on screen.
const ROUND = 60;
const profiles = profilesPerTest();
const { download } = downloadsPerFile('round');

async function profile(coder: { id: string; name: string } | null): Promise<AppPage> {
  const app = await profiles.open();
  if (coder) {
    await app.context.addInitScript((c) => localStorage.setItem('codebench.coder', JSON.stringify({ ...c, color: '#2454a6' })), coder);
    await app.page.reload();
  }
  return app;
}

const queueProgress = (page: Page) => page.getByTestId('round-queue-progress').textContent();

/** The answer the page's focus is on, once it is also the one the workspace codes (null until both agree). */
const focusedAnswer = (page: Page) =>
  page.evaluate(() => {
    const onPage = (document.activeElement as HTMLElement | null)?.dataset.answerId ?? null;
    const coded = (document.querySelector('[data-testid="answer"].focused') as HTMLElement | null)?.dataset.answerId ?? null;
    return onPage !== null && onPage === coded ? onPage : null;
  });

/**
 * Codes every answer of the round shown as a queue, in queue order: `keyFor(answerId)` is the code key for it.
 * Alt+N moves to the next uncoded answer of the round, across questions.
 */
const storedCodings = async (page: Page) => (await storedRecords<{ codings: unknown[] }>(page, 'codingPages')).flatMap((p) => p.codings).length;

async function codeRound(page: Page, keyFor: (answerId: string) => string) {
  await expect.poll(() => queueProgress(page)).toBe(`0 of ${ROUND} coded`);
  const before = await storedCodings(page);
  await page.getByTestId('answer').first().focus();
  await expect.poll(() => focusedAnswer(page)).not.toBeNull();
  for (let i = 0; i < ROUND; i++) {
    const answer = await focusedAnswer(page);
    expect(answer, `the answer focused for the ${i + 1}th coding`).not.toBeNull();
    // "Next uncoded in round" lands on an answer this coder has not coded.
    expect(await page.locator(`[data-answer-id="${answer}"] [data-testid="coding-chip"]`).count(), `codings on ${answer} before coding it`).toBe(0);
    await page.keyboard.press(keyFor(answer!));
    await expect.poll(() => queueProgress(page)).toBe(`${i + 1} of ${ROUND} coded`);
    if (i + 1 < ROUND) {
      await page.keyboard.press('Alt+KeyN');
      await expect.poll(() => focusedAnswer(page)).not.toBe(answer);
      await expect.poll(() => focusedAnswer(page)).not.toBeNull();
    }
  }
  // The queue counts what is on screen; a file exported next reads what is stored, so wait for the last write.
  await expect.poll(() => storedCodings(page)).toBe(before + ROUND);
}

async function drawRound(page: Page, name: string) {
  await page.getByTestId('rounds-open').click();
  const dialog = page.getByTestId('rounds-dialog');
  await dialog.waitFor();
  const before = await dialog.getByTestId('round-row').count();
  await page.getByTestId('round-name').fill(name);
  await page.getByTestId('round-count').fill(String(ROUND));
  await page.getByTestId('round-count').press('Tab');
  await page.getByTestId('round-stratum-question').check();
  await page.getByTestId('round-draw').click();
  await expect.poll(() => dialog.getByTestId('round-row').count()).toBe(before + 1);
  await page.getByTestId('rounds-close').click();
  await dialog.waitFor({ state: 'detached' });
}

interface StoredRound {
  id: string;
  name: string;
  answerIds: string[];
  coderIds: string[];
  codebookVersionId: string;
}

// 1 is Rewards and 6 Challenges in the starter codebook. Each coder's choice follows the answer (a hash of its id),
// not the order they meet it in: the two see the round's answers in different orders.
const hashOf = (id: string) => [...id].reduce((h, c) => (Math.imul(h, 31) + c.codePointAt(0)!) >>> 0, 7);
const adaKey = (answerId: string) => (hashOf(answerId) % 3 === 0 ? '6' : '1');
const beaKey = (answerId: string) => (hashOf(answerId) % 4 === 0 ? '6' : '1');

describe('a double-coding round from draw to report', () => {
  it('is drawn, shared, coded blind, merged, computed, adjudicated and reported from Final, with versions, α per round and the planner', async () => {
    // Ada, the lead: the sample study, a round of 60 answers stratified by question, coded as a queue.
    const ada = await profile({ id: 'ada', name: 'Ada Lead' });
    await ada.page.getByTestId('open-sample').click();
    await waitForProjectReady(ada.page);
    await drawRound(ada.page, 'Pilot');
    const [pilot] = await storedRecords<StoredRound>(ada.page, 'rounds');
    expect(pilot.answerIds).toHaveLength(ROUND);
    await ada.page.getByTestId('filter-round').selectOption({ label: 'Round 1 · Pilot' });
    await codeRound(ada.page, adaKey);

    await ada.page.getByTestId('share-open').click();
    await ada.page.getByTestId('exchange-second-round').selectOption(pilot.id);
    const shared = await download(ada.page, () => ada.page.getByTestId('exchange-export-second').click());
    expect(JSON.parse(shared.text)).toMatchObject({ purpose: 'second-coder', roundId: pilot.id, codings: [], memos: [], coders: [] });
    expect(shared.text).not.toContain('Ada Lead');
    await ada.page.getByTestId('share-close').click();

    // Bea, in a profile of her own: her name first, then the project opens blind on the round's queue.
    const bea = await profile(null);
    await bea.page.getByTestId('home-open-project-input').setInputFiles(shared.path);
    await bea.page.getByTestId('coder-dialog-second').waitFor();
    await bea.page.getByTestId('coder-name').fill('Bea Second');
    await bea.page.getByTestId('coder-save').click();
    await waitForProjectReady(bea.page);
    expect(await bea.page.getByTestId('blind-toggle').isChecked()).toBe(true);
    await codeRound(bea.page, beaKey);
    await bea.page.getByTestId('share-open').click();
    const beaFile = await download(bea.page, () => bea.page.getByTestId('exchange-export-coder').click());
    await bea.page.getByTestId('share-close').click();

    // Ada merges Bea's codings and computes agreement on exactly the round's answers.
    await ada.page.getByTestId('share-open').click();
    await ada.page.getByTestId('exchange-import-input').setInputFiles(beaFile.path);
    await expect
      .poll(async () => (await storedRecords<{ codings: { coderId: string }[] }>(ada.page, 'codingPages')).flatMap((p) => p.codings).length)
      .toBe(2 * ROUND);
    await ada.page.getByTestId('share-close').click();

    await ada.page.getByTestId('layout-agreement').click();
    await ada.page.getByTestId('agreement-round').selectOption({ label: 'Round 1 · Pilot' });
    await ada.page.getByTestId('agreement-run').click();
    const scope = ada.page.getByTestId('agreement-scope');
    await scope.waitFor();
    expect(await scope.getAttribute('data-answers-compared')).toBe(String(ROUND));
    await expect.poll(async () => (await storedRecords<StoredRound>(ada.page, 'rounds'))[0].coderIds.length).toBe(2);

    // Every disagreement, adjudicated by key: Ada's side each time.
    const disagreements = pilot.answerIds.filter((id) => adaKey(id) !== beaKey(id)).length;
    expect(disagreements).toBeGreaterThan(0);
    const progress = ada.page.getByTestId('disagreement-progress');
    await expect.poll(() => progress.textContent()).toMatch(new RegExp(`0 of ${disagreements} resolved`));
    // The queue names which key takes whose side (coders are listed in a stable order, not necessarily Ada's first).
    const keys = (await ada.page.getByTestId('disagreement-keys').textContent()) ?? '';
    const acceptAda = /1 accept Ada Lead/.test(keys) ? '1' : '2';
    expect(keys).toMatch(acceptAda === '1' ? /2 accept Bea Second/ : /1 accept Bea Second · 2 accept Ada Lead/);
    await ada.page.getByTestId('disagreement-queue').focus();
    for (let resolved = 1; resolved <= disagreements; resolved++) {
      await ada.page.keyboard.press(acceptAda);
      await expect.poll(() => progress.textContent()).toMatch(new RegExp(`${resolved} of ${disagreements} resolved`));
    }
    await expect.poll(async () => (await storedRecords(ada.page, 'resolutions')).length).toBe(disagreements);

    // The agreement export records the round and names itself after it.
    const table = await download(ada.page, () => ada.page.getByTestId('agreement-export-csv').click());
    expect(table.name).toMatch(/-round-1-Pilot-agreement\.csv$/);
    expect(table.text).toMatch(/Round 1 · Pilot|Pilot/);

    // Reported from Final: Analysis defaults to it and says so; Final follows Ada's side on every disagreement.
    await ada.page.getByTestId('layout-analysis').click();
    await ada.page.getByTestId('analysis-tab-counts').click();
    await expect.poll(() => ada.page.getByTestId('filter-coders').inputValue()).toBe('final');
    await expect.poll(() => ada.page.getByTestId('counts-basis').textContent()).toMatch(/Coding set: Final — .*no disagreement is left to adjudicate/);
    const rewards = pilot.answerIds.filter((id) => adaKey(id) === '1').length;
    const rowOf = async (name: string) => (await ada.page.getByTestId('counts-row').allTextContents()).find((row) => row.trim().startsWith(name)) ?? '';
    await expect.poll(() => rowOf('Rewards')).toMatch(new RegExp(`^\\s*Rewards\\s*${rewards} /`));
    await expect.poll(() => rowOf('Challenges')).toMatch(new RegExp(`^\\s*Challenges\\s*${ROUND - rewards} /`));
    await ada.page.getByTestId('analysis-tab-export').click();
    const report = await download(ada.page, () => ada.page.getByTestId('export-report-md').click());
    expect(report.text).toMatch(/Final/);

    // The codebook changes after the pilot, a main round is drawn on it: its version differs from the pilot's.
    await ada.page.getByTestId('layout-question').click();
    await ada.page
      .locator('li.code-row', { has: ada.page.getByText('Challenges', { exact: true }) })
      .getByTestId('edit-code')
      .click();
    await ada.page.getByTestId('code-editor-name').fill('Challenges and barriers');
    await ada.page.getByTestId('code-editor-save').click();
    await expect.poll(() => ada.page.getByTestId('code-name').allTextContents()).toContain('Challenges and barriers');
    await ada.page.keyboard.press('Escape');
    await drawRound(ada.page, 'Main');
    const rounds = await storedRecords<StoredRound>(ada.page, 'rounds');
    expect(rounds).toHaveLength(2);
    expect(new Set(rounds.map((r) => r.codebookVersionId)).size).toBe(2);
    // A main round after the pilot draws answers the pilot did not.
    const main = rounds.find((r) => r.name === 'Main')!;
    expect(main.answerIds.filter((id) => pilot.answerIds.includes(id))).toEqual([]);

    await ada.page.getByTestId('codebook-versions-open').click();
    const versions = ada.page.getByTestId('codebook-versions');
    await expect.poll(() => versions.getByTestId('version-row').count()).toBe(2);
    expect(await versions.getByTestId('diff-line').allTextContents()).toContainEqual(
      expect.stringMatching(/^Renamed “Challenges” to “Challenges and barriers”/),
    );
    await versions.getByTestId('close-versions').click();

    // α per code per round, and the planner with its method, in the agreement view.
    await ada.page.getByTestId('layout-agreement').click();
    await ada.page.getByTestId('rounds-run').click();
    const comparison = ada.page.getByTestId('rounds-table');
    await comparison.waitFor();
    await expect.poll(() => comparison.getByTestId('rounds-row').count()).toBeGreaterThan(0);
    const rewardsRow = comparison.getByTestId('rounds-row').filter({ hasText: 'Rewards' }).first();
    expect(await rewardsRow.getByTestId('rounds-alpha').first().textContent()).toMatch(/^[−-]?\d\.\d{2,3}$/);
    await ada.page.getByTestId('planner').waitFor();
    expect(await ada.page.getByTestId('planner-method').textContent()).toMatch(/Simulat/);
    expect(await ada.page.getByTestId('planner-total').textContent()).toMatch(/\d/);
  });
});
