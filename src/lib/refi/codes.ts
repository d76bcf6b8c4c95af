/**
 * Codes and themes between Codebench's flat lists (parentId, order) and the
 * REFI-QDA code tree and Sets, shared by the .qdc and .qdpx mappings.
 *
 * Export: codes nest under their parents, siblings by `order` (then id); the
 * four texts go into `<Description>` (description.ts); colours are written
 * `#RRGGBB`. Import: ids are the GUIDs (normalizeGuid), colours `#rrggbb`
 * (`#RGB` expanded; a missing or unreadable colour gets the codebook palette's
 * colour in pre-order, as a codebook file without colours does), and the tree
 * is repaired where Codebench could not hold it — empty names, sibling names
 * equal ignoring case, nesting deeper than CODEBOOK_MAX_DEPTH — each repair
 * reported as a warning.
 */
import { CODEBOOK_MAX_DEPTH, CODEBOOK_PALETTE } from '../codebook/codebook-json';
import { foldName, type ExchangeCode, type ExchangeTheme } from '../exchange/records';
import { composeDescription, parseDescription, trimIndentation } from './description';
import { RefiError } from './errors';
import type { GuidRegistry } from './guid';
import type { RefiCode, RefiSet } from './refi-model';

/** The fields of a code Codebench exports (a model Code or an ExchangeCode). */
export type CodeLike = Pick<ExchangeCode, 'id' | 'parentId' | 'name' | 'color' | 'definition' | 'inclusion' | 'exclusion' | 'example' | 'order'>;
/** The fields of a theme Codebench exports. */
export type ThemeLike = Pick<ExchangeTheme, 'id' | 'name' | 'description' | 'codeIds'>;

const HEX6 = /^#[0-9a-fA-F]{6}$/;
const HEX3 = /^#[0-9a-fA-F]{3}$/;

/** "#aabbcc" / "#ABC" → "#aabbcc"; anything else → undefined. */
export function readColour(value: string | undefined): string | undefined {
  const v = value?.trim() ?? '';
  if (HEX6.test(v)) return v.toLowerCase();
  if (HEX3.test(v)) return ('#' + v[1] + v[1] + v[2] + v[2] + v[3] + v[3]).toLowerCase();
  return undefined;
}

/** The colour as REFI writes it, "#RRGGBB"; undefined (left out) when it is not a colour. */
export function writeColour(value: string): string | undefined {
  return readColour(value)?.toUpperCase();
}

/**
 * The codes as a REFI code tree. Throws RefiError when a parent is missing or
 * the parents loop, rather than exporting a different tree.
 */
export function codesToRefi(codes: readonly CodeLike[], guids: GuidRegistry, noteRefs?: (codeId: string) => string[]): RefiCode[] {
  const ids = new Set(codes.map((c) => c.id));
  const children = new Map<string | null, CodeLike[]>();
  for (const code of codes) {
    if (code.parentId !== null && !ids.has(code.parentId)) {
      throw new RefiError(`Cannot export the codebook: the parent of the code ${JSON.stringify(code.name)} is not among the codes.`);
    }
    const list = children.get(code.parentId) ?? [];
    list.push(code);
    children.set(code.parentId, list);
  }
  let placed = 0;
  const build = (parentId: string | null): RefiCode[] =>
    (children.get(parentId) ?? [])
      .slice()
      .sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((code) => {
        placed++;
        return {
          guid: guids.get('code', code.id),
          name: code.name,
          isCodable: true,
          color: writeColour(code.color),
          description: composeDescription(code) || undefined,
          noteRefs: noteRefs?.(code.id) ?? [],
          children: build(code.id),
        };
      });
  const tree = build(null);
  if (placed !== codes.length) throw new RefiError('Cannot export the codebook: some codes are inside themselves (their parents loop).');
  return tree;
}

/** Themes as REFI Sets of codes. */
export function themesToRefi(themes: readonly ThemeLike[], guids: GuidRegistry): RefiSet[] {
  return themes.map((t) => ({
    guid: guids.get('theme', t.id),
    name: t.name,
    description: t.description || undefined,
    memberCodes: t.codeIds.map((id) => guids.get('code', id)),
    memberSources: [],
    memberNotes: [],
  }));
}

/**
 * A REFI code tree as Codebench codes (ids = GUIDs), repaired where needed
 * (see the module comment). `warnings` receives one line per kind of repair.
 */
