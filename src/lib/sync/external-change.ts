/**
 * Between the team's state (materialize.ts) and what this browser holds, both as SyncedState:
 * - `externalChange`: what the team changed since the state last taken in, in the project's own terms (codes and
 *   codings as a Change, the rest by kind), for one transaction into IndexedDB;
 * - `heldPushes`: what this browser holds that changed here (it differs from the last state taken in) and that the
 *   team does not have yet: rounds, codebook versions, the primary coder, and what a coder file merged here. Only
 *   what changed here is sent, so a coding another coder deleted is never put back from a stale copy.
 */
import type { Change } from '../coding/change';
import type { Code, CodebookVersion, Coder, Coding, Resolution, Round, Theme } from '../model/types';
import { deepEqual, type SyncedMemo } from './layout';
import { codingGroupsOf, type SyncedState } from './materialize';
import { writeChange, writeCodebookVersions, writeCoders, writeMemos, writeProjectMeta, writeRounds, type SpaceDocs } from './project-doc';

/** What the team changed, in the project's own terms. */
export interface ExternalChange {
  change: Change;
  memos: { put: (SyncedMemo & { projectId: string })[]; delete: string[] };
  coders: { put: Coder[]; delete: string[] };
  rounds: { put: Round[]; delete: string[] };
  codebookVersions: { put: CodebookVersion[]; delete: string[] };
  project: { name?: string; primaryCoderId?: string };
}

interface Delta<T> {
  put: T[];
  delete: T[];
}

function delta<T>(before: readonly T[], after: readonly T[], key: (item: T) => string): Delta<T> {
  const old = new Map<string, T>();
  for (const item of before) old.set(key(item), item);
  const put: T[] = [];
  const seen = new Set<string>();
  for (const item of after) {
    const k = key(item);
    seen.add(k);
    const was = old.get(k);
    // The same object: a space the materialize cache reused (most of them, after a remote change to one).
    if (was === undefined || (was !== item && !deepEqual(was, item))) put.push(item);
  }
  const gone: T[] = [];
  for (const [k, item] of old) if (!seen.has(k)) gone.push(item);
  return { put, delete: gone };
}

const byIdKey = (item: { id: string }) => item.id;

/**
 * The codings' delta: by coder space when both states were materialized with the cache, skipping every space whose
 * codings are the same array in both (a remote change touches one or two of 20), else over all codings.
 */
function codingsDelta(before: SyncedState, after: SyncedState): Delta<SyncedState['codings'][number]> {
  const old = codingGroupsOf(before);
  const now = codingGroupsOf(after);
  if (!old || !now) return delta(before.codings, after.codings, byIdKey);
  const out: Delta<SyncedState['codings'][number]> = { put: [], delete: [] };
  for (const coderId of new Set([...old.keys(), ...now.keys()])) {
    const was = old.get(coderId) ?? [];
    const is = now.get(coderId) ?? [];
    if (was === is) continue;
    const part = delta(was, is, byIdKey);
    out.put.push(...part.put);
    out.delete.push(...part.delete);
  }
  return out;
}
const withProject = <T extends object>(projectId: string, items: readonly T[]) => items.map((item) => ({ ...item, projectId }));

/** The team's changes from `before` to `after`, for the project `projectId`; `empty` when there are none. */
export function externalChange(projectId: string, before: SyncedState, after: SyncedState): { change: ExternalChange; empty: boolean; heldChanged: boolean } {
  const codes = delta(before.codes, after.codes, byIdKey);
  const codings = codingsDelta(before, after);
  const resolutions = delta(before.resolutions, after.resolutions, (r) => r.answerId);
  const themes = delta(before.themes, after.themes, byIdKey);
  const memos = delta(before.memos, after.memos, byIdKey);
  const coders = delta(before.coders, after.coders, byIdKey);
  const rounds = delta(before.rounds, after.rounds, byIdKey);
  const versions = delta(before.codebookVersions, after.codebookVersions, byIdKey);
  const project: { name?: string; primaryCoderId?: string } = {};
  if (after.project.name !== undefined && after.project.name !== before.project.name) project.name = after.project.name;
  if (after.project.primaryCoderId !== undefined && after.project.primaryCoderId !== before.project.primaryCoderId) {
    project.primaryCoderId = after.project.primaryCoderId;
  }
  const change: ExternalChange = {
    change: {
      putCodes: withProject(projectId, codes.put) as Code[],
      deleteCodes: withProject(projectId, codes.delete) as Code[],
      putCodings: withProject(projectId, codings.put) as Coding[],
      deleteCodings: withProject(projectId, codings.delete) as Coding[],
      putResolutions: withProject(projectId, resolutions.put) as Resolution[],
      deleteResolutions: withProject(projectId, resolutions.delete) as Resolution[],
      putThemes: withProject(projectId, themes.put) as Theme[],
      deleteThemes: withProject(projectId, themes.delete) as Theme[],
    },
    memos: { put: withProject(projectId, memos.put), delete: memos.delete.map(byIdKey) },
    coders: { put: withProject(projectId, coders.put) as Coder[], delete: coders.delete.map(byIdKey) },
    rounds: { put: withProject(projectId, rounds.put) as Round[], delete: rounds.delete.map(byIdKey) },
    codebookVersions: { put: withProject(projectId, versions.put) as CodebookVersion[], delete: versions.delete.map(byIdKey) },
    project,
  };
  const sizes = [codes, codings, resolutions, themes, memos, coders, rounds, versions].reduce((n, d) => n + d.put.length + d.delete.length, 0);
  const heldChanged = rounds.put.length + rounds.delete.length + versions.put.length + versions.delete.length > 0 || Object.keys(project).length > 0;
  return { change, empty: sizes === 0 && Object.keys(project).length === 0, heldChanged };
}

