/**
 * Double-coding rounds and codebook versions in the project file (added within
 * version 1, like themes): their types without `projectId`, readers that
 * validate one record and writers with a fixed key order.
 */
import type { Round, RoundAgreement, RoundAgreementRow, RoundSample } from '../model/types';
import { ExchangeError, describe } from './exchange-error';
import { readId, readList, readObject, readText, readWhole, uniqueIds } from './fields';
import { checkCodeTree, plainCode, readCode, type ExchangeCode } from './records';

export interface ExchangeCodebookVersion {
  id: string;
  number: number;
  label: string;
  createdAt: number;
  createdBy: string;
  codes: ExchangeCode[];
}

/** A round as the project file carries it: the stored record without its projectId. */
export type ExchangeRound = Omit<Round, 'projectId'>;

/** What a project file is for: absent in a backup; a second coder's starting file says so. */
export const SECOND_CODER_PURPOSE = 'second-coder';
export type ProjectFilePurpose = typeof SECOND_CODER_PURPOSE;

export function plainCodebookVersion(v: ExchangeCodebookVersion): ExchangeCodebookVersion {
  return { id: v.id, number: v.number, label: v.label, createdAt: v.createdAt, createdBy: v.createdBy, codes: v.codes.map(plainCode) };
}

export function plainRound(r: ExchangeRound): ExchangeRound {
  const s = r.sample;
  return {
    id: r.id,
    number: r.number,
    name: r.name,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    sample: {
      size: s.size.kind === 'count' ? { kind: 'count', count: s.size.count } : { kind: 'share', share: s.size.share },
      seed: s.seed,
      questionIds: s.questionIds.slice(),
      waveIds: s.waveIds.slice(),
      strata: s.strata.map((x) => (x.kind === 'attribute' ? { kind: 'attribute', name: x.name } : { kind: x.kind })),
    },
    answerIds: r.answerIds.slice(),
    codebookVersionId: r.codebookVersionId,
    coderIds: r.coderIds.slice(),
    ...(r.agreement ? { agreement: plainRoundAgreement(r.agreement) } : {}),
  };
}

function plainRoundAgreement(a: RoundAgreement): RoundAgreement {
  return {
    computedAt: a.computedAt,
    coderIds: a.coderIds.slice(),
    codebookVersionId: a.codebookVersionId,
    includeSubcodes: a.includeSubcodes,
    uncodedAs: a.uncodedAs,
    answers: a.answers,
    rows: a.rows.map((row) => {
      const plain: RoundAgreementRow = { codeId: row.codeId, alpha: row.alpha, kappa: row.kappa, units: row.units, prevalence: row.prevalence };
      if (row.pair) plain.pair = { bothPresent: row.pair.bothPresent, aOnly: row.pair.aOnly, bOnly: row.pair.bOnly, bothAbsent: row.pair.bothAbsent };
      return plain;
    }),
  };
}

/** A statistic as stored: a finite number, or null where it was undefined. */
function readStatistic(value: unknown, where: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ExchangeError(`${where} must be a number or null, but it is ${describe(value)}.`, where);
  }
  return value;
}

function readRoundAgreement(value: unknown, where: string): RoundAgreement {
  const o = readObject(value, where);
  if (typeof o.includeSubcodes !== 'boolean') {
    throw new ExchangeError(`${where}.includeSubcodes must be true or false, but it is ${describe(o.includeSubcodes)}.`, `${where}.includeSubcodes`);
  }
  if (o.uncodedAs !== 'absent' && o.uncodedAs !== 'missing') {
    throw new ExchangeError(`${where}.uncodedAs must be "absent" or "missing", but it is ${describe(o.uncodedAs)}.`, `${where}.uncodedAs`);
  }
  const rows = readList(o.rows, `${where}.rows`).map((value, i): RoundAgreementRow => {
    const at = `${where}.rows[${i}]`;
    const r = readObject(value, at);
    const row: RoundAgreementRow = {
      codeId: readId(r.codeId, `${at}.codeId`),
      alpha: readStatistic(r.alpha, `${at}.alpha`),
      kappa: readStatistic(r.kappa, `${at}.kappa`),
      units: readWhole(r.units, `${at}.units`),
      prevalence: readStatistic(r.prevalence, `${at}.prevalence`),
    };
    if (r.pair !== undefined) {
      const p = readObject(r.pair, `${at}.pair`);
      row.pair = {
        bothPresent: readWhole(p.bothPresent, `${at}.pair.bothPresent`),
        aOnly: readWhole(p.aOnly, `${at}.pair.aOnly`),
        bOnly: readWhole(p.bOnly, `${at}.pair.bOnly`),
        bothAbsent: readWhole(p.bothAbsent, `${at}.pair.bothAbsent`),
      };
    }
    return row;
  });
  return {
    computedAt: readWhole(o.computedAt, `${where}.computedAt`),
    coderIds: idList(o.coderIds, `${where}.coderIds`),
    codebookVersionId: readId(o.codebookVersionId, `${where}.codebookVersionId`),
    includeSubcodes: o.includeSubcodes,
    uncodedAs: o.uncodedAs,
    answers: readWhole(o.answers, `${where}.answers`),
    rows,
  };
}

