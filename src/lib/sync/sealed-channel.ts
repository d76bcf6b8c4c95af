/**
 * Mirrors one space's inner Y.Doc into an outer Y.Doc whose only content is `outer.getArray('sealed')`: every entry
 * is a sealed Yjs update (or snapshot) of the inner doc. The outer doc is what the relay syncs and what local
 * persistence stores, so neither ever holds plaintext.
 *
 *   inner 'update' (not ours) ──► batch (Y.mergeUpdates) ──► seal ──► push to the outer array (origin: this channel)
 *   outer array insert (not ours: the network, local persistence) ──► open ──► Y.applyUpdate(inner, …, this channel)
 *
 * Yjs applies updates in any order and any number of times, so the channel only has to make sure no update is lost:
 * sealing and opening are async (WebCrypto) and run through one chain each, in the order they were asked for.
 */
import * as Y from 'yjs';
import type { Sealer } from './crypto';

export const SEALED_ARRAY = 'sealed';

export interface SealedChannelOptions {
  sealer: Sealer;
  /** The space's name (`shared`, `coder:<id>`, `answers`): bound into every entry, so entries cannot move spaces. */
  space: string;
  inner: Y.Doc;
  outer: Y.Doc;
  /** How long local updates gather before one sealed entry is written. 50 ms by default. */
  batchMs?: number;
  /** A batch this large is sealed at once, without waiting for batchMs. 64 KiB by default. */
  maxBatchBytes?: number;
  /** More entries than this in the outer array and the channel replaces those it has applied by one snapshot. 64 by default. */
  compactAfter?: number;
  /**
   * When entries written by others push the array past compactAfter, this channel waits between one and two times
   * this long (at random) before compacting, so the writer (which compacts at once) usually does it and the other
   * clients find nothing to do. 2,000 ms by default.
   */
  compactDelayMs?: number;
  /** An entry that could not be opened or applied, or a batch that could not be sealed. Never thrown into Yjs. */
  onError?: (message: string, error: unknown) => void;
}

export interface SealedChannelStats {
  /** Entries in the outer array now. */
  entries: number;
  /** Their bytes (ciphertext). */
  sealedBytes: number;
  /** Entries that could not be opened or applied (a wrong key, a damaged entry). */
  failures: number;
  /** Entries this channel sealed and wrote (snapshots included). */
  written: number;
  /** Entries this channel opened and applied. */
  applied: number;
  compactions: number;
}

export class SealedChannel {
  /** Resolves once the entries the outer doc held when the channel was made are opened and applied. */
  readonly ready: Promise<void>;
  private readonly sealer: Sealer;
  private readonly space: string;
  private readonly inner: Y.Doc;
  private readonly outer: Y.Doc;
  private readonly array: Y.Array<Uint8Array>;
  private readonly batchMs: number;
  private readonly maxBatchBytes: number;
  private readonly compactAfter: number;
  private readonly compactDelayMs: number;
  private readonly onError: (message: string, error: unknown) => void;

  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private batchTimer: ReturnType<typeof setTimeout> | null = null;
  private compactTimer: ReturnType<typeof setTimeout> | null = null;
  /** Seals, pushes and compactions, one after another. */
  private outgoing: Promise<void> = Promise.resolve();
  /** Opens and applies, one batch of entries after another. */
  private incoming: Promise<void> = Promise.resolve();
  /**
   * The outer array's entries whose content the inner doc holds: those this channel applied or wrote. Keyed by the
   * entry object itself (Yjs hands out the same Uint8Array for an entry as long as the outer doc lives), so it needs
   * no Yjs internals and forgets deleted entries by itself.
   */
  private readonly covered = new WeakSet<Uint8Array>();
  private failures = 0;
  private written = 0;
  private appliedCount = 0;
  private compactions = 0;
  private destroyed = false;

