/**
 * The index every analysis view reads: built once from the answers in scope
 * and the project's codings, then each view (counts, crosstab, co-occurrence,
 * wave change) is a pass over the codings of the codes it asks about.
 *
 * Answers and respondents become positions (0…n-1) with their wave, question
 * and respondent held in typed arrays, and codings are grouped by code with
 * their answer position, coder and span flag, so a view never looks up a
 * string per coding. At 100k answers and 200k codings this keeps a count of
 * every code or a crosstab by an attribute to a few tens of milliseconds.
 *
 * The answers given are the scope: codings on any other answer are left out
 * (a coding of a blank answer, or of a question or wave not in scope), and
 * every denominator counts these answers and their respondents only.
 */
import { ANSWER_ID_SEPARATOR, type Code, type Coding, type Theme } from '../model/types';

/** An answer in scope: `Answer` without its text (texts are only needed for word statistics). */
export interface AnswerRef {
  id: string;
  questionId: string;
  waveId: string;
  respondentId: string;
}

/** Everything the analysis views read. */
export interface AnalysisInput {
  /** The non-blank answers in scope; a repeated id is read once. See {@link answerRefsOf} for column chunks. */
  answers: Iterable<AnswerRef>;
  /**
   * The same answers as column chunks, in the same order: when given, `answers` is not read and no answer object
   * or id string is made (the ids are joined on first use of `answerIds`). Over 700k answers the objects were most
   * of the index's time and a large share of the worker's heap.
   */
  columns?: readonly AnswerColumns[];
  /** A respondent's value of an attribute; "" when unknown. */
  attributeOf: (respondentId: string, attributeName: string) => string;
  codes: readonly Code[];
  themes: readonly Theme[];
  codings: Iterable<Coding>;
  /**
   * Each coding's answer as its position among `columns`' answers (in their order), in the order `codings` gives
   * them; -1 (or past the end) where not known, which is then found by its id; -2 where known not to be in scope. Given when the codings were read
   * with their positions (lib/db/stored-codings.ts): no answer id is then read. Ignored without columns.
   */
  codingAnswers?: Int32Array;
  /** Display order of waves (project order); waves not listed follow in first-seen order. */
  waveIds?: readonly string[];
  /** Display order of questions; those not listed follow in first-seen order. */
  questionIds?: readonly string[];
  /** Display order of coders for the by-coder breakdown; others follow in first-seen order. */
  coderIds?: readonly string[];
}

/** Answers as the database loads them: per question and wave, the respondents who gave a non-blank answer. */
export interface AnswerColumns {
  questionId: string;
  waveId: string;
  /** The stored chunk's number within its (question, wave), when read from the store: the long CSV reads its texts by it. */
  index?: number;
  respondentIds: readonly string[];
  /**
   * The same respondents as positions in one list of distinct ids shared by every chunk (the stored columns give
   * them, lib/db/stored-answers.ts): the index then places answers without looking up a string per answer.
   */
  respondentAt?: { ids: readonly string[]; at: Int32Array };
}

/** The answers of column-wise chunks, one {@link AnswerRef} at a time (ids derived as `answerId` derives them). */
export function* answerRefsOf(chunks: Iterable<AnswerColumns>): Generator<AnswerRef> {
  const sep = ANSWER_ID_SEPARATOR;
  for (const { questionId, waveId, respondentIds } of chunks) {
    // A template rather than `answerId`'s join: the same string, a fifth of the time over 100k answers.
    const prefix = `${questionId}${sep}${waveId}${sep}`;
    for (const respondentId of respondentIds) yield { id: prefix + respondentId, questionId, waveId, respondentId };
  }
}

/** Positions of ids in a list: listed order first, then first-seen order. */
class Positions {
  readonly ids: string[] = [];
  private readonly at = new Map<string, number>();

  constructor(listed: readonly string[] = []) {
    for (const id of listed) this.of(id);
  }

  private lastId: string | null = null;
  private lastAt = -1;

