/**
 * The assistant's feature space: every answer text of a project as one sparse,
 * L2-normalised tf-idf row, built once and reused by every retrain.
 *
 * Two blocks, each normalised on its own and weighted so the row has norm 1:
 * - words (the app's word scanner, `normalizeWord`) and pairs of adjacent words;
 * - character n-grams inside word boundaries ("char_wb", n = 3…5 by default), which
 * carry spelling variants, inflections and typos that short answers are full of.
 *
 * Terms are hashed (FNV-1a, 2^21 slots per block) rather than kept as strings: no
 * substring is ever built for a character n-gram, so 100k answers take seconds and
 * memory stays proportional to the non-zeros. Slots seen in fewer than `minDf`
 * texts are dropped (they cannot generalise) and the rest renumbered densely.
 * idf uses every text, coded or not: unlabelled text is fair to use.
 */

import { scanWords } from '../nlp/tokens';
import { normalizeWord } from '../nlp/lemmatize';

/** A sparse matrix in compressed sparse row form: row r's entries are `indptr[r]` … `indptr[r + 1] - 1`. */
export interface CsrMatrix {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export interface FeatureOptions {
  /** Shortest and longest character n-gram (inside word boundaries); 3 and 5 by default. */
  charMin?: number;
  charMax?: number;
  /** Add pairs of adjacent words; true by default. */
  wordPairs?: boolean;
  /** Share of the squared norm given to the word block (the rest to characters); 0.5 by default. */
  wordShare?: number;
  /** Drop terms found in fewer texts than this; 2 by default (1 keeps everything). */
  minDf?: number;
}

/** The feature space of a project's texts: one row per text, in the order given. */
export interface FeatureSpace extends CsrMatrix {
  /** 0 for a word or word-pair column, 1 for a character n-gram column. */
  columnBlock: Uint8Array;
  /** Texts each column occurs in. */
  columnDf: Int32Array;
  options: Required<FeatureOptions>;
}

export const DEFAULT_FEATURE_OPTIONS: Required<FeatureOptions> = { charMin: 3, charMax: 5, wordPairs: true, wordShare: 0.5, minDf: 2 };

const BLOCK_BITS = 21;
const BLOCK_MASK = (1 << BLOCK_BITS) - 1;
const CHAR_OFFSET = 1 << BLOCK_BITS;
const SLOTS = 2 << BLOCK_BITS;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Final avalanche (murmur3 fmix32), so a slot depends on every bit of the hash. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A growable Int32Array. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }
}

/** Appends the hashed slots of one text's terms to `out` (with repeats). */
function hashTerms(text: string, options: Required<FeatureOptions>, out: IntList): void {
  const { charMin, charMax, wordPairs } = options;
  let previous = 0;
  let hasPrevious = false;
  scanWords(text, (start, end) => {
    const word = normalizeWord(text.slice(start, end));
    const n = word.length;
    let h = FNV_OFFSET;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ word.charCodeAt(i), FNV_PRIME);
    out.push(fmix(h) & BLOCK_MASK);
    if (wordPairs && hasPrevious) out.push(fmix(Math.imul(previous, 0x9e3779b1) ^ h ^ 0x5bd1e995) & BLOCK_MASK);
    previous = h;
    hasPrevious = true;
    // Character n-grams of " word ": position -1 and n stand for the boundary spaces.
    for (let s = -1; s <= n; s++) {
      let g = FNV_OFFSET;
      for (let len = 1; len <= charMax && s + len - 1 <= n; len++) {
        const p = s + len - 1;
        g = Math.imul(g ^ (p < 0 || p >= n ? 32 : word.charCodeAt(p)), FNV_PRIME);
        if (len >= charMin) out.push(CHAR_OFFSET + (fmix(g ^ len) & BLOCK_MASK));
      }
    }
  });
}

/**
 * Builds the feature space over all `texts` (tf-idf with sublinear tf, smooth idf,
 * each block L2-normalised). Deterministic: the same texts give the same matrix.
 */
