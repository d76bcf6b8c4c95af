import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import CodebookPanel from '../../src/ui/project/codebook-panel.svelte';
import { AppState } from '../../src/lib/state/app.svelte';
import { SELECT_AN_ANSWER_FIRST } from '../../src/lib/state/coding.svelte';
import { database } from '../../src/lib/db/database';
import { loadCodes, loadCodings } from '../../src/lib/db/coding-store';
import { groupByPage, splitPageKey } from '../../src/lib/coding/coding-pages';
import { answerId, type Code, type Coding } from '../../src/lib/model/types';

// jsdom has no <dialog> methods.
HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.setAttribute('open', '');
};

const ANA = { id: 'coder-ana', name: 'Ana', color: '#2454a6' };

// Each test gets its own project id: workspaces of earlier tests still listen on the
// BroadcastChannel and reload only when the message names their own project.
let projectCount = 0;
let PID = '';

const q1r1 = answerId('q1', 'baseline', 'r1');
const q2r1 = answerId('q2', 'baseline', 'r1');
const q1r2 = answerId('q1', 'baseline', 'r2');
const q1r3 = answerId('q1', 'baseline', 'r3');

function code(id: string, name: string, parentId: string | null, order: number, extra: Partial<Code> = {}): Code {
  return {
    projectId: PID,
    id,
    parentId,
    name,
    color: '#1f78b4',
    definition: `Definition of ${name}`,
    inclusion: '',
    exclusion: '',
    example: '',
    order,
    ...extra,
  };
}

/** Ten codes over three levels, stored out of tree order. */
function seedCodes(): Code[] {
  return [
    code('c-net', 'Networks', null, 4),
    code('c-pro', 'Promotion', 'c-car', 0),
    code('c-rew', 'Rewards', null, 0, { color: '#33a02c' }),
    code('c-tim', 'Time', 'c-cha', 0),
    code('c-con', 'Confidence', 'c-rew', 1),
    code('c-car', 'Career', 'c-rew', 0),
    code('c-cha', 'Challenges', null, 1),
    code('c-emp', 'Empathy', null, 2),
    code('c-cul', 'Culture', null, 5),
    code('c-sha', 'Shared background', null, 3),
  ];
}

function coding(id: string, codeId: string, answer: string, start: number | null = null, end: number | null = null): Coding {
  return { projectId: PID, id, answerId: answer, codeId, coderId: ANA.id, start, end, createdAt: 1 };
}

function seedCodings(): Coding[] {
  return [coding('k1', 'c-pro', q1r1), coding('k2', 'c-pro', q2r1, 0, 4), coding('k3', 'c-car', q1r1), coding('k4', 'c-con', q1r2)];
}

async function storeCodings(codings: Coding[]) {
  const pages = [...groupByPage(codings)].map(([key, list]) => ({ projectId: PID, ...splitPageKey(key), codings: list }));
  await database().codingPages.bulkPut(pages);
}

const starterJson = () => readFileSync(resolve(process.cwd(), 'codebooks/aimms-evaluation.json'), 'utf8');

const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
const storedCodes = async () => byId(await loadCodes(database(), PID));
const storedCodings = async () => byId(await loadCodings(database(), PID));
const stored = async () => ({ codes: await storedCodes(), codings: await storedCodings() });

async function setup({ codes = seedCodes(), codings = seedCodings(), coder = true } = {}) {
  const db = database();
  if (codes.length) await db.codes.bulkAdd(codes);
  if (codings.length) await storeCodings(codings);
  if (coder) localStorage.setItem('codebench.coder', JSON.stringify(ANA));
  const app = new AppState();
  // No answer list is rendered here: every answer counts as on screen (answer visibility has its own tests).
  app.workspace.isOnScreen = () => true;
  app.notifications.scope = PID;
  await app.workspace.load(PID);
  render(CodebookPanel, { app });
  return { app, db, user: userEvent.setup() };
}

