/**
 * The grid's answers by window of rows: a directory says which stored chunk
 * holds each respondent's answer to each question in each wave (a few bytes
 * per cell), and only the chunks that cover the rows on screen are read and
 * kept, in a small least-recently-used cache. Holding every answer's text
 * instead took ~150 MB at 100k respondents × 8 questions and ~370 MB at 250k,
 * and the bigger heap lengthened every major GC pause while the grid scrolled.
 */

/** Slots per chunk in a directory entry: more than a chunk's answers (ANSWER_CHUNK_SIZE, 5000). */
export const CHUNK_SLOTS = 8192;

/** A stored chunk of answers: one question, one wave, its index among that pair's chunks. */
export interface ChunkRef {
  questionId: string;
  waveId: string;
  index: number;
}

/** The one key of a chunk in the cache (ids are joined by a control character no id holds). */
export function chunkKey(questionId: string, waveId: string, index: number): string {
  return `${questionId}\u001f${waveId}\u001f${index}`;
}

/**
 * Where each answer is: per question and wave, per respondent position,
 * `chunk index × CHUNK_SLOTS + offset + 1`, 0 for no answer. An Int32Array
 * per question and wave: 4 bytes a cell, and nothing for V8 to trace.
 */
export class AnswerDirectory {
  readonly respondentCount: number;
  readonly #slots = new Map<string, Map<string, Int32Array>>();

  constructor(respondentCount: number) {
    this.respondentCount = respondentCount;
  }

  /** Records a chunk: `positions[i]` is the respondent position of its i-th answer (-1: not a respondent of the table). */
  add(questionId: string, waveId: string, index: number, positions: ArrayLike<number>) {
    if (positions.length > CHUNK_SLOTS) throw new Error(`A chunk of ${positions.length} answers does not fit the directory (${CHUNK_SLOTS})`);
    let waves = this.#slots.get(questionId);
    if (!waves) this.#slots.set(questionId, (waves = new Map()));
    let slots = waves.get(waveId);
    if (!slots) waves.set(waveId, (slots = new Int32Array(this.respondentCount)));
    for (let i = 0; i < positions.length; i++) {
      const at = positions[i];
      if (at >= 0 && at < this.respondentCount) slots[at] = index * CHUNK_SLOTS + i + 1;
    }
  }

  /** Where the answer is, or null for no answer. */
  locate(questionId: string, waveId: string, position: number): { index: number; offset: number } | null {
    const slot = this.#slots.get(questionId)?.get(waveId)?.[position] ?? 0;
    if (slot === 0) return null;
    return { index: Math.floor((slot - 1) / CHUNK_SLOTS), offset: (slot - 1) % CHUNK_SLOTS };
  }

  has(questionId: string, waveId: string, position: number): boolean {
    return (this.#slots.get(questionId)?.get(waveId)?.[position] ?? 0) !== 0;
  }

  /** The chunks that hold the answers of these rows to these questions, each once. */
  chunksFor(rows: Iterable<{ position: number; waveId: string }>, questionIds: readonly string[]): ChunkRef[] {
    const seen = new Set<string>();
    const out: ChunkRef[] = [];
    for (const row of rows) {
      for (const questionId of questionIds) {
        const at = this.locate(questionId, row.waveId, row.position);
        if (!at) continue;
        const key = chunkKey(questionId, row.waveId, at.index);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ questionId, waveId: row.waveId, index: at.index });
      }
    }
    return out;
  }
}

/**
 * Positions of a chunk's respondent ids in the respondent table. A chunk
 * usually lists respondents in the table's order, so each id is first tried
 * at the position after the previous one (a string comparison) before the
 * hash lookup; `hint` carries that guess from one chunk to the next.
 */
export function resolvePositions(
  chunkIds: readonly string[],
  tableIds: readonly string[],
  positionOf: (id: string) => number | undefined,
  hint = 0,
): { positions: Int32Array; next: number } {
  const positions = new Int32Array(chunkIds.length);
  let guess = hint;
  for (let i = 0; i < chunkIds.length; i++) {
    const id = chunkIds[i];
    const at = tableIds[guess] === id ? guess : (positionOf(id) ?? -1);
    positions[i] = at;
    if (at >= 0) guess = at + 1;
  }
  return { positions, next: guess };
}

/** A least-recently-used cache: reading an entry with `get` makes it the newest; `peek` leaves the order alone. */
export class LruCache<V> {
  readonly #entries = new Map<string, V>();
  #capacity: number;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, Math.trunc(capacity));
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** A window's chunks must all fit: the caller raises it to what the rows on screen need (lower evicts the oldest). */
  set capacity(value: number) {
    this.#capacity = Math.max(1, Math.trunc(value));
    this.#evict();
  }

  get size(): number {
    return this.#entries.size;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  peek(key: string): V | undefined {
    return this.#entries.get(key);
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: string, value: V) {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#evict();
  }

  keys(): string[] {
    return [...this.#entries.keys()];
  }

  clear() {
    this.#entries.clear();
  }

  #evict() {
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}
