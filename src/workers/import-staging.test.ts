import { describe, expect, it } from 'vitest';
import { ImportCancelledError } from '../lib/db/commit-import';
import { listProjects } from '../lib/db/projects';
import { memoryLocks } from '../lib/db/staging';
import { dumpDatabase, freshDatabase, recordCount, smallBatch } from '../lib/db/test-helpers';
import { ANSWER_CHUNK_SIZE } from '../lib/db/schema';
import type { CodebenchDatabase } from '../lib/db/schema';
import type { StagingNotice } from './import-protocol';
import { ImportStaging } from './import-staging';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `r${String(i + 1).padStart(6, '0')}`);
const source = { fileName: 'baseline.csv', format: 'generic' };

function setup(options: { quota?: number } = {}) {
  const db = freshDatabase();
  const notices: StagingNotice[] = [];
  const staging = new ImportStaging({
    db: () => db,
    notify: (notice) => notices.push(notice),
    locks: memoryLocks({ shared: true }),
    estimate: async () => (options.quota === undefined ? undefined : { usage: 0, quota: options.quota }),
  });
  let builds = 0;
  const build =
    (respondents: number, wave = 'Baseline') =>
    () => {
      builds++;
      return { batch: smallBatch(wave, ids(respondents)), source };
    };
  return { db, notices, staging, build, builds: () => builds };
}

const stagedProjects = async (db: CodebenchDatabase) => (await dumpDatabase(db)).projects as { id: string; staging?: unknown }[];

describe('ImportStaging', () => {
  it('stores the plan unseen, says so, and publishes it on Import', async () => {
    const { db, notices, staging, build } = setup();
    staging.want('plan-a', 1, build(ANSWER_CHUNK_SIZE * 2));
    expect(notices[0]).toMatchObject({ generation: 1, state: 'storing' });
    await expect.poll(() => staging.state).toBe('stored');
    expect(notices.at(-1)).toMatchObject({ generation: 1, state: 'stored' });
    expect(await listProjects(db)).toEqual([]);
    expect(await stagedProjects(db)).toHaveLength(1);

    const progress: number[] = [];
    const summary = await staging.publish('plan-a', 'Study', (done, total) => progress.push(done / total));
    expect(summary).toMatchObject({ respondentsAdded: ANSWER_CHUNK_SIZE * 2, answersAdded: ANSWER_CHUNK_SIZE * 3 });
    expect(summary?.opening).toBeDefined();
    expect(progress).toEqual([1]);
    expect((await listProjects(db)).map((p) => p.name)).toEqual(['Study']);
    expect(staging.state).toBe('off');
  });

  it('keeps what is staged for an unchanged plan, and restages a changed one, deleting the old', async () => {
    const { db, notices, staging, build, builds } = setup();
    staging.want('plan-a', 1, build(50));
    await expect.poll(() => staging.state).toBe('stored');
    const first = (await stagedProjects(db))[0].id;
    staging.want('plan-a', 2, build(50));
    expect(notices.at(-1)).toMatchObject({ generation: 2, state: 'stored' });
    expect(builds()).toBe(1);

    staging.want('plan-b', 3, build(60, '6 months'));
    await expect.poll(() => staging.state).toBe('stored');
    const projects = await stagedProjects(db);
    expect(projects).toHaveLength(1);
    expect(projects[0].id).not.toBe(first);
    expect(await staging.publish('plan-a', 'Study', () => {})).toBeUndefined();
    expect((await staging.publish('plan-b', 'Study', () => {}))?.waveNames).toEqual(['6 months']);
  });

  it('stops a staging under way when the plan changes again and again, leaving one', async () => {
    const { db, staging, build } = setup();
    staging.want('plan-a', 1, build(ANSWER_CHUNK_SIZE * 3));
    staging.want('plan-b', 2, build(ANSWER_CHUNK_SIZE * 3));
    staging.want('plan-c', 3, build(40));
    await expect.poll(() => staging.state).toBe('stored');
    // The older runs' deletions are queued before the newest run: once it is stored, they are done.
    const projects = await stagedProjects(db);
    expect(projects).toHaveLength(1);
    expect((await staging.publish('plan-c', 'Study', () => {}))?.respondentsAdded).toBe(40);
  });

  it('builds only the plan typing stopped at, when asked to let edits settle', async () => {
    const { db, staging, build, builds } = setup();
    const never = () => new Promise<void>(() => {});
    // A name typed key by key: each plan is replaced before it settles. A macrotask between keys lets a run that
    // did not wait for its plan to settle reach its build.
    for (const [generation, key] of ['plan-b', 'plan-bo'].entries()) {
      staging.want(key, generation + 1, build(20), never);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    staging.want('plan-bot', 3, build(20), () => Promise.resolve());
    await expect.poll(() => staging.state).toBe('stored');
    expect(builds()).toBe(1);
    expect(await stagedProjects(db)).toHaveLength(1);
    expect((await staging.publish('plan-bot', 'Study', () => {}))?.respondentsAdded).toBe(20);
  });

  it('deletes everything staged when dropped (Cancel, closing the dialog, another target)', async () => {
    const { db, notices, staging, build } = setup();
    staging.want('plan-a', 1, build(ANSWER_CHUNK_SIZE * 3));
    await staging.drop(2);
    expect(notices.at(-1)).toMatchObject({ generation: 2, state: 'off' });
    expect(await recordCount(db)).toBe(0);
    staging.want('plan-a', 3, build(30));
    await expect.poll(() => staging.state).toBe('stored');
    await staging.drop();
    expect(await recordCount(db)).toBe(0);
  });

  it('makes Import wait for a staging under way, with its progress, and a Cancel then deletes it', async () => {
    const { db, staging, build } = setup();
    staging.want('plan-a', 1, build(ANSWER_CHUNK_SIZE * 8));
    const progress: number[] = [];
    const publishing = staging.publish('plan-a', 'Study', (done) => {
      progress.push(done);
      // Cancelled once storing is seen under way.
      if (done > 0) void staging.drop();
    });
    await expect(publishing).rejects.toThrow(ImportCancelledError);
    expect(progress.length).toBeGreaterThan(1);
    expect(await recordCount(db)).toBe(0);
  });

  it('waits for a staging under way and publishes it', async () => {
    const { db, staging, build } = setup();
    staging.want('plan-a', 1, build(ANSWER_CHUNK_SIZE * 4));
    const progress: number[] = [];
    const summary = await staging.publish('plan-a', 'Study', (done, total) => progress.push(done / total));
    expect(summary?.answersAdded).toBe(ANSWER_CHUNK_SIZE * 6);
    expect(progress.at(-1)).toBe(1);
    expect((await listProjects(db)).map((p) => [p.name, p.answerCount])).toEqual([['Study', ANSWER_CHUNK_SIZE * 6]]);
  });

  it("gives a storage failure as the Import's error, with nothing stored, and stores afresh after", async () => {
    const { db, notices, staging, build } = setup({ quota: 1000 });
    staging.want('plan-a', 1, build(100));
    await expect.poll(() => notices.at(-1)?.state).toBe('off');
    await expect(staging.publish('plan-a', 'Study', () => {})).rejects.toThrow(/needs about .* of browser storage/);
    expect(await recordCount(db)).toBe(0);
    // Told once: the next Import takes the one-transaction path.
    expect(await staging.publish('plan-a', 'Study', () => {})).toBeUndefined();
  });
});
