/**
 * The long CSV: one row per coding, for reading quotes and pivoting. Columns:
 * respondent, one per attribute, question (label), wave (name), code (path),
 * themes, coder, quote, start, end, exemplar, origin.
 *
 * `origin` says where the coding came from (see codingOrigin): `hand`, `suggestion` (the coder accepted it from
 * the assistant's suggestions) or `assistant` (the Assistant coder's own pre-coding). It is the last column so
 * readers keyed on the earlier ones keep working.
 *
 * The quote is the coded span sliced by code points (the stored offsets), or
 * the whole answer text for a whole-answer coding, whose start and end cells
 * are then empty. Rows follow the answers' display order (question, wave,
 * respondent), then whole-answer codings before spans, spans by position,
 * then codebook order and coder name.
 */
import { compareCodeUnits, ProjectLookup } from './project-lookup';
import { codedText } from './quote-text';
import { csvChunks, csvText, type CsvChunkOptions, type CsvTextOptions } from './csv-stream';
import { coderFilter, type CoderSelection, type ExportCell, type ExportCoding, type ExportSource, type ExportTable } from './source';
import { ASSISTANT_CODER_ID } from '../model/types';

export interface LongExportOptions {
  /**
   * Names each respondent in the respondent column (their pseudonym). The rows are those of the source renamed
   * (pseudonymousSource) when every answer's respondent is known, their names are distinct and every coding's answer
   * is known: see canRenameRows.
   */
  renameRespondent?: (respondentId: string) => string;
  /**
   * Whose codings to list. Absent (the default): every coding, the consensus
   * coder's included, since the coder column tells them apart.
   */
  coder?: CoderSelection;
}

/** The fixed columns after the attribute columns. */
export const LONG_COLUMNS = ['question', 'wave', 'code', 'themes', 'coder', 'quote', 'start', 'end', 'exemplar', 'origin'] as const;

/** Where a coding came from, as the long table's `origin` column says it. */
export type CodingOrigin = 'hand' | 'suggestion' | 'assistant';

/**
 * `assistant` for the Assistant coder's own codings, `suggestion` for one a coder accepted from the assistant's
 * suggestions (`suggested`, kept on the consensus and Final codings taken from it), else `hand`.
 */
export function codingOrigin(coding: Pick<ExportCoding, 'coderId' | 'suggested'>): CodingOrigin {
  return coding.coderId === ASSISTANT_CODER_ID ? 'assistant' : coding.suggested === true ? 'suggestion' : 'hand';
}

/** The long table: header, then rows produced lazily in export order. */
export function longTable(source: ExportSource, options: LongExportOptions = {}, lookup = new ProjectLookup(source)): ExportTable {
  return { header: ['respondent', ...lookup.attributeNames, ...LONG_COLUMNS], rows: longRows(source, options, lookup) };
}

function* longRows(source: ExportSource, options: LongExportOptions, lookup: ProjectLookup): Generator<ExportCell[], void, undefined> {
  const rename = options.renameRespondent;
  const width = 1 + lookup.attributeNames.length + LONG_COLUMNS.length;
  // Rows come grouped by answer, so the cells about the answer are worked out once per answer.
  let answerId: string | null = null;
  let head: ExportCell[] = [];
  let text = '';
  const codeCells = new Map<string, [string, string]>();
  const coderNames = new Map<string, string>();
  for (const coding of longCodings(source, options, lookup)) {
    if (coding.answerId !== answerId) {
      answerId = coding.answerId;
      const parts = lookup.answerParts(answerId);
      text = lookup.answer(answerId)?.text ?? '';
      head = [
        rename ? rename(parts.respondentId) : parts.respondentId,
        ...lookup.attributeValues(parts.respondentId),
        lookup.questionLabel(parts.questionId),
        lookup.waveName(parts.waveId),
      ];
    }
    let code = codeCells.get(coding.codeId);
    if (!code) codeCells.set(coding.codeId, (code = [lookup.codePath(coding.codeId), lookup.themeNames(coding.codeId)]));
    let coder = coderNames.get(coding.coderId);
    if (coder === undefined) coderNames.set(coding.coderId, (coder = lookup.coderName(coding.coderId)));
    const whole = coding.start === null || coding.end === null;
    const row = new Array<ExportCell>(width);
    let i = 0;
    for (; i < head.length; i++) row[i] = head[i];
    row[i++] = code[0];
    row[i++] = code[1];
    row[i++] = coder;
    row[i++] = codedText(text, coding);
    row[i++] = whole ? null : coding.start;
    row[i++] = whole ? null : coding.end;
    row[i++] = coding.exemplar ? 'yes' : 'no';
    row[i] = codingOrigin(coding);
    yield row;
  }
}

