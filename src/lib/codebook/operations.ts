/**
 * Every codebook and coding operation as a pure function: it reads the current
 * state and returns a ReversibleChange (what to put and delete, and how to undo
 * it) without touching its input. `applyChange` folds a change into a state.
 *
 * Rules kept by every operation:
 * - Names are trimmed; two codes under the same parent may not share a name
 *   (ignoring case). Top-level codes are siblings per project.
 * - `order` among siblings is dense and unique (0..n-1) after every operation
 *   that changes a sibling list; only codes whose `order` really changes are
 *   written.
 * - Codes nest at most CODEBOOK_MAX_DEPTH levels, so an exported codebook can
 *   always be imported again.
 * - A change that would do nothing comes back with empty forward and inverse
 *   and a label that says why (see `isNoop`).
 *
 * Decisions (documented for the UI):
 * - mergeCodes: a child of the source whose name clashes with a child of the
 *   target is merged into that child, recursively; the others move under the
 *   target after its own children.
 * - applyCode: a passage that overlaps or touches another passage of the same
 *   code by the same coder in the same answer is joined with it into one
 *   coding (the oldest coding is kept and widened; the others are deleted). A
 *   passage inside an existing one changes nothing. Whole-answer codings and
 *   passages are kept apart.
 * - mergeCodes collapses only identical codings; overlapping passages from the
 *   two codes are kept as they are.
 * - applyCodeToAnswers skips answers where the coder already has that code in
 *   any form (whole answer or a passage).
 *
 * Work is linear in the number of codings (Maps and Sets by id or by identity
 * key), so merging or deleting a code with 200k codings stays fast.
 */
import type { Change, ReversibleChange } from '../coding/change';
import { checkShortcut, firstFreeKey, ShortcutError } from '../coding/keys';
import { newId as randomId, type Code, type Coding } from '../model/types';
import { CODEBOOK_MAX_DEPTH, CODEBOOK_PALETTE } from './codebook-json';

export interface CodingState {
  codes: Code[];
  /** Codings the operation may touch: all codings of the codes involved. */
  codings: Coding[];
}

/** A refusal with a message meant for the user. */
export class CodebookOperationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodebookOperationError';
  }
}

/** Where new ids and timestamps come from; injected so tests are deterministic. */
export interface IdSource {
  newId(): string;
  now(): number;
}

/** Random ids and the wall clock, for the app. */
export const systemIds: IdSource = { newId: randomId, now: () => Date.now() };

type TextField = 'definition' | 'inclusion' | 'exclusion' | 'example';
export type CodeFields = Partial<Pick<Code, 'color' | TextField>>;

// ---------------------------------------------------------------------------
// Applying changes

function applyList<T extends { id: string }>(list: readonly T[], deletes: readonly T[], puts: readonly T[]): T[] {
  if (deletes.length === 0 && puts.length === 0) return list.slice();
  const deleted = new Set<string>();
  for (const item of deletes) deleted.add(item.id);
  const replacements = new Map<string, T>();
  for (const item of puts) replacements.set(item.id, item);
  const out: T[] = [];
  const placed = new Set<string>();
  for (const item of list) {
    if (deleted.has(item.id)) continue;
    const replacement = replacements.get(item.id);
    if (replacement === undefined) out.push(item);
    else if (!placed.has(item.id)) {
      out.push(replacement);
      placed.add(item.id);
    }
  }
  for (const [id, item] of replacements) if (!placed.has(id)) out.push(item);
  return out;
}

/** The state after a change: deletes by id first, then puts (replace by id, or add). New arrays; the input is untouched. */
export function applyChange(state: CodingState, change: Change): CodingState {
  return {
    codes: applyList(state.codes, change.deleteCodes, change.putCodes),
    codings: applyList(state.codings, change.deleteCodings, change.putCodings),
  };
}

/** True when the change writes nothing (the label then says why, e.g. “already applied”). */
export function isNoop(change: ReversibleChange): boolean {
  const f = change.forward;
  return f.putCodes.length + f.deleteCodes.length + f.putCodings.length + f.deleteCodings.length === 0;
}

// ---------------------------------------------------------------------------
// Helpers: names, labels, colours

const q = (name: string) => `“${name}”`;

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function foldName(name: string): string {
  return name.trim().normalize('NFC').toLocaleLowerCase('en');
}

function cleanName(name: unknown): string {
  if (typeof name !== 'string') throw new CodebookOperationError('A code needs a name.');
  const trimmed = name.trim();
  if (trimmed === '') throw new CodebookOperationError('A code needs a name.');
  return trimmed;
}

const HEX6 = /^#[0-9a-f]{6}$/i;

