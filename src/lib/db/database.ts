import Dexie, { type Table, type Transaction } from 'dexie';
import { CodebenchDatabase } from './schema';

let instance: CodebenchDatabase | undefined;

/**
 * The app's database, opened on first use (in the page and, separately, in
 * each worker). A connection that failed is made openable again on the next
 * use (see `recover`), so one full-disk moment does not leave every later
 * read and write failing with DatabaseClosedError.
 */
export function database(): CodebenchDatabase {
  const db = (instance ??= new CodebenchDatabase());
  recover(db);
  return db;
}

/**
 * Dexie reopens a connection the browser closed (`onclose`, since Dexie 4),
 * but when that reopen fails — as it does while the disk is full — it keeps
 * the failure and rejects every later call with DatabaseClosedError, for good.
 * This forgets the failure so the next call opens the database again.
 */
export function recover(db: Dexie) {
  if (!db.isOpen() && db.hasFailed()) db.close({ disableAutoOpen: false });
}

/** Opens the database again if it is closed (before Retry writes what was not saved). */
export async function reopen(db: Dexie): Promise<void> {
  recover(db);
  if (!db.isOpen()) await db.open();
}

/**
 * Runs a read-write transaction, and when it fails gives the error the
 * transaction's own cause. Chromium aborts a transaction on a full disk and
 * fails each pending request with a bare AbortError; Dexie then rejects with a
 * BulkError of those, and only `IDBTransaction.error` says QuotaExceededError.
 * That cause becomes the error's `inner`, so write-failure.ts can name it.
 */
export async function writeTransaction<T>(db: Dexie, tables: Table[], scope: () => Promise<T>): Promise<T> {
  let transaction: Transaction | null = null;
  try {
    // An async function, so that Dexie keeps the transaction alive across the scope's awaits (it checks for one).
    return await db.transaction('rw', tables, async () => {
      transaction = Dexie.currentTransaction;
      return await scope();
    });
  } catch (error) {
    const cause = (transaction as Transaction | null)?.idbtrans?.error ?? null;
    if (cause && error && typeof error === 'object' && !(error as { inner?: unknown }).inner) {
      try {
        (error as { inner?: unknown }).inner = cause;
      } catch {
        // A frozen error: it keeps its own name.
      }
    }
    throw error;
  }
}
