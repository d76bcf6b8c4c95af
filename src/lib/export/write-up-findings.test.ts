import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { DocBlock, QuoteBlock, TableBlock } from './document';
import { documentDocx } from './document-docx';
import { documentHtml } from './document-html';
import { documentMarkdown } from './document-markdown';
import { writeUpData, writeUpSource } from './write-up-fixture';
import { prevalenceText, shareText, writeUpFindings } from './write-up-findings';
import { buildWriteUpReport, DEFAULT_REPORT_SETTINGS, reportDimensions, type ReportSettings, type WriteUpSource } from './write-up-report';

const ROLE_BY_WAVE: ReportSettings = { ...DEFAULT_REPORT_SETTINGS, dimensions: [{ kind: 'attribute', name: 'role' }, { kind: 'wave' }] };

const tables = (blocks: DocBlock[]) => blocks.filter((b): b is TableBlock => b.kind === 'table');
const quotes = (blocks: DocBlock[]) => blocks.filter((b): b is QuoteBlock => b.kind === 'quote');

describe('findings', () => {
  const { findings, appendix } = writeUpFindings(writeUpSource(), ROLE_BY_WAVE);

  it('writes "8 of 16 respondents, 50% (28–72%)" cells: numerator, denominator and unit, share and Wilson interval', () => {
    expect(prevalenceText({ count: 8, base: 16, share: 0.5, low: 0.28, high: 0.72, weighted: null })).toBe('8 of 16, 50% (28–72%)');
    expect(prevalenceText({ count: 8, base: 16, share: 0.5, low: 0.28, high: 0.72, weighted: null }, 'respondents')).toBe('8 of 16 respondents, 50% (28–72%)');
    expect(prevalenceText({ count: 1, base: 1, share: 1, low: 0.21, high: 1, weighted: null }, 'answers')).toBe('1 of 1 answer, 100% (21–100%)');
    expect(prevalenceText({ count: 0, base: 0, share: null, low: null, high: null, weighted: null }, 'answers')).toBe('0 of 0 answers');
  });

  it('never rounds a share to 100% unless everyone counts, nor to 0% unless no one does', () => {
    expect(prevalenceText({ count: 999, base: 1000, share: 0.999, low: 0.99, high: 1, weighted: null }, 'respondents')).toMatch(
      /^999 of 1000 respondents, >99% /,
    );
    expect(prevalenceText({ count: 1, base: 4000, share: 1 / 4000, low: 0, high: 0.001, weighted: null }, 'respondents')).toMatch(
      /^1 of 4000 respondents, <0\.1% /,
    );
    expect(shareText(1, 5, 5)).toBe('100%');
    expect(shareText(0, 0, 5)).toBe('0%');
    expect(shareText(0.5, 1, 2)).toBe('50%');
  });

  it('gives each theme a table by role × wave over those who answered in that wave, with Newcombe differences', () => {
    const t = tables(findings).find((b) => b.caption === 'Relationship by role and wave')!;
    expect(t.header).toEqual([
      [{ text: '' }, { text: 'Mentee', span: 2 }, { text: 'Mentor', span: 2 }, { text: '' }, { text: '' }, { text: '' }],
      [
        { text: 'Theme and codes' },
        { text: 'Baseline' },
        { text: '6 months' },
        { text: 'Baseline' },
        { text: '6 months' },
        { text: 'All respondents' },
        { text: 'Difference, Mentee: 6 months − Baseline' },
        { text: 'Difference, Mentor: 6 months − Baseline' },
      ],
    ]);
    // Alice coded Support for mentees m1 and m2 and mentor t1 at baseline; 3 of the 4 mentees answered at 6 months.
    expect(t.rows[0].cells.slice(0, 6)).toEqual([
      'Relationship',
      '2 of 4 respondents, 50% (15–85%)',
      '0 of 3 respondents, 0% (0–56%)',
      '1 of 4 respondents, 25% (4.6–70%)',
      '0 of 4 respondents, 0% (0–49%)',
      '3 of 8 respondents, 38% (14–69%)',
    ]);
    expect(t.rows[0].cells[6]).toMatch(/^−50 points \(−\d+ to \+\d+\)$/);
    expect(t.notes?.[0]).toContain("Wilson's score method");
    expect(t.notes?.[0]).toContain('Newcombe');
  });

  it('charts each theme with error bars and keeps its numbers for a format without pictures', () => {
    const chart = findings.find((b) => b.kind === 'chart' && b.title === 'Relationship by role and wave');
    if (chart?.kind !== 'chart') throw new Error('no chart');
    expect(chart.svg).toContain('<svg');
    expect(chart.svg).toContain('95% confidence interval (Wilson)');
    expect(chart.data?.header[0].map((c) => c.text)).toEqual(['', 'Mentee · Baseline', 'Mentee · 6 months', 'Mentor · Baseline', 'Mentor · 6 months']);
  });

  it('quotes the coding set’s exemplars per theme, coded passage only, attributed, in answer order', () => {
    expect(quotes(findings)).toEqual([
      { kind: 'quote', text: 'My mentor listened & helped <a lot>.', attribution: 'Mentee m1, Baseline' },
      { kind: 'quote', text: 'ساعدني مرشدي كثيرا', attribution: 'Mentee m2, Baseline' },
      { kind: 'quote', text: 'She pushed me to apply for the promotion 🎉', attribution: 'Mentee m1, 6 months' },
    ]);
  });

  it('publishes quotes through the project’s publisher when it has one: its text, its attribution, the span in code points', () => {
    const asked: unknown[] = [];
    const source = writeUpSource({
      quoteRule: 'Each quote is attributed to a pseudonym.',
      publish: (q) => {
        asked.push([q.answerId.split('\u001f').join('/'), q.start, q.end]);
        return { text: `[name] said: ${q.answerText.slice(0, 5)}`, attribution: `Pseudonym, ${q.waveId}` };
      },
    });
    const { findings: published } = writeUpFindings(source, ROLE_BY_WAVE);
    expect(asked).toEqual([
      ['Q1/base/m1', null, null],
      ['Q1/base/m2', null, null],
      ['Q1/m6/m1', 0, 42],
    ]);
    expect(quotes(published)[0]).toEqual({ kind: 'quote', text: '[name] said: My me', attribution: 'Pseudonym, base' });
    expect(JSON.stringify(published)).toContain('Each quote is attributed to a pseudonym.');
  });

  it('takes exemplars from the chosen coder only, and as many as asked', () => {
    const bob = writeUpFindings(writeUpSource({ coders: { kind: 'coder', coderId: 'bob' } }), ROLE_BY_WAVE);
    expect(quotes(bob.findings)).toEqual([]);
    const one = writeUpFindings(writeUpSource(), { ...ROLE_BY_WAVE, quotesPerTheme: 1 });
    expect(quotes(one.findings).map((q) => q.attribution)).toEqual(['Mentee m1, Baseline', 'Mentee m1, 6 months']);
  });

  it('reports top-level codes with their subcodes when there are no themes', () => {
    const data = { ...writeUpData(), themes: [] };
    const { findings: byCode } = writeUpFindings(writeUpSource({ data }), ROLE_BY_WAVE);
    expect(byCode.filter((b) => b.kind === 'heading').map((b) => (b.kind === 'heading' ? b.text : ''))).toEqual([
      'Rewards',
      'Support',
      'Unused',
      'Pairs (pair)',
      'Change from Baseline to 6 months',
    ]);
    const rewards = tables(byCode).find((t) => t.caption === 'Rewards by role and wave')!;
    expect(rewards.rows.map((r) => r.cells[0])).toEqual(['Rewards', 'Rewards › Career']);
  });

  it('counts pairs where all, some or none mentioned each theme, and by role, over pairs who both answered', () => {
    const t = tables(findings).find((b) => b.caption === 'Who in each pair mentioned it')!;
    expect(t.header[0].map((c) => c.text)).toEqual([
      '',
      'pair groups',
      'All members',
      'Some',
      'None',
      'Both roles',
      'Only Mentee',
      'Only Mentor',
      'Neither',
      'Agree',
    ]);
    // Support: pair 1 both (m1, t1), pair 2 the mentee only (m2), pairs 3 and 4 neither.
    expect(t.rows[0].cells).toEqual(['Relationship', 4, '1 (25%)', '1 (25%)', '2 (50%)', '1 (25%)', '1 (25%)', '0 (0%)', '2 (50%)', '3 (75%)']);
  });

  it('splits pairs by the write-up’s role attribute, never by the first report dimension, and leaves the role columns out without one', () => {
    const byPair: ReportSettings = { ...DEFAULT_REPORT_SETTINGS, dimensions: [{ kind: 'attribute', name: 'pair' }] };
    const pairsOf = (source: WriteUpSource) => tables(writeUpFindings(source, byPair).findings).find((b) => b.caption === 'Who in each pair mentioned it')!;
    // No role chosen yet: "role" is the likely one (two values, named so), whatever the columns are split by.
    expect(pairsOf(writeUpSource()).header[0].map((c) => c.text)).toContain('Only Mentee');
    expect(pairsOf(writeUpSource({ roleAttribute: 'role' })).notes?.[0]).toContain('By role (role)');
    // The author chose none, or the pair attribute itself: no role columns.
    expect(pairsOf(writeUpSource({ roleAttribute: null })).header[0]).toHaveLength(5);
    expect(pairsOf(writeUpSource({ roleAttribute: 'pair' })).header[0]).toHaveLength(5);
    expect(pairsOf(writeUpSource({ roleAttribute: 'gone' })).header[0]).toHaveLength(5);
  });

  it('follows the same respondents from the first to the last wave, by role', () => {
    const t = tables(findings).find((b) => b.caption === 'Change from Baseline to 6 months, by role')!;
    expect(t.header[0].map((c) => c.text)).toEqual(['', 'All respondents', 'Mentee', 'Mentor']);
    // Support at baseline only (m1, m2, t1); m4 did not answer at 6 months.
    expect(t.rows[0].cells).toEqual([
      'Relationship',
      'kept 0, gained 0, lost 3, never 4 (of 7)',
      'kept 0, gained 0, lost 2, never 1 (of 3)',
      'kept 0, gained 0, lost 1, never 3 (of 4)',
    ]);
  });

  it('drops a column attribute no longer in the project, and a dimension that would make too many columns, saying so', () => {
    const gone: ReportSettings = { ...ROLE_BY_WAVE, dimensions: [{ kind: 'attribute', name: 'cohort' }, { kind: 'wave' }] };
    const { findings: f } = writeUpFindings(writeUpSource(), gone);
    expect(JSON.stringify(f)).toContain('The attribute “cohort” chosen for the columns is no longer in the project, so the tables are not split by it.');
    expect(tables(f)[0].caption).toBe('Relationship by wave');
    expect(reportDimensions(writeUpSource(), gone).dimensions).toEqual([{ kind: 'wave' }]);
    // 600 respondents, each their own "id" value: 600 columns, more than the Prevalence tab allows.
    const data = writeUpData();
    const many = {
      ...data,
      attributes: [...data.attributes, { name: 'id', order: 2, values: [] }],
      respondents: [...data.respondents, ...Array.from({ length: 600 }, (_, i) => ({ id: `x${i}`, attributes: { id: `x${i}` }, waves: ['base'] }))],
      answers: [...data.answers, ...Array.from({ length: 600 }, (_, i) => ({ ...data.answers[0], id: `extra${i}`, respondentId: `x${i}` }))],
    };
    const wide = reportDimensions(writeUpSource({ data: many }), { dimensions: [{ kind: 'attribute', name: 'id' }, { kind: 'wave' }] });
    expect(wide.dimensions).toEqual([{ kind: 'wave' }]);
    expect(wide.dropped[0]).toMatch(/^The tables are not split by “id”: its 60\d values would make more than 500 columns\.$/);
  });

  it('compares only waves with answers in scope, and says why when fewer than two have any', () => {
    const whole = writeUpData();
    const baselineOnly = { ...whole, answers: whole.answers.filter((a) => a.waveId === 'base') };
    const { findings: one } = writeUpFindings(writeUpSource({ data: baselineOnly }), ROLE_BY_WAVE);
    expect(tables(one).some((t) => t.caption.startsWith('Change'))).toBe(false);
    expect(JSON.stringify(one)).toContain('Change between waves is not shown: the answers in scope all come from one wave (Baseline)');
  });

  it('lists every code coded in scope in the appendix, by path, and counts the others', () => {
    const t = tables(appendix)[0];
    expect(t.rows.map((r) => r.cells[0])).toEqual(['Rewards › Career', 'Support']);
    expect(t.notes?.[0]).toContain('2 codes or themes coded nowhere in scope are not shown.');
  });

  it('counts answers when asked, and a single dimension has one header row', () => {
    const { findings: byWave } = writeUpFindings(writeUpSource(), { ...DEFAULT_REPORT_SETTINGS, unit: 'answers', dimensions: [{ kind: 'wave' }] });
    const t = tables(byWave)[0];
    expect(t.header).toHaveLength(1);
    expect(t.header[0].map((c) => c.text)).toEqual(['Theme and codes', 'Baseline', '6 months', 'All answers', 'Difference: 6 months − Baseline']);
    // 10 answers at baseline (8 to Support, 2 to Career), 7 at 6 months.
    expect(t.rows[0].cells.slice(1, 3)).toEqual([expect.stringMatching(/^3 of 10 answers, /), expect.stringMatching(/^0 of 7 answers, /)]);
  });
});

