/**
 * The project's codings in memory, indexed by answer and by code, updated in
 * place by each change. Rebuilding indexes over 200k codings on every key
 * press would cost tens of milliseconds; a change touches a handful.
 *
 * Everything keyed by a coding, answer or respondent id is an IdIndex or an
 * IdMap: as ordinary Map keys, half a million distinct ids made every major
 * garbage collection pause the page for ~45 ms (see model/id-map.ts).
 */
import type { Code, Coding } from '../model/types';
import type { Change } from './change';
import { ANSWER_ID_SEPARATOR } from '../model/types';
import { IdIndex, IdKeys, type IdMap, type IdSlot } from '../model/id-map';

export interface CodeCounts {
  codings: number;
  answers: number;
  respondents: number;
}

export class CodingIndex {
  readonly #byId = new IdIndex<Coding>(codingId);
  readonly #byAnswer = new IdIndex<Coding[]>(listAnswerId);
  readonly #byCode = new Map<string, IdIndex<Coding>>();
  /** One key space for the counts' answer and respondent ids, so each is remembered once. */
  readonly #ids = new IdKeys();
  /** Per code: how many of its codings each answer and each respondent has, kept up to date per change. */
  readonly #answersByCode = new Map<string, IdMap<number>>();
  readonly #respondentsByCode = new Map<string, IdMap<number>>();
  /** The same, per code including everything coded with its descendants: kept per change, so O(1) to read. */
  readonly #subtreeAnswers = new Map<string, IdMap<number>>();
  readonly #subtreeRespondents = new Map<string, IdMap<number>>();
  readonly #subtreeCodings = new Map<string, number>();
  /** Per question, and per coder and question: how many codings each answer has (for progress). */
  readonly #codedByQuestion = new Map<string, IdMap<number>>();
  #parentOf = new Map<string, string | null>();
  #lineages = new Map<string, readonly string[]>();
  /** Until setTree, subtree counts are not kept: setTree counts everything once. */
  #treeKnown = false;
  /**
   * Whether the counts (per code, per subtree, per question) exist yet. A
   * project opens with only the lookups built (200k codings: the counts were
   * half the time of a reopen); `countAll` builds the counts once, after the
   * first paint, and from then on every change keeps them.
   */
  #counted = false;

  constructor(codings: Iterable<Coding> = [], options: { deferCounts?: boolean } = {}) {
    this.addLoaded(codings);
    if (!options.deferCounts) this.countAll();
  }

