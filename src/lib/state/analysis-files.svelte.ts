/**
 * Files in and out of the Analysis view: exports written in the worker and
 * handed to the browser, REFI-QDA codebooks added to the project (one
 * undoable change), and REFI-QDA projects or codebooks restored as projects of
 * their own (from the start page too).
 */
import { safeFileName } from '../export/file-name';
import { packReportDocx } from './report-docx';
import { DEFAULT_REPORT_SETTINGS, type ReportSettings } from '../export/write-up-report';
import type { ReportDocument } from '../export/document';
import { roleLikeAttribute, type AnalysisProjectShape } from './analysis-shape';
import { emptyChange, type ReversibleChange } from '../coding/change';
import type { ExchangeCode, ExchangeTheme } from '../exchange';
import type { QdpxOffsets } from '../refi';
import { newId, type Code, type Theme } from '../model/types';
import { keyIncoming } from '../coding/keys';
import type { CoderChoice, ExportKind, ExportSettings } from '../../workers/analysis-protocol';
import type { AnalysisConnection, FinalReply, InFlight, NoticePlace } from './analysis-connection.svelte';

/** What the state reads of the coding workspace (a CodingWorkspace fits). */
export interface AnalysisWorkspace {
  readonly projectId: string | null;
  readonly codes: readonly Code[];
  readonly themes: readonly Theme[];
  perform(build: () => ReversibleChange): Promise<boolean>;
  toggleExemplar(codingId: string): Promise<boolean>;
}

export interface ExportOptions {
  coders: CoderChoice;
  includeSubcodes: boolean;
  bom: boolean;
  qdpxOffsets: QdpxOffsets;
  /** CSV cells that look like formulas written as text (Excel); off writes them verbatim (R, SPSS). */
  neutraliseFormulas: boolean;
  /** Respondents named by their pseudonyms (the default) or their raw IDs in exports. */
  respondentIds?: 'pseudonyms' | 'raw';
}

/**
 * A codebook read from a .qdc as one undoable change adding its codes (fresh
 * ids, placed after the project's top-level codes) and its sets as themes.
 * Refused when a top-level code's name is already taken, as loading a
 * codebook is; a theme whose name is taken is left out and named.
 */
export function qdcChange(
  read: { codes: readonly ExchangeCode[]; themes: readonly ExchangeTheme[] },
  current: { projectId: string; codes: readonly Code[]; themes: readonly Theme[] },
  label: string,
  makeId: () => string = newId,
): { change: ReversibleChange | null; problem: string | null; skippedThemes: string[] } {
  if (read.codes.length === 0) return { change: null, problem: 'This codebook has no codes.', skippedThemes: [] };
  const taken = new Set(current.codes.filter((c) => c.parentId === null).map((c) => c.name.trim().toLowerCase()));
  const clashes = read.codes.filter((c) => c.parentId === null && taken.has(c.name.trim().toLowerCase()));
  if (clashes.length > 0) {
    return { change: null, problem: `This project already has ${clashes.map((c) => `“${c.name}”`).join(', ')}. Nothing was added.`, skippedThemes: [] };
  }
  const ids = new Map(read.codes.map((c) => [c.id, makeId()]));
  const topCount = current.codes.filter((c) => c.parentId === null).length;
  const { projectId } = current;
  const fresh: Code[] = read.codes.map((c) => {
    const parentId = c.parentId === null ? null : (ids.get(c.parentId) ?? null);
    return { ...c, projectId, id: ids.get(c.id)!, parentId, order: parentId === null ? topCount + c.order : c.order };
  });
  // A .qdc has no keys: each new code takes a free one, and the project's codes keep theirs.
  const codes = keyIncoming(current.codes, fresh);
  const themeNames = new Set(current.themes.map((t) => t.name.trim().toLowerCase()));
  const skippedThemes: string[] = [];
  let order = current.themes.reduce((max, t) => Math.max(max, t.order + 1), 0);
  const themes: Theme[] = [];
  for (const t of read.themes) {
    const key = t.name.trim().toLowerCase();
    if (!key || themeNames.has(key)) {
      skippedThemes.push(t.name);
      continue;
    }
    themeNames.add(key);
    const codeIds = t.codeIds.map((id) => ids.get(id)).filter((id): id is string => id !== undefined);
    themes.push({ projectId, id: makeId(), name: t.name.trim(), description: t.description, codeIds, withSubcodes: t.withSubcodes, order: order++ });
  }
  const change: ReversibleChange = {
    label,
    forward: { ...emptyChange(), putCodes: codes, ...(themes.length ? { putThemes: themes } : {}) },
    inverse: { ...emptyChange(), deleteCodes: codes, ...(themes.length ? { deleteThemes: themes } : {}) },
  };
  return { change, problem: null, skippedThemes };
}

