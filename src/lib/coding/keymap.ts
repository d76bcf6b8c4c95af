/**
 * The app's keys in one table: the key handlers ask it which action a key press
 * means, and the "?" dialog lists it, so the two cannot disagree. Code keys
 * (a code's own digit or letter) are not here: they belong to the codes.
 */

/** Where a key acts. A key may mean different things in different places (j moves in the list, ↓ in the grid). */
export type KeyContext = 'everywhere' | 'answers' | 'grid' | 'adjudication';

export type KeyAction =
  | 'find-code'
  | 'undo'
  | 'redo'
  | 'search'
  | 'show-keys'
  | 'clear-selection'
  | 'next-answer'
  | 'previous-answer'
  | 'select-word-forward'
  | 'select-word-back'
  | 'move-selection-start-forward'
  | 'move-selection-start-back'
  | 'next-uncoded-in-round'
  | 'accept-suggestions'
  | 'reject-suggestions'
  | 'grid-left'
  | 'grid-right'
  | 'grid-up'
  | 'grid-down'
  | 'grid-row-start'
  | 'grid-row-end'
  | 'grid-first-cell'
  | 'grid-last-cell'
  | 'grid-page-up'
  | 'grid-page-down'
  | 'grid-open-cell'
  | 'grid-close-cell'
  | 'adjudicate-first'
  | 'adjudicate-second'
  | 'adjudicate-both'
  | 'adjudicate-neither'
  | 'adjudicate-next'
  | 'adjudicate-previous'
  | 'adjudicate-undo';

/** One key press: `key` is KeyboardEvent.key (letters compared without case); modifiers not named must be up. */
export interface KeyChord {
  key: string;
  /** Ctrl on Windows and Linux, ⌘ on a Mac. */
  mod?: boolean;
  shift?: boolean;
  alt?: boolean;
  /** Matched on KeyboardEvent.code instead of key, where a modifier changes the character (Alt+N is "ñ" on a Mac). */
  code?: string;
}

export interface KeyBinding {
  action: KeyAction;
  context: KeyContext;
  chords: readonly KeyChord[];
  /** What the "?" dialog shows in its key column, e.g. "j / ↓". */
  keys: string;
  description: string;
}

const k = (key: string, extra: Omit<KeyChord, 'key'> = {}): KeyChord => ({ key, ...extra });

export const KEYMAP: readonly KeyBinding[] = [
  {
    action: 'find-code',
    context: 'everywhere',
    chords: [k('k', { mod: true })],
    keys: 'Ctrl/⌘ + K',
    description: 'Find a code by typing a few letters, then Enter',
  },
  { action: 'undo', context: 'everywhere', chords: [k('z', { mod: true })], keys: 'Ctrl/⌘ + Z', description: 'Undo' },
  {
    action: 'redo',
    context: 'everywhere',
    chords: [k('z', { mod: true, shift: true }), k('y', { mod: true })],
    keys: 'Ctrl/⌘ + Shift + Z, Ctrl/⌘ + Y',
    description: 'Redo',
  },
  { action: 'search', context: 'everywhere', chords: [k('/')], keys: '/', description: 'Search the answers' },
  { action: 'show-keys', context: 'everywhere', chords: [k('?')], keys: '?', description: 'This list' },
  { action: 'clear-selection', context: 'everywhere', chords: [k('Escape')], keys: 'Esc', description: 'Clear the selection' },

  { action: 'next-answer', context: 'answers', chords: [k('j'), k('ArrowDown')], keys: 'j / ↓', description: 'Next answer' },
  { action: 'previous-answer', context: 'answers', chords: [k('k'), k('ArrowUp')], keys: 'k / ↑', description: 'Previous answer' },
  {
    action: 'select-word-forward',
    context: 'answers',
    chords: [k('ArrowRight', { shift: true })],
    keys: 'Shift + →',
    description: 'Select the focused answer a word further',
  },
  { action: 'select-word-back', context: 'answers', chords: [k('ArrowLeft', { shift: true })], keys: 'Shift + ←', description: 'Select a word less' },
  {
    action: 'move-selection-start-forward',
    context: 'answers',
    chords: [k('ArrowRight', { shift: true, mod: true })],
    keys: 'Ctrl/⌘ + Shift + →',
    description: 'Move the start of the selection a word right',
  },
  {
    action: 'move-selection-start-back',
    context: 'answers',
    chords: [k('ArrowLeft', { shift: true, mod: true })],
    keys: 'Ctrl/⌘ + Shift + ←',
    description: 'Move the start of the selection a word left',
  },
  {
    action: 'next-uncoded-in-round',
    context: 'answers',
    chords: [k('n', { alt: true, code: 'KeyN' })],
    keys: 'Alt + N',
    description: 'Next answer of the round you have not coded (with a round chosen in the filters)',
  },
  {
    action: 'accept-suggestions',
    context: 'answers',
    chords: [k('a', { shift: true, code: 'KeyA' })],
    keys: 'Shift + A',
    description: 'Accept the assistant’s suggested codes for the focused answer',
  },
  {
    action: 'reject-suggestions',
    context: 'answers',
    chords: [k('x', { shift: true, code: 'KeyX' })],
    keys: 'Shift + X',
    description: 'Reject the assistant’s suggestions for the focused answer',
  },

  { action: 'grid-left', context: 'grid', chords: [k('ArrowLeft')], keys: '←', description: 'Cell to the left' },
  { action: 'grid-right', context: 'grid', chords: [k('ArrowRight')], keys: '→', description: 'Cell to the right' },
  { action: 'grid-up', context: 'grid', chords: [k('ArrowUp')], keys: '↑', description: 'Cell above' },
  { action: 'grid-down', context: 'grid', chords: [k('ArrowDown')], keys: '↓', description: 'Cell below' },
  { action: 'grid-row-start', context: 'grid', chords: [k('Home')], keys: 'Home', description: 'First question of the row' },
  { action: 'grid-row-end', context: 'grid', chords: [k('End')], keys: 'End', description: 'Last question of the row' },
  { action: 'grid-first-cell', context: 'grid', chords: [k('Home', { mod: true })], keys: 'Ctrl/⌘ + Home', description: 'First cell of the grid' },
  { action: 'grid-last-cell', context: 'grid', chords: [k('End', { mod: true })], keys: 'Ctrl/⌘ + End', description: 'Last cell of the grid' },
  { action: 'grid-page-up', context: 'grid', chords: [k('PageUp')], keys: 'Page Up', description: 'A screen of rows up' },
  { action: 'grid-page-down', context: 'grid', chords: [k('PageDown')], keys: 'Page Down', description: 'A screen of rows down' },
  { action: 'grid-open-cell', context: 'grid', chords: [k('Enter')], keys: 'Enter', description: 'Open the cell to code passages of it' },
  { action: 'grid-close-cell', context: 'grid', chords: [k('Escape')], keys: 'Esc', description: 'Back to the grid' },

  { action: 'adjudicate-first', context: 'adjudication', chords: [k('1')], keys: '1', description: 'Accept the first coder’s coding' },
  { action: 'adjudicate-second', context: 'adjudication', chords: [k('2')], keys: '2', description: 'Accept the second coder’s coding' },
  { action: 'adjudicate-both', context: 'adjudication', chords: [k('b')], keys: 'b', description: 'Keep both' },
  { action: 'adjudicate-neither', context: 'adjudication', chords: [k('n')], keys: 'n', description: 'Keep neither' },
  {
    action: 'adjudicate-next',
    context: 'adjudication',
    chords: [k('j'), k('ArrowDown'), k('ArrowRight')],
    keys: 'j / ↓ / →',
    description: 'Next disagreement',
  },
  {
    action: 'adjudicate-previous',
    context: 'adjudication',
    chords: [k('k'), k('ArrowUp'), k('ArrowLeft')],
    keys: 'k / ↑ / ←',
    description: 'Previous disagreement',
  },
  { action: 'adjudicate-undo', context: 'adjudication', chords: [k('u')], keys: 'u', description: 'Undo the last decision' },
];

