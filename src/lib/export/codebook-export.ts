/**
 * The codebook on its own: Markdown for a methods appendix, and JSON in the
 * `codebench-codebook` format (docs/codebook-format.md), written by the
 * codebook module's own writer so parseCodebookJson reads it back.
 */
import { codebookFromCodes, serializeCodebook } from '../codebook/codebook-json';
import type { ExchangeCode } from '../exchange/records';
import type { CodebookRow } from './codebook-rows';
import { mdInline, mdParagraph, mdTable } from './markdown-text';

/**
 * The codebook JSON file. Code ids are kept, so a re-imported codebook matches
 * the codes already used.
 */
export function codebookJson(name: string, description: string, codes: readonly ExchangeCode[]): string {
  // codebookFromCodes wants model Codes; projectId is not written to the file.
  return serializeCodebook(
    codebookFromCodes(
      name,
      description,
      codes.map((code) => ({ ...code, projectId: '' })),
    ),
  );
}

export interface CodebookMarkdownOptions {
  /** 'headings' (default): a heading per code, nested by depth; 'table': one table. */
  layout?: 'headings' | 'table';
  /** Heading level of the title (1–4). Default 1. */
  level?: number;
  description?: string;
}

/** The codebook table (path, definition, criteria, example, and counts when the rows carry them). */
export function codebookTableMarkdown(rows: readonly CodebookRow[]): string {
  const counted = rows.some((r) => r.count);
  const header = ['Code', 'Definition', 'Include when', 'Exclude when', 'Example', ...(counted ? ['Answers', 'Codings'] : [])];
  const body = rows.map((r) => [
    r.path,
    r.definition,
    r.inclusion,
    r.exclusion,
    r.example,
    ...(counted ? [String(r.count?.answers ?? 0), String(r.count?.codings ?? 0)] : []),
  ]);
  return mdTable(header, body, counted ? [...header.slice(0, 5).map(() => 'left' as const), 'right', 'right'] : undefined);
}

/** The codebook as Markdown, ending with a newline. */
export function codebookMarkdown(title: string, rows: readonly CodebookRow[], options: CodebookMarkdownOptions = {}): string {
  const level = Math.min(4, Math.max(1, Math.floor(options.level ?? 1)));
  const parts = [`${'#'.repeat(level)} ${mdInline(title)}`];
  if (options.description?.trim()) parts.push(mdParagraph(options.description));
  if (rows.length === 0) parts.push('No codes yet.');
  else if (options.layout === 'table') parts.push(codebookTableMarkdown(rows));
  else for (const row of rows) parts.push(codeSection(row, level));
  return parts.join('\n\n') + '\n';
}

function codeSection(row: CodebookRow, titleLevel: number): string {
  // Markdown has six heading levels; deeper codes stay at six and keep their full path visible.
  const wanted = titleLevel + 1 + row.depth;
  const level = Math.min(6, wanted);
  const lines = [`${'#'.repeat(level)} ${mdInline(wanted > 6 ? row.path : row.name)}`];
  if (row.definition.trim()) lines.push(mdParagraph(row.definition));
  const field = (label: string, text: string) => {
    if (text.trim()) lines.push(`**${label}:** ${mdParagraph(text)}`);
  };
  field('Include when', row.inclusion);
  field('Exclude when', row.exclusion);
  if (row.example.trim()) lines.push(`**Example:**\n\n${blockquote(row.example)}`);
  if (row.count)
    lines.push(`*${plural(row.count.answers, 'answer')}, ${plural(row.count.codings, 'coding')}, ${plural(row.count.respondents, 'respondent')}.*`);
  return lines.join('\n\n');
}

/** A Markdown block quote of user text. */
export function blockquote(text: string): string {
  return mdParagraph(text)
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
