/**
 * Search without an index: the answers' words as lemma keys, one short array
 * per answer, scanned per query.
 *
 * A question's {@link AnswerIndex} (MiniSearch) takes seconds to build at 100k
 * answers and about 1.3 kB of heap per answer. Keying the words (tokenising
 * and lemmatising, memoised per distinct word) is a fraction of that build,
 * and what it leaves — one small integer per word, and the distinct keys — is
 * a few bytes per word. A query is planned exactly as the index plans it
 * ({@link planQuery}); its term, prefix and typo expansions are looked up in
 * the distinct keys instead of MiniSearch's radix tree (the same prefix test,
 * the same Levenshtein distance), and an answer matches when it holds one of
 * the keys reached: the same answers and highlights as the index, by
 * construction, and tested so on random corpora and queries.
 *
 * Keying can be done in slices ({@link AnswerScan.keyNext}), so a worker can
 * prepare a question between messages; a search asked before the last slice
 * keys the rest first.
 */
import MiniSearch, { type Query, type QueryCombination } from 'minisearch';
import { loadNlp } from '../nlp/wink';
import { forEachWord, indexKeys } from '../nlp/lemmatize';
import { boundedEditDistance, FormLookup } from './forms';
import { phraseOccurs } from './phrase';
import { MAX_TYPOS, planQuery } from './plan';

/** What {@link AnswerScan.matchPositions} returns: as AnswerIndex.matchPositions does. */
export interface ScanMatch {
  /** mask[i] is 1 when the i-th answer matches. */
  mask: Uint8Array;
  count: number;
  ranges: (text: string) => [number, number][];
}

/** The distinct keys, sorted (for prefixes) and by length (for typos), rebuilt when keys were added. */
interface Vocabulary {
  size: number;
  sorted: string[];
  byLength: Map<number, string[]>;
}

export class AnswerScan {
  readonly texts: readonly string[];
  /** Distinct keys → their number. */
  private readonly keyIds = new Map<string, number>();
  /** Answer i's key numbers are keys[starts[i] .. starts[i + 1]). */
  private starts: Uint32Array;
  private keys = new Int32Array(1 << 16);
  private used = 0;
  private keyed = 0;
  private vocabulary: Vocabulary | null = null;
  private readonly forms = new FormLookup();

  private constructor(texts: readonly string[]) {
    this.texts = texts;
    this.starts = new Uint32Array(texts.length + 1);
  }

  /** A scan over these answers (in list order: results are masks over it), once wink-nlp has loaded. Nothing is keyed yet. */
  static async create(texts: readonly string[]): Promise<AnswerScan> {
    await loadNlp();
    return new AnswerScan(texts);
  }

  get size(): number {
    return this.texts.length;
  }

  /** Every answer is keyed. */
  get complete(): boolean {
    return this.keyed >= this.texts.length;
  }

  /** How many answers are keyed. */
  get progress(): number {
    return this.keyed;
  }

  /** Heap held besides the texts, in bytes (the key arrays and the distinct keys, roughly). */
  get bytes(): number {
    let keyChars = 0;
    for (const key of this.keyIds.keys()) keyChars += key.length;
    return this.keys.byteLength + this.starts.byteLength + this.keyIds.size * 48 + keyChars * 2;
  }

  /** Keys the next `count` answers; returns whether every answer is keyed. */
  keyNext(count: number): boolean {
    const end = Math.min(this.texts.length, this.keyed + Math.max(1, Math.floor(count)));
    const push = (key: string) => {
      let id = this.keyIds.get(key);
      if (id === undefined) {
        id = this.keyIds.size;
        this.keyIds.set(key, id);
        this.vocabulary = null;
      }
      if (this.used === this.keys.length) {
        const grown = new Int32Array(this.keys.length * 2);
        grown.set(this.keys);
        this.keys = grown;
      }
      this.keys[this.used++] = id;
    };
    for (let i = this.keyed; i < end; i++) {
      this.starts[i] = this.used;
      // The words MiniSearch indexes: its tokenizer is wordStrings, its processTerm indexKeys.
      forEachWord(this.texts[i], (_start, _end, word) => {
        const keys = indexKeys(word);
        if (typeof keys === 'string') push(keys);
        else for (const key of keys) push(key);
      });
    }
    this.keyed = end;
    this.starts[end] = this.used;
    if (this.complete && this.keys.length > this.used * 1.25) this.keys = this.keys.slice(0, this.used);
    return this.complete;
  }

  private vocab(): Vocabulary {
    if (this.vocabulary) return this.vocabulary;
    const sorted = [...this.keyIds.keys()].sort();
    const byLength = new Map<number, string[]>();
    for (const key of sorted) {
      const bucket = byLength.get(key.length);
      if (bucket) bucket.push(key);
      else byLength.set(key.length, [key]);
    }
    this.vocabulary = { size: this.keyIds.size, sorted, byLength };
    return this.vocabulary;
  }

