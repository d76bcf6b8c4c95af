/** Messages between the page and the search worker. */
export type ToSearchWorker =
  | { type: 'search'; requestId: number; projectId: string; questionId: string; query: string }
  | { type: 'ranges'; requestId: number; projectId: string; questionId: string; query: string; answerIds: string[] }
  /**
   * The page shows this question (a project opened, or another question was
   * chosen): prepare its answers for search now, then the project's others.
   */
  | { type: 'prepare'; projectId: string; questionId: string; questionIds: string[] }
  /** Answers changed (another import): drop the indexes of this project. */
  | { type: 'forget'; projectId: string }
  /** The user is scrolling or dragging (true) or has stopped (false): the background keying waits (lib/scheduling/hold-gate.ts). */
  | { type: 'hold'; held: boolean };

export type FromSearchWorker =
  /** No request id: a question's answers being keyed for search (done === total: ready); serves every search waiting for it. */
  | { type: 'indexing'; projectId: string; questionId: string; done: number; total: number }
  /**
   * mask[i] is 1 when the question's i-th answer (in loadAnswers order, the
   * order the page lists them) matches; its buffer is transferred, not copied.
   */
  | { type: 'results'; requestId: number; mask: Uint8Array; count: number; ms: number }
  | { type: 'ranges'; requestId: number; ranges: Record<string, [number, number][]> }
  | { type: 'error'; requestId: number; message: string };
