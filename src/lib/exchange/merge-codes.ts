/** The codes a coder file brings into a project (see merge-plan.ts for the rules). */
import { CODEBOOK_MAX_DEPTH } from '../codebook/codebook-json';
import type { Code } from '../model/types';
import type { CoderFile } from './coder-file';
import { foldName, plainCode, type ExchangeCode } from './records';
import { plural } from './words';
import { keyIncoming } from '../coding/keys';

/** The file's codebook with parents before children, siblings by order. */
function preOrder(codebook: readonly ExchangeCode[]): ExchangeCode[] {
  const ids = new Set(codebook.map((c) => c.id));
  const children = new Map<string | null, ExchangeCode[]>();
  for (const code of codebook) {
    const parent = code.parentId !== null && ids.has(code.parentId) ? code.parentId : null;
    const list = children.get(parent);
    if (list) list.push(code);
    else children.set(parent, [code]);
  }
  for (const list of children.values()) list.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: ExchangeCode[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null) => {
    for (const code of children.get(parent) ?? []) {
      if (seen.has(code.id)) continue;
      seen.add(code.id);
      out.push(code);
      walk(code.id);
    }
  };
  walk(null);
  // Codes in a parent loop are not reached from the top; they still must not be dropped.
  for (const code of codebook) {
    if (seen.has(code.id)) continue;
    seen.add(code.id);
    out.push(code);
    walk(code.id);
  }
  return out;
}

class CodeTree {
  readonly byId = new Map<string, Code>();
  readonly #siblings = new Map<string, { names: Set<string>; maxOrder: number }>();

  constructor(codes: readonly Code[]) {
    for (const code of codes) this.add(code);
  }

  add(code: Code) {
    this.byId.set(code.id, code);
    const s = this.siblings(code.parentId);
    s.names.add(foldName(code.name));
    s.maxOrder = Math.max(s.maxOrder, code.order);
  }

  siblings(parentId: string | null) {
    const key = parentId ?? '';
    let s = this.#siblings.get(key);
    if (!s) this.#siblings.set(key, (s = { names: new Set(), maxOrder: -1 }));
    return s;
  }

  /** Level of a code (top level is 1); a parent loop in local data counts as deep, so nothing goes under it. */
  depth(id: string): number {
    let depth = 0;
    for (let code = this.byId.get(id); code; code = code.parentId === null ? undefined : this.byId.get(code.parentId)) {
      if (++depth > CODEBOOK_MAX_DEPTH) break;
    }
    return depth;
  }
}

/**
 * The codes of the file's codebook this project lacks, placed as the module
 * comment of merge-plan.ts says, and the ids of every code after the merge.
 */
export function planCodes(
  codes: readonly Code[],
  incoming: CoderFile,
  projectId: string,
  warnings: string[],
): { newCodes: Code[]; codeIds: ReadonlySet<string> } {
  const tree = new CodeTree(codes);
  const newCodes: Code[] = [];
  const renamedHere: string[] = [];
  for (const code of preOrder(incoming.codebook)) {
    const local = tree.byId.get(code.id);
    if (local) {
      if (local.name !== code.name) renamedHere.push(`${JSON.stringify(code.name)} is ${JSON.stringify(local.name)} here`);
      continue;
    }
    let parentId = code.parentId !== null && tree.byId.has(code.parentId) ? code.parentId : null;
    if (parentId !== null && tree.depth(parentId) >= CODEBOOK_MAX_DEPTH) {
      warnings.push(
        `The code ${JSON.stringify(code.name)} was added at the top level: under its parent it would be nested more than ${CODEBOOK_MAX_DEPTH} levels deep.`,
      );
      parentId = null;
    }
    const siblings = tree.siblings(parentId);
    let name = code.name.trim();
    if (siblings.names.has(foldName(name))) {
      const base = name;
      const who = incoming.coder.name.trim() || 'imported';
      name = `${base} (${who})`;
      for (let n = 2; siblings.names.has(foldName(name)); n++) name = `${base} (${who} ${n})`;
      warnings.push(`The code ${JSON.stringify(base)} was added as ${JSON.stringify(name)}: a different code here has that name.`);
    }
    const added: Code = { projectId, ...plainCode(code), parentId, name, order: siblings.maxOrder + 1 };
    tree.add(added);
    newCodes.push(added);
  }
  if (renamedHere.length > 0) {
    warnings.push(
      `${plural(renamedHere.length, 'code is', 'codes are')} named differently in ${incoming.coder.name}'s codebook; the names here are kept (${renamedHere.slice(0, 3).join('; ')}${renamedHere.length > 3 ? '; …' : ''}).`,
    );
  }
  // The codes here keep their keys; a new code keeps the coder's key for it only where that is free.
  return { newCodes: keyIncoming(codes, newCodes), codeIds: new Set(tree.byId.keys()) };
}
