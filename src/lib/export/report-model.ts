/**
 * How a quote is attributed until the author's pseudonyms are in place:
 * "Mentee 7, 6 months". The report itself is write-up-report.ts.
 */
import { ownValue } from '../model/name-keyed';

/** What an attribution is made from. */
export interface QuoteSource {
  respondentId: string;
  attributes: Record<string, string>;
  waveName: string;
  questionLabel: string;
}

/** "Mentee 7, 6 months": the attribute value (capitalised) or "Respondent", the id, the wave. */
export function defaultAttribution(quote: QuoteSource, attribute?: string): string {
  const value = attribute ? (ownValue(quote.attributes, attribute) ?? '').trim() : '';
  const who = value ? value.charAt(0).toLocaleUpperCase('en') + value.slice(1) : 'Respondent';
  return `${who} ${quote.respondentId}, ${quote.waveName}`;
}
