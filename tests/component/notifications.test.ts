import { describe, expect, it } from 'vitest';
import { HISTORY_SIZE, Notifications } from '../../src/lib/state/notifications.svelte';

describe('Notifications', () => {
  it('shows the latest message in full and keeps errors until dismissed', () => {
    const n = new Notifications();
    n.scope = 'p1';
    const error = n.error('The browser has no room left: 9 codings and 1 memo were not saved. Free some disk space, then Retry.');
    n.info('Rewards added to M02, Baseline, Rewards question');
    n.info('Undone: Rewards added to M02');
    expect(n.shown.map((m) => m.text)).toEqual([
      'The browser has no room left: 9 codings and 1 memo were not saved. Free some disk space, then Retry.',
      'Undone: Rewards added to M02',
    ]);
    n.dismiss(error);
    expect(n.text).toBe('Undone: Rewards added to M02');
  });

  it("never shows one project's message in another", () => {
    const n = new Notifications();
    n.scope = 'p1';
    n.error('Import of p1 failed');
    n.info('App-wide note', { projectId: null });
    n.scope = 'p2';
    expect(n.text).toBe('App-wide note');
    expect(n.history.map((m) => m.text)).toEqual(['App-wide note']);
    n.scope = 'p1';
    expect(n.shown.map((m) => m.text)).toEqual(['Import of p1 failed', 'App-wide note']);
  });

  it('replaces a message with the same key instead of stacking it', () => {
    const n = new Notifications();
    n.error('1 coding was not saved', { key: 'unsaved' });
    n.error('2 codings were not saved', { key: 'unsaved' });
    expect(n.text).toBe('2 codings were not saved');
    expect(n.history.map((m) => m.text)).toEqual(['2 codings were not saved', '1 coding was not saved']);
    n.dismissKey('unsaved');
    expect(n.shown).toEqual([]);
  });

  it('keeps a bounded history, newest first, without losing an error not yet dismissed', () => {
    const n = new Notifications();
    n.error('first error');
    for (let i = 0; i < HISTORY_SIZE * 5; i++) n.info(`message ${i}`);
    expect(n.history).toHaveLength(HISTORY_SIZE);
    expect(n.history[0].text).toBe(`message ${HISTORY_SIZE * 5 - 1}`);
    expect(n.shown.map((m) => m.text)).toEqual(['first error', `message ${HISTORY_SIZE * 5 - 1}`]);
  });
});
