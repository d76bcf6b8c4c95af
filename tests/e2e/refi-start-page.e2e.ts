import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { appPerTest, openApp, waitForProjectReady } from './browser';

// The start page's "Open a project file…" takes REFI-QDA files by their content: a .qdpx from NVivo is restored
// as a project with its codes and codings, and a .qdc becomes a new project holding the codebook, ready for a
// survey. Both report what they kept on the start page, with a button to open the new project.
const DIR = path.resolve('..', 'shared', 'real-files', 'refi');
const app = appPerTest(openApp);

describe.skipIf(!existsSync(DIR))('REFI-QDA files from the start page', () => {
  it('opens an NVivo .qdpx as a new project with its codes, and offers "Restore as a copy" the second time', async () => {
    const { page } = app();
    const file = path.join(DIR, 'nvivo-win12-oltas.qdpx');
    await page.getByTestId('home-open-project-input').setInputFiles(file);
    const notice = page.getByTestId('home-refi-notice');
    await expect.poll(() => notice.textContent()).toMatch(/Restored “.+” as a project of its own\./);
    expect(await notice.textContent()).toMatch(/60 codes/);
    expect(await notice.textContent()).toMatch(/97 codings/);
    // The new project is listed, and the button opens it.
    // NVivo names every project "Untitled": it is named after the file.
    expect(await page.getByTestId('home-refi-open').textContent()).toContain('Open “nvivo-win12-oltas”');
    await expect.poll(() => page.getByTestId('project-row').filter({ hasText: 'nvivo-win12-oltas' }).count()).toBe(1);

    // The same file again: it is already here.
    await page.getByTestId('home-open-project-input').setInputFiles(file);
    await expect.poll(() => notice.textContent()).toMatch(/already in this browser/);
    await page.getByTestId('home-refi-restore-copy').click();
    await expect.poll(() => notice.textContent()).toMatch(/\(copy\)” as a project of its own/);

    await page.getByTestId('home-refi-open').click();
    await waitForProjectReady(page);
    await expect.poll(() => page.getByText('alacsony fogékonyság').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('answer').count()).toBeGreaterThan(0);
  });

  it('makes a new project of a .qdc, named after the file, that opens with its codes; a survey imported into it is coded with them', async () => {
    const { page, context } = app();
    // A coder already named, so a code key codes at once.
    await context.addInitScript(() => localStorage.setItem('codebench.coder', JSON.stringify({ id: 'ana', name: 'Ana', color: '#2454a6' })));
    await page.reload();
    await page.getByTestId('home-open-project-input').setInputFiles(path.join(DIR, 'openqda-mastodonmoodboard-example.qdc'));
    const notice = page.getByTestId('home-refi-notice');
    await expect.poll(() => notice.textContent()).toMatch(/Made the project “openqda-mastodonmoodboard-example” with this codebook/);
    expect(await notice.textContent()).toMatch(/44 codes \(4 at the top level\)/);
    await page.getByTestId('home-refi-open').click();
    await waitForProjectReady(page);
    await expect.poll(() => page.getByText('Negativ/Aufgeregt').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('Rage', { exact: true }).count()).toBeGreaterThan(0);

    // The survey goes into this project, and its answers are coded with the codebook's codes.
    await page.getByTestId('topbar-import-input').setInputFiles('sample-data/aimms-baseline-qualtrics.csv');
    await page.getByTestId('import-preview').waitFor();
    expect(await page.getByTestId('import-target-existing').isChecked()).toBe(true);
    await page.getByTestId('import-commit').click();
    await expect.poll(() => page.getByTestId('project-summary').textContent()).toMatch(/32 respondents · Baseline/);
    await expect.poll(() => page.getByTestId('answer').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('current-project-name').textContent()).toBe('openqda-mastodonmoodboard-example');
    await page.getByTestId('answer').first().focus();
    await page.keyboard.press('1');
    await expect.poll(() => page.getByTestId('answer').first().getByTestId('coding-chip').textContent()).toMatch(/Negativ\/Aufgeregt/);
  });

  it('refuses a file that is no project, saying what to choose', async () => {
    const { page } = app();
    await page.getByTestId('home-open-project-input').setInputFiles({ name: 'answers.qdpx', mimeType: 'text/csv', buffer: Buffer.from('id,answer\n1,yes\n') });
    await expect.poll(() => page.getByTestId('home-refi-notice').textContent()).toMatch(/“answers\.qdpx” is not a project file Codebench can open/);
    // A survey workbook picked here by mistake is a zip too, but no .qdpx: it says so and where it goes.
    await page.getByTestId('home-open-project-input').setInputFiles(path.join(DIR, '..', 'survey', 'gforms-hotdog-fa25.xlsx'));
    await expect.poll(() => page.getByTestId('home-refi-notice').textContent()).toMatch(/“gforms-hotdog-fa25\.xlsx” is a spreadsheet.*Import a survey…/);
  });
});
