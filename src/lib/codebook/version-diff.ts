/**
 * What changed between two codebook versions, in words an author can put in a
 * methods section ("merged X into Y", "sharpened Z's definition").
 *
 * Codes are matched by id: ids are stable across rename, move and edits. A code
 * missing from the newer version was merged when a newer code lists it in
 * `mergedFromIds`, otherwise deleted; a new code was split when its
 * `splitFromId` names a code of either version, otherwise added.
 *
 * Deliberately not reported: colour, and a code's position among its siblings
 * (reordering changes how the list reads, not what a code means or where it
 * sits in the hierarchy). A move is a change of parent only.
 */
import { CODE_PATH_SEPARATOR } from './code-path';
import type { VersionedCode } from '../model/types';
import { toCsv } from '../agreement/csv-cell';

export type CodebookChangeKind = 'added' | 'deleted' | 'renamed' | 'moved' | 'merged' | 'split' | 'definition' | 'inclusion' | 'exclusion' | 'example';

export interface CodebookChange {
  kind: CodebookChangeKind;
  codeId: string;
  /** The code's path of names ("Challenges › Time"): in the older version for deleted and merged codes, the newer otherwise. */
  code: string;
  /**
   * renamed: old name → new name; moved: old parent path → new parent path ("" at the top level);
   * merged: the code merged into (its newer path) in `to`; split: the origin's path in `from`;
   * text fields: old text → new text. Empty where it does not apply.
   */
  from: string;
  to: string;
  /** merged: the id of the code it went into; split: the id of the origin. */
  otherCodeId?: string;
}

export const PATH_SEPARATOR = CODE_PATH_SEPARATOR;

const KIND_ORDER: readonly CodebookChangeKind[] = [
  'merged',
  'split',
  'added',
  'deleted',
  'renamed',
  'moved',
  'definition',
  'inclusion',
  'exclusion',
  'example',
];
const TEXT_FIELDS = ['definition', 'inclusion', 'exclusion', 'example'] as const;

/** Paths of names and display positions for one version; cycle-safe, a code with a missing parent sits at the top. */
export class VersionTree {
  readonly byId = new Map<string, VersionedCode>();
  private readonly paths = new Map<string, string>();
  /** Display position: parents before children, siblings by order. */
  readonly position = new Map<string, number>();
  /** 0 for a top-level code. */
  readonly depth = new Map<string, number>();

  constructor(codes: readonly VersionedCode[]) {
    for (const code of codes) this.byId.set(code.id, code);
    const children = new Map<string | null, VersionedCode[]>();
    for (const code of codes) {
      const parent = code.parentId !== null && this.byId.has(code.parentId) ? code.parentId : null;
      const list = children.get(parent) ?? [];
      list.push(code);
      children.set(parent, list);
    }
    for (const list of children.values()) list.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
    const visit = (parent: string | null, prefix: string, depth: number) => {
      for (const code of children.get(parent) ?? []) {
        if (this.position.has(code.id)) continue;
        this.position.set(code.id, this.position.size);
        this.depth.set(code.id, depth);
        const path = prefix === '' ? code.name : `${prefix}${PATH_SEPARATOR}${code.name}`;
        this.paths.set(code.id, path);
        visit(code.id, path, depth + 1);
      }
    };
    visit(null, '', 0);
    // Codes caught in a parent cycle are never reached from the top; they still need a name.
    for (const code of codes) {
      if (!this.position.has(code.id)) {
        this.position.set(code.id, this.position.size);
        this.depth.set(code.id, 0);
        this.paths.set(code.id, code.name);
      }
    }
  }

  path(id: string | null): string {
    return id === null ? '' : (this.paths.get(id) ?? '');
  }

  /** Codes in display order. */
  ordered(): VersionedCode[] {
    return [...this.byId.values()].sort((a, b) => this.position.get(a.id)! - this.position.get(b.id)!);
  }
}