export function readCodebookVersion(value: unknown, where: string): ExchangeCodebookVersion {
  const o = readObject(value, where);
  const codes = readList(o.codes, `${where}.codes`).map((c, i) => readCode(c, `${where}.codes[${i}]`));
  checkCodeTree(codes, `${where}.codes`);
  return {
    id: readId(o.id, `${where}.id`),
    number: readWhole(o.number, `${where}.number`),
    label: readText(o.label, `${where}.label`),
    createdAt: readWhole(o.createdAt, `${where}.createdAt`),
    createdBy: readText(o.createdBy, `${where}.createdBy`),
    codes,
  };
}

const idList = (value: unknown, where: string) => readList(value, where).map((v, i) => readId(v, `${where}[${i}]`));

function readSample(value: unknown, where: string): RoundSample {
  const o = readObject(value, where);
  const size = readObject(o.size, `${where}.size`);
  let readSize: RoundSample['size'];
  if (size.kind === 'count') readSize = { kind: 'count', count: readWhole(size.count, `${where}.size.count`) };
  else if (size.kind === 'share' && typeof size.share === 'number' && size.share > 0 && size.share <= 1) readSize = { kind: 'share', share: size.share };
  else throw new ExchangeError(`${where}.size must be a count or a share between 0 and 1, but it is ${describe(o.size)}.`, `${where}.size`);
  const strata = readList(o.strata, `${where}.strata`).map((v, i): RoundSample['strata'][number] => {
    const s = readObject(v, `${where}.strata[${i}]`);
    if (s.kind === 'question' || s.kind === 'wave') return { kind: s.kind };
    if (s.kind === 'attribute') return { kind: 'attribute', name: readId(s.name, `${where}.strata[${i}].name`) };
    throw new ExchangeError(
      `${where}.strata[${i}].kind must be "question", "wave" or "attribute", but it is ${describe(s.kind)}.`,
      `${where}.strata[${i}].kind`,
    );
  });
  return {
    size: readSize,
    seed: readWhole(o.seed, `${where}.seed`),
    questionIds: idList(o.questionIds, `${where}.questionIds`),
    waveIds: idList(o.waveIds, `${where}.waveIds`),
    strata,
  };
}

export function readRound(value: unknown, where: string): ExchangeRound {
  const o = readObject(value, where);
  return {
    id: readId(o.id, `${where}.id`),
    number: readWhole(o.number, `${where}.number`),
    name: readText(o.name, `${where}.name`),
    createdAt: readWhole(o.createdAt, `${where}.createdAt`),
    createdBy: readText(o.createdBy, `${where}.createdBy`),
    sample: readSample(o.sample, `${where}.sample`),
    answerIds: idList(o.answerIds, `${where}.answerIds`),
    codebookVersionId: readId(o.codebookVersionId, `${where}.codebookVersionId`),
    coderIds: idList(o.coderIds, `${where}.coderIds`),
    ...(o.agreement === undefined ? {} : { agreement: readRoundAgreement(o.agreement, `${where}.agreement`) }),
  };
}

/**
 * The rounds, versions and purpose of a parsed project document, checked against its answers: a round's
 * answers must be in the file and its version among the versions; a second coder's file names one round of
 * its own (or none, when the project had no rounds).
 */
export function readRoundsPart(
  o: Record<string, unknown>,
  answerIds: ReadonlySet<string>,
): { rounds: ExchangeRound[]; codebookVersions: ExchangeCodebookVersion[]; purpose?: ProjectFilePurpose; roundId?: string } {
  const codebookVersions =
    o.codebookVersions === undefined ? [] : readList(o.codebookVersions, 'codebookVersions').map((v, i) => readCodebookVersion(v, `codebookVersions[${i}]`));
  const versionIds = uniqueIds(
    codebookVersions.map((v) => v.id),
    (i) => `codebookVersions[${i}]`,
  );
  const rounds = o.rounds === undefined ? [] : readList(o.rounds, 'rounds').map((r, i) => readRound(r, `rounds[${i}]`));
  const roundIds = uniqueIds(
    rounds.map((r) => r.id),
    (i) => `rounds[${i}]`,
  );
  rounds.forEach((r, i) => {
    if (!versionIds.has(r.codebookVersionId)) {
      throw new ExchangeError(
        `rounds[${i}].codebookVersionId ${JSON.stringify(r.codebookVersionId)} is not among the codebook versions.`,
        `rounds[${i}].codebookVersionId`,
      );
    }
    r.answerIds.forEach((id, j) => {
      if (!answerIds.has(id)) throw new ExchangeError(`rounds[${i}].answerIds[${j}] is not an answer in this file.`, `rounds[${i}].answerIds[${j}]`);
    });
  });
  if (o.purpose === undefined) {
    if (o.roundId !== undefined) throw new ExchangeError('"roundId" is only written in a file for a second coder ("purpose": "second-coder").', 'roundId');
    return { rounds, codebookVersions };
  }
  if (o.purpose !== SECOND_CODER_PURPOSE) {
    throw new ExchangeError(`"purpose" must be "${SECOND_CODER_PURPOSE}" when present, but it is ${describe(o.purpose)}.`, 'purpose');
  }
  if (o.roundId === undefined) return { rounds, codebookVersions, purpose: SECOND_CODER_PURPOSE };
  const roundId = readId(o.roundId, 'roundId');
  if (!roundIds.has(roundId)) throw new ExchangeError(`"roundId" ${JSON.stringify(roundId)} is not among the rounds.`, 'roundId');
  return { rounds, codebookVersions, purpose: SECOND_CODER_PURPOSE, roundId };
}
