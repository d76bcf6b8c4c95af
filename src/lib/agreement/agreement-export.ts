/**
 * The agreement table as CSV (for spreadsheets) and Markdown (for a methods
 * section), and the list of disagreements as CSV for coders to talk through.
 * Statistics have three decimals; an undefined statistic is an empty cell
 * (CSV) or a dash (Markdown), with its reason in the notes.
 *
 * Both tables can open with what they measured (an AgreementScopeRecord): in
 * the CSV as leading lines starting with '#', which R (read.csv with
 * comment.char = '#'), pandas (comment='#') and papaparse (comments: '#')
 * skip and a spreadsheet shows as rows above the table; in Markdown as a list
 * above it. docs/agreement.md says why.
 */

import type { AgreementRow, AgreementTable, Presence } from './answer-agreement';
import type { UncodedAs } from './compute-request';
import { csvNumber, neutraliseFormula, toCsv, type CsvValue } from './csv-cell';
import { STATISTIC_LABELS, type StatResult } from './errors';
import type { TextSpan } from './span-agreement';
import { fileNamePart as namePart } from '../export/file-name';

/** A name in a file name by the app's one rule (see file-name.ts), short enough to leave room for the rest. */
const fileNamePart = (text: string) => namePart(text, 80);

export interface ExportLabels {
  codeName?: (codeId: string) => string;
  coderName?: (coderId: string) => string;
  /** Name of the pooled row; "All codes (pooled)" by default. */
  pooledName?: string;
}

/** What an agreement table measured, recorded in its exports so a reader can tell what the numbers are about. */
export interface AgreementScopeRecord {
  project: string;
  /** Coder names, in the table's order. */
  coders: readonly string[];
  /** Code names, in the table's order. */
  codes: readonly string[];
  /** Whether a code counts as present when any of its subcodes is. */
  includeSubcodes: boolean;
  /** The questions compared (every question of the project when none was chosen). */
  questions: readonly { key: string; label: string }[];
  /** Wave names compared (every wave when none was chosen). */
  waves: readonly string[];
  /** Attribute filters with a value: name → value. */
  attributes: Readonly<Record<string, string>>;
  /** Answers that passed the filters, and those compared (fewer when sampled). */
  answers?: { inScope: number; compared: number };
  /** A random sample drawn for this computation (not a round's). */
  sample?: { size: number; seed: number } | null;
  /** The double-coding round whose answers were compared. */
  round?: { name: string; number: number; seed: number; size: number };
  /** The codebook version the coders coded with. */
  codebookVersion?: { number: number; label: string };
  uncodedAs: UncodedAs;
  /** When the export was made, ISO 8601. */
  date: string;
  /** The Codebench version that computed it. */
  appVersion: string;
}

const UNCODED_TEXT: Record<UncodedAs, string> = {
  absent: 'absent (an answer a coder did not code counts as not having any code)',
  missing: 'missing (an answer a coder did not code is left out of that coder’s comparisons)',
};

/** The scope as label–text lines, in the order both exports print them. */
export function scopeLines(scope: AgreementScopeRecord): [string, string][] {
  const lines: [string, string][] = [['Project', scope.project]];
  if (scope.round) {
    const { name, number, size, seed } = scope.round;
    lines.push(['Round', `${number} (${name}): sample of ${size} answers, seed ${seed}`]);
  }
  if (scope.codebookVersion) lines.push(['Codebook version', `${scope.codebookVersion.number} (${scope.codebookVersion.label})`]);
  lines.push(['Coders', scope.coders.join('; ')]);
  lines.push(['Codes', `${scope.codes.join('; ')}${scope.includeSubcodes ? ' (each with its subcodes)' : ' (without subcodes)'}`]);
  lines.push(['Questions', scope.questions.map((q) => (q.key && q.key !== q.label ? `${q.key} ${q.label}` : q.label)).join('; ')]);
  lines.push(['Waves', scope.waves.join('; ')]);
  const filters = Object.entries(scope.attributes).filter(([, value]) => value !== '');
  lines.push(['Attribute filters', filters.length > 0 ? filters.map(([name, value]) => `${name} = ${value}`).join('; ') : 'none']);
  if (scope.answers) {
    const sample = scope.sample ? `, a random sample (seed ${scope.sample.seed})` : '';
    lines.push(['Answers', `${scope.answers.compared} compared of ${scope.answers.inScope} in scope${sample}`]);
  }
  lines.push(['Uncoded answers', UNCODED_TEXT[scope.uncodedAs]]);
  lines.push(['Date', scope.date]);
  lines.push(['Codebench version', scope.appVersion]);
  return lines;
}

/**
 * One '#' comment line. The line must stay one line and start with '#'; a
 * spreadsheet still splits it at commas, so each piece after a comma is kept
 * from reading as a formula or opening a quoted field that would swallow the
 * table below.
 */
