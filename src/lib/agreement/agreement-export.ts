/**
 * The agreement table as CSV (for spreadsheets) and Markdown (for a methods
 * section), and the list of disagreements as CSV for coders to talk through.
 * Statistics have three decimals; an undefined statistic is an empty cell
 * (CSV) or a dash (Markdown), with its reason in the notes.
 */

import type { AgreementRow, AgreementTable, Presence } from './answer-agreement';
import { csvNumber, toCsv, type CsvValue } from './csv-cell';
import { STATISTIC_LABELS, type StatResult } from './errors';
import type { TextSpan } from './span-agreement';

export interface ExportLabels {
  codeName?: (codeId: string) => string;
  coderName?: (coderId: string) => string;
  /** Name of the pooled row; "All codes (pooled)" by default. */
  pooledName?: string;
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

export function agreementTableToCsv(table: AgreementTable, labels: ExportLabels = {}): string {
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
  return toCsv([header, ...body]);
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

export function agreementTableToMarkdown(table: AgreementTable, labels: ExportLabels = {}): string {
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
  return `${lines.join('\n')}${method}${footnotes.length > 0 ? `\n\n${footnotes.join('\n')}` : ''}\n`;
}

/** A coder's value in a disagreement: present/absent, null when not coded, or the passages coded. */
export type CoderValue = Presence | null | { spans: readonly TextSpan[] };

export interface DisagreementExportRow {
  answerId: string;
  question: string;
  wave: string;
  respondent: string;
  code: string;
  /** One per coder, in the order of the `coders` names. */
  values: readonly CoderValue[];
}

function coderValueText(value: CoderValue): string {
  if (value === null) return 'not coded';
  if (typeof value === 'string') return value;
  if (value.spans.length === 0) return 'absent';
  return value.spans.map((span) => (span.start === null && span.end === null ? 'whole answer' : `${span.start ?? 0}–${span.end ?? 'end'}`)).join('; ');
}

/** One line per disagreement; passages are code-point offsets, start inclusive and end exclusive. */
export function disagreementsToCsv(coders: readonly string[], rows: readonly DisagreementExportRow[]): string {
  const header: CsvValue[] = ['Answer id', 'Question', 'Wave', 'Respondent', 'Code', ...coders];
  const body = rows.map((row): CsvValue[] => {
    if (row.values.length !== coders.length) {
      throw new RangeError(`The disagreement on answer ${row.answerId} has ${row.values.length} values for ${coders.length} coders.`);
    }
    return [row.answerId, row.question, row.wave, row.respondent, row.code, ...row.values.map(coderValueText)];
  });
  return toCsv([header, ...body]);
}
