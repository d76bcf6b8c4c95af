/**
 * Exports: CSV (long and wide), XLSX, the report (Markdown and HTML), the
 * codebook alone, and SVG charts. Pure functions from project data to text or
 * bytes: no DOM, so they run in a worker.
 */
export { coderFilter, type CoderSelection, type ExportCell, type ExportCoding, type ExportSource, type ExportTable, type ExportTheme } from './source';
export { CODE_PATH_SEPARATOR, ProjectLookup, type CodeRow } from './project-lookup';
export { codedText, sliceCodePoints } from './quote-text';
export { csvChunks, csvFileName, csvText, type CsvChunkOptions, type CsvTextOptions } from './csv-stream';
export {
  canRenameRespondents,
  renamesDistinctly,
  canRenameRows,
  everyCodingPlaced,
  LONG_COLUMNS,
  longCsvChunks,
  longCsvToString,
  longTable,
  type LongExportOptions,
} from './csv-long';
export { SUBCODES_SUFFIX, wideCsvChunks, wideCsvToString, wideTable, type WideExportOptions } from './csv-wide';
export { MAX_XLSX_CELL_TEXT, MAX_XLSX_COLUMNS, MAX_XLSX_ROWS, columnName, writeXlsx, xlsxCellText, type XlsxSheet } from './xlsx';
export { MAX_SHEET_NAME, sanitiseSheetNames } from './sheet-names';
export { dropIllegalXmlChars, escapeXml } from './xml-text';
export { codebookSheet, projectWorkbook, rowsOf } from './workbook-export';
export {
  NO_VALUE,
  coOccurrence,
  codeCounts,
  countsByGroup,
  themeAnswerCount,
  type CodeCount,
  type CountCell,
  type CountOptions,
  type CountTable,
  type GroupBy,
} from './counts';
export { codebookRows, type CodebookRow } from './codebook-rows';
export { codebookJson, codebookMarkdown, codebookTableMarkdown, type CodebookMarkdownOptions } from './codebook-export';
export { mdCell, mdInline, mdParagraph, mdTable } from './markdown-text';
export { defaultAttribution, type QuoteSource } from './report-model';
export { groupedBarChartSvg, heatmapSvg, type BarChartData, type HeatmapData } from './charts';
export {
  cellAlign,
  cellText,
  chosenSections,
  flatHeader,
  heading,
  headerRow,
  numberBlocks,
  paragraph,
  startsRightToLeft,
  tableColumnCount,
  type ChartBlock,
  type DocBlock,
  type DocCell,
  type DocHeaderCell,
  type DocRow,
  type DocRun,
  type DocSection,
  type HeadingBlock,
  type ListBlock,
  type ParagraphBlock,
  type QuoteBlock,
  type ReportDocument,
  type TableBlock,
} from './document';
export { documentMarkdown } from './document-markdown';
export {
  DEFAULT_REPORT_SETTINGS,
  REPORT_PARTS,
  REPORT_SECTIONS,
  buildWriteUpReport,
  roundAgreement,
  type ReportDimension,
  type ReportPartId,
  type ReportSectionId,
  type ReportSettings,
  type RoundAgreementResult,
  type WriteUpData,
  type WriteUpSource,
} from './write-up-report';
export { UnsafeChartError, documentHtml, inlineSvg } from './document-html';
export {
  DICTIONARY_HEADER,
  VariableNames,
  respondentMatrix,
  variableName,
  type MatrixColumn,
  type MatrixColumnKind,
  type RespondentMatrix,
  type RespondentMatrixOptions,
} from './respondent-matrix';
export { PRINT_DPI, PRINT_WIDTH_CM, PRINT_WIDTH_PX, pngDpi, printDpi, printScale, setPngDpi } from './png-dpi';
export { exportFile, encodeChunks } from './export-file';
export type { ExportKind, ExportSettings } from './export-settings';
