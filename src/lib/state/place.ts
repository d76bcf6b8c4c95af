/**
 * Where the user is in a project, as the part of the URL after "?": which view (by question, grid,
 * agreement, analysis) and analysis tab, the answer list's filters, search and order, and the analysis
 * filter bar's choice. A reload, a bookmark or the browser's back button finds the same place.
 *
 * Pure: `placeQuery` and `parsePlace` turn a place into text and back (any place survives the trip), and
 * `fitPlace` drops what the project no longer has (a deleted wave, an attribute gone, a round removed), so a
 * stale link opens what still exists with no error. An empty query is the default place, so old links
 * ("#/project/<id>/<questionId>") open as they did.
 */
import type { AnswerFilter } from '../coding/answer-filter';
import { isAnswerSort, type AnswerSort } from '../coding/answer-sort';
import type { CoderChoice } from '../analysis/view-types';
import { nameKeyed, ownValue } from '../model/name-keyed';

export type PlaceView = 'question' | 'grid' | 'agreement' | 'analysis';
const VIEWS: readonly PlaceView[] = ['question', 'grid', 'agreement', 'analysis'];

/** The answer list's filters as the URL keeps them: the search box's words ('' for none) in place of its hit mask. */
export type AnswerPlace = Omit<AnswerFilter, 'searchMask' | 'roundId'> & {
  roundId: string | null;
  search: string;
  sort: AnswerSort;
};

export interface AnalysisPlace {
  questionIds: readonly string[] | null;
  waveIds: readonly string[] | null;
  attributes: readonly { name: string; values: readonly string[] }[];
  /** Whose codings count; null leaves the project's default. */
  coders: CoderChoice | null;
}

export interface Place {
  view: PlaceView;
  /** The analysis tab; null leaves it as it is. */
  tab: string | null;
  answers: AnswerPlace;
  analysis: AnalysisPlace;
}

export const DEFAULT_PLACE: Place = {
  view: 'question',
  tab: null,
  answers: {
    waveId: null,
    attributes: nameKeyed(),
    codeId: null,
    includeSubcodes: true,
    coderId: null,
    uncodedOnly: false,
    hasMemo: false,
    roundId: null,
    search: '',
    sort: 'file',
  },
  analysis: { questionIds: null, waveIds: null, attributes: [], coders: null },
};

// Short keys keep a shared link readable; "a." marks the analysis filter bar's.
const ATTRIBUTE = 'attr.';
const ANALYSIS_ATTRIBUTE = 'a.attr.';

/** The place as URL query text (without "?"); '' for the default place. */
export function placeQuery(place: Place): string {
  const params = new URLSearchParams();
  const a = place.answers;
  if (place.view !== 'question') params.append('view', place.view);
  if (place.tab) params.append('tab', place.tab);
  if (a.waveId !== null) params.append('wave', a.waveId);
  for (const [name, value] of Object.entries(a.attributes)) if (value !== '') params.append(ATTRIBUTE + name, value);
  if (a.codeId !== null) params.append('code', a.codeId);
  if (!a.includeSubcodes) params.append('subcodes', '0');
  if (a.coderId !== null) params.append('coder', a.coderId);
  if (a.uncodedOnly) params.append('uncoded', '1');
  if (a.hasMemo) params.append('memo', '1');
  if (a.roundId !== null) params.append('round', a.roundId);
  if (a.search !== '') params.append('search', a.search);
  if (a.sort !== 'file') params.append('sort', a.sort);
  const n = place.analysis;
  appendList(params, 'a.question', n.questionIds);
  appendList(params, 'a.wave', n.waveIds);
  for (const { name, values } of n.attributes) for (const value of values) params.append(ANALYSIS_ATTRIBUTE + name, value);
  if (n.coders) params.append('a.coders', n.coders.kind === 'coder' ? `coder:${n.coders.coderId}` : n.coders.kind);
  // URLSearchParams writes spaces as "+"; %20 reads the same everywhere a link is pasted.
  return params.toString().replaceAll('+', '%20');
}

/** A list of ids: absent for every id, one empty entry for none. */
function appendList(params: URLSearchParams, key: string, ids: readonly string[] | null) {
  if (ids === null) return;
  if (ids.length === 0) params.append(key, '');
  for (const id of ids) params.append(key, id);
}

