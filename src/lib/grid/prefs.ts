/**
 * What the coder set up in a project's grid (column widths, pinned attributes,
 * grouping), kept per project in localStorage. Read back defensively: the
 * stored text may be from an older version or edited by hand.
 */
import { clampWidth } from './columns';

export interface GridPrefs {
  /** Question id → column width in px. */
  widths: Record<string, number>;
  /** Attribute names pinned at the left, in the order chosen. */
  pinned: string[];
  groupByWave: boolean;
}

export const gridPrefsKey = (projectId: string) => `codebench:grid:${projectId}`;

/** Parses stored prefs; anything unusable gives the defaults. */
export function parseGridPrefs(text: string | null, defaults: GridPrefs): GridPrefs {
  let raw: unknown;
  try {
    raw = text === null ? null : JSON.parse(text);
  } catch {
    raw = null;
  }
  if (!raw || typeof raw !== 'object') return { ...defaults, widths: { ...defaults.widths }, pinned: [...defaults.pinned] };
  const value = raw as Partial<Record<keyof GridPrefs, unknown>>;
  // Null prototype: a question id may be "constructor".
  const widths: Record<string, number> = Object.create(null) as Record<string, number>;
  if (value.widths && typeof value.widths === 'object') {
    for (const [id, width] of Object.entries(value.widths as Record<string, unknown>)) {
      if (typeof width === 'number' && Number.isFinite(width)) widths[id] = clampWidth(width, width);
    }
  }
  const pinned = Array.isArray(value.pinned) ? [...new Set(value.pinned.filter((name): name is string => typeof name === 'string'))] : [...defaults.pinned];
  const groupByWave = typeof value.groupByWave === 'boolean' ? value.groupByWave : defaults.groupByWave;
  return { widths, pinned, groupByWave };
}

export function serializeGridPrefs(prefs: GridPrefs): string {
  return JSON.stringify({ widths: { ...prefs.widths }, pinned: prefs.pinned, groupByWave: prefs.groupByWave });
}
