/**
 * The report's Findings and Appendix (see write-up-report.ts).
 *
 * Findings, per theme (or per top-level code when the project has no themes):
 * its description and codes, a prevalence table by the chosen dimensions
 * (the theme first, then each of its codes) with Wilson intervals and, where
 * the inner dimension has two groups, Newcombe differences; a grouped bar
 * chart with error bars; and up to `quotesPerTheme` exemplar quotes of the
 * coding set, attributed ("Mentee 7, 6 months").
 *
 * Appendix: one prevalence table of every code on its own, in tree order;
 * codes coded nowhere in scope are left out and counted in the note.
 *
 * All counting is `prevalenceTable` over the analysis index (one pass over a
 * target's codings); only the quotes read answer texts.
 */
import { codePath } from '../codebook/code-path';
import type { CoderSelection } from '../analysis/coder-selection';
import { methodNote, prevalenceTable, type PrevalenceCell, type PrevalenceTable } from '../analysis/prevalence-table';
import { CodedCache } from '../analysis/coded';
import { codeTargets, targetCodeIds, targetName, themeTargets, type Target } from '../analysis/targets';
import { pairConcordance } from '../analysis/dyads';
import { defaultRoleAttribute } from '../analysis/publishing';
import { waveTransitions, type TransitionCounts } from '../analysis/transitions';
import { codeTree } from '../codebook/code-tree';
import { CONSENSUS_CODER_ID, FINAL_CODER_ID } from '../model/types';
import { answerParts } from '../coding/coding-pages';
import { groupedBarChartSvg } from './charts';
import { heading, paragraph, type ChartBlock, type DocBlock, type DocHeaderCell, type DocRow, type QuoteBlock, type TableBlock } from './document';
import { codedText } from './quote-text';
import { answerTextsOf, reportDimensions, type ReportDimension, type ReportSettings, type WriteUpSource } from './write-up-report';

/** Most rows a findings chart draws, to stay readable. */
const CHART_ROWS = 12;