export class AnalysisFiles {
  exportOptions = $state<ExportOptions>({
    coders: { kind: 'all' },
    includeSubcodes: false,
    bom: true,
    qdpxOffsets: 'code-points',
    neutraliseFormulas: true,
    respondentIds: 'pseudonyms',
  });
  /** A .qdpx whose project is already here, waiting for "restore as a copy" (where it was asked for). */
  pendingCopy = $state.raw<{ file: Blob; fileName: string; name: string; place: NoticePlace } | null>(null);
  /** The last file written: its size and the worker's time for it. */
  lastFile = $state<{ fileName: string; bytes: number; ms: number } | null>(null);
  /** The Export tab's Report section: sections, parts, dimensions, unit, quotes per theme. */
  reportOptions = $state<ReportSettings>(structuredClone(DEFAULT_REPORT_SETTINGS));
  /** A Word report is being drawn and packed on the page. */
  packingReport = $state(false);

  #connection: AnalysisConnection;
  #download: (fileName: string, mime: string, bytes: Uint8Array | Blob) => void;
  /** The settings an export takes beyond the export tab's own (the tables' options), read when it is asked for. */
  #settings: (own: ExportOptions) => ExportSettings;
  /** Our own change is stored: the open table is asked again. */
  #afterOwnChange: () => void;
  /** Requests whose reply waits for this: a codebook's workspace, a .qdpx file to offer as a copy. */
  #qdcFor = new Map<number, AnalysisWorkspace>();
  #qdpxFiles = new Map<number, { file: Blob; fileName: string }>();
  /** Requests making a project of a codebook (their result reads differently). */
  #codebookProjects = new Set<number>();

  constructor(
    connection: AnalysisConnection,
    download: (fileName: string, mime: string, bytes: Uint8Array | Blob) => void,
    settings: (own: ExportOptions) => ExportSettings,
    afterOwnChange: () => void,
  ) {
    this.#connection = connection;
    this.#download = download;
    this.#settings = settings;
    this.#afterOwnChange = afterOwnChange;
  }

  /** A new project. Whether .qdpx files go to NVivo, and CSVs to R rather than Excel, is the user's setup, not the project's: it stays. */
  reset(coders: CoderChoice, shape: AnalysisProjectShape) {
    // The AIMMS design by default: role × wave where the project has them.
    // The same role-like attribute the Prevalence tab starts with, so the report and the tab agree.
    const role = roleLikeAttribute(shape);
    this.reportOptions = {
      ...structuredClone(DEFAULT_REPORT_SETTINGS),
      dimensions: [...(role ? [{ kind: 'attribute' as const, name: role }] : []), ...(shape.waves.length > 1 ? [{ kind: 'wave' as const }] : [])],
    };
    this.exportOptions = {
      coders,
      includeSubcodes: false,
      bom: true,
      qdpxOffsets: this.exportOptions.qdpxOffsets,
      neutraliseFormulas: this.exportOptions.neutraliseFormulas,
    };
    // The start page's notice stays for the start page (an import asked for there may even still be running).
    if (this.#connection.notice?.place !== 'home') {
      this.#connection.notice = null;
      this.pendingCopy = null;
    }
    this.lastFile = null;
  }

  moveCoders(move: <T extends { coders: CoderChoice }>(options: T) => T) {
    this.exportOptions = move(this.exportOptions);
  }

  /** A codebook or .qdpx restored as a project of its own belongs to no open project: it may finish when another is opened. */
  isProjectless(requestId: number, entry: InFlight): boolean {
    return entry.slot === 'import' && !this.#qdcFor.has(requestId);
  }

