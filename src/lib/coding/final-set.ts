/**
 * The Final coding set: what an author analyses once a round has been
 * double-coded and adjudicated. It is derived from the coders' codings, the
 * resolutions and the rounds every time they change, never stored, so the
 * originals never change and every change to them (undoable) shows at once.
 *
 * The rules, answer by answer:
 * - Double-coded answer: an answer in a round whose `coderIds` names two coders
 *   (even if one of them left it uncoded: in a round, not coding is a
 *   decision), or, outside rounds, an answer coded by the primary coder and
 *   exactly one other coder. Per code:
 *   - both applied it → kept, as the followed coder marked it (spans included);
 *   - one applied it (disputed) and the answer has a `Resolution` between the
 *     same two coders whose `codeIds` covers the code → the adjudicated
 *     decision: the consensus coder's codings of that code (none when the
 *     decision left it out);
 *   - disputed and not adjudicated → the followed coder's codings of that code,
 *     and the answer counts as "not yet adjudicated".
 *   The followed coder is the primary when they are one of the two, else the
 *   round's first coder (its lead).
 * - Answer coded by one coder only → that coder's codings.
 * - Answer coded by several coders and not double-coded as above (three
 *   coders, or two of which neither is the primary) → the primary coder's
 *   codings if they coded it, else those of the first listed coder who did.
 * - The primary coder is `Project.primaryCoderId` when that coder is registered,
 *   else the first coder listed (`coderIds` order: coders carry no registration
 *   time, and the stores list them by id, so choosing one is what makes it
 *   meaningful; the agreement view offers the choice).
 *
 * Final codings carry `coderId: FINAL_CODER_ID` and the id `final:` + the id
 * of the coding they were taken from, so an exemplar mark or a cell's answers
 * can point back to the source coding (see {@link sourceCodingId}). They keep
 * the source coding's other fields: its exemplar mark, and its `suggested`
 * mark, set too on one taken from the Assistant coder (ASSISTANT_CODER_ID), so
 * a Final coding the assistant made never reads as coded by hand once its
 * coder is Final (the long CSV's `origin` column).
 */
import { ASSISTANT_CODER_ID, CONSENSUS_CODER_ID, FINAL_CODER_ID, type Coding, type Resolution, type Round } from '../model/types';

/** What a Final coding is made from: a Coding or an exchange coding (no projectId). */
export type FinalSourceCoding = Pick<Coding, 'id' | 'answerId' | 'codeId' | 'coderId' | 'start' | 'end' | 'suggested'>;

export interface FinalInput<C extends FinalSourceCoding> {
  /** Every coding of the project: the coders' and the consensus coder's (Final codings, if any, are ignored). */
  codings: readonly C[];
  resolutions: readonly Pick<Resolution, 'answerId' | 'coderIds' | 'codeIds'>[];
  rounds: readonly Pick<Round, 'answerIds' | 'coderIds'>[];
  /** The human coders in the project's order (the consensus coder, if listed, is skipped). */
  coderIds: readonly string[];
  primaryCoderId?: string;
  /**
   * Each coding's answer as a number (its position among the project's answers), -1 where not known: codings are
   * then grouped by answer by that number rather than by hashing 264k id strings (the analysis worker has them,
   * lib/db/stored-codings.ts). Two codings share a number only if they share an answer id.
   */
  answerKeys?: ArrayLike<number>;
}

export type FinalRule = 'agreed' | 'adjudicated' | 'pending' | 'single' | 'several';

export interface FinalSummary {
  /** The coder Final follows where only one coded or a disagreement is open. */
  primaryCoderId: string | null;
  /** Whether the primary is the project's choice (false: the first coder listed). */
  primaryChosen: boolean;
  /** Answers by the rule that gave their Final codings (answers nobody coded are not counted). */
  answers: Record<FinalRule, number>;
  /** Double-coded answers with at least one code decided by an adjudication. */
  adjudicatedAnswers: number;
  /** Double-coded answers with a disagreement not yet adjudicated (Final follows the primary there). */
  pendingAnswers: number;
  /** Disputed codes not yet adjudicated, over all answers. */
  pendingCodes: number;
  /** Resolutions in the project. */
  resolutions: number;
}

