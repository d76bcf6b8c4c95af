/**
 * Coding: the pure logic behind applying codes to spans of answers (offset
 * conversion, highlight segments, word snapping, shortcuts).
 */
export { OffsetMap, codePointLength, codePointToUtf16, hasSurrogates, toCodePointSpan, toUtf16Span, utf16ToCodePoint, type OffsetSpan } from './offsets';
export { segmentText, type Segment, type SpanLike } from './segments';
export { snapToWords, wordBoundsFallback, type WordBounds } from './snap';
export {
  RESERVED_KEYS,
  SHORTCUT_KEYS,
  ShortcutError,
  checkShortcut,
  codeByShortcut,
  firstFreeKey,
  isAssignableKey,
  keyIncoming,
  keyOf,
  keysForUnkeyed,
  normalizeShortcutKey,
  shortcutMap,
  type KeyingOptions,
  type ShortcutProblem,
} from './keys';
export type { Change, ReversibleChange } from './change';
