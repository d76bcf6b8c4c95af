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
import { IdIndex } from '../model/id-map';

export interface CodeCounts {
  codings: number;
  answers: number;
  respondents: number;
}

export class CodingIndex {
  readonly #byId = new IdIndex<Coding>(codingId);
  readonly #byAnswer = new IdIndex<Coding[]>(listAnswerId);
  readonly #byCode = new Map<string, IdIndex<Coding>>();
  /**
   * The counts are plain numbers per code and per question: whether a change moves one is decided by looking at the
   * other codings of the same answer (and of the same respondent's answers), which the index holds anyway. Counts
   * kept as multiplicities per answer and respondent cost ~10 map writes per coding to build (2 s of a reopen with
   * 200k codings) and hundreds of thousands of map entries for the garbage collector to walk.
   */
  readonly #answersByCode = new Map<string, number>();
  readonly #respondentsByCode = new Map<string, number>();
  /** The same, per code including everything coded with its descendants. */
  readonly #subtreeAnswers = new Map<string, number>();
  readonly #subtreeRespondents = new Map<string, number>();
  readonly #subtreeCodings = new Map<string, number>();
  /** Per question, and per coder and question: how many answers have at least one coding (for progress). */
  readonly #codedByQuestion = new Map<string, number>();
  /** Per respondent, their answers that have codings: what "does this respondent still have the code?" looks at. Kept once counted. */
  readonly #byRespondent = new IdIndex<RespondentAnswers>(respondentGroupId);
  #parentOf = new Map<string, string | null>();
  #lineages = new Map<string, readonly string[]>();
  /** Until setTree, subtree counts are not kept: setTree counts everything once. */
  #treeKnown = false;
  /**
   * Whether the counts (per code, per subtree, per question) exist yet. A
   * project opens with only the lookups built; `countAll` builds the counts
   * once, after the first paint, and from then on every change keeps them.
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
      if (this.#counted) {
        this.#add(coding);
        continue;
      }
      this.#byId.put(coding);
      const list = this.#byAnswer.get(coding.answerId);
      // Fresh arrays while building: nothing has seen them yet.
      if (list && building) list.push(coding);
      else this.#byAnswer.put(list ? [...list, coding] : [coding]);
      this.#ofCode(coding.codeId).put(coding);
    }
  }

  /** True once the counts exist (see countAll). */
  get counted(): boolean {
    return this.#counted;
  }

