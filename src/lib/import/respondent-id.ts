/**
 * Where each row's respondent ID comes from, shared by validatePlan and
 * buildBatch so both read the same ID for a row.
 */

import { trimmed } from './blank';
import { sourceRowNumber } from './row-number';
import { cellReader } from './deferred-cells';
import type { ImportPlan, RespondentIdSource, SourceTable } from './types';

/** Joins the values of a combined ID; unlikely inside an email or a timestamp. */
export const COMBINED_ID_SEPARATOR = ' · ';

/**
 * Where the plan's respondent IDs come from. A column set to role "id" wins
 * over `idSource`: choosing a column as the ID in the preview means
 * `{ kind: 'column' }` even when the proposal was the row number.
 */
export function idSourceOf(plan: ImportPlan): RespondentIdSource {
  if (plan.columns.some((c) => c.role === 'id')) return { kind: 'column' };
  return plan.idSource ?? { kind: 'column' };
}

/**
 * Reads the respondent ID of row `r` (an index in `table.rows`); "" when it is
 * missing (a combined ID with any part blank counts as missing). For
 * `{ kind: 'column' }` the caller passes the ID column's index.
 */
export function respondentIdReader(table: SourceTable, source: RespondentIdSource, idColumn?: number): (row: string[], r: number) => string {
  if (source.kind === 'row-number') return (_row, r) => `Row ${sourceRowNumber(table, r)}`;
  const cell = cellReader(table);
  if (source.kind === 'combined') {
    const columns = source.columns;
    if (columns.length === 1) {
      const only = columns[0];
      return (row) => trimmed(cell(row, only) ?? '');
    }
    return (row) => {
      const parts: string[] = [];
      for (const c of columns) {
        const value = trimmed(cell(row, c) ?? '');
        if (!value) return '';
        parts.push(value);
      }
      return parts.join(COMBINED_ID_SEPARATOR);
    };
  }
  const index = idColumn ?? -1;
  return (row) => trimmed(cell(row, index) ?? '');
}

/** "the row number", "\"Email\"", "\"Timestamp\" + \"Name\"": for messages. */
export function describeIdSource(table: SourceTable, source: RespondentIdSource): string {
  if (source.kind === 'row-number') return 'the row number';
  if (source.kind === 'column') return 'the ID column';
  const byIndex = new Map(table.columns.map((c) => [c.index, c.key]));
  return source.columns.map((c) => `"${byIndex.get(c) ?? `column ${c + 1}`}"`).join(' + ');
}
