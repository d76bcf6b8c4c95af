/**
 * Charts as standalone SVG strings, for the report and for download: a grouped
 * horizontal bar chart (with error bars when given intervals) and a
 * co-occurrence heatmap. Both read in greyscale print (series differ by grey
 * level and pattern, not hue; every bar and cell carries its number as text),
 * declare their size and font, and carry `role="img"` with a `<title>` and
 * `<desc>`. All text is XML-escaped.
 *
 * No label is cut off by the edge of the image: the layout is planned with a
 * generous width estimate (textWidth), and a label too long for its place is
 * shortened with an ellipsis, its full text in a `<title>` a viewer shows on
 * hover. Labels are what the caller passes: charts of codes counted with their
 * subcodes say so once, in the caption, not "(with subcodes)" on every label
 * (see targetName in lib/analysis/targets.ts).
 */
import { CHART_FONT_SIZE, chartId, greyLevel, round, seriesFill, svgDocument, svgText, textWidth, truncateToWidth } from './chart-style';
import { escapeXml } from './xml-text';

export interface BarChartData {
  title: string;
  /** For screen readers; a summary is written when absent. */
  description?: string;
  /** One group of bars per category (e.g. a code), top to bottom. */
  categories: string[];
  /**
   * One bar per series (e.g. a group of respondents) in each category; `values[i]` belongs to `categories[i]`.
   * `intervals[i]`, in the same units as the values, draws an error bar with caps (null: none for that bar).
   */
  series: { name: string; values: number[]; intervals?: readonly (readonly [number, number] | null)[] }[];
  /** The legend's words for the error bars, e.g. "95% confidence interval (Wilson)". Default "95% confidence interval". */
  intervalLabel?: string;
  /** 'count' (default) labels bars "12"; 'percent' takes values 0–100 and labels them "30%". */
  format?: 'count' | 'percent';
  /** Caption under the bars, e.g. "Answers coded". */
  axisLabel?: string;
  /** Total width in pixels. Default 720. */
  width?: number;
  /** Prefix for element ids; derived from the data when absent. */
  id?: string;
}

const PAD = 12;
const BAR = 14;
const BAR_GAP = 2;
const GROUP_GAP = 12;
const MAX_LABEL = 240;
const TITLE_SIZE = 15;
/** Bold text is wider than the estimate for regular text. */
const BOLD = 1.1;

function formatValue(value: number, format: BarChartData['format']): string {
  if (!Number.isFinite(value)) return '–';
  if (format === 'percent') return `${Math.round(value * 10) / 10}%`;
  return String(Math.round(value * 100) / 100);
}

/**
 * Round tick values from 0 to the first tick at or above `max`, at most six
 * of them (steps of 1, 2, 2.5 or 5 times a power of ten; whole steps for
 * counts; percentages never past 100).
 */
export function axisTicks(max: number, format: BarChartData['format'] = 'count'): number[] {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const power = 10 ** Math.floor(Math.log10(top / 5));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => top / s <= 5) ?? 10 * power;
  if (format !== 'percent') step = Math.max(1, Math.ceil(step));
  let end = Math.ceil(top / step - 1e-9) * step;
  if (format === 'percent' && top <= 100 && end > 100) end = 100;
  const ticks: number[] = [];
  for (let k = 0; k * step < end - 1e-9; k++) ticks.push(Math.round(k * step * 1e6) / 1e6);
  ticks.push(Math.round(end * 1e6) / 1e6);
  return ticks;
}

/** An error bar from x1 to x2 at height y, with caps: black on a white halo, so it shows on dark and light bars alike. */
function errorBar(x1: number, x2: number, y: number, cap: number, title = ''): string {
  const path = `M${round(x1)} ${round(y)}H${round(x2)}M${round(x1)} ${round(y - cap / 2)}V${round(y + cap / 2)}M${round(x2)} ${round(y - cap / 2)}V${round(y + cap / 2)}`;
  return (
    `<g class="error-bar">${title}<path d="${path}" fill="none" stroke="#ffffff" stroke-width="3.5" stroke-linecap="square"/>` +
    `<path d="${path}" fill="none" stroke="#000000" stroke-width="1.25"/></g>`
  );
}