  of(id: string): number {
    // Answers come chunk by chunk, so wave and question repeat: skip the hash lookup.
    if (id === this.lastId) return this.lastAt;
    let p = this.at.get(id);
    if (p === undefined) {
      p = this.ids.length;
      this.at.set(id, p);
      this.ids.push(id);
    }
    this.lastId = id;
    this.lastAt = p;
    return p;
  }

  get(id: string): number | undefined {
    return this.at.get(id);
  }
}

/** A code's codings in scope, column-wise and in ascending answer position: answer, coder position, and 1 for a span. */
export interface CodeCodings {
  readonly answer: Int32Array;
  readonly coder: Int32Array;
  readonly span: Uint8Array;
}

const NO_CODINGS: CodeCodings = { answer: new Int32Array(0), coder: new Int32Array(0), span: new Uint8Array(0) };

/**
 * Codings grouped by code, each code's in ascending answer position: a
 * counting sort by answer, then a stable split by code. Views then read a
 * code's answers in order and never sort them.
 */
function groupByCode(
  codeIds: readonly string[],
  answer: readonly number[],
  code: readonly number[],
  coder: readonly number[],
  span: readonly number[],
  answerCount: number,
): Map<string, CodeCodings> {
  const n = answer.length;
  const starts = new Int32Array(answerCount + 1);
  for (let i = 0; i < n; i++) starts[answer[i] + 1] += 1;
  for (let a = 0; a < answerCount; a++) starts[a + 1] += starts[a];
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[starts[answer[i]]++] = i;
  const sizes = new Int32Array(codeIds.length);
  for (let i = 0; i < n; i++) sizes[code[i]] += 1;
  const groups = codeIds.map((_, k) => ({ answer: new Int32Array(sizes[k]), coder: new Int32Array(sizes[k]), span: new Uint8Array(sizes[k]) }));
  const filled = new Int32Array(codeIds.length);
  for (const i of order) {
    const k = code[i];
    const at = filled[k]++;
    groups[k].answer[at] = answer[i];
    groups[k].coder[at] = coder[i];
    groups[k].span[at] = span[i];
  }
  return new Map(codeIds.map((id, k) => [id, groups[k]]));
}

/** Whether an answer's id is its question, wave and respondent joined as `answerId` joins them (no copy made). */
function isJoinedId({ id, questionId, waveId, respondentId }: AnswerRef): boolean {
  const sep = ANSWER_ID_SEPARATOR;
  const w = questionId.length + 1;
  const r = w + waveId.length + 1;
  return (
    id.length === r + respondentId.length &&
    !questionId.includes(sep) &&
    !waveId.includes(sep) &&
    id.startsWith(questionId) &&
    id[w - 1] === sep &&
    id.startsWith(waveId, w) &&
    id[r - 1] === sep &&
    id.endsWith(respondentId)
  );
}

/** Above this many (question, wave, respondent) slots a map of the answered ones is used instead of a dense array. */
const DENSE_SLOTS_MAX = 1 << 24;

/**
 * Answer positions by (question, wave, respondent) position: a dense Int32Array (-1 where unanswered) when the
 * product is small enough, else a map keyed by the slot number. Only used when every answer id is its parts joined.
 */
class AnswerSlots {
  private constructor(
    private readonly slots: Int32Array | Map<number, number>,
    private readonly respondentCount: number,
    private readonly waveCount: number,
    /** 1 for the first answer of each slot, 0 for a repeat; null when none repeats. */
    readonly firstOf: Uint8Array | null,
  ) {}

  static build(
    resp: ArrayLike<number>,
    wave: ArrayLike<number>,
    question: ArrayLike<number>,
    respondentCount: number,
    waveCount: number,
    questionCount: number,
  ) {
    const size = questionCount * waveCount * respondentCount;
    const slots: Int32Array | Map<number, number> = size <= DENSE_SLOTS_MAX ? new Int32Array(size).fill(-1) : new Map<number, number>();
    let firstOf: Uint8Array | null = null;
    for (let i = 0; i < resp.length; i++) {
      const slot = (question[i] * waveCount + wave[i]) * respondentCount + resp[i];
      const taken = slots instanceof Int32Array ? slots[slot] !== -1 : slots.has(slot);
      if (taken) {
        firstOf ??= new Uint8Array(resp.length).fill(1);
        firstOf[i] = 0;
      } else if (slots instanceof Int32Array) slots[slot] = i;
      else slots.set(slot, i);
    }
    return new AnswerSlots(slots, respondentCount, waveCount, firstOf);
  }

