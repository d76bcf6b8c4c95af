/**
 * Whether the user is scrolling, dragging or wheeling, or waiting for work they asked for (`holdWhile`: opening
 * Analysis), for the work the page starts in the background:
 * the analysis warm-up ahead of its view and the search worker's keying ahead of the first search. Such work waits
 * to start until the user has been still for QUIET_MS (`whenQuiet`), and the workers hold it at their next
 * checkpoint while the user is busy (`onChange` → HoldGate in the worker). On two cores the workers' CPU made the
 * answer list's scroll miss frames (issue 15, third round); what the user asks for is never held.
 */
import { afterPaint, whenIdle } from './after-paint';

/** How long after the last input the user counts as still. */
export const QUIET_MS = 1200;

/**
 * What moves the page frame after frame. Keys and clicks are left out: each is one short piece of work, and a coder
 * coding by key for minutes on end would otherwise hold the search worker's keying ahead until the first search had
 * to key the question itself (1.1 s at 100k in the bench, against 22 ms). Keys that scroll fire 'scroll'.
 */
const INPUT_EVENTS = ['wheel', 'scroll', 'pointermove', 'touchmove'] as const;

export class UserActivity {
  readonly #quietMs: number;
  readonly #now: () => number;
  #last = -Infinity;
  /** Busy by input (until QUIET_MS without any). */
  #busy = false;
  /** Work the user waits for under way (holdWhile). */
  #waiting = 0;
  /** What the listeners last heard. */
  #heard = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #listeners = new Set<(busy: boolean) => void>();
  #detach: (() => void) | null = null;

  constructor(quietMs = QUIET_MS, now: () => number = () => performance.now()) {
    this.#quietMs = quietMs;
    this.#now = now;
  }

  /** Listens on `target` (capture, passive: scroll events of any element, before anything can stop them). */
  attach(target: EventTarget): () => void {
    this.#detach?.();
    const onInput = (event: Event) => {
      // A pointer moving with no button down is the user reading, not dragging.
      if (event.type === 'pointermove' && (event as PointerEvent).buttons === 0) return;
      this.input();
    };
    for (const type of INPUT_EVENTS) target.addEventListener(type, onInput, { capture: true, passive: true });
    const detach = () => {
      for (const type of INPUT_EVENTS) target.removeEventListener(type, onInput, { capture: true });
      if (this.#detach === detach) this.#detach = null;
    };
    this.#detach = detach;
    return detach;
  }

  /** Whether background work should wait: the user is scrolling or dragging, or waits for work of theirs. */
  get busy(): boolean {
    return this.#busy || this.#waiting > 0;
  }

  /** The user did something. */
  input() {
    this.#last = this.#now();
    if (this.#busy) return;
    this.#busy = true;
    this.#emit();
    this.#checkLater(this.#quietMs);
  }

  /**
   * Work the user asked for and waits on (opening Analysis reads and indexes the project in its worker): until it
   * settles, background work counts the user as busy and holds, as for a scroll. On two cores, the search worker's
   * keying ahead started during a cold open of Analysis and took its core.
   */
  holdWhile(work: Promise<unknown>): void {
    this.#waiting++;
    this.#emit();
    const done = () => {
      this.#waiting--;
      this.#emit();
      // After the next paint: what the user waited for is shown first.
      if (this.#waiting === 0) for (const run of this.#afterWaiting.splice(0)) afterPaint(run);
    };
    work.then(done, done);
  }

  /**
   * Runs `run` now, or once no work the user waits for (holdWhile) is under way; returns a cancel. Scrolls do not
   * hold it: it is for the page's own long tasks, which would hold up the reply the user waits for.
   */
  afterWaiting(run: () => void): () => void {
    if (this.#waiting === 0) {
      run();
      return () => {};
    }
    let cancelled = false;
    const entry = () => {
      if (!cancelled) run();
    };
    this.#afterWaiting.push(entry);
    return () => {
      cancelled = true;
    };
  }

  #afterWaiting: (() => void)[] = [];

  /** Called with true when the user becomes busy and false once they have been still for QUIET_MS. */
  onChange(listener: (busy: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Runs `run` once the user is still and the page is idle (the idle wait ends after `idleTimeoutMs`); if the user
   * is busy again before the page is idle, it waits for them again. Returns a cancel.
   */
  whenQuiet(run: () => void, idleTimeoutMs = 1000): () => void {
    let cancelIdle: (() => void) | null = null;
    let unlisten: (() => void) | null = null;
    let cancelled = false;
    const cancel = () => {
      cancelled = true;
      cancelIdle?.();
      unlisten?.();
    };
    const attempt = () => {
      if (cancelled) return;
      if (this.busy) {
        unlisten = this.onChange((busy) => {
          if (busy) return;
          unlisten?.();
          unlisten = null;
          attempt();
        });
        return;
      }
      cancelIdle = whenIdle(() => {
        cancelIdle = null;
        if (cancelled) return;
        if (this.busy) attempt();
        else {
          cancel();
          run();
        }
      }, idleTimeoutMs);
    };
    attempt();
    return cancel;
  }

  #checkLater(ms: number) {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const still = this.#now() - this.#last;
      if (still < this.#quietMs) return this.#checkLater(this.#quietMs - still);
      this.#busy = false;
      this.#emit();
    }, ms);
  }

  /** Tells the listeners when `busy` changed since they last heard. */
  #emit() {
    const busy = this.busy;
    if (busy === this.#heard) return;
    this.#heard = busy;
    for (const listener of [...this.#listeners]) listener(busy);
  }
}

/**
 * Tells a worker when the user becomes busy or still (`{ type: 'hold', held }`, for its HoldGate) through `notify`,
 * which posts to a running worker only. Returns what to call once a worker was started for background work: it
 * has not heard that the user is busy now.
 */
export function forwardHolds(activity: UserActivity, notify: (message: { type: 'hold'; held: boolean }) => void): () => void {
  activity.onChange((busy) => notify({ type: 'hold', held: busy }));
  return () => {
    if (activity.busy) notify({ type: 'hold', held: true });
  };
}

/** The page's one tracker, listening on the window from the first time it is asked for. */
let shared: UserActivity | null = null;
export function userActivity(): UserActivity {
  if (!shared) {
    shared = new UserActivity();
    if (typeof window !== 'undefined') shared.attach(window);
  }
  return shared;
}
