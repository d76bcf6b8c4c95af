/**
 * Word statistics for a set of answers: frequencies, keywords in context and
 * the words that set a group of answers apart from the rest.
 *
 * Words are our scanner's tokens ({@link forEachWord}, the same words search
 * highlights and selections snap to), merged by {@link lemmaInfo}'s key, so
 * "mentoring", "mentored" and "mentors" count as "mentor". A compound
 * ("self-confidence") counts as itself, not as its parts, so a frequency and
 * the keyword-in-context lines of the same word always agree.
 *
 * Stop words are wink-nlp's English list (`its.stopWordFlag`, about 180 words
 * such as "the", "and", "was", "really", "get"). A word is left out when its
 * written form or its lemma is on the list: "got" goes with "get", so a lemma
 * never counts some of its forms and not others. Contractions are stop words:
 * wink's model splits some ("don't" → "do" + "n't") but reads "i'm" or
 * "let's" as one unknown word, so {@link isContraction} decides by spelling;
 * a possessive ("mentor's") still counts as its noun. A stray clitic ("m",
 * "n't", "ve", left by "I ' m") is no word either. Tokens without a letter
 * (numbers, emoji) are left out unless asked for.
 *
 * The model is English: other languages are counted word by word as typed,
 * without lemmas or stop words ({@link nonLatinShare} lets the page say so).
 *
 * Pure and DOM-free for a worker; wink-nlp must be loaded first ({@link loadNlp}).
 */
import { OffsetMap } from '../coding/offsets';
import { lemmaInfo, lemmatizeTerm, normalizeWord, wordTokens, forEachWord } from './lemmatize';
import { getNlp } from './wink';

/** An answer's id and text (an `Answer` fits). */
export interface TextRef {
  id: string;
  text: string;
}

export interface WordStatsOptions {
  /** Further words to leave out, in any form ("mentor" leaves out "mentors" too). */
  stopWords?: Iterable<string>;
  /** Keep tokens without a letter (numbers, emoji). Default false. */
  keepNonLetters?: boolean;
}

const HAS_LETTER = /\p{L}/u;
const WINK_WORD = /^[a-z]+(?:'[a-z]+)*$/;
const stopMemo = new Map<string, boolean>();

/** wink's stop word flag for a normalised word: true when wink reads it as stop words only. */
function winkStop(surface: string): boolean {
  let stop = stopMemo.get(surface);
  if (stop === undefined) {
    stop = false;
    if (WINK_WORD.test(surface)) {
      const nlp = getNlp();
      const flags = nlp.readDoc(surface).tokens().out(nlp.its.stopWordFlag) as boolean[];
      stop = flags.length > 0 && flags.every(Boolean);
    }
    if (stopMemo.size >= 100_000) stopMemo.clear();
    stopMemo.set(surface, stop);
  }
  return stop;
}

// The verb a clitic stands for ("i'm", "they're", "we've", "she'll", "you'd"): whatever comes before it.
const VERB_CLITIC = /^[a-z]+'(?:m|re|ve|ll|d)$/;
// "-n't" is only ever a negated auxiliary ("don't", "can't", "shan't", "ain't").
const NOT_CLITIC = /^[a-z]+n't$/;
// "'s" is a verb or "us" after a pronoun or another stop word ("it's", "that's", "let's"), a possessive after a noun.
const S_CLITIC = /^([a-z]+)'s$/;
// A clitic on its own, as "I ' m" or "don 't" are split into tokens, and contractions wink does not know.
const CONTRACTION_WORDS = new Set(['m', 're', 've', 'll', 'd', 's', 't', "'m", "'re", "'ve", "'ll", "'d", "'s", "n't", "let's", "y'all", "ma'am"]);

/** isContraction for a word already normalised ({@link normalizeWord}), as the counters have it. */
function contraction(w: string): boolean {
  if (!w.includes("'")) return CONTRACTION_WORDS.has(w);
  if (CONTRACTION_WORDS.has(w) || VERB_CLITIC.test(w) || NOT_CLITIC.test(w)) return true;
  const s = S_CLITIC.exec(w);
  return s !== null && winkStop(s[1]);
}

/** True for an English contraction, or a piece of one: "i'm", "don't", "it's", "we've", "can't", "n't"; not "mentor's". */
export function isContraction(word: string): boolean {
  return contraction(normalizeWord(word));
}

/** True when wink-nlp lists the word, or its lemma, as an English stop word ("the", "was", "got"), or it is a contraction. */
export function isStopWord(word: string): boolean {
  const info = lemmaInfo(word);
  return winkStop(info.surface) || winkStop(info.key) || contraction(info.surface);
}

/** The lemma key of each counted token of a text, with its written form and UTF-16 offsets. */
type Visit = (key: string, surface: string, start: number, end: number) => void;

function wordVisitor(options: WordStatsOptions): (text: string, visit: Visit) => void {
  const extra = new Set<string>();
  for (const w of options.stopWords ?? []) {
    extra.add(normalizeWord(w));
    extra.add(lemmatizeTerm(w));
  }
  const keepNonLetters = options.keepNonLetters ?? false;
  return (text, visit) =>
    forEachWord(text, (start, end, word) => {
      if (!keepNonLetters && !HAS_LETTER.test(word)) return;
      const { surface, key } = lemmaInfo(word);
      if (extra.has(surface) || extra.has(key) || winkStop(surface) || winkStop(key) || contraction(surface)) return;
      visit(key, surface, start, end);
    });
}

export interface WordFrequency {
  /** The lemma key the forms were merged under. */
  lemma: string;
  /** Occurrences. */
  count: number;
  /** Answers it occurs in. */
  answers: number;
  /** The forms written (lower case, accents folded), most frequent first. */
  forms: string[];
}

/**
 * How often each word occurs in the answers, stop words left out and forms
 * merged by lemma; most frequent first, ties by lemma.
 */
export function wordFrequencies(answers: Iterable<TextRef>, options: WordStatsOptions = {}): WordFrequency[] {
  const visit = wordVisitor(options);
  const stats = new Map<string, { count: number; answers: number; lastAnswer: number; forms: Map<string, number> }>();
  let n = 0;
  for (const { text } of answers) {
    n += 1;
    visit(text, (key, surface) => {
      let s = stats.get(key);
      if (!s) stats.set(key, (s = { count: 0, answers: 0, lastAnswer: 0, forms: new Map() }));
      s.count += 1;
      if (s.lastAnswer !== n) {
        s.lastAnswer = n;
        s.answers += 1;
      }
      s.forms.set(surface, (s.forms.get(surface) ?? 0) + 1);
    });
  }
  return [...stats]
    .map(([lemma, s]) => ({
      lemma,
      count: s.count,
      answers: s.answers,
      forms: [...s.forms].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([form]) => form),
    }))
    .sort((a, b) => b.count - a.count || (a.lemma < b.lemma ? -1 : a.lemma > b.lemma ? 1 : 0));
}

