/**
 * The canonical text of an exchange document. The same data always gives the
 * same bytes (export → import → export is byte-identical), because every
 * object is built with a fixed key order, arrays without a meaningful order
 * are sorted by id, and string-keyed maps are written with sorted keys.
 *
 * Layout: one top-level field per line, and one list item (or map entry) per
 * line written compactly. A 150 MB project stays line-oriented, so a diff or
 * a text editor can handle it, without the size pretty-printing every nested
 * field would add.
 */

import { nameKeyedFrom } from '../model/name-keyed';

/** Code-unit order: the same in every browser and locale, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortById<T extends { id: string }>(items: readonly T[]): T[] {
  return items.slice().sort((a, b) => compareText(a.id, b.id));
}

/**
 * A copy with keys inserted in sorted order, on a null prototype: a key such as
 * "__proto__" stays data, and reading "constructor" finds nothing inherited.
 */
export function sortedRecord<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return nameKeyedFrom(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}

/** A top-level map written one entry per line (e.g. the answer fingerprints). */
export class LinesMap {
  constructor(readonly entries: Record<string, unknown>) {}
}

export type TopLevelValue = unknown[] | LinesMap | string | number | boolean | null | object;

function block(open: string, close: string, lines: string[]): string {
  return lines.length === 0 ? open + close : `${open}\n    ${lines.join(',\n    ')}\n  ${close}`;
}

/** The document text: `fields` in the order given, ending with a newline. */
export function writeCanonical(fields: ReadonlyArray<readonly [string, TopLevelValue]>): string {
  const lines = fields.map(([key, value]) => {
    let written: string;
    if (Array.isArray(value))
      written = block(
        '[',
        ']',
        value.map((item) => JSON.stringify(item)),
      );
    else if (value instanceof LinesMap) {
      written = block(
        '{',
        '}',
        Object.entries(value.entries).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`),
      );
    } else written = JSON.stringify(value);
    return `  ${JSON.stringify(key)}: ${written}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}
