/**
 * The records both exchange files share (codes, coders, codings, memos): their
 * types without `projectId`, readers that validate one record, and writers
 * that copy one with a fixed key order. Writers pick fields by name, so model
 * records (with `projectId` and other extras) can be passed as they are.
 */
import { CODEBOOK_MAX_DEPTH } from '../codebook/codebook-json';
import { SHORTCUT_KEYS } from '../coding/keys';
import { ExchangeError, describe } from './exchange-error';
import { readColor, readId, readList, readNullableId, readObject, readText, readWhole, uniqueIds } from './fields';

export interface ExchangeCode {
  id: string;
  parentId: string | null;
  name: string;
  color: string;
  definition: string;
  inclusion: string;
  exclusion: string;
  example: string;
  order: number;
  /** Codes merged into this one, and the code it was split off from (absent when none). */
  mergedFromIds?: string[];
  splitFromId?: string;
  /** The code's key (a digit 1–9 or letter a–z; "" for none); absent in files from before keys were kept with codes. */
  shortcut?: string;
}

export interface ExchangeCoder {
  id: string;
  name: string;
  color: string;
}

/** A coding: the whole answer (start = end = null) or code points [start, end) of its text. */
export interface ExchangeCoding {
  id: string;
  answerId: string;
  codeId: string;
  coderId: string;
  start: number | null;
  end: number | null;
  createdAt: number;
  /** Marked as an exemplar quote; written only when true (files without it read as unmarked). */
  exemplar?: boolean;
  /** Accepted from one of the assistant's suggestions; written only when true (files without it read as by hand). */
  suggested?: boolean;
}

/** A theme: a named set of codes (see the model's Theme). */
export interface ExchangeTheme {
  id: string;
  name: string;
  description: string;
  codeIds: string[];
  withSubcodes: boolean;
  order: number;
}

/** An adjudicated disagreement (see the model's Resolution), keyed by its answer. */
export interface ExchangeResolution {
  answerId: string;
  decision: 'first' | 'second' | 'both' | 'neither';
  coderIds: [string, string];
  codeIds: string[];
  resolvedBy: string;
  at: number;
}

const DECISIONS = ['first', 'second', 'both', 'neither'] as const;

export function plainResolution(r: ExchangeResolution): ExchangeResolution {
  return {
    answerId: r.answerId,
    decision: r.decision,
    coderIds: [r.coderIds[0], r.coderIds[1]],
    codeIds: r.codeIds.slice(),
    resolvedBy: r.resolvedBy,
    at: r.at,
  };
}

export function readResolution(value: unknown, where: string): ExchangeResolution {
  const o = readObject(value, where);
  if (!DECISIONS.includes(o.decision as (typeof DECISIONS)[number])) {
    throw new ExchangeError(`${where}.decision must be one of ${DECISIONS.join(', ')}, but it is ${describe(o.decision)}.`, `${where}.decision`);
  }
  if (!Array.isArray(o.coderIds) || o.coderIds.length !== 2)
    throw new ExchangeError(`${where}.coderIds must list the two coders compared, but it is ${describe(o.coderIds)}.`, `${where}.coderIds`);
  if (!Array.isArray(o.codeIds)) throw new ExchangeError(`${where}.codeIds must be a list of code ids, but it is ${describe(o.codeIds)}.`, `${where}.codeIds`);
  return {
    answerId: readId(o.answerId, `${where}.answerId`),
    decision: o.decision as ExchangeResolution['decision'],
    coderIds: [readId(o.coderIds[0], `${where}.coderIds[0]`), readId(o.coderIds[1], `${where}.coderIds[1]`)],
    codeIds: o.codeIds.map((id, i) => readId(id, `${where}.codeIds[${i}]`)),
    resolvedBy: readText(o.resolvedBy, `${where}.resolvedBy`),
    at: readWhole(o.at, `${where}.at`),
  };
}

export type MemoTargetKind = 'answer' | 'respondent' | 'code';

export interface ExchangeMemo {
  id: string;
  target: { kind: MemoTargetKind; id: string };
  text: string;
  coderId: string;
  coderName: string;
  createdAt: number;
  updatedAt: number;
}

const MEMO_KINDS: readonly MemoTargetKind[] = ['answer', 'respondent', 'code'];

// ---------------------------------------------------------------------------
// Writing: fixed key order

export function plainCode(c: ExchangeCode): ExchangeCode {
  return {
    id: c.id,
    parentId: c.parentId,
    name: c.name,
    color: c.color,
    definition: c.definition,
    inclusion: c.inclusion,
    exclusion: c.exclusion,
    example: c.example,
    order: c.order,
    // Lineage (merged from, split from) lets a codebook version diff say "merged" rather than "deleted".
    ...(c.mergedFromIds?.length ? { mergedFromIds: c.mergedFromIds.slice() } : {}),
    ...(c.splitFromId ? { splitFromId: c.splitFromId } : {}),
    ...(c.shortcut === undefined ? {} : { shortcut: c.shortcut }),
  };
}

