/**
 * The Analysis view's filter bar: which questions and waves are in scope,
 * which respondents are kept by their attribute values, and whose codings
 * count. One choice governs every tab, chart, cell and export: the connection
 * reads `filter` and `coders` at every request (the tabs' own `coders` fields
 * are overwritten with this one there, so no tab can disagree with the bar).
 *
 * The choice is kept per project while the app is open: going to another
 * project and back finds the same filter.
 */
// Each from its own module: the package index also brings the word statistics.
import { describeFilter, NO_FILTER, type ViewFilter } from '../analysis/view-filter';
import { orderValues } from '../analysis/groups';
import { NO_VALUE_LABEL } from '../analysis/analysis-project';
import type { CoderChoice } from '../../workers/analysis-protocol';
import { defaultCoders, type AnalysisProjectShape } from './analysis-shape';

/** What the bar reads of the project: ids and names in order, attribute values. */
export interface FilterProjectShape extends AnalysisProjectShape {
  waves: readonly { id: string; order: number; name: string }[];
  questions: readonly { id: string; order: number; key: string; label: string }[];
  attributes: readonly { name: string; order: number; values?: readonly string[] }[];
}

/** Shown for a blank attribute value. */
export const NO_VALUE = NO_VALUE_LABEL;

export type { ViewFilter };

interface Saved {
  filter: ViewFilter;
  /** Absent: the project's default. */
  coders?: CoderChoice;
}

export class AnalysisFilter {
  questionIds = $state.raw<readonly string[] | null>(null);
  waveIds = $state.raw<readonly string[] | null>(null);
  attributes = $state.raw<readonly { name: string; values: readonly string[] }[]>([]);
  /** Whose codings count, in every tab. */
  coders = $state.raw<CoderChoice>({ kind: 'all' });

  /** The filter as the requests carry it. */
  filter = $derived<ViewFilter>({ questionIds: this.questionIds, waveIds: this.waveIds, attributes: this.attributes });
  /** True when nothing is filtered (the coding set is a choice, not a filter). */
  isEmpty = $derived(this.questionIds === null && this.waveIds === null && this.attributes.length === 0);

  #saved = new Map<string, Saved>();
  #projectId = $state<string | null>(null);
  /** Whether the bar has moved to Final for this project (it happens once, at the first resolution). */
  #finalDefault = false;
  /** Asked after every change: the open tab asks again. */
  onchange: () => void = () => {};

  /** The project the bar is open for (null before the Analysis view first shows one). */
  get projectId(): string | null {
    return this.#projectId;
  }

  /** Whose codings count when no one chose: Final once the project has it, else every coder. */
  get defaultCoders(): CoderChoice {
    return this.#finalDefault ? { kind: 'final' } : { kind: 'all' };
  }

  /**
   * A filter and coding set for a project from elsewhere (the URL): shown now if the bar is open for that
   * project, else when it opens. No coding set means the project's default.
   */
  place(projectId: string, filter: ViewFilter, coders: CoderChoice | null) {
    if (this.#projectId !== projectId) {
      this.#saved.set(projectId, coders ? { filter, coders } : { filter });
      return;
    }
    const next = coders ?? this.defaultCoders;
    if (JSON.stringify([filter, next]) === JSON.stringify([$state.snapshot(this.filter), this.coders])) return;
    this.#set(filter, next);
    this.onchange();
  }

  /** A project opens: its filter as it was left while the app was open, else every answer and the default coding set. */
  open(projectId: string, shape: AnalysisProjectShape) {
    if (this.#projectId !== null) this.#saved.set(this.#projectId, { filter: $state.snapshot(this.filter) as ViewFilter, coders: this.coders });
    this.#projectId = projectId;
    const saved = this.#saved.get(projectId);
    const coders = saved?.coders ?? defaultCoders(shape);
    this.#finalDefault = defaultCoders(shape).kind === 'final';
    this.#set(saved?.filter ?? NO_FILTER, coders);
  }

  /**
   * The project changed shape (an import, a wave renamed away): ids and attributes it no longer has are
   * dropped, and a list whose every id has gone widens to "every" rather than narrowing to nothing.
   * The first resolution moves "all coders" to Final, once per project; a coder the user chose stays.
   */
  follow(shape: AnalysisProjectShape): boolean {
    const keep = (ids: readonly string[] | null, known: readonly { id: string }[]) => {
      if (ids === null) return null;
      const k = new Set(known.map((x) => x.id));
      const kept = ids.filter((id) => k.has(id));
      return kept.length === ids.length ? ids : kept.length === 0 ? null : kept;
    };
    const names = new Set(shape.attributes.map((a) => a.name));
    const questionIds = shape.questions ? keep(this.questionIds, shape.questions) : this.questionIds;
    const waveIds = keep(this.waveIds, shape.waves);
    const attributes = this.attributes.every((a) => names.has(a.name)) ? this.attributes : this.attributes.filter((a) => names.has(a.name));
    let changed = questionIds !== this.questionIds || waveIds !== this.waveIds || attributes !== this.attributes;
    if (changed) this.#set({ questionIds, waveIds, attributes }, this.coders);
    if (!this.#finalDefault && defaultCoders(shape).kind === 'final') {
      this.#finalDefault = true;
      if (this.coders.kind === 'all') {
        this.coders = { kind: 'final' };
        changed = true;
      }
    }
    return changed;
  }

  #set(filter: ViewFilter, coders: CoderChoice) {
    this.questionIds = filter.questionIds;
    this.waveIds = filter.waveIds;
    this.attributes = filter.attributes;
    this.coders = coders;
  }

