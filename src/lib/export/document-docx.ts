/**
 * The report document as a Word file (.docx), written with the `docx` library
 * (maintained, no DOM, packs with fflate), so it runs in the page, a worker or
 * Node alike; `Packer.toArrayBuffer` is the one output all three have.
 *
 * What Word gets: the Title style and real Heading 1–3 styles (the navigation
 * pane and a table of contents work), tables as Word tables whose header rows
 * repeat on every page, captions in Word's Caption style ("Table 1. …" above a
 * table, "Figure 1. …" under a chart), charts as PNG pictures with their title
 * as alt text — or, when no PNG was attached, the chart's numbers as a small
 * table and a sentence saying so — and quotes as indented italic paragraphs
 * (a "Quote" style) with the attribution under them.
 *
 * Text goes in as text: the library escapes it for XML, and characters XML
 * cannot hold are dropped first (a stray control character from a survey
 * export would otherwise make Word refuse the file).
 */
import { AlignmentType, Document, HeadingLevel, ImageRun, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import {
  cellAlign,
  cellText,
  chosenSections,
  numberBlocks,
  startsRightToLeft,
  tableColumnCount,
  type ChartBlock,
  type DocBlock,
  type DocRun,
  type ReportDocument,
  type TableBlock,
} from './document';
import { dropIllegalXmlChars } from './xml-text';

/** Widest a picture may be: the text width of an A4 page with 2.5 cm margins, in pixels at 96 per inch. */
const MAX_IMAGE_WIDTH = 600;
const HEADER_SHADING = { type: ShadingType.CLEAR, color: 'auto', fill: 'EEEEEE' };

function clean(text: string): string {
  return dropIllegalXmlChars(text).replace(/\r\n?/g, '\n');
}

/** Runs for one piece of text, a line break for each "\n". */
function textRuns(text: string, style: { bold?: boolean; italic?: boolean; size?: number } = {}): TextRun[] {
  return clean(text)
    .split('\n')
    .map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined, ...style }));
}

function runsOf(parts: readonly DocRun[], style: { italic?: boolean; size?: number } = {}): TextRun[] {
  return parts.flatMap((run) => textRuns(run.text, { bold: run.bold, italic: run.italic || style.italic, size: style.size }));
}

function plain(parts: readonly DocRun[]): string {
  return parts.map((r) => r.text).join('');
}

/** A paragraph of user text: right to left when its first strong letter is (Arabic, Hebrew). */
function para(children: TextRun[], text: string, options: ConstructorParameters<typeof Paragraph>[0] & object = {}): Paragraph {
  return new Paragraph({ ...options, children, bidirectional: startsRightToLeft(text) || undefined });
}

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3] as const;

function cellParagraph(text: string, align: 'left' | 'right', bold = false): Paragraph {
  const rtl = startsRightToLeft(text);
  return new Paragraph({
    children: textRuns(text, { bold }),
    alignment: align === 'right' ? AlignmentType.RIGHT : undefined,
    bidirectional: rtl || undefined,
    spacing: { before: 20, after: 20 },
  });
}

function table(block: Pick<TableBlock, 'header' | 'rows' | 'align'>): Table {
  const columns = Math.max(1, tableColumnCount(block));
  const firstRow = block.rows.find((r) => !r.subheading)?.cells ?? [];
  const header = block.header.map(
    (row) =>
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: row.map(
          (cell) =>
            new TableCell({
              columnSpan: Math.max(1, cell.span ?? 1) > 1 ? Math.max(1, cell.span ?? 1) : undefined,
              shading: HEADER_SHADING,
              children: [cellParagraph(cell.text, (cell.span ?? 1) > 1 ? 'left' : 'left', true)],
            }),
        ),
      }),
  );
  const body = block.rows.map((row) => {
    if (row.subheading) {
      return new TableRow({
        cantSplit: true,
        children: [new TableCell({ columnSpan: columns > 1 ? columns : undefined, children: [cellParagraph(cellText(row.cells[0]), 'left', true)] })],
      });
    }
    return new TableRow({
      cantSplit: true,
      children: Array.from(
        { length: columns },
        (_, i) => new TableCell({ children: [cellParagraph(cellText(row.cells[i]), cellAlign(block, i, row.cells[i] ?? firstRow[i]))] }),
      ),
    });
  });
  return new Table({ rows: [...header, ...body], width: { size: 100, type: WidthType.PERCENTAGE } });
}

