/**
 * Which targets are coded together: on the same answer, or for the same
 * respondent across their answers in scope (one said "time" in one answer and
 * "funding" in another). Symmetric; the diagonal is each target's own count.
 */
import type { AnalysisIndex } from './analysis-index';
import { CodedScratch, codedAnswers } from './coded';
import { coderMask, type CoderSelection } from './coder-selection';
import { Marks } from './marks';
import { share } from './share';
import { targetCodeIds, targetKey, targetLabel, type Target } from './targets';

export interface CooccurrenceOptions {
  coders: CoderSelection;
  /** `'answer'`: coded on the same answer; `'respondent'`: coded for the same respondent. */
  level: 'answer' | 'respondent';
  /** Also give each cell's Jaccard index, |A∩B| ÷ |A∪B|. */
  jaccard?: boolean;
}

export interface CooccurrenceCell {
  /** Answers (or respondents) coded with both targets; on the diagonal, with the target. */
  count: number;
  /** Their answer ids (level answer) or respondent ids (level respondent), in index order. */
  ids: string[];
  /** |A∩B| ÷ |A∪B|; null when not asked for or when neither target was coded. */
  jaccard: number | null;
}

export interface Cooccurrence {
  level: CooccurrenceOptions['level'];
  targets: Target[];
  keys: string[];
  labels: string[];
  /** `cells[i][j]` is the same object as `cells[j][i]`. */
  cells: CooccurrenceCell[][];
}

/** Sorted unit positions (answers or respondents) coded with each target. */
function unitsOf(index: AnalysisIndex, targets: readonly Target[], options: CooccurrenceOptions): Int32Array[] {
  const scratch = new CodedScratch(index);
  const mask = coderMask(index, options.coders);
  const marks = new Marks(index.respondentCount);
  return targets.map((target) => {
    const { answers } = codedAnswers(index, targetCodeIds(index, target), mask, scratch);
    if (options.level === 'answer') return answers;
    marks.clear();
    const respondents: number[] = [];
    for (const a of answers) {
      const r = index.answerRespondent[a];
      if (marks.add(r)) respondents.push(r);
    }
    return new Int32Array(respondents).sort();
  });
}

/** The co-occurrence matrix of the targets (see the module notes). */
export function cooccurrence(index: AnalysisIndex, targets: readonly Target[], options: CooccurrenceOptions): Cooccurrence {
  const units = unitsOf(index, targets, options);
  const names = options.level === 'answer' ? index.answerIds : index.respondentIds;
  const marks = new Marks(options.level === 'answer' ? index.answerCount : index.respondentCount);
  const cells: CooccurrenceCell[][] = targets.map(() => []);
  for (let i = 0; i < targets.length; i++) {
    marks.clear();
    for (const u of units[i]) marks.add(u);
    for (let j = i; j < targets.length; j++) {
      const ids: string[] = [];
      // Walking j's sorted units keeps the ids in index order.
      for (const u of units[j]) if (marks.has(u)) ids.push(names[u]);
      const union = units[i].length + units[j].length - ids.length;
      const cell = { count: ids.length, ids, jaccard: options.jaccard ? share(ids.length, union) : null };
      cells[i][j] = cell;
      cells[j][i] = cell;
    }
  }
  return {
    level: options.level,
    targets: [...targets],
    keys: targets.map(targetKey),
    labels: targets.map((t) => targetLabel(index, t)),
    cells,
  };
}
