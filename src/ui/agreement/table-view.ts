/**
 * The agreement table as the view shows it: columns for the number of coders,
 * each statistic's text and reading, and the reasons of undefined ones
 * numbered once as notes. Pure, so the component stays markup.
 */
import type { AgreementRow, AgreementTable } from '../../lib/agreement/answer-agreement';
import { STATISTIC_LABELS, type StatResult } from '../../lib/agreement/errors';
import {
  describeStatistic,
  describeUndefined,
  prevalenceFlag,
  prevalenceKind,
  prevalenceNote,
  type DescribedStatistic,
  type Reading,
} from '../../lib/agreement/readings';

export type CellKind = 'count' | 'percent' | 'coefficient' | 'interval';

export interface TableCell {
  /** What the cell shows: a number, or "—" when undefined. */
  text: string;
  /** The reading (or, when undefined, the reason), for the title and screen readers. */
  title: string;
  /** The number of the note explaining why the value is undefined, or null. */
  note: number | null;
  kind: CellKind;
  tone: Reading['tone'] | null;
}

export interface TableColumn {
  key: string;
  label: string;
  /** A longer name for the header's title. */
  description: string;
  group: 'units' | 'counts' | 'statistics';
}

export interface TableRow {
  codeId: string | null;
  name: string;
  color: string | null;
  pooled: boolean;
  cells: TableCell[];
  /** Share of values 'present' among pairable units (null without any). */
  prevalence: number | null;
  readings: { key: DescribedStatistic; statistic: string; reading: Reading }[];
  /** The readings' caveats for this row, each once (those every row shares are in generalNotes). */
  notes: string[];
  /** A rare or near-universal code: kappa may mislead. */
  skewed: boolean;
  /** How the code is flagged for its prevalence ("rare", "not used by either coder"), or null. */
  flag: string | null;
}

export interface TableNote {
  number: number;
  text: string;
  advice: string;
}

export interface TableView {
  columns: TableColumn[];
  rows: TableRow[];
  notes: TableNote[];
  /** Caveats repeated in every reading, said once. */
  generalNotes: string[];
}

export interface TableLabels {
  codeName: (codeId: string) => string;
  codeColor: (codeId: string) => string | null;
  coderName: (coderId: string) => string;
}

const MINUS = '\u2212';

export function formatCoefficient(value: number): string {
  const text = value.toFixed(3);
  if (/^-0\.0+$/.test(text)) return text.slice(1);
  return text.startsWith('-') ? MINUS + text.slice(1) : text;
}

export function formatPercent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

const numberFormat = new Intl.NumberFormat('en-US');
export const formatCount = (value: number): string => numberFormat.format(value);

interface StatisticColumn {
  key: DescribedStatistic;
  label: string;
  kind: 'percent' | 'coefficient';
}

function statisticColumns(coders: number): StatisticColumn[] {
  const two = coders === 2;
  return [
    { key: 'percentAgreement', label: 'Agreement', kind: 'percent' },
    ...(two
      ? ([
          { key: 'cohenKappa', label: 'Cohen’s κ', kind: 'coefficient' },
          { key: 'scottPi', label: 'Scott’s π', kind: 'coefficient' },
        ] as const)
      : ([{ key: 'fleissKappa', label: 'Fleiss’ κ', kind: 'coefficient' }] as const)),
    { key: 'krippendorffAlpha', label: 'Krippendorff’s α', kind: 'coefficient' },
    { key: 'gwetAC1', label: 'Gwet’s AC1', kind: 'coefficient' },
  ];
}

