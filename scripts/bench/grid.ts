/**
 * The survey grid at scale (issue 14 §1), through the UI, in the profile the
 * coding bench has left on the big project (100k respondents × 8 questions,
 * 200,000 codings):
 *
 * - click on "Survey grid" → the first cell painted with its text (the grid
 *   reads where each answer is, then the chunks of the rows on screen);
 * - a vertical scroll of the grid's one scroll container (a steady scroll,
 *   then a drag of the scrollbar to the end), then a horizontal one (steady
 *   back and forth across the questions, then a drag from the left edge to
 *   the right one), each reporting the longest frame: the longest gap between
 *   animation frames or the longest long-animation-frame entry;
 * - moving the focused cell by key (arrows, PageDown, Home/End, Ctrl+Home/End):
 *   from the keydown's timeStamp to the frame with the new cell focused
 *   painted (next animation frame plus one task).
 */
import type { Page } from 'playwright-core';
import { ms } from './report';

export interface GridScroll {
  axis: 'vertical' | 'horizontal';
  durationMs: number;
  frames: number;
  distancePx: number;
  /** Frames over 50 ms (long-animation-frame or longtask entries, or gaps between animation frames). */
  longFrames: number;
  worstFrameMs: number;
  p95FrameMs: number;
  /** Cells in the DOM at the end (virtualised: only the ones on screen plus a margin). */
  cellsAtEnd: number;
  /** Cells drawn with their text at the end (0 would be the old blank grid). */
  filledCellsAtEnd: number;
}

export interface GridKeySample {
  key: string;
  /** keydown → the frame with the new cell focused painted. */
  paintMs: number | null;
  problem: string | null;
}

export interface GridBenchResult {
  rows: number | null;
  /** Click on "Survey grid" → the first cell painted with its text. */
  openMs: number | null;
  vertical: GridScroll | null;
  horizontal: GridScroll | null;
  keys: GridKeySample[];
  keyP50Ms: number | null;
  keyP95Ms: number | null;
  keyMaxMs: number | null;
}

const READY = '[data-testid="project-view"][data-ready="true"]';
const SCROLLER = '[data-testid="grid-scroller"]';
/** A vertical scroll as the answer list's bench does: 120 px a frame for 3 s, then the scrollbar dragged to the end in 2 s. */
const VERTICAL = { steadyMs: 3000, stepPx: 120, dragMs: 2000 };
/** Sideways: 60 px a frame back and forth for 3 s, then from the left edge dragged to the right one in 1 s. */
const HORIZONTAL = { steadyMs: 3000, stepPx: 60, dragMs: 1000 };
/** Key presses, each moving the focus to another cell of the 8 questions. */
const KEYS = [
  ...Array(20).fill('ArrowDown'),
  ...Array(6).fill('ArrowRight'),
  ...Array(6).fill('ArrowLeft'),
  ...Array(5).fill('PageDown'),
  'End',
  'Home',
  'ArrowUp',
  'Control+End',
  'ArrowLeft',
  'Control+Home',
  ...Array(5).fill('ArrowDown'),
] as string[];

