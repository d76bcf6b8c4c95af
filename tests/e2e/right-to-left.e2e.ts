/**
 * In real Chromium: an Arabic answer is drawn right to left (dir="auto" resolves to rtl), and a passage dragged
 * across with the mouse, from its first letter on the right to its last on the left, is coded with the code point
 * offsets of those words. (An Arabic project name in a download's name: hostile-names-and-zips.e2e.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { appPerTest, openApp, storedRecords, waitForProjectReady } from './browser';

const ANSWER = 'لقد ساعدني الإرشاد كثيرًا في عملي، شكرًا!';
const WORD = 'الإرشاد';

async function openArabicProject(browser: Browser) {
  const app = await openApp(browser);
  await app.context.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'sara', name: 'سارة', color: '#2454a6' })));
  await app.page.reload();
  const csv = ['id,تعليق', ...Array.from({ length: 6 }, (_, i) => `R${i + 1},${i === 0 ? ANSWER : `إجابة رقم ${i + 1} عن الإرشاد والعمل`}`)].join('\n');
  await app.page.getByTestId('home-import-input').setInputFiles({ name: 'arabic.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await app.page.getByTestId('import-preview').waitFor();
  await app.page.getByTestId('import-project-name').fill('تقييم الإرشاد');
  await app.page.getByTestId('import-commit').click();
  await waitForProjectReady(app.page);
  await app.page.getByTestId('load-starter-codebook').click();
  await app.page.getByTestId('code-button').first().waitFor();
  return app;
}

describe('an Arabic project in the browser', () => {
  const app = appPerTest(openArabicProject);

  it('draws answers right to left and codes a passage dragged across with the right offsets', async () => {
    const { page } = app();
    const answer = page.locator(`[data-testid="answer"]`).filter({ hasText: ANSWER });
    const text = answer.getByTestId('answer-text');
    expect(await text.evaluate((el) => el.matches(':dir(rtl)'))).toBe(true);
    expect(await answer.getByTestId('answer-respondent').evaluate((el) => el.matches(':dir(ltr)'))).toBe(true);

    // In right-to-left text the word's first letter is its rightmost: drag from its right edge to the last letter's left edge.
    const from = ANSWER.indexOf(WORD);
    const to = from + WORD.length;
    const [start, end] = await text.evaluate(
      (element, [a, b]) => {
        const node = document.createTreeWalker(element, NodeFilter.SHOW_TEXT).nextNode() as Text;
        const rect = (offset: number) => {
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset + 1);
          return range.getBoundingClientRect();
        };
        const first = rect(a);
        const last = rect(b - 1);
        return [
          { x: first.right - 1, y: first.top + first.height / 2 },
          { x: last.left + 1, y: last.top + last.height / 2 },
        ];
      },
      [from, to],
    );
    expect(start.x).toBeGreaterThan(end.x);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(end.x, end.y, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.press('1');

    const highlight = answer.getByTestId('highlight');
    await expect.poll(() => highlight.count()).toBe(1);
    expect((await highlight.textContent())!.trim()).toBe(WORD);
    const stored = async () =>
      (await storedRecords<{ codings: { start: number | null; end: number | null }[] }>(page, 'codingPages')).flatMap((p) => p.codings);
    await expect.poll(async () => (await stored()).length).toBe(1);
    const [coding] = await stored();
    // No surrogate pairs here, so code points and UTF-16 units agree.
    expect(coding).toMatchObject({ start: from, end: to });
    expect([...ANSWER].slice(coding.start!, coding.end!).join('')).toBe(WORD);
  });
});
