import { describe, expect, it } from 'vitest';
import { groupedBarChartSvg, heatmapSvg } from './charts';
import { coOccurrence, countsByGroup } from './counts';
import { formatShare, inlineSvg, reportHtml, reportMarkdown, UnsafeChartError } from './report';
import { buildReportModel, defaultAttribution, type ReportModel } from './report-model';
import { sampleSource } from './test-data';

const GENERATED = new Date('2025-03-02T10:00:00Z');

function model(): ReportModel {
  const source = sampleSource();
  const table = countsByGroup(source, { attribute: 'role' });
  const co = coOccurrence(source, ['rewards', 'barriers-time']);
  return buildReportModel(source, {
    generatedAt: GENERATED,
    groupBy: [{ attribute: 'role' }],
    attributionAttribute: 'role',
    introduction: 'Answers & themes from the <pilot>.\nSee https://example.org for more.',
    charts: [
      {
        title: 'Codes by role',
        caption: 'Answers coded <by> role & wave',
        svg: groupedBarChartSvg({
          title: table.title,
          categories: table.rows.map((r) => r.label),
          series: table.groups.map((g, i) => ({ name: g, values: table.rows.map((r) => r.cells[i].numerator) })),
        }),
      },
      { title: 'Co-occurrence', svg: heatmapSvg({ title: 'Co-occurrence', ...co }) },
    ],
  });
}

describe('report model', () => {
  it('gathers themes with their codes, counts and exemplar quotes', () => {
    const m = model();
    expect(m.projectName).toBe('AIMMS <pilot> & co');
    expect(m.themes.map((t) => t.name)).toEqual(['Growth <b>', 'Obstacles']);
    const [growth, obstacles] = m.themes;
    expect(growth.codes).toEqual(['Rewards (with subcodes)']);
    expect(growth.answers).toEqual({ numerator: 3, denominator: 5 });
    expect(growth.quotes).toEqual([
      { text: 'Meeting my mentor', attribution: 'Mentee R1, Baseline' },
      { text: '🧪🔬', attribution: 'Mentee R1, 6 months' },
    ]);
    expect(obstacles.quotes).toEqual([{ text: 'Too little time, "really".', attribution: 'Mentor R2, Baseline' }]);
    expect(m.codebook.map((r) => [r.path, r.count?.answers])).toEqual([
      ['Rewards', 1],
      ['Rewards › Career', 1],
      ['Rewards › Mentor <script>alert(1)</script>', 1],
      ['Barriers', 0],
      ['Barriers › Time', 1],
    ]);
    expect(m.tables).toHaveLength(1);
    expect(m.basis).toContain('all coders');
  });

  it("quotes only the chosen coder's exemplars, at most as many as asked, with a custom attribution", () => {
    const m = buildReportModel(sampleSource(), {
      generatedAt: GENERATED,
      coder: { coderId: 'alice' },
      maxQuotesPerTheme: 1,
      attribution: (q) => `${q.respondentId} (${q.questionLabel}, ${q.waveName})`,
    });
    expect(m.themes[0].quotes).toEqual([{ text: 'Meeting my mentor', attribution: 'R1 (Rewards, Baseline)' }]);
    expect(m.basis).toContain('the codings of Alice');
  });

  it('attributes "Mentee 7, 6 months"-style, falling back to "Respondent"', () => {
    const q = { respondentId: '7', attributes: { role: 'mentee' }, waveName: '6 months', questionLabel: 'Q' };
    expect(defaultAttribution(q, 'role')).toBe('Mentee 7, 6 months');
    expect(defaultAttribution(q)).toBe('Respondent 7, 6 months');
    expect(formatShare({ numerator: 1, denominator: 3 })).toBe('1 / 3 (33%)');
    expect(formatShare({ numerator: 0, denominator: 0 })).toBe('0 / 0');
  });
});

describe('Markdown report', () => {
  it('has a title, date, contents, themes with quotes, counts, charts and the codebook', () => {
    const md = reportMarkdown(model());
    expect(md.startsWith('# AIMMS \\<pilot> \\& co: coding report\n\nProject: AIMMS \\<pilot> \\& co  \nGenerated: 2025-03-02\n')).toBe(true);
    expect(md).toContain('## Contents\n\n- [Themes](#themes)\n- [Counts](#counts)\n- [Charts](#charts)\n- [Codebook](#codebook)');
    expect(md).toContain('### Growth \\<b>\n\nPersonal \\& professional development.\n\nCodes: Rewards (with subcodes)  \nAnswers: 3 / 5 (60%)');
    expect(md).toContain('> Meeting my mentor\n>\n> — Mentee R1, Baseline');
    expect(md).toContain('| Code | mentee | mentor | (no value) |');
    expect(md).toContain('| Rewards › Career | 1 / 3 (33%) | 0 / 1 (0%) | 0 / 1 (0%) |');
    expect(md).toContain('### Codes by role\n\nAnswers coded \\<by> role \\& wave\n\n*This chart is drawn in the HTML version of the report.*');
    expect(md).toContain('## Codebook\n\n| Code | Definition |');
    // Every "<" from user text is backslash-escaped, so no raw HTML reaches a Markdown renderer.
    expect(md).not.toMatch(/(^|[^\\])<(?!br>)/m);
  });
});

