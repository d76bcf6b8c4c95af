import { beforeEach, describe, expect, it } from 'vitest';
import { AppState } from '../../src/lib/state/app.svelte';
import { userActivity } from '../../src/lib/state/user-activity';
import { COUNTS_KEY } from '../../src/lib/state/coding.svelte';
import { database } from '../../src/lib/db/database';
import { commitChange } from '../../src/lib/db/coding-store';
import { readDerived } from '../../src/lib/db/derived-store';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { isCountsSummary, summaryCodedAnswers, summarySubtreeCounts, type CountsSummary } from '../../src/lib/coding/counts-summary';
import { answerId, type Code, type Coding } from '../../src/lib/model/types';

// A reopen shows the counts stored when the project was last open, before it has indexed every coding, and only
// when nothing changed since (issue 15: counts on reopen).

let projectCount = 0;
let PID = '';
const ANA = { id: 'ana', name: 'Ana', color: '#2454a6' };

const code = (id: string, name: string, parentId: string | null = null): Code => ({
  projectId: PID,
  id,
  parentId,
  name,
  color: '#1f78b4',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order: 0,
});
const coding = (id: string, codeId: string, question: string, respondent: string, coderId = 'ana'): Coding => ({
  projectId: PID,
  id,
  answerId: answerId(question, 'baseline', respondent),
  codeId,
  coderId,
  start: null,
  end: null,
  createdAt: 1,
});

async function setup() {
  localStorage.clear();
  localStorage.setItem('codebench.coder', JSON.stringify(ANA));
  const db = database();
  await db.projects.add({ id: PID, name: 'Pilot', createdAt: 1, updatedAt: 1, respondentCount: 4, answerCount: 12, revision: 'first' });
  await db.questions.bulkAdd(['q1', 'q2', 'q3'].map((id, order) => ({ projectId: PID, id, text: id, order })) as never);
  await db.codes.bulkAdd([code('c-time', 'Time'), code('c-load', 'Workload', 'c-time'), code('c-empathy', 'Empathy')]);
  const codings = [
    coding('a1', 'c-time', 'q1', 'r1'),
    coding('a2', 'c-empathy', 'q1', 'r2', 'ben'),
    coding('b1', 'c-load', 'q2', 'r1'),
    coding('b2', 'c-time', 'q2', 'r3'),
    coding('b3', 'c-empathy', 'q2', 'r3'),
    coding('c1', 'c-load', 'q3', 'r4', 'ben'),
  ];
  await db.codingPages.bulkPut([...groupByPage(codings)].map(([key, list]) => ({ projectId: PID, ...splitPageKey(key), codings: list })));
  return db;
}

/** Opens the project as the app does (the shown question first), in a fresh page. */
async function open() {
  const app = new AppState();
  await app.workspace.load(PID, { questionId: 'q2' });
  return app;
}

async function storedSummary(): Promise<CountsSummary | null> {
  const read = await readDerived<unknown>(database(), PID, COUNTS_KEY);
  return read && isCountsSummary(read.value) ? read.value : null;
}

