/**
 * A quote as it is published (issue 13): attributed to a pseudonym and the wave ("Mentee 7, 6 months"), with
 * personal data found by {@link findRedactions} replaced by `[name]`, `[email]`, `[phone]` or `[place]`, except
 * where the author kept a span ("not personal"). The stored answer never changes: this prints a copy.
 *
 * Offsets: codings count code points in the stored answer, redaction spans count UTF-16 units in the quote's
 * text. A kept span is stored in the coding's unit (code points in the answer), so a decision holds for every
 * quote of that answer, and converted here, at the one boundary between the two.
 */
import type { Attribute, KeptRedaction, PseudonymTable, WriteUpSettings } from '../model/types';
import { codePointToUtf16, utf16ToCodePoint } from '../coding/offsets';
import { assignPseudonyms } from './pseudonyms';
import { findRedactions, redact, type RedactionKind, type RedactionSource } from './redaction';

/** Settings before the author has chosen anything. */
export function emptyWriteUpSettings(): WriteUpSettings {
  return { redactionList: [], kept: [], showQuestion: false };
}

// "role", "Respondent type", "participant_group"; not "prototype" or "groupchat".
const ROLE_NAME = /(?:^|[^a-z])(?:role|type|group)s?(?:$|[^a-z])/i;

/**
 * The attribute most likely to name roles: one called like role, type or group ("role", "Respondent type",
 * "group") with 2 to 6 values; "role" wins over the others. Null when none is.
 */
export function defaultRoleAttribute(attributes: readonly Pick<Attribute, 'name' | 'values'>[]): string | null {
  const fits = attributes.filter((a) => {
    const values = new Set(a.values.map((v) => v.trim().toLowerCase()).filter((v) => v !== ''));
    return ROLE_NAME.test(a.name) && values.size >= 2 && values.size <= 6;
  });
  return (fits.find((a) => /role/i.test(a.name)) ?? fits[0])?.name ?? null;
}

/** The role attribute in force: the author's choice, else the likely one; an attribute no longer there counts as none. */
export function roleAttributeOf(settings: WriteUpSettings, attributes: readonly Pick<Attribute, 'name' | 'values'>[]): string | null {
  if (settings.roleAttribute === undefined) return defaultRoleAttribute(attributes);
  if (settings.roleAttribute === null) return null;
  return attributes.some((a) => a.name === settings.roleAttribute) ? settings.roleAttribute : null;
}

/** The stored table for a role attribute as a map (empty when there is none yet). */
export function pseudonymMap(tables: readonly PseudonymTable[], roleAttribute: string | null): Map<string, string> {
  const table = tables.find((t) => t.roleAttribute === (roleAttribute ?? ''));
  const map = new Map<string, string>();
  if (table) for (let i = 0; i < table.ids.length; i++) map.set(table.ids[i], table.labels[i]);
  return map;
}

/** A map as the stored table for a role attribute. */
export function pseudonymTable(roleAttribute: string | null, map: ReadonlyMap<string, string>): PseudonymTable {
  return { roleAttribute: roleAttribute ?? '', ids: [...map.keys()], labels: [...map.values()] };
}

/**
 * Every respondent's label under the role attribute: the stored ones kept, new respondents given the next free
 * number of their role. `changed` says whether anyone new was labelled (the caller stores the map then, so the
 * labels hold after a later import).
 */
export function completePseudonyms(
  respondentIds: readonly string[],
  roleOf: (index: number) => string | undefined,
  stored: ReadonlyMap<string, string>,
): { map: Map<string, string>; changed: boolean } {
  const subjects = respondentIds.map((id, i) => ({ id, role: roleOf(i) }));
  const map = assignPseudonyms(subjects, stored);
  return { map, changed: map.size !== stored.size };
}

/**
 * Why a label cannot be given to a respondent, in words, or null when it can: a label must not be blank and no
 * two respondents share one (compared without case), or two people would read as one in the paper.
 */
export function labelProblem(map: ReadonlyMap<string, string>, respondentId: string, label: string): string | null {
  const clean = label.trim();
  if (clean === '') return 'A pseudonym cannot be empty. Type a label such as “Mentee 7”.';
  const key = clean.toLowerCase();
  for (const [id, other] of map) {
    if (id !== respondentId && other.trim().toLowerCase() === key)
      return `“${clean}” is already the pseudonym of another respondent. Choose a label no one else has.`;
  }
  return null;
}

/** What a published quote is made from. */
export interface QuoteToPublish {
  answerId: string;
  /** The stored answer's text. */
  answerText: string;
  /** The coding's span in code points; null for the whole answer. */
  start: number | null;
  end: number | null;
  respondentId: string;
  waveName: string;
  questionLabel: string;
}

export interface PublishContext {
  settings: WriteUpSettings;
  /** The pseudonym of a respondent (see completePseudonyms); a respondent without one reads "Respondent". */
  pseudonyms: ReadonlyMap<string, string>;
  /** Ask wink-nlp for entities too: `loadEntityNlp()` must have finished. */
  useEntities?: boolean;
}