  /** After repeats were dropped: positions count kept answers only. */
  renumber(keep: Uint8Array | null) {
    if (keep === null) return;
    const newAt = new Int32Array(keep.length);
    for (let i = 0, n = 0; i < keep.length; i++) newAt[i] = keep[i] === 1 ? n++ : -1;
    if (this.slots instanceof Int32Array) {
      for (let s = 0; s < this.slots.length; s++) if (this.slots[s] !== -1) this.slots[s] = newAt[this.slots[s]];
    } else for (const [slot, i] of this.slots) this.slots.set(slot, newAt[i]);
  }

  /** The question and wave part of the last id looked up ("q␟w␟"), and its first slot (-1 when not in scope). */
  private lastPrefix: string | null = null;
  private lastBase = -1;

  /** The position of the answer with this id, or undefined when it is not in scope. */
  positionOf(id: string, questions: Positions, waves: Positions, respondents: Positions): number | undefined {
    let base: number;
    let from: number;
    // Codings come page by page, so most share the last one's question and wave: no slice or lookup for those.
    if (this.lastPrefix !== null && id.startsWith(this.lastPrefix)) {
      base = this.lastBase;
      from = this.lastPrefix.length;
    } else {
      const sep = ANSWER_ID_SEPARATOR;
      const i = id.indexOf(sep);
      const j = i < 0 ? -1 : id.indexOf(sep, i + 1);
      if (j < 0) return undefined;
      const q = questions.get(id.slice(0, i));
      const w = q === undefined ? undefined : waves.get(id.slice(i + 1, j));
      base = w === undefined ? -1 : (q! * this.waveCount + w) * this.respondentCount;
      from = j + 1;
      // Question and wave ids here hold no separator (every answer id is its parts joined), so an id starting with
      // this prefix has its separators at the same places.
      this.lastPrefix = id.slice(0, from);
      this.lastBase = base;
    }
    if (base === -1) return undefined;
    const r = respondents.get(id.slice(from));
    if (r === undefined) return undefined;
    const slot = base + r;
    const at = this.slots instanceof Int32Array ? this.slots[slot] : (this.slots.get(slot) ?? -1);
    return at === -1 ? undefined : at;
  }
}

/** Where the answers in scope sit: their positions' parts, and how a coding's answer id finds its position. */
interface Placed {
  /** Answer ids by position; null when they are joined from their parts on first use. */
  ids: string[] | null;
  resp: Int32Array;
  wave: Int32Array;
  question: Int32Array;
  respondents: Positions;
  waves: Positions;
  questions: Positions;
  answerAt: Map<string, number> | null;
  positionOf: (answerId: string) => number | undefined;
  /**
   * From a position in the columns' order to the answer's position here (-1 for a repeat dropped): null when
   * they are the same (no repeat) or when the answers were not given as columns (`columnOrder` says which).
   */
  fromColumn: Int32Array | null;
  /** Whether the answers were placed from columns (column positions mean something). */
  columnOrder: boolean;
}

