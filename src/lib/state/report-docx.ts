/**
 * The Word report is packed on the page: Word takes charts as pictures, and
 * only a page can draw an SVG (a worker has no Image to decode it into). So
 * the worker hands over the report document, each chart is drawn onto a
 * canvas here at twice its size and attached as a PNG, and the `docx` code,
 * loaded only now (a dynamic import keeps it out of the main bundle), packs
 * the file. A chart that cannot be drawn goes in as its numbers instead
 * (document-docx.ts says so in the file).
 */
import type { ReportDocument } from '../export/document';

/** Pictures at twice their size, so a printed page or a zoomed screen stays sharp. */
const SCALE = 2;

/** The chart's SVG as a PNG, or null where this browser cannot draw it. */
export async function svgToPng(svg: string, width: number, height: number, scale = SCALE): Promise<Uint8Array | null> {
  try {
    const image = new Image();
    image.width = width;
    image.height = height;
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

/** Draws every chart of the chosen sections and packs the .docx. */
export async function packReportDocx(doc: ReportDocument, draw: typeof svgToPng = svgToPng): Promise<Uint8Array> {
  // Drawn together: the browser encodes each canvas's PNG off the main thread, so the charts overlap.
  const drawing: Promise<void>[] = [];
  for (const section of doc.sections) {
    if (!section.chosen) continue;
    for (const block of section.blocks) {
      if (block.kind !== 'chart' || block.png) continue;
      drawing.push(
        draw(block.svg, block.width, block.height).then((png) => {
          if (png) block.png = png;
        }),
      );
    }
  }
  await Promise.all(drawing);
  const { documentDocx } = await import('../export/document-docx');
  return documentDocx(doc);
}
