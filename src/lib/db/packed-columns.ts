/**
 * Columns of strings packed for postMessage. Structured cloning copies each
 * string of an array one by one (92k answers and 100k respondents took ~300 ms
 * between the import worker and the page); one joined string and a typed array
 * of offsets cross as a single copy and a transfer.
 */

import { nameKeyedFrom } from '../model/name-keyed';

export interface PackedStrings {
  joined: string;
  /** ends[i] is where string i ends in `joined` (it starts where string i - 1 ends). */
  ends: Uint32Array;
}

export function packStrings(strings: readonly string[]): PackedStrings {
  const ends = new Uint32Array(strings.length);
  let at = 0;
  for (let i = 0; i < strings.length; i++) {
    at += strings[i].length;
    ends[i] = at;
  }
  return { joined: strings.join(''), ends };
}

export function unpackStrings(packed: PackedStrings): string[] {
  const out = new Array<string>(packed.ends.length);
  let start = 0;
  for (let i = 0; i < packed.ends.length; i++) {
    const end = packed.ends[i];
    out[i] = packed.joined.slice(start, end);
    start = end;
  }
  return out;
}

/** A column of few distinct values (wave ids, attribute values): the values once, and an index per row. */
export interface PackedCategories {
  values: string[];
  indexes: Uint32Array;
}

export function packCategories(column: readonly string[]): PackedCategories {
  const values: string[] = [];
  const seen = new Map<string, number>();
  const indexes = new Uint32Array(column.length);
  for (let i = 0; i < column.length; i++) {
    let index = seen.get(column[i]);
    if (index === undefined) {
      index = values.length;
      values.push(column[i]);
      seen.set(column[i], index);
    }
    indexes[i] = index;
  }
  return { values, indexes };
}

export function unpackCategories(packed: PackedCategories): string[] {
  const out = new Array<string>(packed.indexes.length);
  for (let i = 0; i < out.length; i++) out[i] = packed.values[packed.indexes[i]];
  return out;
}

/** The typed arrays to transfer rather than copy. */
export function transferablesOf(...packed: (PackedStrings | PackedCategories)[]): ArrayBuffer[] {
  return packed.map((p) => ('ends' in p ? p.ends.buffer : p.indexes.buffer) as ArrayBuffer);
}

/** A new project's respondents and first question's answers, packed to cross from the import worker. */
export interface PackedOpening {
  questionId: string;
  respondents: { ids: PackedStrings; attributes: Record<string, PackedCategories>; waves: PackedCategories };
  answers: { respondentIds: PackedStrings; waveIds: PackedCategories; texts: PackedStrings };
}

const WAVE_JOIN = '\u001f';

export function packOpening(
  questionId: string,
  respondents: { ids: readonly string[]; attributes: Record<string, readonly string[]>; waves: readonly (readonly string[])[] },
  answers: { respondentIds: readonly string[]; waveIds: readonly string[]; texts: readonly string[] },
): PackedOpening {
  return {
    questionId,
    respondents: {
      ids: packStrings(respondents.ids),
      attributes: nameKeyedFrom(Object.entries(respondents.attributes).map(([name, column]) => [name, packCategories(column)])),
      waves: packCategories(respondents.waves.map((w) => w.join(WAVE_JOIN))),
    },
    answers: { respondentIds: packStrings(answers.respondentIds), waveIds: packCategories(answers.waveIds), texts: packStrings(answers.texts) },
  };
}

export function unpackOpening(opening: PackedOpening) {
  const { respondents, answers } = opening;
  return {
    questionId: opening.questionId,
    respondents: {
      ids: unpackStrings(respondents.ids),
      // Null prototype, like respondentTable's: attribute names may be "__proto__" or "constructor".
      attributes: nameKeyedFrom(Object.entries(respondents.attributes).map(([name, column]) => [name, unpackCategories(column)])),
      waves: unpackCategories(respondents.waves).map((joined) => (joined === '' ? [] : joined.split(WAVE_JOIN))),
    },
    answers: { respondentIds: unpackStrings(answers.respondentIds), waveIds: unpackCategories(answers.waveIds), texts: unpackStrings(answers.texts) },
  };
}

export function openingTransferables(opening: PackedOpening): ArrayBuffer[] {
  const { respondents, answers } = opening;
  return transferablesOf(respondents.ids, respondents.waves, ...Object.values(respondents.attributes), answers.respondentIds, answers.waveIds, answers.texts);
}
