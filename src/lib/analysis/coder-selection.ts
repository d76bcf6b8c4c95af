/**
 * Whose codings a view counts. With several coders an answer counts as coded
 * when any of them coded it (a union): "how many answers did anyone see this
 * in". Counting codings adds every selected coder's codings.
 */
import { CONSENSUS_CODER_ID, FINAL_CODER_ID } from '../model/types';
import type { AnalysisIndex } from './analysis-index';

export type CoderSelection =
  /** One coder's codings. */
  | { kind: 'coder'; coderId: string }
  /** The adjudicated codings, kept under {@link CONSENSUS_CODER_ID}. */
  | { kind: 'consensus' }
  /** The Final set (agreed codings plus adjudications), derived under {@link FINAL_CODER_ID}. */
  | { kind: 'final' }
  /**
   * Any of the listed coders; without a list, every coder except consensus
   * and Final (their codings copy coders' codings, and would count them twice).
   */
  | { kind: 'all'; coderIds?: readonly string[] };

/** 1 at each coder position the selection takes (positions as in `index.coderIds`). */
export function coderMask(index: AnalysisIndex, selection: CoderSelection): Uint8Array {
  const mask = new Uint8Array(index.coderIds.length);
  const take = (id: string) => {
    const at = index.coderIds.indexOf(id);
    if (at >= 0) mask[at] = 1;
  };
  if (selection.kind === 'coder') take(selection.coderId);
  else if (selection.kind === 'consensus') take(CONSENSUS_CODER_ID);
  else if (selection.kind === 'final') take(FINAL_CODER_ID);
  else if (selection.coderIds) for (const id of selection.coderIds) take(id);
  else index.coderIds.forEach((id, at) => (mask[at] = id === CONSENSUS_CODER_ID || id === FINAL_CODER_ID ? 0 : 1));
  return mask;
}
