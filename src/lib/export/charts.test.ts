import { describe, expect, it } from 'vitest';
import { textWidth, truncateToWidth } from './chart-style';
import { axisTicks, groupedBarChartSvg, heatmapSvg, type BarChartData } from './charts';

const parse = (svg: string) => {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc.documentElement;
};

const greys = (svg: string) => [...svg.matchAll(/fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1].toLowerCase());
const isGrey = (hex: string) => hex.slice(1, 3) === hex.slice(3, 5) && hex.slice(3, 5) === hex.slice(5, 7);

const bars = (): BarChartData => ({
  title: 'Codes by role <script>alert(1)</script>',
  categories: ['Rewards > Career', 'Barriers & "time"', 'A very long code name that goes on and on and on past any sensible label width at all'],
  series: [
    { name: 'Mentee', values: [12, 3, 0] },
    { name: 'Mentor <b>', values: [5, 9, 1] },
    { name: 'Staff', values: [1, 2, 3] },
  ],
  axisLabel: 'Answers coded',
});

describe('grouped bar chart', () => {
  it('draws one bar per category and series, a legend swatch per series, and a value label per bar', () => {
    const svg = groupedBarChartSvg(bars());
    const root = parse(svg);
    expect(root.querySelectorAll('rect.bar')).toHaveLength(9);
    expect(root.querySelectorAll('rect.swatch')).toHaveLength(3);
    expect([...root.querySelectorAll('text.value')].map((t) => t.textContent)).toEqual(['12', '5', '1', '3', '9', '2', '0', '1', '3']);
    const texts = [...root.querySelectorAll('text')].map((t) => t.lastChild?.textContent);
    expect(texts).toEqual(expect.arrayContaining(['Rewards > Career', 'Barriers & "time"', 'Mentee', 'Mentor <b>', 'Staff', 'Answers coded']));
  });

  it('is an accessible image with its size and font declared', () => {
    const root = parse(groupedBarChartSvg(bars()));
    expect(root.getAttribute('role')).toBe('img');
    expect(root.firstElementChild?.tagName).toBe('title');
    expect(root.firstElementChild?.textContent).toBe('Codes by role <script>alert(1)</script>');
    expect(root.querySelector('desc')?.textContent).toContain('Mentee, Mentor <b>, Staff');
    const [titleId, descId] = root.getAttribute('aria-labelledby')!.split(' ');
    expect(root.querySelector(`[id="${titleId}"]`)?.tagName).toBe('title');
    expect(root.querySelector(`[id="${descId}"]`)?.tagName).toBe('desc');
    expect(Number(root.getAttribute('width'))).toBeGreaterThan(0);
    expect(Number(root.getAttribute('height'))).toBeGreaterThan(0);
    expect(root.getAttribute('viewBox')).toMatch(/^0 0 \d/);
    expect(root.getAttribute('font-family')).toContain('sans-serif');
    expect(root.getAttribute('font-size')).toBe('12');
  });

  it('escapes every piece of text', () => {
    const svg = groupedBarChartSvg(bars());
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('Barriers &amp; &quot;time&quot;');
  });

  it('tells series apart without colour: grey levels and patterns, every bar outlined', () => {
    const svg = groupedBarChartSvg(bars());
    for (const hex of greys(svg)) expect(isGrey(hex)).toBe(true);
    const fills = [...parse(svg).querySelectorAll('rect.swatch')].map((r) => r.getAttribute('fill'));
    expect(new Set(fills).size).toBe(3);
    expect(fills[1]).toMatch(/^url\(#chart-[a-z0-9]+-p1\)$/);
    expect(svg).toContain(`<pattern id="${fills[1]!.slice(5, -1)}"`);
    for (const bar of parse(svg).querySelectorAll('rect.bar')) expect(bar.getAttribute('stroke')).toBe('#000000');
  });

  it('shortens long labels and keeps the full text as a tooltip', () => {
    const root = parse(groupedBarChartSvg(bars()));
    const long = [...root.querySelectorAll('text')].find((t) => t.querySelector('title')?.textContent?.startsWith('A very long'));
    expect(long?.lastChild?.textContent).toMatch(/…$/);
  });

  it('labels percentages, and gives different charts different ids', () => {
    const a = groupedBarChartSvg({ ...bars(), format: 'percent', series: [{ name: 'All', values: [25, 50.25, 0] }] });
    expect([...parse(a).querySelectorAll('text.value')].map((t) => t.textContent)).toEqual(['25%', '50.3%', '0%']);
    const b = groupedBarChartSvg({ ...bars(), title: 'Other' });
    expect(parse(a).querySelector('title')?.id).not.toBe(parse(b).querySelector('title')?.id);
    expect(groupedBarChartSvg({ ...bars(), id: 'mine' })).toContain('id="mine-title"');
  });

  it('draws nothing odd for an empty chart', () => {
    const root = parse(groupedBarChartSvg({ title: 'Empty', categories: [], series: [] }));
    expect(root.querySelectorAll('rect.bar')).toHaveLength(0);
  });
});

describe('value axis', () => {
  it('ticks at round steps from 0 to the first round value at or above the largest', () => {
    expect(axisTicks(100, 'percent')).toEqual([0, 20, 40, 60, 80, 100]);
    expect(axisTicks(72, 'percent')).toEqual([0, 20, 40, 60, 80]);
    expect(axisTicks(7.5, 'percent')).toEqual([0, 2, 4, 6, 8]);
    expect(axisTicks(12)).toEqual([0, 3, 6, 9, 12]);
    expect(axisTicks(3)).toEqual([0, 1, 2, 3]);
    expect(axisTicks(1)).toEqual([0, 1]);
    expect(axisTicks(1234)).toEqual([0, 250, 500, 750, 1000, 1250]);
    expect(axisTicks(Number.NaN)).toEqual([0, 1]);
  });

  it('draws the ticks under the bars, the bars on the same scale, and gridlines behind them', () => {
    const svg = groupedBarChartSvg({ title: 'T', categories: ['a'], series: [{ name: 'All', values: [50] }], format: 'percent' });
    const root = parse(svg);
    const ticks = [...root.querySelectorAll('text.tick')];
    expect(ticks.map((t) => t.textContent)).toEqual(['0%', '10%', '20%', '30%', '40%', '50%']);
    const bar = root.querySelector('rect.bar')!;
    // The 50% bar ends at the 50% tick.
    expect(Number(bar.getAttribute('x')) + Number(bar.getAttribute('width'))).toBeCloseTo(Number(ticks.at(-1)!.getAttribute('x')), 0);
    const grid = root.querySelector('line.grid')!;
    expect(grid.compareDocumentPosition(bar) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expectInside(svg);
  });
});

describe('error bars', () => {
  const withIntervals = (): BarChartData => ({
    title: 'Respondents coded, by role',
    categories: ['Rewards', 'Barriers'],
    series: [
      { name: 'Mentee', values: [50, 10], intervals: [[30, 70], null] },
      {
        name: 'Mentor',
        values: [20, 0],
        intervals: [
          [8, 40],
          [0, 25],
        ],
      },
    ],
    format: 'percent',
    intervalLabel: '95% interval (Wilson)',
  });
  /** The whisker's x from its path "M x1 y H x2 …". */
  const ends = (g: Element) => {
    const d = g.querySelector('path')!.getAttribute('d')!;
    const m = /^M([\d.]+) ([\d.]+)H([\d.]+)/.exec(d)!;
    return { x1: Number(m[1]), y: Number(m[2]), x2: Number(m[3]) };
  };

  it('draws an error bar with caps for each interval given, on the scale of the bars', () => {
    const root = parse(groupedBarChartSvg(withIntervals()));
    const bars = [...root.querySelectorAll('rect.bar')];
    const whiskers = [...root.querySelectorAll('g.error-bar')].filter((g) => !g.closest('.legend'));
    expect(whiskers).toHaveLength(3);
    const x0 = Number(bars[0].getAttribute('x'));
    // Mentee, Rewards: 50% wide bar, whisker from 30% to 70% of the same scale.
    const perPercent = Number(bars[0].getAttribute('width')) / 50;
    const first = ends(whiskers[0]);
    expect(first.x1).toBeCloseTo(x0 + 30 * perPercent, 0);
    expect(first.x2).toBeCloseTo(x0 + 70 * perPercent, 0);
    // At the middle of its bar, with a cap (a vertical stroke) at each end.
    expect(first.y).toBeCloseTo(Number(bars[0].getAttribute('y')) + 7, 1);
    expect(whiskers[0].querySelector('path')!.getAttribute('d')!.match(/V/g)).toHaveLength(2);
    // The scale makes room for the highest interval: 70% is the widest thing drawn.
    const plotRight = Math.max(...whiskers.map((g) => ends(g).x2));
    expect(plotRight).toBeCloseTo(first.x2, 5);
    // Tooltips give the interval.
    expect(bars[0].querySelector('title')?.textContent).toBe('Rewards, Mentee: 50% (30%–70%)');
    expect(bars[2].querySelector('title')?.textContent).toBe('Barriers, Mentee: 10%');
  });

  it('puts each value label past its error bar, and keys the error bars in the legend', () => {
    const root = parse(groupedBarChartSvg(withIntervals()));
    const whiskers = [...root.querySelectorAll('g.error-bar')].filter((g) => !g.closest('.legend'));
    const values = [...root.querySelectorAll('text.value')];
    expect(Number(values[0].getAttribute('x'))).toBeGreaterThan(ends(whiskers[0]).x2);
    const key = root.querySelector('.legend .interval-key');
    expect(key?.querySelector('g.error-bar')).not.toBeNull();
    expect(key?.querySelector('text')?.textContent).toBe('95% interval (Wilson)');
    expect(root.querySelector('desc')?.textContent).toContain('error bar gives the 95% interval (Wilson)');
  });

  it('draws no error bar and no key without intervals, and skips unusable ones', () => {
    expect(parse(groupedBarChartSvg(bars())).querySelectorAll('g.error-bar')).toHaveLength(0);
    expect(parse(groupedBarChartSvg(bars())).querySelector('.interval-key')).toBeNull();
    const odd = groupedBarChartSvg({
      title: 'Odd',
      categories: ['a', 'b', 'c'],
      series: [
        {
          name: 'All',
          values: [1, 2, 3],
          intervals: [
            [Number.NaN, 2],
            [3, 1],
            [0, 4],
          ],
        },
      ],
    });
    expect(parse(odd).querySelectorAll('g.error-bar')).toHaveLength(2); // one bar, and the legend's key
  });
});

/** Where an svg text element's ink reaches, from its anchor, estimated as generously as the layout plans it. */
function extent(t: Element) {
  const x = Number(t.getAttribute('x'));
  const y = Number(t.getAttribute('y'));
  const size = Number(t.getAttribute('font-size') ?? 12) * (t.getAttribute('font-weight') === 'bold' ? 1.1 : 1);
  const w = textWidth(t.lastChild?.textContent ?? '', size);
  const anchor = t.getAttribute('text-anchor');
  if (t.getAttribute('transform')?.startsWith('rotate(-45'))
    return { left: x, right: x + (w + size) * Math.SQRT1_2, top: y - (w + size) * Math.SQRT1_2, bottom: y };
  const left = anchor === 'end' ? x - w : anchor === 'middle' ? x - w / 2 : x;
  return { left, right: left + w, top: y - size, bottom: y + size * 0.3 };
}

function expectInside(svg: string) {
  const root = parse(svg);
  const width = Number(root.getAttribute('width'));
  const height = Number(root.getAttribute('height'));
  for (const t of root.querySelectorAll('text')) {
    const e = extent(t);
    expect(e.left, t.textContent ?? '').toBeGreaterThanOrEqual(0);
    expect(e.right, t.textContent ?? '').toBeLessThanOrEqual(width);
    expect(e.top, t.textContent ?? '').toBeGreaterThanOrEqual(0);
    expect(e.bottom, t.textContent ?? '').toBeLessThanOrEqual(height);
  }
}

describe('labels are never cut off', () => {
  const LONG = ['W'.repeat(40), 'Career development and long-term planning in academia', '研究の時間がない研究の時間がない研究の時間がない', 'Time 🙂', 'a'];

  it('estimates widths generously: wide capitals and CJK a full em or so, combining marks nothing', () => {
    expect(textWidth('W')).toBeGreaterThanOrEqual(12 * 0.94);
    expect(textWidth('研')).toBeGreaterThanOrEqual(12);
    expect(textWidth('e\u0301')).toBe(textWidth('e'));
    expect(textWidth('iiii')).toBeLessThan(textWidth('mmmm'));
    const cut = truncateToWidth('W'.repeat(40), 100);
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut)).toBeLessThanOrEqual(100);
    expect(truncateToWidth('short', 100)).toBe('short');
  });

  it('keeps every heatmap label inside the image, shortening the longest with the full text as a tooltip', () => {
    const n = LONG.length;
    const svg = heatmapSvg({ title: 'Coded in the same answer', labels: LONG, matrix: LONG.map((_, i) => LONG.map((_, j) => (i === j ? 5 : 1))) });
    expectInside(svg);
    const root = parse(svg);
    const rows = [...root.querySelectorAll('text.row-label')];
    expect(rows).toHaveLength(n);
    expect(rows[0].lastChild?.textContent).toMatch(/…$/);
    expect(rows[0].querySelector('title')?.textContent).toBe('W'.repeat(40));
    expect(rows[4].lastChild?.textContent).toBe('a');
    // Row labels end before the grid starts.
    const gridX = Math.min(...[...root.querySelectorAll('rect.cell')].map((r) => Number(r.getAttribute('x'))));
    for (const t of rows) expect(extent(t).right).toBeLessThanOrEqual(gridX);
  });

  it('keeps every bar chart label inside the image', () => {
    expectInside(groupedBarChartSvg({ ...bars(), categories: LONG.slice(0, 3), title: 'T'.repeat(120) }));
    expectInside(groupedBarChartSvg({ title: 'Narrow', width: 200, categories: LONG, series: [{ name: 'W'.repeat(60), values: LONG.map(() => 100) }] }));
  });

  it('keeps a heatmap of one short label and a long title inside too', () => {
    expectInside(heatmapSvg({ title: 'Codes coded together in the same answer, all coders, all waves and all questions', labels: ['a'], matrix: [[1]] }));
  });
});

describe('co-occurrence heatmap', () => {
  const data = () => ({
    title: 'Co-occurrence & <overlap>',
    labels: ['Rewards', 'Barriers <i>', 'Time'],
    matrix: [
      [10, 4, 0],
      [4, 7, 2],
      [0, 2, 3],
    ],
  });

  it('draws a cell with its number for every pair, and labels rows and columns', () => {
    const root = parse(heatmapSvg(data()));
    const cells = root.querySelectorAll('rect.cell');
    expect(cells).toHaveLength(9);
    const numbers = [...root.querySelectorAll('text')].filter((t) => t.getAttribute('text-anchor') === 'middle').map((t) => t.textContent);
    expect(numbers).toEqual(['10', '4', '0', '4', '7', '2', '0', '2', '3']);
    expect([...root.querySelectorAll('text.row-label')].map((t) => t.textContent)).toEqual(['Rewards', 'Barriers <i>', 'Time']);
    expect(root.querySelectorAll('text.column-label')).toHaveLength(3);
    expect(root.querySelectorAll('rect.key')).toHaveLength(5);
    const small = parse(
      heatmapSvg({
        ...data(),
        matrix: [
          [2, 1, 0],
          [1, 1, 0],
          [0, 0, 0],
        ],
      }),
    );
    expect(small.querySelectorAll('rect.key')).toHaveLength(3);
  });

  it('shades in grey only, darker for more, with white numbers on dark cells', () => {
    const svg = heatmapSvg(data());
    for (const hex of greys(svg)) expect(isGrey(hex)).toBe(true);
    const root = parse(svg);
    const cells = [...root.querySelectorAll('rect.cell')];
    const level = (i: number) => parseInt(cells[i].getAttribute('fill')!.slice(1, 3), 16);
    expect(level(0)).toBeLessThan(level(1));
    expect(level(2)).toBe(255);
    const max = [...root.querySelectorAll('text')].find((t) => t.textContent === '10');
    expect(max?.getAttribute('fill')).toBe('#ffffff');
  });

  it('outlines the diagonal inside its cells, on whole pixels, drawn after every cell so no edge covers it', () => {
    const svg = heatmapSvg({ ...data(), cellSize: 30.4 });
    const root = parse(svg);
    const cells = [...root.querySelectorAll('rect.cell')];
    const outlines = [...root.querySelectorAll('rect.diagonal')];
    expect(outlines).toHaveLength(3);
    for (const rect of [...cells, ...outlines])
      for (const a of ['x', 'y', 'width', 'height']) expect(Number.isInteger(Number(rect.getAttribute(a)))).toBe(true);
    outlines.forEach((outline, i) => {
      const cell = cells[i * 3 + i];
      const at = (el: Element, a: string) => Number(el.getAttribute(a));
      expect([at(outline, 'x'), at(outline, 'y'), at(outline, 'width'), at(outline, 'height')]).toEqual([
        at(cell, 'x') + 1,
        at(cell, 'y') + 1,
        at(cell, 'width') - 2,
        at(cell, 'height') - 2,
      ]);
      expect(outline.getAttribute('stroke-width')).toBe('2');
      expect(outline.getAttribute('fill')).toBe('none');
      // After the last cell in document order.
      expect(cells.at(-1)!.compareDocumentPosition(outline) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    });
    // Cells sit edge to edge.
    expect(Number(cells[1].getAttribute('x')) - Number(cells[0].getAttribute('x'))).toBe(Number(cells[0].getAttribute('width')));
  });

  it('is accessible and escapes its text', () => {
    const svg = heatmapSvg(data());
    const root = parse(svg);
    expect(root.getAttribute('role')).toBe('img');
    expect(root.querySelector('title')?.textContent).toBe('Co-occurrence & <overlap>');
    expect(root.querySelector('desc')?.textContent).toContain('3 codes');
    expect(svg).not.toContain('<i>');
    expect(svg).not.toContain('<overlap>');
  });
});
