/**
 * How quotes are published, in the project file (added within version 1, like themes: absent in older files and
 * written only when the author has set something): the role attribute, the author's redaction list, the spans
 * kept as they are, and the pseudonyms given under each role attribute. A backup carries them so a restored
 * project attributes every quote to the same label; a second coder's file never does.
 */
import type { KeptRedaction, PseudonymTable, WriteUpSettings } from '../model/types';
import { ExchangeError } from './exchange-error';
import { readId, readList, readObject, readText, readWhole, uniqueIds } from './fields';

export interface ExchangeWriteUp {
  settings: WriteUpSettings;
  pseudonyms: PseudonymTable[];
}

/** True when there is nothing to carry: no choice made, nothing listed, kept or labelled. */
export function isEmptyWriteUp(w: ExchangeWriteUp): boolean {
  const s = w.settings;
  return (
    s.roleAttribute === undefined && s.redactionList.length === 0 && s.kept.length === 0 && !s.showQuestion && w.pseudonyms.every((t) => t.ids.length === 0)
  );
}

/** With a fixed key order, for the canonical file. */
export function plainWriteUp(w: ExchangeWriteUp): ExchangeWriteUp {
  const s = w.settings;
  return {
    settings: {
      ...(s.roleAttribute !== undefined ? { roleAttribute: s.roleAttribute } : {}),
      redactionList: s.redactionList.slice(),
      kept: s.kept.map((k) => ({ answerId: k.answerId, start: k.start, end: k.end })),
      showQuestion: s.showQuestion,
    },
    pseudonyms: w.pseudonyms
      .filter((t) => t.ids.length > 0)
      .slice()
      .sort((a, b) => (a.roleAttribute < b.roleAttribute ? -1 : a.roleAttribute > b.roleAttribute ? 1 : 0))
      .map((t) => ({ roleAttribute: t.roleAttribute, ids: t.ids.slice(), labels: t.labels.slice() })),
  };
}

/**
 * Validates `writeUp`. Kept spans must point into an answer of the file; pseudonyms may name respondents no longer
 * in it (a label once given is never given to anyone else), but no two respondents share a label.
 */
export function readWriteUp(value: unknown, answerLengths: ReadonlyMap<string, number>): ExchangeWriteUp {
  const o = readObject(value, 'writeUp');
  const so = readObject(o.settings, 'writeUp.settings');
  const role = so.roleAttribute;
  if (role !== undefined && role !== null && (typeof role !== 'string' || role === ''))
    throw new ExchangeError('writeUp.settings.roleAttribute must be an attribute name, null or absent.', 'writeUp.settings.roleAttribute');
  if (typeof so.showQuestion !== 'boolean') throw new ExchangeError('writeUp.settings.showQuestion must be true or false.', 'writeUp.settings.showQuestion');
  const kept = readList(so.kept, 'writeUp.settings.kept').map((k, i): KeptRedaction => {
    const at = `writeUp.settings.kept[${i}]`;
    const ko = readObject(k, at);
    const answerId = readId(ko.answerId, `${at}.answerId`);
    const start = readWhole(ko.start, `${at}.start`);
    const end = readWhole(ko.end, `${at}.end`);
    const length = answerLengths.get(answerId);
    if (length === undefined) throw new ExchangeError(`${at}.answerId is not an answer in this file.`, `${at}.answerId`);
    if (start >= end || end > length) throw new ExchangeError(`${at}: ${start}–${end} is not a span of its answer (${length} characters).`, at);
    return { answerId, start, end };
  });
  const settings: WriteUpSettings = {
    ...(role !== undefined ? { roleAttribute: role as string | null } : {}),
    redactionList: readList(so.redactionList, 'writeUp.settings.redactionList').map((n, i) => readText(n, `writeUp.settings.redactionList[${i}]`)),
    kept,
    showQuestion: so.showQuestion,
  };
  const pseudonyms = readList(o.pseudonyms, 'writeUp.pseudonyms').map((t, i): PseudonymTable => {
    const at = `writeUp.pseudonyms[${i}]`;
    const to = readObject(t, at);
    const ids = readList(to.ids, `${at}.ids`).map((id, k) => readId(id, `${at}.ids[${k}]`));
    const labels = readList(to.labels, `${at}.labels`).map((l, k) => readId(l, `${at}.labels[${k}]`));
    if (ids.length !== labels.length) throw new ExchangeError(`${at} has ${ids.length} ids but ${labels.length} labels; they go in pairs.`, at);
    uniqueIds(ids, (k) => `${at}.ids[${k}]`);
    uniqueIds(
      labels.map((l) => l.trim().toLowerCase()),
      (k) => `${at}.labels[${k}]`,
      'label',
    );
    return { roleAttribute: readText(to.roleAttribute, `${at}.roleAttribute`), ids, labels };
  });
  uniqueIds(
    pseudonyms.map((t) => t.roleAttribute),
    (i) => `writeUp.pseudonyms[${i}]`,
    'roleAttribute',
  );
  return { settings, pseudonyms };
}
