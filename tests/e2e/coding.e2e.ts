import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSample, openSampleAsCoder, storedRecords, waitForProjectReady } from './browser';

/** Drags the mouse across characters [from, to) of the first answer's text, as a coder would. */
async function dragSelect(page: Page, answerIndex: number, from: number, to: number) {
  const text = page.getByTestId('answer-text').nth(answerIndex);
  const [start, end] = await text.evaluate(
    (element, [a, b]) => {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      let node = walker.nextNode() as Text;
      while (node && node.length === 0) node = walker.nextNode() as Text;
      const point = (offset: number, side: 'left' | 'right') => {
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        const rect = range.getBoundingClientRect();
        return { x: side === 'left' ? rect.left + 1 : rect.right - 1, y: rect.top + rect.height / 2 };
      };
      return [point(a, 'left'), point(b - 1, 'right')];
    },
    [from, to],
  );
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 5 });
  await page.mouse.up();
}

const firstCodeId = (page: Page) => page.getByTestId('code-button').first().getAttribute('data-code-id');

/** Codes the first words of the first answer with the first code, as the first test does, and waits for it. */
async function codeFirstAnswer(page: Page) {
  await dragSelect(page, 0, 1, 9);
  await page.keyboard.press('1');
  await expect.poll(() => page.getByTestId('answer').first().getByTestId('highlight').count()).toBe(1);
}

describe('coding answers, the first time', () => {
  // No coder named yet in this profile.
  const app = appPerTest(openSample);

  it('codes a span selected with the mouse by pressing a code key, asking the coder name once', async () => {
    const { page } = app();
    const answer = page.getByTestId('answer').first();
    const fullText = (await answer.getByTestId('answer-text').textContent())!;
    // Start mid-word: the selection snaps out to whole words.
    await dragSelect(page, 0, 1, 9);
    await page.keyboard.press('1');
    await page.getByTestId('coder-dialog').waitFor();
    await page.getByTestId('coder-name').fill('Ana');
    await page.getByTestId('coder-save').click();
    const highlight = answer.getByTestId('highlight');
    await expect.poll(() => highlight.count()).toBe(1);
    expect(await highlight.getAttribute('data-codes')).toBe(await firstCodeId(page));
    const coded = (await highlight.textContent())!;
    expect(fullText.startsWith(coded)).toBe(true);
    expect(coded.length).toBeGreaterThanOrEqual(9);
    expect(await highlight.getAttribute('title')).toMatch(/\(Ana\)/);
  });
});

