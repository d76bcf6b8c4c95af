import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CodingWorkspace, UNSAVED_KEY } from '../../src/lib/state/coding.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import type { Notifications } from '../../src/lib/state/notifications.svelte';
import { openWorkspace } from './open-workspace';
import { toggleWholeAnswerCode } from '../../src/lib/codebook/operations';
import { faultyDatabase, plainCode, type Fault } from '../../src/lib/db/test-helpers';
import { loadCodings, loadMemos, loadCoders } from '../../src/lib/db/coding-store';
import { reopen } from '../../src/lib/db/database';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { answerId, newId } from '../../src/lib/model/types';

// Issue 10 §1: a write the database refuses is never shown as saved. It stays
// on screen marked as not saved, in order, with one sticky message naming what
// and why, until Retry stores it (reopening a closed connection) or Discard
// goes back to what is stored.

const PID = 'p-faults';
const ME = { id: 'coder-ana', name: 'Ana', color: '#2454a6' };
const code = (id: string, name: string, order: number) => plainCode(PID, id, name, order);
const answer = (n: number) => answerId('q1', 'baseline', `r${n}`);

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeEach(() => {
  unhandled.length = 0;
  // The workspace logs each failure for the console; the assertions are on what the coder sees.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  // A rejection nobody handles surfaces a task or two later.
  await new Promise((resolve) => setTimeout(resolve, 20));
  process.off('unhandledRejection', onUnhandled);
  vi.restoreAllMocks();
  expect(unhandled).toEqual([]);
});

async function setup() {
  const faults = faultyDatabase();
  const { db } = faults;
  await db.codes.bulkAdd([code('c-rewards', 'Rewards', 0), code('c-time', 'Time', 1)]);
  await db.coders.add({ projectId: PID, ...ME });
  const { workspace, notifications } = await openWorkspace(db, PID, ME);
  return { ...faults, workspace, notifications };
}

/** Codes one answer as a coder would with a key (one undoable step). */
function codeAnswer(workspace: CodingWorkspace, n: number, codeId = 'c-rewards') {
  return workspace.perform(() =>
    toggleWholeAnswerCode(workspace.stateFor([codeId], [answer(n)]), { newId, now: () => 1 }, { projectId: PID, answerId: answer(n), codeId, coderId: ME.id }),
  );
}

function unsavedMessage(notifications: Notifications) {
  return notifications.shown.find((n) => n.key === UNSAVED_KEY);
}

async function stored(db: CodebenchDatabase) {
  await reopen(db);
  return { codings: await loadCodings(db, PID), memos: await loadMemos(db, PID), coders: await loadCoders(db, PID) };
}

const REASONS: Record<Fault, RegExp> = {
  quota: /^The browser has no room left: 3 codings and 1 memo were not saved\. Free some disk space, then Retry\.$/,
  closed: /^The database connection was closed: 3 codings and 1 memo were not saved\. Retry reopens it\.$/,
  'invalid-state': /^The database connection was closed: 3 codings and 1 memo were not saved\. Retry reopens it\.$/,
  abort: /^The browser stopped the write: 3 codings and 1 memo were not saved\. If the disk is nearly full, free some space; then Retry\.$/,
  unknown: /^The browser could not write to its storage: 3 codings and 1 memo were not saved\. If the disk is nearly full, free some space; then Retry\.$/,
};

