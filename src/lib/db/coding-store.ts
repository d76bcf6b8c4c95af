/**
 * Codes, codings and the undo history. Every change is one transaction that
 * writes the codes and coding pages it touches and records itself in the
 * history, so undo and redo survive a reload.
 */
import Dexie from 'dexie';
import { IdIndex } from '../model/id-map';
import type { Change, ReversibleChange } from '../coding/change';
import { answerParts, groupByPage, splitPageKey } from '../coding/coding-pages';
import { answerId, type Code, type Coder, type Coding, type Resolution, type Theme } from '../model/types';
import type { CodebenchDatabase, HistoryEntry, Memo, SyncOutboxRecord } from './schema';
import { touchProject } from './revision';
import { writeTransaction } from './database';

/** History kept per project; older steps can no longer be undone. */
export const HISTORY_LIMIT = 1000;

export interface HistoryStatus {
  undoLabel: string | null;
  redoLabel: string | null;
}

/** Every coding of the project, or only those on answers to the given questions (their pages alone are read). */
export async function loadCodings(db: CodebenchDatabase, projectId: string, questionIds?: readonly string[]): Promise<Coding[]> {
  // One question: an equality on the index, which Dexie reads with one getAll; anyOf walks a cursor, a
  // round trip per page (64 per question).
  const pages = questionIds
    ? questionIds.length === 1
      ? await db.codingPages.where('[projectId+questionId]').equals([projectId, questionIds[0]]).toArray()
      : await db.codingPages
          .where('[projectId+questionId]')
          .anyOf(questionIds.map((q) => [projectId, q]))
          .toArray()
    : await db.codingPages.where('projectId').equals(projectId).toArray();
  const codings: Coding[] = [];
  for (const page of pages) for (const coding of page.codings) codings.push(coding);
  return codings;
}

/** The questions that have coding pages, without reading the pages (for loading codings question by question). */
export async function codedQuestionIds(db: CodebenchDatabase, projectId: string): Promise<string[]> {
  const keys = await db.codingPages.where('[projectId+questionId]').between([projectId, Dexie.minKey], [projectId, Dexie.maxKey]).uniqueKeys();
  return keys.map((key) => (key as unknown as [string, string])[1]);
}

/** The project's first question (in questionnaire order), or null when it has none. */
export async function firstQuestionId(db: CodebenchDatabase, projectId: string): Promise<string | null> {
  const questions = await db.questions.where('projectId').equals(projectId).sortBy('order');
  return questions[0]?.id ?? null;
}

export async function loadCodes(db: CodebenchDatabase, projectId: string): Promise<Code[]> {
  return db.codes.where('projectId').equals(projectId).toArray();
}

/**
 * Stores the keys given to codes that had none (code id → key), touching only that field: a quiet upgrade,
 * not an undoable change. A code deleted meanwhile is skipped.
 */
export async function storeCodeKeys(db: CodebenchDatabase, projectId: string, keys: ReadonlyMap<string, string>): Promise<void> {
  await writeTransaction(db, [db.codes], async () => {
    for (const [codeId, shortcut] of keys) await db.codes.update([projectId, codeId], { shortcut });
  });
}

const CHANGE_TABLES = (db: CodebenchDatabase) => [db.codes, db.codingPages, db.history, db.projects, db.resolutions, db.themes];

/**
 * In a team project, keeps the write in the sync outbox in the caller's transaction (see SyncOutboxRecord): it
 * reaches the team even if the page is closed before the team's spaces hold it. One keyed read otherwise.
 */
async function keepForTeam(db: CodebenchDatabase, projectId: string, write: SyncOutboxRecord['write']) {
  if (!(await db.teams.get(projectId))) return;
  await db.syncOutbox.add({ projectId, write });
}

