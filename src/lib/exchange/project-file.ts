/**
 * The project file (`codebench-project`): a whole project — waves, questions,
 * attributes, respondents, answers, codebook, coders, codings and memos — so a
 * second coder can start from the same answers, and so a project can be backed
 * up and restored. Format: docs/exchange-format.md.
 *
 * Answers are written as their three parts without the derived id (the id is
 * `questionId U+001F waveId U+001F respondentId`, model/types.ts), which keeps
 * the biggest list readable and smaller; codings and memos refer to answers by
 * that id. Cached totals (project counts, per-wave answer counts) are not
 * written: projectFileEntities (project-entities.ts) recomputes them, so they
 * cannot disagree.
 */
import { codePointLength } from '../coding/offsets';
import { answerId, ANSWER_ID_SEPARATOR } from '../model/types';
import { nameKeyedFrom } from '../model/name-keyed';
import { compareText, sortById, sortedRecord, writeCanonical } from './canonical';
import { EXCHANGE_VERSION, PROJECT_FORMAT, parseJson, readEnvelope } from './envelope';
import { ExchangeError, describe } from './exchange-error';
import { readId, readIsoDateTime, readList, readObject, readText, readWhole, uniqueIds } from './fields';
import {
  checkCodeTree,
  plainCode,
  plainCoder,
  plainCoding,
  plainMemo,
  plainTheme,
  plainResolution,
  readResolution,
  type ExchangeResolution,
  readCode,
  readCoder,
  readCoding,
  readMemo,
  readTheme,
  type ExchangeTheme,
  type ExchangeCode,
  type ExchangeCoder,
  type ExchangeCoding,
  type ExchangeMemo,
} from './records';
import { plainCodebookVersion, plainRound, readRoundsPart, type ExchangeCodebookVersion, type ExchangeRound, type ProjectFilePurpose } from './round-records';
import { isEmptyWriteUp, plainWriteUp, readWriteUp, type ExchangeWriteUp } from './write-up-records';

export interface ExchangeWave {
  id: string;
  name: string;
  order: number;
  importedAt: number;
  sourceFile: string;
  sourceFormat: string;
}

export interface ExchangeQuestion {
  id: string;
  key: string;
  label: string;
  text: string;
  order: number;
}

export interface ExchangeAttribute {
  name: string;
  order: number;
  /** Distinct values in first-seen order, as the project keeps them for its filters. */
  values: string[];
  /** What the attribute is called on screen, when the import found a label for its column (absent in older files). */
  label?: string;
}

export interface ExchangeRespondent {
  id: string;
  /** Known values only: a blank value is left out. */
  attributes: Record<string, string>;
  /** The waves the respondent took part in. */
  waves: string[];
}

export interface ExchangeAnswer {
  /** Derived from the three parts when read; not written. */
  id: string;
  questionId: string;
  waveId: string;
  respondentId: string;
  text: string;
}

export interface ProjectFile {
  format: typeof PROJECT_FORMAT;
  version: typeof EXCHANGE_VERSION;
  exportedAt: string;
  project: { id: string; name: string; createdAt: number; updatedAt: number };
  waves: ExchangeWave[];
  questions: ExchangeQuestion[];
  attributes: ExchangeAttribute[];
  /** In the project's order (the order of the import), which the survey grid shows. */
  respondents: ExchangeRespondent[];
  /** Grouped by question id then wave id; within a group in the project's order. */
  answers: ExchangeAnswer[];
  codes: ExchangeCode[];
  coders: ExchangeCoder[];
  codings: ExchangeCoding[];
  memos: ExchangeMemo[];
  /** Added within version 1: absent in older files (read as none), written only when there are some. */
  themes?: ExchangeTheme[];
  /** Added within version 1, like themes: adjudicated disagreements, in answer order. */
  resolutions?: ExchangeResolution[];
  /** Added within version 1, like themes: double-coding rounds and the codebook versions they froze. */
  rounds?: ExchangeRound[];
  codebookVersions?: ExchangeCodebookVersion[];
  /** Added within version 1, like themes: how quotes are published (pseudonyms, redaction); write-up-records.ts. */
  writeUp?: ExchangeWriteUp;
  /**
   * Absent in a backup. "second-coder": a file to start a second coder from, with no codings, memos, coders,
   * resolutions or themes; Codebench asks the coder's name and opens it blind. `roundId`: the round to code.
   */
  purpose?: ProjectFilePurpose;
  roundId?: string;
}

export type ProjectFileInput = Omit<ProjectFile, 'format' | 'version'>;

const byQuestionThenWave = (a: ExchangeAnswer, b: ExchangeAnswer) => compareText(a.questionId, b.questionId) || compareText(a.waveId, b.waveId);

