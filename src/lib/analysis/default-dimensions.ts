/**
 * The Prevalence tab's first columns, shared by the page (its defaults) and the analysis worker (which works them
 * out ahead, see warmPrevalence): role × wave where both exist, the usual results table.
 */
import type { Dimension } from './prevalence-table';

/** What the defaults read of a project: its attributes and how many waves it has. */
export interface DimensionShape {
  attributes: readonly { name: string; order: number }[];
  waves: readonly unknown[];
}

const ROLE_LIKE = /^(role|respondent[ _-]?type|participant[ _-]?type|type|position)$/i;

/**
 * The attribute that names a respondent's role: "role" first, else one named like it ("Respondent type",
 * "position"), else null. The one default for the Prevalence tab's columns and the report's.
 */
export function roleLikeAttribute(shape: Pick<DimensionShape, 'attributes'>): string | null {
  const names = [...shape.attributes].sort((a, b) => a.order - b.order).map((a) => a.name);
  return names.find((n) => n.trim().toLowerCase() === 'role') ?? names.find((n) => ROLE_LIKE.test(n.trim())) ?? null;
}

/** The prevalence columns a project starts with: role × wave where both exist. */
export function defaultDimensions(shape: DimensionShape): Dimension[] {
  const role = roleLikeAttribute(shape);
  return [...(role ? [{ kind: 'attribute' as const, name: role }] : []), ...(shape.waves.length > 1 ? [{ kind: 'wave' as const }] : [])];
}
