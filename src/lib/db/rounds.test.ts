import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { freshDatabase, faultyDatabase } from './test-helpers';
import { deleteRound, loadAnswerKeys, loadCodebookVersions, loadRounds, saveCodebookVersion, saveRound, setPrimaryCoder } from './rounds';
import { commitImport } from './commit-import';
import { loadProjectOverview } from './projects';
import { smallBatch } from './test-helpers';
import type { CodebookVersion, Round } from '../model/types';
import type { CodebenchDatabase } from './schema';

const opened: CodebenchDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const version = (n: number): CodebookVersion => ({
  projectId: 'p',
  id: `v${n}`,
  number: n,
  label: `Version ${n}`,
  createdAt: n,
  createdBy: 'ada',
  codes: [{ id: 'c1', parentId: null, name: 'Rewards', color: '#336699', definition: '', inclusion: '', exclusion: '', example: '', order: 0 }],
});
const round = (n: number): Round => ({
  projectId: 'p',
  id: `r${n}`,
  number: n,
  name: n === 1 ? 'Pilot' : 'Main',
  createdAt: n,
  createdBy: 'ada',
  sample: { size: { kind: 'count', count: 2 }, seed: 7, questionIds: [], waveIds: [], strata: [] },
  answerIds: ['a1', 'a2'],
  codebookVersionId: `v${n}`,
  coderIds: [],
});

describe('rounds and codebook versions', () => {
  it('stores a round with the version it froze, and lists both in order', async () => {
    const db = freshDatabase();
    opened.push(db);
    await db.projects.add({ id: 'p', name: 'AIMMS', createdAt: 1, updatedAt: 1, respondentCount: 0, answerCount: 0 });
    await saveRound(db, round(2), version(2));
    await saveRound(db, round(1), version(1));
    await saveCodebookVersion(db, version(3));
    expect((await loadRounds(db, 'p')).map((r) => r.name)).toEqual(['Pilot', 'Main']);
    expect((await loadCodebookVersions(db, 'p')).map((v) => v.number)).toEqual([1, 2, 3]);
    await deleteRound(db, 'p', 'r1');
    expect((await loadRounds(db, 'p')).map((r) => r.id)).toEqual(['r2']);
    expect(await loadCodebookVersions(db, 'p')).toHaveLength(3);
    await setPrimaryCoder(db, 'p', 'ben');
    expect((await db.projects.get('p'))?.primaryCoderId).toBe('ben');
  });

  it('stores neither the round nor its version when the write fails', async () => {
    const { db, fail, heal } = faultyDatabase();
    opened.push(db);
    await db.projects.add({ id: 'p', name: 'AIMMS', createdAt: 1, updatedAt: 1, respondentCount: 0, answerCount: 0 });
    fail('quota');
    await expect(saveRound(db, round(1), version(1))).rejects.toThrow();
    heal();
    expect(await loadRounds(db, 'p')).toEqual([]);
    expect(await loadCodebookVersions(db, 'p')).toEqual([]);
  });
});

describe('loadAnswerKeys', () => {
  it('lists the answer ids of the chosen questions in question, wave and import order', async () => {
    const db = freshDatabase();
    opened.push(db);
    const source = { fileName: 'f.csv', format: 'csv' };
    const { projectId } = await commitImport(db, smallBatch('Baseline', ['a', 'b', 'c']), { kind: 'new', name: 'S' }, source);
    await commitImport(db, smallBatch('Later', ['a', 'b']), { kind: 'existing', projectId }, source);
    const overview = (await loadProjectOverview(db, projectId))!;
    const [q1, q2] = overview.questions.map((q) => q.id);
    const waves = overview.waves.map((w) => w.id);
    const keys = await loadAnswerKeys(db, projectId, [q2, q1], waves);
    expect(keys.answerIds.map((id) => id.split('\u001f').join('/'))).toEqual([
      `${q2}/${waves[0]}/a`,
      `${q2}/${waves[0]}/c`,
      `${q2}/${waves[1]}/a`,
      `${q1}/${waves[0]}/a`,
      `${q1}/${waves[0]}/b`,
      `${q1}/${waves[0]}/c`,
      `${q1}/${waves[1]}/a`,
      `${q1}/${waves[1]}/b`,
    ]);
    expect(keys.questionIds).toEqual([q2, q2, q2, q1, q1, q1, q1, q1]);
    expect(keys.respondentIds).toEqual(['a', 'c', 'a', 'a', 'b', 'c', 'a', 'b']);
    expect(keys.waveIds[2]).toBe(waves[1]);
  });
});
