import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { CodebenchDatabase } from './schema';
import { freshDatabase } from './test-helpers';

const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

describe('schema version 1 (created from nothing)', () => {
  it('creates every store with its keys and indexes', async () => {
    const db = freshDatabase();
    opened.push(db);
    await db.open();
    expect(db.verno).toBe(1);
    const stores = Object.fromEntries(db.tables.map((t) => [t.name, t.schema]));
    expect(Object.keys(stores).sort()).toEqual(
      ['answerChunks', 'attributes', 'codes', 'coders', 'codings', 'projects', 'questions', 'respondentChunks', 'waves'].sort(),
    );
    expect(stores.answerChunks.primKey.keyPath).toEqual(['projectId', 'questionId', 'waveId', 'index']);
    expect(stores.answerChunks.indexes.map((i) => i.name)).toEqual(['projectId', '[projectId+questionId]']);
    expect(stores.codings.indexes.map((i) => i.name)).toContain('[projectId+answerId]');
  });

  it('keeps data across close and reopen', async () => {
    const db = freshDatabase();
    opened.push(db);
    await db.projects.add({ id: 'p', name: 'Kept', createdAt: 1, updatedAt: 1, respondentCount: 0, answerCount: 0 });
    db.close();
    const again = new CodebenchDatabase(db.name);
    opened.push(again);
    expect((await again.projects.get('p'))?.name).toBe('Kept');
  });
});