  constructor(options: SealedChannelOptions) {
    this.sealer = options.sealer;
    this.space = options.space;
    this.inner = options.inner;
    this.outer = options.outer;
    this.array = options.outer.getArray<Uint8Array>(SEALED_ARRAY);
    this.batchMs = options.batchMs ?? 50;
    this.maxBatchBytes = options.maxBatchBytes ?? 64 * 1024;
    this.compactAfter = options.compactAfter ?? 64;
    this.compactDelayMs = options.compactDelayMs ?? 2000;
    this.onError = options.onError ?? (() => {});
    this.inner.on('update', this.onInnerUpdate);
    this.array.observe(this.onOuterChange);
    this.ready = this.openEntries(this.array.toArray());
    this.scheduleCompaction();
  }

  /** Seals what is waiting, and waits until everything written and received so far has been pushed and applied. */
  async flush(): Promise<void> {
    for (;;) {
      const outgoing = this.startBatch();
      const incoming = this.incoming;
      await Promise.all([outgoing, incoming]);
      if (outgoing === this.outgoing && incoming === this.incoming && this.pending.length === 0) return;
    }
  }

  stats(): SealedChannelStats {
    let sealedBytes = 0;
    this.array.forEach((entry) => (sealedBytes += entry.byteLength));
    return {
      entries: this.array.length,
      sealedBytes,
      failures: this.failures,
      written: this.written,
      applied: this.appliedCount,
      compactions: this.compactions,
    };
  }

  /**
   * Stops mirroring. Local updates still waiting for their batch are sealed and pushed as the last thing the channel
   * does (if the outer doc is still alive); await flush() first to know they are.
   */
  destroy(): void {
    if (this.destroyed) return;
    if (this.pending.length > 0) this.startBatch();
    this.destroyed = true;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.batchTimer = this.compactTimer = null;
    this.inner.off('update', this.onInnerUpdate);
    this.array.unobserve(this.onOuterChange);
  }

