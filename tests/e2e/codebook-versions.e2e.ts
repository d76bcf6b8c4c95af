import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder, storedRecords } from './browser';

const codeNames = (page: Page) => page.getByTestId('code-name').allTextContents();

async function openEditor(page: Page, name: string) {
  await page
    .locator('li.code-row', { has: page.getByText(name, { exact: true }) })
    .getByTestId('edit-code')
    .click();
  await page.getByTestId('code-editor').waitFor();
}

describe('codebook versions', () => {
  const app = appPerTest(openSampleAsCoder);

  it('saves a version, and after a rename and a merge shows and keeps what changed', async () => {
    const { page } = app();
    await page.getByTestId('codebook-versions-open').click();
    const dialog = page.getByTestId('codebook-versions');
    await dialog.getByTestId('no-versions').waitFor();
    await dialog.getByTestId('version-label').fill('Before the pilot');
    await dialog.getByTestId('save-version').click();
    await expect.poll(() => dialog.getByTestId('version-row').count()).toBe(1);
    await dialog.getByTestId('close-versions').click();

    await openEditor(page, 'Career progression');
    await page.getByTestId('code-editor-name').fill('Career');
    await page.getByTestId('code-editor-save').click();
    await expect.poll(() => codeNames(page)).toContain('Career');
    await page.keyboard.press('Escape');
    await openEditor(page, 'Confidence and self-belief');
    const target = page.getByTestId('code-editor-merge-target');
    const value = await target.locator('option', { hasText: 'Career' }).first().getAttribute('value');
    await target.selectOption(value!);
    await page.getByTestId('code-editor-merge').click();
    await expect.poll(() => codeNames(page)).not.toContain('Confidence and self-belief');

    await page.getByTestId('codebook-versions-open').click();
    await dialog.getByTestId('version-row').first().waitFor();
    await dialog.getByTestId('save-version').click();
    await expect.poll(() => dialog.getByTestId('version-row').count()).toBe(2);
    const lines = await dialog.getByTestId('diff-line').allTextContents();
    expect(lines.some((line) => /^Merged “.*Confidence and self-belief” into “.*Career”$/.test(line))).toBe(true);
    expect(lines.some((line) => /^Renamed “Career progression” to “Career”/.test(line))).toBe(true);
    await dialog.getByTestId('close-versions').click();

    const stored = await storedRecords<{ number: number; label: string; codes: unknown[] }>(page, 'codebookVersions');
    expect(stored.map((v) => [v.number, v.label]).sort()).toEqual([
      [1, 'Before the pilot'],
      [2, ''],
    ]);
  });
});
