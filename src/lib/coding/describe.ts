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