export function plainCoder(c: ExchangeCoder): ExchangeCoder {
  return { id: c.id, name: c.name, color: c.color };
}

export function plainCoding(c: ExchangeCoding): ExchangeCoding {
  const plain: ExchangeCoding = { id: c.id, answerId: c.answerId, codeId: c.codeId, coderId: c.coderId, start: c.start, end: c.end, createdAt: c.createdAt };
  if (c.exemplar === true) plain.exemplar = true;
  if (c.suggested === true) plain.suggested = true;
  return plain;
}

export function plainTheme(t: ExchangeTheme): ExchangeTheme {
  return { id: t.id, name: t.name, description: t.description, codeIds: t.codeIds.slice(), withSubcodes: t.withSubcodes, order: t.order };
}

export function readTheme(value: unknown, where: string): ExchangeTheme {
  const o = readObject(value, where);
  const codeIds = o.codeIds;
  if (!Array.isArray(codeIds)) throw new ExchangeError(`${where}.codeIds must be a list of code ids, but it is ${describe(codeIds)}.`, `${where}.codeIds`);
  if (typeof o.withSubcodes !== 'boolean')
    throw new ExchangeError(`${where}.withSubcodes must be true or false, but it is ${describe(o.withSubcodes)}.`, `${where}.withSubcodes`);
  return {
    id: readId(o.id, `${where}.id`),
    name: readText(o.name, `${where}.name`),
    description: readText(o.description, `${where}.description`),
    codeIds: codeIds.map((id, i) => readId(id, `${where}.codeIds[${i}]`)),
    withSubcodes: o.withSubcodes,
    order: readWhole(o.order, `${where}.order`),
  };
}

