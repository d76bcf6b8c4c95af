/**
 * Turns the browser's selection inside an answer's text element into offsets.
 * The element holds the answer's text as text nodes (some inside highlight
 * spans), so the text before a point is the selection's offset in UTF-16.
 */
export function selectionOffsetsIn(element: Element, selection: Selection | null): { start: number; end: number } | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!element.contains(range.startContainer) || !element.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.setStart(element, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const start = before.toString().length;
  return { start, end: start + range.toString().length };
}
