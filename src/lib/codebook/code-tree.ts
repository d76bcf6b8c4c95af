import type { Code } from '../model/types';

export interface CodeTreeRow {
  code: Code;
  depth: number;
}

/** Codes in display order: each parent followed by its children, siblings by `order`. */
export function codeTree(codes: readonly Code[]): CodeTreeRow[] {
  const children = new Map<string | null, Code[]>();
  const ids = new Set(codes.map((c) => c.id));
  for (const code of codes) {
    // A code whose parent is missing is shown at the top rather than lost.
    const parent = code.parentId !== null && ids.has(code.parentId) ? code.parentId : null;
    const list = children.get(parent) ?? [];
    list.push(code);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  const rows: CodeTreeRow[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const code of children.get(parent) ?? []) {
      if (seen.has(code.id)) continue;
      seen.add(code.id);
      rows.push({ code, depth });
      visit(code.id, depth + 1);
    }
  };
  visit(null, 0);
  return rows;
}
