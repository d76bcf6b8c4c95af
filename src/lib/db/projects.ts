/** Named operations on projects and their contents: the only way the app reads or writes IndexedDB. */
import type { Attribute, Code, Coder, Project, Question, Wave } from '../model/types';
import { IdIndex } from '../model/id-map';
import { nameKeyed } from '../model/name-keyed';
import { projectTables, type CodebenchDatabase, type RespondentChunk } from './schema';

export interface ProjectOverview {
  project: Project;
  waves: Wave[];
  questions: Question[];
  attributes: Attribute[];
  codes: Code[];
  coders: Coder[];
}

/** Respondents column-wise, as stored: cheap to load and to look up. */
export interface RespondentTable {
  ids: string[];
  /** attribute name → value per respondent, aligned with ids. */
  attributes: Record<string, string[]>;
  waves: string[][];
  /** respondent id → position in the arrays (an IdIndex: 100k ids as Map keys would lengthen every GC pause). */
  positionOf: IdIndex<number>;
}

/** A question's answers, column-wise and in import order (wave by wave). */
export interface AnswerColumns {
  respondentIds: string[];
  waveIds: string[];
  texts: string[];
}

export class ProjectNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectNameError';
  }
}

export async function listProjects(db: CodebenchDatabase): Promise<Project[]> {
  // A project still being staged by an import is nobody's yet (staging.ts).
  const projects = (await db.projects.toArray()).filter((project) => !project.staging);
  return projects.sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function renameProject(db: CodebenchDatabase, projectId: string, name: string): Promise<void> {
  const trimmed = name.trim();
  if (!trimmed) throw new ProjectNameError('A project needs a name.');
  await db.transaction('rw', db.projects, async () => {
    const project = await db.projects.get(projectId);
    if (!project) throw new ProjectNameError('That project no longer exists.');
    await db.projects.put({ ...project, name: trimmed, updatedAt: Date.now() });
  });
}

/** Deletes a project and everything in it, in one transaction. */
export async function deleteProject(db: CodebenchDatabase, projectId: string): Promise<void> {
  await db.transaction('rw', projectTables(db), async () => {
    await db.projects.delete(projectId);
    for (const table of projectTables(db)) {
      if (table === db.projects) continue;
      await table.where('projectId').equals(projectId).delete();
    }
  });
}

export async function loadProjectOverview(db: CodebenchDatabase, projectId: string): Promise<ProjectOverview | undefined> {
  return db.transaction('r', [db.projects, db.waves, db.questions, db.attributes, db.codes, db.coders], async () => {
    const project = await db.projects.get(projectId);
    if (!project || project.staging) return undefined;
    const [waves, questions, attributes, codes, coders] = await Promise.all([
      db.waves.where('projectId').equals(projectId).sortBy('order'),
      db.questions.where('projectId').equals(projectId).sortBy('order'),
      db.attributes.where('projectId').equals(projectId).sortBy('order'),
      db.codes.where('projectId').equals(projectId).toArray(),
      db.coders.where('projectId').equals(projectId).toArray(),
    ]);
    return { project, waves, questions, attributes, codes, coders };
  });
}

export async function loadRespondents(db: CodebenchDatabase, projectId: string): Promise<RespondentTable> {
  return respondentTable(await db.respondentChunks.where('projectId').equals(projectId).sortBy('index'));
}

/** Respondent chunks, in index order, as one table. */
export function respondentTable(chunks: readonly RespondentChunk[]): RespondentTable {
  const ids: string[] = [];
  const waves: string[][] = [];
  // Null prototype: readers look columns up by attribute name, which may be "constructor".
  const attributes = nameKeyed<string[]>();
  for (const chunk of chunks) {
    const offset = ids.length;
    for (const id of chunk.ids) ids.push(id);
    for (const w of chunk.waves) waves.push(w);
    for (const [name, values] of Object.entries(chunk.attributes)) {
      const column = (attributes[name] ??= new Array<string>(offset).fill(''));
      for (const value of values) column.push(value);
    }
    for (const column of Object.values(attributes)) while (column.length < ids.length) column.push('');
  }
  return withPositions({ ids, attributes, waves });
}

/** The table with its id → position lookup. */
export function withPositions(columns: Omit<RespondentTable, 'positionOf'>): RespondentTable {
  const positionOf = new IdIndex<number>((at) => columns.ids[at]);
  for (let i = 0; i < columns.ids.length; i++) positionOf.put(i);
  return { ...columns, positionOf };
}

export async function loadAnswers(db: CodebenchDatabase, projectId: string, questionId: string, waveOrder: string[]): Promise<AnswerColumns> {
  const chunks = await db.answerChunks.where('[projectId+questionId]').equals([projectId, questionId]).toArray();
  const rank = new Map(waveOrder.map((id, i) => [id, i]));
  chunks.sort((a, b) => (rank.get(a.waveId) ?? 1e9) - (rank.get(b.waveId) ?? 1e9) || a.index - b.index);
  const respondentIds: string[] = [];
  const waveIds: string[] = [];
  const texts: string[] = [];
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.texts.length; i++) {
      respondentIds.push(chunk.respondentIds[i]);
      waveIds.push(chunk.waveId);
      texts.push(chunk.texts[i]);
    }
  }
  return { respondentIds, waveIds, texts };
}

/** Every answer of a project, chunk by chunk, all in memory (the import checks read it; the survey grid reads by window). */
export async function loadAllAnswers(
  db: CodebenchDatabase,
  projectId: string,
): Promise<{ questionId: string; waveId: string; respondentIds: string[]; texts: string[] }[]> {
  const chunks = await db.answerChunks.where('projectId').equals(projectId).toArray();
  return chunks.map(({ questionId, waveId, respondentIds, texts }) => ({ questionId, waveId, respondentIds, texts }));
}

/**
 * Every answer chunk's key and respondents, without its texts (`answerKeys`, written with each chunk), one at a
 * time through a cursor, for the survey grid's directory of where each answer is. Walking `answerChunks` read and
 * dropped every text of the project to learn this (the grid phase's page heap at 100k peaked at 0.4–0.9 GB).
 */
export async function eachAnswerChunk(
  db: CodebenchDatabase,
  projectId: string,
  visit: (chunk: { questionId: string; waveId: string; index: number; respondentIds: string[] }) => void,
): Promise<void> {
  await db.answerKeys
    .where('projectId')
    .equals(projectId)
    .each((chunk) => visit(chunk));
}

/** One answer chunk's texts (the grid reads those that cover the rows on screen); undefined when it is gone. */
export async function loadAnswerChunk(
  db: CodebenchDatabase,
  projectId: string,
  questionId: string,
  waveId: string,
  index: number,
): Promise<{ respondentIds: string[]; texts: string[] } | undefined> {
  const chunk = await db.answerChunks.get([projectId, questionId, waveId, index]);
  return chunk && { respondentIds: chunk.respondentIds, texts: chunk.texts };
}
