/** Messages between the page and the exchange worker (coder files and project files). Plain data only. */
import type { MergeReport } from '../lib/exchange';

export type ToExchangeWorker =
  | { type: 'export-coder'; requestId: number; projectId: string; coder: { id: string; name: string; color: string } }
  | { type: 'export-project'; requestId: number; projectId: string }
  /** A file the user chose: a coder file merges into `projectId`; a project file is restored (as a copy when asked). */
  | { type: 'import'; requestId: number; file: Blob; projectId: string | null; localCoder: { id: string; name: string } | null; asCopy: boolean };

export type FromExchangeWorker =
  | { type: 'progress'; requestId: number; phase: string }
  | { type: 'file'; requestId: number; fileName: string; mime: string; bytes: Uint8Array }
  | { type: 'coder-imported'; requestId: number; projectId: string; coderName: string; report: MergeReport; warnings: string[] }
  | { type: 'project-imported'; requestId: number; projectId: string; name: string }
  /** A project file whose project is already here: the page asks whether to restore it as a copy. */
  | { type: 'project-exists'; requestId: number; name: string }
  | { type: 'error'; requestId: number; message: string };