const INSTRUMENT = String.raw`
(() => {
  if (window.__cbGrid) return;
  const G = (window.__cbGrid = { keydowns: [] });
  addEventListener('keydown', (e) => G.keydowns.push(e.timeStamp > 0 && e.timeStamp <= performance.now() ? e.timeStamp : performance.now()), true);
  G.afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(0);
  }));
  const cellOf = (el) => el && el.getAttribute && el.getAttribute('role') === 'gridcell' && el.closest('[role="row"]')
    ? el.closest('[role="row"]').getAttribute('aria-rowindex') + ':' + el.getAttribute('aria-colindex') : null;
  /**
   * Arms one key measurement: resolves once another cell has the focus and that frame is painted. The focus change
   * is seen when it happens (focusin), as the coding rows see theirs with a MutationObserver: polling it from an
   * animation frame and then waiting for the next one counted one frame too many.
   */
  G.arm = (timeoutMs) => {
    const before = cellOf(document.activeElement);
    const k0 = G.keydowns.length;
    G.pending = new Promise((resolve) => {
      let done = false;
      const finish = (r) => { if (done) return; done = true; removeEventListener('focusin', onfocus, true); clearTimeout(timer); resolve(r); };
      const onfocus = () => {
        const now = cellOf(document.activeElement);
        if (now && now !== before && G.keydowns.length > k0) G.afterPaint().then((painted) => finish({ paintMs: painted - G.keydowns[k0], problem: null }));
      };
      addEventListener('focusin', onfocus, true);
      const timer = setTimeout(() => finish({ paintMs: null, problem: 'the focus stayed on ' + before }), timeoutMs);
    });
    return before;
  };
  G.collect = () => G.pending;
  /** Scrolls the grid along one axis: steadily (back and forth across it if it ends), then dragged across. */
  G.scroll = (axis, opts) => new Promise((resolve) => {
    const el = document.querySelector('${SCROLLER}');
    const prop = axis === 'vertical' ? 'scrollTop' : 'scrollLeft';
    const max = () => axis === 'vertical' ? el.scrollHeight - el.clientHeight : el.scrollWidth - el.clientWidth;
    const types = PerformanceObserver.supportedEntryTypes || [];
    const entryType = types.includes('long-animation-frame') ? 'long-animation-frame' : 'longtask';
    const entries = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) entries.push(e); });
    observer.observe({ type: entryType, buffered: false });
    const gaps = [];
    let last = null, t0 = null, dragAt = null, dragFrom = 0, direction = 1, distance = 0, previous = el[prop];
    const step = (now) => {
      if (t0 === null) t0 = now;
      if (last !== null) gaps.push(now - last);
      last = now;
      distance += Math.abs(el[prop] - previous);
      previous = el[prop];
      const elapsed = now - t0;
      if (elapsed < opts.steadyMs) {
        if ((direction > 0 && el[prop] >= max() - 1) || (direction < 0 && el[prop] <= 0)) direction = -direction;
        el[prop] += direction * opts.stepPx;
      } else if (elapsed < opts.steadyMs + opts.dragMs) {
        if (dragAt === null) { dragAt = now; dragFrom = axis === 'horizontal' ? 0 : el[prop]; }
        el[prop] = dragFrom + (max() - dragFrom) * ((elapsed - opts.steadyMs) / opts.dragMs);
      } else {
        const end = now;
        setTimeout(() => {
          for (const e of observer.takeRecords()) entries.push(e);
          observer.disconnect();
          const inside = entries.filter((e) => e.startTime + e.duration >= t0 && e.startTime <= end + 100);
          const sorted = gaps.slice().sort((a, b) => a - b);
          const p95 = sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] : 0;
          const cells = el.querySelectorAll('[data-testid="grid-cell"]');
          resolve({
            axis,
            durationMs: end - t0,
            frames: gaps.length + 1,
            distancePx: distance,
            // A long frame is seen twice (as an entry and as a gap): count the larger of the two ways.
            longFrames: Math.max(inside.filter((e) => e.duration > 50).length, gaps.filter((g) => g > 50).length),
            worstFrameMs: Math.max(0, ...gaps, ...inside.map((e) => e.duration)),
            p95FrameMs: p95,
            cellsAtEnd: cells.length,
            filledCellsAtEnd: [...cells].filter((c) => c.querySelector('p')).length,
          });
        }, 300);
        return;
      }
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
})();
`;

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export async function runGridBench(
  page: Page,
  log: (line: string) => void,
  options: { projectUrl?: string | null; timeoutMs?: number } = {},
): Promise<GridBenchResult> {
  const timeout = options.timeoutMs ?? 5 * 60_000;
  if (options.projectUrl) await page.goto(options.projectUrl);
  await page.waitForSelector(READY, { timeout });
  await page.evaluate(INSTRUMENT);

  const clickedAt = (await page.evaluate('performance.now()')) as number;
  await page.click('[data-testid="layout-grid"]');
  // A cell with its text: the grid draws its cells before it has read where the answers are (they show "…").
  await page.waitForSelector(`${SCROLLER} [data-testid="grid-cell"] p`, { timeout });
  const openMs = ((await page.evaluate('window.__cbGrid.afterPaint()')) as number) - clickedAt;
  const countText = await page.textContent('[data-testid="grid-count"]');
  const rows = countText ? Number(countText.replace(/[^\d×]/g, '').split('×')[0]) : null;
  log(`  grid: open → first cells painted ${ms(openMs)} (${countText?.trim()})`);

  const vertical = (await page.evaluate(`window.__cbGrid.scroll('vertical', ${JSON.stringify(VERTICAL)})`)) as GridScroll;
  log(
    `  grid: vertical scroll ${vertical.frames} frames over ${Math.round(vertical.distancePx).toLocaleString('en-US')} px: ` +
      `${vertical.longFrames} frames > 50 ms, worst ${ms(vertical.worstFrameMs)}, ${vertical.cellsAtEnd} cells in the DOM`,
  );
  const horizontal = (await page.evaluate(`window.__cbGrid.scroll('horizontal', ${JSON.stringify(HORIZONTAL)})`)) as GridScroll;
  log(
    `  grid: horizontal scroll ${horizontal.frames} frames over ${Math.round(horizontal.distancePx).toLocaleString('en-US')} px: ` +
      `${horizontal.longFrames} frames > 50 ms, worst ${ms(horizontal.worstFrameMs)}, ${horizontal.filledCellsAtEnd} of ${horizontal.cellsAtEnd} cells drawn with text`,
  );

  // Back to the top left, then the keys from the grid's tab stop.
  await page.evaluate(`(() => { const el = document.querySelector('${SCROLLER}'); el.scrollTop = 0; el.scrollLeft = 0; })()`);
  await page.evaluate('window.__cbGrid.afterPaint()');
  await page.focus(`${SCROLLER} [data-testid="grid-cell"][tabindex="0"]`);
  await page.keyboard.press('Control+Home');
  const keys: GridKeySample[] = [];
  for (const key of KEYS) {
    await page.evaluate('window.__cbGrid.arm(5000)');
    await page.keyboard.press(key);
    const sample = (await page.evaluate('window.__cbGrid.collect()')) as { paintMs: number | null; problem: string | null };
    keys.push({ key, ...sample });
  }
  const painted = keys.map((k) => k.paintMs).filter((v): v is number => v !== null);
  const problems = keys.filter((k) => k.problem);
  const result: GridBenchResult = {
    rows,
    openMs,
    vertical,
    horizontal,
    keys,
    keyP50Ms: percentile(painted, 0.5),
    keyP95Ms: percentile(painted, 0.95),
    keyMaxMs: painted.length ? Math.max(...painted) : null,
  };
  log(
    `  grid: ${keys.length} key moves → painted: p50 ${ms(result.keyP50Ms)}, p95 ${ms(result.keyP95Ms)}, max ${ms(result.keyMaxMs)}` +
      (problems.length ? `; ${problems.length} did not move: ${problems.map((p) => p.key).join(', ')}` : ''),
  );
  return result;
}
