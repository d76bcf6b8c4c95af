/**
 * What the import preview shows of each column before the user decides: a few
 * sample values, how many rows fill it and how many different values it has.
 */

import { isBlank } from './blank';
import { cellReader } from './deferred-cells';
import type { SourceTable } from './types';

/** Sample values shown per column. */
const SAMPLE_VALUES = 4;
/** Past this many different values a column is "varied" and counting on costs more than it tells. */
export const DISTINCT_SHOWN = 1000;

export interface ColumnSummary {
  index: number;
  key: string;
  label: string;
  samples: string[];
  nonBlank: number;
  distinct: number;
  distinctCapped: boolean;
}

export function describeColumns(source: SourceTable): ColumnSummary[] {
  const { columns, rows } = source;
  const cell = cellReader(source);
  const width = columns.length;
  const samples = columns.map((): string[] => []);
  const distinct = columns.map(() => new Set<string>());
  const nonBlank = new Array<number>(width).fill(0);
  // Once every column has its samples and more distinct values than are counted, only blanks are left to count.
  let open = width;
  const full = new Array<boolean>(width).fill(false);
  // One pass over the rows (not one per column): each row is read once, and deferred cells are decoded only
  // while their column still needs values.
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let i = 0; i < width; i++) {
      const index = columns[i].index;
      if (isBlank(row[index])) continue;
      nonBlank[i]++;
      if (full[i]) continue;
      const value = cell(row, index)!;
      const seen = distinct[i];
      if (seen.size <= DISTINCT_SHOWN) seen.add(value);
      const shown = samples[i];
      if (shown.length < SAMPLE_VALUES && !shown.includes(value)) shown.push(value.slice(0, 200));
      if (seen.size > DISTINCT_SHOWN && shown.length >= SAMPLE_VALUES) {
        full[i] = true;
        open--;
      }
    }
    if (open === 0) {
      // Only counting is left.
      for (let rest = r + 1; rest < rows.length; rest++) {
        const later = rows[rest];
        for (let i = 0; i < width; i++) if (!isBlank(later[columns[i].index])) nonBlank[i]++;
      }
      break;
    }
  }
  return columns.map((column, i) => ({
    index: column.index,
    key: column.key,
    label: column.label,
    samples: samples[i],
    nonBlank: nonBlank[i],
    distinct: Math.min(distinct[i].size, DISTINCT_SHOWN),
    distinctCapped: distinct[i].size > DISTINCT_SHOWN,
  }));
}
