import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { groupedBarChartSvg } from './charts';
import { flatHeader, heading, paragraph, tableColumnCount, type ReportDocument, type TableBlock } from './document';
import { documentDocx } from './document-docx';
import { UnsafeChartError, documentHtml, inlineSvg } from './document-html';
import { documentMarkdown } from './document-markdown';

// A 1×1 white PNG.
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));

const prevalence: TableBlock = {
  kind: 'table',
  caption: 'Career | rewards by role and wave',
  header: [
    [{ text: '' }, { text: 'Mentee', span: 2 }, { text: 'Mentor', span: 2 }],
    [{ text: 'Code' }, { text: 'Baseline' }, { text: '6 months' }, { text: 'Baseline' }, { text: '6 months' }],
  ],
  rows: [
    { cells: ['Rewards'], subheading: true },
    { cells: ['Career <b>&</b>', '8 of 16, 50% (28–72%)', '4 of 16, 25% (10–49%)', 3, 0] },
    { cells: ['=SUM(A1:A9)', 'a|b\nc', '', 1, 2] },
    { cells: ['الدعم المهني 🌱', '1 of 2', '2 of 2', 0, 0] },
  ],
  align: ['left', 'right', 'right', 'right', 'right'],
  notes: ["95% confidence intervals by Wilson's score method."],
};

function fixture(overrides: Partial<ReportDocument> = {}): ReportDocument {
  const svg = groupedBarChartSvg({ title: 'Career by role', categories: ['Career'], series: [{ name: 'Mentee', values: [50] }], format: 'percent' });
  return {
    title: 'AIMMS <study> & report',
    meta: ['Project: AIMMS', 'Coding set: Final'],
    sections: [
      {
        id: 'data',
        title: 'Data',
        chosen: true,
        blocks: [heading(2, 'Questions'), paragraph([{ text: 'Asked of ' }, { text: 'everyone', bold: true }, { text: '.' }]), prevalence],
      },
      {
        id: 'findings',
        title: 'Findings',
        chosen: true,
        blocks: [
          { kind: 'list', items: [[{ text: 'Rewards › Career' }], [{ text: 'Support', italic: true }]] },
          { kind: 'chart', title: 'Career by role', svg, width: 720, height: 120, caption: 'Share of respondents.' },
          { kind: 'quote', text: 'My mentor <Aisha> helped & more 🎉', attribution: 'Mentee 7, 6 months' },
          { kind: 'quote', text: 'ساعدني مرشدي كثيرا', attribution: 'Mentee 3, Baseline' },
        ],
      },
      { id: 'appendix', title: 'Appendix', chosen: false, blocks: [paragraph('NOT CHOSEN')] },
    ],
    ...overrides,
  };
}

describe('document model', () => {
  it('counts columns from the header spans and flattens a two-row header', () => {
    expect(tableColumnCount(prevalence)).toBe(5);
    expect(flatHeader(prevalence)).toEqual(['Code', 'Mentee · Baseline', 'Mentee · 6 months', 'Mentor · Baseline', 'Mentor · 6 months']);
  });
});

