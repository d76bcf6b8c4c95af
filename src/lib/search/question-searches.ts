/**
 * The search worker's questions: each question's answers, loaded and keyed
 * ({@link AnswerScan}) in the background as soon as a project is open, the
 * shown question first, so that the first search finds them ready.
 *
 * Background keying goes slice by slice with a pause after each, so searches
 * (and the page, on a 2-core machine) get their turn. A search for a question
 * not fully keyed yet does not wait for the background: it keys the rest at
 * once and answers.
 *
 * Memory: each prepared question keeps its texts and its keys (about 0.6 kB
 * per answer, a third of it keys). Other questions are prepared only while
 * every question kept stays within a budget of answers; the question shown
 * and the one searched last are never dropped for it. What is kept lasts the
 * session, so reopening a project finds its questions prepared.
 */
import { AnswerScan } from './answer-scan';

/** A question's answers in list order (the order the page lists them: masks are over it) and their ids. */
export interface QuestionAnswers {
  texts: string[];
  /** The answer id at a position (for highlight requests, which name answers). */
  idAt(position: number): string;
}

export interface QuestionSearchesOptions {
  load(projectId: string, questionId: string): Promise<QuestionAnswers>;
  /** Answers kept prepared at most, over every question (the shown and the last searched are kept whatever their size). */
  budget?: number;
  /** Answers keyed per background slice of the shown question (others get half). */
  slice?: number;
  /** Between slices: a pause, so that searches and the other core's work go first. */
  pause?: (ms: number) => Promise<void>;
  /** A question's keying progressed (done of total); done === total once it is ready. */
  onProgress?(projectId: string, questionId: string, done: number, total: number): void;
}

/** A question kept: its answers and their keys. */
export interface Prepared {
  answers: QuestionAnswers;
  scan: AnswerScan;
  /** Id → position, built on the first highlight request. */
  positions: Map<string, number> | null;
}

const DEFAULT_BUDGET = 300_000;
const DEFAULT_SLICE = 2000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const keyOf = (projectId: string, questionId: string) => `${projectId}\u001f${questionId}`;

export class QuestionSearches {
  private readonly opts: QuestionSearchesOptions;
  private readonly kept = new Map<string, Promise<Prepared>>();
  /** Sizes of the questions kept whose answers have loaded. */
  private readonly sizes = new Map<string, number>();
  /** Least recently used first. */
  private recent: string[] = [];
  private wanted: { projectId: string; order: string[] } | null = null;
  private pumping = false;
  private lastSearched: string | null = null;

  constructor(opts: QuestionSearchesOptions) {
    this.opts = opts;
  }

  /** The question shown changed (a project opened): prepare it, then the project's other questions, in the background. */
  prepare(projectId: string, shown: string, others: readonly string[] = []): void {
    const order = [shown, ...others.filter((id) => id !== shown)];
    this.wanted = { projectId, order };
    this.touch(keyOf(projectId, shown));
    void this.pump();
  }

  /** A question's answers, keyed (keying whatever the background has not yet), for a search. */
  async scanFor(projectId: string, questionId: string): Promise<Prepared> {
    const key = keyOf(projectId, questionId);
    this.lastSearched = key;
    this.touch(key);
    const prepared = await this.get(projectId, questionId);
    if (!prepared.scan.complete) {
      prepared.scan.keyNext(prepared.scan.size);
      this.keyedNow.set(key, prepared.scan.size);
      this.opts.onProgress?.(projectId, questionId, prepared.scan.size, prepared.scan.size);
    }
    return prepared;
  }

  /** Where the background stands for a question: keyed answers of how many (null: not loaded). */
  progress(projectId: string, questionId: string): { done: number; total: number } | null {
    const size = this.sizes.get(keyOf(projectId, questionId));
    return size === undefined ? null : { done: this.keyedNow.get(keyOf(projectId, questionId)) ?? 0, total: size };
  }

  /** The project's answers changed: drop what was kept of it. */
  forget(projectId: string): void {
    for (const key of [...this.kept.keys()]) if (key.startsWith(`${projectId}\u001f`)) this.drop(key);
  }

