import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import MenuButton, { type MenuItem } from '../../src/ui/common/menu-button.svelte';

// The toolbar's "More" menu at 200% zoom: a real menu button (the ARIA pattern), so the controls it folds away are
// still one key press apart.
const listeners: ((event: KeyboardEvent) => void)[] = [];
afterEach(() => {
  for (const listener of listeners.splice(0)) window.removeEventListener('keydown', listener);
});

function setup(blind = false) {
  const chosen = vi.fn<(name: string) => void>();
  const items: MenuItem[] = [
    { label: 'Blind', checked: blind, testId: 'blind', onselect: () => chosen('blind') },
    { label: 'Coding as Ana', testId: 'coder', onselect: () => chosen('coder') },
    { label: 'Share…', testId: 'share', onselect: () => chosen('share') },
  ];
  const onkeydown = vi.fn();
  window.addEventListener('keydown', onkeydown);
  listeners.push(onkeydown);
  render(MenuButton, { label: 'More', items, testId: 'more' });
  return { chosen, onkeydown, user: userEvent.setup(), button: screen.getByRole('button', { name: /More/ }) };
}

describe('MenuButton', () => {
  it('is a menu button: closed, it says so; Enter opens it on its first item', async () => {
    const { user, button } = setup();
    expect(button).toHaveAttribute('aria-haspopup', 'menu');
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('menu')).toBeNull();
    button.focus();
    await user.keyboard('{Enter}');
    expect(button).toHaveAttribute('aria-expanded', 'true');
    const menu = screen.getByRole('menu', { name: 'More' });
    expect(button).toHaveAttribute('aria-controls', menu.id);
    expect(document.activeElement).toBe(screen.getByRole('menuitemcheckbox', { name: 'Blind' }));
  });

  it('moves with the arrows, Home and End (wrapping round), and a letter jumps to an item', async () => {
    const { user, button } = setup();
    button.focus();
    await user.keyboard('{ArrowUp}');
    const active = () => document.activeElement?.getAttribute('data-testid');
    expect(active()).toBe('share');
    await user.keyboard('{ArrowDown}');
    expect(active()).toBe('blind');
    await user.keyboard('{ArrowUp}');
    expect(active()).toBe('share');
    await user.keyboard('{Home}');
    expect(active()).toBe('blind');
    await user.keyboard('{End}');
    expect(active()).toBe('share');
    await user.keyboard('c');
    expect(active()).toBe('coder');
  });

  it('Esc closes it and gives the focus back to the button; no key in it reaches the page', async () => {
    const { user, button, onkeydown, chosen } = setup();
    button.focus();
    await user.keyboard('{ArrowDown}');
    onkeydown.mockClear();
    await user.keyboard('1j{Escape}');
    expect(onkeydown).not.toHaveBeenCalled();
    expect(screen.queryByRole('menu')).toBeNull();
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(document.activeElement).toBe(button);
    expect(chosen).not.toHaveBeenCalled();
  });

  it('Enter on an item closes the menu, focuses the button, then does what the item does', async () => {
    const { user, button, chosen } = setup();
    let focusedWhenChosen: Element | null = null;
    chosen.mockImplementation(() => (focusedWhenChosen = document.activeElement));
    button.focus();
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{Enter}');
    expect(chosen).toHaveBeenCalledWith('share');
    // A dialog the item opens gives the focus back to the button when it closes.
    expect(focusedWhenChosen).toBe(button);
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('a checkbox item says whether it is ticked; a click outside closes the menu', async () => {
    const { user, button } = setup(true);
    await user.click(button);
    expect(screen.getByRole('menuitemcheckbox', { name: 'Blind' })).toHaveAttribute('aria-checked', 'true');
    await user.click(document.body);
    expect(screen.queryByRole('menu')).toBeNull();
  });
});
