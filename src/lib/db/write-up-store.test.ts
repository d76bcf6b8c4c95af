import { describe, expect, it } from 'vitest';
import { readProjectFile } from '../exchange';
import { answerId } from '../model/types';
import { commitImport } from './commit-import';
import { exportProjectFile, exportSecondCoderFile, importProjectFile } from './exchange-store';
import { deleteProject } from './projects';
import { PSEUDONYM_CHUNK_SIZE } from './schema';
import { faultyDatabase, freshDatabase, smallBatch } from './test-helpers';
import { loadWriteUp, savePseudonyms, saveWriteUpSettings } from './write-up-store';

async function project(db = freshDatabase()) {
  const { projectId } = await commitImport(
    db,
    smallBatch('Baseline', ['r1', 'r2', 'r3']),
    { kind: 'new', name: 'Study' },
    { fileName: 'f.csv', format: 'generic' },
  );
  return { db, projectId };
}

describe('write-up store', () => {
  it('reads empty settings and no pseudonyms for a project that has none', async () => {
    const { db, projectId } = await project();
    expect(await loadWriteUp(db, projectId)).toEqual({ settings: { redactionList: [], kept: [], showQuestion: false }, pseudonyms: [] });
  });

  it('stores settings and a pseudonym table per role attribute, and reads them back', async () => {
    const { db, projectId } = await project();
    const settings = {
      roleAttribute: 'role',
      redactionList: ['Aisha'],
      kept: [{ answerId: answerId('q1', 'baseline', 'r1'), start: 0, end: 8 }],
      showQuestion: true,
    };
    await saveWriteUpSettings(db, projectId, settings);
    await savePseudonyms(db, projectId, { roleAttribute: 'role', ids: ['r1', 'r2'], labels: ['Mentee 1', 'Mentor 1'] });
    await savePseudonyms(db, projectId, { roleAttribute: '', ids: ['r1'], labels: ['Respondent 1'] });
    const stored = await loadWriteUp(db, projectId);
    expect(stored.settings).toEqual(settings);
    expect(stored.pseudonyms.sort((a, b) => a.roleAttribute.localeCompare(b.roleAttribute))).toEqual([
      { roleAttribute: '', ids: ['r1'], labels: ['Respondent 1'] },
      { roleAttribute: 'role', ids: ['r1', 'r2'], labels: ['Mentee 1', 'Mentor 1'] },
    ]);
    // The author chose none: null is kept apart from "not chosen yet".
    await saveWriteUpSettings(db, projectId, { ...settings, roleAttribute: null });
    expect((await loadWriteUp(db, projectId)).settings.roleAttribute).toBeNull();
  });

  it('chunks a large table and drops the chunks a shorter table no longer needs', async () => {
    const { db, projectId } = await project();
    const n = PSEUDONYM_CHUNK_SIZE * 2 + 5;
    const ids = Array.from({ length: n }, (_, i) => `r${i}`);
    await savePseudonyms(db, projectId, { roleAttribute: 'role', ids, labels: ids.map((_, i) => `Mentee ${i + 1}`) });
    expect(await db.writeUp.where('projectId').equals(projectId).count()).toBe(3);
    const [table] = (await loadWriteUp(db, projectId)).pseudonyms;
    expect(table.ids).toEqual(ids);
    expect(table.labels[n - 1]).toBe(`Mentee ${n}`);
    await savePseudonyms(db, projectId, { roleAttribute: 'role', ids: ids.slice(0, 3), labels: ['a', 'b', 'c'] });
    expect(await db.writeUp.where('projectId').equals(projectId).count()).toBe(1);
    expect((await loadWriteUp(db, projectId)).pseudonyms).toEqual([{ roleAttribute: 'role', ids: ['r0', 'r1', 'r2'], labels: ['a', 'b', 'c'] }]);
  });

  it('rejects a write the database refuses, and stores nothing of it', async () => {
    const { db, fail } = faultyDatabase();
    const { projectId } = await project(db);
    await saveWriteUpSettings(db, projectId, { redactionList: ['Kept'], kept: [], showQuestion: false });
    fail('quota');
    await expect(saveWriteUpSettings(db, projectId, { redactionList: ['Lost'], kept: [], showQuestion: false })).rejects.toThrow();
    await expect(savePseudonyms(db, projectId, { roleAttribute: 'role', ids: ['r1'], labels: ['Mentee 1'] })).rejects.toThrow();
    const stored = await loadWriteUp(db, projectId);
    expect(stored.settings.redactionList).toEqual(['Kept']);
    expect(stored.pseudonyms).toEqual([]);
  });

  it('is carried by the backup and restored with it, left out of a second coder’s file, and deleted with the project', async () => {
    const { db, projectId } = await project();
    const settings = {
      roleAttribute: 'role',
      redactionList: ['Aisha'],
      kept: [{ answerId: answerId('q1', 'baseline', 'r2'), start: 9, end: 15 }],
      showQuestion: false,
    };
    await saveWriteUpSettings(db, projectId, settings);
    await savePseudonyms(db, projectId, { roleAttribute: 'role', ids: ['r1', 'r2', 'gone'], labels: ['Mentee 1', 'Mentor 1', 'Mentee 2'] });
    const text = await exportProjectFile(db, projectId);
    const file = readProjectFile(text);
    expect(file.writeUp?.settings).toEqual(settings);
    expect(file.writeUp?.pseudonyms).toEqual([{ roleAttribute: 'role', ids: ['r1', 'r2', 'gone'], labels: ['Mentee 1', 'Mentor 1', 'Mentee 2'] }]);
    expect(readProjectFile(await exportSecondCoderFile(db, projectId, null)).writeUp).toBeUndefined();

    const other = freshDatabase();
    const restored = await importProjectFile(other, file);
    expect(await loadWriteUp(other, restored.projectId)).toEqual({ settings, pseudonyms: file.writeUp!.pseudonyms });
    // The restored project's backup is the same file.
    expect(await exportProjectFile(other, restored.projectId, file.exportedAt)).toBe(text);

    await deleteProject(db, projectId);
    expect(await db.writeUp.count()).toBe(0);
  });

  it('writes no writeUp into a project file while nothing is set', async () => {
    const { db, projectId } = await project();
    expect(readProjectFile(await exportProjectFile(db, projectId)).writeUp).toBeUndefined();
  });
});
