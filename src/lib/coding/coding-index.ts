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
import { IdIndex, IdKeys } from '../model/id-map';
import { COUNTS_SUMMARY_FORMAT, type CountsSummary } from './counts-summary';

export interface CodeCounts {
  codings: number;
  answers: number;
  respondents: number;
}

export class CodingIndex {
  readonly #byAnswer = new IdIndex<Coding[]>(listAnswerId);
  /**
   * The lookups by coding id and by code, built from #byAnswer when first needed (a change, a merge, a split) or
   * when the page is idle after a project opens (buildLookups): a reopen with 200k codings spent a third of its
   * index build hashing coding ids twice, before the counts a coder waits for could be shown. Once built, kept.
   */
  #byId: IdIndex<Coding> | null = new IdIndex<Coding>(codingId);
  #byCode: Map<string, IdIndex<Coding>> | null = new Map();
  #size = 0;
  /** Codings per code, kept with every change whether or not the lookups are built. */
  readonly #codingsByCode = new Map<string, number>();
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
  /**
   * Per respondent, their answers that have codings: what "does this respondent still have the code?" looks at.
   * Built with the lookups (see #respondents), kept from then on.
   */
  #byRespondent: IdIndex<RespondentAnswers> | null = null;
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

  /** With `deferCounts`, neither the counts (countAll) nor the lookups by id and code (buildLookups) are built yet. */
  constructor(codings: Iterable<Coding> = [], options: { deferCounts?: boolean } = {}) {
    if (options.deferCounts) {
      this.#byId = null;
      this.#byCode = null;
    }
    this.addLoaded(codings);
    if (!options.deferCounts) this.countAll();
  }

  /** Builds the lookups by coding id and by code if they are not yet (idempotent). */
  buildLookups(): void {
    this.buildLookupsUntil(() => false);
  }

