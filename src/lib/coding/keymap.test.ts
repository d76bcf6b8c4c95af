import { describe, expect, it } from 'vitest';
import { actionFor, actionIn, KEYMAP, keymapByContext } from './keymap';

describe('the keymap', () => {
  it('reads redo from both Ctrl+Shift+Z and Ctrl+Y, and undo only without Shift', () => {
    expect(actionFor({ key: 'z', ctrlKey: true }, 'everywhere')).toBe('undo');
    expect(actionFor({ key: 'Z', ctrlKey: true, shiftKey: true }, 'everywhere')).toBe('redo');
    expect(actionFor({ key: 'y', metaKey: true }, 'everywhere')).toBe('redo');
  });

  it('takes "?" typed with or without Shift, and "/" only without Ctrl', () => {
    expect(actionFor({ key: '?', shiftKey: true }, 'answers')).toBe('show-keys');
    expect(actionFor({ key: '?' }, 'grid')).toBe('show-keys');
    expect(actionFor({ key: '/', ctrlKey: true }, 'answers')).toBeNull();
  });

  it('gives the same key different meanings by context', () => {
    expect(actionIn({ key: 'ArrowDown' }, 'answers')).toBe('next-answer');
    expect(actionIn({ key: 'ArrowDown' }, 'grid')).toBe('grid-down');
    expect(actionIn({ key: 'j' }, 'grid')).toBeNull();
    expect(actionFor({ key: 'Escape' }, 'grid')).toBe('grid-close-cell');
    expect(actionIn({ key: 'End', ctrlKey: true }, 'grid')).toBe('grid-last-cell');
    expect(actionIn({ key: 'End' }, 'grid')).toBe('grid-row-end');
  });

  it('matches Alt+N by the physical key, whatever character it types', () => {
    expect(actionIn({ key: 'ñ', code: 'KeyN', altKey: true }, 'answers')).toBe('next-uncoded-in-round');
    expect(actionIn({ key: 'n', code: 'KeyN' }, 'answers')).toBeNull();
  });

  it('has one binding per action and no chord bound twice in one context', () => {
    expect(new Set(KEYMAP.map((b) => b.action)).size).toBe(KEYMAP.length);
    for (const { bindings } of keymapByContext()) {
      const chords = bindings.flatMap((b) => b.chords.map((c) => JSON.stringify(c)));
      expect(new Set(chords).size).toBe(chords.length);
    }
  });
});
