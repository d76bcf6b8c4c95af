/**
 * Where a key moves the grid's focused cell. Cells are data rows × question
 * columns (headings and pinned columns are not cells the coder codes), and no
 * key moves the focus out of the grid.
 */
import type { KeyAction } from '../coding/keymap';

export interface CellPosition {
  row: number;
  column: number;
}

export interface GridShape {
  rows: number;
  columns: number;
  /** Rows a PageUp/PageDown moves: a screenful, at least one. */
  pageRows: number;
}

/** The keymap's grid actions that move the focused cell (the others open and close a cell). */
export const GRID_MOVES = [
  'grid-left',
  'grid-right',
  'grid-up',
  'grid-down',
  'grid-row-start',
  'grid-row-end',
  'grid-first-cell',
  'grid-last-cell',
  'grid-page-up',
  'grid-page-down',
] as const satisfies readonly KeyAction[];

export type GridMove = (typeof GRID_MOVES)[number];

const MOVES: ReadonlySet<string> = new Set<GridMove>(GRID_MOVES);

export function isGridMove(action: KeyAction | null): action is GridMove {
  return action !== null && MOVES.has(action);
}

/** A position inside the grid (the nearest cell), or null for a grid with no cells. */
export function clampCell(at: CellPosition, shape: Pick<GridShape, 'rows' | 'columns'>): CellPosition | null {
  if (shape.rows <= 0 || shape.columns <= 0) return null;
  const fix = (n: number, count: number) => (Number.isFinite(n) ? Math.min(count - 1, Math.max(0, Math.trunc(n))) : 0);
  return { row: fix(at.row, shape.rows), column: fix(at.column, shape.columns) };
}

/** The cell a move lands on from `at`; null for a grid with no cells. */
export function moveCell(at: CellPosition, move: GridMove, shape: GridShape): CellPosition | null {
  const from = clampCell(at, shape);
  if (!from) return null;
  const page = Math.max(1, Math.trunc(shape.pageRows) || 1);
  const next = { ...from };
  switch (move) {
    case 'grid-left':
      next.column -= 1;
      break;
    case 'grid-right':
      next.column += 1;
      break;
    case 'grid-up':
      next.row -= 1;
      break;
    case 'grid-down':
      next.row += 1;
      break;
    case 'grid-row-start':
      next.column = 0;
      break;
    case 'grid-row-end':
      next.column = shape.columns - 1;
      break;
    case 'grid-first-cell':
      next.row = 0;
      next.column = 0;
      break;
    case 'grid-last-cell':
      next.row = shape.rows - 1;
      next.column = shape.columns - 1;
      break;
    case 'grid-page-up':
      next.row -= page;
      break;
    case 'grid-page-down':
      next.row += page;
      break;
  }
  return clampCell(next, shape);
}