/** A span found in a quote, for review. */
export interface PublishedSpan {
  /** UTF-16 offsets into the quote's original text (`original.slice(start, end)`). */
  start: number;
  end: number;
  /** Code point offsets into the stored answer: what a "not personal" decision is stored as. */
  answerStart: number;
  answerEnd: number;
  kind: RedactionKind;
  source: RedactionSource;
  text: string;
  /** The author kept the text as it is ("not personal"). */
  kept: boolean;
}

export interface PublishedQuote {
  /** The quote as stored (trimmed). */
  original: string;
  /** As published: the accepted spans replaced. */
  text: string;
  /** "Mentee 7, 6 months" (with the question when the settings ask for it). */
  attribution: string;
  pseudonym: string;
  spans: PublishedSpan[];
}

/** "Mentee 7, 6 months", and ", Q5" when the question is wanted. */
export function publishedAttribution(pseudonym: string, waveName: string, questionLabel: string, showQuestion: boolean): string {
  return [pseudonym, waveName, ...(showQuestion ? [questionLabel] : [])].filter((part) => part.trim() !== '').join(', ');
}

function keptKey(answerId: string, start: number, end: number): string {
  return `${answerId}\u0000${start}\u0000${end}`;
}

/** The kept decisions as a set for {@link publishQuote}; build once per batch of quotes. */
export function keptSet(kept: readonly KeptRedaction[]): Set<string> {
  return new Set(kept.map((k) => keptKey(k.answerId, k.start, k.end)));
}

/**
 * The quote as published. `kept` (from {@link keptSet}) may be passed to save rebuilding it for every quote.
 * The quote's text is the coding's span (or the whole answer), trimmed, as the quote bank shows it.
 */
export function publishQuote(quote: QuoteToPublish, context: PublishContext, kept: ReadonlySet<string> = keptSet(context.settings.kept)): PublishedQuote {
  const text = quote.answerText;
  const cpStart = quote.start === null || quote.end === null ? 0 : quote.start;
  const sliceStart = quote.start === null || quote.end === null ? 0 : codePointToUtf16(text, quote.start);
  const sliceEnd = quote.start === null || quote.end === null ? text.length : codePointToUtf16(text, quote.end);
  const slice = text.slice(sliceStart, sliceEnd);
  const lead = slice.length - slice.trimStart().length;
  const original = slice.trim();
  const found = findRedactions(original, { names: context.settings.redactionList, useEntities: context.useEntities ?? false });
  const spans = found.map((s): PublishedSpan => {
    const answerStart = cpStart + utf16ToCodePoint(slice, s.start + lead);
    const answerEnd = cpStart + utf16ToCodePoint(slice, s.end + lead);
    return {
      start: s.start,
      end: s.end,
      answerStart,
      answerEnd,
      kind: s.kind,
      source: s.source,
      text: s.text,
      kept: kept.has(keptKey(quote.answerId, answerStart, answerEnd)),
    };
  });
  const pseudonym = context.pseudonyms.get(quote.respondentId) ?? 'Respondent';
  return {
    original,
    text: redact(
      original,
      found.map((s, i) => ({ ...s, accepted: !spans[i].kept })),
    ),
    attribution: publishedAttribution(pseudonym, quote.waveName, quote.questionLabel, context.settings.showQuestion),
    pseudonym,
    spans,
  };
}

/** The decision that keeps a span ("not personal"), to add to the settings' `kept`. */
export function keepDecision(answerId: string, span: Pick<PublishedSpan, 'answerStart' | 'answerEnd'>): KeptRedaction {
  return { answerId, start: span.answerStart, end: span.answerEnd };
}

/** Pieces of a quote's original text for display: plain text and found spans, in order. */
export type QuotePiece = { kind: 'text'; text: string } | { kind: 'span'; text: string; span: PublishedSpan; index: number };

/** The original text cut at the found spans (spans that overlap are shown from where the previous one ends). */
export function quotePieces(quote: Pick<PublishedQuote, 'original' | 'spans'>): QuotePiece[] {
  const out: QuotePiece[] = [];
  let at = 0;
  quote.spans.forEach((span, index) => {
    const start = Math.max(at, span.start);
    if (span.end <= start) return;
    if (start > at) out.push({ kind: 'text', text: quote.original.slice(at, start) });
    out.push({ kind: 'span', text: quote.original.slice(start, span.end), span, index });
    at = span.end;
  });
  if (at < quote.original.length) out.push({ kind: 'text', text: quote.original.slice(at) });
  return out;
}

/** The pseudonym key's rows: respondent id, role, label; in the respondents' order, then any no longer in the project. */
export function pseudonymKeyRows(
  respondentIds: readonly string[],
  roleOf: (index: number) => string | undefined,
  map: ReadonlyMap<string, string>,
): { respondentId: string; role: string; pseudonym: string }[] {
  const rows = respondentIds.map((id, i) => ({ respondentId: id, role: roleOf(i) ?? '', pseudonym: map.get(id) ?? '' }));
  const present = new Set(respondentIds);
  for (const [id, label] of map) if (!present.has(id)) rows.push({ respondentId: id, role: '', pseudonym: label });
  return rows;
}

/** The warning line the pseudonym key opens with. */
export const PSEUDONYM_KEY_WARNING =
  'This file links pseudonyms to respondent IDs: it re-identifies respondents. Keep it apart from the report and the quotes and share it only with those allowed to see the raw data.';
