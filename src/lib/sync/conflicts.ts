/**
 * What two machines did at the same time that the sync could not simply combine, and how it was settled, as data
 * (SyncConflict) and in plain words for the UI (describeConflict).
 *
 * Every conflict is already settled when it is reported, the same way on every machine (materialize.ts says how);
 * the report tells the user what happened to their work and what they may want to do about it.
 */
import { CODEBOOK_MAX_DEPTH } from '../codebook/codebook-json';

export type SyncConflict =
  /** Codes were moved under each other: `detachedId`, the smallest id of the loop, went to the top level. */
  | { kind: 'parent-cycle'; codeIds: string[]; detachedId: string }
  /** Codes were merged into each other: `keptId`, the smallest id of the loop, stays; the others are merged into it. */
  | { kind: 'merge-cycle'; codeIds: string[]; keptId: string }
  /** Moves made at the same time nested the code deeper than CODEBOOK_MAX_DEPTH: it went to the top level. */
  | { kind: 'too-deep'; codeId: string }
  /** Sibling codes with the same name (ignoring case), e.g. both sides created “Empathy”: both are kept. */
  | { kind: 'duplicate-name'; parentId: string | null; name: string; codeIds: string[] }
  /** `count` codings by the coder use a code that was deleted: they are not shown (restoring the code brings them back). */
  | { kind: 'orphaned-codings'; codeId: string; codeName: string; coderId: string; count: number }
  /** A change this machine made to a code's field was replaced by one made elsewhere without seeing it. */
  | { kind: 'overwritten'; codeId: string; field: string; lost: unknown; kept: unknown }
  /**
   * Codes created at the same time took the same key: the code with the smallest id keeps it, the other one was
   * given `given` ("" when every key is taken).
   */
  | { kind: 'shortcut-taken'; codeId: string; key: string; keptBy: string; given: string };

export interface ConflictNames {
  code(id: string): string;
  coder(id: string): string;
}

const q = (name: string) => `“${name}”`;

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const FIELD_WORDS: Record<string, string> = {
  color: 'colour',
  definition: 'definition',
  inclusion: 'inclusion criteria',
  exclusion: 'exclusion criteria',
  example: 'example',
};

const ELSEWHERE = 'made at the same time on another machine';

function describeOverwrite(c: Extract<SyncConflict, { kind: 'overwritten' }>, names: ConflictNames): string {
  const code = q(names.code(c.codeId));
  const value = (v: unknown) => (typeof v === 'string' ? v : String(v));
  switch (c.field) {
    case 'name':
      // The name before the rename is gone from the doc (Yjs collects deleted values), and the code is now called
      // what was kept: so the sentence names only the two renames.
      return `Your rename of a code to ${q(value(c.lost))} was replaced by ${q(value(c.kept))}, ${ELSEWHERE}.`;
    case 'parentId': {
      const place = (id: unknown) => (typeof id === 'string' ? `under ${q(names.code(id))}` : 'to the top level');
      return `Your move of ${code} ${place(c.lost)} was replaced by a move ${place(c.kept)}, ${ELSEWHERE}.`;
    }
    case 'shortcut': {
      const key = (k: unknown) => (typeof k === 'string' && k !== '' ? `the key ${k}` : 'no key');
      return `You gave ${code} ${key(c.lost)}; it now has ${key(c.kept)}, given at the same time on another machine.`;
    }
    case 'color':
      return `Your change of the colour of ${code} to ${value(c.lost)} was replaced by ${value(c.kept)}, ${ELSEWHERE}.`;
    default: {
      const what = FIELD_WORDS[c.field] ?? c.field;
      return `Your edit of the ${what} of ${code} was replaced by an edit ${ELSEWHERE}. Your text was: ${q(value(c.lost))}`;
    }
  }
}

/** The conflict in plain words, for the user whose machine reports it. */
export function describeConflict(c: SyncConflict, names: ConflictNames): string {
  switch (c.kind) {
    case 'parent-cycle': {
      const codes = listInWords(c.codeIds.map((id) => q(names.code(id))));
      return `${codes} were moved under each other at the same time on different machines; ${q(names.code(c.detachedId))} is now at the top level.`;
    }
    case 'merge-cycle': {
      const codes = listInWords(c.codeIds.map((id) => q(names.code(id))));
      return `${codes} were merged into each other at the same time on different machines; they are now one code, ${q(names.code(c.keptId))}.`;
    }
    case 'too-deep':
      return `${q(names.code(c.codeId))} is now at the top level: moves made at the same time on different machines would have nested it more than ${CODEBOOK_MAX_DEPTH} levels deep.`;
    case 'duplicate-name': {
      const where = c.parentId === null ? 'at the top level' : `under ${q(names.code(c.parentId))}`;
      return `There are ${c.codeIds.length} codes called ${q(c.name)} ${where}, made at the same time on different machines. Merge them if they mean the same.`;
    }
    case 'orphaned-codings': {
      const codings = c.count === 1 ? '1 coding' : `${c.count.toLocaleString('en-US')} codings`;
      const code = q(c.codeName || names.code(c.codeId));
      return `${codings} by ${names.coder(c.coderId)} with ${code} are not shown: the code was deleted while they were made. Restoring the code (undo its deletion) brings them back.`;
    }
    case 'overwritten':
      return describeOverwrite(c, names);
    case 'shortcut-taken': {
      const given = c.given === '' ? 'no key (every key is taken)' : `the key ${c.given}`;
      return `${q(names.code(c.codeId))} and ${q(names.code(c.keptBy))} were given the key ${c.key} at the same time on different machines; ${q(names.code(c.codeId))} now has ${given}.`;
    }
  }
}
