/**
 * Whether an answer is on screen: rendered (a virtual list renders only the
 * rows near its viewport) and not scrolled out of any box that clips it, nor
 * out of the window. A code key or click codes only such an answer.
 */
export function answerOnScreen(answerId: string, root: ParentNode | undefined = globalThis.document): boolean {
  if (!root) return false;
  for (const element of root.querySelectorAll<HTMLElement>('[data-answer-id]')) {
    if (element.dataset.answerId === answerId && elementOnScreen(element)) return true;
  }
  return false;
}

/** True when some of the element shows: inside the window and inside every ancestor that clips its overflow. */
export function elementOnScreen(element: Element): boolean {
  const view = element.ownerDocument.defaultView;
  if (!view) return false;
  const rect = element.getBoundingClientRect();
  let top = Math.max(rect.top, 0);
  let left = Math.max(rect.left, 0);
  let bottom = Math.min(rect.bottom, view.innerHeight);
  let right = Math.min(rect.right, view.innerWidth);
  for (let box = element.parentElement; box && top < bottom && left < right; box = box.parentElement) {
    const style = view.getComputedStyle(box);
    if (![style.overflow, style.overflowX, style.overflowY].some((value) => value !== '' && value !== 'visible')) continue;
    const clip = box.getBoundingClientRect();
    top = Math.max(top, clip.top);
    left = Math.max(left, clip.left);
    bottom = Math.min(bottom, clip.bottom);
    right = Math.min(right, clip.right);
  }
  // A sliver at the edge of the list is not an answer the coder can see.
  return top < bottom && left < right && bottom - top >= Math.min(MIN_VISIBLE_PX, rect.height);
}

/** How much of an answer must show (or all of it, if it is smaller) for it to count as on screen. */
const MIN_VISIBLE_PX = 16;
