/**
 * A code's place in the tree as one label, "Rewards › Career": the one way
 * every table, export and report names a subcode, so the same code never
 * reads "Rewards > Career" in one file and "Rewards / Career" in another.
 */

/** The separator between a code and its parent's name: a single right-pointing angle quotation mark, spaced. */
export const CODE_PATH_SEPARATOR = ' › ';

/** What {@link codePath} needs of a code. */
export interface CodePathNode {
  id: string;
  name: string;
  parentId: string | null;
}

/**
 * The names from the root down to the code, joined by `separator`. A code
 * not in the map reads as its id; a parent id that names no code ends the
 * path there (the code then reads as if it were a root); a cycle in stored
 * parent ids stops at the first code seen twice, so this always returns.
 */
export function codePath(codeId: string, codesById: ReadonlyMap<string, CodePathNode>, separator = CODE_PATH_SEPARATOR): string {
  const names: string[] = [];
  const seen = new Set<string>();
  let id: string | null = codeId;
  while (id !== null && !seen.has(id)) {
    seen.add(id);
    const code = codesById.get(id);
    if (!code) {
      // Only the code asked about is named by its id: a missing ancestor is left out rather than shown as an id.
      if (names.length === 0) names.push(id);
      break;
    }
    names.push(code.name);
    id = code.parentId;
  }
  return names.reverse().join(separator);
}
