/**
 * The Words tab: frequent words of a scope, keyword in context, and the words
 * distinctive of a code or theme. Counting words takes a while at scale, so
 * only what was asked for before is brought up to date on a new version.
 */
import type { Target } from '../analysis';
import type { CoderChoice, DistinctiveResult, KwicResult, WordScope, WordsResult } from '../../workers/analysis-protocol';
import type { AnalysisConnection, FinalReply, Slot } from './analysis-connection.svelte';
import type { Shown } from './analysis-tables.svelte';

const WORDS_SHOWN = 150;
const KWIC_LINES = 300;
const DISTINCTIVE_SHOWN = 25;

export class AnalysisWords {
  wordsScope = $state<WordScope>({ questionId: null, group: { kind: 'all' }, coders: { kind: 'all' } });
  kwicWord = $state('');
  distinctiveTarget = $state<Target | null>(null);

  words = $state.raw<Shown<WordsResult> | null>(null);
  kwic = $state.raw<Shown<KwicResult> | null>(null);
  distinctive = $state.raw<Shown<DistinctiveResult> | null>(null);

  #connection: AnalysisConnection;

  constructor(connection: AnalysisConnection) {
    this.#connection = connection;
  }

  reset(coders: CoderChoice) {
    this.wordsScope = { questionId: null, group: { kind: 'all' }, coders };
    this.kwicWord = '';
    this.distinctiveTarget = null;
    this.drop();
  }

  drop() {
    this.words = null;
    this.kwic = null;
    this.distinctive = null;
  }

  moveCoders(move: <T extends { coders: CoderChoice }>(options: T) => T) {
    this.wordsScope = move(this.wordsScope);
  }

  /** Brings the word list up to date if one was asked for under other settings. */
  ensure() {
    // Against the request as it would be sent now (the worker's reply carries its own scope, which never keys alike),
    // and not again while that very request is on its way.
    if (!this.words) return;
    const key = this.#connection.key($state.snapshot(this.wordsScope));
    if (this.words.key !== key && this.#connection.pending('words')?.key !== key) this.runWords();
  }

  #send(
    slot: Slot,
    body: Parameters<AnalysisConnection['send']>[1],
    key: string,
    accept: (reply: Extract<FinalReply, { type: 'result' }>, key: string) => void,
  ) {
    this.#connection.send(slot, body, key, (reply, entry) => {
      if (reply.type === 'result') accept(reply, entry.key);
      else if (reply.type === 'error') this.#connection.error = reply.message;
    });
  }

  runWords() {
    const scope = $state.snapshot(this.wordsScope);
    this.#send('words', { type: 'words', scope, limit: WORDS_SHOWN }, this.#connection.key(scope), (reply, key) => {
      if (reply.result.kind === 'words') this.words = { data: reply.result, requestId: reply.requestId, ms: reply.ms, key };
    });
  }

  runKwic(word: string) {
    this.kwicWord = word;
    const scope = $state.snapshot(this.wordsScope);
    if (!word.trim()) {
      this.kwic = null;
      return;
    }
    this.#send('kwic', { type: 'kwic', scope, word, limit: KWIC_LINES }, this.#connection.key({ scope, word }), (reply, key) => {
      if (reply.result.kind === 'kwic') this.kwic = { data: reply.result, requestId: reply.requestId, ms: reply.ms, key };
    });
  }

  runDistinctive() {
    const target = $state.snapshot(this.distinctiveTarget);
    if (!target) {
      this.#connection.error = 'Choose a code or a theme to compare with the rest.';
      return;
    }
    const { coders, questionId } = $state.snapshot(this.wordsScope);
    const body = { type: 'distinctive', target, coders, questionId, limit: DISTINCTIVE_SHOWN } as const;
    this.#send('distinctive', body, this.#connection.key({ target, coders, questionId }), (reply, key) => {
      if (reply.result.kind === 'distinctive') this.distinctive = { data: reply.result, requestId: reply.requestId, ms: reply.ms, key };
    });
  }
}
