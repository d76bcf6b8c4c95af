/**
 * What a count is about: a code on its own, a code with its subcodes, or a
 * theme (its codes, each with its subcodes when the theme says so). Every view
 * takes targets, so a theme can be counted, cross-tabulated, paired and
 * followed across waves exactly as a code is.
 */
import { codeTree } from '../codebook/code-tree';
import type { Code, Theme } from '../model/types';
import type { AnalysisIndex } from './analysis-index';

export type Target = { kind: 'code'; codeId: string } | { kind: 'code-with-subcodes'; codeId: string } | { kind: 'theme'; themeId: string };

/** A stable key for a target, for table rows and CSV: "code:…", "code+sub:…" or "theme:…". */
export function targetKey(target: Target): string {
  switch (target.kind) {
    case 'code':
      return `code:${target.codeId}`;
    case 'code-with-subcodes':
      return `code+sub:${target.codeId}`;
    case 'theme':
      return `theme:${target.themeId}`;
  }
}

/**
 * What a table shows for a target: the code's or theme's name, "(with
 * subcodes)" after a code counted with its subcodes. A code or theme that is
 * no longer in the project shows its id, so its codings stay visible.
 */
export function targetLabel(index: AnalysisIndex, target: Target): string {
  if (target.kind === 'theme') return index.themes.get(target.themeId)?.name ?? target.themeId;
  const name = index.codes.get(target.codeId)?.name ?? target.codeId;
  return target.kind === 'code' ? name : `${name} (with subcodes)`;
}

/**
 * The code's or theme's name alone, never "(with subcodes)": for a chart or a
 * table that says once, in its caption or heading, that codes are counted with
 * their subcodes, rather than on every label. Unknown ids show the id, as in
 * targetLabel.
 */
export function targetName(index: AnalysisIndex, target: Target): string {
  if (target.kind === 'theme') return index.themes.get(target.themeId)?.name ?? target.themeId;
  return index.codes.get(target.codeId)?.name ?? target.codeId;
}

/** The code ids a target counts, without repeats (a theme's codes may overlap through subcodes). */
export function targetCodeIds(index: AnalysisIndex, target: Target): string[] {
  switch (target.kind) {
    case 'code':
      return [target.codeId];
    case 'code-with-subcodes':
      return index.withDescendants(target.codeId);
    case 'theme': {
      const theme = index.themes.get(target.themeId);
      if (!theme) return [];
      const ids = new Set<string>();
      for (const codeId of theme.codeIds) {
        for (const id of theme.withSubcodes ? index.withDescendants(codeId) : [codeId]) ids.add(id);
      }
      return [...ids];
    }
  }
}

/**
 * A target per code, in code tree order. With `withSubcodes`, a code that has
 * subcodes is counted with them; a code without subcodes is a plain code
 * target either way, so no row is a duplicate of another.
 */
export function codeTargets(codes: readonly Code[], withSubcodes = false): Target[] {
  const parents = new Set(codes.map((c) => c.parentId));
  return codeTree(codes).map(({ code }) =>
    withSubcodes && parents.has(code.id) ? { kind: 'code-with-subcodes', codeId: code.id } : { kind: 'code', codeId: code.id },
  );
}

/** A target per theme, in the themes' order. */
export function themeTargets(themes: readonly Theme[]): Target[] {
  return [...themes].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name)).map((t) => ({ kind: 'theme', themeId: t.id }));
}