/** Builds the view of a table; `labels` name codes and coders. */
export function tableView(table: AgreementTable, labels: TableLabels): TableView {
  const coders = table.coderIds.length;
  const two = coders === 2;
  const [first, second] = [labels.coderName(table.coderIds[0]), labels.coderName(table.coderIds[1])];
  const stats = statisticColumns(coders);
  const columns: TableColumn[] = [
    { key: 'units', label: 'Units', description: 'Answers compared (pooled: answers × codes)', group: 'units' },
    { key: 'pairable', label: 'Pairable', description: 'Units that two or more coders coded', group: 'units' },
    ...(two
      ? [
          { key: 'both', label: 'Both present', description: `Both ${first} and ${second} applied the code`, group: 'counts' as const },
          { key: 'aOnly', label: `Only ${first}`, description: `${first} applied the code, ${second} did not`, group: 'counts' as const },
          { key: 'bOnly', label: `Only ${second}`, description: `${second} applied the code, ${first} did not`, group: 'counts' as const },
          { key: 'neither', label: 'Both absent', description: 'Neither applied the code', group: 'counts' as const },
        ]
      : [
          { key: 'allPresent', label: 'All present', description: 'Every coder who coded the unit applied the code', group: 'counts' as const },
          { key: 'allAbsent', label: 'All absent', description: 'No coder who coded the unit applied the code', group: 'counts' as const },
          { key: 'mixed', label: 'Mixed', description: 'Some coders applied the code, others did not', group: 'counts' as const },
        ]),
    ...stats.flatMap((s): TableColumn[] => {
      const column: TableColumn = {
        key: s.key,
        label: s.label,
        description:
          s.key === 'percentAgreement'
            ? two
              ? 'Percent agreement'
              : 'Percent agreement: share of agreeing coder pairs, over the answers two or more coders coded'
            : STATISTIC_LABELS[s.key],
        group: 'statistics',
      };
      if (s.key !== 'krippendorffAlpha') return [column];
      return [column, { key: 'alphaInterval', label: 'α 95% interval', description: 'Bootstrap 95% interval of Krippendorff’s alpha', group: 'statistics' }];
    }),
  ];

  const notes: TableNote[] = [];
  const noteOf = (text: string, advice: string): number => {
    const found = notes.find((n) => n.text === text);
    if (found) return found.number;
    notes.push({ number: notes.length + 1, text, advice });
    return notes.length;
  };
  const count = (value: number): TableCell => ({ text: formatCount(value), title: '', note: null, kind: 'count', tone: null });

  /** Caveat → the rows whose readings carry it. */
  const noteRows = new Map<string, Set<number>>();
  const rows: TableRow[] = [...table.rows, table.pooled].map((row, index) => {
    const pooled = row.codeId === null;
    const name = pooled ? 'All codes (pooled)' : labels.codeName(row.codeId!);
    const interval = row.alphaInterval && 'low' in row.alphaInterval ? row.alphaInterval : null;
    const percent = row.statistics.percentAgreement;
    const context = {
      prevalence: row.prevalence,
      percentAgreement: 'value' in percent ? percent.value : null,
      interval,
    };
    const statCell = (s: StatisticColumn): { cell: TableCell; reading: Reading } => {
      const result: StatResult = row.statistics[s.key];
      const reading = describeStatistic(s.key, result, context);
      if ('value' in result) {
        const text = s.kind === 'percent' ? formatPercent(result.value) : formatCoefficient(result.value);
        return { cell: { text, title: reading.text, note: null, kind: s.kind, tone: reading.tone }, reading };
      }
      const note = noteOf(result.undefined, describeUndefined(result).notes[0] ?? '');
      return { cell: { text: '—', title: result.undefined, note, kind: s.kind, tone: 'none' }, reading };
    };
    const cells: TableCell[] = [count(row.units), count(row.pairableUnits)];
    if (two) {
      const pair = row.pairs[0];
      cells.push(count(pair.bothPresent), count(pair.aOnly), count(pair.bOnly), count(pair.bothAbsent));
    } else {
      cells.push(count(row.allPresent), count(row.allAbsent), count(row.mixed));
    }
    const readings: TableRow['readings'] = [];
    for (const s of stats) {
      const { cell, reading } = statCell(s);
      cells.push(cell);
      readings.push({ key: s.key, statistic: STATISTIC_LABELS[s.key], reading });
      for (const note of reading.notes) {
        const seen = noteRows.get(note);
        if (seen) seen.add(index);
        else noteRows.set(note, new Set([index]));
      }
      if (s.key === 'krippendorffAlpha') cells.push(intervalCell(row, noteOf));
    }
    const kind = prevalenceKind(row.prevalence);
    const skewed = kind === 'rare' || kind === 'common';
    const aboutPrevalence = prevalenceNote(row.prevalence, coders);
    return {
      codeId: row.codeId,
      name,
      color: pooled ? null : labels.codeColor(row.codeId!),
      pooled,
      cells,
      prevalence: row.prevalence,
      readings,
      // How common the code is, said once for the row; the readings add only what is specific to each statistic.
      notes: [...new Set([...(aboutPrevalence ? [aboutPrevalence] : []), ...readings.flatMap((r) => r.reading.notes)])],
      skewed,
      flag: prevalenceFlag(row.prevalence, coders),
    };
  });

  // A caveat every reading carries (the arbitrary bands, chance agreement) is said once above them.
  // Said once: caveats every row carries, rare codes among them or not (so a rare-code warning always stays with its row).
  const someTypical = rows.some((row) => !row.skewed);
  const generalNotes = someTypical ? [...noteRows].filter(([, seen]) => seen.size > 1 && seen.size === rows.length).map(([note]) => note) : [];
  const general = new Set(generalNotes);
  for (const row of rows) row.notes = row.notes.filter((n) => !general.has(n));
  return { columns, rows, notes, generalNotes };
}

function intervalCell(row: AgreementRow, noteOf: (text: string, advice: string) => number): TableCell {
  const interval = row.alphaInterval;
  if (interval === null)
    return { text: '—', title: 'The bootstrap interval was not computed (no resamples asked for).', note: null, kind: 'interval', tone: null };
  if ('low' in interval) {
    const title = `95% percentile bootstrap interval from ${formatCount(interval.samples)} of ${formatCount(interval.requested)} resamples.`;
    return { text: `${formatCoefficient(interval.low)} – ${formatCoefficient(interval.high)}`, title, note: null, kind: 'interval', tone: null };
  }
  const note = noteOf(interval.undefined, describeUndefined(interval).notes[0] ?? '');
  return { text: '—', title: interval.undefined, note, kind: 'interval', tone: 'none' };
}
