import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { actionIn, KEYMAP } from '../coding/keymap';
import { clampCell, GRID_MOVES, isGridMove, moveCell, type GridMove } from './navigation';

const shape = { rows: 100, columns: 8, pageRows: 5 };
const ALL: readonly GridMove[] = GRID_MOVES;

describe('grid navigation', () => {
  it('moves for every grid key of the keymap but opening and closing a cell', () => {
    const gridActions = KEYMAP.filter((b) => b.context === 'grid').map((b) => b.action);
    expect(gridActions.filter((a) => a !== 'grid-open-cell' && a !== 'grid-close-cell').sort()).toEqual([...GRID_MOVES].sort());
  });

  it('moves as a spreadsheet does', () => {
    const at = { row: 10, column: 3 };
    expect(moveCell(at, 'grid-left', shape)).toEqual({ row: 10, column: 2 });
    expect(moveCell(at, 'grid-right', shape)).toEqual({ row: 10, column: 4 });
    expect(moveCell(at, 'grid-up', shape)).toEqual({ row: 9, column: 3 });
    expect(moveCell(at, 'grid-down', shape)).toEqual({ row: 11, column: 3 });
    expect(moveCell(at, 'grid-row-start', shape)).toEqual({ row: 10, column: 0 });
    expect(moveCell(at, 'grid-row-end', shape)).toEqual({ row: 10, column: 7 });
    expect(moveCell(at, 'grid-first-cell', shape)).toEqual({ row: 0, column: 0 });
    expect(moveCell(at, 'grid-last-cell', shape)).toEqual({ row: 99, column: 7 });
    expect(moveCell(at, 'grid-page-up', shape)).toEqual({ row: 5, column: 3 });
    expect(moveCell(at, 'grid-page-down', shape)).toEqual({ row: 15, column: 3 });
  });

  it('stops at the edges', () => {
    expect(moveCell({ row: 0, column: 0 }, 'grid-left', shape)).toEqual({ row: 0, column: 0 });
    expect(moveCell({ row: 0, column: 0 }, 'grid-up', shape)).toEqual({ row: 0, column: 0 });
    expect(moveCell({ row: 2, column: 7 }, 'grid-page-up', shape)).toEqual({ row: 0, column: 7 });
    expect(moveCell({ row: 98, column: 7 }, 'grid-page-down', shape)).toEqual({ row: 99, column: 7 });
    expect(moveCell({ row: 99, column: 7 }, 'grid-right', shape)).toEqual({ row: 99, column: 7 });
  });

  it('has no cell to move to in an empty grid', () => {
    expect(moveCell({ row: 0, column: 0 }, 'grid-down', { rows: 0, columns: 8, pageRows: 5 })).toBeNull();
    expect(clampCell({ row: 3, column: 3 }, { rows: 4, columns: 0 })).toBeNull();
  });

  it('never leaves the grid, whatever the keys, start and shape', () => {
    fc.assert(
      fc.property(
        fc.record({ rows: fc.integer({ min: 1, max: 300_000 }), columns: fc.integer({ min: 1, max: 200 }), pageRows: fc.integer({ min: -3, max: 100 }) }),
        fc.record({ row: fc.integer({ min: -10, max: 400_000 }), column: fc.integer({ min: -10, max: 300 }) }),
        fc.array(fc.constantFrom(...ALL), { maxLength: 40 }),
        (gridShape, start, moves) => {
          let at = clampCell(start, gridShape)!;
          for (const move of moves) {
            const next = moveCell(at, move, gridShape)!;
            expect(next.row).toBeGreaterThanOrEqual(0);
            expect(next.row).toBeLessThan(gridShape.rows);
            expect(next.column).toBeGreaterThanOrEqual(0);
            expect(next.column).toBeLessThan(gridShape.columns);
            expect(Number.isInteger(next.row) && Number.isInteger(next.column)).toBe(true);
            at = next;
          }
        },
      ),
    );
  });

  it('moving one way then back returns to the cell, away from the edges', () => {
    const pairs: [GridMove, GridMove][] = [
      ['grid-left', 'grid-right'],
      ['grid-up', 'grid-down'],
      ['grid-page-up', 'grid-page-down'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...pairs), fc.boolean(), (pair, reversed) => {
        const [a, b] = reversed ? [pair[1], pair[0]] : pair;
        const at = { row: 50, column: 4 };
        expect(moveCell(moveCell(at, a, shape)!, b, shape)).toEqual(at);
      }),
    );
  });

  it('reads every grid key from the keymap', () => {
    const press = (key: string, extra = {}) => actionIn({ key, ...extra }, 'grid');
    const moves = [
      press('ArrowLeft'),
      press('ArrowRight'),
      press('ArrowUp'),
      press('ArrowDown'),
      press('Home'),
      press('End'),
      press('Home', { ctrlKey: true }),
      press('End', { metaKey: true }),
      press('PageUp'),
      press('PageDown'),
    ];
    expect(moves.every(isGridMove)).toBe(true);
    expect(new Set(moves).size).toBe(10);
    expect(isGridMove(press('Enter'))).toBe(false);
    expect(press('Enter')).toBe('grid-open-cell');
    expect(press('Escape')).toBe('grid-close-cell');
    expect(press('ArrowDown', { shiftKey: true })).toBeNull();
  });
});
