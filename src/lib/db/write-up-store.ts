/**
 * How a project's quotes are published: the settings (role attribute, the author's redaction list, the spans
 * kept) and the pseudonyms given under each role attribute. One small store read in one go by whoever publishes
 * quotes (the Quotes tab, the analysis worker, the backup), never by the project list. Each write is one
 * transaction that also marks the project changed; a failed write rejects and nothing of it is stored.
 */
import type { PseudonymTable, WriteUpSettings } from '../model/types';
import { writeTransaction } from './database';
import { PSEUDONYM_CHUNK_SIZE, type CodebenchDatabase, type WriteUpRecord } from './schema';

/** What is stored for a project; empty settings and no pseudonyms when nothing is. */
export interface StoredWriteUp {
  settings: WriteUpSettings;
  pseudonyms: PseudonymTable[];
}

const SETTINGS_KEY = 'settings';
const SEP = '\u001f';

function pseudonymKey(roleAttribute: string, index: number): string {
  return `pseudonyms${SEP}${roleAttribute}${SEP}${String(index).padStart(6, '0')}`;
}

/** The settings as stored: plain data only, so a Svelte proxy or a stray field never reaches IndexedDB. */
function plainSettings(s: WriteUpSettings): WriteUpSettings {
  return {
    ...(s.roleAttribute !== undefined ? { roleAttribute: s.roleAttribute } : {}),
    redactionList: s.redactionList.map(String),
    kept: s.kept.map((k) => ({ answerId: k.answerId, start: k.start, end: k.end })),
    showQuestion: s.showQuestion === true,
  };
}

/** The records of a pseudonym table, in chunks of PSEUDONYM_CHUNK_SIZE. */
function tableRecords(projectId: string, table: PseudonymTable): WriteUpRecord[] {
  const records: WriteUpRecord[] = [];
  for (let start = 0, index = 0; start < table.ids.length; start += PSEUDONYM_CHUNK_SIZE, index++) {
    records.push({
      projectId,
      key: pseudonymKey(table.roleAttribute, index),
      kind: 'pseudonyms',
      roleAttribute: table.roleAttribute,
      index,
      ids: table.ids.slice(start, start + PSEUDONYM_CHUNK_SIZE),
      labels: table.labels.slice(start, start + PSEUDONYM_CHUNK_SIZE),
    });
  }
  return records;
}

/** Every record of a write-up, for a restore (importProjectFile) to add in its own transaction. */
export function writeUpRecords(projectId: string, writeUp: StoredWriteUp): WriteUpRecord[] {
  return [
    { projectId, key: SETTINGS_KEY, kind: 'settings', settings: plainSettings(writeUp.settings) },
    ...writeUp.pseudonyms.flatMap((t) => tableRecords(projectId, t)),
  ];
}

/** The project's write-up: its settings and every pseudonym table (chunks joined in order). */
export async function loadWriteUp(db: CodebenchDatabase, projectId: string): Promise<StoredWriteUp> {
  const records = await db.writeUp.where('projectId').equals(projectId).toArray();
  let settings: WriteUpSettings = { redactionList: [], kept: [], showQuestion: false };
  const chunks = new Map<string, Extract<WriteUpRecord, { kind: 'pseudonyms' }>[]>();
  for (const record of records) {
    if (record.kind === 'settings') settings = plainSettings(record.settings);
    else {
      const list = chunks.get(record.roleAttribute) ?? [];
      list.push(record);
      chunks.set(record.roleAttribute, list);
    }
  }
  const pseudonyms = [...chunks].map(([roleAttribute, list]): PseudonymTable => {
    list.sort((a, b) => a.index - b.index);
    return { roleAttribute, ids: list.flatMap((c) => c.ids), labels: list.flatMap((c) => c.labels) };
  });
  return { settings, pseudonyms };
}

/** Stores the settings (the role attribute, the author's list, the spans kept, the question in attributions). */
export async function saveWriteUpSettings(db: CodebenchDatabase, projectId: string, settings: WriteUpSettings): Promise<void> {
  const record: WriteUpRecord = { projectId, key: SETTINGS_KEY, kind: 'settings', settings: plainSettings(settings) };
  await writeTransaction(db, [db.writeUp, db.projects], async () => {
    await db.writeUp.put(record);
    await db.projects.update(projectId, { updatedAt: Date.now() });
  });
}

/**
 * Stores the pseudonyms given under one role attribute, replacing that attribute's table whole (its chunks are
 * rewritten and any left over from a longer table deleted, in the same transaction).
 */
export async function savePseudonyms(db: CodebenchDatabase, projectId: string, table: PseudonymTable): Promise<void> {
  if (table.ids.length !== table.labels.length) throw new Error('Cannot store pseudonyms: every respondent id needs exactly one label.');
  const records = tableRecords(projectId, { roleAttribute: table.roleAttribute, ids: table.ids.map(String), labels: table.labels.map(String) });
  await writeTransaction(db, [db.writeUp, db.projects], async () => {
    const prefix = `pseudonyms${SEP}${table.roleAttribute}${SEP}`;
    await db.writeUp
      .where('[projectId+key]')
      .between([projectId, prefix], [projectId, prefix + '\uffff'])
      .delete();
    if (records.length > 0) await db.writeUp.bulkPut(records);
    await db.projects.update(projectId, { updatedAt: Date.now() });
  });
}