describe('the whole report', () => {
  const doc = buildWriteUpReport(writeUpSource(), ROLE_BY_WAVE, writeUpFindings);

  it('has the chosen sections in order, and leaves out the rest', () => {
    expect(doc.sections.map((s) => s.title)).toEqual(['Data', 'Codebook', 'Coding process', 'Findings', 'Appendix: prevalence of every code']);
    const fewer = buildWriteUpReport(writeUpSource(), { ...ROLE_BY_WAVE, sections: ['findings', 'process'] }, writeUpFindings);
    expect(fewer.sections.map((s) => s.id)).toEqual(['process', 'findings']);
    expect(doc.meta).toEqual(['Project: AIMMS sample', 'Generated: 2026-02-01', 'Coding set: Alice', 'Filter: none (every question, wave and respondent)']);
  });

  it('renders as Markdown and HTML with the prevalence cells and the attributed quotes', () => {
    const md = documentMarkdown(doc);
    expect(md).toContain('| Theme and codes | Mentee · Baseline | Mentee · 6 months | Mentor · Baseline | Mentor · 6 months | All respondents |');
    expect(md).toContain('| Relationship | 2 of 4 respondents, 50% (15–85%) |');
    expect(md).toContain('> — Mentee m1, 6 months');
    const html = documentHtml(doc);
    expect(html).toContain('<td class="num" dir="auto">2 of 4 respondents, 50% (15–85%)</td>');
    expect(html).toContain('<cite dir="auto">Mentee m1, 6 months</cite>');
    expect(html).not.toMatch(/<script|https?:/i);
  });

  it('reads back from the .docx: a prevalence cell, α, and a quote with its attribution', async () => {
    const xml = strFromU8(unzipSync(await documentDocx(doc))['word/document.xml']);
    const cells = [...xml.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((m) => [...m[1].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));
    expect(cells).toContain('2 of 4 respondents, 50% (15–85%)');
    expect(cells).toContain('0.53');
    expect(xml).toContain('She pushed me to apply for the promotion 🎉');
    expect(xml).toContain('— Mentee m1, 6 months');
    expect(xml).toContain('My mentor listened &amp; helped &lt;a lot&gt;.');
  });
});