function cleanColor(color: unknown): string {
  const value = typeof color === 'string' ? color.trim() : '';
  if (!HEX6.test(value)) {
    throw new CodebookOperationError(`The colour ${typeof color === 'string' ? q(color) : String(color)} is not of the form #rrggbb (for example #1f78b4).`);
  }
  return value.toLowerCase();
}

/** The palette colour after `color` (the first one when `color` is not from the palette). */
function nextPaletteColor(color: string): string {
  const index = CODEBOOK_PALETTE.indexOf(color.toLowerCase());
  return CODEBOOK_PALETTE[(index + 1) % CODEBOOK_PALETTE.length];
}

/** The palette colour used least among `codes` (earliest in the palette on a tie). */
function leastUsedPaletteColor(codes: readonly Code[]): string {
  const uses = new Map<string, number>(CODEBOOK_PALETTE.map((c) => [c, 0]));
  for (const code of codes) {
    const key = code.color.toLowerCase();
    const n = uses.get(key);
    if (n !== undefined) uses.set(key, n + 1);
  }
  let best = CODEBOOK_PALETTE[0];
  for (const color of CODEBOOK_PALETTE) if ((uses.get(color) ?? 0) < (uses.get(best) ?? 0)) best = color;
  return best;
}

function clampIndex(index: number | undefined, length: number): number {
  if (index === undefined || !Number.isFinite(index)) return length;
  return Math.min(Math.max(Math.floor(index), 0), length);
}

/** Same answer, coder and span: what makes two codings of one code the same. */
function identityKey(c: Pick<Coding, 'answerId' | 'coderId' | 'start' | 'end'>): string {
  return JSON.stringify([c.answerId, c.coderId, c.start, c.end]);
}

function sameCode(a: Code, b: Code): boolean {
  return (
    a.projectId === b.projectId &&
    a.id === b.id &&
    a.parentId === b.parentId &&
    a.name === b.name &&
    a.color === b.color &&
    a.definition === b.definition &&
    a.inclusion === b.inclusion &&
    a.exclusion === b.exclusion &&
    a.example === b.example &&
    a.order === b.order &&
    a.splitFromId === b.splitFromId &&
    a.shortcut === b.shortcut &&
    sameIds(a.mergedFromIds, b.mergedFromIds)
  );
}

function sameIds(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  return (a ?? []).every((id, i) => id === b![i]);
}

/** The target's lineage after `source` is merged into it: the source and whatever had been merged into the source. */
function withMergedFrom(target: Code, source: Code): Code {
  const ids = [...(target.mergedFromIds ?? [])];
  for (const id of [source.id, ...(source.mergedFromIds ?? [])]) if (!ids.includes(id)) ids.push(id);
  return { ...target, mergedFromIds: ids };
}

function sameCoding(a: Coding, b: Coding): boolean {
  return (
    a.projectId === b.projectId &&
    a.id === b.id &&
    a.answerId === b.answerId &&
    a.codeId === b.codeId &&
    a.coderId === b.coderId &&
    a.start === b.start &&
    a.end === b.end &&
    a.createdAt === b.createdAt
  );
}

// ---------------------------------------------------------------------------
// Drafts: a working copy that remembers the original of everything it touches

const ROOT = '\u0000root\u0000';
const groupKey = (projectId: string, parentId: string | null) => (parentId === null ? ROOT + projectId : parentId);
const siblingOrder = (a: Code, b: Code) => a.order - b.order || a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

class CodeDraft {
  private readonly original = new Map<string, Code>();
  private readonly current = new Map<string, Code>();
  private readonly groups = new Map<string, Set<string>>();
  private readonly touched = new Set<string>();

  constructor(codes: readonly Code[]) {
    for (const code of codes) {
      this.original.set(code.id, code);
      this.current.set(code.id, code);
      this.addToGroup(code);
    }
  }

  private addToGroup(code: Code) {
    const key = groupKey(code.projectId, code.parentId);
    let set = this.groups.get(key);
    if (!set) this.groups.set(key, (set = new Set()));
    set.add(code.id);
  }

  private removeFromGroup(code: Code) {
    this.groups.get(groupKey(code.projectId, code.parentId))?.delete(code.id);
  }

  get(id: string | null | undefined): Code | undefined {
    return id === null || id === undefined ? undefined : this.current.get(id);
  }

  require(id: string, missing = 'That code no longer exists.'): Code {
    const code = this.get(id);
    if (!code) throw new CodebookOperationError(missing);
    return code;
  }

  /** Children of a parent (null: the project's top level), in sibling order. */
  children(projectId: string, parentId: string | null): Code[] {
    const ids = this.groups.get(groupKey(projectId, parentId));
    const out: Code[] = [];
    if (ids) for (const id of ids) out.push(this.current.get(id)!);
    return out.sort(siblingOrder);
  }