function caption(label: string, text: string, keepNext: boolean): Paragraph {
  return para([new TextRun({ text: `${label}. `, bold: true }), ...textRuns(text)], text, { style: 'Caption', keepNext });
}

function note(text: string): Paragraph {
  return para(textRuns(text), text, { style: 'Note' });
}

/** The chart's picture at most a text width wide, keeping its proportions. */
function imageSize(chart: ChartBlock): { width: number; height: number } {
  const width = chart.width > 0 ? chart.width : 720;
  const height = chart.height > 0 ? chart.height : 480;
  const scale = Math.min(1, MAX_IMAGE_WIDTH / width);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

function chart(block: ChartBlock, label: string): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  if (block.png && block.png.length > 0) {
    out.push(
      new Paragraph({
        keepNext: true,
        children: [
          new ImageRun({
            type: 'png',
            data: block.png,
            transformation: imageSize(block),
            altText: { name: clean(block.title), title: clean(block.title), description: clean(block.caption ?? block.title) },
          }),
        ],
      }),
    );
    out.push(caption(label, block.title, false));
  } else {
    out.push(caption(label, block.title, true));
    if (block.data && block.data.rows.length > 0) {
      out.push(note('The chart could not be drawn into this file; these are its numbers.'));
      out.push(table(block.data));
    } else {
      out.push(note('The chart could not be drawn into this file; it is in the HTML version of the report.'));
    }
  }
  if (block.caption?.trim()) out.push(note(block.caption));
  return out;
}

function block(b: DocBlock, label: string): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [para(textRuns(b.text), b.text, { heading: HEADINGS[b.level - 1] })];
    case 'paragraph':
      return [para(runsOf(b.runs), plain(b.runs), b.note ? { style: 'Note' } : {})];
    case 'list':
      return b.items.map((item) => para(runsOf(item), plain(item), { bullet: { level: 0 } }));
    case 'table': {
      const out: (Paragraph | Table)[] = [caption(label, b.caption, true), table(b)];
      for (const n of b.notes ?? []) out.push(note(n));
      return out;
    }
    case 'chart':
      return chart(b, label);
    case 'quote': {
      const paragraphs = clean(b.text)
        .trim()
        .split(/\n\s*\n/)
        .filter((p) => p.trim() !== '');
      return [
        ...paragraphs.map((p) => para(textRuns(p), p, { style: 'Quote', keepNext: true })),
        para(textRuns(`— ${b.attribution}`), b.attribution, { style: 'QuoteAttribution' }),
      ];
    }
  }
}

/** Document options shared by every report: the styles the blocks name. */
function wordDocument(doc: ReportDocument): Document {
  const labels = numberBlocks(doc);
  const children: (Paragraph | Table)[] = [para(textRuns(doc.title), doc.title, { heading: HeadingLevel.TITLE })];
  for (const line of doc.meta) children.push(para(textRuns(line), line, { style: 'Note' }));
  for (const section of chosenSections(doc)) {
    children.push(para(textRuns(section.title), section.title, { heading: HeadingLevel.HEADING_1 }));
    for (const b of section.blocks) children.push(...block(b, labels.get(b) ?? ''));
  }
  return new Document({
    creator: 'Codebench',
    title: clean(doc.title),
    description: 'A report made with Codebench',
    styles: {
      default: {
        document: { run: { font: 'Calibri', size: 22 } },
        caption: { run: { bold: false, italics: false, size: 20, color: '000000' }, paragraph: { spacing: { before: 200, after: 80 } } },
      },
      paragraphStyles: [
        {
          id: 'Note',
          name: 'Note',
          basedOn: 'Normal',
          quickFormat: true,
          run: { size: 18, color: '444444' },
          paragraph: { spacing: { before: 60, after: 60 } },
        },
        {
          id: 'Quote',
          name: 'Quote',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { italics: true },
          paragraph: { indent: { left: 720, right: 720 }, spacing: { before: 120, after: 40 } },
        },
        {
          id: 'QuoteAttribution',
          name: 'Quote attribution',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { size: 20 },
          paragraph: { indent: { left: 720, right: 720 }, spacing: { after: 200 } },
        },
      ],
    },
    sections: [{ children }],
  });
}

/** The document as the bytes of a .docx file; only the chosen sections. */
export async function documentDocx(doc: ReportDocument): Promise<Uint8Array> {
  return new Uint8Array(await Packer.toArrayBuffer(wordDocument(doc)));
}
