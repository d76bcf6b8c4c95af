/**
 * Messages between the page and the agreement worker. Only plain data crosses:
 * the page sends `$state.snapshot`s, the worker sends tables of numbers and
 * strings (statistics as `{ value }` or `{ undefined, reason }`, never NaN).
 *
 * A computation answers in two steps: `result` (the answer-level table, the
 * disagreement queue and the export rows) as soon as it is ready, then `spans`
 * (passage level), so the table is not held up by the slower passage step.
 */
import type { AgreementTable } from '../lib/agreement/answer-agreement';
import type { CodeGroup, DisagreementDetail, DisagreementQueueData, PackedDisagreements, SpanRow, UncodedAs } from '../lib/agreement/compute-request';
import type { AnswerScope, ScopeSummary } from '../lib/agreement/scope';

export interface AgreementComputeRequest {
  type: 'compute';
  requestId: number;
  projectId: string;
  /** Two or more; passages and the disagreement queue compare the first two. */
  coderIds: string[];
  /** The codes compared, in display order. */
  codeIds: string[];
  /** For codes compared with their subcodes: the ids that count as the code (itself included). */
  codeGroups: CodeGroup[];
  scope: AnswerScope;
  uncodedAs: UncodedAs;
  /** Passages match when their overlap (shared ÷ either) is at least this, 0..1. */
  spanThreshold: number;
  bootstrapSamples: number;
  bootstrapSeed?: number;
  /** Sent in blind mode: the worker refuses (agreement rests on other coders' codings), should a request ever get this far. */
  blind?: boolean;
}

/** A cancel expects no reply of its own: the computation it names answers `cancelled`. */
export type ToAgreementWorker =
  | AgreementComputeRequest
  | { type: 'cancel'; requestId: number }
  /**
   * The texts of queued disagreements beyond the first details (the queue lists them all): from the last
   * computation's, or read from the project when this worker did not compute them (it is stopped when the view is left).
   */
  | { type: 'queue-texts'; requestId: number; projectId: string; answerIds: string[] };

export type AgreementPhase = 'loading-answers' | 'loading-codings' | 'answer-level' | 'span-level';

export interface AgreementTiming {
  /** Reading the overview, respondents, answers and codings from IndexedDB. */
  loadMs: number;
  /** Scope, sample, answer-level table, queue and export rows (no IndexedDB). */
  computeMs: number;
  /** From the request's arrival in the worker to this message. */
  ms: number;
  /** computeMs step by step (scope, prepare, table, queue, rows), for the bench. */
  steps?: Record<string, number>;
}

export interface AgreementAnswerLevel {
  table: AgreementTable;
  groups: CodeGroup[];
  scope: ScopeSummary;
  queue: DisagreementQueueData;
  /** Every answer × code where the chosen coders differ, for the export (typed arrays, transferred). */
  disagreements: PackedDisagreements;
  timing: AgreementTiming;
}

export interface AgreementSpanLevel {
  spans: SpanRow[];
  /** Passage-level computation alone. */
  spanMs: number;
  /** From the request's arrival to this message. */
  ms: number;
}

export type FromAgreementWorker =
  | { type: 'progress'; requestId: number; phase: AgreementPhase; done: number; total: number }
  | { type: 'result'; requestId: number; result: AgreementAnswerLevel }
  | { type: 'spans'; requestId: number; result: AgreementSpanLevel }
  | { type: 'cancelled'; requestId: number }
  | { type: 'queue-texts'; requestId: number; details: DisagreementDetail[] }
  | { type: 'error'; requestId: number; message: string };
