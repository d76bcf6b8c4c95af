import { describe, expect, it } from 'vitest';
import { parseSidebarChoice, SIDEBAR_STORAGE_KEY, SidebarState } from './sidebar.svelte';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

describe('SidebarState', () => {
  it('shows the panel in a wide window and folds it away in a narrow one by default', () => {
    const sidebar = new SidebarState(memoryStorage());
    expect(sidebar.open).toBe(true);
    sidebar.windowClass = 'narrow';
    expect(sidebar.open).toBe(false);
  });

  it('remembers the choice for each window class, across instances (a reload)', () => {
    const storage = memoryStorage();
    const first = new SidebarState(storage);
    first.windowClass = 'narrow';
    first.toggle();
    expect(first.open).toBe(true);
    first.windowClass = 'wide';
    first.open = false;
    const reloaded = new SidebarState(storage);
    expect(reloaded.open).toBe(false);
    reloaded.windowClass = 'narrow';
    expect(reloaded.open).toBe(true);
    expect(JSON.parse(storage.items.get(SIDEBAR_STORAGE_KEY)!)).toEqual({ wide: false, narrow: true });
  });

  it('reads a damaged or foreign entry as the defaults, and works when storage refuses', () => {
    expect(parseSidebarChoice('{not json')).toEqual({ wide: true, narrow: false });
    expect(parseSidebarChoice('{"wide":"no","narrow":true,"__proto__":{"wide":false}}')).toEqual({ wide: true, narrow: true });
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    const sidebar = new SidebarState(refusing);
    sidebar.toggle();
    expect(sidebar.open).toBe(false);
  });
});
