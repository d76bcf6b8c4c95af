/**
 * Counts for the codebook, the report and the charts. The unit is the answer
 * (one respondent's text for one question in one wave): "n of N answers".
 * With `includeSubcodes`, an answer coded with a subcode counts for every code
 * above it too; each answer counts once per code however many spans it has.
 */
import { ProjectLookup } from './project-lookup';
import { coderFilter, type CoderSelection, type ExportSource, type ExportTheme } from './source';

export interface CountOptions {
  /** Whose codings count. Default 'any'. */
  coder?: CoderSelection;
  /** A parent counts its subcodes' answers too. Default false. */
  includeSubcodes?: boolean;
  /** Only answers to these questions (all questions when absent). */
  questionIds?: readonly string[];
}

export interface CodeCount {
  /** Codings of the code (and, with includeSubcodes, of its subcodes). */
  codings: number;
  /** Distinct answers coded. */
  answers: number;
  /** Distinct respondents with at least one coded answer. */
  respondents: number;
}

/** A numerator and the denominator it is a share of. */
export interface CountCell {
  numerator: number;
  denominator: number;
}

/** A count table: one row per code or theme, one column per group. */
export interface CountTable {
  title: string;
  /** What the columns are, e.g. "role". */
  groupLabel: string;
  groups: string[];
  rows: { label: string; cells: CountCell[] }[];
  /** How to read the numbers, shown under the table. */
  note?: string;
}

/** How to split answers into groups: by an attribute's value, by wave, or by question. */
export type GroupBy = { attribute: string } | 'wave' | 'question';

/** Label of the group of respondents with no value for the attribute. */
export const NO_VALUE = '(no value)';

interface Selection {
  /** Answer ids in scope → respondent id. */
  answers: Map<string, string>;
  /** code id → answers coded (with ancestors when rolled up). */
  answersByCode: Map<string, Set<string>>;
  codingsByCode: Map<string, number>;
}

function select(source: ExportSource, options: CountOptions, lookup: ProjectLookup): Selection {
  const questions = options.questionIds ? new Set(options.questionIds) : null;
  const answers = new Map<string, string>();
  for (const a of source.answers) if (!questions || questions.has(a.questionId)) answers.set(a.id, a.respondentId);
  const keep = coderFilter(options.coder ?? 'any');
  const answersByCode = new Map<string, Set<string>>();
  const codingsByCode = new Map<string, number>();
  for (const coding of source.codings) {
    if (!keep(coding.coderId) || !answers.has(coding.answerId)) continue;
    for (const codeId of options.includeSubcodes ? lookup.selfAndAncestors(coding.codeId) : [coding.codeId]) {
      let set = answersByCode.get(codeId);
      if (!set) answersByCode.set(codeId, (set = new Set()));
      set.add(coding.answerId);
      codingsByCode.set(codeId, (codingsByCode.get(codeId) ?? 0) + 1);
    }
  }
  return { answers, answersByCode, codingsByCode };
}

/** Counts per code id (codes never applied are absent). */
export function codeCounts(source: ExportSource, options: CountOptions = {}, lookup = new ProjectLookup(source)): Map<string, CodeCount> {
  const { answers, answersByCode, codingsByCode } = select(source, options, lookup);
  const out = new Map<string, CodeCount>();
  for (const [codeId, coded] of answersByCode) {
    const respondents = new Set<string>();
    for (const id of coded) respondents.add(answers.get(id)!);
    out.set(codeId, { codings: codingsByCode.get(codeId) ?? 0, answers: coded.size, respondents: respondents.size });
  }
  return out;
}

/** Answers (in scope) coded with any of the theme's codes. */
export function themeAnswerCount(source: ExportSource, theme: ExportTheme, options: CountOptions = {}, lookup = new ProjectLookup(source)): CountCell {
  const { answers, answersByCode } = select(source, { ...options, includeSubcodes: false }, lookup);
  const coded = new Set<string>();
  for (const codeId of lookup.themeCodeIds(theme)) for (const id of answersByCode.get(codeId) ?? []) coded.add(id);
  return { numerator: coded.size, denominator: answers.size };
}