  /**
   * The answers matching `query`, as a mask over the answers in the order
   * given, with the highlighter for a hit's text: what AnswerIndex.matchPositions
   * returns for the same answers. Keys whatever is not keyed yet first.
   */
  matchPositions(query: string): ScanMatch {
    if (!this.complete) this.keyNext(this.texts.length);
    const { termQueries, phrases, termKeys, ranges } = planQuery(this.forms, query);
    const n = this.texts.length;
    if (termQueries.length === 0 && phrases.length === 0) return { mask: new Uint8Array(n), count: 0, ranges };
    let mask: Uint8Array | null = null;
    for (const termQuery of termQueries) {
      const docs = this.evaluate(termQuery, termKeys);
      mask = mask ? intersect(mask, docs) : docs;
    }
    for (const phrase of phrases) {
      if (phrase.query === null || phrase.norm.length === 0) return { mask: new Uint8Array(n), count: 0, ranges };
      const docs = phrase.query === MiniSearch.wildcard ? new Uint8Array(n).fill(1) : this.evaluate(phrase.query, null);
      const candidates: Uint8Array = mask ? intersect(mask, docs) : docs;
      for (let i = 0; i < n; i++) if (candidates[i] === 1 && !phraseOccurs(this.texts[i], phrase.norm, phrase.open)) candidates[i] = 0;
      mask = candidates;
    }
    const out = mask ?? new Uint8Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) count += out[i];
    return { mask: out, count, ranges };
  }

  /** The answers a planned query matches (as AnswerIndex.evaluate); records the keys it reached in `reached`. */
  private evaluate(query: Query, reached: Set<string> | null): Uint8Array {
    if (typeof query !== 'object') throw new Error('AnswerScan.evaluate: only query combinations are planned');
    const and = (query.combineWith ?? 'OR').toUpperCase() === 'AND';
    // An OR of leaves (a term and its expansions) is one set of keys: one pass over the answers.
    const wanted = and ? null : this.keysOf(query);
    if (wanted) return this.answersWith(wanted, reached);
    const n = this.texts.length;
    let out: Uint8Array | null = and ? null : new Uint8Array(n);
    for (const child of query.queries as (Query | string)[]) {
      let docs: Uint8Array;
      if (typeof child === 'string') {
        const keys = new Set<number>();
        this.expand(child, query, keys);
        docs = this.answersWith(keys, reached);
      } else docs = this.evaluate(child, reached);
      if (and) out = out ? intersect(out, docs) : docs;
      else for (let i = 0; i < n; i++) (out as Uint8Array)[i] |= docs[i];
    }
    return out ?? new Uint8Array(n);
  }

  private names: string[] | null = null;
  private keyName(id: number): string {
    if (this.names === null || this.names.length !== this.keyIds.size) {
      this.names = new Array<string>(this.keyIds.size);
      for (const [key, i] of this.keyIds) this.names[i] = key;
    }
    return this.names[id];
  }

  /** The key numbers an OR of strings and leaf queries reaches (null when it holds an AND). */
  private keysOf(query: QueryCombination): Set<number> | null {
    if ((query.combineWith ?? 'OR').toUpperCase() !== 'OR') return null;
    const out = new Set<number>();
    for (const child of query.queries as (Query | string)[]) {
      if (typeof child === 'string') {
        this.expand(child, query, out);
        continue;
      }
      if (typeof child !== 'object') return null;
      const sub = this.keysOf(child);
      if (sub === null) return null;
      for (const id of sub) out.add(id);
    }
    return out;
  }

  /** The keys present that `term` reaches as the leaf asks: itself, by prefix, within its typo distance (as AnswerIndex.markTerm). */
  private expand(term: string, leafQuery: QueryCombination, out: Set<number>) {
    if (!term) return;
    const own = this.keyIds.get(term);
    if (own !== undefined) out.add(own);
    const vocab = this.vocab();
    if (leafQuery.prefix === true) {
      let lo = 0;
      let hi = vocab.sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (vocab.sorted[mid] < term) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < vocab.sorted.length && vocab.sorted[i].startsWith(term); i++) out.add(this.keyIds.get(vocab.sorted[i]) as number);
    }
    const fuzzy = leafQuery.fuzzy;
    if (typeof fuzzy === 'number' && fuzzy > 0) {
      const distance = fuzzy < 1 ? Math.min(MAX_TYPOS, Math.round(term.length * fuzzy)) : fuzzy;
      if (distance <= 0) return;
      // MiniSearch's fuzzy search counts plain Levenshtein edits (no transpositions).
      for (let len = Math.max(0, term.length - distance); len <= term.length + distance; len++) {
        for (const key of vocab.byLength.get(len) ?? []) {
          if (boundedEditDistance(term, key, distance, false) <= distance) out.add(this.keyIds.get(key) as number);
        }
      }
    }
  }

  /** Answers holding any of the keys (every key known is held by some answer: `reached` gets them all). */
  private answersWith(wanted: Set<number>, reached: Set<string> | null): Uint8Array {
    const n = this.texts.length;
    const docs = new Uint8Array(n);
    if (wanted.size === 0) return docs;
    if (reached) for (const id of wanted) reached.add(this.keyName(id));
    const hit = new Uint8Array(this.keyIds.size);
    for (const id of wanted) hit[id] = 1;
    const { keys, starts } = this;
    for (let i = 0; i < n; i++) {
      for (let k = starts[i], end = starts[i + 1]; k < end; k++) {
        if (hit[keys[k]] === 1) {
          docs[i] = 1;
          break;
        }
      }
    }
    return docs;
  }
}

/** a AND b, written into a. */
function intersect(a: Uint8Array, b: Uint8Array): Uint8Array {
  for (let i = 0; i < a.length; i++) a[i] &= b[i];
  return a;
}
