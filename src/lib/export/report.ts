/**
 * The report as Markdown and as one self-contained HTML file: title, date,
 * contents, themes with exemplar quotes, count tables, charts and the
 * codebook appendix.
 *
 * The HTML works offline and stays inert: CSS inline only, no scripts, no
 * external references of any kind (a Content-Security-Policy meta tag forbids
 * loading anything, as a second guard), every piece of user text escaped, and
 * SVG charts inlined after a check that they load and run nothing.
 */
import { blockquote, codebookTableMarkdown, plural } from './codebook-export';
import type { CountCell, CountTable } from './counts';
import { mdInline, mdParagraph, mdTable } from './markdown-text';
import { REPORT_CSS } from './report-css';
import type { ReportModel, ReportTheme } from './report-model';
import { escapeXml } from './xml-text';
import { inlineSvg } from './document-html';

export { UnsafeChartError, inlineSvg } from './document-html';

/** "12 / 40 (30%)"; no percentage when the denominator is 0. */
export function formatShare(cell: CountCell): string {
  const base = `${cell.numerator} / ${cell.denominator}`;
  return cell.denominator > 0 ? `${base} (${Math.round((cell.numerator / cell.denominator) * 100)}%)` : base;
}

function isoDate(date: Date): string {
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

function reportTitle(model: ReportModel): string {
  return model.title?.trim() || `${model.projectName}: coding report`;
}

interface Section {
  id: string;
  title: string;
}

function sections(model: ReportModel): Section[] {
  const out: Section[] = [];
  if (model.themes.length > 0) out.push({ id: 'themes', title: 'Themes' });
  if (model.tables.length > 0) out.push({ id: 'counts', title: 'Counts' });
  if (model.charts.length > 0) out.push({ id: 'charts', title: 'Charts' });
  out.push({ id: 'codebook', title: 'Codebook' });
  return out;
}

// ---------------------------------------------------------------------------
// Markdown

/** The report as Markdown (GFM), ending with a newline. Charts are named, with a pointer to the HTML report. */
export function reportMarkdown(model: ReportModel): string {
  const out: string[] = [`# ${mdInline(reportTitle(model))}`, `Project: ${mdInline(model.projectName)}  \nGenerated: ${isoDate(model.generatedAt)}`];
  if (model.introduction?.trim()) out.push(mdParagraph(model.introduction));
  out.push(
    '## Contents',
    sections(model)
      .map((s) => `- [${s.title}](#${s.id})`)
      .join('\n'),
  );
  if (model.themes.length > 0) {
    out.push('## Themes');
    for (const theme of model.themes) out.push(themeMarkdown(theme));
  }
  if (model.tables.length > 0) {
    out.push('## Counts');
    if (model.basis) out.push(mdParagraph(model.basis));
    for (const table of model.tables) out.push(tableMarkdown(table));
  }
  if (model.charts.length > 0) {
    out.push('## Charts');
    for (const chart of model.charts) {
      out.push(`### ${mdInline(chart.title)}`);
      if (chart.caption?.trim()) out.push(mdParagraph(chart.caption));
      out.push('*This chart is drawn in the HTML version of the report.*');
    }
  }
  out.push('## Codebook', model.codebook.length > 0 ? codebookTableMarkdown(model.codebook) : 'No codes.');
  return out.join('\n\n') + '\n';
}

function themeMarkdown(theme: ReportTheme): string {
  const out = [`### ${mdInline(theme.name)}`];
  if (theme.description.trim()) out.push(mdParagraph(theme.description));
  const facts: string[] = [];
  if (theme.codes.length > 0) facts.push(`Codes: ${theme.codes.map(mdInline).join('; ')}`);
  if (theme.answers) facts.push(`Answers: ${formatShare(theme.answers)}`);
  if (facts.length > 0) out.push(facts.join('  \n'));
  for (const quote of theme.quotes) out.push(`${blockquote(quote.text)}\n>\n> — ${mdInline(quote.attribution)}`);
  if (theme.quotes.length === 0) out.push('*No exemplar quotes marked.*');
  return out.join('\n\n');
}

function tableMarkdown(table: CountTable): string {
  const header = ['Code', ...table.groups];
  const rows = table.rows.map((row) => [row.label, ...row.cells.map(formatShare)]);
  const out = [
    `### ${mdInline(table.title)}`,
    mdTable(
      header,
      rows,
      header.map((_, i) => (i === 0 ? 'left' : 'right')),
    ),
  ];
  if (table.note) out.push(`*${mdInline(table.note)}*`);
  return out.join('\n\n');
}

// ---------------------------------------------------------------------------
// HTML

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

/** User text as HTML paragraphs: blank lines split paragraphs, single line breaks become <br>. */
function paragraphs(text: string, className = ''): string {
  const cls = className ? ` class="${className}"` : '';
  return text
    .trim()
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p${cls}>${p.split('\n').map(esc).join('<br>')}</p>`)
    .join('\n');
}

function multiline(text: string): string {
  return text.split('\n').map(esc).join('<br>');
}

/**
 * The report as one HTML document. Throws UnsafeChartError when a chart's SVG
 * could load or run anything.
 */
export function reportHtml(model: ReportModel): string {
  const title = reportTitle(model);
  const date = isoDate(model.generatedAt);
  const secs = sections(model);
  const toc = secs
    .map((s) => {
      const sub =
        s.id === 'themes'
          ? `<ol>${model.themes.map((t, i) => `<li><a href="#theme-${i + 1}">${esc(t.name)}</a></li>`).join('')}</ol>`
          : s.id === 'counts'
            ? `<ol>${model.tables.map((t, i) => `<li><a href="#table-${i + 1}">${esc(t.title)}</a></li>`).join('')}</ol>`
            : s.id === 'charts'
              ? `<ol>${model.charts.map((c, i) => `<li><a href="#chart-${i + 1}">${esc(c.title)}</a></li>`).join('')}</ol>`
              : '';
      return `<li><a href="#${s.id}">${s.title}</a>${sub}</li>`;
    })
    .join('\n');
  const body: string[] = [];
  if (model.themes.length > 0) {
    body.push(`<section id="themes">\n<h2>Themes</h2>\n${model.themes.map(themeHtml).join('\n')}\n</section>`);
  }
  if (model.tables.length > 0) {
    const basis = model.basis ? paragraphs(model.basis, 'note') : '';
    body.push(`<section id="counts">\n<h2>Counts</h2>\n${basis}\n${model.tables.map(tableHtml).join('\n')}\n</section>`);
  }
  if (model.charts.length > 0) {
    const figures = model.charts.map(
      (chart, i) =>
        `<figure class="chart" id="chart-${i + 1}">\n${inlineSvg(chart)}\n<figcaption><strong>${esc(chart.title)}</strong>` +
        `${chart.caption?.trim() ? `. ${multiline(chart.caption)}` : ''}</figcaption>\n</figure>`,
    );
    body.push(`<section id="charts">\n<h2>Charts</h2>\n${figures.join('\n')}\n</section>`);
  }
  body.push(`<section id="codebook">\n<h2>Codebook</h2>\n${codebookHtml(model)}\n</section>`);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Codebench">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="meta">Project: ${esc(model.projectName)} · Generated <time datetime="${date}">${date}</time></p>
${model.introduction?.trim() ? paragraphs(model.introduction) : ''}
</header>
<nav aria-labelledby="contents"><h2 id="contents">Contents</h2>
<ol>
${toc}
</ol>
</nav>
<main>
${body.join('\n')}
</main>
<footer>Made with Codebench on ${date}. This file is self-contained: it loads nothing and works offline.</footer>
</body>
</html>
`;
}

function themeHtml(theme: ReportTheme, index: number): string {
  const out = [`<article id="theme-${index + 1}">`, `<h3>${esc(theme.name)}</h3>`];
  if (theme.description.trim()) out.push(paragraphs(theme.description));
  if (theme.codes.length > 0) out.push(`<p class="codes">Codes: ${theme.codes.map(esc).join('; ')}</p>`);
  if (theme.answers) out.push(`<p class="count">Answers: ${esc(formatShare(theme.answers))}</p>`);
  for (const quote of theme.quotes) {
    out.push(`<figure class="quote"><blockquote>${paragraphs(quote.text)}</blockquote><figcaption>— ${esc(quote.attribution)}</figcaption></figure>`);
  }
  if (theme.quotes.length === 0) out.push('<p class="note">No exemplar quotes marked.</p>');
  out.push('</article>');
  return out.join('\n');
}

function shareHtml(cell: CountCell): string {
  const base = `${cell.numerator} / ${cell.denominator}`;
  return cell.denominator > 0 ? `${base} <span class="pct">(${Math.round((cell.numerator / cell.denominator) * 100)}%)</span>` : base;
}

function tableHtml(table: CountTable, index: number): string {
  const head = `<tr><th scope="col">Code</th>${table.groups.map((g) => `<th scope="col">${esc(g)}</th>`).join('')}</tr>`;
  const rows = table.rows
    .map((row) => `<tr><th scope="row">${esc(row.label)}</th>${row.cells.map((c) => `<td class="num">${shareHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  const note = table.note ? `\n<p class="note">${esc(table.note)}</p>` : '';
  return `<table id="table-${index + 1}">\n<caption>${esc(table.title)}</caption>\n<thead>${head}</thead>\n<tbody>\n${rows}\n</tbody>\n</table>${note}`;
}

function codebookHtml(model: ReportModel): string {
  if (model.codebook.length === 0) return '<p class="note">No codes.</p>';
  const counted = model.codebook.some((r) => r.count);
  const head =
    '<tr><th scope="col">Code</th><th scope="col">Definition</th><th scope="col">Include when</th><th scope="col">Exclude when</th><th scope="col">Example</th>' +
    (counted ? '<th scope="col">Answers</th><th scope="col">Codings</th>' : '') +
    '</tr>';
  const rows = model.codebook.map((r) => {
    const depth = Math.min(r.depth, 8);
    const counts = counted ? `<td class="num">${r.count?.answers ?? 0}</td><td class="num">${r.count?.codings ?? 0}</td>` : '';
    return (
      `<tr><th scope="row" class="depth-${depth}" title="${esc(r.path)}">${esc(r.name)}</th>` +
      `<td>${multiline(r.definition)}</td><td>${multiline(r.inclusion)}</td><td>${multiline(r.exclusion)}</td><td>${multiline(r.example)}</td>${counts}</tr>`
    );
  });
  const summary = `<p class="note">${esc(plural(model.codebook.length, 'code'))}.${counted && model.basis ? ` ${esc(model.basis)}` : ''}</p>\n`;
  return `${summary}<table class="codebook">\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}