  put(code: Code) {
    const before = this.current.get(code.id);
    if (before) this.removeFromGroup(before);
    this.current.set(code.id, code);
    this.addToGroup(code);
    this.touched.add(code.id);
  }

  remove(id: string) {
    const before = this.current.get(id);
    if (!before) return;
    this.removeFromGroup(before);
    this.current.delete(id);
    this.touched.add(id);
  }

  /** Gives the siblings exactly this order, 0..n-1. */
  setOrder(siblings: readonly Code[]) {
    siblings.forEach((code, order) => {
      const latest = this.current.get(code.id)!;
      if (latest.order !== order) this.put({ ...latest, order });
    });
  }

  /** Renumbers a sibling list densely, keeping its present order. */
  renumber(projectId: string, parentId: string | null) {
    this.setOrder(this.children(projectId, parentId));
  }

  /** 1 for a top-level code. */
  depth(code: Code): number {
    let depth = 1;
    const seen = new Set([code.id]);
    for (let p = this.get(code.parentId); p && !seen.has(p.id); p = this.get(p.parentId)) {
      seen.add(p.id);
      depth++;
    }
    return depth;
  }

  /** Levels in the subtree of `code`, itself included (1 for a leaf). */
  height(code: Code, seen = new Set<string>()): number {
    seen.add(code.id);
    let below = 0;
    for (const child of this.children(code.projectId, code.id)) {
      if (!seen.has(child.id)) below = Math.max(below, this.height(child, seen));
    }
    return below + 1;
  }

  /** The code and all its descendants, parents first. */
  subtree(code: Code): Code[] {
    const out: Code[] = [code];
    const seen = new Set([code.id]);
    for (let i = 0; i < out.length; i++) {
      for (const child of this.children(out[i].projectId, out[i].id)) {
        if (!seen.has(child.id)) {
          seen.add(child.id);
          out.push(child);
        }
      }
    }
    return out;
  }

  /** True when `candidate` is `code` or lies below it. */
  isInSubtree(candidate: Code, code: Code): boolean {
    const seen = new Set<string>();
    for (let c: Code | undefined = candidate; c && !seen.has(c.id); c = this.get(c.parentId)) {
      if (c.id === code.id) return true;
      seen.add(c.id);
    }
    return false;
  }

  /** The sibling under `parentId` whose name clashes with `name`, other than the codes in `except`. */
  clash(projectId: string, parentId: string | null, name: string, except: ReadonlySet<string> = new Set()): Code | undefined {
    const folded = foldName(name);
    return this.children(projectId, parentId).find((c) => !except.has(c.id) && foldName(c.name) === folded);
  }

  clashError(existing: Code, parentId: string | null): CodebookOperationError {
    const parent = this.get(parentId);
    return new CodebookOperationError(
      parent ? `There is already a code called ${q(existing.name)} under ${q(parent.name)}.` : `There is already a top-level code called ${q(existing.name)}.`,
    );
  }

  diff(into: Change, inverse: Change) {
    for (const id of this.touched) {
      const before = this.original.get(id);
      const after = this.current.get(id);
      if (before && after) {
        if (sameCode(before, after)) continue;
        into.putCodes.push(after);
        inverse.putCodes.push(before);
      } else if (after) {
        into.putCodes.push(after);
        inverse.deleteCodes.push(after);
      } else if (before) {
        into.deleteCodes.push(before);
        inverse.putCodes.push(before);
      }
    }
  }
}

class CodingDraft {
  private readonly touched = new Map<string, { before: Coding | undefined; after: Coding | undefined }>();

  /** `current` is the coding as it stands now (the original, unless this draft already changed it). */
  update(current: Coding, next: Coding) {
    const entry = this.touched.get(current.id);
    if (entry) entry.after = next;
    else this.touched.set(current.id, { before: current, after: next });
  }

  add(next: Coding) {
    const entry = this.touched.get(next.id);
    if (entry) entry.after = next;
    else this.touched.set(next.id, { before: undefined, after: next });
  }

  remove(current: Coding) {
    const entry = this.touched.get(current.id);
    if (entry) entry.after = undefined;
    else this.touched.set(current.id, { before: current, after: undefined });
  }

  diff(into: Change, inverse: Change) {
    for (const { before, after } of this.touched.values()) {
      if (before && after) {
        if (sameCoding(before, after)) continue;
        into.putCodings.push(after);
        inverse.putCodings.push(before);
      } else if (after) {
        into.putCodings.push(after);
        inverse.deleteCodings.push(after);
      } else if (before) {
        into.deleteCodings.push(before);
        inverse.putCodings.push(before);
      }
    }
  }
}

const blank = (): Change => ({ putCodes: [], deleteCodes: [], putCodings: [], deleteCodings: [] });

