import { codePointToUtf16 } from '../coding/offsets';

/** The slice of `text` between code point offsets `start` (inclusive) and `end` (exclusive). */
export function sliceCodePoints(text: string, start: number, end: number): string {
  return text.slice(codePointToUtf16(text, start), codePointToUtf16(text, end));
}

/** What a coding quotes: its span, or the whole answer when start or end is null. */
export function codedText(text: string, coding: { start: number | null; end: number | null }): string {
  return coding.start === null || coding.end === null ? text : sliceCodePoints(text, coding.start, coding.end);
}
