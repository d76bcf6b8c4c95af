import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { baseUrl, CHROMIUM_PATH, CHROMIUM_ARGS, waitForProjectReady } from './browser';

// An on-disk profile, closed and opened again: what a user does when they quit the browser.
const profile = mkdtempSync(join(tmpdir(), 'codebench-profile-'));
const launch = () =>
  chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 } });

let context: BrowserContext | undefined;
afterAll(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('closing the browser', () => {
  it('keeps the imported project and its answers', async () => {
    context = await launch();
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto(baseUrl());
    await page.getByTestId('open-sample').click();
    await waitForProjectReady(page);
    const firstAnswer = await page.getByTestId('answer-text').first().textContent();
    await context.close();

    context = await launch();
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(baseUrl());
    await page.getByTestId('project-list').waitFor();
    expect(await page.getByTestId('project-link').allTextContents()).toEqual(['AIMMS mentoring evaluation (sample)']);
    await page.getByTestId('project-link').click();
    await waitForProjectReady(page);
    expect(await page.getByTestId('answer-text').first().textContent()).toBe(firstAnswer);
    expect(await page.getByTestId('project-summary').textContent()).toBe('32 respondents · Baseline, 6 months');
  });
});
