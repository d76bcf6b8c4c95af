/**
 * Whether the questions-and-codebook panel shows. A narrow window (a small screen, or 200% zoom) folds it away by
 * default so the answers start near the top; a wide one shows it beside them. The coder's choice is remembered for
 * each, so opening the panel at 200% zoom does not hide it later at 100%.
 */
export type WindowClass = 'wide' | 'narrow';

export const SIDEBAR_STORAGE_KEY = 'codebench.sidebar';

/** The width below which the panel becomes a drawer over the answers (matches the CSS breakpoint). */
export const NARROW_QUERY = '(max-width: 52rem)';

const DEFAULTS: Record<WindowClass, boolean> = { wide: true, narrow: false };

/** The remembered choices, read leniently: anything unreadable or missing falls back to the defaults. */
export function parseSidebarChoice(text: string | null | undefined): Record<WindowClass, boolean> {
  const choice = { ...DEFAULTS };
  if (!text) return choice;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object') {
      for (const key of ['wide', 'narrow'] as const) {
        const open = (value as Record<string, unknown>)[key];
        if (typeof open === 'boolean') choice[key] = open;
      }
    }
  } catch {
    // A damaged entry is only a preference: the defaults do.
  }
  return choice;
}

export class SidebarState {
  /** Set by the view from a media query. */
  windowClass = $state<WindowClass>('wide');
  #open = $state<Record<WindowClass, boolean>>({ ...DEFAULTS });
  #storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage) {
    this.#storage = storage;
    try {
      this.#open = parseSidebarChoice(storage?.getItem(SIDEBAR_STORAGE_KEY));
    } catch {
      // Storage refused (a private window): the defaults do.
    }
  }

  get narrow(): boolean {
    return this.windowClass === 'narrow';
  }

  get open(): boolean {
    return this.#open[this.windowClass];
  }

  set open(open: boolean) {
    this.#open = { ...this.#open, [this.windowClass]: open };
    try {
      this.#storage?.setItem(SIDEBAR_STORAGE_KEY, JSON.stringify(this.#open));
    } catch {
      // Not remembered (storage full or refused): it still opens and closes.
    }
  }

  toggle() {
    this.open = !this.open;
  }
}
