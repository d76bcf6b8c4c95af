/**
 * Themes: named sets of codes an author reports together. Each operation
 * returns a ReversibleChange, like the codebook operations, so themes are
 * undoable and travel through the same history.
 */
import { emptyChange, type ReversibleChange } from '../coding/change';
import type { Coding, Theme } from '../model/types';
import { CodebookOperationError, type IdSource } from './operations';

export interface ThemeFields {
  name: string;
  description: string;
  codeIds: string[];
  withSubcodes: boolean;
}

function checkName(themes: readonly Theme[], name: string, exceptId: string | null): string {
  const trimmed = name.trim();
  if (!trimmed) throw new CodebookOperationError('A theme needs a name.');
  const clash = themes.find((t) => t.id !== exceptId && t.name.trim().toLowerCase() === trimmed.toLowerCase());
  if (clash) throw new CodebookOperationError(`There is already a theme called “${clash.name}”.`);
  return trimmed;
}

export function createTheme(projectId: string, themes: readonly Theme[], fields: ThemeFields, ids: IdSource): ReversibleChange {
  const name = checkName(themes, fields.name, null);
  const theme: Theme = {
    projectId,
    id: ids.newId(),
    name,
    description: fields.description.trim(),
    codeIds: [...new Set(fields.codeIds)],
    withSubcodes: fields.withSubcodes,
    order: themes.reduce((max, t) => Math.max(max, t.order + 1), 0),
  };
  return { label: `Create the theme “${name}”`, forward: { ...emptyChange(), putThemes: [theme] }, inverse: { ...emptyChange(), deleteThemes: [theme] } };
}

export function updateTheme(themes: readonly Theme[], themeId: string, fields: ThemeFields): ReversibleChange {
  const before = themes.find((t) => t.id === themeId);
  if (!before) throw new CodebookOperationError('That theme no longer exists.');
  const after: Theme = {
    ...before,
    name: checkName(themes, fields.name, themeId),
    description: fields.description.trim(),
    codeIds: [...new Set(fields.codeIds)],
    withSubcodes: fields.withSubcodes,
  };
  return { label: `Edit the theme “${after.name}”`, forward: { ...emptyChange(), putThemes: [after] }, inverse: { ...emptyChange(), putThemes: [before] } };
}

export function deleteTheme(themes: readonly Theme[], themeId: string): ReversibleChange {
  const theme = themes.find((t) => t.id === themeId);
  if (!theme) throw new CodebookOperationError('That theme no longer exists.');
  return { label: `Delete the theme “${theme.name}”`, forward: { ...emptyChange(), deleteThemes: [theme] }, inverse: { ...emptyChange(), putThemes: [theme] } };
}

/** Marks a coding as an exemplar quote, or unmarks it. */
export function toggleExemplar(coding: Coding): ReversibleChange {
  const marked = coding.exemplar === true;
  const after: Coding = { ...coding };
  if (marked) delete after.exemplar;
  else after.exemplar = true;
  return {
    label: marked ? 'Unmark an exemplar quote' : 'Mark an exemplar quote',
    forward: { ...emptyChange(), putCodings: [after] },
    inverse: { ...emptyChange(), putCodings: [coding] },
  };
}