function commentLine(label: string, text: string): string {
  const flat = `${label}: ${text}`.replace(/[\u0000-\u001f\u007f]+/g, ' ').replaceAll('"', "'");
  const pieces = flat.split(',').map((piece, i) => {
    if (i === 0) return piece;
    const lead = piece.length - piece.trimStart().length;
    return piece.slice(0, lead) + neutraliseFormula(piece.slice(lead));
  });
  return `# ${pieces.join(',')}`;
}

function scopeComment(scope: AgreementScopeRecord | undefined): string {
  if (!scope) return '';
  return ['# Codebench agreement table', ...scopeLines(scope).map(([label, text]) => commentLine(label, text))].map((line) => `${line}\r\n`).join('');
}

function scopeMarkdown(scope: AgreementScopeRecord | undefined): string {
  if (!scope) return '';
  return `${scopeLines(scope)
    .map(([label, text]) => `- ${label}: ${markdownText(text)}`)
    .join('\n')}\n\n`;
}

/**
 * An export's file name after the project and the round:
 * `AIMMS-mentoring-round-2-Main-agreement.csv`, `تقييم-الإرشاد-disagreements.csv`.
 */
export function agreementFileName(
  project: string,
  kind: 'agreement' | 'disagreements',
  extension: 'csv' | 'md',
  round?: { name: string; number: number } | null,
): string {
  const parts = [fileNamePart(project) || 'codebench'];
  if (round) parts.push(`round-${round.number}`, fileNamePart(round.name));
  parts.push(kind);
  return `${parts.filter((part) => part !== '').join('-')}.${extension}`;
}

type Column = { header: string; cell: (row: AgreementRow) => number | StatResult | string | null };

const STATISTIC_KEYS = ['percentAgreement', 'cohenKappa', 'scottPi', 'fleissKappa', 'gwetAC1', 'krippendorffAlpha'] as const;

function columns(table: AgreementTable, labels: ExportLabels): Column[] {
  const coderName = (index: number): string => labels.coderName?.(table.coderIds[index]) ?? table.coderIds[index];
  const two = table.coderIds.length === 2;
  const counts: Column[] = two
    ? [
        { header: 'Both present', cell: (row) => row.pairs[0].bothPresent },
        { header: `Only ${coderName(0)}`, cell: (row) => row.pairs[0].aOnly },
        { header: `Only ${coderName(1)}`, cell: (row) => row.pairs[0].bOnly },
        { header: 'Both absent', cell: (row) => row.pairs[0].bothAbsent },
      ]
    : [
        { header: 'All present', cell: (row) => row.allPresent },
        { header: 'All absent', cell: (row) => row.allAbsent },
        { header: 'Mixed', cell: (row) => row.mixed },
      ];
  // Cohen's kappa and Scott's pi compare exactly two coders: with more they would be a column of blanks.
  const statistics = STATISTIC_KEYS.filter((key) => two || (key !== 'cohenKappa' && key !== 'scottPi'));
  const interval = (row: AgreementRow, end: 'low' | 'high'): StatResult | null =>
    row.alphaInterval && 'low' in row.alphaInterval ? { value: row.alphaInterval[end] } : null;
  return [
    { header: 'Units', cell: (row) => row.units },
    { header: 'Pairable units', cell: (row) => row.pairableUnits },
    ...counts,
    { header: 'Prevalence', cell: (row) => (row.prevalence === null ? null : { value: row.prevalence }) },
    ...statistics.map((key): Column => ({ header: STATISTIC_LABELS[key], cell: (row) => row.statistics[key] })),
    { header: 'Alpha 95% low', cell: (row) => interval(row, 'low') },
    { header: 'Alpha 95% high', cell: (row) => interval(row, 'high') },
    { header: 'Bootstrap samples', cell: (row) => (row.alphaInterval && 'samples' in row.alphaInterval ? row.alphaInterval.samples : null) },
  ];
}

function rowName(row: AgreementRow, labels: ExportLabels): string {
  return row.codeId === null ? (labels.pooledName ?? 'All codes (pooled)') : (labels.codeName?.(row.codeId) ?? row.codeId);
}

/** Why statistics in the row are undefined, each reason once. */
function notes(row: AgreementRow): string[] {
  const reasons = new Set<string>();
  for (const result of Object.values(row.statistics)) if ('undefined' in result) reasons.add(result.undefined);
  // When alpha is undefined the interval carries the same words, which the set keeps once.
  if (row.alphaInterval && 'undefined' in row.alphaInterval) reasons.add(row.alphaInterval.undefined);
  return [...reasons];
}

function allRows(table: AgreementTable): AgreementRow[] {
  return [...table.rows, table.pooled];
}