export function codesFromRefi(tree: readonly RefiCode[], warnings: string[]): ExchangeCode[] {
  const out: ExchangeCode[] = [];
  const seen = new Set<string>();
  let paletteIndex = 0;
  let badColours = 0;
  let renamed = 0;
  let flattened = 0;
  let duplicates = 0;
  let folders = 0;
  const siblingNames = new Map<string | null, Set<string>>();
  const uniqueName = (parentId: string | null, wanted: string): string => {
    let names = siblingNames.get(parentId);
    if (!names) siblingNames.set(parentId, (names = new Set()));
    let name = wanted;
    for (let n = 2; names.has(foldName(name)); n++) name = `${wanted} (${n})`;
    names.add(foldName(name));
    return name;
  };
  const orders = new Map<string | null, number>();
  // `ancestors` is the chain of kept ids above this level (its length is the level's depth - 1).
  const walk = (codes: readonly RefiCode[], ancestors: string[]) => {
    for (const code of codes) {
      if (seen.has(code.guid)) {
        duplicates++;
        walk(code.children, ancestors);
        continue;
      }
      seen.add(code.guid);
      let chain = ancestors;
      if (chain.length >= CODEBOOK_MAX_DEPTH) {
        flattened++;
        chain = chain.slice(0, CODEBOOK_MAX_DEPTH - 1);
      }
      const parentId = chain.length > 0 ? chain[chain.length - 1] : null;
      const colour = readColour(code.color);
      if (code.color !== undefined && colour === undefined) badColours++;
      if (!code.isCodable) folders++;
      const order = orders.get(parentId) ?? 0;
      orders.set(parentId, order + 1);
      const name = uniqueName(parentId, code.name.trim() === '' ? 'Unnamed code' : code.name);
      if (name !== code.name) renamed++;
      out.push({
        id: code.guid,
        parentId,
        name,
        color: colour ?? CODEBOOK_PALETTE[paletteIndex % CODEBOOK_PALETTE.length],
        ...parseDescription(trimIndentation(code.description ?? '')),
        order,
      });
      paletteIndex++;
      walk(code.children, [...chain, code.guid]);
    }
  };
  walk(tree, []);
  if (badColours > 0)
    warnings.push(`${plural(badColours, 'code has a colour', 'codes have colours')} that is not of the form #RRGGBB; they were given palette colours.`);
  if (renamed > 0)
    warnings.push(
      `${plural(renamed, 'code was', 'codes were')} renamed (e.g. "Name (2)") because another code under the same parent has the same name, ignoring case, or the name was empty.`,
    );
  if (flattened > 0)
    warnings.push(
      `${plural(flattened, 'code was', 'codes were')} nested more than ${CODEBOOK_MAX_DEPTH} levels deep and now sit at level ${CODEBOOK_MAX_DEPTH}.`,
    );
  if (duplicates > 0)
    warnings.push(`${plural(duplicates, 'code appears', 'codes appear')} twice in the codebook (same GUID); the second appearance was left out.`);
  if (folders > 0)
    warnings.push(`${plural(folders, 'code is', 'codes are')} marked as not codable (a folder) in the file; Codebench keeps them as ordinary codes.`);
  return out;
}

/**
 * Sets that have member codes, or no members at all, as themes (ids = GUIDs).
 * Member codes that are not in the codebook are left out with a warning; sets
 * of sources or notes are not themes and are returned in `other`.
 */
export function themesFromRefi(sets: readonly RefiSet[], codeIds: ReadonlySet<string>, warnings: string[]): { themes: ExchangeTheme[]; other: RefiSet[] } {
  const themes: ExchangeTheme[] = [];
  const other: RefiSet[] = [];
  const ids = new Set<string>();
  let unknown = 0;
  for (const set of sets) {
    const empty = set.memberCodes.length === 0 && set.memberSources.length === 0 && set.memberNotes.length === 0;
    if (set.memberCodes.length === 0 && !empty) {
      other.push(set);
      continue;
    }
    if (ids.has(set.guid)) continue;
    ids.add(set.guid);
    const members = [...new Set(set.memberCodes)];
    const known = members.filter((id) => codeIds.has(id));
    unknown += members.length - known.length;
    themes.push({
      id: set.guid,
      name: set.name,
      description: trimIndentation(set.description ?? ''),
      codeIds: known,
      withSubcodes: false,
      order: themes.length,
    });
  }
  if (unknown > 0) warnings.push(`${plural(unknown, 'member of a set refers', 'members of sets refer')} to a code that is not in the codebook; left out.`);
  return { themes, other };
}

/** "1 code was" / "3 codes were". */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
