import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder, storedRecords } from './browser';

interface StoredCoding {
  answerId: string;
  codeId: string;
  coderId: string;
  suggested?: boolean;
}

const storedCodings = async (page: Page) => (await storedRecords<{ codings: StoredCoding[] }>(page, 'codingPages')).flatMap((p) => p.codings);

/**
 * Codes the first `count` answers from the keyboard, one code each: code 1 where the answer mentions "help", code 2
 * elsewhere, so there is something to learn and the coding is single-label.
 */
async function codeByHand(page: Page, count: number) {
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const focusedId = () => page.evaluate(() => document.activeElement?.getAttribute('data-answer-id') ?? null);
  let previous: string | null = null;
  for (let i = 0; i < count; i++) {
    await page.keyboard.press('j');
    // The list is virtual: the focused answer is found by its id, not by its place among the rows drawn.
    await expect.poll(focusedId).not.toBe(previous);
    const id = (await focusedId())!;
    previous = id;
    const answer = page.locator(`[data-testid="answer"][data-answer-id="${id}"]`);
    const text = (await answer.getByTestId('answer-text').textContent()) ?? '';
    await page.keyboard.press(/help/i.test(text) ? '1' : '2');
    await expect.poll(() => answer.getByTestId('coding-chip').count()).toBe(1);
  }
  await expect.poll(async () => (await storedCodings(page)).length).toBe(count);
}

describe('the assistant', () => {
  const app = appPerTest(openSampleAsCoder);

  it('learns from the coder, suggests for uncoded answers in a "next to code" order, and an accepted suggestion is a coding marked suggested', async () => {
    const { page, foreignRequests, pageErrors } = app();
    await codeByHand(page, 16);
    await page.getByTestId('assistant-toggle').click();
    await expect.poll(() => page.getByTestId('assistant-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
    expect(await page.getByTestId('assistant-status').textContent()).toMatch(/Learned from 16 coded answers/);

    // "Next to code" puts the uncoded answers first, each saying why it was picked; single-label coding: one suggestion each.
    await page.getByTestId('answer-sort').selectOption('next');
    const first = page.getByTestId('answer').first();
    await expect.poll(() => first.getByTestId('queue-pick').count()).toBe(1);
    await expect.poll(() => first.getByTestId('suggestion-chip').count()).toBe(1);
    expect(await first.getByTestId('coding-chip').count()).toBe(0);
    // Nothing is stored until the coder accepts.
    expect(await storedCodings(page)).toHaveLength(16);

    const answerId = await first.getAttribute('data-answer-id');
    const suggestedCode = await first.getByTestId('suggestion-chip').getAttribute('data-code-id');
    await first.focus();
    await page.keyboard.press('Shift+A');
    await expect
      .poll(async () => (await storedCodings(page)).find((c) => c.answerId === answerId))
      .toMatchObject({ codeId: suggestedCode, coderId: 'ana', suggested: true });
    const accepted = page.locator(`[data-testid="answer"][data-answer-id="${answerId}"]`);
    await expect.poll(() => accepted.getByTestId('suggestion-chip').count()).toBe(0);
    await expect.poll(() => accepted.getByTestId('coding-chip').count()).toBe(1);

    // Rejecting by key hides the suggestion and stores nothing.
    const next = page.locator('[data-testid="answer"]:has([data-testid="suggestion-chip"])').first();
    const nextId = await next.getAttribute('data-answer-id');
    await next.focus();
    await page.keyboard.press('Shift+X');
    await expect.poll(() => page.locator(`[data-testid="answer"][data-answer-id="${nextId}"] [data-testid="suggestion-chip"]`).count()).toBe(0);
    expect((await storedCodings(page)).some((c) => c.answerId === nextId)).toBe(false);

    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('measures itself against the coder and pre-codes, as the Assistant coder, in one undoable step', async () => {
    const { page, foreignRequests, pageErrors } = app();
    await codeByHand(page, 16);
    await page.getByTestId('assistant-toggle').click();
    await expect.poll(() => page.getByTestId('assistant-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('ready');
    await page.getByTestId('assistant-open').click();
    const dialog = page.getByTestId('assistant-dialog');
    await expect.poll(() => dialog.getByTestId('assistant-quality-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await dialog.getByTestId('assistant-sentence').first().textContent()).toMatch(
      /^Assistant agrees with you at κ -?\d\.\d\d( \(-?\d\.\d\d–-?\d\.\d\d\))? on /,
    );

    // A bar every code passes, and a precision the more common of the two codes reaches by coding every answer:
    // the sample's 16 answers are too few to promise more, whatever the model.
    await dialog.getByTestId('precode-alpha').fill('-1');
    await dialog.getByTestId('precode-precision').fill('0.5');
    await expect.poll(() => dialog.getByTestId('precode-plan').count()).toBe(1);
    const before = await storedCodings(page);
    await dialog.getByTestId('precode-apply').click();
    await expect.poll(async () => (await storedCodings(page)).filter((c) => c.coderId === 'assistant').length).toBeGreaterThan(0);
    const after = await storedCodings(page);
    // The coder's own codings are untouched; the Assistant is a coder of its own.
    expect(after.filter((c) => c.coderId === 'ana')).toEqual(before);
    expect((await storedRecords<{ id: string; name: string }>(page, 'coders')).find((c) => c.id === 'assistant')?.name).toBe('Assistant');

    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await storedCodings(page)).filter((c) => c.coderId === 'assistant').length).toBe(0);
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
