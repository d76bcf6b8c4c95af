/**
 * The respondent × code table for R, SPSS or Stata, and its data dictionary.
 *
 * One row per respondent and wave, in the respondents' project order and,
 * within a respondent, in wave order: the long ("person-period") layout a
 * longitudinal model (a mixed model, GEE, a transition table) reads as it is,
 * and that `pivot_wider` or SPSS CASESTOVARS turns into one row per
 * respondent when a cross-sectional analysis wants it. Every respondent has a
 * row in every wave in scope, so the panel is balanced and a missing wave is a
 * row of blanks rather than a row that is not there; the `wave` and
 * `wave_number` columns are written even for a single wave, so one script
 * reads every project.
 *
 * Columns: `respondent`, `wave`, `wave_number` (1, 2, … in the project's wave order, the same whatever the
 * filter), one
 * per attribute, `n_answered` (the questions in scope the respondent answered
 * in that wave), then one 0/1 column per code in codebook order (`code_…`) and
 * one per theme (`theme_…`). A code or theme is 1 when any answer in scope of
 * that respondent in that wave was coded with it by the chosen coder(s).
 *
 * Blank is not 0: a respondent who answered no question in scope in a wave
 * has blank (missing) code and theme cells in that row, since nothing could be
 * coded; 0 means answered and not coded. So a column's mean over its non-blank
 * cells is the prevalence among those who answered, as the Counts tab gives it.
 *
 * Column names are legal and unique in R, SPSS and Stata: ASCII letters,
 * digits and underscores, starting with a letter, at most 64 characters
 * (`maxNameLength`: 32 for Stata), never a reserved word, unique ignoring case
 * (SPSS and Stata do not tell case apart); a clash gets "_2", "_3", … The
 * dictionary gives each column's full label (the code's path, the attribute's
 * own name), what its values mean and the coding set behind it.
 */
import { ProjectLookup } from './project-lookup';
import { coderFilter, type CoderSelection, type ExportCell, type ExportSource, type ExportTable } from './source';
import { CONSENSUS_CODER_ID } from '../model/types';

export interface RespondentMatrixOptions {
  /** Whose codings count. Default 'any' (any coder; the consensus coder left out). */
  coder?: CoderSelection;
  /** Describes the coding set in the dictionary (e.g. "Final: consensus where adjudicated, else Alice"); derived from `coder` when absent. */
  codingSet?: string;
  /** A parent code's column is 1 when one of its subcodes was applied too. Default false (the code itself only). */
  includeSubcodes?: boolean;
  /** Questions in scope (all when absent). */
  questionIds?: readonly string[];
  /** Waves in scope, one row per respondent in each (all when absent). */
  waveIds?: readonly string[];
  /** A column per theme after the codes. Default true. */
  themes?: boolean;
  /** Longest column name. Default 64 (R, SPSS); Stata needs 32. */
  maxNameLength?: number;
  /** The respondent column holds pseudonyms ("Mentee 7"), not the imported ids: the dictionary says so. */
  pseudonyms?: boolean;
}

export type MatrixColumnKind = 'respondent' | 'wave' | 'wave-number' | 'attribute' | 'answered' | 'code' | 'theme';

/** One column of the table, as the dictionary describes it. */
export interface MatrixColumn {
  name: string;
  kind: MatrixColumnKind;
  /** What the column is about: the code's path, the theme's or attribute's name. */
  label: string;
  /** What the values mean. */
  values: string;
}

export interface RespondentMatrix {
  columns: MatrixColumn[];
  /** The data: header (the column names), then a row per respondent and wave, produced lazily. */
  table: ExportTable;
  /** The data dictionary: a row per column. */
  dictionary: ExportTable;
}

export const DICTIONARY_HEADER = ['column', 'label', 'kind', 'values', 'coding set'];

const CODED_VALUES = '0 = not coded, 1 = coded; blank = answered no question in scope in this wave';

/** R's reserved words, SPSS's, and Stata's, lower-cased: a column may not be called any of them. */
const RESERVED = new Set(
  [
    // R
    'if else repeat while function for next break true false null inf nan na na_integer_ na_real_ na_character_ na_complex_ in',
    // SPSS
    'all and by eq ge gt le lt ne not or to with',
    // Stata
    '_all _b _coef _cons _n _pi _pred _rc _se _skip byte case double float int long strl using',
  ]
    .join(' ')
    .split(' '),
);

