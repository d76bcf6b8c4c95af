/**
 * A Map keyed by string ids that never hands the ids to V8's own hashing.
 *
 * Why: V8 internalizes every distinct string it hashes as a Map or Set key
 * (or uses as a property name), and each major garbage collection walks
 * those strings while the page is paused. With 200k codings the coding index
 * held ~500k such ids and the pause reached 45 ms: a long frame in the middle
 * of scrolling. Keyed by our own 30-bit hash (a small integer, which V8
 * hashes for free) the ids stay ordinary strings.
 *
 * Which id a hash stands for lives in an IdKeys, which maps over the same ids
 * (the coding index's) share, so each id is remembered once and its slot can
 * be worked out once for several maps. Two ids with the same hash are rare
 * (tens in a million); the second one is kept in a small ordinary Map.
 * Iteration is in insertion order, except that such ids come last.
 */

/** Where an id lives in the maps over an IdKeys: its hash, or one of these. */
export type IdSlot = number;
/** The id shares its hash with an earlier id: it lives in each map's small overflow. */
const SECOND = -1;
/** No id has this hash, so no map over these keys holds the id. */
const ABSENT = -2;

export class IdKeys {
  readonly #owners = new Map<number, string>();

  /** The id's slot, taking its hash when no id has it yet. */
  slot(id: string): IdSlot {
    const hash = idHash(id);
    const owner = this.#owners.get(hash);
    if (owner === undefined) {
      this.#owners.set(hash, id);
      return hash;
    }
    return owner === id ? hash : SECOND;
  }

  /** The id's slot if it has ever had one; for lookups, which should not take a hash. */
  peek(id: string): IdSlot {
    const hash = idHash(id);
    const owner = this.#owners.get(hash);
    if (owner === undefined) return ABSENT;
    return owner === id ? hash : SECOND;
  }

  ownerOf(hash: number): string | undefined {
    return this.#owners.get(hash);
  }

  /** A new, empty map over these keys. */
  map<V>(): IdMap<V> {
    return new IdMap<V>(undefined, this);
  }
}

export class IdMap<V> {
  readonly keySpace: IdKeys;
  readonly #values = new Map<number, V>();
  /** Ids whose hash an earlier id took. */
  #seconds: Map<string, V> | null = null;

  constructor(entries?: Iterable<readonly [string, V]>, keys: IdKeys = new IdKeys()) {
    this.keySpace = keys;
    if (entries) for (const [key, value] of entries) this.set(key, value);
  }

  get size(): number {
    return this.#values.size + (this.#seconds?.size ?? 0);
  }

  get(key: string): V | undefined {
    return this.getAt(this.keySpace.peek(key), key);
  }

  has(key: string): boolean {
    const slot = this.keySpace.peek(key);
    if (slot >= 0) return this.#values.has(slot);
    return slot === SECOND && (this.#seconds?.has(key) ?? false);
  }

  set(key: string, value: V): this {
    return this.setAt(this.keySpace.slot(key), key, value);
  }

  delete(key: string): boolean {
    return this.deleteAt(this.keySpace.peek(key), key);
  }

  /** get() with the key's slot already worked out (from keySpace.slot or peek). */
  getAt(slot: IdSlot, key: string): V | undefined {
    if (slot >= 0) return this.#values.get(slot);
    return slot === SECOND ? this.#seconds?.get(key) : undefined;
  }

  /** set() with the key's slot from keySpace.slot. */
  setAt(slot: IdSlot, key: string, value: V): this {
    if (slot >= 0) this.#values.set(slot, value);
    else if (slot === SECOND) (this.#seconds ??= new Map()).set(key, value);
    else throw new Error(`IdMap.setAt needs a slot from IdKeys.slot, not peek (id ${JSON.stringify(key)})`);
    return this;
  }

  deleteAt(slot: IdSlot, key: string): boolean {
    if (slot >= 0) return this.#values.delete(slot);
    return slot === SECOND && (this.#seconds?.delete(key) ?? false);
  }

  clear(): void {
    this.#values.clear();
    this.#seconds = null;
  }

  *keys(): IterableIterator<string> {
    for (const hash of this.#values.keys()) yield this.keySpace.ownerOf(hash)!;
    if (this.#seconds) yield* this.#seconds.keys();
  }

  *values(): IterableIterator<V> {
    yield* this.#values.values();
    if (this.#seconds) yield* this.#seconds.values();
  }

  *entries(): IterableIterator<[string, V]> {
    for (const [hash, value] of this.#values) yield [this.keySpace.ownerOf(hash)!, value];
    if (this.#seconds) yield* this.#seconds.entries();
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }
}

/**
 * An IdMap for values that carry their own id (a coding and its id, an
 * answer's codings and their answer id, a position and the id at it): the
 * value says which id holds its hash, so there is no IdKeys to consult and a
 * lookup is one small-integer Map read. Ids whose hash another id holds are
 * kept in lists per hash.
 */
export class IdIndex<V> {
  readonly #keyOf: (value: V) => string;
  readonly #values = new Map<number, V>();
  /** Values whose id shares its hash with the value in #values, by hash. */
  #seconds: Map<number, V[]> | null = null;
  #secondCount = 0;

  constructor(keyOf: (value: V) => string) {
    this.#keyOf = keyOf;
  }

  get size(): number {
    return this.#values.size + this.#secondCount;
  }

  get(key: string): V | undefined {
    const hash = idHash(key);
    const value = this.#values.get(hash);
    if (value === undefined) return undefined;
    if (this.#keyOf(value) === key) return value;
    return this.#seconds?.get(hash)?.find((v) => this.#keyOf(v) === key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Stores the value under its own id (keyOf(value)), replacing what was there. */
  put(value: V): this {
    const key = this.#keyOf(value);
    const hash = idHash(key);
    const held = this.#values.get(hash);
    if (held === undefined || this.#keyOf(held) === key) {
      this.#values.set(hash, value);
      return this;
    }
    const seconds = (this.#seconds ??= new Map<number, V[]>());
    const list = seconds.get(hash);
    const at = list ? list.findIndex((v) => this.#keyOf(v) === key) : -1;
    if (list && at >= 0) list[at] = value;
    else {
      if (list) list.push(value);
      else seconds.set(hash, [value]);
      this.#secondCount++;
    }
    return this;
  }

  delete(key: string): boolean {
    const hash = idHash(key);
    const held = this.#values.get(hash);
    if (held === undefined) return false;
    const list = this.#seconds?.get(hash);
    if (this.#keyOf(held) === key) {
      // A second value with this hash moves up, so #values always holds one when any exists.
      if (list?.length) {
        this.#values.set(hash, list.shift()!);
        this.#secondCount--;
        if (list.length === 0) this.#seconds!.delete(hash);
      } else this.#values.delete(hash);
      return true;
    }
    const at = list ? list.findIndex((v) => this.#keyOf(v) === key) : -1;
    if (!list || at < 0) return false;
    list.splice(at, 1);
    this.#secondCount--;
    if (list.length === 0) this.#seconds!.delete(hash);
    return true;
  }

  *values(): IterableIterator<V> {
    yield* this.#values.values();
    if (this.#seconds) for (const list of this.#seconds.values()) yield* list;
  }
}

/** FNV-1a over UTF-16 code units, as a signed 32-bit integer: fast, well spread for short ids, the same in every browser. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

/** FNV-1a cut to 30 bits, so the hash is a small integer (V8 boxes larger numbers). */
export function idHash(id: string): number {
  return fnv1a(id) & 0x3fffffff;
}
