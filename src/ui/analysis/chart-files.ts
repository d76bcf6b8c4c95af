/**
 * Charts as files: an SVG string shown as an image (a data: URL, which the
 * page's Content-Security-Policy allows and which can run nothing), and drawn
 * onto an offscreen canvas for a PNG. Nothing is fetched.
 */
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

/** Draws the SVG at `scale`× on a white canvas and downloads it as a PNG. */
export async function downloadPng(svg: string, fileStem: string, scale = 2): Promise<void> {
  const { width, height } = svgSize(svg);
  const image = new Image();
  image.width = width;
  image.height = height;
  image.src = svgDataUrl(svg);
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw the chart.');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('This browser could not make the PNG.');
  downloadFile(`${fileStem}.png`, 'image/png', blob);
}
