/**
 * What the exports read: a narrow, plain-data view of a project. A whole
 * `ProjectFile` (exchange/project-file.ts) fits it as it is; so does a
 * hand-built object holding only the fields the exports use, which keeps tests
 * and the worker's message small.
 */
import type { ExchangeAnswer, ExchangeAttribute, ExchangeQuestion, ExchangeRespondent, ExchangeWave } from '../exchange/project-file';
import type { ExchangeCode, ExchangeCoder, ExchangeCoding } from '../exchange/records';
import { CONSENSUS_CODER_ID, type Theme } from '../model/types';

/** A coding as the exports read it: offsets in code points, or both null for the whole answer. */
export type ExportCoding = Pick<ExchangeCoding, 'id' | 'answerId' | 'codeId' | 'coderId' | 'start' | 'end'> & {
  /** Marked as an exemplar quote (absent = not marked). */
  exemplar?: boolean;
  /** Accepted from one of the assistant's suggestions (absent = coded by hand, or by the Assistant coder itself). */
  suggested?: boolean;
};

export type ExportTheme = Pick<Theme, 'id' | 'name' | 'description' | 'codeIds' | 'withSubcodes' | 'order'>;

/** The project data every export takes as input. */
export interface ExportSource {
  project: { name: string };
  waves: readonly Pick<ExchangeWave, 'id' | 'name' | 'order'>[];
  questions: readonly Pick<ExchangeQuestion, 'id' | 'key' | 'label' | 'order'>[];
  attributes: readonly Pick<ExchangeAttribute, 'name' | 'order' | 'values'>[];
  /** In the project's order; that order is the row order within a question and wave. */
  respondents: readonly Pick<ExchangeRespondent, 'id' | 'attributes'>[];
  answers: readonly Pick<ExchangeAnswer, 'id' | 'questionId' | 'waveId' | 'respondentId' | 'text'>[];
  codes: readonly ExchangeCode[];
  coders: readonly Pick<ExchangeCoder, 'id' | 'name'>[];
  codings: readonly ExportCoding[];
  themes?: readonly ExportTheme[];
}

/**
 * Whose codings an export counts: one coder (`{ coderId }`), the adjudicated
 * consensus coder (`'consensus'`, the same as `{ coderId: CONSENSUS_CODER_ID }`),
 * or any coder (`'any'`: a code is present where any coder applied it). 'any'
 * leaves the consensus coder out, since its codings copy coders' codings and
 * would count them twice (as the analysis module counts "all coders").
 */
export type CoderSelection = 'any' | 'consensus' | { coderId: string };

/** A predicate on coder ids for a selection. */
export function coderFilter(selection: CoderSelection): (coderId: string) => boolean {
  if (selection === 'any') return (coderId) => coderId !== CONSENSUS_CODER_ID;
  const wanted = selection === 'consensus' ? CONSENSUS_CODER_ID : selection.coderId;
  return (coderId) => coderId === wanted;
}

/** One spreadsheet cell as the exports produce it: text, a number, or empty. */
export type ExportCell = string | number | null;

/** A table ready for CSV or XLSX: a header row, then rows produced on demand. */
export interface ExportTable {
  header: string[];
  rows: Iterable<ExportCell[]>;
}
