import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import type { RegisterSWOptions } from 'virtual:pwa-register';
import UpdatePrompt from '../../src/ui/common/update-prompt.svelte';

/** A stand-in for vite-plugin-pwa's registerSW: the test plays the service worker's part. */
function fakeRegister() {
  let options: RegisterSWOptions = {};
  const update = vi.fn(async (_reload?: boolean) => {});
  const register = vi.fn((given: RegisterSWOptions) => {
    options = given;
    return update;
  });
  return { register, update, needRefresh: () => options.onNeedRefresh?.() };
}

describe('UpdatePrompt', () => {
  it('registers the service worker once and says nothing while no new version waits', () => {
    const sw = fakeRegister();
    render(UpdatePrompt, { register: sw.register });
    expect(sw.register).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId('update-prompt')).toBeNull();
    // The live region is there before the prompt, so the prompt is announced.
    expect(screen.getByTestId('update-region')).toHaveAttribute('role', 'status');
  });

  it('offers to reload when a new version waits, and Reload (by keyboard) hands over to it', async () => {
    const sw = fakeRegister();
    render(UpdatePrompt, { register: sw.register });
    sw.needRefresh();
    flushSync();
    expect(screen.getByTestId('update-prompt').textContent).toContain('A new version of Codebench is ready.');
    const user = userEvent.setup();
    await user.tab();
    expect(screen.getByTestId('update-reload')).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(sw.update).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('update-reload')).toBeDisabled();
  });

  it('Later and Escape put the prompt away without reloading', async () => {
    const sw = fakeRegister();
    render(UpdatePrompt, { register: sw.register });
    const user = userEvent.setup();
    sw.needRefresh();
    flushSync();
    await user.click(screen.getByTestId('update-later'));
    expect(screen.queryByTestId('update-prompt')).toBeNull();
    sw.needRefresh();
    flushSync();
    await user.tab();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('update-prompt')).toBeNull();
    expect(sw.update).not.toHaveBeenCalled();
  });

  it('works without a register function given (the no-op module of the dev server and Vitest)', () => {
    render(UpdatePrompt);
    expect(screen.queryByTestId('update-prompt')).toBeNull();
  });
});