/** Writes a change's codes and codings (inside the caller's transaction). */
export async function writeChange(db: CodebenchDatabase, projectId: string, change: Change) {
  if (change.deleteCodes.length > 0) await db.codes.bulkDelete(change.deleteCodes.map((c) => [projectId, c.id] as [string, string]));
  if (change.putCodes.length > 0) await db.codes.bulkPut(change.putCodes.map((c) => ({ ...c, projectId })));
  if (change.deleteResolutions?.length) await db.resolutions.bulkDelete(change.deleteResolutions.map((r) => [projectId, r.answerId] as [string, string]));
  if (change.putResolutions?.length) await db.resolutions.bulkPut(change.putResolutions.map((r) => ({ ...r, projectId })));
  if (change.deleteThemes?.length) await db.themes.bulkDelete(change.deleteThemes.map((t) => [projectId, t.id] as [string, string]));
  if (change.putThemes?.length) await db.themes.bulkPut(change.putThemes.map((t) => ({ ...t, projectId })));

  const deletions = groupByPage(change.deleteCodings);
  const puts = groupByPage(change.putCodings);
  const keys = new Set([...deletions.keys(), ...puts.keys()]);
  if (keys.size === 0) return;
  const pageKeys = [...keys].map((key) => {
    const { questionId, bucket } = splitPageKey(key);
    return [projectId, questionId, bucket] as [string, string, number];
  });
  const pages = await db.codingPages.bulkGet(pageKeys);
  const updated = [...keys].map((key, i) => {
    const { questionId, bucket } = splitPageKey(key);
    // An IdIndex: coding ids hashed by a native Map stay in V8's string table (see model/id-map.ts).
    const byId = new IdIndex<Coding>((c) => c.id);
    for (const coding of pages[i]?.codings ?? []) byId.put(coding);
    for (const coding of deletions.get(key) ?? []) byId.delete(coding.id);
    for (const coding of puts.get(key) ?? []) byId.put({ ...coding, projectId });
    return { projectId, questionId, bucket, codings: [...byId.values()] };
  });
  await db.codingPages.bulkPut(updated);
}

function isEmpty(change: Change): boolean {
  return (
    change.putCodes.length +
      change.deleteCodes.length +
      change.putCodings.length +
      change.deleteCodings.length +
      (change.putResolutions?.length ?? 0) +
      (change.deleteResolutions?.length ?? 0) +
      (change.putThemes?.length ?? 0) +
      (change.deleteThemes?.length ?? 0) ===
    0
  );
}

/**
 * Applies a user's change and records it for undo; a redo branch is dropped, as in every editor.
 * `historyLimit` is the app's HISTORY_LIMIT; tests pass a small one to prove the pruning without 1,000 commits.
 */
export async function commitChange(
  db: CodebenchDatabase,
  projectId: string,
  change: ReversibleChange,
  historyLimit = HISTORY_LIMIT,
): Promise<string | undefined> {
  if (isEmpty(change.forward)) return undefined;
  return writeTransaction(db, [...CHANGE_TABLES(db), db.teams, db.syncOutbox], async () => {
    await writeChange(db, projectId, change.forward);
    await keepForTeam(db, projectId, { change: change.forward });
    const entries = db.history.where('projectId').equals(projectId);
    const all = await entries.toArray();
    const redoable = all.filter((e) => e.undone).map((e) => [projectId, e.seq] as [string, number]);
    if (redoable.length > 0) await db.history.bulkDelete(redoable);
    const kept = all.filter((e) => !e.undone);
    const seq = (all.at(-1)?.seq ?? 0) + 1;
    const entry: HistoryEntry = { projectId, seq, label: change.label, at: Date.now(), forward: change.forward, inverse: change.inverse, undone: false };
    await db.history.add(entry);
    const excess = kept.length + 1 - historyLimit;
    if (excess > 0) await db.history.bulkDelete(kept.slice(0, excess).map((e) => [projectId, e.seq] as [string, number]));
    return touchProject(db, projectId);
  });
}

export interface AppliedStep {
  label: string;
  /** What was written, so the page can update what it holds without reloading. */
  change: Change;
  /** The project's revision after it (see revision.ts). */
  revision: string;
}

/** Undoes the last step still done; null when there is nothing to undo. */
export async function undo(db: CodebenchDatabase, projectId: string): Promise<AppliedStep | null> {
  return writeTransaction(db, [...CHANGE_TABLES(db), db.teams, db.syncOutbox], async () => {
    const entries = await db.history.where('projectId').equals(projectId).toArray();
    const last = entries.filter((e) => !e.undone).at(-1);
    if (!last) return null;
    await writeChange(db, projectId, last.inverse);
    await keepForTeam(db, projectId, { change: last.inverse });
    await db.history.put({ ...last, undone: true });
    const revision = await touchProject(db, projectId);
    return { label: last.label, change: last.inverse, revision };
  });
}

