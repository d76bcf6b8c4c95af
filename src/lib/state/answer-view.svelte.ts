/**
 * What the answer list shows: the open question's answers narrowed by the
 * coder's filters (and search), with the count and this coder's progress.
 */
import { untrack } from 'svelte';
import { filterAnswers, isFiltering, NO_FILTER, type AnswerFilter } from '../coding/answer-filter';
import { respondentRanks, sortPositions, type AnswerSort } from '../coding/answer-sort';
import { naturalRanks } from '../model/natural-order';
import { answerId } from '../model/types';
import type { CoderState } from './coder.svelte';
import type { CodingWorkspace } from './coding.svelte';
import type { ProjectState } from './project.svelte';
import type { AnswerColumns } from '../db/projects';

const maskSerials = new WeakMap<Uint8Array, number>();
let nextMaskSerial = 1;

/** A number per search result, so each new search starts the list at the top. */
function maskSerial(mask: Uint8Array | null): number | null {
  if (!mask) return null;
  let serial = maskSerials.get(mask);
  if (serial === undefined) maskSerials.set(mask, (serial = nextMaskSerial++));
  return serial;
}

export class AnswerView {
  /**
   * Raw, not a deep proxy: filterAnswers reads the filter for each of 100k
   * answers, and every change replaces the whole object anyway.
   */
  filter = $state.raw<AnswerFilter>({ ...NO_FILTER, attributes: {} });
  /** The list's order ('file': as the answers were imported). Not a filter: "Clear filters" keeps it. */
  sort = $state<AnswerSort>('file');
  #project: ProjectState;
  #workspace: CodingWorkspace;
  #coder: CoderState;

  /** A double-coding round's answer ids, for the round filter (AppState points it at RoundsState). */
  roundAnswers: (roundId: string) => ReadonlySet<string> | null = () => null;
  /** The assistant's "next to code" ranks for the open question's answers (AppState points it at AssistantState). */
  queueRanks: () => Uint32Array | null = () => null;
  /**
   * Bumped when the "next to code" order should take the assistant's latest queue: when it is chosen, when the
   * first queue for the question arrives, or on the coder's asking. Not at every retrain: the list would move
   * under the coder's hands.
   */
  queueTaken = $state(0);

  constructor(project: ProjectState, workspace: CodingWorkspace, coder: CoderState) {
    this.#project = project;
    this.#workspace = workspace;
    this.#coder = coder;
  }

  /** Answer id at each position of the open question's answers. */
  answerIds = $derived.by(() => {
    const answers = this.#project.answers;
    const questionId = this.#project.questionId;
    if (!answers || !questionId) return [] as string[];
    return answers.respondentIds.map((respondentId, i) => answerId(questionId, answers.waveIds[i], respondentId));
  });

  /**
   * Every position of the open question's answers: the list when nothing is
   * filtered. Cached per answers object, not derived: a derived nobody reads
   * while a filter is on would be dropped and rebuilt (100k entries) each time
   * the filter comes off.
   */
  #allPositions: { answers: AnswerColumns | null; positions: number[] } = { answers: null, positions: [] };

  #positionsOf(answers: AnswerColumns): number[] {
    if (this.#allPositions.answers !== answers) this.#allPositions = { answers, positions: answers.texts.map((_, i) => i) };
    return this.#allPositions.positions;
  }

