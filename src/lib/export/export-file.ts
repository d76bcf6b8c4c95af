/**
 * Every export the Analysis view offers, as a file: the tables, the workbook,
 * the report, the codebook and the REFI-QDA files, made from a loaded project.
 */
import {
  analysisCoders,
  cooccurrence,
  countTargets,
  counts,
  crosstabOf,
  groupLabel,
  targetKey,
  targetLabel,
  targetsOf,
  type AnalysisProject,
  type Breakdown,
  type CountRow,
} from '../analysis';
import { EXCHANGE_VERSION, PROJECT_FORMAT } from '../exchange';
import {
  buildReportModel,
  codebookJson,
  codebookMarkdown,
  codebookRows,
  codebookSheet,
  codeCounts,
  csvChunks,
  groupedBarChartSvg,
  heatmapSvg,
  longTable,
  reportHtml,
  reportMarkdown,
  rowsOf,
  wideTable,
  writeXlsx,
  type CoderSelection as ExportCoderSelection,
  type ExportCell,
  type ExportTable,
  type GroupBy as ExportGroupBy,
  type ReportChart,
  type XlsxSheet,
} from '.';
import { FINAL_CODER_ID, slugify } from '../model/types';
import { writeQdc, writeQdpx } from '../refi';
import type { ProgressReporter } from '../analysis';
import type { CoderChoice, CountsOptions, CrosstabOptions } from '../analysis/view-types';
import type { ExportKind, ExportSettings } from './export-settings';

const MIME = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  md: 'text/markdown;charset=utf-8',
  html: 'text/html;charset=utf-8',
  json: 'application/json',
  xml: 'application/xml',
  zip: 'application/zip',
} as const;

/** Largest number of targets a report chart shows, to stay readable. */
const REPORT_CHART_TARGETS = 30;
export function exportCoders(choice: CoderChoice): ExportCoderSelection {
  if (choice.kind === 'final') return { coderId: FINAL_CODER_ID };
  return choice.kind === 'all' ? 'any' : choice.kind === 'consensus' ? 'consensus' : { coderId: choice.coderId };
}

export function fileStem(name: string): string {
  return slugify(name).slice(0, 60) || 'project';
}

const encoder = new TextEncoder();

