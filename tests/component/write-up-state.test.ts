import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { WriteUpState } from '../../src/lib/state/write-up.svelte';
import { Notifications } from '../../src/lib/state/notifications.svelte';
import { commitImport } from '../../src/lib/db/commit-import';
import { loadProjectOverview, loadRespondents } from '../../src/lib/db/projects';
import { addFaults, freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import { loadWriteUp } from '../../src/lib/db/write-up-store';
import type { CodebenchDatabase } from '../../src/lib/db/schema';

const opened: CodebenchDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

async function setUp(ids = ['r1', 'r2', 'r3', 'r4']) {
  const db = freshDatabase();
  const faults = addFaults(db);
  opened.push(db);
  const { projectId } = await commitImport(db, smallBatch('Baseline', ids), { kind: 'new', name: 'Study' }, { fileName: 'f.csv', format: 'csv' });
  const project = { overview: (await loadProjectOverview(db, projectId))!, respondents: await loadRespondents(db, projectId) };
  const notifications = new Notifications();
  let changes = 0;
  const state = new WriteUpState(
    () => db,
    project,
    notifications,
    () => changes++,
  );
  await state.load(projectId);
  return { db, faults, projectId, project, notifications, state, changes: () => changes };
}

describe('WriteUpState', () => {
  it('labels everyone by the likely role attribute on first load, and stores the labels', async () => {
    const { db, projectId, state, changes } = await setUp();
    // smallBatch: r1, r3 mentees; r2, r4 mentors.
    expect(state.roleAttribute).toBe('role');
    expect(Object.fromEntries(state.pseudonyms)).toEqual({ r1: 'Mentee 1', r2: 'Mentor 1', r3: 'Mentee 2', r4: 'Mentor 2' });
    expect((await loadWriteUp(db, projectId)).pseudonyms).toEqual([
      { roleAttribute: 'role', ids: ['r1', 'r3', 'r2', 'r4'], labels: ['Mentee 1', 'Mentee 2', 'Mentor 1', 'Mentor 2'] },
    ]);
    // The likely attribute is now the chosen one, so a likelier one imported later changes nobody's label.
    expect((await loadWriteUp(db, projectId)).settings.roleAttribute).toBe('role');
    expect(changes()).toBe(2);
  });

  it('keeps labels across a reload and for the same choice after switching away and back', async () => {
    const { db, project, projectId, state, notifications } = await setUp();
    expect(await state.rename('r1', 'Aisha (mentee)')).toBeNull();
    expect(await state.setRoleAttribute(null)).toBe(true);
    expect(state.pseudonyms.get('r1')).toBe('Respondent 1');
    expect(await state.setRoleAttribute('role')).toBe(true);
    expect(state.pseudonyms.get('r1')).toBe('Aisha (mentee)');
    const again = new WriteUpState(() => db, project, notifications);
    await again.load(projectId);
    expect(again.roleAttribute).toBe('role');
    expect(again.pseudonyms.get('r1')).toBe('Aisha (mentee)');
    expect(again.pseudonyms.get('r3')).toBe('Mentee 2');
  });

  it('refuses a duplicate or blank label with a message, and stores nothing', async () => {
    const { db, projectId, state } = await setUp();
    expect(await state.rename('r1', 'mentor 1')).toMatch(/already the pseudonym of another respondent/);
    expect(await state.rename('r1', ' ')).toMatch(/cannot be empty/);
    expect(state.pseudonyms.get('r1')).toBe('Mentee 1');
    const stored = (await loadWriteUp(db, projectId)).pseudonyms[0];
    expect(stored.labels[stored.ids.indexOf('r1')]).toBe('Mentee 1');
  });

  it('adds to and removes from the author’s list, refusing a word already there', async () => {
    const { db, projectId, state } = await setUp();
    expect(await state.addToList('  Aisha  Khan ')).toBe(true);
    expect(await state.addToList('aisha khan')).toBe(false);
    expect(state.settings.redactionList).toEqual(['Aisha Khan']);
    expect((await loadWriteUp(db, projectId)).settings.redactionList).toEqual(['Aisha Khan']);
    expect(await state.removeFromList('Aisha Khan')).toBe(true);
    expect((await loadWriteUp(db, projectId)).settings.redactionList).toEqual([]);
  });

  it('keeps a span and redacts it again, by its code points in the answer', async () => {
    const { db, projectId, state } = await setUp();
    const span = { answerStart: 3, answerEnd: 8 };
    expect(await state.setKept('a1', span, true)).toBe(true);
    expect(state.isKept('a1', span)).toBe(true);
    expect((await loadWriteUp(db, projectId)).settings.kept).toEqual([{ answerId: 'a1', start: 3, end: 8 }]);
    expect(await state.setKept('a1', span, false)).toBe(true);
    expect(state.isKept('a1', span)).toBe(false);
  });

  it('shows nothing as saved when the browser refuses a write, and says so', async () => {
    const { faults, state, notifications, changes } = await setUp();
    const before = changes();
    faults.fail('quota');
    expect(await state.addToList('Bob')).toBe(false);
    expect(state.settings.redactionList).toEqual([]);
    expect(notifications.shown.map((n) => n.text).join('\n')).toMatch(/Adding “Bob” to your list failed: .*Nothing was stored/);
    expect(await state.rename('r1', 'Someone')).toMatch(/Not saved/);
    expect(state.pseudonyms.get('r1')).toBe('Mentee 1');
    expect(await state.setRoleAttribute(null)).toBe(false);
    expect(state.roleAttribute).toBe('role');
    expect(changes()).toBe(before);
    expect(notifications.shown.map((n) => n.text).join('\n')).toMatch(/Choosing the role attribute failed/);
  });

  it('lists and searches the pseudonym panel’s rows', async () => {
    const { state } = await setUp();
    expect(state.rows.matching).toBe(4);
    state.query = 'mentor';
    expect(state.rows.rows.map((r) => r.respondentId)).toEqual(['r2', 'r4']);
    state.query = 'MENTEE 2';
    expect(state.rows.rows).toEqual([{ respondentId: 'r3', role: 'mentee', label: 'Mentee 2' }]);
  });

  it('gives a respondent added by a later import the next free number', async () => {
    const { db, projectId, state, project } = await setUp(['r1', 'r2', 'r3', 'r4', 'r0']);
    expect(state.pseudonyms.get('r0')).toBe('Mentee 1');
    // As if a later import added r5 (a mentee) after the labels were stored.
    const respondents = { ids: [...project.respondents.ids, 'r5'], attributes: { role: [...project.respondents.attributes.role, 'mentee'] } };
    const later = new WriteUpState(() => db, { overview: project.overview, respondents }, new Notifications());
    await later.load(projectId);
    expect(later.pseudonyms.get('r5')).toBe('Mentee 4');
    expect(later.pseudonyms.get('r0')).toBe('Mentee 1');
  });
});
