/**
 * The project as the Analysis views read it: everything loaded once (answers
 * with their texts, respondents, codebook, codings, themes, memos), the
 * lookups every view needs, the Final set derived on demand, and an analysis
 * index per scope built on first use. Pure: the analysis worker reads the
 * database and hands the data in; tests build it directly.
 *
 * A change of codings replaces only what a coding change can touch (codes,
 * codings, coders, themes, memos, resolutions) and drops what was derived.
 */
import { buildAnalysisIndex, type AnalysisIndex, type AnswerColumns } from './analysis-index';
import type { CoderSelection } from './coder-selection';
import type { Breakdown } from './counts';
import { codeTargets, targetCodeIds, themeTargets, type Target } from './targets';
import { codeTree } from '../codebook/code-tree';
import { describeFinalSet, finalCodings, type FinalSet } from '../coding/final-set';
import { type ExchangeAnswer, type ExchangeCoding, type ProjectFileInput } from '../exchange';
import type { ExportSource } from '../export/source';
import type { ColumnPlacement } from '../export/csv-long-columns';
import { CONSENSUS_CODER_ID, FINAL_CODER_ID, type Code, type Coding, type Round, type Theme } from '../model/types';
import type { CoderChoice, GroupBy, TargetSet } from './view-types';
import { ownValue } from '../model/name-keyed';
import { publisherOf, type Publisher } from './publish-project';
import { answerMatcher, describeFilter, filterKey, isNoFilter, normaliseFilter, respondentMatcher, type ViewFilter } from './view-filter';

import { ProjectLookup } from '../export/project-lookup';

/** Told how far a long step has got. */
export type ProgressReporter = (phase: string, done: number, total: number) => void;

/** A problem with a request the user can act on; its message is shown as it is. */
export class AnalysisRequestError extends Error {}

/** Blank attribute values, as tables show them. */
export const NO_VALUE_LABEL = '(no value)';

type Data = ProjectFileInput;

/** What the Final set is derived from besides the codings (see lib/coding/final-set.ts). */
export interface FinalContext {
  rounds: Pick<Round, 'answerIds' | 'coderIds'>[];
  primaryCoderId?: string;
}

/** The Final set's coder as tables and exports name it. */
export const FINAL_CODER_NAME = 'Final (adjudicated)';

/** The project as read, with the lookups every request needs. */
export class AnalysisProject {
  data: Data;
  version: number;
  codes: Code[] = [];
  themes: Theme[] = [];
  readonly respondents: Map<string, Record<string, string>>;
  readonly waveNames: Map<string, string>;
  readonly questionLabels: Map<string, string>;
  readonly waveOrder: string[];
  readonly questionOrder: string[];
  readonly attributeNames: string[];
  coderNames = new Map<string, string>();
  coderOrder: string[] = [];
  #indexes = new Map<string, AnalysisIndex>();
  /** Indexes without the Final codings (coderIndex), until the whole one is built. */
  #coderIndexes = new Map<string, AnalysisIndex>();
  #lookup: ProjectLookup | null = null;
  #answersById: Map<string, ExchangeAnswer> | null = null;
  #answerRank: Map<string, number> | null = null;
  finalContext: FinalContext = { rounds: [] };
  /**
   * The answers as the column chunks they were read from, in `data.answers`' order, when the reader kept them:
   * the index is then built from them (no answer object read). Null for a project built from answers alone
   * (a filtered copy, a test's fixture).
   */
  columns: readonly AnswerColumns[] | null = null;
  /**
   * Each of `data.codings`' answer as its position among `columns`' answers (-1 where not among them), when the
   * codings were read with them (the stored codings, lib/db/stored-codings.ts): the Final set and the index then
   * place codings without reading their answer ids. Dropped when the codings are replaced.
   */
  codingAnswers: Int32Array | null = null;
  #final: FinalSet<ExchangeCoding> | null = null;
  #allCodings: ExchangeCoding[] | null = null;
  #finalSource: ExportSource | null = null;
  #finalLookup: ProjectLookup | null = null;

