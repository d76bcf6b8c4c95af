/**
 * Lookups the exports share, built once per export: names by id, code paths
 * in codebook order, theme membership, and the display order of answers.
 */
import { codePath } from '../codebook/code-path';
import { codeTree } from '../codebook/code-tree';
import type { ExchangeCode } from '../exchange/records';
import { ANSWER_ID_SEPARATOR, CONSENSUS_CODER_ID } from '../model/types';
import { ownValue } from '../model/name-keyed';
import type { ExportSource, ExportTheme } from './source';

export { CODE_PATH_SEPARATOR } from '../codebook/code-path';

export interface CodeRow {
  code: ExchangeCode;
  depth: number;
  path: string;
}

type SourceAnswer = ExportSource['answers'][number];

/** Code-unit order: the same in every locale, so exports do not depend on the machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class ProjectLookup {
  /** Attribute names in the project's order: one column each. */
  readonly attributeNames: string[];
  /** Every code in codebook order (parents before children, siblings by order). */
  readonly codeRows: CodeRow[];
  readonly themes: ExportTheme[];
  private readonly codeIndexById = new Map<string, number>();
  private readonly childrenById = new Map<string, string[]>();
  private readonly themeNamesByCode = new Map<string, string>();
  private readonly waveNames = new Map<string, string>();
  private readonly questionLabels = new Map<string, string>();
  private readonly coderNames = new Map<string, string>();
  private readonly respondentIndex: Map<string, number>;
  private readonly respondentAttrs: Map<string, Record<string, string>>;
  private readonly source: ExportSource;
  /**
   * What depends on the answers, respondents, questions and waves alone, shared with lookups over the same arrays;
   * made on first need: a project read without its answers (the analysis worker's) makes them when `answers` is
   * read, and the long CSV written from its columns (csv-long-columns.ts) never needs them.
   */
  #answerPart: AnswerPart | null = null;

  constructor(source: ExportSource) {
    this.source = source;
    this.attributeNames = source.attributes
      .slice()
      .sort((a, b) => a.order - b.order || compareCodeUnits(a.name, b.name))
      .map((a) => a.name);
    this.codeRows = buildCodeRows(source.codes);
    this.codeRows.forEach((row, i) => this.codeIndexById.set(row.code.id, i));
    for (const row of this.codeRows) {
      const parent = row.code.parentId;
      if (parent !== null && this.codeIndexById.has(parent)) {
        const list = this.childrenById.get(parent) ?? [];
        list.push(row.code.id);
        this.childrenById.set(parent, list);
      }
    }
    this.themes = (source.themes ?? []).slice().sort((a, b) => a.order - b.order || compareCodeUnits(a.name, b.name));
    const namesByCode = new Map<string, string[]>();
    for (const theme of this.themes) {
      for (const codeId of this.themeCodeIds(theme)) {
        const names = namesByCode.get(codeId) ?? [];
        names.push(theme.name);
        namesByCode.set(codeId, names);
      }
    }
    for (const [codeId, names] of namesByCode) this.themeNamesByCode.set(codeId, names.join('; '));
    for (const w of source.waves) this.waveNames.set(w.id, w.name);
    for (const q of source.questions) this.questionLabels.set(q.id, q.label || q.key);
    for (const c of source.coders) this.coderNames.set(c.id, c.name);
    ({ respondentIndex: this.respondentIndex, respondentAttrs: this.respondentAttrs } = respondentPartOf(source.respondents));
  }

  private get answerPart(): AnswerPart {
    return (this.#answerPart ??= answerPartOf(this.source));
  }

  /** Each answer's position in `source.answers` (the last, should an id repeat). */
  private get answerIndex(): Map<string, number> {
    return this.answerPart.answerIndex;
  }

  /** Each answer's position in `source.answers`, or undefined for an answer the source lacks. */
  answerPosition(answerId: string): number | undefined {
    return this.answerIndex.get(answerId);
  }

  /** Whether `answerRank` is the answer's position in `source.answers` (the source is in display order already). */
  get ranksArePositions(): boolean {
    this.orderedAnswers();
    return this.answerPart.inSourceOrder;
  }

  /** Position of the code in codebook order; unknown codes sort last. */
  codeIndex(codeId: string): number {
    return this.codeIndexById.get(codeId) ?? Number.MAX_SAFE_INTEGER;
  }

  /** "Parent > Child"; an unknown code shows its id so the row still says something. */
  codePath(codeId: string): string {
    const i = this.codeIndexById.get(codeId);
    return i === undefined ? codeId : this.codeRows[i].path;
  }

  hasChildren(codeId: string): boolean {
    return this.childrenById.has(codeId);
  }

  /** The code and all codes below it. */
  selfAndDescendants(codeId: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const stack = [codeId];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(id);
      for (const child of this.childrenById.get(id) ?? []) stack.push(child);
    }
    return out;
  }

  /** The code and its ancestors, nearest first (cycle-safe). */
  selfAndAncestors(codeId: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    for (let id: string | null = codeId; id !== null && !seen.has(id);) {
      seen.add(id);
      out.push(id);
      const i = this.codeIndexById.get(id);
      id = i === undefined ? null : this.codeRows[i].code.parentId;
    }
    return out;
  }

  /** The codes a theme counts: its codes, and their subcodes when `withSubcodes` is set. */
  themeCodeIds(theme: ExportTheme): Set<string> {
    const ids = new Set<string>();
    for (const codeId of theme.codeIds) {
      for (const id of theme.withSubcodes ? this.selfAndDescendants(codeId) : [codeId]) ids.add(id);
    }
    return ids;
  }

  /** Names of the themes a code belongs to, joined with "; " (empty when none). */
  themeNames(codeId: string): string {
    return this.themeNamesByCode.get(codeId) ?? '';
  }

  coderName(coderId: string): string {
    return this.coderNames.get(coderId) ?? (coderId === CONSENSUS_CODER_ID ? 'Consensus' : coderId);
  }

  waveName(waveId: string): string {
    return this.waveNames.get(waveId) ?? waveId;
  }

  questionLabel(questionId: string): string {
    return this.questionLabels.get(questionId) ?? questionId;
  }

  /** The respondent's position in the project's order, or undefined for one the project does not list. */
  respondentPosition(respondentId: string): number | undefined {
    return this.respondentIndex.get(respondentId);
  }

  answer(answerId: string): SourceAnswer | undefined {
    const i = this.answerIndex.get(answerId);
    return i === undefined ? undefined : this.source.answers[i];
  }

  /** The three parts of an answer id, read from the id itself so a coding of a missing answer still places. */
  answerParts(answerId: string): { questionId: string; waveId: string; respondentId: string } {
    const known = this.answer(answerId);
    if (known) return known;
    const [questionId = '', waveId = '', respondentId = ''] = answerId.split(ANSWER_ID_SEPARATOR);
    return { questionId, waveId, respondentId };
  }

  /** The respondent's value for each attribute, "" where unknown. */
  attributeValues(respondentId: string): string[] {
    const attrs = this.respondentAttrs.get(respondentId);
    // Own values only: an attribute may be called "constructor" or "toString".
    return this.attributeNames.map((name) => ownValue(attrs, name) ?? '');
  }

  attributeValue(respondentId: string, name: string): string {
    return ownValue(this.respondentAttrs.get(respondentId), name) ?? '';
  }

  /** Answers by question order, then wave order, then the respondents' project order. */
  orderedAnswers(): readonly SourceAnswer[] {
    const part = this.answerPart;
    if (part.ordered) return part.ordered;
    const answers = this.source.answers;
    const n = answers.length;
    const qOrder = orderMap(this.source.questions);
    const wOrder = orderMap(this.source.waves);
    const unknown = Number.MAX_SAFE_INTEGER;
    // The keys once per answer, not in the comparator (~n log n map reads over 700k answers).
    const q = new Float64Array(n);
    const w = new Float64Array(n);
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = answers[i];
      q[i] = qOrder.get(a.questionId) ?? unknown;
      w[i] = wOrder.get(a.waveId) ?? unknown;
      r[i] = this.respondentIndex.get(a.respondentId) ?? unknown;
    }
    const compare = (i: number, j: number) => q[i] - q[j] || w[i] - w[j] || r[i] - r[j] || compareCodeUnits(answers[i].id, answers[j].id);
    // A project read from the database is stored in this order already: then the (stable) sort would change nothing.
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) sorted = compare(i - 1, i) <= 0;
    if (sorted) {
      part.ordered = answers.slice();
      part.inSourceOrder = true;
    } else {
      const order = Array.from({ length: n }, (_, i) => i).sort(compare);
      part.ordered = order.map((i) => answers[i]);
    }
    return part.ordered;
  }

  /** Position of the answer in `orderedAnswers()`; unknown answers sort last. */
  answerRank(answerId: string): number {
    const ordered = this.orderedAnswers();
    const part = this.answerPart;
    if (part.inSourceOrder) return this.answerIndex.get(answerId) ?? Number.MAX_SAFE_INTEGER;
    if (!part.rankById) {
      const rankById = (part.rankById = new Map());
      ordered.forEach((a, i) => rankById.set(a.id, i));
    }
    return part.rankById.get(answerId) ?? Number.MAX_SAFE_INTEGER;
  }
}

