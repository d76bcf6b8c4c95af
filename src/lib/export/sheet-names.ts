/**
 * Worksheet names Excel accepts: 1–31 characters, none of `[ ] : * ? / \`,
 * not starting or ending with an apostrophe, unique ignoring case, and not
 * "History" (Excel reserves it for change tracking).
 */
import { dropIllegalXmlChars } from './xml-text';

export const MAX_SHEET_NAME = 31;

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function cleanName(name: string, position: number): string {
  const cleaned = dropIllegalXmlChars(name)
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/[[\]:*?/\\]/g, '_')
    .trim()
    .replace(/^'+|'+$/g, '')
    .trim();
  return cut(cleaned, MAX_SHEET_NAME).trim() || `Sheet${position + 1}`;
}

/**
 * Valid, unique names for the sheets, in the same order. A clash gets " (2)",
 * " (3)"… with the name shortened to make room.
 */
export function sanitiseSheetNames(names: readonly string[]): string[] {
  const taken = new Set<string>(['history']);
  return names.map((name, i) => {
    const base = cleanName(name, i);
    let candidate = base;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
      const suffix = ` (${n})`;
      candidate = cut(base, MAX_SHEET_NAME - suffix.length).trimEnd() + suffix;
    }
    taken.add(candidate.toLowerCase());
    return candidate;
  });
}