  setQuestions(ids: readonly string[] | null) {
    this.questionIds = ids;
    this.onchange();
  }

  setWaves(ids: readonly string[] | null) {
    this.waveIds = ids;
    this.onchange();
  }

  /** Keeps the respondents with one of these values of the attribute; an empty list takes the condition away. */
  setAttribute(name: string, values: readonly string[]) {
    const others = this.attributes.filter((a) => a.name !== name);
    const at = this.attributes.findIndex((a) => a.name === name);
    if (values.length === 0) this.attributes = others;
    else if (at < 0) this.attributes = [...others, { name, values }];
    else this.attributes = this.attributes.map((a) => (a.name === name ? { name, values } : a));
    this.onchange();
  }

  setCoders(coders: CoderChoice) {
    this.coders = coders;
    this.onchange();
  }

  /** One click: every question, wave and respondent again (whose codings count stays as chosen). */
  clear() {
    if (this.isEmpty) return;
    this.#set(NO_FILTER, this.coders);
    this.onchange();
  }
}

/** An attribute's values in natural order, blank last, as the bar offers them. */
export function attributeValues(attribute: { values?: readonly string[] }): string[] {
  return orderValues(attribute.values ?? []);
}

/**
 * The coding set in words, as the tabs name it. Blind (`blindCoderId` set) it is always "Your codings": every
 * request then counts that coder's codings only, whatever the bar held before, and no other coder is named.
 */
export function coderLabel(coders: CoderChoice, coderName: (id: string) => string, blindCoderId: string | null = null): string {
  if (blindCoderId !== null) return 'Your codings';
  switch (coders.kind) {
    case 'final':
      return 'Final set';
    case 'all':
      return 'All coders';
    case 'consensus':
      return 'Consensus';
    case 'coder':
      return `${coderName(coders.coderId)}’s codings`;
  }
}

/**
 * What a table counts, in one line: "Wave: 6 months · role: mentee · Final set"; "All answers · Final set" when
 * nothing is filtered; "… · Your codings" in blind mode.
 */
export function describeScope(
  filter: ViewFilter,
  coders: CoderChoice,
  shape: FilterProjectShape,
  coderName: (id: string) => string,
  blindCoderId: string | null = null,
): string {
  return [describeViewFilter(filter, shape) || 'All answers', coderLabel(coders, coderName, blindCoderId)].join(' · ');
}

/**
 * The filter alone in words ("Question: Q2 · Wave: 6 months · role: mentee"), '' when it keeps everything:
 * describeFilter with questions by their short names and waves by name, in the project's order, as the bar lists them.
 */
export function describeViewFilter(filter: ViewFilter, shape: FilterProjectShape): string {
  const questions = new Map(shape.questions.map((q) => [q.id, q.key || q.label]));
  const waves = new Map(shape.waves.map((w) => [w.id, w.name]));
  const order = <T extends { id: string; order: number }>(ids: readonly string[] | null, all: readonly T[]) =>
    ids === null
      ? null
      : [...all]
          .sort((a, b) => a.order - b.order)
          .filter((x) => ids.includes(x.id))
          .map((x) => x.id);
  const ordered = { ...filter, questionIds: order(filter.questionIds, shape.questions), waveIds: order(filter.waveIds, shape.waves) };
  return describeFilter(ordered, { question: (id) => questions.get(id) ?? id, wave: (id) => waves.get(id) ?? id });
}