/**
 * The canonical text of a project file. Lists whose order means nothing are
 * sorted (by id, attributes by name); respondents and the answers within a
 * question and wave keep the order given, which is the project's display order.
 * Throws ExchangeError when the input breaks a rule readProjectFile checks.
 */
export function writeProjectFile(input: ProjectFileInput): string {
  input.answers.forEach((a, i) => {
    if (a.id !== answerId(a.questionId, a.waveId, a.respondentId)) {
      throw new ExchangeError(`Cannot write the project file: answers[${i}].id does not match its question, wave and respondent.`);
    }
  });
  const p = input.project;
  const fields = [
    ['format', PROJECT_FORMAT],
    ['version', EXCHANGE_VERSION],
    ['exportedAt', input.exportedAt],
    ['project', { id: p.id, name: p.name, createdAt: p.createdAt, updatedAt: p.updatedAt }],
    [
      'waves',
      sortById(input.waves).map((w) => ({
        id: w.id,
        name: w.name,
        order: w.order,
        importedAt: w.importedAt,
        sourceFile: w.sourceFile,
        sourceFormat: w.sourceFormat,
      })),
    ],
    ['questions', sortById(input.questions).map((q) => ({ id: q.id, key: q.key, label: q.label, text: q.text, order: q.order }))],
    [
      'attributes',
      input.attributes
        .slice()
        .sort((a, b) => compareText(a.name, b.name))
        .map((a) => ({ name: a.name, order: a.order, values: a.values.slice(), ...(a.label ? { label: a.label } : {}) })),
    ],
    [
      'respondents',
      input.respondents.map((r) => ({
        id: r.id,
        attributes: sortedRecord(Object.fromEntries(Object.entries(r.attributes).filter(([, v]) => v !== ''))),
        waves: r.waves.slice().sort(compareText),
      })),
    ],
    [
      'answers',
      input.answers
        .slice()
        .sort(byQuestionThenWave)
        .map((a) => ({ questionId: a.questionId, waveId: a.waveId, respondentId: a.respondentId, text: a.text })),
    ],
    ['codes', sortById(input.codes).map(plainCode)],
    ['coders', sortById(input.coders).map(plainCoder)],
    ['codings', sortById(input.codings).map(plainCoding)],
    ['memos', sortById(input.memos).map(plainMemo)],
    ...(input.themes?.length ? [['themes', sortById(input.themes).map(plainTheme)] as const] : []),
    ...(input.resolutions?.length
      ? [
          [
            'resolutions',
            input.resolutions
              .slice()
              .sort((a, b) => compareText(a.answerId, b.answerId))
              .map(plainResolution),
          ] as const,
        ]
      : []),
    ...(input.codebookVersions?.length ? [['codebookVersions', sortById(input.codebookVersions).map(plainCodebookVersion)] as const] : []),
    ...(input.rounds?.length ? [['rounds', sortById(input.rounds).map(plainRound)] as const] : []),
    ...(input.writeUp && !isEmptyWriteUp(input.writeUp) ? [['writeUp', plainWriteUp(input.writeUp)] as const] : []),
    ...(input.purpose ? [['purpose', input.purpose] as const] : []),
    ...(input.roundId !== undefined ? [['roundId', input.roundId] as const] : []),
  ] as const;
  try {
    projectFileFromData(Object.fromEntries(fields));
  } catch (err) {
    if (err instanceof ExchangeError) throw new ExchangeError(`Cannot write the project file: ${err.message}`, err.where);
    throw err;
  }
  return writeCanonical(fields);
}

/** Parses and validates a project file (any version up to EXCHANGE_VERSION). Throws ExchangeError. */
export function readProjectFile(text: string): ProjectFile {
  return projectFileFromData(parseJson(text));
}

function noSeparator(id: string, where: string): string {
  if (id.includes(ANSWER_ID_SEPARATOR)) {
    throw new ExchangeError(`${where} must not contain the character U+001F, which separates the parts of answer ids.`, where);
  }
  return id;
}

