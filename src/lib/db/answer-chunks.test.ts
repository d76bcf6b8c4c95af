import { describe, expect, it } from 'vitest';
import { readProjectFile } from '../exchange';
import { answerKeyOf, putAnswerChunks } from './answer-chunks';
import { commitImport, ImportCancelledError } from './commit-import';
import { exportProjectFile, importProjectFile, loadProjectData, loadProjectDataWithoutTexts } from './exchange-store';
import { deleteProject } from './projects';
import { ANSWER_CHUNK_SIZE, type CodebenchDatabase } from './schema';
import { freshDatabase, smallBatch } from './test-helpers';

const source = { fileName: 'f.csv', format: 'generic' as const };
const ids = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/** The two tables hold the same chunks: every chunk's key and respondents, and nothing else. */
async function expectSameChunks(db: CodebenchDatabase) {
  const chunks = await db.answerChunks.toArray();
  const keys = await db.answerKeys.toArray();
  expect(keys).toEqual(chunks.map(answerKeyOf));
  for (const key of keys) expect(key).not.toHaveProperty('texts');
}

describe('answer chunks and their text-less copies', () => {
  it('are written together by an import, a second wave, a restore and a restore as a copy, and deleted with the project', async () => {
    const db = freshDatabase();
    const { projectId } = await commitImport(db, smallBatch('Baseline', ids(7)), { kind: 'new', name: 'Study' }, source);
    expect(await db.answerKeys.count()).toBeGreaterThan(0);
    await expectSameChunks(db);
    await commitImport(db, smallBatch('Follow-up', ids(5)), { kind: 'existing', projectId }, source);
    await expectSameChunks(db);

    const file = readProjectFile(await exportProjectFile(db, projectId));
    const elsewhere = freshDatabase();
    await importProjectFile(elsewhere, file);
    await expectSameChunks(elsewhere);
    const copy = await importProjectFile(db, file, 'copy-id');
    await expectSameChunks(db);
    expect(await db.answerKeys.where('projectId').equals(copy.projectId).count()).toBe(await db.answerChunks.where('projectId').equals(projectId).count());

    await deleteProject(db, projectId);
    await expectSameChunks(db);
    expect(await db.answerKeys.where('projectId').equals(projectId).count()).toBe(0);
    await deleteProject(db, copy.projectId);
    expect(await db.answerKeys.count()).toBe(0);
    expect(await db.answerChunks.count()).toBe(0);
  });

  it('are both rolled back when an import is cancelled or a restore is refused', async () => {
    const db = freshDatabase();
    const { projectId } = await commitImport(db, smallBatch('Baseline', ids(3)), { kind: 'new', name: 'Study' }, source);
    const big = smallBatch('Big', ids(ANSWER_CHUNK_SIZE * 3, 'b'));
    let polls = 0;
    await expect(commitImport(db, big, { kind: 'existing', projectId }, source, { isCancelled: () => ++polls > 2 })).rejects.toBeInstanceOf(
      ImportCancelledError,
    );
    await expectSameChunks(db);
    const file = readProjectFile(await exportProjectFile(db, projectId));
    await expect(importProjectFile(db, file)).rejects.toThrow();
    await expectSameChunks(db);
  });

  it('roll back together when the copy cannot be written', async () => {
    const db = freshDatabase();
    const { projectId } = await commitImport(db, smallBatch('Baseline', ids(3)), { kind: 'new', name: 'Study' }, source);
    const before = await db.answerChunks.count();
    db.answerKeys.bulkPut = (() => Promise.reject(new Error('disk full'))) as unknown as typeof db.answerKeys.bulkPut;
    await expect(commitImport(db, smallBatch('Later', ids(3)), { kind: 'existing', projectId }, source)).rejects.toThrow();
    expect(await db.answerChunks.count()).toBe(before);
    await expectSameChunks(db);
  });

  it('putAnswerChunks outside a transaction writes both in its own', async () => {
    const db = freshDatabase();
    const chunk = { projectId: 'p', questionId: 'q', waveId: 'w', index: 0, respondentIds: ['a', 'b'], texts: ['x', 'y'] };
    await putAnswerChunks(db, [chunk]);
    await putAnswerChunks(db, [{ ...chunk, respondentIds: ['a'], texts: ['z'] }]);
    await expectSameChunks(db);
    expect(await db.answerKeys.toArray()).toEqual([{ projectId: 'p', questionId: 'q', waveId: 'w', index: 0, respondentIds: ['a'] }]);
    await expect(putAnswerChunks(db, [chunk], 'add')).rejects.toThrow();
    await expectSameChunks(db);
  });
});

describe('loadProjectDataWithoutTexts', () => {
  it('gives the same data as loadProjectData with texts "", and fills them per question into the same answers', async () => {
    const db = freshDatabase();
    const { projectId } = await commitImport(db, smallBatch('Baseline', ids(9)), { kind: 'new', name: 'Study' }, source);
    await commitImport(db, smallBatch('Follow-up', ids(4)), { kind: 'existing', projectId }, source);
    const full = await loadProjectData(db, projectId, 'then');
    const { data, texts } = await loadProjectDataWithoutTexts(db, projectId);
    expect({ ...data, exportedAt: 'then' }).toEqual({ ...full, answers: full.answers.map((a) => ({ ...a, text: '' })) });
    const objects = [...data.answers];
    const q1 = full.answers[0].questionId;
    await texts.load([q1]);
    expect(data.answers.map((a) => a.text)).toEqual(full.answers.map((a) => (a.questionId === q1 ? a.text : '')));
    await texts.load(null);
    expect(data.answers).toEqual(full.answers);
    expect(data.answers.every((a, i) => a === objects[i])).toBe(true);
  });

  it('reads the texts of a project whose copies are missing (chunks written straight into answerChunks)', async () => {
    const db = freshDatabase();
    const { projectId } = await commitImport(db, smallBatch('Baseline', ids(4)), { kind: 'new', name: 'Study' }, source);
    await db.answerKeys.clear();
    const full = await loadProjectData(db, projectId, 'then');
    const { data } = await loadProjectDataWithoutTexts(db, projectId);
    expect(data.answers).toEqual(full.answers);
  });
});
