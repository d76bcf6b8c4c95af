/**
 * A reusable set of small integers (answer or respondent positions). Views
 * compute one target after another over the same positions; clearing by
 * bumping a stamp costs nothing, where a fresh Set or a zero-filled array per
 * target would cost an allocation or a pass over 100k entries each time.
 */
export class Marks {
  private readonly stamps: Int32Array;
  private stamp = 1;

  constructor(size: number) {
    this.stamps = new Int32Array(Math.max(0, size));
  }

  /** Empties the set in O(1). */
  clear(): void {
    this.stamp += 1;
    if (this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** Adds `i`; true when it was not in the set yet. */
  add(i: number): boolean {
    if (this.stamps[i] === this.stamp) return false;
    this.stamps[i] = this.stamp;
    return true;
  }

  has(i: number): boolean {
    return this.stamps[i] === this.stamp;
  }
}
