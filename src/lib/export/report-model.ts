/**
 * The report model: everything a report shows, as plain data, so Markdown and
 * HTML render the same content and a caller can build or adjust it by hand.
 * `buildReportModel` fills it from a project.
 */
import type { CodebookRow } from './codebook-rows';
import { codebookRows } from './codebook-rows';
import { codeCounts, countsByGroup, themeAnswerCount, type CountCell, type CountTable, type GroupBy } from './counts';
import { codedText } from './quote-text';
import { ProjectLookup } from './project-lookup';
import { coderFilter, type CoderSelection, type ExportSource } from './source';
import { ownValue } from '../model/name-keyed';

export interface ReportQuote {
  text: string;
  /** Who said it, e.g. "Mentee 7, 6 months". */
  attribution: string;
}

export interface ReportTheme {
  name: string;
  description: string;
  /** The theme's codes as paths, e.g. "Rewards › Career (with subcodes)". */
  codes: string[];
  /** Answers coded with any of the theme's codes, of all answers. */
  answers?: CountCell;
  quotes: ReportQuote[];
}

export interface ReportChart {
  title: string;
  /** A standalone SVG (see charts.ts); it must not load or run anything. */
  svg: string;
  caption?: string;
}

export interface ReportModel {
  projectName: string;
  /** Default: "<project name>: coding report". */
  title?: string;
  generatedAt: Date;
  introduction?: string;
  /** How the numbers were counted (whose codings, what unit), shown before the tables. */
  basis?: string;
  themes: ReportTheme[];
  tables: CountTable[];
  charts: ReportChart[];
  codebook: CodebookRow[];
}

/** What an attribution is made from. */
export interface QuoteSource {
  respondentId: string;
  attributes: Record<string, string>;
  waveName: string;
  questionLabel: string;
}

export interface ReportOptions {
  generatedAt: Date;
  /** Whose codings count and whose exemplars are quoted. Default 'any'. */
  coder?: CoderSelection;
  /** The coding set in words, stated first in the basis ("Coding set: Final — …"). */
  codingSet?: string;
  /** Codebook counts and tables count subcodes with their parents. Default false. */
  includeSubcodes?: boolean;
  /** One count table per entry. */
  groupBy?: GroupBy[];
  charts?: ReportChart[];
  title?: string;
  introduction?: string;
  /** The attribute whose value names the speaker, e.g. "role" → "Mentee 7, 6 months". */
  attributionAttribute?: string;
  /** A custom attribution; overrides `attributionAttribute`. */
  attribution?: (quote: QuoteSource) => string;
  /**
   * The quote as published (pseudonym, redaction: lib/analysis/publish-project.ts); overrides `attribution`.
   * `start` and `end` are the coding's code point offsets in `answerText` (null: the whole answer).
   */
  quote?: (quote: QuoteSource & { answerId: string; answerText: string; start: number | null; end: number | null }) => ReportQuote;
  /** Most exemplar quotes per theme. Default: all. */
  maxQuotesPerTheme?: number;
}

/** "Mentee 7, 6 months": the attribute value (capitalised) or "Respondent", the id, the wave. */
export function defaultAttribution(quote: QuoteSource, attribute?: string): string {
  const value = attribute ? (ownValue(quote.attributes, attribute) ?? '').trim() : '';
  const who = value ? value.charAt(0).toLocaleUpperCase('en') + value.slice(1) : 'Respondent';
  return `${who} ${quote.respondentId}, ${quote.waveName}`;
}

function basisText(coder: CoderSelection, lookup: ProjectLookup, includeSubcodes: boolean, codingSet?: string): string {
  const whose =
    coder === 'any'
      ? 'the codings of all coders together (a code counts where any coder applied it; the consensus coder is left out)'
      : coder === 'consensus'
        ? 'the consensus codings'
        : `the codings of ${lookup.coderName(coder.coderId)}`;
  return `${codingSet ? `${codingSet}. ` : ''}Counts use ${whose}. The unit is the answer: one respondent's text for one question in one wave${includeSubcodes ? '; a code counts its subcodes' : ''}.`;
}

/** A report model from a project: codebook with counts, themes with their exemplar quotes, count tables. */
export function buildReportModel(source: ExportSource, options: ReportOptions): ReportModel {
  const lookup = new ProjectLookup(source);
  const coder = options.coder ?? 'any';
  const includeSubcodes = options.includeSubcodes ?? false;
  const counts = codeCounts(source, { coder, includeSubcodes }, lookup);
  const keep = coderFilter(coder);
  const attribution = options.attribution ?? ((q: QuoteSource) => defaultAttribution(q, options.attributionAttribute));
  const respondents = new Map(source.respondents.map((r) => [r.id, r.attributes]));

  const themes = lookup.themes.map((theme): ReportTheme => {
    const members = lookup.themeCodeIds(theme);
    const seen = new Set<string>();
    const exemplars = source.codings
      .filter((c) => c.exemplar && keep(c.coderId) && members.has(c.codeId))
      .sort((a, b) => lookup.answerRank(a.answerId) - lookup.answerRank(b.answerId) || (a.start ?? -1) - (b.start ?? -1))
      .filter((c) => {
        // Two coders marking the same passage is one quote.
        const key = `${c.answerId}\u0000${c.start}\u0000${c.end}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .slice(0, options.maxQuotesPerTheme ?? Infinity);
    const quotes = exemplars.map((c): ReportQuote => {
      const parts = lookup.answerParts(c.answerId);
      if (options.quote)
        return options.quote({
          answerId: c.answerId,
          answerText: lookup.answer(c.answerId)?.text ?? '',
          start: c.start,
          end: c.end,
          respondentId: parts.respondentId,
          attributes: respondents.get(parts.respondentId) ?? {},
          waveName: lookup.waveName(parts.waveId),
          questionLabel: lookup.questionLabel(parts.questionId),
        });
      return {
        text: codedText(lookup.answer(c.answerId)?.text ?? '', c),
        attribution: attribution({
          respondentId: parts.respondentId,
          attributes: respondents.get(parts.respondentId) ?? {},
          waveName: lookup.waveName(parts.waveId),
          questionLabel: lookup.questionLabel(parts.questionId),
        }),
      };
    });
    return {
      name: theme.name,
      description: theme.description,
      codes: theme.codeIds.map((id) => lookup.codePath(id) + (theme.withSubcodes && lookup.hasChildren(id) ? ' (with subcodes)' : '')),
      answers: themeAnswerCount(source, theme, { coder }, lookup),
      quotes,
    };
  });

  return {
    projectName: source.project.name,
    title: options.title,
    generatedAt: options.generatedAt,
    introduction: options.introduction,
    basis: basisText(coder, lookup, includeSubcodes, options.codingSet),
    themes,
    tables: (options.groupBy ?? []).map((g) => countsByGroup(source, g, { coder, includeSubcodes }, lookup)),
    charts: options.charts ?? [],
    codebook: codebookRows(source.codes, counts),
  };
}
