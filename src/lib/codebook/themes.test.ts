import { describe, expect, it } from 'vitest';
import { applyChange } from './operations';
import { createTheme, deleteTheme, toggleExemplar, updateTheme } from './themes';
import type { Coding, Theme } from '../model/types';

const ids = { newId: () => 't-new', now: () => 1 };
const growth: Theme = { projectId: 'p', id: 't1', name: 'Growth', description: '', codeIds: ['a'], withSubcodes: true, order: 0 };

describe('themes', () => {
  it('creates, edits and deletes a theme, each undoable', () => {
    const created = createTheme('p', [growth], { name: ' Belonging ', description: 'd', codeIds: ['b', 'b', 'c'], withSubcodes: false }, ids);
    expect(created.forward.putThemes).toEqual([
      { projectId: 'p', id: 't-new', name: 'Belonging', description: 'd', codeIds: ['b', 'c'], withSubcodes: false, order: 1 },
    ]);
    expect(created.inverse.deleteThemes).toEqual(created.forward.putThemes);
    const edited = updateTheme([growth], 't1', { name: 'Growth and careers', description: 'x', codeIds: ['a', 'b'], withSubcodes: true });
    expect(edited.forward.putThemes?.[0]).toMatchObject({ name: 'Growth and careers', codeIds: ['a', 'b'] });
    expect(edited.inverse.putThemes).toEqual([growth]);
    expect(deleteTheme([growth], 't1').inverse.putThemes).toEqual([growth]);
  });

  it('refuses an empty name or one another theme has', () => {
    expect(() => createTheme('p', [growth], { name: '  ', description: '', codeIds: [], withSubcodes: true }, ids)).toThrow('A theme needs a name.');
    expect(() => createTheme('p', [growth], { name: 'growth', description: '', codeIds: [], withSubcodes: true }, ids)).toThrow(
      'There is already a theme called “Growth”.',
    );
    expect(() => updateTheme([growth], 't1', { name: 'GROWTH', description: '', codeIds: [], withSubcodes: true })).not.toThrow();
  });

  it('marks and unmarks an exemplar quote, and undo restores the coding exactly', () => {
    const coding: Coding = { projectId: 'p', id: 'c', answerId: 'a', codeId: 'x', coderId: 'ana', start: 0, end: 3, createdAt: 1 };
    const mark = toggleExemplar(coding);
    const marked = applyChange({ codes: [], codings: [coding] }, mark.forward).codings[0];
    expect(marked.exemplar).toBe(true);
    const unmark = toggleExemplar(marked);
    expect(applyChange({ codes: [], codings: [marked] }, unmark.forward).codings[0]).toEqual(coding);
    expect(applyChange({ codes: [], codings: [marked] }, mark.inverse).codings[0]).toEqual(coding);
  });
});
