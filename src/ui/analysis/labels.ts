/** Words and numbers the analysis tabs share: option labels, coder choices as select values, counts and shares. */
import type { CoderChoice, TargetSet } from '../../workers/analysis-protocol';

export interface SelectOption {
  value: string;
  label: string;
  /** Options with the same group are shown together under its name. */
  group?: string;
}

export const TARGET_SETS: readonly { value: TargetSet; label: string }[] = [
  { value: 'codes', label: 'Each code on its own' },
  { value: 'codes-with-subcodes', label: 'Each code, parents with their subcodes' },
  { value: 'top-level', label: 'Top-level codes, with their subcodes' },
  { value: 'themes', label: 'Themes' },
];

/** A coder choice as a <select> value: "all", "consensus" or "coder:<id>". */
export function coderValue(choice: CoderChoice): string {
  return choice.kind === 'coder' ? `coder:${choice.coderId}` : choice.kind;
}

export function coderFromValue(value: string): CoderChoice {
  if (value.startsWith('coder:')) return { kind: 'coder', coderId: value.slice('coder:'.length) };
  return value === 'consensus' ? { kind: 'consensus' } : value === 'final' ? { kind: 'final' } : { kind: 'all' };
}

const numbers = new Intl.NumberFormat();

export function count(n: number): string {
  return numbers.format(n);
}

/** A share 0–1 as "30.0%"; "–" when there is none (a share of nothing is not a number). */
export function percent(share: number | null): string {
  return share === null || !Number.isFinite(share) ? '–' : `${(share * 100).toFixed(1)}%`;
}

/** "12 / 40". */
export function ratio(numerator: number, denominator: number): string {
  return `${count(numerator)} / ${count(denominator)}`;
}

/** Context key: a function giving blind mode's one coder (null when not blind), set by the analysis view. */
export const BLIND_CODER_CONTEXT = Symbol('blind-coder');

/**
 * The accessible name of a table cell that opens its answers: the figures as the cell shows them first (WCAG 2.5.3:
 * someone using speech input says what they see, and a screen reader reads the same figures), then which row and
 * column it is (tabbing from cell to cell does not read the headers) and what choosing it does.
 */
export function cellName(shown: string, where: string): string {
  return `${shown.replace(/\s+/g, ' ').trim()} — ${where}: open the answers`;
}
