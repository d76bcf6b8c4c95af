/** Messages between the page and the import worker. Plain data only: they cross postMessage. */
import type { ImportTarget, ImportSummary } from '../lib/db/commit-import';
import type { ImportPlan, SourceEncoding, SurveyFormat } from '../lib/import/types';

export interface ColumnPreview {
  index: number;
  key: string;
  label: string;
  /** A few non-blank values, for the preview table. */
  samples: string[];
  nonBlank: number;
  /** Distinct non-blank values, counted up to a cap. */
  distinct: number;
  distinctCapped: boolean;
}

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
}

export interface SampleFile {
  url: string;
  fileName: string;
  waveName: string;
}

export type ToImportWorker =
  | { type: 'read'; file: Blob; fileName: string; sheet?: string }
  | { type: 'validate'; plan: ImportPlan }
  /** Drop the parsed file: the user closed the preview. */
  | { type: 'discard' }
  | { type: 'commit'; plan: ImportPlan; target: ImportTarget }
  | { type: 'open-sample'; projectName: string; files: SampleFile[]; codebookUrl: string }
  | { type: 'cancel' };

export type FromImportWorker =
  | { type: 'progress'; phase: string; done: number; total: number }
  | {
      type: 'preview';
      preview: SourcePreview;
      plan: ImportPlan;
      problems: string[];
      readMs: number;
      /** Milliseconds per step of reading (bytes, parse, plan, validate, describe), for the bench. */
      phases: Record<string, number>;
    }
  | { type: 'validation'; problems: string[] }
  | { type: 'done'; summary: ImportSummary; buildMs: number; storeMs: number; phases: Record<string, number> }
  | { type: 'error'; message: string; row?: number }
  | { type: 'cancelled' };
