/**
 * Escaping user text for Markdown (CommonMark / GitHub Flavored). Every
 * character that could start markup (emphasis, links, HTML, table pipes,
 * entities) is backslash-escaped, so a code named "<script>" or "*Rewards*"
 * shows as typed and never becomes markup or raw HTML in a renderer.
 */
import { dropIllegalXmlChars } from './xml-text';

// `>` matters only at the start of a line (a quote), so inside a line "A > B" is left alone.
const INLINE_SPECIALS = /[\\`*_[\]<|~&!#]/g;
// Marks that start a block (list item, setext underline, ordered list) only at the start of a line.
const BULLET_START = /^(\s*)([-+=>])/;
const ORDERED_START = /^(\s*\d+)([.)])/;

/** XML-illegal characters dropped (the same rule as the HTML and XLSX exports) and every line end made LF. */
function clean(text: string): string {
  return dropIllegalXmlChars(text).replace(/\r\n?/g, '\n');
}

/** One line of text, escaped; line breaks become spaces. */
export function mdInline(text: string): string {
  return escapeLine(clean(text).replace(/\s*\n\s*/g, ' '));
}

function escapeLine(line: string): string {
  return line.replace(INLINE_SPECIALS, '\\$&').replace(BULLET_START, '$1\\$2').replace(ORDERED_START, '$1\\$2');
}

/** Text for a table cell: escaped, line breaks kept as `<br>` (GFM cells are one line). */
export function mdCell(text: string): string {
  return clean(text)
    .split('\n')
    .map((line) => line.replace(INLINE_SPECIALS, '\\$&'))
    .join('<br>');
}

/** Text as paragraphs: escaped line by line; a line break is a hard break, a blank line a new paragraph. */
export function mdParagraph(text: string): string {
  return clean(text)
    .trim()
    .split(/\n\s*\n/)
    .map((block) => block.split('\n').map(escapeLine).join('\\\n'))
    .join('\n\n');
}

/** A GFM table; cells are escaped here. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('left' | 'right')[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  const rule = `| ${header.map((_, i) => (align?.[i] === 'right' ? '---:' : '---')).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