export function buildFeatureSpace(texts: readonly string[], options: FeatureOptions = {}): FeatureSpace {
  const opts: Required<FeatureOptions> = { ...DEFAULT_FEATURE_OPTIONS, ...options };
  if (!(opts.charMin >= 1 && opts.charMax >= opts.charMin && opts.charMax <= 8)) throw new RangeError(`Character n-grams need 1 ≤ charMin ≤ charMax ≤ 8.`);
  if (!(opts.wordShare >= 0 && opts.wordShare <= 1)) throw new RangeError(`wordShare must lie in [0, 1], not ${opts.wordShare}.`);
  const rows = texts.length;

  // Pass 1: each text's distinct slots and their counts; document frequency per slot.
  const slotDf = new Int32Array(SLOTS);
  const indptr = new Int32Array(rows + 1);
  let slots = new Int32Array(Math.max(1024, rows * 64));
  let counts = new Float32Array(slots.length);
  let nnz = 0;
  const scratch = new IntList(1024);
  for (let r = 0; r < rows; r++) {
    scratch.length = 0;
    hashTerms(texts[r], opts, scratch);
    const terms = scratch.data.subarray(0, scratch.length).sort();
    if (nnz + terms.length > slots.length) {
      const size = Math.max(slots.length * 2, nnz + terms.length);
      const nextSlots = new Int32Array(size);
      nextSlots.set(slots.subarray(0, nnz));
      slots = nextSlots;
      const nextCounts = new Float32Array(size);
      nextCounts.set(counts.subarray(0, nnz));
      counts = nextCounts;
    }
    for (let i = 0; i < terms.length;) {
      const slot = terms[i];
      let j = i + 1;
      while (j < terms.length && terms[j] === slot) j++;
      slots[nnz] = slot;
      counts[nnz] = j - i;
      nnz++;
      slotDf[slot]++;
      i = j;
    }
    indptr[r + 1] = nnz;
  }

  // Pass 2: renumber the slots kept, in order of first appearance, and weight in place.
  const column = new Int32Array(SLOTS).fill(-1);
  const blockOf: number[] = [];
  const dfOf: number[] = [];
  const idfOf: number[] = [];
  const wordScale = Math.sqrt(opts.wordShare);
  const charScale = Math.sqrt(1 - opts.wordShare);
  let out = 0;
  for (let r = 0; r < rows; r++) {
    const start = out;
    let wordSq = 0;
    let charSq = 0;
    for (let j = indptr[r]; j < indptr[r + 1]; j++) {
      const slot = slots[j];
      const df = slotDf[slot];
      if (df < opts.minDf) continue;
      let c = column[slot];
      if (c < 0) {
        c = column[slot] = blockOf.length;
        blockOf.push(slot >= CHAR_OFFSET ? 1 : 0);
        dfOf.push(df);
        idfOf.push(Math.log((1 + rows) / (1 + df)) + 1);
      }
      const value = (1 + Math.log(counts[j])) * idfOf[c];
      if (blockOf[c] === 0) wordSq += value * value;
      else charSq += value * value;
      slots[out] = c;
      counts[out] = value;
      out++;
    }
    indptr[r] = start;
    const wordNorm = wordSq > 0 ? wordScale / Math.sqrt(wordSq) : 0;
    const charNorm = charSq > 0 ? charScale / Math.sqrt(charSq) : 0;
    // A text with one block only (digits, emoji) still gets a unit row.
    const norm = (wordSq > 0 ? opts.wordShare : 0) + (charSq > 0 ? 1 - opts.wordShare : 0);
    const unit = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = start; j < out; j++) counts[j] *= (blockOf[slots[j]] === 0 ? wordNorm : charNorm) * unit;
  }
  indptr[rows] = out;
  return {
    rows,
    cols: blockOf.length,
    indptr,
    indices: slots.slice(0, out),
    values: counts.slice(0, out),
    columnBlock: Uint8Array.from(blockOf),
    columnDf: Int32Array.from(dfOf),
    options: opts,
  };
}
