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

/** Shows a selection of UTF-16 offsets [start, end) inside an element that holds text nodes. */
export function selectOffsetsIn(element: Element, start: number, end: number): void {
  const selection = globalThis.getSelection?.();
  if (!selection) return;
  const range = document.createRange();
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  let offset = 0;
  let startSet = false;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    const next = offset + node.length;
    if (!startSet && start <= next) {
      range.setStart(node, start - offset);
      startSet = true;
    }
    if (startSet && end <= next) {
      range.setEnd(node, end - offset);
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    offset = next;
  }
}
