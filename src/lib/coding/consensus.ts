/**
 * Disagreements between two coders, answer by answer, and their resolution
 * into a separate consensus coder. The coders' own codings are never changed:
 * a resolution writes the consensus coder's codings for one answer, and is one
 * undoable change like any other.
 */
import type { ReversibleChange } from './change';
import { ASSISTANT_CODER_ID, CONSENSUS_CODER_ID, type Coding, type Resolution } from '../model/types';

export type Decision = Resolution['decision'];

export interface Disagreement {
  answerId: string;
  /** The first and second coder's codings of the compared codes on this answer. */
  first: Coding[];
  second: Coding[];
  /** Codes one coder applied and the other did not. */
  disputedCodeIds: string[];
}

/**
 * Answers where the two coders differ on whether a compared code applies (the
 * answer-level comparison agreement statistics are computed on), in the order
 * the answers are given.
 */
export function findDisagreements(
  answerIds: Iterable<string>,
  codingsOf: (answerId: string) => readonly Coding[],
  coderIds: readonly [string, string],
  codeIds: ReadonlySet<string>,
): Disagreement[] {
  const [a, b] = coderIds;
  const out: Disagreement[] = [];
  for (const answerId of answerIds) {
    const codings = codingsOf(answerId);
    if (codings.length === 0) continue;
    const first = codings.filter((c) => c.coderId === a && codeIds.has(c.codeId));
    const second = codings.filter((c) => c.coderId === b && codeIds.has(c.codeId));
    if (first.length === 0 && second.length === 0) continue;
    const inFirst = new Set(first.map((c) => c.codeId));
    const inSecond = new Set(second.map((c) => c.codeId));
    const disputed = [...new Set([...inFirst, ...inSecond])].filter((id) => inFirst.has(id) !== inSecond.has(id));
    if (disputed.length > 0) out.push({ answerId, first, second, disputedCodeIds: disputed.sort() });
  }
  return out;
}

export interface ResolveContext {
  projectId: string;
  coderIds: readonly [string, string];
  codeIds: readonly string[];
  /** The consensus coder's codings on this answer now (replaced when an answer is resolved again). */
  consensusCodings: readonly Coding[];
  /** The answer's resolution now, if it was resolved before. */
  previous: Resolution | undefined;
  resolvedBy: string;
  newId: () => string;
  now: number;
}

const DECISION_WORDS: Record<Decision, (first: string, second: string) => string> = {
  first: (first) => `Accept ${first}'s codes`,
  second: (_, second) => `Accept ${second}'s codes`,
  both: () => 'Accept both coders’ codes',
  neither: () => 'Keep only the codes both applied',
};

/** What the adjudicator decided, in the words the undo history shows. */
export function describeDecision(decision: Decision, firstName: string, secondName: string): string {
  return DECISION_WORDS[decision](firstName, secondName);
}

/**
 * The consensus for one answer: the codes both coders applied (as the first
 * coder marked them), plus the disputed codes of the side taken — the first
 * coder's, the second's, both, or neither. Each consensus coding keeps the
 * fields of the coding it copies (its exemplar and `suggested` marks); one
 * copied from the Assistant coder is marked `suggested`: the adjudicator
 * accepted the assistant's code.
 */
export function resolveDisagreement(disagreement: Disagreement, decision: Decision, context: ResolveContext, label: string): ReversibleChange {
  const disputed = new Set(disagreement.disputedCodeIds);
  const agreed = disagreement.first.filter((c) => !disputed.has(c.codeId));
  const taken: Coding[] = [];
  if (decision === 'first' || decision === 'both') taken.push(...disagreement.first.filter((c) => disputed.has(c.codeId)));
  if (decision === 'second' || decision === 'both') taken.push(...disagreement.second.filter((c) => disputed.has(c.codeId)));
  const scope = new Set(context.codeIds);
  const replaced = context.consensusCodings.filter((c) => c.answerId === disagreement.answerId && scope.has(c.codeId));
  const consensus: Coding[] = [...agreed, ...taken].map((c) => ({
    ...c,
    projectId: context.projectId,
    id: context.newId(),
    coderId: CONSENSUS_CODER_ID,
    createdAt: context.now,
    ...(c.coderId === ASSISTANT_CODER_ID ? { suggested: true } : {}),
  }));
  const resolution: Resolution = {
    projectId: context.projectId,
    answerId: disagreement.answerId,
    decision,
    coderIds: [context.coderIds[0], context.coderIds[1]],
    codeIds: [...context.codeIds],
    resolvedBy: context.resolvedBy,
    at: context.now,
  };
  return {
    label,
    forward: { putCodes: [], deleteCodes: [], putCodings: consensus, deleteCodings: replaced, putResolutions: [resolution] },
    inverse: {
      putCodes: [],
      deleteCodes: [],
      putCodings: replaced,
      deleteCodings: consensus,
      ...(context.previous ? { putResolutions: [context.previous] } : { deleteResolutions: [resolution] }),
    },
  };
}
