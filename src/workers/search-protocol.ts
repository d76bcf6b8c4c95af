/** Messages between the page and the search worker. */
export type ToSearchWorker =
  | { type: 'search'; requestId: number; projectId: string; questionId: string; query: string }
  | { type: 'ranges'; requestId: number; projectId: string; questionId: string; query: string; answerIds: string[] }
  /** Answers changed (another import): drop the indexes of this project. */
  | { type: 'forget'; projectId: string };

export type FromSearchWorker =
  | { type: 'indexing'; questionId: string; done: number; total: number }
  | { type: 'results'; requestId: number; answerIds: string[]; ms: number }
  | { type: 'ranges'; requestId: number; ranges: Record<string, [number, number][]> }
  | { type: 'error'; requestId: number; message: string };
