/**
 * A project's revision: a new random token written in the same transaction as every change to what derived
 * records are made from (answers, respondents, codes, codings, adjudications). Random rather than a counter, so
 * a writer need not read the project first, and two writes in the same millisecond still differ.
 */
import type { CodebenchDatabase } from './schema';
import { newId } from '../model/types';

export function newRevision(): string {
  return newId();
}

/** Marks the project changed (inside the caller's transaction, which must include `db.projects`). */
export async function touchProject(db: CodebenchDatabase, projectId: string, fields: { updatedAt?: number } = {}): Promise<string> {
  const revision = newRevision();
  await db.projects.update(projectId, { updatedAt: fields.updatedAt ?? Date.now(), revision });
  return revision;
}

/** The fields to write when answers, respondents, questions or waves change: both revisions, new. */
export function answersChanged(): { revision: string; answersRevision: string } {
  return { revision: newRevision(), answersRevision: newRevision() };
}