function finish(label: string, codes?: CodeDraft, codings?: CodingDraft): ReversibleChange {
  const forward = blank();
  const inverse = blank();
  codes?.diff(forward, inverse);
  codings?.diff(forward, inverse);
  return { label, forward, inverse };
}

const noop = (label: string): ReversibleChange => ({ label, forward: blank(), inverse: blank() });

function depthError(): CodebookOperationError {
  return new CodebookOperationError(`Codes can be nested at most ${CODEBOOK_MAX_DEPTH} levels deep.`);
}

// ---------------------------------------------------------------------------
// Codebook operations

export interface CreateCodeInput {
  name: string;
  parentId: string | null;
  /** "#rrggbb"; by default a child takes its parent's colour and a top-level code the palette colour least used at the top. */
  color?: string;
  definition?: string;
  inclusion?: string;
  exclusion?: string;
  example?: string;
  projectId: string;
  /** Position among the siblings; last by default. */
  index?: number;
}

export function createCode(state: CodingState, ids: IdSource, input: CreateCodeInput): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const name = cleanName(input.name);
  const parent = input.parentId === null ? undefined : draft.require(input.parentId, 'The parent code no longer exists.');
  if (parent && parent.projectId !== input.projectId) throw new CodebookOperationError('The parent code belongs to another project.');
  if (parent && draft.depth(parent) + 1 > CODEBOOK_MAX_DEPTH) throw depthError();
  const existing = draft.clash(input.projectId, input.parentId, name);
  if (existing) throw draft.clashError(existing, input.parentId);
  const siblings = draft.children(input.projectId, input.parentId);
  const color = input.color !== undefined ? cleanColor(input.color) : parent ? parent.color : leastUsedPaletteColor(siblings);
  const code: Code = {
    projectId: input.projectId,
    id: ids.newId(),
    parentId: input.parentId,
    name,
    color,
    definition: input.definition ?? '',
    inclusion: input.inclusion ?? '',
    exclusion: input.exclusion ?? '',
    example: input.example ?? '',
    order: siblings.length,
    // A key of its own from the start, so it never takes one from a code by position.
    shortcut: firstFreeKey(state.codes),
  };
  if (draft.get(code.id)) throw new CodebookOperationError('A new code could not be given a fresh id; please try again.');
  draft.put(code);
  siblings.splice(clampIndex(input.index, siblings.length), 0, code);
  draft.setOrder(siblings);
  return finish(parent ? `Create ${q(name)} under ${q(parent.name)}` : `Create ${q(name)}`, draft);
}

export function renameCode(state: CodingState, codeId: string, name: string): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const code = draft.require(codeId);
  const newName = cleanName(name);
  if (newName === code.name) return noop(`${q(code.name)} already has that name`);
  const existing = draft.clash(code.projectId, code.parentId, newName, new Set([code.id]));
  if (existing) throw draft.clashError(existing, code.parentId);
  draft.put({ ...code, name: newName });
  return finish(`Rename ${q(code.name)} to ${q(newName)}`, draft);
}

const FIELD_WORDS: Record<keyof CodeFields, string> = {
  color: 'the colour',
  definition: 'the definition',
  inclusion: 'the inclusion criteria',
  exclusion: 'the exclusion criteria',
  example: 'the example',
};

export function updateCode(state: CodingState, codeId: string, fields: CodeFields): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const code = draft.require(codeId);
  const next: Code = { ...code };
  const changed: (keyof CodeFields)[] = [];
  if (fields.color !== undefined) {
    next.color = cleanColor(fields.color);
    if (next.color !== code.color) changed.push('color');
  }
  for (const field of ['definition', 'inclusion', 'exclusion', 'example'] as const) {
    const value = fields[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new CodebookOperationError(`${FIELD_WORDS[field]} must be text.`);
    next[field] = value;
    if (value !== code[field]) changed.push(field);
  }
  if (changed.length === 0) return noop(`${q(code.name)} is unchanged`);
  draft.put(next);
  const label =
    changed.length > 1
      ? `Edit ${q(code.name)}`
      : changed[0] === 'color'
        ? `Change the colour of ${q(code.name)}`
        : `Edit ${FIELD_WORDS[changed[0]]} of ${q(code.name)}`;
  return finish(label, draft);
}

/**
 * Gives a code its key ("" clears it). The key is checked against every code of `state`
 * (see checkShortcut); a refusal says why.
 */
export function setCodeShortcut(state: CodingState, codeId: string, key: string): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const code = draft.require(codeId);
  let next: string;
  try {
    next = checkShortcut(state.codes, codeId, key.trim());
  } catch (error) {
    if (!(error instanceof ShortcutError)) throw error;
    const holder = error.takenBy ? draft.get(error.takenBy) : undefined;
    throw new CodebookOperationError(holder ? `${q(error.key)} is already the key of ${q(holder.name)}.` : error.message);
  }
  if (next === (code.shortcut ?? '')) return noop(next ? `${q(code.name)} already has the key ${next}` : `${q(code.name)} has no key`);
  draft.put({ ...code, shortcut: next });
  return finish(next ? `Give ${q(code.name)} the key ${next}` : `Clear the key of ${q(code.name)}`, draft);
}

