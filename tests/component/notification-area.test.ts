import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import NotificationArea from '../../src/ui/common/notification-area.svelte';
import { Notifications } from '../../src/lib/state/notifications.svelte';

const LONG =
  'This codebook can’t be loaded: the file says it has 19 codes, but code 7 (“Shared background → Same institution”) names a parent that is not in the file. Fix the file, or export the codebook again from the project it came from.';

function setup(scope: string | null = 'p1') {
  const notifications = new Notifications();
  notifications.scope = scope;
  render(NotificationArea, { notifications });
  return { notifications, user: userEvent.setup() };
}

const texts = () => screen.queryAllByTestId('notification-text').map((p) => p.textContent);

describe('NotificationArea', () => {
  it('shows a long message in full, announced politely, in the direction of its text', () => {
    const { notifications } = setup();
    notifications.info(LONG);
    flushSync();
    const status = screen.getByRole('status');
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(within(status).getByTestId('notification-text').textContent).toBe(LONG);
    expect(within(status).getByTestId('notification-text')).toHaveAttribute('dir', 'auto');
    // Both live regions exist before anything is said: a region added with its text is often not read out.
    expect(screen.getByRole('alert')).toHaveAttribute('aria-live', 'assertive');
  });

  it('keeps an error, announced assertively, until it is dismissed; a later message does not hide it', async () => {
    const { notifications, user } = setup();
    notifications.error('The browser has no room left: 9 codings were not saved.');
    notifications.info('Rewards added to M02, Baseline, Rewards question');
    notifications.info('Rewards removed from M02, Baseline, Rewards question');
    flushSync();
    expect(within(screen.getByRole('alert')).getByTestId('notification-text').textContent).toBe('The browser has no room left: 9 codings were not saved.');
    expect(texts()).toEqual(['The browser has no room left: 9 codings were not saved.', 'Rewards removed from M02, Baseline, Rewards question']);

    await user.click(within(screen.getByRole('alert')).getByRole('button', { name: /^Dismiss/ }));
    expect(texts()).toEqual(['Rewards removed from M02, Baseline, Rewards question']);
    expect(within(screen.getByRole('alert')).queryAllByTestId('notification')).toEqual([]);
  });

  it('runs a message’s actions from its buttons', async () => {
    const { notifications, user } = setup();
    const undo = vi.fn();
    const retry = vi.fn();
    notifications.info('Rewards added to M02', { actions: [{ label: 'Undo', run: undo }] });
    notifications.error('2 codings were not saved.', { key: 'unsaved', actions: [{ label: 'Retry', run: retry }] });
    flushSync();
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(undo).toHaveBeenCalledTimes(1);
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it('lists recent messages, newest first, behind a disclosure', async () => {
    const { notifications, user } = setup();
    const toggle = screen.getByTestId('notification-history-toggle');
    expect(toggle).toBeDisabled();
    notifications.info('first');
    notifications.error('second went wrong');
    notifications.info('third');
    flushSync();
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByTestId('notification-history')).toBeNull();
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const items = within(screen.getByTestId('notification-history')).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('span')!.textContent)).toEqual(['third', 'Error: second went wrong', 'first']);
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('notification-history')).toBeNull();
  });

  it('shows only the open project’s messages (and app-wide ones)', () => {
    const { notifications } = setup('p1');
    notifications.error('Import into p1 failed');
    notifications.info('Saved study.codebench.json.gz to your downloads.', { projectId: null });
    notifications.scope = 'p2';
    notifications.info('Rewards added to M02 in p2');
    flushSync();
    expect(texts()).toEqual(['Rewards added to M02 in p2']);
    notifications.scope = null;
    flushSync();
    expect(texts()).toEqual(['Saved study.codebench.json.gz to your downloads.']);
    notifications.scope = 'p1';
    flushSync();
    expect(texts()).toEqual(['Import into p1 failed', 'Saved study.codebench.json.gz to your downloads.']);
  });
});
