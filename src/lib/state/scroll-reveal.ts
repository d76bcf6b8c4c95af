/**
 * Where a scroll box must scroll so an item shows: the whole item when it fits, else its top (a long answer is read
 * from its start, so showing its last lines, as `scrollIntoView({ block: 'nearest' })` does, hides what matters).
 * `coveredTop` is the height of whatever sticks over the top of the box (a sticky header): the item must show below it.
 * Offsets are in the box's content coordinates (the item's top as measured from the start of the scrolled content).
 */
export function revealScrollTop(scrollTop: number, viewHeight: number, itemTop: number, itemBottom: number, coveredTop = 0): number {
  const visibleHeight = viewHeight - coveredTop;
  const top = itemTop - coveredTop;
  if (itemBottom - itemTop > visibleHeight) return Math.max(0, top);
  if (itemTop < scrollTop + coveredTop) return Math.max(0, top);
  if (itemBottom > scrollTop + viewHeight) return Math.max(0, itemBottom - viewHeight);
  return scrollTop;
}

/** Whether the item shows by that rule: all of it below the covered top, or, when it is taller than that, its top. */
export function isRevealed(scrollTop: number, viewHeight: number, itemTop: number, itemBottom: number, coveredTop = 0): boolean {
  const top = scrollTop + coveredTop;
  const bottom = scrollTop + viewHeight;
  if (itemBottom - itemTop > viewHeight - coveredTop) return Math.abs(itemTop - top) < 1;
  return itemTop >= top - 0.5 && itemBottom <= bottom + 0.5;
}

/**
 * Scrolls every box that clips `element` (its scrolling ancestors, innermost first, then the window) so it shows by the
 * rule above. A box's sticky header is found by the caller: `coveredTop(box)` gives its height (0 by default).
 */
export function revealElement(element: Element, coveredTop: (box: Element) => number = () => 0): void {
  const view = element.ownerDocument.defaultView;
  if (!view) return;
  for (let box = element.parentElement; box; box = box.parentElement) {
    const style = view.getComputedStyle(box);
    if (!/(auto|scroll)/.test(style.overflowY) || box.scrollHeight <= box.clientHeight) continue;
    const boxRect = box.getBoundingClientRect();
    const rect = element.getBoundingClientRect();
    // The box's visible content starts below its top border.
    const viewTop = boxRect.top + box.clientTop;
    const itemTop = rect.top - viewTop + box.scrollTop;
    const next = revealScrollTop(box.scrollTop, box.clientHeight, itemTop, itemTop + rect.height, coveredTop(box));
    if (Math.abs(next - box.scrollTop) >= 1) box.scrollTop = next;
  }
  const rect = element.getBoundingClientRect();
  const next = revealScrollTop(view.scrollY, view.innerHeight, rect.top + view.scrollY, rect.bottom + view.scrollY);
  if (Math.abs(next - view.scrollY) >= 1) view.scrollTo({ top: next });
}
