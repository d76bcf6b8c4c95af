import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder, storedRecords, waitForProjectReady } from './browser';

// Issue 14 §3: a key belongs to its code; a code drags by its name.

/** Keys in the order new codes take them: 1–9, then a–z less j, k and u. */
const KEY_ORDER = [...'123456789abcdefghilmnopqrstvwxyz'];
const codeRow = (page: Page, name: string) => page.locator('li.code-row', { has: page.getByText(name, { exact: true }) });

/** Code name → key, as the codebook panel shows them. */
async function shownKeys(page: Page): Promise<Record<string, string | null>> {
  return page
    .locator('li.code-row')
    .evaluateAll((rows) =>
      Object.fromEntries(
        rows.map((row) => [
          row.querySelector('[data-testid="code-name"]')!.textContent!.trim(),
          row.querySelector('[data-testid="code-key"]')?.textContent ?? null,
        ]),
      ),
    );
}

interface StoredCode {
  id: string;
  name: string;
  parentId: string | null;
  shortcut?: string;
}

describe('code keys', () => {
  const app = appPerTest(openSampleAsCoder);

  it('gives each of the starter codes a key of its own, shown beside it and in the ? list', async () => {
    const { page } = app();
    const n = (await storedRecords<StoredCode>(page, 'codes')).length;
    expect(n).toBeGreaterThanOrEqual(18);
    await expect.poll(() => page.locator('li.code-row').count()).toBe(n);
    const values = Object.values(await shownKeys(page));
    expect(values).toEqual(KEY_ORDER.slice(0, n));
    await expect.poll(async () => (await storedRecords<StoredCode>(page, 'codes')).filter((c) => c.shortcut).length).toBe(n);

    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('?');
    const dialog = page.getByTestId('shortcuts-dialog');
    await dialog.waitFor();
    expect(await dialog.getByText('Ctrl/⌘ + Shift + Z, Ctrl/⌘ + Y').count()).toBe(1);
    expect(await dialog.getByTestId('keys-codes').getByRole('row').count()).toBe(n);
  });

  it('keeps every code’s key when a code is split; the split-off code gets a fresh key', async () => {
    const { page } = app();
    // Code three answers with "Rewards" (key 1).
    for (const index of [0, 1, 2]) {
      await page.getByTestId('answer').nth(index).focus();
      await page.keyboard.press('1');
    }
    await expect.poll(async () => (await codeRow(page, 'Rewards').locator('.counts').textContent())?.replace(/\s/g, '')).toBe('3·3');
    const before = await shownKeys(page);

    await codeRow(page, 'Rewards').getByTestId('edit-code').click();
    const editor = page.getByTestId('code-editor');
    await editor.waitFor();
    // The split list names respondent, question and wave, and shows the coded words.
    const labels = editor.getByTestId('split-coding');
    await expect.poll(() => labels.count()).toBe(3);
    await expect.poll(() => labels.first().textContent()).toMatch(/^\s*\S.* · .* · .* — “.+”/);
    expect(await labels.first().textContent()).not.toMatch(/\u001f/);
    await editor.getByRole('checkbox').first().check();
    await page.getByTestId('code-editor-split-name').fill('Rewards in kind');
    await editor.getByRole('button', { name: 'Split 1 off' }).click();
    const fresh = KEY_ORDER[Object.keys(before).length];
    await expect.poll(() => shownKeys(page).then((keys) => keys['Rewards in kind'])).toBe(fresh);
    await page.keyboard.press('Escape');

    const after = await shownKeys(page);
    for (const [name, key] of Object.entries(before)) expect(after[name]).toBe(key);
    // Placed right after Rewards (and its subcodes): the codes below have moved down a place; their keys have not.
    const names = Object.keys(after);
    expect(names.indexOf('Rewards in kind')).toBe(names.indexOf('Challenges') - 1);

    await page.reload();
    await waitForProjectReady(page);
    expect(await shownKeys(page)).toEqual(after);
  });

  it('drags a code by its name onto another code (it becomes its subcode), and a click on a name still applies it', async () => {
    const { page } = app();
    const empathyKey = (await shownKeys(page))['Empathy'];
    expect(empathyKey).toMatch(/^[a-z]$/);
    const empathyName = codeRow(page, 'Empathy').getByTestId('code-name');
    const target = codeRow(page, 'Shared background').getByTestId('code-name');
    await empathyName.scrollIntoViewIfNeeded();
    const from = (await empathyName.boundingBox())!;
    const to = (await target.boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2 - 10, { steps: 3 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 10 });
    await page.mouse.up();

    const byName = async () => new Map((await storedRecords<StoredCode>(page, 'codes')).map((c) => [c.name, c]));
    await expect.poll(async () => (await byName()).get('Empathy')?.parentId).toBe((await byName()).get('Shared background')!.id);
    expect(await page.getByTestId('notification-status').textContent()).toMatch(/Move “Empathy” under “Shared background”/);
    // Nothing was applied by the drag's click, and Empathy kept its key.
    expect(await page.locator('[data-testid="coding-chip"]').count()).toBe(0);
    expect((await shownKeys(page))['Empathy']).toBe(empathyKey);

    const answer = page.getByTestId('answer').nth(1);
    await answer.focus();
    await codeRow(page, 'Safe space').getByTestId('code-button').click();
    await expect.poll(() => answer.getByTestId('coding-chip').textContent()).toMatch(/Safe space/);
  });
});
