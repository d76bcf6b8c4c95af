/**
 * Full-text search over answers: MiniSearch over wink-nlp lemma keys.
 *
 * Matching rules (what `search` does with what the user typed):
 *
 * - Terms and phrases. Text in double quotes, straight or curly, is an exact
 *   phrase; the rest is split into words (terms). See {@link parseQuery}.
 * - AND. An answer must match every term and every phrase.
 * - Word forms. Answer words and query words are both keyed by
 *   {@link lemmatizeTerm} (lower case, accents folded, wink-nlp lemma), so
 *   "mentoring" finds "mentored" and "mentors", "women" finds "woman",
 *   "Siobhan" finds "Siobhán".
 * - Typos. A term of 4 or more letters (and no digits) also matches words a
 *   few edits away: 1 edit (insert, delete or change a letter) for 5–9
 *   letters, 2 for 10 or more — about 0.2 × length, rounded down — and
 *   swapping two adjacent letters counts as one edit, the only edit allowed
 *   at 4 letters ("mentro" → "mentor", "confidnce" → "confidence", "tiem" →
 *   "time", but "ment" does not become "meet"). Typos are matched against
 *   lemma keys, with the edits counted on the key ("trainings" keys to
 *   "train": 1 edit), and against the forms people wrote, counted on what was
 *   typed ("mentorring" → "mentoring"). Answers' own typos are found the same
 *   way ("confidence" finds "confidnce").
 * - Prefix. Only the last term, and only while it is being typed — the input
 *   ends in it, with no space after it — also matches words that start with
 *   it ("ment" → "mentor", "mental"; "meetin" → "meetings"), lemma keys and
 *   written forms alike, when it has at least 3 characters. Typing a space
 *   after a word ends it: then it matches as a whole word only. Earlier terms
 *   are whole words (typo-tolerant).
 * - Compounds. A hyphenated or underscored word is indexed whole and by its
 *   parts, so "confidence" finds "self-confidence". A query term "well-being"
 *   finds the compound (and "wellbeing", a typo away); type "well being" in
 *   quotes for the words written apart.
 * - Phrases. Candidates are the answers having every word of the phrase
 *   (exact keys, no typo or prefix matching, except a last word still being
 *   typed in an unclosed quote), kept only if the phrase occurs in the text:
 *   case-insensitive, accent-folded, whitespace runs as one space, on word
 *   boundaries ("shared background" matches "Shared  background," but not
 *   "background that we shared" or "unshared backgrounds").
 * - Ranking. MiniSearch's BM25+ score summed over terms and phrases; exact
 *   matches weigh more than prefix (0.375) and typo (0.45) matches. Scores
 *   are rounded to single precision; equal scores are ordered by id.
 * - Highlight ranges. A hit's text is re-tokenised; a word is marked when its
 *   key is one the terms matched (exactly, by prefix or as a typo: so
 *   "mentored" is marked for "mentoring", "mentorship" for "ment"), a
 *   compound's part when only the part matched, and every occurrence of each
 *   phrase (not its words elsewhere). Ranges are UTF-16 `[start, end)`,
 *   sorted, merged where they overlap or touch.
 * - An empty query (no word in it) matches nothing.
 */
import MiniSearch, {
  type AsPlainObject,
  type Options,
  type Query,
  type QueryCombination,
  type SearchOptions as MiniSearchOptions,
  type SearchResult,
} from 'minisearch';
import { loadNlp, isNlpLoaded } from '../nlp/wink';
import { addKnownForms, indexKeys, knownForms, LEMMA_KEY_VERSION, wordStrings } from '../nlp/lemmatize';
import { FormLookup } from './forms';
import { phraseOccurs } from './phrase';
import { asIs, MAX_TYPOS, planQuery, whole } from './plan';

export { parseQuery, type ParsedQuery } from './query';

export interface SearchDoc {
  /** Answer id (opaque). */
  id: string;
  text: string;
}

/** What the user typed. */
export interface SearchQuery {
  text: string;
}

export interface SearchHit {
  id: string;
  score: number;
  /** UTF-16 `[start, end)` of the matched words and phrases in the answer text, sorted, not overlapping. */
  ranges: [number, number][];
}

export interface AnswerIndexOptions {
  /** Called after each chunk of {@link AnswerIndex.addAll}: documents added so far in that call, and its total. */
  onProgress?: (done: number, total: number) => void;
  /** Checked between chunks; adding stops with the signal's reason once it is aborted. */
  signal?: AbortSignal;
  /** Documents per chunk (default 5,000). */
  chunkSize?: number;
}

