import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appPerTest, downloadsPerFile, openSampleAsCoder, storedRecords } from './browser';

// An author publishing a quote from the sample: a mentee's answer at 6 months, marked as an exemplar; a name in it
// (added to the author's list, as the sample's answers name no one) is replaced with [name]; the quote reads
// "Mentee N, 6 months", in the Quotes tab, the report and the pseudonym key; the stored answer is unchanged.
const app = appPerTest(openSampleAsCoder);
const { download } = downloadsPerFile('quotes-publish');

/** Marks the first mentee answer at 6 months as an exemplar quote; returns its id and text. */
async function markMenteeQuote(page: Page): Promise<{ id: string; text: string }> {
  await page
    .getByRole('group', { name: 'Wave' })
    .getByRole('button', { name: /^6 months/ })
    .click();
  await page.getByTestId('filter-attribute-role').selectOption('mentee');
  const first = page.getByTestId('answer').first();
  await expect.poll(async () => (await first.getAttribute('data-answer-id'))?.includes('\u001f')).toBe(true);
  const id = (await first.getAttribute('data-answer-id'))!;
  const text = (await first.getByTestId('answer-text').textContent())!;
  await first.focus();
  await page.keyboard.press('1');
  await first.getByTestId('coding-chip').first().waitFor();
  await first.getByTestId('exemplar-toggle').first().click();
  await expect.poll(() => first.getByTestId('exemplar-toggle').first().getAttribute('aria-pressed')).toBe('true');
  return { id, text };
}

describe('publishing a quote', () => {
  it('attributes it to a pseudonym, redacts a name, and exports it so; the stored answer is unchanged', async () => {
    const { page } = app();
    const { id, text } = await markMenteeQuote(page);
    const respondentId = id.split('\u001f')[2];
    // A word of the quote stands for a name the author adds to their list.
    const name = text.match(/\p{L}{4,}/u)?.[0];
    if (!name) throw new Error(`The first mentee answer at 6 months has no word of four letters: ${JSON.stringify(text)}`);

    await page.getByTestId('layout-analysis').click();
    await page.getByTestId('analysis-tab-quotes').click();
    const quote = page.getByTestId('quote').first();
    await quote.waitFor();
    expect(await quote.getByTestId('quote-attribution').textContent()).toMatch(/^\(Mentee \d+, 6 months\)$/);
    const attribution = (await quote.getByTestId('quote-attribution').textContent())!.slice(1, -1);
    expect(attribution).not.toContain(respondentId);

    await page.getByTestId('publishing-word').fill(name);
    await page.getByTestId('publishing-word').press('Enter');
    await expect.poll(() => quote.getByTestId('quote-text').textContent()).toContain('[name]');
    expect(await quote.getByTestId('quote-text').textContent()).not.toMatch(new RegExp(`\\b${name}\\b`, 'iu'));
    // Shown as stored on request, the word marked.
    await page.getByTestId('publishing-view-original').check();
    await expect.poll(() => quote.getByTestId('quote-text').textContent()).toContain(name);
    await page.getByTestId('publishing-view-published').check();

    // The report quotes the exemplars of its themes: a theme of the first code (Rewards, key 1).
    await page.getByTestId('analysis-tab-themes').click();
    await page.getByTestId('theme-new').click();
    await page.getByTestId('theme-name').fill('Rewards of mentoring');
    await page.getByTestId('theme-code').first().check();
    await page.getByTestId('theme-save').click();
    await expect.poll(() => page.getByTestId('theme-row').count()).toBe(1);

    await page.getByTestId('analysis-tab-export').click();
    const report = await download(page, () => page.getByTestId('export-report-md').click());
    // Markdown escapes the brackets, which it prints as [name].
    expect(report.text).toContain('\\[name\\]');
    const quoted = report.text.split('\n').filter((line) => line.startsWith('> ') && !line.startsWith('> —'));
    expect(quoted.join('\n')).toContain('\\[name\\]');
    expect(quoted.join('\n')).not.toMatch(new RegExp(`\\b${name}\\b`, 'iu'));
    expect(report.text).toContain(attribution);
    expect(report.text).not.toContain(`${respondentId}, 6 months`);

    const key = await download(page, () => page.getByTestId('export-pseudonym-key-csv').click());
    expect(key.name).toMatch(/pseudonym-key\.csv$/);
    expect(key.text).toMatch(/re-identifies respondents/);
    expect(key.text).toContain(`${respondentId},mentee,${attribution.split(',')[0]}`);

    // The stored answer still reads as imported.
    const chunks = await storedRecords<{ respondentIds: string[]; texts: string[] }>(page, 'answerChunks');
    const stored = chunks.flatMap((c) => c.texts.filter((_, i) => c.respondentIds[i] === respondentId));
    expect(stored).toContain(text);
    expect(stored.join('\n')).not.toContain('[name]');
  });
});