/**
 * For each code (codebook order, or `codeIds` in the order given) and each
 * group: answers in the group coded with it, of all answers in the group.
 */
export function countsByGroup(
  source: ExportSource,
  groupBy: GroupBy,
  options: CountOptions & { codeIds?: readonly string[]; title?: string } = {},
  lookup = new ProjectLookup(source),
): CountTable {
  const { answers, answersByCode } = select(source, options, lookup);
  const groupOf = (answerId: string): string => {
    const parts = lookup.answerParts(answerId);
    if (groupBy === 'wave') return lookup.waveName(parts.waveId);
    if (groupBy === 'question') return lookup.questionLabel(parts.questionId);
    return lookup.attributeValue(parts.respondentId, groupBy.attribute) || NO_VALUE;
  };
  const groups = groupOrder(source, groupBy, lookup);
  const denominators = new Map<string, number>();
  const answerGroup = new Map<string, string>();
  for (const id of answers.keys()) {
    const g = groupOf(id);
    answerGroup.set(id, g);
    if (!denominators.has(g) && !groups.includes(g)) groups.push(g);
    denominators.set(g, (denominators.get(g) ?? 0) + 1);
  }
  const present = groups.filter((g) => denominators.has(g));
  const codeIds = options.codeIds ?? lookup.codeRows.map((r) => r.code.id);
  const rows = codeIds.map((codeId) => {
    const numerators = new Map<string, number>();
    for (const id of answersByCode.get(codeId) ?? []) {
      const g = answerGroup.get(id)!;
      numerators.set(g, (numerators.get(g) ?? 0) + 1);
    }
    return { label: lookup.codePath(codeId), cells: present.map((g) => ({ numerator: numerators.get(g) ?? 0, denominator: denominators.get(g)! })) };
  });
  const groupLabel = groupBy === 'wave' ? 'wave' : groupBy === 'question' ? 'question' : groupBy.attribute;
  return {
    title: options.title ?? `Answers coded, by ${groupLabel}`,
    groupLabel,
    groups: present,
    rows,
    note: `Each cell: answers in the group coded with the code, of all answers in the group${options.includeSubcodes ? ' (a code counts its subcodes)' : ''}.`,
  };
}

/** Groups in the project's order: attribute values as listed, waves and questions by order. */
function groupOrder(source: ExportSource, groupBy: GroupBy, lookup: ProjectLookup): string[] {
  if (groupBy === 'wave')
    return source.waves
      .slice()
      .sort((a, b) => a.order - b.order)
      .map((w) => w.name);
  if (groupBy === 'question')
    return source.questions
      .slice()
      .sort((a, b) => a.order - b.order)
      .map((q) => lookup.questionLabel(q.id));
  const values = source.attributes.find((a) => a.name === groupBy.attribute)?.values ?? [];
  return [...values, NO_VALUE];
}

/**
 * Co-occurrence: for each pair of codes, the answers coded with both; the
 * diagonal holds the answers coded with each code.
 */
export function coOccurrence(
  source: ExportSource,
  codeIds: readonly string[],
  options: CountOptions = {},
  lookup = new ProjectLookup(source),
): { labels: string[]; matrix: number[][] } {
  const { answersByCode } = select(source, options, lookup);
  const sets = codeIds.map((id) => answersByCode.get(id) ?? new Set<string>());
  const matrix = sets.map((a, i) =>
    sets.map((b, j) => {
      if (i === j) return a.size;
      const [small, large] = a.size <= b.size ? [a, b] : [b, a];
      let n = 0;
      for (const id of small) if (large.has(id)) n++;
      return n;
    }),
  );
  return { labels: codeIds.map((id) => lookup.codePath(id)), matrix };
}