/**
 * The lookup's maps over the answers (735k answers at 100k respondents: most of a lookup's cost) and the answers'
 * display order. They depend on the answers, respondents, questions and waves alone, so a lookup made after a coding
 * change (a new source object holding the same arrays) takes them from the previous one.
 */
interface AnswerPart {
  answers: ExportSource['answers'];
  respondents: ExportSource['respondents'];
  questions: ExportSource['questions'];
  waves: ExportSource['waves'];
  answerIndex: Map<string, number>;
  ordered: SourceAnswer[] | null;
  rankById: Map<string, number> | null;
  inSourceOrder: boolean;
  /** The arrays' lengths when read: a fixture that pushed onto an array since gets maps of its own. */
  count: number;
  respondentCount: number;
}

/** Keyed by the answers array; kept only while the other three arrays are the same too (an array is never changed in place). */
const answerParts = new WeakMap<object, AnswerPart>();

function answerPartOf(source: ExportSource): AnswerPart {
  const { answers, respondents, questions, waves } = source;
  const kept = answerParts.get(answers);
  if (
    kept &&
    kept.respondents === respondents &&
    kept.questions === questions &&
    kept.waves === waves &&
    kept.count === answers.length &&
    kept.respondentCount === respondents.length
  )
    return kept;
  const answerIndex = new Map<string, number>();
  for (let i = 0; i < answers.length; i++) answerIndex.set(answers[i].id, i);
  const part: AnswerPart = {
    answers,
    respondents,
    questions,
    waves,
    answerIndex,
    ordered: null,
    rankById: null,
    inSourceOrder: false,
    count: answers.length,
    respondentCount: respondents.length,
  };
  answerParts.set(answers, part);
  return part;
}