export interface FinalSet<C extends FinalSourceCoding> {
  codings: C[];
  /** Where in the input's codings each Final coding was taken from, in the same order. */
  sources: number[];
  summary: FinalSummary;
}

const FINAL_ID_PREFIX = 'final:';

/** The id of the coding a Final coding was taken from (the id itself if it is not a Final id). */
export function sourceCodingId(finalCodingId: string): string {
  return finalCodingId.startsWith(FINAL_ID_PREFIX) ? finalCodingId.slice(FINAL_ID_PREFIX.length) : finalCodingId;
}

/** The primary coder: the project's choice when registered, else the first coder listed. */
export function primaryCoderOf(coderIds: readonly string[], primaryCoderId: string | undefined): string | null {
  const humans = coderIds.filter(isHumanCoder);
  if (primaryCoderId !== undefined && humans.includes(primaryCoderId)) return primaryCoderId;
  return humans[0] ?? null;
}

function isHumanCoder(coderId: string): boolean {
  return coderId !== CONSENSUS_CODER_ID && coderId !== FINAL_CODER_ID;
}

function toFinal<C extends FinalSourceCoding>(coding: C): C {
  const final = { ...coding, id: FINAL_ID_PREFIX + coding.id, coderId: FINAL_CODER_ID };
  if (coding.coderId === ASSISTANT_CODER_ID) final.suggested = true;
  return final;
}