/** Redoes the first undone step; null when there is nothing to redo. */
export async function redo(db: CodebenchDatabase, projectId: string): Promise<AppliedStep | null> {
  return writeTransaction(db, [...CHANGE_TABLES(db), db.teams, db.syncOutbox], async () => {
    const entries = await db.history.where('projectId').equals(projectId).toArray();
    const next = entries.find((e) => e.undone);
    if (!next) return null;
    await writeChange(db, projectId, next.forward);
    await keepForTeam(db, projectId, { change: next.forward });
    await db.history.put({ ...next, undone: false });
    const revision = await touchProject(db, projectId);
    return { label: next.label, change: next.forward, revision };
  });
}

export async function historyStatus(db: CodebenchDatabase, projectId: string): Promise<HistoryStatus> {
  const entries = await db.history.where('projectId').equals(projectId).toArray();
  return {
    undoLabel: entries.filter((e) => !e.undone).at(-1)?.label ?? null,
    redoLabel: entries.find((e) => e.undone)?.label ?? null,
  };
}

export async function loadResolutions(db: CodebenchDatabase, projectId: string): Promise<Resolution[]> {
  return db.resolutions.where('projectId').equals(projectId).toArray();
}

export async function loadThemes(db: CodebenchDatabase, projectId: string): Promise<Theme[]> {
  return (await db.themes.where('projectId').equals(projectId).toArray()).sort((a, b) => a.order - b.order);
}

export async function loadCoders(db: CodebenchDatabase, projectId: string): Promise<Coder[]> {
  return db.coders.where('projectId').equals(projectId).toArray();
}

export async function ensureCoder(db: CodebenchDatabase, coder: Coder): Promise<void> {
  await writeTransaction(db, [db.coders, db.teams, db.syncOutbox], async () => {
    await db.coders.put(coder);
    await keepForTeam(db, coder.projectId, { coder });
  });
}

export async function loadMemos(db: CodebenchDatabase, projectId: string): Promise<Memo[]> {
  return db.memos.where('projectId').equals(projectId).toArray();
}

/** Memos are notes, not coding: they are saved at once and are not part of the undo history. */
export async function saveMemo(db: CodebenchDatabase, memo: Memo): Promise<void> {
  await writeTransaction(db, [db.memos, db.teams, db.syncOutbox], async () => {
    await db.memos.put(memo);
    await keepForTeam(db, memo.projectId, { memo });
  });
}

export async function deleteMemo(db: CodebenchDatabase, projectId: string, memoId: string): Promise<void> {
  await writeTransaction(db, [db.memos, db.teams, db.syncOutbox], async () => {
    const memo = await db.memos.get([projectId, memoId]);
    await db.memos.delete([projectId, memoId]);
    if (memo) await keepForTeam(db, projectId, { memoDeleted: { id: memoId, coderId: memo.coderId } });
  });
}

/**
 * The texts of some answers (answer id → text), for naming codings by what they coded (the split list). Reads
 * the chunks of the answers' questions only; an answer not found is left out.
 */
export async function loadAnswerTexts(db: CodebenchDatabase, projectId: string, answerIds: readonly string[]): Promise<Map<string, string>> {
  const wanted = new Map<string, Set<string>>();
  for (const id of answerIds) {
    const { questionId } = answerParts(id);
    let ids = wanted.get(questionId);
    if (!ids) wanted.set(questionId, (ids = new Set()));
    ids.add(id);
  }
  const texts = new Map<string, string>();
  for (const [questionId, ids] of wanted) {
    await db.answerChunks
      .where('[projectId+questionId]')
      .equals([projectId, questionId])
      .each((chunk) => {
        for (let i = 0; i < chunk.respondentIds.length; i++) {
          const id = answerId(questionId, chunk.waveId, chunk.respondentIds[i]);
          if (ids.has(id)) texts.set(id, chunk.texts[i]);
        }
      });
  }
  return texts;
}