/** The legend, wrapped to the width (with a key for the error bars when there are any); returns its markup and the y below it. */
function legend(series: { name: string }[], idPrefix: string, top: number, width: number, intervalLabel: string | null): { svg: string; bottom: number } {
  let x = PAD;
  let y = top;
  const items: string[] = [];
  const place = (itemWidth: number) => {
    if (x > PAD && x + itemWidth > width - PAD) {
      x = PAD;
      y += 20;
    }
  };
  series.forEach((s, i) => {
    const label = truncateToWidth(s.name, MAX_LABEL);
    const itemWidth = 14 + 6 + textWidth(label) + 16;
    place(itemWidth);
    const { fill } = seriesFill(i, idPrefix);
    items.push(`<rect class="swatch" x="${round(x)}" y="${round(y)}" width="14" height="14" fill="${fill}" stroke="#000000" stroke-width="0.75"/>`);
    items.push(svgText(x + 20, y + 11, label, '', s.name));
    x += itemWidth;
  });
  if (intervalLabel !== null) {
    const label = truncateToWidth(intervalLabel, MAX_LABEL);
    const itemWidth = 18 + 6 + textWidth(label) + 16;
    place(itemWidth);
    items.push(`<g class="interval-key">${errorBar(x + 1, x + 17, y + 7, 10)}${svgText(x + 24, y + 11, label, '', intervalLabel)}</g>`);
    x += itemWidth;
  }
  return { svg: `<g class="legend">${items.join('')}</g>`, bottom: items.length > 0 ? y + 14 : top };
}

function formatInterval(interval: readonly [number, number], format: BarChartData['format']): string {
  return `${formatValue(interval[0], format)}–${formatValue(interval[1], format)}`;
}

/** An interval worth drawing: two finite ends, low ≤ high. */
function usable(interval: readonly [number, number] | null | undefined): interval is readonly [number, number] {
  return !!interval && Number.isFinite(interval[0]) && Number.isFinite(interval[1]) && interval[0] <= interval[1];
}

