/**
 * The Analysis view's filter bar as data: which questions and waves are in
 * scope and which respondents are kept, by their attribute values. Every tab,
 * chart and export of the view reads one `ViewFilter`, so they all count the
 * same answers and name the same scope ({@link describeFilter}).
 *
 * The lists mean what they say: `null` is "every question" (wave), an empty
 * list is "none", so a view with nothing chosen is empty rather than silently
 * widened to everything. An attribute entry keeps the respondents whose value
 * is one of `values` ("" = respondents without a value); several entries must
 * all hold, so two entries for one attribute keep the values they share.
 * Which coders' codings count is chosen beside the filter (a `CoderSelection`),
 * since it selects codings, not answers.
 */
import { NO_VALUE_LABEL } from './analysis-project';
import { orderValues } from './groups';

export interface ViewFilter {
  /** Questions in scope; null = every question. */
  questionIds: readonly string[] | null;
  /** Waves in scope; null = every wave. */
  waveIds: readonly string[] | null;
  /** Respondents kept: for each attribute named, the respondent's value must be one of `values` ("" = no value). */
  attributes: readonly { name: string; values: readonly string[] }[];
}

/** Everything in scope. */
export const NO_FILTER: ViewFilter = Object.freeze({ questionIds: null, waveIds: null, attributes: Object.freeze([]) });

/** True when the filter keeps every answer. */
export function isNoFilter(f: ViewFilter): boolean {
  return f.questionIds === null && f.waveIds === null && f.attributes.length === 0;
}

const sortedUnique = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

/** Entries merged by name (the values they share: every entry must hold), in name order, values sorted. */
function mergedAttributes(f: ViewFilter): { name: string; values: string[] }[] {
  const byName = new Map<string, Set<string>>();
  for (const { name, values } of f.attributes) {
    const mine = new Set(values);
    const before = byName.get(name);
    byName.set(name, before ? new Set([...before].filter((v) => mine.has(v))) : mine);
  }
  return [...byName.keys()].sort().map((name) => ({ name, values: sortedUnique([...(byName.get(name) as Set<string>)]) }));
}

/**
 * A canonical string for the filter, for caching a view's result: the same
 * for filters that keep the same answers whatever the order of their lists
 * (repeats and repeated attribute entries included).
 */
export function filterKey(f: ViewFilter): string {
  return JSON.stringify([
    f.questionIds === null ? null : sortedUnique(f.questionIds),
    f.waveIds === null ? null : sortedUnique(f.waveIds),
    mergedAttributes(f).map((a) => [a.name, a.values]),
  ]);
}

/** The respondents the filter keeps (its attribute entries); each respondent is looked up once. */
export function respondentMatcher(f: ViewFilter, attributeOf: (respondentId: string, name: string) => string): (respondentId: string) => boolean {
  const entries = mergedAttributes(f).map((a) => ({ name: a.name, values: new Set(a.values) }));
  if (entries.length === 0) return () => true;
  // A respondent has up to one answer per question and wave: remember the verdict rather than ask again.
  const verdicts = new Map<string, boolean>();
  return (respondentId) => {
    let kept = verdicts.get(respondentId);
    if (kept === undefined) {
      kept = entries.every((e) => e.values.has(attributeOf(respondentId, e.name) ?? ''));
      verdicts.set(respondentId, kept);
    }
    return kept;
  };
}

/** The answers the filter keeps: question and wave in scope, respondent kept. */
export function answerMatcher(
  f: ViewFilter,
  attributeOf: (respondentId: string, name: string) => string,
): (a: { questionId: string; waveId: string; respondentId: string }) => boolean {
  const questions = f.questionIds === null ? null : new Set(f.questionIds);
  const waves = f.waveIds === null ? null : new Set(f.waveIds);
  const respondent = respondentMatcher(f, attributeOf);
  return (a) => (questions === null || questions.has(a.questionId)) && (waves === null || waves.has(a.waveId)) && respondent(a.respondentId);
}

/**
 * The filter in one line, as a table, chart or export names its scope:
 * "Questions: Q1, Q2 · Wave: 6 months · Role: Mentee, Mentor"; "" when
 * nothing is filtered. Questions and waves keep the order given (the filter
 * bar lists them in project order); attribute values read in natural order,
 * "(no value)" last; an empty list reads "none".
 */
export function describeFilter(f: ViewFilter, names: { question(id: string): string; wave(id: string): string }): string {
  const part = (singular: string, plural: string, labels: string[]) =>
    `${labels.length === 1 ? singular : plural}: ${labels.length === 0 ? 'none' : labels.join(', ')}`;
  const parts: string[] = [];
  if (f.questionIds !== null)
    parts.push(
      part(
        'Question',
        'Questions',
        [...new Set(f.questionIds)].map((id) => names.question(id)),
      ),
    );
  if (f.waveIds !== null)
    parts.push(
      part(
        'Wave',
        'Waves',
        [...new Set(f.waveIds)].map((id) => names.wave(id)),
      ),
    );
  for (const a of mergedAttributes(f)) {
    const values = orderValues(a.values).map((v) => (v === '' ? NO_VALUE_LABEL : v));
    parts.push(`${a.name}: ${values.length === 0 ? 'none' : values.join(', ')}`);
  }
  return parts.join(' · ');
}

/**
 * The filter with what is no longer in the project dropped: question and wave
 * ids not known, entries for attributes not known. A list whose every id has
 * gone becomes null (every question or wave) rather than an empty scope, since
 * the author chose those ids and not "none". Attribute values are kept as they
 * are: a value nobody has any more keeps nobody, which the view shows.
 */
export function normaliseFilter(
  f: ViewFilter,
  known: { questionIds: readonly string[]; waveIds: readonly string[]; attributes: readonly string[] },
): ViewFilter {
  const keep = (ids: readonly string[] | null, knownIds: readonly string[]): readonly string[] | null => {
    if (ids === null) return null;
    const k = new Set(knownIds);
    const kept = ids.filter((id) => k.has(id));
    return kept.length === 0 && ids.length > 0 ? null : kept;
  };
  const names = new Set(known.attributes);
  return {
    questionIds: keep(f.questionIds, known.questionIds),
    waveIds: keep(f.waveIds, known.waveIds),
    attributes: f.attributes.filter((a) => names.has(a.name)),
  };
}
