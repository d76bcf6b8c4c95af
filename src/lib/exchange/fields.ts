/**
 * Typed readers for one field of a parsed document. Each throws an
 * ExchangeError that names the field's path ("codings[12].start") and what was
 * found there, so a damaged or hand-edited file can be fixed from the message.
 */
import { ExchangeError, describe } from './exchange-error';

export type Obj = Record<string, unknown>;

const HEX6 = /^#[0-9a-fA-F]{6}$/;

function fail(where: string, expected: string, value: unknown): never {
  throw new ExchangeError(`${where} must be ${expected}, but it is ${describe(value)}.`, where);
}

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readObject(value: unknown, where: string): Obj {
  if (!isObject(value)) fail(where, 'an object', value);
  return value;
}

export function readList(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) fail(where, 'a list', value);
  return value;
}

export function readText(value: unknown, where: string): string {
  if (typeof value !== 'string') fail(where, 'text', value);
  return value;
}

/** Ids are compared exactly, so " a" and "a" differ; only the empty id is refused. */
export function readId(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') fail(where, 'non-empty text', value);
  return value;
}

export function readNullableId(value: unknown, where: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || value === '') fail(where, 'non-empty text or null', value);
  return value;
}

/** Counts, orders, offsets and millisecond timestamps. */
export function readWhole(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(where, 'a whole number ≥ 0', value);
  return value === 0 ? 0 : value; // -0 would read back from JSON as 0
}

export function readColor(value: unknown, where: string): string {
  if (typeof value !== 'string' || !HEX6.test(value)) fail(where, 'a colour of the form "#rrggbb"', value);
  return value;
}

// Date-time with a zone, as Date.prototype.toISOString writes it (offsets accepted too).
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function readIsoDateTime(value: unknown, where: string): string {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    fail(where, 'a date and time such as "2025-03-01T09:30:00.000Z"', value);
  }
  return value;
}

/** Throws on the second item with an id already seen; returns the ids. */
export function uniqueIds(ids: readonly string[], where: (index: number) => string, what = 'id'): Set<string> {
  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
    const first = seen.get(id);
    if (first !== undefined) {
      throw new ExchangeError(`${where(index)}: the ${what} ${JSON.stringify(id)} is already used by ${where(first)}.`, where(index));
    }
    seen.set(id, index);
  });
  return new Set(seen.keys());
}
