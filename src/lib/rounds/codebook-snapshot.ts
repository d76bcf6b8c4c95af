/**
 * Freezing the codebook a round is coded with. A round reuses the latest
 * version when the codebook has not changed since, so drawing a main round
 * after a pilot with the same codes does not multiply identical versions.
 */
import type { Code, CodebookVersion, VersionedCode } from '../model/types';

/** The codes as a version keeps them: without the project, lineage kept, in a stable order (by id). */
export function snapshotCodes(codes: readonly Code[]): VersionedCode[] {
  return codes
    .map((code): VersionedCode => {
      const { projectId: _projectId, ...rest } = code;
      const frozen: VersionedCode = { ...rest };
      if (code.mergedFromIds) frozen.mergedFromIds = [...code.mergedFromIds];
      return frozen;
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A code's fields in a fixed order, so two snapshots compare equal whatever order their keys were written in. */
function canonical(code: VersionedCode): string {
  return JSON.stringify([
    code.id,
    code.parentId,
    code.name,
    code.color,
    code.definition,
    code.inclusion,
    code.exclusion,
    code.example,
    code.order,
    code.mergedFromIds ?? [],
    code.splitFromId ?? null,
  ]);
}

/** True when two snapshots hold the same codes with the same fields. */
export function sameCodebook(a: readonly VersionedCode[], b: readonly VersionedCode[]): boolean {
  if (a.length !== b.length) return false;
  const byId = (codes: readonly VersionedCode[]) => [...codes].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)).map(canonical);
  const left = byId(a);
  const right = byId(b);
  return left.every((entry, i) => entry === right[i]);
}

/**
 * The version a new round is coded with, or the one in force when a round's
 * agreement is computed: the latest when the codebook is the same (nothing to
 * store), otherwise a new one numbered after the latest.
 */
export function versionForRound(
  codes: readonly Code[],
  versions: readonly CodebookVersion[],
  make: { projectId: string; id: string; createdBy: string; at: number; label: string },
): { version: CodebookVersion; isNew: boolean } {
  const snapshot = snapshotCodes(codes);
  const latest = versions.reduce<CodebookVersion | null>((best, v) => (best === null || v.number > best.number ? v : best), null);
  if (latest && sameCodebook(latest.codes, snapshot)) return { version: latest, isNew: false };
  return {
    version: {
      projectId: make.projectId,
      id: make.id,
      number: (latest?.number ?? 0) + 1,
      label: make.label,
      createdAt: make.at,
      createdBy: make.createdBy,
      codes: snapshot,
    },
    isNew: true,
  };
}
