/**
 * The codebook as rows in codebook order, with each code's path and, when
 * given, its counts: the shape both the codebook export and the report's
 * appendix print.
 */
import type { ExchangeCode } from '../exchange/records';
import type { CodeCount } from './counts';
import { ProjectLookup } from './project-lookup';

export interface CodebookRow {
  id: string;
  name: string;
  /** "Rewards › Career". */
  path: string;
  /** 0 for a top-level code. */
  depth: number;
  definition: string;
  inclusion: string;
  exclusion: string;
  example: string;
  /** Absent when the export carries no counts; zeros for a code never applied. */
  count?: CodeCount;
}

/** Rows for every code (parents before children, siblings by order; codes in a parent cycle last). */
export function codebookRows(codes: readonly ExchangeCode[], counts?: ReadonlyMap<string, CodeCount>): CodebookRow[] {
  const lookup = new ProjectLookup({
    project: { name: '' },
    waves: [],
    questions: [],
    attributes: [],
    respondents: [],
    answers: [],
    codes,
    coders: [],
    codings: [],
  });
  return lookup.codeRows.map(({ code, depth, path }) => ({
    id: code.id,
    name: code.name,
    path,
    depth,
    definition: code.definition,
    inclusion: code.inclusion,
    exclusion: code.exclusion,
    example: code.example,
    ...(counts ? { count: counts.get(code.id) ?? { codings: 0, answers: 0, respondents: 0 } } : {}),
  }));
}
