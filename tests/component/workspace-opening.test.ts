import { beforeEach, describe, expect, it } from 'vitest';
import { AppState } from '../../src/lib/state/app.svelte';
import { database } from '../../src/lib/db/database';
import { loadCodings } from '../../src/lib/db/coding-store';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { answerId, type Code, type Coding } from '../../src/lib/model/types';

// Opening a project reads the shown question's codings first and the others after
// it; a change made meanwhile must still see every coding it touches.

let projectCount = 0;
let PID = '';

const code = (id: string, name: string): Code => ({
  projectId: PID,
  id,
  parentId: null,
  name,
  color: '#1f78b4',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order: 0,
});
const coding = (id: string, codeId: string, question: string, respondent: string): Coding => ({
  projectId: PID,
  id,
  answerId: answerId(question, 'baseline', respondent),
  codeId,
  coderId: 'ana',
  start: null,
  end: null,
  createdAt: 1,
});

function seed(): Coding[] {
  return [
    coding('a1', 'c-time', 'q1', 'r1'),
    coding('a2', 'c-empathy', 'q1', 'r2'),
    coding('b1', 'c-time', 'q2', 'r1'),
    coding('b2', 'c-time', 'q2', 'r3'),
    coding('b3', 'c-empathy', 'q2', 'r3'),
    coding('c1', 'c-time', 'q3', 'r4'),
  ];
}

async function setup() {
  const db = database();
  await db.questions.bulkAdd(['q1', 'q2', 'q3'].map((id, order) => ({ projectId: PID, id, text: id, order })) as never);
  await db.codes.bulkAdd([code('c-time', 'Time'), code('c-empathy', 'Empathy'), code('c-load', 'Workload')]);
  const pages = [...groupByPage(seed())].map(([key, list]) => ({ projectId: PID, ...splitPageKey(key), codings: list }));
  await db.codingPages.bulkPut(pages);
  return new AppState();
}

describe('opening a project with codings', () => {
  beforeEach(() => {
    PID = `opening-${++projectCount}`;
  });

  it('is ready with the shown question’s codings, then reads the rest and counts them all', async () => {
    const app = await setup();
    await app.workspace.load(PID, { questionId: 'q2' });
    expect(app.workspace.loaded).toBe(true);
    expect(app.workspace.index.size).toBe(3);
    expect(app.workspace.index.forAnswer(answerId('q2', 'baseline', 'r3')).map((c) => c.id)).toEqual(['b2', 'b3']);
    expect(app.workspace.counts('c-time')).toBeNull();

    await app.workspace.whenLoaded();
    expect(app.workspace.index.size).toBe(6);
    await expect.poll(() => app.workspace.countsReady).toBe(true);
    expect(app.workspace.counts('c-time')).toEqual({ codings: 4, answers: 4, respondents: 3 });
  });

  it('reads the other questions’ codings only once the project it is told to wait for is open', async () => {
    const app = await setup();
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    await app.workspace.load(PID, { questionId: 'q2', after: opened });
    let loaded = false;
    const whenLoaded = app.workspace.whenLoaded().then(() => (loaded = true));
    // Several tasks and frames go by: nothing more is read while the project is still opening.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(app.workspace.index.size).toBe(3);
    expect(loaded).toBe(false);
    expect(app.workspace.countsReady).toBe(false);
    open();
    await whenLoaded;
    expect(app.workspace.index.size).toBe(6);
    await expect.poll(() => app.workspace.countsReady).toBe(true);
    expect(app.workspace.counts('c-time')).toEqual({ codings: 4, answers: 4, respondents: 3 });
  });

  it('reads the rest even when the project it waits for fails to open', async () => {
    const app = await setup();
    await app.workspace.load(PID, { questionId: 'q1', after: Promise.reject(new Error('no project')) });
    await app.workspace.whenLoaded();
    expect(app.workspace.index.size).toBe(6);
  });

  it('starts from the first question when the route names none', async () => {
    const app = await setup();
    await app.workspace.load(PID, { questionId: null });
    expect(app.workspace.index.forAnswer(answerId('q1', 'baseline', 'r1')).map((c) => c.id)).toEqual(['a1']);
    expect(app.workspace.index.size).toBe(2);
  });

  it('lets a merge made before the rest is read wait for it, so no coding is left behind', async () => {
    const app = await setup();
    await app.workspace.load(PID, { questionId: 'q1' });
    expect(app.workspace.index.size).toBe(2);
    expect(await app.workspace.mergeCodes('c-time', 'c-load')).toBe(true);
    const stored = await loadCodings(database(), PID);
    expect(stored.filter((c) => c.codeId === 'c-time')).toEqual([]);
    expect(
      stored
        .filter((c) => c.codeId === 'c-load')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['a1', 'b1', 'b2', 'c1']);
    expect(app.workspace.index.forCode('c-time')).toEqual([]);
    expect(app.workspace.index.forCode('c-load')).toHaveLength(4);
  });

  it('lets an undo pressed before the rest is read wait for it too', async () => {
    const app = await setup();
    await app.workspace.load(PID);
    expect(await app.workspace.deleteCode('c-time')).toBe(true);
    const reopened = new AppState();
    await reopened.workspace.load(PID, { questionId: 'q1' });
    expect(reopened.workspace.index.size).toBe(1);
    await reopened.workspace.undo();
    expect(reopened.workspace.index.size).toBe(6);
    expect((await loadCodings(database(), PID)).map((c) => c.id).sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'b3', 'c1']);
  });
});
