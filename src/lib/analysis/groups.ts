/**
 * Breakdowns: each answer in scope falls in one group (its respondent's value
 * of an attribute, its wave, or its question), and a tally counts coded
 * answers, distinct respondents, codings and spans per group.
 */
import type { AnalysisIndex } from './analysis-index';
import type { CodedAnswers } from './coded';
import { Marks } from './marks';
import { naturalCompare } from '../model/natural-order';

// One natural order for the app (the pure model module); kept importable from here.
export { naturalCompare };

export interface Grouping {
  /** The groups' values, in display order. */
  readonly values: readonly string[];
  /** The group of each answer position. */
  readonly ofAnswer: Int32Array;
  /** True when all of a respondent's answers fall in one group (an attribute), so a respondent counts in one group only. */
  readonly byRespondent: boolean;
}

/**
 * Attribute values in display order: the listed ones first (kept even when no
 * answer has them, so a table shows an empty column rather than dropping it),
 * then the others in natural order, the blank value last.
 */
export function orderValues(found: Iterable<string>, listed: readonly string[] = []): string[] {
  const seen = new Set(listed);
  const rest = [...new Set(found)].filter((v) => !seen.has(v));
  rest.sort((a, b) => (a === '' ? 1 : b === '' ? -1 : naturalCompare(a, b)));
  return [...new Set(listed), ...rest];
}

/** Answers grouped by their respondent's value of an attribute ("" for respondents without one). */
export function attributeGrouping(index: AnalysisIndex, name: string, values?: readonly string[]): Grouping {
  const column = index.attributeColumn(name);
  const ordered = orderValues(column, values);
  const at = new Map(ordered.map((v, i) => [v, i]));
  const ofRespondent = column.map((v) => at.get(v) as number);
  const ofAnswer = new Int32Array(index.answerCount);
  for (let a = 0; a < ofAnswer.length; a++) ofAnswer[a] = ofRespondent[index.answerRespondent[a]];
  return { values: ordered, ofAnswer, byRespondent: true };
}

/** Answers grouped by wave, in the index's wave order. */
export function waveGrouping(index: AnalysisIndex): Grouping {
  return { values: index.waveIds, ofAnswer: index.answerWave, byRespondent: false };
}

/** Answers grouped by question, in the index's question order. */
export function questionGrouping(index: AnalysisIndex): Grouping {
  return { values: index.questionIds, ofAnswer: index.answerQuestion, byRespondent: false };
}

/** Per group: coded answers, distinct respondents, codings and spans. */
export interface GroupTally {
  readonly answers: Int32Array;
  readonly respondents: Int32Array;
  readonly codings: Int32Array;
  readonly spans: Int32Array;
}

/** Tallies coded answers into a grouping's groups; reuse one per view. */
export class GroupTallier {
  private readonly seen: Marks;

  constructor(
    private readonly index: AnalysisIndex,
    readonly grouping: Grouping,
  ) {
    // A respondent may count in several waves or questions: mark (respondent, group) pairs.
    const groups = grouping.byRespondent ? 1 : grouping.values.length;
    this.seen = new Marks(index.respondentCount * Math.max(1, groups));
  }

  tally(coded: CodedAnswers): GroupTally {
    const n = this.grouping.values.length;
    const out = { answers: new Int32Array(n), respondents: new Int32Array(n), codings: new Int32Array(n), spans: new Int32Array(n) };
    const { ofAnswer, byRespondent } = this.grouping;
    const seen = this.seen;
    seen.clear();
    for (let k = 0; k < coded.answers.length; k++) {
      const a = coded.answers[k];
      const g = ofAnswer[a];
      const r = this.index.answerRespondent[a];
      out.answers[g] += 1;
      out.codings[g] += coded.codings[k];
      out.spans[g] += coded.spans[k];
      if (seen.add(byRespondent ? r : r * n + g)) out.respondents[g] += 1;
    }
    return out;
  }
}

/** Distinct respondents among coded answers. */
export function countRespondents(index: AnalysisIndex, answers: Int32Array, marks: Marks): number {
  marks.clear();
  let n = 0;
  for (let k = 0; k < answers.length; k++) if (marks.add(index.answerRespondent[answers[k]])) n += 1;
  return n;
}
