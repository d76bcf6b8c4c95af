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
 * Which id a hash stands for lives in an IdKeys, which maps that share a key
 * space (the coding index's) can share, so each id is remembered once. Two ids
 * with the same hash are rare (tens in a million); the second is kept in a
 * small list per hash. Iteration is in insertion order, except that such ids
 * come last.
 */
export class IdMap<V> {
  readonly #ids: IdKeys;
  readonly #values = new Map<number, V>();
  /** Ids whose hash another id owns, by hash. */
  #others: Map<number, [string, V][]> | null = null;
  #otherCount = 0;

  constructor(entries?: Iterable<readonly [string, V]>, ids: IdKeys = new IdKeys()) {
    this.#ids = ids;
    if (entries) for (const [key, value] of entries) this.set(key, value);
  }

  get size(): number {
    return this.#values.size + this.#otherCount;
  }

  get(key: string): V | undefined {
    const hash = idHash(key);
    const owner = this.#ids.ownerOf(hash);
    if (owner === key) return this.#values.get(hash);
    if (owner === undefined || !this.#others) return undefined;
    return this.#others.get(hash)?.find((entry) => entry[0] === key)?.[1];
  }

  has(key: string): boolean {
    const hash = idHash(key);
    const owner = this.#ids.ownerOf(hash);
    if (owner === key) return this.#values.has(hash);
    if (owner === undefined || !this.#others) return false;
    return this.#others.get(hash)?.some((entry) => entry[0] === key) ?? false;
  }

  set(key: string, value: V): this {
    const hash = idHash(key);
    if (this.#ids.claim(hash, key)) {
      this.#values.set(hash, value);
      return this;
    }
    const others = (this.#others ??= new Map<number, [string, V][]>());
    const bucket = others.get(hash);
    const entry = bucket?.find((e) => e[0] === key);
    if (entry) entry[1] = value;
    else {
      if (bucket) bucket.push([key, value]);
      else others.set(hash, [[key, value]]);
      this.#otherCount++;
    }
    return this;
  }

  delete(key: string): boolean {
    const hash = idHash(key);
    const owner = this.#ids.ownerOf(hash);
    if (owner === key) return this.#values.delete(hash);
    const bucket = owner === undefined ? undefined : this.#others?.get(hash);
    const at = bucket ? bucket.findIndex((e) => e[0] === key) : -1;
    if (!bucket || at < 0) return false;
    bucket.splice(at, 1);
    if (bucket.length === 0) this.#others!.delete(hash);
    this.#otherCount--;
    return true;
  }

  clear(): void {
    this.#values.clear();
    this.#others = null;
    this.#otherCount = 0;
  }

  *keys(): IterableIterator<string> {
    for (const hash of this.#values.keys()) yield this.#ids.ownerOf(hash)!;
    if (this.#others) for (const bucket of this.#others.values()) for (const [key] of bucket) yield key;
  }

  *values(): IterableIterator<V> {
    yield* this.#values.values();
    if (this.#others) for (const bucket of this.#others.values()) for (const [, value] of bucket) yield value;
  }

  *entries(): IterableIterator<[string, V]> {
    for (const [hash, value] of this.#values) yield [this.#ids.ownerOf(hash)!, value];
    if (this.#others) for (const bucket of this.#others.values()) for (const [key, value] of bucket) yield [key, value];
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }
}

/**
 * Which id each hash stands for: the first id stored under it. An id keeps
 * its hash for the life of the IdKeys, so maps sharing it agree on which ids
 * are the rare second ones.
 */
export class IdKeys {
  readonly #owners = new Map<number, string>();

  /** A new, empty map over these keys. */
  map<V>(): IdMap<V> {
    return new IdMap<V>(undefined, this);
  }

  ownerOf(hash: number): string | undefined {
    return this.#owners.get(hash);
  }

  /** Whether the id owns the hash (taking it when nobody does). */
  claim(hash: number, id: string): boolean {
    const owner = this.#owners.get(hash);
    if (owner === undefined) {
      this.#owners.set(hash, id);
      return true;
    }
    return owner === id;
  }
}

/** FNV-1a, cut to 30 bits so the hash is a small integer (V8 boxes larger numbers). */
export function idHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash & 0x3fffffff;
}
