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

/**
 * A description as other tools write it, pretty-printed inside the XML
 * (openqda: the text on its own line, indented like the element): leading and
 * trailing blank lines dropped and the indentation all lines share removed, so
 * it reads as the author typed it. Line ends are kept as they are. Only text
 * that opens with a line break, the mark of pretty-printing, is touched: a
 * description typed with leading spaces or a final line break (our own files
 * carry them exactly) comes back as it was.
 */
export function trimIndentation(text: string): string {
  if (!/^[ \t]*(\r\n|\r|\n)/.test(text)) return text;
  // Lines at even indexes, the line end after each at the odd index that follows.
  const parts = text.split(/(\r\n|\r|\n)/);
  while (parts.length > 1 && parts[0].trim() === '') parts.splice(0, 2);
  while (parts.length > 1 && parts[parts.length - 1].trim() === '') parts.splice(parts.length - 2, 2);
  if (parts.length === 1 && parts[0].trim() === '') return '';
  let common: string | null = null;
  for (let i = 0; i < parts.length; i += 2) {
    if (parts[i].trim() === '') continue;
    const lead = /^[ \t]*/.exec(parts[i])![0];
    if (common === null) common = lead;
    else {
      let n = 0;
      while (n < common.length && n < lead.length && common[n] === lead[n]) n++;
      common = common.slice(0, n);
    }
  }
  const cut = common?.length ?? 0;
  if (cut === 0) return parts.join('');
  return parts.map((part, i) => (i % 2 === 1 ? part : part.trim() === '' ? part : part.slice(cut))).join('');
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
