import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import ProjectList from '../../src/ui/home/project-list.svelte';
import { AppState, askToPersist } from '../../src/lib/state/app.svelte';

// Issue 10 §1: the project list says how much room is left, an import that will
// not fit is warned about before it is read, and the browser is asked to keep
// the projects when one is created.

function stubStorage(storage: Partial<StorageManager>) {
  vi.stubGlobal('navigator', { ...navigator, storage });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('room in the browser', () => {
  it('the project list shows how much room is left', async () => {
    stubStorage({ estimate: async () => ({ usage: 12e6, quota: 824e6 }) });
    const app = new AppState();
    await app.projects.refresh();
    render(ProjectList, { app });
    await expect.poll(() => screen.queryByTestId('storage-room')?.textContent).toBe('About 812 MB free for Codebench in this browser (12 MB used).');
  });

  it('warns before importing a file that will not fit, and not one that will', async () => {
    stubStorage({ estimate: async () => ({ usage: 700e6, quota: 900e6 }) });
    const app = new AppState();
    vi.spyOn(app.importer, 'start').mockImplementation(() => undefined);
    app.importFile(new File(['x'.repeat(1000)], 'small.csv'), false);
    const big = new File(['x'], 'big.csv');
    Object.defineProperty(big, 'size', { value: 150e6 });
    app.importFile(big, false);
    await expect
      .poll(() => app.notifications.text)
      .toMatch(/^This file will need about 450 MB of browser storage, but only 200 MB is free: the import will probably fail\./);
    expect(app.notifications.shown).toHaveLength(1);
  });

  it('asks the browser to keep the projects, unless it already does', async () => {
    const persist = vi.fn(async () => true);
    stubStorage({ persisted: async () => false, persist });
    expect(await askToPersist()).toBe(true);
    expect(persist).toHaveBeenCalledOnce();
    stubStorage({ persisted: async () => true, persist });
    expect(await askToPersist()).toBe(true);
    expect(persist).toHaveBeenCalledOnce();
    stubStorage({});
    expect(await askToPersist()).toBe(false);
  });
});