  /**
   * Positions of the answers that pass the filters, in order. Only filters on
   * codings or memos depend on the codings, so only they re-run when a code is
   * applied: otherwise the list (and its scroll position) stays as it is.
   */
  #filtered = $derived.by(() => {
    const answers = this.#project.answers;
    if (!answers) return [] as number[];
    const filter = this.filter;
    if (!isFiltering(filter)) return this.#positionsOf(answers);
    if (filter.codeId !== null || filter.coderId !== null || filter.uncodedOnly) void this.#workspace.version;
    return filterAnswers(
      {
        answerIds: this.answerIds,
        waveIds: answers.waveIds,
        respondentIds: answers.respondentIds,
        attributeOf: (respondentId, name) => this.#project.attributeOf(respondentId, name),
        codingsOf: (id) => this.#workspace.codingsOf(id),
        hasMemo: (id) => this.#workspace.hasMemo(id),
        subtreeOf: (codeId) => this.#workspace.subtreeIds(codeId),
        roundAnswers: (roundId) => this.roundAnswers(roundId),
      },
      filter,
    );
  });

  /**
   * Respondents in natural order, ranked once per project (ordering 100k ids is the slow part of that order),
   * and each answer's rank once per question's answers.
   */
  #idRanks: { ids: readonly string[] | null; rankOf: ReadonlyMap<string, number> } = { ids: null, rankOf: new Map() };
  #ranks: { answers: AnswerColumns | null; ranks: Uint32Array } = { answers: null, ranks: new Uint32Array(0) };

  #ranksOf(answers: AnswerColumns): Uint32Array {
    if (this.#ranks.answers === answers) return this.#ranks.ranks;
    const ids = this.#project.respondents?.ids ?? null;
    if (ids && this.#idRanks.ids !== ids) this.#idRanks = { ids, rankOf: naturalRanks(ids) };
    const rankOf = ids ? this.#idRanks.rankOf : naturalRanks(answers.respondentIds);
    // An answer of a respondent the table does not list (it cannot happen; a stale table could) ranks by itself.
    const complete = answers.respondentIds.every((id) => rankOf.has(id));
    this.#ranks = { answers, ranks: respondentRanks(answers.respondentIds, complete ? rankOf : undefined) };
    return this.#ranks.ranks;
  }

  /**
   * The filtered positions in the chosen order: what the list shows and j/k, "next uncoded" and the round
   * queue step through. Coded first / uncoded first are by the current coder's codings (in blind mode they are
   * the only ones there are), taken when the order, filters or question change and once every coding is
   * read, not at each code applied: the answer just coded stays where it is under the coder's hands.
   */
  visible = $derived.by(() => {
    const filtered = this.#filtered;
    const sort = this.sort;
    const answers = this.#project.answers;
    if (sort === 'file' || !answers) return filtered;
    const waves = this.#project.overview?.waves ?? [];
    if (sort === 'coded' || sort === 'uncoded') void [this.#workspace.countsReady, this.#workspace.loaded, this.#workspace.blind, this.#coder.current?.id];
    if (sort === 'next') void this.queueTaken;
    return untrack(() => {
      const coderId = this.#coder.current?.id ?? null;
      const ids = this.answerIds;
      return sortPositions(filtered, sort, {
        respondentIds: answers.respondentIds,
        waveIds: answers.waveIds,
        texts: answers.texts,
        waveOrder: new Map(waves.map((w) => [w.id, w.order])),
        respondentRank: sort === 'respondent' ? this.#ranksOf(answers) : undefined,
        isCoded: (p) => this.#workspace.codingsOf(ids[p]).some((c) => coderId === null || c.coderId === coderId),
        queueRank: sort === 'next' ? (this.queueRanks() ?? undefined) : undefined,
      }) as number[];
    });
  });

  /** Changes when the list should start again at the top: another question, other filters or another order. */
  listKey = $derived.by(
    () => `${this.#project.questionId}\u001f${this.sort}\u001f${JSON.stringify({ ...this.filter, searchMask: maskSerial(this.filter.searchMask) })}`,
  );

  filtering = $derived(isFiltering(this.filter));

  /** Answers of this question the current coder has coded, of all its answers. */
  progress = $derived.by((): { coded: number | null; total: number } => {
    void this.#workspace.countsVersion;
    const questionId = this.#project.questionId;
    const total = this.#project.answers?.texts.length ?? 0;
    if (!questionId) return { coded: null, total };
    return { coded: this.#workspace.codedAnswers(questionId, this.#coder.current?.id ?? null), total };
  });

  set(patch: Partial<AnswerFilter>) {
    this.filter = { ...this.filter, ...patch };
  }

  setAttribute(name: string, value: string) {
    this.filter = { ...this.filter, attributes: { ...this.filter.attributes, [name]: value } };
  }

  clear() {
    this.filter = { ...NO_FILTER, attributes: {} };
  }
}
