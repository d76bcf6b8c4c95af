/** Reading back what writeXlsx wrote, for the tests: the parts, and each sheet's cells. */
import { strFromU8, unzipSync } from 'fflate';

export interface ReadCell {
  ref: string;
  type: 'n' | 'inlineStr';
  style: string | null;
  value: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#13': '\r' };

/** Decodes the references escapeXml writes; a literal CR reads as LF, as in any XML parser. */
export function decodeXml(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/&(amp|lt|gt|quot|#39|#13);/g, (_, name: string) => ENTITIES[name]);
}

export function unzipParts(bytes: Uint8Array): Record<string, string> {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

/** The cells of a worksheet's XML, in document order. */
export function readCells(sheetXml: string): ReadCell[] {
  const cells: ReadCell[] = [];
  const pattern = /<c r="([A-Z]+\d+)"(?: s="(\d+)")?(?: t="(inlineStr)")?>(?:<v>([^<]*)<\/v>|<is><t xml:space="preserve">([^<]*)<\/t><\/is>)<\/c>/g;
  for (const m of sheetXml.matchAll(pattern)) {
    cells.push({ ref: m[1], style: m[2] ?? null, type: m[3] ? 'inlineStr' : 'n', value: decodeXml(m[4] ?? m[5]) });
  }
  return cells;
}

/** Cells as a grid of values (strings for text, numbers for numbers, null for empty). */
export function readGrid(sheetXml: string): (string | number | null)[][] {
  const grid: (string | number | null)[][] = [];
  for (const cell of readCells(sheetXml)) {
    const [, letters, digits] = /^([A-Z]+)(\d+)$/.exec(cell.ref)!;
    const col = [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const row = Number(digits) - 1;
    while (grid.length <= row) grid.push([]);
    while (grid[row].length < col) grid[row].push(null);
    grid[row][col] = cell.type === 'n' ? Number(cell.value) : cell.value;
  }
  return grid;
}
