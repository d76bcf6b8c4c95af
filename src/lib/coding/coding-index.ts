/**
 * The project's codings in memory, indexed by answer and by code, updated in
 * place by each change. Rebuilding indexes over 200k codings on every key
 * press would cost tens of milliseconds; a change touches a handful.
 */
import type { Code, Coding } from '../model/types';
import type { Change } from './change';
import { ANSWER_ID_SEPARATOR } from '../model/types';

export interface CodeCounts {
  codings: number;
  answers: number;
  respondents: number;
}

export class CodingIndex {
  readonly #byId = new Map<string, Coding>();
  readonly #byAnswer = new Map<string, Coding[]>();
  readonly #byCode = new Map<string, Set<string>>();
  /** Per code: how many of its codings each answer and each respondent has, kept up to date per change. */
  readonly #answersByCode = new Map<string, Map<string, number>>();
  readonly #respondentsByCode = new Map<string, Map<string, number>>();
  readonly #subtreeCache = new Map<string, CodeCounts>();

  constructor(codings: Iterable<Coding> = []) {
    for (const coding of codings) this.#add(coding);
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): Coding | undefined {
    return this.#byId.get(id);
  }

  all(): IterableIterator<Coding> {
    return this.#byId.values();
  }

  forAnswer(answerId: string): readonly Coding[] {
    return this.#byAnswer.get(answerId) ?? [];
  }

  forCode(codeId: string): Coding[] {
    const ids = this.#byCode.get(codeId);
    return ids ? [...ids].map((id) => this.#byId.get(id)!) : [];
  }

  /** Codings of these codes, and of these answers: what an operation on them may touch. */
  relevant(codeIds: Iterable<string>, answerIds: Iterable<string> = []): Coding[] {
    const seen = new Map<string, Coding>();
    for (const codeId of codeIds) for (const coding of this.forCode(codeId)) seen.set(coding.id, coding);
    for (const answerId of answerIds) for (const coding of this.forAnswer(answerId)) seen.set(coding.id, coding);
    return [...seen.values()];
  }

  /** Codings, answers and respondents a code covers: kept as counts per change, so this is O(1). */
  counts(codeId: string): CodeCounts {
    return {
      codings: this.#byCode.get(codeId)?.size ?? 0,
      answers: this.#answersByCode.get(codeId)?.size ?? 0,
      respondents: this.#respondentsByCode.get(codeId)?.size ?? 0,
    };
  }

  /**
   * Counts for a code together with all its descendants (an answer coded with
   * two subcodes counts once). Cached until the next change.
   */
  subtreeCounts(codeId: string, codes: readonly Code[]): CodeCounts {
    const cached = this.#subtreeCache.get(codeId);
    if (cached) return cached;
    const ids = [codeId];
    for (let i = 0; i < ids.length; i++) for (const code of codes) if (code.parentId === ids[i]) ids.push(code.id);
    let counts: CodeCounts;
    if (ids.length === 1) counts = this.counts(codeId);
    else {
      const answers = new Set<string>();
      const respondents = new Set<string>();
      let codings = 0;
      for (const id of ids) {
        codings += this.#byCode.get(id)?.size ?? 0;
        for (const answer of this.#answersByCode.get(id)?.keys() ?? []) answers.add(answer);
        for (const respondent of this.#respondentsByCode.get(id)?.keys() ?? []) respondents.add(respondent);
      }
      counts = { codings, answers: answers.size, respondents: respondents.size };
    }
    this.#subtreeCache.set(codeId, counts);
    return counts;
  }

  apply(change: Pick<Change, 'putCodings' | 'deleteCodings'>): void {
    // Subtree counts depend on the codes' tree too, which a change may also alter: start afresh.
    this.#subtreeCache.clear();
    for (const coding of change.deleteCodings) this.#remove(coding.id);
    for (const coding of change.putCodings) {
      this.#remove(coding.id);
      this.#add(coding);
    }
  }

  #add(coding: Coding) {
    this.#byId.set(coding.id, coding);
    // A new array, never a mutated one: views compare an answer's codings by reference.
    const list = this.#byAnswer.get(coding.answerId);
    this.#byAnswer.set(coding.answerId, list ? [...list, coding] : [coding]);
    let ids = this.#byCode.get(coding.codeId);
    if (!ids) this.#byCode.set(coding.codeId, (ids = new Set()));
    ids.add(coding.id);
    bump(this.#answersByCode, coding.codeId, coding.answerId, 1);
    bump(this.#respondentsByCode, coding.codeId, respondentOf(coding.answerId), 1);
  }

  #remove(id: string) {
    const coding = this.#byId.get(id);
    if (!coding) return;
    this.#byId.delete(id);
    const list = this.#byAnswer.get(coding.answerId);
    if (list) {
      const rest = list.filter((c) => c.id !== id);
      if (rest.length) this.#byAnswer.set(coding.answerId, rest);
      else this.#byAnswer.delete(coding.answerId);
    }
    this.#byCode.get(coding.codeId)?.delete(id);
    bump(this.#answersByCode, coding.codeId, coding.answerId, -1);
    bump(this.#respondentsByCode, coding.codeId, respondentOf(coding.answerId), -1);
  }
}

function respondentOf(answerId: string): string {
  // questionId ␟ waveId ␟ respondentId: the respondent is what follows the second separator.
  const first = answerId.indexOf(ANSWER_ID_SEPARATOR);
  return answerId.slice(answerId.indexOf(ANSWER_ID_SEPARATOR, first + 1) + 1);
}

function bump(counts: Map<string, Map<string, number>>, codeId: string, key: string, by: number) {
  let perCode = counts.get(codeId);
  if (!perCode) counts.set(codeId, (perCode = new Map()));
  const next = (perCode.get(key) ?? 0) + by;
  if (next > 0) perCode.set(key, next);
  else perCode.delete(key);
}