/** Moves a code (with its subtree) to position `index` among the children of `newParentId` (null: top level). */
export function moveCode(state: CodingState, codeId: string, newParentId: string | null, index: number): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const code = draft.require(codeId);
  const parent = newParentId === null ? undefined : draft.require(newParentId, 'The new parent code no longer exists.');
  if (parent) {
    if (parent.id === code.id) throw new CodebookOperationError('A code cannot be moved under itself.');
    if (parent.projectId !== code.projectId) throw new CodebookOperationError('A code cannot be moved into another project.');
    if (draft.isInSubtree(parent, code)) {
      throw new CodebookOperationError(`${q(code.name)} cannot be moved under its own subcode ${q(parent.name)}.`);
    }
    if (draft.depth(parent) + draft.height(code) > CODEBOOK_MAX_DEPTH) throw depthError();
  }
  const sameParent = code.parentId === newParentId;
  if (!sameParent) {
    const existing = draft.clash(code.projectId, newParentId, code.name, new Set([code.id]));
    if (existing) throw draft.clashError(existing, newParentId);
  }

  const oldSiblings = draft.children(code.projectId, code.parentId).filter((c) => c.id !== code.id);
  const newSiblings = sameParent ? oldSiblings.slice() : draft.children(code.projectId, newParentId);
  const position = clampIndex(index, newSiblings.length);
  const moved: Code = { ...code, parentId: newParentId };
  if (!sameParent) draft.put(moved);
  newSiblings.splice(position, 0, moved);
  if (!sameParent) draft.setOrder(oldSiblings);
  draft.setOrder(newSiblings);

  const result = finish(
    sameParent
      ? `Move ${q(code.name)} to position ${position + 1}`
      : parent
        ? `Move ${q(code.name)} under ${q(parent.name)}`
        : `Move ${q(code.name)} to the top level`,
    draft,
  );
  return isNoop(result) ? noop(`${q(code.name)} is already there`) : result;
}

function groupByCode(codings: readonly Coding[]): Map<string, Coding[]> {
  const byCode = new Map<string, Coding[]>();
  for (const coding of codings) {
    let list = byCode.get(coding.codeId);
    if (!list) byCode.set(coding.codeId, (list = []));
    list.push(coding);
  }
  return byCode;
}

/**
 * Merges `sourceId` into `targetId`: the source's codings move to the target
 * (a coding identical to one the target has collapses into it), its children
 * move under the target, and the source is deleted. A child whose name clashes
 * with a child of the target is merged into that child, recursively.
 */
export function mergeCodes(state: CodingState, sourceId: string, targetId: string): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const source = draft.require(sourceId);
  const target = draft.require(targetId, 'The code to merge into no longer exists.');
  if (source.id === target.id) throw new CodebookOperationError('A code cannot be merged into itself.');
  if (source.projectId !== target.projectId) throw new CodebookOperationError('A code cannot be merged into a code of another project.');
  if (draft.isInSubtree(target, source)) {
    throw new CodebookOperationError(`${q(source.name)} cannot be merged into its own subcode ${q(target.name)}.`);
  }

  const codings = new CodingDraft();
  const byCode = groupByCode(state.codings);
  const keysByCode = new Map<string, Set<string>>();
  const keysOf = (codeId: string) => {
    let keys = keysByCode.get(codeId);
    if (!keys) {
      keys = new Set();
      for (const c of byCode.get(codeId) ?? []) keys.add(identityKey(c));
      keysByCode.set(codeId, keys);
    }
    return keys;
  };
  const stats = { moved: 0, collapsed: 0, subcodesMoved: 0, subcodesMerged: 0 };
  const regroup = new Map<string, { projectId: string; parentId: string | null }>();

  const mergeInto = (from: Code, into: Code) => {
    // Taken out first, so its children no longer see it among their new siblings.
    draft.remove(from.id);
    // A codebook version diff reads this to say "merged" rather than "deleted".
    draft.put(withMergedFrom(draft.require(into.id), from));
    regroup.set(groupKey(from.projectId, from.parentId), { projectId: from.projectId, parentId: from.parentId });

    const keys = keysOf(into.id);
    let intoList = byCode.get(into.id);
    if (!intoList) byCode.set(into.id, (intoList = []));
    for (const coding of byCode.get(from.id) ?? []) {
      const key = identityKey(coding);
      if (keys.has(key)) {
        codings.remove(coding);
        stats.collapsed++;
      } else {
        keys.add(key);
        const moved: Coding = { ...coding, codeId: into.id };
        codings.update(coding, moved);
        intoList.push(moved);
        stats.moved++;
      }
    }
    byCode.delete(from.id);
    keysByCode.delete(from.id);

    const intoDepth = draft.depth(into);
    for (const child of draft.children(from.projectId, from.id)) {
      const counterpart = draft.clash(into.projectId, into.id, child.name);
      if (counterpart) {
        stats.subcodesMerged++;
        mergeInto(child, counterpart);
      } else {
        if (intoDepth + draft.height(child) > CODEBOOK_MAX_DEPTH) throw depthError();
        const last = draft.children(into.projectId, into.id).at(-1);
        draft.put({ ...child, parentId: into.id, order: last ? last.order + 1 : 0 });
        regroup.set(groupKey(into.projectId, into.id), { projectId: into.projectId, parentId: into.id });
        stats.subcodesMoved++;
      }
    }
  };
  mergeInto(source, target);
  for (const { projectId, parentId } of regroup.values()) draft.renumber(projectId, parentId);

  const parts = [stats.moved === 0 && stats.collapsed === 0 ? 'no codings' : `${count(stats.moved, 'coding')} moved`];
  if (stats.collapsed > 0) parts.push(`${stats.collapsed.toLocaleString('en-US')} collapsed`);
  if (stats.subcodesMoved > 0) parts.push(`${count(stats.subcodesMoved, 'subcode')} moved`);
  if (stats.subcodesMerged > 0) parts.push(`${count(stats.subcodesMerged, 'subcode')} merged`);
  return finish(`Merge ${q(source.name)} into ${q(target.name)} (${parts.join(', ')})`, draft, codings);
}

