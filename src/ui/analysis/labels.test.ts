import { describe, expect, it } from 'vitest';
import { cellName } from './labels';

describe('cellName', () => {
  it('starts with the figures as the cell shows them, then says where it is and what it does', () => {
    expect(cellName('2 of 16  13% (4–38%)', 'Rewards, Baseline')).toBe('2 of 16 13% (4–38%) — Rewards, Baseline: open the answers');
  });

  it('keeps the shown text whole so speech input can say it (one space between the figures)', () => {
    const name = cellName('\n 4\n 25%\n', 'Empathy, Only mentee: 4 of 16 pairs');
    expect(name.startsWith('4 25% — ')).toBe(true);
  });
});