/** Headings of the "?" dialog, in its order. */
export const KEY_CONTEXT_TITLES: Readonly<Record<KeyContext, string>> = {
  everywhere: 'Everywhere',
  answers: 'Answers by question',
  grid: 'Survey grid',
  adjudication: 'Resolving disagreements',
};

/** The parts of a KeyboardEvent a chord is matched against (a plain object in tests). */
export interface KeyPress {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
}

export function chordMatches(chord: KeyChord, press: KeyPress): boolean {
  const mod = Boolean(press.ctrlKey || press.metaKey);
  if (mod !== Boolean(chord.mod) || Boolean(press.altKey) !== Boolean(chord.alt)) return false;
  if (chord.code !== undefined) return press.code === chord.code && Boolean(press.shiftKey) === Boolean(chord.shift);
  // "?" is typed with Shift on most layouts and without it on some: a chord naming a printable
  // character other than a letter does not care about Shift unless it says so.
  const printable = chord.key.length === 1;
  const letter = printable && chord.key.toLowerCase() !== chord.key.toUpperCase();
  if (!printable || letter) {
    if (Boolean(press.shiftKey) !== Boolean(chord.shift)) return false;
  }
  return letter ? press.key.toLowerCase() === chord.key.toLowerCase() : press.key === chord.key;
}

/** The action a key press means in a context ('everywhere' bindings are always consulted after the context's own). */
export function actionFor(press: KeyPress, context: KeyContext): KeyAction | null {
  for (const wanted of context === 'everywhere' ? ['everywhere'] : [context, 'everywhere']) {
    for (const binding of KEYMAP) {
      if (binding.context === wanted && binding.chords.some((chord) => chordMatches(chord, press))) return binding.action;
    }
  }
  return null;
}

/** The action a key press means among the bindings of exactly one context. */
export function actionIn(press: KeyPress, context: KeyContext): KeyAction | null {
  for (const binding of KEYMAP) {
    if (binding.context === context && binding.chords.some((chord) => chordMatches(chord, press))) return binding.action;
  }
  return null;
}

/** The table by context, for the "?" dialog. */
export function keymapByContext(): { context: KeyContext; title: string; bindings: KeyBinding[] }[] {
  return (Object.keys(KEY_CONTEXT_TITLES) as KeyContext[]).map((context) => ({
    context,
    title: KEY_CONTEXT_TITLES[context],
    bindings: KEYMAP.filter((b) => b.context === context),
  }));
}
