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
  targetName,
  targetsOf,
  wilsonInterval,
  type AnalysisProject,
  type Breakdown,
  type CountRow,
} from '../analysis';
import { EXCHANGE_VERSION, PROJECT_FORMAT } from '../exchange';
import { strToU8, zipSync } from 'fflate';
import {
  buildReportModel,
  codebookJson,
  codebookMarkdown,
  codebookRows,
  codebookSheet,
  codeCounts,
  csvChunks,
  csvFileName,
  groupedBarChartSvg,
  heatmapSvg,
  longTable,
  respondentMatrix,
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
import { publisherOf, pseudonymousSource } from '../analysis/publish-project';
import { isEntityNlpLoaded } from '../nlp/entities';
import { ProjectLookup } from './project-lookup';
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

/** The CSV writer's options from the export settings. */
function csvOptions(settings: ExportSettings): { bom: boolean; neutraliseFormulas: boolean } {
  return { bom: settings.bom, neutraliseFormulas: settings.neutraliseFormulas ?? true };
}

function csvBytes(table: ExportTable, settings: ExportSettings): Uint8Array {
  return encodeChunks(csvChunks(table, csvOptions(settings)));
}

// Local-time constructor, as in xlsx.ts: the same zip bytes in every time zone.
const FIXED_DATE = new Date(1980, 0, 1, 0, 0, 0);

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

/** A count row's share of respondents as a 95% Wilson interval in percent, or null when nobody answered. */
export function percentInterval(row: Pick<CountRow, 'respondentsCoded' | 'respondentsAnswered'> | undefined): [number, number] | null {
  if (!row || row.respondentsAnswered === 0) return null;
  const { low, high } = wilsonInterval(row.respondentsCoded, row.respondentsAnswered);
  return [low * 100, high * 100];
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
  // Plain names: the caption says once that each code counts its subcodes.
  const labels = targets.map((t) => targetName(index, t));
  const title = breakdown ? `Respondents coded, by ${breakdown.kind === 'attribute' ? breakdown.name : 'wave'}` : 'Respondents coded';
  const bars = groupedBarChartSvg({
    title,
    categories: labels,
    series: groups.map((g) => ({
      name: g === null ? 'All respondents' : (groupLabel(project, wanted, g) ?? g),
      values: targets.map((t) => (byCell.get(`${targetKey(t)}\u0000${g}`)?.respondentShare ?? 0) * 100),
      intervals: targets.map((t) => percentInterval(byCell.get(`${targetKey(t)}\u0000${g}`))),
    })),
    format: 'percent',
    axisLabel: 'Respondents coded, % of those who answered',
    intervalLabel: '95% confidence interval (Wilson)',
  });
  const m = cooccurrence(index, targets, { coders: analysisCoders(coders), level: 'answer' });
  const heatmap = heatmapSvg({ title: 'Codes in the same answer', labels, matrix: m.cells.map((row) => row.map((c) => c.count)) });
  return [
    {
      title,
      svg: bars,
      caption: 'Top-level codes, each with its subcodes. Percentages of respondents who answered in each group, with 95% confidence intervals (Wilson).',
    },
    {
      title: 'Codes in the same answer',
      svg: heatmap,
      caption: 'Answers coded with both the row’s and the column’s code; the outlined diagonal gives each code’s own count.',
    },
  ];
}

/** The zip's read-me; it names the filter bar's scope when the export was narrowed by it. */
function respondentMatrixReadme(filterDescription: string): string {
  const scope = filterDescription ? ['', `Filtered to: ${filterDescription}. Only these questions, waves and respondents are in the table.`] : [];
  return [RESPONDENT_MATRIX_README_HEAD, ...scope, '', RESPONDENT_MATRIX_README_TAIL].join('\r\n');
}

const RESPONDENT_MATRIX_README_HEAD = [
  'Respondents by code, for R, SPSS or Stata.',
  '',
  'The table has one row per respondent and wave. Code and theme columns are 0 (not coded) or 1 (coded);',
  'they are blank where the respondent answered none of the questions in that wave (n_answered = 0), which',
  'R reads as NA and SPSS as missing. The dictionary file says what each column is and whose codings it uses.',
].join('\r\n');

const RESPONDENT_MATRIX_README_TAIL = [
  'In R:      d <- read.csv("<table>.csv", encoding = "UTF-8")',
  '           dict <- read.csv("<table>-dictionary.csv", encoding = "UTF-8")',
  'In SPSS:   File > Import Data > CSV Data, with "First line contains variable names" ticked; blank cells become',
  '           system-missing.',
  '',
  'A file named "-raw.csv" holds every text exactly as stored; otherwise text starting with = + - @ has an',
  'apostrophe in front, so that a spreadsheet does not run it as a formula.',
  '',
].join('\r\n');

export function exportFile(
  project: AnalysisProject,
  kind: ExportKind,
  settings: ExportSettings,
  progress: ProgressReporter,
): { fileName: string; mime: string; bytes: Uint8Array } {
  // A filtered export says so in its name, so a file of mentees at 6 months is never taken for the whole study.
  const stem = project.filterDescription ? `${fileStem(project.name)}-${slugify(project.filterDescription).slice(0, 50)}` : fileStem(project.name);
  const useFinal = settings.coders.kind === 'final';
  const publisher = publisherOf(project.data);
  // Files an author shares name respondents by their pseudonyms unless asked for the raw IDs (see ExportSettings).
  const pseudonymous = settings.respondentIds !== 'raw' && (kind === 'long-csv' || kind === 'wide-csv' || kind === 'xlsx' || kind === 'respondent-matrix-csv');
  const raw = useFinal ? project.finalSource : project.source;
  const source = pseudonymous ? pseudonymousSource(raw, (id) => publisher.pseudonym(id)) : raw;
  const lookup = pseudonymous ? new ProjectLookup(source) : useFinal ? project.finalLookup : project.lookup;
  const coder = exportCoders(settings.coders);
  const includeSubcodes = settings.includeSubcodes;
  const text = (fileName: string, mime: string, content: string) => ({ fileName, mime, bytes: encoder.encode(content) });
  switch (kind) {
    case 'long-csv': {
      // 'all' lists every coding, the consensus coder's too: the coder column tells them apart.
      const options = settings.coders.kind === 'all' ? {} : { coder };
      const chunks = Math.max(1, Math.ceil(source.codings.length / 2000));
      progress('Writing the codings', 0, chunks);
      const bytes = encodeChunks(csvChunks(longTable(source, options, lookup), csvOptions(settings)), (n) => progress('Writing the codings', n, chunks));
      return { fileName: csvFileName(`${stem}-codings`, csvOptions(settings)), mime: MIME.csv, bytes };
    }
    case 'wide-csv': {
      progress('Writing the answers', 0, 1);
      const bytes = encodeChunks(csvChunks(wideTable(source, { coder, includeSubcodes }, lookup), csvOptions(settings)));
      return { fileName: csvFileName(`${stem}-answers-by-code`, csvOptions(settings)), mime: MIME.csv, bytes };
    }
    case 'respondent-matrix-csv': {
      // Two files, the table and its dictionary, in one .zip: one download, and they cannot be separated by accident.
      progress('Writing the respondent table', 0, 1);
      const matrix = respondentMatrix(source, { coder, includeSubcodes, ...(useFinal ? { codingSet: project.finalDescription } : {}) }, lookup);
      const name = `${stem}-respondents-by-code`;
      const files = {
        [csvFileName(name, csvOptions(settings))]: encodeChunks(csvChunks(matrix.table, csvOptions(settings))),
        [`${name}-dictionary.csv`]: encodeChunks(csvChunks(matrix.dictionary, csvOptions(settings))),
        'README.txt': strToU8(respondentMatrixReadme(project.filterDescription)),
      };
      return { fileName: `${name}.zip`, mime: MIME.zip, bytes: zipSync(files, { level: 6, mtime: FIXED_DATE }) };
    }
    case 'counts-csv':
      return {
        fileName: csvFileName(`${stem}-counts`, csvOptions(settings)),
        mime: MIME.csv,
        bytes: csvBytes(countsTable(project, settings.counts), settings),
      };
    case 'crosstab-csv':
      return {
        fileName: csvFileName(`${stem}-crosstab-${fileStem(settings.crosstab.attribute)}`, csvOptions(settings)),
        mime: MIME.csv,
        bytes: csvBytes(crosstabTable(project, settings.crosstab), settings),
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
      if (project.filterDescription) sheets.push({ name: 'Filter', rows: [['filtered to'], [project.filterDescription]] });
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
        // As the quote bank shows them: pseudonym and wave, personal data replaced unless the author kept it.
        quote: (q) => {
          const published = publisher.quote(q, isEntityNlpLoaded());
          return { text: published.text, attribution: published.attribution };
        },
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
    case 'pseudonym-key-csv': {
      // The warning is the first line, so no one opens the file without reading it.
      const [warning, ...rows] = publisher.keyRows();
      return {
        fileName: csvFileName(`${stem}-pseudonym-key`, csvOptions(settings)),
        mime: MIME.csv,
        bytes: encodeChunks(csvChunks({ header: warning, rows }, csvOptions(settings))),
      };
    }
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
