/**
 * A code's four texts (definition, inclusion and exclusion criteria, example)
 * in the one `<Description>` REFI-QDA gives a code, and back.
 *
 * Written as the definition, then one paragraph per other non-empty field,
 * each starting with its label on a new paragraph:
 *
 *     Help received from anyone.
 *
 *     Inclusion criteria: Named people or programmes.
 *
 *     Exclusion criteria: Money (see Funding).
 *
 *     Example: "My mentor kept me going."
 *
 * so other tools show a readable description. Reading looks for the labels
 * (any letter case) at the start of a paragraph — after a blank line, or at
 * the very start — in this order; text before the first label is the
 * definition. A description from another tool, without labels, is all
 * definition. Known limit: a definition that itself contains a paragraph
 * starting with "Inclusion criteria:" (etc.) is split there on import.
 */

export interface CodeTexts {
  definition: string;
  inclusion: string;
  exclusion: string;
  example: string;
}

const LABELS = [
  ['inclusion', 'Inclusion criteria:'],
  ['exclusion', 'Exclusion criteria:'],
  ['example', 'Example:'],
] as const;

/** The description text for a code; "" when all four fields are empty. */
export function composeDescription(texts: CodeTexts): string {
  const parts: string[] = [];
  if (texts.definition !== '') parts.push(texts.definition);
  for (const [field, label] of LABELS) if (texts[field] !== '') parts.push(`${label} ${texts[field]}`);
  return parts.join('\n\n');
}

/** Splits a description into the four fields (see the module comment). */
export function parseDescription(description: string): CodeTexts {
  const out: CodeTexts = { definition: '', inclusion: '', exclusion: '', example: '' };
  // A field's body ends where the next label's paragraph starts.
  let rest = description;
  let field: keyof CodeTexts = 'definition';
  for (const [next, label] of LABELS) {
    const at = findLabel(rest, label);
    if (at === -1) continue;
    out[field] = rest.slice(0, at === 0 ? 0 : at - 2);
    rest = rest.slice(at + label.length).replace(/^ /, '');
    field = next;
  }
  out[field] = rest;
  return out;
}

/** Index of the label at the start of `text` or of a paragraph ("\n\n" before it), else -1. */
function findLabel(text: string, label: string): number {
  const lower = text.toLowerCase();
  const wanted = label.toLowerCase();
  if (lower.startsWith(wanted)) return 0;
  const at = lower.indexOf('\n\n' + wanted);
  return at === -1 ? -1 : at + 2;
}
