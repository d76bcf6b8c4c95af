/**
 * The REFI-QDA project exchange (`.qdpx`): a zip holding `project.qde` and
 * `sources/` (REFI-QDA §8), plus, in our own files, `codebench.json`
 * (extras.ts). ProjectFile in, ProjectFile out, so the app goes
 * db → ProjectFile → .qdpx and .qdpx → ProjectFile → db with the project-file
 * code it already has. The mapping is described in docs/refi-qda.md.
 */
import { zipSync } from 'fflate';
import { ExchangeError } from '../exchange/exchange-error';
import { projectFileFromData, type ProjectFile } from '../exchange/project-file';
import { RefiError } from './errors';
import { applyExtras, parseExtras } from './extras';
import { CODEBENCH_GUID_NAMESPACE, sha1, toHex, uuidV5 } from './guid';
import { EXTRAS_FILE } from './names';
import { projectToRefi, type QdpxOffsets } from './project-to-refi';
import { readQdeTree } from './qde-read';
import { PROJECT_NAMESPACE, writeQde } from './qde-write';
import { refiToProject, type TextLookup } from './refi-to-project';
import type { RefiReport } from './report';
import { decodeXmlBytes } from './text-decode';
import { namespaceWarning, parseXml, type XmlElement } from './xml-reader';
import {
  checkDeclaredSizes,
  DEFAULT_ZIP_LIMITS,
  describeZipProblem,
  listZipEntries,
  readZipEntry,
  UnsafeZipError,
  unsafePathReason,
  type ZipEntry,
  type ZipLimits,
} from '../zip/zip-safety';

/**
 * Most files one .qdpx may hold: the zip writer has no zip64, whose absence
 * caps an archive at 65,535 entries (one per answer, plus project.qde and the extras).
 */
export const QDPX_MAX_ANSWERS = 65_000;

export interface WriteQdpxOptions {
  /** The `origin` attribute; default "Codebench". */
  origin?: string;
  /** Write codebench.json (exact round trip into Codebench); default true. */
  extras?: boolean;
  /** Deflate level, 0–9; default 6. */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /**
   * 'code-points' (default): the standard, texts as stored. 'nvivo': CR LF
   * line ends and UTF-16 offsets, as NVivo counts (docs/refi-qda.md).
   */
  offsets?: QdpxOffsets;
}

export interface ReadQdpxOptions {
  /** The file's name, used for the project name when the file has none and as the imported wave's source file. */
  fileName?: string;
  /** Time of the import (ms), for waves' `importedAt` and missing dates; default now. */
  now?: number;
  /** Line ends of imported texts: 'auto' (default) keeps our own files exact and stores others' with LF. */
  lineEndings?: 'auto' | 'keep' | 'lf';
  /** Limits against zip bombs; tests lower them. */
  limits?: Partial<ZipLimits>;
}

export interface QdpxRead {
  project: ProjectFile;
  report: RefiReport;
}

const encoder = new TextEncoder();
const STORE_BELOW = 1024;

/**
 * The project as a .qdpx archive. Throws RefiError when the project is not a
 * valid project file or has more answers than one archive can hold.
 */
export function writeQdpx(project: ProjectFile, options: WriteQdpxOptions = {}): Uint8Array {
  let file: ProjectFile;
  try {
    file = projectFileFromData(project);
  } catch (err) {
    if (err instanceof ExchangeError) throw new RefiError(`Cannot export the project: ${err.message}`, err.where);
    throw err;
  }
  if (file.answers.length > QDPX_MAX_ANSWERS) {
    throw new RefiError(
      `This project has ${file.answers.length} answers; a .qdpx holds each answer as a file and can hold at most ${QDPX_MAX_ANSWERS}. Export some questions or waves at a time.`,
    );
  }
  const { project: refi, sources, extras } = projectToRefi(file, { origin: options.origin, offsets: options.offsets });
  const qde = encoder.encode(writeQde(refi));
  const level = options.level ?? 6;
  // Most answers are a few hundred bytes, which deflate cannot shrink and fflate takes ~50 µs
  // each to try: they are stored as they are.
  const entry = (bytes: Uint8Array): [Uint8Array, { level: WriteQdpxOptions['level'] }] => [bytes, { level: bytes.length < STORE_BELOW ? 0 : level }];
  const entries: Record<string, [Uint8Array, { level: WriteQdpxOptions['level'] }]> = { 'project.qde': entry(qde) };
  if (options.extras !== false) entries[EXTRAS_FILE] = entry(encoder.encode(JSON.stringify({ ...extras, qdeSha1: toHex(sha1(qde)) })));
  for (const [path, text] of sources) entries[path] = entry(encoder.encode(text));
  // Entry dates from the project, not the clock, so the same project gives the same bytes.
  const mtime = new Date(Math.min(Math.max(file.project.updatedAt, Date.UTC(1980, 0, 2)), Date.UTC(2099, 11, 31)));
  return zipSync(entries, { mtime });
}

