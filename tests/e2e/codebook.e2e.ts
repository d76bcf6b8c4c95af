import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder, waitForProjectReady } from './browser';

const codeNames = (page: Page) => page.getByTestId('code-name').allTextContents();
const codeRow = (page: Page, name: string) => page.locator('[data-testid="code-button"]', { has: page.getByText(name, { exact: true }) });
const countsOf = async (page: Page, name: string) => (await codeRow(page, name).locator('.counts').textContent())?.replace(/\s/g, '');

async function toggleOnAnswer(page: Page, index: number, key: string) {
  await page.getByTestId('answer').nth(index).focus();
  await page.keyboard.press(key);
}

async function openEditor(page: Page, name: string) {
  await page
    .locator('li.code-row', { has: page.getByText(name, { exact: true }) })
    .getByTestId('edit-code')
    .click();
  await page.getByTestId('code-editor').waitFor();
}

/** Adds a top-level code from the codebook's + New code. */
async function newCode(page: Page, name: string) {
  await page.getByTestId('new-code').click();
  await page.getByTestId('new-code-name').fill(name);
  await page.keyboard.press('Enter');
  await expect.poll(() => codeNames(page)).toContain(name);
}

describe('refining the codebook', () => {
  // Each test in a fresh profile with coder Ana named and the sample study open.
  const app = appPerTest(openSampleAsCoder);

  it('merges one code into another, moving its codings, and undoes the merge exactly', async () => {
    const { page } = app();
    // Career progression = key 2, Confidence and self-belief = key 3.
    await toggleOnAnswer(page, 0, '2');
    await toggleOnAnswer(page, 1, '2');
    await toggleOnAnswer(page, 1, '3');
    await toggleOnAnswer(page, 2, '3');
    await expect.poll(() => countsOf(page, 'Confidence and self-belief')).toBe('2·2');
    await expect.poll(() => countsOf(page, 'Career progression')).toBe('2·2');

    await openEditor(page, 'Career progression');
    const target = page.getByTestId('code-editor-merge-target');
    const value = await target.locator('option', { hasText: 'Confidence and self-belief' }).getAttribute('value');
    await target.selectOption(value!);
    await page.getByTestId('code-editor-merge').click();
    await expect.poll(() => codeNames(page)).not.toContain('Career progression');
    await expect.poll(() => countsOf(page, 'Confidence and self-belief')).toBe('3·3');
    expect(await page.getByTestId('notification-status').textContent()).toMatch(
      /Merge “Career progression” into “Confidence and self-belief” \(1 coding moved, 1 collapsed\)/,
    );

    await page.getByTestId('undo').click();
    await expect.poll(() => codeNames(page)).toContain('Career progression');
    await expect.poll(() => countsOf(page, 'Career progression')).toBe('2·2');
    await expect.poll(() => countsOf(page, 'Confidence and self-belief')).toBe('2·2');
    await page.reload();
    await waitForProjectReady(page);
    await expect.poll(() => countsOf(page, 'Career progression')).toBe('2·2');
    expect(await page.getByTestId('answer').nth(1).getByTestId('coding-chip').count()).toBe(2);
  });

  it('creates, renames and recolours a code, refusing a duplicate name among siblings', async () => {
    const { page } = app();
    await page.getByTestId('new-code').click();
    await page.getByTestId('new-code-name').fill('Rewards');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/already a top-level code called “Rewards”/);
    await page.getByTestId('new-code-name').fill('Belonging');
    await page.keyboard.press('Enter');
    await expect.poll(() => codeNames(page)).toContain('Belonging');

    await openEditor(page, 'Belonging');
    await page.getByTestId('code-editor-name').fill('Belonging and identity');
    await page.getByTestId('code-editor-color').fill('#8844cc');
    await page.getByTestId('code-editor-save').click();
    await expect.poll(() => codeNames(page)).toContain('Belonging and identity');
    const swatch = codeRow(page, 'Belonging and identity').locator('.swatch');
    expect(await swatch.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(136, 68, 204)');
  });

  it('moves a code under another with the keyboard-reachable controls', async () => {
    const { page } = app();
    await newCode(page, 'Belonging and identity');
    await openEditor(page, 'Belonging and identity');
    const parent = page.getByTestId('code-editor-parent');
    await parent.selectOption((await parent.locator('option', { hasText: 'Empathy' }).getAttribute('value'))!);
    await page.keyboard.press('Escape');
    const names = await codeNames(page);
    expect(names.indexOf('Belonging and identity')).toBeGreaterThan(names.indexOf('Empathy'));
    const depth = await codeRow(page, 'Belonging and identity').evaluate((el) => parseFloat((el as HTMLElement).style.paddingLeft));
    expect(depth).toBeGreaterThan(1);
  });

  it('deletes a code with its codings after saying how many, and undo brings them back', async () => {
    const { page } = app();
    // Confidence and self-belief = key 3, on two answers.
    await toggleOnAnswer(page, 1, '3');
    await toggleOnAnswer(page, 2, '3');
    await expect.poll(() => countsOf(page, 'Confidence and self-belief')).toBe('2·2');
    await openEditor(page, 'Confidence and self-belief');
    await page.getByTestId('code-editor-delete').click();
    expect(await page.getByTestId('code-editor').getByRole('alert').textContent()).toMatch(/with 2 codings/);
    await page.getByTestId('code-editor-confirm-delete').click();
    await expect.poll(() => codeNames(page)).not.toContain('Confidence and self-belief');
    expect(await page.getByTestId('answer').nth(2).getByTestId('coding-chip').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => countsOf(page, 'Confidence and self-belief')).toBe('2·2');
  });
});
