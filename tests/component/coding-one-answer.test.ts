/**
 * Coding an answer by key reads that answer's codings alone (issue 15): gathering every coding of the code, and
 * building the code lookups to do it, cost most of a key press at 2M answers. What it does must not change.
 */
import { describe, expect, it, vi } from 'vitest';
import { openWorkspace } from './open-workspace';
import { freshDatabase, plainCode } from '../../src/lib/db/test-helpers';
import { loadCodings } from '../../src/lib/db/coding-store';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { answerId, type Coding } from '../../src/lib/model/types';

const PID = 'p-one-answer';
const ME = { id: 'coder-ana', name: 'Ana', color: '#2454a6' };
const code = (id: string, name: string, order: number) => plainCode(PID, id, name, order);
const answer = (n: number) => answerId('q1', 'baseline', `r${n}`);
const coding = (id: string, n: number, codeId: string, start: number | null = null, end: number | null = null): Coding => ({
  projectId: PID,
  id,
  answerId: answer(n),
  codeId,
  coderId: ME.id,
  start,
  end,
  createdAt: 1,
});

describe('coding one answer', () => {
  it('applies, joins a passage, toggles off and removes from the answer’s own codings, never the code’s', async () => {
    const db = freshDatabase();
    await db.codes.bulkAdd([code('c-rewards', 'Rewards', 0), code('c-time', 'Time', 1)]);
    await db.coders.add({ projectId: PID, ...ME });
    // Answer 1 has a passage of Rewards; answers 2–40 have Rewards on the whole answer.
    const seeded = [coding('k-passage', 1, 'c-rewards', 0, 4), ...Array.from({ length: 39 }, (_, i) => coding(`k${i + 2}`, i + 2, 'c-rewards'))];
    await db.codingPages.bulkPut([...groupByPage(seeded)].map(([key, list]) => ({ projectId: PID, ...splitPageKey(key), codings: list })));
    const { workspace } = await openWorkspace(db, PID, ME);
    await workspace.whenLoaded();
    workspace.isOnScreen = () => true;
    const forCode = vi.spyOn(workspace.index, 'forCode');
    const relevant = vi.spyOn(workspace.index, 'relevant');
    const mine = () =>
      workspace.index
        .forAnswer(answer(1))
        .map((c) => (c.start === null ? `${c.codeId} whole` : `${c.codeId} ${c.start}–${c.end}`))
        .sort();

    workspace.focusedAnswerId = answer(1);
    workspace.applyCode('c-rewards');
    expect(mine()).toEqual(['c-rewards 0–4', 'c-rewards whole']);
    // A passage touching the one there is joined with it.
    workspace.selection = { answerId: answer(1), start: 3, end: 9 };
    workspace.applyCode('c-rewards');
    expect(mine()).toEqual(['c-rewards 0–9', 'c-rewards whole']);
    // The key again takes the whole-answer coding off; the passage is removed by its id.
    workspace.focusedAnswerId = answer(1);
    workspace.applyCode('c-rewards');
    workspace.removeCoding('k-passage');
    expect(mine()).toEqual([]);
    workspace.applyCode('c-time');
    expect(mine()).toEqual(['c-time whole']);

    expect(forCode).not.toHaveBeenCalled();
    expect(relevant).not.toHaveBeenCalled();
    // Stored as shown, the other answers' codings untouched.
    await vi.waitFor(async () => {
      const stored = await loadCodings(db, PID);
      expect(stored.filter((c) => c.answerId === answer(1)).map((c) => c.codeId)).toEqual(['c-time']);
      expect(stored.filter((c) => c.codeId === 'c-rewards')).toHaveLength(39);
    });
  });
});
