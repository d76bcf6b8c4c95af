/**
 * How often each target was coded: answers, respondents, spans and codings,
 * overall and broken down by an attribute, wave, question or coder, with the
 * numerators and denominators a reader needs to judge a share.
 *
 * Denominators are the answers in scope and the respondents with at least one
 * of them (a non-blank answer to a question in scope), within the group: for
 * a wave, the respondents who answered in that wave; for an attribute value,
 * the respondents with that value who answered. The by-coder rows keep the
 * overall denominators (every answer in scope could have been coded by each).
 */
import type { AnalysisIndex } from './analysis-index';
import { CodedScratch, allAnswers, codedAnswers, type CodedAnswers, type KeptPerIndex } from './coded';
import { coderMask, type CoderSelection } from './coder-selection';
import { GroupTallier, attributeGrouping, countRespondents, questionGrouping, waveGrouping, type Grouping } from './groups';
import { Marks } from './marks';
import { share } from './share';
import { targetCodeIds, targetKey, targetLabel, targetName, type Target } from './targets';

export type Breakdown =
  /** By a respondent attribute; `values` fixes the order (and keeps values no answer has). */
  | { kind: 'attribute'; name: string; values?: readonly string[] }
  | { kind: 'wave' }
  | { kind: 'question' }
  /** One row per coder in `index.coderIds` (consensus included), whatever the selection. */
  | { kind: 'coder' };

export interface CountOptions {
  coders: CoderSelection;
  breakdowns?: readonly Breakdown[];
}

/** One line of the counts table; every share comes with its numerator and denominator. */
export interface CountRow {
  /** {@link targetKey} of the target. */
  key: string;
  target: Target;
  label: string;
  /** The code's or theme's name without "(with subcodes)" (targetName), for charts. */
  name?: string;
  breakdown: 'overall' | Breakdown['kind'];
  /** The attribute's name on attribute rows, else null. */
  attribute: string | null;
  /** The group: attribute value ("" = no value), wave id, question id or coder id; null on the overall row. */
  group: string | null;
  answersCoded: number;
  answersInScope: number;
  /** answersCoded ÷ answersInScope; null when no answer is in scope. */
  answerShare: number | null;
  respondentsCoded: number;
  /** Respondents with a non-blank answer in scope (within the group). */
  respondentsAnswered: number;
  /** respondentsCoded ÷ respondentsAnswered; null when nobody answered. */
  respondentShare: number | null;
  /** Codings with a span (start not null). */
  spansCoded: number;
  codingsTotal: number;
}

type Numbers = Pick<CountRow, 'answersCoded' | 'respondentsCoded' | 'spansCoded' | 'codingsTotal'>;
type Bases = Pick<CountRow, 'answersInScope' | 'respondentsAnswered'>;

function numbers(coded: CodedAnswers, respondents: number): Numbers {
  let spans = 0;
  let codings = 0;
  for (let k = 0; k < coded.answers.length; k++) {
    spans += coded.spans[k];
    codings += coded.codings[k];
  }
  return { answersCoded: coded.answers.length, respondentsCoded: respondents, spansCoded: spans, codingsTotal: codings };
}

function shares(n: Numbers, b: Bases): Pick<CountRow, 'answerShare' | 'respondentShare'> {
  return { answerShare: share(n.answersCoded, b.answersInScope), respondentShare: share(n.respondentsCoded, b.respondentsAnswered) };
}

interface GroupedBreakdown {
  breakdown: Exclude<Breakdown, { kind: 'coder' }>;
  tallier: GroupTallier;
  bases: Bases[];
}

function groupingOf(index: AnalysisIndex, b: Exclude<Breakdown, { kind: 'coder' }>): Grouping {
  if (b.kind === 'attribute') return attributeGrouping(index, b.name, b.values);
  return b.kind === 'wave' ? waveGrouping(index) : questionGrouping(index);
}

