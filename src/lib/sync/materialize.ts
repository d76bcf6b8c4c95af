/**
 * What the inner docs mean: the project state every replica derives from the same docs alike (materialize), and
 * the difference between two such states (diffSyncedState), which is what the app writes into IndexedDB.
 *
 * Determinism: the result depends on the docs' content only, never on the order updates arrived in; every list
 * is sorted by id (plain code unit order), every tie is broken by id.
 *
 * Rules (the codebook's own in codebook-state.ts):
 * - Codings: a coding's code is followed through merges (tombstones with `mergedInto`), so a merge on one machine
 *   applies to codings another made to the merged code meanwhile. Codings whose code ends up deleted (or was
 *   never seen) are left out and reported per code and coder (`orphaned-codings`); restoring the code brings
 *   them back. After redirection, one coder's codings with the same answer, code and span collapse into the one
 *   with the smallest id.
 * - Themes: their codes followed through merges, deleted codes left out.
 * - Memos: the coder is the space's, whatever the record says.
 */
import type * as Y from 'yjs';
import { resolveCodebook } from './codebook-state';
import type { SyncConflict } from './conflicts';
import {
  CODER_MAPS,
  SHARED_MAPS,
  byId,
  deepEqual,
  readCoding,
  readRecord,
  readStoredCodes,
  type BlindEntry,
  type SyncedCode,
  type SyncedCodebookVersion,
  type SyncedCoder,
  type SyncedCoding,
  type SyncedMemo,
  type SyncedProjectMeta,
  type SyncedResolution,
  type SyncedRound,
  type SyncedTheme,
} from './layout';

export { describeConflict, type ConflictNames, type SyncConflict } from './conflicts';
export type {
  BlindEntry,
  SyncedCode,
  SyncedCodebookVersion,
  SyncedCoder,
  SyncedCoding,
  SyncedMemo,
  SyncedProjectMeta,
  SyncedResolution,
  SyncedRound,
  SyncedTheme,
} from './layout';

