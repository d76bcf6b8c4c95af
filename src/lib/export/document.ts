/**
 * The report as a document: the one model every report format renders from
 * (Markdown in document-markdown.ts, offline HTML in document-html.ts, Word in
 * document-docx.ts), so the three say the same thing and a test of the
 * content tests them all.
 *
 * It holds text, not markup: every string is what a reader sees, and each
 * renderer escapes it for its own format. Numbering (Table 1, Figure 1) is
 * the renderers' job, in document order, so the content never carries it.
 *
 * Structure: a title, metadata lines under it, then sections. A section's
 * title is a level-1 heading (Word's Heading 1); heading blocks inside it are
 * levels 2 and 3 (level 1 is allowed, for a part that stands beside the
 * sections). The document title is above them all (Word's Title style, the
 * Markdown `#`).
 */

/** A piece of text with one style. */
export interface DocRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

export interface HeadingBlock {
  kind: 'heading';
  level: 1 | 2 | 3;
  text: string;
}

export interface ParagraphBlock {
  kind: 'paragraph';
  runs: DocRun[];
  /** Smaller, muted: how something was counted, a method sentence. */
  note?: boolean;
}

export interface ListBlock {
  kind: 'list';
  /** One item per entry, each a line of runs. */
  items: DocRun[][];
}

/** One cell of a header row; `span` columns wide (default 1). */
export interface DocHeaderCell {
  text: string;
  span?: number;
}

/** A body cell: text, or a number (printed as is, aligned right). */
export type DocCell = string | number;

export interface DocRow {
  cells: DocCell[];
  /**
   * A row that names the rows under it ("Mentees"): its first cell is printed
   * across the whole width, in bold, and its other cells are ignored.
   */
  subheading?: boolean;
}

export interface TableBlock {
  kind: 'table';
  /** Printed as "Table N. <caption>". */
  caption: string;
  /**
   * One or two header rows. Each row's spans add up to the number of columns.
   * With two rows, the first groups the second: `[{ text: '' }, { text: 'Mentee', span: 2 }, { text: 'Mentor', span: 2 }]`
   * over `['Code', 'Baseline', '6 months', 'Baseline', '6 months']`.
   */
  header: DocHeaderCell[][];
  rows: DocRow[];
  /** Per column; default: left for text, right for numbers (decided per cell). */
  align?: ('left' | 'right')[];
  /** Sentences under the table: what a cell means, the method. */
  notes?: string[];
}

/** The width of a table: the number of columns its header rows cover. */
export function tableColumnCount(table: Pick<TableBlock, 'header' | 'rows'>): number {
  const fromHeader = Math.max(0, ...table.header.map((row) => row.reduce((n, cell) => n + Math.max(1, cell.span ?? 1), 0)));
  return fromHeader > 0 ? fromHeader : Math.max(0, ...table.rows.map((r) => r.cells.length));
}

/**
 * The header as one label per column, a two-row header joined as
 * "Mentee · Baseline" (an empty part is left out): for formats whose tables
 * have one header row.
 */
export function flatHeader(table: Pick<TableBlock, 'header' | 'rows'>): string[] {
  const columns = tableColumnCount(table);
  const labels: string[][] = Array.from({ length: columns }, () => []);
  for (const row of table.header) {
    let at = 0;
    for (const cell of row) {
      const span = Math.max(1, cell.span ?? 1);
      for (let k = 0; k < span && at + k < columns; k++) if (cell.text.trim() !== '') labels[at + k].push(cell.text.trim());
      at += span;
    }
  }
  return labels.map((parts) => parts.join(' · '));
}

export interface ChartBlock {
  kind: 'chart';
  /** Printed as "Figure N. <title>". */
  title: string;
  /** A standalone SVG (charts.ts): it must load and run nothing; the HTML renderer checks. */
  svg: string;
  caption?: string;
  /** The drawing's size in pixels (the SVG's own width and height). */
  width: number;
  height: number;
  /** The chart drawn as a PNG, for Word (a worker cannot draw; the page attaches it). */
  png?: Uint8Array;
  /** The chart's numbers, printed instead of the picture where there is no PNG. */
  data?: Pick<TableBlock, 'header' | 'rows' | 'align'>;
}

export interface QuoteBlock {
  kind: 'quote';
  text: string;
  /** Who said it, e.g. "Mentee 7, 6 months". */
  attribution: string;
}

export type DocBlock = HeadingBlock | ParagraphBlock | ListBlock | TableBlock | ChartBlock | QuoteBlock;

export interface DocSection {
  /** Stable, for anchors and the author's choices: 'data', 'codebook', 'process', 'findings', 'appendix'. */
  id: string;
  title: string;
  /** Whether the author chose it; renderers print only chosen sections. */
  chosen: boolean;
  blocks: DocBlock[];
}

export interface ReportDocument {
  title: string;
  /** Lines under the title: project, date, coding set, filter. */
  meta: string[];
  sections: DocSection[];
}

/** The sections a renderer prints. */
export function chosenSections(doc: ReportDocument): DocSection[] {
  return doc.sections.filter((s) => s.chosen);
}

/** A paragraph from plain text, or from runs when part of it is bold or italic. */
export function paragraph(text: string | DocRun[], note = false): ParagraphBlock {
  const runs = typeof text === 'string' ? [{ text }] : text;
  return note ? { kind: 'paragraph', runs, note } : { kind: 'paragraph', runs };
}

export function heading(level: 1 | 2 | 3, text: string): HeadingBlock {
  return { kind: 'heading', level, text };
}

/** A one-row header from labels. */
export function headerRow(labels: readonly string[]): DocHeaderCell[] {
  return labels.map((text) => ({ text }));
}

/** "Table N" / "Figure N" for each table and chart, in the order the chosen sections print them. */
export function numberBlocks(doc: ReportDocument): Map<DocBlock, string> {
  const out = new Map<DocBlock, string>();
  let tables = 0;
  let figures = 0;
  for (const section of chosenSections(doc)) {
    for (const block of section.blocks) {
      if (block.kind === 'table') out.set(block, `Table ${++tables}`);
      else if (block.kind === 'chart') out.set(block, `Figure ${++figures}`);
    }
  }
  return out;
}

/** Right for numbers, left for text, unless the table says. */
export function cellAlign(table: Pick<TableBlock, 'align'>, column: number, cell: DocCell | undefined): 'left' | 'right' {
  return table.align?.[column] ?? (typeof cell === 'number' ? 'right' : 'left');
}

export function cellText(cell: DocCell | undefined): string {
  if (cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '–';
  return cell;
}

// Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and the Arabic presentation forms.
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const LTR = /[A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]/;

/** Whether the text's first strong character is right-to-left (what HTML's dir="auto" decides). */
export function startsRightToLeft(text: string): boolean {
  for (const ch of text) {
    if (RTL.test(ch)) return true;
    if (LTR.test(ch)) return false;
  }
  return false;
}