/** The Final codings of a project and how each answer got them. */
export function finalCodings<C extends FinalSourceCoding>(input: FinalInput<C>): FinalSet<C> {
  const primary = primaryCoderOf(input.coderIds, input.primaryCoderId);
  const registered = input.coderIds.filter(isHumanCoder);
  const rank = (coderId: string) => {
    const at = registered.indexOf(coderId);
    return at < 0 ? Number.MAX_SAFE_INTEGER : at;
  };

  // Codings per answer, in the order answers first appear; the consensus coder's apart (few, read on adjudicated answers).
  // Keyed by the answer's number when given (never equal to an id string), else its id.
  // Positions in `codings`, so each Final coding can say where it came from.
  const byAnswer = new Map<string | number, number[]>();
  const consensusOf = new Map<string | number, number[]>();
  const { codings, answerKeys } = input;
  const keyOf = (i: number): string | number => {
    const k = answerKeys !== undefined && i < answerKeys.length ? answerKeys[i] : -1;
    return k >= 0 ? k : codings[i].answerId;
  };
  for (let i = 0; i < codings.length; i++) {
    const c = codings[i];
    if (c.coderId === FINAL_CODER_ID) continue;
    const into = c.coderId === CONSENSUS_CODER_ID ? consensusOf : byAnswer;
    const key = keyOf(i);
    const list = into.get(key);
    if (list) list.push(i);
    else into.set(key, [i]);
  }

  // A later round's pair wins over an earlier one's for the same answer.
  const roundPair = new Map<string, readonly [string, string]>();
  for (const round of input.rounds) {
    if (round.coderIds.length !== 2 || round.coderIds[0] === round.coderIds[1]) continue;
    const pair = [round.coderIds[0], round.coderIds[1]] as const;
    for (const answerId of round.answerIds) roundPair.set(answerId, pair);
  }
  const resolutionOf = new Map(input.resolutions.map((r) => [r.answerId, r]));

  const out: C[] = [];
  const sources: number[] = [];
  const take = (j: number) => {
    out.push(toFinal(codings[j]));
    sources.push(j);
  };
  const summary: FinalSummary = {
    primaryCoderId: primary,
    primaryChosen: primary !== null && primary === input.primaryCoderId,
    answers: { agreed: 0, adjudicated: 0, pending: 0, single: 0, several: 0 },
    adjudicatedAnswers: 0,
    pendingAnswers: 0,
    pendingCodes: 0,
    resolutions: input.resolutions.length,
  };

  for (const [key, human] of byAnswer) {
    const { answerId } = codings[human[0]];
    // The distinct coders, in order of their first coding here (rarely more than two).
    const coders: string[] = [];
    for (const j of human) if (!coders.includes(codings[j].coderId)) coders.push(codings[j].coderId);
    let pair = roundPair.size === 0 ? null : (roundPair.get(answerId) ?? null);
    // A round's answer that only someone outside the pair coded is not double-coded.
    if (pair && !coders.includes(pair[0]) && !coders.includes(pair[1])) pair = null;
    if (!pair && coders.length === 2 && primary !== null && coders.includes(primary)) {
      pair = [primary, coders[0] === primary ? coders[1] : coders[0]];
    }
    if (!pair) {
      const followed =
        coders.length === 1 ? coders[0] : primary !== null && coders.includes(primary) ? primary : [...coders].sort((a, b) => rank(a) - rank(b))[0];
      for (const j of human) if (codings[j].coderId === followed) take(j);
      summary.answers[coders.length === 1 ? 'single' : 'several'] += 1;
      continue;
    }

    const [a, b] = pair;
    const followed = primary === b ? b : a;
    const codesOf = (coderId: string) => {
      const codes = new Set<string>();
      for (const j of human) if (codings[j].coderId === coderId) codes.add(codings[j].codeId);
      return codes;
    };
    const inA = codesOf(a);
    const inB = codesOf(b);
    const resolution = resolutionOf.get(answerId);
    const resolvedHere =
      resolution !== undefined && resolution.coderIds.includes(a) && resolution.coderIds.includes(b) ? new Set(resolution.codeIds) : new Set<string>();
    let adjudicated = 0;
    let pending = 0;
    for (const codeId of new Set([...inA, ...inB])) {
      const agreed = inA.has(codeId) && inB.has(codeId);
      if (!agreed && resolvedHere.has(codeId)) {
        adjudicated += 1;
        for (const j of consensusOf.get(key) ?? []) if (codings[j].codeId === codeId) take(j);
        continue;
      }
      if (!agreed) pending += 1;
      for (const j of human) if (codings[j].coderId === followed && codings[j].codeId === codeId) take(j);
    }
    if (inA.size === 0 && inB.size === 0) continue;
    summary.pendingCodes += pending;
    if (adjudicated > 0) summary.adjudicatedAnswers += 1;
    if (pending > 0) summary.pendingAnswers += 1;
    summary.answers[pending > 0 ? 'pending' : adjudicated > 0 ? 'adjudicated' : 'agreed'] += 1;
  }
  return { codings: out, sources, summary };
}

/**
 * The sentence every table and export that uses Final states: "Coding set:
 * Final — agreed codings plus 12 adjudications; 3 disagreements not yet
 * adjudicated follow Ada (primary)".
 */
export function describeFinalSet(summary: FinalSummary, coderName: (coderId: string) => string): string {
  const adjudications = summary.adjudicatedAnswers === 1 ? '1 adjudication' : `${summary.adjudicatedAnswers} adjudications`;
  const primary =
    summary.primaryCoderId === null ? 'nobody' : `${coderName(summary.primaryCoderId)} (${summary.primaryChosen ? 'primary' : 'primary: first coder listed'})`;
  const pending =
    summary.pendingAnswers === 0
      ? 'no disagreement is left to adjudicate'
      : `${summary.pendingAnswers} ${summary.pendingAnswers === 1 ? 'disagreement' : 'disagreements'} not yet adjudicated follow ${primary}`;
  const single = summary.answers.single + summary.answers.several;
  const singleWords =
    single === 0 ? '' : `; ${single} ${single === 1 ? 'answer' : 'answers'} not double-coded use the one coder's codings (${primary} where several coded)`;
  return `Coding set: Final — agreed codings plus ${adjudications}; ${pending}${singleWords}`;
}
