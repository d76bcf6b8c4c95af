/**
 * Messages between the page and the assistant worker. The page sends what the coder has coded (answer ids and
 * code positions, a few thousand at most: it holds the codings); the worker reads the texts itself, learns, and
 * answers with typed arrays over the open question's answers in `loadAnswers` order (the order the page lists
 * them), transferred rather than copied.
 */
import type { CodeQualityResult } from '../lib/assistant';

/** The coder's coded answers: `codes[i]` are positions in the request's `codeIds` (empty: coded, none of these codes). */
export interface LabelledAnswers {
  answerIds: string[];
  codes: number[][];
}

export interface AssistantSuggestRequest {
  type: 'suggest';
  requestId: number;
  projectId: string;
  questionId: string;
  /** The project's waves in order: the answers' order is loadAnswers'. */
  waveOrder: string[];
  codeIds: string[];
  labelled: LabelledAnswers;
  seed: number;
  /** The share of the "next to code" queue drawn at random (0..1), so estimates from it stay unbiased. */
  randomShare: number;
}

export interface AssistantQualityRequest {
  type: 'quality';
  requestId: number;
  projectId: string;
  codeIds: string[];
  labelled: LabelledAnswers;
  /** Another person's codings of some of the same answers (a double-coded round), for the human–human κ beside the assistant's. */
  peer: (LabelledAnswers & { coderName: string }) | null;
  seed: number;
}

export type ToAssistantWorker =
  | AssistantSuggestRequest
  | AssistantQualityRequest
  /** A cancel expects no reply of its own: the request it names answers `cancelled`. */
  | { type: 'cancel'; requestId: number }
  /** Answers changed (an import): drop what is kept of this project. */
  | { type: 'forget'; projectId: string };

export type AssistantPhase = 'reading' | 'features' | 'training' | 'predicting' | 'validating';

export interface AssistantSuggestions {
  type: 'suggestions';
  requestId: number;
  questionId: string;
  /** The question's answers, in loadAnswers order. */
  answerCount: number;
  /** The request's codes, in its order; `probabilities` has one column per code. */
  codeIds: string[];
  /** answerCount × codeIds.length, row by row: the calibrated probability that the coder would apply the code. */
  probabilities: Float32Array;
  /** 1 where the assistant would apply the code to the answer (same layout). */
  decisions: Uint8Array;
  /** Codes the model learned (1) or not (0: too few answers coded with it yet). */
  trained: Uint8Array;
  /** Whether the coder's coding looked single-label (one code per answer), so the codes were treated as exclusive. */
  exclusive: boolean;
  /** The coded answers it learned from. */
  trainedOn: number;
  /** "Next to code": positions of the uncoded answers in the order to code them. */
  queue: Int32Array;
  /** 1 where the queue's entry was drawn at random, 0 where for the assistant's uncertainty. */
  queueRandom: Uint8Array;
  timing: { readMs: number; featuresMs: number; trainMs: number; predictMs: number };
}

/** One code's quality (lib/assistant/quality.ts), with the code it is of. */
export interface CodeQuality extends CodeQualityResult {
  codeId: string;
}

export interface AssistantQuality {
  type: 'quality';
  requestId: number;
  codes: CodeQuality[];
  exclusive: boolean;
  folds: number;
  /** Coded answers validated on. */
  answers: number;
  /** Answers the peer and the coder both coded. */
  peerAnswers: number;
  peerName: string | null;
}

export type FromAssistantWorker =
  | { type: 'progress'; requestId: number; phase: AssistantPhase; done: number; total: number }
  | AssistantSuggestions
  | AssistantQuality
  | { type: 'cancelled'; requestId: number }
  | { type: 'error'; requestId: number; message: string };
