/**
 * The names and record shapes of the inner docs, shared by the writers (project-doc.ts) and the readers
 * (codebook-state.ts, materialize.ts, overwrites.ts). The layout itself is described in project-doc.ts.
 *
 * Readers never trust a record's shape: an inner doc holds what other replicas wrote, possibly with an older or
 * newer Codebench, so a malformed entry is skipped (or read with defaults) rather than thrown on.
 */
import * as Y from 'yjs';
import type { Code, CodebookVersion, Coder, Coding, Resolution, Round, Theme } from '../model/types';

/** The origin of every transaction that writes the app's own changes; anything else came from elsewhere. */
export const LOCAL_ORIGIN = 'codebench-local';

/** The maps of the shared doc. */
export const SHARED_MAPS = {
  codes: 'codes',
  rounds: 'rounds',
  codebookVersions: 'codebookVersions',
  resolutions: 'resolutions',
  themes: 'themes',
  project: 'project',
  blind: 'blind',
} as const;

/** The maps of a coder's doc. */
/** A coder's space: their codings, memos, and their own coder record (name, colour) under `profile`. */
export const CODER_MAPS = { codings: 'codings', memos: 'memos', profile: 'profile' } as const;

/** The name of a coder's space (the relay's room is derived from it). */
export function coderSpaceName(coderId: string): string {
  return `coder:${coderId}`;
}

export type SyncedCode = Omit<Code, 'projectId'>;
export type SyncedCoding = Omit<Coding, 'projectId'>;
export type SyncedCoder = Omit<Coder, 'projectId'>;
export type SyncedRound = Omit<Round, 'projectId'>;
export type SyncedCodebookVersion = Omit<CodebookVersion, 'projectId'>;
export type SyncedResolution = Omit<Resolution, 'projectId'>;
export type SyncedTheme = Omit<Theme, 'projectId'>;

/**
 * A memo as synced: structurally the Memo of src/lib/db/schema.ts without its projectId (declared here because
 * the sync core may not import the database layer).
 */
export interface SyncedMemo {
  id: string;
  target: { kind: 'answer' | 'respondent' | 'code'; id: string };
  text: string;
  coderId: string;
  coderName: string;
  createdAt: number;
  updatedAt: number;
}

/** An entity as the app holds it (with its projectId) or as synced (without): writers accept both. */
export type WithOrWithoutProject<T> = Omit<T, 'projectId'> & { projectId?: string };

/** The blind list's entry for a coder: blind since `since` (for `roundId`, or in general), until revealed. */
export interface BlindEntry {
  roundId: string | null;
  since: number;
  revealedAt: number | null;
}

export interface SyncedProjectMeta {
  name?: string;
  primaryCoderId?: string;
}

/** A coding as stored in its coder's doc: coderId is the space's, projectId the project's. */
export interface StoredCoding {
  answerId: string;
  codeId: string;
  start: number | null;
  end: number | null;
  createdAt: number;
  exemplar?: boolean;
  suggested?: boolean;
}

export type CodeState = 'live' | 'deleted';

/** The fields of a code kept one per Y.Map key, so concurrent edits of different fields both survive. */
export const CODE_FIELDS = [
  'name',
  'parentId',
  'color',
  'definition',
  'inclusion',
  'exclusion',
  'example',
  'order',
  'shortcut',
  'splitFromId',
  'mergedFromIds',
] as const satisfies readonly (keyof SyncedCode)[];

export type CodeField = (typeof CODE_FIELDS)[number];