/** The place a query names; what cannot be read (an unknown view, a malformed entry) is left at its default. */
export function parsePlace(query: string): Place {
  const params = new URLSearchParams(query.replace(/^\?/, ''));
  const one = (key: string) => params.get(key);
  const nonEmpty = (key: string) => {
    const value = one(key);
    return value ? value : null;
  };
  const view = one('view');
  const sort = one('sort');
  const attributes = nameKeyed<string>();
  const analysisAttributes: { name: string; values: string[] }[] = [];
  for (const [key, value] of params) {
    if (key.startsWith(ANALYSIS_ATTRIBUTE)) {
      const name = key.slice(ANALYSIS_ATTRIBUTE.length);
      const found = analysisAttributes.find((x) => x.name === name);
      if (found) found.values.push(value);
      else analysisAttributes.push({ name, values: [value] });
    } else if (key.startsWith(ATTRIBUTE) && value !== '' && ownValue(attributes, key.slice(ATTRIBUTE.length)) === undefined) {
      attributes[key.slice(ATTRIBUTE.length)] = value;
    }
  }
  return {
    view: VIEWS.includes(view as PlaceView) ? (view as PlaceView) : 'question',
    tab: nonEmpty('tab'),
    answers: {
      waveId: nonEmpty('wave'),
      attributes,
      codeId: nonEmpty('code'),
      includeSubcodes: one('subcodes') !== '0',
      coderId: nonEmpty('coder'),
      uncodedOnly: one('uncoded') === '1',
      hasMemo: one('memo') === '1',
      roundId: nonEmpty('round'),
      search: one('search') ?? '',
      sort: isAnswerSort(sort) ? sort : 'file',
    },
    analysis: {
      questionIds: readList(params, 'a.question'),
      waveIds: readList(params, 'a.wave'),
      attributes: analysisAttributes,
      coders: readCoders(one('a.coders')),
    },
  };
}

function readList(params: URLSearchParams, key: string): string[] | null {
  if (!params.has(key)) return null;
  return params.getAll(key).filter((id) => id !== '');
}

function readCoders(text: string | null): CoderChoice | null {
  if (text === 'all' || text === 'final' || text === 'consensus') return { kind: text };
  if (text?.startsWith('coder:') && text.length > 'coder:'.length) return { kind: 'coder', coderId: text.slice('coder:'.length) };
  return null;
}

/** What the open project has, to check a place against; a part left out is not checked. */
export interface PlaceShape {
  waveIds: readonly string[];
  questionIds: readonly string[];
  /** Attributes and the values the answer filter can choose from. */
  attributes: readonly { name: string; values: readonly string[] }[];
  tabs?: readonly string[];
  codeIds?: readonly string[];
  coderIds?: readonly string[];
  roundIds?: readonly string[];
}

/**
 * The place with what the project does not have dropped: an unknown wave, code, coder or round goes back
 * to "any", an unknown attribute or value is no longer a condition, and an analysis list whose every id is
 * gone widens to every id rather than narrowing to nothing (as the filter bar does when the project changes).
 */
export function fitPlace(place: Place, shape: PlaceShape): Place {
  const known = (ids: readonly string[] | undefined) => {
    const set = ids ? new Set(ids) : null;
    return (id: string | null) => (id !== null && set !== null && !set.has(id) ? null : id);
  };
  const attributes = new Map(shape.attributes.map((a) => [a.name, new Set(a.values)]));
  const answerAttributes = nameKeyed<string>();
  for (const [name, value] of Object.entries(place.answers.attributes)) if (attributes.get(name)?.has(value)) answerAttributes[name] = value;
  const list = (ids: readonly string[] | null, all: readonly string[]) => {
    if (ids === null) return null;
    const set = new Set(all);
    const kept = ids.filter((id) => set.has(id));
    return kept.length === 0 && ids.length > 0 ? null : kept;
  };
  const analysisAttributes = place.analysis.attributes
    .map(({ name, values }) => ({ name, values: values.filter((v) => v === '' || attributes.get(name)?.has(v)) }))
    .filter(({ name, values }) => attributes.has(name) && values.length > 0);
  const coders = place.analysis.coders;
  const coderKnown = known(shape.coderIds);
  return {
    view: place.view,
    tab: place.tab !== null && shape.tabs && !shape.tabs.includes(place.tab) ? null : place.tab,
    answers: {
      ...place.answers,
      waveId: known(shape.waveIds)(place.answers.waveId),
      attributes: answerAttributes,
      codeId: known(shape.codeIds)(place.answers.codeId),
      coderId: coderKnown(place.answers.coderId),
      roundId: known(shape.roundIds)(place.answers.roundId),
    },
    analysis: {
      questionIds: list(place.analysis.questionIds, shape.questionIds),
      waveIds: list(place.analysis.waveIds, shape.waveIds),
      attributes: analysisAttributes,
      coders: coders?.kind === 'coder' && coderKnown(coders.coderId) === null ? null : coders,
    },
  };
}