  /** Forgets what the dropped requests were waiting for. */
  keepOnly(requestIds: readonly number[]) {
    for (const id of [...this.#qdcFor.keys()]) if (!requestIds.includes(id)) this.#qdcFor.delete(id);
    for (const id of [...this.#qdpxFiles.keys()]) if (!requestIds.includes(id)) this.#qdpxFiles.delete(id);
    for (const id of [...this.#codebookProjects]) if (!requestIds.includes(id)) this.#codebookProjects.delete(id);
  }

  /** The settings every export takes, from the tabs' current options. */
  exportSettings(): ExportSettings {
    return this.#settings($state.snapshot(this.exportOptions));
  }

  /**
   * Asks the worker to make the long CSV's rows for the current settings while the Export tab is read (a warm-up
   * with them): the click then pays for reading and writing alone. Its reply shows nothing.
   */
  prepareLongCsv() {
    const { coders, respondentIds, bom, neutraliseFormulas } = this.exportSettings();
    const longCsv = {
      coders,
      bom,
      ...(respondentIds === undefined ? {} : { respondentIds }),
      ...(neutraliseFormulas === undefined ? {} : { neutraliseFormulas }),
    };
    this.#connection.send('prepare-export', { type: 'warm', longCsv }, JSON.stringify(longCsv), () => {});
  }

  /** Writes a file in the worker and hands it to the browser as a download. */
  export(kind: ExportKind) {
    const settings = this.exportSettings();
    if (kind === 'crosstab-csv' && !settings.crosstab.attribute) {
      this.#connection.notice = {
        place: 'project',
        text: 'A crosstab needs an attribute for its columns, and this project has none.',
        tone: 'error',
        details: [],
      };
      return;
    }
    this.#connection.notice = null;
    this.#connection.send('export', { type: 'export', kind, settings }, kind, (reply, entry) => this.#receive(reply, entry));
  }

  /** Hands a file made on the page (a table exactly as shown) to the browser as a download. */
  saveText(fileName: string, mime: string, text: string) {
    const bytes = new TextEncoder().encode(text);
    this.#download(fileName, mime, bytes);
    this.lastFile = { fileName, bytes: bytes.length, ms: 0 };
    this.#connection.notice = { place: 'project', text: `Saved ${safeFileName(fileName)} to your downloads.`, tone: 'info', details: [] };
  }

  /** Reads a REFI-QDA codebook in the worker, then adds its codes (and sets, as themes) to the project in one undoable step. */
  importQdc(file: File, workspace: AnalysisWorkspace) {
    this.#connection.notice = null;
    const requestId = this.#connection.send('import', { type: 'read-qdc', file, fileName: file.name }, '', (reply, entry) => this.#receive(reply, entry));
    if (requestId !== null) this.#qdcFor.set(requestId, workspace);
  }

  /**
   * Restores a REFI-QDA project as a project of its own (as a copy when asked). `from` says where it was asked
   * for: the start page shows the progress and the result itself.
   */
  importQdpx(file: Blob, fileName: string, asCopy = false, from: NoticePlace = 'project') {
    this.#connection.notice = null;
    this.pendingCopy = null;
    const requestId = this.#connection.post(
      'import',
      '',
      (requestId) => ({ type: 'import-qdpx', requestId, file, fileName, asCopy }),
      (reply, entry) => this.#receive(reply, entry),
      from,
    );
    this.#qdpxFiles.set(requestId, { file, fileName });
  }

  /** Makes a new project of a REFI-QDA codebook (the start page): its codes and themes, no answers yet. */
  importQdcProject(file: Blob, fileName: string) {
    this.#connection.notice = null;
    this.pendingCopy = null;
    const requestId = this.#connection.post(
      'import',
      '',
      (requestId) => ({ type: 'import-qdc-project', requestId, file, fileName }),
      (reply, entry) => this.#receive(reply, entry),
      'home',
    );
    this.#codebookProjects.add(requestId);
  }

  /** A file the start page could not open, said where the user is. */
  refuseFile(message: string) {
    this.pendingCopy = null;
    this.#connection.notice = { place: 'home', text: message, tone: 'error', details: [] };
  }

  restoreAsCopy() {
    const pending = this.pendingCopy;
    if (pending) this.importQdpx(pending.file, pending.fileName, true, pending.place);
  }

  dismiss() {
    this.#connection.notice = null;
    this.pendingCopy = null;
  }

  /** Cancel: nothing is waited for any more. */
  stopped() {
    this.#qdcFor.clear();
    this.#qdpxFiles.clear();
    this.#codebookProjects.clear();
  }

  /** Draws the report's charts and packs the Word file here (see report-docx.ts), then downloads it. */
  async #packDocx(fileName: string, doc: ReportDocument, ms: number) {
    this.packingReport = true;
    const started = performance.now();
    try {
      const bytes = await packReportDocx(doc);
      this.lastFile = { fileName, bytes: bytes.length, ms: ms + performance.now() - started };
      this.#download(fileName, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes);
      this.#connection.notice = { place: 'project', text: `Saved ${safeFileName(fileName)} to your downloads.`, tone: 'info', details: [] };
    } catch (error) {
      this.#connection.notice = {
        place: 'project',
        text: `The Word report could not be made (${(error as Error)?.message ?? String(error)}). Try again, or save the report as HTML.`,
        tone: 'error',
        details: [],
      };
    } finally {
      this.packingReport = false;
    }
  }

  async #receive(message: FinalReply, entry: InFlight) {
    const { requestId } = message;
    switch (message.type) {
      case 'file':
        this.lastFile = { fileName: message.fileName, bytes: message.bytes instanceof Blob ? message.bytes.size : message.bytes.length, ms: message.ms };
        this.#download(message.fileName, message.mime, message.bytes);
        this.#connection.notice = { place: 'project', text: `Saved ${safeFileName(message.fileName)} to your downloads.`, tone: 'info', details: [] };
        return;
      case 'document':
        await this.#packDocx(message.fileName, message.document, message.ms);
        return;
      case 'qdc':
        await this.#addCodebook(requestId, message.fileName, message.codes, message.themes, message.warnings);
        return;
      case 'qdpx-imported': {
        this.#qdpxFiles.delete(requestId);
        const codebook = this.#codebookProjects.delete(requestId);
        const { report } = message;
        const details = [
          ...(report.kept.length ? [`Kept: ${report.kept.join('; ')}.`] : []),
          ...(report.dropped.length ? [`Could not be kept: ${report.dropped.join('; ')}.`] : ['Nothing was left out.']),
          ...report.warnings,
        ];
        this.#connection.notice = {
          place: entry.place,
          text: codebook
            ? `Made the project “${message.name}” with this codebook. Open it and import a survey into it to start coding.`
            : `Restored “${message.name}” as a project of its own.`,
          tone: 'info',
          details,
          openProject: { id: message.projectId, name: message.name },
        };
        return;
      }
      case 'project-exists': {
        const pending = this.#qdpxFiles.get(requestId) ?? null;
        this.#qdpxFiles.delete(requestId);
        this.#connection.notice = {
          place: entry.place,
          text: `“${message.name}” is already in this browser. Restore the file as a separate copy, or keep the project you have.`,
          tone: 'error',
          details: [],
        };
        this.pendingCopy = pending ? { ...pending, name: message.name, place: entry.place } : null;
        return;
      }
      case 'error':
        this.#qdcFor.delete(requestId);
        this.#qdpxFiles.delete(requestId);
        this.#codebookProjects.delete(requestId);
        this.#connection.notice = { place: entry.place, text: message.message, tone: 'error', details: [] };
        return;
      default:
        return;
    }
  }

  async #addCodebook(requestId: number, fileName: string, codes: ExchangeCode[], themes: ExchangeTheme[], warnings: string[]) {
    const workspace = this.#qdcFor.get(requestId);
    this.#qdcFor.delete(requestId);
    if (!workspace?.projectId) return;
    const { change, problem, skippedThemes } = qdcChange(
      { codes, themes },
      { projectId: workspace.projectId, codes: workspace.codes, themes: workspace.themes },
      `Import the REFI-QDA codebook “${fileName}” (${codes.length} code${codes.length === 1 ? '' : 's'})`,
    );
    if (!change) {
      this.#connection.notice = { place: 'project', text: problem ?? 'Nothing was added.', tone: 'error', details: warnings };
      return;
    }
    const done = await workspace.perform(() => change);
    if (!done) {
      this.#connection.notice = { place: 'project', text: 'The codebook could not be added.', tone: 'error', details: warnings };
      return;
    }
    const added = change.forward.putThemes?.length ?? 0;
    const details = [...warnings];
    if (skippedThemes.length)
      details.push(`Left out ${skippedThemes.length === 1 ? 'a set' : 'sets'} whose theme name is taken: ${skippedThemes.map((n) => `“${n}”`).join(', ')}.`);
    this.#connection.notice = {
      place: 'project',
      text: `Added ${codes.length} code${codes.length === 1 ? '' : 's'}${added ? ` and ${added} theme${added === 1 ? '' : 's'}` : ''} from ${fileName}. Undo takes them out again.`,
      tone: 'info',
      details,
    };
    this.#afterOwnChange();
  }
}
