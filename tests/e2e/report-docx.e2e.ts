import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { appPerTest, openSampleAsCoder } from './browser';

// The author's last step: the methods-ready report as a Word file, opened (unzipped) and read back.
const app = appPerTest(openSampleAsCoder);
const folder = mkdtempSync(join(tmpdir(), 'codebench-report-docx-'));

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

const decode = (xml: string) =>
  xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

describe('the Word report', () => {
  it('downloads a .docx with the prevalence table, the chart and the quote with its attribution', async () => {
    const { page } = app();
    // Code ten answers (keys 1–5: Rewards and its subcodes) and mark the first as an exemplar quote.
    const first = page.getByTestId('answer').first();
    const firstText = (await first.getByTestId('answer-text').textContent())?.trim() ?? '';
    for (let i = 0; i < 10; i++) {
      await page.getByTestId('answer').nth(i).focus();
      await page.keyboard.press(String((i % 5) + 1));
    }
    await expect.poll(() => page.getByTestId('coding-progress').textContent()).toMatch(/\b10 of \d+ coded by you/);
    await page.getByTestId('answer-list').evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await page.getByTestId('answer').first().getByTestId('answer-text').textContent())?.trim()).toBe(firstText);
    await page.getByTestId('answer').first().getByTestId('coding-chip').first().waitFor();
    await page.getByTestId('answer').first().getByTestId('exemplar-toggle').first().click();
    await expect.poll(() => page.getByTestId('answer').first().getByTestId('exemplar-toggle').first().getAttribute('aria-pressed')).toBe('true');

    await page.getByTestId('layout-analysis').click();
    await page.getByTestId('analysis-tab-export').click();
    await page.getByTestId('report-options').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report-docx').click()]);
    expect(download.suggestedFilename()).toMatch(/-report\.docx$/);
    const path = join(folder, 'report.docx');
    await download.saveAs(path);

    const files = unzipSync(new Uint8Array(readFileSync(path)));
    const xml = strFromU8(files['word/document.xml']);
    // Real headings, a chart drawn on the page as a PNG picture.
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(Object.keys(files).some((f) => /^word\/media\/.+\.png$/.test(f))).toBe(true);
    // A prevalence cell by role × wave: "n of N, p% (low–high%)".
    const cells = [...xml.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((m) =>
      decode([...m[1].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')),
    );
    expect(cells.some((c) => /^[1-9]\d* of \d+ (respondents?|answers?), \d+(\.\d)?% \(\d+(\.\d)?–\d+(\.\d)?%\)$/.test(c))).toBe(true);
    // Role over wave: the roles in the first header row, the waves under them.
    expect(cells).toEqual(expect.arrayContaining(['mentee', 'mentor', 'Baseline', '6 months', 'All respondents']));
    // The quote, with its pseudonymous attribution on the next paragraph ("Mentee 7, Baseline").
    const paragraphs = [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map((m) => ({
      style: /<w:pStyle w:val="([^"]+)"/.exec(m[1])?.[1] ?? '',
      text: decode([...m[1].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')),
    }));
    const quote = paragraphs.findIndex((p) => p.style === 'Quote' && firstText.startsWith(p.text.slice(0, 40)));
    expect(quote, 'the marked quote').toBeGreaterThan(0);
    expect(paragraphs[quote + 1].style).toBe('QuoteAttribution');
    expect(paragraphs[quote + 1].text).toMatch(/^— (Mentee|Mentor) \d+, Baseline$/);
  });
});
