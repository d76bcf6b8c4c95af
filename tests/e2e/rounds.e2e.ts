import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder, storedRecords, waitForProjectReady } from './browser';

// A double-coding round from draw to agreement: the lead draws 20 answers spread over the questions, codes through
// the round as a queue, a second coder does too, and agreement is computed on exactly the round's answers.
const app = appPerTest(openSampleAsCoder);

interface StoredRound {
  name: string;
  answerIds: string[];
  coderIds: string[];
  codebookVersionId: string;
  agreement?: { answers: number; codebookVersionId: string; rows: { codeId: string }[] };
}

const queueProgress = (page: Page) => page.getByTestId('round-queue-progress').textContent();
const focusedAnswerId = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.answerId ?? null);

async function drawPilot(page: Page) {
  await page.getByTestId('rounds-open').click();
  const dialog = page.getByTestId('rounds-dialog');
  await dialog.waitFor();
  await page.getByTestId('round-name').fill('Pilot');
  await page.getByTestId('round-count').fill('20');
  await page.getByTestId('round-count').press('Tab');
  await page.getByTestId('round-stratum-question').check();
  await page.getByTestId('round-draw').click();
  await expect.poll(() => dialog.getByTestId('round-row').count()).toBe(1);
  expect(await dialog.getByTestId('round-row').getByRole('rowheader').textContent()).toBe('Round 1 · Pilot');
  expect(await dialog.getByTestId('round-progress').textContent()).toBe('0 of 20 coded');
  await page.getByTestId('rounds-close').click();
  await dialog.waitFor({ state: 'detached' });
}

describe('double-coding rounds', () => {
  it('draws a stratified round, codes through it as a queue and computes agreement on exactly its answers', async () => {
    const { page } = app();
    await drawPilot(page);

    const [round] = await storedRecords<StoredRound>(page, 'rounds');
    expect(round.answerIds).toHaveLength(20);
    const questionsInRound = new Set(round.answerIds.map((id) => id.split('\u001f')[0]));
    expect(questionsInRound.size).toBeGreaterThan(1);
    const versions = await storedRecords<{ id: string; codes: unknown[] }>(page, 'codebookVersions');
    expect(versions.map((v) => v.id)).toEqual([round.codebookVersionId]);
    expect(versions[0].codes.length).toBeGreaterThan(0);

    // The round as a filter: only its answers of this question, and the coder's progress across the whole round.
    await page.getByTestId('filter-round').selectOption({ label: 'Round 1 · Pilot' });
    await expect.poll(() => queueProgress(page)).toBe('0 of 20 coded');
    const shownIds = await page.getByTestId('answer').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.answerId));
    expect(shownIds.length).toBeGreaterThan(0);
    expect(shownIds.every((id) => round.answerIds.includes(id!))).toBe(true);
    const inQuestion = shownIds.length;
    expect(await page.getByTestId('round-queue-question').textContent()).toBe(`0 of ${inQuestion} in this question`);

    await page.getByTestId('answer').first().focus();
    await page.keyboard.press('1');
    await expect.poll(() => queueProgress(page)).toBe('1 of 20 coded');
    expect(await page.getByTestId('round-queue-question').textContent()).toBe(`1 of ${inQuestion} in this question`);

    // "Next uncoded in round" moves on to an answer of the round not coded yet.
    const coded = await focusedAnswerId(page);
    await page.getByTestId('round-next').click();
    await expect.poll(() => focusedAnswerId(page)).not.toBe(coded);
    expect(round.answerIds).toContain(await focusedAnswerId(page));

    // A second coder in the same browser codes one answer of the round: progress is per coder.
    await page.getByTestId('coder-switch').click();
    await page.getByTestId('coder-name').fill('Ben');
    await page.getByTestId('coder-save').click();
    await expect.poll(() => queueProgress(page)).toBe('0 of 20 coded');
    await page.getByTestId('answer').first().focus();
    await page.keyboard.press('2');
    await expect.poll(() => queueProgress(page)).toBe('1 of 20 coded');

    // Agreement on the round: exactly its 20 answers, whatever the question option says.
    await page.getByTestId('layout-agreement').click();
    await page.getByTestId('agreement-round').selectOption({ label: 'Round 1 · Pilot' });
    await page.getByTestId('agreement-run').click();
    const scope = page.getByTestId('agreement-scope');
    await scope.waitFor();
    expect(await scope.getAttribute('data-answers-compared')).toBe('20');
    expect(await scope.textContent()).toMatch(/^Round 1 · Pilot: 20 answers to /);

    // The round remembers who was compared in it.
    await expect.poll(async () => (await storedRecords<StoredRound>(page, 'rounds'))[0].coderIds.length).toBe(2);
    // And its agreement as computed now, which Rounds compared shows as such without computing it again.
    await expect.poll(async () => (await storedRecords<StoredRound>(page, 'rounds'))[0].agreement?.answers).toBe(20);
    const [stored] = await storedRecords<StoredRound>(page, 'rounds');
    expect(stored.agreement!.codebookVersionId).toBe(stored.codebookVersionId);
    await expect.poll(() => page.getByTestId('rounds-basis').first().textContent()).toMatch(/^as computed on \d{1,2} \w{3} \d{4}, codebook version 1$/);
    expect(await page.getByTestId('rounds-run').count()).toBe(0);
  });

  it('moves through the round with Alt+N: the next uncoded answer here, then the next question', async () => {
    const { page } = app();
    await drawPilot(page);
    await page.getByTestId('filter-round').selectOption({ label: 'Round 1 · Pilot' });
    await expect.poll(() => queueProgress(page)).toBe('0 of 20 coded');
    const firstQuestion = await page.getByTestId('question-label').textContent();
    const inQuestion = await page.getByTestId('answer').count();
    await page.getByTestId('answer').first().focus();
    for (let coded = 1; coded <= inQuestion; coded++) {
      await page.keyboard.press('1');
      await expect.poll(() => queueProgress(page)).toBe(`${coded} of 20 coded`);
      if (coded < inQuestion) {
        const before = await focusedAnswerId(page);
        await page.keyboard.press('Alt+KeyN');
        await expect.poll(() => focusedAnswerId(page)).not.toBe(before);
      }
    }
    expect(await page.getByTestId('round-queue-question').textContent()).toBe(`${inQuestion} of ${inQuestion} in this question`);
    // This question's answers of the round are done: Alt+N opens the next question, still filtered by the round.
    await page.keyboard.press('Alt+KeyN');
    await expect.poll(() => page.getByTestId('question-label').textContent()).not.toBe(firstQuestion);
    await expect.poll(() => page.getByTestId('round-queue-question').textContent()).toMatch(/^0 of \d+ in this question$/);
    expect(await queueProgress(page)).toBe(`${inQuestion} of 20 coded`);
  });

  it('keeps rounds after a reload and deletes one only after asking', async () => {
    const { page } = app();
    await drawPilot(page);
    await page.reload();
    await waitForProjectReady(page);
    await page.getByTestId('rounds-open').click();
    await expect.poll(() => page.getByTestId('round-row').count()).toBe(1);
    await page.getByTestId('round-delete').click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByTestId('round-row').count()).toBe(1);
    await page.getByTestId('round-delete').click();
    await confirm.getByRole('button', { name: 'Delete the round' }).click();
    await expect.poll(() => page.getByTestId('round-row').count()).toBe(0);
    await expect.poll(async () => (await storedRecords(page, 'rounds')).length).toBe(0);
  });
});
