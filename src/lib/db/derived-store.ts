/**
 * Records derived from a project's data, valid for one revision of it (see DerivedRecord in schema.ts).
 * A reader gets a record only when it was made from the project's current revision, so a stale record is never
 * used; a writer stores one only when the revision it was made from is still current.
 */
import type { CodebenchDatabase } from './schema';

/**
 * What a derived record is made from: 'all' of the project (any write moves it), or only its 'answers'
 * (respondents, questions, waves too; an import moves it, coding does not).
 */
export type DerivedScope = 'all' | 'answers';

/** The project's current revision ('' for a project never changed since revisions began; undefined if absent). */
export async function projectRevision(db: CodebenchDatabase, projectId: string, scope: DerivedScope = 'all'): Promise<string | undefined> {
  const project = await db.projects.get(projectId);
  if (!project) return undefined;
  return (scope === 'answers' ? project.answersRevision : project.revision) ?? '';
}

/** The record under `key` when it was made from the project's current revision, with that revision. */
export async function readDerived<T>(
  db: CodebenchDatabase,
  projectId: string,
  key: string,
  scope: DerivedScope = 'all',
): Promise<{ revision: string; value: T } | null> {
  const { revision, value } = await readDerivedAt<T>(db, projectId, key, scope);
  return revision === undefined || value === null ? null : { revision, value };
}

/**
 * Stores `value` under `key` as made from `revision`; false (and nothing written) when the project has moved on
 * or is gone. A failure to write is the caller's to log: a derived record is only ever a shortcut.
 */
export async function writeDerived(
  db: CodebenchDatabase,
  projectId: string,
  key: string,
  revision: string,
  value: unknown,
  scope: DerivedScope = 'all',
): Promise<boolean> {
  // Checked first and written in a transaction of the derived store alone: a large record (the analysis worker's
  // columns) written with the projects store in scope held back every read of a project, a reopen's first. A
  // revision that moves in between only leaves a record no reader takes, since each reads it at its own revision.
  if ((await projectRevision(db, projectId, scope)) !== revision) return false;
  await db.derived.put({ projectId, key, revision, value });
  return true;
}

/**
 * The project's current revision (undefined when there is no such project) with the record under `key` when it
 * was made from it (else null): what an opener needs both to show a derived record and to write a new one later.
 */
export async function readDerivedAt<T>(
  db: CodebenchDatabase,
  projectId: string,
  key: string,
  scope: DerivedScope = 'all',
): Promise<{ revision: string | undefined; value: T | null }> {
  return db.transaction('r', [db.projects, db.derived], async () => {
    const [revision, record] = await Promise.all([projectRevision(db, projectId, scope), db.derived.get([projectId, key])]);
    return { revision, value: revision !== undefined && record?.revision === revision ? (record.value as T) : null };
  });
}