/**
 * Moves the chosen codings of a code to a new code right after it among its
 * siblings. The new code takes the palette colour after the original's.
 * `ids` gives the new code its id (random by default).
 */
export function splitCode(state: CodingState, codeId: string, codingIds: string[], newName: string, ids: IdSource = systemIds): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const code = draft.require(codeId);
  const name = cleanName(newName);
  const existing = draft.clash(code.projectId, code.parentId, name);
  if (existing) throw draft.clashError(existing, code.parentId);
  const wanted = new Set(codingIds);
  if (wanted.size === 0) throw new CodebookOperationError(`Choose the codings of ${q(code.name)} that go to ${q(name)}.`);
  const chosen: Coding[] = [];
  for (const coding of state.codings) {
    if (!wanted.has(coding.id)) continue;
    if (coding.codeId !== code.id) throw new CodebookOperationError(`Some of the chosen codings are not coded with ${q(code.name)}.`);
    chosen.push(coding);
    wanted.delete(coding.id);
  }
  if (wanted.size > 0) throw new CodebookOperationError(`Some of the chosen codings no longer exist.`);

  const created: Code = {
    projectId: code.projectId,
    id: ids.newId(),
    parentId: code.parentId,
    name,
    color: nextPaletteColor(code.color),
    definition: '',
    inclusion: '',
    exclusion: '',
    example: '',
    order: code.order + 1,
    splitFromId: code.id,
    // A fresh key: the original keeps its own, and no other code's key moves.
    shortcut: firstFreeKey(state.codes),
  };
  if (draft.get(created.id)) throw new CodebookOperationError('A new code could not be given a fresh id; please try again.');
  const siblings = draft.children(code.projectId, code.parentId);
  siblings.splice(siblings.findIndex((c) => c.id === code.id) + 1, 0, created);
  draft.put(created);
  draft.setOrder(siblings);

  const codings = new CodingDraft();
  for (const coding of chosen) codings.update(coding, { ...coding, codeId: created.id });
  return finish(`Split ${q(name)} from ${q(code.name)} (${count(chosen.length, 'coding')} moved)`, draft, codings);
}

/** How much a delete takes: `codes` counts the code itself and all its descendants. */
export function countCodingsInSubtree(state: CodingState, codeId: string): { codings: number; codes: number } {
  const draft = new CodeDraft(state.codes);
  const subtree = new Set(draft.subtree(draft.require(codeId)).map((c) => c.id));
  let codings = 0;
  for (const coding of state.codings) if (subtree.has(coding.codeId)) codings++;
  return { codings, codes: subtree.size };
}

/** Deletes a code, its descendants and all their codings. */
export function deleteCode(state: CodingState, codeId: string): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const code = draft.require(codeId);
  const subtree = draft.subtree(code);
  const doomed = new Set(subtree.map((c) => c.id));
  const codings = new CodingDraft();
  let n = 0;
  for (const coding of state.codings) {
    if (doomed.has(coding.codeId)) {
      codings.remove(coding);
      n++;
    }
  }
  for (const c of subtree) draft.remove(c.id);
  draft.renumber(code.projectId, code.parentId);
  const items = [q(code.name)];
  if (subtree.length > 1) items.push(count(subtree.length - 1, 'subcode'));
  if (n > 0) items.push(count(n, 'coding'));
  return finish(`Delete ${listInWords(items)}${n === 0 ? ' (no codings)' : ''}`, draft, codings);
}