/** A code's Y.Map read as it is stored, tombstone fields included. */
export interface StoredCode extends SyncedCode {
  state: CodeState;
  /** Set on a tombstone whose code was merged into another: that code's id. */
  mergedInto: string | null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export function readStoredCode(id: string, map: Y.Map<unknown>): StoredCode {
  const parentId = map.get('parentId');
  const order = map.get('order');
  const code: StoredCode = {
    id,
    parentId: typeof parentId === 'string' && parentId !== '' ? parentId : null,
    name: text(map.get('name')),
    color: text(map.get('color')),
    definition: text(map.get('definition')),
    inclusion: text(map.get('inclusion')),
    exclusion: text(map.get('exclusion')),
    example: text(map.get('example')),
    order: typeof order === 'number' && Number.isFinite(order) ? order : 0,
    state: map.get('state') === 'deleted' ? 'deleted' : 'live',
    mergedInto: null,
  };
  const shortcut = map.get('shortcut');
  if (typeof shortcut === 'string') code.shortcut = shortcut;
  const splitFromId = map.get('splitFromId');
  if (typeof splitFromId === 'string') code.splitFromId = splitFromId;
  const mergedFromIds = map.get('mergedFromIds');
  if (Array.isArray(mergedFromIds)) code.mergedFromIds = mergedFromIds.filter((x): x is string => typeof x === 'string');
  const mergedInto = map.get('mergedInto');
  if (typeof mergedInto === 'string' && mergedInto !== '') code.mergedInto = mergedInto;
  return code;
}

/** Every code of the shared doc, tombstones included; entries that are not a code's Y.Map are skipped. */
export function readStoredCodes(shared: Y.Doc): Map<string, StoredCode> {
  const out = new Map<string, StoredCode>();
  shared.getMap<unknown>(SHARED_MAPS.codes).forEach((value, id) => {
    if (value instanceof Y.Map) out.set(id, readStoredCode(id, value as Y.Map<unknown>));
  });
  return out;
}

const isOffset = (value: unknown): value is number | null => value === null || (typeof value === 'number' && Number.isFinite(value));

/** The coding stored under `id` in `coderId`'s space, or null when the entry is not a coding. */
export function readCoding(id: string, coderId: string, value: unknown): SyncedCoding | null {
  if (!isPlainObject(value)) return null;
  const { answerId, codeId, start, end, createdAt } = value;
  if (typeof answerId !== 'string' || typeof codeId !== 'string' || !isOffset(start) || !isOffset(end)) return null;
  const coding: SyncedCoding = {
    id,
    answerId,
    codeId,
    coderId,
    start,
    end,
    createdAt: typeof createdAt === 'number' ? createdAt : 0,
  };
  if (value.exemplar === true) coding.exemplar = true;
  if (value.suggested === true) coding.suggested = true;
  return coding;
}

export function storedCoding(coding: WithOrWithoutProject<Coding>): StoredCoding {
  const stored: StoredCoding = { answerId: coding.answerId, codeId: coding.codeId, start: coding.start, end: coding.end, createdAt: coding.createdAt };
  if (coding.exemplar === true) stored.exemplar = true;
  if (coding.suggested === true) stored.suggested = true;
  return stored;
}

/**
 * A JSON-like copy without projectId and without undefined values: what Yjs stores (its encoder keeps
 * `undefined`, which would make a record read back differently from the app's, where the key is absent).
 */
export function plainRecord<T extends object>(entity: T): Omit<T, 'projectId'> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) if (key !== 'projectId' && value !== undefined) out[key] = plainValue(value);
  return out as Omit<T, 'projectId'>;
}

function plainValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : plainValue(v)));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = plainValue(v);
    return out;
  }
  return value;
}

/** A stored whole record read back: a fresh copy (so the app cannot change what the doc holds) or null. */
export function readRecord<T>(value: unknown, idKey: string, id: string): T | null {
  if (!isPlainObject(value)) return null;
  const copy = plainValue(value) as Record<string, unknown>;
  copy[idKey] = id;
  return copy as T;
}

/** Deep equality of JSON-like values; a key whose value is undefined counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let count = 0;
  for (const key in ao) {
    if (ao[key] === undefined) continue;
    count++;
    if (!deepEqual(ao[key], bo[key])) return false;
  }
  for (const key in bo) if (bo[key] !== undefined) count--;
  return count === 0;
}

/** The ordering every list of the sync core is sorted by: plain code unit order, the same on every machine. */
export function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
