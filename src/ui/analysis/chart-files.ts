/**
 * Charts as files: an SVG string shown as an image (a data: URL, which the
 * page's Content-Security-Policy allows and which can run nothing), and drawn
 * onto an offscreen canvas for a PNG. Nothing is fetched.
 *
 * The PNG is for print: drawn so that it is 1,890 px wide (a 16 cm column at
 * 300 dpi; at least 2× for a chart wider than that, so then finer) with the
 * resolution that makes it 16 cm wide in its header, so Word or LaTeX places
 * it at column width. The SVG is the same chart as vectors.
 */
import { printDpi, printScale, setPngDpi } from '../../lib/export/png-dpi';
import { downloadFile } from '../../lib/state/download';

export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The width and height the SVG declares (the charts always do). */
export function svgSize(svg: string): { width: number; height: number } {
  const open = svg.match(/<svg\b[^>]*>/)?.[0] ?? '';
  const read = (name: string) => Number(open.match(new RegExp(`\\s${name}="([\\d.]+)"`))?.[1] ?? NaN);
  const width = read('width');
  const height = read('height');
  return { width: Number.isFinite(width) && width > 0 ? width : 720, height: Number.isFinite(height) && height > 0 ? height : 480 };
}

export function downloadSvg(svg: string, fileStem: string) {
  downloadFile(`${fileStem}.svg`, 'image/svg+xml', svg);
}

/** The chart as PNG bytes, drawn at `scale`× (print resolution when absent) on white, marked to print 16 cm wide. */
export async function svgToPng(svg: string, scale?: number): Promise<Uint8Array> {
  const { width, height } = svgSize(svg);
  const factor = scale ?? printScale(width, height);
  const image = new Image();
  image.width = width;
  image.height = height;
  image.src = svgDataUrl(svg);
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * factor);
  canvas.height = Math.round(height * factor);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw the chart. Download the SVG instead.');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('This browser could not make the PNG. Download the SVG instead.');
  const bytes = new Uint8Array(await blob.arrayBuffer());
  return setPngDpi(bytes, printDpi(canvas.width));
}

/** Draws the SVG for print (see svgToPng) and downloads it as a PNG. */
export async function downloadPng(svg: string, fileStem: string, scale?: number): Promise<void> {
  const bytes = await svgToPng(svg, scale);
  downloadFile(`${fileStem}.png`, 'image/png', new Blob([bytes as BlobPart], { type: 'image/png' }));
}