// ---------------------------------------------------------------------------
// Coding operations

export interface ApplyCodeInput {
  projectId: string;
  answerId: string;
  codeId: string;
  coderId: string;
  /** Code point offsets, end exclusive; both null for the whole answer. */
  start: number | null;
  end: number | null;
}

function requireCodeFor(draft: CodeDraft, codeId: string, projectId: string): Code {
  const code = draft.require(codeId);
  if (code.projectId !== projectId) throw new CodebookOperationError('That code belongs to another project.');
  return code;
}

function checkSpan(start: number | null, end: number | null) {
  if (start === null && end === null) return;
  if (start === null || end === null) throw new CodebookOperationError('A passage needs both a start and an end.');
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0) {
    throw new CodebookOperationError('A passage must start and end at whole-number positions in the answer.');
  }
  if (end <= start) throw new CodebookOperationError('Select some text to code.');
}

const byAge = (a: Coding, b: Coding) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Applies a code to an answer (whole answer: start and end null) or a passage.
 * An identical coding already present gives an empty change. A passage that
 * overlaps or touches passages of the same code by the same coder in the same
 * answer is joined with them into one coding.
 */
export function applyCode(state: CodingState, ids: IdSource, input: ApplyCodeInput): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const code = requireCodeFor(draft, input.codeId, input.projectId);
  checkSpan(input.start, input.end);
  const mine = state.codings.filter((c) => c.codeId === code.id && c.answerId === input.answerId && c.coderId === input.coderId);
  const whole = input.start === null;
  // An identical passage is not enough to stop here: data from other tools may
  // hold touching passages beside it, which the joining below tidies into one.
  if (whole && mine.some((c) => c.start === null)) return noop(`The answer already has ${q(code.name)}`);
  const codings = new CodingDraft();
  if (whole) {
    codings.add(newCoding(ids, input));
    return finish(`Apply ${q(code.name)} to 1 answer`, undefined, codings);
  }

  let start = input.start!;
  let end = input.end!;
  const spans = mine.filter((c) => c.start !== null && c.end !== null);
  const joined: Coding[] = [];
  const pending = new Set(spans);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of pending) {
      if (c.start! <= end && start <= c.end!) {
        start = Math.min(start, c.start!);
        end = Math.max(end, c.end!);
        joined.push(c);
        pending.delete(c);
        grew = true;
      }
    }
  }
  if (joined.length === 0) {
    codings.add(newCoding(ids, input));
    return finish(`Apply ${q(code.name)} to a passage`, undefined, codings);
  }
  joined.sort(byAge);
  const [kept, ...others] = joined;
  if (others.length === 0 && kept.start === start && kept.end === end) {
    return noop(`This passage is already coded with ${q(code.name)}`);
  }
  codings.update(kept, { ...kept, start, end });
  for (const c of others) codings.remove(c);
  return finish(`Apply ${q(code.name)} to a passage (joined with ${count(joined.length, 'overlapping passage')})`, undefined, codings);
}

function newCoding(ids: IdSource, input: ApplyCodeInput): Coding {
  return {
    projectId: input.projectId,
    id: ids.newId(),
    answerId: input.answerId,
    codeId: input.codeId,
    coderId: input.coderId,
    start: input.start,
    end: input.end,
    createdAt: ids.now(),
  };
}

export function removeCoding(state: CodingState, codingId: string): ReversibleChange {
  const coding = state.codings.find((c) => c.id === codingId);
  if (!coding) throw new CodebookOperationError('That coding no longer exists.');
  const code = state.codes.find((c) => c.id === coding.codeId);
  const codings = new CodingDraft();
  codings.remove(coding);
  const what = code ? q(code.name) : 'a code';
  return finish(coding.start === null ? `Remove ${what} from 1 answer` : `Remove ${what} from a passage`, undefined, codings);
}

export interface WholeAnswerInput {
  projectId: string;
  answerId: string;
  codeId: string;
  coderId: string;
}

/** Adds the coder's whole-answer coding of the code, or removes it if the answer has it. */
export function toggleWholeAnswerCode(state: CodingState, ids: IdSource, input: WholeAnswerInput): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const code = requireCodeFor(draft, input.codeId, input.projectId);
  const present = state.codings.filter(
    (c) => c.codeId === code.id && c.answerId === input.answerId && c.coderId === input.coderId && c.start === null && c.end === null,
  );
  const codings = new CodingDraft();
  if (present.length > 0) {
    for (const c of present) codings.remove(c);
    return finish(`Remove ${q(code.name)} from 1 answer`, undefined, codings);
  }
  codings.add(newCoding(ids, { ...input, start: null, end: null }));
  return finish(`Apply ${q(code.name)} to 1 answer`, undefined, codings);
}