  /** Questions and answers kept, and the heap their keys take (texts aside). */
  async usage(): Promise<{ questions: number; answers: number; keyBytes: number }> {
    let answers = 0;
    let keyBytes = 0;
    for (const p of this.kept.values()) {
      const prepared = await p.catch(() => null);
      if (!prepared) continue;
      answers += prepared.scan.size;
      keyBytes += prepared.scan.bytes;
    }
    return { questions: this.kept.size, answers, keyBytes };
  }

  private readonly keyedNow = new Map<string, number>();

  private get(projectId: string, questionId: string): Promise<Prepared> {
    const key = keyOf(projectId, questionId);
    let prepared = this.kept.get(key);
    if (!prepared) {
      prepared = this.opts.load(projectId, questionId).then(async (answers) => {
        const scan = await AnswerScan.create(answers.texts);
        if (this.kept.get(key) === prepared) {
          this.sizes.set(key, answers.texts.length);
          this.evict();
        }
        return { answers, scan, positions: null };
      });
      this.kept.set(key, prepared);
      prepared.catch(() => {
        if (this.kept.get(key) === prepared) this.drop(key);
      });
    }
    return prepared;
  }

  private touch(key: string) {
    this.recent = this.recent.filter((k) => k !== key);
    this.recent.push(key);
  }

  private drop(key: string) {
    this.kept.delete(key);
    this.sizes.delete(key);
    this.keyedNow.delete(key);
    this.recent = this.recent.filter((k) => k !== key);
  }

  private total(): number {
    let sum = 0;
    for (const size of this.sizes.values()) sum += size;
    return sum;
  }

  /** Drops the least recently used questions while over budget, never the shown or the last searched. */
  private evict() {
    const budget = this.opts.budget ?? DEFAULT_BUDGET;
    const shown = this.wanted ? keyOf(this.wanted.projectId, this.wanted.order[0]) : null;
    // Questions only ever prepared in the background go first, then the least recently shown or searched.
    const candidates = [...[...this.sizes.keys()].filter((key) => !this.recent.includes(key)), ...this.recent];
    for (const key of candidates) {
      if (this.total() <= budget) return;
      if (key === shown || key === this.lastSearched || !this.sizes.has(key)) continue;
      this.drop(key);
    }
  }

  /** The next question to key in the background: the shown one, then the others while they fit the budget. */
  private async next(): Promise<{ key: string; projectId: string; questionId: string; prepared: Prepared; shown: boolean } | null> {
    const wanted = this.wanted;
    if (!wanted) return null;
    const budget = this.opts.budget ?? DEFAULT_BUDGET;
    for (let i = 0; i < wanted.order.length; i++) {
      const questionId = wanted.order[i];
      const key = keyOf(wanted.projectId, questionId);
      const known = this.kept.has(key);
      // Another question is loaded only while what is kept leaves room (its size is not known before: a question of the shown one's size).
      if (!known && i > 0) {
        const guess = this.sizes.get(keyOf(wanted.projectId, wanted.order[0])) ?? 0;
        if (this.total() + guess > budget) return null;
      }
      const prepared = await this.get(wanted.projectId, questionId).catch(() => null);
      if (!prepared) continue;
      if (!prepared.scan.complete) return { key, projectId: wanted.projectId, questionId, prepared, shown: i === 0 };
    }
    return null;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const pause = this.opts.pause ?? sleep;
    const slice = this.opts.slice ?? DEFAULT_SLICE;
    try {
      for (let work = await this.next(); work; work = await this.next()) {
        const { scan } = work.prepared;
        if (this.kept.get(work.key) === undefined) continue;
        scan.keyNext(work.shown ? slice : Math.max(1, slice >> 1));
        this.keyedNow.set(work.key, scan.progress);
        this.opts.onProgress?.(work.projectId, work.questionId, scan.progress, scan.size);
        // The shown question's slices run back to back (bar a turn for messages); the others leave the core idle as long as they ran.
        await pause(work.shown ? 0 : 8);
      }
    } finally {
      this.pumping = false;
    }
  }
}
