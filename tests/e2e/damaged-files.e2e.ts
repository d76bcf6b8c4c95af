import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { launchChromium, openApp, openSampleAsCoder, type AppPage } from './browser';

// Damaged and misplaced exchange files in real Chromium: refused with a message that names the problem, and nothing
// stored. Every test starts from its own profiles and files, so each passes alone.
let browser: Browser;
const contexts: AppPage[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  for (const app of contexts) await app.context.close();
  await browser?.close();
});

/** The sample study's project file, as Share… exports it. */
async function exportedProject(): Promise<{ app: AppPage; bytes: Buffer }> {
  const app = await openSampleAsCoder(browser);
  contexts.push(app);
  await app.page.getByTestId('share-open').click();
  const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.getByTestId('exchange-export-project').click()]);
  return { app, bytes: readFileSync(await download.path()) };
}

describe('damaged and misplaced exchange files', () => {
  it('writes a checksum into the project file, and refuses a backup with one flipped byte, storing nothing', async () => {
    const { bytes } = await exportedProject();
    expect(new TextDecoder().decode(gunzipSync(bytes))).toMatch(/,\n {2}"checksum": "sha256:[0-9a-f]{64}"\n\}\n$/);
    const fresh = await openApp(browser);
    contexts.push(fresh);
    const damaged = Buffer.from(bytes);
    damaged[Math.floor(damaged.length / 2)] ^= 0x10;
    await fresh.page.getByTestId('home-open-project-input').setInputFiles({ name: 'study.codebench.json.gz', mimeType: 'application/gzip', buffer: damaged });
    await expect.poll(() => fresh.page.getByTestId('notification-errors').textContent()).toMatch(/damaged/);
    expect(await fresh.page.getByTestId('project-row').count()).toBe(0);
    expect(await fresh.page.evaluate(() => location.hash)).not.toMatch(/project/);

    // Text changed before compressing: the gzip trailer is right, so only the checksum can tell.
    const changed = new TextDecoder().decode(gunzipSync(bytes)).replace('"name":"', '"name":"X');
    await fresh.page
      .getByTestId('home-open-project-input')
      .setInputFiles({ name: 'study.codebench.json.gz', mimeType: 'application/gzip', buffer: Buffer.from(gzipSync(new TextEncoder().encode(changed))) });
    await expect
      .poll(() => fresh.page.getByTestId('notification-errors').textContent())
      .toMatch(/This file is damaged: its checksum does not match its contents/);
    await fresh.page.reload();
    await fresh.page.getByTestId('home-open-project').waitFor();
    expect(await fresh.page.getByTestId('project-row').count()).toBe(0);
  });

  it('refuses a project file picked in "Import a coder file…": no project is created or opened', async () => {
    const { app, bytes } = await exportedProject();
    const before = await app.page.evaluate(() => location.hash);
    await app.page.getByTestId('exchange-import-input').setInputFiles({ name: 'study.codebench.json.gz', mimeType: 'application/gzip', buffer: bytes });
    await expect.poll(() => app.page.getByTestId('exchange-message').textContent()).toMatch(/^This is a project file \(“.+”\), not a coder file/);
    expect(await app.page.evaluate(() => location.hash)).toBe(before);
    await app.page.getByTestId('share-close').click();
    await app.page.goto(app.page.url().replace(/#.*$/, '#/'));
    await expect.poll(() => app.page.getByTestId('project-row').count()).toBe(1);
  });
});
