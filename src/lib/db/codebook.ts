/** Storing codes. Richer codebook editing (merge, split, undo) builds on these in the coding workspace. */
import type { Code } from '../model/types';
import type { CodebenchDatabase } from './schema';
import { touchProject } from './revision';
import { writeTransaction } from './database';
import { keyIncoming } from '../coding/keys';

export class CodebookClashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodebookClashError';
  }
}

/**
 * Adds a codebook's codes to a project as new top-level codes, after those it
 * has. Refuses, storing nothing, when a top-level name is already taken.
 */
export async function addCodes(db: CodebenchDatabase, projectId: string, codes: Code[]): Promise<number> {
  return writeTransaction(db, [db.codes, db.projects], async () => {
    const existing = await db.codes.where('projectId').equals(projectId).toArray();
    const topNames = new Set(existing.filter((c) => c.parentId === null).map((c) => c.name.trim().toLowerCase()));
    const clashes = codes.filter((c) => c.parentId === null && topNames.has(c.name.trim().toLowerCase()));
    if (clashes.length > 0) {
      throw new CodebookClashError(
        `This project already has ${clashes.map((c) => `"${c.name}"`).join(', ')}. ` + 'Nothing was added: rename or remove those codes first.',
      );
    }
    const topCount = existing.filter((c) => c.parentId === null).length;
    // The codes here keep their keys; an added code keeps its own where free, else takes the first free key.
    const placed = keyIncoming(
      existing,
      codes.map((c) => ({ ...c, projectId, order: c.parentId === null ? topCount + c.order : c.order })),
    );
    await db.codes.bulkAdd(placed);
    await touchProject(db, projectId);
    return placed.length;
  });
}
