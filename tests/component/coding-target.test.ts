import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import ProjectView from '../../src/ui/project/project-view.svelte';
import NotificationArea from '../../src/ui/common/notification-area.svelte';
import { AppState } from '../../src/lib/state/app.svelte';
import { SELECT_AN_ANSWER_FIRST } from '../../src/lib/state/coding.svelte';
import { database } from '../../src/lib/db/database';
import { commitImport } from '../../src/lib/db/commit-import';
import { smallBatch } from '../../src/lib/db/test-helpers';
import { loadCodings } from '../../src/lib/db/coding-store';
import type { Code } from '../../src/lib/model/types';

// A key or a click codes only the answer the coder can see (issue 10, §2): the whole
// project view on a small imported project, with the page's layout faked where jsdom has none.

HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.setAttribute('open', '');
};

const ANA = { id: 'coder-ana', name: 'Ana', color: '#2454a6' };

/** Answers (by respondent) laid out below the window's bottom edge: scrolled out of view. */
const offScreen = new Set<string>();
const realRect = Element.prototype.getBoundingClientRect;

beforeEach(() => {
  offScreen.clear();
  // bind:clientHeight needs one; nothing here is measured.
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  );
  // jsdom lays nothing out: answers are on screen (top 100) unless the test scrolled them away (top 5000).
  Element.prototype.getBoundingClientRect = function (this: Element) {
    const id = this instanceof HTMLElement ? this.dataset.answerId : undefined;
    if (id === undefined) return new DOMRect(0, 0, 1024, 768);
    const respondent = id.split('\u001f')[2];
    return new DOMRect(0, offScreen.has(respondent) ? 5000 : 100, 600, 60);
  };
});

afterEach(() => {
  Element.prototype.getBoundingClientRect = realRect;
  vi.unstubAllGlobals();
});

async function setup() {
  localStorage.clear();
  localStorage.setItem('codebench.coder', JSON.stringify(ANA));
  const summary = await commitImport(
    database(),
    smallBatch('Baseline', ['M01', 'M02', 'M03']),
    { kind: 'new', name: 'Study' },
    { fileName: 'f.csv', format: 'generic' },
  );
  const projectId = summary.projectId;
  const code: Code = {
    projectId,
    id: 'c-rew',
    parentId: null,
    name: 'Rewards',
    color: '#33a02c',
    definition: '',
    inclusion: '',
    exclusion: '',
    example: '',
    order: 0,
  };
  await database().codes.add(code);
  const app = new AppState();
  await app.follow({ name: 'project', projectId });
  render(ProjectView, { app });
  render(NotificationArea, { notifications: app.notifications });
  await screen.findAllByTestId('answer');
  const answer = (respondent: string) => screen.getAllByTestId('answer').find((a) => within(a).getByTestId('answer-respondent').textContent === respondent)!;
  const stored = async () => (await loadCodings(database(), projectId)).map((c) => `${c.codeId} ${c.answerId.split('\u001f')[2]}`).sort();
  return { app, projectId, answer, stored, user: userEvent.setup() };
}

const rewardsButton = () => screen.getAllByTestId('code-button').find((b) => b.textContent?.includes('Rewards'))!;
const area = () => screen.getByTestId('notification-area');
const shownTexts = () =>
  within(area())
    .queryAllByTestId('notification-text')
    .map((p) => p.textContent);

describe('a key or a click codes only the answer the coder can see', () => {
  it('clicking Memo puts the cursor in the memo box, and what is typed there goes into the memo, never to a code', async () => {
    const { app, answer, stored, user } = await setup();
    await user.click(within(answer('M01')).getByTestId('answer-text'));
    expect(app.workspace.focusedAnswerId).toMatch(/M01$/);

    await user.click(within(answer('M02')).getByTestId('memo-toggle'));
    const box = within(within(answer('M02')).getByTestId('answer-memos')).getByTestId('memo-input');
    expect(document.activeElement).toBe(box);
    await user.keyboard('1 said it all');
    expect(box).toHaveValue('1 said it all');

    // Nor in the other memo box.
    const other = within(within(answer('M02')).getByTestId('respondent-memos')).getByTestId('memo-input');
    await user.click(other);
    await user.keyboard('12');
    expect(other).toHaveValue('12');
    await user.click(within(within(answer('M02')).getByTestId('answer-memos')).getByTestId('memo-save'));
    await expect.poll(() => app.workspace.memosOf('answer', app.workspace.focusedAnswerId ?? '').map((m) => m.text)).toEqual(['1 said it all']);
    expect(app.workspace.index.size).toBe(0);
    expect(await stored()).toEqual([]);
    expect(app.workspace.history.undoLabel).toBeNull();
  });

  it('a code click or key with the focused answer scrolled away changes nothing and says to select an answer', async () => {
    const { app, answer, stored, user } = await setup();
    // No answer focused yet.
    await user.click(rewardsButton());
    expect(shownTexts()).toEqual([SELECT_AN_ANSWER_FIRST]);

    await user.click(within(answer('M01')).getByTestId('answer-text'));
    expect(app.workspace.focusedAnswerId).toMatch(/M01$/);
    offScreen.add('M01');
    await user.click(rewardsButton());
    await user.click(document.body);
    await user.keyboard('1');
    expect(app.workspace.index.size).toBe(0);
    expect(await stored()).toEqual([]);
    expect(shownTexts()).toEqual([SELECT_AN_ANSWER_FIRST]);
    expect(app.workspace.history.undoLabel).toBeNull();

    // Back on screen, the same click codes it.
    offScreen.delete('M01');
    await user.click(rewardsButton());
    await expect.poll(stored).toEqual(['c-rew M01']);
  });

  it('says which answer a coding change touched, in full, with an Undo that works', async () => {
    const { answer, stored, user } = await setup();
    await user.click(within(answer('M02')).getByTestId('answer-text'));
    await user.click(rewardsButton());
    await expect.poll(stored).toEqual(['c-rew M02']);
    expect(shownTexts()).toEqual(['Rewards added to M02, Baseline, Question one']);

    await user.click(within(area()).getByRole('button', { name: 'Undo' }));
    await expect.poll(stored).toEqual([]);
    expect(shownTexts()).toEqual(['Undone: Rewards added to M02, Baseline, Question one']);

    // A key codes it again; the key again removes it, and says so.
    answer('M02').focus();
    await user.keyboard('1');
    await expect.poll(stored).toEqual(['c-rew M02']);
    await user.keyboard('1');
    await expect.poll(stored).toEqual([]);
    expect(shownTexts()).toEqual(['Rewards removed from M02, Baseline, Question one']);
    await expect.poll(() => screen.getByTestId('undo').getAttribute('title')).toBe('Undo: Rewards removed from M02, Baseline, Question one (Ctrl+Z)');
  });
});