/**
 * Reads a .qdpx: Codebench's own (exactly, with its extras) or another tool's
 * (its text sources as answers; see docs/refi-qda.md). Throws RefiError, and
 * returns nothing, for a file that is not a REFI project or is unsafe: a zip
 * bomb, a path leaving the archive, XML with a DOCTYPE or entities, an
 * encoding other than UTF-8.
 */
export function readQdpx(bytes: Uint8Array, options: ReadQdpxOptions = {}): QdpxRead {
  try {
    return readCheckedQdpx(bytes, options);
  } catch (err) {
    if (err instanceof UnsafeZipError) throw new RefiError(describeZipProblem(err.problem, '.qdpx'));
    throw err;
  }
}

function readCheckedQdpx(bytes: Uint8Array, options: ReadQdpxOptions): QdpxRead {
  const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
  const entries = listZipEntries(bytes, limits);
  const qdeEntry = findQde(entries);
  checkDeclaredSizes([qdeEntry], limits);
  const qdeBytes = readZipEntry(bytes, qdeEntry, limits.maxTotalBytes);
  let used = qdeBytes.length;

  let read: ReturnType<typeof readQdeTree>;
  let root: XmlElement;
  try {
    root = parseXml(decodeXmlBytes(qdeBytes, qdeEntry.name), { what: qdeEntry.name });
    read = readQdeTree(root);
  } catch (err) {
    if (err instanceof RangeError) throw new RefiError(`${qdeEntry.name} is too large to read in this browser.`);
    throw err;
  }

  // Every file the project refers to is located, and its declared size checked, before any is inflated.
  const base = qdeEntry.name.includes('/') ? qdeEntry.name.slice(0, qdeEntry.name.lastIndexOf('/') + 1) : '';
  const locate = archiveIndex(entries, base);
  const wanted = new Map<string, ZipEntry | 'external' | 'not-found'>();
  const paths = [...read.project.sources.map((s) => [s.plainTextPath, s.name] as const), ...read.project.notes.map((n) => [n.plainTextPath, n.name] as const)];
  for (const [path, name] of paths) {
    if (path === undefined || wanted.has(path)) continue;
    wanted.set(path, resolve(path, name, locate));
  }
  const extrasEntry = locate(EXTRAS_FILE, true);
  const toRead = [...new Set([...wanted.values()].filter((e): e is ZipEntry => typeof e === 'object'))];
  if (extrasEntry) toRead.push(extrasEntry);
  checkDeclaredSizes(toRead, limits, used);
  const contents = new Map<ZipEntry, Uint8Array>();
  for (const entry of toRead) {
    const data = readZipEntry(bytes, entry, limits.maxTotalBytes - used);
    used += data.length;
    contents.set(entry, data);
  }
  const lookup: TextLookup = (path) => {
    const found = wanted.get(path);
    if (found === 'external') return { missing: 'external' };
    if (found === undefined || found === 'not-found') return { missing: 'not-found' };
    return { bytes: contents.get(found)! };
  };

  const qdeSha1 = toHex(sha1(qdeBytes));
  const extrasText = extrasEntry ? new TextDecoder().decode(contents.get(extrasEntry)) : undefined;
  const extras = extrasText === undefined ? null : parseExtras(extrasText);
  const extrasMatch = extras !== null && extras.qdeSha1 === qdeSha1;

  const mapped = refiToProject({
    refi: read.project,
    unsupported: read.unsupported,
    lookup,
    projectId: uuidV5(CODEBENCH_GUID_NAMESPACE, `refi-project\u001f${qdeSha1}`),
    fileName: options.fileName,
    now: options.now ?? Date.now(),
    lineEndings: options.lineEndings ?? 'auto',
  });
  const foreign = namespaceWarning(root, PROJECT_NAMESPACE, qdeEntry.name);
  if (foreign) mapped.report.warn(foreign);
  let project = mapped.project;
  if (extrasText !== undefined && !extrasMatch) {
    mapped.report.warn(
      `${EXTRAS_FILE} does not belong to this ${qdeEntry.name} (it was changed after Codebench wrote it), so Codebench's extra details were ignored.`,
    );
  }
  if (extras && extrasMatch) project = applyExtras(project, extras);

  try {
    project = projectFileFromData(project);
  } catch (err) {
    if (err instanceof ExchangeError) throw new RefiError(`This .qdpx could not be made into a Codebench project: ${err.message}`, err.where);
    throw err;
  }
  return { project, report: mapped.report.build() };
}

