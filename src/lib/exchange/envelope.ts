/**
 * What every exchange document starts with: `format` (which kind of file) and
 * `version` (of that format). Readers accept every version up to their own and
 * refuse newer ones by name, so an old Codebench never half-reads a new file.
 */
import { ExchangeError, describe } from './exchange-error';
import { isObject, type Obj } from './fields';

export const CODER_FORMAT = 'codebench-coder';
export const PROJECT_FORMAT = 'codebench-project';
export const EXCHANGE_VERSION = 1;

export type ExchangeFormat = typeof CODER_FORMAT | typeof PROJECT_FORMAT;

const NAMES: Record<string, string> = {
  [CODER_FORMAT]: 'a Codebench coder file',
  [PROJECT_FORMAT]: 'a Codebench project file',
  'codebench-codebook': 'a Codebench codebook',
};

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ExchangeError(`This file is not valid JSON (${detail}).`);
  }
}

/** The format named in a parsed document, checked to be one this version reads (any version). */
export function readFormat(data: unknown): ExchangeFormat {
  const expected = `expected "${CODER_FORMAT}" or "${PROJECT_FORMAT}"`;
  if (!isObject(data)) throw new ExchangeError(`This is not a Codebench file: it holds ${describe(data)}, not an object.`);
  if (data.format === CODER_FORMAT || data.format === PROJECT_FORMAT) return data.format;
  if (data.format === undefined) throw new ExchangeError(`This is not a Codebench exchange file: "format" is missing (${expected}).`, 'format');
  const known = typeof data.format === 'string' ? NAMES[data.format] : undefined;
  throw new ExchangeError(
    known ? `This is ${known}, not a coder or project file.` : `This is not a Codebench exchange file: "format" is ${describe(data.format)} (${expected}).`,
    'format',
  );
}

/** Checks format and version; returns the document as an object for the field readers. */
export function readEnvelope(data: unknown, format: ExchangeFormat): Obj {
  const found = readFormat(data);
  const o = data as Obj;
  if (found !== format) throw new ExchangeError(`This is ${NAMES[found]}, not ${NAMES[format]}.`, 'format');
  const version = o.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new ExchangeError(`"version" must be a whole number ≥ 1, but it is ${describe(version)}.`, 'version');
  }
  if (version > EXCHANGE_VERSION) {
    throw new ExchangeError(`This file was written by a newer Codebench (format version ${version}); this version reads up to ${EXCHANGE_VERSION}.`, 'version');
  }
  return o;
}
