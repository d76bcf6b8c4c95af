/**
 * The inner docs of a team project, and writing the app's changes into them.
 *
 * Layout of the shared doc (space `shared`):
 * - `codes`: code id → Y.Map with one key per field: name, parentId (string | null), color, definition,
 *   inclusion, exclusion, example, order, shortcut, splitFromId, mergedFromIds (a plain string[] value), plus
 *   `state` ('live' | 'deleted') and `mergedInto` (the id of the code it was merged into). One key per field so
 *   that a rename on one machine and a recolour on another both survive. Codes are never removed from the map:
 *   a deleted or merged code stays as a tombstone, so that codings another replica made to it meanwhile can be
 *   redirected (merged) or reported (deleted), and undoing a delete just sets `state` back to 'live'.
 * - `rounds`, `codebookVersions`, `themes`: id → the plain record without projectId; `resolutions`:
 *   answerId → the plain record without projectId. Whole records, last writer wins; deleting deletes the key.
 * - `project`: `name`, `primaryCoderId`.
 * - `blind`: coderId → { roundId, since, revealedAt } (BlindEntry): while revealedAt is null, nobody else's
 *   client subscribes to that coder's space, and that coder's client to nobody else's.
 *
 * Layout of a coder's doc (space `coder:<coderId>`, also for the consensus and assistant coders):
 * - `codings`: coding id → { answerId, codeId, start, end, createdAt, exemplar?, suggested? } (the coder is the
 *   space's, the project the team's);
 * - `memos`: memo id → the plain memo without projectId (SyncedMemo);
 * - `profile`: the coder's own record (id → { id, name, color }). In the coder's space, not the shared one, so a
 *   blind coder's client never receives another coder's name.
 * Only the coder's own clients write their space; a change the app makes to another coder's codings (a merge or
 * delete rewrites every coder's codings of the code) is not written, because materialize redirects those
 * codings through the code's tombstone anyway, on every replica alike.
 *
 * Every write is one Y transaction per doc with LOCAL_ORIGIN, and writes only what differs from what the doc
 * holds, so an edit never overwrites a concurrent one it did not touch.
 *
 * The app computes each change against the materialized state (materialize.ts), where concurrent edits are
 * settled. writeChange keeps what the app then shows equal to what the operation computed: with a codebook
 * change it first stores the settled codebook as seen (settleAsSeen), and with an edit or removal of a coding it
 * removes the identical codings materialize hid behind it (deleteHiddenTwins). Without concurrent edits both
 * write nothing.
 */
import * as Y from 'yjs';
import type { Change } from '../coding/change';
import type { Code, CodebookVersion, Coder, Coding, Resolution, Round, Theme } from '../model/types';
import { resolveCodebook, type CodeTarget, type ResolvedCodebook } from './codebook-state';
import {
  CODE_FIELDS,
  CODER_MAPS,
  LOCAL_ORIGIN,
  SHARED_MAPS,
  deepEqual,
  plainRecord,
  readCoding,
  readStoredCodes,
  storedCoding,
  type BlindEntry,
  type StoredCoding,
  type SyncedMemo,
  type SyncedProjectMeta,
  type WithOrWithoutProject,
} from './layout';

export {
  LOCAL_ORIGIN,
  SHARED_MAPS,
  CODER_MAPS,
  coderSpaceName,
  type BlindEntry,
  type SyncedCode,
  type SyncedCoding,
  type SyncedCoder,
  type SyncedRound,
  type SyncedCodebookVersion,
  type SyncedResolution,
  type SyncedTheme,
  type SyncedMemo,
  type SyncedProjectMeta,
  type WithOrWithoutProject,
} from './layout';

export interface SpaceDocs {
  shared: Y.Doc;
  /** The doc of a coder's space when this client may write it, else null. */
  coderSpace(coderId: string): Y.Doc | null;
}

type CodeInput = WithOrWithoutProject<Code>;
type CodingInput = WithOrWithoutProject<Coding>;

// ---------------------------------------------------------------------------
// Codes

/** Writes the fields of `code` that differ from what its Y.Map holds, and makes it live. */
function putCode(codes: Y.Map<unknown>, code: CodeInput): Y.Map<unknown> {
  let map = codes.get(code.id);
  if (!(map instanceof Y.Map)) {
    map = new Y.Map<unknown>();
    codes.set(code.id, map);
  }
  const fields = map as Y.Map<unknown>;
  for (const field of CODE_FIELDS) {
    const value = code[field];
    if (value === undefined) {
      if (fields.has(field)) fields.delete(field);
    } else if (!deepEqual(fields.get(field), value)) {
      fields.set(field, Array.isArray(value) ? [...value] : value);
    }
  }
  if (fields.get('state') !== 'live') fields.set('state', 'live');
  if (fields.has('mergedInto')) fields.delete('mergedInto');
  return fields;
}