/** The respondents' positions and attributes by id, kept per respondents array (and its length, as above). */
interface RespondentPart {
  respondentIndex: Map<string, number>;
  respondentAttrs: Map<string, Record<string, string>>;
  count: number;
}

const respondentParts = new WeakMap<object, RespondentPart>();

function respondentPartOf(respondents: ExportSource['respondents']): RespondentPart {
  const kept = respondentParts.get(respondents);
  if (kept && kept.count === respondents.length) return kept;
  const respondentIndex = new Map<string, number>();
  const respondentAttrs = new Map<string, Record<string, string>>();
  respondents.forEach((r, i) => {
    respondentIndex.set(r.id, i);
    respondentAttrs.set(r.id, r.attributes);
  });
  const part = { respondentIndex, respondentAttrs, count: respondents.length };
  respondentParts.set(respondents, part);
  return part;
}

/** Order rank by `order`, ties by id, so two items with the same order still sort the same way every time. */
export function orderMap(items: readonly { id: string; order: number }[]): Map<string, number> {
  const sorted = items.slice().sort((a, b) => a.order - b.order || compareCodeUnits(a.id, b.id));
  return new Map(sorted.map((item, i) => [item.id, i]));
}

function buildCodeRows(codes: readonly ExchangeCode[]): CodeRow[] {
  // codeTree wants model Codes; projectId plays no part in the ordering.
  const tree = codeTree(codes.map((code) => ({ ...code, projectId: '' })));
  const byId = new Map(codes.map((c) => [c.id, c]));
  const rows: { code: ExchangeCode; depth: number }[] = tree.map((row) => ({ code: byId.get(row.code.id)!, depth: row.depth }));
  // codeTree leaves out codes caught in a parent cycle; an export must not lose them.
  const placed = new Set(rows.map((r) => r.code.id));
  for (const code of codes) if (!placed.has(code.id)) rows.push({ code, depth: 0 });
  return rows.map((r) => ({ ...r, path: codePath(r.code.id, byId) }));
}