/** Answers given one object each. */
function placeAnswers(input: AnalysisInput): Placed {
  let respondents = new Positions();
  let waves = new Positions(input.waveIds);
  let questions = new Positions(input.questionIds);
  let ids: string[] = [];
  let resp: number[] = [];
  let wave: number[] = [];
  let question: number[] = [];
  // Every answer id is normally its question, wave and respondent joined (answerId): then answers are found by
  // those three positions rather than by a map of every id, which over 700k answers was most of the index's time.
  let joined = true;
  for (const a of input.answers) {
    ids.push(a.id);
    resp.push(respondents.of(a.respondentId));
    wave.push(waves.of(a.waveId));
    question.push(questions.of(a.questionId));
    if (joined && !isJoinedId(a)) joined = false;
  }
  let positionOf: (answerId: string) => number | undefined;
  let answerAt: Map<string, number> | null = null;
  if (joined) {
    const slots = AnswerSlots.build(resp, wave, question, respondents.ids.length, waves.ids.length, questions.ids.length);
    const keep = slots.firstOf;
    if (keep !== null) {
      // A repeated id: its first answer is kept, as the map of ids kept it.
      const kept = <T>(list: T[]) => list.filter((_, i) => keep[i] === 1);
      [ids, resp, wave, question] = [kept(ids), kept(resp), kept(wave), kept(question)];
      slots.renumber(keep);
    }
    const [q, w, r] = [questions, waves, respondents];
    positionOf = (id) => slots.positionOf(id, q, w, r);
  } else {
    // Some id is not its parts joined: a map of every id, the first answer of an id kept, as the index always did.
    const refs = ids.map((id, i) => ({ id, respondentId: respondents.ids[resp[i]], waveId: waves.ids[wave[i]], questionId: questions.ids[question[i]] }));
    [respondents, waves, questions] = [new Positions(), new Positions(input.waveIds), new Positions(input.questionIds)];
    [ids, resp, wave, question] = [[], [], [], []];
    const at = new Map<string, number>();
    for (const a of refs) {
      if (at.has(a.id)) continue;
      at.set(a.id, ids.length);
      ids.push(a.id);
      resp.push(respondents.of(a.respondentId));
      wave.push(waves.of(a.waveId));
      question.push(questions.of(a.questionId));
    }
    answerAt = at;
    positionOf = (id) => at.get(id);
  }
  return {
    ids,
    resp: new Int32Array(resp),
    wave: new Int32Array(wave),
    question: new Int32Array(question),
    respondents,
    waves,
    questions,
    answerAt,
    positionOf,
    fromColumn: null,
    columnOrder: false,
  };
}

/**
 * Answers given as column chunks whose question and wave ids hold no separator, so every id is its parts joined:
 * the same positions as {@link placeAnswers} gives for the answers of {@link answerRefsOf}, straight into typed
 * arrays, one lookup per chunk for its question and wave.
 */
function placeColumns(columns: readonly AnswerColumns[], input: AnalysisInput): Placed {
  const respondents = new Positions();
  const waves = new Positions(input.waveIds);
  const questions = new Positions(input.questionIds);
  let n = 0;
  for (const c of columns) n += c.respondentIds.length;
  let resp = new Int32Array(n);
  let wave = new Int32Array(n);
  let question = new Int32Array(n);
  let at = 0;
  // Positions in a shared list of distinct ids, when every chunk has them: each id's first sight numbers it, as
  // `respondents.of` would, without hashing a string per answer.
  const shared = columns[0]?.respondentAt?.ids;
  const byPosition = shared !== undefined && columns.every((c) => c.respondentAt?.ids === shared && c.respondentAt.at.length === c.respondentIds.length);
  const numbered = byPosition ? new Int32Array(shared.length).fill(-1) : null;
  for (const { questionId, waveId, respondentIds, respondentAt } of columns) {
    // As answerRefsOf would: a chunk without answers names no wave or question.
    if (respondentIds.length === 0) continue;
    const q = questions.of(questionId);
    const w = waves.of(waveId);
    question.fill(q, at, at + respondentIds.length);
    wave.fill(w, at, at + respondentIds.length);
    if (numbered !== null) {
      const positions = respondentAt!.at;
      for (let i = 0; i < positions.length; i++) {
        const p = positions[i];
        let r = numbered[p];
        if (r === -1) r = numbered[p] = respondents.of(shared![p]);
        resp[at++] = r;
      }
    } else for (const id of respondentIds) resp[at++] = respondents.of(id);
  }
  const slots = AnswerSlots.build(resp, wave, question, respondents.ids.length, waves.ids.length, questions.ids.length);
  const keep = slots.firstOf;
  let fromColumn: Int32Array | null = null;
  if (keep !== null) {
    // A repeated answer: its first is kept, as the map of ids kept it.
    const kept = (list: Int32Array) => list.filter((_, i) => keep[i] === 1);
    [resp, wave, question] = [kept(resp), kept(wave), kept(question)];
    slots.renumber(keep);
    fromColumn = new Int32Array(keep.length);
    for (let i = 0, k = 0; i < keep.length; i++) fromColumn[i] = keep[i] === 1 ? k++ : -1;
  }
  return {
    ids: null,
    resp,
    wave,
    question,
    respondents,
    waves,
    questions,
    answerAt: null,
    positionOf: (id) => slots.positionOf(id, questions, waves, respondents),
    fromColumn,
    columnOrder: true,
  };
}

