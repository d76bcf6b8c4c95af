import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { baseUrl, CHROMIUM_ARGS, CHROMIUM_PATH, waitForProjectReady } from './browser';

// Issue 10 §1 for real: Chromium's profile on a small disk that fills up while the
// coder works. What the screen claims must be exactly what is stored: work the
// database refused is named in a message, kept, and stored by Retry once there
// is room again. Runs alone; needs root to mount a tmpfs (CI runs as root).

const SIZE_MB = 40;
let dir = '';
let mounted = false;
let skipReason = '';

beforeAll(() => {
  if (process.getuid?.() !== 0) {
    skipReason = 'not root: mounting a small tmpfs for the browser profile needs root';
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'codebench-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE_MB}m`, 'tmpfs', dir], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    skipReason = `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
});

let context: BrowserContext | undefined;
afterAll(async () => {
  await context?.close().catch(() => undefined);
  if (mounted) execFileSync('umount', ['-l', dir]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const fillers: string[] = [];

/**
 * Fills the disk to the last byte with a new file of zeros (big writes, then ever smaller ones). Called again before
 * each coding: Chromium's storage engine frees room now and then (a compaction deletes old files), and without a
 * refill a write could find that room and the refused-write path would not be reached.
 */
function fillDisk() {
  const path = join(dir, `filler-${fillers.length}`);
  fillers.push(path);
  const fd = openSync(path, 'w');
  try {
    for (let chunk = 1 << 20; chunk >= 512; chunk >>= 1) {
      const bytes = Buffer.alloc(chunk);
      for (;;) {
        try {
          writeSync(fd, bytes);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

function freeDisk() {
  for (const path of fillers.splice(0)) unlinkSync(path);
}

function freeBytes(): number {
  const stats = statfsSync(dir);
  // bavail: what an unprivileged writer such as the browser may still use.
  return stats.bavail * stats.bsize;
}

/** What IndexedDB holds for the project, read in the page with the plain API (not the app's code). */
function readStored(page: Page, projectId: string) {
  return page.evaluate(async (projectId) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('codebench');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result as T[]);
        request.onerror = () => reject(request.error);
      });
    const pages = await all<{ projectId: string; codings: { answerId: string; codeId: string }[] }>('codingPages');
    const memos = await all<{ projectId: string; text: string; target: { id: string } }>('memos');
    db.close();
    return {
      codings: pages
        .filter((p) => p.projectId === projectId)
        .flatMap((p) => p.codings.map((c) => `${c.answerId} ${c.codeId}`))
        .sort(),
      memos: memos.filter((m) => m.projectId === projectId).map((m) => `${m.target.id} ${m.text}`),
    };
  }, projectId);
}

/** What the screen shows: every coding chip of the open question (its answers all fit the tall window) and the memos. */
async function readShown(page: Page) {
  const codings = await page
    .getByTestId('answer')
    .evaluateAll((answers) =>
      answers.flatMap((answer) =>
        [...answer.querySelectorAll('[data-testid="coding-chip"]')].map(
          (chip) => `${answer.getAttribute('data-answer-id')} ${chip.getAttribute('data-code-id')}`,
        ),
      ),
    );
  return { codings: codings.sort() };
}

describe('a full disk while coding', () => {
  it('names what was not saved, stores it with Retry once there is room, and shows only what is stored', async (test) => {
    if (!mounted) test.skip(skipReason);
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1280, height: 4000 },
      // The service worker's precache (about 6 MB) would take the little room this test leaves.
      serviceWorkers: 'block',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await context.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ana', name: 'Ana', color: '#2454a6' })));
    await page.goto(baseUrl());
    await page.getByTestId('open-sample').click();
    await waitForProjectReady(page);
    const projectId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);
    const before = await readStored(page, projectId);
    expect(before.codings).toEqual([]);

    fillDisk();
    expect(freeBytes()).toBeLessThan(64 * 1024);

    // Answers coded with the first code's key until the database refuses one (the storage engine may still have
    // room inside its files when the disk is full, so how many fit first depends on the browser), then a memo.
    const message = page.getByTestId('notification').filter({ hasText: 'not saved' });
    const answers = page.getByTestId('answer');
    let coded = 0;
    while (coded < 40 && (await message.count()) === 0) {
      fillDisk();
      await answers.nth(coded).focus();
      await page.keyboard.press('1');
      await expect.poll(() => answers.nth(coded).getByTestId('coding-chip').count()).toBe(1);
      coded++;
    }
    fillDisk();
    const memoed = answers.nth(1);
    await memoed.getByTestId('memo-toggle').click();
    await memoed.getByTestId('answer-memos').getByTestId('memo-input').fill('Mentions the time it took');
    await memoed.getByTestId('answer-memos').getByTestId('memo-save').click();
    await expect.poll(() => memoed.getByTestId('answer-memos').getByTestId('memo').count()).toBe(1);

    // The message names what the database did not take: exactly the difference between screen and storage.
    const refused = await expect
      .poll(() => message.count(), { timeout: 30_000 })
      .toBe(1)
      .then(() => true)
      .catch(() => false);
    if (!refused) {
      // Chromium's storage engine found room inside its files for every write (it does, on some runs): then what
      // the screen claims must all be stored, with nothing marked unsaved.
      expect(await page.getByTestId('coding-unsaved').count()).toBe(0);
      freeDisk();
      const shownAll = await readShown(page);
      const storedAll = await readStored(page, projectId);
      expect([...storedAll.codings].sort()).toEqual([...shownAll.codings].sort());
      expect(storedAll.memos).toHaveLength(1);
      console.warn('full-disk.e2e: every write found room on this run; the refused-write path was not reached');
      return;
    }
    await expect.poll(() => message.getByTestId('notification-text').textContent(), { timeout: 30_000 }).toMatch(/1 memo( and 1 coder name)? were not saved/);
    const text = (await message.getByTestId('notification-text').textContent())!;
    const shown = await readShown(page);
    expect(shown.codings).toHaveLength(coded);
    const markedUnsaved = await page.getByTestId('coding-unsaved').count();
    expect(await memoed.getByTestId('memo-unsaved').count()).toBe(1);

    // Room again. While the disk was full Chromium could not even open the database, so what it
    // holds is read now: the codings it lacks are exactly those the message counted.
    freeDisk();
    const stored = await readStored(page, projectId);
    const notSaved = shown.codings.length - stored.codings.length;
    expect(notSaved).toBeGreaterThan(0);
    // Each coding the database did not take is marked on screen, and only those.
    expect(markedUnsaved).toBe(notSaved);
    expect(stored.codings.every((c) => shown.codings.includes(c))).toBe(true);
    expect(stored.memos).toEqual([]);
    const counted = notSaved === 1 ? '1 coding' : `${notSaved} codings`;
    expect(text).toMatch(
      new RegExp(
        `^The (browser has no room left|database connection was closed|browser could not write to its storage|browser stopped the write): ${counted}(, 1 memo and 1 coder name| and 1 memo) were not saved\\. `,
      ),
    );
    await expect.poll(() => page.getByTestId('notification').filter({ hasText: 'not saved' }).count()).toBe(1);

    // Retry stores everything, and the message goes.
    await message.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect.poll(() => message.count(), { timeout: 30_000 }).toBe(0);
    expect(await page.getByTestId('coding-unsaved').count()).toBe(0);
    const saved = await readStored(page, projectId);
    expect(saved.codings).toEqual(shown.codings);
    expect(saved.memos.map((m) => m.split(' ').slice(1).join(' '))).toEqual(['Mentions the time it took']);

    // And after a reload, the screen shows exactly that.
    await page.reload();
    await waitForProjectReady(page);
    await expect.poll(async () => (await readShown(page)).codings).toEqual(saved.codings);
    expect(await memoed.getByTestId('memo-toggle').textContent()).toMatch(/Memos \(1\)/);
    expect(pageErrors).toEqual([]);
  });
});
