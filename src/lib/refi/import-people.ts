/**
 * People in an imported REFI project: `<Users>` → coders, and the attribute
 * values of respondents gathered from `<Case>`s and source variables.
 */
import { CODEBOOK_PALETTE } from '../codebook/codebook-json';
import type { ExchangeAttribute } from '../exchange/project-file';
import type { ExchangeCoder } from '../exchange/records';
import { plural } from './codes';
import type { RefiProject } from './refi-model';
import type { ReportBuilder } from './report';
import { nameKeyedFrom } from '../model/name-keyed';

/** Distinct values an attribute keeps for its filters (as the survey import keeps them). */
export const ATTRIBUTE_VALUES_KEPT = 200;

export interface Coders {
  list: ExchangeCoder[];
  /**
   * Users that are a program rather than a person (ATLAS.ti's own "ATLAS.ti" user), not made coders, that
   * something attributed so far was made by: filled by `of`, so read it after the last attribution.
   */
  programUsers: string[];
  /** The coder for the first of these user GUIDs that is known (passing over a program's user), else the file's creator, else "Imported". */
  of(...userGuids: (string | undefined)[]): ExchangeCoder;
}

/**
 * Users that stand for the program itself: ATLAS.ti lists a built-in user
 * named "ATLAS.ti" in every project (it owns what the program made, such as
 * default groups). It is nobody who coded, so it is no coder; whatever names
 * it as creator is attributed as if it named no one.
 */
export function isProgramUser(name: string | undefined): boolean {
  return /^atlas\.ti$/i.test(name?.trim() ?? '');
}

/**
 * Every user (but a program's own, isProgramUser) becomes a coder: id = the user's own `id` when it has a unique
 * one (Codebench writes the coder id there), else the GUID; name = `name`.
 * Colours come from the codebook palette in order (REFI users have none).
 */
export function usersToCoders(refi: RefiProject, fallbackName: string): Coders {
  const idCounts = new Map<string, number>();
  for (const u of refi.users) if (u.id?.trim()) idCounts.set(u.id.trim(), (idCounts.get(u.id.trim()) ?? 0) + 1);
  const byGuid = new Map<string, ExchangeCoder>();
  const list: ExchangeCoder[] = [];
  const takenIds = new Set<string>();
  const programUsers: string[] = [];
  const programGuids = new Map<string, string>();
  for (const u of refi.users) {
    if (byGuid.has(u.guid)) continue;
    if (isProgramUser(u.name)) {
      programGuids.set(u.guid, u.name!.trim());
      continue;
    }
    const own = u.id?.trim();
    let id = own && idCounts.get(own) === 1 ? own : u.guid;
    if (takenIds.has(id)) id = u.guid;
    takenIds.add(id);
    const coder = { id, name: u.name?.trim() || own || 'Unnamed user', color: CODEBOOK_PALETTE[list.length % CODEBOOK_PALETTE.length] };
    byGuid.set(u.guid, coder);
    list.push(coder);
  }
  let fallback: ExchangeCoder | undefined;
  const of = (...guids: (string | undefined)[]): ExchangeCoder => {
    for (const g of [...guids, refi.creatingUserGuid]) {
      if (g === undefined) continue;
      const coder = byGuid.get(g);
      if (coder) return coder;
      // Made by the program's own user: attributed to the next one along, and the report says so.
      const program = programGuids.get(g);
      if (program !== undefined && !programUsers.includes(program)) programUsers.push(program);
    }
    if (!fallback) {
      let id = 'refi-import';
      while (takenIds.has(id)) id += '-';
      fallback = { id, name: fallbackName, color: CODEBOOK_PALETTE[list.length % CODEBOOK_PALETTE.length] };
      list.push(fallback);
    }
    return fallback;
  };
  return { list, of, programUsers };
}

/**
 * Collects attribute values per respondent, first value winning; keeps the
 * attribute names in the order they were first declared or met.
 */
export class AttributeCollector {
  private readonly order: string[] = [];
  private readonly values = new Map<string, Map<string, string>>(); // respondent → name → value
  private conflicts = 0;

  constructor(declared: readonly string[]) {
    for (const name of declared) if (!this.order.includes(name)) this.order.push(name);
  }

  set(respondentId: string, name: string, value: string) {
    const v = value.trim();
    if (name.trim() === '' || v === '') return;
    if (!this.order.includes(name)) this.order.push(name);
    let map = this.values.get(respondentId);
    if (!map) this.values.set(respondentId, (map = new Map()));
    const old = map.get(name);
    if (old === undefined) map.set(name, v);
    else if (old !== v) this.conflicts++;
  }

  of(respondentId: string): Record<string, string> {
    return nameKeyedFrom(this.values.get(respondentId) ?? []);
  }

  /** The attributes in use, with their distinct values in respondent order. */
  attributes(respondentOrder: readonly string[]): ExchangeAttribute[] {
    const used = this.order.filter((name) => [...this.values.values()].some((m) => m.has(name)));
    return used.map((name, order) => {
      const seen = new Set<string>();
      for (const id of respondentOrder) {
        const v = this.values.get(id)?.get(name);
        if (v !== undefined && seen.size < ATTRIBUTE_VALUES_KEPT) seen.add(v);
      }
      return { name, order, values: [...seen] };
    });
  }

  report(r: ReportBuilder) {
    if (this.conflicts > 0) {
      r.warn(
        `${plural(this.conflicts, 'attribute value was', 'attribute values were')} given twice with different values for the same respondent (from two cases, or a case and a source); the first was kept.`,
      );
    }
  }
}
