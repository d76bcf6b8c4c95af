/** Who is coding in this browser: a named coder, chosen on first use and remembered. */
import type { Coder } from '../model/types';
import { newId } from '../model/types';
import { failureReason } from '../db/write-failure';
import type { Notifications } from './notifications.svelte';

const STORAGE_KEY = 'codebench.coder';
const COLOURS = ['#2454a6', '#a63d24', '#1f7a3f', '#7a3fa6', '#a6862a'];

export interface CoderIdentity {
  id: string;
  name: string;
  color: string;
}

export class CoderState {
  current = $state<CoderIdentity | null>(null);
  /** Set while the app asks for a name; the action waits for it. */
  asking = $state(false);
  /** Set while the coder chooses to switch to another identity (the same dialog, opened on purpose). */
  switching = $state(false);
  #pending: ((coder: CoderIdentity) => void) | null = null;
  #onCancel: (() => void) | null = null;
  /**
   * Why the app asks for a name, when there is more to say than "who is coding": a file for a second coder
   * asks before its project opens, and the name given is a coder of its own (never the identity already here
   * under another name, whose codings would then carry it).
   */
  askingFor = $state<'second-coder' | null>(null);
  #notifications: Notifications | null;

  constructor(notifications: Notifications | null = null) {
    this.#notifications = notifications;
    try {
      const saved = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? 'null');
      if (saved?.id && saved?.name) this.current = saved;
    } catch {
      // A damaged entry is the same as none: the coder is asked again.
    }
  }

  /** Runs `action` with the coder, asking for a name first if there is none yet. */
  withCoder(action: (coder: CoderIdentity) => void) {
    if (this.current) return action(this.current);
    this.#pending = action;
    this.asking = true;
  }

  /**
   * Asks the name of the coder who opens a file meant for a second coder, before the project opens. The same
   * name as the identity here keeps it; another name is a new coder. Cancel still opens the project (the name
   * is asked again at the first coding).
   */
  askSecondCoder(then: (coder: CoderIdentity | null) => void) {
    this.#pending = (coder) => then(coder);
    this.#onCancel = () => then(null);
    this.askingFor = 'second-coder';
    this.asking = true;
  }

  /**
   * Codes under `name`: the current identity renamed on first use, a new
   * identity when switching (a second coder on the same machine must not
   * inherit the first one's id, or their codings would merge).
   */
  setName(name: string): string | null {
    const trimmed = name.trim();
    if (!trimmed) return 'Enter the name your codings will carry.';
    const keep = this.askingFor === 'second-coder' ? this.current?.name === trimmed : !this.switching;
    const coder: CoderIdentity =
      this.current && keep ? { ...this.current, name: trimmed } : { id: newId(), name: trimmed, color: COLOURS[Math.floor(Math.random() * COLOURS.length)] };
    this.#become(coder);
    return null;
  }

  /** Continues as a coder already known to the project (their id, so their codings stay theirs). */
  switchTo(coder: CoderIdentity) {
    this.#become({ id: coder.id, name: coder.name, color: coder.color });
  }

  #become(coder: CoderIdentity) {
    this.current = coder;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(coder));
    } catch (error) {
      // A full disk (or storage turned off) must not stop the coder: the name holds for this visit.
      this.#notifications?.notify(
        `Your name could not be remembered in this browser: ${failureReason(error)}. You code as “${coder.name}” until the page is closed.`,
        { tone: 'warning', projectId: null },
      );
    }
    this.asking = false;
    this.switching = false;
    this.askingFor = null;
    const pending = this.#pending;
    this.#pending = null;
    this.#onCancel = null;
    pending?.(coder);
  }

  cancelAsking() {
    this.asking = false;
    this.switching = false;
    this.askingFor = null;
    this.#pending = null;
    const onCancel = this.#onCancel;
    this.#onCancel = null;
    onCancel?.();
  }

  asProjectCoder(projectId: string): Coder | null {
    return this.current ? { projectId, ...this.current } : null;
  }
}