/** What {@link AnswerIndex.find} returns. */
export interface SearchResults {
  /** Matching answers, best first. */
  hits: { id: string; score: number }[];
  /** Highlight ranges in a hit's text (UTF-16 `[start, end)`, sorted, not overlapping): see the module notes. */
  ranges(text: string): [number, number][];
}

export interface AnswerSearchOptions {
  /** Keep only answers for which this returns true (for example, one question's answers). */
  filter?: (id: string) => boolean;
}

/** What {@link AnswerIndex.toJSON} returns: plain data (JSON- and structured-clone-safe). */
export interface SerializedAnswerIndex {
  format: typeof FORMAT;
  version: number;
  keyVersion: number;
  minisearch: AsPlainObject;
  forms: [string, string][];
}

/** Thrown by {@link AnswerIndex.fromJSON} for data that is not a serialised index of this version: rebuild the index. */
export class IncompatibleIndexError extends Error {
  override name = 'IncompatibleIndexError';
}

const FORMAT = 'codebench/answer-index' as const;
const FORMAT_VERSION = 1;
const DEFAULT_CHUNK = 5000;

/** a AND b, written into a. */
function intersect(a: Uint8Array, b: Uint8Array): Uint8Array {
  for (let i = 0; i < a.length; i++) a[i] &= b[i];
  return a;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byScoreThenId = (a: { id: string; score: number }, b: { id: string; score: number }) => b.score - a.score || byId(a, b);

/** Sorts each run of equal scores by id, in a list already sorted by score. */
function orderTies(hits: { id: string; score: number }[]): void {
  for (let i = 0; i < hits.length;) {
    let j = i + 1;
    while (j < hits.length && hits[j].score === hits[i].score) j++;
    if (j - i > 1) {
      const run = hits.slice(i, j).sort(byId);
      for (let k = 0; k < run.length; k++) hits[i + k] = run[k];
    }
    i = j;
  }
}

function isSerialized(json: unknown): json is SerializedAnswerIndex {
  if (json === null || typeof json !== 'object') return false;
  const o = json as Partial<SerializedAnswerIndex>;
  return (
    o.format === FORMAT &&
    typeof o.version === 'number' &&
    typeof o.keyVersion === 'number' &&
    typeof o.minisearch === 'object' &&
    o.minisearch !== null &&
    Array.isArray(o.forms)
  );
}

/** A term's postings as MiniSearch keeps them: field id → (short document id → term frequency). */
type FieldPostings = Map<number, Map<number, number>>;

/**
 * The parts of MiniSearch's index that {@link AnswerIndex.match} reads. They are
 * not public API (MiniSearch ranks; it has no unranked "which documents"
 * call), so `match` is tested against `find` on random corpora: a MiniSearch
 * upgrade that changes them fails those tests rather than the app.
 */
interface MiniSearchInternals {
  _index: {
    get(term: string): FieldPostings | undefined;
    atPrefix(prefix: string): Iterable<[string, FieldPostings]>;
    fuzzyGet(term: string, maxDistance: number): Map<string, [FieldPostings, number]>;
  };
  _documentIds: Map<number, string>;
  _nextId: number;
}

/** What {@link AnswerIndex.match} found: the answers, unranked, and how to mark a hit's words. */
export interface MatchResults {
  ids: string[];
  ranges: (text: string) => [number, number][];
}

export class AnswerIndex {
  private readonly ms: MiniSearch<SearchDoc>;
  private readonly opts: AnswerIndexOptions;
  private readonly forms = new FormLookup();

  private constructor(ms: MiniSearch<SearchDoc>, opts: AnswerIndexOptions) {
    this.ms = ms;
    this.opts = opts;
  }

  /** MiniSearch options; the same for a new index and for one loaded from JSON. */
  private static miniSearchOptions(): Options<SearchDoc> {
    return {
      idField: 'id',
      fields: ['text'],
      storeFields: [],
      tokenize: (text) => wordStrings(text),
      processTerm: indexKeys,
      searchOptions: { tokenize: whole, processTerm: asIs },
    };
  }

  /** An empty index, once wink-nlp has loaded. */
  static async create(opts: AnswerIndexOptions = {}): Promise<AnswerIndex> {
    await loadNlp();
    return new AnswerIndex(new MiniSearch<SearchDoc>(AnswerIndex.miniSearchOptions()), opts);
  }

  /**
   * An index from {@link toJSON}'s output (or that as a JSON string). wink-nlp
   * must be loaded ({@link loadNlp}, or use {@link load}). Throws
   * {@link IncompatibleIndexError} for data of another format or built under
   * other lemma rules: rebuild the index from the answers then.
   */
  static fromJSON(json: unknown, opts: AnswerIndexOptions = {}): AnswerIndex {
    if (!isNlpLoaded()) throw new Error('wink-nlp is not loaded yet: await loadNlp() before AnswerIndex.fromJSON (or use AnswerIndex.load)');
    let data: unknown = json;
    if (typeof json === 'string') {
      try {
        data = JSON.parse(json);
      } catch {
        throw new IncompatibleIndexError('not a serialised answer index (invalid JSON)');
      }
    }
    if (!isSerialized(data)) throw new IncompatibleIndexError('not a serialised answer index');
    if (data.version !== FORMAT_VERSION) throw new IncompatibleIndexError(`answer index format ${data.version}, expected ${FORMAT_VERSION}`);
    if (data.keyVersion !== LEMMA_KEY_VERSION) {
      throw new IncompatibleIndexError(`answer index built with lemma rules ${data.keyVersion}, expected ${LEMMA_KEY_VERSION}`);
    }
    let ms: MiniSearch<SearchDoc>;
    try {
      ms = MiniSearch.loadJS<SearchDoc>(data.minisearch, AnswerIndex.miniSearchOptions());
    } catch (error) {
      throw new IncompatibleIndexError(`answer index could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
    }
    addKnownForms(data.forms);
    return new AnswerIndex(ms, opts);
  }

  /** {@link fromJSON} after loading wink-nlp. */
  static async load(json: unknown, opts: AnswerIndexOptions = {}): Promise<AnswerIndex> {
    await loadNlp();
    return AnswerIndex.fromJSON(json, opts);
  }

  /** Plain data to store or post; load it with {@link fromJSON}. */
  toJSON(): SerializedAnswerIndex {
    return {
      format: FORMAT,
      version: FORMAT_VERSION,
      keyVersion: LEMMA_KEY_VERSION,
      minisearch: this.ms.toJSON(),
      forms: [...knownForms()],
    };
  }

  /** Number of answers indexed. */
  get size(): number {
    return this.ms.documentCount;
  }

  has(id: string): boolean {
    return this.ms.has(id);
  }

  add(doc: SearchDoc): void {
    this.ms.add(doc);
  }

  private chunks(): number {
    const size = this.opts.chunkSize ?? DEFAULT_CHUNK;
    return size > 0 ? Math.floor(size) : DEFAULT_CHUNK;
  }

  /**
   * Add answers (ids not yet in the index; use {@link replace} for those that
   * are), in chunks, reporting progress after each one. Synchronous: in a
   * worker, an abort message is only seen between calls — use
   * {@link addAllAsync} for an abortable load.
   */
  addAll(docs: readonly SearchDoc[]): void {
    const total = docs.length;
    const size = this.chunks();
    for (let i = 0; i < total; i += size) {
      this.opts.signal?.throwIfAborted();
      this.ms.addAll(docs.slice(i, i + size));
      this.opts.onProgress?.(Math.min(i + size, total), total);
    }
  }

  /** {@link addAll}, yielding to the event loop between chunks so messages (and aborts) get through. */
  async addAllAsync(docs: readonly SearchDoc[]): Promise<void> {
    const total = docs.length;
    const size = this.chunks();
    for (let i = 0; i < total; i += size) {
      this.opts.signal?.throwIfAborted();
      this.ms.addAll(docs.slice(i, i + size));
      this.opts.onProgress?.(Math.min(i + size, total), total);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    this.opts.signal?.throwIfAborted();
  }

  /** Remove an answer; false if it was not indexed. */
  remove(id: string): boolean {
    if (!this.ms.has(id)) return false;
    this.ms.discard(id);
    return true;
  }

  /** Index the answer's new text (adds it if it was not indexed). */
  replace(doc: SearchDoc): void {
    if (this.ms.has(doc.id)) this.ms.replace(doc);
    else this.ms.add(doc);
  }

  /**
   * The answers {@link find} returns for `query`, unranked, in index order.
   * The answer list shows hits in its own order and only needs the set, so
   * this skips what ranking costs (a BM25 score and a match record per hit,
   * and a sort): at 100k answers a common word matches half of them.
   * Highlights mark every word the query's terms reach in the index; on a
   * hit's text that is exactly what find's ranges mark.
   */
  match(query: string | SearchQuery, getText: (id: string) => string | undefined): MatchResults {
    const { mask, ranges } = this.matchMask(query, getText);
    const internals = this.ms as unknown as MiniSearchInternals;
    const ids: string[] = [];
    if (mask) {
      for (let shortId = 0; shortId < mask.length; shortId++) {
        if (mask[shortId] !== 1) continue;
        const id = internals._documentIds.get(shortId);
        if (id !== undefined) ids.push(id);
      }
    }
    return { ids, ranges };
  }

  /**
   * Each indexed answer's place in the caller's list (its position, by the
   * index's internal document number), for {@link matchPositions}. Build it
   * once the index is complete: answers added or removed later are not in it.
   */
  positionTable(positionOf: (id: string) => number | undefined): Int32Array {
    const internals = this.ms as unknown as MiniSearchInternals;
    const table = new Int32Array(internals._nextId).fill(-1);
    for (const [shortId, id] of internals._documentIds) table[shortId] = positionOf(id) ?? -1;
    return table;
  }

  /**
   * {@link match} as a mask over the caller's list (`length` places, from a
   * {@link positionTable}): at 100k answers a common word matches 55k, and
   * building that many id strings only to look their places up again cost
   * more than the search.
   */
  matchPositions(
    query: string | SearchQuery,
    getText: (id: string) => string | undefined,
    table: Int32Array,
    length: number,
  ): { mask: Uint8Array; count: number; ranges: MatchResults['ranges'] } {
    const found = this.matchMask(query, getText);
    const out = new Uint8Array(length);
    let count = 0;
    if (found.mask) {
      const limit = Math.min(found.mask.length, table.length);
      for (let shortId = 0; shortId < limit; shortId++) {
        if (found.mask[shortId] !== 1) continue;
        const position = table[shortId];
        if (position < 0 || position >= length) continue;
        out[position] = 1;
        count++;
      }
    }
    return { mask: out, count, ranges: found.ranges };
  }

  /** The documents matching `query` as a mask over short ids (null when nothing can match), and the highlighter. */
  private matchMask(query: string | SearchQuery, getText: (id: string) => string | undefined): { mask: Uint8Array | null; ranges: MatchResults['ranges'] } {
    const { termQueries, phrases, termKeys, ranges } = planQuery(this.forms, typeof query === 'string' ? query : query.text);
    if (termQueries.length === 0 && phrases.length === 0) return { mask: null, ranges };
    const internals = this.ms as unknown as MiniSearchInternals;
    const size = internals._nextId;
    let mask: Uint8Array | null = null;
    for (const termQuery of termQueries) {
      const docs = this.evaluate(termQuery, internals, size, termKeys);
      mask = mask ? intersect(mask, docs) : docs;
    }
    for (const phrase of phrases) {
      if (phrase.query === null || phrase.norm.length === 0) return { mask: null, ranges };
      const docs = typeof phrase.query === 'object' ? this.evaluate(phrase.query, internals, size, null) : new Uint8Array(size).fill(1);
      const candidates: Uint8Array = mask ? intersect(mask, docs) : docs;
      for (let shortId = 0; shortId < size; shortId++) {
        if (candidates[shortId] !== 1) continue;
        const id = internals._documentIds.get(shortId);
        if (id === undefined || !phraseOccurs(getText(id) ?? '', phrase.norm, phrase.open)) candidates[shortId] = 0;
      }
      mask = candidates;
    }
    return { mask, ranges };
  }

  /** Documents a query built by leaf/termQuery/phraseQuery matches, as a mask over short ids; records the terms it reached. */
  private evaluate(query: Query, internals: MiniSearchInternals, size: number, reached: Set<string> | null): Uint8Array {
    if (typeof query !== 'object') throw new Error('AnswerIndex.evaluate: only query combinations are built here');
    const children = query.queries as (Query | string)[];
    const and = (query.combineWith ?? 'OR').toUpperCase() === 'AND';
    let out: Uint8Array | null = and ? null : new Uint8Array(size);
    for (const child of children) {
      let docs: Uint8Array;
      if (typeof child === 'string') {
        docs = new Uint8Array(size);
        this.markTerm(child, query, internals, docs, reached);
      } else {
        docs = this.evaluate(child, internals, size, reached);
      }
      if (and) out = out ? intersect(out, docs) : docs;
      else for (let i = 0; i < size; i++) (out as Uint8Array)[i] |= docs[i];
    }
    return out ?? new Uint8Array(size);
  }

  /** Marks the documents holding `term` (and its prefix and typo expansions, as the leaf asks). */
  private markTerm(term: string, leafQuery: QueryCombination, internals: MiniSearchInternals, docs: Uint8Array, reached: Set<string> | null) {
    if (!term) return;
    const mark = (derived: string, postings: FieldPostings | undefined) => {
      if (!postings) return;
      let any = false;
      for (const perDoc of postings.values()) {
        for (const shortId of perDoc.keys()) {
          // Discarded documents stay in postings until MiniSearch vacuums them.
          if (!internals._documentIds.has(shortId)) continue;
          docs[shortId] = 1;
          any = true;
        }
      }
      if (any) reached?.add(derived);
    };
    mark(term, internals._index.get(term));
    if (leafQuery.prefix === true) for (const [derived, postings] of internals._index.atPrefix(term)) if (derived !== term) mark(derived, postings);
    const fuzzy = leafQuery.fuzzy;
    if (typeof fuzzy === 'number' && fuzzy > 0) {
      const distance = fuzzy < 1 ? Math.min(MAX_TYPOS, Math.round(term.length * fuzzy)) : fuzzy;
      if (distance > 0) for (const [derived, [postings]] of internals._index.fuzzyGet(term, distance)) if (derived !== term) mark(derived, postings);
    }
  }

  find(query: string | SearchQuery, getText: (id: string) => string | undefined, opts: AnswerSearchOptions = {}): SearchResults {
    const { termQueries, phrases, termKeys, ranges } = planQuery(this.forms, typeof query === 'string' ? query : query.text);
    const none: SearchResults = { hits: [], ranges };
    if (termQueries.length === 0 && phrases.length === 0) return none;

    const userFilter = opts.filter;
    // Score of each answer still in the running; null until the first constraint.
    let scores: Map<string, number> | null = null;
    let termHits: SearchResult[] = [];
    if (termQueries.length > 0) {
      const searchOpts: MiniSearchOptions = userFilter ? { filter: (r) => userFilter(r.id as string) } : {};
      termHits = this.ms.search({ combineWith: 'AND', queries: termQueries }, searchOpts);
      for (const r of termHits) for (const t of r.terms) termKeys.add(t);
      if (phrases.length > 0) scores = new Map(termHits.map((r) => [r.id as string, r.score]));
    }
    for (const phrase of phrases) {
      const phraseQuery: Query | null = phrase.query;
      if (phraseQuery === null || phrase.norm.length === 0) return none;
      const current: Map<string, number> | null = scores;
      if (current !== null && current.size === 0) return none;
      const filter: MiniSearchOptions['filter'] = current ? (r) => current.has(r.id as string) : userFilter ? (r) => userFilter(r.id as string) : undefined;
      const next = new Map<string, number>();
      for (const r of this.ms.search(phraseQuery, filter ? { filter } : {})) {
        const id = r.id as string;
        if (!phraseOccurs(getText(id) ?? '', phrase.norm, phrase.open)) continue;
        next.set(id, (current?.get(id) ?? 0) + r.score);
      }
      scores = next;
    }
    // Scores are rounded to single precision and ties ordered by id, so that the
    // order does not depend on the order MiniSearch happened to add up the parts
    // of a score in (which differs, in the last bit, after toJSON/fromJSON).
    let hits: { id: string; score: number }[];
    if (scores === null) {
      // Terms only: MiniSearch's order already, rounding keeps it; only ties need ordering.
      hits = termHits.map((r) => ({ id: r.id as string, score: Math.fround(r.score) }));
      orderTies(hits);
    } else {
      hits = [...scores].map(([id, score]) => ({ id, score: Math.fround(score) }));
      hits.sort(byScoreThenId);
    }
    return { hits, ranges };
  }

  /**
   * Answers matching `query` (see the rules at the top of this module), best
   * first, each with its highlight ranges. `getText` returns an answer's text
   * by id (the index does not keep texts). For a large result of which only a
   * page is shown, {@link find} is cheaper: it computes ranges on demand.
   */
  search(query: string | SearchQuery, getText: (id: string) => string | undefined, opts: AnswerSearchOptions = {}): SearchHit[] {
    const found = this.find(query, getText, opts);
    return found.hits.map(({ id, score }) => ({ id, score, ranges: found.ranges(getText(id) ?? '') }));
  }
}