const buttons = () => screen.queryAllByTestId('code-button');
const names = () => buttons().map((b) => within(b).getByTestId('code-name').textContent);
function button(name: string): HTMLElement {
  const found = buttons().find((b) => within(b).getByTestId('code-name').textContent === name);
  if (!found) throw new Error(`No code button named ${name}; have ${names().join(', ')}`);
  return found;
}
// Spaces squeezed out: Svelte drops the space that starts the " · respondents" span (see the report).
const countsOf = (name: string) => button(name).querySelector('.counts')!.textContent!.replace(/\s+/g, '');
const keyOf = (name: string) => button(name).querySelector('kbd')?.textContent ?? null;
const rowOf = (name: string) => button(name).closest('li')!;

describe('CodebookPanel', () => {
  beforeEach(async () => {
    PID = `project-${++projectCount}`;
    localStorage.clear();
    await database().delete();
    await database().open();
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('renders the code tree in order, indented by depth, with definitions as titles', async () => {
    await setup();
    expect(names()).toEqual(['Rewards', 'Career', 'Promotion', 'Confidence', 'Challenges', 'Time', 'Empathy', 'Shared background', 'Networks', 'Culture']);
    const indents = Object.fromEntries(buttons().map((b) => [within(b).getByTestId('code-name').textContent, b.style.paddingLeft]));
    expect(indents).toMatchObject({ Rewards: '0.25rem', Career: '1.25rem', Promotion: '2.25rem', Confidence: '1.25rem', Time: '1.25rem', Culture: '0.25rem' });
    expect(button('Career')).toHaveAttribute('title', 'Definition of Career');
    expect(button('Rewards').dataset.codeId).toBe('c-rew');
    expect((button('Rewards').querySelector('.swatch') as HTMLElement).style.background).toBe('rgb(51, 160, 44)');
    expect(screen.getByRole('button', { name: 'Edit Promotion' })).toBeInTheDocument();
    expect(screen.getByText('Counts: answers · respondents, with subcodes.')).toBeInTheDocument();
    expect(screen.queryByText('No codes yet.')).toBeNull();
  });

  it('gives every code a key once, 1–9 in tree order then letters, and shows it beside the code', async () => {
    await setup();
    expect(names().map(keyOf)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'a']);
    expect(within(button('Promotion')).getByLabelText('shortcut 3')).toBeInTheDocument();
  });

  it('counts answers · respondents including subcodes', async () => {
    await setup();
    // Promotion: two answers of r1. Career adds a coding on an answer Promotion already has.
    // Rewards adds Confidence's answer of r2.
    await expect.poll(() => countsOf('Promotion')).toBe('2·1');
    await expect.poll(() => countsOf('Career')).toBe('2·1');
    await expect.poll(() => countsOf('Confidence')).toBe('1·1');
    await expect.poll(() => countsOf('Rewards')).toBe('3·2');
    await expect.poll(() => countsOf('Challenges')).toBe('0·0');
    expect(button('Rewards').querySelector('.counts')).toHaveAttribute('title', '3 answers from 2 respondents, with subcodes');
  });

  it('shows the empty state with the codebook loaders when there are no codes', async () => {
    await setup({ codes: [], codings: [] });
    expect(screen.getByText('No codes yet.')).toBeInTheDocument();
    expect(screen.getByTestId('load-starter-codebook').textContent).toMatch(/Load the AIMMS starter codebook/);
    expect(screen.getByTestId('load-codebook')).toBeInTheDocument();
    expect(screen.queryByTestId('codebook')).toBeNull();
  });

  it('hints at what a click does, following the selection and the focused answer', async () => {
    const { app } = await setup();
    expect(screen.queryByText(/Click a code/)).toBeNull();
    app.workspace.focusedAnswerId = q1r3;
    flushSync();
    expect(screen.getByText('Click a code to toggle it on the answer')).toBeInTheDocument();
    app.workspace.selection = { answerId: q1r3, start: 0, end: 2 };
    flushSync();
    expect(screen.getByText('Click a code to apply it to the selected text')).toBeInTheDocument();
  });

  it('clicking a code toggles a whole-answer coding on the focused answer, stored and counted', async () => {
    const { app, db, user } = await setup();
    app.workspace.focusedAnswerId = q1r3;
    flushSync();
    const before = await storedCodings();

    await user.click(button('Time'));
    await expect.poll(() => app.workspace.history.undoLabel).toBe('Time added to r3, baseline, q1');
    const added = (await storedCodings()).filter((c) => !before.some((b) => b.id === c.id));
    expect(added).toEqual([
      { projectId: PID, id: expect.any(String), answerId: q1r3, codeId: 'c-tim', coderId: ANA.id, start: null, end: null, createdAt: expect.any(Number) },
    ]);
    expect(await storedCodings()).toHaveLength(before.length + 1);
    expect(await db.coders.get([PID, ANA.id])).toEqual({ projectId: PID, ...ANA });
    await expect.poll(() => countsOf('Time')).toBe('1·1');
    await expect.poll(() => countsOf('Challenges')).toBe('1·1');
    expect(app.workspace.focusedAnswerId).toBe(q1r3);

    await user.click(button('Time'));
    await expect.poll(() => app.workspace.history.undoLabel).toBe('Time removed from r3, baseline, q1');
    expect(await storedCodings()).toEqual(before);
    await expect.poll(() => countsOf('Time')).toBe('0·0');
    await expect.poll(() => countsOf('Challenges')).toBe('0·0');
  });

  it('with a selection, applies a span coding with the selection’s code-point offsets and clears it', async () => {
    const { app, user } = await setup();
    app.workspace.focusedAnswerId = q1r3;
    app.workspace.selection = { answerId: q1r2, start: 3, end: 9 };
    flushSync();
    const before = await storedCodings();

    await user.click(button('Empathy'));
    await expect.poll(() => app.workspace.history.undoLabel).toBe('Empathy added to a passage of r2, baseline, q1');
    const added = (await storedCodings()).filter((c) => !before.some((b) => b.id === c.id));
    expect(added).toEqual([expect.objectContaining({ answerId: q1r2, codeId: 'c-emp', coderId: ANA.id, start: 3, end: 9 })]);
    expect(app.workspace.selection).toBeNull();
    // The focused answer was not coded: the selection wins.
    expect((await storedCodings()).some((c) => c.answerId === q1r3)).toBe(false);
    await expect.poll(() => countsOf('Empathy')).toBe('1·1');

    // Undo takes it back out of storage and the counts.
    await app.workspace.undo();
    expect(await storedCodings()).toEqual(before);
    flushSync();
    await expect.poll(() => countsOf('Empathy')).toBe('0·0');
  });

  it('with neither a selection nor a focused answer, explains and stores nothing', async () => {
    const { app, user } = await setup();
    const before = await stored();
    await user.click(button('Time'));
    expect(app.notifications.text).toBe(SELECT_AN_ANSWER_FIRST);
    expect(await stored()).toEqual(before);
    expect(app.workspace.history.undoLabel).toBeNull();
  });

  it('asks for the coder’s name first, then applies the code as that coder', async () => {
    const { app, db, user } = await setup({ coder: false });
    app.workspace.focusedAnswerId = q1r3;
    const before = await storedCodings();
    await user.click(button('Empathy'));
    expect(app.coder.asking).toBe(true);
    expect(await storedCodings()).toEqual(before);

    expect(app.coder.setName('  Bo  ')).toBeNull();
    const bo = app.coder.current!;
    expect(bo.name).toBe('Bo');
    expect(JSON.parse(localStorage.getItem('codebench.coder')!)).toEqual(bo);
    await expect.poll(() => app.workspace.history.undoLabel).toBe('Empathy added to r3, baseline, q1');
    const added = (await storedCodings()).filter((c) => !before.some((b) => b.id === c.id));
    expect(added).toEqual([expect.objectContaining({ answerId: q1r3, codeId: 'c-emp', coderId: bo.id, start: null })]);
    expect(await db.coders.get([PID, bo.id])).toEqual({ projectId: PID, ...bo });
  });

  it('“+ New code” creates a top-level code at the end, trimmed, and closes the form', async () => {
    const { app, user } = await setup();
    const toggle = screen.getByTestId('new-code');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const input = screen.getByTestId('new-code-name');
    await user.type(input, '  Belonging  {Enter}');
    await expect.poll(() => app.workspace.history.undoLabel).toBe('Create “Belonging”');

    const created = (await storedCodes()).find((c) => c.name === 'Belonging');
    expect(created).toMatchObject({ projectId: PID, parentId: null, name: 'Belonging', order: 6, definition: '' });
    expect(created!.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(screen.queryByTestId('new-code-name')).toBeNull();
    expect(names().at(-1)).toBe('Belonging');
    await expect.poll(() => countsOf('Belonging')).toBe('0·0');
    // A new code takes the first free key: the ten codes have 1–9 and a.
    expect(keyOf('Belonging')).toBe('b');
  });

  it('refuses an empty name with a message, storing nothing', async () => {
    const { user } = await setup();
    const before = await stored();
    await user.click(screen.getByTestId('new-code'));
    await user.type(screen.getByTestId('new-code-name'), '   {Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('A code needs a name.');
    expect(screen.getByTestId('new-code-name')).toBeInTheDocument();
    expect(await stored()).toEqual(before);
    expect(buttons()).toHaveLength(10);
  });

  it('refuses a duplicate top-level name (ignoring case), but allows the name of a subcode', async () => {
    const { app, user } = await setup();
    const before = await stored();
    await user.click(screen.getByTestId('new-code'));
    const input = screen.getByTestId('new-code-name');
    await user.type(input, ' rewards {Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('There is already a top-level code called “Rewards”.');
    expect(await stored()).toEqual(before);
    expect(input).toHaveValue(' rewards ');

    // "Time" exists only under "Challenges", so a top-level "Time" is not a sibling clash.
    await user.clear(input);
    await user.type(input, 'Time{Enter}');
    await expect.poll(() => app.workspace.history.undoLabel).toBe('Create “Time”');
    const times = (await storedCodes()).filter((c) => c.name === 'Time');
    expect(times.map((c) => c.parentId).sort()).toEqual(['c-cha', null].sort());
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('clears an old refusal when the form is toggled, and Escape closes it', async () => {
    const { app, user } = await setup();
    await user.click(screen.getByTestId('new-code'));
    await user.type(screen.getByTestId('new-code-name'), 'Empathy{Enter}');
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    await user.click(screen.getByTestId('new-code'));
    expect(screen.queryByTestId('new-code-name')).toBeNull();
    expect(app.workspace.refusal).toBeNull();
    await user.click(screen.getByTestId('new-code'));
    expect(screen.queryByRole('alert')).toBeNull();
    await user.type(screen.getByTestId('new-code-name'), '{Escape}');
    expect(screen.queryByTestId('new-code-name')).toBeNull();
  });

  it('undoing a new code removes it from storage and the tree', async () => {
    const { app, user } = await setup();
    const before = await stored();
    await user.click(screen.getByTestId('new-code'));
    await user.type(screen.getByTestId('new-code-name'), 'Belonging{Enter}');
    await expect.poll(() => app.workspace.history.undoLabel).toBe('Create “Belonging”');
    await app.workspace.undo();
    expect(await stored()).toEqual(before);
    flushSync();
    expect(names()).not.toContain('Belonging');
    expect(app.notifications.text).toBe('Undone: Create “Belonging”');
    await app.workspace.redo();
    flushSync();
    expect(names()).toContain('Belonging');
    expect((await storedCodes()).some((c) => c.name === 'Belonging')).toBe(true);
  });

  it('the ⋯ button opens the editor for that code, clearing an old message; deleting there removes the row', async () => {
    const { app, user } = await setup();
    app.workspace.refusal = 'An old refusal';
    await user.click(screen.getByRole('button', { name: 'Edit Time' }));
    const dialog = screen.getByTestId('code-editor');
    expect(dialog).toHaveAttribute('open');
    expect(within(dialog).getByRole('heading', { level: 2 }).textContent).toContain('Time');
    expect(within(dialog).getByTestId('code-editor-name')).toHaveValue('Time');
    expect(app.workspace.refusal).toBeNull();

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByTestId('code-editor')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Edit Time' }));
    await user.click(screen.getByTestId('code-editor-delete'));
    await user.click(screen.getByTestId('code-editor-confirm-delete'));
    await expect.poll(() => app.workspace.history.undoLabel).toBe('Delete “Time” (no codings)');
    expect(screen.queryByTestId('code-editor')).toBeNull();
    expect(names()).not.toContain('Time');
    expect((await storedCodes()).some((c) => c.id === 'c-tim')).toBe(false);
  });

  it('dragging a code onto another makes it that code’s last subcode; onto the heading, a top-level code', async () => {
    const { app } = await setup();
    await fireEvent.dragStart(rowOf('Empathy'));
    await fireEvent.dragOver(rowOf('Challenges'));
    expect(rowOf('Challenges')).toHaveClass('drop');
    await fireEvent.drop(rowOf('Challenges'));
    await expect.poll(() => app.workspace.history.undoLabel).toBe('Move “Empathy” under “Challenges”');
    const codes = await storedCodes();
    expect(codes.find((c) => c.id === 'c-emp')).toMatchObject({ parentId: 'c-cha', order: 1 });
    // The top level closed the gap.
    expect(
      codes
        .filter((c) => c.parentId === null)
        .sort((a, b) => a.order - b.order)
        .map((c) => [c.name, c.order]),
    ).toEqual([
      ['Rewards', 0],
      ['Challenges', 1],
      ['Shared background', 2],
      ['Networks', 3],
      ['Culture', 4],
    ]);
    expect(names().slice(4, 7)).toEqual(['Challenges', 'Time', 'Empathy']);
    expect(button('Empathy').style.paddingLeft).toBe('1.25rem');

    await fireEvent.dragStart(rowOf('Empathy'));
    await fireEvent.dragOver(screen.getByRole('heading', { name: 'Codebook' }));
    await fireEvent.drop(screen.getByRole('heading', { name: 'Codebook' }));
    await expect.poll(() => app.workspace.history.undoLabel).toBe('Move “Empathy” to the top level');
    expect((await storedCodes()).find((c) => c.id === 'c-emp')).toMatchObject({ parentId: null, order: 5 });
    expect(names().at(-1)).toBe('Empathy');
  });

  it('dropping a code on itself or under its own subcode changes nothing', async () => {
    const { app } = await setup();
    const before = await stored();
    await fireEvent.dragStart(rowOf('Rewards'));
    await fireEvent.drop(rowOf('Rewards'));
    await fireEvent.dragStart(rowOf('Rewards'));
    await fireEvent.drop(rowOf('Promotion'));
    expect(app.workspace.refusal).toBe('“Rewards” cannot be moved under its own subcode “Promotion”.');
    expect(app.notifications.shown).toEqual([
      expect.objectContaining({ text: '“Rewards” cannot be moved under its own subcode “Promotion”.', tone: 'warning' }),
    ]);
    expect(await stored()).toEqual(before);
    expect(app.workspace.history.undoLabel).toBeNull();
  });

  it('loads the AIMMS starter codebook (fetch stubbed with the file from disk), as one undoable step', async () => {
    const json = starterJson();
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(String(url));
      return new Response(json);
    });
    const { app, user } = await setup({ codes: [], codings: [] });
    app.project.projectId = PID;
    await user.click(screen.getByTestId('load-starter-codebook'));
    await expect.poll(() => app.workspace.history.undoLabel).toMatch(/^Load the codebook “AIMMS mentoring evaluation – starter codebook” \(19 codes\)$/);
    expect(fetched).toHaveLength(1);
    expect(fetched[0]).toMatch(/aimms-evaluation\.json/);
    const codes = await storedCodes();
    expect(codes).toHaveLength(19);
    expect(
      codes
        .filter((c) => c.parentId === null)
        .sort((a, b) => a.order - b.order)
        .map((c) => c.name),
    ).toEqual(['Rewards', 'Challenges', 'Shared background', 'Empathy']);
    expect(buttons()).toHaveLength(19);
    expect(screen.queryByText('No codes yet.')).toBeNull();

    await app.workspace.undo();
    expect(await storedCodes()).toEqual([]);
    flushSync();
    expect(screen.getByText('No codes yet.')).toBeInTheDocument();
  });

  it('loads a codebook file, and refuses a broken one with a message', async () => {
    const { app, user } = await setup({ codes: [], codings: [] });
    app.project.projectId = PID;
    const input = screen.getByTestId('load-codebook-input') as HTMLInputElement;
    await user.upload(input, new File(['{not json'], 'broken.json', { type: 'application/json' }));
    await expect.poll(() => app.notifications.text).toMatch(/^This codebook can't be loaded: /);
    expect(await storedCodes()).toEqual([]);

    const json = starterJson();
    await user.upload(input, new File([json], 'aimms.json', { type: 'application/json' }));
    await expect.poll(async () => (await storedCodes()).length).toBe(19);
    expect(buttons()).toHaveLength(19);
  });
});