  constructor(
    readonly projectId: string,
    version: number,
    data: Data,
  ) {
    this.data = data;
    this.version = version;
    this.respondents = new Map(data.respondents.map((r) => [r.id, r.attributes]));
    this.waveNames = new Map(data.waves.map((w) => [w.id, w.name]));
    this.questionLabels = new Map(data.questions.map((q) => [q.id, q.label || q.key]));
    this.waveOrder = [...data.waves].sort((a, b) => a.order - b.order).map((w) => w.id);
    this.questionOrder = [...data.questions].sort((a, b) => a.order - b.order).map((q) => q.id);
    this.attributeNames = [...data.attributes].sort((a, b) => a.order - b.order).map((a) => a.name);
    this.#codingsChanged();
  }

  #blind: { coderId: string; version: number; project: AnalysisProject } | null = null;

  /**
   * The project as one coder alone may see it: their codings, their memos, themselves as the only coder, no
   * resolutions (they rest on two coders' codings). Kept until the codings change.
   */
  blindTo(coderId: string): AnalysisProject {
    const kept = this.#blind;
    // The write-up is read again on its own (a reread at the same version): a copy made before it would show old labels.
    if (kept && kept.coderId === coderId && kept.version === this.version && kept.project.data.writeUp === this.data.writeUp) return kept.project;
    const data = withChanges(this.data, {
      coders: this.data.coders.filter((c) => c.id === coderId),
      codings: this.data.codings.filter((c) => c.coderId === coderId),
      memos: this.data.memos.filter((m) => m.coderId === coderId),
      resolutions: [],
    });
    const project = new AnalysisProject(this.projectId, this.version, data);
    project.columns = this.columns;
    if (this.#codingAnswersNow()) {
      const own = this.codingAnswers!;
      project.codingAnswers = Int32Array.from(
        this.data.codings.flatMap((c, i) => (c.coderId === coderId ? [i] : [])),
        (i) => own[i],
      );
    }
    project.blindCoderId = coderId;
    this.#blind = { coderId, version: this.version, project };
    return project;
  }

  #filtered: { key: string; version: number; project: AnalysisProject } | null = null;

  /**
   * The project as the filter bar narrows it: the questions and waves in scope, the respondents kept, their
   * answers and the codings on those answers. Every view, quote and export then counts what the filter keeps
   * without knowing of it. The last one is kept until the codings change.
   */
  filtered(filter: ViewFilter): AnalysisProject {
    // A question or wave deleted since the page chose it must not empty the view (see normaliseFilter).
    filter = normaliseFilter(filter, { questionIds: this.questionOrder, waveIds: this.waveOrder, attributes: this.attributeNames });
    if (isNoFilter(filter)) return this;
    const key = filterKey(filter);
    const kept = this.#filtered;
    if (kept && kept.key === key && kept.version === this.version) return kept.project;
    const attributeOf = (respondentId: string, name: string) => ownValue(this.respondents.get(respondentId), name) ?? '';
    const keepAnswer = answerMatcher(filter, attributeOf);
    const keepRespondent = respondentMatcher(filter, attributeOf);
    const answers = this.data.answers.filter(keepAnswer);
    const answerIds = new Set(answers.map((a) => a.id));
    const questions = filter.questionIds === null ? null : new Set(filter.questionIds);
    const waves = filter.waveIds === null ? null : new Set(filter.waveIds);
    const data: Data = {
      ...this.data,
      questions: questions === null ? this.data.questions : this.data.questions.filter((q) => questions.has(q.id)),
      waves: waves === null ? this.data.waves : this.data.waves.filter((w) => waves.has(w.id)),
      respondents: this.data.respondents.filter((r) => keepRespondent(r.id)),
      answers,
      codings: this.data.codings.filter((c) => answerIds.has(c.answerId)),
      // A memo on an answer or respondent the filter leaves out leaves with it; memos on codes stay.
      memos: this.data.memos.filter((m) => m.target.kind === 'code' || (m.target.kind === 'answer' ? answerIds.has(m.target.id) : keepRespondent(m.target.id))),
    };
    const project = new AnalysisProject(this.projectId, this.version, data);
    project.setFinalContext(this.finalContext);
    project.questionsFiltered = filter.questionIds !== null;
    project.filterDescription = describeFilter(filter, { question: (id) => this.questionLabel(id), wave: (id) => this.waveName(id) });
    project.unfiltered = this.unfiltered;
    project.blindCoderId = this.blindCoderId;
    this.#filtered = { key, version: this.version, project };
    return project;
  }

