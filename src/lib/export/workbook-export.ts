/**
 * The project as one workbook: the long table (a row per coding), the wide
 * table (a row per answer, 0/1 per code) and the codebook, each on its sheet.
 */
import { codebookRows } from './codebook-rows';
import { codeCounts } from './counts';
import { longTable, type LongExportOptions } from './csv-long';
import { wideTable, type WideExportOptions } from './csv-wide';
import { ProjectLookup } from './project-lookup';
import type { CodeCount } from './counts';
import type { ExportCell, ExportSource, ExportTable } from './source';
import { writeXlsx } from './xlsx';

/** A table as sheet rows, its header first. */
export function rowsOf(table: ExportTable): ExportCell[][] {
  return [table.header, ...table.rows];
}

/** The "Codebook" sheet: each code's path, definition and counts, in tree order. */
export function codebookSheet(codes: Parameters<typeof codebookRows>[0], counts: ReadonlyMap<string, CodeCount>): ExportCell[][] {
  return [
    ['code', 'depth', 'definition', 'include when', 'exclude when', 'example', 'answers', 'codings', 'respondents'],
    ...codebookRows(codes, counts).map((r) => [
      r.path,
      r.depth,
      r.definition,
      r.inclusion,
      r.exclusion,
      r.example,
      r.count?.answers ?? 0,
      r.count?.codings ?? 0,
      r.count?.respondents ?? 0,
    ]),
  ];
}

/**
 * Sheets "Codings", "Answers" and "Codebook". The coder selection applies to
 * all three (the codebook's counts included); `includeSubcodes` to the
 * answers sheet and the counts.
 */
export function projectWorkbook(source: ExportSource, options: LongExportOptions & Omit<WideExportOptions, 'questionIds'> = {}): Uint8Array {
  const lookup = new ProjectLookup(source);
  const counts = codeCounts(source, { coder: options.coder, includeSubcodes: options.includeSubcodes }, lookup);
  return writeXlsx([
    { name: 'Codings', rows: rowsOf(longTable(source, options, lookup)) },
    { name: 'Answers', rows: rowsOf(wideTable(source, options, lookup)) },
    { name: 'Codebook', rows: codebookSheet(source.codes, counts) },
  ]);
}
