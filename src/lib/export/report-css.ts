/**
 * The report's only style sheet, inlined in its <head>. Print-friendly: each
 * main section starts on a new page, tables repeat their header, quotes and
 * figures are not split, and nothing has a fixed height (text may be long).
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 11pt/1.5 Georgia, "Times New Roman", serif; color: #111; background: #fff; margin: 0 auto; padding: 1.5rem; max-width: 52rem; }
h1, h2, h3, nav, table, figcaption, .meta, .note, .codes, .count { font-family: Helvetica, Arial, sans-serif; }
h1 { font-size: 1.8rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.35rem; border-bottom: 1px solid #999; padding-bottom: 0.2rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 1.75rem; }
.meta, .note, .codes, .count { color: #444; font-size: 0.9rem; }
nav ol { padding-left: 1.4rem; }
a { color: #1a4f8b; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; margin: 0.75rem 0; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.35rem; }
th, td { border: 1px solid #bbb; padding: 0.3rem 0.45rem; vertical-align: top; text-align: left; }
thead th { background: #eee; }
tbody th { font-weight: normal; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.pct { color: #555; }
.depth-1 { padding-left: 1.4em; } .depth-2 { padding-left: 2.6em; } .depth-3 { padding-left: 3.8em; }
.depth-4 { padding-left: 5em; } .depth-5, .depth-6, .depth-7, .depth-8 { padding-left: 6.2em; }
figure { margin: 1rem 0; }
figure.quote blockquote { margin: 0; padding: 0.25rem 0 0.25rem 1rem; border-left: 3px solid #777; font-style: italic; }
figure.quote figcaption { margin-left: 1rem; font-size: 0.9rem; color: #333; }
figure.chart svg { max-width: 100%; height: auto; }
figure.chart figcaption { font-size: 0.9rem; color: #333; }
blockquote.quote { margin: 1rem 0; padding: 0.25rem 0 0.25rem 1rem; border-left: 3px solid #777; }
blockquote.quote p { font-style: italic; margin: 0 0 0.35rem; }
blockquote.quote footer { margin: 0; border: 0; padding: 0; font-size: 0.9rem; color: #333; }
blockquote.quote cite { font-style: normal; }
tr.subheading th { font-weight: bold; background: #f6f6f6; }
div.table { margin: 1rem 0; overflow-x: auto; }
div.table td.num { white-space: normal; }
div.table .note { margin: 0.25rem 0; }
body > footer { margin-top: 3rem; font-size: 0.8rem; color: #555; border-top: 1px solid #ccc; padding-top: 0.5rem; }
@page { margin: 18mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  main > section { break-before: page; page-break-before: always; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  figure, blockquote, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  thead th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
