/**
 * Where a worker's background work (the search worker keying answers ahead, the analysis worker reading a project
 * ahead of its view) lets the user go first. The page says when the user is scrolling or dragging
 * (`held`); background work waits at its next checkpoint (`pass`) until they have stopped. On a machine with two
 * cores, that work on the second core made the answer list's scroll frames miss (issue 15, third round: frames of
 * 40–80 ms that the same scroll did not have with the workers idle).
 *
 * Work the user is waiting for is never held: while any is queued (`urgent`), every checkpoint passes, so that a
 * search typed, or an Analysis view opened, behind a held warm-up does not wait for the user to stop.
 */
export class HoldGate {
  #held = false;
  #urgent = 0;
  #waiting: (() => void)[] = [];

  /** The user is busy (true) or has stopped (false). */
  set held(held: boolean) {
    this.#held = held;
    this.#release();
  }

  get held(): boolean {
    return this.#held;
  }

  /** True when a checkpoint passes at once. */
  get open(): boolean {
    return !this.#held || this.#urgent > 0;
  }

  /** Work the user waits for is queued; call the returned function once it is done. */
  urgent(): () => void {
    this.#urgent++;
    this.#release();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#urgent--;
    };
  }

  /** A checkpoint of background work: resolves at once when open, else once the user stops or urgent work queues. */
  pass(): Promise<void> {
    if (this.open) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release() {
    if (!this.open || this.#waiting.length === 0) return;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }
}