export function plainMemo(m: ExchangeMemo): ExchangeMemo {
  return {
    id: m.id,
    target: { kind: m.target.kind, id: m.target.id },
    text: m.text,
    coderId: m.coderId,
    coderName: m.coderName,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

// ---------------------------------------------------------------------------
// Reading one record

export function readCode(value: unknown, where: string): ExchangeCode {
  const o = readObject(value, where);
  const name = readText(o.name, `${where}.name`);
  if (name.trim() === '') throw new ExchangeError(`${where}.name is empty; every code needs a name.`, `${where}.name`);
  return {
    id: readId(o.id, `${where}.id`),
    parentId: readNullableId(o.parentId, `${where}.parentId`),
    name,
    color: readColor(o.color, `${where}.color`),
    definition: readText(o.definition, `${where}.definition`),
    inclusion: readText(o.inclusion, `${where}.inclusion`),
    exclusion: readText(o.exclusion, `${where}.exclusion`),
    example: readText(o.example, `${where}.example`),
    order: readWhole(o.order, `${where}.order`),
    ...(o.mergedFromIds === undefined
      ? {}
      : { mergedFromIds: readList(o.mergedFromIds, `${where}.mergedFromIds`).map((v, i) => readId(v, `${where}.mergedFromIds[${i}]`)) }),
    ...(o.splitFromId === undefined ? {} : { splitFromId: readId(o.splitFromId, `${where}.splitFromId`) }),
    ...(o.shortcut === undefined ? {} : { shortcut: readShortcut(o.shortcut, `${where}.shortcut`) }),
  };
}

/** A code's key as a file holds it: a key a code may have, or "" for none. */
function readShortcut(value: unknown, where: string): string {
  const key = readText(value, where);
  if (key !== '' && !SHORTCUT_KEYS.includes(key)) {
    throw new ExchangeError(`${where} must be a digit 1–9 or a letter a–z other than j, k and u (or "" for none), but it is ${describe(key)}.`, where);
  }
  return key;
}

export function readCoder(value: unknown, where: string): ExchangeCoder {
  const o = readObject(value, where);
  return { id: readId(o.id, `${where}.id`), name: readText(o.name, `${where}.name`), color: readColor(o.color, `${where}.color`) };
}

export function readCoding(value: unknown, where: string): ExchangeCoding {
  const o = readObject(value, where);
  const id = readId(o.id, `${where}.id`);
  const answerId = readId(o.answerId, `${where}.answerId`);
  const codeId = readId(o.codeId, `${where}.codeId`);
  const coderId = readId(o.coderId, `${where}.coderId`);
  const [start, end] = readSpan(o.start, o.end, where);
  const coding: ExchangeCoding = { id, answerId, codeId, coderId, start, end, createdAt: readWhole(o.createdAt, `${where}.createdAt`) };
  if (o.exemplar !== undefined && typeof o.exemplar !== 'boolean') {
    throw new ExchangeError(`${where}.exemplar must be true or false, but it is ${describe(o.exemplar)}.`, `${where}.exemplar`);
  }
  if (o.exemplar === true) coding.exemplar = true;
  if (o.suggested !== undefined && typeof o.suggested !== 'boolean') {
    throw new ExchangeError(`${where}.suggested must be true or false, but it is ${describe(o.suggested)}.`, `${where}.suggested`);
  }
  if (o.suggested === true) coding.suggested = true;
  return coding;
}

function readSpan(start: unknown, end: unknown, where: string): [number, number] | [null, null] {
  if (start === null) {
    if (end !== null) {
      throw new ExchangeError(`${where}.end must be null when start is null (the whole answer is coded), but it is ${describe(end)}.`, `${where}.end`);
    }
    return [null, null];
  }
  if (typeof start !== 'number' || !Number.isSafeInteger(start) || start < 0) {
    throw new ExchangeError(`${where}.start must be a whole number ≥ 0 or null, but it is ${describe(start)}.`, `${where}.start`);
  }
  if (typeof end !== 'number' || !Number.isSafeInteger(end) || end <= start) {
    throw new ExchangeError(`${where}.end must be a whole number greater than start (${start}), but it is ${describe(end)}.`, `${where}.end`);
  }
  return [start, end];
}

export function readMemo(value: unknown, where: string): ExchangeMemo {
  const o = readObject(value, where);
  const id = readId(o.id, `${where}.id`);
  const target = readObject(o.target, `${where}.target`);
  const kind = target.kind;
  if (typeof kind !== 'string' || !(MEMO_KINDS as readonly string[]).includes(kind)) {
    throw new ExchangeError(`${where}.target.kind must be "answer", "respondent" or "code", but it is ${describe(kind)}.`, `${where}.target.kind`);
  }
  return {
    id,
    target: { kind: kind as MemoTargetKind, id: readId(target.id, `${where}.target.id`) },
    text: readText(o.text, `${where}.text`),
    coderId: readId(o.coderId, `${where}.coderId`),
    coderName: readText(o.coderName, `${where}.coderName`),
    createdAt: readWhole(o.createdAt, `${where}.createdAt`),
    updatedAt: readWhole(o.updatedAt, `${where}.updatedAt`),
  };
}

// ---------------------------------------------------------------------------
// Whole lists

/** Names compare as the codebook operations compare them. */
export function foldName(name: string): string {
  return name.trim().normalize('NFC').toLocaleLowerCase('en');
}

/**
 * Checks that the codes form a tree the app can hold: unique ids, parents in
 * the list, no parent loops, at most CODEBOOK_MAX_DEPTH levels, and sibling
 * names that differ ignoring case. `list` is the field's name ("codebook").
 */
export function checkCodeTree(codes: readonly ExchangeCode[], list: string): void {
  const at = (i: number) => `${list}[${i}]`;
  uniqueIds(
    codes.map((c) => c.id),
    at,
  );
  const index = new Map(codes.map((c, i) => [c.id, i]));
  codes.forEach((code, i) => {
    if (code.parentId !== null && !index.has(code.parentId)) {
      throw new ExchangeError(`${at(i)}.parentId ${JSON.stringify(code.parentId)} is not the id of a code in ${list}.`, `${at(i)}.parentId`);
    }
  });
  const depthOf = new Map<string, number>();
  const depth = (start: number): number => {
    const chain: ExchangeCode[] = [];
    const onChain = new Set<string>();
    let code: ExchangeCode | undefined = codes[start];
    let base = 0;
    while (code) {
      const known = depthOf.get(code.id);
      if (known !== undefined) {
        base = known;
        break;
      }
      if (onChain.has(code.id)) {
        const i = index.get(code.id)!;
        throw new ExchangeError(`${at(i)}: the code ${JSON.stringify(code.name)} is inside itself (its parents loop back to it).`, at(i));
      }
      chain.push(code);
      onChain.add(code.id);
      code = code.parentId === null ? undefined : codes[index.get(code.parentId)!];
    }
    for (let k = chain.length - 1; k >= 0; k--) depthOf.set(chain[k].id, ++base);
    return depthOf.get(codes[start].id)!;
  };
  const siblings = new Map<string, string>(); // parent + folded name → name as written
  codes.forEach((code, i) => {
    if (depth(i) > CODEBOOK_MAX_DEPTH) {
      throw new ExchangeError(`${at(i)}: the code ${JSON.stringify(code.name)} is nested more than ${CODEBOOK_MAX_DEPTH} levels deep.`, at(i));
    }
    const key = `${code.parentId ?? ''}\u0000${foldName(code.name)}`;
    const clash = siblings.get(key);
    if (clash !== undefined) {
      const under = code.parentId === null ? 'two top-level codes' : `two codes under ${JSON.stringify(codes[index.get(code.parentId)!].name)}`;
      throw new ExchangeError(
        `${at(i)}: ${under} are named ${JSON.stringify(clash)} and ${JSON.stringify(code.name)}; names must differ (ignoring case).`,
        at(i),
      );
    }
    siblings.set(key, code.name);
  });
}

/** A memo as the project stores it (the shape of `Memo` in lib/db/schema.ts, which this module may not import). */
export type ProjectMemo = ExchangeMemo & { projectId: string };
