import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { freshDatabase } from './test-helpers';
import { readDerived, writeDerived } from './derived-store';
import { answersChanged, touchProject } from './revision';
import { deleteProject } from './projects';
import { addCodes } from './codebook';
import { commitChange } from './coding-store';
import type { CodebenchDatabase } from './schema';

const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

async function withProject(): Promise<CodebenchDatabase> {
  const db = freshDatabase();
  opened.push(db);
  await db.projects.add({ id: 'p', name: 'P', createdAt: 1, updatedAt: 1, respondentCount: 0, answerCount: 0 });
  return db;
}

describe('derived records', () => {
  it('are read back only while the project is at the revision they were made from', async () => {
    const db = await withProject();
    const revision = await db.transaction('rw', db.projects, () => touchProject(db, 'p'));
    expect(await writeDerived(db, 'p', 'counts', revision, { n: 1 })).toBe(true);
    expect(await readDerived(db, 'p', 'counts')).toEqual({ revision, value: { n: 1 } });
    await db.transaction('rw', db.projects, () => touchProject(db, 'p'));
    expect(await readDerived(db, 'p', 'counts')).toBeNull();
  });

  it('a project never changed since revisions began has the empty revision', async () => {
    const db = await withProject();
    expect(await writeDerived(db, 'p', 'counts', '', { n: 2 })).toBe(true);
    expect((await readDerived(db, 'p', 'counts'))?.value).toEqual({ n: 2 });
  });

  it('are not written when the project moved on, or is gone', async () => {
    const db = await withProject();
    const old = await db.transaction('rw', db.projects, () => touchProject(db, 'p'));
    await db.transaction('rw', db.projects, () => touchProject(db, 'p'));
    expect(await writeDerived(db, 'p', 'counts', old, { n: 1 })).toBe(false);
    expect(await db.derived.count()).toBe(0);
    expect(await writeDerived(db, 'missing', 'counts', '', { n: 1 })).toBe(false);
  });

  it('go with their project', async () => {
    const db = await withProject();
    await writeDerived(db, 'p', 'counts', '', { n: 1 });
    await deleteProject(db, 'p');
    expect(await db.derived.count()).toBe(0);
  });

  it('adding codes and committing a coding change each give the project a new revision', async () => {
    const db = await withProject();
    await writeDerived(db, 'p', 'counts', '', { n: 1 });
    await addCodes(db, 'p', [{ projectId: 'p', id: 'k', name: 'Rewards', parentId: null, order: 0, color: '#000', description: '' } as never]);
    expect(await readDerived(db, 'p', 'counts')).toBeNull();
    const after = (await db.projects.get('p'))!.revision!;
    expect(after).toMatch(/\w/);
    await writeDerived(db, 'p', 'counts', after, { n: 2 });
    const coding = { id: 'c1', projectId: 'p', answerId: 'q\u001fw\u001fr', codeId: 'k', coderId: 'x', createdAt: 1 };
    const empty = { putCodes: [], deleteCodes: [], putCodings: [], deleteCodings: [] };
    await commitChange(db, 'p', { label: 'Apply', forward: { ...empty, putCodings: [coding] }, inverse: { ...empty, deleteCodings: [coding] } } as never);
    expect(await readDerived(db, 'p', 'counts')).toBeNull();
  });

  it('made from the answers alone, survive coding but not an import', async () => {
    const db = await withProject();
    await db.projects.update('p', { answersRevision: 'a1', revision: 'r1' });
    expect(await writeDerived(db, 'p', 'columns', 'a1', { n: 1 }, 'answers')).toBe(true);
    await db.transaction('rw', db.projects, () => touchProject(db, 'p'));
    expect((await readDerived(db, 'p', 'columns', 'answers'))?.value).toEqual({ n: 1 });
    expect(await readDerived(db, 'p', 'columns')).toBeNull();
    await db.projects.update('p', answersChanged());
    expect(await readDerived(db, 'p', 'columns', 'answers')).toBeNull();
  });
});
