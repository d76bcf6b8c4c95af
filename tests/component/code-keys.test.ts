import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import ShortcutsDialog from '../../src/ui/project/shortcuts-dialog.svelte';
import { KEYMAP, keymapByContext } from '../../src/lib/coding/keymap';
import { AppState } from '../../src/lib/state/app.svelte';
import { database } from '../../src/lib/db/database';
import { addCodes } from '../../src/lib/db/codebook';
import { loadCodes } from '../../src/lib/db/coding-store';
import type { Code } from '../../src/lib/model/types';

// Issue 14 §3: a key belongs to its code; the "?" dialog lists the one keymap.

HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.setAttribute('open', '');
};

let projectCount = 0;
const newProject = () => `p-keys-${++projectCount}`;

function code(projectId: string, id: string, order: number, parentId: string | null = null, shortcut?: string): Code {
  return {
    projectId,
    id,
    parentId,
    name: `Code ${id}`,
    color: '#1f78b4',
    definition: '',
    inclusion: '',
    exclusion: '',
    example: '',
    order,
    ...(shortcut === undefined ? {} : { shortcut }),
  };
}

const keysIn = async (projectId: string) => Object.fromEntries((await loadCodes(database(), projectId)).map((c) => [c.id, c.shortcut]));

afterEach(() => {
  vi.restoreAllMocks();
  localStorage.clear();
});

describe('the "?" dialog', () => {
  it('lists every binding of the keymap, Ctrl+Y among them, a section per context, then the codes’ keys', () => {
    const codes = [code('p', 'a', 0), code('p', 'b', 1)];
    render(ShortcutsDialog, {
      shortcuts: new Map([
        ['a', '1'],
        ['b', 'x'],
      ]),
      codeById: new Map(codes.map((c) => [c.id, c])),
      onclose: () => undefined,
    });
    const dialog = screen.getByTestId('shortcuts-dialog');
    const redo = within(dialog).getByText((_, element) => element?.tagName === 'KBD' && /Ctrl\/⌘ \+ Y/.test(element.textContent ?? ''));
    expect(redo.closest('tr')).toHaveAttribute('data-action', 'redo');
    for (const section of keymapByContext()) {
      const region = within(dialog).getByTestId(`keys-${section.context}`);
      expect(within(region).getByRole('heading', { name: section.title })).toBeInTheDocument();
      expect(within(region).getAllByRole('row')).toHaveLength(section.bindings.length);
    }
    expect(dialog.querySelectorAll('tr[data-action]')).toHaveLength(KEYMAP.length);
    const codeRows = within(within(dialog).getByTestId('keys-codes')).getAllByRole('row');
    expect(codeRows.map((row) => row.textContent)).toEqual(['1Code a', 'xCode b']);
  });
});

describe('keys of projects from before keys were kept with codes', () => {
  it('are given once on loading: the coder’s own keys first, then 1–9 by tree position, then free keys; stored, and the browser’s copy dropped', async () => {
    const PID = newProject();
    // Tree order: c1, c2 (under c1), c3, … c12.
    const codes = [code(PID, 'c1', 0), code(PID, 'c2', 0, 'c1'), ...Array.from({ length: 10 }, (_, i) => code(PID, `c${i + 3}`, i + 1))];
    await database().codes.bulkAdd(codes);
    localStorage.setItem(`codebench.shortcuts.${PID}`, JSON.stringify({ c1: 'w', c4: '2', gone: '5' }));
    const app = new AppState();
    await app.workspace.load(PID);
    const expected = { c1: 'w', c2: '1', c3: '3', c4: '2', c5: '5', c6: '6', c7: '7', c8: '8', c9: '9', c10: '4', c11: 'a', c12: 'b' };
    expect(Object.fromEntries(app.workspace.shortcuts)).toEqual(expected);
    await expect.poll(() => keysIn(PID)).toEqual(expected);
    await expect.poll(() => localStorage.getItem(`codebench.shortcuts.${PID}`)).toBeNull();
    // Nothing to undo: an upgrade, not a change of the coder's.
    expect(app.workspace.history.undoLabel).toBeNull();

    // Loaded again: the same keys, nothing rewritten.
    const again = new AppState();
    await again.workspace.load(PID);
    expect(Object.fromEntries(again.workspace.shortcuts)).toEqual(expected);
  });

  it('hold for the visit when they can’t be stored, keeping the browser’s copy for next time', async () => {
    const PID = newProject();
    await database().codes.bulkAdd([code(PID, 'c1', 0), code(PID, 'c2', 1)]);
    localStorage.setItem(`codebench.shortcuts.${PID}`, JSON.stringify({ c2: 'z' }));
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const update = vi.spyOn(database().codes, 'update').mockRejectedValue(new Error('disk full'));
    const app = new AppState();
    await app.workspace.load(PID);
    expect(Object.fromEntries(app.workspace.shortcuts)).toEqual({ c1: '1', c2: 'z' });
    await expect.poll(() => error.mock.calls.length).toBeGreaterThan(0);
    expect(localStorage.getItem(`codebench.shortcuts.${PID}`)).not.toBeNull();
    update.mockRestore();
    expect(await keysIn(PID)).toEqual({ c1: undefined, c2: undefined });
  });
});

describe('setting a key in the workspace', () => {
  it('is an undoable code edit; a taken key is refused naming the code that has it', async () => {
    const PID = newProject();
    await database().codes.bulkAdd([code(PID, 'c1', 0, null, '1'), code(PID, 'c2', 1, null, '2')]);
    const app = new AppState();
    await app.workspace.load(PID);
    expect(app.workspace.setShortcut('c1', '2')).toBe('“2” is already the key of “Code c2”.');
    expect(app.workspace.setShortcut('c1', 'Q')).toBeNull();
    await expect.poll(() => keysIn(PID)).toEqual({ c1: 'q', c2: '2' });
    await expect.poll(() => app.workspace.history.undoLabel).toBe('Give “Code c1” the key q');
    await app.workspace.undo();
    expect(app.workspace.shortcuts.get('c1')).toBe('1');
    await expect.poll(() => keysIn(PID)).toEqual({ c1: '1', c2: '2' });
  });
});

describe('adding a codebook', () => {
  it('keeps the project’s keys; an incoming code keeps its key where free, else takes a free one', async () => {
    const PID = newProject();
    await database().codes.bulkAdd([code(PID, 'c1', 0, null, '1'), code(PID, 'c2', 1, null, 'x')]);
    await addCodes(database(), PID, [
      { ...code(PID, 'n1', 0, null, '1'), name: 'New 1' },
      { ...code(PID, 'n2', 1, null, 'y'), name: 'New 2' },
      { ...code(PID, 'n3', 0, 'n2'), name: 'New 3' },
    ]);
    expect(await keysIn(PID)).toEqual({ c1: '1', c2: 'x', n1: '2', n2: 'y', n3: '3' });
  });
});
