import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { nextFrames, profilesPerTest, waitForProjectReady, type AppPage } from './browser';

// Issue 14 §2: the app at 200% zoom (a 1280×800 window is a 640×400 CSS-pixel viewport with two device pixels to each)
// and in a 1024×768 window. Every toolbar control can be reached, the answers start near the top, j keeps the focused
// answer in view (its top when it is taller than the list), messages wrap in full, and the questions-and-codebook
// panel folds away and comes back as the coder left it.

interface Size {
  name: string;
  viewport: { width: number; height: number };
  deviceScaleFactor: number;
  /** Whether the panel is a drawer (narrow window) rather than a column beside the answers. */
  narrow: boolean;
}

const SIZES: Size[] = [
  { name: '200% zoom (640×400 at 2×)', viewport: { width: 640, height: 400 }, deviceScaleFactor: 2, narrow: true },
  { name: '1024×768', viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1, narrow: false },
];

/** The controls of the project toolbar, each by its test id (some fold into the More menu in a narrow window). */
const TOOLBAR = [
  'undo',
  'redo',
  'layout-question',
  'layout-grid',
  'layout-agreement',
  'layout-analysis',
  'blind-toggle',
  'coder-switch',
  'rounds-open',
  'share-open',
  'shortcuts-open',
];

const profiles = profilesPerTest();

/** A fresh profile at this size, coder "Ana" named, the app open on its start page. */
function openAt(size: Size): Promise<AppPage> {
  return profiles.open(size.viewport, {
    deviceScaleFactor: size.deviceScaleFactor,
    init: () => {
      if (!localStorage.getItem('codebench.coder')) localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ana', name: 'Ana', color: '#2454a6' }));
    },
  });
}

async function openSampleAt(size: Size): Promise<Page> {
  const { page } = await openAt(size);
  await page.getByTestId('open-sample').click();
  await waitForProjectReady(page);
  await page.getByTestId('answer').first().waitFor();
  return page;
}

/** The element's box, and whether all of it is inside the window. */
async function insideWindow(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.left >= -0.5 && box.top >= -0.5 && box.right <= innerWidth + 0.5 && box.bottom <= innerHeight + 0.5;
  });
}

/**
 * Where the focused answer is against the part of the answer list the coder can see: inside the list's box, the
 * window, and above the message bar.
 */
function focusedAnswerPlace(page: Page) {
  return page.evaluate(() => {
    const row = document.activeElement?.closest<HTMLElement>('[data-answer-id]');
    const list = document.querySelector('[data-testid="answer-list"]')!.getBoundingClientRect();
    const bar = document.querySelector('[data-testid="notification-area"]')!.getBoundingClientRect();
    if (!row) return null;
    const box = row.getBoundingClientRect();
    const viewTop = Math.max(0, list.top);
    const viewBottom = Math.min(innerHeight, list.bottom, bar.top);
    return { id: row.dataset.answerId!, top: box.top, bottom: box.bottom, viewTop, viewBottom };
  });
}

/** Shown in full when it fits the visible part of the list; when it is taller, its top is at the top. */
function shows(place: { top: number; bottom: number; viewTop: number; viewBottom: number }): boolean {
  const slack = 2;
  if (place.bottom - place.top > place.viewBottom - place.viewTop) return Math.abs(place.top - place.viewTop) <= slack;
  return place.top >= place.viewTop - slack && place.bottom <= place.viewBottom + slack;
}