/** "50" or "4.5" below 10; "–" when undefined. */
function points(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const p = value * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1).replace(/\.0$/, '') : Math.round(p)}`;
}

const percent = (value: number | null) => `${points(value)}%`;

/**
 * A share that never reads as all or none unless it is: "100%" only when every one counts, "0%" only when
 * none does; otherwise ">99%" and "<0.1%" where rounding would say more than the count.
 */
export function shareText(share: number | null, count: number, base: number): string {
  const text = percent(share);
  if (count > 0 && count < base) {
    if (text === '100%') return '>99%';
    if (text === '0%') return '<0.1%';
  }
  return text;
}

/**
 * "8 of 16 respondents, 50% (28–72%)": numerator and denominator always, with the unit counted when given (the
 * column header names the group), the interval when there is one.
 */
export function prevalenceText(cell: PrevalenceCell, unit?: ReportSettings['unit']): string {
  const noun =
    unit === undefined ? '' : ` ${unit === 'respondents' ? (cell.base === 1 ? 'respondent' : 'respondents') : cell.base === 1 ? 'answer' : 'answers'}`;
  if (cell.base === 0 || cell.share === null) return `${cell.count} of ${cell.base}${noun}`;
  const interval = cell.low !== null && cell.high !== null ? ` (${points(cell.low)}–${percent(cell.high)})` : '';
  const weighted = cell.weighted ? `; weighted ${shareText(cell.weighted.estimate, cell.count, cell.base)}` : '';
  return `${cell.count} of ${cell.base}${noun}, ${shareText(cell.share, cell.count, cell.base)}${interval}${weighted}`;
}

/** "+12 points (−5 to 28)" */
function differenceText(d: { estimate: number; low: number; high: number } | null): string {
  if (!d || !Number.isFinite(d.estimate)) return '–';
  const pts = (v: number) => {
    const r = Math.round(v * 100);
    return r > 0 ? `+${r}` : r < 0 ? `−${-r}` : '0';
  };
  return `${pts(d.estimate)} points (${pts(d.low)} to ${pts(d.high)})`;
}

/** A dimension value as a column shows it: attribute values as they are, waves and questions by name. */
function valueLabel(source: WriteUpSource, dimension: ReportDimension, value: string): string {
  if (dimension.kind === 'wave') return source.data.waves.find((w) => w.id === value)?.name ?? value;
  if (dimension.kind === 'question') {
    const q = source.data.questions.find((x) => x.id === value);
    return q ? q.label.trim() || q.key : value;
  }
  return value === '' ? '(no value)' : value;
}

function totalLabel(unit: ReportSettings['unit']): string {
  return unit === 'respondents' ? 'All respondents' : 'All answers';
}

/** The header rows of a prevalence table: one per dimension, spans over the inner groups; the label column and the total. */
function headerOf(source: WriteUpSource, table: PrevalenceTable, settings: ReportSettings, first: string, differences: string[]): DocHeaderCell[][] {
  const dims = settings.dimensions.slice(0, table.dimensions.length);
  if (dims.length < 2) {
    return [
      [
        { text: first },
        ...table.columns.map((c) => ({ text: dims[0] ? valueLabel(source, dims[0], c.values[0]) : '' })),
        { text: totalLabel(settings.unit) },
        ...differences.map((text) => ({ text })),
      ],
    ];
  }
  const top: DocHeaderCell[] = [{ text: '' }];
  for (const column of table.columns) {
    const label = valueLabel(source, dims[0], column.values[0]);
    const last = top[top.length - 1];
    if (top.length > 1 && last.text === label) last.span = (last.span ?? 1) + 1;
    else top.push({ text: label });
  }
  top.push({ text: '' });
  top.push(...differences.map(() => ({ text: '' })));
  const bottom: DocHeaderCell[] = [
    { text: first },
    ...table.columns.map((c) => ({ text: valueLabel(source, dims[1], c.values[1]) })),
    { text: totalLabel(settings.unit) },
    ...differences.map((text) => ({ text })),
  ];
  return [top, bottom];
}

/** "Difference, Mentee: 6 months − Baseline" for each comparison the table makes. */
function differenceLabels(source: WriteUpSource, table: PrevalenceTable, settings: ReportSettings): string[] {
  const dims = settings.dimensions.slice(0, table.dimensions.length);
  return table.comparisons.map(({ a, b }) => {
    const inner = dims[dims.length - 1];
    const ca = table.columns[a];
    const cb = table.columns[b];
    const what = `${valueLabel(source, inner, cb.values[cb.values.length - 1])} − ${valueLabel(source, inner, ca.values[ca.values.length - 1])}`;
    return dims.length === 2 ? `Difference, ${valueLabel(source, dims[0], ca.values[0])}: ${what}` : `Difference: ${what}`;
  });
}

function tableBlock(
  source: WriteUpSource,
  table: PrevalenceTable,
  settings: ReportSettings,
  caption: string,
  first: string,
  label: (t: Target, fallback: string) => string,
): TableBlock {
  const differences = differenceLabels(source, table, settings);
  const rows: DocRow[] = table.rows.map((row) => ({
    cells: [
      label(row.target, row.label),
      ...row.cells.map((c) => prevalenceText(c, settings.unit)),
      prevalenceText(row.total, settings.unit),
      ...row.differences.map(differenceText),
    ],
  }));
  const columns = 1 + table.columns.length + 1 + differences.length;
  return {
    kind: 'table',
    caption,
    header: headerOf(source, table, settings, first, differences),
    rows,
    align: Array.from({ length: columns }, (_, i) => (i === 0 ? 'left' : 'right')),
    notes: [methodNote(table)],
  };
}

/** Column names for a chart's series and its data table: "Mentee · Baseline". */
function columnNames(source: WriteUpSource, table: PrevalenceTable, settings: ReportSettings): string[] {
  const dims = settings.dimensions.slice(0, table.dimensions.length);
  return table.columns.map((c) => c.values.map((v, i) => valueLabel(source, dims[i], v)).join(' · '));
}

function chartBlock(
  source: WriteUpSource,
  table: PrevalenceTable,
  settings: ReportSettings,
  title: string,
  label: (t: Target, fallback: string) => string,
): ChartBlock | null {
  const rows = table.rows.slice(0, CHART_ROWS);
  if (rows.length === 0) return null;
  const useTotal = table.columns.length === 0;
  const names = useTotal ? [totalLabel(settings.unit)] : columnNames(source, table, settings);
  const cellsOf = (row: (typeof rows)[number]) => (useTotal ? [row.total] : row.cells);
  const svg = groupedBarChartSvg({
    title,
    categories: rows.map((r) => label(r.target, r.label)),
    series: names.map((name, k) => ({
      name,
      values: rows.map((r) => (cellsOf(r)[k].share ?? 0) * 100),
      intervals: rows.map((r) => {
        const cell = cellsOf(r)[k];
        return cell.low !== null && cell.high !== null ? ([cell.low * 100, cell.high * 100] as const) : null;
      }),
    })),
    format: 'percent',
    axisLabel: settings.unit === 'respondents' ? '% of respondents who answered' : '% of answers',
    intervalLabel: '95% confidence interval (Wilson)',
  });
  const size = /<svg\b[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  return {
    kind: 'chart',
    title,
    svg,
    width: size ? Number(size[1]) : 720,
    height: size ? Number(size[2]) : 480,
    caption: `Bars: share of ${settings.unit === 'respondents' ? 'respondents who answered' : 'answers'} in each group; error bars: 95% confidence intervals (Wilson).`,
    data: {
      header: [[{ text: '' }, ...names.map((text) => ({ text }))]],
      rows: rows.map((r) => ({ cells: [label(r.target, r.label), ...cellsOf(r).map((c) => prevalenceText(c, settings.unit))] })),
    },
  };
}

/** Whose exemplar marks count: the coding set's (Final, consensus, one coder, or any coder but those two). */
function keepCoder(coders: CoderSelection): (coderId: string) => boolean {
  if (coders.kind === 'coder') return (id) => id === coders.coderId;
  if (coders.kind === 'consensus') return (id) => id === CONSENSUS_CODER_ID;
  if (coders.kind === 'final') return (id) => id === FINAL_CODER_ID;
  const listed = coders.coderIds ? new Set(coders.coderIds) : null;
  return (id) => (listed ? listed.has(id) : id !== CONSENSUS_CODER_ID && id !== FINAL_CODER_ID);
}

interface QuotePick {
  answerId: string;
  start: number | null;
  end: number | null;
  position: number;
}

/**
 * Every answer whose text the report may read: those marked as exemplars in the coding set, and the double-coding
 * rounds' (processSection's agreement). More than it quotes, few beside the project's answers: the analysis worker
 * reads these texts alone ahead (WriteUpSource.answerTexts).
 */
export function reportAnswerIds(source: WriteUpSource): Set<string> {
  const keep = keepCoder(source.coders);
  const ids = new Set<string>();
  for (const c of source.codings) if (c.exemplar === true && keep(c.coderId)) ids.add(c.answerId);
  for (const round of (source.processData ?? source.data).rounds ?? []) if (round.coderIds.length >= 2) for (const id of round.answerIds) ids.add(id);
  return ids;
}

/** Up to `limit` exemplar passages per target, in answer order, one per passage however many coders marked it. */
function exemplars(source: WriteUpSource, targets: readonly Target[], limit: number): Map<Target, QuotePick[]> {
  const { index } = source;
  const keep = keepCoder(source.coders);
  const out = new Map<Target, QuotePick[]>();
  if (limit <= 0) return out;
  const marked = source.codings.filter((c) => c.exemplar === true && keep(c.coderId));
  for (const target of targets) {
    const codes = new Set(targetCodeIds(index, target));
    const seen = new Set<string>();
    const picks: QuotePick[] = [];
    for (const c of marked) {
      if (!codes.has(c.codeId)) continue;
      const position = index.answerPosition(c.answerId);
      if (position === undefined) continue;
      const key = `${c.answerId}\u0000${c.start}\u0000${c.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      picks.push({ answerId: c.answerId, start: c.start, end: c.end, position });
    }
    picks.sort((a, b) => a.position - b.position || (a.start ?? -1) - (b.start ?? -1));
    out.set(target, picks.slice(0, limit));
  }
  return out;
}

