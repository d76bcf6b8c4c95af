/** The analysis worker's message handling run in the test's own thread, over fake-indexeddb, for AnalysisState tests. */
import type { AnalysisWorkerLike } from '../../src/lib/state/analysis.svelte';
import type { AnalysisSession } from '../../src/workers/analysis-handler';
import type { FromAnalysisWorker, ToAnalysisWorker } from '../../src/workers/analysis-protocol';

export class InProcessAnalysisWorker implements AnalysisWorkerLike {
  onmessage: ((event: MessageEvent<FromAnalysisWorker>) => void) | null = null;
  /** Every message the page posted, in order. */
  posted: ToAnalysisWorker[] = [];
  constructor(private readonly session: AnalysisSession) {}

  postMessage(message: ToAnalysisWorker) {
    this.posted.push(message);
    if (message.type === 'hold') return;
    if (message.type === 'invalidate') return this.session.invalidate(message.projectId);
    const emit = (data: FromAnalysisWorker) => this.onmessage?.({ data } as MessageEvent<FromAnalysisWorker>);
    void this.session
      .handle(message, (phase, done, total) => emit({ type: 'progress', requestId: message.requestId, phase, done, total }))
      .then((reply) => emit(reply.message));
  }

  terminate() {}
}
