import { describe, expect, it } from 'vitest';
import type { ReversibleChange } from '../coding/change';
import { emptyChange } from '../coding/change';
import { answerId, type Code, type Coding } from '../model/types';
import { commitChange, HISTORY_LIMIT, historyStatus, loadCodes, loadCodings, redo, undo } from './coding-store';
import { freshDatabase } from './test-helpers';

const code: Code = {
  projectId: 'p',
  id: 'time',
  parentId: null,
  name: 'Time',
  color: '#aa0000',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order: 0,
};
const coding = (id: string, respondent: string): Coding => ({
  projectId: 'p',
  id,
  answerId: answerId('q1', 'baseline', respondent),
  codeId: 'time',
  coderId: 'ana',
  start: 0,
  end: 4,
  createdAt: 1,
});
const apply = (c: Coding): ReversibleChange => ({
  label: `Apply ${c.id}`,
  forward: { ...emptyChange(), putCodings: [c] },
  inverse: { ...emptyChange(), deleteCodings: [c] },
});

describe('coding store', () => {
  it('commits, undoes and redoes changes, in order, across a reopen', async () => {
    const db = freshDatabase();
    await commitChange(db, 'p', { label: 'Create Time', forward: { ...emptyChange(), putCodes: [code] }, inverse: { ...emptyChange(), deleteCodes: [code] } });
    await commitChange(db, 'p', apply(coding('a', 'E01')));
    await commitChange(db, 'p', apply(coding('b', 'E02')));
    expect((await loadCodings(db, 'p')).map((c) => c.id).sort()).toEqual(['a', 'b']);

    expect((await undo(db, 'p'))?.label).toBe('Apply b');
    expect((await undo(db, 'p'))?.label).toBe('Apply a');
    expect(await loadCodings(db, 'p')).toEqual([]);
    expect(await historyStatus(db, 'p')).toEqual({ undoLabel: 'Create Time', redoLabel: 'Apply a' });

    db.close();
    await db.open();
    expect((await redo(db, 'p'))?.label).toBe('Apply a');
    expect((await loadCodings(db, 'p')).map((c) => c.id)).toEqual(['a']);
    expect((await undo(db, 'p'))?.label).toBe('Apply a');
    expect((await undo(db, 'p'))?.label).toBe('Create Time');
    expect(await loadCodes(db, 'p')).toEqual([]);
    expect(await undo(db, 'p')).toBeNull();
  });

  it('drops the redo branch when a new change is made', async () => {
    const db = freshDatabase();
    await commitChange(db, 'p', apply(coding('a', 'E01')));
    await undo(db, 'p');
    await commitChange(db, 'p', apply(coding('b', 'E02')));
    expect(await redo(db, 'p')).toBeNull();
    expect((await loadCodings(db, 'p')).map((c) => c.id)).toEqual(['b']);
  });

  it('keeps codings of other answers in the same page when one is removed', async () => {
    const db = freshDatabase();
    const many = Array.from({ length: 300 }, (_, i) => coding(`c${i}`, `R${i}`));
    await commitChange(db, 'p', { label: 'Auto-code', forward: { ...emptyChange(), putCodings: many }, inverse: { ...emptyChange(), deleteCodings: many } });
    await commitChange(db, 'p', {
      label: 'Remove one',
      forward: { ...emptyChange(), deleteCodings: [many[7]] },
      inverse: { ...emptyChange(), putCodings: [many[7]] },
    });
    expect(await loadCodings(db, 'p')).toHaveLength(299);
    expect(await db.codingPages.count()).toBeLessThanOrEqual(64);
    await undo(db, 'p');
    expect(await loadCodings(db, 'p')).toHaveLength(300);
  });

  it('ignores an empty change', async () => {
    const db = freshDatabase();
    await commitChange(db, 'p', { label: 'Nothing', forward: emptyChange(), inverse: emptyChange() });
    expect(await db.history.count()).toBe(0);
  });

  it('keeps at most the history limit of steps, dropping the oldest', async () => {
    // A small limit proves the pruning without 1,000 commits into fake-indexeddb (20 s on a busy machine).
    const db = freshDatabase();
    const limit = 5;
    for (let i = 0; i < limit + 3; i++) await commitChange(db, 'p', apply(coding(`k${i}`, `R${i}`)), limit);
    expect(await db.history.count()).toBe(limit);
    expect((await db.history.toArray()).map((e) => e.label)).toEqual([3, 4, 5, 6, 7].map((i) => `Apply k${i}`));
    expect((await historyStatus(db, 'p')).undoLabel).toBe(`Apply k${limit + 2}`);
    // Undone steps are a redo branch, not kept steps: a new change drops them and the limit still holds.
    await undo(db, 'p');
    await undo(db, 'p');
    await commitChange(db, 'p', apply(coding('new', 'R99')), limit);
    expect((await db.history.toArray()).map((e) => e.label)).toEqual([3, 4, 5].map((i) => `Apply k${i}`).concat('Apply new'));
  });

  it('keeps HISTORY_LIMIT (1,000) steps when no limit is given, as the app commits', async () => {
    expect(HISTORY_LIMIT).toBe(1000);
    const db = freshDatabase();
    // A full history written in one go, then one commit through the default limit.
    await db.history.bulkAdd(
      Array.from({ length: HISTORY_LIMIT }, (_, i) => ({
        projectId: 'p',
        seq: i + 1,
        label: `Old ${i + 1}`,
        at: 1,
        forward: emptyChange(),
        inverse: emptyChange(),
        undone: false,
      })),
    );
    await commitChange(db, 'p', apply(coding('last', 'R1')));
    expect(await db.history.count()).toBe(HISTORY_LIMIT);
    const kept = await db.history.toArray();
    expect(kept[0].label).toBe('Old 2');
    expect(kept.at(-1)?.label).toBe('Apply last');
  });
});

describe('loadCodings for some questions', () => {
  it('reads only the codings on answers to those questions', async () => {
    const db = freshDatabase();
    const onQ2: Coding = { ...coding('c', 'E03'), answerId: answerId('q2', 'baseline', 'E03') };
    for (const c of [coding('a', 'E01'), coding('b', 'E02'), onQ2]) await commitChange(db, 'p', apply(c));
    expect((await loadCodings(db, 'p', ['q2'])).map((c) => c.id)).toEqual(['c']);
    expect((await loadCodings(db, 'p', ['q1'])).map((c) => c.id).sort()).toEqual(['a', 'b']);
    expect((await loadCodings(db, 'p')).length).toBe(3);
  });
});