/** A grouped horizontal bar chart: per category one bar per series, each with its value at its end (after its error bar, if any). */
export function groupedBarChartSvg(data: BarChartData): string {
  const id = data.id ?? chartId(data);
  const format = data.format ?? 'count';
  const series = data.series;
  const values = series.flatMap((s) => data.categories.map((_, i) => Math.max(0, s.values[i] ?? 0)));
  const highs = series.flatMap((s) =>
    data.categories
      .map((_, i) => s.intervals?.[i])
      .filter(usable)
      .map((iv) => iv[1]),
  );
  const hasIntervals = highs.length > 0;
  const ticks = axisTicks(Math.max(format === 'percent' ? 0 : 1, ...values.filter(Number.isFinite), ...highs) || 1, format);
  // The scale ends at a round number, so the axis can be read against the error bars.
  const max = ticks[ticks.length - 1];
  const labels = data.categories.map((c) => truncateToWidth(c, MAX_LABEL - 10));
  const labelWidth = Math.ceil(Math.min(MAX_LABEL, Math.max(60, ...labels.map((l) => textWidth(l) + 10))));
  const valueWidth = Math.max(30, ...values.map((v) => textWidth(formatValue(v, format), 11) + 10));
  const width = Math.ceil(Math.max(data.width ?? 720, PAD * 2 + labelWidth + valueWidth + 120));
  const plotX = PAD + labelWidth;
  const plotWidth = width - plotX - valueWidth - PAD;
  const scale = (v: number) => plotX + (Math.min(max, Math.max(0, v)) / max) * plotWidth;

  const titleText = truncateToWidth(data.title, (width - 2 * PAD) / BOLD, TITLE_SIZE);
  const title = svgText(PAD, 24, titleText, ` font-size="${TITLE_SIZE}" font-weight="bold"`, data.title);
  const key = legend(series, id, 38, width, hasIntervals ? (data.intervalLabel ?? '95% confidence interval') : null);
  const top = key.bottom + 16;
  const groupHeight = series.length * BAR + Math.max(0, series.length - 1) * BAR_GAP;
  const parts: string[] = [];
  const whiskers: string[] = [];
  const plotBottom = top + data.categories.length * (groupHeight + GROUP_GAP) - GROUP_GAP;
  // Faint gridlines behind the bars, one per tick.
  for (const t of ticks.slice(1)) {
    parts.push(
      `<line class="grid" x1="${round(scale(t))}" y1="${round(top - 4)}" x2="${round(scale(t))}" y2="${round(plotBottom + 4)}" stroke="#dddddd" stroke-width="0.75"/>`,
    );
  }
  data.categories.forEach((category, c) => {
    const y0 = top + c * (groupHeight + GROUP_GAP);
    parts.push(svgText(plotX - 8, y0 + groupHeight / 2 + 4, labels[c], ' class="category" text-anchor="end"', category));
    series.forEach((s, k) => {
      const raw = s.values[c] ?? 0;
      const value = Number.isFinite(raw) ? Math.max(0, raw) : 0;
      const interval = s.intervals?.[c];
      const y = y0 + k * (BAR + BAR_GAP);
      const w = scale(value) - plotX;
      const { fill } = seriesFill(k, id);
      const said = `${category}, ${s.name}: ${formatValue(raw, format)}${usable(interval) ? ` (${formatInterval(interval, format)})` : ''}`;
      parts.push(
        `<rect class="bar" x="${round(plotX)}" y="${round(y)}" width="${round(w)}" height="${BAR}" fill="${fill}" stroke="#000000" stroke-width="0.75">` +
          `<title>${escapeXml(said)}</title></rect>`,
      );
      let end = plotX + w;
      if (usable(interval)) {
        const x1 = scale(interval[0]);
        const x2 = scale(interval[1]);
        // Drawn after every bar, so the next bar's outline never covers a cap.
        whiskers.push(errorBar(x1, x2, y + BAR / 2, BAR - 4, `<title>${escapeXml(said)}</title>`));
        end = Math.max(end, x2 + 1);
      }
      parts.push(svgText(end + 4, y + BAR - 3, formatValue(raw, format), ' class="value" font-size="11"'));
    });
  });
  parts.push(...whiskers);
  parts.push(`<line x1="${round(plotX)}" y1="${round(top - 4)}" x2="${round(plotX)}" y2="${round(plotBottom + 4)}" stroke="#000000" stroke-width="1"/>`);
  const axisY = plotBottom + 4;
  parts.push(
    `<line class="axis" x1="${round(plotX)}" y1="${round(axisY)}" x2="${round(plotX + plotWidth)}" y2="${round(axisY)}" stroke="#000000" stroke-width="1"/>`,
  );
  for (const t of ticks) {
    parts.push(`<line x1="${round(scale(t))}" y1="${round(axisY)}" x2="${round(scale(t))}" y2="${round(axisY + 4)}" stroke="#000000" stroke-width="1"/>`);
    parts.push(svgText(scale(t), axisY + 16, formatValue(t, format), ' class="tick" text-anchor="middle" font-size="11"'));
  }
  let height = axisY + 20 + PAD;
  if (data.axisLabel) {
    parts.push(
      svgText(plotX + plotWidth / 2, axisY + 34, truncateToWidth(data.axisLabel, plotWidth, 11), ' text-anchor="middle" font-size="11"', data.axisLabel),
    );
    height += 18;
  }
  const defs = series.map((_, k) => seriesFill(k, id).defs).filter((d, k, all) => d !== '' && all.indexOf(d) === k);
  const description =
    data.description ??
    `Horizontal bar chart of ${data.categories.length} categories, one bar per group (${series.map((s) => s.name).join(', ')}); ` +
      `each bar is labelled with its ${format === 'percent' ? 'percentage' : 'value'}` +
      (hasIntervals ? `, and its error bar gives the ${data.intervalLabel ?? '95% confidence interval'}.` : '.');
  const body = (defs.length > 0 ? `<defs>${defs.join('')}</defs>` : '') + title + key.svg + parts.join('');
  return svgDocument(id, width, Math.ceil(Math.max(height, top + PAD)), data.title, description, body);
}

export interface HeatmapData {
  title: string;
  description?: string;
  /** Row and column labels (the same codes in the same order). */
  labels: string[];
  /** A square matrix: `matrix[i][j]` answers coded with both label i and label j. */
  matrix: number[][];
  /** Cell side in pixels. Default 36. */
  cellSize?: number;
  id?: string;
}

const MAX_HEATMAP_LABEL = 220;

/**
 * A co-occurrence heatmap: cells shaded from white (0) to near black (the
 * largest value), each with its number, white on dark cells; the diagonal
 * (answers coded with each code) is outlined. The grid sits on whole pixels
 * and the outlines are drawn last, inside their cells, so no neighbour's edge
 * covers them; the column labels, at 45°, get the room they need above and to
 * the right of the grid.
 */