/** Each index's denominators, overall and per breakdown, once found (countTargets with `kept`). */
const keptBases = new WeakMap<AnalysisIndex, Map<string, GroupedBreakdown | Bases>>();

/**
 * Count each target: an overall row, then each breakdown's rows, target by
 * target (the order a table groups them in). Build the index once and call
 * this for every change of targets, coders or breakdowns. With `kept` (the views' requests, one after another),
 * the scratch, the coded answers and the denominators are kept with the index for the next call.
 */
export function countTargets(index: AnalysisIndex, targets: readonly Target[], options: CountOptions, kept?: KeptPerIndex): CountRow[] {
  const scratch = kept?.scratch ?? new CodedScratch(index);
  const coded = (codeIds: readonly string[], mask: Uint8Array) =>
    kept ? kept.coded.of(index, codeIds, mask, scratch) : codedAnswers(index, codeIds, mask, scratch);
  const respondentMarks = new Marks(index.respondentCount);
  let bases = kept ? keptBases.get(index) : undefined;
  if (kept && !bases) keptBases.set(index, (bases = new Map()));
  let everything: CodedAnswers | null = null;
  const all = () => (everything ??= allAnswers(index));
  let overallBases = bases?.get('overall') as Bases | undefined;
  if (!overallBases) {
    overallBases = { answersInScope: index.answerCount, respondentsAnswered: countRespondents(index, all().answers, respondentMarks) };
    bases?.set('overall', overallBases);
  }
  // Prepared once: each breakdown's groups and denominators, in the order asked for.
  const prepared: Array<GroupedBreakdown | null> = (options.breakdowns ?? []).map((breakdown) => {
    if (breakdown.kind === 'coder') return null;
    const key = JSON.stringify(breakdown);
    const known = bases?.get(key) as GroupedBreakdown | undefined;
    if (known) return known;
    const tallier = new GroupTallier(index, groupingOf(index, breakdown));
    const t = tallier.tally(all());
    const grouped = {
      breakdown,
      tallier,
      bases: tallier.grouping.values.map((_, g) => ({ answersInScope: t.answers[g], respondentsAnswered: t.respondents[g] })),
    };
    bases?.set(key, grouped);
    return grouped;
  });
  const mask = coderMask(index, options.coders);
  const coderMasks = index.coderIds.map((id) => coderMask(index, { kind: 'coder', coderId: id }));

  const rows: CountRow[] = [];
  for (const target of targets) {
    const head = { key: targetKey(target), target, label: targetLabel(index, target), name: targetName(index, target) };
    const codeIds = targetCodeIds(index, target);
    const ofTarget = coded(codeIds, mask);
    const overall = numbers(ofTarget, countRespondents(index, ofTarget.answers, respondentMarks));
    rows.push({ ...head, breakdown: 'overall', attribute: null, group: null, ...overall, ...overallBases, ...shares(overall, overallBases) });
    for (const p of prepared) {
      if (p === null) {
        index.coderIds.forEach((coderId, c) => {
          const mine = coded(codeIds, coderMasks[c]);
          const n = numbers(mine, countRespondents(index, mine.answers, respondentMarks));
          rows.push({ ...head, breakdown: 'coder', attribute: null, group: coderId, ...n, ...overallBases, ...shares(n, overallBases) });
        });
        continue;
      }
      const { breakdown, tallier, bases } = p;
      const t = tallier.tally(ofTarget);
      const attribute = breakdown.kind === 'attribute' ? breakdown.name : null;
      tallier.grouping.values.forEach((value, g) => {
        const n: Numbers = { answersCoded: t.answers[g], respondentsCoded: t.respondents[g], spansCoded: t.spans[g], codingsTotal: t.codings[g] };
        rows.push({ ...head, breakdown: breakdown.kind, attribute, group: value, ...n, ...bases[g], ...shares(n, bases[g]) });
      });
    }
  }
  return rows;
}
