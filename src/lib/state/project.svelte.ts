/** The open project: its questions, respondents and the answers of the chosen question. */
import {
  loadAnswers,
  loadProjectOverview,
  loadRespondents,
  withPositions,
  type AnswerColumns,
  type ProjectOverview,
  type RespondentTable,
} from '../db/projects';
import { unpackOpening, type PackedOpening } from '../db/packed-columns';
import type { CodebenchDatabase } from '../db/schema';
import { ownValue } from '../model/name-keyed';

export interface AnswerRow {
  position: number;
  respondentId: string;
  waveId: string;
  text: string;
}

export class ProjectState {
  projectId = $state<string | null>(null);
  overview = $state.raw<ProjectOverview | null>(null);
  respondents = $state.raw<RespondentTable | null>(null);
  /** True once the project, its questions and its respondents are loaded. */
  ready = $state(false);
  notFound = $state(false);
  questionId = $state<string | null>(null);
  answers = $state.raw<AnswerColumns | null>(null);
  answersLoading = $state(false);

  #db: () => CodebenchDatabase;
  #loadToken = 0;
  /** What an import just wrote, to open from instead of reading it back (see prime). */
  #primed: { projectId: string; opening: PackedOpening } | null = null;

  constructor(db: () => CodebenchDatabase) {
    this.#db = db;
  }

  question = $derived(this.overview?.questions.find((q) => q.id === this.questionId) ?? null);

  waveNames = $derived(new Map((this.overview?.waves ?? []).map((w) => [w.id, w.name])));

  /** The next open of this project may take its respondents and first answers from here. */
  prime(projectId: string, opening: PackedOpening) {
    this.#primed = { projectId, opening };
  }

  async open(projectId: string, questionId?: string) {
    const token = ++this.#loadToken;
    if (this.projectId !== projectId) {
      this.ready = false;
      this.answers = null;
      this.overview = null;
      this.respondents = null;
    }
    this.projectId = projectId;
    this.notFound = false;
    const started = performance.now();
    const primed = this.#primed?.projectId === projectId ? unpackOpening(this.#primed.opening) : null;
    this.#primed = null;
    const respondentsLoading = primed ? Promise.resolve(withPositions(primed.respondents)) : loadRespondents(this.#db(), projectId);
    const overview = await loadProjectOverview(this.#db(), projectId);
    if (token !== this.#loadToken) return;
    if (!overview) {
      this.notFound = true;
      return;
    }
    // The question's answers load while the respondents do: opening waits for the slower, not the sum.
    const wanted = [questionId, this.questionId, overview.questions[0]?.id].find((id) => id && overview.questions.some((q) => q.id === id)) ?? null;
    const [respondents, answers] = await Promise.all([
      respondentsLoading,
      wanted === primed?.questionId
        ? primed.answers
        : wanted
          ? loadAnswers(
              this.#db(),
              projectId,
              wanted,
              overview.waves.map((w) => w.id),
            )
          : null,
    ]);
    if (token !== this.#loadToken) return;
    this.overview = overview;
    this.respondents = respondents;
    this.questionId = wanted;
    this.answers = answers;
    this.answersLoading = false;
    this.ready = true;
    performance.measure?.('codebench:project-open', { start: started, end: performance.now() });
  }

  async reload() {
    if (this.projectId) await this.open(this.projectId, this.questionId ?? undefined);
  }

  async selectQuestion(questionId: string | null) {
    const validId = this.overview?.questions.some((q) => q.id === questionId) ? questionId : (this.overview?.questions[0]?.id ?? null);
    this.questionId = validId;
    if (!validId || !this.projectId || !this.overview) {
      this.answers = null;
      return;
    }
    const token = ++this.#loadToken;
    this.answersLoading = true;
    const answers = await loadAnswers(
      this.#db(),
      this.projectId,
      validId,
      this.overview.waves.map((w) => w.id),
    );
    if (token !== this.#loadToken) return;
    this.answers = answers;
    this.answersLoading = false;
  }

  row(position: number): AnswerRow | null {
    const answers = this.answers;
    if (!answers || position >= answers.texts.length) return null;
    return { position, respondentId: answers.respondentIds[position], waveId: answers.waveIds[position], text: answers.texts[position] };
  }

  /** One attribute of one respondent ("" when unknown). */
  attributeOf(respondentId: string, name: string): string {
    const table = this.respondents;
    const at = table?.positionOf.get(respondentId);
    // Own columns only: an attribute may be called "constructor".
    return at === undefined ? '' : (ownValue(table?.attributes, name)?.[at] ?? '');
  }

  /** Attribute name → value of one respondent, in the project's attribute order. */
  attributesOf(respondentId: string): [string, string][] {
    const table = this.respondents;
    const at = table?.positionOf.get(respondentId);
    if (!table || at === undefined || !this.overview) return [];
    return this.overview.attributes
      .map((a) => [a.name, ownValue(table.attributes, a.name)?.[at] ?? ''] as [string, string])
      .filter(([, value]) => value !== '');
  }
}