  /** True when the filter bar keeps only some questions. */
  questionsFiltered = false;

  /**
   * How quotes and respondents are published (pseudonyms, redaction), from the unfiltered project's respondents:
   * a pseudonym not yet stored is numbered among everyone, so it reads the same under every filter.
   */
  get publisher(): Publisher {
    return publisherOf(this.unfiltered.data);
  }

  /** The filter this project was narrowed by, in words ("Wave: 6 months · Role: Mentee"); "" when it is the whole project. */
  filterDescription = '';

  /** The project before the filter bar narrowed it (itself when not narrowed): the report's coding process counts it. */
  unfiltered: AnalysisProject = this;

  /** The coder whose blind copy this is (kept through a filter); null for the project as a whole. */
  blindCoderId: string | null = null;

  /** Codes, codings, coders, themes and memos as now stored. */
  replaceCodings(
    version: number,
    fresh: Pick<Data, 'codes' | 'codings' | 'coders' | 'themes' | 'memos' | 'resolutions'> & Partial<Pick<Data, 'rounds' | 'codebookVersions'>>,
    finalContext?: FinalContext,
  ) {
    this.data = withChanges(this.data, fresh);
    this.codingAnswers = null;
    this.version = version;
    if (finalContext) this.finalContext = finalContext;
    this.#codingsChanged();
  }

  /** The rounds and the primary coder as now stored (the Final set follows them). */
  setFinalContext(finalContext: FinalContext) {
    this.finalContext = finalContext;
    this.#codingsChanged();
  }

