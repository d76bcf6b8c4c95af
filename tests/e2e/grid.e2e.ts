import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, openSampleAsCoder, storedRecords } from './browser';

// A fresh profile with coder Ana named and the sample study open; no foreign request, no page error (appPerTest).
const app = appPerTest(openSampleAsCoder);

/** 32 respondents at baseline, 14 at six months; 8 questions of 288 px: wider than the 1280 px window. */
const ROWS = 46;
const QUESTIONS = 8;

async function openGrid(page: Page) {
  await page.getByTestId('layout-grid').click();
  await expect.poll(() => page.getByTestId('grid-count').textContent()).toBe(`${ROWS} respondent rows × ${QUESTIONS} questions`);
}

/** aria-rowindex and aria-colindex of the focused element (null when the focus is not on a grid cell). */
async function focusedCell(page: Page): Promise<{ row: number; column: number; answerId: string | null } | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el.getAttribute('role') !== 'gridcell') return null;
    const row = el.closest('[role="row"]')?.getAttribute('aria-rowindex');
    return { row: Number(row), column: Number(el.getAttribute('aria-colindex')), answerId: el.getAttribute('data-answer-id') };
  });
}

async function box(page: Page, selector: string) {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`no box for ${selector}`);
  return b;
}

describe('the survey grid', () => {
  it('scrolls both ways with the respondent column pinned, the header on top, and draws the far questions', async () => {
    const { page } = app();
    await openGrid(page);
    const scroller = page.getByTestId('grid-scroller');
    expect(await scroller.getAttribute('role')).toBe('grid');
    expect(await scroller.getAttribute('aria-rowcount')).toBe(String(ROWS + 1));
    const pinCount = Number(await scroller.getAttribute('aria-colcount')) - QUESTIONS;
    // Respondent, wave and the first two attributes by default.
    expect(pinCount).toBe(4);
    const first = page.getByTestId('grid-row').first();
    expect(await first.getByTestId('grid-pin-wave').textContent()).toMatch(/Baseline/);
    expect((await first.getByTestId('grid-pin-attribute').allTextContents()).join(' ')).toMatch(/mentor|mentee/);
    // Columns are virtualised: not every question of the row is in the DOM before scrolling.
    expect(await first.locator('[data-grid-column="7"]').count()).toBe(0);

    const frame = await box(page, '[data-testid="grid-scroller"]');
    // A horizontal wheel (a trackpad) scrolls the one container sideways.
    await page.mouse.move(frame.x + frame.width / 2, frame.y + frame.height / 2);
    await page.mouse.wheel(400, 0);
    await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    // Shift+wheel does too, natively.
    const before = await scroller.evaluate((el) => el.scrollLeft);
    await page.keyboard.down('Shift');
    await page.mouse.wheel(0, 400);
    await page.keyboard.up('Shift');
    await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(before);
    // To the far right.
    await scroller.evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await expect.poll(() => page.locator('[data-testid="grid-row"]').first().locator('[data-grid-column="7"]').count()).toBe(1);

    // The respondent column sits at the left edge of the grid, in the rows, not only in the header.
    const respondent = await box(page, '[data-testid="grid-row"] [data-testid="grid-pin-respondent"]');
    expect(Math.abs(respondent.x - frame.x)).toBeLessThanOrEqual(2);
    expect(await page.locator('[data-testid="grid-row"] [data-testid="grid-pin-respondent"]').first().textContent()).toMatch(/\S/);
    // The last question's cells are drawn with their text, inside the visible part of the grid (not blank space).
    const far = page.locator('[data-testid="grid-row"] [data-grid-column="7"]');
    const filled = far.filter({ has: page.locator('p') }).first();
    expect((await filled.locator('p').textContent())!.length).toBeGreaterThan(10);
    const farBox = (await filled.boundingBox())!;
    expect(farBox.x).toBeGreaterThanOrEqual(frame.x + respondent.width);
    expect(farBox.x + farBox.width).toBeLessThanOrEqual(frame.x + frame.width + 1);
    // The last header: short label shown, full text on hover.
    const header = page.locator(`[data-testid="grid-column-header"][aria-colindex="${pinCount + QUESTIONS}"]`);
    expect(await header.getAttribute('title')).toBeTruthy();
    expect((await header.getAttribute('title'))!.length).toBeGreaterThanOrEqual((await header.textContent())!.trim().length);

    // Scrolled down, the header stays on top.
    await page.mouse.wheel(0, 2500);
    await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(1000);
    const head = await box(page, '[data-testid="grid-header"]');
    expect(Math.abs(head.y - frame.y)).toBeLessThanOrEqual(2);
    // The rows drawn are the ones in view, not the first ones.
    expect(Number(await page.getByTestId('grid-row').first().getAttribute('aria-rowindex'))).toBeGreaterThan(5);
  });

  it('moves the focused cell by key, with one tab stop, and a code key codes the focused cell', async () => {
    const { page } = app();
    await openGrid(page);
    const pinCount = Number(await page.getByTestId('grid-scroller').getAttribute('aria-colcount')) - QUESTIONS;
    const q = (n: number) => pinCount + n;
    expect(await page.locator('[data-testid="grid-cell"][tabindex="0"]').count()).toBe(1);

    await page.locator('[data-testid="grid-cell"][tabindex="0"]').focus();
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 2, column: q(1) });
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 2, column: q(2) });
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 3, column: q(2) });
    await page.keyboard.press('End');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 3, column: q(QUESTIONS) });
    await page.keyboard.press('Home');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 3, column: q(1) });
    await page.keyboard.press('PageDown');
    const paged = (await focusedCell(page))!;
    expect(paged.row).toBeGreaterThan(3);
    expect(paged.column).toBe(q(1));
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: paged.row - 1 });
    await page.keyboard.press('Control+End');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: ROWS + 1, column: q(QUESTIONS) });
    // The last cell was scrolled into view: inside the grid, right of the pinned columns and below the header.
    const frame = await box(page, '[data-testid="grid-scroller"]');
    const last = (await page.evaluate(() => (document.activeElement as HTMLElement).getBoundingClientRect().toJSON())) as DOMRect;
    const header = await box(page, '[data-testid="grid-header"]');
    expect(last.bottom).toBeLessThanOrEqual(frame.y + frame.height + 1);
    expect(last.top).toBeGreaterThanOrEqual(header.y + header.height - 1);
    expect(last.right).toBeLessThanOrEqual(frame.x + frame.width + 1);
    // Still one tab stop, and it is the focused cell.
    expect(await page.locator('[data-testid="grid-cell"][tabindex="0"]').count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('tabindex'))).toBe('0');
    await page.keyboard.press('Control+Home');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 2, column: q(1) });
    await page.keyboard.press('PageUp');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 2, column: q(1) });

    // Scrolled away by the wheel, the focused cell leaves the DOM; the keys still move from it, and bring it back.
    const grid = await box(page, '[data-testid="grid-scroller"]');
    await page.mouse.move(grid.x + grid.width / 2, grid.y + grid.height / 2);
    await page.mouse.wheel(0, 3000);
    await expect.poll(() => page.locator('[role="row"][aria-rowindex="2"]').count()).toBe(0);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 3, column: q(1) });
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 2, column: q(1) });

    // Move to a cell with an answer and code it with the code key "1".
    let at = (await focusedCell(page))!;
    for (let i = 0; i < QUESTIONS && !at.answerId; i++) {
      await page.keyboard.press('ArrowRight');
      at = (await focusedCell(page))!;
    }
    expect(at.answerId).toBeTruthy();
    await page.keyboard.press('1');
    const cell = page.locator(`[data-testid="grid-cell"][data-answer-id="${at.answerId}"]`);
    await expect.poll(() => cell.getByTestId('grid-code').count()).toBe(1);
    // The same coding shows in the question view.
    await page.getByTestId('layout-question').click();
    const questionIndex = at.column - pinCount - 1;
    await page.getByTestId('question-item').nth(questionIndex).click();
    await expect.poll(() => page.locator(`[data-testid="answer"][data-answer-id="${at.answerId}"] [data-testid="coding-chip"]`).count()).toBe(1);
  });

  it('past the browser height cap the scroll range is scaled: every row is reached, and keys land on their row', async () => {
    const { page } = app();
    // A low cap forces the scaling a project of ~254k rows meets at Chromium's element-height cap.
    await page.evaluate(() => ((window as { __codebenchGridMaxHeight?: number }).__codebenchGridMaxHeight = 2000));
    await openGrid(page);
    const scroller = page.getByTestId('grid-scroller');
    expect(Number(await scroller.getAttribute('data-scroll-factor'))).toBeGreaterThan(1.5);
    expect(await scroller.evaluate((el) => el.scrollHeight)).toBeLessThanOrEqual(2000);
    const pinCount = Number(await scroller.getAttribute('aria-colcount')) - QUESTIONS;
    const frame = await box(page, '[data-testid="grid-scroller"]');
    const header = await box(page, '[data-testid="grid-header"]');
    /** The focused cell lies whole below the header, inside the grid. */
    const focusedShown = async () => {
      const r = (await page.evaluate(() => (document.activeElement as HTMLElement).getBoundingClientRect().toJSON())) as DOMRect;
      return r.top >= header.y + header.height - 1 && r.bottom <= frame.y + frame.height + 1;
    };

    // Dragged to the end of the scroll range: the last row is drawn, on screen.
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const lastRow = page.locator(`[data-testid="grid-row"][aria-rowindex="${ROWS + 1}"]`);
    await expect.poll(() => lastRow.count()).toBe(1);
    const lastBox = (await lastRow.boundingBox())!;
    expect(lastBox.y + lastBox.height).toBeLessThanOrEqual(frame.y + frame.height + 1);
    expect(lastBox.y).toBeGreaterThanOrEqual(header.y + header.height - 1);
    // Halfway: the rows drawn there cover the grid's body (no blank band where rows should be).
    await scroller.evaluate((el) => (el.scrollTop = (el.scrollHeight - el.clientHeight) / 2));
    await expect
      .poll(() =>
        page.evaluate(() => {
          const rows = [...document.querySelectorAll('[data-testid="grid-row"]')].map((r) => r.getBoundingClientRect());
          const grid = document.querySelector('[data-testid="grid-scroller"]')!.getBoundingClientRect();
          const middle = grid.top + grid.height / 2;
          return rows.some((r) => r.top <= middle && r.bottom >= middle);
        }),
      )
      .toBe(true);

    // Keys: from the first cell down every row to the last, each move on the next row and shown.
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await page.locator('[data-testid="grid-cell"][tabindex="0"]').focus();
    await page.keyboard.press('Control+Home');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 2, column: pinCount + 1 });
    for (let row = 3; row <= ROWS + 1; row++) {
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => focusedCell(page)).toMatchObject({ row, column: pinCount + 1 });
      expect(await focusedShown(), `row ${row} shown`).toBe(true);
    }
    await page.keyboard.press('Control+Home');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 2, column: pinCount + 1 });
    expect(await focusedShown()).toBe(true);
    await page.keyboard.press('PageDown');
    const paged = (await focusedCell(page))!;
    expect(paged.row).toBeGreaterThan(2);
    expect(await focusedShown()).toBe(true);
    await page.keyboard.press('Control+End');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: ROWS + 1, column: pinCount + QUESTIONS });
    expect(await focusedShown()).toBe(true);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: ROWS, column: pinCount + QUESTIONS });
    expect(await focusedShown()).toBe(true);
  });

  it('a code key pressed as the grid opens codes the cell drawn focused, not the answer the list had focused', async () => {
    const { page } = app();
    const listAnswer = page.getByTestId('answer').nth(5);
    await listAnswer.focus();
    const listAnswerId = await listAnswer.getAttribute('data-answer-id');
    await openGrid(page);
    const drawn = page.locator('[data-testid="grid-cell"][tabindex="0"]');
    const drawnId = await drawn.getAttribute('data-answer-id');
    expect(drawnId).toBeTruthy();
    expect(drawnId).not.toBe(listAnswerId);
    await page.keyboard.press('1');
    await expect.poll(() => drawn.getByTestId('grid-code').count()).toBe(1);
    const coded = (await storedRecords<{ codings: { answerId: string }[] }>(page, 'codingPages')).flatMap((p) => p.codings).map((c) => c.answerId);
    expect(coded).toEqual([drawnId]);
  });

  it('Enter opens the cell to code a passage, Esc comes back to the same cell', async () => {
    const { page } = app();
    await openGrid(page);
    const cell = page.locator('[data-testid="grid-cell"][data-answer-id]').first();
    await cell.focus();
    const at = (await focusedCell(page))!;
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('grid-cell-panel');
    await expect.poll(() => panel.count()).toBe(1);
    const text = panel.getByTestId('answer-text');
    // Select the text's second and third words as a coder would with the mouse, then press a code key.
    await text.evaluate((el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let node = walker.nextNode() as Text;
      while (node && node.data.trim().split(/\s+/).length < 3) node = walker.nextNode() as Text;
      const words = [...node.data.matchAll(/\S+/g)];
      const range = document.createRange();
      range.setStart(node, words[1].index!);
      range.setEnd(node, words[2].index! + words[2][0].length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    });
    await page.keyboard.press('1');
    await expect.poll(() => panel.getByTestId('highlight').count()).toBe(1);
    expect(await panel.getByTestId('coding-chip').textContent()).toMatch(/“/);
    // The grid cell shows the passage's code as a chip.
    await expect.poll(() => page.locator(`[data-testid="grid-cell"][data-answer-id="${at.answerId}"] [data-testid="grid-code"]`).count()).toBe(1);

    // By keyboard too: Shift+→ twice selects the first two words, a code key codes them as a passage.
    await panel.locator('[data-testid="answer"]').focus();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('2');
    await expect.poll(() => panel.getByTestId('coding-chip').count()).toBe(2);
    expect(await panel.getByTestId('coding-chip').nth(1).textContent()).toMatch(/“/);

    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    await expect.poll(() => focusedCell(page)).toEqual(at);
  });

  it('resizes a column by dragging its edge and by key, remembered for the project', async () => {
    const { page } = app();
    await openGrid(page);
    const header = page.getByTestId('grid-column-header').first();
    const width = (await header.boundingBox())!.width;
    const handle = (await header.getByTestId('grid-resize').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 60, handle.y + handle.height / 2, { steps: 4 });
    await page.mouse.move(handle.x + handle.width / 2 + 100, handle.y + handle.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Math.round((await header.boundingBox())!.width)).toBe(Math.round(width + 100));
    // The cells of the column follow the header.
    const cell = page.locator('[data-testid="grid-row"]').first().locator('[data-grid-column="0"]');
    expect(Math.round((await cell.boundingBox())!.width)).toBe(Math.round(width + 100));

    await header.getByTestId('grid-resize').focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => Math.round((await header.boundingBox())!.width)).toBe(Math.round(width + 100 - 32));

    await page.reload();
    await page.waitForSelector('[data-testid="project-view"][data-ready="true"]');
    await openGrid(page);
    await expect.poll(async () => Math.round((await page.getByTestId('grid-column-header').first().boundingBox())!.width)).toBe(Math.round(width + 68));
  });

  it('groups rows under wave headings and pins the attributes the coder picks', async () => {
    const { page } = app();
    await openGrid(page);
    await page.getByTestId('grid-group-toggle').check();
    await expect.poll(() => page.getByTestId('grid-wave-heading').first().textContent()).toMatch(/Baseline\s*32 respondents/);
    // Grouped, the wave is a heading rather than a pinned column: one column fewer.
    const scroller = page.getByTestId('grid-scroller');
    expect(await scroller.getAttribute('aria-colcount')).toBe(String(3 + QUESTIONS));
    expect(await scroller.getAttribute('aria-rowcount')).toBe(String(ROWS + 2 + 1));
    await page.getByTestId('grid-pins').locator('summary').click();
    await page.getByTestId('grid-pins').locator('input[type="checkbox"]').first().uncheck();
    await expect.poll(() => scroller.getAttribute('aria-colcount')).toBe(String(2 + QUESTIONS));
    // Down from the last baseline row lands on the first six-month row, past the heading.
    await page.locator('[data-testid="grid-cell"][tabindex="0"]').focus();
    for (let i = 0; i < 32; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedCell(page)).toMatchObject({ row: 32 + 2 + 1 + 1 });
  });
});