export function heatmapSvg(data: HeatmapData): string {
  const id = data.id ?? chartId(data);
  const n = data.labels.length;
  const cell = Math.max(12, Math.round(data.cellSize ?? 36));
  const at = (i: number, j: number) => {
    const v = data.matrix[i]?.[j] ?? 0;
    return Number.isFinite(v) ? v : 0;
  };
  let max = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) max = Math.max(max, at(i, j));
  const labels = data.labels.map((l) => truncateToWidth(l, MAX_HEATMAP_LABEL));
  const widths = labels.map((l) => textWidth(l));
  const longest = Math.max(0, ...widths);
  const labelWidth = Math.ceil(Math.max(40, longest + 10));
  const gridX = PAD + labelWidth;
  // A label at 45° rises 0.71 of its length, plus its glyphs' height, above its anchor 6 px over the grid.
  const gridY = Math.ceil(36 + longest * Math.SQRT1_2 + CHART_FONT_SIZE + 6);
  const reach = Math.max(0, ...widths.map((w, i) => gridX + i * cell + cell / 2 + (w + CHART_FONT_SIZE) * Math.SQRT1_2));
  const legendY = gridY + n * cell + 20;
  const titleWidth = textWidth(data.title, TITLE_SIZE) * BOLD;
  const width = Math.ceil(Math.max(gridX + n * cell + PAD, reach + PAD, 320, Math.min(titleWidth, 960) + 2 * PAD));
  const height = legendY + 14 + 28;
  const titleText = truncateToWidth(data.title, (width - 2 * PAD) / BOLD, TITLE_SIZE);
  const parts: string[] = [svgText(PAD, 24, titleText, ` font-size="${TITLE_SIZE}" font-weight="bold"`, data.title)];
  labels.forEach((label, i) => {
    parts.push(svgText(gridX - 6, gridY + i * cell + cell / 2 + 4, label, ' class="row-label" text-anchor="end"', data.labels[i]));
    const x = gridX + i * cell + cell / 2;
    const y = gridY - 6;
    parts.push(svgText(x, y, label, ` class="column-label" transform="rotate(-45 ${round(x)} ${round(y)})"`, data.labels[i]));
  });
  const outlines: string[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const value = at(i, j);
      const shade = greyLevel(max === 0 ? 0 : value / max);
      const x = gridX + j * cell;
      const y = gridY + i * cell;
      parts.push(
        `<rect class="cell" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${shade.fill}" stroke="#999999" stroke-width="0.5">` +
          `<title>${escapeXml(`${data.labels[i]} and ${data.labels[j]}: ${value}`)}</title></rect>`,
      );
      parts.push(svgText(x + cell / 2, y + cell / 2 + 4, String(value), ` text-anchor="middle" font-size="11" fill="${shade.dark ? '#ffffff' : '#000000'}"`));
      // A 2 px line centred 1 px inside the cell's edge covers exactly the cell's outer 2 px.
      if (i === j)
        outlines.push(
          `<rect class="diagonal" x="${x + 1}" y="${y + 1}" width="${cell - 2}" height="${cell - 2}" fill="none" stroke="#000000" stroke-width="2"/>`,
        );
    }
  }
  parts.push(...outlines);
  // A key of at most five steps from 0 to the maximum, each labelled with a whole number it stands for.
  const steps = max <= 4 ? Array.from({ length: max + 1 }, (_, k) => k) : [0, 0.25, 0.5, 0.75, 1].map((share) => Math.round(max * share));
  parts.push(svgText(PAD, legendY + 11, 'Scale:', ' font-size="11"'));
  steps.forEach((value, k) => {
    const x = PAD + 44 + k * 54;
    parts.push(
      `<rect class="key" x="${x}" y="${round(legendY)}" width="14" height="14" fill="${greyLevel(max === 0 ? 0 : value / max).fill}" stroke="#000000" stroke-width="0.75"/>`,
    );
    parts.push(svgText(x + 18, legendY + 11, String(value), ' font-size="11"'));
  });
  const description =
    data.description ??
    `Co-occurrence of ${n} codes: each cell gives the answers coded with both the row's and the column's code, darker for more ` +
      `(largest ${max}); the outlined diagonal gives the answers coded with each code.`;
  return svgDocument(id, width, height, data.title, description, parts.join(''));
}
