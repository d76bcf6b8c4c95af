import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppState } from '../../src/lib/state/app.svelte';
import { CoderState } from '../../src/lib/state/coder.svelte';
import { Notifications } from '../../src/lib/state/notifications.svelte';
import { database } from '../../src/lib/db/database';
import { addFaults, type Faults } from '../../src/lib/db/test-helpers';
import { answerId, type Code } from '../../src/lib/model/types';

// Issue 10 §1: settings kept in localStorage (coder identity, shortcut keys,
// blind mode) and the page's unload while work is not saved.

const PID = 'p-settings';
const rewards: Code = {
  projectId: PID,
  id: 'c1',
  parentId: null,
  name: 'Rewards',
  color: '#1f78b4',
  definition: '',
  inclusion: '',
  exclusion: '',
  example: '',
  order: 0,
};
let faults: Faults;

beforeAll(() => {
  faults = addFaults(database());
});

afterEach(() => {
  faults.heal();
  vi.restoreAllMocks();
});

function storageFull() {
  vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
    throw new DOMException("Failed to execute 'setItem' on 'Storage': Setting the value exceeded the quota.", 'QuotaExceededError');
  });
}

describe('settings the browser cannot keep', () => {
  it('a coder’s name still works for the visit, and the coder is told it was not remembered', () => {
    storageFull();
    const notifications = new Notifications();
    const coder = new CoderState(notifications);
    const done = vi.fn();
    coder.withCoder(done);
    expect(coder.setName('Ana')).toBeNull();
    expect(coder.current?.name).toBe('Ana');
    expect(done).toHaveBeenCalledOnce();
    expect(notifications.text).toBe(
      'Your name could not be remembered in this browser: the browser has no room left. You code as “Ana” until the page is closed.',
    );
  });

  it('blind mode holds for the visit, with a message; a code key is stored with its code, not in the browser', async () => {
    await database().codes.add(rewards);
    const app = new AppState();
    app.notifications.scope = PID;
    await app.workspace.load(PID);
    storageFull();
    expect(app.workspace.setShortcut('c1', 'r')).toBeNull();
    expect(app.workspace.shortcuts.get('c1')).toBe('r');
    await expect.poll(async () => (await database().codes.get([PID, 'c1']))?.shortcut).toBe('r');
    expect(app.notifications.text).not.toContain('could not be remembered');
    app.workspace.setBlind(true);
    expect(app.workspace.blind).toBe(true);
    expect(app.notifications.text).toContain('Blind mode could not be remembered in this browser: the browser has no room left.');
  });
});

describe('leaving the page', () => {
  it('asks before closing while a change is not saved, and not once it is', async () => {
    const app = new AppState();
    app.coder.current = { id: 'coder-ana', name: 'Ana', color: '#2454a6' };
    await database().codes.put(rewards);
    await app.workspace.load(PID);
    const leave = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(leave()).toBe(false);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    faults.fail('quota');
    await app.workspace.applyToAnswers('c1', [answerId('q1', 'w', 'r1')]);
    expect(app.workspace.hasUnsaved).toBe(true);
    expect(leave()).toBe(true);
    faults.heal();
    expect(await app.workspace.retry()).toBe(true);
    expect(leave()).toBe(false);
  });
});

describe('project list writes', () => {
  it('a rename or a deletion the database refuses says so and changes nothing', async () => {
    const { commitImport } = await import('../../src/lib/db/commit-import');
    const { smallBatch } = await import('../../src/lib/db/test-helpers');
    const { projectId } = await commitImport(
      database(),
      smallBatch('Baseline', ['a']),
      { kind: 'new', name: 'Pilot' },
      { fileName: 'f.csv', format: 'generic' },
    );
    const app = new AppState();
    await app.projects.refresh();
    faults.fail('quota');
    expect(await app.projects.rename(projectId, 'Renamed')).toBe(false);
    expect(app.projects.error).toBe('The name was not saved: the browser has no room left. Free some disk space, then try again.');
    await app.deleteProject(projectId);
    expect(app.notifications.text).toBe('The project was not deleted: the browser has no room left. Free some disk space, then try again.');
    faults.heal();
    await app.projects.refresh();
    expect(app.projects.projects.find((p) => p.id === projectId)?.name).toBe('Pilot');
  });
});
