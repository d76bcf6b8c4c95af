/**
 * What the answer list shows: the open question's answers narrowed by the
 * coder's filters (and search), with the count and this coder's progress.
 */
import { filterAnswers, isFiltering, NO_FILTER, type AnswerFilter } from '../coding/answer-filter';
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
  #project: ProjectState;
  #workspace: CodingWorkspace;
  #coder: CoderState;

  /** A double-coding round's answer ids, for the round filter (AppState points it at RoundsState). */
  roundAnswers: (roundId: string) => ReadonlySet<string> | null = () => null;

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
  visible = $derived.by(() => {
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

  /** Changes when the list should start again at the top: another question or other filters. */
  listKey = $derived.by(() => `${this.#project.questionId}\u001f${JSON.stringify({ ...this.filter, searchMask: maskSerial(this.filter.searchMask) })}`);

  filtering = $derived(isFiltering(this.filter));

  /** Answers of this question the current coder has coded, of all its answers. */
  progress = $derived.by((): { coded: number | null; total: number } => {
    void this.#workspace.countsVersion;
    const questionId = this.#project.questionId;
    const total = this.#project.answers?.texts.length ?? 0;
    if (!questionId || !this.#workspace.countsReady) return { coded: null, total };
    return { coded: this.#workspace.index.codedAnswers(questionId, this.#coder.current?.id ?? null), total };
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
