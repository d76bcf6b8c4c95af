import { afterEach, describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Dexie from 'dexie';
import PublishingSettings from '../../src/ui/analysis/publishing-settings.svelte';
import PseudonymPanel from '../../src/ui/analysis/pseudonym-panel.svelte';
import PublishedQuote from '../../src/ui/analysis/published-quote.svelte';
import { WriteUpState } from '../../src/lib/state/write-up.svelte';
import { Notifications } from '../../src/lib/state/notifications.svelte';
import { commitImport } from '../../src/lib/db/commit-import';
import { loadProjectOverview, loadRespondents } from '../../src/lib/db/projects';
import { addFaults, freshDatabase, smallBatch } from '../../src/lib/db/test-helpers';
import { loadWriteUp } from '../../src/lib/db/write-up-store';
import type { CodebenchDatabase } from '../../src/lib/db/schema';
import { emptyWriteUpSettings, publishQuote } from '../../src/lib/analysis';
import type { Quote } from '../../src/workers/analysis-protocol';

const opened: CodebenchDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

async function setUp() {
  const db = freshDatabase();
  const faults = addFaults(db);
  opened.push(db);
  const { projectId } = await commitImport(
    db,
    smallBatch('Baseline', ['r1', 'r2', 'r3', 'r4']),
    { kind: 'new', name: 'Study' },
    { fileName: 'f.csv', format: 'csv' },
  );
  const project = { overview: (await loadProjectOverview(db, projectId))!, respondents: await loadRespondents(db, projectId) };
  const notifications = new Notifications();
  const writeUp = new WriteUpState(() => db, project, notifications);
  await writeUp.load(projectId);
  return { db, faults, projectId, project, writeUp, notifications };
}

/** A quote as the worker sends it, published with the state's settings. */
function quoteOf(writeUp: WriteUpState, text: string): Quote {
  const published = publishQuote(
    { answerId: 'a1', answerText: text, start: null, end: null, respondentId: 'r1', waveName: '6 months', questionLabel: 'Q1' },
    { settings: writeUp.settings, pseudonyms: writeUp.pseudonyms },
  );
  return { codingIds: ['c1'], answerId: 'a1', questionLabel: 'Q1', coderNames: ['Ana'], ...published };
}

describe('publishing settings', () => {
  it('adds a word to the list and removes it, from the keyboard', async () => {
    const { db, projectId, writeUp } = await setUp();
    const user = userEvent.setup();
    render(PublishingSettings, { writeUp, attributes: (await loadProjectOverview(db, projectId))!.attributes });
    await user.type(screen.getByLabelText('Always redact (names, places, words)'), 'Aisha{Enter}');
    await expect.poll(async () => (await loadWriteUp(db, projectId)).settings.redactionList).toEqual(['Aisha']);
    expect(within(await screen.findByTestId('publishing-list')).getByText('Aisha')).toBeInTheDocument();
    expect(screen.getByTestId('publishing-word')).toHaveValue('');
    await user.click(screen.getByRole('button', { name: 'Remove “Aisha” from your list' }));
    await expect.poll(async () => (await loadWriteUp(db, projectId)).settings.redactionList).toEqual([]);
  });

  it('chooses the role attribute (role, found by its name, until the author says otherwise)', async () => {
    const { db, projectId, writeUp } = await setUp();
    const user = userEvent.setup();
    render(PublishingSettings, { writeUp, attributes: (await loadProjectOverview(db, projectId))!.attributes });
    const select = screen.getByTestId('publishing-role');
    expect(select).toHaveValue('role');
    await user.selectOptions(select, '');
    await expect.poll(async () => (await loadWriteUp(db, projectId)).settings.roleAttribute).toBeNull();
    await expect.poll(() => writeUp.pseudonyms.get('r1')).toBe('Respondent 1');
  });

  it('says so and keeps the word in the box when the browser refuses to store it', async () => {
    const { db, projectId, writeUp, faults, notifications } = await setUp();
    const user = userEvent.setup();
    render(PublishingSettings, { writeUp, attributes: (await loadProjectOverview(db, projectId))!.attributes });
    faults.fail('quota');
    await user.type(screen.getByLabelText('Always redact (names, places, words)'), 'Aisha{Enter}');
    await expect.poll(() => notifications.shown.map((n) => n.text).join()).toMatch(/Adding “Aisha” to your list failed/);
    expect(screen.getByTestId('publishing-word')).toHaveValue('Aisha');
    expect(screen.queryByTestId('publishing-list')).toBeNull();
  });
});

describe('publishing settings when the browser refuses', () => {
  it('puts the role and "Name the question" back to what is stored, and says why', async () => {
    const { db, projectId, writeUp, faults, notifications } = await setUp();
    const user = userEvent.setup();
    render(PublishingSettings, { writeUp, attributes: (await loadProjectOverview(db, projectId))!.attributes });
    const select = screen.getByTestId('publishing-role');
    const box = screen.getByTestId('publishing-show-question');
    const showQuestion = writeUp.settings.showQuestion;
    faults.fail('quota');
    await user.selectOptions(select, '');
    await expect.poll(() => notifications.shown.map((n) => n.text).join()).toMatch(/Choosing the role attribute failed/);
    await expect.poll(() => (select as HTMLSelectElement).value).toBe('role');
    await user.click(box);
    await expect.poll(() => notifications.shown.map((n) => n.text).join()).toMatch(/Naming the question in attributions failed/);
    await expect.poll(() => (box as HTMLInputElement).checked).toBe(showQuestion);
    expect((await loadWriteUp(db, projectId)).settings.roleAttribute).toBe('role');
  });
});

describe('pseudonym panel', () => {
  it('lists and searches the labels, renames one and refuses a label someone else has', async () => {
    const { db, projectId, writeUp } = await setUp();
    const user = userEvent.setup();
    render(PseudonymPanel, { writeUp });
    expect(screen.getAllByTestId('pseudonym-row')).toHaveLength(4);
    await user.type(screen.getByTestId('pseudonym-search'), 'mentor');
    expect(screen.getAllByTestId('pseudonym-row').map((r) => r.textContent)).toEqual([expect.stringContaining('r2'), expect.stringContaining('r4')]);
    await user.clear(screen.getByTestId('pseudonym-search'));

    const r1 = screen.getByLabelText('Pseudonym of r1');
    await user.clear(r1);
    await user.type(r1, 'Mentor 1{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent('“Mentor 1” is already the pseudonym of another respondent');
    expect(r1).toHaveValue('Mentee 1');

    await user.clear(r1);
    await user.type(r1, 'Aisha (mentee){Enter}');
    await expect
      .poll(async () => {
        const [table] = (await loadWriteUp(db, projectId)).pseudonyms;
        return table.labels[table.ids.indexOf('r1')];
      })
      .toBe('Aisha (mentee)');
    await expect.poll(() => screen.queryByRole('alert')).toBeNull();
  });
});

describe('pseudonym panel from the keyboard', () => {
  it('keeps the focus in the box after Enter and after Tab, and ties a problem to its box', async () => {
    const { db, projectId, writeUp } = await setUp();
    const user = userEvent.setup();
    render(PseudonymPanel, { writeUp });
    const r1 = screen.getByLabelText('Pseudonym of r1');
    await user.clear(r1);
    await user.type(r1, 'Aisha{Enter}');
    await expect
      .poll(async () => {
        const [table] = (await loadWriteUp(db, projectId)).pseudonyms;
        return table.labels[table.ids.indexOf('r1')];
      })
      .toBe('Aisha');
    expect(r1).toHaveFocus();
    await user.tab();
    const r2 = screen.getByLabelText('Pseudonym of r2');
    expect(r2).toHaveFocus();
    await user.clear(r2);
    await user.type(r2, 'Aisha{Enter}');
    const problem = await screen.findByTestId('pseudonym-problem');
    expect(r2).toHaveAttribute('aria-describedby', problem.id);
    expect(problem.id).not.toMatch(/\s/);
    expect(r2).toHaveFocus();
  });
});

describe('a quote as published', () => {
  it('marks what was found, shows placeholders or the original, and keeps a span on request', async () => {
    const { db, projectId, writeUp } = await setUp();
    const user = userEvent.setup();
    const text = 'My mentor Aisha Khan 🙂 wrote to aisha@uni.ac.uk';
    const { rerender } = render(PublishedQuote, { quote: quoteOf(writeUp, text), writeUp });
    const shown = screen.getByTestId('quote-text');
    expect(shown).toHaveAttribute('dir', 'auto');
    expect(shown.textContent).toBe('My mentor [name] 🙂 wrote to [email]');
    expect(screen.getAllByTestId('quote-span').map((m) => m.textContent)).toEqual(['[name]', '[email]']);

    writeUp.showOriginal = true;
    await expect.poll(() => screen.getByTestId('quote-text').textContent).toBe(text);

    const keep = screen.getAllByTestId('quote-keep')[0];
    keep.focus();
    await user.keyboard('{Enter}');
    await expect.poll(async () => (await loadWriteUp(db, projectId)).settings.kept).toEqual([{ answerId: 'a1', start: 10, end: 20 }]);
    writeUp.showOriginal = false;
    await rerender({ quote: quoteOf(writeUp, text), writeUp });
    expect(screen.getByTestId('quote-text').textContent).toBe('My mentor Aisha Khan 🙂 wrote to [email]');
    expect(screen.getAllByTestId('quote-keep')[0]).toHaveAttribute('aria-pressed', 'true');

    await user.click(screen.getAllByTestId('quote-add-to-list')[0]);
    await expect.poll(async () => (await loadWriteUp(db, projectId)).settings.redactionList).toEqual(['Aisha Khan']);
  });

  it('never reads quote text as HTML', async () => {
    const { writeUp } = await setUp();
    render(PublishedQuote, { quote: { ...quoteOf(writeUp, '<img src=x onerror=alert(1)> Dr Smith said'), spans: [] }, writeUp });
    expect(screen.getByTestId('quote-text').querySelector('img')).toBeNull();
    expect(screen.getByTestId('quote-text').textContent).toContain('<img src=x onerror=alert(1)>');
    expect(emptyWriteUpSettings().kept).toEqual([]);
  });
});