describe('documentMarkdown', () => {
  const md = documentMarkdown(fixture());

  it('prints the title, meta, chosen sections in order, and leaves out the rest', () => {
    expect(md.startsWith('# AIMMS \\<study> \\& report\n')).toBe(true);
    expect(md).toContain('Coding set: Final');
    expect(md.indexOf('## Data')).toBeLessThan(md.indexOf('## Findings'));
    expect(md).not.toContain('NOT CHOSEN');
    expect(md).not.toContain('Appendix');
    expect(md).toContain('### Questions');
    expect(md).toContain('Asked of **everyone**.');
  });

  it('writes a GFM table with a flattened header, escaped pipes and line breaks, numbered captions and notes', () => {
    expect(md).toContain('**Table 1.** Career \\| rewards by role and wave');
    expect(md).toContain('| Code | Mentee · Baseline | Mentee · 6 months | Mentor · Baseline | Mentor · 6 months |');
    expect(md).toContain('| --- | ---: | ---: | ---: | ---: |');
    expect(md).toContain('| **Rewards** |  |  |  |  |');
    expect(md).toContain('| Career \\<b>\\&\\</b> | 8 of 16, 50% (28–72%) | 4 of 16, 25% (10–49%) | 3 | 0 |');
    expect(md).toContain('| =SUM(A1:A9) | a\\|b<br>c |  | 1 | 2 |');
    expect(md).toContain('| الدعم المهني 🌱 | 1 of 2 | 2 of 2 | 0 | 0 |');
    expect(md).toContain("*95% confidence intervals by Wilson's score method.*");
  });

  it('names a chart and says where it is drawn; quotes carry their attribution', () => {
    expect(md).toContain('**Figure 1.** Career by role');
    expect(md).toContain('*The chart is drawn in the HTML and Word versions of this report.*');
    expect(md).not.toContain('<svg');
    expect(md).toContain('> My mentor \\<Aisha> helped \\& more 🎉\n>\n> — Mentee 7, 6 months');
    expect(md).toContain('> ساعدني مرشدي كثيرا\n>\n> — Mentee 3, Baseline');
    expect(md).toContain('- Rewards › Career\n- *Support*');
  });
});

describe('documentHtml', () => {
  const html = documentHtml(fixture());

  it('is one offline page: a CSP, inline CSS, no script and no external reference', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|\ssrc=|https?:|\/\//i);
  });

  it('escapes every user string', () => {
    expect(html).toContain('<title>AIMMS &lt;study&gt; &amp; report</title>');
    expect(html).toContain('<th scope="row" dir="auto">Career &lt;b&gt;&amp;&lt;/b&gt;</th>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<Aisha>');
    expect(html).toContain('My mentor &lt;Aisha&gt; helped &amp; more 🎉');
  });

  it('writes a table with a caption, colspan headers, a sub-heading row and notes', () => {
    expect(html).toContain('<caption><strong>Table 1.</strong> <span dir="auto">Career | rewards by role and wave</span></caption>');
    expect(html).toContain(
      '<tr><th scope="col" dir="auto"></th><th scope="colgroup" colspan="2" dir="auto">Mentee</th><th scope="colgroup" colspan="2" dir="auto">Mentor</th></tr>',
    );
    expect(html).toContain('<tr class="subheading"><th scope="rowgroup" colspan="5" dir="auto">Rewards</th></tr>');
    expect(html).toContain('<td class="num" dir="auto">a|b<br>c</td>');
    expect(html).toContain('<th scope="row" dir="auto">الدعم المهني 🌱</th>');
    expect(html).toContain(`<p class="note" dir="auto">95% confidence intervals by Wilson's score method.</p>`.replace("'", '&#39;'));
  });

  it('inlines the chart as SVG with a numbered caption, and quotes as blockquote with cite', () => {
    expect(html).toMatch(/<figure class="chart">\n<svg[^>]*role="img"/);
    expect(html).toContain(
      '<figcaption><strong>Figure 1.</strong> <span dir="auto">Career by role.</span> <span dir="auto">Share of respondents.</span></figcaption>',
    );
    expect(html).toContain('<footer>— <cite dir="auto">Mentee 7, 6 months</cite></footer>');
    expect(html).toContain('<p dir="auto">ساعدني مرشدي كثيرا</p>');
    expect(html).toContain('<a href="#findings" dir="auto">Findings</a>');
    expect(html).not.toContain('NOT CHOSEN');
  });

  it('reads back as the text itself, with no element made of user text', () => {
    const doc = fixture();
    doc.sections[0].blocks.push(paragraph('See https://example.org <script>alert(1)</script>'));
    const parsed = new DOMParser().parseFromString(documentHtml(doc), 'text/html');
    expect(parsed.querySelectorAll('script')).toHaveLength(0);
    expect(parsed.querySelector('h1')?.textContent).toBe('AIMMS <study> & report');
    expect([...parsed.querySelectorAll('p')].map((p) => p.textContent)).toContain('See https://example.org <script>alert(1)</script>');
    expect([...parsed.querySelectorAll('tbody th[scope="row"]')].map((th) => th.textContent)).toContain('Career <b>&</b>');
    expect(parsed.querySelector('blockquote cite')?.textContent).toBe('Mentee 7, 6 months');
  });

  it('prints well: page breaks before sections, header rows repeated, no fixed heights, no inline styles', () => {
    const css = html.slice(html.indexOf('<style>'), html.indexOf('</style>'));
    expect(css).toContain('@media print');
    expect(css).toMatch(/main > section \{ break-before: page;/);
    expect(css).toContain('thead { display: table-header-group; }');
    expect(css).not.toMatch(/(^|[^-])height\s*:(?!\s*auto)/m);
    expect(html).not.toMatch(/style="/);
  });

  it('refuses a chart that could run or load anything', () => {
    const bad = [
      '<svg><script>alert(1)</script></svg>',
      '<svg><rect onclick="x()"/></svg>',
      '<svg><image href="x.png"/></svg>',
      '<svg><rect fill="url(https://x/y)"/></svg>',
      '<svg><style>@import "x.css";</style></svg>',
      '<svg><foreignObject><div/></foreignObject></svg>',
      '<div>not svg</div>',
    ];
    for (const svg of bad) expect(() => inlineSvg({ title: 'Bad', svg })).toThrow(UnsafeChartError);
    const doc = fixture();
    doc.sections[1].blocks.push({ kind: 'chart', title: 'Bad', svg: bad[0], width: 1, height: 1 });
    expect(() => documentHtml(doc)).toThrow('The chart "Bad" cannot go into the report: it contains a script.');
  });

  it('inlines a chart without its namespace URL, and defuses URLs in its text', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>see https://x.example</text><rect fill="url(#p)"/></svg>';
    expect(inlineSvg({ title: 'Ok', svg })).toBe('<svg width="10" height="10"><text>see https&#58;/&#47;x.example</text><rect fill="url(#p)"/></svg>');
  });
});