describe('HTML report', () => {
  const html = () => reportHtml(model());

  it('is one self-contained page: no scripts, no external references of any kind', () => {
    const page = html();
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/https?:/i);
    expect(page).not.toContain('//');
    expect(page).not.toMatch(/<link|<img|<iframe|@import|url\((?!#)|src=/i);
    expect(page).not.toMatch(/href="(?!#)/);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  });

  it('escapes all user text, and reads back as the text itself', () => {
    const page = html();
    expect(page).toContain('<title>AIMMS &lt;pilot&gt; &amp; co: coding report</title>');
    expect(page).toContain('Mentor &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('Growth &lt;b&gt;');
    const doc = new DOMParser().parseFromString(page, 'text/html');
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelector('h1')?.textContent).toBe('AIMMS <pilot> & co: coding report');
    expect(doc.querySelector('#theme-1 h3')?.textContent).toBe('Growth <b>');
    expect(doc.querySelector('header p:not(.meta)')?.textContent).toBe('Answers & themes from the <pilot>.See https://example.org for more.');
    const codebookNames = [...doc.querySelectorAll('table.codebook tbody th')].map((th) => th.textContent);
    expect(codebookNames).toEqual(['Rewards', 'Career', 'Mentor <script>alert(1)</script>', 'Barriers', 'Time']);
  });

  it('has the date, a table of contents, quotes with attributions, tables, inline charts and the codebook appendix', () => {
    const doc = new DOMParser().parseFromString(html(), 'text/html');
    expect(doc.querySelector('time')?.getAttribute('datetime')).toBe('2025-03-02');
    const toc = [...doc.querySelectorAll('nav > ol > li > a')].map((a) => [a.getAttribute('href'), a.textContent]);
    expect(toc).toEqual([
      ['#themes', 'Themes'],
      ['#counts', 'Counts'],
      ['#charts', 'Charts'],
      ['#codebook', 'Codebook'],
    ]);
    for (const a of doc.querySelectorAll('nav a')) expect(doc.getElementById(a.getAttribute('href')!.slice(1))).not.toBeNull();
    const quotes = [...doc.querySelectorAll('#theme-1 figure.quote')].map((f) => [
      f.querySelector('blockquote')?.textContent,
      f.querySelector('figcaption')?.textContent,
    ]);
    expect(quotes).toEqual([
      ['Meeting my mentor', '— Mentee R1, Baseline'],
      ['🧪🔬', '— Mentee R1, 6 months'],
    ]);
    expect(doc.querySelector('#table-1 caption')?.textContent).toBe('Answers coded, by role');
    expect(doc.querySelector('#table-1 tbody tr td')?.textContent).toBe('0 / 3 (0%)');
    const charts = doc.querySelectorAll('figure.chart svg');
    expect(charts).toHaveLength(2);
    expect(charts[0].querySelectorAll('rect.bar')).toHaveLength(15);
    expect(charts[0].getAttribute('role')).toBe('img');
    expect(doc.querySelector('#chart-1 figcaption')?.textContent).toBe('Codes by role. Answers coded <by> role & wave');
    expect(doc.querySelectorAll('table.codebook tbody tr')).toHaveLength(5);
    expect(doc.querySelector('table.codebook tbody tr:nth-child(3) th')?.className).toBe('depth-1');
  });

  it('prints well: page breaks before sections and no fixed heights', () => {
    const page = html();
    const css = page.slice(page.indexOf('<style>'), page.indexOf('</style>'));
    expect(css).toContain('@media print');
    expect(css).toMatch(/main > section \{ break-before: page;/);
    expect(css).not.toMatch(/(^|[^-])height\s*:(?!\s*auto)/m);
    expect(page).not.toMatch(/style="/);
  });

  it('leaves out empty sections, but always has the codebook', () => {
    const empty = reportHtml({ projectName: 'P', generatedAt: GENERATED, themes: [], tables: [], charts: [], codebook: [] });
    const doc = new DOMParser().parseFromString(empty, 'text/html');
    expect([...doc.querySelectorAll('main > section')].map((s) => s.id)).toEqual(['codebook']);
    expect(reportMarkdown({ projectName: 'P', generatedAt: GENERATED, themes: [], tables: [], charts: [], codebook: [] })).toContain(
      '## Codebook\n\nNo codes.',
    );
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
    const m = { ...model(), charts: [{ title: 'Bad', svg: bad[0] }] };
    expect(() => reportHtml(m)).toThrow('The chart "Bad" cannot go into the report: it contains a script.');
  });

  it('inlines a chart without its namespace URL, and defuses URLs in its text', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>see https://x.example</text><rect fill="url(#p)"/></svg>';
    expect(inlineSvg({ title: 'Ok', svg })).toBe('<svg width="10" height="10"><text>see https&#58;/&#47;x.example</text><rect fill="url(#p)"/></svg>');
  });
});
