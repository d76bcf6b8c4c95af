import type { ImportBatch } from '../import/types';
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