describe('coding answers', () => {
  // Each test in a fresh profile with coder Ana named and the sample study open.
  const app = appPerTest(openSampleAsCoder);

  it('shows two codes on overlapping passages of one answer, each named', async () => {
    const { page } = app();
    const answer = page.getByTestId('answer').first();
    await codeFirstAnswer(page);
    await dragSelect(page, 0, 0, 4);
    await page.keyboard.press('6');
    await expect.poll(() => answer.getByTestId('coding-chip').count()).toBe(2);
    const titles = await answer.getByTestId('highlight').evaluateAll((spans) => spans.map((s) => s.getAttribute('title')));
    expect(titles.some((t) => t?.includes(','))).toBe(true);
    await page.keyboard.press('Control+z');
    await expect.poll(() => answer.getByTestId('coding-chip').count()).toBe(1);
  });

  it('keeps the coding after a reload, and undo and redo survive a reload too', async () => {
    const { page } = app();
    await codeFirstAnswer(page);
    // Reloaded once the coding is in the database (a reload in the middle of its transaction would abort it).
    await expect.poll(async () => (await storedRecords<{ codings: unknown[] }>(page, 'codingPages')).flatMap((p) => p.codings).length).toBe(1);
    await page.reload();
    await waitForProjectReady(page);
    const answer = page.getByTestId('answer').first();
    await expect.poll(() => answer.getByTestId('highlight').count()).toBe(1);
    // Counts are built once every question's codings are read, just after opening.
    const rewardsCount = page.getByTestId('code-button').first().locator('.counts');
    await expect.poll(async () => (await rewardsCount.textContent())?.replace(/\s/g, '')).toBe('1·1');

    await page.keyboard.press('Control+z');
    await expect.poll(() => answer.getByTestId('highlight').count()).toBe(0);
    await expect.poll(async () => (await storedRecords<{ codings: unknown[] }>(page, 'codingPages')).flatMap((p) => p.codings).length).toBe(0);
    await page.reload();
    await waitForProjectReady(page);
    await expect.poll(() => page.getByTestId('answer').first().getByTestId('highlight').count()).toBe(0);
    await page.getByTestId('redo').click();
    await expect.poll(() => page.getByTestId('answer').first().getByTestId('highlight').count()).toBe(1);
  });

  it('toggles a code on a whole answer from the keyboard and removes a coding from its chip', async () => {
    const { page } = app();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const second = page.getByTestId('answer').nth(1);
    await expect.poll(() => second.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('2');
    await expect.poll(() => second.getByTestId('coding-chip').count()).toBe(1);
    expect(await second.getByTestId('coding-chip').textContent()).toMatch(/whole answer · Ana/);
    await page.keyboard.press('2');
    await expect.poll(() => second.getByTestId('coding-chip').count()).toBe(0);
    await page.keyboard.press('3');
    await expect.poll(() => second.getByTestId('coding-chip').count()).toBe(1);
    await second.getByTestId('remove-coding').click();
    await expect.poll(() => second.getByTestId('coding-chip').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => second.getByTestId('coding-chip').count()).toBe(1);
  });

  it('filters answers by attribute, code and coding state, showing the count and the coder’s progress', async () => {
    const { page } = app();
    await codeFirstAnswer(page);
    const count = () => page.getByTestId('answer-count').textContent();
    const total = Number((await count())!.match(/(\d+) answers/)![1]);
    await page.getByTestId('filter-attribute-role').selectOption('mentee');
    await expect.poll(count).toMatch(new RegExp(`^\\d+ of ${total} answers$`));
    const roles = await page.getByTestId('answer').evaluateAll((rows) => rows.map((r) => r.textContent));
    expect(roles.every((text) => text?.includes('mentee'))).toBe(true);
    await page.getByTestId('filter-clear').click();

    const coded = await page.locator('[data-testid="answer"]:has([data-testid="coding-chip"])').count();
    expect(coded).toBeGreaterThan(0);
    expect(await page.getByTestId('coding-progress').textContent()).toMatch(new RegExp(`${coded} of ${total} coded by you`));
    await page.getByTestId('filter-uncoded').check();
    await expect.poll(count).toBe(`${total - coded} of ${total} answers`);
    await page.getByTestId('filter-uncoded').uncheck();
    const firstCode = await page.getByTestId('code-button').first().getAttribute('data-code-id');
    await page.getByTestId('filter-code').selectOption(firstCode!);
    await expect.poll(() => page.getByTestId('answer').count()).toBeGreaterThan(0);
    const chips = await page.getByTestId('answer').evaluateAll((rows) => rows.map((r) => r.querySelectorAll('[data-testid="coding-chip"]').length));
    expect(chips.every((n) => n > 0)).toBe(true);
    await page.getByTestId('filter-clear').click();
  });

  it('selects a passage from the keyboard a word at a time and codes it', async () => {
    const { page } = app();
    const answer = page.getByTestId('answer').nth(6);
    const text = (await answer.getByTestId('answer-text').textContent())!;
    const twoWords = text.match(/^\W*[\p{L}\p{N}'’-]+\W+[\p{L}\p{N}'’-]+/u)![0].replace(/^\W+/, '');
    await answer.focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    expect(await page.evaluate(() => getSelection()?.toString())).toBe(twoWords);
    await page.keyboard.press('5');
    await expect.poll(() => answer.getByTestId('highlight').textContent()).toBe(twoWords);
  });

  it('applies a code found by typing a few letters into the quick picker', async () => {
    const { page } = app();
    const answer = page.getByTestId('answer').nth(4);
    await answer.focus();
    await page.keyboard.press('Control+k');
    await page.getByTestId('code-picker-input').fill('empat');
    await page.keyboard.press('Enter');
    const empathy = await page.locator('[data-testid="code-button"]', { has: page.getByText('Empathy', { exact: true }) }).getAttribute('data-code-id');
    await expect.poll(() => answer.locator(`[data-testid="coding-chip"][data-code-id="${empathy}"]`).count()).toBe(1);
  });

  it('lets the coder give a code their own shortcut key, refusing a reserved one', async () => {
    const { page } = app();
    await page
      .locator('li.code-row', { has: page.getByText('Empathy', { exact: true }) })
      .getByTestId('edit-code')
      .click();
    const key = page.getByTestId('code-editor-shortcut');
    await key.fill('j');
    await key.press('Tab');
    await expect.poll(() => page.getByTestId('code-editor').getByRole('alert').textContent()).toMatch(/reserved/);
    // The starter codes hold 1–9 and a–i: "w" is free.
    await key.fill('w');
    await key.press('Tab');
    await page.keyboard.press('Escape');
    const answer = page.getByTestId('answer').nth(5);
    await answer.focus();
    await page.keyboard.press('w');
    await expect.poll(() => answer.getByTestId('coding-chip').textContent()).toMatch(/Empathy/);
    // Reloaded once the key is stored: a reload while a write is still on its way may lose it, on a busy machine too.
    await expect
      .poll(async () => (await storedRecords<{ name: string; shortcut?: string }>(page, 'codes')).find((c) => c.name === 'Empathy')?.shortcut)
      .toBe('w');
    await page.reload();
    await waitForProjectReady(page);
    expect(
      await page
        .locator('li.code-row', { has: page.getByText('Empathy', { exact: true }) })
        .locator('kbd')
        .textContent(),
    ).toBe('w');
  });

  it('after a reload on one question, shows another question’s codings once they are read behind it', async () => {
    const { page } = app();
    const questions = page.getByTestId('question-item');
    await questions.nth(1).click();
    await expect.poll(() => questions.nth(1).getAttribute('aria-current')).toBe('true');
    const first = () => page.getByTestId('answer').first().getByTestId('coding-chip');
    const before = await first().count();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('3');
    await expect.poll(() => first().count()).toBe(before + 1);

    await questions.first().click();
    await expect.poll(() => questions.first().getAttribute('aria-current')).toBe('true');
    await page.reload();
    await waitForProjectReady(page);
    await questions.nth(1).click();
    await expect.poll(() => first().count()).toBe(before + 1);
    // An undo right after opening waits for every coding to be read, then takes this one back.
    await page.keyboard.press('Control+z');
    await expect.poll(() => first().count()).toBe(before);
  });
});