  /**
   * A build of the lookups done in slices (buildLookupsUntil), with the answers' lists as they were when it began:
   * first the lookups by id and code, then the answers by respondent. Any change drops it, and the next slice begins
   * again (from the respondents when the lookups by id and code were done).
   */
  #building: {
    lists: Coding[][];
    next: number;
    byId: IdIndex<Coding> | null;
    byCode: Map<string, IdIndex<Coding>> | null;
    byRespondent: IdIndex<RespondentAnswers> | null;
  } | null = null;

  /**
   * Builds the lookups a slice at a time: stops once `enough()` says so (asked every `answersPerAsk` answers) and
   * goes on from there at the next call. True when they are built. At 200k codings the whole build is ~0.5 s on the
   * page: in one task, a click or key in that spell waited for all of it, and its last part (the answers by
   * respondent) landed in a scroll's frame.
   */
  buildLookupsUntil(enough: () => boolean, answersPerAsk = 256): boolean {
    if (this.#byId && this.#byRespondent) return true;
    const build = (this.#building ??= { lists: [...this.#byAnswer.values()], next: 0, byId: null, byCode: null, byRespondent: null });
    const { lists } = build;
    const stop = () => build.next % answersPerAsk === 0 && build.next < lists.length && enough();
    if (!this.#byId) {
      const byId = (build.byId ??= new IdIndex<Coding>(codingId));
      const byCode = (build.byCode ??= new Map());
      while (build.next < lists.length) {
        for (const coding of lists[build.next++]) {
          byId.put(coding);
          let ofCode = byCode.get(coding.codeId);
          if (!ofCode) byCode.set(coding.codeId, (ofCode = new IdIndex(codingId)));
          ofCode.put(coding);
        }
        if (stop()) return false;
      }
      this.#byId = byId;
      this.#byCode = byCode;
      build.next = 0;
      if (lists.length > 0 && enough()) return false;
    }
    if (!this.#byRespondent) {
      const byRespondent = (build.byRespondent ??= new IdIndex<RespondentAnswers>(respondentGroupId));
      while (build.next < lists.length) {
        addRespondentAnswer(byRespondent, lists[build.next++][0].answerId);
        if (stop()) return false;
      }
      this.#byRespondent = byRespondent;
    }
    this.#building = null;
    return true;
  }

  /** The answers with codings by respondent, built from #byAnswer when first needed. */
  #respondents(): IdIndex<RespondentAnswers> {
    if (this.#byRespondent) return this.#byRespondent;
    const byRespondent = new IdIndex<RespondentAnswers>(respondentGroupId);
    for (const list of this.#byAnswer.values()) addRespondentAnswer(byRespondent, list[0].answerId);
    // A build in slices would end by putting its own copy in place of this one.
    if (this.#building) this.#building.byRespondent = null;
    return (this.#byRespondent = byRespondent);
  }

  /** True once the lookups by id and code exist. */
  get hasLookups(): boolean {
    return this.#byId !== null;
  }

  #ids(): IdIndex<Coding> {
    this.buildLookups();
    return this.#byId!;
  }

  /**
   * Adds codings read from storage that the index does not hold yet (a project
   * opens with its first question's codings, the rest follow question by
   * question). Views see the answers' lists change by reference.
   */
  addLoaded(codings: Iterable<Coding>): void {
    this.#building = null;
    // Lists made by this call are fresh: nothing has seen them yet, so they may grow in place.
    const fresh = new Set<Coding[]>();
    const byId = this.#byId;
    for (const coding of codings) {
      if (this.#counted) {
        this.#add(coding);
        continue;
      }
      if (byId) {
        byId.put(coding);
        this.#ofCode(coding.codeId).put(coding);
      }
      this.#size++;
      this.#codingsByCode.set(coding.codeId, (this.#codingsByCode.get(coding.codeId) ?? 0) + 1);
      const list = this.#byAnswer.get(coding.answerId);
      if (list && fresh.has(list)) list.push(coding);
      else {
        const created = list ? [...list, coding] : [coding];
        fresh.add(created);
        this.#byAnswer.put(created);
        if (!list) this.#joinRespondent(coding.answerId);
      }
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
   * One pass over the answers that have codings: the counts per code and the progress per question (with `own`),
   * and the subtree counts when the tree is known. Codes are numbered for the pass, so an answer's distinct codes
   * and their ancestors are small integers; a respondent's distinct codes are counted by sorting (respondent, code)
   * pairs packed in one number, rather than by building a group per respondent (100k objects that the garbage
   * collector then walked, before the counts a reopening coder waits for could be shown).
   */
  #tally(own: boolean): void {
    const subtrees = this.#treeKnown;
    if (subtrees) {
      this.#subtreeAnswers.clear();
      this.#subtreeRespondents.clear();
      this.#subtreeCodings.clear();
      for (const [code, n] of this.#codingsByCode) for (const id of this.#lineage(code)) increment(this.#subtreeCodings, id, n);
    }
    // Every code a coding names, and every ancestor of one.
    const numberOf = new Map<string, number>();
    const names: string[] = [];
    const lineages: number[][] = [];
    const number = (code: string): number => {
      let n = numberOf.get(code);
      if (n === undefined) {
        n = names.length;
        numberOf.set(code, n);
        names.push(code);
        lineages.push([]);
        if (subtrees) lineages[n] = this.#lineage(code).map(number);
      }
      return n;
    };
    for (const code of this.#codingsByCode.keys()) number(code);
    const width = names.length;
    const answersOf = new Float64Array(width);
    const subtreeAnswersOf = new Float64Array(width);
    // A respondent's number for the pass is its id's slot (its 30-bit hash; one hash per answer, where an IdMap
    // hashed twice), or past 2^30 for the rare id whose hash an earlier id holds. (respondent, code) pairs are
    // packed as respondent × width + code, well inside a double's 2^53.
    const respondentKeys = new IdKeys();
    const sharedHash = new Map<string, number>();
    let pairs = new Float64Array(1024);
    let subtreePairs = new Float64Array(subtrees ? 1024 : 0);
    let pairCount = 0;
    let subtreePairCount = 0;
    const codes: number[] = [];
    const coders: string[] = [];
    const ancestors: number[] = [];
    // Answers come question by question: the question's progress is kept at hand until the next one starts.
    let prefix: string | null = null;
    let progress: { questionId: string; answers: number; byCoder: Map<string, number> } | null = null;
    const flush = () => {
      if (!progress) return;
      increment(this.#codedByQuestion, progressKey(progress.questionId, null), progress.answers);
      for (const [coder, n] of progress.byCoder) increment(this.#codedByQuestion, progressKey(progress.questionId, coder), n);
    };
    for (const list of this.#byAnswer.values()) {
      const answer = list[0].answerId;
      codes.length = 0;
      coders.length = 0;
      for (const coding of list) {
        const code = number(coding.codeId);
        if (!codes.includes(code)) codes.push(code);
        if (own && !coders.includes(coding.coderId)) coders.push(coding.coderId);
      }
      const respondentId = respondentOf(answer);
      let respondent = respondentKeys.slot(respondentId);
      if (respondent < 0) {
        respondent = sharedHash.get(respondentId) ?? 2 ** 30 + sharedHash.size;
        sharedHash.set(respondentId, respondent);
      }
      const base = respondent * width;
      if (own) {
        if (pairCount + codes.length > pairs.length) pairs = grown(pairs, pairCount + codes.length);
        for (const code of codes) {
          answersOf[code]++;
          pairs[pairCount++] = base + code;
        }
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
        ancestors.length = 0;
        for (const code of codes) for (const id of lineages[code]) if (!ancestors.includes(id)) ancestors.push(id);
        if (subtreePairCount + ancestors.length > subtreePairs.length) subtreePairs = grown(subtreePairs, subtreePairCount + ancestors.length);
        for (const id of ancestors) {
          subtreeAnswersOf[id]++;
          subtreePairs[subtreePairCount++] = base + id;
        }
      }
    }
    flush();
    const distinctRespondents = (packed: Float64Array<ArrayBuffer>, count: number): Float64Array => {
      const sorted = packed.subarray(0, count).sort();
      const per = new Float64Array(width);
      for (let i = 0; i < count; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) per[sorted[i] % width]++;
      return per;
    };
    if (own) {
      const respondentsOf = distinctRespondents(pairs, pairCount);
      for (let code = 0; code < width; code++) {
        if (answersOf[code] > 0) increment(this.#answersByCode, names[code], answersOf[code]);
        if (respondentsOf[code] > 0) increment(this.#respondentsByCode, names[code], respondentsOf[code]);
      }
    }
    if (subtrees) {
      const respondentsOf = distinctRespondents(subtreePairs, subtreePairCount);
      for (let code = 0; code < width; code++) {
        if (subtreeAnswersOf[code] > 0) increment(this.#subtreeAnswers, names[code], subtreeAnswersOf[code]);
        if (respondentsOf[code] > 0) increment(this.#subtreeRespondents, names[code], respondentsOf[code]);
      }
    }
  }

  get size(): number {
    return this.#size;
  }

  get(id: string): Coding | undefined {
    return this.#ids().get(id);
  }

  all(): IterableIterator<Coding> {
    return this.#ids().values();
  }

  forAnswer(answerId: string): readonly Coding[] {
    return this.#byAnswer.get(answerId) ?? [];
  }

  forCode(codeId: string): Coding[] {
    this.buildLookups();
    const ofCode = this.#byCode!.get(codeId);
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
      codings: this.#codingsByCode.get(codeId) ?? 0,
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

  /**
   * Every count at once, to be stored and shown on the next reopen before the index is built again (see
   * counts-summary.ts). Null until the counts and the tree are known.
   */
  summary(): CountsSummary | null {
    if (!this.#counted || !this.#treeKnown) return null;
    const codes: CountsSummary['codes'] = {};
    const ids = new Set([...this.#codingsByCode.keys(), ...this.#subtreeCodings.keys()]);
    for (const id of ids) {
      const own = this.counts(id);
      const subtree = this.subtreeCounts(id);
      codes[id] = { own: [own.codings, own.answers, own.respondents], subtree: [subtree.codings, subtree.answers, subtree.respondents] };
    }
    const coded: CountsSummary['coded'] = {};
    const codedBy: CountsSummary['codedBy'] = {};
    for (const [key, n] of this.#codedByQuestion) {
      if (n === 0) continue;
      const cut = key.indexOf(ANSWER_ID_SEPARATOR);
      if (cut < 0) coded[key] = n;
      else (codedBy[key.slice(0, cut)] ??= {})[key.slice(cut + 1)] = n;
    }
    return { format: COUNTS_SUMMARY_FORMAT, size: this.#size, codes, coded, codedBy };
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

  /** The code's lookup; only while the lookups are built. */
  #ofCode(codeId: string): IdIndex<Coding> {
    let ofCode = this.#byCode!.get(codeId);
    if (!ofCode) this.#byCode!.set(codeId, (ofCode = new IdIndex(codingId)));
    return ofCode;
  }

  apply(change: Pick<Change, 'putCodings' | 'deleteCodings'>): void {
    // #remove builds the lookups first (from the lists as they are now), so a build in slices is not needed after.
    this.#building = null;
    for (const coding of change.deleteCodings) this.#remove(coding.id);
    for (const coding of change.putCodings) {
      this.#remove(coding.id);
      this.#add(coding);
    }
  }

  #add(coding: Coding) {
    if (this.#byId) {
      this.#byId.put(coding);
      this.#ofCode(coding.codeId).put(coding);
    }
    this.#size++;
    increment(this.#codingsByCode, coding.codeId, 1);
    // A new array, never a mutated one: views compare an answer's codings by reference.
    const list = this.#byAnswer.get(coding.answerId);
    this.#byAnswer.put(list ? [...list, coding] : [coding]);
    if (!list) this.#joinRespondent(coding.answerId);
    if (!this.#counted) return;
    this.#count(coding, 1);
  }

  #remove(id: string) {
    const byId = this.#ids();
    const coding = byId.get(id);
    if (!coding) return;
    byId.delete(id);
    this.#size--;
    increment(this.#codingsByCode, coding.codeId, -1);
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
    this.#byCode!.get(coding.codeId)?.delete(id);
    if (this.#counted) this.#count(coding, -1);
    if (last) this.#leaveRespondent(coding.answerId);
  }

  /** An answer got its first coding: its respondent's group lists it. */
  #joinRespondent(answer: string) {
    // Not built yet: it will be built from the answers as they are then.
    const byRespondent = this.#byRespondent;
    if (byRespondent) addRespondentAnswer(byRespondent, answer);
  }

  /** An answer lost its last coding. */
  #leaveRespondent(answer: string) {
    const byRespondent = this.#byRespondent;
    if (!byRespondent) return;
    const respondent = respondentOf(answer);
    const group = byRespondent.get(respondent);
    if (!group) return;
    const at = group.answers.indexOf(answer);
    if (at >= 0) group.answers.splice(at, 1);
    if (group.answers.length === 0) byRespondent.delete(respondent);
  }

  /**
   * Adds (by = 1, the coding already in the index) or takes away (by = -1, already out of it) one coding: a count
   * of answers or respondents moves only when no other coding of that answer or respondent keeps it.
   */
  #count(coding: Coding, by: number) {
    const answer = coding.answerId;
    const others = this.forAnswer(answer).filter((c) => c.id !== coding.id);
    const respondentOthers: Coding[] = [];
    for (const other of this.#respondents().get(respondentOf(answer))?.answers ?? [])
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

/** A copy with room for at least `needed` numbers. */
function grown(packed: Float64Array<ArrayBuffer>, needed: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(Math.max(needed, packed.length * 2));
  next.set(packed);
  return next;
}

function questionOf(answerId: string): string {
  return answerId.slice(0, answerId.indexOf(ANSWER_ID_SEPARATOR));
}

/** Lists an answer in its respondent's group of answers with codings. */
function addRespondentAnswer(byRespondent: IdIndex<RespondentAnswers>, answer: string) {
  const respondent = respondentOf(answer);
  const group = byRespondent.get(respondent);
  if (group) group.answers.push(answer);
  else byRespondent.put({ respondentId: respondent, answers: [answer] });
}