export function agreementTableToCsv(table: AgreementTable, labels: ExportLabels = {}, scope?: AgreementScopeRecord): string {
  const cols = columns(table, labels);
  const header: CsvValue[] = ['Code', ...cols.map((c) => c.header), 'Notes'];
  const body = allRows(table).map((row): CsvValue[] => [
    rowName(row, labels),
    ...cols.map((col): CsvValue => {
      const cell = col.cell(row);
      if (cell === null || typeof cell === 'string' || typeof cell === 'number') return cell;
      return 'value' in cell ? csvNumber(cell.value, 3) : null;
    }),
    notes(row).join(' '),
  ]);
  return scopeComment(scope) + toCsv([header, ...body], { quoteHash: scope !== undefined });
}

function markdownText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .trim();
}

function markdownNumber(value: number): string {
  return csvNumber(value, 3).numeric;
}

export function agreementTableToMarkdown(table: AgreementTable, labels: ExportLabels = {}, scope?: AgreementScopeRecord): string {
  const cols = columns(table, labels).filter((c) => !c.header.startsWith('Alpha 95%') && c.header !== 'Bootstrap samples');
  const header = ['Code', ...cols.map((c) => c.header), 'Alpha 95% interval'];
  const lines = [
    `| ${header.map(markdownText).join(' | ')} |`,
    `| --- | ${header
      .slice(1)
      .map(() => '---:')
      .join(' | ')} |`,
  ];
  const footnotes: string[] = [];
  for (const row of allRows(table)) {
    const name = rowName(row, labels);
    const cells = cols.map((col) => {
      const cell = col.cell(row);
      if (cell === null) return '—';
      if (typeof cell === 'number') return String(cell);
      if (typeof cell === 'string') return markdownText(cell);
      return 'value' in cell ? markdownNumber(cell.value) : '—';
    });
    const interval = row.alphaInterval;
    cells.push(interval && 'low' in interval ? `${markdownNumber(interval.low)} – ${markdownNumber(interval.high)}` : '—');
    lines.push(`| ${markdownText(name)} | ${cells.join(' | ')} |`);
    for (const note of notes(row)) footnotes.push(`- ${markdownText(name)}: ${markdownText(note)}`);
  }
  const { samples, seed } = table.bootstrap;
  const method = samples > 0 ? `\n\nAlpha intervals: 95% percentile bootstrap, ${samples} resamples of units (seed ${seed}).` : '';
  return `${scopeMarkdown(scope)}${lines.join('\n')}${method}${footnotes.length > 0 ? `\n\n${footnotes.join('\n')}` : ''}\n`;
}

/** A coder's value in a disagreement: present/absent, null when not coded, or the passages coded. */
export type CoderValue = Presence | null | { spans: readonly TextSpan[] };

export interface DisagreementExportRow {
  /** The internal answer id; written with readable separators (see exportAnswerId). */
  answerId: string;
  respondent: string;
  /** The question's short name (Qualtrics "Q5"); '' when it has none. */
  questionKey?: string;
  /** The question's label. */
  question: string;
  /** The wave's name. */
  wave: string;
  code: string;
  /** One per coder, in the order of the `coders` names. */
  values: readonly CoderValue[];
}

/**
 * An answer id fit for a file: the internal id joins question, wave and
 * respondent with U+001F, a control character spreadsheets show as a box or
 * drop; exports join them with '|' instead. Question and wave ids are slugs
 * without '|', so splitting at the first two '|' recovers the parts.
 */
export function exportAnswerId(answerId: string): string {
  return answerId.replace(/[\u0000-\u001f\u007f]/g, '|');
}

function coderValueText(value: CoderValue): string {
  if (value === null) return 'not coded';
  if (typeof value === 'string') return value;
  if (value.spans.length === 0) return 'absent';
  return value.spans.map((span) => (span.start === null && span.end === null ? 'whole answer' : `${span.start ?? 0}–${span.end ?? 'end'}`)).join('; ');
}

/** One line per disagreement; passages are code-point offsets, start inclusive and end exclusive. */
export function disagreementsToCsv(coders: readonly string[], rows: readonly DisagreementExportRow[]): string {
  const header: CsvValue[] = ['Respondent', 'Question key', 'Question', 'Wave', 'Code', ...coders, 'Answer id'];
  const body = rows.map((row): CsvValue[] => {
    if (row.values.length !== coders.length) {
      throw new RangeError(`The disagreement on answer ${exportAnswerId(row.answerId)} has ${row.values.length} values for ${coders.length} coders.`);
    }
    return [row.respondent, row.questionKey ?? '', row.question, row.wave, row.code, ...row.values.map(coderValueText), exportAnswerId(row.answerId)];
  });
  return toCsv([header, ...body]);
}
