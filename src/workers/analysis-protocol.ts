/**
 * Messages between the page and the analysis worker. Plain data only.
 *
 * Every request names the project and the coding workspace's `version` (bumped
 * on every change to codes, codings and themes): the worker keeps the project
 * in memory between requests and re-reads its codes, codings, coders and
 * themes when the version differs, so a page never has to say "changed" for
 * codings. `invalidate` drops everything of a project (an import added answers).
 *
 * Results carry counts, not the ids behind every cell (200k ids would cost more
 * to post than the counts take to compute): opening a cell is an `answers`
 * request that names the cell, and the worker works its ids out again.
 */
import type {
  CountsOptions,
  CrosstabOptions,
  CooccurrenceOptions,
  WaveChangeOptions,
  AnswerSelect,
  WordScope,
  CoderChoice,
  AnalysisResult,
  PrevalenceRequestOptions,
  DyadsOptions,
  TransitionsOptions,
} from '../lib/analysis/view-types';
import type { Target } from '../lib/analysis';
import type { ViewFilter } from '../lib/analysis/view-filter';
import type { ExportKind, ExportSettings } from '../lib/export/export-settings';
import type { LongCsvSettings } from '../lib/export/export-file';
import type { ExchangeCode, ExchangeTheme } from '../lib/exchange';
import type { RefiReport } from '../lib/refi';
import type { ReportDocument } from '../lib/export/document';

export type * from '../lib/analysis/view-types';
export type { ExportKind, ExportSettings } from '../lib/export/export-settings';

interface Envelope {
  requestId: number;
  projectId: string;
  /** The coding workspace's version when the request was made. */
  version: number;
  /** Re-read the codings even if the version is the one read (the page has just stored a change of its own). */
  reread?: boolean;
  /**
   * Blind: the one coder whose codings, memos and name the answer may rest on. The worker answers from a copy of
   * the project holding only this coder's work, whatever the request's coder choices say ('' shows nobody's).
   */
  blindCoderId?: string;
  /** The filter bar: the request is answered over the project as it narrows it (lib/analysis/view-filter.ts). */
  filter?: ViewFilter;
}

/**
 * The request with every coder choice in it set to this coder: the page's options may still name a coder
 * chosen before blind mode was turned on, and neither the page nor the worker may act on it.
 */
export function restrictCoderChoices<T>(value: T, coderId: string): T {
  const own: CoderChoice = { kind: 'coder', coderId };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object' || v instanceof Blob) return v;
    return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, k === 'coders' && isCoderChoice(inner) ? own : walk(inner)]));
  };
  return walk(value) as T;
}

function isCoderChoice(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { kind?: unknown }).kind === 'string';
}

export type ToAnalysisWorker =
  /**
   * Read the project and index it now, so the first table is quick. `background`: asked ahead of the view (the app's
   * warm-up once the project is open), held at its checkpoints while the user is busy (see 'hold').
   */
  | (Envelope & {
      type: 'warm';
      background?: boolean;
      /** Also make the long CSV's rows ahead for these settings (the Export tab shows): the click then only writes. */
      longCsv?: LongCsvSettings;
    })
  | (Envelope & { type: 'counts'; options: CountsOptions })
  | (Envelope & { type: 'crosstab'; options: CrosstabOptions })
  | (Envelope & { type: 'cooccurrence'; options: CooccurrenceOptions })
  | (Envelope & { type: 'wave-change'; options: WaveChangeOptions })
  /** The write-up tables (lib/analysis/write-up-views.ts): prevalence by up to two dimensions, pairs, transitions. */
  | (Envelope & { type: 'prevalence'; options: PrevalenceRequestOptions })
  | (Envelope & { type: 'dyads'; options: DyadsOptions })
  | (Envelope & { type: 'transitions'; options: TransitionsOptions })
  | (Envelope & { type: 'answers'; select: AnswerSelect; offset: number; limit: number })
  | (Envelope & { type: 'words'; scope: WordScope; limit: number })
  | (Envelope & { type: 'kwic'; scope: WordScope; word: string; limit: number })
  | (Envelope & { type: 'distinctive'; target: Target; coders: CoderChoice; questionId: string | null; limit: number })
  | (Envelope & { type: 'quotes'; by: 'code' | 'theme'; coders: CoderChoice; attributionAttribute: string | null })
  | (Envelope & { type: 'export'; kind: ExportKind; settings: ExportSettings })
  /** A REFI-QDA codebook to read (the page adds its codes through the workspace). */
  | (Envelope & { type: 'read-qdc'; file: Blob; fileName: string })
  /** A REFI-QDA project to restore as a project of its own. */
  | { type: 'import-qdpx'; requestId: number; file: Blob; fileName: string; asCopy: boolean }
  /** A REFI-QDA codebook to make a new project of (from the start page); the reply is 'qdpx-imported'. */
  | { type: 'import-qdc-project'; requestId: number; file: Blob; fileName: string }
  /** The project's answers changed (an import): forget everything read of it. */
  | { type: 'invalidate'; projectId: string }
  /** The user is scrolling or dragging (true) or has stopped (false): background work waits (lib/scheduling/hold-gate.ts). */
  | { type: 'hold'; held: boolean };

export type AnalysisRequest = Exclude<ToAnalysisWorker, { type: 'invalidate' } | { type: 'hold' }>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A request about a project without its envelope (what the page fills in). */
export type AnalysisRequestBody = DistributiveOmit<
  Exclude<AnalysisRequest, { type: 'import-qdpx' | 'import-qdc-project' }>,
  'requestId' | 'projectId' | 'version' | 'reread' | 'blindCoderId' | 'filter'
>;

export type FromAnalysisWorker =
  | { type: 'progress'; requestId: number; phase: string; done: number; total: number }
  /** `ms`: the worker's time for the request, reading included. */
  | { type: 'result'; requestId: number; result: AnalysisResult; ms: number }
  /** `bytes`: a Blob when the worker wrote the file piece by piece (the long CSV), so it never sits in the heap whole. */
  | { type: 'file'; requestId: number; fileName: string; mime: string; bytes: Uint8Array | Blob; ms: number }
  /** The report as a document, for the page to draw its charts and pack as Word (report-docx). */
  | { type: 'document'; requestId: number; fileName: string; document: ReportDocument; ms: number }
  | { type: 'qdc'; requestId: number; fileName: string; codes: ExchangeCode[]; themes: ExchangeTheme[]; warnings: string[] }
  | { type: 'qdpx-imported'; requestId: number; projectId: string; name: string; report: RefiReport }
  /** A .qdpx of a project already in this browser: the page offers to restore it as a copy. */
  | { type: 'project-exists'; requestId: number; name: string }
  | { type: 'error'; requestId: number; message: string };
