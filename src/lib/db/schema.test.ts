import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import {
  CodebenchDatabase,
  SCHEMA_V1,
  SCHEMA_V2_CHANGES,
  SCHEMA_V3_CHANGES,
  SCHEMA_V5_CHANGES,
  SCHEMA_V6_CHANGES,
  SCHEMA_V7_CHANGES,
  SCHEMA_V8_CHANGES,
  SCHEMA_V9_CHANGES,
  type CodingPage,
} from './schema';
import { answerId, type Coding } from '../model/types';
import { pageKeyOf, splitPageKey } from '../coding/coding-pages';
import { freshDatabase } from './test-helpers';

const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

/** A database exactly as version 1 of the app created it. */
function versionOneDatabase(name: string): Dexie {
  const db = new Dexie(name);
  db.version(1).stores(SCHEMA_V1);
  opened.push(db);
  return db;
}

describe('schema version 9 (current, created from nothing)', () => {
  it('creates every store with its keys and indexes', async () => {
    const db = freshDatabase();
    opened.push(db);
    await db.open();
    expect(db.verno).toBe(9);
    const stores = Object.fromEntries(db.tables.map((t) => [t.name, t.schema]));
    expect(Object.keys(stores).sort()).toEqual(
      [
        'answerChunks',
        'answerKeys',
        'attributes',
        'codebookVersions',
        'codes',
        'coders',
        'codingPages',
        'derived',
        'history',
        'memos',
        'projects',
        'questions',
        'resolutions',
        'respondentChunks',
        'rounds',
        'syncOutbox',
        'syncSpaces',
        'teams',
        'themes',
        'waves',
        'writeUp',
      ].sort(),
    );
    expect(stores.resolutions.primKey.keyPath).toEqual(['projectId', 'answerId']);
    expect(stores.answerChunks.primKey.keyPath).toEqual(['projectId', 'questionId', 'waveId', 'index']);
    expect(stores.answerChunks.indexes.map((i) => i.name)).toEqual(['projectId', '[projectId+questionId]']);
    expect(stores.answerKeys.primKey.keyPath).toEqual(['projectId', 'questionId', 'waveId', 'index']);
    expect(stores.answerKeys.indexes.map((i) => i.name)).toEqual(['projectId', '[projectId+questionId]']);
    expect(stores.codingPages.primKey.keyPath).toEqual(['projectId', 'questionId', 'bucket']);
    expect(stores.history.primKey.keyPath).toEqual(['projectId', 'seq']);
    expect(stores.derived.primKey.keyPath).toEqual(['projectId', 'key']);
    expect(stores.derived.indexes.map((i) => i.name)).toEqual(['projectId']);
    expect(stores.teams.primKey.keyPath).toBe('projectId');
    expect(stores.syncSpaces.primKey.keyPath).toEqual(['projectId', 'space']);
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

describe('migration from version 1 to version 2', () => {
  const coding = (id: string, respondent: string, question = 'q1'): Coding => ({
    projectId: 'p',
    id,
    answerId: answerId(question, 'baseline', respondent),
    codeId: 'rewards',
    coderId: 'ana',
    start: null,
    end: null,
    createdAt: 1,
  });

  it('moves every version-1 coding into its page and keeps the rest of the data', async () => {
    const name = `codebench-migrate-${Date.now()}`;
    const v1 = versionOneDatabase(name);
    const codings = [coding('c1', 'E01'), coding('c2', 'E02'), coding('c3', 'E01', 'q2'), { ...coding('c4', 'M01'), start: 3, end: 9 }];
    await v1.table('projects').add({ id: 'p', name: 'Old', createdAt: 1, updatedAt: 1, respondentCount: 2, answerCount: 3 });
    await v1.table('codings').bulkAdd(codings);
    v1.close();

    const v2 = new CodebenchDatabase(name);
    opened.push(v2);
    await v2.open();
    expect(v2.verno).toBe(9);
    expect((await v2.projects.get('p'))?.name).toBe('Old');
    expect(v2.tables.map((t) => t.name)).not.toContain('codings');
    const pages: CodingPage[] = await v2.codingPages.toArray();
    const moved = pages.flatMap((page) => page.codings).sort((a, b) => a.id.localeCompare(b.id));
    expect(moved).toEqual(codings);
    for (const page of pages) {
      for (const c of page.codings) expect(splitPageKey(pageKeyOf(c.answerId))).toEqual({ questionId: page.questionId, bucket: page.bucket });
    }
  });

  it('upgrades an empty version-1 database', async () => {
    const name = `codebench-migrate-empty-${Date.now()}`;
    const v1 = versionOneDatabase(name);
    await v1.open();
    v1.close();
    const v2 = new CodebenchDatabase(name);
    opened.push(v2);
    expect(await v2.codingPages.count()).toBe(0);
  });
});

describe('migration from version 2 to version 3', () => {
  it('adds the resolutions store and keeps every page, memo and history entry', async () => {
    const name = `codebench-migrate-v2-${Date.now()}`;
    const v2 = new Dexie(name);
    v2.version(1).stores(SCHEMA_V1);
    v2.version(2).stores(SCHEMA_V2_CHANGES);
    opened.push(v2);
    const page = { projectId: 'p', questionId: 'q1', bucket: 3, codings: [] };
    const memo = { projectId: 'p', id: 'm', target: { kind: 'answer', id: 'a' }, text: 'x', coderId: 'ana', coderName: 'Ana', createdAt: 1, updatedAt: 1 };
    const entry = { projectId: 'p', seq: 1, label: 'Apply', at: 1, forward: {}, inverse: {}, undone: false };
    await v2.table('codingPages').add(page);
    await v2.table('memos').add(memo);
    await v2.table('history').add(entry);
    v2.close();

    const v3 = new CodebenchDatabase(name);
    opened.push(v3);
    await v3.open();
    expect(v3.verno).toBe(9);
    expect(await v3.codingPages.toArray()).toEqual([page]);
    expect(await v3.memos.toArray()).toEqual([memo]);
    expect(await v3.history.toArray()).toEqual([entry]);
    expect(await v3.resolutions.count()).toBe(0);
  });
});

describe('migration from version 3 to version 4', () => {
  it('adds the themes store and keeps the resolutions', async () => {
    const name = `codebench-migrate-v3-${Date.now()}`;
    const v3 = new Dexie(name);
    v3.version(1).stores(SCHEMA_V1);
    v3.version(2).stores(SCHEMA_V2_CHANGES);
    v3.version(3).stores(SCHEMA_V3_CHANGES);
    opened.push(v3);
    const resolution = { projectId: 'p', answerId: 'a', decision: 'first', coderIds: ['ana', 'ben'], codeIds: ['x'], resolvedBy: 'Ada', at: 1 };
    await v3.table('resolutions').add(resolution);
    v3.close();

    const v4 = new CodebenchDatabase(name);
    opened.push(v4);
    await v4.open();
    expect(v4.verno).toBe(9);
    expect(await v4.resolutions.toArray()).toEqual([resolution]);
    expect(await v4.themes.count()).toBe(0);
  });
});

describe('migration from version 4 to version 5', () => {
  it('adds the rounds and codebook version stores and keeps the themes', async () => {
    const name = `codebench-migrate-v4-${Date.now()}`;
    const v4 = new Dexie(name);
    v4.version(1).stores(SCHEMA_V1);
    v4.version(2).stores(SCHEMA_V2_CHANGES);
    v4.version(3).stores(SCHEMA_V3_CHANGES);
    v4.version(4).stores({ themes: '[projectId+id], projectId' });
    opened.push(v4);
    const theme = { projectId: 'p', id: 't', name: 'Growth', description: '', codeIds: ['x'], withSubcodes: true, order: 0 };
    await v4.table('themes').add(theme);
    v4.close();

    const v5 = new CodebenchDatabase(name);
    opened.push(v5);
    await v5.open();
    expect(v5.verno).toBe(9);
    expect(await v5.themes.toArray()).toEqual([theme]);
    expect(await v5.rounds.count()).toBe(0);
    expect(await v5.codebookVersions.count()).toBe(0);
    expect(Object.keys(SCHEMA_V5_CHANGES).sort()).toEqual(['codebookVersions', 'rounds']);
    expect(v5.rounds.schema.primKey.keyPath).toEqual(['projectId', 'id']);
  });
});

describe('migration from version 5 to version 6', () => {
  it('adds the write-up store, keyed by project and key, and keeps the rounds', async () => {
    const name = `codebench-migrate-v5-${Date.now()}`;
    const v5 = new Dexie(name);
    v5.version(1).stores(SCHEMA_V1);
    v5.version(2).stores(SCHEMA_V2_CHANGES);
    v5.version(3).stores(SCHEMA_V3_CHANGES);
    v5.version(4).stores({ themes: '[projectId+id], projectId' });
    v5.version(5).stores(SCHEMA_V5_CHANGES);
    opened.push(v5);
    const round = { projectId: 'p', id: 'r1', number: 1, name: 'Round 1', answerIds: ['a'], coderIds: [] };
    await v5.table('rounds').add(round);
    v5.close();

    const v6 = new CodebenchDatabase(name);
    opened.push(v6);
    await v6.open();
    expect(v6.verno).toBe(9);
    expect(await v6.rounds.toArray()).toEqual([round]);
    expect(await v6.writeUp.count()).toBe(0);
    expect(Object.keys(SCHEMA_V6_CHANGES)).toEqual(['writeUp']);
    expect(v6.writeUp.schema.primKey.keyPath).toEqual(['projectId', 'key']);
    expect(v6.writeUp.schema.indexes.map((i) => i.name)).toEqual(['projectId']);
  });
});

describe('migration from version 6 to version 7', () => {
  it('copies every answer chunk without its texts into answerKeys and keeps the chunks', async () => {
    const name = `codebench-migrate-v6-${Date.now()}`;
    const v6 = new Dexie(name);
    v6.version(1).stores(SCHEMA_V1);
    v6.version(2).stores(SCHEMA_V2_CHANGES);
    v6.version(3).stores(SCHEMA_V3_CHANGES);
    v6.version(4).stores({ themes: '[projectId+id], projectId' });
    v6.version(5).stores(SCHEMA_V5_CHANGES);
    v6.version(6).stores(SCHEMA_V6_CHANGES);
    opened.push(v6);
    const chunks = [
      { projectId: 'p', questionId: 'q1', waveId: 'w1', index: 0, respondentIds: ['r1', 'r2'], texts: ['one', 'two'] },
      { projectId: 'p', questionId: 'q1', waveId: 'w1', index: 1, respondentIds: ['r3'], texts: ['three'] },
      { projectId: 'p', questionId: 'q2', waveId: 'w2', index: 0, respondentIds: ['r1'], texts: ['four'] },
      { projectId: 'other', questionId: 'q1', waveId: 'w1', index: 0, respondentIds: ['x'], texts: ['five'] },
    ];
    await v6.table('answerChunks').bulkAdd(chunks);
    v6.close();

    const v7 = new CodebenchDatabase(name);
    opened.push(v7);
    await v7.open();
    expect(v7.verno).toBe(9);
    expect(Object.keys(SCHEMA_V7_CHANGES)).toEqual(['answerKeys']);
    expect(await v7.answerChunks.toArray()).toEqual(expect.arrayContaining(chunks));
    expect(await v7.answerChunks.count()).toBe(chunks.length);
    const keys = await v7.answerKeys.toArray();
    expect(keys).toHaveLength(chunks.length);
    expect(keys).toEqual(expect.arrayContaining(chunks.map(({ texts: _texts, ...key }) => key)));
    expect(keys.every((k) => !('texts' in k))).toBe(true);
    expect(await v7.answerKeys.where('[projectId+questionId]').equals(['p', 'q1']).count()).toBe(2);
  });

  it('upgrades a version-6 database with no answers', async () => {
    const name = `codebench-migrate-v6-empty-${Date.now()}`;
    const v6 = new Dexie(name);
    v6.version(1).stores(SCHEMA_V1);
    v6.version(2).stores(SCHEMA_V2_CHANGES);
    v6.version(3).stores(SCHEMA_V3_CHANGES);
    v6.version(4).stores({ themes: '[projectId+id], projectId' });
    v6.version(5).stores(SCHEMA_V5_CHANGES);
    v6.version(6).stores(SCHEMA_V6_CHANGES);
    opened.push(v6);
    await v6.open();
    v6.close();
    const v7 = new CodebenchDatabase(name);
    opened.push(v7);
    await v7.open();
    expect(await v7.answerKeys.count()).toBe(0);
  });
});

describe('migration from version 7 to version 8', () => {
  it('adds the derived store and keeps projects, answers and codings as they were', async () => {
    const name = `codebench-migrate-v7-${Date.now()}`;
    const v7 = new Dexie(name);
    v7.version(1).stores(SCHEMA_V1);
    v7.version(2).stores(SCHEMA_V2_CHANGES);
    v7.version(3).stores(SCHEMA_V3_CHANGES);
    v7.version(4).stores({ themes: '[projectId+id], projectId' });
    v7.version(5).stores(SCHEMA_V5_CHANGES);
    v7.version(6).stores(SCHEMA_V6_CHANGES);
    v7.version(7).stores(SCHEMA_V7_CHANGES);
    opened.push(v7);
    const project = { id: 'p', name: 'Kept', createdAt: 1, updatedAt: 2, respondentCount: 1, answerCount: 1 };
    const chunk = { projectId: 'p', questionId: 'q1', waveId: 'w1', index: 0, respondentIds: ['r1'], texts: ['one'] };
    const page = {
      projectId: 'p',
      questionId: 'q1',
      bucket: 3,
      codings: [{ id: 'c1', projectId: 'p', answerId: 'a', codeId: 'k', coderId: 'x', createdAt: 1 }],
    };
    await v7.table('projects').add(project);
    await v7.table('answerChunks').add(chunk);
    await v7.table('codingPages').add(page);
    v7.close();

    const v8 = new CodebenchDatabase(name);
    opened.push(v8);
    await v8.open();
    expect(v8.verno).toBe(9);
    expect(Object.keys(SCHEMA_V8_CHANGES)).toEqual(['derived']);
    expect(await v8.projects.get('p')).toEqual(project);
    expect(await v8.answerChunks.toArray()).toEqual([chunk]);
    expect(await v8.codingPages.toArray()).toEqual([page]);
    expect(await v8.derived.count()).toBe(0);
  });
});

describe('migration from version 8 to version 9', () => {
  it('adds the team and sync stores and keeps projects, answers and codings as they were', async () => {
    const name = `codebench-migrate-v8-${Date.now()}`;
    const v8 = new Dexie(name);
    v8.version(1).stores(SCHEMA_V1);
    v8.version(2).stores(SCHEMA_V2_CHANGES);
    v8.version(3).stores(SCHEMA_V3_CHANGES);
    v8.version(4).stores({ themes: '[projectId+id], projectId' });
    v8.version(5).stores(SCHEMA_V5_CHANGES);
    v8.version(6).stores(SCHEMA_V6_CHANGES);
    v8.version(7).stores(SCHEMA_V7_CHANGES);
    v8.version(8).stores(SCHEMA_V8_CHANGES);
    opened.push(v8);
    const project = { id: 'p', name: 'Kept', createdAt: 1, updatedAt: 2, respondentCount: 1, answerCount: 1 };
    const page = {
      projectId: 'p',
      questionId: 'q1',
      bucket: 3,
      codings: [{ id: 'c1', projectId: 'p', answerId: 'a', codeId: 'k', coderId: 'x', createdAt: 1 }],
    };
    const derived = { projectId: 'p', key: 'counts', revision: 'r1', value: { n: 1 } };
    await v8.table('projects').add(project);
    await v8.table('codingPages').add(page);
    await v8.table('derived').add(derived);
    v8.close();

    const v9 = new CodebenchDatabase(name);
    opened.push(v9);
    await v9.open();
    expect(v9.verno).toBe(9);
    expect(Object.keys(SCHEMA_V9_CHANGES)).toEqual(['teams', 'syncSpaces', 'syncOutbox']);
    expect(await v9.projects.get('p')).toEqual(project);
    expect(await v9.codingPages.toArray()).toEqual([page]);
    expect(await v9.derived.toArray()).toEqual([derived]);
    expect(await v9.teams.count()).toBe(0);
    expect(await v9.syncSpaces.count()).toBe(0);
    expect(await v9.syncOutbox.count()).toBe(0);
  });
});
