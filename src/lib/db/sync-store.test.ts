import { describe, expect, it } from 'vitest';
import { answerId, type Code, type Coding } from '../model/types';
import { commitChange, deleteMemo, ensureCoder, loadCodings, saveMemo, undo } from './coding-store';
import { forgetTeam, loadSpaceStates, loadTeam, saveSpaceStates, saveTeam, writeExternalChange } from './sync-store';
import { readHeldState } from './sync-held';
import type { TeamRecord } from './schema';
import { freshDatabase } from './test-helpers';
import type { ExternalChange } from '../sync/external-change';

const team: TeamRecord = {
  projectId: 'p',
  teamId: 't',
  relayUrl: 'ws://127.0.0.1:4455',
  key: new Uint8Array(32).fill(7),
  role: 'lead',
  coderId: 'ana',
  joinedAt: 1,
};
const code: Code = {
  projectId: 'p',
  id: 'k',
  parentId: null,
  name: 'Time',
  color: '#aa0000',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order: 0,
};
const coding = (id: string): Coding => ({
  projectId: 'p',
  id,
  answerId: answerId('q1', 'w1', 'r1'),
  codeId: 'k',
  coderId: 'ana',
  start: null,
  end: null,
  createdAt: 1,
});
const project = { id: 'p', name: 'P', createdAt: 1, updatedAt: 1, respondentCount: 1, answerCount: 1 };

function external(parts: Partial<ExternalChange> = {}): ExternalChange {
  return {
    change: { putCodes: [], deleteCodes: [], putCodings: [], deleteCodings: [] },
    memos: { put: [], delete: [] },
    coders: { put: [], delete: [] },
    rounds: { put: [], delete: [] },
    codebookVersions: { put: [], delete: [] },
    project: {},
    ...parts,
  };
}

describe('the sync outbox', () => {
  it('keeps every local write of a team project in the write’s own transaction, and nothing without a team', async () => {
    const db = freshDatabase();
    await db.projects.add(project);
    await commitChange(db, 'p', { label: 'Code', forward: { ...external().change, putCodes: [code], putCodings: [coding('c1')] }, inverse: external().change });
    expect(await db.syncOutbox.count()).toBe(0);

    await saveTeam(db, team);
    await commitChange(db, 'p', {
      label: 'Code',
      forward: { ...external().change, putCodings: [coding('c2')] },
      inverse: { ...external().change, deleteCodings: [coding('c2')] },
    });
    await undo(db, 'p');
    await ensureCoder(db, { projectId: 'p', id: 'ana', name: 'Ana', color: '#000000' });
    const memo = {
      projectId: 'p',
      id: 'm',
      target: { kind: 'answer' as const, id: 'a' },
      text: 'Note',
      coderId: 'ana',
      coderName: 'Ana',
      createdAt: 1,
      updatedAt: 1,
    };
    await saveMemo(db, memo);
    await deleteMemo(db, 'p', 'm');
    const kept = (await db.syncOutbox.toArray()).map((r) => r.write);
    expect(kept.map((w) => Object.keys(w)[0])).toEqual(['change', 'change', 'coder', 'memo', 'memoDeleted']);
    expect(kept[0].change?.putCodings.map((c) => c.id)).toEqual(['c2']);
    expect(kept[1].change?.deleteCodings.map((c) => c.id)).toEqual(['c2']);
    expect(kept[4].memoDeleted).toEqual({ id: 'm', coderId: 'ana' });
  });

  it('is forgotten with the team, with its sealed logs; the project stays', async () => {
    const db = freshDatabase();
    await db.projects.add(project);
    await saveTeam(db, team);
    await saveSpaceStates(db, 'p', new Map([['shared', new Uint8Array([1, 2, 3])]]));
    await commitChange(db, 'p', { label: 'Code', forward: { ...external().change, putCodings: [coding('c1')] }, inverse: external().change });
    const loaded = await loadTeam(db, 'p');
    expect({ ...loaded, key: Array.from(loaded!.key) }).toEqual({ ...team, key: Array.from(team.key) });
    // Compared as plain numbers: fake-indexeddb's clone is a Uint8Array of another realm than jsdom's.
    expect([...(await loadSpaceStates(db, 'p'))].map(([space, state]) => [space, Array.from(state)])).toEqual([['shared', [1, 2, 3]]]);
    await forgetTeam(db, 'p');
    expect(await loadTeam(db, 'p')).toBeUndefined();
    expect((await loadSpaceStates(db, 'p')).size).toBe(0);
    expect(await db.syncOutbox.count()).toBe(0);
    expect((await loadCodings(db, 'p')).map((c) => c.id)).toEqual(['c1']);
  });
});

describe('writeExternalChange', () => {
  it('writes what the team changed, of every kind, and gives the project a new revision', async () => {
    const db = freshDatabase();
    await db.projects.add({ ...project, revision: 'r0' });
    const revision = await writeExternalChange(
      db,
      'p',
      external({
        change: { putCodes: [code], deleteCodes: [], putCodings: [coding('c1')], deleteCodings: [] },
        coders: { put: [{ projectId: 'p', id: 'ben', name: 'Ben', color: '#111111' }], delete: [] },
        project: { name: 'Renamed', primaryCoderId: 'ben' },
      }),
    );
    const stored = await db.projects.get('p');
    expect(stored?.revision).toBe(revision);
    expect(revision).not.toBe('r0');
    expect(stored?.name).toBe('Renamed');
    const held = await readHeldState(db, 'p');
    expect(held.codings.map((c) => c.id)).toEqual(['c1']);
    expect(held.coders.map((c) => c.name)).toEqual(['Ben']);
    expect(held.project).toEqual({ name: 'Renamed', primaryCoderId: 'ben' });
    // Not an undoable step of this coder's.
    expect(await db.history.count()).toBe(0);
  });

  it('writes nothing at all when the transaction fails', async () => {
    const db = freshDatabase();
    await db.projects.add(project);
    const bad = external({
      change: { putCodes: [code], deleteCodes: [], putCodings: [coding('c1')], deleteCodings: [] },
      // A record IndexedDB cannot clone fails the whole transaction.
      coders: { put: [{ projectId: 'p', id: 'ben', name: 'Ben', color: '#111111', broken: () => 1 } as never], delete: [] },
    });
    await expect(writeExternalChange(db, 'p', bad)).rejects.toThrow();
    expect(await loadCodings(db, 'p')).toEqual([]);
    expect(await db.codes.count()).toBe(0);
  });
});