  private readonly onInnerUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this || this.destroyed) return;
    this.pending.push(update);
    this.pendingBytes += update.byteLength;
    if (this.pendingBytes >= this.maxBatchBytes) this.startBatch();
    else if (this.batchTimer === null) this.batchTimer = setTimeout(() => this.startBatch(), this.batchMs);
  };

  private readonly onOuterChange = (event: Y.YArrayEvent<Uint8Array>, transaction: Y.Transaction) => {
    if (transaction.origin === this) return;
    const added: Uint8Array[] = [];
    for (const op of event.changes.delta) if (Array.isArray(op.insert)) added.push(...(op.insert as Uint8Array[]));
    if (added.length > 0) void this.openEntries(added);
    this.scheduleCompaction();
  };

  /** Moves the waiting updates into the outgoing chain as one batch; returns the chain. */
  private startBatch(): Promise<void> {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (this.pending.length === 0) return this.outgoing;
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.outgoing = this.outgoing.then(() => this.sealAndPush(batch));
    return this.outgoing;
  }

  private async sealAndPush(batch: Uint8Array[]): Promise<void> {
    const update = batch.length === 1 ? batch[0] : Y.mergeUpdates(batch);
    let sealed: Uint8Array;
    try {
      sealed = await this.sealer.seal(update, this.space);
    } catch (err) {
      // Kept for the next batch: an edit is never dropped because sealing failed once.
      this.pending.unshift(update);
      this.pendingBytes += update.byteLength;
      this.report(`Changes in “${this.space}” could not be encrypted for syncing; they are kept and tried again.`, err);
      return;
    }
    if (this.outer.isDestroyed) return;
    this.outer.transact(() => {
      this.array.push([sealed]);
      // Yjs stores a copy of a pushed Uint8Array: the copy is what later events and toArray() hand out.
      this.covered.add(this.array.get(this.array.length - 1));
    }, this);
    this.written++;
    if (!this.destroyed && this.array.length > this.compactAfter) await this.compact();
  }

  private openEntries(entries: Uint8Array[]): Promise<void> {
    this.incoming = this.incoming.then(async () => {
      // Decrypted side by side (WebCrypto works off the main thread), applied in order in one inner transaction.
      const opened = await Promise.allSettled(entries.map((entry) => this.sealer.open(entry, this.space)));
      if (this.destroyed) return;
      this.inner.transact(() => {
        opened.forEach((result, i) => {
          if (result.status === 'rejected') {
            this.failures++;
            this.report(errorMessage(result.reason, `An entry in “${this.space}” could not be opened.`), result.reason);
            return;
          }
          try {
            Y.applyUpdate(this.inner, result.value, this);
            this.covered.add(entries[i]);
            this.appliedCount++;
          } catch (err) {
            this.failures++;
            this.report(`An entry in “${this.space}” opened but is not a change Codebench can apply; it was left out.`, err);
          }
        });
      }, this);
    });
    return this.incoming;
  }

  /** After entries from others: compact later, unless someone (most likely their writer) does it first. */
  private scheduleCompaction() {
    if (this.destroyed || this.compactTimer !== null || this.array.length <= this.compactAfter) return;
    this.compactTimer = setTimeout(
      () => {
        this.compactTimer = null;
        if (this.destroyed || this.array.length <= this.compactAfter) return;
        this.outgoing = this.outgoing.then(() => this.compact());
      },
      this.compactDelayMs * (1 + Math.random()),
    );
  }

  /**
   * Replaces the entries this channel has applied by one sealed snapshot of the inner doc.
   *
   * Why this is safe, with any number of clients compacting at any time:
   * - The snapshot is Y.encodeStateAsUpdate(inner) taken synchronously after `covered` entries were listed, and every
   *   covered entry's update had been applied to inner (or was written from it) by then, so the snapshot contains
   *   each of them (Yjs includes updates still waiting for a missing dependency, too).
   * - The snapshot is pushed and the covered entries deleted in one outer transaction, so they travel as one Yjs
   *   update: no client, and not the relay, ever holds the deletions without the snapshot.
   * - An entry this channel had not applied when it listed them (appended concurrently by another client, arriving
   *   while the snapshot was being sealed, or one it could not open) is not covered and is never deleted here.
   * - Two clients compacting at once each delete only entries their own snapshot contains, and insert their snapshot;
   *   neither can delete the other's snapshot (it does not know it yet). Yjs merges the two transactions: the
   *   deletions add up, both snapshots remain, and every deleted entry is contained in a snapshot that remains. A
   *   snapshot is itself deleted only later, by a client that has applied it and wrote a newer one. Applying two
   *   overlapping snapshots is harmless: Yjs ignores what a doc already has.
   * So at every moment the live entries together hold every update ever written, which is all a client needs.
   */
  private async compact(): Promise<void> {
    if (this.destroyed || this.outer.isDestroyed || this.array.length <= this.compactAfter) return;
    const covered = this.array.toArray().filter((entry) => this.covered.has(entry));
    if (covered.length < 2) return;
    // Waiting local updates are in the inner doc, hence in the snapshot: they need no entry of their own.
    const absorbed = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    const snapshot = Y.encodeStateAsUpdate(this.inner);
    let sealed: Uint8Array;
    try {
      sealed = await this.sealer.seal(snapshot, this.space);
    } catch (err) {
      this.pending = absorbed.concat(this.pending);
      for (const update of absorbed) this.pendingBytes += update.byteLength;
      this.report(`The synced history of “${this.space}” could not be compacted; it is kept as it is.`, err);
      return;
    }
    if (this.outer.isDestroyed) return;
    const remove = new Set(covered);
    this.outer.transact(() => {
      this.array.push([sealed]);
      this.covered.add(this.array.get(this.array.length - 1));
      // From the end, so the indices of runs still to delete do not move; a run of covered entries in one call.
      const entries = this.array.toArray();
      let end = entries.length;
      for (let i = entries.length - 1; i >= -1; i--) {
        const drop = i >= 0 && remove.has(entries[i]);
        if (drop) continue;
        if (end - (i + 1) > 0) this.array.delete(i + 1, end - (i + 1));
        end = i;
      }
    }, this);
    this.written++;
    this.compactions++;
  }

  private report(message: string, error: unknown) {
    try {
      this.onError(message, error);
    } catch {
      // A failing error handler must not break syncing.
    }
  }
}

function errorMessage(error: unknown, fallback: string): string {
  return error instanceof Error && error.name === 'SyncCryptoError' ? error.message : fallback;
}