  /** The Final codings (see lib/coding/final-set.ts), derived on first use after every change. */
  get final(): FinalSet<ExchangeCoding> {
    this.#final ??= finalCodings({
      codings: this.data.codings,
      resolutions: this.data.resolutions ?? [],
      rounds: this.finalContext.rounds,
      coderIds: this.data.coders.map((c) => c.id),
      primaryCoderId: this.finalContext.primaryCoderId,
      ...(this.#codingAnswersNow() ? { answerKeys: this.codingAnswers! } : {}),
    });
    return this.#final;
  }

  /** The coders' codings and the Final ones (under FINAL_CODER_ID): what tables, passages and quotes select from. */
  get allCodings(): ExchangeCoding[] {
    this.#allCodings ??= [...this.data.codings, ...this.final.codings];
    return this.#allCodings;
  }

  /** The project with the Final codings and coder added, for the exports that use the Final set. */
  get finalSource(): ExportSource {
    // withChanges, not a spread: a spread would make the answers of a project read as columns.
    this.#finalSource ??= withChanges(this.data, {
      codings: this.allCodings,
      coders: [...this.data.coders, { id: FINAL_CODER_ID, name: FINAL_CODER_NAME, color: '#444444' }],
    });
    return this.#finalSource;
  }

  get finalLookup(): ProjectLookup {
    this.#finalLookup ??= new ProjectLookup(this.finalSource);
    return this.#finalLookup;
  }

  /** "Coding set: Final — agreed codings plus 12 adjudications; …" */
  get finalDescription(): string {
    return describeFinalSet(this.final.summary, (id) => this.coderName(id));
  }

  #codingsChanged() {
    const { projectId } = this;
    this.codes = this.data.codes.map((c) => ({ ...c, projectId }));
    this.themes = (this.data.themes ?? []).map((t) => ({ ...t, projectId }));
    this.coderNames = new Map(this.data.coders.map((c) => [c.id, c.name]));
    // Coders in name order, the consensus last: the by-coder rows' order.
    this.coderOrder = [...this.data.coders]
      .sort((a, b) => Number(a.id === CONSENSUS_CODER_ID) - Number(b.id === CONSENSUS_CODER_ID) || a.name.localeCompare(b.name))
      .map((c) => c.id);
    // The Final set last, after the consensus.
    this.coderOrder.push(FINAL_CODER_ID);
    this.#indexes.clear();
    this.#coderIndexes.clear();
    this.#lookup = null;
    this.#blind = null;
    this.#filtered = null;
    this.#final = null;
    this.#allCodings = null;
    this.#finalSource = null;
    this.#finalLookup = null;
  }

  /**
   * The exports' lookups (names, code paths, answers in display order), built
   * once per version of the codings: over 600k answers it takes most of a
   * long CSV's time, so it is kept for the next export.
   */
  get lookup(): ProjectLookup {
    // The answers' maps and display order are made on the first export that needs them (the long CSV of a project
    // read as columns never does).
    this.#lookup ??= new ProjectLookup(this.data);
    return this.#lookup;
  }

  coderName(coderId: string): string {
    return this.coderNames.get(coderId) ?? (coderId === CONSENSUS_CODER_ID ? 'Consensus' : coderId === FINAL_CODER_ID ? FINAL_CODER_NAME : coderId);
  }

  waveName(waveId: string): string {
    return this.waveNames.get(waveId) ?? waveId;
  }

  questionLabel(questionId: string): string {
    return this.questionLabels.get(questionId) ?? questionId;
  }

  /**
   * An analysis index of the answers in scope when one has been built since the codings last changed, else null:
   * the whole one or the coders' alone (coderIndex), whose `codingAnswers` agree on `data.codings`.
   */
  builtIndex(questionId: string | null): AnalysisIndex | null {
    const key = questionId ?? '\u0000all';
    return this.#indexes.get(key) ?? this.#coderIndexes.get(key) ?? null;
  }

  /** The analysis index of the answers in scope, the Final codings included, built on first use. */
  index(questionId: string | null): AnalysisIndex {
    const key = questionId ?? '\u0000all';
    let index = this.#indexes.get(key);
    if (!index) {
      index = this.#buildIndex(questionId, true);
      this.#indexes.set(key, index);
      // It answers everything the coders' index did.
      this.#coderIndexes.delete(key);
    }
    return index;
  }

  /**
   * The index for a table whose coders leave the Final set out (usesFinalSet false): without the Final codings
   * until the whole index is built, so the first tables of a cold open wait neither for the Final set nor for
   * indexing its codings (most of a second at 250k respondents). Its coders are the whole index's (the Final
   * coder listed, with no coding), so those tables are the same from either.
   */
  coderIndex(questionId: string | null): AnalysisIndex {
    const key = questionId ?? '\u0000all';
    const whole = this.#indexes.get(key);
    if (whole) return whole;
    let index = this.#coderIndexes.get(key);
    if (!index) {
      index = this.#buildIndex(questionId, false);
      this.#coderIndexes.set(key, index);
    }
    return index;
  }

  #buildIndex(questionId: string | null, withFinal: boolean): AnalysisIndex {
    if (questionId !== null && !this.questionLabels.has(questionId)) throw new AnalysisRequestError('That question is no longer in the project.');
    const { columns } = this;
    const answers = columns !== null ? [] : questionId === null ? this.data.answers : this.data.answers.filter((a) => a.questionId === questionId);
    const placed = columns !== null && this.#codingAnswersNow();
    return buildAnalysisIndex({
      answers,
      ...(columns === null ? {} : { columns: questionId === null ? columns : columns.filter((c) => c.questionId === questionId) }),
      attributeOf: (respondentId, name) => ownValue(this.respondents.get(respondentId), name) ?? '',
      codes: this.codes,
      themes: this.themes,
      // The index reads answerId, codeId, coderId and start only: an ExchangeCoding has them all.
      codings: (withFinal ? this.allCodings : this.data.codings) as unknown as Coding[],
      ...(placed ? { codingAnswers: this.#scopedCodingAnswers(withFinal ? this.#allCodingAnswers() : this.codingAnswers!, questionId) } : {}),
      waveIds: this.waveOrder,
      questionIds: this.questionOrder,
      coderIds: this.coderOrder,
    });
  }

  /**
   * Where the long CSV's codings are among the columns (csv-long-columns.ts): `data.codings`', or with `final`
   * `allCodings`' (finalSource's). From `codingAnswers` while they hold, else from the whole project's index when its
   * positions are the columns'. Null for a project built from answers (a filtered copy, a test's fixture).
   */
  columnPlacement(final: boolean): ColumnPlacement | null {
    const columns = this.storedColumns();
    if (columns === null) return null;
    let all: Int32Array;
    if (this.#codingAnswersNow()) all = this.#allCodingAnswers();
    else {
      const index = this.index(null);
      if (!index.inColumnOrder) return null;
      all = index.codingAnswers;
    }
    return { columns, positions: final ? all : all.subarray(0, this.data.codings.length) };
  }

  /** The columns as the stored chunks they were read from, each with its number (what a chunk is read back by); null otherwise. */
  storedColumns(): readonly (AnswerColumns & { index: number })[] | null {
    const columns = this.columns;
    if (columns === null || !columns.every((c) => c.index !== undefined)) return null;
    return columns as readonly (AnswerColumns & { index: number })[];
  }

  /** Whether `codingAnswers` still describe `data.codings` (set for them, with the columns they point into). */
  #codingAnswersNow(): boolean {
    return this.codingAnswers !== null && this.columns !== null && this.codingAnswers.length === this.data.codings.length;
  }

  /** `codingAnswers` for `allCodings`: the coders' then the Final ones, each Final coding at its source's answer. */
  #allCodingAnswers(): Int32Array {
    const own = this.codingAnswers!;
    const { sources } = this.final;
    const out = new Int32Array(own.length + sources.length);
    out.set(own);
    for (let i = 0; i < sources.length; i++) out[own.length + i] = own[sources[i]];
    return out;
  }

  /** Positions among all the columns as positions among the columns of the scope: the question's alone when one is given. */
  #scopedCodingAnswers(all: Int32Array, questionId: string | null): Int32Array {
    if (questionId === null) return all;
    const out = Int32Array.from(all);
    // From the whole order to the question's: its chunks' answers numbered in turn, the rest -1.
    let total = 0;
    for (const c of this.columns!) total += c.respondentIds.length;
    const inScope = new Int32Array(total).fill(-1);
    for (let k = 0, at = 0, n = 0; k < this.columns!.length; k++) {
      const { questionId: q, respondentIds } = this.columns![k];
      if (q === questionId) for (let i = 0; i < respondentIds.length; i++) inScope[at + i] = n++;
      at += respondentIds.length;
    }
    // -2: known to be out of scope, so the index does not look its id up.
    for (let i = 0; i < out.length; i++) if (out[i] >= 0) out[i] = inScope[out[i]] === -1 ? -2 : inScope[out[i]];
    return out;
  }

  /** How many answers the project holds (without making them, when it was read as columns). */
  get answerCount(): number {
    if (this.columns === null) return this.data.answers.length;
    let n = 0;
    for (const c of this.columns) n += c.respondentIds.length;
    return n;
  }

  answer(answerId: string): ExchangeAnswer | undefined {
    this.#answersById ??= new Map(this.data.answers.map((a) => [a.id, a]));
    return this.#answersById.get(answerId);
  }

  /** Position of an answer in the project's display order. */
  rank(answerId: string): number {
    if (!this.#answerRank) {
      this.#answerRank = new Map();
      this.data.answers.forEach((a, i) => this.#answerRank!.set(a.id, i));
    }
    return this.#answerRank.get(answerId) ?? Number.MAX_SAFE_INTEGER;
  }

  /** The project as the exports read it. */
  get source(): ExportSource {
    return this.data;
  }

  get name(): string {
    return this.data.project.name;
  }
}