/** Validates an already parsed project document. */
export function projectFileFromData(data: unknown): ProjectFile {
  const o = readEnvelope(data, PROJECT_FORMAT);
  const exportedAt = readIsoDateTime(o.exportedAt, 'exportedAt');
  const po = readObject(o.project, 'project');
  const project = {
    id: readId(po.id, 'project.id'),
    name: readText(po.name, 'project.name'),
    createdAt: readWhole(po.createdAt, 'project.createdAt'),
    updatedAt: readWhole(po.updatedAt, 'project.updatedAt'),
  };

  const waves = readList(o.waves, 'waves').map((value, i): ExchangeWave => {
    const at = `waves[${i}]`;
    const w = readObject(value, at);
    return {
      id: noSeparator(readId(w.id, `${at}.id`), `${at}.id`),
      name: readText(w.name, `${at}.name`),
      order: readWhole(w.order, `${at}.order`),
      importedAt: readWhole(w.importedAt, `${at}.importedAt`),
      sourceFile: readText(w.sourceFile, `${at}.sourceFile`),
      sourceFormat: readText(w.sourceFormat, `${at}.sourceFormat`),
    };
  });
  const waveIds = uniqueIds(
    waves.map((w) => w.id),
    (i) => `waves[${i}]`,
  );

  const questions = readList(o.questions, 'questions').map((value, i): ExchangeQuestion => {
    const at = `questions[${i}]`;
    const q = readObject(value, at);
    return {
      id: noSeparator(readId(q.id, `${at}.id`), `${at}.id`),
      key: readText(q.key, `${at}.key`),
      label: readText(q.label, `${at}.label`),
      text: readText(q.text, `${at}.text`),
      order: readWhole(q.order, `${at}.order`),
    };
  });
  const questionIds = uniqueIds(
    questions.map((q) => q.id),
    (i) => `questions[${i}]`,
  );

  const attributes = readList(o.attributes, 'attributes').map((value, i): ExchangeAttribute => {
    const at = `attributes[${i}]`;
    const a = readObject(value, at);
    return {
      name: readId(a.name, `${at}.name`),
      order: readWhole(a.order, `${at}.order`),
      values: readList(a.values, `${at}.values`).map((v, k) => readText(v, `${at}.values[${k}]`)),
      ...(a.label === undefined ? {} : { label: readText(a.label, `${at}.label`) }),
    };
  });
  const attributeNames = uniqueIds(
    attributes.map((a) => a.name),
    (i) => `attributes[${i}]`,
    'name',
  );

  const respondents = readList(o.respondents, 'respondents').map((value, i) => readRespondent(value, `respondents[${i}]`, attributeNames, waveIds));
  const respondentIds = uniqueIds(
    respondents.map((r) => r.id),
    (i) => `respondents[${i}]`,
  );
  const inWave = new Set<string>();
  for (const r of respondents) for (const w of r.waves) inWave.add(w + ANSWER_ID_SEPARATOR + r.id);

  const answerTexts = new Map<string, string>();
  const answers = readList(o.answers, 'answers').map((value, i): ExchangeAnswer => {
    const at = `answers[${i}]`;
    const a = readObject(value, at);
    const questionId = readId(a.questionId, `${at}.questionId`);
    const waveId = readId(a.waveId, `${at}.waveId`);
    const respondentId = readId(a.respondentId, `${at}.respondentId`);
    const text = readText(a.text, `${at}.text`);
    const missing = (field: string, value: string, list: string) =>
      new ExchangeError(`${at}.${field} ${JSON.stringify(value)} is not among the ${list}.`, `${at}.${field}`);
    if (!questionIds.has(questionId)) throw missing('questionId', questionId, 'questions');
    if (!waveIds.has(waveId)) throw missing('waveId', waveId, 'waves');
    if (!respondentIds.has(respondentId)) throw missing('respondentId', respondentId, 'respondents');
    if (!inWave.has(waveId + ANSWER_ID_SEPARATOR + respondentId)) {
      throw new ExchangeError(
        `${at}: respondent ${JSON.stringify(respondentId)} answers in wave ${JSON.stringify(waveId)}, which is not among that respondent's waves.`,
        at,
      );
    }
    if (text === '') throw new ExchangeError(`${at}.text is empty; blank answers are not stored.`, `${at}.text`);
    const id = answerId(questionId, waveId, respondentId);
    if (answerTexts.has(id)) {
      throw new ExchangeError(
        `${at}: respondent ${JSON.stringify(respondentId)} has two answers to question ${JSON.stringify(questionId)} in wave ${JSON.stringify(waveId)}.`,
        at,
      );
    }
    answerTexts.set(id, text);
    return { id, questionId, waveId, respondentId, text };
  });

  const codes = readList(o.codes, 'codes').map((c, i) => readCode(c, `codes[${i}]`));
  checkCodeTree(codes, 'codes');
  const codeIds = new Set(codes.map((c) => c.id));

  const coders = readList(o.coders, 'coders').map((c, i) => readCoder(c, `coders[${i}]`));
  const coderIds = uniqueIds(
    coders.map((c) => c.id),
    (i) => `coders[${i}]`,
  );

  const codings = readList(o.codings, 'codings').map((c, i) => readCoding(c, `codings[${i}]`));
  uniqueIds(
    codings.map((c) => c.id),
    (i) => `codings[${i}]`,
  );
  codings.forEach((c, i) => checkCodingRefs(c, `codings[${i}]`, answerTexts, codeIds, coderIds));

  const memos = readList(o.memos, 'memos').map((m, i) => readMemo(m, `memos[${i}]`));
  uniqueIds(
    memos.map((m) => m.id),
    (i) => `memos[${i}]`,
  );

  const themes = o.themes === undefined ? [] : readList(o.themes, 'themes').map((t, i) => readTheme(t, `themes[${i}]`));
  uniqueIds(
    themes.map((t) => t.id),
    (i) => `themes[${i}]`,
  );
  themes.forEach((t, i) =>
    t.codeIds.forEach((id, j) => {
      if (!codeIds.has(id)) throw new ExchangeError(`themes[${i}].codeIds[${j}] "${id}" is not a code in this file.`, `themes[${i}].codeIds[${j}]`);
    }),
  );

  const resolutions = o.resolutions === undefined ? [] : readList(o.resolutions, 'resolutions').map((r, i) => readResolution(r, `resolutions[${i}]`));
  resolutions.forEach((r, i) => {
    if (!answerTexts.has(r.answerId)) throw new ExchangeError(`resolutions[${i}].answerId is not an answer in this file.`, `resolutions[${i}].answerId`);
  });

  const roundsPart = readRoundsPart(o, new Set(answerTexts.keys()));
  const writeUp = o.writeUp === undefined ? undefined : readWriteUp(o.writeUp, new Map([...answerTexts].map(([id, text]) => [id, codePointLength(text)])));
  if (roundsPart.purpose && (codings.length > 0 || memos.length > 0 || coders.length > 0 || resolutions.length > 0)) {
    throw new ExchangeError(
      'This file says it is for a second coder but carries codings, memos, coders or decisions: it was changed after it was written. Ask for a new one.',
      'purpose',
    );
  }

  return {
    format: PROJECT_FORMAT,
    version: EXCHANGE_VERSION,
    exportedAt,
    project,
    waves,
    questions,
    attributes,
    respondents,
    answers,
    codes,
    coders,
    codings,
    memos,
    ...(themes.length > 0 ? { themes } : {}),
    ...(resolutions.length > 0 ? { resolutions } : {}),
    ...(roundsPart.codebookVersions.length > 0 ? { codebookVersions: roundsPart.codebookVersions } : {}),
    ...(roundsPart.rounds.length > 0 ? { rounds: roundsPart.rounds } : {}),
    ...(writeUp ? { writeUp } : {}),
    ...(roundsPart.purpose ? { purpose: roundsPart.purpose } : {}),
    ...(roundsPart.roundId !== undefined ? { roundId: roundsPart.roundId } : {}),
  };
}

