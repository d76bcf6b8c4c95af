/**
 * The wide CSV: one row per answer (uncoded answers included, so column sums
 * have the right denominator), for R, SPSS or Stata. Columns: respondent, one
 * per attribute, question, wave, answer, then one 0/1 column per code in
 * codebook order, headed by the code's path ("Rewards › Career").
 *
 * Whether a parent's column includes its subcodes is an option:
 * - `includeSubcodes: false` (default, "own codings only"): a column is 1 only
 *   where that very code was applied; a parent's column ignores its children.
 * - `includeSubcodes: true`: a column is 1 where the code or any code below it
 *   was applied, and the header of every code that has subcodes ends in
 *   " (incl. subcodes)" so a reader of the file can tell which variant it is.
 * Leaf codes read the same in both.
 */
import { csvChunks, csvText, type CsvChunkOptions, type CsvTextOptions } from './csv-stream';
import { ProjectLookup } from './project-lookup';
import { coderFilter, type CoderSelection, type ExportCell, type ExportSource, type ExportTable } from './source';

export interface WideExportOptions {
  /** Whose codings count: a coder, the consensus coder, or 'any' coder (consensus left out). Default 'any'. */
  coder?: CoderSelection;
  /** A parent's column is 1 when a subcode was applied too. Default false. */
  includeSubcodes?: boolean;
  /** Only answers to these questions (all questions when absent). */
  questionIds?: readonly string[];
}

export const SUBCODES_SUFFIX = ' (incl. subcodes)';

/** The wide table: header, then one row per answer in display order, produced lazily. */
export function wideTable(source: ExportSource, options: WideExportOptions = {}, lookup = new ProjectLookup(source)): ExportTable {
  const rolledUp = options.includeSubcodes ?? false;
  const codeHeaders = lookup.codeRows.map((row) => row.path + (rolledUp && lookup.hasChildren(row.code.id) ? SUBCODES_SUFFIX : ''));
  return {
    header: ['respondent', ...lookup.attributeNames, 'question', 'wave', 'answer', ...codeHeaders],
    rows: wideRows(source, options, lookup),
  };
}

function* wideRows(source: ExportSource, options: WideExportOptions, lookup: ProjectLookup): Generator<ExportCell[], void, undefined> {
  const applied = appliedCodeColumns(source, options, lookup);
  const questions = options.questionIds ? new Set(options.questionIds) : null;
  const width = lookup.codeRows.length;
  for (const answer of lookup.orderedAnswers()) {
    if (questions && !questions.has(answer.questionId)) continue;
    const flags = new Array<number>(width).fill(0);
    for (const column of applied.get(answer.id) ?? []) flags[column] = 1;
    yield [
      answer.respondentId,
      ...lookup.attributeValues(answer.respondentId),
      lookup.questionLabel(answer.questionId),
      lookup.waveName(answer.waveId),
      answer.text,
      ...flags,
    ];
  }
}

/** For each answer, the code columns set to 1. */
function appliedCodeColumns(source: ExportSource, options: WideExportOptions, lookup: ProjectLookup): Map<string, Set<number>> {
  const keep = coderFilter(options.coder ?? 'any');
  const rolledUp = options.includeSubcodes ?? false;
  const columnsOf = new Map<string, number[]>();
  const columns = (codeId: string): number[] => {
    let list = columnsOf.get(codeId);
    if (!list) {
      const ids = rolledUp ? lookup.selfAndAncestors(codeId) : [codeId];
      list = ids.map((id) => lookup.codeIndex(id)).filter((i) => i < lookup.codeRows.length);
      columnsOf.set(codeId, list);
    }
    return list;
  };
  const out = new Map<string, Set<number>>();
  for (const coding of source.codings) {
    if (!keep(coding.coderId)) continue;
    let set = out.get(coding.answerId);
    if (!set) out.set(coding.answerId, (set = new Set()));
    for (const column of columns(coding.codeId)) set.add(column);
  }
  return out;
}

/** The wide CSV in chunks of whole lines (see csvChunks). */
export function wideCsvChunks(source: ExportSource, options: WideExportOptions & CsvChunkOptions = {}): Generator<string, void, undefined> {
  return csvChunks(wideTable(source, options), options);
}

/** The wide CSV as one string. */
export function wideCsvToString(source: ExportSource, options: WideExportOptions & CsvTextOptions = {}): string {
  return csvText(wideTable(source, options), options);
}
