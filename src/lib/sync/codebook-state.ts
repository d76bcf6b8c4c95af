/**
 * The codebook a shared doc means: its live codes, with every concurrent edit that would break the app's rules
 * (a parent loop, a merge loop, nesting too deep, two codes with one key) settled deterministically, so every
 * replica shows the same tree. materialize.ts builds on it, and writeChange reads it to keep sibling orders as
 * the app saw them.
 *
 * Settling, in this order:
 * 1. Merges: a tombstone with `mergedInto` stands for the code it was merged into, following chains. A chain that
 *    loops (A merged into B on one machine, B into A on another) keeps the smallest id of the loop live, the
 *    others merged into it (`merge-cycle`).
 * 2. Parents: a parent that was deleted puts the code at the top level; a parent merged into T puts it under T.
 *    A loop of parents (A moved under B while B was moved under A) puts the loop's smallest id at the top level
 *    (`parent-cycle`); so does a code that would be its own parent (moved under B while B was merged into it).
 * 3. Depth: walking down from the top level, a code that would sit deeper than CODEBOOK_MAX_DEPTH goes to the top
 *    level with its subtree (`too-deep`).
 * 4. Keys: two live codes with the same key: the smallest id keeps it, the others take the first free key
 *    (`shortcut-taken`).
 * 5. Sibling order: as stored, ties broken by id, renumbered 0..n-1; siblings with the same name (ignoring case)
 *    are all kept and reported (`duplicate-name`), since only a person can tell whether they mean the same.
 */
import { CODEBOOK_MAX_DEPTH } from '../codebook/codebook-json';
import { SHORTCUT_KEYS } from '../coding/keys';
import type { SyncConflict } from './conflicts';
import { byId, type StoredCode, type SyncedCode } from './layout';

/** What a stored code id now means: a live code, or the deleted (or unknown) code its merge chain ends at. */
export interface CodeTarget {
  live: boolean;
  id: string;
}

export interface ResolvedCodebook {
  /** The live codes, sorted by id, with settled parents, keys and dense sibling orders. */
  codes: SyncedCode[];
  byId: ReadonlyMap<string, SyncedCode>;
  /** Every stored code, tombstones included, as read. */
  stored: ReadonlyMap<string, StoredCode>;
  /** What a code id (of a coding, a theme, a parent) stands for now. */
  target(codeId: string): CodeTarget;
  conflicts: SyncConflict[];
}

/** The same folding of names as the codebook operations use for their clash check. */
function foldName(name: string): string {
  return name.trim().normalize('NFC').toLocaleLowerCase('en');
}

function smallest(ids: readonly string[]): string {
  return ids.reduce((min, id) => (id < min ? id : min));
}

