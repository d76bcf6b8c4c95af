import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserActivity } from './user-activity';

describe('UserActivity', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    // whenIdle falls back to a timeout where requestIdleCallback is missing (jsdom).
    vi.stubGlobal('requestIdleCallback', undefined);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const tracker = () => new UserActivity(1000, () => Date.now());

  it('is busy from the first input until the user has been still for the quiet time', () => {
    const activity = tracker();
    const seen: boolean[] = [];
    activity.onChange((busy) => seen.push(busy));
    activity.input();
    vi.advanceTimersByTime(600);
    activity.input();
    vi.advanceTimersByTime(600);
    expect(activity.busy).toBe(true);
    vi.advanceTimersByTime(400);
    expect(activity.busy).toBe(false);
    expect(seen).toEqual([true, false]);
  });

  it('counts the user busy while work they wait for is under way, and input beyond it until the quiet time', async () => {
    const activity = tracker();
    const seen: boolean[] = [];
    activity.onChange((busy) => seen.push(busy));
    let finish = () => {};
    activity.holdWhile(new Promise<void>((resolve) => (finish = resolve)));
    expect(activity.busy).toBe(true);
    const run = vi.fn();
    activity.whenQuiet(run);
    vi.advanceTimersByTime(5000);
    expect(run).not.toHaveBeenCalled();
    // The user scrolls as it ends: busy until they have been still for the quiet time.
    activity.input();
    finish();
    await Promise.resolve();
    expect(activity.busy).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(activity.busy).toBe(false);
    expect(seen).toEqual([true, false]);
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledOnce();
    // A failed one ends the wait too.
    let fail = (_: Error) => {};
    activity.holdWhile(new Promise<void>((_, reject) => (fail = reject)));
    expect(activity.busy).toBe(true);
    fail(new Error('gone'));
    await Promise.resolve();
    await Promise.resolve();
    expect(activity.busy).toBe(false);
    expect(seen).toEqual([true, false, true, false]);
  });

  it("runs the page's own long work after what the user waits for, not after a scroll, and can be cancelled", async () => {
    const activity = tracker();
    const now = vi.fn();
    activity.input();
    activity.afterWaiting(now);
    expect(now).toHaveBeenCalledOnce();
    let finish = () => {};
    activity.holdWhile(new Promise<void>((resolve) => (finish = resolve)));
    let other = (_: unknown) => {};
    activity.holdWhile(new Promise((resolve) => (other = resolve)));
    const later = vi.fn();
    const dropped = vi.fn();
    activity.afterWaiting(later);
    activity.afterWaiting(dropped)();
    finish();
    await Promise.resolve();
    expect(later).not.toHaveBeenCalled();
    other(null);
    await Promise.resolve();
    // After the next paint, so that what the user waited for is shown first.
    expect(later).not.toHaveBeenCalled();
    vi.advanceTimersByTime(20);
    expect(later).toHaveBeenCalledOnce();
    expect(dropped).not.toHaveBeenCalled();
  });

  it('counts scrolling any element and dragging, not a pointer moved with no button down', () => {
    const activity = tracker();
    const target = new EventTarget();
    activity.attach(target);
    const move = new Event('pointermove');
    Object.defineProperty(move, 'buttons', { value: 0 });
    target.dispatchEvent(move);
    expect(activity.busy).toBe(false);
    target.dispatchEvent(new Event('scroll'));
    expect(activity.busy).toBe(true);
  });

  it('starts background work only once the user is still, and waits again if they move before the page is idle', () => {
    const idle: (() => void)[] = [];
    vi.stubGlobal('requestIdleCallback', (run: () => void) => idle.push(run));
    vi.stubGlobal('cancelIdleCallback', () => {});
    const activity = tracker();
    const run = vi.fn();
    activity.input();
    activity.whenQuiet(run);
    vi.advanceTimersByTime(900);
    expect(idle).toHaveLength(0);
    vi.advanceTimersByTime(200);
    // Still: the idle wait is under way. The user moves before the page is idle.
    expect(idle).toHaveLength(1);
    activity.input();
    idle.shift()!();
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1100);
    expect(idle).toHaveLength(1);
    idle.shift()!();
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs at once when the user was never busy, and never once cancelled', () => {
    const activity = tracker();
    const run = vi.fn();
    activity.whenQuiet(run);
    vi.advanceTimersByTime(0);
    expect(run).toHaveBeenCalledTimes(1);
    const cancelled = vi.fn();
    activity.input();
    const cancel = activity.whenQuiet(cancelled);
    cancel();
    vi.advanceTimersByTime(5000);
    expect(cancelled).not.toHaveBeenCalled();
  });
});