/** The codings the long table lists, in its row order (the streamed writer, csv-long-stream.ts, walks the same list). */
export function longCodings(source: ExportSource, options: Pick<LongExportOptions, 'coder'>, lookup: ProjectLookup): ExportCoding[] {
  return longCodingOrder(source, options, lookup).codings;
}

/** The long table's codings in row order, with each one's answer as its position in `source.answers` (-1: unknown). */
export interface LongCodingOrder {
  codings: ExportCoding[];
  positions: Int32Array;
}

/**
 * Kept per lookup (a project keeps its lookup until its codings change) and coder selection: sorting 264k codings
 * is a second of a long CSV at 100k, and the page asks for the order ahead of the click (prepareLongCsv).
 */
const codingOrders = new WeakMap<ProjectLookup, Map<string, { codings: readonly ExportCoding[]; order: LongCodingOrder }>>();

export function longCodingOrder(
  source: ExportSource,
  options: Pick<LongExportOptions, 'coder'>,
  lookup: ProjectLookup,
  placed?: PlacedAnswers,
): LongCodingOrder {
  const key = (options.coder === undefined ? '' : JSON.stringify(options.coder)) + (placed ? '\u0000placed' : '');
  let byCoder = codingOrders.get(lookup);
  if (!byCoder) codingOrders.set(lookup, (byCoder = new Map()));
  const kept = byCoder.get(key);
  if (kept && kept.codings === source.codings) return kept.order;
  const keep = options.coder === undefined ? null : coderFilter(options.coder);
  const chosen = keep ? source.codings.flatMap((c, i) => (keep(c.coderId) ? [i] : [])) : null;
  const codings = chosen ? chosen.map((i) => source.codings[i]) : source.codings;
  const at = placed && (chosen ? Int32Array.from(chosen, (i) => placed.positions[i]) : placed.positions);
  const order = sortCodings(codings, lookup, placed && { positions: at!, answerCount: placed.answerCount });
  byCoder.set(key, { codings: source.codings, order });
  return order;
}

/**
 * Each coding's answer already placed (the analysis worker's project read as columns: csv-long-columns.ts), with
 * positions in display order: the positions are then the ranks, and no answer id is looked up.
 */
export interface PlacedAnswers {
  /** Each of `source.codings`' answer as its display position; < 0 for an answer the project lacks. */
  positions: Int32Array;
  /** How many answers there are. */
  answerCount: number;
}

