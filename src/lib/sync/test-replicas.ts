/**
 * Replicas for the sync core's tests (never imported by the app): each has its own shared doc and a doc per
 * coder space, may write only its own coder's space, and exchanges updates with another replica through state
 * vectors, as the relay would.
 */
import * as Y from 'yjs';
import type { Change } from '../coding/change';
import type { CodingState } from '../codebook/operations';
import type { Code, Coding } from '../model/types';
import { materialize, type SyncedState } from './materialize';
import { writeChange, type SpaceDocs } from './project-doc';

export const PROJECT = 'p';

/** A code as the app holds it, with defaults for what a test does not care about. */
export function code(id: string, parentId: string | null, order: number, name: string = id, extra: Partial<Code> = {}): Code {
  return { projectId: PROJECT, id, parentId, name, color: '#009e73', definition: '', inclusion: '', exclusion: '', example: '', order, ...extra };
}

export function coding(id: string, codeId: string, coderId: string, answerId = 'a1', start: number | null = null, end: number | null = null): Coding {
  return { projectId: PROJECT, id, answerId, codeId, coderId, start, end, createdAt: 1 };
}

export function change(parts: Partial<Change>): Change {
  return { putCodes: [], deleteCodes: [], putCodings: [], deleteCodings: [], ...parts };
}

export function newDoc(clientId: number): Y.Doc {
  const doc = new Y.Doc();
  // Fixed client ids make Yjs's tie-break (the higher client id wins) and so every test reproducible.
  doc.clientID = clientId;
  return doc;
}

export class Replica {
  readonly shared: Y.Doc;
  readonly spaces = new Map<string, Y.Doc>();
  readonly docs: SpaceDocs;

  /** `clientId` must differ between replicas; `ownCoderId` is the coder whose space this replica writes. */
  constructor(
    readonly clientId: number,
    readonly ownCoderId: string,
    coderIds: readonly string[],
  ) {
    this.shared = newDoc(clientId);
    for (const id of new Set([...coderIds, ownCoderId])) this.spaces.set(id, newDoc(clientId));
    this.docs = { shared: this.shared, coderSpace: (id) => (id === ownCoderId ? this.spaces.get(id)! : null) };
  }

  write(c: Change) {
    writeChange(this.docs, c);
  }

  materialize(): SyncedState {
    return materialize(this.shared, this.spaces);
  }

  /** The materialized state as the codebook operations take it. */
  codingState(): CodingState {
    const state = this.materialize();
    return {
      codes: state.codes.map((c) => ({ ...c, projectId: PROJECT })),
      codings: state.codings.map((c) => ({ ...c, projectId: PROJECT })),
    };
  }
}

function syncDocs(a: Y.Doc, b: Y.Doc) {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB, 'remote');
  Y.applyUpdate(a, toA, 'remote');
}

/** Exchanges everything two replicas hold that the other lacks (the shared doc and every coder space). */
export function sync(a: Replica, b: Replica) {
  syncDocs(a.shared, b.shared);
  for (const [id, doc] of a.spaces) {
    const other = b.spaces.get(id);
    if (other) syncDocs(doc, other);
  }
}

/** Every replica in the list ends up with everything any of them holds. */
export function syncAll(replicas: readonly Replica[]) {
  for (let round = 0; round < 2; round++) for (let i = 1; i < replicas.length; i++) sync(replicas[0], replicas[i]);
}
