/**
 * Records derived from a project's data, valid for one revision of it (see DerivedRecord in schema.ts).
 * A reader gets a record only when it was made from the project's current revision; a writer stores one only
 * when the revision it was made from is still current, checked in the same transaction, so a record made while
 * another write landed is dropped rather than kept stale.
 */
import type { CodebenchDatabase } from './schema';

/** The project's current revision ('' for a project never changed since revisions began; undefined if absent). */
export async function projectRevision(db: CodebenchDatabase, projectId: string): Promise<string | undefined> {
  const project = await db.projects.get(projectId);
  return project ? (project.revision ?? '') : undefined;
}

/** The record under `key` when it was made from the project's current revision, with that revision. */
export async function readDerived<T>(db: CodebenchDatabase, projectId: string, key: string): Promise<{ revision: string; value: T } | null> {
  return db.transaction('r', [db.projects, db.derived], async () => {
    const [revision, record] = await Promise.all([projectRevision(db, projectId), db.derived.get([projectId, key])]);
    if (revision === undefined || !record || record.revision !== revision) return null;
    return { revision, value: record.value as T };
  });
}

/**
 * Stores `value` under `key` as made from `revision`; false (and nothing written) when the project has moved on
 * or is gone. A failure to write is the caller's to log: a derived record is only ever a shortcut.
 */
export async function writeDerived(db: CodebenchDatabase, projectId: string, key: string, revision: string, value: unknown): Promise<boolean> {
  return db.transaction('rw', [db.projects, db.derived], async () => {
    if ((await projectRevision(db, projectId)) !== revision) return false;
    await db.derived.put({ projectId, key, revision, value });
    return true;
  });
}
