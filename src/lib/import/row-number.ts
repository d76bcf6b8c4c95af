import type { SourceTable } from './types';

/** Spreadsheet-style (1-based, header rows counted) row number of `table.rows[index]`, for messages. */
export function sourceRowNumber(table: Pick<SourceTable, 'firstRowNumber' | 'rowNumbers'>, index: number): number {
  return table.rowNumbers ? table.rowNumbers[index] : table.firstRowNumber + index;
}
