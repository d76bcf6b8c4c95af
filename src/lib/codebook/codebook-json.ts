/**
 * The Codebench codebook file (JSON): parsing with validation, flattening into
 * model Codes, and serialising. Pure functions: no Svelte, no Dexie.
 * The format is described in docs/codebook-format.md.
 */
import { CODE_PATH_SEPARATOR } from './code-path';
import type { Code } from '../model/types';
import { isAssignableKey, normalizeShortcutKey } from '../coding/keys';

export const CODEBOOK_FORMAT = 'codebench-codebook';
export const CODEBOOK_VERSION = 1;
/** Deepest nesting accepted: top-level codes are level 1. */
export const CODEBOOK_MAX_DEPTH = 8;

/**
 * Colours given, in pre-order, to codes whose file has no colour. Each reads on
 * white and on a dark background (contrast ≥ 3:1 against #ffffff and #1e1e1e)
 * and is drawn from colour-blind-aware families (Okabe–Ito and Tol).
 */
export const CODEBOOK_PALETTE: readonly string[] = [
  '#009e73',
  '#d55e00',
  '#1f78b4',
  '#b85c93',
  '#b07a00',
  '#0088a8',
  '#9a6fc4',
  '#cc6677',
  '#5e8c31',
  '#5b7fd6',
];

export interface CodebookFile {
  name: string;
  description: string;
  codes: CodebookNode[];
}

export interface CodebookNode {
  id: string;
  name: string;
  /** "#rrggbb", lower case. */
  color: string;
  definition: string;
  inclusion: string;
  exclusion: string;
  example: string;
  /** The code's key (coding/keys.ts), when the file gives one; a project that loads the file keeps it where free. */
  shortcut?: string;
  children: CodebookNode[];
}

export class CodebookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodebookError';
  }
}

const TEXT_FIELDS = ['definition', 'inclusion', 'exclusion', 'example'] as const;
const HEX6 = /^#[0-9a-f]{6}$/i;
const HEX3 = /^#[0-9a-f]{3}$/i;
const PATH_SEPARATOR = CODE_PATH_SEPARATOR;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** "#abc" and "#AABBCC" become "#aabbcc"; anything else is null. */
function normaliseColor(value: string): string | null {
  const v = value.trim();
  if (HEX6.test(v)) return v.toLowerCase();
  if (HEX3.test(v)) return ('#' + v[1] + v[1] + v[2] + v[2] + v[3] + v[3]).toLowerCase();
  return null;
}

/**
 * Parses and validates a codebook file. Throws CodebookError with a message that
 * names the problem and, for a code, its path ("Challenges › Time and workload").
 * Missing text fields become "", a missing colour takes a palette colour, and
 * unknown properties are ignored.
 */
export function parseCodebookJson(text: string): CodebookFile {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new CodebookError(`This file is not valid JSON (${detail}).`);
  }
  if (!isPlainObject(data)) {
    throw new CodebookError(`This is not a Codebench codebook: the file holds ${describe(data)}, not an object.`);
  }
  if (data.format !== CODEBOOK_FORMAT) {
    throw new CodebookError(
      data.format === undefined
        ? `This is not a Codebench codebook: "format" is missing (expected "${CODEBOOK_FORMAT}").`
        : `This is not a Codebench codebook: "format" is ${describe(data.format)} (expected "${CODEBOOK_FORMAT}").`,
    );
  }
  if (data.version !== CODEBOOK_VERSION) {
    throw new CodebookError(
      data.version === undefined
        ? `The codebook has no "version" (expected ${CODEBOOK_VERSION}).`
        : `Unsupported codebook version ${typeof data.version === 'number' ? data.version : describe(data.version)}: this version of Codebench reads version ${CODEBOOK_VERSION}.`,
    );
  }

  const name = optionalText(data.name, 'The codebook\'s "name"');
  const description = optionalText(data.description, 'The codebook\'s "description"');
  if (data.codes !== undefined && !Array.isArray(data.codes)) {
    throw new CodebookError(`The codebook's "codes" must be a list, but it is ${describe(data.codes)}.`);
  }

  const seenIds = new Map<string, string>(); // id → path where first seen
  let paletteIndex = 0;

  const parseList = (list: unknown[], parentPath: string[], depth: number): CodebookNode[] => {
    const siblingNames = new Map<string, string>(); // folded name → name as written
    return list.map((raw, index) => {
      const fallbackLabel = `code #${index + 1}`;
      const where = (label: string) => [...parentPath, label].join(PATH_SEPARATOR);
      if (!isPlainObject(raw)) {
        throw new CodebookError(`${where(fallbackLabel)}: each code must be an object, but this is ${describe(raw)}.`);
      }
      if (raw.name === undefined || raw.name === null) {
        throw new CodebookError(`${where(fallbackLabel)}: the code has no name.`);
      }
      if (typeof raw.name !== 'string') {
        throw new CodebookError(`${where(fallbackLabel)}: the code's name must be text, but it is ${describe(raw.name)}.`);
      }
      const codeName = raw.name.trim();
      if (codeName === '') throw new CodebookError(`${where(fallbackLabel)}: the code's name is empty.`);
      const path = [...parentPath, codeName];
      const at = path.join(PATH_SEPARATOR);

      if (depth > CODEBOOK_MAX_DEPTH) {
        throw new CodebookError(`${at}: codes are nested too deeply (more than ${CODEBOOK_MAX_DEPTH} levels).`);
      }

      const folded = codeName.toLocaleLowerCase('en');
      const clash = siblingNames.get(folded);
      if (clash !== undefined) {
        throw new CodebookError(
          parentPath.length === 0
            ? `${at}: two top-level codes are named "${clash}" and "${codeName}"; names must differ (ignoring case).`
            : `${at}: two codes under ${parentPath.join(PATH_SEPARATOR)} are named "${clash}" and "${codeName}"; names must differ (ignoring case).`,
        );
      }
      siblingNames.set(folded, codeName);

      if (typeof raw.id !== 'string' || raw.id.trim() === '') {
        throw new CodebookError(
          raw.id === undefined ? `${at}: the code has no "id".` : `${at}: the code's "id" must be non-empty text, but it is ${describe(raw.id)}.`,
        );
      }
      const id = raw.id.trim();
      const firstAt = seenIds.get(id);
      if (firstAt !== undefined) {
        throw new CodebookError(`${at}: the id "${id}" is already used by ${firstAt}; ids must be unique in the file.`);
      }
      seenIds.set(id, at);

      let color: string;
      if (raw.color === undefined || raw.color === null || raw.color === '') {
        color = CODEBOOK_PALETTE[paletteIndex % CODEBOOK_PALETTE.length];
      } else {
        if (typeof raw.color !== 'string') {
          throw new CodebookError(`${at}: the colour must be text of the form "#rrggbb", but it is ${describe(raw.color)}.`);
        }
        const normalised = normaliseColor(raw.color);
        if (normalised === null) {
          throw new CodebookError(`${at}: the colour ${JSON.stringify(raw.color)} is not of the form "#rrggbb".`);
        }
        color = normalised;
      }
      paletteIndex++;

      const texts = {} as Record<(typeof TEXT_FIELDS)[number], string>;
      for (const field of TEXT_FIELDS) texts[field] = optionalText(raw[field], `${at}: "${field}"`);

      if (raw.children !== undefined && raw.children !== null && !Array.isArray(raw.children)) {
        throw new CodebookError(`${at}: "children" must be a list, but it is ${describe(raw.children)}.`);
      }
      const node: CodebookNode = { id, name: codeName, color, ...texts, children: [] };
      if (raw.shortcut !== undefined && raw.shortcut !== null && raw.shortcut !== '') {
        if (typeof raw.shortcut !== 'string' || !isAssignableKey(raw.shortcut)) {
          throw new CodebookError(
            `${at}: the key ${describe(raw.shortcut)} is not a key a code can have; use a digit 1–9 or a letter a–z other than j, k and u.`,
          );
        }
        node.shortcut = normalizeShortcutKey(raw.shortcut);
      }
      node.children = Array.isArray(raw.children) ? parseList(raw.children, path, depth + 1) : [];
      return node;
    });
  };

  const codes = Array.isArray(data.codes) ? parseList(data.codes, [], 1) : [];
  return { name: name.trim(), description, codes };
}