export interface KwicLine {
  answerId: string;
  /** The match in code points, as codings store offsets, so the UI can open the answer and highlight it. */
  start: number;
  end: number;
  /** The word as written. */
  match: string;
  /** Up to `window` words either side, whitespace runs (line breaks too) shown as one space. */
  left: string;
  right: string;
  /** True when the answer goes on beyond the context shown. */
  moreLeft: boolean;
  moreRight: boolean;
}

export interface KwicOptions {
  /** Words either side; default 5. */
  window?: number;
  /** Stop after this many lines. */
  limit?: number;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ');

/**
 * Keywords in context: each occurrence of a word's lemma ("mentored" finds
 * "mentoring" and "mentors"), in answer order, with the words around it.
 * Every occurrence {@link wordFrequencies} counts under that lemma gives one line.
 */
export function keywordsInContext(answers: Iterable<TextRef>, word: string, options: KwicOptions = {}): KwicLine[] {
  const keys = new Set([word, lemmatizeTerm(word)]);
  const window = Math.max(0, options.window ?? 5);
  const limit = options.limit ?? Infinity;
  const out: KwicLine[] = [];
  for (const { id, text } of answers) {
    if (out.length >= limit) break;
    const tokens = wordTokens(text);
    let offsets: OffsetMap | null = null;
    for (let i = 0; i < tokens.length && out.length < limit; i++) {
      const t = tokens[i];
      if (!keys.has(lemmaInfo(t.word).key)) continue;
      offsets ??= new OffsetMap(text);
      const from = i - window >= 0 ? tokens[i - window].start : 0;
      const to = i + window < tokens.length ? tokens[i + window].end : text.length;
      out.push({
        answerId: id,
        start: offsets.toCodePoint(t.start),
        end: offsets.toCodePoint(t.end),
        match: t.word,
        left: oneLine(text.slice(from, t.start)).trimStart(),
        right: oneLine(text.slice(t.end, to)).trimEnd(),
        moreLeft: i - window > 0,
        moreRight: i + window < tokens.length - 1,
      });
    }
  }
  return out;
}

export interface DistinctiveWord {
  lemma: string;
  /** δ ÷ its standard error: positive when the group uses the word more than the rest. */
  z: number;
  /** The weighted log-odds ratio δ (group against rest). */
  delta: number;
  groupCount: number;
  restCount: number;
}

export interface DistinctiveWords {
  /** Every word of either side, by z from most to least typical of the group. */
  words: DistinctiveWord[];
  groupAnswers: number;
  restAnswers: number;
  /** Words counted (stop words left out) on each side. */
  groupWords: number;
  restWords: number;
  /** The prior's total weight α₀. */
  priorWeight: number;
  /** One paragraph saying how the scores were made, for the UI to show beside them. */
  method: string;
}

export interface DistinctiveOptions extends WordStatsOptions {
  /**
   * α₀, the prior's total weight; each word's prior is α₀ × its share of all
   * words counted. Default: the number of words counted, i.e. each word's
   * prior is its pooled count (the empirical-Bayes prior R's tidylo uses).
   */
  priorWeight?: number;
  /** Leave out words counted fewer times than this on both sides together; default 1. */
  minCount?: number;
}

function countWords(answers: Iterable<TextRef>, visit: ReturnType<typeof wordVisitor>, counts: Map<string, [number, number]>, side: 0 | 1) {
  let answersSeen = 0;
  let words = 0;
  for (const { text } of answers) {
    answersSeen += 1;
    visit(text, (key) => {
      let c = counts.get(key);
      if (!c) counts.set(key, (c = [0, 0]));
      c[side] += 1;
      words += 1;
    });
  }
  return { answersSeen, words };
}

/**
 * The words that distinguish a group of answers (e.g. those coded with a
 * code) from the rest: the weighted log-odds ratio with an informative
 * Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' words", Political
 * Analysis 16(4)), as a z-score per word:
 *
 *   δ_w = log((y_gw + α_w) / (n_g + α₀ − y_gw − α_w)) − log((y_rw + α_w) / (n_r + α₀ − y_rw − α_w))
 *   σ²_w ≈ 1/(y_gw + α_w) + 1/(y_rw + α_w),   z_w = δ_w / σ_w
 *
 * where y are a word's counts and n the words counted in the group (g) and
 * the rest (r), and α_w = α₀ × the word's share of all words counted.
 */
export function distinctiveWords(group: Iterable<TextRef>, rest: Iterable<TextRef>, options: DistinctiveOptions = {}): DistinctiveWords {
  const visit = wordVisitor(options);
  const counts = new Map<string, [number, number]>();
  const g = countWords(group, visit, counts, 0);
  const r = countWords(rest, visit, counts, 1);
  const total = g.words + r.words;
  const a0 = options.priorWeight ?? total;
  const minCount = options.minCount ?? 1;
  const words: DistinctiveWord[] = [];
  for (const [lemma, [yg, yr]] of counts) {
    if (yg + yr < minCount) continue;
    const aw = total > 0 ? (a0 * (yg + yr)) / total : 0;
    const restOfGroup = g.words + a0 - yg - aw;
    const restOfRest = r.words + a0 - yr - aw;
    // With a single distinct word there is nothing to compare it with.
    const defined = aw > 0 && restOfGroup > 0 && restOfRest > 0;
    const delta = defined ? Math.log((yg + aw) / restOfGroup) - Math.log((yr + aw) / restOfRest) : 0;
    const z = defined ? delta / Math.sqrt(1 / (yg + aw) + 1 / (yr + aw)) : 0;
    words.push({ lemma, z, delta, groupCount: yg, restCount: yr });
  }
  words.sort((x, y) => y.z - x.z || (x.lemma < y.lemma ? -1 : x.lemma > y.lemma ? 1 : 0));
  return {
    words,
    groupAnswers: g.answersSeen,
    restAnswers: r.answersSeen,
    groupWords: g.words,
    restWords: r.words,
    priorWeight: a0,
    method: describeMethod(g.answersSeen, r.answersSeen, g.words, r.words, a0, options.priorWeight === undefined),
  };
}

function describeMethod(groupAnswers: number, restAnswers: number, groupWords: number, restWords: number, a0: number, pooled: boolean): string {
  const prior = pooled ? 'its count across all of them' : `a prior of total weight ${a0} spread by each word's share of all words`;
  return (
    `Words are ranked by the weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008). ` +
    `For each word, its log-odds in the ${groupAnswers} answers of the group (${groupWords} words) is compared with its log-odds ` +
    `in the other ${restAnswers} answers (${restWords} words), each smoothed by ${prior}, and the difference is divided by its ` +
    `standard error to give a z-score: positive when the group uses the word more, negative when it uses it less. ` +
    `A |z| above 1.96 would be unlikely by chance for one word looked at alone; across many words some pass by chance. ` +
    `Stop words are left out and word forms are counted together by lemma.`
  );
}
