/**
 * A REFI-QDA codebook opened from the start page: a new project holding its
 * codes (and its sets, as themes) and nothing else yet. The user then imports
 * a survey into it and codes with the codebook they brought.
 */
import { EXCHANGE_VERSION, PROJECT_FORMAT } from '../exchange/envelope';
import { ExchangeError } from '../exchange/exchange-error';
import { projectFileFromData, type ProjectFile } from '../exchange/project-file';
import { plural } from './codes';
import { RefiError } from './errors';
import { isoDateTime } from './names';
import type { QdcRead } from './qdc';
import type { RefiReport } from './report';

export interface QdcProjectOptions {
  /** The codebook's file name: the project is named after it. */
  fileName: string;
  projectId: string;
  /** Time of the import (ms). */
  now: number;
}

/** The project name for a codebook file: its name without the extension. */
export function projectNameForCodebook(fileName: string): string {
  return fileName.replace(/\.(qdc|xml)$/i, '').trim() || 'Imported codebook';
}

/** A project of the codebook's codes and themes, with the report the start page shows. Throws RefiError for a codebook without codes. */
export function projectFromQdc(read: QdcRead, options: QdcProjectOptions): { project: ProjectFile; report: RefiReport } {
  if (read.codes.length === 0) throw new RefiError('This codebook holds no codes, so there is nothing to make a project of.');
  let project: ProjectFile;
  try {
    project = projectFileFromData({
      format: PROJECT_FORMAT,
      version: EXCHANGE_VERSION,
      exportedAt: isoDateTime(options.now),
      project: { id: options.projectId, name: projectNameForCodebook(options.fileName), createdAt: options.now, updatedAt: options.now },
      waves: [],
      questions: [],
      attributes: [],
      respondents: [],
      answers: [],
      codes: read.codes,
      coders: [],
      codings: [],
      memos: [],
      ...(read.themes.length > 0 ? { themes: read.themes } : {}),
    });
  } catch (err) {
    if (err instanceof ExchangeError) throw new RefiError(`This codebook could not be made into a Codebench project: ${err.message}`, err.where);
    throw err;
  }
  const top = read.codes.filter((c) => c.parentId === null).length;
  const kept = [`${plural(read.codes.length, 'code', 'codes')}${top < read.codes.length ? ` (${top} at the top level)` : ''}`];
  if (read.themes.length > 0) kept.push(plural(read.themes.length, 'theme (set of codes)', 'themes (sets of codes)'));
  return { project, report: { kept, dropped: [], warnings: read.warnings } };
}
