/** Messages between the page and the exchange worker (coder files and project files). Plain data only. */
import type { MergeReport } from '../lib/exchange';

/** What the user chose the file as: the Share dialog takes coder files, the start page project files. */
export type ExchangeIntent = 'coder' | 'project';

export type ToExchangeWorker =
  | { type: 'export-coder'; requestId: number; projectId: string; coder: { id: string; name: string; color: string } }
  /** The whole project (the backup); with `secondCoder`, the file a second coder starts from (lib/exchange/second-coder.ts). */
  | { type: 'export-project'; requestId: number; projectId: string; secondCoder?: { roundId: string | null } }
  /**
   * A file the user chose as `intent`: a coder file merges into `projectId`; a project file is restored (as a copy
   * when asked). A file of the other kind is refused. A coder file under the user's own coder id is only merged
   * once `ownCoderConfirmed`; until then the worker answers 'own-coder-file'.
   */
  | {
      type: 'import';
      requestId: number;
      file: Blob;
      intent: ExchangeIntent;
      projectId: string | null;
      localCoder: { id: string; name: string } | null;
      asCopy: boolean;
      ownCoderConfirmed: boolean;
    };

export type FromExchangeWorker =
  | { type: 'progress'; requestId: number; phase: string }
  /** `warning`: the file was written but this version of Codebench could not open it again (over the size limit). */
  | { type: 'file'; requestId: number; fileName: string; mime: string; bytes: Uint8Array; warning?: string }
  | { type: 'coder-imported'; requestId: number; projectId: string; coderName: string; asYours: boolean; report: MergeReport; warnings: string[] }
  /** `secondCoder`: the file was written for a second coder, who is asked their name and codes blind (on the round, if one). */
  | { type: 'project-imported'; requestId: number; projectId: string; name: string; warnings: string[]; secondCoder?: { roundId: string | null } }
  /** A project file whose project is already here: the page asks whether to restore it as a copy. */
  | { type: 'project-exists'; requestId: number; name: string }
  /** A coder file carrying the user's own coder id: nothing was stored; the page asks before importing it as theirs. */
  | { type: 'own-coder-file'; requestId: number; fileCoderName: string; codings: number; memos: number }
  | { type: 'error'; requestId: number; message: string };