/**
 * A name R, SPSS and Stata all accept, from any text: accents folded
 * ("Nguyễn" → "nguyen"), anything else but letters and digits becomes one
 * underscore, lower case, a letter first (`fallback` when the text has no
 * usable character). Not yet unique: see VariableNames.
 */
export function variableName(text: string, prefix = '', fallback = 'v', maxLength = 64): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .replace(/[đĐðÐ]/g, 'd')
    .replace(/[þÞ]/g, 'th')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  let name = prefix + (ascii === '' ? fallback : ascii);
  if (!/^[a-z]/.test(name) || RESERVED.has(name)) name = `v_${name}`.replace(/^v__+/, 'v_');
  return trimName(name, Math.max(8, maxLength));
}

function trimName(name: string, maxLength: number): string {
  return name.length <= maxLength ? name : name.slice(0, maxLength).replace(/_+$/, '');
}

/** Hands out names unique ignoring case, suffixing "_2", "_3", … to a clash and keeping within the length. */
export class VariableNames {
  private readonly taken = new Set<string>();
  constructor(private readonly maxLength = 64) {}

  take(text: string, prefix = '', fallback = 'v'): string {
    const base = variableName(text, prefix, fallback, this.maxLength);
    let name = base;
    for (let n = 2; this.taken.has(name.toLowerCase()); n++) {
      const suffix = `_${n}`;
      name = trimName(base, this.maxLength - suffix.length) + suffix;
    }
    this.taken.add(name.toLowerCase());
    return name;
  }
}

function describeCoder(source: ExportSource, selection: CoderSelection): string {
  if (selection === 'any') return 'any coder (the consensus coder left out)';
  const id = selection === 'consensus' ? CONSENSUS_CODER_ID : selection.coderId;
  if (id === CONSENSUS_CODER_ID) return 'the consensus (adjudicated) codings';
  return `${source.coders.find((c) => c.id === id)?.name ?? id}'s codings`;
}

/** The table and its dictionary. Nothing is computed until the table's rows are read, apart from the column list. */
export function respondentMatrix(source: ExportSource, options: RespondentMatrixOptions = {}, lookup = new ProjectLookup(source)): RespondentMatrix {
  const names = new VariableNames(options.maxNameLength ?? 64);
  const rolledUp = options.includeSubcodes ?? false;
  const codingSet = options.codingSet ?? describeCoder(source, options.coder ?? 'any');
  const waves = orderedWaves(source, options.waveIds);
  const columns: MatrixColumn[] = [
    options.pseudonyms
      ? {
          name: names.take('respondent'),
          kind: 'respondent',
          label: 'Respondent pseudonym',
          values: 'as in the quotes and the report; the pseudonym key links it to the imported id',
        }
      : { name: names.take('respondent'), kind: 'respondent', label: 'Respondent id', values: 'as imported' },
    { name: names.take('wave'), kind: 'wave', label: 'Wave', values: waves.map((w) => w.name).join('; ') },
    {
      name: names.take('wave_number'),
      kind: 'wave-number',
      label: 'Wave number in the project (1 = first wave)',
      values: waves.map((w) => `${w.number} = ${w.name}`).join('; '),
    },
  ];
  for (const attribute of lookup.attributeNames) {
    columns.push({ name: names.take(attribute, '', 'attribute'), kind: 'attribute', label: attribute, values: 'text as imported; blank = no value' });
  }
  columns.push({
    name: names.take('n_answered'),
    kind: 'answered',
    label: 'Questions in scope answered in this wave',
    values: '0 = answered none (code columns blank)',
  });
  for (const row of lookup.codeRows) {
    const withSubs = rolledUp && lookup.hasChildren(row.code.id);
    columns.push({
      name: names.take(row.path, 'code_', 'code'),
      kind: 'code',
      label: withSubs ? `${row.path} (or any of its subcodes)` : row.path,
      values: CODED_VALUES,
    });
  }
  const themeList = options.themes === false ? [] : lookup.themes;
  for (const theme of themeList) {
    columns.push({ name: names.take(theme.name, 'theme_', 'theme'), kind: 'theme', label: `Theme: ${theme.name}`, values: CODED_VALUES });
  }
  const dictionary: ExportTable = {
    header: DICTIONARY_HEADER,
    rows: columns.map((c): ExportCell[] => [c.name, c.label, c.kind, c.values, c.kind === 'code' || c.kind === 'theme' ? codingSet : '']),
  };
  const table: ExportTable = {
    header: columns.map((c) => c.name),
    rows: matrixRows(source, options, lookup, waves, themeList),
  };
  return { columns, table, dictionary };
}