describe('a write the database refuses', () => {
  for (const fault of ['quota', 'closed', 'abort', 'unknown', 'invalid-state'] as Fault[]) {
    it(`(${fault}) is kept as not saved with one sticky message, and Retry stores it once the fault clears`, async () => {
      const { db, workspace, notifications, fail, heal } = await setup();
      await codeAnswer(workspace, 1);
      fail(fault);
      for (const n of [2, 3, 4]) await codeAnswer(workspace, n);
      expect(await workspace.writeMemo({ kind: 'answer', id: answer(2) }, 'Mentions time twice')).toBe(true);

      // On screen, marked as not saved; never as saved.
      expect(workspace.index.forAnswer(answer(3)).map((c) => c.codeId)).toEqual(['c-rewards']);
      const pending = [2, 3, 4].map((n) => workspace.index.forAnswer(answer(n))[0].id);
      expect([...workspace.unsavedCodingIds].sort()).toEqual([...pending].sort());
      expect(workspace.unsavedCodingIds.has(workspace.index.forAnswer(answer(1))[0].id)).toBe(false);
      const memo = workspace.memosOf('answer', answer(2))[0];
      expect(workspace.unsavedMemoIds.has(memo.id)).toBe(true);
      expect(workspace.unsaved).toMatchObject({ codingsAdded: 3, memos: 1 });
      expect(workspace.hasUnsaved).toBe(true);

      const message = unsavedMessage(notifications)!;
      expect(message.text).toMatch(REASONS[fault]);
      expect(message.tone).toBe('error');
      expect(message.actions.map((a) => a.label)).toEqual(['Retry', 'Discard']);
      expect(notifications.shown.filter((n) => n.key === UNSAVED_KEY)).toHaveLength(1);

      heal();
      expect((await stored(db)).codings.map((c) => c.answerId)).toEqual([answer(1)]);

      await message.actions[0].run();
      const after = await stored(db);
      expect(after.codings.map((c) => c.answerId).sort()).toEqual([1, 2, 3, 4].map(answer).sort());
      expect(after.memos.map((m) => m.text)).toEqual(['Mentions time twice']);
      expect(unsavedMessage(notifications)).toBeUndefined();
      expect(notifications.text).toContain('Saved 3 codings and 1 memo.');
      expect(workspace.unsavedCodingIds.size).toBe(0);
      expect(workspace.unsavedMemoIds.size).toBe(0);
      expect(workspace.hasUnsaved).toBe(false);
      // Stored with their history: the last one undoes.
      await workspace.undo();
      expect(workspace.index.forAnswer(answer(4))).toEqual([]);
      expect((await stored(db)).codings).toHaveLength(3);
    });
  }

  it('keeps later changes behind a failed one, even once the fault has cleared, so they are stored in order', async () => {
    const { db, workspace, notifications, fail, heal, writes } = await setup();
    fail('quota');
    await codeAnswer(workspace, 1);
    heal();
    const before = writes();
    await codeAnswer(workspace, 1, 'c-time');
    await workspace.removeCoding(workspace.index.forAnswer(answer(1)).find((c) => c.codeId === 'c-rewards')!.id);
    expect(writes()).toBe(before);
    expect(unsavedMessage(notifications)!.text).toBe(
      'The browser has no room left: 2 codings and 1 coding removal were not saved. Free some disk space, then Retry.',
    );
    expect(await workspace.retry()).toBe(true);
    expect((await stored(db)).codings.map((c) => c.codeId)).toEqual(['c-time']);
    expect(workspace.history.undoLabel).toMatch(/remove/i);
  });

  it('keeps the message, with the new count, when Retry fails again', async () => {
    const { db, workspace, notifications, fail, heal } = await setup();
    fail('quota');
    await codeAnswer(workspace, 1);
    expect(await workspace.retry()).toBe(false);
    await codeAnswer(workspace, 2);
    expect(unsavedMessage(notifications)!.text).toMatch(/^The browser has no room left: 2 codings were not saved\./);
    heal();
    expect(await workspace.retry()).toBe(true);
    expect((await stored(db)).codings).toHaveLength(2);
  });

  it('refuses undo and redo while changes are not saved, and says why', async () => {
    const { db, workspace, notifications, fail } = await setup();
    await codeAnswer(workspace, 1);
    fail('quota');
    await codeAnswer(workspace, 2);
    await workspace.undo();
    expect(workspace.index.forAnswer(answer(2))).toHaveLength(1);
    expect(workspace.index.forAnswer(answer(1))).toHaveLength(1);
    expect(notifications.text).toContain('Undo waits until your changes are saved: Retry to save them, or Discard them to go back to what is stored.');
    await workspace.redo();
    expect(notifications.text).toContain('Redo waits until your changes are saved');
    expect((await stored(db)).codings).toHaveLength(1);
  });

  it('a failed undo changes nothing, on screen or stored, and says so', async () => {
    const { db, workspace, notifications, fail, heal } = await setup();
    await codeAnswer(workspace, 1);
    fail('quota');
    await workspace.undo();
    expect(workspace.index.forAnswer(answer(1))).toHaveLength(1);
    expect(notifications.text).toContain('Undo failed: the browser has no room left. Nothing was changed. Free some disk space, then try again.');
    expect(workspace.hasUnsaved).toBe(false);
    heal();
    await workspace.undo();
    expect(workspace.index.forAnswer(answer(1))).toEqual([]);
    expect(notifications.text).not.toContain('Undo failed');
    expect((await stored(db)).codings).toEqual([]);
  });

  it('Discard drops what was not saved and shows what is stored', async () => {
    const { workspace, notifications, fail, heal } = await setup();
    await codeAnswer(workspace, 1);
    fail('closed');
    await codeAnswer(workspace, 2);
    await workspace.writeMemo({ kind: 'answer', id: answer(1) }, 'A note');
    heal();
    await unsavedMessage(notifications)!.actions[1].run();
    expect(workspace.index.forAnswer(answer(2))).toEqual([]);
    expect(workspace.index.forAnswer(answer(1))).toHaveLength(1);
    expect(workspace.memos).toEqual([]);
    expect(unsavedMessage(notifications)).toBeUndefined();
    expect(workspace.hasUnsaved).toBe(false);
    // The connection is open again: later writes are stored.
    await codeAnswer(workspace, 3);
    expect(workspace.hasUnsaved).toBe(false);
  });

  it('keeps unsaved work on screen when the workspace is read again (another tab changed the project)', async () => {
    const { workspace, fail, heal } = await setup();
    fail('quota');
    await codeAnswer(workspace, 1);
    await workspace.writeMemo({ kind: 'answer', id: answer(1) }, 'A note');
    heal();
    await workspace.load(PID);
    expect(workspace.index.forAnswer(answer(1))).toHaveLength(1);
    expect(workspace.memos.map((m) => m.text)).toEqual(['A note']);
    expect(workspace.hasUnsaved).toBe(true);
  });

  it('reports a removed memo and a new coder’s registration that were not saved', async () => {
    const { db, workspace, notifications, fail, heal } = await setup();
    await workspace.writeMemo({ kind: 'answer', id: answer(1) }, 'Old note');
    const memo = workspace.memos[0];
    fail('unknown');
    await workspace.removeMemo(memo.id);
    expect(workspace.memos).toEqual([]);
    expect(unsavedMessage(notifications)!.text).toBe(
      'The browser could not write to its storage: 1 memo deletion was not saved. If the disk is nearly full, free some space; then Retry.',
    );
    heal();
    expect(await workspace.retry()).toBe(true);
    // Someone new to the project codes: their coder record is a write too, queued before their coding.
    const coder = new CoderState();
    coder.current = { id: 'coder-ben', name: 'Ben', color: '#a63d24' };
    const ben = new CodingWorkspace(() => db, coder, notifications);
    await ben.load(PID);
    fail('quota');
    await ben.applyToAnswers('c-time', [answer(5)]);
    expect(unsavedMessage(notifications)!.text).toBe(
      'The browser has no room left: 1 coding and 1 coder name were not saved. Free some disk space, then Retry.',
    );
    heal();
    expect(await ben.retry()).toBe(true);
    const after = await stored(db);
    expect(after.memos).toEqual([]);
    expect(after.coders.map((c) => c.name).sort()).toEqual(['Ana', 'Ben']);
    expect(after.codings.map((c) => c.coderId)).toEqual(['coder-ben']);
  });
});