/** See the module notes. Build with {@link buildAnalysisIndex}; read-only once built. */
export class AnalysisIndex {
  #answerIds: readonly string[] | null = null;
  readonly answerCount: number;
  readonly answerRespondent: Int32Array;
  readonly answerWave: Int32Array;
  readonly answerQuestion: Int32Array;
  readonly respondentIds: readonly string[];
  readonly waveIds: readonly string[];
  readonly questionIds: readonly string[];
  /** Listed coders, then every other coder with a coding in scope (consensus included). */
  readonly coderIds: readonly string[];
  readonly codes: ReadonlyMap<string, Code>;
  readonly themes: ReadonlyMap<string, Theme>;
  private readonly children: ReadonlyMap<string, readonly string[]>;
  private readonly byCode: ReadonlyMap<string, CodeCodings>;
  /** Answer id → position, built on the first {@link answerPosition} (the index itself finds answers by their parts). */
  private answerAt: Map<string, number> | null;
  private readonly attributeOf: AnalysisInput['attributeOf'];
  private readonly attributeColumns = new Map<string, readonly string[]>();
  /** Each input coding's answer position here, in the order given; -1 for a coding out of scope. */
  readonly codingAnswers: Int32Array;
  /**
   * Whether answer positions here are the columns' own order (built from columns, no repeated answer dropped):
   * `codingAnswers` are then column positions, which the stored codings keep (lib/db/stored-codings.ts).
   */
  readonly inColumnOrder: boolean;

  constructor(input: AnalysisInput) {
    const fromColumns =
      input.columns !== undefined && input.columns.every((c) => !c.questionId.includes(ANSWER_ID_SEPARATOR) && !c.waveId.includes(ANSWER_ID_SEPARATOR));
    const placed = fromColumns
      ? placeColumns(input.columns!, input)
      : placeAnswers(input.columns === undefined ? input : { ...input, answers: answerRefsOf(input.columns) });
    this.#answerIds = placed.ids;
    this.answerCount = placed.resp.length;
    this.answerRespondent = placed.resp;
    this.answerWave = placed.wave;
    this.answerQuestion = placed.question;
    this.respondentIds = placed.respondents.ids;
    this.waveIds = placed.waves.ids;
    this.questionIds = placed.questions.ids;
    this.answerAt = placed.answerAt;
    const positionOf = placed.positionOf;
    this.attributeOf = input.attributeOf;

    const coders = new Positions(input.coderIds);
    const codeIds = new Positions();
    const cAnswer: number[] = [];
    const cCode: number[] = [];
    const cCoder: number[] = [];
    const cSpan: number[] = [];
    const placedAt: number[] = [];
    // Positions given with the codings (read from the stored codings) place them without reading their ids.
    const given = placed.columnOrder ? (input.codingAnswers ?? null) : null;
    const fromColumn = placed.fromColumn;
    const columnCount = fromColumn?.length ?? this.answerCount;
    let i = -1;
    for (const c of input.codings) {
      i++;
      let at: number | undefined;
      const g = given !== null && i < given.length ? given[i] : -1;
      if (g >= 0 && g < columnCount) {
        at = fromColumn === null ? g : fromColumn[g];
        // A repeat dropped: the id finds its first answer.
        if (at === -1) at = positionOf(c.answerId);
      } else if (g === -2) at = undefined;
      else at = positionOf(c.answerId);
      placedAt.push(at ?? -1);
      if (at === undefined) continue;
      cAnswer.push(at);
      cCode.push(codeIds.of(c.codeId));
      cCoder.push(coders.of(c.coderId));
      cSpan.push(c.start === null ? 0 : 1);
    }
    this.byCode = groupByCode(codeIds.ids, cAnswer, cCode, cCoder, cSpan, this.answerCount);
    this.codingAnswers = Int32Array.from(placedAt);
    this.inColumnOrder = placed.columnOrder && fromColumn === null;
    this.coderIds = coders.ids;

    this.codes = new Map(input.codes.map((c) => [c.id, c]));
    this.themes = new Map(input.themes.map((t) => [t.id, t]));
    const children = new Map<string, string[]>();
    for (const c of input.codes) {
      if (c.parentId === null) continue;
      const list = children.get(c.parentId);
      if (list) list.push(c.id);
      else children.set(c.parentId, [c.id]);
    }
    this.children = children;
  }

