/**
 * Telling the user when a change they made to a code was lost to one made at the same time elsewhere.
 *
 * A code's fields are Y.Map keys, so two machines that set the same field without seeing each other's value
 * both succeed locally, and Yjs keeps one of the two everywhere (the writer with the higher client id). The
 * machine whose value lost is the one to tell: its user saw their edit and would otherwise never learn it is
 * gone. A remote value written after seeing ours is an ordinary later edit, not a conflict.
 *
 * This reads Yjs internals (pinned at 13.6.33): a map entry's history is a linked list of Items; `Item.origin`
 * is the id of the item that was the key's value when the writer set it (typeMapSet passes `left.lastId`), and
 * the value before a transaction is found by walking left past the items that transaction added, as
 * YEvent.keys does.
 */
import * as Y from 'yjs';
import type { SyncConflict } from './conflicts';
import { LOCAL_ORIGIN, SHARED_MAPS, deepEqual } from './layout';

/**
 * The fields whose loss is reported: what a person edits. Sibling order, tombstone state and lineage are left
 * out: they change as side effects of other edits, and the sync settles them without anyone having to know.
 */
export const REPORTED_FIELDS: readonly string[] = ['name', 'parentId', 'color', 'definition', 'inclusion', 'exclusion', 'example', 'shortcut'];

export interface WatchOverwritesOptions {
  /**
   * Whether an item written by this client id was written on this machine. By default only the doc's current
   * client id; a doc restored from storage gets a fresh one, so the app may pass the ids it used before.
   */
  isOwnClient?: (clientId: number) => boolean;
}

/** Calls `onConflict` with an `overwritten` conflict for each of this machine's code edits a remote one replaced. */
export function watchOverwrites(shared: Y.Doc, onConflict: (c: SyncConflict) => void, options: WatchOverwritesOptions = {}): () => void {
  const isOwn = options.isOwnClient ?? ((clientId: number) => clientId === shared.clientID);
  const codes = shared.getMap<unknown>(SHARED_MAPS.codes);
  const reported = new Set(REPORTED_FIELDS);

  const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction) => {
    if (transaction.origin === LOCAL_ORIGIN) return;
    for (const event of events) {
      const fields = event.target;
      if (!(fields instanceof Y.Map) || fields.parent !== codes || !(event instanceof Y.YMapEvent)) continue;
      if (fields.get('state') === 'deleted') continue;
      const codeId = event.path[0];
      if (typeof codeId !== 'string') continue;
      for (const field of event.keysChanged) {
        if (!reported.has(field)) continue;
        const current = fields._map.get(field);
        if (!current || current.deleted || !event.adds(current) || isOwn(current.id.client)) continue;
        let previous = current.left;
        while (previous !== null && event.adds(previous)) previous = previous.left;
        // `previous` was the value before this transaction only if this transaction is what deleted it.
        if (previous === null || !event.deletes(previous) || !isOwn(previous.id.client)) continue;
        if (current.origin !== null && Y.compareIDs(current.origin, previous.lastId)) continue;
        const lost = previous.content.getContent().at(-1);
        const kept = current.content.getContent().at(-1);
        if (!deepEqual(lost, kept)) onConflict({ kind: 'overwritten', codeId, field, lost, kept });
      }
    }
  };
  codes.observeDeep(observer);
  return () => codes.unobserveDeep(observer);
}