function sortCodings(codings: readonly ExportCoding[], lookup: ProjectLookup, placed?: PlacedAnswers): LongCodingOrder {
  // Keys computed once: a comparator that looked them up would do so ~n log n times.
  const n = codings.length;
  const answerCount = placed ? placed.answerCount : lookup.orderedAnswers().length;
  const ranksArePositions = placed ? true : lookup.ranksArePositions;
  const rank = new Int32Array(n);
  const position = new Int32Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const code = new Float64Array(n);
  const coderNames = new Map<string, string>();
  const coder: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const c = codings[i];
    const at = placed ? (placed.positions[i] < 0 ? -1 : placed.positions[i]) : (lookup.answerPosition(c.answerId) ?? -1);
    position[i] = at;
    // Unknown answers sort last: one bucket after every known rank.
    rank[i] = at < 0 ? answerCount : ranksArePositions ? at : lookup.answerRank(c.answerId);
    start[i] = c.start ?? -1;
    end[i] = c.end ?? -1;
    code[i] = lookup.codeIndex(c.codeId);
    let name = coderNames.get(c.coderId);
    if (name === undefined) coderNames.set(c.coderId, (name = lookup.coderName(c.coderId)));
    coder[i] = name;
  }
  // By answer rank first with a counting sort (ranks are small integers), then each answer's few codings by the
  // other keys: the same order as one comparison sort over all keys, without n log n comparisons of six keys.
  const first = new Int32Array(answerCount + 2);
  for (let i = 0; i < n; i++) first[rank[i] + 1]++;
  for (let r = 1; r < first.length; r++) first[r] += first[r - 1];
  const order = new Int32Array(n);
  const next = first.slice(0, answerCount + 1);
  for (let i = 0; i < n; i++) order[next[rank[i]]++] = i;
  const compare = (a: number, b: number) =>
    start[a] - start[b] || end[a] - end[b] || code[a] - code[b] || compareCodeUnits(coder[a], coder[b]) || compareCodeUnits(codings[a].id, codings[b].id);
  for (let r = 0; r <= answerCount; r++) {
    const from = first[r];
    const to = first[r + 1];
    if (to - from > 1) order.subarray(from, to).sort(compare);
  }
  const sorted: ExportCoding[] = new Array(n);
  const positions = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    sorted[i] = codings[order[i]];
    positions[i] = position[order[i]];
  }
  return { codings: sorted, positions };
}

/**
 * Whether the long table of `source` with its respondents renamed by `rename` has the same rows as the long table of
 * the source renamed by pseudonymousSource, without building that copy (renaming 700k answers and indexing them again
 * was ~40 % of a long CSV at 100k): every answer's respondent is known, the new names are distinct, and every
 * coding's answer is known, so the renamed rows sort as the raw ones and carry the same cells.
 */
export function canRenameRows(source: ExportSource, rename: (respondentId: string) => string, lookup = new ProjectLookup(source)): boolean {
  return canRenameRespondents(source, rename, lookup) && everyCodingPlaced(source, lookup);
}

/** canRenameRows' part about respondents and answers alone: it holds across coding changes (see export-file.ts). */
export function canRenameRespondents(source: ExportSource, rename: (respondentId: string) => string, lookup = new ProjectLookup(source)): boolean {
  if (!renamesDistinctly(source, rename, lookup)) return false;
  for (const answer of source.answers) if (lookup.respondentPosition(answer.respondentId) === undefined) return false;
  return true;
}

/** canRenameRespondents' part about the respondents alone: each listed once, and their new names distinct. */
export function renamesDistinctly(source: ExportSource, rename: (respondentId: string) => string, lookup: ProjectLookup): boolean {
  // The lookup's maps are already built: only the new names need a set of their own.
  const names = new Set<string>();
  for (let i = 0; i < source.respondents.length; i++) {
    const id = source.respondents[i].id;
    const name = rename(id);
    if (names.has(name) || lookup.respondentPosition(id) !== i) return false;
    names.add(name);
  }
  return true;
}

/** canRenameRows' part about codings: every coding's answer is known. */
export function everyCodingPlaced(source: ExportSource, lookup: ProjectLookup): boolean {
  const kept = placedCodings.get(source.codings);
  if (kept && kept.lookup === lookup) return kept.ok;
  let ok = true;
  for (const coding of source.codings) if (lookup.answerPosition(coding.answerId) === undefined) ok = false;
  placedCodings.set(source.codings, { lookup, ok });
  return ok;
}

const placedCodings = new WeakMap<readonly ExportCoding[], { lookup: ProjectLookup; ok: boolean }>();

/** The long CSV in chunks of whole lines (see csvChunks). */
export function longCsvChunks(source: ExportSource, options: LongExportOptions & CsvChunkOptions = {}): Generator<string, void, undefined> {
  return csvChunks(longTable(source, options), options);
}

/** The long CSV as one string. */
export function longCsvToString(source: ExportSource, options: LongExportOptions & CsvTextOptions = {}): string {
  return csvText(longTable(source, options), options);
}