  /**
   * Adds codings read from storage that the index does not hold yet (a project
   * opens with its first question's codings, the rest follow question by
   * question). Views see the answers' lists change by reference.
   */
  addLoaded(codings: Iterable<Coding>): void {
    const building = this.#byId.size === 0;
    for (const coding of codings) {
      this.#byId.put(coding);
      const list = this.#byAnswer.get(coding.answerId);
      // Fresh arrays while building: nothing has seen them yet.
      if (list && building) list.push(coding);
      else this.#byAnswer.put(list ? [...list, coding] : [coding]);
      this.#ofCode(coding.codeId).put(coding);
      if (this.#counted) this.#count(coding, 1);
    }
  }

  /** True once the counts exist (see countAll). */
  get counted(): boolean {
    return this.#counted;
  }

  /** Builds every count in one pass over the codings; later changes keep them. Idempotent. */
  countAll(): void {
    if (this.#counted) return;
    this.#counted = true;
    for (const coding of this.#byId.values()) this.#count(coding, 1);
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
    const ofCode = this.#byCode.get(codeId);
    return ofCode ? [...ofCode.values()] : [];
  }

  /** Codings of these codes, and of these answers: what an operation on them may touch. */
  relevant(codeIds: Iterable<string>, answerIds: Iterable<string> = []): Coding[] {
    const seen = new IdIndex<Coding>(codingId);
    for (const codeId of codeIds) for (const coding of this.forCode(codeId)) seen.put(coding);
    for (const answerId of answerIds) for (const coding of this.forAnswer(answerId)) seen.put(coding);
    return [...seen.values()];
  }

  /** Codings, answers and respondents a code covers: kept as counts per change, so this is O(1). */
  counts(codeId: string): CodeCounts {
    this.countAll();
    return {
      codings: this.#byCode.get(codeId)?.size ?? 0,
      answers: this.#answersByCode.get(codeId)?.size ?? 0,
      respondents: this.#respondentsByCode.get(codeId)?.size ?? 0,
    };
  }

  /**
   * Tells the index the codebook's tree, so counts of a code with its subcodes
   * can be kept as codings change. Call it when codes are added, moved or removed.
   */
  setTree(codes: readonly Code[]): void {
    this.#parentOf = new Map(codes.map((c) => [c.id, c.parentId]));
    this.#lineages.clear();
    this.#treeKnown = true;
    this.#subtreeAnswers.clear();
    this.#subtreeRespondents.clear();
    this.#subtreeCodings.clear();
    if (!this.#counted) return;
    for (const coding of this.#byId.values()) {
      const respondent = respondentOf(coding.answerId);
      this.#countSubtree(coding, 1, this.#ids.slot(coding.answerId), this.#ids.slot(respondent), respondent);
    }
  }

  /** Counts for a code together with all its descendants (an answer coded with two subcodes counts once). */
  subtreeCounts(codeId: string): CodeCounts {
    this.countAll();
    return {
      codings: this.#subtreeCodings.get(codeId) ?? 0,
      answers: this.#subtreeAnswers.get(codeId)?.size ?? 0,
      respondents: this.#subtreeRespondents.get(codeId)?.size ?? 0,
    };
  }

  /** Answers of a question with at least one coding (by this coder, or by anyone when coderId is null). */
  codedAnswers(questionId: string, coderId: string | null): number {
    this.countAll();
    return this.#codedByQuestion.get(progressKey(questionId, coderId))?.size ?? 0;
  }

  /** The code and its ancestors (guarding against a cycle in stored data); kept per code until the tree changes. */
  #lineage(codeId: string): readonly string[] {
    const known = this.#lineages.get(codeId);
    if (known) return known;
    const line: string[] = [];
    for (let id: string | null | undefined = codeId; id && !line.includes(id); id = this.#parentOf.get(id)) line.push(id);
    this.#lineages.set(codeId, line);
    return line;
  }

  #countSubtree(coding: Coding, by: number, answerSlot: IdSlot, respondentSlot: IdSlot, respondent: string) {
    for (const id of this.#lineage(coding.codeId)) {
      this.#subtreeCodings.set(id, (this.#subtreeCodings.get(id) ?? 0) + by);
      bump(this.#subtreeAnswers, this.#ids, id, answerSlot, coding.answerId, by);
      bump(this.#subtreeRespondents, this.#ids, id, respondentSlot, respondent, by);
    }
  }

  #ofCode(codeId: string): IdIndex<Coding> {
    let ofCode = this.#byCode.get(codeId);
    if (!ofCode) this.#byCode.set(codeId, (ofCode = new IdIndex(codingId)));
    return ofCode;
  }

  apply(change: Pick<Change, 'putCodings' | 'deleteCodings'>): void {
    for (const coding of change.deleteCodings) this.#remove(coding.id);
    for (const coding of change.putCodings) {
      this.#remove(coding.id);
      this.#add(coding);
    }
  }

  #add(coding: Coding) {
    this.#byId.put(coding);
    // A new array, never a mutated one: views compare an answer's codings by reference.
    const list = this.#byAnswer.get(coding.answerId);
    this.#byAnswer.put(list ? [...list, coding] : [coding]);
    this.#ofCode(coding.codeId).put(coding);
    if (this.#counted) this.#count(coding, 1);
  }

  /** Adds (by = 1) or takes away (-1) one coding from every count; each id's slot is worked out once. */
  #count(coding: Coding, by: number) {
    const answer = coding.answerId;
    const respondent = respondentOf(answer);
    const a = this.#ids.slot(answer);
    const r = this.#ids.slot(respondent);
    bump(this.#answersByCode, this.#ids, coding.codeId, a, answer, by);
    bump(this.#respondentsByCode, this.#ids, coding.codeId, r, respondent, by);
    if (this.#treeKnown) this.#countSubtree(coding, by, a, r, respondent);
    const questionId = answer.slice(0, answer.indexOf(ANSWER_ID_SEPARATOR));
    bump(this.#codedByQuestion, this.#ids, progressKey(questionId, null), a, answer, by);
    bump(this.#codedByQuestion, this.#ids, progressKey(questionId, coding.coderId), a, answer, by);
  }

  #remove(id: string) {
    const coding = this.#byId.get(id);
    if (!coding) return;
    this.#byId.delete(id);
    const list = this.#byAnswer.get(coding.answerId);
    if (list) {
      const rest = list.filter((c) => c.id !== id);
      if (rest.length) this.#byAnswer.put(rest);
      else this.#byAnswer.delete(coding.answerId);
    }
    this.#byCode.get(coding.codeId)?.delete(id);
    if (this.#counted) this.#count(coding, -1);
  }
}

const codingId = (coding: Coding) => coding.id;
/** An answer's list of codings is never empty: it is dropped with its last coding. */
const listAnswerId = (list: readonly Coding[]) => list[0].answerId;

function progressKey(questionId: string, coderId: string | null): string {
  return coderId === null ? questionId : `${questionId}${ANSWER_ID_SEPARATOR}${coderId}`;
}

function respondentOf(answerId: string): string {
  // questionId ␟ waveId ␟ respondentId: the respondent is what follows the second separator.
  const first = answerId.indexOf(ANSWER_ID_SEPARATOR);
  return answerId.slice(answerId.indexOf(ANSWER_ID_SEPARATOR, first + 1) + 1);
}

/** Moves the count of one answer or respondent (key, at its slot) under a code or question group. */
function bump(counts: Map<string, IdMap<number>>, ids: IdKeys, group: string, slot: IdSlot, key: string, by: number) {
  let perGroup = counts.get(group);
  if (!perGroup) counts.set(group, (perGroup = ids.map()));
  const next = (perGroup.getAt(slot, key) ?? 0) + by;
  if (next > 0) perGroup.setAt(slot, key, next);
  else perGroup.deleteAt(slot, key);
}