  /** Builds every count in one pass over the answers that have codings; later changes keep them. Idempotent. */
  countAll(): void {
    if (this.#counted) return;
    this.#counted = true;
    this.#tally(true);
  }

  /**
   * One pass over the answers that have codings, then one over their respondents: the counts per code and the
   * progress per question (with `own`, which also groups the answers by respondent), and the subtree counts when
   * the tree is known. Distinct codes are gathered in small arrays: an answer has a handful of codings.
   */
  #tally(own: boolean): void {
    const subtrees = this.#treeKnown;
    if (subtrees) {
      this.#subtreeAnswers.clear();
      this.#subtreeRespondents.clear();
      this.#subtreeCodings.clear();
      for (const [code, ofCode] of this.#byCode) for (const id of this.#lineage(code)) increment(this.#subtreeCodings, id, ofCode.size);
    }
    const codes: string[] = [];
    const coders: string[] = [];
    const ancestors: string[] = [];
    // Answers come question by question: the question's progress is kept at hand until the next one starts.
    let prefix: string | null = null;
    let progress: { questionId: string; answers: number; byCoder: Map<string, number> } | null = null;
    const flush = () => {
      if (!progress) return;
      increment(this.#codedByQuestion, progressKey(progress.questionId, null), progress.answers);
      for (const [coder, n] of progress.byCoder) increment(this.#codedByQuestion, progressKey(progress.questionId, coder), n);
    };
    const groups: RespondentAnswers[] = [];
    for (const list of this.#byAnswer.values()) {
      const answer = list[0].answerId;
      const respondent = respondentOf(answer);
      let group = this.#byRespondent.get(respondent);
      if (own) {
        if (group) group.answers.push(answer);
        else this.#byRespondent.put((group = { respondentId: respondent, answers: [answer] }));
      }
      if (!group) continue;
      if (!group.codes) {
        group.codes = [];
        groups.push(group);
      }
      codes.length = 0;
      coders.length = 0;
      for (const coding of list) {
        if (!codes.includes(coding.codeId)) codes.push(coding.codeId);
        if (!coders.includes(coding.coderId)) coders.push(coding.coderId);
      }
      for (const code of codes) if (!group.codes.includes(code)) group.codes.push(code);
      if (own) {
        for (const code of codes) increment(this.#answersByCode, code, 1);
        if (prefix === null || !answer.startsWith(prefix)) {
          flush();
          const questionId = questionOf(answer);
          prefix = questionId + ANSWER_ID_SEPARATOR;
          progress = { questionId, answers: 0, byCoder: new Map() };
        }
        progress!.answers++;
        for (const coder of coders) progress!.byCoder.set(coder, (progress!.byCoder.get(coder) ?? 0) + 1);
      }
      if (subtrees) {
        this.#ancestorsOf(codes, ancestors);
        for (const id of ancestors) increment(this.#subtreeAnswers, id, 1);
      }
    }
    flush();
    for (const group of groups) {
      const mine = group.codes!;
      group.codes = undefined;
      if (own) for (const code of mine) increment(this.#respondentsByCode, code, 1);
      if (subtrees) {
        this.#ancestorsOf(mine, ancestors);
        for (const id of ancestors) increment(this.#subtreeRespondents, id, 1);
      }
    }
  }

  /** The codes and all their ancestors, each once, into `into`. */
  #ancestorsOf(codes: readonly string[], into: string[]): void {
    into.length = 0;
    for (const code of codes) for (const id of this.#lineage(code)) if (!into.includes(id)) into.push(id);
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
      answers: this.#answersByCode.get(codeId) ?? 0,
      respondents: this.#respondentsByCode.get(codeId) ?? 0,
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
    if (this.#counted) this.#tally(false);
  }

  /** Counts for a code together with all its descendants (an answer coded with two subcodes counts once). */
  subtreeCounts(codeId: string): CodeCounts {
    this.countAll();
    return {
      codings: this.#subtreeCodings.get(codeId) ?? 0,
      answers: this.#subtreeAnswers.get(codeId) ?? 0,
      respondents: this.#subtreeRespondents.get(codeId) ?? 0,
    };
  }

  /** Answers of a question with at least one coding (by this coder, or by anyone when coderId is null). */
  codedAnswers(questionId: string, coderId: string | null): number {
    this.countAll();
    return this.#codedByQuestion.get(progressKey(questionId, coderId)) ?? 0;
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
    if (!this.#counted) return;
    if (!list) this.#joinRespondent(coding.answerId);
    this.#count(coding, 1);
  }

  #remove(id: string) {
    const coding = this.#byId.get(id);
    if (!coding) return;
    this.#byId.delete(id);
    const list = this.#byAnswer.get(coding.answerId);
    let last = false;
    if (list) {
      const rest = list.filter((c) => c.id !== id);
      if (rest.length) this.#byAnswer.put(rest);
      else {
        this.#byAnswer.delete(coding.answerId);
        last = true;
      }
    }
    this.#byCode.get(coding.codeId)?.delete(id);
    if (!this.#counted) return;
    this.#count(coding, -1);
    if (last) this.#leaveRespondent(coding.answerId);
  }

  /** An answer got its first coding: its respondent's group lists it. */
  #joinRespondent(answer: string) {
    const respondent = respondentOf(answer);
    const group = this.#byRespondent.get(respondent);
    if (group) group.answers.push(answer);
    else this.#byRespondent.put({ respondentId: respondent, answers: [answer] });
  }

  /** An answer lost its last coding. */
  #leaveRespondent(answer: string) {
    const respondent = respondentOf(answer);
    const group = this.#byRespondent.get(respondent);
    if (!group) return;
    const at = group.answers.indexOf(answer);
    if (at >= 0) group.answers.splice(at, 1);
    if (group.answers.length === 0) this.#byRespondent.delete(respondent);
  }

  /**
   * Adds (by = 1, the coding already in the index) or takes away (by = -1, already out of it) one coding: a count
   * of answers or respondents moves only when no other coding of that answer or respondent keeps it.
   */
  #count(coding: Coding, by: number) {
    const answer = coding.answerId;
    const others = this.forAnswer(answer).filter((c) => c.id !== coding.id);
    const respondentOthers: Coding[] = [];
    for (const other of this.#byRespondent.get(respondentOf(answer))?.answers ?? [])
      for (const c of this.forAnswer(other)) if (c.id !== coding.id) respondentOthers.push(c);
    const code = coding.codeId;
    if (!others.some((c) => c.codeId === code)) increment(this.#answersByCode, code, by);
    if (!respondentOthers.some((c) => c.codeId === code)) increment(this.#respondentsByCode, code, by);
    if (this.#treeKnown) {
      for (const id of this.#lineage(code)) {
        increment(this.#subtreeCodings, id, by);
        if (!others.some((c) => this.#lineage(c.codeId).includes(id))) increment(this.#subtreeAnswers, id, by);
        if (!respondentOthers.some((c) => this.#lineage(c.codeId).includes(id))) increment(this.#subtreeRespondents, id, by);
      }
    }
    const questionId = questionOf(answer);
    if (others.length === 0) increment(this.#codedByQuestion, progressKey(questionId, null), by);
    if (!others.some((c) => c.coderId === coding.coderId)) increment(this.#codedByQuestion, progressKey(questionId, coding.coderId), by);
  }
}

interface RespondentAnswers {
  respondentId: string;
  /** Answer ids of this respondent that have at least one coding. */
  answers: string[];
  /** Their distinct codes, only while counts are tallied. */
  codes?: string[];
}

const respondentGroupId = (group: RespondentAnswers) => group.respondentId;

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

/** Adds `by` to a group's count; a count that reaches 0 is dropped. Groups (codes, questions) are few. */
function increment(counts: Map<string, number>, group: string, by: number) {
  const next = (counts.get(group) ?? 0) + by;
  if (next !== 0) counts.set(group, next);
  else counts.delete(group);
}

function questionOf(answerId: string): string {
  return answerId.slice(0, answerId.indexOf(ANSWER_ID_SEPARATOR));
}
