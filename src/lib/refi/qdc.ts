/**
 * The REFI-QDA codebook exchange (`.qdc`, namespace urn:QDA-XML:codebook:1.0):
 * the code tree with colours and descriptions, and themes as `<Sets>` of codes.
 * Mapping rules: codes.ts (tree, colours, repairs), description.ts (the four
 * texts in one description), guid.ts (ids that are not GUIDs).
 */
import type { ExchangeCode, ExchangeTheme } from '../exchange/records';
import { codesFromRefi, codesToRefi, themesFromRefi, themesToRefi, type CodeLike, type ThemeLike } from './codes';
import { RefiError } from './errors';
import { GuidRegistry, normalizeGuid } from './guid';
import { readCodeTree } from './qde-read';
import { writeCodeTree } from './qde-write';
import type { RefiSet } from './refi-model';
import { namespaceWarning, parseXml, type XmlElement } from './xml-reader';
import { XmlWriter } from './xml-writer';

export const CODEBOOK_NAMESPACE = 'urn:QDA-XML:codebook:1.0';

export interface WriteQdcOptions {
  /** The `origin` attribute: which program wrote the file. Default "Codebench". */
  origin?: string;
  /**
   * Scope of the GUIDs made for ids that are not GUIDs (guidFor). Pass the
   * project id so a .qdc and a .qdpx of the same project agree; default "".
   */
  guidScope?: string;
  /** Themes to write as `<Sets>` of their codes. */
  themes?: readonly ThemeLike[];
}

export interface QdcRead {
  /** Codes with ids = their GUIDs (lower case, no braces), parents by id, `order` among siblings. */
  codes: ExchangeCode[];
  /** The codebook's Sets of codes, as themes (ids = GUIDs). */
  themes: ExchangeTheme[];
  warnings: string[];
}

/**
 * The codebook as a `.qdc` document. Throws RefiError when there are no codes
 * (the schema requires at least one) or the codes do not form a tree.
 */
export function writeQdc(codes: readonly CodeLike[], options: WriteQdcOptions = {}): string {
  if (codes.length === 0) throw new RefiError('There are no codes to export: a REFI-QDA codebook must hold at least one code.');
  const guids = new GuidRegistry(options.guidScope ?? '');
  const tree = codesToRefi(codes, guids);
  const sets = themesToRefi(options.themes ?? [], guids);
  const w = new XmlWriter();
  w.start('CodeBook', { xmlns: CODEBOOK_NAMESPACE, origin: options.origin ?? 'Codebench' });
  w.start('Codes');
  writeCodeTree(w, tree);
  w.end();
  if (sets.length > 0) {
    w.start('Sets');
    for (const s of sets) {
      w.start('Set', { guid: s.guid, name: s.name });
      if (s.description) w.text('Description', s.description);
      for (const ref of s.memberCodes) w.empty('MemberCode', { guid: ref });
      w.end();
    }
    w.end();
  }
  w.end();
  return w.toString();
}

/**
 * Reads a `.qdc` document (as text). Throws RefiError when it is not XML
 * Codebench reads safely (xml-reader.ts) or not a REFI-QDA codebook; repairs
 * to the tree are returned as warnings.
 */
export function readQdc(xml: string): QdcRead {
  const root = parseXml(xml, { what: 'The codebook' });
  if (root.name === 'Project') throw new RefiError('This is a REFI-QDA project (.qde), not a codebook: import it as a project.');
  if (root.name !== 'CodeBook') throw new RefiError(`This is not a REFI-QDA codebook: its root element is <${root.name}>, not <CodeBook>.`);
  const codesEl = root.children.find((c) => c.name === 'Codes');
  if (!codesEl) throw new RefiError('This codebook has no <Codes> element.');
  const warnings: string[] = [];
  const foreign = namespaceWarning(root, CODEBOOK_NAMESPACE, 'The codebook');
  if (foreign) warnings.push(foreign);
  const codes = codesFromRefi(readCodeTree(codesEl), warnings);
  const sets = readCodebookSets(root);
  const { themes } = themesFromRefi(sets, new Set(codes.map((c) => c.id)), warnings);
  return { codes, themes, warnings };
}

/** In a codebook a member is `<MemberCode guid=…>` (in a project it is `targetGUID`). */
function readCodebookSets(root: XmlElement): RefiSet[] {
  const sets = root.children.find((c) => c.name === 'Sets');
  if (!sets) return [];
  return sets.children
    .filter((s) => s.name === 'Set')
    .map((s) => ({
      guid: normalizeGuid(s.attrs.get('guid') ?? ''),
      name: s.attrs.get('name') ?? '',
      description: s.children.find((c) => c.name === 'Description')?.text || undefined,
      memberCodes: s.children
        .filter((c) => c.name === 'MemberCode')
        .map((m) => m.attrs.get('guid') ?? m.attrs.get('targetGUID') ?? '')
        .filter((g) => g !== '')
        .map(normalizeGuid),
      memberSources: [],
      memberNotes: [],
    }))
    .filter((s) => s.guid !== '');
}
