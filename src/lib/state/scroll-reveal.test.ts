import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isRevealed, revealScrollTop } from './scroll-reveal';

describe('revealScrollTop', () => {
  it('leaves the box where it is when the item already shows', () => {
    expect(revealScrollTop(100, 300, 150, 250)).toBe(100);
  });

  it('scrolls up to an item above the view, and down just far enough for one below it', () => {
    expect(revealScrollTop(500, 300, 200, 260)).toBe(200);
    expect(revealScrollTop(0, 300, 350, 420)).toBe(120);
  });

  it('shows the top of an item taller than the view, not its end', () => {
    // Below the view: scrolling "nearest" would show its last 300 px.
    expect(revealScrollTop(0, 300, 400, 1000)).toBe(400);
    // Partly shown with its top cut off: its top comes back.
    expect(revealScrollTop(450, 300, 400, 1000)).toBe(400);
  });

  it('keeps the item below a sticky header', () => {
    // The header covers the box's top 40 px: an item starting at the view's top is under it.
    expect(revealScrollTop(100, 300, 110, 200, 40)).toBe(70);
    expect(revealScrollTop(100, 300, 150, 200, 40)).toBe(100);
  });

  it('always ends with the item shown (its top when it is too tall), never scrolled before the start', () => {
    fc.assert(
      fc.property(
        fc.nat(5000),
        fc.integer({ min: 50, max: 1000 }),
        fc.nat(5000),
        fc.integer({ min: 1, max: 2000 }),
        fc.nat(49),
        (scrollTop, viewHeight, itemTop, height, covered) => {
          const next = revealScrollTop(scrollTop, viewHeight, itemTop, itemTop + height, covered);
          expect(next).toBeGreaterThanOrEqual(0);
          // Scrolling is clamped at 0: an item within the covered band at the very start cannot show below it.
          if (itemTop >= covered) expect(isRevealed(next, viewHeight, itemTop, itemTop + height, covered)).toBe(true);
          // An item that showed already does not move.
          if (isRevealed(scrollTop, viewHeight, itemTop, itemTop + height, covered)) expect(next).toBe(scrollTop);
        },
      ),
    );
  });
});