function readRespondent(value: unknown, at: string, attributeNames: Set<string>, waveIds: Set<string>): ExchangeRespondent {
  const r = readObject(value, at);
  const id = readId(r.id, `${at}.id`);
  const known = Object.entries(readObject(r.attributes, `${at}.attributes`)).filter(([name, v]) => {
    const where = `${at}.attributes[${JSON.stringify(name)}]`;
    if (!attributeNames.has(name)) throw new ExchangeError(`${where}: ${JSON.stringify(name)} is not among the attributes.`, where);
    return readText(v, where) !== '';
  }) as [string, string][];
  const waves = readList(r.waves, `${at}.waves`).map((w, k) => {
    const where = `${at}.waves[${k}]`;
    const wave = readId(w, where);
    if (!waveIds.has(wave)) throw new ExchangeError(`${where} ${JSON.stringify(wave)} is not among the waves.`, where);
    return wave;
  });
  uniqueIds(waves, (k) => `${at}.waves[${k}]`, 'wave');
  return { id, attributes: nameKeyedFrom(known), waves };
}

function checkCodingRefs(c: ExchangeCoding, at: string, answerTexts: Map<string, string>, codeIds: Set<string>, coderIds: Set<string>) {
  const text = answerTexts.get(c.answerId);
  if (text === undefined) throw new ExchangeError(`${at}.answerId ${describe(c.answerId)} is not among the answers.`, `${at}.answerId`);
  if (!codeIds.has(c.codeId)) throw new ExchangeError(`${at}.codeId ${JSON.stringify(c.codeId)} is not among the codes.`, `${at}.codeId`);
  if (!coderIds.has(c.coderId)) throw new ExchangeError(`${at}.coderId ${JSON.stringify(c.coderId)} is not among the coders.`, `${at}.coderId`);
  if (c.end !== null) {
    const length = codePointLength(text);
    if (c.end > length) {
      throw new ExchangeError(`${at}.end (${c.end}) is past the end of its answer's text (${length} characters).`, `${at}.end`);
    }
  }
}