/** Text chunks as one UTF-8 buffer, without building one giant string. */
export function encodeChunks(chunks: Iterable<string>, onChunk?: (n: number) => void): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  let n = 0;
  for (const chunk of chunks) {
    const bytes = encoder.encode(chunk);
    parts.push(bytes);
    length += bytes.length;
    onChunk?.(++n);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Exports

export function countsTable(project: AnalysisProject, options: CountsOptions): ExportTable {
  const result = counts(project, options);
  const groupBy = options.groupBy.kind === 'attribute' ? options.groupBy.name : options.groupBy.kind;
  return {
    header: [
      'target',
      'kind',
      'group by',
      'group',
      'answers coded',
      'answers in scope',
      'share of answers',
      'respondents coded',
      'respondents who answered',
      'share of respondents',
      'spans coded',
      'codings',
    ],
    rows: result.rows.map((r): ExportCell[] => [
      r.label,
      r.target.kind,
      r.breakdown === 'overall' ? 'overall' : groupBy,
      r.groupLabel ?? 'all',
      r.answersCoded,
      r.answersInScope,
      r.answerShare,
      r.respondentsCoded,
      r.respondentsAnswered,
      r.respondentShare,
      r.spansCoded,
      r.codingsTotal,
    ]),
  };
}

export function crosstabTable(project: AnalysisProject, options: CrosstabOptions): ExportTable {
  const table = crosstabOf(project, options);
  const unit = options.unit;
  const header = ['target', 'kind'];
  for (const c of [...table.columns.map((c) => c.label), 'total']) header.push(`${c}: ${unit} coded`, `${c}: base`, `${c}: share`);
  return {
    header,
    rows: table.rows.map((r): ExportCell[] => [r.label, r.target.kind, ...[...r.cells, r.total].flatMap((c) => [c.count, c.base, c.share])]),
  };
}

function csvBytes(table: ExportTable, bom: boolean): Uint8Array {
  return encodeChunks(csvChunks(table, { bom }));
}

/** Report groupings: waves and questions when there are several, and attributes with 2–12 values (at most three). */
function reportGroupings(project: AnalysisProject): ExportGroupBy[] {
  const out: ExportGroupBy[] = [];
  if (project.data.waves.length > 1) out.push('wave');
  if (project.data.questions.length > 1) out.push('question');
  const attributes = [...project.data.attributes]
    .sort((a, b) => a.order - b.order)
    .filter((a) => a.values.length >= 2 && a.values.length <= 12)
    .slice(0, 3);
  for (const a of attributes) out.push({ attribute: a.name });
  return out;
}

/** A bar chart of the top-level codes by the first small attribute (or wave), and their co-occurrence heatmap. */
function reportCharts(project: AnalysisProject, coders: CoderChoice): ReportChart[] {
  const index = project.index(null);
  const targets = targetsOf('top-level', project).slice(0, REPORT_CHART_TARGETS);
  if (targets.length === 0) return [];
  const attribute = [...project.data.attributes].sort((a, b) => a.order - b.order).find((a) => a.values.length >= 2 && a.values.length <= 8);
  const breakdown: Breakdown | null = attribute ? { kind: 'attribute', name: attribute.name } : project.data.waves.length > 1 ? { kind: 'wave' } : null;
  const rows = countTargets(index, targets, { coders: analysisCoders(coders), breakdowns: breakdown ? [breakdown] : [] });
  const wanted = breakdown ? breakdown.kind : 'overall';
  const byCell = new Map<string, CountRow>();
  const groups: (string | null)[] = [];
  for (const r of rows) {
    if (r.breakdown !== wanted) continue;
    byCell.set(`${r.key}\u0000${r.group}`, r);
    if (!groups.includes(r.group)) groups.push(r.group);
  }
  const labels = targets.map((t) => targetLabel(index, t));
  const title = breakdown ? `Respondents coded, by ${breakdown.kind === 'attribute' ? breakdown.name : 'wave'}` : 'Respondents coded';
  const bars = groupedBarChartSvg({
    title,
    categories: labels,
    series: groups.map((g) => ({
      name: g === null ? 'All respondents' : (groupLabel(project, wanted, g) ?? g),
      values: targets.map((t) => (byCell.get(`${targetKey(t)}\u0000${g}`)?.respondentShare ?? 0) * 100),
    })),
    format: 'percent',
    axisLabel: 'Respondents coded, % of those who answered',
  });
  const m = cooccurrence(index, targets, { coders: analysisCoders(coders), level: 'answer' });
  const heatmap = heatmapSvg({ title: 'Codes in the same answer', labels, matrix: m.cells.map((row) => row.map((c) => c.count)) });
  return [
    { title, svg: bars, caption: 'Top-level codes, each with its subcodes. Percentages of respondents who answered in each group.' },
    {
      title: 'Codes in the same answer',
      svg: heatmap,
      caption: 'Answers coded with both the row’s and the column’s code; the outlined diagonal gives each code’s own count.',
    },
  ];
}

export function exportFile(
  project: AnalysisProject,
  kind: ExportKind,
  settings: ExportSettings,
  progress: ProgressReporter,
): { fileName: string; mime: string; bytes: Uint8Array } {
  const stem = fileStem(project.name);
  const useFinal = settings.coders.kind === 'final';
  const source = useFinal ? project.finalSource : project.source;
  const lookup = useFinal ? project.finalLookup : project.lookup;
  const coder = exportCoders(settings.coders);
  const includeSubcodes = settings.includeSubcodes;
  const text = (fileName: string, mime: string, content: string) => ({ fileName, mime, bytes: encoder.encode(content) });
  switch (kind) {
    case 'long-csv': {
      // 'all' lists every coding, the consensus coder's too: the coder column tells them apart.
      const options = settings.coders.kind === 'all' ? {} : { coder };
      const chunks = Math.max(1, Math.ceil(source.codings.length / 2000));
      progress('Writing the codings', 0, chunks);
      const bytes = encodeChunks(csvChunks(longTable(source, options, lookup), { bom: settings.bom }), (n) => progress('Writing the codings', n, chunks));
      return { fileName: `${stem}-codings.csv`, mime: MIME.csv, bytes };
    }
    case 'wide-csv': {
      progress('Writing the answers', 0, 1);
      const bytes = encodeChunks(csvChunks(wideTable(source, { coder, includeSubcodes }, lookup), { bom: settings.bom }));
      return { fileName: `${stem}-answers-by-code.csv`, mime: MIME.csv, bytes };
    }
    case 'counts-csv':
      return { fileName: `${stem}-counts.csv`, mime: MIME.csv, bytes: csvBytes(countsTable(project, settings.counts), settings.bom) };
    case 'crosstab-csv':
      return {
        fileName: `${stem}-crosstab-${fileStem(settings.crosstab.attribute)}.csv`,
        mime: MIME.csv,
        bytes: csvBytes(crosstabTable(project, settings.crosstab), settings.bom),
      };
    case 'xlsx': {
      progress('Writing the workbook', 0, 1);
      const sheets: XlsxSheet[] = [
        { name: 'Codings', rows: rowsOf(longTable(source, settings.coders.kind === 'all' ? {} : { coder }, lookup)) },
        { name: 'Answers', rows: rowsOf(wideTable(source, { coder, includeSubcodes }, lookup)) },
        { name: 'Codebook', rows: codebookSheet(source.codes, codeCounts(source, { coder, includeSubcodes }, lookup)) },
        { name: 'Counts', rows: rowsOf(countsTable(project, settings.counts)) },
      ];
      if (useFinal) sheets.push({ name: 'Coding set', rows: [['coding set'], [project.finalDescription]] });
      if (settings.crosstab.attribute && project.attributeNames.includes(settings.crosstab.attribute)) {
        sheets.push({ name: `Crosstab ${settings.crosstab.attribute}`, rows: rowsOf(crosstabTable(project, settings.crosstab)) });
      }
      if (project.themes.length > 0) {
        const names = new Map(project.codes.map((c) => [c.id, c.name]));
        sheets.push({
          name: 'Themes',
          rows: [
            ['theme', 'description', 'codes', 'with subcodes'],
            ...[...project.themes]
              .sort((a, b) => a.order - b.order)
              .map((t) => [t.name, t.description, t.codeIds.map((id) => names.get(id) ?? id).join('; '), t.withSubcodes ? 'yes' : 'no']),
          ],
        });
      }
      return { fileName: `${stem}.xlsx`, mime: MIME.xlsx, bytes: writeXlsx(sheets) };
    }
    case 'report-md':
    case 'report-html': {
      progress('Writing the report', 0, 1);
      const model = buildReportModel(source, {
        generatedAt: new Date(),
        coder,
        includeSubcodes,
        groupBy: reportGroupings(project),
        charts: kind === 'report-html' ? reportCharts(project, settings.coders) : [],
        ...(useFinal ? { codingSet: project.finalDescription } : {}),
        attributionAttribute: settings.attributionAttribute ?? undefined,
      });
      return kind === 'report-md' ? text(`${stem}-report.md`, MIME.md, reportMarkdown(model)) : text(`${stem}-report.html`, MIME.html, reportHtml(model));
    }
    case 'codebook-md':
      return text(
        `${stem}-codebook.md`,
        MIME.md,
        codebookMarkdown(`${project.name}: codebook`, codebookRows(source.codes, codeCounts(source, { coder, includeSubcodes }, lookup))),
      );
    case 'codebook-json':
      return text(`${stem}-codebook.json`, MIME.json, codebookJson(`${project.name} codebook`, '', source.codes));
    case 'qdc':
      return text(`${stem}.qdc`, MIME.xml, writeQdc(source.codes, { guidScope: project.projectId, themes: project.data.themes ?? [] }));
    case 'qdpx': {
      progress('Writing the REFI-QDA project', 0, 1);
      return {
        fileName: settings.qdpxOffsets === 'nvivo' ? `${stem}-for-nvivo.qdpx` : `${stem}.qdpx`,
        mime: MIME.zip,
        bytes: writeQdpx({ format: PROJECT_FORMAT, version: EXCHANGE_VERSION, ...project.data }, { offsets: settings.qdpxOffsets }),
      };
    }
  }
}