/** Items of `held` changed here (unlike `baseline`) that the team does not have as they are (unlike `team`). */
function changedHere<T>(baseline: readonly T[], team: readonly T[], held: readonly T[], key: (item: T) => string): T[] {
  const base = new Map(baseline.map((item) => [key(item), item] as const));
  const theirs = new Map(team.map((item) => [key(item), item] as const));
  return held.filter((item) => {
    const k = key(item);
    const was = base.get(k);
    const has = theirs.get(k);
    return (was === undefined || !deepEqual(was, item)) && (has === undefined || !deepEqual(has, item));
  });
}

/** Items the team still has, that were here at the last comparison, and are gone here: removed here. */
function removedHere<T>(baseline: readonly T[], team: readonly T[], held: readonly T[], key: (item: T) => string): string[] {
  const here = new Set(held.map(key));
  const theirs = new Set(team.map(key));
  return baseline.map(key).filter((k) => !here.has(k) && theirs.has(k));
}

export interface HeldPushes {
  empty: boolean;
  /** Coder spaces the write needs opened (the coders of the codings and memos it sends). */
  coderIds: string[];
  write: (docs: SpaceDocs) => void;
}

/**
 * What to send of what this browser holds: changed here since `baseline` (the state last taken in) and not yet as
 * the team has it (`team`). Rounds and versions removed here are removed for the team; nothing else is removed
 * this way (codings and codes are removed through the workspace's own changes).
 */
export function heldPushes(baseline: SyncedState, team: SyncedState, held: SyncedState): HeldPushes {
  const codes = changedHere(baseline.codes, team.codes, held.codes, byIdKey);
  const codings = changedHere(baseline.codings, team.codings, held.codings, byIdKey);
  const memos = changedHere(baseline.memos, team.memos, held.memos, byIdKey);
  const coders = changedHere(baseline.coders, team.coders, held.coders, byIdKey);
  const rounds = changedHere(baseline.rounds, team.rounds, held.rounds, byIdKey);
  const roundsGone = removedHere(baseline.rounds, team.rounds, held.rounds, byIdKey);
  const versions = changedHere(baseline.codebookVersions, team.codebookVersions, held.codebookVersions, byIdKey);
  const versionsGone = removedHere(baseline.codebookVersions, team.codebookVersions, held.codebookVersions, byIdKey);
  const resolutions = changedHere(baseline.resolutions, team.resolutions, held.resolutions, (r) => r.answerId);
  const themes = changedHere(baseline.themes, team.themes, held.themes, byIdKey);
  const meta: { name?: string; primaryCoderId?: string } = {};
  if (held.project.name !== undefined && held.project.name !== baseline.project.name && held.project.name !== team.project.name) meta.name = held.project.name;
  if (
    held.project.primaryCoderId !== undefined &&
    held.project.primaryCoderId !== baseline.project.primaryCoderId &&
    held.project.primaryCoderId !== team.project.primaryCoderId
  ) {
    meta.primaryCoderId = held.project.primaryCoderId;
  }
  const count =
    codes.length +
    codings.length +
    memos.length +
    coders.length +
    rounds.length +
    roundsGone.length +
    versions.length +
    versionsGone.length +
    resolutions.length +
    themes.length +
    Object.keys(meta).length;
  const coderIds = [...new Set([...codings.map((c) => c.coderId), ...memos.map((m) => m.coderId), ...coders.map((c) => c.id)])];
  return {
    empty: count === 0,
    coderIds,
    write: (docs) => {
      if (codes.length + codings.length + resolutions.length + themes.length > 0) {
        writeChange(docs, {
          putCodes: codes as Code[],
          deleteCodes: [],
          putCodings: codings as Coding[],
          deleteCodings: [],
          putResolutions: resolutions as Resolution[],
          putThemes: themes as Theme[],
        });
      }
      if (memos.length > 0) writeMemos(docs, memos, []);
      if (coders.length > 0) writeCoders(docs, coders);
      if (rounds.length + roundsGone.length > 0)
        writeRounds(
          docs.shared,
          rounds,
          roundsGone.map((id) => ({ id })),
        );
      if (versions.length + versionsGone.length > 0)
        writeCodebookVersions(
          docs.shared,
          versions,
          versionsGone.map((id) => ({ id })),
        );
      if (Object.keys(meta).length > 0) writeProjectMeta(docs.shared, meta);
    },
  };
}