export interface ApplyToAnswersInput {
  projectId: string;
  answerIds: string[];
  codeId: string;
  coderId: string;
}

/**
 * Auto-coding from a search: one change giving each answer a whole-answer
 * coding, skipping answers where the coder already has the code (whole answer
 * or a passage).
 */
export function applyCodeToAnswers(state: CodingState, ids: IdSource, input: ApplyToAnswersInput): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const code = requireCodeFor(draft, input.codeId, input.projectId);
  const answers = [...new Set(input.answerIds)];
  if (answers.length === 0) return noop(`No answers to code with ${q(code.name)}`);
  const has = new Set<string>();
  for (const c of state.codings) if (c.codeId === code.id && c.coderId === input.coderId) has.add(c.answerId);
  const codings = new CodingDraft();
  const now = ids.now();
  let added = 0;
  for (const answerId of answers) {
    if (has.has(answerId)) continue;
    codings.add({ projectId: input.projectId, id: ids.newId(), answerId, codeId: code.id, coderId: input.coderId, start: null, end: null, createdAt: now });
    added++;
  }
  const skipped = answers.length - added;
  if (added === 0) {
    return noop(
      answers.length === 1 ? `The answer already has ${q(code.name)}` : `All ${answers.length.toLocaleString('en-US')} answers already have ${q(code.name)}`,
    );
  }
  return finish(
    `Apply ${q(code.name)} to ${count(added, 'answer')}${skipped > 0 ? ` (${skipped.toLocaleString('en-US')} already had it)` : ''}`,
    undefined,
    codings,
  );
}

export interface AcceptSuggestionsInput {
  projectId: string;
  answerId: string;
  codeIds: readonly string[];
  coderId: string;
}

/**
 * Accepting the assistant's suggestions for one answer: one change giving the answer a whole-answer coding of
 * each code, marked `suggested` (provenance kept in exports), skipping codes the coder already has on it.
 */
export function acceptSuggestions(state: CodingState, ids: IdSource, input: AcceptSuggestionsInput): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const codes = [...new Set(input.codeIds)].map((codeId) => requireCodeFor(draft, codeId, input.projectId));
  const has = new Set(state.codings.filter((c) => c.answerId === input.answerId && c.coderId === input.coderId).map((c) => c.codeId));
  const codings = new CodingDraft();
  const now = ids.now();
  const added: string[] = [];
  for (const code of codes) {
    if (has.has(code.id)) continue;
    codings.add({
      projectId: input.projectId,
      id: ids.newId(),
      answerId: input.answerId,
      codeId: code.id,
      coderId: input.coderId,
      start: null,
      end: null,
      createdAt: now,
      suggested: true,
    });
    added.push(q(code.name));
  }
  if (added.length === 0) return noop(codes.length === 1 ? `The answer already has ${q(codes[0].name)}` : 'The answer already has these codes');
  return finish(`Accept the suggested ${listInWords(added)}`, undefined, codings);
}

export interface PrecodeInput {
  projectId: string;
  /** The coder the codings are kept under (the Assistant coder). */
  coderId: string;
  /** Code id → the answers to give it, whole answer. */
  answersByCode: ReadonlyMap<string, readonly string[]>;
}

/**
 * Pre-coding: the assistant's confident suggestions applied as one undoable change under a coder of their own,
 * skipping answers where that coder already has the code.
 */
export function precodeAnswers(state: CodingState, ids: IdSource, input: PrecodeInput): ReversibleChange {
  const draft = new CodeDraft(state.codes);
  const has = new Set<string>();
  for (const c of state.codings) if (c.coderId === input.coderId) has.add(`${c.codeId}\u001f${c.answerId}`);
  const codings = new CodingDraft();
  const now = ids.now();
  let added = 0;
  let codesUsed = 0;
  for (const [codeId, answerIds] of input.answersByCode) {
    const code = requireCodeFor(draft, codeId, input.projectId);
    let here = 0;
    for (const answerId of new Set(answerIds)) {
      if (has.has(`${code.id}\u001f${answerId}`)) continue;
      codings.add({ projectId: input.projectId, id: ids.newId(), answerId, codeId: code.id, coderId: input.coderId, start: null, end: null, createdAt: now });
      here++;
    }
    added += here;
    if (here > 0) codesUsed++;
  }
  if (added === 0) return noop('Nothing to pre-code: the Assistant already has these codes on these answers');
  return finish(`Pre-code ${count(added, 'coding')} of ${count(codesUsed, 'code')} as the Assistant`, undefined, codings);
}
