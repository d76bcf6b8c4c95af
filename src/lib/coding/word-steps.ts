/**
 * Selecting a passage from the keyboard, a word at a time: Shift+→ takes in
 * the next word, Shift+← gives back the last, and with Ctrl/⌘ the start moves
 * instead. Offsets are UTF-16, as the word bounds are.
 */
import type { WordBounds } from './snap';

export type WordStep = 'extend' | 'shrink' | 'advance' | 'retreat';

export function stepWordSelection(words: WordBounds, current: { start: number; end: number } | null, step: WordStep): { start: number; end: number } | null {
  if (words.length === 0) return null;
  if (!current) return step === 'extend' ? { start: words[0][0], end: words[0][1] } : null;
  let first = words.findIndex(([start]) => start >= current.start);
  if (first < 0) first = words.length - 1;
  let last = -1;
  for (let i = 0; i < words.length; i++) if (words[i][1] <= current.end) last = i;
  if (last < first) last = first;
  switch (step) {
    case 'extend':
      last = Math.min(words.length - 1, last + 1);
      break;
    case 'shrink':
      if (last === first) return null;
      last -= 1;
      break;
    case 'advance':
      if (first === last) last = Math.min(words.length - 1, last + 1);
      first = Math.min(last, first + 1);
      break;
    case 'retreat':
      first = Math.max(0, first - 1);
      break;
  }
  return { start: words[first][0], end: words[last][1] };
}
