/** Messages between the page and the import worker. Plain data only: they cross postMessage. */
import type { ImportTarget, ImportSummary } from '../lib/db/commit-import';
import type { ImportPlan, SourceEncoding, SurveyFormat } from '../lib/import/types';
import type { ColumnSummary } from '../lib/import/describe-source';

/** A column of the preview: a few non-blank values, how many there are, distinct values up to a cap. */
export type ColumnPreview = ColumnSummary;

export interface SourcePreview {
  fileName: string;
  format: SurveyFormat;
  encoding: SourceEncoding;
  delimiter?: string;
  sheetNames?: string[];
  sheetName?: string;
  rowCount: number;
  columns: ColumnPreview[];
  notes: string[];
  /** Said while no column is a question: the proposal found no typed answers in the file (see nothingToCodeNote). */
  nothingToCode?: string;
  /** Responses the survey tool marks as unfinished, when the file says so: how many, and how they were told apart. */
  incomplete?: IncompletePreview;
}

export interface IncompletePreview {
  count: number;
  /** The column that tells, e.g. "submitdate". */
  columnKey: string;
  /** "no submit date". */
  rule: string;
}

export interface SampleFile {
  url: string;
  fileName: string;
  waveName: string;
}

/**
 * Background staging of a new project while the preview is read (import-staging.ts): sent without a request id,
 * stamped with the `stage` generation of the read or validate that asked for it.
 */
export interface StagingNotice {
  type: 'staging';
  generation: number;
  /** off: nothing staged (the target is an existing project, the plan has problems, or staging failed). */
  state: 'storing' | 'stored' | 'off';
  done: number;
  total: number;
}

/**
 * Requests carry a `requestId` and are answered with it; discard and cancel expect no reply. `stage`, when set,
 * asks for the plan to be staged as a new project in the background (its number stamps the StagingNotices);
 * absent, nothing is staged (an import into an existing project).
 */
export type ToImportWorker =
  | { type: 'read'; requestId: number; file: Blob; fileName: string; sheet?: string; stage?: number }
  | { type: 'validate'; requestId: number; plan: ImportPlan; stage?: number }
  /** Drop the parsed file: the user closed the preview. */
  | { type: 'discard' }
  | { type: 'commit'; requestId: number; plan: ImportPlan; target: ImportTarget }
  | { type: 'open-sample'; requestId: number; projectName: string; files: SampleFile[]; codebookUrl: string }
  /** Roll back the commit under way; it is answered `cancelled`. */
  | { type: 'cancel' };

export type FromImportWorker =
  | { type: 'progress'; requestId: number; phase: string; done: number; total: number }
  | {
      type: 'preview';
      requestId: number;
      preview: SourcePreview;
      plan: ImportPlan;
      problems: string[];
      readMs: number;
      /** Milliseconds per step of reading (bytes, parse, plan, validate, describe), for the bench. */
      phases: Record<string, number>;
    }
  | { type: 'validation'; requestId: number; problems: string[] }
  | { type: 'done'; requestId: number; summary: ImportSummary; buildMs: number; storeMs: number; phases: Record<string, number> }
  | { type: 'error'; requestId: number; message: string; row?: number }
  | { type: 'cancelled'; requestId: number }
  | StagingNotice;
