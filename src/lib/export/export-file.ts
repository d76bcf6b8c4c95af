/**
 * Every export the Analysis view offers, as a file: the tables, the workbook,
 * the report, the codebook and the REFI-QDA files, made from a loaded project.
 */
import { AnalysisRequestError, analysisCoders, counts, crosstabOf, type AnalysisProject } from '../analysis';
import { EXCHANGE_VERSION, PROJECT_FORMAT } from '../exchange';
import { strToU8, zipSync } from 'fflate';
import {
  codebookJson,
  codebookMarkdown,
  codebookRows,
  codebookSheet,
  codeCounts,
  csvChunks,
  csvFileName,
  canRenameRespondents,
  everyCodingPlaced,
  renamesDistinctly,
  longTable,
  respondentMatrix,
  rowsOf,
  wideTable,
  writeXlsx,
  type CoderSelection as ExportCoderSelection,
  type CsvChunkOptions,
  type LongExportOptions,
  type ExportCell,
  type ExportTable,
  type XlsxSheet,
} from '.';
import type { ReportDocument } from './document';
import { documentHtml } from './document-html';
import { documentMarkdown } from './document-markdown';
import { defaultAttribution } from './report-model';
import { reportAnswerIds, writeUpFindings } from './write-up-findings';
import { buildWriteUpReport, DEFAULT_REPORT_SETTINGS, type WriteUpSource } from './write-up-report';
import { FINAL_CODER_ID } from '../model/types';
import { fileNamePart } from './file-name';
import { pseudonymousSource, type Publisher } from '../analysis/publish-project';
import type { ExportSource } from './source';
import { viewFileStem } from './view-file-stem';
import { isEntityNlpLoaded } from '../nlp/entities';
import { ProjectLookup } from './project-lookup';
import { longCodingOrder, type PlacedAnswers } from './csv-long';
import { placedAnswers, type ColumnPlacement } from './csv-long-columns';
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

export function exportCoders(choice: CoderChoice): ExportCoderSelection {
  if (choice.kind === 'final') return { coderId: FINAL_CODER_ID };
  return choice.kind === 'all' ? 'any' : choice.kind === 'consensus' ? 'consensus' : { coderId: choice.coderId };
}

