/**
 * One place for what the app tells the user: full text (never cut off), errors
 * that stay until dismissed, a short history, and scope. A message belongs to
 * the project it is about (or to no project), so one project's pending message
 * never shows over another's.
 */

export type NotificationTone = 'info' | 'success' | 'warning' | 'error';

export interface NotificationAction {
  label: string;
  run: () => unknown;
}

export interface Notification {
  id: number;
  text: string;
  tone: NotificationTone;
  /** The project the message is about; null for app-wide messages (shown everywhere). */
  projectId: string | null;
  actions: readonly NotificationAction[];
  /** A later message with the same key replaces this one (e.g. the one "not saved" message). */
  key: string | null;
  at: number;
  dismissed: boolean;
}

export interface NotifyOptions {
  tone?: NotificationTone;
  projectId?: string | null;
  actions?: readonly NotificationAction[];
  key?: string;
  /** Errors are sticky by default; anything can be made sticky (stays until dismissed). */
  sticky?: boolean;
}

/** Messages kept for the history, per app session. */
export const HISTORY_SIZE = 30;

export class Notifications {
  /** The open project; messages of other projects are kept but not shown. */
  scope = $state<string | null>(null);
  #all = $state.raw<Notification[]>([]);
  #sticky = new Set<number>();
  #nextId = 1;
  #now: () => number;

  constructor(now: () => number = () => Date.now()) {
    this.#now = now;
  }

  #inScope(n: Notification): boolean {
    return n.projectId === null || n.projectId === this.scope;
  }

  /**
   * What is on screen: every sticky message not dismissed (errors first),
   * then the latest other message — all in scope.
   */
  shown = $derived.by(() => {
    const inScope = this.#all.filter((n) => !n.dismissed && this.#inScope(n));
    const sticky = inScope.filter((n) => this.#sticky.has(n.id));
    const latest = inScope.filter((n) => !this.#sticky.has(n.id)).at(-1);
    const ordered = [...sticky.filter((n) => n.tone === 'error'), ...sticky.filter((n) => n.tone !== 'error')];
    return latest ? [...ordered, latest] : ordered;
  });

  /** Recent messages in scope, newest first, dismissed ones included. */
  history = $derived(
    this.#all
      .filter((n) => this.#inScope(n))
      .slice(-HISTORY_SIZE)
      .reverse(),
  );

  /** Shows a message; returns its id (to dismiss or replace it). */
  notify(text: string, options: NotifyOptions = {}): number {
    const tone = options.tone ?? 'info';
    const key = options.key ?? null;
    const projectId = options.projectId === undefined ? this.scope : options.projectId;
    const notification: Notification = { id: this.#nextId++, text, tone, projectId, actions: options.actions ?? [], key, at: this.#now(), dismissed: false };
    if (options.sticky ?? tone === 'error') this.#sticky.add(notification.id);
    let all = this.#all;
    if (key !== null) {
      // The replaced message leaves the screen but stays in the history.
      all = all.map((n) => (n.key === key && n.projectId === projectId && !n.dismissed ? { ...n, dismissed: true } : n));
    }
    all = [...all, notification];
    // Keep the history bounded, but never drop a sticky message not yet dismissed.
    const excess = all.length - HISTORY_SIZE * 4;
    if (excess > 0) {
      let dropping = excess;
      all = all.filter((n) => {
        if (dropping <= 0 || (this.#sticky.has(n.id) && !n.dismissed)) return true;
        dropping--;
        this.#sticky.delete(n.id);
        return false;
      });
    }
    this.#all = all;
    return notification.id;
  }

  info(text: string, options: Omit<NotifyOptions, 'tone'> = {}): number {
    return this.notify(text, { ...options, tone: 'info' });
  }

  error(text: string, options: Omit<NotifyOptions, 'tone'> = {}): number {
    return this.notify(text, { ...options, tone: 'error' });
  }

  dismiss(id: number) {
    this.#all = this.#all.map((n) => (n.id === id && !n.dismissed ? { ...n, dismissed: true } : n));
  }

  /** Dismisses the shown message with this key (in the given project, or in scope), if any. */
  dismissKey(key: string, projectId: string | null = this.scope) {
    this.#all = this.#all.map((n) => (n.key === key && n.projectId === projectId && !n.dismissed ? { ...n, dismissed: true } : n));
  }

  /** The text on screen, for tests and for one-line summaries. */
  get text(): string {
    return this.shown.map((n) => n.text).join('\n');
  }
}