/**
 * The waves in scope in order, each with its number: the wave's place in the
 * project (its order + 1) when the orders are distinct whole numbers, as the
 * import makes them, so "wave 2" means the same wave in every export however
 * it was filtered; otherwise its place among these waves.
 */
function orderedWaves(source: ExportSource, waveIds: readonly string[] | undefined): { id: string; name: string; number: number }[] {
  const wanted = waveIds ? new Set(waveIds) : null;
  const sorted = source.waves
    .filter((w) => !wanted || wanted.has(w.id))
    .slice()
    .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const own = sorted.every((w) => Number.isInteger(w.order) && w.order >= 0) && new Set(sorted.map((w) => w.order)).size === sorted.length;
  return sorted.map((w, i) => ({ id: w.id, name: w.name, number: own ? w.order + 1 : i + 1 }));
}

function* matrixRows(
  source: ExportSource,
  options: RespondentMatrixOptions,
  lookup: ProjectLookup,
  waves: { id: string; name: string; number: number }[],
  themeList: ProjectLookup['themes'],
): Generator<ExportCell[], void, undefined> {
  const questions = options.questionIds ? new Set(options.questionIds) : null;
  const waveIndex = new Map(waves.map((w, i) => [w.id, i]));
  const nWaves = waves.length;
  const respondentIndex = new Map(source.respondents.map((r, i) => [r.id, i]));
  const cellOf = (respondentId: string, waveId: string): number => {
    const r = respondentIndex.get(respondentId);
    const w = waveIndex.get(waveId);
    return r === undefined || w === undefined ? -1 : r * nWaves + w;
  };
  // Questions answered per respondent × wave (a typed array: 100k respondents × waves stays small).
  const answered = new Uint16Array(source.respondents.length * nWaves);
  for (const answer of source.answers) {
    if (questions && !questions.has(answer.questionId)) continue;
    const cell = cellOf(answer.respondentId, answer.waveId);
    if (cell >= 0 && answered[cell] < 0xffff) answered[cell]++;
  }
  // Code and theme columns set to 1, per respondent × wave.
  const nCodes = lookup.codeRows.length;
  const keep = coderFilter(options.coder ?? 'any');
  const rolledUp = options.includeSubcodes ?? false;
  const themeColumnsOf = new Map<string, number[]>();
  themeList.forEach((theme, t) => {
    for (const codeId of lookup.themeCodeIds(theme)) {
      const list = themeColumnsOf.get(codeId) ?? [];
      list.push(nCodes + t);
      themeColumnsOf.set(codeId, list);
    }
  });
  const columnsOf = new Map<string, number[]>();
  const columns = (codeId: string): number[] => {
    let list = columnsOf.get(codeId);
    if (!list) {
      const ids = rolledUp ? lookup.selfAndAncestors(codeId) : [codeId];
      list = ids.map((id) => lookup.codeIndex(id)).filter((i) => i < nCodes);
      list.push(...(themeColumnsOf.get(codeId) ?? []));
      columnsOf.set(codeId, list);
    }
    return list;
  };
  const coded = new Map<number, Set<number>>();
  for (const coding of source.codings) {
    if (!keep(coding.coderId)) continue;
    // A coding of an answer the source does not hold is left out: it cannot have been answered in scope.
    const answer = lookup.answer(coding.answerId);
    if (!answer || (questions && !questions.has(answer.questionId))) continue;
    const cell = cellOf(answer.respondentId, answer.waveId);
    if (cell < 0) continue;
    let set = coded.get(cell);
    if (!set) coded.set(cell, (set = new Set()));
    for (const column of columns(coding.codeId)) set.add(column);
  }
  const width = nCodes + themeList.length;
  const blanks: ExportCell[] = new Array<ExportCell>(width).fill(null);
  for (const [r, respondent] of source.respondents.entries()) {
    const attributes = lookup.attributeValues(respondent.id);
    for (const [w, wave] of waves.entries()) {
      const cell = r * nWaves + w;
      const n = answered[cell];
      let flags: ExportCell[];
      if (n === 0) flags = blanks;
      else {
        flags = new Array<ExportCell>(width).fill(0);
        for (const column of coded.get(cell) ?? []) flags[column] = 1;
      }
      yield [respondent.id, wave.name, wave.number, ...attributes, n, ...flags];
    }
  }
}
