/** What an export is and how it is made: the choices the Export tab sends to the analysis worker. */
import type { CoderChoice, CountsOptions, CrosstabOptions } from '../analysis/view-types';
import type { QdpxOffsets } from '../refi';
import type { ReportSettings } from './write-up-report';

export type ExportKind =
  | 'long-csv'
  | 'wide-csv'
  | 'counts-csv'
  | 'crosstab-csv'
  | 'xlsx'
  | 'report-md'
  | 'report-html'
  | 'codebook-md'
  | 'codebook-json'
  | 'qdc'
  | 'qdpx'
  | 'report-docx'
  /** The respondent × code 0/1 table and its data dictionary, two CSVs in a .zip (respondent-matrix.ts). */
  | 'respondent-matrix-csv'
  /** The key to the pseudonyms (respondent ID, role, pseudonym): it re-identifies respondents, so it is a file of its own. */
  | 'pseudonym-key-csv';

export interface ExportSettings {
  /** Whose codings: 'all' lists every coding in the long CSV (the coder column tells them apart) and counts any coder elsewhere. */
  coders: CoderChoice;
  /** Wide CSV, workbook, report and codebook counts: a parent counts its subcodes. */
  includeSubcodes: boolean;
  /** Start CSV files with a byte order mark, so Excel reads them as UTF-8. */
  bom: boolean;
  /** The Counts tab's table, for counts-csv and the workbook. */
  counts: CountsOptions;
  /** The Crosstab tab's table, for crosstab-csv and the workbook ('' attribute: none). */
  crosstab: CrosstabOptions;
  /** The attribute that names a quote's speaker (report), or null. */
  attributionAttribute: string | null;
  /**
   * The respondent column of the CSV files and the workbook: pseudonyms ("Mentee 7", the default) for files an
   * author shares, or the raw IDs for their own analysis. Backups and .qdpx always keep the raw IDs.
   */
  respondentIds?: 'pseudonyms' | 'raw';
  /**
   * CSV files: prefix text a spreadsheet would run as a formula with an apostrophe (default true). False writes
   * every text verbatim, for R or SPSS, and names the file "…-raw.csv".
   */
  neutraliseFormulas?: boolean;
  /** How a .qdpx counts offsets: the standard's code points (default) or NVivo's UTF-16 units with CR LF line ends. */
  qdpxOffsets?: QdpxOffsets;
  /** The report's sections, parts, dimensions, unit and quotes (report-md, report-html, report-docx); the defaults when absent. */
  report?: ReportSettings;
}
