/**
 * What the Analysis state reads of the project overview, and the defaults it
 * takes from it (the role-like attribute, the waves in order, the coding set).
 */
import type { CoderChoice } from '../../workers/analysis-protocol';
import { roleLikeAttribute } from '../analysis/default-dimensions';

/** What the state reads of the project overview: waves for the wave choice, attributes for the defaults. */
export interface AnalysisProjectShape {
  waves: readonly { id: string; order: number }[];
  attributes: readonly { name: string; order: number }[];
  /** The questions, for the filter bar (ids it names that are gone are dropped). */
  questions?: readonly { id: string }[];
  /** Adjudicated disagreements in the project: once there is one, the views default to the Final set. */
  resolutionCount?: number;
}

export const ALL_CODERS: CoderChoice = { kind: 'all' };
export const FINAL_CODERS: CoderChoice = { kind: 'final' };

/** The coding set the views start with: Final once a disagreement has been adjudicated, else all coders together. */
export function defaultCoders(shape: AnalysisProjectShape): CoderChoice {
  return (shape.resolutionCount ?? 0) > 0 ? FINAL_CODERS : ALL_CODERS;
}

/** The attribute that names a speaker by default: one called "role" (any case), else none. */
export function roleAttribute(shape: AnalysisProjectShape): string | null {
  return shape.attributes.find((a) => a.name.trim().toLowerCase() === 'role')?.name ?? null;
}

// The role-like attribute is the analysis worker's default too (lib/analysis/default-dimensions.ts).
export { roleLikeAttribute };

/** The role attribute, else the first attribute, else ''. */
export function firstAttribute(shape: AnalysisProjectShape): string {
  return roleAttribute(shape) ?? [...shape.attributes].sort((a, b) => a.order - b.order)[0]?.name ?? '';
}

/** Wave ids in the project's order. */
export function orderedWaves(shape: AnalysisProjectShape): string[] {
  return [...shape.waves].sort((a, b) => a.order - b.order).map((w) => w.id);
}
