/**
 * Parsing what the user typed into the search box.
 */
import { wordStrings, wordTokens } from '../nlp/lemmatize';

/** Straight and curly double quotes, any of which opens or closes a phrase. */
const QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e', '\u201f']);

export interface ParsedQuery {
  /** Words outside quotes, in order, as typed (punctuation dropped). */
  terms: string[];
  /** Quoted phrases, trimmed and with whitespace runs collapsed to one space. */
  phrases: string[];
  /**
   * The last term is still being typed: nothing but punctuation follows it
   * (no space, no quote). Search treats it as a prefix.
   */
  lastTermIsPrefix: boolean;
  /** The last phrase has no closing quote (it is still being typed): its last word may end anywhere. */
  lastPhraseIsOpen: boolean;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Split a query into terms and "exact phrases". A phrase is what is between
 * two double quotes, straight (") or curly (“ ” „ ‟), in any pairing; a quote
 * left open runs to the end of the input. Everything else is terms, split into
 * words as answers are (punctuation is not a term). Phrases with no word in
 * them are dropped.
 */
export function parseQuery(input: string): ParsedQuery {
  const outside: string[] = [];
  const phrases: string[] = [];
  let inQuote = false;
  let buf = '';
  let lastPhraseIsOpen = false;
  const pushPhrase = (raw: string, open: boolean) => {
    const phrase = collapse(raw);
    if (wordStrings(phrase).length === 0) return;
    phrases.push(phrase);
    lastPhraseIsOpen = open;
  };
  for (const ch of input) {
    if (!QUOTES.has(ch)) {
      buf += ch;
      continue;
    }
    if (inQuote) pushPhrase(buf, false);
    else outside.push(buf);
    buf = '';
    inQuote = !inQuote;
  }
  let tail = '';
  if (inQuote) pushPhrase(buf, true);
  else {
    outside.push(buf);
    tail = buf;
  }
  const terms = wordStrings(outside.join(' '));
  // The input ends in the last term (bar punctuation): it is still being typed.
  const tailWords = wordTokens(tail);
  const lastTermIsPrefix = !inQuote && tailWords.length > 0 && !/\s/.test(tail.slice(tailWords[tailWords.length - 1].end));
  return { terms, phrases, lastTermIsPrefix, lastPhraseIsOpen };
}