/**
 * The code each deleted code was merged into: a code put in the same change that lists it in mergedFromIds.
 * Where several do (mergedFromIds keeps a code's whole lineage), the one that lists it newly wins, then the
 * smallest id.
 */
function mergeTargets(codes: Y.Map<unknown>, puts: readonly CodeInput[], deletes: readonly CodeInput[]): Map<string, string> {
  const targets = new Map<string, string>();
  if (deletes.length === 0) return targets;
  const deleted = new Set(deletes.map((c) => c.id));
  const candidates = new Map<string, Array<{ id: string; fresh: boolean }>>();
  for (const code of puts) {
    if (!code.mergedFromIds) continue;
    const map = codes.get(code.id);
    const storedIds = map instanceof Y.Map ? map.get('mergedFromIds') : undefined;
    const before = new Set(Array.isArray(storedIds) ? (storedIds as unknown[]) : []);
    for (const id of code.mergedFromIds) {
      if (!deleted.has(id)) continue;
      let list = candidates.get(id);
      if (!list) candidates.set(id, (list = []));
      list.push({ id: code.id, fresh: !before.has(id) });
    }
  }
  for (const [id, list] of candidates) {
    list.sort((a, b) => Number(b.fresh) - Number(a.fresh) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    targets.set(id, list[0].id);
  }
  return targets;
}

/**
 * Stores the codebook as the app saw it before applying its change. The app computed the change against the
 * materialized codebook, where concurrent edits are settled (codebook-state.ts) and sibling orders are dense; a
 * code the change leaves alone would otherwise be settled afresh afterwards, and could move or change its key
 * under the user's eyes:
 * - a key given in place of a duplicate comes back when the code that kept it is deleted;
 * - a code detached from a parent loop or from too deep a nesting goes back when the loop or depth is undone;
 * - a sibling keeps its stored order, not the dense one the app saw, so a code created "last" could land before
 *   a sibling whose stored order is higher (ties and gaps come from concurrent moves).
 * Only what differs is written (nothing, as long as nobody edited at the same time). What is written is the same
 * on every replica that saw the same docs, and once written the conflict it settled is gone for good (the kept
 * code of a merge loop is made live outright). A parent deleted or merged meanwhile is left as stored: it is
 * not a settlement, and undoing that delete brings the code back under it.
 */
function settleAsSeen(codes: Y.Map<unknown>, view: ResolvedCodebook, written: ReadonlySet<string>) {
  for (const code of view.codes) {
    if (written.has(code.id)) continue;
    const stored = view.stored.get(code.id)!;
    const fields = codes.get(code.id) as Y.Map<unknown>;
    if (stored.state !== 'live') {
      fields.set('state', 'live');
      fields.delete('mergedInto');
    }
    if (code.shortcut !== undefined && stored.shortcut !== code.shortcut) fields.set('shortcut', code.shortcut);
    const storedParent = stored.parentId === null ? null : view.target(stored.parentId);
    if ((storedParent?.live ? storedParent.id : null) !== code.parentId) fields.set('parentId', code.parentId);
    if (stored.order !== code.order) fields.set('order', code.order);
  }
}

function writeCodeChanges(shared: Y.Doc, view: ResolvedCodebook, puts: readonly CodeInput[], allDeletes: readonly CodeInput[]) {
  const putIds = new Set(puts.map((c) => c.id));
  // A code both deleted and put in one change is put (like applyChange: deletes first, then puts).
  const deletes = allDeletes.filter((c) => !putIds.has(c.id));
  if (puts.length === 0 && deletes.length === 0) return;
  const codes = shared.getMap<unknown>(SHARED_MAPS.codes);

  settleAsSeen(codes, view, new Set([...puts, ...deletes].map((c) => c.id)));

  const targets = mergeTargets(codes, puts, deletes);
  for (const code of deletes) {
    let map = codes.get(code.id);
    if (!(map instanceof Y.Map)) map = putCode(codes, code);
    const fields = map as Y.Map<unknown>;
    if (fields.get('state') !== 'deleted') fields.set('state', 'deleted');
    const into = targets.get(code.id);
    if (into === undefined) {
      if (fields.has('mergedInto')) fields.delete('mergedInto');
    } else if (fields.get('mergedInto') !== into) fields.set('mergedInto', into);
  }
  for (const code of puts) putCode(codes, code);
}

// ---------------------------------------------------------------------------
// Whole records

function writeRecords<T extends object, D>(
  map: Y.Map<unknown>,
  puts: readonly T[],
  deletes: readonly D[],
  key: (record: T) => string,
  deleteKey: (record: D) => string,
) {
  const putKeys = new Set(puts.map(key));
  for (const record of deletes) {
    const k = deleteKey(record);
    if (!putKeys.has(k) && map.has(k)) map.delete(k);
  }
  for (const record of puts) {
    const value = plainRecord(record);
    const k = key(record);
    if (!deepEqual(map.get(k), value)) map.set(k, value);
  }
}

const recordId = (record: { id: string }) => record.id;
/** A delete names its record by id, or is the record itself. */
type DeleteById = string | { id: string };
const deleteId = (record: DeleteById) => (typeof record === 'string' ? record : record.id);
const resolutionKey = (record: { answerId: string }) => record.answerId;

/**
 * Deletes the codings that materialize hides behind one the change touches. After a merge, two of a coder's
 * codings can become identical (same answer, code and span): materialize shows the one with the smallest id,
 * and the app's change edits or removes that one; the other would then reappear, as if the change had not been
 * made. So they go with it. `target` gives the codebook as the app saw it, before the change. Scans the coder's
 * space, so only when the change touches a coding already stored (an edit or a removal, not a new coding).
 */
function deleteHiddenTwins(map: Y.Map<unknown>, coderId: string, touchedIds: readonly string[], target: () => (codeId: string) => CodeTarget) {
  const touched = new Set(touchedIds.filter((id) => map.has(id)));
  if (touched.size === 0 || map.size <= touched.size) return;
  const codeOf = target();
  const identity = (id: string, value: unknown) => {
    const coding = readCoding(id, coderId, value);
    return coding && `${coding.answerId}\u0000${codeOf(coding.codeId).id}\u0000${coding.start}\u0000${coding.end}`;
  };
  // Identity → the smallest touched id with it: only codings with a larger id were hidden behind it (a touched
  // coding that was itself hidden, by a stale undo, leaves the one shown in its place alone).
  const shownIds = new Map<string, string>();
  const answers = new Set<unknown>();
  for (const id of touched) {
    const key = identity(id, map.get(id));
    if (key === null) continue;
    const shown = shownIds.get(key);
    if (shown === undefined || id < shown) shownIds.set(key, id);
    answers.add((map.get(id) as StoredCoding).answerId);
  }
  const twins: string[] = [];
  map.forEach((value, id) => {
    // Most codings are of other answers: ruled out before building their identity.
    if (touched.has(id) || !answers.has((value as Partial<StoredCoding> | null)?.answerId)) return;
    const key = identity(id, value);
    const shown = key === null ? undefined : shownIds.get(key);
    if (shown !== undefined && id > shown) twins.push(id);
  });
  for (const id of twins) map.delete(id);
}

function writeCodings(
  doc: Y.Doc,
  coderId: string,
  puts: readonly CodingInput[],
  deletes: readonly CodingInput[],
  target: (() => (codeId: string) => CodeTarget) | null,
) {
  const map = doc.getMap<unknown>(CODER_MAPS.codings);
  if (target) deleteHiddenTwins(map, coderId, [...puts, ...deletes].map(recordId), target);
  const putIds = new Set(puts.map(recordId));
  for (const coding of deletes) if (!putIds.has(coding.id) && map.has(coding.id)) map.delete(coding.id);
  for (const coding of puts) {
    const value = storedCoding(coding);
    if (!deepEqual(map.get(coding.id), value)) map.set(coding.id, value);
  }
}

/** Groups records by their coder, for writing each group into that coder's space. */
function byCoder<T extends { coderId: string }>(puts: readonly T[], deletes: readonly T[]): Map<string, { puts: T[]; deletes: T[] }> {
  const out = new Map<string, { puts: T[]; deletes: T[] }>();
  const entry = (coderId: string) => {
    let e = out.get(coderId);
    if (!e) out.set(coderId, (e = { puts: [], deletes: [] }));
    return e;
  };
  for (const record of puts) entry(record.coderId).puts.push(record);
  for (const record of deletes) entry(record.coderId).deletes.push(record);
  return out;
}

// ---------------------------------------------------------------------------
// Writers

/**
 * Writes one app Change into the inner docs: codes, resolutions and themes into the shared doc, codings into
 * their coder's space (skipped where this client may not write it). One transaction per doc, with LOCAL_ORIGIN.
 */
export function writeChange(docs: SpaceDocs, change: Change): void {
  const putResolutions = change.putResolutions ?? [];
  const deleteResolutions = change.deleteResolutions ?? [];
  const putThemes = change.putThemes ?? [];
  const deleteThemes = change.deleteThemes ?? [];
  const touchesShared =
    change.putCodes.length + change.deleteCodes.length + putResolutions.length + deleteResolutions.length + putThemes.length + deleteThemes.length > 0;
  // The codebook as the app saw it when it computed the change (read before the change is written).
  let seen: ResolvedCodebook | undefined;
  const view = () => (seen ??= resolveCodebook(readStoredCodes(docs.shared)));
  if (change.putCodes.length + change.deleteCodes.length > 0) view();
  if (touchesShared) {
    docs.shared.transact(() => {
      writeCodeChanges(docs.shared, view(), change.putCodes, change.deleteCodes);
      writeRecords(docs.shared.getMap(SHARED_MAPS.resolutions), putResolutions, deleteResolutions, resolutionKey, resolutionKey);
      writeRecords(docs.shared.getMap(SHARED_MAPS.themes), putThemes, deleteThemes, recordId, recordId);
    }, LOCAL_ORIGIN);
  }
  for (const [coderId, { puts, deletes }] of byCoder(change.putCodings, change.deleteCodings)) {
    const doc = docs.coderSpace(coderId);
    if (doc) doc.transact(() => writeCodings(doc, coderId, puts, deletes, () => view().target), LOCAL_ORIGIN);
  }
}

function writeSharedRecords<T extends { id: string }>(shared: Y.Doc, mapName: string, puts: readonly T[], deletes: readonly DeleteById[]) {
  if (puts.length + deletes.length === 0) return;
  shared.transact(() => writeRecords(shared.getMap(mapName), puts, deletes, recordId, deleteId), LOCAL_ORIGIN);
}

/** A coder's record goes into that coder's own space (`profile`), skipped where this client may not write it. */
export function writeCoders(docs: SpaceDocs, puts: readonly WithOrWithoutProject<Coder>[], deletes: readonly DeleteById[] = []): void {
  const ids = new Set([...puts.map(recordId), ...deletes.map(deleteId)]);
  for (const coderId of ids) {
    const doc = docs.coderSpace(coderId);
    if (!doc) continue;
    const own = puts.filter((c) => c.id === coderId);
    const gone = deletes.filter((d) => deleteId(d) === coderId);
    doc.transact(() => writeRecords(doc.getMap(CODER_MAPS.profile), own, gone, recordId, deleteId), LOCAL_ORIGIN);
  }
}

export function writeRounds(shared: Y.Doc, puts: readonly WithOrWithoutProject<Round>[], deletes: readonly DeleteById[] = []): void {
  writeSharedRecords(shared, SHARED_MAPS.rounds, puts, deletes);
}

export function writeCodebookVersions(shared: Y.Doc, puts: readonly WithOrWithoutProject<CodebookVersion>[], deletes: readonly DeleteById[] = []): void {
  writeSharedRecords(shared, SHARED_MAPS.codebookVersions, puts, deletes);
}

/** Memos go to their coder's space, skipped where this client may not write it. */
export function writeMemos(docs: SpaceDocs, puts: readonly WithOrWithoutProject<SyncedMemo>[], deletes: readonly { id: string; coderId: string }[] = []): void {
  const putsByCoder = byCoder(puts, []);
  const deletesByCoder = byCoder([], deletes);
  for (const coderId of new Set([...putsByCoder.keys(), ...deletesByCoder.keys()])) {
    const doc = docs.coderSpace(coderId);
    const memos = { puts: putsByCoder.get(coderId)?.puts ?? [], deletes: deletesByCoder.get(coderId)?.deletes ?? [] };
    if (doc) doc.transact(() => writeRecords(doc.getMap(CODER_MAPS.memos), memos.puts, memos.deletes, recordId, recordId), LOCAL_ORIGIN);
  }
}

/** `undefined` leaves a field as it is; a null primaryCoderId removes it (the first coder is then primary). */
export function writeProjectMeta(shared: Y.Doc, meta: { name?: string; primaryCoderId?: string | null }): void {
  shared.transact(() => {
    const map = shared.getMap<unknown>(SHARED_MAPS.project);
    if (meta.name !== undefined && map.get('name') !== meta.name) map.set('name', meta.name);
    if (meta.primaryCoderId === null) {
      if (map.has('primaryCoderId')) map.delete('primaryCoderId');
    } else if (meta.primaryCoderId !== undefined && map.get('primaryCoderId') !== meta.primaryCoderId) {
      map.set('primaryCoderId', meta.primaryCoderId);
    }
  }, LOCAL_ORIGIN);
}

/** Lists a coder as blind (for a round, or in general with null) from `since`, not yet revealed. */
export function setBlind(shared: Y.Doc, coderId: string, roundId: string | null, since: number): void {
  const entry: BlindEntry = { roundId, since, revealedAt: null };
  shared.transact(() => shared.getMap<BlindEntry>(SHARED_MAPS.blind).set(coderId, entry), LOCAL_ORIGIN);
}

/** Reveals one blind coder, or every blind coder; a coder revealed before keeps the time of that reveal. */
export function reveal(shared: Y.Doc, coderId: string | 'all', at: number): void {
  const blind = shared.getMap<unknown>(SHARED_MAPS.blind);
  shared.transact(() => {
    const ids = coderId === 'all' ? [...blind.keys()] : [coderId];
    for (const id of ids) {
      const entry = blind.get(id) as Partial<BlindEntry> | undefined;
      if (!entry || typeof entry !== 'object' || entry.revealedAt != null) continue;
      blind.set(id, { roundId: entry.roundId ?? null, since: entry.since ?? at, revealedAt: at });
    }
  }, LOCAL_ORIGIN);
}

/** Takes a coder off the blind list altogether. */
export function clearBlind(shared: Y.Doc, coderId: string): void {
  const blind = shared.getMap<unknown>(SHARED_MAPS.blind);
  if (blind.has(coderId)) shared.transact(() => blind.delete(coderId), LOCAL_ORIGIN);
}

/** A whole local project, as the app holds it, for the first connect. */
export interface ProjectSnapshot {
  codes: readonly CodeInput[];
  /** Every coder's codings: each goes to its coder's space. */
  codings: readonly CodingInput[];
  memos: readonly WithOrWithoutProject<SyncedMemo>[];
  coders: readonly WithOrWithoutProject<Coder>[];
  rounds: readonly WithOrWithoutProject<Round>[];
  codebookVersions: readonly WithOrWithoutProject<CodebookVersion>[];
  resolutions: readonly WithOrWithoutProject<Resolution>[];
  themes: readonly WithOrWithoutProject<Theme>[];
  /** An absent name leaves the doc's as it is. */
  project: SyncedProjectMeta;
}

/**
 * Writes a whole local project into the docs (first connect). Only puts: what the docs already hold and the
 * project lacks stays. Codings and memos of spaces this client may not write are skipped, like any write.
 */
export function seedFromProject(docs: SpaceDocs, snapshot: ProjectSnapshot): void {
  const { shared } = docs;
  shared.transact(() => {
    const codes = shared.getMap<unknown>(SHARED_MAPS.codes);
    for (const code of snapshot.codes) putCode(codes, code);
    writeRecords(shared.getMap(SHARED_MAPS.rounds), snapshot.rounds, [], recordId, deleteId);
    writeRecords(shared.getMap(SHARED_MAPS.codebookVersions), snapshot.codebookVersions, [], recordId, deleteId);
    writeRecords(shared.getMap(SHARED_MAPS.resolutions), snapshot.resolutions, [], resolutionKey, resolutionKey);
    writeRecords(shared.getMap(SHARED_MAPS.themes), snapshot.themes, [], recordId, deleteId);
    // Inside this transaction: Yjs runs a nested transact in the outer one.
    writeProjectMeta(shared, { name: snapshot.project.name, primaryCoderId: snapshot.project.primaryCoderId ?? null });
  }, LOCAL_ORIGIN);
  const codings = byCoder(snapshot.codings, []);
  const memos = byCoder(snapshot.memos, []);
  const coders = new Map(snapshot.coders.map((c) => [c.id, c] as const));
  for (const coderId of new Set([...codings.keys(), ...memos.keys(), ...coders.keys()])) {
    const doc = docs.coderSpace(coderId);
    if (!doc) continue;
    const coder = coders.get(coderId);
    doc.transact(() => {
      writeCodings(doc, coderId, codings.get(coderId)?.puts ?? [], [], null);
      writeRecords(doc.getMap(CODER_MAPS.memos), memos.get(coderId)?.puts ?? [], [], recordId, recordId);
      if (coder) writeRecords(doc.getMap(CODER_MAPS.profile), [coder], [], recordId, recordId);
    }, LOCAL_ORIGIN);
  }
}