describe('counts kept for the next reopen', () => {
  beforeEach(() => {
    PID = `summary-${++projectCount}`;
  });

  it('are stored once counted, at the project’s revision, and shown at once on the next open', async () => {
    await setup();
    const first = await open();
    // Nothing stored yet: "counting…" until the index has counted.
    expect(first.workspace.counts('c-time')).toBeNull();
    expect(first.workspace.codedAnswers('q2', 'ana')).toBeNull();
    await expect.poll(() => first.workspace.countsReady).toBe(true);
    const counted = { time: first.workspace.counts('c-time'), empathy: first.workspace.counts('c-empathy'), q2: first.workspace.codedAnswers('q2', 'ana') };
    expect(counted.time).toEqual({ codings: 4, answers: 4, respondents: 3 });
    await expect.poll(storedSummary, { timeout: 8000 }).not.toBeNull();

    const again = await open();
    // Before the other questions' codings are read and counted, the stored counts are shown.
    expect(again.workspace.countsReady).toBe(false);
    expect(again.workspace.index.size).toBe(3);
    expect(again.workspace.counts('c-time')).toEqual(counted.time);
    expect(again.workspace.counts('c-empathy')).toEqual(counted.empathy);
    expect(again.workspace.counts('c-unknown')).toEqual({ codings: 0, answers: 0, respondents: 0 });
    expect(again.workspace.codedAnswers('q2', 'ana')).toBe(counted.q2);
    expect(again.workspace.codedAnswers('q1', 'ben')).toBe(1);
    // The index then takes over with the same numbers.
    await expect.poll(() => again.workspace.countsReady).toBe(true);
    expect(again.workspace.counts('c-time')).toEqual(counted.time);
  });

  it('follow the coder’s changes: the stored counts after a change are the counts with it', async () => {
    await setup();
    const app = await open();
    await expect.poll(() => app.workspace.countsReady).toBe(true);
    await expect.poll(storedSummary, { timeout: 8000 }).not.toBeNull();
    expect(await app.workspace.applyToAnswers('c-empathy', [answerId('q3', 'baseline', 'r2')])).toBe(true);
    await expect
      .poll(
        async () => {
          const summary = await storedSummary();
          return summary && summarySubtreeCounts(summary, 'c-empathy');
        },
        { timeout: 8000 },
      )
      .toEqual({ codings: 3, answers: 3, respondents: 2 });
    const summary = (await storedSummary())!;
    expect(summaryCodedAnswers(summary, 'q3', 'ana')).toBe(1);
    expect(summary.size).toBe(7);

    await app.workspace.undo();
    await expect
      .poll(
        async () => {
          const stored = await storedSummary();
          return stored && summarySubtreeCounts(stored, 'c-empathy');
        },
        { timeout: 8000 },
      )
      .toEqual({ codings: 2, answers: 2, respondents: 2 });
    const reopened = await open();
    expect(reopened.workspace.countsReady).toBe(false);
    expect(reopened.workspace.counts('c-empathy')).toEqual({ codings: 2, answers: 2, respondents: 2 });
  });

  it('are not shown once the project changed elsewhere (another tab, an import)', async () => {
    const db = await setup();
    const app = await open();
    await expect.poll(() => app.workspace.countsReady).toBe(true);
    await expect.poll(storedSummary, { timeout: 8000 }).not.toBeNull();
    const added = coding('x1', 'c-time', 'q3', 'r3');
    const empty = { putCodes: [], deleteCodes: [], putCodings: [], deleteCodings: [] };
    await commitChange(db, PID, { label: 'Apply', forward: { ...empty, putCodings: [added] }, inverse: { ...empty, deleteCodings: [added] } });
    const reopened = await open();
    expect(reopened.workspace.countsReady).toBe(false);
    expect(reopened.workspace.counts('c-time')).toBeNull();
    expect(reopened.workspace.codedAnswers('q3', 'ana')).toBeNull();
    await expect.poll(() => reopened.workspace.countsReady).toBe(true);
    expect(reopened.workspace.counts('c-time')).toEqual({ codings: 5, answers: 5, respondents: 3 });
    // Counted afresh, then kept again at the new revision.
    await expect.poll(async () => (await storedSummary())?.size, { timeout: 8000 }).toBe(7);
  });

  it('while blind, give only the coder’s own progress: the code counts are everyone’s and wait for the index', async () => {
    await setup();
    const app = await open();
    await expect.poll(() => app.workspace.countsReady).toBe(true);
    await expect.poll(storedSummary, { timeout: 8000 }).not.toBeNull();
    const blind = new AppState();
    blind.workspace.startBlind(PID);
    await blind.workspace.load(PID, { questionId: 'q2' });
    expect(blind.workspace.blind).toBe(true);
    expect(blind.workspace.countsReady).toBe(false);
    expect(blind.workspace.counts('c-time')).toBeNull();
    expect(blind.workspace.codedAnswers('q2', 'ana')).toBe(2);
  });

  it('a change made before the index has counted hides the stored counts (they no longer say what is coded)', async () => {
    await setup();
    const app = await open();
    await expect.poll(() => app.workspace.countsReady).toBe(true);
    await expect.poll(storedSummary, { timeout: 8000 }).not.toBeNull();
    // Frames held: the index cannot count (that waits for a paint) until they are let go.
    const held: FrameRequestCallback[] = [];
    const realFrame = globalThis.requestAnimationFrame;
    globalThis.requestAnimationFrame = (callback) => held.push(callback);
    try {
      const again = await open();
      expect(again.workspace.counts('c-time')).toEqual({ codings: 4, answers: 4, respondents: 3 });
      expect(await again.workspace.applyToAnswers('c-time', [answerId('q2', 'baseline', 'r2')])).toBe(true);
      expect(again.workspace.countsReady).toBe(false);
      expect(again.workspace.counts('c-time')).toBeNull();
      expect(again.workspace.codedAnswers('q2', 'ana')).toBeNull();
      globalThis.requestAnimationFrame = realFrame;
      for (const callback of held.splice(0)) callback(0);
      await expect.poll(() => again.workspace.countsReady).toBe(true);
      expect(again.workspace.counts('c-time')).toEqual({ codings: 5, answers: 5, respondents: 4 });
    } finally {
      globalThis.requestAnimationFrame = realFrame;
    }
  });
  it('wait, counted, while the user waits for Analysis to open, and are counted once it is shown', async () => {
    await setup();
    const first = await open();
    await expect.poll(() => first.workspace.countsReady).toBe(true);
    await expect.poll(storedSummary, { timeout: 8000 }).not.toBeNull();
    let opened = () => {};
    userActivity().holdWhile(new Promise<void>((resolve) => (opened = resolve)));
    const again = await open();
    // Every coding read; the count (one long task on a big project) waits, and the kept counts stay shown.
    await again.workspace.whenLoaded();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(again.workspace.countsReady).toBe(false);
    expect(again.workspace.counts('c-time')).toEqual(first.workspace.counts('c-time'));
    opened();
    await expect.poll(() => again.workspace.countsReady).toBe(true);
    expect(again.workspace.counts('c-time')).toEqual(first.workspace.counts('c-time'));
  });
});
