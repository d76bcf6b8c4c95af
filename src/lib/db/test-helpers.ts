import Dexie from 'dexie';
import type { ImportBatch } from '../import/types';
import type { Code } from '../model/types';
import { CodebenchDatabase } from './schema';

let counter = 0;

/** A fresh database per test (fake-indexeddb in Node). */
export function freshDatabase(): CodebenchDatabase {
  return new CodebenchDatabase(`codebench-test-${Date.now()}-${counter++}`);
}

/** A small batch: respondents r1..rN in one wave, answering q1 (all) and q2 (odd ones). */
export function smallBatch(waveName: string, ids: string[], extra: Partial<ImportBatch> = {}): ImportBatch {
  const q2 = ids.filter((_, i) => i % 2 === 0);
  return {
    waves: [{ name: waveName, rowCount: ids.length }],
    questions: [
      { key: 'q1', label: 'Question one', text: 'What did you expect?' },
      { key: 'q2', label: 'Question two', text: 'What was hard?' },
    ],
    attributes: ['role'],
    respondents: ids.map((id, i) => ({ id, attributes: { role: i % 2 ? 'mentor' : 'mentee' }, waves: [waveName] })),
    answers: [
      { questionKey: 'q1', waveName, respondentIds: ids, texts: ids.map((id) => `${waveName} answer of ${id}`) },
      { questionKey: 'q2', waveName, respondentIds: q2, texts: q2.map((id) => `hard for ${id}`) },
    ],
    blankAnswerCount: ids.length - q2.length,
    ...extra,
  };
}

/** Every record of every table, for "nothing changed" assertions. */
export async function dumpDatabase(db: CodebenchDatabase): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const table of db.tables) dump[table.name] = await table.toArray();
  return dump;
}

/** Every record of every store, for "nothing left" checks. */
export async function recordCount(db: CodebenchDatabase): Promise<number> {
  return Object.values(await dumpDatabase(db)).reduce((sum, records) => sum + records.length, 0);
}

export type Fault = 'quota' | 'closed' | 'abort' | 'unknown' | 'invalid-state';

/** The error the browser (through Dexie) gives for each fault, as Chromium reports it. */
export function faultError(fault: Exclude<Fault, 'closed'>): Error {
  switch (fault) {
    case 'quota':
      // Chromium aborts the transaction; Dexie's AbortError carries the browser's QuotaExceededError.
      return new Dexie.AbortError(
        'QuotaExceededError An attempt was made to add something to storage that exceeded the quota.',
        new DOMException('An attempt was made to add something to storage that exceeded the quota.', 'QuotaExceededError'),
      );
    case 'abort':
      return new Dexie.AbortError('Transaction aborted');
    case 'unknown':
      return new Dexie.UnknownError('Internal error.', new DOMException('Internal error.', 'UnknownError'));
    case 'invalid-state':
      return new Dexie.InvalidStateError('The database connection is closing.', new DOMException('The database connection is closing.', 'InvalidStateError'));
  }
}

/**
 * A fresh database whose writes fail on demand: `fail(fault)` makes every write
 * (put, add, delete, in or out of a transaction) reject as the browser would,
 * and `heal()` lets them through again. The 'closed' fault closes the
 * connection as Dexie does after a failed reopen: every later call, reads
 * included, rejects with DatabaseClosedError until the database is reopened.
 */
export interface Faults {
  fail(fault: Fault): void;
  heal(): void;
  /** Writes let through so far. */
  writes(): number;
}

export function faultyDatabase(): Faults & { db: CodebenchDatabase } {
  const db = freshDatabase();
  return { db, ...addFaults(db) };
}

/** Makes an existing database's writes fail on demand (see faultyDatabase); call before it is first opened. */
export function addFaults(db: CodebenchDatabase): Faults {
  let failing: Exclude<Fault, 'closed'> | null = null;
  let writes = 0;
  db.use({
    stack: 'dbcore',
    name: 'test-faults',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (request) => {
            if (failing) return Promise.reject(faultError(failing));
            writes++;
            return table.mutate(request);
          },
        };
      },
    }),
  });
  return {
    fail(fault) {
      if (fault === 'closed') {
        failing = null;
        db.close();
      } else failing = fault;
    },
    heal() {
      failing = null;
    },
    writes: () => writes,
  };
}

/** A top-level code of project `projectId` with only a name: what the workspace tests code with. */
export function plainCode(projectId: string, id: string, name: string, order: number): Code {
  return { projectId, id, parentId: null, name, color: '#1f78b4', definition: '', inclusion: '', exclusion: '', example: '', order };
}
