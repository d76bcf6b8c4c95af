/**
 * The quote bank: exemplar passages by code or theme, each attributed as a
 * paper prints it; copying one, and taking one out (undoably).
 */
import type { CoderChoice, Quote, QuotesResult } from '../../workers/analysis-protocol';
import type { AnalysisConnection } from './analysis-connection.svelte';
import { requestTable, type Shown } from './analysis-tables.svelte';

/** “quote” (attribution): a quote as a paper prints it, on one line. */
export function formatQuote(quote: Pick<Quote, 'text' | 'attribution'>): string {
  return `“${quote.text.replace(/\s+/g, ' ').trim()}” (${quote.attribution})`;
}

export interface QuotesOptions {
  by: 'code' | 'theme';
  coders: CoderChoice;
  attributionAttribute: string | null;
}

export class AnalysisQuotes {
  quotesOptions = $state<QuotesOptions>({ by: 'code', coders: { kind: 'all' }, attributionAttribute: null });
  quotes = $state.raw<Shown<QuotesResult> | null>(null);
  /** The quote last copied (its first coding id), for a moment's "Copied". */
  copied = $state<string | null>(null);

  #connection: AnalysisConnection;

  constructor(connection: AnalysisConnection) {
    this.#connection = connection;
  }

  reset(coders: CoderChoice, attributionAttribute: string | null) {
    this.quotesOptions = { by: 'code', coders, attributionAttribute };
    this.quotes = null;
  }

  moveCoders(move: <T extends { coders: CoderChoice }>(options: T) => T) {
    this.quotesOptions = move(this.quotesOptions);
  }

  ensure(force: boolean) {
    requestTable(this.#connection, 'quotes', this.quotes, force, { type: 'quotes', ...$state.snapshot(this.quotesOptions) }, (result, shown) => {
      if (result.kind === 'quotes') this.quotes = shown(result);
    });
  }

  /** Puts a quote on the clipboard as a paper prints it; says so when the browser will not. */
  async copyQuote(quote: Quote): Promise<boolean> {
    const text = formatQuote(quote);
    try {
      if (!globalThis.navigator?.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      this.copied = quote.codingIds[0];
      setTimeout(() => {
        if (this.copied === quote.codingIds[0]) this.copied = null;
      }, 2000);
      return true;
    } catch {
      this.#connection.notice = {
        place: 'project',
        text: `This browser did not let Codebench use the clipboard. Select the quote and copy it: ${text}`,
        tone: 'error',
        details: [],
      };
      return false;
    }
  }
}
