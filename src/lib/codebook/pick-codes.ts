/** The quick picker's matching: a few typed letters find a code by name. */
import type { CodeTreeRow } from './code-tree';

/**
 * Codes whose name (or parent path) matches what was typed, best first: a name
 * starting with it, then a word in the name starting with it, then the name
 * containing it, then its letters in order ("rwd" finds "Rewards").
 */
export function pickCodes(query: string, rows: readonly CodeTreeRow[], pathOf: (row: CodeTreeRow) => string): CodeTreeRow[] {
  const typed = query.trim().toLowerCase();
  if (!typed) return [...rows];
  const scored: { row: CodeTreeRow; score: number; order: number }[] = [];
  rows.forEach((row, order) => {
    const name = row.code.name.toLowerCase();
    let score = -1;
    if (name.startsWith(typed)) score = 0;
    else if (name.split(/[\s\-/]+/).some((word) => word.startsWith(typed))) score = 1;
    else if (name.includes(typed)) score = 2;
    else if (pathOf(row).toLowerCase().includes(typed)) score = 3;
    else if (inOrder(typed, name)) score = 4;
    if (score >= 0) scored.push({ row, score, order });
  });
  return scored.sort((a, b) => a.score - b.score || a.order - b.order).map((s) => s.row);
}

function inOrder(letters: string, text: string): boolean {
  let at = 0;
  for (const letter of letters) {
    at = text.indexOf(letter, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}