// ---------------------------------------------------------------------------
// Small helpers

/**
 * The data with some fields replaced, every other field kept as it is defined: the answers of a project read as
 * columns are made on first read (an accessor, see loadProjectDataWithoutTexts), and a spread would make them.
 */
function withChanges(data: Data, changes: Partial<Data>): Data {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(data)) as Data;
  for (const [key, value] of Object.entries(changes)) Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** Whether a table with these coders counts the Final codings (coderIndex leaves them out). */
export function usesFinalSet(coders: CoderChoice): boolean {
  return coders.kind === 'final' || (coders.kind === 'coder' && coders.coderId === FINAL_CODER_ID);
}

export function analysisCoders(choice: CoderChoice): CoderSelection {
  return choice.kind === 'coder' ? { kind: 'coder', coderId: choice.coderId } : { kind: choice.kind };
}

export function keepCoder(choice: CoderChoice): (coderId: string) => boolean {
  if (choice.kind === 'all') return (id) => id !== CONSENSUS_CODER_ID && id !== FINAL_CODER_ID;
  const wanted = choice.kind === 'consensus' ? CONSENSUS_CODER_ID : choice.kind === 'final' ? FINAL_CODER_ID : choice.coderId;
  return (id) => id === wanted;
}

export function whoseCodings(project: AnalysisProject, choice: CoderChoice): string {
  if (choice.kind === 'all') return 'the codings of every coder together (an answer counts as coded when any coder coded it; the consensus coder is left out)';
  if (choice.kind === 'consensus') return 'the consensus codings';
  if (choice.kind === 'final') return `the Final set (${project.finalDescription})`;
  return `the codings of ${project.coderName(choice.coderId)}`;
}

