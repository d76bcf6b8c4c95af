/**
 * The report document as one self-contained HTML file.
 *
 * It works offline and stays inert: CSS inline only, no scripts, no external
 * references of any kind (a Content-Security-Policy meta tag forbids loading
 * anything, as a second guard), every piece of user text escaped (user text
 * never becomes markup), `dir="auto"` on user text so Arabic or Hebrew reads
 * right to left, and SVG charts inlined after a check that they load and run
 * nothing.
 */
import {
  cellAlign,
  cellText,
  chosenSections,
  numberBlocks,
  tableColumnCount,
  type ChartBlock,
  type DocBlock,
  type DocRun,
  type ReportDocument,
  type TableBlock,
} from './document';
import { anchor } from './document-markdown';
import { REPORT_CSS } from './report-css';
import { escapeXml } from './xml-text';

/**
 * Escaped text for the page. A URL typed in an answer stays plain text anyway,
 * but "//" and "http:" are also written as character references, so that the
 * file never holds a literal URL and a scan for external references finds
 * none; the page reads the same.
 */
function esc(text: string): string {
  return defuseUrls(escapeXml(text));
}

function defuseUrls(escaped: string): string {
  return escaped.replace(/\/\//g, '/&#47;').replace(/(https?):/gi, '$1&#58;');
}

/** User text with its line breaks kept. */
function multiline(text: string): string {
  return text.replace(/\r\n?/g, '\n').split('\n').map(esc).join('<br>');
}

/** User text as paragraphs: blank lines split paragraphs, single line breaks become <br>. */
function paragraphs(text: string, className = ''): string {
  const cls = className ? ` class="${className}"` : '';
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p dir="auto"${cls}>${multiline(p)}</p>`)
    .join('\n');
}

function runs(parts: readonly DocRun[]): string {
  return parts
    .map((run) => {
      let html = multiline(run.text);
      if (run.italic) html = `<em>${html}</em>`;
      if (run.bold) html = `<strong>${html}</strong>`;
      return html;
    })
    .join('');
}

/** Thrown when a chart given to the report could load or run something. */
export class UnsafeChartError extends Error {
  constructor(title: string, reason: string) {
    super(`The chart "${title}" cannot go into the report: ${reason}.`);
    this.name = 'UnsafeChartError';
  }
}

const UNSAFE_SVG: [RegExp, string][] = [
  [/<script/i, 'it contains a script'],
  [/<foreignObject/i, 'it embeds HTML (foreignObject)'],
  [/<style/i, 'it carries a style sheet'],
  [/<(?:image|use|a|iframe|object|embed|audio|video|feImage)\b/i, 'it contains an element that can load or link something'],
  [/\son[a-z]+\s*=/i, 'it has an event handler attribute'],
  [/\b(?:xlink:)?href\s*=|\bsrc\s*=/i, 'it refers to another resource'],
  [/url\(\s*['"]?(?!#)/i, 'it refers to another resource in url()'],
  [/@import|javascript:|https?:|\/\//i, 'it refers to another resource'],
  [/<!(?:DOCTYPE|ENTITY)|<\?/i, 'it carries XML declarations'],
];

/**
 * The chart's SVG ready to inline: namespace declarations removed (HTML puts
 * an inline <svg> in the SVG namespace by itself, and they are the only URLs a
 * chart of ours carries), then its markup checked; text between tags is only
 * shown, so it is not checked, just given the same URL defusing as the page.
 * Throws UnsafeChartError.
 */
export function inlineSvg(chart: { title: string; svg: string }): string {
  const svg = chart.svg.trim().replace(/\s+xmlns(?::[a-z]+)?\s*=\s*(["'])[^"']*\1/gi, '');
  if (!/^<svg[\s>]/i.test(svg) || !/<\/svg>$/i.test(svg)) throw new UnsafeChartError(chart.title, 'it is not a single <svg> element');
  const markup = svg.replace(/>[^<]*</g, '><');
  for (const [pattern, reason] of UNSAFE_SVG) if (pattern.test(markup)) throw new UnsafeChartError(chart.title, reason);
  return svg.replace(/>([^<]*)</g, (_, text: string) => `>${defuseUrls(text)}<`);
}

function tableHtml(table: Pick<TableBlock, 'header' | 'rows' | 'align'>, caption: string): string {
  const columns = Math.max(1, tableColumnCount(table));
  const firstRow = table.rows.find((r) => !r.subheading)?.cells ?? [];
  const head = table.header
    .map((row) => {
      const cells = row.map((cell) => {
        const span = Math.max(1, cell.span ?? 1);
        const scope = span > 1 ? 'colgroup' : 'col';
        return `<th scope="${scope}"${span > 1 ? ` colspan="${span}"` : ''} dir="auto">${multiline(cell.text)}</th>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const body = table.rows
    .map((row) => {
      if (row.subheading) return `<tr class="subheading"><th scope="rowgroup" colspan="${columns}" dir="auto">${multiline(cellText(row.cells[0]))}</th></tr>`;
      const cells = Array.from({ length: columns }, (_, i) => {
        const cell = row.cells[i];
        const right = cellAlign(table, i, cell ?? firstRow[i]) === 'right';
        if (i === 0) return `<th scope="row" dir="auto">${multiline(cellText(cell))}</th>`;
        return `<td${right ? ' class="num"' : ''} dir="auto">${multiline(cellText(cell))}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table>\n<caption>${caption}</caption>\n${head ? `<thead>\n${head}\n</thead>\n` : ''}<tbody>\n${body}\n</tbody>\n</table>`;
}

function chartHtml(chart: ChartBlock, label: string): string {
  const title = chart.title.trim();
  // The title reads as a sentence before the caption: "Figure 1. Support by role. Bars: …"
  const stop = chart.caption?.trim() && !/[.!?]$/.test(title) ? '.' : '';
  const caption = `<strong>${esc(label)}.</strong> <span dir="auto">${esc(title)}${stop}</span>${chart.caption?.trim() ? ` <span dir="auto">${multiline(chart.caption)}</span>` : ''}`;
  return `<figure class="chart">\n${inlineSvg(chart)}\n<figcaption>${caption}</figcaption>\n</figure>`;
}

function blockHtml(b: DocBlock, label: string): string {
  switch (b.kind) {
    case 'heading': {
      const h = `h${Math.min(6, b.level + 1)}`;
      return `<${h} dir="auto">${esc(b.text)}</${h}>`;
    }
    case 'paragraph':
      return b.runs.every((r) => !r.bold && !r.italic)
        ? paragraphs(b.runs.map((r) => r.text).join(''), b.note ? 'note' : '')
        : `<p dir="auto"${b.note ? ' class="note"' : ''}>${runs(b.runs)}</p>`;
    case 'list':
      return `<ul>\n${b.items.map((item) => `<li dir="auto">${runs(item)}</li>`).join('\n')}\n</ul>`;
    case 'table': {
      const caption = `<strong>${esc(label)}.</strong> <span dir="auto">${esc(b.caption)}</span>`;
      const notes = (b.notes ?? []).map((n) => `<p class="note" dir="auto">${multiline(n)}</p>`).join('\n');
      return `<div class="table">\n${tableHtml(b, caption)}${notes ? `\n${notes}` : ''}\n</div>`;
    }
    case 'chart':
      return chartHtml(b, label);
    case 'quote':
      return `<blockquote class="quote">\n${paragraphs(b.text)}\n<footer>— <cite dir="auto">${esc(b.attribution)}</cite></footer>\n</blockquote>`;
  }
}

/**
 * The document as one HTML file: only the chosen sections, with a contents
 * list when there is more than one. Throws UnsafeChartError when a chart's SVG
 * could load or run anything.
 */
export function documentHtml(doc: ReportDocument): string {
  const labels = numberBlocks(doc);
  const sections = chosenSections(doc);
  const toc =
    sections.length > 1
      ? `<nav aria-labelledby="contents"><h2 id="contents">Contents</h2>\n<ol>\n${sections
          .map((s) => `<li><a href="#${anchor(s.id)}" dir="auto">${esc(s.title)}</a></li>`)
          .join('\n')}\n</ol>\n</nav>`
      : '';
  const body = sections.map(
    (s) =>
      `<section id="${anchor(s.id)}">\n<h2 dir="auto">${esc(s.title)}</h2>\n${s.blocks.map((b) => blockHtml(b, labels.get(b) ?? '')).join('\n')}\n</section>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Codebench">
<title>${esc(doc.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1 dir="auto">${esc(doc.title)}</h1>
${doc.meta.map((line) => `<p class="meta" dir="auto">${esc(line)}</p>`).join('\n')}
</header>
${toc}
<main>
${body.join('\n')}
</main>
<footer>Made with Codebench. This file is self-contained: it loads nothing and works offline.</footer>
</body>
</html>
`;
}
