import { describe, expect, it } from 'vitest';
import { wordBoundsFallback } from './snap';
import { stepWordSelection, type WordStep } from './word-steps';

const text = 'My mentor, Siobhán, listened.';
const words = wordBoundsFallback(text);
const run = (steps: WordStep[]) => {
  let span: { start: number; end: number } | null = null;
  for (const step of steps) span = stepWordSelection(words, span, step);
  return span ? text.slice(span.start, span.end) : null;
};

describe('stepWordSelection', () => {
  it('starts at the first word and takes in a word per step, punctuation between included', () => {
    expect(run(['extend'])).toBe('My');
    expect(run(['extend', 'extend'])).toBe('My mentor');
    expect(run(['extend', 'extend', 'extend'])).toBe('My mentor, Siobhán');
    expect(run(['extend', 'extend', 'extend', 'extend', 'extend', 'extend'])).toBe('My mentor, Siobhán, listened');
  });

  it('gives back words, and moves the start', () => {
    expect(run(['extend', 'extend', 'shrink'])).toBe('My');
    expect(run(['extend', 'shrink'])).toBeNull();
    expect(run(['extend', 'extend', 'extend', 'advance'])).toBe('mentor, Siobhán');
    expect(run(['extend', 'advance'])).toBe('mentor');
    expect(run(['extend', 'advance', 'retreat'])).toBe('My mentor');
  });

  it('does nothing without words or without a selection to shrink', () => {
    expect(stepWordSelection([], null, 'extend')).toBeNull();
    expect(stepWordSelection(words, null, 'shrink')).toBeNull();
  });
});