export function diffCodebookVersions(older: readonly VersionedCode[], newer: readonly VersionedCode[]): CodebookChange[] {
  const before = new VersionTree(older);
  const after = new VersionTree(newer);
  const changes: { change: CodebookChange; position: number }[] = [];
  const push = (change: CodebookChange, position: number) => changes.push({ change, position });

  const mergedInto = new Map<string, VersionedCode>();
  for (const code of after.byId.values()) {
    for (const id of code.mergedFromIds ?? []) if (!mergedInto.has(id)) mergedInto.set(id, code);
  }

  for (const old of before.byId.values()) {
    if (after.byId.has(old.id)) continue;
    const position = before.position.get(old.id)!;
    const target = mergedInto.get(old.id);
    if (target)
      push(
        { kind: 'merged', codeId: old.id, code: before.path(old.id), from: before.path(old.id), to: after.path(target.id), otherCodeId: target.id },
        position,
      );
    else push({ kind: 'deleted', codeId: old.id, code: before.path(old.id), from: '', to: '' }, position);
  }

  for (const code of after.byId.values()) {
    const position = after.position.get(code.id)!;
    const old = before.byId.get(code.id);
    if (!old) {
      const origin = code.splitFromId;
      if (origin !== undefined && (before.byId.has(origin) || after.byId.has(origin))) {
        const originPath = after.byId.has(origin) ? after.path(origin) : before.path(origin);
        push({ kind: 'split', codeId: code.id, code: after.path(code.id), from: originPath, to: after.path(code.id), otherCodeId: origin }, position);
      } else {
        push({ kind: 'added', codeId: code.id, code: after.path(code.id), from: '', to: '' }, position);
      }
      continue;
    }
    if (old.name !== code.name) push({ kind: 'renamed', codeId: code.id, code: after.path(code.id), from: old.name, to: code.name }, position);
    if (parentOf(before, old) !== parentOf(after, code)) {
      push(
        { kind: 'moved', codeId: code.id, code: after.path(code.id), from: before.path(parentOf(before, old)), to: after.path(parentOf(after, code)) },
        position,
      );
    }
    for (const field of TEXT_FIELDS) {
      if (old[field] !== code[field]) push({ kind: field, codeId: code.id, code: after.path(code.id), from: old[field], to: code[field] }, position);
    }
  }

  return changes.sort((a, b) => KIND_ORDER.indexOf(a.change.kind) - KIND_ORDER.indexOf(b.change.kind) || a.position - b.position).map((c) => c.change);
}

/** The parent as the tree places it: a parent id that is not in the version counts as the top level. */
function parentOf(tree: VersionTree, code: VersionedCode): string | null {
  return code.parentId !== null && tree.byId.has(code.parentId) ? code.parentId : null;
}

// ---------------------------------------------------------------------------
// Rendering

const FIELD_WORDS: Record<(typeof TEXT_FIELDS)[number], string> = {
  definition: 'definition',
  inclusion: 'inclusion criteria',
  exclusion: 'exclusion criteria',
  example: 'example',
};

/** Markdown-safe inline text: one line, with the characters Markdown reads as markup escaped. */
export function markdownInline(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/([\\`*_[\]<>|#!~])/g, '\\$1')
    .trim();
}

/** One line of plain text (for the screen): line breaks become spaces. */
export function plainInline(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').trim();
}

/** One change as a sentence: Markdown by default, or plain text for the screen with `plainInline`. */
export function describeChange(change: CodebookChange, inline: (text: string) => string = markdownInline): string {
  const quoted = (text: string) => `“${inline(text)}”`;
  const placeOf = (parentPath: string) => (parentPath === '' ? 'the top level' : quoted(parentPath));
  const textOrNothing = (text: string) => (text.trim() === '' ? '(none)' : quoted(text));
  switch (change.kind) {
    case 'added':
      return `Added ${quoted(change.code)}`;
    case 'deleted':
      return `Deleted ${quoted(change.code)}`;
    case 'renamed':
      return `Renamed ${quoted(change.from)} to ${quoted(change.to)} (now ${quoted(change.code)})`;
    case 'moved':
      return `Moved ${quoted(change.code)} from ${placeOf(change.from)} to ${placeOf(change.to)}`;
    case 'merged':
      return `Merged ${quoted(change.code)} into ${quoted(change.to)}`;
    case 'split':
      return `Split ${quoted(change.code)} from ${quoted(change.from)}`;
    default:
      return `Changed the ${FIELD_WORDS[change.kind]} of ${quoted(change.code)}: ${textOrNothing(change.from)} → ${textOrNothing(change.to)}`;
  }
}

export interface VersionLabel {
  number: number;
  label: string;
}

export function versionName(version: VersionLabel): string {
  return version.label.trim() === '' ? `version ${version.number}` : `version ${version.number} (${version.label.trim()})`;
}

/** The diff as a Markdown section: a heading naming both versions and one bullet per change. */
export function codebookDiffToMarkdown(changes: readonly CodebookChange[], older: VersionLabel, newer: VersionLabel, headingLevel = 2): string {
  const heading = `${'#'.repeat(headingLevel)} Codebook changes from ${markdownInline(versionName(older))} to ${markdownInline(versionName(newer))}`;
  const body = changes.length === 0 ? 'No changes to the codes.' : changes.map((c) => `- ${describeChange(c)}`).join('\n');
  return `${heading}\n\n${body}\n`;
}

/** The diff as CSV: change, code, from, to, with code paths; text cells neutralised against spreadsheet formulas. */
export function codebookDiffToCsv(changes: readonly CodebookChange[]): string {
  return toCsv([['change', 'code', 'from', 'to'], ...changes.map((c) => [c.kind, c.code, c.from, c.to])]);
}
