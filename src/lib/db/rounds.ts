/**
 * Double-coding rounds and codebook versions. A round is stored with the
 * codebook version it froze in one transaction, so a round never points at a
 * version that is not there. Neither is part of the undo history: a round is
 * drawn once and deleted deliberately (its version stays, other rounds or the
 * diff may use it).
 */
import type { CodebookVersion, Round } from '../model/types';
import type { CodebenchDatabase } from './schema';
import { writeTransaction } from './database';

/** The project's rounds in the order they were drawn. */
export async function loadRounds(db: CodebenchDatabase, projectId: string): Promise<Round[]> {
  return (await db.rounds.where('projectId').equals(projectId).toArray()).sort((a, b) => a.number - b.number);
}

/** The project's codebook versions, oldest first. */
export async function loadCodebookVersions(db: CodebenchDatabase, projectId: string): Promise<CodebookVersion[]> {
  return (await db.codebookVersions.where('projectId').equals(projectId).toArray()).sort((a, b) => a.number - b.number);
}

/** Stores a codebook version on its own (the lead froze the codebook without drawing a round). */
export async function saveCodebookVersion(db: CodebenchDatabase, version: CodebookVersion): Promise<void> {
  await writeTransaction(db, [db.codebookVersions, db.projects], async () => {
    await db.codebookVersions.put(version);
    await db.projects.update(version.projectId, { updatedAt: Date.now() });
  });
}

/** Stores a round and, when it froze a new one, its codebook version, together. */
export async function saveRound(db: CodebenchDatabase, round: Round, version?: CodebookVersion): Promise<void> {
  await writeTransaction(db, [db.rounds, db.codebookVersions, db.projects], async () => {
    if (version) await db.codebookVersions.put(version);
    await db.rounds.put(round);
    await db.projects.update(round.projectId, { updatedAt: Date.now() });
  });
}

export async function deleteRound(db: CodebenchDatabase, projectId: string, roundId: string): Promise<void> {
  await writeTransaction(db, [db.rounds, db.projects], async () => {
    await db.rounds.delete([projectId, roundId]);
    await db.projects.update(projectId, { updatedAt: Date.now() });
  });
}

/** Chooses the coder whose codings the Final set takes where only one coder coded or nothing is adjudicated yet. */
export async function setPrimaryCoder(db: CodebenchDatabase, projectId: string, coderId: string): Promise<void> {
  await writeTransaction(db, [db.projects], async () => {
    await db.projects.update(projectId, { primaryCoderId: coderId, updatedAt: Date.now() });
  });
}
