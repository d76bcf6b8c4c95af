/** Light, dark, or follow the system; remembered in localStorage. */
export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'codebench.theme';

export class ThemeState {
  choice = $state<ThemeChoice>('system');

  constructor() {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === 'light' || saved === 'dark') this.choice = saved;
    this.#apply();
  }

  cycle() {
    this.choice = this.choice === 'system' ? 'dark' : this.choice === 'dark' ? 'light' : 'system';
    globalThis.localStorage?.setItem(STORAGE_KEY, this.choice);
    this.#apply();
  }

  #apply() {
    const root = globalThis.document?.documentElement;
    if (!root) return;
    if (this.choice === 'system') delete root.dataset.theme;
    else root.dataset.theme = this.choice;
  }
}

export const theme = new ThemeState();