  /** Each answer's id, by position (joined from its parts on first use when the index was built from columns). */
  get answerIds(): readonly string[] {
    if (this.#answerIds === null) {
      const sep = ANSWER_ID_SEPARATOR;
      const ids = new Array<string>(this.answerCount);
      for (let a = 0; a < ids.length; a++)
        ids[a] = `${this.questionIds[this.answerQuestion[a]]}${sep}${this.waveIds[this.answerWave[a]]}${sep}${this.respondentIds[this.answerRespondent[a]]}`;
      this.#answerIds = ids;
    }
    return this.#answerIds;
  }

  /**
   * One answer's id: from `answerIds` once they are joined, else joined alone and kept. The crosstab names the
   * coded answers of its cells; joining all 700k ids for them took ~2 % of a cold warm-up (Node profile) and ~40 MB.
   */
  answerIdAt(a: number): string {
    if (this.#answerIds !== null) return this.#answerIds[a];
    this.#someIds ??= new Array<string | undefined>(this.answerCount);
    let id = this.#someIds[a];
    if (id === undefined) {
      // The question and wave part once per pair ("q␟w␟"), then one join an id: a crosstab names ~250k answers.
      const w = this.waveIds.length;
      const slot = this.answerQuestion[a] * w + this.answerWave[a];
      this.#prefixes ??= new Array<string | undefined>(this.questionIds.length * w);
      let prefix = this.#prefixes[slot];
      if (prefix === undefined) {
        const sep = ANSWER_ID_SEPARATOR;
        prefix = this.#prefixes[slot] = `${this.questionIds[this.answerQuestion[a]]}${sep}${this.waveIds[this.answerWave[a]]}${sep}`;
      }
      id = this.#someIds[a] = prefix + this.respondentIds[this.answerRespondent[a]];
    }
    return id;
  }

  #someIds: (string | undefined)[] | null = null;
  #prefixes: (string | undefined)[] | null = null;

  get respondentCount(): number {
    return this.respondentIds.length;
  }

  /** Position of an answer in scope, or undefined. */
  answerPosition(answerId: string): number | undefined {
    if (!this.answerAt) {
      const at = new Map<string, number>();
      this.answerIds.forEach((id, i) => at.set(id, i));
      this.answerAt = at;
    }
    return this.answerAt.get(answerId);
  }

  /** The code's codings on answers in scope (by every coder). */
  codingsOf(codeId: string): CodeCodings {
    return this.byCode.get(codeId) ?? NO_CODINGS;
  }

  /** The code and all its descendants, the code first; safe against a cycle in stored parent ids. */
  withDescendants(codeId: string): string[] {
    const out = [codeId];
    const seen = new Set(out);
    for (let i = 0; i < out.length; i++) {
      for (const child of this.children.get(out[i]) ?? []) {
        if (!seen.has(child)) {
          seen.add(child);
          out.push(child);
        }
      }
    }
    return out;
  }

  /** Each respondent's value of an attribute, by respondent position ("" when unknown); read once, then cached. */
  attributeColumn(name: string): readonly string[] {
    let column = this.attributeColumns.get(name);
    if (!column) {
      column = this.respondentIds.map((id) => this.attributeOf(id, name) ?? '');
      this.attributeColumns.set(name, column);
    }
    return column;
  }
}

/**
 * Index the answers in scope and the codings on them (see the module notes).
 * Build once per change of scope or codings; every view then reads it.
 */
export function buildAnalysisIndex(input: AnalysisInput): AnalysisIndex {
  return new AnalysisIndex(input);
}