function quoteBlocks(
  source: WriteUpSource,
  picks: readonly QuotePick[],
  texts: ReadonlyMap<string, { text: string; respondentId: string; waveId: string; questionId: string }>,
): QuoteBlock[] {
  return picks.flatMap((p) => {
    const answer = texts.get(p.answerId);
    if (!answer) return [];
    if (source.publish) {
      const published = source.publish({ ...answer, answerId: p.answerId, answerText: answer.text, start: p.start, end: p.end });
      return published.text.trim() ? [{ kind: 'quote' as const, text: published.text.trim(), attribution: published.attribution }] : [];
    }
    const text = codedText(answer.text, p).trim();
    return text ? [{ kind: 'quote' as const, text, attribution: source.attribution(answer) }] : [];
  });
}

/** "3 (25%)" of a whole; the share left out when the whole is 0. */
function countOf(n: number, of: number): string {
  return of > 0 ? `${n} (${percent(n / of)})` : String(n);
}

/** The attribute that groups respondents into pairs: one named "pair" or "dyad" (any case), or none. */
function pairAttributeOf(source: WriteUpSource): string | null {
  return source.data.attributes.find((a) => /^(pair|dyad)s?$/i.test(a.name.trim()))?.name ?? null;
}

/**
 * The role attribute: the write-up's own (the one its pseudonyms follow), else the likely one by name and values;
 * never the attribute that groups respondents into pairs, nor one no longer in the project. Null when none fits:
 * the role columns are then left out.
 */
