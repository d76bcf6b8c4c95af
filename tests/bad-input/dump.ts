/**
 * A full dump of the database, for "nothing changed" assertions: every record
 * of every store the Dexie schema declares (src/lib/db/schema.ts), each store's
 * records in key order (Dexie's toArray reads in primary-key order, so two dumps
 * of the same data are deeply equal).
 */
import type { CodebenchDatabase } from '../../src/lib/db/schema';

/** The stores of the current schema; a new store must be added here, so the dump cannot silently miss it. */
export const STORES = [
  'projects',
  'waves',
  'questions',
  'attributes',
  'respondentChunks',
  'answerChunks',
  'answerKeys',
  'codes',
  'coders',
  'codingPages',
  'memos',
  'history',
  'resolutions',
  'themes',
  'rounds',
  'codebookVersions',
  'writeUp',
  'derived',
  'teams',
  'syncSpaces',
  'syncOutbox',
] as const;

export type Dump = Record<string, unknown[]>;

/** Every record of every store; with `projectId`, only that project's records. */
export async function dumpDatabase(db: CodebenchDatabase, projectId?: string): Promise<Dump> {
  const names = db.tables.map((t) => t.name).sort();
  if (names.join() !== [...STORES].sort().join()) {
    throw new Error(`The schema's stores (${names.join(', ')}) differ from the dump's list (${STORES.join(', ')}): update tests/bad-input/dump.ts.`);
  }
  const dump: Dump = {};
  for (const name of STORES) {
    // Shortcuts that reading a project may (re)write (the analysis worker's stored columns), valid only at the
    // revision they name (db/derived-store.ts): "nothing changed" is about the data they are derived from.
    if (name === 'derived') continue;
    const records = await db.table(name).toArray();
    dump[name] =
      projectId === undefined ? records : records.filter((r: { projectId?: string; id?: string }) => (name === 'projects' ? r.id : r.projectId) === projectId);
  }
  return dump;
}

/** How many records the dump holds per store (for a readable failure message). */
export function countRecords(dump: Dump): Record<string, number> {
  return Object.fromEntries(Object.entries(dump).map(([name, records]) => [name, records.length]));
}
