import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder, storedRecords, waitForProjectReady } from './browser';

// A reopen shows the counts stored when the project was last open (issue 15: counts on reopen ≤ 1.5 s) before it has
// indexed every coding, and only while the project is at the revision they were stored at.

const app = appPerTest(openSampleAsCoder);

interface Derived {
  projectId: string;
  key: string;
  revision: string;
  value: { size: number; codes: Record<string, { own: number[]; subtree: number[] }> };
}

/** Holds every animation frame until `__releaseFrames()`: the index counts only after a paint, so it never does. */
function holdFrames() {
  const held: FrameRequestCallback[] = [];
  const real = window.requestAnimationFrame.bind(window);
  let holding = true;
  window.requestAnimationFrame = (callback) => {
    if (!holding) return real(callback);
    held.push(callback);
    return held.length;
  };
  (window as unknown as { __releaseFrames: () => void }).__releaseFrames = () => {
    holding = false;
    for (const callback of held.splice(0)) real(callback);
  };
}

/**
 * Sets fields of every record of one store in the page's database (what another tab, or a tampering test, does):
 * `path` names a field inside the record, e.g. ['value', 'codes', 'c1', 'subtree']; records without it are left.
 */
async function rewrite(page: Page, store: string, path: string[], value: unknown) {
  await page.evaluate(
    ({ store, path, value }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('codebench');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(store, 'readwrite');
          const all = tx.objectStore(store).getAll();
          all.onsuccess = () => {
            for (const record of all.result as Record<string, unknown>[]) {
              let at: Record<string, unknown> | undefined = record;
              for (const name of path.slice(0, -1)) at = at?.[name] as Record<string, unknown> | undefined;
              if (!at) continue;
              at[path[path.length - 1]] = value;
              tx.objectStore(store).put(record);
            }
          };
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { store, path, value },
  );
}

async function storedCounts(page: Page): Promise<Derived | null> {
  const [project] = await storedRecords<{ revision?: string }>(page, 'projects');
  const record = (await storedRecords<Derived>(page, 'derived')).find((r) => r.key === 'counts');
  return record && record.revision === project.revision ? record : null;
}

describe('counts on reopen', () => {
  it('are kept after coding, shown from what was kept on the next open, and never once the project changed', async () => {
    const { page, context } = app();
    const first = page.getByTestId('code-button').first();
    const codeId = (await first.getAttribute('data-code-id'))!;
    await page.getByTestId('answer').first().focus();
    await page.keyboard.press('1');
    await expect.poll(async () => (await storedRecords<{ codings: unknown[] }>(page, 'codingPages')).flatMap((p) => p.codings).length).toBe(1);
    // Kept a moment after the coder stops, at the revision the coding gave the project.
    await expect.poll(async () => (await storedCounts(page))?.value.codes[codeId]?.subtree, { timeout: 20_000 }).toEqual([1, 1, 1]);
    await expect.poll(() => first.getByText('1 · 1').count()).toBe(1);

    // What is shown on the next open comes from the kept record: made distinctive here, at the same revision.
    await rewrite(page, 'derived', ['value', 'codes', codeId, 'subtree'], [1, 4321, 765]);
    await context.addInitScript(holdFrames);
    await page.reload();
    await waitForProjectReady(page);
    await expect.poll(() => first.innerText()).toContain('4,321');
    expect(await page.getByTestId('coding-progress').first().innerText()).toContain('coded by you');
    // Once the index counts, its own numbers replace the kept ones.
    await page.evaluate(() => (window as unknown as { __releaseFrames: () => void }).__releaseFrames());
    await expect.poll(() => first.innerText()).toContain('1 · 1');
    // The kept record was not what the codings say: it is replaced (a writer that did not move the revision).
    await expect.poll(async () => (await storedCounts(page))?.value.codes[codeId]?.subtree, { timeout: 20_000 }).toEqual([1, 1, 1]);

    // Another writer moved the project on: the kept counts are not shown; "counting…" until the index has counted.
    await rewrite(page, 'derived', ['value', 'codes', codeId, 'subtree'], [1, 4321, 765]);
    await rewrite(page, 'projects', ['revision'], 'moved-on-elsewhere');
    await page.reload();
    await waitForProjectReady(page);
    await expect.poll(() => first.locator('.counts').getAttribute('title')).toBe('Counting…');
    expect(await first.innerText()).not.toContain('4,321');
    await page.evaluate(() => (window as unknown as { __releaseFrames: () => void }).__releaseFrames());
    await expect.poll(() => first.innerText()).toContain('1 · 1');
  });
});
