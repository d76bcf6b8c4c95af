/**
 * What the charts share: greyscale fills that stay distinct in print and for
 * readers who cannot tell colours apart (grey levels alternating with
 * patterns, every bar outlined), the font, label truncation and stable ids.
 */
import { escapeXml } from './xml-text';

export const CHART_FONT = 'Helvetica, Arial, sans-serif';
export const CHART_FONT_SIZE = 12;
const INK = '#222222';

/** One series' look: `fill` is a colour or a pattern reference; `defs` holds the pattern, if any. */
export interface SeriesFill {
  fill: string;
  defs: string;
  /** Whether a label drawn on top of this fill should be white. */
  dark: boolean;
}

/**
 * The fill of series `index`: solid dark, diagonal hatch, solid light, dots,
 * solid mid grey, cross-hatch, horizontal lines, vertical lines; then again.
 */
export function seriesFill(index: number, idPrefix: string): SeriesFill {
  const kind = index % 8;
  const id = `${idPrefix}-p${kind}`;
  const pattern = (body: string, transform = '') =>
    `<pattern id="${id}" width="6" height="6" patternUnits="userSpaceOnUse"${transform}><rect width="6" height="6" fill="#ffffff"/>${body}</pattern>`;
  const line = (x1: number, y1: number, x2: number, y2: number) => `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${INK}" stroke-width="1.5"/>`;
  switch (kind) {
    case 0:
      return { fill: '#333333', defs: '', dark: true };
    case 1:
      return { fill: `url(#${id})`, defs: pattern(line(0, 0, 0, 6), ' patternTransform="rotate(45)"'), dark: false };
    case 2:
      return { fill: '#bdbdbd', defs: '', dark: false };
    case 3:
      return { fill: `url(#${id})`, defs: pattern(`<circle cx="3" cy="3" r="1.4" fill="${INK}"/>`), dark: false };
    case 4:
      return { fill: '#777777', defs: '', dark: true };
    case 5:
      return { fill: `url(#${id})`, defs: pattern(line(0, 0, 6, 6) + line(6, 0, 0, 6)), dark: false };
    case 6:
      return { fill: `url(#${id})`, defs: pattern(line(0, 3, 6, 3)), dark: false };
    default:
      return { fill: `url(#${id})`, defs: pattern(line(3, 0, 3, 6)), dark: false };
  }
}

/** A grey for a share 0–1 of the maximum: white for 0, near black for the maximum. */
export function greyLevel(share: number): { fill: string; dark: boolean } {
  const clamped = Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 0;
  const level = Math.round(255 - clamped * (255 - 34));
  const hex = level.toString(16).padStart(2, '0');
  return { fill: `#${hex}${hex}${hex}`, dark: level < 128 };
}

/**
 * A generous estimate of a text's width in pixels: charts cannot measure text
 * in a worker, so they plan with per-character widths a little above those of
 * Helvetica and Arial (wide capitals, CJK and emoji a full em), so that a
 * label planned to fit does fit in whichever sans-serif the viewer has.
 */
export function textWidth(text: string, fontSize = CHART_FONT_SIZE): number {
  let ems = 0;
  for (const ch of text) ems += charEms(ch);
  return ems * fontSize * 1.05;
}

function charEms(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (ch === ' ') return 0.28;
  if (/[WM@]/.test(ch)) return 0.95;
  if (/[mw%]/.test(ch)) return 0.85;
  if (/[A-Z&]/.test(ch)) return 0.74;
  if (/[ijl|!.,:;'’`]/.test(ch)) return 0.28;
  if (/[ftr()[\]{}\-/\\"“”]/.test(ch)) return 0.36;
  if (/[a-z0-9]/.test(ch)) return 0.58;
  // Combining marks and variation selectors add no width.
  if (/\p{M}/u.test(ch) || (c >= 0xfe00 && c <= 0xfe0f) || c === 0x200d) return 0;
  // CJK, Hangul, full-width forms and emoji: a full em.
  if (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xff00 && c <= 0xff60) ||
    c >= 0x1f000
  )
    return 1;
  return 0.7;
}

/** The text cut with an ellipsis so that its estimated width (textWidth) is at most `maxWidth`. */
export function truncateToWidth(text: string, maxWidth: number, fontSize = CHART_FONT_SIZE): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  let kept = chars.length;
  while (kept > 1 && textWidth(chars.slice(0, kept).join('') + '…', fontSize) > maxWidth) kept--;
  return chars.slice(0, kept).join('').trimEnd() + '…';
}

/** The text cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}

/**
 * An svg `<text>` element with escaped content; when the label was shortened
 * the full text goes in a `<title>` child, which viewers show on hover.
 */
export function svgText(x: number, y: number, text: string, attrs = '', full?: string): string {
  const tip = full !== undefined && full !== text ? `<title>${escapeXml(full)}</title>` : '';
  return `<text x="${round(x)}" y="${round(y)}"${attrs}>${tip}${escapeXml(text)}</text>`;
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A short stable id from the chart's data, so two charts in one HTML page do not share pattern ids. */
export function chartId(data: unknown): string {
  let hash = 0x811c9dc5;
  const text = JSON.stringify(data);
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `chart-${(hash >>> 0).toString(36)}`;
}

/** The svg root with its accessible name and description; `body` is everything drawn. */
export function svgDocument(id: string, width: number, height: number, title: string, description: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${round(width)}" height="${round(height)}" viewBox="0 0 ${round(width)} ${round(height)}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${CHART_FONT}" font-size="${CHART_FONT_SIZE}">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${body}</svg>`
  );
}
