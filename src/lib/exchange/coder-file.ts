/**
 * The coder file (`codebench-coder`): one coder's codings and memos with the
 * codebook they coded with, for another coder's project to merge
 * (see merge-plan.ts). Format: docs/exchange-format.md.
 */
import { LinesMap, sortById, sortedRecord, writeCanonical } from './canonical';
import { CODER_FORMAT, EXCHANGE_VERSION, parseJson, readEnvelope } from './envelope';
import { ExchangeError } from './exchange-error';
import { readId, readIsoDateTime, readList, readObject, readText, uniqueIds, type Obj } from './fields';
import { FINGERPRINT_PATTERN, answerFingerprint } from './fingerprint';
import {
  checkCodeTree,
  plainCode,
  plainCoder,
  plainCoding,
  plainMemo,
  readCode,
  readCoder,
  readCoding,
  readMemo,
  type ExchangeCode,
  type ExchangeCoder,
  type ExchangeCoding,
  type ExchangeMemo,
} from './records';

export interface CoderFile {
  format: typeof CODER_FORMAT;
  version: typeof EXCHANGE_VERSION;
  /** When the file was written, ISO 8601 (e.g. "2025-03-01T09:30:00.000Z"). */
  exportedAt: string;
  /** The project it was exported from: informative, since codings are matched by answer id. */
  project: { id: string; name: string };
  coder: ExchangeCoder;
  /** The whole codebook as the coder had it, so no coding refers to a code the receiver lacks. */
  codebook: ExchangeCode[];
  /** Only this coder's codings. */
  codings: ExchangeCoding[];
  memos: ExchangeMemo[];
  /** answer id → answerFingerprint(text) for the answers holding a passage coding; {} when absent. */
  answerFingerprints: Record<string, string>;
}

export type CoderFileInput = Omit<CoderFile, 'format' | 'version' | 'answerFingerprints'> & {
  answerFingerprints?: Readonly<Record<string, string>>;
};

/** The canonical text of a coder file. Throws ExchangeError when the input breaks a rule readCoderFile checks. */
export function writeCoderFile(input: CoderFileInput): string {
  const fields = [
    ['format', CODER_FORMAT],
    ['version', EXCHANGE_VERSION],
    ['exportedAt', input.exportedAt],
    ['project', { id: input.project.id, name: input.project.name }],
    ['coder', plainCoder(input.coder)],
    ['codebook', sortById(input.codebook).map(plainCode)],
    ['codings', sortById(input.codings).map(plainCoding)],
    ['memos', sortById(input.memos).map(plainMemo)],
    ['answerFingerprints', sortedRecord(input.answerFingerprints ?? {})],
  ] as const;
  try {
    coderFileFromData(Object.fromEntries(fields));
  } catch (err) {
    if (err instanceof ExchangeError) throw new ExchangeError(`Cannot write the coder file: ${err.message}`, err.where);
    throw err;
  }
  return writeCanonical(fields.map(([key, value]) => [key, key === 'answerFingerprints' ? new LinesMap(value as Obj) : value]));
}

/** Parses and validates a coder file (any version up to EXCHANGE_VERSION). Throws ExchangeError. */
export function readCoderFile(text: string): CoderFile {
  return coderFileFromData(parseJson(text));
}

/** Validates an already parsed coder document. */
export function coderFileFromData(data: unknown): CoderFile {
  const o = readEnvelope(data, CODER_FORMAT);
  const exportedAt = readIsoDateTime(o.exportedAt, 'exportedAt');
  const project = readObject(o.project, 'project');
  const coder = readCoder(o.coder, 'coder');

  const codebook = readList(o.codebook, 'codebook').map((c, i) => readCode(c, `codebook[${i}]`));
  checkCodeTree(codebook, 'codebook');
  const codeIds = new Set(codebook.map((c) => c.id));

  const codings = readList(o.codings, 'codings').map((c, i) => readCoding(c, `codings[${i}]`));
  uniqueIds(
    codings.map((c) => c.id),
    (i) => `codings[${i}]`,
  );
  codings.forEach((c, i) => {
    if (!codeIds.has(c.codeId)) {
      throw new ExchangeError(`codings[${i}].codeId ${JSON.stringify(c.codeId)} is not a code in this file's codebook.`, `codings[${i}].codeId`);
    }
    if (c.coderId !== coder.id) {
      throw new ExchangeError(
        `codings[${i}].coderId ${JSON.stringify(c.coderId)} is not this file's coder (${JSON.stringify(coder.id)}); a coder file holds one coder's codings.`,
        `codings[${i}].coderId`,
      );
    }
  });

  const memos = readList(o.memos, 'memos').map((m, i) => readMemo(m, `memos[${i}]`));
  uniqueIds(
    memos.map((m) => m.id),
    (i) => `memos[${i}]`,
  );

  return {
    format: CODER_FORMAT,
    version: EXCHANGE_VERSION,
    exportedAt,
    project: { id: readId(project.id, 'project.id'), name: readText(project.name, 'project.name') },
    coder,
    codebook,
    codings,
    memos,
    answerFingerprints: o.answerFingerprints === undefined ? {} : readFingerprints(o.answerFingerprints),
  };
}

function readFingerprints(value: unknown): Record<string, string> {
  const map = readObject(value, 'answerFingerprints');
  const entries = Object.entries(map).map(([answer, hash]): [string, string] => {
    const where = `answerFingerprints[${JSON.stringify(answer)}]`;
    if (answer === '') throw new ExchangeError(`answerFingerprints has an empty answer id.`, 'answerFingerprints');
    if (typeof hash !== 'string' || !FINGERPRINT_PATTERN.test(hash)) {
      throw new ExchangeError(`${where} must be 8 lower-case hex digits, but it is ${JSON.stringify(hash)}.`, where);
    }
    return [answer, hash];
  });
  return Object.fromEntries(entries);
}

export interface CoderExportInput {
  exportedAt: string;
  project: { id: string; name: string };
  coder: ExchangeCoder;
  /** Every code of the project. */
  codes: readonly ExchangeCode[];
  /** The project's codings; only the coder's are kept. */
  codings: readonly ExchangeCoding[];
  /** The project's memos; only the coder's are kept. */
  memos: readonly ExchangeMemo[];
  /** The stored text of an answer, for the fingerprints. */
  answerText: (answerId: string) => string | undefined;
}

/**
 * The coder file of one coder of a project, ready for writeCoderFile. Only
 * answers with a passage get a fingerprint: a whole-answer coding stays right
 * whatever the text, and 100k whole-answer codings would otherwise double the file.
 */
export function coderFileFromProject(input: CoderExportInput): CoderFileInput {
  const codings = input.codings.filter((c) => c.coderId === input.coder.id);
  const fingerprints = new Map<string, string>();
  for (const c of codings) {
    if (c.start === null || fingerprints.has(c.answerId)) continue;
    const text = input.answerText(c.answerId);
    if (text !== undefined) fingerprints.set(c.answerId, answerFingerprint(text));
  }
  return {
    exportedAt: input.exportedAt,
    project: { id: input.project.id, name: input.project.name },
    coder: plainCoder(input.coder),
    codebook: input.codes.map(plainCode),
    codings: codings.map(plainCoding),
    memos: input.memos.filter((m) => m.coderId === input.coder.id).map(plainMemo),
    answerFingerprints: Object.fromEntries(fingerprints),
  };
}