/** The single .qde of the archive (any name, any case); "project.qde" nearest the root when there are several. */
function findQde(entries: readonly ZipEntry[]): ZipEntry {
  const qdes = entries.filter((e) => !e.isDirectory && e.name.toLowerCase().endsWith('.qde'));
  if (qdes.length === 0) throw new RefiError('This .qdpx holds no project.qde file, so it is not a REFI-QDA project (or it is damaged).');
  if (qdes.length === 1) return qdes[0];
  const named = qdes.filter((e) => e.name.toLowerCase().split('/').pop() === 'project.qde').sort((a, b) => a.name.split('/').length - b.name.split('/').length);
  if (named.length >= 1 && (named.length === 1 || named[0].name.split('/').length < named[1].name.split('/').length)) return named[0];
  throw new RefiError(
    `This .qdpx holds several project files (${qdes.map((e) => JSON.stringify(e.name)).join(', ')}); Codebench cannot tell which one to read.`,
  );
}

/**
 * Finds an archive file by its path relative to the .qde's folder, ignoring
 * case ("Sources/" in ATLAS.ti files); `exact` skips the fallback to a file of
 * the same name anywhere (used for the extras file).
 */
function archiveIndex(entries: readonly ZipEntry[], base: string) {
  const byName = new Map<string, ZipEntry>();
  const byBase = new Map<string, ZipEntry[]>();
  for (const e of entries) {
    if (e.isDirectory) continue;
    byName.set(e.name.toLowerCase(), e);
    const b = e.name.toLowerCase().split('/').pop()!;
    byBase.set(b, [...(byBase.get(b) ?? []), e]);
  }
  return (path: string, exact = false): ZipEntry | undefined => {
    const p = path.toLowerCase().replace(/^(\.\/)+/, '');
    const found = byName.get(base.toLowerCase() + p) ?? byName.get(base.toLowerCase() + 'sources/' + p);
    if (found || exact) return found;
    const same = byBase.get(p.split('/').pop()!) ?? [];
    return same.length === 1 ? same[0] : undefined;
  };
}

/**
 * A plainTextPath → the archive entry it names. `internal://x` and bare paths
 * (QualCoder's qc writes "board_2017.txt") are inside the archive; relative://
 * and absolute:// are external files the archive does not hold. A path that
 * would leave the archive refuses the whole file.
 */
function resolve(attr: string, sourceName: string | undefined, locate: (path: string) => ZipEntry | undefined): ZipEntry | 'external' | 'not-found' {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(attr);
  let path = attr;
  if (scheme) {
    if (scheme[1].toLowerCase() !== 'internal') return 'external';
    path = scheme[2];
  }
  const reason = unsafePathReason(path);
  if (reason) {
    throw new RefiError(
      `This .qdpx is refused: the source ${JSON.stringify(sourceName ?? attr)} points at ${JSON.stringify(attr)}, outside the archive (${reason}).`,
    );
  }
  return locate(path) ?? 'not-found';
}