export function scopeWords(project: AnalysisProject, questionId: string | null): string {
  if (questionId !== null) return `the question “${project.questionLabel(questionId)}”`;
  // Under a filter bar that keeps some questions, "every question" would contradict the line naming them.
  return project.questionsFiltered ? 'every question the filter keeps' : 'every question';
}

export function targetsOf(set: TargetSet, project: AnalysisProject): Target[] {
  switch (set) {
    case 'codes':
      return codeTargets(project.codes);
    case 'codes-with-subcodes':
      return codeTargets(project.codes, true);
    case 'top-level': {
      const parents = new Set(project.codes.map((c) => c.parentId));
      return codeTree(project.codes)
        .filter((row) => row.depth === 0)
        .map(({ code }) => (parents.has(code.id) ? { kind: 'code-with-subcodes', codeId: code.id } : { kind: 'code', codeId: code.id }));
    }
    case 'themes':
      return themeTargets(project.themes);
  }
}

export function breakdownsOf(groupBy: GroupBy): Breakdown[] {
  switch (groupBy.kind) {
    case 'none':
      return [];
    case 'attribute':
      return [{ kind: 'attribute', name: groupBy.name }];
    default:
      return [{ kind: groupBy.kind }];
  }
}

/** Sorted answer positions coded with the target by a coder the mask takes. */
export function codedPositions(index: AnalysisIndex, target: Target, mask: Uint8Array): number[] {
  const seen = new Uint8Array(index.answerCount);
  for (const codeId of targetCodeIds(index, target)) {
    const c = index.codingsOf(codeId);
    for (let i = 0; i < c.answer.length; i++) if (mask[c.coder[i]] === 1) seen[c.answer[i]] = 1;
  }
  const out: number[] = [];
  for (let a = 0; a < seen.length; a++) if (seen[a] === 1) out.push(a);
  return out;
}

/** A result whose `basis` says what was counted, saying first what the filter bar kept ("Filtered to: Wave: 6 months · Role: Mentee."). */
export function namingFilter<T extends object>(result: T, filterDescription: string): T {
  if (!filterDescription || !('basis' in result) || typeof result.basis !== 'string') return result;
  return { ...result, basis: `Filtered to: ${filterDescription}. ${result.basis}` };
}
