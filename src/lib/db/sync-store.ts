/**
 * Team sync's storage (issue 17, docs/sync.md): the team a project syncs with, each space's sealed log as this
 * browser last held it, and writing what arrived from the team into the project's own stores. What arrives is not
 * an undoable step of this coder's: it is written beside the history, as a merged coder file is.
 */
import type { ExternalChange } from '../sync/external-change';
import { writeChange } from './coding-store';
import { writeTransaction } from './database';
import { touchProject } from './revision';
import type { CodebenchDatabase, SyncOutboxRecord, SyncSpaceRecord, TeamRecord } from './schema';

export async function loadTeam(db: CodebenchDatabase, projectId: string): Promise<TeamRecord | undefined> {
  return db.teams.get(projectId);
}

export async function saveTeam(db: CodebenchDatabase, team: TeamRecord): Promise<void> {
  await writeTransaction(db, [db.teams], async () => {
    await db.teams.put(team);
  });
}

/** Leaves the team: this browser keeps the project as it is, and forgets the relay, the key, the logs and what was unsent. */
export async function forgetTeam(db: CodebenchDatabase, projectId: string): Promise<void> {
  await writeTransaction(db, [db.teams, db.syncSpaces, db.syncOutbox], async () => {
    await db.teams.delete(projectId);
    await db.syncSpaces.where('projectId').equals(projectId).delete();
    await db.syncOutbox.where('projectId').equals(projectId).delete();
  });
}

/** The project's unsent local writes, oldest first. */
export async function loadOutbox(db: CodebenchDatabase, projectId: string): Promise<SyncOutboxRecord[]> {
  return db.syncOutbox.where('projectId').equals(projectId).toArray();
}

/** Forgets outbox records once the team's spaces hold them sealed and kept. */
export async function removeFromOutbox(db: CodebenchDatabase, seqs: readonly number[]): Promise<void> {
  if (seqs.length > 0) await writeTransaction(db, [db.syncOutbox], () => db.syncOutbox.bulkDelete([...seqs]));
}

export async function loadSpaceStates(db: CodebenchDatabase, projectId: string): Promise<Map<string, Uint8Array>> {
  const records = await db.syncSpaces.where('projectId').equals(projectId).toArray();
  return new Map(records.map((r) => [r.space, r.state]));
}

/** Keeps spaces' sealed logs, all in one transaction. */
export async function saveSpaceStates(db: CodebenchDatabase, projectId: string, states: ReadonlyMap<string, Uint8Array>): Promise<void> {
  if (states.size === 0) return;
  const savedAt = Date.now();
  const records: SyncSpaceRecord[] = [...states].map(([space, state]) => ({ projectId, space, state, savedAt }));
  await writeTransaction(db, [db.syncSpaces], async () => {
    await db.syncSpaces.bulkPut(records);
  });
}

/**
 * Writes what the team changed in one transaction: all of it or, when the write fails, none of it (the sync layer
 * then tries again from the same state, so nothing is half-written and nothing is lost). Returns the project's
 * new revision.
 */
export async function writeExternalChange(db: CodebenchDatabase, projectId: string, external: ExternalChange): Promise<string> {
  const tables = [db.projects, db.codes, db.codingPages, db.resolutions, db.themes, db.memos, db.coders, db.rounds, db.codebookVersions];
  return writeTransaction(db, tables, async () => {
    await writeChange(db, projectId, external.change);
    if (external.memos.delete.length) await db.memos.bulkDelete(external.memos.delete.map((id) => [projectId, id] as [string, string]));
    if (external.memos.put.length) await db.memos.bulkPut(external.memos.put.map((m) => ({ ...m, projectId })));
    if (external.coders.delete.length) await db.coders.bulkDelete(external.coders.delete.map((id) => [projectId, id] as [string, string]));
    if (external.coders.put.length) await db.coders.bulkPut(external.coders.put.map((c) => ({ ...c, projectId })));
    if (external.rounds.delete.length) await db.rounds.bulkDelete(external.rounds.delete.map((id) => [projectId, id] as [string, string]));
    if (external.rounds.put.length) await db.rounds.bulkPut(external.rounds.put.map((r) => ({ ...r, projectId })));
    if (external.codebookVersions.delete.length) {
      await db.codebookVersions.bulkDelete(external.codebookVersions.delete.map((id) => [projectId, id] as [string, string]));
    }
    if (external.codebookVersions.put.length) await db.codebookVersions.bulkPut(external.codebookVersions.put.map((v) => ({ ...v, projectId })));
    const fields: { name?: string; primaryCoderId?: string } = {};
    if (external.project.name !== undefined) fields.name = external.project.name;
    if (external.project.primaryCoderId !== undefined) fields.primaryCoderId = external.project.primaryCoderId;
    if (Object.keys(fields).length > 0) await db.projects.update(projectId, fields);
    return touchProject(db, projectId);
  });
}