export interface SyncedState {
  codes: SyncedCode[];
  codings: SyncedCoding[];
  memos: SyncedMemo[];
  coders: SyncedCoder[];
  rounds: SyncedRound[];
  codebookVersions: SyncedCodebookVersion[];
  resolutions: SyncedResolution[];
  themes: SyncedTheme[];
  project: SyncedProjectMeta;
  blind: Map<string, BlindEntry>;
  conflicts: SyncConflict[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The whole records of a map, as fresh copies sorted by key; entries that are not records are skipped. */
function readRecords<T>(map: Y.Map<unknown>, idKey: string, valid: (record: Record<string, unknown>) => boolean = () => true): T[] {
  const out: Array<[string, T]> = [];
  map.forEach((value, key) => {
    const record = readRecord<T>(value, idKey, key);
    if (record !== null && valid(record as Record<string, unknown>)) out.push([key, record]);
  });
  return out.sort((a, b) => byId(a[0], b[0])).map(([, record]) => record);
}

const isMemo = (m: Record<string, unknown>) => isRecord(m.target) && typeof m.target.id === 'string' && typeof m.text === 'string';

function readBlind(shared: Y.Doc): Map<string, BlindEntry> {
  const entries: Array<[string, BlindEntry]> = [];
  shared.getMap<unknown>(SHARED_MAPS.blind).forEach((value, coderId) => {
    if (!isRecord(value)) return;
    const { roundId, since, revealedAt } = value;
    entries.push([
      coderId,
      {
        roundId: typeof roundId === 'string' ? roundId : null,
        since: typeof since === 'number' ? since : 0,
        revealedAt: typeof revealedAt === 'number' ? revealedAt : null,
      },
    ]);
  });
  return new Map(entries.sort((a, b) => byId(a[0], b[0])));
}

function readProjectMeta(shared: Y.Doc): SyncedProjectMeta {
  const map = shared.getMap<unknown>(SHARED_MAPS.project);
  const meta: SyncedProjectMeta = {};
  const name = map.get('name');
  const primaryCoderId = map.get('primaryCoderId');
  if (typeof name === 'string') meta.name = name;
  if (typeof primaryCoderId === 'string') meta.primaryCoderId = primaryCoderId;
  return meta;
}

/** Each coder's own record, from their space (a record there under another id is not theirs to write: skipped). */
function readProfiles(coderSpaces: ReadonlyMap<string, Y.Doc>): SyncedCoder[] {
  const out: SyncedCoder[] = [];
  for (const coderId of [...coderSpaces.keys()].sort(byId)) {
    const record = readRecord<SyncedCoder>(coderSpaces.get(coderId)!.getMap<unknown>(CODER_MAPS.profile).get(coderId), 'id', coderId);
    if (record !== null) out.push(record);
  }
  return out;
}

/**
 * Changes seen per doc, so a cache can tell a space that changed from one that did not: Yjs's state vector does not
 * move on a deletion, an update event always fires.
 */
const changeCounts = new WeakMap<Y.Doc, { n: number }>();
function changesOf(doc: Y.Doc): number {
  let count = changeCounts.get(doc);
  if (!count) {
    const made = { n: 0 };
    count = made;
    changeCounts.set(doc, made);
    doc.on('update', () => made.n++);
  }
  return count.n;
}

interface SpaceReading {
  spaceChanges: number;
  sharedChanges: number;
  codings: SyncedCoding[];
  memos: SyncedMemo[];
  orphans: { codeId: string; coderId: string; count: number }[];
}

/**
 * What each coder space meant at the last materialize, reused while neither it nor the shared space (the codebook
 * its codings are redirected through) has changed since: a team's remote change touches one or two spaces, and the
 * page then reads those alone rather than every coding of every coder (100k for 20 coders × 5,000). The records
 * reused are the same objects, which diffs compare by reference first.
 */
export class MaterializeCache {
  readonly spaces = new WeakMap<Y.Doc, SpaceReading>();
}

/** A state's codings by coder space, as read (the same arrays while a space is unchanged): see codingGroupsOf. */
const groupsOf = new WeakMap<SyncedState, ReadonlyMap<string, readonly SyncedCoding[]>>();

/**
 * The codings of a state materialized with a cache, by coder: a space whose array is the same object in two states
 * did not change between them, so a diff can skip it. Undefined for a state made otherwise (read from the stores).
 */
export function codingGroupsOf(state: SyncedState): ReadonlyMap<string, readonly SyncedCoding[]> | undefined {
  return groupsOf.get(state);
}

function readSpace(coderId: string, doc: Y.Doc, codebook: ReturnType<typeof resolveCodebook>): Omit<SpaceReading, 'spaceChanges' | 'sharedChanges'> {
  const kept = new Map<string, SyncedCoding>();
  const orphans = new Map<string, { codeId: string; coderId: string; count: number }>();
  doc.getMap<unknown>(CODER_MAPS.codings).forEach((value, id) => {
    const coding = readCoding(id, coderId, value);
    if (coding === null) return;
    const code = codebook.target(coding.codeId);
    if (!code.live) {
      const orphan = orphans.get(code.id);
      if (orphan) orphan.count++;
      else orphans.set(code.id, { codeId: code.id, coderId, count: 1 });
      return;
    }
    coding.codeId = code.id;
    const identity = `${coding.answerId}\u0000${code.id}\u0000${coding.start}\u0000${coding.end}`;
    const other = kept.get(identity);
    if (other === undefined || coding.id < other.id) kept.set(identity, coding);
  });
  const memos = readRecords<SyncedMemo>(doc.getMap(CODER_MAPS.memos), 'id', isMemo).map((memo) => ({ ...memo, coderId }));
  return { codings: [...kept.values()], memos, orphans: [...orphans.values()] };
}

/** The project state the docs mean; `coderSpaces` maps coder id → that coder's doc (those this client has). */
export function materialize(shared: Y.Doc, coderSpaces: ReadonlyMap<string, Y.Doc>, cache?: MaterializeCache): SyncedState {
  const codebook = resolveCodebook(readStoredCodes(shared));
  const conflicts = [...codebook.conflicts];

  const codings: SyncedCoding[] = [];
  const memos: SyncedMemo[] = [];
  const orphans: { codeId: string; coderId: string; count: number }[] = [];
  const sharedChanges = cache ? changesOf(shared) : 0;
  const groups = new Map<string, readonly SyncedCoding[]>();
  for (const coderId of [...coderSpaces.keys()].sort(byId)) {
    const doc = coderSpaces.get(coderId)!;
    let reading: Omit<SpaceReading, 'spaceChanges' | 'sharedChanges'> | undefined;
    if (cache) {
      const spaceChanges = changesOf(doc);
      const cached = cache.spaces.get(doc);
      if (cached && cached.spaceChanges === spaceChanges && cached.sharedChanges === sharedChanges) reading = cached;
      else cache.spaces.set(doc, { ...(reading = readSpace(coderId, doc, codebook)), spaceChanges, sharedChanges });
    } else reading = readSpace(coderId, doc, codebook);
    groups.set(coderId, reading.codings);
    for (const coding of reading.codings) codings.push(coding);
    for (const memo of reading.memos) memos.push(memo);
    for (const orphan of reading.orphans) orphans.push(orphan);
  }
  codings.sort((a, b) => byId(a.id, b.id));
  memos.sort((a, b) => byId(a.id, b.id));

  for (const { codeId, coderId, count } of [...orphans].sort((a, b) => byId(a.codeId, b.codeId) || byId(a.coderId, b.coderId))) {
    conflicts.push({ kind: 'orphaned-codings', codeId, codeName: codebook.stored.get(codeId)?.name ?? '', coderId, count });
  }

  const themes = readRecords<SyncedTheme>(shared.getMap(SHARED_MAPS.themes), 'id').map((theme) => {
    const codeIds: string[] = [];
    for (const id of Array.isArray(theme.codeIds) ? theme.codeIds : []) {
      const code = codebook.target(id);
      if (code.live && !codeIds.includes(code.id)) codeIds.push(code.id);
    }
    return { ...theme, codeIds };
  });

  const state: SyncedState = {
    codes: codebook.codes,
    codings,
    memos,
    coders: readProfiles(coderSpaces),
    rounds: readRecords<SyncedRound>(shared.getMap(SHARED_MAPS.rounds), 'id'),
    codebookVersions: readRecords<SyncedCodebookVersion>(shared.getMap(SHARED_MAPS.codebookVersions), 'id'),
    resolutions: readRecords<SyncedResolution>(shared.getMap(SHARED_MAPS.resolutions), 'answerId'),
    themes,
    project: readProjectMeta(shared),
    blind: readBlind(shared),
    conflicts,
  };
  if (cache) groupsOf.set(state, groups);
  return state;
}

// ---------------------------------------------------------------------------
// Differences

/** What to write for one kind of entity: records new or changed, and records gone (as they were). */
export interface EntityChanges<T> {
  puts: T[];
  deletes: T[];
}

export interface SyncedStateDiff {
  codes: EntityChanges<SyncedCode>;
  codings: EntityChanges<SyncedCoding>;
  memos: EntityChanges<SyncedMemo>;
  coders: EntityChanges<SyncedCoder>;
  rounds: EntityChanges<SyncedRound>;
  codebookVersions: EntityChanges<SyncedCodebookVersion>;
  resolutions: EntityChanges<SyncedResolution>;
  themes: EntityChanges<SyncedTheme>;
  /** The new project meta, or null when unchanged. */
  project: SyncedProjectMeta | null;
  /** The new blind list, or null when unchanged. */
  blind: Map<string, BlindEntry> | null;
  /** The new conflict list, or null when unchanged. */
  conflicts: SyncConflict[] | null;
}

function sortedByKey<T>(list: readonly T[], key: (record: T) => string): boolean {
  for (let i = 1; i < list.length; i++) if (key(list[i - 1]) >= key(list[i])) return false;
  return true;
}

/**
 * Linear in the sizes of both lists: materialize sorts every list by key, so the two are walked side by side
 * (a Map by key for lists that are not sorted); one comparison per record, deep unless `same` is given.
 */
function diffRecords<T>(
  before: readonly T[] | undefined,
  after: readonly T[],
  key: (record: T) => string,
  same: (a: T, b: T) => boolean = deepEqual,
): EntityChanges<T> {
  const old = before ?? [];
  const puts: T[] = [];
  const deletes: T[] = [];
  const changed = (previous: T, record: T) => previous !== record && !same(previous, record);
  if (sortedByKey(old, key) && sortedByKey(after, key)) {
    let i = 0;
    for (const record of after) {
      const k = key(record);
      while (i < old.length && key(old[i]) < k) deletes.push(old[i++]);
      if (i < old.length && key(old[i]) === k) {
        if (changed(old[i], record)) puts.push(record);
        i++;
      } else puts.push(record);
    }
    while (i < old.length) deletes.push(old[i++]);
    return { puts, deletes };
  }
  const byKey = new Map<string, T>();
  for (const record of old) byKey.set(key(record), record);
  for (const record of after) {
    const k = key(record);
    const previous = byKey.get(k);
    if (previous === undefined || changed(previous, record)) puts.push(record);
    byKey.delete(k);
  }
  deletes.push(...byKey.values());
  return { puts, deletes };
}

const idOf = (record: { id: string }) => record.id;

/** Codings are many (200k) and flat: a field-by-field comparison is several times faster than deepEqual. */
function sameCoding(a: SyncedCoding, b: SyncedCoding): boolean {
  return (
    a.id === b.id &&
    a.answerId === b.answerId &&
    a.codeId === b.codeId &&
    a.coderId === b.coderId &&
    a.start === b.start &&
    a.end === b.end &&
    a.createdAt === b.createdAt &&
    a.exemplar === b.exemplar &&
    a.suggested === b.suggested
  );
}

function sameBlind(a: ReadonlyMap<string, BlindEntry>, b: ReadonlyMap<string, BlindEntry>): boolean {
  if (a.size !== b.size) return false;
  for (const [coderId, entry] of a) if (!deepEqual(entry, b.get(coderId))) return false;
  return true;
}

/** What changed from `before` (null: nothing written yet) to `after`, per kind of entity. */
export function diffSyncedState(before: SyncedState | null, after: SyncedState): SyncedStateDiff {
  return {
    codes: diffRecords(before?.codes, after.codes, idOf),
    codings: diffRecords(before?.codings, after.codings, idOf, sameCoding),
    memos: diffRecords(before?.memos, after.memos, idOf),
    coders: diffRecords(before?.coders, after.coders, idOf),
    rounds: diffRecords(before?.rounds, after.rounds, idOf),
    codebookVersions: diffRecords(before?.codebookVersions, after.codebookVersions, idOf),
    resolutions: diffRecords(before?.resolutions, after.resolutions, (r) => r.answerId),
    themes: diffRecords(before?.themes, after.themes, idOf),
    project: before && deepEqual(before.project, after.project) ? null : after.project,
    blind: before && sameBlind(before.blind, after.blind) ? null : after.blind,
    conflicts: before && deepEqual(before.conflicts, after.conflicts) ? null : after.conflicts,
  };
}

/** True when the diff writes nothing and changes nothing shown. */
export function isEmptyDiff(diff: SyncedStateDiff): boolean {
  const kinds = [diff.codes, diff.codings, diff.memos, diff.coders, diff.rounds, diff.codebookVersions, diff.resolutions, diff.themes];
  return kinds.every((k) => k.puts.length === 0 && k.deletes.length === 0) && diff.project === null && diff.blind === null && diff.conflicts === null;
}
