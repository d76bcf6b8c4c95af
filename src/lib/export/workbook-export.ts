/**
 * The project as one workbook: the long table (a row per coding), the wide
 * table (a row per answer, 0/1 per code) and the codebook, each on its sheet.
 */
import { codebookRows } from './codebook-rows';
import { codeCounts } from './counts';
import { longTable, type LongExportOptions } from './csv-long';
import { wideTable, type WideExportOptions } from './csv-wide';
import { ProjectLookup } from './project-lookup';
import type { ExportCell, ExportSource, ExportTable } from './source';
import { writeXlsx } from './xlsx';

function rowsOf(table: ExportTable): ExportCell[][] {
  return [table.header, ...table.rows];
}

/**
 * Sheets "Codings", "Answers" and "Codebook". The coder selection applies to
 * all three (the codebook's counts included); `includeSubcodes` to the
 * answers sheet and the counts.
 */
export function projectWorkbook(source: ExportSource, options: LongExportOptions & Omit<WideExportOptions, 'questionIds'> = {}): Uint8Array {
  const lookup = new ProjectLookup(source);
  const counts = codeCounts(source, { coder: options.coder, includeSubcodes: options.includeSubcodes }, lookup);
  const codebook: ExportCell[][] = [
    ['code', 'depth', 'definition', 'include when', 'exclude when', 'example', 'answers', 'codings', 'respondents'],
    ...codebookRows(source.codes, counts).map((r) => [
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
  return writeXlsx([
    { name: 'Codings', rows: rowsOf(longTable(source, options, lookup)) },
    { name: 'Answers', rows: rowsOf(wideTable(source, options, lookup)) },
    { name: 'Codebook', rows: codebook },
  ]);
}