export function resolveCodebook(stored: ReadonlyMap<string, StoredCode>): ResolvedCodebook {
  const conflicts: SyncConflict[] = [];
  const ids = [...stored.keys()].sort(byId);

  // 1. Merge chains. Each tombstone with mergedInto has one successor, so a loop is a cycle of a functional
  // graph: found once, whichever id the walk starts from.
  const targets = new Map<string, CodeTarget>();
  const walk = (start: string): CodeTarget => {
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let result: CodeTarget | undefined;
    for (let id = start; result === undefined;) {
      const known = targets.get(id);
      const code = stored.get(id);
      if (known) result = known;
      else if (!code || code.state === 'live' || code.mergedInto === null) {
        result = { live: code?.state === 'live', id };
        targets.set(id, result);
      } else if (onPath.has(id)) {
        const loop = path.slice(onPath.get(id));
        const keptId = smallest(loop);
        result = { live: true, id: keptId };
        for (const member of loop) targets.set(member, result);
        conflicts.push({ kind: 'merge-cycle', codeIds: [...loop].sort(byId), keptId });
      } else {
        onPath.set(id, path.length);
        path.push(id);
        id = code.mergedInto;
      }
    }
    for (const id of path) if (!targets.has(id)) targets.set(id, result);
    return result;
  };
  for (const id of ids) if (!targets.has(id)) walk(id);
  const target = (codeId: string): CodeTarget => targets.get(codeId) ?? { live: false, id: codeId };

  const liveIds = ids.filter((id) => {
    const t = targets.get(id)!;
    return t.live && t.id === id;
  });

  // 2. Parents, then loops among them (again a functional graph: each code has at most one parent).
  const parentOf = new Map<string, string | null>();
  for (const id of liveIds) {
    const storedParent = stored.get(id)!.parentId;
    const parent = storedParent === null ? null : target(storedParent);
    parentOf.set(id, parent?.live ? parent.id : null);
  }
  const visit = new Map<string, 'walking' | 'done'>();
  for (const id of liveIds) {
    const path: string[] = [];
    let current: string | null = id;
    while (current !== null && !visit.has(current)) {
      visit.set(current, 'walking');
      path.push(current);
      current = parentOf.get(current) ?? null;
    }
    if (current !== null && visit.get(current) === 'walking') {
      const loop = path.slice(path.indexOf(current));
      const detachedId = smallest(loop);
      parentOf.set(detachedId, null);
      conflicts.push({ kind: 'parent-cycle', codeIds: [...loop].sort(byId), detachedId });
    }
    for (const p of path) visit.set(p, 'done');
  }

  // 3. Depth, walking down from the top level (every live code is reachable now that loops are broken).
  const childrenOf = new Map<string, string[]>();
  const roots: string[] = [];
  for (const id of liveIds) {
    const parent = parentOf.get(id)!;
    if (parent === null) roots.push(id);
    else {
      let list = childrenOf.get(parent);
      if (!list) childrenOf.set(parent, (list = []));
      list.push(id);
    }
  }
  const queue: Array<[string, number]> = roots.map((id) => [id, 1]);
  for (let i = 0; i < queue.length; i++) {
    const [id, depth] = queue[i];
    for (const child of childrenOf.get(id) ?? []) {
      if (depth + 1 > CODEBOOK_MAX_DEPTH) {
        parentOf.set(child, null);
        conflicts.push({ kind: 'too-deep', codeId: child });
        queue.push([child, 1]);
      } else queue.push([child, depth + 1]);
    }
  }

  const codes: SyncedCode[] = liveIds.map((id) => {
    const { state: _state, mergedInto: _mergedInto, ...code } = stored.get(id)!;
    const out: SyncedCode = { ...code, parentId: parentOf.get(id)! };
    if (code.mergedFromIds) out.mergedFromIds = [...code.mergedFromIds];
    return out;
  });

  // 4. Keys, first come (by id) first served.
  const held = new Set<string>();
  for (const code of codes) if (code.shortcut) held.add(code.shortcut);
  const keptBy = new Map<string, string>();
  for (const code of codes) {
    const key = code.shortcut;
    if (!key) continue;
    const holder = keptBy.get(key);
    if (holder === undefined) {
      keptBy.set(key, code.id);
      continue;
    }
    const given = SHORTCUT_KEYS.find((k) => !held.has(k)) ?? '';
    if (given !== '') held.add(given);
    code.shortcut = given;
    conflicts.push({ kind: 'shortcut-taken', codeId: code.id, key, keptBy: holder, given });
  }

  // 5. Sibling order and names.
  const groups = new Map<string | null, SyncedCode[]>();
  for (const code of codes) {
    let group = groups.get(code.parentId);
    if (!group) groups.set(code.parentId, (group = []));
    group.push(code);
  }
  const duplicates: Extract<SyncConflict, { kind: 'duplicate-name' }>[] = [];
  for (const [parentId, group] of groups) {
    group.sort((a, b) => a.order - b.order || byId(a.id, b.id));
    group.forEach((code, order) => (code.order = order));
    const byName = new Map<string, SyncedCode[]>();
    for (const code of group) {
      const key = foldName(code.name);
      const same = byName.get(key);
      if (same) same.push(code);
      else byName.set(key, [code]);
    }
    for (const same of byName.values()) {
      if (same.length < 2) continue;
      const codeIds = same.map((c) => c.id).sort(byId);
      duplicates.push({ kind: 'duplicate-name', parentId, name: same.find((c) => c.id === codeIds[0])!.name.trim(), codeIds });
    }
  }
  // Groups are met in id order of their first code; sorting makes the report independent of that.
  duplicates.sort((a, b) => byId(a.codeIds[0], b.codeIds[0]));
  conflicts.push(...duplicates);

  const byIdMap = new Map(codes.map((c) => [c.id, c]));
  return { codes, byId: byIdMap, stored, target, conflicts };
}
