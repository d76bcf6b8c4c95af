import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { answerOnScreen } from '../../src/lib/state/on-screen';

// jsdom lays nothing out: each element's box is given here, as a browser would measure it.
const boxes = new Map<Element, DOMRect>();
const realRect = Element.prototype.getBoundingClientRect;
Element.prototype.getBoundingClientRect = function (this: Element) {
  return boxes.get(this) ?? new DOMRect(0, 0, 0, 0);
};

afterEach(() => {
  document.body.innerHTML = '';
  boxes.clear();
});

afterAll(() => {
  Element.prototype.getBoundingClientRect = realRect;
});

/** A scrolling list (rows 0–400 px visible) holding one answer at `top`. */
function listWith(top: number, height = 80) {
  const viewport = document.createElement('div');
  viewport.style.overflow = 'auto';
  const answer = document.createElement('article');
  answer.dataset.answerId = 'q␟w␟M02';
  viewport.append(answer);
  document.body.append(viewport);
  boxes.set(viewport, new DOMRect(0, 0, 800, 400));
  boxes.set(answer, new DOMRect(0, top, 800, height));
  return answer;
}

describe('answerOnScreen', () => {
  it('is true for an answer inside the list’s visible part', () => {
    listWith(100);
    expect(answerOnScreen('q␟w␟M02')).toBe(true);
    expect(answerOnScreen('q␟w␟M03')).toBe(false);
  });

  it('is false for an answer scrolled out of the list, though rendered and inside the window', () => {
    listWith(500);
    expect(window.innerHeight).toBeGreaterThan(600);
    expect(answerOnScreen('q␟w␟M02')).toBe(false);
  });

  it('is false for a sliver at the list’s edge, true once enough of it shows', () => {
    listWith(395);
    expect(answerOnScreen('q␟w␟M02')).toBe(false);
    document.body.innerHTML = '';
    listWith(380);
    expect(answerOnScreen('q␟w␟M02')).toBe(true);
  });

  it('is false for an answer not laid out (hidden)', () => {
    listWith(100, 0);
    expect(answerOnScreen('q␟w␟M02')).toBe(false);
  });
});
