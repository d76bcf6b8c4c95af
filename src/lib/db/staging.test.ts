import { describe, expect, it } from 'vitest';
import { ImportError } from '../import/types';
import { commitImport, deleteStaged, ImportCancelledError, publishStaged, stageImport } from './commit-import';
import { listProjects, loadAnswers, loadProjectOverview, loadRespondents } from './projects';
import { exportProjectFile } from './exchange-store';
import { faultError, dumpDatabase, freshDatabase, recordCount, smallBatch } from './test-helpers';
import { memoryLocks, stage, STAGING_STALE_MS, stagingLockName, sweepStaging } from './staging';
import { ANSWER_CHUNK_SIZE } from './schema';

const source = { fileName: 'baseline.csv', format: 'generic' };
const ids = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(6, '0')}`);
/** Enough answers for several answer chunks, so a cancel or a failure can fall between them. */
const bigBatch = () => smallBatch('Baseline', ids(ANSWER_CHUNK_SIZE * 3 + 17));

describe('staging a new project', () => {
  it('is invisible to the project list and every loader until published', async () => {
    const db = freshDatabase();
    const summary = await stageImport(db, smallBatch('Baseline', ids(5)), source, 'p-staged');
    expect(summary).toMatchObject({ projectId: 'p-staged', respondentsAdded: 5, answersAdded: 8, questionsAdded: 2 });
    expect(await listProjects(db)).toEqual([]);
    expect(await loadProjectOverview(db, 'p-staged')).toBeUndefined();
    await expect(exportProjectFile(db, 'p-staged')).rejects.toThrow(/no longer exists/);
    // The rows are there, waiting: publishing moves none of them.
    expect((await loadRespondents(db, 'p-staged')).ids).toHaveLength(5);

    await publishStaged(db, 'p-staged', ' Study ');
    const [project] = await listProjects(db);
    expect(project).toMatchObject({ id: 'p-staged', name: 'Study', respondentCount: 5, answerCount: 8 });
    expect(project).not.toHaveProperty('staging');
    expect((await loadAnswers(db, 'p-staged', 'q2', ['baseline'])).texts).toEqual(['hard for r000001', 'hard for r000003', 'hard for r000005']);
  });

  it('stores, once published, exactly what a one-transaction import stores', async () => {
    const staged = freshDatabase();
    const direct = freshDatabase();
    const batch = bigBatch();
    const now = 1_700_000_000_000;
    const stagedSummary = await stageImport(staged, batch, source, 'p', { now });
    await publishStaged(staged, 'p', 'Study', now);
    const directSummary = await commitImport(direct, batch, { kind: 'new', name: 'Study' }, source, { now });
    const same = (dump: Record<string, unknown[]>, projectId: string) =>
      // Revisions are random tokens: each import gives its project one; equal data need not have equal tokens.
      JSON.parse(JSON.stringify(dump).replaceAll(JSON.stringify(projectId), '"P"'), (key, value: unknown) =>
        key === 'revision' || key === 'answersRevision' ? typeof value : value,
      ) as Record<string, unknown[]>;
    expect(same(await dumpDatabase(staged), 'p')).toEqual(same(await dumpDatabase(direct), directSummary.projectId));
    expect({ ...stagedSummary, projectId: 'P' }).toEqual({ ...directSummary, projectId: 'P' });
  });

  it('stores a batch whose answers are decoded as they are written (textOf) as it stores the same texts given whole', async () => {
    const plain = freshDatabase();
    const lazy = freshDatabase();
    const batch = bigBatch();
    const now = 1_700_000_000_000;
    // Every other answer left as a marker, as buildBatch's deferTexts leaves answers still kept as bytes.
    const deferred = {
      ...batch,
      answers: batch.answers.map((group) => ({
        ...group,
        texts: group.texts.map((text, i) => (i % 2 ? '\u0000' : text)),
        textOf: (i: number) => group.texts[i],
        unitsOf: (i: number) => group.texts[i].length,
      })),
    };
    const plainSummary = await stageImport(plain, batch, source, 'p', { now });
    const lazySummary = await stageImport(lazy, deferred, source, 'p', { now });
    const same = (dump: Record<string, unknown[]>) =>
      JSON.parse(JSON.stringify(dump), (key, value: unknown) => (key === 'revision' || key === 'answersRevision' ? typeof value : value)) as unknown;
    expect(same(await dumpDatabase(lazy))).toEqual(same(await dumpDatabase(plain)));
    expect(lazySummary).toEqual(plainSummary);
  });

  it('publishes in one small transaction: a failed publish leaves the project staged and unseen', async () => {
    const db = freshDatabase();
    let failing = false;
    // Middleware must be in place before the database opens.
    db.use({
      stack: 'dbcore',
      name: 'fail-publish',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          return { ...table, mutate: (request) => (failing && name === 'projects' ? Promise.reject(faultError('quota')) : table.mutate(request)) };
        },
      }),
    });
    await stageImport(db, smallBatch('Baseline', ids(5)), source, 'p');
    failing = true;
    await expect(publishStaged(db, 'p', 'Study')).rejects.toThrow(/no room left/);
    expect(await listProjects(db)).toEqual([]);
    failing = false;
    await publishStaged(db, 'p', 'Study');
    expect((await listProjects(db)).map((p) => p.name)).toEqual(['Study']);
  });

  it('refuses to publish a staging that is gone, or without a name', async () => {
    const db = freshDatabase();
    await stageImport(db, smallBatch('Baseline', ids(3)), source, 'p');
    await expect(publishStaged(db, 'p', '  ')).rejects.toThrow(ImportError);
    expect(await deleteStaged(db, 'p')).toBe(true);
    await expect(publishStaged(db, 'p', 'Study')).rejects.toThrow(/removed before it was finished/);
    expect(await recordCount(db)).toBe(0);
  });

  it('deletes what it staged when cancelled between answer chunks', async () => {
    const db = freshDatabase();
    let reports = 0;
    await expect(
      stageImport(db, bigBatch(), source, 'p', {
        onProgress: () => reports++,
        isCancelled: () => reports >= 2,
      }),
    ).rejects.toThrow(ImportCancelledError);
    expect(await recordCount(db)).toBe(0);
  });

  it('deletes what it staged when the disk fills up midway, and says so', async () => {
    const db = freshDatabase();
    let answerWrites = 0;
    db.use({
      stack: 'dbcore',
      name: 'quota-once',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          return {
            ...table,
            mutate: (request) =>
              name === 'answerChunks' && request.type === 'put' && ++answerWrites === 2 ? Promise.reject(faultError('quota')) : table.mutate(request),
          };
        },
      }),
    });
    const batch = smallBatch('Baseline', ids(ANSWER_CHUNK_SIZE * 8));
    await expect(stageImport(db, batch, source, 'p')).rejects.toThrow(/no room left to store this file/);
    expect(answerWrites).toBeGreaterThanOrEqual(2);
    expect(await recordCount(db)).toBe(0);
  });

  it('deletes a staging slice by slice, the project record last, so no transaction holds every answer', async () => {
    const db = freshDatabase();
    await stageImport(db, bigBatch(), source, 'p');
    const scopes: string[][] = [];
    const transaction = db.transaction.bind(db) as (...args: unknown[]) => unknown;
    (db as unknown as { transaction: (...args: unknown[]) => unknown }).transaction = (...args: unknown[]) => {
      const tables = args.slice(1, -1).flat() as { name: string }[];
      scopes.push(tables.map((t) => t.name).sort());
      return transaction(...args);
    };
    expect(await deleteStaged(db, 'p', 2)).toBe(true);
    expect(await recordCount(db)).toBe(0);
    // 6 answer chunks (4 of q1, 2 of q2, answered by every other respondent), 2 a slice: 3 slices and one that
    // finds none left, then the rest at once.
    expect(scopes.filter((scope) => scope.join() === 'answerChunks,answerKeys,projects')).toHaveLength(4);
    expect(scopes.at(-1)!.length).toBeGreaterThan(3);
  });

  it('leaves a published project alone when asked to delete it as staged', async () => {
    const db = freshDatabase();
    await stageImport(db, smallBatch('Baseline', ids(3)), source, 'p');
    await publishStaged(db, 'p', 'Study');
    expect(await deleteStaged(db, 'p')).toBe(false);
    expect(await listProjects(db)).toHaveLength(1);
  });
});

describe('stage, publish and discard under a lock', () => {
  it('holds the lock from staging until publish, then lets go', async () => {
    const db = freshDatabase();
    const locks = memoryLocks({ shared: true });
    const staged = await stage(db, smallBatch('Baseline', ids(4)), source, { locks, projectId: 'p' });
    expect(await locks.whenFree(stagingLockName('p'), false, async () => {})).toBe(false);
    await staged.publish('Study');
    expect(await locks.whenFree(stagingLockName('p'), false, async () => {})).toBe(true);
    expect((await listProjects(db)).map((p) => p.name)).toEqual(['Study']);
  });

  it('discards everything it staged', async () => {
    const db = freshDatabase();
    const locks = memoryLocks({ shared: true });
    const staged = await stage(db, bigBatch(), source, { locks });
    await staged.discard();
    expect(await recordCount(db)).toBe(0);
    expect(await locks.whenFree(stagingLockName(staged.projectId), false, async () => {})).toBe(true);
  });

  it('lets go of the lock when staging fails', async () => {
    const db = freshDatabase();
    const locks = memoryLocks({ shared: true });
    await expect(stage(db, bigBatch(), source, { locks, projectId: 'p', isCancelled: () => true })).rejects.toThrow(ImportCancelledError);
    expect(await locks.whenFree(stagingLockName('p'), false, async () => {})).toBe(true);
  });
});

describe('sweeping staging left by a crash', () => {
  it('deletes staging nobody holds, and nothing else', async () => {
    const db = freshDatabase();
    await commitImport(db, smallBatch('Baseline', ids(3)), { kind: 'new', name: 'Kept' }, source);
    const before = await dumpDatabase(db);
    // A worker that staged and died: its records are there, its lock is not.
    await stageImport(db, bigBatch(), source, 'crashed');
    expect(await sweepStaging(db, { locks: memoryLocks({ shared: true }) })).toEqual(['crashed']);
    expect(await dumpDatabase(db)).toEqual(before);
  });

  it('leaves staging whose lock is held (another tab still reviewing) to its holder', async () => {
    const db = freshDatabase();
    const locks = memoryLocks({ shared: true });
    const staged = await stage(db, smallBatch('Baseline', ids(3)), source, { locks, projectId: 'live' });
    expect(await sweepStaging(db, { locks })).toEqual([]);
    expect((await dumpDatabase(db)).projects).toHaveLength(1);
    // The holder publishes while a sweep waits for the lock: the project stays.
    await sweepStaging(db, { locks, wait: true });
    await staged.publish('Study');
    await expect.poll(() => locks.whenFree(stagingLockName('live'), false, async () => {})).toBe(true);
    expect((await listProjects(db)).map((p) => p.name)).toEqual(['Study']);
  });

  it('cleans up once a held lock is let go without publishing (a worker the browser had not yet stopped)', async () => {
    const db = freshDatabase();
    const locks = memoryLocks({ shared: true });
    const release = await locks.acquire(stagingLockName('dying'));
    await stageImport(db, smallBatch('Baseline', ids(3)), source, 'dying');
    expect(await sweepStaging(db, { locks, wait: true })).toEqual([]);
    expect(await recordCount(db)).toBeGreaterThan(0);
    release();
    await expect.poll(() => recordCount(db)).toBe(0);
  });

  it('without locks shared across tabs, deletes only staging too old to be alive', async () => {
    const db = freshDatabase();
    const now = Date.now();
    await stageImport(db, smallBatch('Baseline', ids(3)), source, 'young', { now });
    await stageImport(db, smallBatch('Baseline', ids(3)), source, 'old', { now: now - STAGING_STALE_MS - 1 });
    expect(await sweepStaging(db, { locks: memoryLocks(), now })).toEqual(['old']);
    expect((await dumpDatabase(db)).projects.map((p) => (p as { id: string }).id)).toEqual(['young']);
  });
});