function roleAttributeOf(source: WriteUpSource): string | null {
  const { attributes } = source.data;
  const role = source.roleAttribute !== undefined ? source.roleAttribute : defaultRoleAttribute(attributes);
  if (role === null || role === pairAttributeOf(source) || !attributes.some((a) => a.name === role)) return null;
  return role;
}

/** Pair concordance of the themes (or top-level codes): all, some or none of a pair's members, and by role. */
function pairsBlocks(source: WriteUpSource, groups: readonly Target[], label: (t: Target, fallback: string) => string): DocBlock[] {
  const groupAttribute = pairAttributeOf(source);
  if (!groupAttribute || groups.length === 0) return [];
  const table = pairConcordance(source.index, groups, { groupAttribute, roleAttribute: roleAttributeOf(source), coders: source.coders });
  if (table.groups === 0) return [];
  const roles = table.roles;
  const header: DocHeaderCell[] = [
    { text: '' },
    { text: `${groupAttribute} groups` },
    { text: 'All members' },
    { text: 'Some' },
    { text: 'None' },
    ...(roles ? [{ text: 'Both roles' }, { text: `Only ${roles[0]}` }, { text: `Only ${roles[1]}` }, { text: 'Neither' }, { text: 'Agree' }] : []),
  ];
  const rows: DocRow[] = table.rows.map((r) => ({
    cells: [
      label(r.target, r.label),
      r.groups,
      countOf(r.all, r.groups),
      countOf(r.some, r.groups),
      countOf(r.none, r.groups),
      ...(r.roles
        ? [
            countOf(r.roles.both, r.roles.pairs),
            countOf(r.roles.onlyA, r.roles.pairs),
            countOf(r.roles.onlyB, r.roles.pairs),
            countOf(r.roles.neither, r.roles.pairs),
            countOf(r.roles.both + r.roles.neither, r.roles.pairs),
          ]
        : roles
          ? ['–', '–', '–', '–', '–']
          : []),
    ],
  }));
  const left: string[] = [];
  if (table.singletons > 0) left.push(`${table.singletons} with one answering member`);
  if (table.withoutGroup > 0) left.push(`${table.withoutGroup} respondents without a ${groupAttribute}`);
  return [
    heading(2, `Pairs (${groupAttribute})`),
    {
      kind: 'table',
      caption: `Who in each ${groupAttribute} mentioned it`,
      header: [header],
      rows,
      align: header.map((_, i) => (i === 0 ? 'left' : 'right')),
      notes: [
        `Groups of the attribute “${groupAttribute}” with two or more members who answered; a member mentioned a theme or code when any of their answers in scope was coded with it.` +
          (roles ? ` By role (${table.roleAttribute}): whether a member of each role mentioned it; "Agree" is both or neither.` : '') +
          (left.length > 0 ? ` Left out: ${left.join('; ')}.` : ''),
      ],
    },
  ];
}

