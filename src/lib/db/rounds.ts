/**
 * Double-coding rounds and codebook versions. A round is stored with the
 * codebook version it froze in one transaction, so a round never points at a
 * version that is not there. Neither is part of the undo history: a round is
 * drawn once and deleted deliberately (its version stays, other rounds or the
 * diff may use it).
 */
import { answerId, type CodebookVersion, type Round, type RoundAgreement } from '../model/types';
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

/**
 * Stores a round's agreement and, when the codebook changed since the latest version, the version frozen for its
 * code ids, in one transaction; records the coders compared when the round has none yet. The round and the
 * versions are read inside the transaction and `decide` chooses on them (null: store nothing), so a record or
 * version written meanwhile (another view, another tab) is neither lost nor numbered twice. Returns the updated
 * round and the new version, or null when nothing was written (the round is gone, or `decide` said no).
 */
export async function saveRoundAgreement(
  db: CodebenchDatabase,
  projectId: string,
  roundId: string,
  decide: (round: Round, versions: CodebookVersion[]) => { agreement: RoundAgreement; version?: CodebookVersion } | null,
): Promise<{ round: Round; version?: CodebookVersion } | null> {
  return writeTransaction(db, [db.rounds, db.codebookVersions, db.projects], async () => {
    const round = await db.rounds.get([projectId, roundId]);
    if (!round) return null;
    const versions = await loadCodebookVersions(db, projectId);
    const chosen = decide(round, versions);
    if (!chosen) return null;
    const updated: Round = {
      ...round,
      coderIds: round.coderIds.length > 0 ? round.coderIds : chosen.agreement.coderIds.slice(0, 2),
      agreement: chosen.agreement,
    };
    if (chosen.version) await db.codebookVersions.put(chosen.version);
    await db.rounds.put(updated);
    await db.projects.update(projectId, { updatedAt: Date.now() });
    return chosen.version ? { round: updated, version: chosen.version } : { round: updated };
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

/**
 * The ids of the answers a round may be drawn from, column-wise, in the
 * project's listed order: the given questions in order, each question's answers
 * wave by wave (in `waveOrder`) in import order. IndexedDB returns whole chunk
 * records, so texts are read, but only the respondent ids are kept: 100k
 * answers' texts are not held while drawing.
 */
export async function loadAnswerKeys(
  db: CodebenchDatabase,
  projectId: string,
  questionIds: readonly string[],
  waveOrder: readonly string[],
): Promise<{ answerIds: string[]; questionIds: string[]; waveIds: string[]; respondentIds: string[] }> {
  const rank = new Map(waveOrder.map((id, i) => [id, i]));
  const keys = { answerIds: [] as string[], questionIds: [] as string[], waveIds: [] as string[], respondentIds: [] as string[] };
  for (const questionId of questionIds) {
    const chunks: { waveId: string; index: number; respondentIds: string[] }[] = [];
    await db.answerChunks
      .where('[projectId+questionId]')
      .equals([projectId, questionId])
      .each((chunk) => chunks.push({ waveId: chunk.waveId, index: chunk.index, respondentIds: chunk.respondentIds }));
    chunks.sort((a, b) => (rank.get(a.waveId) ?? 1e9) - (rank.get(b.waveId) ?? 1e9) || a.index - b.index);
    for (const chunk of chunks) {
      for (const respondentId of chunk.respondentIds) {
        keys.answerIds.push(answerId(questionId, chunk.waveId, respondentId));
        keys.questionIds.push(questionId);
        keys.waveIds.push(chunk.waveId);
        keys.respondentIds.push(respondentId);
      }
    }
  }
  return keys;
}