async function wordXml(doc: ReportDocument): Promise<{ xml: string; files: Record<string, Uint8Array> }> {
  const bytes = await documentDocx(doc);
  const files = unzipSync(bytes);
  return { xml: strFromU8(files['word/document.xml']), files };
}

/** The text of each table cell (w:tc) in document order, its runs joined. */
function cellTexts(xml: string): string[] {
  return [...xml.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((m) => [...m[1].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));
}

/** The paragraphs (w:p) with their style id and text. */
function paragraphsOf(xml: string): { style: string; text: string }[] {
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>|<w:p\s[^>]*>([\s\S]*?)<\/w:p>/g)].map((m) => {
    const body = m[1] ?? m[2];
    return {
      style: /<w:pStyle w:val="([^"]+)"/.exec(body)?.[1] ?? '',
      text: [...body.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    };
  });
}

describe('documentDocx', () => {
  it('writes a .docx Word can open: headings with Heading styles, a title, only the chosen sections', async () => {
    const { xml, files } = await wordXml(fixture());
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'word/styles.xml']));
    const paras = paragraphsOf(xml);
    expect(paras.find((p) => p.style === 'Title')?.text).toBe('AIMMS &lt;study&gt; &amp; report');
    expect(paras.filter((p) => p.style === 'Heading1').map((p) => p.text)).toEqual(['Data', 'Findings']);
    expect(paras.find((p) => p.style === 'Heading2')?.text).toBe('Questions');
    expect(xml).not.toContain('NOT CHOSEN');
    const styles = strFromU8(files['word/styles.xml']);
    expect(styles).toContain('w:styleId="Heading1"');
    expect(styles).toContain('w:styleId="Quote"');
  });

  it('writes the table with repeated header rows, column spans, cells escaped and verbatim', async () => {
    const { xml } = await wordXml(fixture());
    expect(paragraphsOf(xml).find((p) => p.style === 'Caption')?.text).toBe('Table 1. Career | rewards by role and wave');
    expect(xml.match(/<w:tblHeader\/>/g)?.length).toBe(2);
    expect(xml).toContain('<w:gridSpan w:val="2"/>');
    const cells = cellTexts(xml);
    expect(cells.slice(0, 3)).toEqual(['', 'Mentee', 'Mentor']);
    expect(cells.slice(3, 8)).toEqual(['Code', 'Baseline', '6 months', 'Baseline', '6 months']);
    expect(cells[8]).toBe('Rewards');
    expect(cells.slice(9, 14)).toEqual(['Career &lt;b&gt;&amp;&lt;/b&gt;', '8 of 16, 50% (28–72%)', '4 of 16, 25% (10–49%)', '3', '0']);
    expect(cells[14]).toBe('=SUM(A1:A9)');
    expect(cells[15]).toBe('a|bc'); // two runs, a line break between them
    expect(cells[19]).toBe('الدعم المهني 🌱');
    expect(paragraphsOf(xml)).toContainEqual({ style: 'Note', text: '95% confidence intervals by Wilson&apos;s score method.' });
  });

  it('writes quotes as Quote paragraphs with the attribution under them, right to left for Arabic', async () => {
    const { xml } = await wordXml(fixture());
    const paras = paragraphsOf(xml);
    const at = paras.findIndex((p) => p.style === 'Quote' && p.text === 'My mentor &lt;Aisha&gt; helped &amp; more 🎉');
    expect(at).toBeGreaterThan(0);
    expect(paras[at + 1]).toEqual({ style: 'QuoteAttribution', text: '— Mentee 7, 6 months' });
    const arabic = [...xml.matchAll(/<w:p>[\s\S]*?<\/w:p>/g)].map((m) => m[0]).find((p) => p.includes('ساعدني مرشدي كثيرا'));
    expect(arabic).toContain('<w:bidi/>');
  });

  it('puts a chart in as a PNG picture when one is attached', async () => {
    const doc = fixture();
    const chart = doc.sections[1].blocks.find((b) => b.kind === 'chart');
    if (chart?.kind !== 'chart') throw new Error('fixture');
    chart.png = PNG;
    const { xml, files } = await wordXml(doc);
    expect(Object.keys(files).some((f) => /^word\/media\/.+\.png$/.test(f))).toBe(true);
    expect(xml).toContain('<pic:pic');
    expect(paragraphsOf(xml).find((p) => p.style === 'Caption' && p.text.startsWith('Figure'))?.text).toBe('Figure 1. Career by role');
  });

  it('writes a chart without a PNG as its numbers, and says so', async () => {
    const doc = fixture();
    const chart = doc.sections[1].blocks.find((b) => b.kind === 'chart');
    if (chart?.kind !== 'chart') throw new Error('fixture');
    chart.data = { header: [[{ text: 'Code' }, { text: 'Mentee' }]], rows: [{ cells: ['Career', '50%'] }] };
    const { xml, files } = await wordXml(doc);
    expect(Object.keys(files).some((f) => f.startsWith('word/media/'))).toBe(false);
    expect(paragraphsOf(xml).map((p) => p.text)).toContain('The chart could not be drawn into this file; these are its numbers.');
    expect(cellTexts(xml).slice(-4)).toEqual(['Code', 'Mentee', 'Career', '50%']);
  });

  it('drops characters XML cannot hold instead of writing a file Word refuses', async () => {
    const doc = fixture({ title: 'Bad\u0001title\u000B' });
    const { xml } = await wordXml(doc);
    expect(xml).toContain('>Badtitle<');
    expect(xml).not.toMatch(/[\u0001\u000B]/);
  });
});
