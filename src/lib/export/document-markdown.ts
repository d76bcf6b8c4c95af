/**
 * The report document as Markdown (GitHub Flavored), to paste into a
 * manuscript. Tables are GFM tables (a two-row header joined per column as
 * "Mentee · Baseline"; pipes and line breaks in cells escaped); a chart is its
 * title, caption and a line saying it is drawn in the HTML and Word versions,
 * since Markdown cannot carry it.
 */
import {
  cellAlign,
  cellText,
  chosenSections,
  flatHeader,
  numberBlocks,
  tableColumnCount,
  type DocBlock,
  type DocRun,
  type ReportDocument,
  type TableBlock,
} from './document';
import { mdCell, mdInline, mdParagraph } from './markdown-text';

function runs(parts: readonly DocRun[]): string {
  return parts
    .map((run) => {
      const text = mdInline(run.text);
      if (text.trim() === '') return text;
      // Emphasis marks must touch the text, so spaces at the edges stay outside them.
      const [, lead, core, trail] = /^(\s*)(.*?)(\s*)$/s.exec(text) ?? ['', '', text, ''];
      const mark = run.bold && run.italic ? '***' : run.bold ? '**' : run.italic ? '*' : '';
      return `${lead}${mark}${core}${mark}${trail}`;
    })
    .join('');
}

function table(block: Pick<TableBlock, 'header' | 'rows' | 'align'>): string {
  const columns = Math.max(1, tableColumnCount(block));
  const header = flatHeader(block);
  while (header.length < columns) header.push('');
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const firstRow = block.rows.find((r) => !r.subheading)?.cells ?? [];
  const rule = line(header.map((_, i) => (cellAlign(block, i, firstRow[i]) === 'right' ? '---:' : '---')));
  const body = block.rows.map((row) => {
    if (row.subheading) return line([`**${mdCell(cellText(row.cells[0]))}**`, ...Array<string>(columns - 1).fill('')]);
    return line(Array.from({ length: columns }, (_, i) => mdCell(cellText(row.cells[i]))));
  });
  return [line(header.map(mdCell)), rule, ...body].join('\n');
}

function block(b: DocBlock, label: string | undefined): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(Math.min(6, b.level + 1))} ${mdInline(b.text)}`;
    case 'paragraph': {
      const text = b.runs.every((r) => !r.bold && !r.italic) ? mdParagraph(b.runs.map((r) => r.text).join('')) : runs(b.runs);
      if (!b.note) return text;
      return text
        .split('\n\n')
        .map((p) => (p.trim() === '' ? p : `*${p.trim()}*`))
        .join('\n\n');
    }
    case 'list':
      return b.items.map((item) => `- ${runs(item)}`).join('\n');
    case 'table': {
      const out = [`**${label}.** ${mdInline(b.caption)}`, table(b)];
      for (const note of b.notes ?? []) out.push(`*${mdInline(note)}*`);
      return out.join('\n\n');
    }
    case 'chart': {
      const out = [`**${label}.** ${mdInline(b.title)}`];
      if (b.caption?.trim()) out.push(mdParagraph(b.caption));
      out.push('*The chart is drawn in the HTML and Word versions of this report.*');
      return out.join('\n\n');
    }
    case 'quote': {
      const lines = mdParagraph(b.text)
        .split('\n')
        .map((l) => (l === '' ? '>' : `> ${l}`));
      return `${lines.join('\n')}\n>\n> — ${mdInline(b.attribution)}`;
    }
  }
}

/** Section ids are ours, but an anchor must never carry markup. */
export function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
}

/** The document as Markdown, ending with a newline. Only the chosen sections. */
export function documentMarkdown(doc: ReportDocument): string {
  const labels = numberBlocks(doc);
  const out: string[] = [`# ${mdInline(doc.title)}`];
  if (doc.meta.length > 0) out.push(doc.meta.map(mdInline).join('  \n'));
  const sections = chosenSections(doc);
  if (sections.length > 1) out.push(sections.map((s) => `- [${mdInline(s.title)}](#${anchor(s.id)})`).join('\n'));
  for (const section of sections) {
    out.push(`<a id="${anchor(section.id)}"></a>\n\n## ${mdInline(section.title)}`);
    for (const b of section.blocks) {
      const text = block(b, labels.get(b));
      if (text.trim() !== '') out.push(text);
    }
  }
  return out.join('\n\n') + '\n';
}