function transitionText(c: TransitionCounts): string {
  if (c.answeredBoth === 0) return '–';
  return `kept ${c.kept}, gained ${c.gained}, lost ${c.lost}, never ${c.never} (of ${c.answeredBoth})`;
}

/** Change from the first to the last wave in scope for the same respondents, split by role. */
function changeBlocks(source: WriteUpSource, groups: readonly Target[], label: (t: Target, fallback: string) => string): DocBlock[] {
  if (groups.length === 0) return [];
  // A wave counts only with an answer in scope: a wave the filter or the data leaves empty would compare nobody.
  const { index } = source;
  const answers = new Int32Array(index.waveIds.length);
  for (let a = 0; a < index.answerCount; a++) answers[index.answerWave[a]] += 1;
  const waves = [...source.data.waves]
    .sort((a, b) => a.order - b.order)
    .filter((w) => {
      const at = index.waveIds.indexOf(w.id);
      return at >= 0 && answers[at] > 0;
    });
  if (waves.length < 2) {
    const why = waves.length === 1 ? `all come from one wave (${waves[0].name})` : 'come from no wave';
    return [paragraph(`Change between waves is not shown: the answers in scope ${why}, and it needs two waves with answers.`)];
  }
  const [first, last] = [waves[0], waves[waves.length - 1]];
  const splitBy = roleAttributeOf(source);
  const table = waveTransitions(source.index, groups, { waveA: first.id, waveB: last.id, coders: source.coders, splitBy });
  const header: DocHeaderCell[] = [{ text: '' }, { text: 'All respondents' }, ...table.splitValues.map((v) => ({ text: v === '' ? '(no value)' : v }))];
  return [
    heading(2, `Change from ${first.name} to ${last.name}`),
    {
      kind: 'table',
      caption: `Change from ${first.name} to ${last.name}${splitBy ? `, by ${splitBy}` : ''}`,
      header: [header],
      rows: table.rows.map((r) => ({ cells: [label(r.target, r.label), transitionText(r.overall), ...r.groups.map(transitionText)] })),
      align: header.map((_, i) => (i === 0 ? 'left' : 'right')),
      notes: [
        `The same respondents, who answered in both waves: kept (mentioned it in both), gained (${last.name} only), lost (${first.name} only), never. Respondents who answered in one wave only are left out.`,
      ],
    },
  ];
}

