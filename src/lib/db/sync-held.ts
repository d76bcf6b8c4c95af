/**
 * What this browser holds of a project, in the terms team sync compares (lib/sync/materialize.ts SyncedState): the
 * state a first comparison starts from, and what a coder file merged here adds for the team.
 */
import type { SyncedState } from '../sync/materialize';
import { loadCodes, loadCoders, loadCodings, loadMemos, loadResolutions } from './coding-store';
import { loadCodebookVersions, loadRounds } from './rounds';
import type { CodebenchDatabase } from './schema';

function strip<T extends { projectId: string }>(records: readonly T[]): Omit<T, 'projectId'>[] {
  return records.map(({ projectId: _projectId, ...rest }) => rest);
}

export async function readHeldState(db: CodebenchDatabase, projectId: string): Promise<SyncedState> {
  const [project, codes, codings, memos, coders, rounds, versions, resolutions, themes] = await Promise.all([
    db.projects.get(projectId),
    loadCodes(db, projectId),
    loadCodings(db, projectId),
    loadMemos(db, projectId),
    loadCoders(db, projectId),
    loadRounds(db, projectId),
    loadCodebookVersions(db, projectId),
    loadResolutions(db, projectId),
    db.themes.where('projectId').equals(projectId).toArray(),
  ]);
  return {
    codes: strip(codes),
    codings: strip(codings),
    memos: strip(memos),
    coders: strip(coders),
    rounds: strip(rounds),
    codebookVersions: strip(versions),
    resolutions: strip(resolutions),
    themes: strip(themes),
    project: { ...(project?.name !== undefined ? { name: project.name } : {}), ...(project?.primaryCoderId ? { primaryCoderId: project.primaryCoderId } : {}) },
    blind: new Map(),
    conflicts: [],
  };
}
