/** A project file as the model's records, ready for the database to restore. */
import type { Answer, Attribute, Code, CodebookVersion, Coder, Coding, Project, Question, Resolution, Round, Theme, Wave } from '../model/types';
import { nameKeyedCopy, nameKeyedFrom } from '../model/name-keyed';
import { sortedRecord } from './canonical';
import type { ExchangeRespondent, ProjectFile } from './project-file';
import type { ProjectMemo } from './records';
import { plainWriteUp, type ExchangeWriteUp } from './write-up-records';

/** The model's records of a project file, with the cached totals recomputed. */
export interface ProjectEntities {
  project: Project;
  waves: Wave[];
  questions: Question[];
  attributes: Attribute[];
  respondents: ExchangeRespondent[];
  answers: Answer[];
  codes: Code[];
  coders: Coder[];
  codings: Coding[];
  memos: ProjectMemo[];
  themes: Theme[];
  resolutions: Resolution[];
  rounds: Round[];
  codebookVersions: CodebookVersion[];
  /** How quotes are published, when the file carries it. */
  writeUp?: ExchangeWriteUp;
}

/** Everything the database needs to restore the project, under `projectId` (the file's own id by default). */
export function projectFileEntities(file: ProjectFile, projectId: string = file.project.id): ProjectEntities {
  const answerCounts = new Map<string, Map<string, number>>();
  for (const a of file.answers) {
    let counts = answerCounts.get(a.questionId);
    if (!counts) answerCounts.set(a.questionId, (counts = new Map()));
    counts.set(a.waveId, (counts.get(a.waveId) ?? 0) + 1);
  }
  const p = file.project;
  return {
    project: {
      id: projectId,
      name: p.name,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      respondentCount: file.respondents.length,
      answerCount: file.answers.length,
    },
    waves: file.waves.map((w) => ({ projectId, ...w })),
    questions: file.questions.map((q) => ({ projectId, ...q, answerCounts: sortedRecord(nameKeyedFrom(answerCounts.get(q.id) ?? [])) })),
    attributes: file.attributes.map((a) => ({ projectId, name: a.name, order: a.order, values: a.values.slice(), ...(a.label ? { label: a.label } : {}) })),
    respondents: file.respondents.map((r) => ({ id: r.id, attributes: nameKeyedCopy(r.attributes), waves: r.waves.slice() })),
    answers: file.answers.map((a) => ({ ...a })),
    codes: file.codes.map((c) => ({ projectId, ...c })),
    coders: file.coders.map((c) => ({ projectId, ...c })),
    codings: file.codings.map((c) => ({ projectId, ...c })),
    memos: file.memos.map((m) => ({ projectId, ...m, target: { ...m.target } })),
    themes: (file.themes ?? []).map((t) => ({ projectId, ...t, codeIds: t.codeIds.slice() })),
    resolutions: (file.resolutions ?? []).map((r) => ({
      projectId,
      ...r,
      coderIds: [r.coderIds[0], r.coderIds[1]] as [string, string],
      codeIds: r.codeIds.slice(),
    })),
    rounds: (file.rounds ?? []).map((r) => ({ projectId, ...r, answerIds: r.answerIds.slice(), coderIds: r.coderIds.slice() })),
    codebookVersions: (file.codebookVersions ?? []).map((v) => ({ projectId, ...v, codes: v.codes.map((c) => ({ ...c })) })),
    ...(file.writeUp ? { writeUp: plainWriteUp(file.writeUp) } : {}),
  };
}
