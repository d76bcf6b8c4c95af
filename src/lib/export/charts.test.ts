import { describe, expect, it } from 'vitest';
import { groupedBarChartSvg, heatmapSvg, type BarChartData } from './charts';

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
