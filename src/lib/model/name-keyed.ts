/**
 * Objects keyed by names people give (attribute columns, wave ids, code
 * names…). A plain `{}` inherits from Object.prototype, so a column called
 * `__proto__` is swallowed by the prototype setter and one called
 * `constructor` or `toString` reads back a function before it is ever set.
 * These helpers keep such names ordinary: records are built on a null
 * prototype and read through their own properties only.
 *
 * Records read back from IndexedDB, a worker message or JSON.parse have
 * Object.prototype again (structured clone and JSON make ordinary objects), so
 * read them with {@link ownValue}, never `record[name]`.
 */

/** An empty record with no prototype: every key, `__proto__` included, is an ordinary own property. */
export function nameKeyed<V>(): Record<string, V> {
  return Object.create(null) as Record<string, V>;
}

/** A null-prototype record from entries (later entries win, as with Object.fromEntries). */
export function nameKeyedFrom<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const record = nameKeyed<V>();
  // Assignment on a null-prototype object defines an own property even for "__proto__".
  for (const [key, value] of entries) record[key] = value;
  return record;
}

/** The record's own value for a name, or undefined: never something inherited from Object.prototype. */
export function ownValue<V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A null-prototype copy of a record's own entries: safe to read and write by any name. */
export function nameKeyedCopy<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return nameKeyedFrom(Object.entries(record));
}