/** Imports a small survey from the start page as a new project, with one answer far longer than the window. */
async function importSurvey(page: Page, waveName: string) {
  const long = Array.from({ length: 160 }, (_, i) => `Sentence ${i + 1} of a very long answer about the mentoring scheme.`).join(' ');
  const rows = Array.from({ length: 24 }, (_, i) => `R${String(i + 1).padStart(2, '0')},"${i === 4 ? long : `Answer number ${i + 1}, short.`}"`);
  const csv = ['respondent_id,What did the scheme give you?', ...rows].join('\n');
  await page.getByTestId('topbar-import-input').setInputFiles({ name: 'survey.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('import-preview').waitFor();
  await page.getByTestId('import-wave-name').fill(waveName);
  await page.getByTestId('import-commit').click();
  await waitForProjectReady(page);
  await page.getByTestId('answer').first().waitFor();
}

describe.each(SIZES)('at $name', (size) => {
  it('every toolbar control is on screen, or in the More menu, which the keyboard works', async () => {
    const page = await openSampleAt(size);
    const more = page.getByTestId('toolbar-more');
    const folded = (await more.count()) > 0;
    // At 200% zoom the toolbar must fold; it must not run off the window at either size.
    if (size.narrow) expect(folded).toBe(true);
    const inMenu = folded
      ? await page
          .getByTestId('toolbar-more-menu')
          .locator('[role^="menuitem"]')
          .evaluateAll((items) => items.map((item) => item.getAttribute('data-testid')))
      : [];
    const toggle = size.narrow ? 'sidebar-toggle' : 'sidebar-close';
    for (const id of [...TOOLBAR.filter((id) => !inMenu.includes(id)), toggle, ...(folded ? ['toolbar-more'] : [])]) {
      expect(await insideWindow(page.getByTestId(id)), `${id} inside the window`).toBe(true);
    }
    if (!folded) return;
    expect(inMenu.length).toBeGreaterThan(0);

    // Enter opens the menu on its first item; arrows and End move; Esc closes it and gives the focus back.
    await page.getByTestId('answer').first().getByTestId('answer-text').click();
    await more.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByTestId('toolbar-more-menu');
    await menu.waitFor();
    for (const id of inMenu) expect(await insideWindow(page.getByTestId(id!)), `${id} inside the window in the open menu`).toBe(true);
    const focusedId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    expect(await focusedId()).toBe(inMenu[0]);
    await page.keyboard.press('ArrowDown');
    expect(await focusedId()).toBe(inMenu[1]);
    await page.keyboard.press('End');
    expect(await focusedId()).toBe(inMenu.at(-1));
    await page.keyboard.press('ArrowDown');
    expect(await focusedId()).toBe(inMenu[0]);
    // A digit in the menu does not code the answer focused behind it.
    await page.keyboard.press('1');
    await page.keyboard.press('Escape');
    expect(await menu.isVisible()).toBe(false);
    expect(await focusedId()).toBe('toolbar-more');
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('undo').isDisabled()).toBe(true);

    // ↓ opens it too; Enter on an item does what the toolbar button did.
    await page.keyboard.press('ArrowDown');
    await menu.waitFor();
    // ↓ opened the menu and did nothing else: the answer list behind did not move to its next answer and take the focus.
    await nextFrames(page);
    await nextFrames(page);
    expect(await focusedId()).toBe(inMenu[0]);
    await page.getByTestId('share-open').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('share-dialog').waitFor();
    expect(await insideWindow(page.getByTestId('share-dialog'))).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('share-dialog').waitFor({ state: 'detached' });

    // Blind is a checkbox item: ticking it turns blind on and the item says so.
    await more.click();
    await page.getByTestId('blind-toggle').click();
    await more.click();
    expect(await page.getByTestId('blind-toggle').getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Escape');
  });

  it('the first answer starts inside the first screen, and j keeps the focused answer in view', async () => {
    const page = await openSampleAt(size);
    const first = page.getByTestId('answer').first();
    const top = await first.evaluate((element) => element.getBoundingClientRect().top);
    const barTop = await page.getByTestId('notification-area').evaluate((element) => element.getBoundingClientRect().top);
    expect(top).toBeLessThan(Math.min(size.viewport.height, barTop) - 24);

    const seen = new Set<string>();
    for (let press = 0; press < 14; press++) {
      const before = (await focusedAnswerPlace(page))?.id;
      await page.keyboard.press('j');
      await expect.poll(async () => (await focusedAnswerPlace(page))?.id).not.toBe(before);
      await expect.poll(async () => shows((await focusedAnswerPlace(page))!), { message: `answer after ${press + 1} presses of j in view` }).toBe(true);
      seen.add((await focusedAnswerPlace(page))!.id);
    }
    expect(seen.size).toBe(14);
    // And back up with k.
    for (let press = 0; press < 5; press++) {
      const before = (await focusedAnswerPlace(page))?.id;
      await page.keyboard.press('k');
      await expect.poll(async () => (await focusedAnswerPlace(page))?.id).not.toBe(before);
      await expect.poll(async () => shows((await focusedAnswerPlace(page))!)).toBe(true);
    }
  });

  it('a long message wraps in full, and an answer taller than the list shows from its top', async () => {
    const { page } = await openAt(size);
    const waveName = `Wave-${'without-any-space-'.repeat(8)}and then a long tail of words ${'that goes on and on '.repeat(8)}end`;
    await importSurvey(page, waveName);

    const text = page.getByTestId('notification-status').getByTestId('notification-text').filter({ hasText: 'Imported' });
    await expect.poll(() => text.textContent()).toContain(waveName);
    const fit = await text.evaluate((element) => {
      const box = element.getBoundingClientRect();
      return {
        scrollWidth: element.scrollWidth,
        clientWidth: element.clientWidth,
        scrollHeight: element.scrollHeight,
        clientHeight: element.clientHeight,
        left: box.left,
        right: box.right,
        ellipsis: getComputedStyle(element).textOverflow,
      };
    });
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.clientWidth);
    expect(fit.scrollHeight).toBeLessThanOrEqual(fit.clientHeight);
    expect(fit.left).toBeGreaterThanOrEqual(0);
    expect(fit.right).toBeLessThanOrEqual(size.viewport.width);
    expect(fit.ellipsis).not.toBe('ellipsis');
    // Where the bar holds more than a few lines, it scrolls: its last line can be brought into view.
    const last = await text.evaluate((element) => {
      element.scrollIntoView({ block: 'end' });
      return element.getBoundingClientRect().bottom;
    });
    expect(last).toBeLessThanOrEqual(size.viewport.height + 0.5);

    // The fifth answer is longer than the list is high: j shows its start, not its end.
    await page.getByTestId('answer').first().focus();
    for (let press = 0; press < 4; press++) await page.keyboard.press('j');
    await expect.poll(async () => (await focusedAnswerPlace(page))?.id).toMatch(/R05/);
    const place = (await focusedAnswerPlace(page))!;
    expect(place.bottom - place.top).toBeGreaterThan(place.viewBottom - place.viewTop);
    await expect.poll(async () => shows((await focusedAnswerPlace(page))!)).toBe(true);
    // And the next one, after it, shows in full.
    await page.keyboard.press('j');
    await expect.poll(async () => (await focusedAnswerPlace(page))?.id).toMatch(/R06/);
    await expect.poll(async () => shows((await focusedAnswerPlace(page))!)).toBe(true);
    // Going back up to the long answer shows its top again.
    await page.keyboard.press('k');
    await expect.poll(async () => (await focusedAnswerPlace(page))?.id).toMatch(/R05/);
    await expect.poll(async () => shows((await focusedAnswerPlace(page))!)).toBe(true);
  });

  it('the questions and codebook panel folds away and comes back, remembered after a reload', async () => {
    const page = await openSampleAt(size);
    const panel = page.getByTestId('project-sidebar');
    const toggle = page.getByTestId('sidebar-toggle');
    const focusedId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    if (size.narrow) {
      // A drawer, closed at first so the answers start near the top.
      expect(await panel.isVisible()).toBe(false);
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await toggle.click();
      await panel.waitFor();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      // The focus goes into it, on the question shown; Esc closes it and gives the focus back to the toggle.
      expect(await focusedId()).toBe('question-item');
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'hidden' });
      expect(await focusedId()).toBe('sidebar-toggle');
      // Choosing a question closes the drawer on that question's answers.
      await toggle.click();
      const label = await page.getByTestId('question-item').nth(2).locator('.label').textContent();
      await page.getByTestId('question-item').nth(2).click();
      await panel.waitFor({ state: 'hidden' });
      await expect.poll(() => page.getByTestId('question-label').textContent()).toBe(label?.trim());
      // Left open, it is open after a reload.
      await toggle.click();
      await panel.waitFor();
      await page.reload();
      await waitForProjectReady(page);
      await panel.waitFor();
      expect(await page.getByTestId('sidebar-toggle').getAttribute('aria-expanded')).toBe('true');
      await page.getByTestId('sidebar-close').click();
      await panel.waitFor({ state: 'hidden' });
    } else {
      // A column beside the answers, shown at first; hidden, the toolbar's toggle brings it back.
      expect(await panel.isVisible()).toBe(true);
      expect(await toggle.count()).toBe(0);
      await page.getByTestId('sidebar-close').click();
      await panel.waitFor({ state: 'hidden' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      expect(await focusedId()).toBe('sidebar-toggle');
      // The answers take the room.
      const listLeft = await page.getByTestId('answer-list').evaluate((element) => element.getBoundingClientRect().left);
      expect(listLeft).toBeLessThan(40);
      await page.reload();
      await waitForProjectReady(page);
      expect(await panel.isVisible()).toBe(false);
      await page.getByTestId('sidebar-toggle').click();
      await panel.waitFor();
      expect(await page.getByTestId('question-item').first().isVisible()).toBe(true);
    }
  });
});
