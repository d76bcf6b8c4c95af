/**
 * What a coding change did, in words that name the answer it touched:
 * "Rewards added to M02, Baseline, Rewards question". Names are passed in
 * (the code's, the respondent's, the wave's and the question's), so the
 * sentence is built the same way wherever a change is made.
 */

/** The names that tell an answer apart: who answered, in which wave, to which question. */
export interface AnswerNames {
  respondentId: string;
  waveName: string;
  questionLabel: string;
}

export type CodingOutcome =
  /** The code was put on the answer (or on a passage of it). */
  | 'added'
  /** The code was taken off. */
  | 'removed'
  /** Nothing changed: the answer (or passage) already had the code. */
  | 'unchanged';

export interface CodingChangeDescription {
  codeName: string;
  outcome: CodingOutcome;
  answer: AnswerNames;
  /** True when a passage was coded, not the whole answer. */
  passage?: boolean;
  /** Passages of the same code the new one overlapped and was joined with. */
  joined?: number;
}

/** "M02, Baseline, Rewards question". */
export function answerPlace(answer: AnswerNames): string {
  return [answer.respondentId, answer.waveName, answer.questionLabel]
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(', ');
}

export function describeCodingChange({ codeName, outcome, answer, passage = false, joined = 0 }: CodingChangeDescription): string {
  const place = answerPlace(answer);
  const where = passage ? `a passage of ${place}` : place;
  switch (outcome) {
    case 'added': {
      const join = joined > 0 ? ` (joined with ${joined === 1 ? '1 overlapping passage' : `${joined} overlapping passages`})` : '';
      return `${codeName} added to ${where}${join}`;
    }
    case 'removed':
      return `${codeName} removed from ${where}`;
    case 'unchanged':
      return passage ? `This passage of ${place} already has ${codeName}` : `${place} already has ${codeName}`;
  }
}

/** How much of a coded passage a list shows before it is cut with "…". */
export const CODED_TEXT_LIMIT = 80;

/**
 * A coding as a list names it: "M02 · Q1 · Baseline — “the coded words…”": respondent, question and wave,
 * then the words coded (the passage, or the start of the whole answer), cut at CODED_TEXT_LIMIT characters.
 * `text` is the answer's text (undefined while it is read); `start`/`end` are code points, null for the
 * whole answer.
 */
export function codingListLabel(answer: AnswerNames, text: string | undefined, start: number | null, end: number | null): string {
  const place = [answer.respondentId, answer.questionLabel, answer.waveName]
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' · ');
  if (text === undefined) return place;
  const chars = [...text];
  const coded = (start === null || end === null ? chars : chars.slice(start, end)).join('').replace(/\s+/g, ' ').trim();
  if (coded === '') return place;
  const cut = [...coded];
  const shown = cut.length > CODED_TEXT_LIMIT ? `${cut.slice(0, CODED_TEXT_LIMIT).join('').trimEnd()}…` : coded;
  return `${place} — “${shown}”`;
}