/** A name in a file name (an attribute's), by the one rule for file names (see file-name.ts). */
export function fileStem(name: string, fallback = 'project'): string {
  return fileNamePart(name, 60) || fallback;
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
function csvOptions(settings: Pick<ExportSettings, 'bom' | 'neutraliseFormulas'>): { bom: boolean; neutraliseFormulas: boolean } {
  return { bom: settings.bom, neutraliseFormulas: settings.neutraliseFormulas ?? true };
}

/** The report's input from the loaded project: the whole project in scope, the chosen coding set, quotes attributed as the quote bank does. */
export function writeUpSourceOf(project: AnalysisProject, settings: ExportSettings, generatedAt = new Date()): WriteUpSource {
  const attribute = settings.attributionAttribute;
  return {
    data: project.data,
    index: project.index(null),
    coders: analysisCoders(settings.coders),
    codings: project.allCodings,
    attribution: (a) =>
      defaultAttribution(
        {
          respondentId: a.respondentId,
          attributes: project.respondents.get(a.respondentId) ?? {},
          waveName: project.waveName(a.waveId),
          questionLabel: project.questionLabel(a.questionId),
        },
        attribute ?? undefined,
      ),
    // As the quote bank shows them: pseudonym and wave, personal data replaced unless the author kept it.
    publish: (q) => {
      const published = project.publisher.quote(
        { ...q, waveName: project.waveName(q.waveId), questionLabel: project.questionLabel(q.questionId) },
        isEntityNlpLoaded(),
      );
      return { text: published.text, attribution: published.attribution };
    },
    quoteRule: `${project.publisher.rule()}`,
    codingSet: codingSetText(project, settings.coders),
    // The handler gives exports the project as the filter bar narrows it; this names it.
    filter: project.filterDescription,
    // The coding process is the project's (or the blind copy's) whatever the filter: α as the Agreement view gives it.
    processData: project.unfiltered.data,
    blind: project.blindCoderId !== null,
    roleAttribute: project.publisher.roleAttribute,
    generatedAt,
  };
}

const pseudonymousExports = new WeakMap<ExportSource, { publisher: Publisher; source: ExportSource; lookup: ProjectLookup }>();

/**
 * The source with respondents renamed by their pseudonyms, and its lookup, kept while the project's codings and
 * write-up are the same: renaming 700k answers and sorting them again is most of a long CSV's time, so the next
 * export of the same data reuses it (as the raw lookup is kept on the project).
 */
function pseudonymousExport(raw: ExportSource, publisher: Publisher): { source: ExportSource; lookup: ProjectLookup } {
  const kept = pseudonymousExports.get(raw);
  if (kept && kept.publisher === publisher) return kept;
  const source = pseudonymousSource(raw, (id) => publisher.pseudonym(id));
  const made = { publisher, source, lookup: new ProjectLookup(source) };
  pseudonymousExports.set(raw, made);
  return made;
}

/** Per publisher: whether its pseudonyms rename the respondents of these answers and respondents directly. */
const directRenames = new WeakMap<Publisher, { answers: ExportSource['answers']; respondents: ExportSource['respondents']; ok: boolean }>();

/**
 * The publisher's pseudonyms as a function the long CSV can name respondents with while it writes the raw source's
 * rows, or null when that would not give the rows of the renamed copy (canRenameRows). The part about respondents
 * and answers (a pass over 735k answers at 100k) is kept while they and the publisher are the same, so a coding
 * change costs only the pass over the codings.
 */
function directRename(raw: ExportSource, publisher: Publisher, lookup: ProjectLookup): ((id: string) => string) | null {
  const pseudonym = (id: string) => publisher.pseudonym(id);
  let kept = directRenames.get(publisher);
  if (!kept || kept.answers !== raw.answers || kept.respondents !== raw.respondents) {
    kept = { answers: raw.answers, respondents: raw.respondents, ok: canRenameRespondents(raw, pseudonym, lookup) };
    directRenames.set(publisher, kept);
  }
  return kept.ok && everyCodingPlaced(raw, lookup) ? pseudonym : null;
}

/** The coding set in words, first among the report's meta lines. */
export function codingSetText(project: AnalysisProject, coders: CoderChoice): string {
  switch (coders.kind) {
    case 'final':
      return project.finalDescription;
    case 'all':
      return 'Coding set: all coders together (an answer counts as coded when any coder coded it)';
    case 'consensus':
      return 'Coding set: the consensus codings';
    case 'coder':
      return `Coding set: the codings of ${project.coderName(coders.coderId)}`;
  }
}

/** The report as a document, for any of its formats (the page packs the Word file: it draws the charts). */
/** The report; `answerTexts`, when given, holds the texts of at least `reportAnswerIdsOf`' answers (else every answer's is read). */
export function reportDocument(
  project: AnalysisProject,
  settings: ExportSettings,
  generatedAt = new Date(),
  answerTexts?: ReadonlyMap<string, string>,
): ReportDocument {
  const source = writeUpSourceOf(project, settings, generatedAt);
  if (answerTexts) source.answerTexts = answerTexts;
  return buildWriteUpReport(source, settings.report ?? DEFAULT_REPORT_SETTINGS, writeUpFindings);
}

/** The answers whose texts the report may read (write-up-findings.ts `reportAnswerIds`). */
export function reportAnswerIdsOf(project: AnalysisProject, settings: ExportSettings): Set<string> {
  return reportAnswerIds(writeUpSourceOf(project, settings));
}

function csvBytes(table: ExportTable, settings: ExportSettings): Uint8Array {
  return encodeChunks(csvChunks(table, csvOptions(settings)));
}

// Local-time constructor, as in xlsx.ts: the same zip bytes in every time zone.
const FIXED_DATE = new Date(1980, 0, 1, 0, 0, 0);

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

/** A filtered export says so in its name, so a file of mentees at 6 months is never taken for the whole study. */
export function exportStem(project: AnalysisProject): string {
  return viewFileStem(project.name, project.filterDescription, '');
}

/** The export settings the long CSV reads. */
export type LongCsvSettings = Pick<ExportSettings, 'coders' | 'respondentIds' | 'bom' | 'neutraliseFormulas'>;

/** What the long CSV is written from: the source, its lookup and the options, with the file's name and type. */
export interface LongCsvPlan {
  fileName: string;
  mime: string;
  source: ExportSource;
  lookup: ProjectLookup;
  options: LongExportOptions & CsvChunkOptions;
  /**
   * The codings placed among the project's stored chunks in display order, when they are (csv-long-columns.ts):
   * the rows are then written from the chunks, with no answer object made.
   */
  columns?: { placement: ColumnPlacement; placed: PlacedAnswers };
}

/**
 * The long CSV's input as exportFile would use it, or null when its rows must come from a renamed copy of the
 * project (pseudonyms that canRenameRows refuses): that copy is made from the answers' own texts, so only the
 * direct rows can be written while the texts are read (csv-long-stream.ts).
 */
export function longCsvPlan(
  project: AnalysisProject,
  settings: LongCsvSettings,
  allowCopy = false,
  /** The project's columnPlacement for these settings, when the caller has it already. */
  known?: ColumnPlacement | null,
): LongCsvPlan | null {
  const useFinal = settings.coders.kind === 'final';
  const raw = useFinal ? project.finalSource : project.source;
  const rawLookup = useFinal ? project.finalLookup : project.lookup;
  const placement = known !== undefined ? known : project.columnPlacement(useFinal);
  const placed = placement && placedAnswers(placement, raw, rawLookup);
  // Files an author shares name respondents by their pseudonyms unless asked for the raw IDs (see ExportSettings).
  const pseudonymous = settings.respondentIds !== 'raw';
  const rename = !pseudonymous ? null : placed ? placedRename(raw, project.publisher, rawLookup, placement!) : directRename(raw, project.publisher, rawLookup);
  if (pseudonymous && !rename && !allowCopy) return null;
  const renamed = pseudonymous && !rename ? pseudonymousExport(raw, project.publisher) : null;
  // 'all' lists every coding, the consensus coder's too: the coder column tells them apart.
  const options = settings.coders.kind === 'all' ? {} : { coder: exportCoders(settings.coders) };
  return {
    fileName: csvFileName(`${exportStem(project)}-codings`, csvOptions(settings)),
    mime: MIME.csv,
    source: renamed ? renamed.source : raw,
    lookup: renamed ? renamed.lookup : rawLookup,
    options: { ...options, ...(rename ? { renameRespondent: rename } : {}), ...csvOptions(settings) },
    ...(placed && !renamed ? { columns: { placement: placement!, placed } } : {}),
  };
}

/** Per publisher: whether its pseudonyms rename these respondents distinctly (see placedRename). */
const placedRenames = new WeakMap<Publisher, { respondents: ExportSource['respondents']; ok: boolean }>();

/**
 * directRename for codings placed among chunks in display order: every answer's respondent is known then
 * (columnsInDisplayOrder checked it), so what is left is that the new names are distinct and every coding placed.
 */
function placedRename(raw: ExportSource, publisher: Publisher, lookup: ProjectLookup, placement: ColumnPlacement): ((id: string) => string) | null {
  const pseudonym = (id: string) => publisher.pseudonym(id);
  let kept = placedRenames.get(publisher);
  if (!kept || kept.respondents !== raw.respondents) {
    kept = { respondents: raw.respondents, ok: renamesDistinctly(raw, pseudonym, lookup) };
    placedRenames.set(publisher, kept);
  }
  return kept.ok && placement.positions.every((at) => at >= 0) ? pseudonym : null;
}

export function exportFile(
  project: AnalysisProject,
  kind: ExportKind,
  settings: ExportSettings,
  progress: ProgressReporter,
  /** The report's answer texts when read ahead (reportDocument). */
  answerTexts?: ReadonlyMap<string, string>,
): { fileName: string; mime: string; bytes: Uint8Array } {
  const stem = exportStem(project);
  const useFinal = settings.coders.kind === 'final';
  const publisher = project.publisher;
  // Files an author shares name respondents by their pseudonyms unless asked for the raw IDs (see ExportSettings).
  // (The long CSV names them as it writes them when it can: longCsvPlan.)
  const pseudonymous = settings.respondentIds !== 'raw' && (kind === 'wide-csv' || kind === 'xlsx' || kind === 'respondent-matrix-csv');
  const raw = useFinal ? project.finalSource : project.source;
  const renamed = pseudonymous ? pseudonymousExport(raw, publisher) : null;
  const source = renamed ? renamed.source : raw;
  const lookup = renamed ? renamed.lookup : useFinal ? project.finalLookup : project.lookup;
  const coder = exportCoders(settings.coders);
  const includeSubcodes = settings.includeSubcodes;
  const text = (fileName: string, mime: string, content: string) => ({ fileName, mime, bytes: encoder.encode(content) });
  switch (kind) {
    case 'long-csv': {
      const plan = longCsvPlan(project, settings, true)!;
      const chunks = Math.max(1, Math.ceil(plan.source.codings.length / 2000));
      progress('Writing the codings', 0, chunks);
      const bytes = encodeChunks(csvChunks(longTable(plan.source, plan.options, plan.lookup), plan.options), (n) => progress('Writing the codings', n, chunks));
      return { fileName: plan.fileName, mime: plan.mime, bytes };
    }
    case 'wide-csv': {
      progress('Writing the answers', 0, 1);
      const bytes = encodeChunks(csvChunks(wideTable(source, { coder, includeSubcodes }, lookup), csvOptions(settings)));
      return { fileName: csvFileName(`${stem}-answers-by-code`, csvOptions(settings)), mime: MIME.csv, bytes };
    }
    case 'respondent-matrix-csv': {
      // Two files, the table and its dictionary, in one .zip: one download, and they cannot be separated by accident.
      progress('Writing the respondent table', 0, 1);
      const matrix = respondentMatrix(
        source,
        { coder, includeSubcodes, pseudonyms: pseudonymous, ...(useFinal ? { codingSet: project.finalDescription } : {}) },
        lookup,
      );
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
        fileName: csvFileName(`${stem}-crosstab-${fileStem(settings.crosstab.attribute, 'attribute')}`, csvOptions(settings)),
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
      progress('Writing the report', 0, 1);
      return text(`${stem}-report.md`, MIME.md, documentMarkdown(reportDocument(project, settings, new Date(), answerTexts)));
    case 'report-html':
      progress('Writing the report', 0, 1);
      return text(`${stem}-report.html`, MIME.html, documentHtml(reportDocument(project, settings, new Date(), answerTexts)));
    case 'report-docx':
      // Word needs the charts drawn as pictures, which only the page can do: it asks for the document instead.
      throw new AnalysisRequestError('The Word report is made on the page from the report document; ask for the document.');
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

/** The Export tab's first choices for the long CSV: every coder, respondents by pseudonym. */
const DEFAULT_LONG_CSV: LongCsvSettings = { coders: { kind: 'all' }, bom: false };

/**
 * Makes what the default long CSV is written from before anyone asks (the analysis worker runs it when idle):
 * the lookup over every answer, the pseudonyms and whether they rename rows directly, and the codings in row
 * order. All of it is kept with the project until its codings change, and the lookup's answer maps beyond that
 * (they follow the answers alone), so the click pays for the rows only. A generator: it stops after each step
 * (each well under a second at 100k respondents) so a request that arrives meanwhile can go first. Returns false
 * when there is nothing to prepare (the rows need a renamed copy, made at the click as before).
 */
export function* prepareLongCsv(project: AnalysisProject): Generator<void, boolean, undefined> {
  const fromColumns = project.columnPlacement(false) !== null;
  yield;
  if (!fromColumns) {
    // The answer objects of a project read without texts are made on first use (lib/db/exchange-store.ts), and the
    // lookup's maps over them with the first use that needs them.
    void project.data.answers.length;
    yield;
    project.lookup.orderedAnswers();
    yield;
  }
  void project.publisher;
  yield;
  const plan = longCsvPlan(project, DEFAULT_LONG_CSV);
  if (!plan) return false;
  yield;
  longCodingOrder(plan.source, plan.options, plan.lookup, plan.columns?.placed);
  return true;
}
