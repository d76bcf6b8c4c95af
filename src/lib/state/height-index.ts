/**
 * Row heights for a virtual list of rows whose heights differ (answers are one
 * line or twenty). Unmeasured rows count as the running average of measured
 * ones; offsets are prefix sums, recomputed lazily after measurements change.
 */
export class HeightIndex {
  #heights: Float64Array;
  #measured: Uint8Array;
  #offsets: Float64Array;
  #dirty = true;
  #measuredSum = 0;
  #measuredCount = 0;
  #fallback: number;

  constructor(count: number, estimate: number) {
    this.#heights = new Float64Array(count);
    this.#measured = new Uint8Array(count);
    this.#offsets = new Float64Array(count + 1);
    this.#fallback = estimate;
  }

  get count(): number {
    return this.#heights.length;
  }

  /** Height used for a row not measured yet. */
  get estimate(): number {
    return this.#measuredCount > 0 ? this.#measuredSum / this.#measuredCount : this.#fallback;
  }

  /** Records a measured height; true when it changed anything. */
  set(index: number, height: number): boolean {
    if (index < 0 || index >= this.count) return false;
    if (this.#measured[index] && Math.abs(this.#heights[index] - height) < 0.5) return false;
    if (this.#measured[index]) this.#measuredSum -= this.#heights[index];
    else this.#measuredCount++;
    this.#measured[index] = 1;
    this.#heights[index] = height;
    this.#measuredSum += height;
    this.#dirty = true;
    return true;
  }

  #refresh() {
    if (!this.#dirty) return;
    const estimate = this.estimate;
    let sum = 0;
    for (let i = 0; i < this.count; i++) {
      this.#offsets[i] = sum;
      sum += this.#measured[i] ? this.#heights[i] : estimate;
    }
    this.#offsets[this.count] = sum;
    this.#dirty = false;
  }

  offsetOf(index: number): number {
    this.#refresh();
    return this.#offsets[Math.max(0, Math.min(index, this.count))];
  }

  get totalHeight(): number {
    return this.offsetOf(this.count);
  }

  /** The row at a vertical offset (binary search over the prefix sums). */
  indexAt(offset: number): number {
    this.#refresh();
    let lo = 0;
    let hi = this.count - 1;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#offsets[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Rows to render for a viewport, with a margin above and below so fast scrolling shows no gaps. */
  range(scrollTop: number, viewportHeight: number, overscan = 6): { start: number; end: number } {
    if (this.count === 0) return { start: 0, end: 0 };
    const first = this.indexAt(Math.max(0, scrollTop));
    const last = this.indexAt(scrollTop + viewportHeight);
    return { start: Math.max(0, first - overscan), end: Math.min(this.count, last + 1 + overscan) };
  }
}