/** The Findings and Appendix blocks. */
export function writeUpFindings(source: WriteUpSource, settings: ReportSettings): { findings: DocBlock[]; appendix: DocBlock[] } {
  const { index, data } = source;
  const omit = new Set(settings.omit);
  // Validated as the Prevalence tab does; the rest of the findings reads `settings` with the dimensions kept.
  const checked = reportDimensions(source, settings);
  const dimensions = checked.dimensions;
  settings = { ...settings, dimensions };
  const options = { coders: source.coders, unit: settings.unit, dimensions };
  // Each code's answers are found once for every table of the report (a theme's, then every code's).
  const coded = new CodedCache(index);
  const codes = data.codes.map((c) => ({ ...c, projectId: '' }));
  const codesById = new Map(codes.map((c) => [c.id, c]));
  const path = (id: string) => codePath(id, codesById);
  const label = (t: Target, fallback: string) => (t.kind === 'theme' ? fallback : path(t.codeId));
  const unitWord = settings.unit === 'respondents' ? 'respondents' : 'answers';
  const split = dimensions.length === 0 ? '' : ` by ${dimensions.map((d) => (d.kind === 'attribute' ? d.name : d.kind)).join(' and ')}`;

  const findings: DocBlock[] = [];
  const themes = themeTargets([...index.themes.values()]);
  const parents = new Set(codes.map((c) => c.parentId));
  const groups: Target[] =
    themes.length > 0
      ? themes
      : codeTree(codes)
          .filter((r) => r.depth === 0)
          .map((r) => (parents.has(r.code.id) ? { kind: 'code-with-subcodes', codeId: r.code.id } : { kind: 'code', codeId: r.code.id }));
  if (groups.length === 0) findings.push(paragraph('There are no themes or codes to report yet.'));
  else {
    findings.push(
      paragraph(
        themes.length > 0
          ? `Prevalence of each theme and its codes${split}, as ${unitWord}.`
          : `The project has no themes: each top-level code (with its subcodes) is reported${split}, as ${unitWord}.`,
      ),
    );
  }
  for (const sentence of checked.dropped) findings.push(paragraph(sentence, true));
  if (groups.length > 0 && !omit.has('quotes') && settings.quotesPerTheme > 0 && source.quoteRule) findings.push(paragraph(source.quoteRule, true));
  const picks = omit.has('quotes') ? new Map<Target, QuotePick[]>() : exemplars(source, groups, settings.quotesPerTheme);
  const wanted = new Set([...picks.values()].flat().map((p) => p.answerId));
  const texts = new Map<string, { text: string; respondentId: string; waveId: string; questionId: string }>();
  for (const [id, text] of answerTextsOf(source, data, wanted)) texts.set(id, { text, ...answerParts(id) });

  for (const group of groups) {
    const name = group.kind === 'theme' ? targetName(index, group) : path(group.codeId);
    findings.push(heading(2, name));
    if (group.kind === 'theme') {
      const theme = index.themes.get(group.themeId)!;
      if (theme.description.trim()) findings.push(paragraph(theme.description.trim()));
      if (theme.codeIds.length > 0) {
        findings.push(paragraph(`Codes: ${theme.codeIds.map(path).join('; ')}${theme.withSubcodes ? ' (each with its subcodes)' : ''}.`, true));
      }
    }
    // The theme (or code) first, then what it is made of; a theme of one code would only repeat its row.
    const members: Target[] =
      group.kind === 'theme' && index.themes.get(group.themeId)!.codeIds.length < 2
        ? []
        : group.kind === 'theme'
          ? index.themes
              .get(group.themeId)!
              .codeIds.map((id): Target =>
                index.themes.get(group.themeId)!.withSubcodes && parents.has(id) ? { kind: 'code-with-subcodes', codeId: id } : { kind: 'code', codeId: id },
              )
          : group.kind === 'code-with-subcodes'
            ? codeTree(codes)
                .filter((r) => r.code.parentId === group.codeId)
                .map((r): Target => (parents.has(r.code.id) ? { kind: 'code-with-subcodes', codeId: r.code.id } : { kind: 'code', codeId: r.code.id }))
            : [];
    const table = prevalenceTable(index, [group, ...members], { ...options, showEmptyRows: true }, coded);
    if (!omit.has('prevalence'))
      findings.push(tableBlock(source, table, settings, `${name}${split}`, group.kind === 'theme' ? 'Theme and codes' : 'Code', label));
    if (!omit.has('chart')) {
      const chart = chartBlock(source, table, settings, `${name}${split}`, label);
      if (chart) findings.push(chart);
    }
    if (!omit.has('quotes') && settings.quotesPerTheme > 0) {
      const quotes = quoteBlocks(source, picks.get(group) ?? [], texts);
      findings.push(...(quotes.length > 0 ? quotes : [paragraph('No exemplar quotes are marked for this theme in this coding set.', true)]));
    }
  }

  if (!omit.has('pairs')) findings.push(...pairsBlocks(source, groups, label));
  if (!omit.has('change')) findings.push(...changeBlocks(source, groups, label));

  const appendix: DocBlock[] = [];
  const all = prevalenceTable(index, codeTargets(codes), { ...options, showEmptyRows: false }, coded);
  if (!settings.sections.includes('findings')) for (const sentence of checked.dropped) appendix.push(paragraph(sentence, true));
  appendix.push(paragraph(`Every code on its own (a parent without its subcodes)${split}, as ${unitWord}.`));
  appendix.push(tableBlock(source, all, settings, `Prevalence of every code${split}`, 'Code', label));
  return { findings, appendix };
}
