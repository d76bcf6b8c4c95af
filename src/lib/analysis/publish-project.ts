/**
 * Publishing quotes from a whole project (the analysis worker's reading of it, or any ProjectFileInput): the
 * pseudonyms every respondent has under the role attribute in force, and the functions the quote bank, the
 * report and the exports call to print a quote, an attribution or a respondent column.
 */
import type { ExchangeWriteUp } from '../exchange/write-up-records';
import type { ExportSource } from '../export/source';
import { ownValue } from '../model/name-keyed';
import { answerId, type Attribute, type PseudonymTable, type WriteUpSettings } from '../model/types';
import {
  completePseudonyms,
  emptyWriteUpSettings,
  keptSet,
  pseudonymKeyRows,
  pseudonymMap,
  publishQuote,
  roleAttributeOf,
  PSEUDONYM_KEY_WARNING,
} from './publishing';
import type { PublishedQuote, QuoteToPublish } from './publishing';

/** What publishing needs of a project. */
export interface PublishingData {
  attributes: readonly Pick<Attribute, 'name' | 'values'>[];
  respondents: readonly { id: string; attributes: Record<string, string> }[];
  writeUp?: ExchangeWriteUp;
}

/** A project's quotes as published: everyone's pseudonym and the settings, ready for many quotes. */
export class Publisher {
  readonly settings: WriteUpSettings;
  readonly roleAttribute: string | null;
  /** Respondent id → pseudonym, for every respondent of the project (and any stored for one no longer in it). */
  readonly pseudonyms: Map<string, string>;
  #kept: Set<string>;
  #data: PublishingData;

  constructor(data: PublishingData) {
    this.#data = data;
    this.settings = data.writeUp?.settings ?? emptyWriteUpSettings();
    this.roleAttribute = roleAttributeOf(this.settings, data.attributes);
    const tables: readonly PseudonymTable[] = data.writeUp?.pseudonyms ?? [];
    const attribute = this.roleAttribute;
    // Anyone not labelled yet gets the label the Quotes tab will store for them (assignPseudonyms is deterministic).
    this.pseudonyms = completePseudonyms(
      data.respondents.map((r) => r.id),
      (i) => (attribute === null ? undefined : ownValue(data.respondents[i].attributes, attribute)),
      pseudonymMap(tables, attribute),
    ).map;
    this.#kept = keptSet(this.settings.kept);
  }

  /** A quote as published; `useEntities` when wink-nlp's entity recognition has loaded. */
  quote(quote: QuoteToPublish, useEntities = false): PublishedQuote {
    return publishQuote(quote, { settings: this.settings, pseudonyms: this.pseudonyms, useEntities }, this.#kept);
  }

  /** The pseudonym of a respondent ("Respondent" for one the project does not know). */
  pseudonym(respondentId: string): string {
    return this.pseudonyms.get(respondentId) ?? 'Respondent';
  }

  /** The attribution rule, in words, for the quote bank and the report's methods. */
  rule(): string {
    const role = this.roleAttribute;
    return (
      (role
        ? `Each quote is attributed to a pseudonym numbered within the respondent’s ${role} (“Mentee 7”) and the wave`
        : 'Each quote is attributed to a pseudonym (“Respondent 7”) and the wave') +
      (this.settings.showQuestion ? ', then the question' : '') +
      '; names, e-mail addresses, phone numbers and places found in the text are replaced with [name], [email], [phone] and [place], except where you kept the text.'
    );
  }

  /** The pseudonym key as CSV rows (header first): respondent ID, role, pseudonym. */
  keyRows(): string[][] {
    const attribute = this.roleAttribute;
    const respondents = this.#data.respondents;
    const rows = pseudonymKeyRows(
      respondents.map((r) => r.id),
      (i) => (attribute === null ? undefined : ownValue(respondents[i].attributes, attribute)),
      this.pseudonyms,
    );
    return [
      [PSEUDONYM_KEY_WARNING],
      ['respondent ID', attribute ? `role (${attribute})` : 'role', 'pseudonym'],
      ...rows.map((r) => [r.respondentId, r.role, r.pseudonym]),
    ];
  }
}

const publishers = new WeakMap<object, WeakMap<object, Publisher>>();

/**
 * The publisher of a project's data, kept while the same write-up and respondents are in use (the worker replaces
 * the write-up object when it reads it again, which makes a new one). Keyed by both: a publisher numbers the
 * respondents it is given, so one made for a filtered subset must never serve the whole project. Callers pass
 * the whole project's data (`AnalysisProject.publisher`), so labels are the same in every view.
 */
export function publisherOf(data: PublishingData): Publisher {
  const outer = data.writeUp ?? data.respondents;
  let byRespondents = publishers.get(outer);
  if (!byRespondents) publishers.set(outer, (byRespondents = new WeakMap()));
  let publisher = byRespondents.get(data.respondents);
  if (!publisher) byRespondents.set(data.respondents, (publisher = new Publisher(data)));
  return publisher;
}

/**
 * The source with every respondent id replaced by its pseudonym (in respondents, answers and the answer ids
 * codings point to), for CSV and XLSX exports an author shares. Pseudonyms are unique, so nothing merges.
 */
export function pseudonymousSource<S extends ExportSource>(source: S, pseudonym: (respondentId: string) => string): S {
  const answerIds = new Map<string, string>();
  const answers = source.answers.map((a) => {
    const respondentId = pseudonym(a.respondentId);
    const id = answerId(a.questionId, a.waveId, respondentId);
    answerIds.set(a.id, id);
    return { ...a, id, respondentId };
  });
  return {
    ...source,
    respondents: source.respondents.map((r) => ({ ...r, id: pseudonym(r.id) })),
    answers,
    codings: source.codings.map((c) => ({ ...c, answerId: answerIds.get(c.answerId) ?? c.answerId })),
  };
}
