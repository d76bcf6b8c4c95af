/**
 * The project's codings in memory, indexed by answer and by code, updated in
 * place by each change. Rebuilding indexes over 200k codings on every key
 * press would cost tens of milliseconds; a change touches a handful.
 */
import type { Code, Coding } from '../model/types';
import type { Change } from './change';
import { answerParts } from './coding-pages';

export interface CodeCounts {
  codings: number;
  answers: number;
  respondents: number;
}

export class CodingIndex {
  readonly #byId = new Map<string, Coding>();
  readonly #byAnswer = new Map<string, Coding[]>();
  readonly #byCode = new Map<string, Set<string>>();
  readonly #counts = new Map<string, CodeCounts>();

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

  /** Codings, answers and respondents a code covers (cached until a change touches the code). */
  counts(codeId: string): CodeCounts {
    let counts = this.#counts.get(codeId);
    if (!counts) {
      const answers = new Set<string>();
      const respondents = new Set<string>();
      const codings = this.forCode(codeId);
      for (const coding of codings) {
        answers.add(coding.answerId);
        respondents.add(answerParts(coding.answerId).respondentId);
      }
      counts = { codings: codings.length, answers: answers.size, respondents: respondents.size };
      this.#counts.set(codeId, counts);
    }
    return counts;
  }

  /** Counts for a code together with all its descendants. */
  subtreeCounts(codeId: string, codes: readonly Code[]): CodeCounts {
    const ids = new Set([codeId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const code of codes) {
        if (code.parentId && ids.has(code.parentId) && !ids.has(code.id)) {
          ids.add(code.id);
          grew = true;
        }
      }
    }
    const answers = new Set<string>();
    const respondents = new Set<string>();
    let codings = 0;
    for (const id of ids) {
      for (const coding of this.forCode(id)) {
        codings++;
        answers.add(coding.answerId);
        respondents.add(answerParts(coding.answerId).respondentId);
      }
    }
    return { codings, answers: answers.size, respondents: respondents.size };
  }

  apply(change: Pick<Change, 'putCodings' | 'deleteCodings'>): void {
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
    this.#counts.delete(coding.codeId);
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
    this.#counts.delete(coding.codeId);
  }
}
