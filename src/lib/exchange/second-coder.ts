/**
 * The project file a second coder starts from ("Share for a second coder"):
 * the answers, attributes, waves and questions, the codebook the round is
 * coded with, and the round — and nothing derived from anyone's coding: no
 * codings, memos, coders, resolutions, themes or history. The backup (the
 * whole project file) still carries everything.
 *
 * With a round, the file holds the round's answers only (and the respondents
 * who gave them) and the codebook of the round's version; without one, every
 * answer and the current codebook.
 */
import { ExchangeError } from './exchange-error';
import type { ProjectFileInput } from './project-file';
import { SECOND_CODER_PURPOSE } from './round-records';

export function secondCoderFileInput(data: ProjectFileInput, roundId: string | null): ProjectFileInput {
  const base: ProjectFileInput = {
    exportedAt: data.exportedAt,
    project: { ...data.project },
    waves: data.waves,
    questions: data.questions,
    attributes: data.attributes,
    respondents: data.respondents,
    answers: data.answers,
    codes: data.codes,
    coders: [],
    codings: [],
    memos: [],
    purpose: SECOND_CODER_PURPOSE,
  };
  if (roundId === null) return base;
  const round = data.rounds?.find((r) => r.id === roundId);
  if (!round) throw new ExchangeError('That round is no longer in the project.');
  const version = data.codebookVersions?.find((v) => v.id === round.codebookVersionId);
  if (!version) throw new ExchangeError(`The codebook version of round “${round.name}” is missing, so the file cannot be written.`);
  const inRound = new Set(round.answerIds);
  const answers = data.answers.filter((a) => inRound.has(a.id));
  const respondentIds = new Set(answers.map((a) => a.respondentId));
  return {
    ...base,
    respondents: data.respondents.filter((r) => respondentIds.has(r.id)),
    answers,
    // The codebook the round is coded with: the version it froze, not codes added since.
    codes: version.codes,
    codebookVersions: [version],
    // Which coders the round compares is the lead's business: the second coder registers themselves.
    // nor the agreement measured on it, which rests on the first coder's codings.
    rounds: [{ ...withoutAgreement(round), coderIds: [] }],
    roundId: round.id,
  };
}

function withoutAgreement<T extends { agreement?: unknown }>(round: T): Omit<T, 'agreement'> {
  const { agreement: _agreement, ...rest } = round;
  return rest;
}
