/**
 * Charts as standalone SVG strings, for the report and for download: a grouped
 * horizontal bar chart and a co-occurrence heatmap. Both read in greyscale
 * print (series differ by grey level and pattern, not hue; every bar and cell
 * carries its number as text), declare their size and font, and carry
 * `role="img"` with a `<title>` and `<desc>`. All text is XML-escaped.
 */
import { CHART_FONT_SIZE, chartId, greyLevel, round, seriesFill, svgDocument, svgText, textWidth, truncate } from './chart-style';
import { escapeXml } from './xml-text';

export interface BarChartData {
  title: string;
  /** For screen readers; a summary is written when absent. */
  description?: string;
  /** One group of bars per category (e.g. a code), top to bottom. */
  categories: string[];
  /** One bar per series (e.g. a group of respondents) in each category; `values[i]` belongs to `categories[i]`. */
  series: { name: string; values: number[] }[];
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

function formatValue(value: number, format: BarChartData['format']): string {
  if (!Number.isFinite(value)) return '–';
  if (format === 'percent') return `${Math.round(value * 10) / 10}%`;
  return String(Math.round(value * 100) / 100);
}

/** The legend, wrapped to the width; returns its markup and the y below it. */
function legend(series: { name: string }[], idPrefix: string, top: number, width: number): { svg: string; bottom: number } {
  let x = PAD;
  let y = top;
  const items: string[] = [];
  series.forEach((s, i) => {
    const label = truncate(s.name, 40);
    const itemWidth = 14 + 6 + textWidth(label) + 16;
    if (x > PAD && x + itemWidth > width - PAD) {
      x = PAD;
      y += 20;
    }
    const { fill } = seriesFill(i, idPrefix);
    items.push(`<rect class="swatch" x="${round(x)}" y="${round(y)}" width="14" height="14" fill="${fill}" stroke="#000000" stroke-width="0.75"/>`);
    items.push(svgText(x + 20, y + 11, label, '', s.name));
    x += itemWidth;
  });
  return { svg: `<g class="legend">${items.join('')}</g>`, bottom: series.length > 0 ? y + 14 : top };
}

/** A grouped horizontal bar chart: per category one bar per series, each with its value at its end. */
export function groupedBarChartSvg(data: BarChartData): string {
  const id = data.id ?? chartId(data);
  const format = data.format ?? 'count';
  const series = data.series;
  const values = series.flatMap((s) => data.categories.map((_, i) => Math.max(0, s.values[i] ?? 0)));
  const max = Math.max(format === 'percent' ? 0 : 1, ...values.filter(Number.isFinite)) || 1;
  const labelChars = Math.floor(MAX_LABEL / (CHART_FONT_SIZE * 0.6));
  const labels = data.categories.map((c) => truncate(c, labelChars));
  const labelWidth = Math.min(MAX_LABEL, Math.max(60, ...labels.map((l) => textWidth(l) + 10)));
  const valueWidth = Math.max(30, ...values.map((v) => textWidth(formatValue(v, format), 11) + 10));
  const width = Math.max(data.width ?? 720, PAD * 2 + labelWidth + valueWidth + 120);
  const plotX = PAD + labelWidth;
  const plotWidth = width - plotX - valueWidth - PAD;

  const title = svgText(PAD, 24, data.title, ' font-size="15" font-weight="bold"');
  const key = legend(series, id, 38, width);
  const top = key.bottom + 16;
  const groupHeight = series.length * BAR + Math.max(0, series.length - 1) * BAR_GAP;
  const parts: string[] = [];
  data.categories.forEach((category, c) => {
    const y0 = top + c * (groupHeight + GROUP_GAP);
    parts.push(svgText(plotX - 8, y0 + groupHeight / 2 + 4, labels[c], ' text-anchor="end"', category));
    series.forEach((s, k) => {
      const raw = s.values[c] ?? 0;
      const value = Number.isFinite(raw) ? Math.max(0, raw) : 0;
      const y = y0 + k * (BAR + BAR_GAP);
      const w = (value / max) * plotWidth;
      const { fill } = seriesFill(k, id);
      parts.push(
        `<rect class="bar" x="${round(plotX)}" y="${round(y)}" width="${round(w)}" height="${BAR}" fill="${fill}" stroke="#000000" stroke-width="0.75">` +
          `<title>${escapeXml(`${category}, ${s.name}: ${formatValue(raw, format)}`)}</title></rect>`,
      );
      parts.push(svgText(plotX + w + 4, y + BAR - 3, formatValue(raw, format), ' class="value" font-size="11"'));
    });
  });
  const plotBottom = top + data.categories.length * (groupHeight + GROUP_GAP) - GROUP_GAP;
  parts.push(`<line x1="${round(plotX)}" y1="${round(top - 4)}" x2="${round(plotX)}" y2="${round(plotBottom + 4)}" stroke="#000000" stroke-width="1"/>`);
  let height = plotBottom + PAD;
  if (data.axisLabel) {
    parts.push(svgText(plotX + plotWidth / 2, plotBottom + 22, data.axisLabel, ' text-anchor="middle" font-size="11"'));
    height += 18;
  }
  const defs = series.map((_, k) => seriesFill(k, id).defs).filter((d, k, all) => d !== '' && all.indexOf(d) === k);
  const description =
    data.description ??
    `Horizontal bar chart of ${data.categories.length} categories, one bar per group (${series.map((s) => s.name).join(', ')}); ` +
      `each bar is labelled with its ${format === 'percent' ? 'percentage' : 'value'}.`;
  const body = (defs.length > 0 ? `<defs>${defs.join('')}</defs>` : '') + title + key.svg + parts.join('');
  return svgDocument(id, width, Math.max(height, top + PAD), data.title, description, body);
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

/**
 * A co-occurrence heatmap: cells shaded from white (0) to near black (the
 * largest value), each with its number, white on dark cells; the diagonal
 * (answers coded with each code) is outlined.
 */
export function heatmapSvg(data: HeatmapData): string {
  const id = data.id ?? chartId(data);
  const n = data.labels.length;
  const cell = data.cellSize ?? 36;
  const at = (i: number, j: number) => {
    const v = data.matrix[i]?.[j] ?? 0;
    return Number.isFinite(v) ? v : 0;
  };
  let max = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) max = Math.max(max, at(i, j));
  const labels = data.labels.map((l) => truncate(l, 32));
  const labelWidth = Math.min(220, Math.max(40, ...labels.map((l) => textWidth(l) + 10)));
  // Column labels run up and to the right at 45°: they need about 0.71 of their length above and beside the grid.
  const slant = labelWidth * 0.71;
  const gridX = PAD + labelWidth;
  const gridY = 40 + slant;
  const legendY = gridY + n * cell + 20;
  const width = Math.max(gridX + n * cell + slant + PAD, 320);
  const height = legendY + 14 + 28;
  const parts: string[] = [svgText(PAD, 24, data.title, ' font-size="15" font-weight="bold"')];
  labels.forEach((label, i) => {
    parts.push(svgText(gridX - 6, gridY + i * cell + cell / 2 + 4, label, ' class="row-label" text-anchor="end"', data.labels[i]));
    const x = gridX + i * cell + cell / 2;
    const y = gridY - 6;
    parts.push(svgText(x, y, label, ` class="column-label" transform="rotate(-45 ${round(x)} ${round(y)})"`, data.labels[i]));
  });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const value = at(i, j);
      const shade = greyLevel(max === 0 ? 0 : value / max);
      const x = gridX + j * cell;
      const y = gridY + i * cell;
      const outline = i === j ? ' stroke="#000000" stroke-width="2"' : ' stroke="#999999" stroke-width="0.5"';
      parts.push(
        `<rect class="cell" x="${round(x)}" y="${round(y)}" width="${cell}" height="${cell}" fill="${shade.fill}"${outline}>` +
          `<title>${escapeXml(`${data.labels[i]} and ${data.labels[j]}: ${value}`)}</title></rect>`,
      );
      parts.push(svgText(x + cell / 2, y + cell / 2 + 4, String(value), ` text-anchor="middle" font-size="11" fill="${shade.dark ? '#ffffff' : '#000000'}"`));
    }
  }
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