function optionalText(value: unknown, what: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new CodebookError(`${what} must be text, but it is ${describe(value)}.`);
  return value;
}

/**
 * The codebook as model Codes, parents before children (pre-order), with
 * `parentId` from `newId(parent)` and `order` the position among siblings.
 * `newId` is called exactly once per node, in that order.
 */
export function flattenCodebook(file: CodebookFile, projectId: string, newId: (node: CodebookNode) => string): Code[] {
  const out: Code[] = [];
  const walk = (nodes: CodebookNode[], parentId: string | null) => {
    nodes.forEach((node, order) => {
      const id = newId(node);
      out.push({
        projectId,
        id,
        parentId,
        name: node.name,
        color: node.color,
        definition: node.definition,
        inclusion: node.inclusion,
        exclusion: node.exclusion,
        example: node.example,
        order,
        ...(node.shortcut ? { shortcut: node.shortcut } : {}),
      });
      walk(node.children, id);
    });
  };
  walk(file.codes, null);
  return out;
}

/**
 * Builds a codebook file from model Codes (for export). Code ids become the
 * file's ids; siblings are sorted by `order`. A code whose parent is missing, or
 * that sits in a parent cycle, is placed at the top level so nothing is lost.
 */
export function codebookFromCodes(name: string, description: string, codes: readonly Code[]): CodebookFile {
  const ids = new Set(codes.map((c) => c.id));
  const children = new Map<string | null, Code[]>();
  for (const code of codes) {
    const parent = code.parentId !== null && ids.has(code.parentId) ? code.parentId : null;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(code);
  }
  for (const list of children.values()) list.sort((a, b) => a.order - b.order);
  const placed = new Set<string>();
  const build = (code: Code): CodebookNode => {
    placed.add(code.id);
    return {
      id: code.id,
      name: code.name,
      color: code.color,
      definition: code.definition,
      inclusion: code.inclusion,
      exclusion: code.exclusion,
      example: code.example,
      ...(code.shortcut ? { shortcut: code.shortcut } : {}),
      children: (children.get(code.id) ?? []).filter((c) => !placed.has(c.id)).map(build),
    };
  };
  const roots = (children.get(null) ?? []).map(build);
  for (const code of codes) if (!placed.has(code.id)) roots.push(build(code));
  return { name, description, codes: roots };
}

/** Pretty JSON in the file format, ending with a newline; parseCodebookJson reads it back unchanged. */
export function serializeCodebook(file: CodebookFile): string {
  const node = (n: CodebookNode): unknown => ({
    id: n.id,
    name: n.name,
    color: n.color,
    definition: n.definition,
    inclusion: n.inclusion,
    exclusion: n.exclusion,
    example: n.example,
    ...(n.shortcut ? { shortcut: n.shortcut } : {}),
    children: n.children.map(node),
  });
  return (
    JSON.stringify(
      { format: CODEBOOK_FORMAT, version: CODEBOOK_VERSION, name: file.name, description: file.description, codes: file.codes.map(node) },
      null,
      2,
    ) + '\n'
  );
}
